"""The project's packaging agrees with itself: pyproject.toml, requirements.in and the lock file."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def requirement_lines(name: str) -> list[str]:
    """The requirement lines of a requirements file: no comments, no options (-c, -r)."""
    lines = (re.sub(r"\s+#.*", "", line).strip() for line in (ROOT / name).read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith(("#", "-"))]


def by_name(lines: list[str]) -> dict[str, Requirement]:
    return {canonicalize_name(req.name): req for req in map(Requirement, lines)}


def test_pyproject_dependencies_are_requirements_in():
    """One list of runtime dependencies: pyproject.toml's (for pip install .) is requirements.in's (for the lock)."""
    project = by_name(PYPROJECT["project"]["dependencies"])
    locked_input = by_name(requirement_lines("requirements.in"))
    assert {name: str(req.specifier) for name, req in project.items()} == {
        name: str(req.specifier) for name, req in locked_input.items()
    }


def test_the_lock_pins_every_direct_dependency_within_its_range():
    pins = {name: req.specifier for name, req in by_name(requirement_lines("requirements.txt")).items()}
    for name, req in by_name(requirement_lines("requirements.in")).items():
        assert name in pins, f"{name} is not in requirements.txt: run make lock"
        [pin] = list(pins[name])
        assert pin.operator == "==" and req.specifier.contains(pin.version), (name, str(pin), str(req.specifier))


def test_every_package_and_its_data_is_listed():
    """Each importable folder of the packaged roots is in [tool.setuptools] packages, and exists."""
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    roots = {name.split(".")[0] for name in listed}
    found = {".".join(init.parent.relative_to(ROOT).parts) for root in roots for init in (ROOT / root).rglob("__init__.py")}
    assert listed == found
    for package, patterns in PYPROJECT["tool"]["setuptools"]["package-data"].items():
        folder = ROOT.joinpath(*package.split("."))
        for pattern in patterns:
            assert list(folder.glob(pattern)), (package, pattern)
