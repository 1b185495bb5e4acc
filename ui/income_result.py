"""The income page's result: headline, employer, comparison table, salary band chart."""

from __future__ import annotations

import streamlit as st

from kyc.income import IncomeRequest, IncomeResult
from ui import calls, charts, i18n, inspector, tables
from ui.i18n import _, tr
from ui.text import esc, field
from workflows.applicant import (
    NOT_COMPARED_VERDICT,
    NOT_SENT,
    comparison_rows,
    match_summary,
    not_compared_rows,
    verdict_text,
)

# Keyed by the verdict's value (TD's word or our code), never by the words shown.
VERDICT_STYLE = {
    "MATCH": "color: #166534; background-color: #dcfce7; font-weight: 600",
    "NOT MATCH": "color: #991b1b; background-color: #fee2e2; font-weight: 600",
    NOT_SENT: "color: #94a3b8; font-style: italic",
    NOT_COMPARED_VERDICT: "color: #94a3b8; font-style: italic",
}


def render(outcome: dict) -> None:
    request: IncomeRequest = outcome["request"]
    if outcome["error"] is not None:
        calls.show_error(outcome["error"])
        inspector.show(outcome["error"].record)
        return
    result: IncomeResult = outcome["result"]
    sequence = (" · " + _("Sequence ID {id}").format(id=esc(result.sequence_id))) if result.sequence_id else ""
    if result.result == "hit":
        st.success(
            _("**Hit**: TD has an employment record for this NIK{sequence}").format(sequence=sequence),
            icon=":material/check_circle:",
        )
        employer(result)
        comparison_table(request, result)
        salary_band(result)
    elif result.result == "no_record":
        st.info(
            _("**No record**: TD has no employment data for this NIK{sequence}. Nothing to compare.").format(sequence=sequence),
            icon=":material/person_off:",
        )
    else:
        # Our words in the reader's language; TD's own words beside them, as TD wrote them.
        st.error(
            _("**Error** from TD{sequence}: {message}").format(
                sequence=sequence, message=esc(result.error_text_in(i18n.current()))
            ),
            icon=":material/error:",
        )
        if result.error_is_known:
            st.caption(_("TD's words: {words}").format(words=esc(result.error_message)))
    inspector.show(result.record)


def salary_band(result: IncomeResult) -> None:
    """The salary band's heading, its ruler of 18 bands, and a caption in words."""
    words = tr()
    st.markdown("**" + _("Salary band") + "**")
    if result.salary is None or result.salary.position is None:
        st.info(
            _("TD returned no readable salary band ({label}).").format(
                label=esc(result.salary.label) if result.salary else _("none")
            )
        )
        return
    st.altair_chart(charts.salary_chart(result.salary, words), width="stretch")
    note = (
        ""
        if result.salary.index
        else " "
        + _("The label {label} is not one of the 18 bands; it is drawn where its range falls.").format(
            label=esc(result.salary.label)
        )
    )
    st.caption(
        _("Band {label}: {range}.").format(label=esc(result.salary.label), range=esc(result.salary.describe(words.lang))) + note
    )


def employer(result: IncomeResult) -> None:
    with st.container(border=True):
        columns = st.columns([2, 3, 1])
        columns[0].markdown(field(_("Employer"), result.company))
        columns[1].markdown(field(_("Company address"), result.address_company))
        columns[2].markdown(field(_("Last salary"), result.month_last_salary))


def comparison_table(request: IncomeRequest, result: IncomeResult) -> None:
    words = tr()
    compared = comparison_rows(request, result.comparisons, words)
    every = compared + not_compared_rows(request, words)
    rows = [(r["field"], r["shown"] or "—", verdict_text(r["verdict"], words)) for r in every]
    # The table shows verdicts in words; the style goes by their values (TD's word or our code).
    values = {verdict_text(r["verdict"], words): r["verdict"] for r in every}

    def style(column: int, row: tuple[str, str, str]) -> str:
        verdict = values.get(row[2], row[2])
        if column == 2:
            return VERDICT_STYLE.get(verdict, "")
        return "color: #94a3b8" if verdict in (NOT_SENT, NOT_COMPARED_VERDICT) else ""

    st.markdown("**" + _("Comparison") + "**: " + esc(match_summary(compared, words)))
    st.caption(_("TD compares only the fields it receives; it uses name, phone number and NIK to find the record."))
    tables.show((_("Field"), _("You sent"), _("Verdict")), rows, style)
