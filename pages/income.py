"""Income verification: fill in an applicant, check it, send it, compare the answer."""

import streamlit as st

from ui import income_form, income_result, page_setup, state
from ui.i18n import _

ctx = page_setup(
    "income",
    _("Income verification"),
    ":material/payments:",
    caption=_(
        "TD checks an applicant against BPJS Ketenagakerjaan employment data: employer, last salary month, "
        "a salary band out of 18, and MATCH or NOT MATCH for each field you send."
    ),
)

income_form.personas(ctx)
income_form.submit(ctx)
outcome = state.get(state.INCOME_OUTCOME)
if outcome:
    st.divider()
    income_result.render(outcome)
