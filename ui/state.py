"""Session-state keys the pages share, with their defaults. Everything here is per session."""

from __future__ import annotations

from typing import Any

import streamlit as st

from kyc.http import CallRecord
from workflows import history

HISTORY = "history"  # list of workflows.history entries, oldest first
NPWP_DOC = "npwp_doc"  # {"name", "data", "origin", "upload_id"} of the document on the NPWP page
NPWP_OUTCOME = "npwp_outcome"  # {"doc": digest, "result": NpwpResult | None, "error": KycError | None}
BUDGET_SLOT = "_budget_slot"  # this run's sidebar slot for today's live calls (live mode), else None
INCOME_OUTCOME = "income_outcome"  # {"request": IncomeRequest, "result": IncomeResult | None, "error": ...}


def init() -> None:
    """Create the session's containers once (st.session_state.setdefault is per session)."""
    st.session_state.setdefault(HISTORY, [])


def get(key: str, default: Any = None) -> Any:
    return st.session_state.get(key, default)


def put(key: str, value: Any) -> None:
    st.session_state[key] = value


def remember(record: CallRecord | None, code: str | None = None) -> None:
    """Add a finished call to this session's history."""
    if record is not None:
        st.session_state.setdefault(HISTORY, []).append(history.entry(record, code))
