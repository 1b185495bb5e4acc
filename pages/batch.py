"""Batch: run a list of applicants, or a stack of NPWP cards, with progress, counts and Stop."""

import streamlit as st

from ui import batch_view, page_setup
from ui.i18n import _

ctx = page_setup(
    "batch",
    _("Batch"),
    ":material/table_view:",
    caption=_(
        "Check a whole list before anything is sent, run it with bounded concurrency and a rate cap, "
        "stop at any time, and download the results."
    ),
)
income_tab, npwp_tab = st.tabs([_("Income verification"), _("NPWP OCR")])
with income_tab:
    batch_view.income(ctx)
with npwp_tab:
    batch_view.npwp(ctx)
