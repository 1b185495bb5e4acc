"""The salary band chart: all 18 bands as equal, ordered categories, the returned one highlighted.

Bars whose heights were the bands' upper bounds would hide the low bands and suggest an
amount the API never returned; the API returns a band, so the chart shows a band.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from kyc.salary import BANDS, SalaryBand

HIGHLIGHT, OTHER = "#1d4ed8", "#e2e8f0"


def band_frame(band: SalaryBand | None) -> pd.DataFrame:
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
                "range": table_band.describe(),
            }
        )
    return pd.DataFrame(rows)


def salary_chart(band: SalaryBand | None) -> alt.Chart:
    """A ruler of 18 equal cells (IDR millions), the returned band filled and labelled above it."""
    data = band_frame(band)
    x = alt.X(
        "band:N",
        sort=list(data["band"]),
        title="Monthly salary band (IDR million)",
        scale=alt.Scale(paddingInner=0.12),
        axis=alt.Axis(labelAngle=-40, labelOverlap=False, ticks=False),
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
            tooltip=[alt.Tooltip("range:N", title="Band")],
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
