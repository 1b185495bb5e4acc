"""Salary bands of TD's income verification: the spec's 18 ranges and a tolerant parser.

The API returns ``range_salary`` as a label such as ``"5.5-6.5JT"`` (JT = juta, a million
rupiah). The vendor's own example returns ``">20.5JT"``, which is not one of the 18, so
``parse_range`` reads any label of that family, and plain rupiah such as
``"2500001-3500000"``, into lower and upper bounds in IDR.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from babel.numbers import format_decimal

from kyc.i18n import N_, gettext_for

JUTA = 1_000_000


@dataclass(frozen=True)
class SalaryBand:
    """A salary range in IDR. ``None`` marks an open end; ``label`` is what the API sent."""

    label: str
    lower: int | None
    upper: int | None

    @property
    def index(self) -> int | None:
        """1-18 for a label of the spec's table, else None."""
        return LABELS.index(self.label) + 1 if self.label in LABELS else None

    @property
    def position(self) -> int | None:
        """The table band (1-18) this range falls in, judged by its lower bound.

        A label outside the table, such as ">20.5JT", is drawn where its lower bound lies.
        """
        if self.index:
            return self.index
        if self.lower is None:
            return None
        # Probe a value inside the range: its middle, or just above an open lower end.
        probe = self.lower + 1 if self.upper is None else (self.lower + self.upper) / 2
        for number, band in enumerate(BANDS, start=1):
            if band.upper is None or probe <= band.upper:
                return number
        return None

    def describe(self, lang: str = "en") -> str:
        """A readable range in ``lang`` ("en" or "id"), e.g. "IDR 5.5-6.5 million" / "Rp 5,5-6,5 juta",
        "above IDR 100 million" / "di atas Rp 100 juta", "up to IDR 2.5 million" / "hingga Rp 2,5 juta"."""
        if self.lower is None and self.upper is None:
            return self.label
        _ = gettext_for(lang)
        if self.lower == self.upper:
            return _(N_("IDR {amount} million")).format(amount=_millions(self.lower, lang))
        if self.upper is None:
            return _(N_("above IDR {amount} million")).format(amount=_millions(self.lower, lang))
        if not self.lower:
            return _(N_("up to IDR {amount} million")).format(amount=_millions(self.upper, lang))
        return _(N_("IDR {lower}-{upper} million")).format(lower=_millions(self.lower, lang), upper=_millions(self.upper, lang))


def _millions(value: int | None, lang: str = "en") -> str:
    """5500000 -> "5.5", 2500001 -> "2.5", 100000000 -> "100" (no exponent, ever); in Indonesian
    with Babel's decimal comma and thousands dots: "5,5", "1.000"."""
    text = f"{(value or 0) / JUTA:.2f}".rstrip("0").rstrip(".")
    if (lang or "en").split("-")[0].split("_")[0].lower() != "id":
        return text
    from decimal import Decimal

    return format_decimal(Decimal(text), format="#,##0.##", locale="id_ID")


# The spec's table, in order: (lower, upper] in IDR; band 1 starts at 0 and band 18 is open.
_TABLE = (
    ("0-2.5JT", 0, 2_500_000),
    ("2.5-3.5JT", 2_500_000, 3_500_000),
    ("3.5-4.5JT", 3_500_000, 4_500_000),
    ("4.5-5.5JT", 4_500_000, 5_500_000),
    ("5.5-6.5JT", 5_500_000, 6_500_000),
    ("6.5-7.5JT", 6_500_000, 7_500_000),
    ("7.5-8.5JT", 7_500_000, 8_500_000),
    ("8.5-10.5JT", 8_500_000, 10_500_000),
    ("10.5-13JT", 10_500_000, 13_000_000),
    ("13-16JT", 13_000_000, 16_000_000),
    ("16-20JT", 16_000_000, 20_000_000),
    ("20-30JT", 20_000_000, 30_000_000),
    ("30-40JT", 30_000_000, 40_000_000),
    ("40-55JT", 40_000_000, 55_000_000),
    ("55-70JT", 55_000_000, 70_000_000),
    ("70-85JT", 70_000_000, 85_000_000),
    ("85-100JT", 85_000_000, 100_000_000),
    (">100JT", 100_000_000, None),
)
BANDS: tuple[SalaryBand, ...] = tuple(SalaryBand(label, low, high) for label, low, high in _TABLE)
LABELS: tuple[str, ...] = tuple(band.label for band in BANDS)


class SalaryRangeError(ValueError):
    """A salary label that cannot be read as a range."""


_UNITS = {"JT": JUTA, "JUTA": JUTA, "M": JUTA, "MIO": JUTA, "RB": 1_000, "RIBU": 1_000, "K": 1_000, "": 1}
_NUMBER = r"[0-9]+(?:[.,][0-9]+)*"  # ASCII digits only, as kyc.ids: \d would take "٣JT" as 3 juta
_UNIT = r"(JT|JUTA|MIO|M|RB|RIBU|K)?"
_SPAN = re.compile(rf"^({_NUMBER}){_UNIT}(?:-|–|—|TO|S/D|SAMPAI)({_NUMBER}){_UNIT}$")
_OPEN = re.compile(rf"^(>=|≥|>|<=|≤|<|ABOVE|OVER|UNDER|BELOW)?({_NUMBER}){_UNIT}(\+)?$")
# A bare number this small cannot be rupiah: it is the table's unit, juta ("5,5-6,5").
_BARE_JUTA_BELOW = 1000


def _amount(text: str, unit: str) -> int:
    """Read "2.5", "2,5", "2500000" or "2.500.000" in the given unit, as whole rupiah."""
    scale = _UNITS[unit]
    groups = re.split(r"[.,]", text)
    # Groups of exactly three digits after the first are thousand separators ("2.500.000");
    # a single shorter or longer tail is a decimal fraction ("2.5", "20,5").
    if len(groups) > 1 and all(len(g) == 3 for g in groups[1:]) and (scale == 1 or len(groups) > 2):
        value = float("".join(groups))
    elif len(groups) == 2:
        value = float(f"{groups[0]}.{groups[1]}")
    elif len(groups) == 1:
        value = float(groups[0])
    else:
        raise SalaryRangeError(f"the salary range has {text!r}, which is not a number")
    return round(value * scale)


def parse_range(label: str) -> SalaryBand:
    """Read a salary label into a ``SalaryBand`` in IDR.

    Accepts the spec's 18 labels, other labels in the same style (">20.5JT", "2,5-3,5 juta"),
    and plain rupiah ("2500001-3500000", "Rp 2.500.000 - 3.500.000"). Raises
    ``SalaryRangeError`` with the reason for anything else.
    """
    if not isinstance(label, str):
        raise SalaryRangeError(f"a salary range must be text, not {type(label).__name__}")
    original = label.strip()
    if original in LABELS:
        return BANDS[LABELS.index(original)]
    text = re.sub(r"\s+|RP\.?|IDR", "", original.upper())
    if not text:
        raise SalaryRangeError("the salary range is empty")
    if len(text) > 64:
        raise SalaryRangeError("the salary range is too long to be a label")
    span = _SPAN.match(text)
    if span:
        low_text, low_unit, high_text, high_unit = span.groups()
        # "2.5-3.5JT": a unit written once applies to both ends.
        low_unit = low_unit if low_unit is not None else (high_unit or "")
        if not low_unit and not high_unit and _amount(high_text, "") < _BARE_JUTA_BELOW:
            low_unit = high_unit = "JT"
        low, high = _amount(low_text, low_unit), _amount(high_text, high_unit or "")
        if low > high:
            raise SalaryRangeError(f"{original!r} is not a salary range: its lower end is above its upper end")
        return SalaryBand(original, low, high)
    single = _OPEN.match(text)
    if single:
        sign, number, unit, plus = single.groups()
        if not unit and _amount(number, "") < _BARE_JUTA_BELOW:
            unit = "JT"
        value = _amount(number, unit or "")
        if sign in (">", ">=", "≥", "ABOVE", "OVER") or plus:
            return SalaryBand(original, value, None)
        if sign in ("<", "<=", "≤", "UNDER", "BELOW"):
            return SalaryBand(original, 0, value)
        return SalaryBand(original, value, value)
    raise SalaryRangeError(f"{original!r} is not a salary range such as '5.5-6.5JT' or '>100JT'")
