"""The history page's table, filter, downloads and clear button."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from ui import inspector, state
from ui.i18n import _, tr
from ui.setup import PageContext
from ui.text import esc
from workflows import clock, history
from workflows.i18n import Translator

# The table's font (Source Sans, 14 px) in pixels per character, a little over what Chromium
# measures (digits and capitals about 7.4, the rest about 6), and a cell's padding: a column is
# made as wide as its longest value or heading, so no code or ID is cut short ("OCR_200004"
# read as "OCR_20000").
CHAR_PX, NARROW_PX, PAD_PX = 7.6, 6.4, 20


def text_px(text: str) -> int:
    """About how wide ``text`` is in the table, in pixels, erring wide."""
    return round(sum(CHAR_PX if c.isdigit() or c.isupper() or c in "_%@#&" else NARROW_PX for c in text))


def column_widths(rows: Sequence[dict[str, Any]], words: Translator | None = None) -> dict[str, int]:
    """Each column's width in pixels: its heading or its longest value, whichever is wider, whole."""
    words = words or tr()
    return {
        column: max(text_px(str(text)) for text in [history.heading(column, words), *(row[column] for row in rows)]) + PAD_PX
        for column in history.COLUMNS
    }


def column_config(rows: Sequence[dict[str, Any]], words: Translator | None = None) -> dict[str, Any]:
    """Plain headings in the session's language, and widths that show every value whole."""
    words = words or tr()
    widths = column_widths(rows, words)
    config: dict[str, Any] = {}
    for column in history.COLUMNS:
        label, width = history.heading(column, words), widths[column]
        if column == "ms":
            config[column] = st.column_config.NumberColumn(label, format="%d", width=width)
        elif column == "http_status":  # a number, or empty when no answer came: left to the table to show
            config[column] = st.column_config.Column(label, width=width)
        else:
            config[column] = st.column_config.TextColumn(label, width=width)
    return config


def _secrets(ctx: PageContext) -> list[str]:
    """The keys this session could have typed, so an export can mask them even inside a form value."""
    return [ctx.settings.verihubs_api_key.reveal(), ctx.settings.income_partner_key.reveal()]


def _clear() -> None:
    st.session_state[state.HISTORY] = []


def render(ctx: PageContext) -> None:
    entries = state.get(state.HISTORY, [])
    words = tr()
    if not entries:
        st.info(
            _("No calls yet in this session. Extract a card or verify an applicant, and each call shows up here."),
            icon=":material/hourglass_empty:",
        )
        return
    apis = sorted({item["api"] for item in entries})
    left, middle = st.columns([2, 2])
    chosen = left.multiselect("API", apis, default=apis, key="history_api", format_func=words.gettext)
    text = middle.text_input(_("Outcome or code contains"), key="history_filter", placeholder=_("e.g. hit, 9061, OCR_"))
    shown = [item for item in entries if history.matches(item, chosen, text, words)]
    rows = history.table(shown, words)
    st.dataframe(
        pd.DataFrame(rows, columns=history.COLUMNS),
        hide_index=True,
        width="stretch",
        height="content" if len(shown) <= 15 else 560,
        column_config=column_config(rows, words),
    )
    st.caption(
        _("{shown} of {total} calls shown. Times are Jakarta time (WIB, UTC+07:00).").format(shown=len(shown), total=len(entries))
    )

    stamp = clock.file_stamp()
    buttons = st.columns(4)
    buttons[0].download_button(
        _("Download CSV"),
        history.to_csv(shown, _secrets(ctx), words),
        f"kyc-history-{stamp}.csv",
        "text/csv",
        key="history_csv",
        icon=":material/download:",
        width="stretch",
    )
    buttons[1].download_button(
        _("Download JSON"),
        history.to_json(shown, _secrets(ctx)),
        f"kyc-history-{stamp}.json",
        "application/json",
        key="history_json",
        icon=":material/download:",
        width="stretch",
    )
    buttons[2].button(_("Clear history"), key="history_clear", icon=":material/delete:", on_click=_clear, width="stretch")

    if not shown:
        return
    st.subheader(_("Details"), help=_("The 20 newest calls that pass the filter."))
    for item in reversed(shown[-20:]):
        row = history.said(item, words)
        code = " · " + _("code {code}").format(code=esc(item["code"])) if item["code"] else ""
        st.markdown(f"**{esc(row['api'])}** · {esc(row['time'])} · {esc(row['outcome'])}{code}")
        inspector.show(item["record"])
