"""This session's language: the sidebar's selector (key ``lang``), and ``_`` for the page's words.

The language lives in the session's state, set by the selector; its default comes from
``?lang=id`` / ``?lang=en`` in the URL, else the browser's locale (``st.context.locale``):
Indonesian for an ``id`` locale, English otherwise. ``_("…")`` translates into it at the
moment a page draws, so each session reads its own language.
"""

from __future__ import annotations

import streamlit as st

from workflows.i18n import LANGUAGES, N_, NAMES, Translator, supported, translator

KEY = "lang"

__all__ = ["KEY", "N_", "_", "current", "ngettext", "selector", "tr"]


def _default() -> str:
    asked = supported(st.query_params.get(KEY))
    if asked:
        return asked
    try:
        locale = st.context.locale
    except Exception:  # noqa: BLE001 - no browser (a bare script run): English
        locale = None
    return "id" if supported(locale) == "id" else "en"


def current() -> str:
    """The session's language code: the selector's value, else its default."""
    return supported(st.session_state.get(KEY)) or _default()


def tr() -> Translator:
    """The session's Translator, for workflows that take one."""
    return translator(current())


def _(message: str) -> str:
    """``message`` in the session's language."""
    return translator(current()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translator(current()).ngettext(singular, plural, n)


def selector() -> str:
    """The language selector (sidebar, every page); returns the chosen code.

    Its default is the widget's own ``index`` (URL, then browser), never a value written into
    session state first: the browser would show another value than the session holds.
    """
    options = list(LANGUAGES)
    chosen = st.selectbox(
        "Bahasa / Language",
        options,
        index=options.index(_default()),
        key=KEY,
        format_func=NAMES.get,
        persist_state="session",
    )
    # Keep the URL in step, so a copied link opens in the same language.
    if st.query_params.get(KEY) != chosen:
        st.query_params[KEY] = chosen
    return chosen
