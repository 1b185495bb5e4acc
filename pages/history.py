"""Call history: this session's calls, filterable, downloadable (redacted), clearable."""

import streamlit as st

from ui import history_view, page_setup

ctx = page_setup("history", "Call history", ":material/history:")
st.title(":material/history: Call history")
st.caption("Every call this browser session made, newest first. Exports are redacted: no API-Key or partner_key.")
history_view.render(ctx)
