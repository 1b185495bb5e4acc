"""The income page's applicant: persona shortcuts, the form, and sending it."""

from __future__ import annotations

import streamlit as st

from kyc.catalog import Persona
from kyc.income import PROGRAMS
from ui import applicant_form, calls, state
from ui.i18n import N_, _
from ui.setup import PageContext
from ui.text import esc
from workflows.applicant import programs

PERSONA_OUTCOMES = {"all_match": N_("all fields match"), "mismatches": N_("some mismatches"), "no_record": N_("no record")}


def _apply_persona(request: dict[str, str]) -> None:
    """Callback: fill every field from a sandbox persona (runs before the widgets are drawn)."""
    values: dict[str, object] = dict(request)
    values["package"] = [code for code in programs(request.get("package")) if code in PROGRAMS]
    applicant_form.fill(values, clear=True)


def personas(ctx: PageContext) -> None:
    people: tuple[Persona, ...] = ctx.catalog.personas
    if not ctx.sandbox:
        demo_niks = {person.request.get("id_number") for person in people}
        if st.session_state.get("id_number") in demo_niks:
            st.warning(
                _("The form still holds a sandbox persona. In Live mode it would be sent to TD as a real applicant."),
                icon=":material/warning:",
            )
        return
    if not people:
        return
    st.caption(_("Fill the form with a sandbox persona:"))
    for column, person in zip(st.columns(len(people)), people):
        first_name = next(iter((person.request.get("name") or person.label).split()), person.key).title()
        outcome = _(PERSONA_OUTCOMES[person.key]) if person.key in PERSONA_OUTCOMES else person.key
        column.button(
            # The persona's name is the sandbox's, shown as text; the outcome is our own words.
            esc(_("{name}: {outcome}").format(name=first_name, outcome=outcome)),
            key=f"persona_{person.key}",
            help=esc(person.description),  # the sandbox catalog's own text (English): translated elsewhere
            icon=":material/person:",
            width="stretch",
            on_click=_apply_persona,
            args=(person.request,),
        )


def submit(ctx: PageContext) -> None:
    """Draw the form; on submit, show what blocks sending, or send and keep the outcome."""
    checked = applicant_form.form("income_form", "income_submit", as_typed_key="send_as_typed", blocked=ctx.blocked("income"))
    if checked is None:
        return
    applicant_form.show_problems(checked)
    if checked.request is None:
        state.put(state.INCOME_OUTCOME, None)
        return
    request = checked.request
    calls.run(
        _("Asking TD…"),
        lambda: ctx.income_client().verify(request),
        keep=lambda result, error: state.put(state.INCOME_OUTCOME, {"request": request, "result": result, "error": error}),
    )
