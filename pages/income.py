"""Income verification: fill in an applicant, check it, send it, compare the answer."""

import streamlit as st

from ui import calls, income_form, income_result, page_setup, state

ctx = page_setup("income", "Income verification", ":material/payments:")
st.title(":material/payments: Income verification")
st.caption("TD checks an applicant against BPJS Ketenagakerjaan employment data: employer, last salary month, "
           "a salary band out of 18, and MATCH or NOT MATCH for each field you send.")

income_form.personas(ctx)
checked = income_form.form()
if checked is not None:
    income_form.show_problems(checked)
    if checked.request is not None:
        result, error = calls.run("Asking TD…", lambda: ctx.income_client().verify(checked.request))
        state.put(state.INCOME_OUTCOME, {"request": checked.request, "result": result, "error": error})
    else:
        state.put(state.INCOME_OUTCOME, None)

outcome = state.get(state.INCOME_OUTCOME)
if outcome:
    st.divider()
    income_result.render(outcome)
