"""NPWP OCR: upload a tax card, preview it, extract it, check the numbers."""

import streamlit as st

from ui import document, inspector, npwp_panel, page_setup
from ui.i18n import _

ctx = page_setup(
    "npwp",
    _("NPWP OCR"),
    ":material/badge:",
    caption=_("Verihubs reads a tax card (JPEG, PNG or PDF, 5 MB at most) and returns the NPWP, name, NIK and address."),
)

doc = document.choose(ctx)
left, right = st.columns(2, gap="large")
with left:
    st.subheader(_("Document"))
    preview = st.empty()  # the card's picture, drawn again with the field boxes when the overlay is on
    info = document.show(doc, preview=preview)
with right:
    st.subheader(_("Extracted fields"))
    record = npwp_panel.render(ctx, doc, info, preview)
inspector.show(record)  # across the full width, under both columns: JSON and cURL need the room
