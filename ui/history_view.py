"""The history page's table, filter, downloads and clear button."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from ui import inspector, state
from ui.setup import PageContext
from ui.text import esc
from workflows import history


def _secrets(ctx: PageContext) -> list[str]:
    """The keys this session could have typed, so an export can mask them even inside a form value."""
    return [ctx.settings.verihubs_api_key.reveal(), ctx.settings.income_partner_key.reveal()]


def _clear() -> None:
    st.session_state[state.HISTORY] = []


def render(ctx: PageContext) -> None:
    entries = state.get(state.HISTORY, [])
    if not entries:
        st.info(
            "No calls yet in this session. Extract a card or verify an applicant, and each call shows up here.",
            icon=":material/hourglass_empty:",
        )
        return
    apis = sorted({item["api"] for item in entries})
    left, middle = st.columns([2, 2])
    chosen = left.multiselect("API", apis, default=apis, key="history_api")
    text = middle.text_input("Outcome or code contains", key="history_filter", placeholder="e.g. hit, 9061, OCR_")
    shown = [item for item in entries if history.matches(item, chosen, text)]
    st.dataframe(
        pd.DataFrame(history.table(shown), columns=history.COLUMNS),
        hide_index=True,
        width="stretch",
        height="content" if len(shown) <= 15 else 560,
        column_config={
            "time": "time (UTC)",
            "ms": st.column_config.NumberColumn("ms", format="%d"),
            "http_status": "HTTP",
            "call_id": "call",
        },
    )
    st.caption(f"{len(shown)} of {len(entries)} calls shown.")

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M")
    buttons = st.columns(4)
    buttons[0].download_button(
        "Download CSV",
        history.to_csv(shown, _secrets(ctx)),
        f"kyc-history-{stamp}.csv",
        "text/csv",
        key="history_csv",
        icon=":material/download:",
        width="stretch",
    )
    buttons[1].download_button(
        "Download JSON",
        history.to_json(shown, _secrets(ctx)),
        f"kyc-history-{stamp}.json",
        "application/json",
        key="history_json",
        icon=":material/download:",
        width="stretch",
    )
    buttons[2].button("Clear history", key="history_clear", icon=":material/delete:", on_click=_clear, width="stretch")

    if not shown:
        return
    st.subheader("Details", help="The 20 newest calls that pass the filter.")
    for item in reversed(shown[-20:]):
        st.markdown(f"**{esc(item['api'])}** · {esc(item['time'])} · {esc(item['outcome'])}")
        inspector.show(item["record"])
