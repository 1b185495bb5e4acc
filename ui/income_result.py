"""The income page's result: headline, employer, comparison table, salary band chart."""

from __future__ import annotations

import streamlit as st

from kyc.income import IncomeRequest, IncomeResult
from ui import calls, charts, inspector, tables
from ui.text import esc, field
from workflows.applicant import NOT_COMPARED_VERDICT, comparison_rows, match_summary, not_compared_rows

VERDICT_STYLE = {
    "MATCH": "color: #166534; background-color: #dcfce7; font-weight: 600",
    "NOT MATCH": "color: #991b1b; background-color: #fee2e2; font-weight: 600",
    "not sent": "color: #94a3b8; font-style: italic",
    NOT_COMPARED_VERDICT: "color: #94a3b8; font-style: italic",
}


def render(outcome: dict) -> None:
    request: IncomeRequest = outcome["request"]
    if outcome["error"] is not None:
        calls.show_error(outcome["error"])
        inspector.show(outcome["error"].record)
        return
    result: IncomeResult = outcome["result"]
    sequence = f" · Sequence ID {esc(result.sequence_id)}" if result.sequence_id else ""
    if result.result == "hit":
        st.success(f"**Hit**: TD has an employment record for this NIK{sequence}", icon=":material/check_circle:")
        employer(result)
        comparison_table(request, result)
        salary_band(result)
    elif result.result == "no_record":
        st.info(
            f"**No record**: TD has no employment data for this NIK{sequence}. Nothing to compare.", icon=":material/person_off:"
        )
    else:
        st.error(f"**Error** from TD{sequence}: {esc(result.error_text)}", icon=":material/error:")
        if result.error_message and result.error_text != result.error_message.strip():
            st.caption(f"TD's words: {esc(result.error_message)}")
    inspector.show(result.record)


def salary_band(result: IncomeResult) -> None:
    """The salary band's heading, its ruler of 18 bands, and a caption in words."""
    st.markdown("**Salary band**")
    if result.salary is None or result.salary.position is None:
        st.info(f"TD returned no readable salary band ({esc(result.salary.label if result.salary else 'none')}).")
        return
    st.altair_chart(charts.salary_chart(result.salary), width="stretch")
    note = (
        ""
        if result.salary.index
        else f" The label {esc(result.salary.label)} is not one of the 18 bands; it is drawn where its range falls."
    )
    st.caption(f"Band {esc(result.salary.label)}: {esc(result.salary.describe())}.{note}")


def employer(result: IncomeResult) -> None:
    with st.container(border=True):
        columns = st.columns([2, 3, 1])
        columns[0].markdown(field("Employer", result.company))
        columns[1].markdown(field("Company address", result.address_company))
        columns[2].markdown(field("Last salary", result.month_last_salary))


def comparison_table(request: IncomeRequest, result: IncomeResult) -> None:
    compared = comparison_rows(request, result.comparisons)
    rows = [(r["field"], r["shown"] or "—", r["verdict"]) for r in compared + not_compared_rows(request)]

    def style(column: int, row: tuple[str, str, str]) -> str:
        if column == 2:
            return VERDICT_STYLE.get(row[2], "")
        return "color: #94a3b8" if row[2] in ("not sent", NOT_COMPARED_VERDICT) else ""

    st.markdown(f"**Comparison**: {esc(match_summary(compared))}")
    st.caption("TD compares only the fields it receives; it uses name, phone number and NIK to find the record.")
    tables.show(("Field", "You sent", "Verdict"), rows, style)
