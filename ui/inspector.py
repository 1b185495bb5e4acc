"""The "Request & response" expander under every call: redacted request, response, status, cURL."""

from __future__ import annotations

import streamlit as st

from kyc.http import CallRecord
from ui.text import esc
from workflows import outcomes


def show(record: CallRecord | None) -> None:
    """Everything about one call, already redacted by kyc.http."""
    if record is None:
        return
    status = f"HTTP {record.status}" if record.status is not None else "No answer from the server"
    with st.expander(f":material/data_object: Request & response · {status} · {record.elapsed_ms:.0f} ms"):
        attempts = f"{record.attempts} attempt{'s' if record.attempts != 1 else ''}"
        outcome = outcomes.label(record.outcome) + (f" (`{esc(record.outcome)}`)" if record.outcome else "")
        st.markdown(
            f"**Status** {status} · **Elapsed** {record.elapsed_ms:.0f} ms · {attempts} · "
            f"**Outcome** {outcome} · **Call** `{record.call_id}`"
        )
        st.markdown("**Request**")
        st.json({"method": record.method, "url": record.url, "headers": record.headers, "body": record.body}, expanded=True)
        st.markdown("**Response**")
        if isinstance(record.response, (dict, list)):
            st.json(record.response, expanded=True)
        else:
            st.code(str(record.response or "(empty body)"), language=None, wrap_lines=True)
        st.markdown("**Copy as cURL** (keys stay as environment variables)")
        st.code(record.as_curl(), language="bash", wrap_lines=True)
