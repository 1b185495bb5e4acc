"""The income page's applicant form: persona shortcuts, the fields, checks before sending."""

from __future__ import annotations

import streamlit as st

import sandbox
from workflows.applicant import LABELS, Checked, check_applicant, programs
from kyc.income import PROGRAMS
from ui import calls, state
from ui.setup import PageContext
from ui.text import esc

SEX_LABELS = {"": "Not sent", "male": "Male", "female": "Female"}
PERSONA_OUTCOMES = {"all_match": "all fields match", "mismatches": "some mismatches", "no_record": "no record"}


def _apply_persona(request: dict[str, str]) -> None:
    """Callback: fill every field from a sandbox persona (runs before the widgets are drawn)."""
    values = {k: v for k, v in request.items() if k in state.FORM_KEYS}
    values["package"] = [code for code in programs(request.get("package")) if code in PROGRAMS]
    values.setdefault("sex", "")
    state.prefill_form(values)


def personas(ctx: PageContext) -> None:
    if not ctx.sandbox:
        demo_niks = {person["request"]["id_number"] for person in sandbox.personas()}
        if st.session_state.get("id_number") in demo_niks:
            st.warning("The form still holds a sandbox persona. In Live mode it would be sent to TD as a real "
                       "applicant.", icon=":material/warning:")
        return
    st.caption("Fill the form with a sandbox persona:")
    people = sandbox.personas()
    for column, person in zip(st.columns(len(people)), people):
        first_name = person["request"]["name"].split()[0].title()
        label = f"{first_name}: {PERSONA_OUTCOMES.get(person['key'], person['key'])}"
        column.button(label, key=f"persona_{person['key']}", help=person["description"],
                      icon=":material/person:", width="stretch", on_click=_apply_persona, args=(person["request"],))


def form() -> Checked | None:
    """Draw the form. On submit, returns the checked applicant (errors included); else None."""
    for key in state.FORM_KEYS:  # one place for the empty form, so a persona or the NPWP page can fill it
        st.session_state.setdefault(key, [] if key == "package" else "")
    with st.form("income_form", enter_to_submit=False):
        top = st.columns(3)
        top[0].text_input("Name *", key="name", persist_state="session")
        top[1].text_input("Phone number *", key="phone_number", placeholder="08…, 628… or +628…",
                          help="10 to 13 digits, starting +628, 628, 08 or 8.", persist_state="session")
        top[2].text_input("NIK *", key="id_number", placeholder="16 digits", persist_state="session")
        middle = st.columns(3)
        middle[0].selectbox("Sex", list(SEX_LABELS), key="sex", format_func=SEX_LABELS.get, persist_state="session")
        middle[1].text_input("Birth date", key="birthdate", placeholder="YYYY-MM-DD", persist_state="session")
        middle[2].text_input("Email", key="email", placeholder="name@example.com", persist_state="session")
        st.multiselect("BPJS programs", list(PROGRAMS), key="package", format_func=lambda c: f"{c} · {PROGRAMS[c]}",
                       placeholder="Not sent", persist_state="session")
        st.text_area("Home address", key="address_employee", height=68, persist_state="session")
        bottom = st.columns([3, 1])
        bottom[0].checkbox("Send as typed", key="send_as_typed",
                           help="Skip the app's checks, to see the vendor's own answer to a malformed field.")
        submitted = bottom[1].form_submit_button("Verify income", key="income_submit", type="primary",
                                                 icon=":material/send:", width="stretch")
    st.caption("\\* required. Sex, birth date, programs, email and address are optional: the API compares only what it receives.")
    if not submitted:
        return None
    values = {key: st.session_state.get(key) for key in state.FORM_KEYS}
    return check_applicant(values, as_typed=bool(st.session_state.get("send_as_typed")))


def show_problems(checked: Checked) -> None:
    if checked.errors:
        lines = "\n".join(f"- **{LABELS[name]}**: {esc(problem)}" for name, problem in checked.errors.items())
        st.error(f"Nothing was sent. Please correct:\n{lines}", icon=":material/edit_note:")
    for name, note in checked.notes.items():
        st.warning(f"**{LABELS[name]}**: {esc(note)}", icon=":material/info:")


def submit(ctx: PageContext) -> None:
    """Draw the form; on submit, show what blocks sending, or send and keep the outcome."""
    checked = form()
    if checked is None:
        return
    show_problems(checked)
    if checked.request is None:
        state.put(state.INCOME_OUTCOME, None)
        return
    request = checked.request
    result, error = calls.run("Asking TD…", lambda: ctx.income_client().verify(request))
    state.put(state.INCOME_OUTCOME, {"request": request, "result": result, "error": error})
