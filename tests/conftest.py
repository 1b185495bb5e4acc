"""Shared fixtures: the real sandbox on a free loopback port, and a scriptable replay server."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from tests.replay import ReplayServer

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session", autouse=True)
def server_state_dir(tmp_path_factory):
    """Every test's app (in-process and `streamlit run`) keeps its daily count and audit trail
    of live calls in a folder of the run's own, never in the machine's ~/.local/state."""
    folder = tmp_path_factory.mktemp("kyc-state")
    before = os.environ.get("KYC_STATE_DIR")
    os.environ["KYC_STATE_DIR"] = str(folder)
    yield folder
    if before is None:
        os.environ.pop("KYC_STATE_DIR", None)
    else:
        os.environ["KYC_STATE_DIR"] = before


@pytest.fixture(scope="session")
def sandbox():
    """The sandbox server, started once for the whole run on a free port."""
    import sandbox as sandbox_pkg

    handle = sandbox_pkg.start_in_thread(port=0)
    yield handle
    handle.stop()


@pytest.fixture()
def replay():
    server = ReplayServer()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def streamlit_app():
    """`streamlit run app.py` in sandbox mode on a free port, for a module's browser tests.

    Its log must hold no traceback when it stops.
    """
    from tests.browser_support import StreamlitApp

    app = StreamlitApp()
    yield app
    output = app.stop()
    assert "Traceback" not in output, output[-3000:]


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium under Playwright's sync API, for a module's browser tests."""
    from playwright.sync_api import sync_playwright

    from tests.browser_support import launch

    with sync_playwright() as p:
        launched = launch(p)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def replay_server():
    """One replay server for a whole module: Hypothesis runs many examples per test function."""
    server = ReplayServer()
    yield server
    server.stop()


@pytest.fixture()
def refused_url() -> str:
    """A loopback URL where nothing listens: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.fixture()
def secrets_file(tmp_path):
    """The app's secrets.toml is this file (Streamlit's secrets.files option), read afresh."""
    import streamlit as st
    from streamlit import config

    path = tmp_path / "secrets.toml"
    before = config.get_option("secrets.files"), st.secrets._file_watchers_installed
    config.set_option("secrets.files", [str(path)])
    # No file watcher on the test's file: Streamlit's polls in a thread of its own for good,
    # and would outlive the test (sleeping in a loop beside later tests that count sleeps).
    st.secrets._file_watchers_installed = True
    st.secrets._reset()
    yield path
    config.set_option("secrets.files", before[0])
    st.secrets._file_watchers_installed = before[1]
    st.secrets._reset()
