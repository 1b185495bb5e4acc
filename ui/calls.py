"""Running one API call from a page: spinner, error capture, history."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from kyc.errors import KycError
from ui import i18n, sidebar, state
from ui.i18n import N_, _
from ui.text import esc

T = TypeVar("T")
INTERNAL_CODE = "INTERNAL"
#: The app's own message for a bug caught here; kyc's catalog does not hold it, so show_error
#: says it in the session's language with the app's catalog.
INTERNAL = N_("Something went wrong inside KYC Studio. Try again; if it happens again, note the time and tell the team.")
log = logging.getLogger("kyc.ui")


def run(
    label: str, call: Callable[[], T], keep: Callable[[T | None, KycError | None], None] | None = None
) -> tuple[T | None, KycError | None]:
    """Make the call under a spinner; every outcome, success or KycError, goes into history.

    ``keep`` stores the outcome in the session while the spinner still shows: a click on
    another widget during the call makes Streamlit stop this run when the spinner closes, and
    an outcome stored only after that would be lost (and the call made again).
    """
    with st.spinner(label):
        result: T | None = None
        error: KycError | None = None
        try:
            result = call()
            state.remember(getattr(result, "record", None))
        except KycError as raised:
            error = raised
            state.remember(raised.record, raised.code)
        except Exception as raised:  # noqa: BLE001 - the last guard between a bug and a prospect's screen
            # Only the type is logged: an exception's text may quote a URL with its query string.
            log.error("unexpected %s during %r", type(raised).__name__, label)
            error = KycError(INTERNAL_CODE, INTERNAL)
        if keep is not None:
            keep(result, error)
    slot = state.get(state.BUDGET_SLOT)
    if slot is not None:  # live mode: the sidebar's count of today's calls, with this one
        sidebar.live_budget(slot)
    return result, error


def show_error(error: KycError) -> None:
    """A vendor or app error as the human message, with the code beside it."""
    message = _(INTERNAL) if error.code == INTERNAL_CODE and error.message == INTERNAL else error.message_in(i18n.current())
    hint = " " + _("Trying again later may help.") if error.retryable and "again" not in error.message.lower() else ""
    if error.code == "CONFIG":
        hint += " " + _("Type them under Live credentials in the sidebar.")
    # TD's codes are bare numbers; say whose they are, so 304 does not read as an HTTP status.
    code = (
        _("TD code {code}").format(code=error.code)
        if error.record is not None and error.record.api == "income" and error.code.isdigit()
        else _("Code {code}").format(code=error.code)
    )
    # The words first; the code after them, small, for whoever reports it to the vendor.
    st.error(f"{esc(message + hint)}  \n:small[{esc(code)}]", icon=":material/error:")
