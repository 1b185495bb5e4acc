"""A static table drawn as escaped HTML: cell text shows exactly as typed, never as Markdown or links.

``st.table`` renders cells as Markdown (GitHub-flavoured, so even an escaped e-mail address
becomes a link); what a user typed must not.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

import streamlit as st

_CSS = (
    "<style>"
    ".kyc-table{width:100%;border-collapse:collapse;font-size:0.9rem;margin:0.25rem 0 1rem}"
    ".kyc-table th{text-align:left;font-weight:600;color:#475569;border-bottom:1px solid #cbd5e1;padding:6px 10px}"
    ".kyc-table td{border-bottom:1px solid #e2e8f0;padding:6px 10px;vertical-align:top;overflow-wrap:anywhere;"
    "white-space:pre-wrap}"  # line breaks and runs of spaces show as typed
    "</style>"
)


def static_table(
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    style: Callable[[int, Sequence[object]], str] = lambda column, row: "",
) -> str:
    """The table's HTML: every cell escaped; ``style(column_index, row)`` gives a cell's inline CSS."""
    head = "".join(f"<th>{html.escape(str(name))}</th>" for name in columns)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td style="{html.escape(style(index, row), quote=True)}">{html.escape(str(cell))}</td>'
            for index, cell in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f'{_CSS}<table class="kyc-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def show(
    columns: Sequence[str], rows: Sequence[Sequence[object]], style: Callable[[int, Sequence[object]], str] = lambda c, r: ""
) -> None:
    st.html(static_table(columns, rows, style))
