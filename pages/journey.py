"""KYC journey: one applicant end to end, from the NPWP card to a one-page summary and report."""

import streamlit as st

from ui import journey_view, page_setup

ctx = page_setup("journey", "KYC journey", ":material/route:")
st.title(":material/route: KYC journey")
st.caption(
    "Onboarding one applicant end to end: read the NPWP card, review the details, verify income, "
    "and download the summary as JSON or a PDF report."
)
card = journey_view.step_card(ctx)
if card is not None:
    journey_view.step_applicant(ctx, card)
    journey_view.step_summary(ctx, card)
