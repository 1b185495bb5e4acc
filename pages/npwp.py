"""NPWP OCR: upload a tax card, preview it, extract it, check the numbers."""

import streamlit as st

from ui import document, npwp_panel, page_setup

ctx = page_setup("npwp", "NPWP OCR", ":material/badge:")
st.title(":material/badge: NPWP OCR")
st.caption("Verihubs reads a tax card (JPEG, PNG or PDF, 5 MB at most) and returns the NPWP, name, NIK and address.")

doc = document.choose(ctx)
left, right = st.columns(2, gap="large")
with left:
    st.subheader("Document")
    preview = st.empty()  # the card's picture, drawn again with the field boxes when the overlay is on
    info = document.show(doc, preview=preview)
with right:
    st.subheader("Extracted fields")
    npwp_panel.render(ctx, doc, info, preview)
