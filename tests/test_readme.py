"""The README a newcomer reads: short, its links and pictures present, its client example runnable."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_readme_opens_with_the_two_commands_and_stays_short():
    assert len(README.splitlines()) <= 150
    first_block = re.search(r"```sh\n(.*?)```", README, re.S).group(1)
    assert [line.split()[:2] for line in first_block.splitlines()] == [["make", "run"], ["make", "test"]]


def test_every_local_link_and_picture_exists():
    targets = re.findall(r"\]\(([^)#]+)\)", README)
    assert "docs/images/npwp.png" in targets and "docs/images/journey.png" in targets
    for target in targets:
        if not target.startswith("http"):
            assert (ROOT / target).is_file(), target
    for doc in ("architecture", "reliability", "benchmarks", "ocr"):
        assert f"docs/{doc}.md" in targets


def test_the_pictures_are_browser_screenshots_at_1280_by_800():
    from PIL import Image

    for name in ("npwp", "journey"):
        with Image.open(ROOT / "docs" / "images" / f"{name}.png") as picture:
            assert picture.format == "PNG" and picture.size == (1280, 800), name


def test_the_client_example_runs_against_the_sandbox(sandbox, monkeypatch):
    code = re.search(r"```python\n(.*?)```", README, re.S).group(1)
    assert len(code.strip().splitlines()) <= 10
    assert re.findall(r"^from (\S+) import", code, re.M) == ["kyc"]  # the public API only
    monkeypatch.chdir(ROOT)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code.replace("http://127.0.0.1:8765", sandbox.url), "README.md", "exec"), {})
    printed = out.getvalue()
    assert printed.startswith("58.761.234.2-017.000 hit "), printed
    assert "IDR" in printed
