"""The container image's own files: the Dockerfile takes every package the app runs on and nothing
secret, and the HEALTHCHECK script tells a healthy server from one that is not.

`make image-test` builds and runs the image for real (it needs root and a Docker engine, so it is
not part of this suite): docs/deploy.md.
"""

from __future__ import annotations

import ast
import http.server
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = (ROOT / "Dockerfile").read_text()
COPIED = {line.split()[1].rstrip("/") for line in DOCKERFILE.splitlines() if line.startswith("COPY ")}


def first_party_imports() -> set[str]:
    """The project's own top-level packages that the app (app.py and pages/) reaches, transitively."""
    local = {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()}
    seen: set[str] = set()
    todo = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]
    done: set[Path] = set()
    while todo:
        path = todo.pop()
        if path in done:
            continue
        done.add(path)
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top in local and top not in seen:
                    seen.add(top)
                    todo += sorted((ROOT / top).rglob("*.py"))
    return seen


def test_the_image_takes_every_package_the_app_imports():
    needed = first_party_imports()
    assert {"kyc", "ui", "workflows", "sandbox", "cardocr"} <= needed
    assert needed <= COPIED, f"the Dockerfile does not COPY {sorted(needed - COPIED)}"
    assert {"app.py", "pages", "locales", ".streamlit/config.toml"} <= COPIED


def test_the_image_holds_no_secret_no_tests_and_only_the_runtime_requirements():
    assert not any("secrets" in path for path in COPIED)
    assert not COPIED & {"tests", "bench", "docs", ".git", ".venv", "requirements-dev.txt", "packages-dev.txt", "."}
    assert "pip install --quiet -r /tmp/requirements.txt" in DOCKERFILE
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ".streamlit/secrets.toml" in ignored and ".git" in ignored
    # The CA bundle is a BuildKit secret, mounted for one RUN: never COPY'd, never an ENV or ARG.
    assert "--mount=type=secret,id=ca" in DOCKERFILE
    assert not re.search(r"^(ENV|ARG)\s+\S*(CERT|CA_BUNDLE)", DOCKERFILE, re.MULTILINE)


def test_the_image_runs_as_a_user_with_one_malloc_arena_and_a_healthcheck():
    assert re.search(r"^USER kyc$", DOCKERFILE, re.MULTILINE)
    assert "MALLOC_ARENA_MAX=1" in DOCKERFILE and "EXPOSE 8501" in DOCKERFILE
    assert "HEALTHCHECK" in DOCKERFILE and "docker/healthcheck.py" in DOCKERFILE


class _Health(http.server.BaseHTTPRequestHandler):
    answer = (200, b"ok")

    def do_GET(self):  # noqa: N802 - http.server's name
        status, body = self.answer if self.path == "/_stcore/health" else (404, b"")
        self.send_response(status)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def healthcheck(port: int) -> int:
    env = {**os.environ, "STREAMLIT_SERVER_PORT": str(port)}
    return subprocess.run([sys.executable, str(ROOT / "docker" / "healthcheck.py")], env=env, timeout=30).returncode


@pytest.mark.parametrize(("answer", "code"), [((200, b"ok"), 0), ((503, b"not ready"), 1), ((200, b"<html>"), 1)])
def test_the_healthcheck_passes_only_when_streamlit_says_ok(answer, code):
    handler = type("Health", (_Health,), {"answer": answer})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        assert healthcheck(server.server_address[1]) == code
    finally:
        server.shutdown()
        server.server_close()


def test_the_healthcheck_fails_when_nothing_listens(refused_url):
    assert healthcheck(int(refused_url.rsplit(":", 1)[1])) == 1
