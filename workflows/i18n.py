"""The app's words in Bahasa Indonesia and English: gettext catalogs (Babel) and Babel's formats.

A ``Translator`` is one language's view of the catalogs in ``locales/`` (``app`` domain;
``kyc`` keeps its own for its error messages). It holds no state of a session: the language
travels as a parameter (``translator("id")``), never as a process-wide setting, so two
sessions in two languages never change each other's words. gettext's catalogs are read-only
once loaded and shared by every session of that language.

Strings are marked for ``pybabel extract`` with ``_("…")`` (translated now) and ``N_("…")``
(a module-level constant, translated where it is shown). ``make messages`` extracts and
updates the catalogs; the set-up compiles them (``pybabel compile``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from babel.dates import format_date
from babel.numbers import format_decimal

from kyc.i18n import catalog

LOCALES = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "app"
LANGUAGES = ("id", "en")
DEFAULT = "en"
#: How each language names itself in the selector.
NAMES = {"id": "Bahasa Indonesia", "en": "English"}


def N_(message: str) -> str:  # noqa: N802 - gettext's name for "mark, translate later"
    """Mark ``message`` for extraction; it is translated where it is shown."""
    return message


def supported(lang: str | None) -> str | None:
    """``lang`` as one of LANGUAGES ("id-ID" -> "id", "en_US" -> "en"), or None."""
    if not lang:
        return None
    code = str(lang).replace("_", "-").split("-")[0].lower()
    return code if code in LANGUAGES else None


def _catalog(lang: str):
    return catalog(str(LOCALES), DOMAIN, lang)


@dataclass(frozen=True)
class Translator:
    """One language's words and formats."""

    lang: str

    def gettext(self, message: str) -> str:
        return _catalog(self.lang).gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return _catalog(self.lang).ngettext(singular, plural, n)

    @property
    def locale(self) -> str:
        return "id_ID" if self.lang == "id" else "en_US"

    def date(self, day: dt.date) -> str:
        """ "12 Mei 1990" / "12 May 1990"."""
        return format_date(day, "d MMMM y", locale=self.locale)

    def number(self, value: float, digits: int = 0) -> str:
        """ "1.234" / "1,234"; with ``digits``, that many decimals at most."""
        return format_decimal(value, format="#,##0" + ("." + "#" * digits if digits else ""), locale=self.locale)

    def rupiah(self, amount: int) -> str:
        """ "Rp 5.500.000" / "IDR 5,500,000"."""
        return ("Rp " if self.lang == "id" else "IDR ") + self.number(amount)

    def millions(self, amount: int) -> str:
        """ "5,5 juta" / "5.5 million"."""
        return f"{self.number(amount / 1_000_000, 1)} {self.gettext('million')}"


@lru_cache(maxsize=len(LANGUAGES))
def translator(lang: str | None) -> Translator:
    """The Translator for ``lang`` (an unsupported or missing one gives English)."""
    return Translator(supported(lang) or DEFAULT)
