"""Charts of salary bands and match rates.

The salary band ruler shows all 18 bands as equal, ordered categories, the returned one
highlighted: bars whose heights were the bands' upper bounds would hide the low bands and
suggest an amount the API never returned; the API returns a band, so the chart shows a band.

Titles, axes and tooltips are in ``words``'s language (ui passes ``tr()``); band labels are TD's.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from kyc.salary import BANDS, SalaryBand
from workflows.i18n import Translator, translator

ENGLISH = translator("en")

HIGHLIGHT, OTHER = "#1d4ed8", "#e2e8f0"
INK = "#1e293b"  # axis labels dark enough to read from across a table
#: A band label such as "2.5-3.5" over two lines ("2.5-" above "3.5"), so all 18 stand level
#: and each sits under its own cell instead of tilted away from it.
TWO_LINE_LABEL = (
    "indexof(datum.label, '-') > 0 ? [slice(datum.label, 0, indexof(datum.label, '-') + 1), "
    "slice(datum.label, indexof(datum.label, '-') + 1)] : datum.label"
)


def band_axis(title: str) -> alt.Axis:
    """The band axis: every label shown, level, large and dark."""
    return alt.Axis(
        title=title, labelAngle=0, labelOverlap=False, labelExpr=TWO_LINE_LABEL, labelFontSize=13,
        labelColor=INK, titleColor=INK, titleFontSize=13, ticks=False, labelPadding=6, labelLineHeight=15,
    )  # fmt: skip


def band_frame(band: SalaryBand | None, words: Translator = ENGLISH) -> pd.DataFrame:
    """One row per table band; ``returned`` marks where ``band`` falls (a label outside the table too)."""
    position = band.position if band is not None else None
    rows = []
    for number, table_band in enumerate(BANDS, start=1):
        hit = number == position
        rows.append(
            {
                "band": table_band.label.replace("JT", ""),
                "order": number,
                "returned": hit,
                "label": (band.label if hit and band is not None else ""),
                "range": table_band.describe(words.lang),
            }
        )
    return pd.DataFrame(rows)


def salary_chart(band: SalaryBand | None, words: Translator = ENGLISH) -> alt.Chart:
    """A ruler of 18 equal cells (IDR millions), the returned band filled and labelled above it."""
    _ = words.gettext
    data = band_frame(band, words)
    x = alt.X(
        "band:N",
        sort=list(data["band"]),
        scale=alt.Scale(paddingInner=0.12),
        axis=band_axis(_("Monthly salary band (IDR million)")),
    )
    y_scale = alt.Scale(domain=[0, 1.45])
    cells = (
        alt.Chart(data)
        .transform_calculate(bottom="0", top="1")
        .mark_rect(cornerRadius=4)
        .encode(
            x=x,
            y=alt.Y("bottom:Q", axis=None, scale=y_scale),
            y2="top:Q",
            color=alt.condition("datum.returned", alt.value(HIGHLIGHT), alt.value(OTHER)),
            tooltip=[alt.Tooltip("range:N", title=_("Band"))],
        )
    )
    label = (
        alt.Chart(data)
        .transform_filter("datum.returned")
        .transform_calculate(above="1.22")
        .mark_text(fontSize=15, fontWeight="bold", color=HIGHLIGHT)
        .encode(x=x, y=alt.Y("above:Q", axis=None, scale=y_scale), text="label:N")
    )
    return (
        (cells + label)
        .properties(height=190, padding={"left": 10, "right": 30, "top": 5, "bottom": 5})
        .configure_view(stroke=None)
    )


def band_histogram(rows: list[dict], words: Translator = ENGLISH) -> alt.Chart:
    """How many hits fell in each of the 18 bands: one labelled row per band, zeros included.

    Horizontal, so that every band's label stands level beside its own bar even in half a page.
    """
    _ = words.gettext
    data = pd.DataFrame(rows)
    data["band"] = data["band"].str.replace("JT", "", regex=False)
    y = alt.Y(
        "band:N", sort=list(data["band"]), title=_("Band (IDR million)"), scale=alt.Scale(paddingInner=0.2),
        axis=alt.Axis(labelFontSize=13, labelColor=INK, titleColor=INK, ticks=False, labelOverlap=False),
    )  # fmt: skip
    title = alt.Title(_("Salary bands of the hits"), anchor="start", fontSize=15, color=INK)
    base = alt.Chart(data, title=title)
    bars = base.mark_bar(color=HIGHLIGHT).encode(
        x=alt.X("count:Q", title=_("Applicants"), axis=alt.Axis(tickMinStep=1, labelColor=INK, titleColor=INK)),
        y=y,
        tooltip=[alt.Tooltip("band:N", title=_("Band")), alt.Tooltip("count:Q", title=_("Applicants"))],
    )
    counts = base.transform_filter("datum.count > 0").mark_text(align="left", dx=4, fontSize=13, color=INK)
    return (bars + counts.encode(x="count:Q", y=y, text="count:Q")).properties(height=22 * len(data))


def match_rate_bars(rates: list[dict], words: Translator = ENGLISH) -> alt.Chart | None:
    """Per field: the share of compared hits that MATCH, with "n% of N" beside each bar.

    A 0% field keeps a stub of a bar and its "0% of N", so it reads as measured, not missing.
    None when no field was compared. A field's name (an English label of
    ``workflows.applicant.LABELS``) is said in ``words``'s language.
    """
    _ = words.gettext
    data = pd.DataFrame([r for r in rates if r["compared"]])
    if data.empty:
        return None
    data["field"] = [_(name) for name in data["field"]]
    data["shown"] = data["rate"].clip(lower=0.01)
    data["text"] = [
        _("{rate} of {compared}").format(rate=f"{r:.0%}", compared=words.number(n))
        for r, n in zip(data["rate"], data["compared"])
    ]
    # A title and a subtitle: one long line would run past half a page in Indonesian.
    title = alt.Title(
        _("Match rate per field"), subtitle=_("of the hits that sent it"), anchor="start", fontSize=15, color=INK,
        subtitleColor="#475569", subtitleFontSize=12,
    )  # fmt: skip
    base = alt.Chart(data, title=title)
    axis = alt.Axis(labelFontSize=13, labelColor=INK, labelLimit=200, labelOverlap=False)  # every field named
    y = alt.Y("field:N", title=None, sort=None, axis=axis)
    bars = base.mark_bar(color="#16a34a").encode(
        x=alt.X(
            "shown:Q",
            title=_("Share that MATCH"),
            axis=alt.Axis(format="%", labelColor=INK, values=[0, 0.25, 0.5, 0.75, 1]),
            scale=alt.Scale(domain=[0, 1.25]),
        ),  # fmt: skip
        y=y,
        tooltip=[
            alt.Tooltip("field:N", title=_("Field")),
            alt.Tooltip("matched:Q", title=_("MATCH")),
            alt.Tooltip("compared:Q", title=_("Compared")),
        ],
    )
    labels = base.mark_text(align="left", dx=6, fontSize=13, color=INK).encode(x="shown:Q", y=y, text="text:N")
    return (bars + labels).properties(height=max(150, 44 * len(data) + 30))
