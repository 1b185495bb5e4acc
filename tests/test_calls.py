"""ui.calls.run: the outcome is kept in the session before the spinner closes."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _script() -> None:
    import contextlib

    import streamlit as st

    from ui import calls

    class Interrupted(Exception):
        """Stands in for Streamlit stopping the run when the spinner closes (a click elsewhere)."""

    @contextlib.contextmanager
    def spinner(label: str):
        yield
        raise Interrupted(label)

    original = calls.st.spinner  # calls.st is the streamlit module itself: put it back after
    calls.st.spinner = spinner
    try:
        calls.run("Reading…", lambda: "the answer", keep=lambda result, error: st.session_state.update(kept=result))
    except Interrupted:
        st.session_state["interrupted"] = True
    finally:
        calls.st.spinner = original


def test_an_outcome_is_kept_even_when_the_run_is_stopped_as_the_spinner_closes():
    import streamlit as st

    spinner = st.spinner
    at = AppTest.from_function(_script).run(timeout=30)
    assert at.session_state["interrupted"] is True
    assert at.session_state["kept"] == "the answer"
    assert st.spinner is spinner  # nothing leaks into the tests that follow
