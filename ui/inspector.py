"""The "Request & response" expander under every call: redacted request, response, status, cURL."""

from __future__ import annotations

import streamlit as st

from kyc.http import CallRecord
from ui.i18n import _, ngettext, tr
from ui.text import esc
from workflows import outcomes


def show(record: CallRecord | None) -> None:
    """Everything about one call, already redacted by kyc.http."""
    if record is None:
        return
    words = tr()
    status = f"HTTP {record.status}" if record.status is not None else _("No answer from the server")
    elapsed = _("{ms} ms").format(ms=words.number(record.elapsed_ms))
    with st.expander(
        ":material/data_object: " + _("Request & response · {status} · {elapsed}").format(status=status, elapsed=elapsed)
    ):
        attempts = ngettext("{n} attempt", "{n} attempts", record.attempts).format(n=record.attempts)
        outcome = outcomes.label(record.outcome, words) + (f" (`{esc(record.outcome)}`)" if record.outcome else "")
        st.markdown(
            _("**Status** {status} · **Elapsed** {elapsed} · {attempts} · **Outcome** {outcome} · **Call** {call}").format(
                status=status, elapsed=elapsed, attempts=attempts, outcome=outcome, call=f"`{record.call_id}`"
            )
        )
        st.markdown("**" + _("Request") + "**")
        st.json({"method": record.method, "url": record.url, "headers": record.headers, "body": record.body}, expanded=True)
        st.markdown("**" + _("Response") + "**")
        if isinstance(record.response, (dict, list)):
            st.json(record.response, expanded=True)
        else:
            st.code(str(record.response or _("(empty body)")), language=None, wrap_lines=True)
        st.markdown(_("**Copy as cURL** (keys stay as environment variables)"))
        st.code(record.as_curl(), language="bash", wrap_lines=True)
