"""Loading a gettext catalog: the compiled ``.mo`` the set-up writes, else the ``.po`` itself.

``make setup`` compiles every ``.po`` with ``pybabel compile``. A checkout that skipped it
(Streamlit Community Cloud runs no Makefile) compiles the ``.po`` in memory once per process,
with Babel, so it still speaks its languages. English is the source language: without a
catalog the messages are their own English.
"""

from __future__ import annotations

import gettext
import io
from functools import lru_cache
from pathlib import Path

#: kyc's own catalogs: its error messages in Indonesian (English is the source).
LOCALES = Path(__file__).resolve().parent / "locales"


@lru_cache(maxsize=16)
def catalog(localedir: str, domain: str, lang: str) -> gettext.NullTranslations:
    """The ``domain`` catalog for ``lang`` under ``localedir`` (read-only, shared by every caller)."""
    folder = Path(localedir) / lang / "LC_MESSAGES"
    mo, po = folder / f"{domain}.mo", folder / f"{domain}.po"
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    if po.is_file():
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        with po.open("rb") as handle:
            messages = read_po(handle, locale=lang)
        compiled = io.BytesIO()
        write_mo(compiled, messages, use_fuzzy=False)
        compiled.seek(0)
        return gettext.GNUTranslations(compiled)
    return gettext.NullTranslations()


def N_(message: str) -> str:  # noqa: N802 - gettext's name for "mark, translate later"
    """Mark ``message`` for extraction (pybabel); it is translated where it is shown."""
    return message


def gettext_for(lang: str | None):
    """kyc's ``gettext`` for ``lang`` ("id" or "en"; anything else reads English)."""
    code = (lang or "en").split("-")[0].split("_")[0].lower()
    return catalog(str(LOCALES), "kyc", code).gettext
