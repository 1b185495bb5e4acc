"""The sign-in form of a server with an access code: until a session types it, that is all it sees.

``page_setup`` calls ``require_access`` before it draws anything else, so every page, deep
links included, shows only this form until the code is right. The code is never shown, logged
or kept: the session keeps a hash of it (``workflows.access.pass_for``), and the form clears
its input on every submit.
"""

from __future__ import annotations

import logging
import math
import os

import streamlit as st

from ui import backend
from ui.i18n import _, ngettext
from workflows import access

INPUT_KEY = "access_code"  # the password input (a contract: tests and scripts type into it)
_PASS = "_access_pass"
_TRIES = "_access_tries"
log = logging.getLogger("kyc.ui")


def _gate() -> tuple[str | None, str | None]:
    """(why the server stays shut, or None; the access code, or None), from the settings as they are now."""
    secrets = backend.file_secrets()
    shut = access.shut_reason(os.environ, secrets, backend.broken_secrets_may_set("access"))
    return shut, access.configured_code(os.environ, secrets)


def _has_pass(code: str) -> bool:
    return st.session_state.get(_PASS) == access.pass_for(code)


def require_access() -> None:
    """Stop the page at the sign-in form unless no code is set or this session has typed it.

    Where the secrets file may set a code but cannot be read or parsed, or an access setting holds
    none, the server stays shut, with a message for whoever runs it, rather than open to all
    (``workflows.access.shut_reason``).
    """
    shut, code = _gate()
    if shut is not None:
        _shut(shut)
        st.stop()
    if code is not None and not _has_pass(code):
        _sign_in(code)
        st.stop()


def signed_in() -> bool:
    """True while this session may see the app: no code is set, or it has typed the one set now.

    For what reruns on its own without ``page_setup`` (a batch's progress fragment): when this
    turns False (the code was changed on the server), it reruns the whole page, which then
    stops at the sign-in form.
    """
    shut, code = _gate()
    return shut is None and (code is None or _has_pass(code))


def _shut(reason: str) -> None:
    log.error("sign-in: every page stays shut (%s)", reason)
    if reason == access.NOT_A_CODE:
        said = _(
            "This server's access setting holds no code: [access] code in .streamlit/secrets.toml is empty or not text. "
            "Nothing opens until whoever runs the server fixes it."
        )
    else:
        said = _(
            "This server's access code cannot be read: its .streamlit/secrets.toml could not be read or parsed. "
            "Nothing opens until whoever runs the server fixes the file."
        )
    with st.columns([1, 2, 1])[1]:
        st.title(":material/verified_user: KYC Studio")
        st.error(said, icon=":material/lock:")


def _sign_in(code: str) -> None:
    tries: access.Tries = st.session_state.setdefault(_TRIES, access.Tries())
    with st.columns([1, 2, 1])[1]:
        st.title(":material/verified_user: KYC Studio")
        st.caption(_("This KYC Studio server is for invited people. Type the access code you were given to open it."))
        with st.form("sign_in", clear_on_submit=True, enter_to_submit=True):
            given = st.text_input(_("Access code"), type="password", key=INPUT_KEY, autocomplete="off")
            submitted = st.form_submit_button(_("Sign in"), type="primary", icon=":material/login:")
        if submitted:
            # What was typed is not kept in the session's state past this run, right or wrong.
            st.session_state.pop(INPUT_KEY, None)
        if submitted and tries.held_for() <= 0:
            if tries.attempt(code, given or ""):
                st.session_state[_PASS] = access.pass_for(code)
                st.rerun()
            log.info("sign-in: a wrong access code")  # never the code itself
            if tries.held_for() <= 0:
                st.error(_("That is not the access code. Check it and try again."), icon=":material/lock:")
        held = tries.held_for()
        if held > 0:
            seconds = math.ceil(held)
            st.error(
                ngettext(
                    "Too many wrong codes: this browser can try again in {seconds} second.",
                    "Too many wrong codes: this browser can try again in {seconds} seconds.",
                    seconds,
                ).format(seconds=seconds),
                icon=":material/timer:",
            )
