"""The KYC journey: card → applicant → income → one-page summary, for the typical demo."""

from __future__ import annotations

from typing import Any

import streamlit as st

from kyc import ids
from ui import applicant_form, calls, card_overlay, charts, document, income_result, inspector, npwp_panel, state
from ui.setup import PageContext
from ui.text import esc
from workflows.applicant import suggestions_from_nik
from workflows.journey import summarize
from workflows.report import pdf_report

CARD, INCOME = "journey_card", "journey_income"
PREFIX = "journey_"  # the applicant form's widget keys: journey_name, journey_phone_number, ...
LEVEL = {
    "pass": (st.success, ":material/verified:"),
    "review": (st.warning, ":material/rule:"),
    "fail": (st.error, ":material/gpp_bad:"),
}


def _prefill(result: Any) -> None:
    """After an extraction: name, NIK and address from the card; sex and birth date suggested from the NIK."""
    nik = ids.compact(result.nik or "")
    values = {"name": result.name or "", "id_number": nik, "address_employee": result.address or "", **suggestions_from_nik(nik)}
    applicant_form.fill(values, PREFIX, clear=True)
    state.put(INCOME, None)


def step_card(ctx: PageContext) -> dict[str, Any] | None:
    st.subheader("1 · The NPWP card")
    doc = document.choose(ctx, "journey")
    left, right = st.columns([1, 1], gap="large")
    with left:
        preview = st.empty()  # drawn again with the field boxes when the overlay is on
        info = document.show(doc, "journey", preview)
    with right:
        ready = doc is not None and info is not None
        if st.button(
            "Extract NPWP", key="journey_extract", type="primary", icon=":material/document_scanner:", disabled=not ready
        ):
            assert doc is not None and info is not None
            chosen = doc

            def keep(result: Any, error: Any) -> None:
                state.put(CARD, {"doc": chosen, "result": result, "error": error})
                if result is not None and result.detected:
                    _prefill(result)

            calls.run("Reading the card…", lambda: ctx.npwp_client().extract(doc["data"], info.suggested_filename), keep)
        overlay_on = card_overlay.toggle("journey_overlay")
        card = state.get(CARD)
        if not card or doc is None or card["doc"]["digest"] != doc["digest"]:
            return None
        if card["error"] is not None:
            calls.show_error(card["error"])
            return None
        if not card["result"].detected:
            st.info("**No NPWP detected** in this document. Try a sharper photo of the whole card.", icon=":material/search_off:")
            return None
        overlay = None
        if overlay_on:
            overlay = card_overlay.show(doc, info, preview, card["result"].fields(), ctx.sandbox)
        npwp_panel.show_fields(card["result"], overlay)
        inspector.show(card["result"].record)
        return card


def step_applicant(ctx: PageContext, card: dict[str, Any]) -> None:
    st.subheader("2 · Review the applicant, 3 · Verify income")
    st.caption("Name, NIK and address come from the card; sex and birth date are suggested from the NIK. Add a phone number.")
    checked = applicant_form.form("journey_form", "journey_verify", PREFIX)
    if checked is None:
        return
    applicant_form.show_problems(checked)
    if checked.request is None:
        return
    request = checked.request
    call_id = card["result"].record.call_id
    calls.run(
        "Asking TD…",
        lambda: ctx.income_client().verify(request),
        keep=lambda result, error: state.put(INCOME, {"card": call_id, "request": request, "result": result, "error": error}),
    )


def step_summary(ctx: PageContext, card: dict[str, Any]) -> None:
    income = state.get(INCOME)
    if not income or income["card"] != card["result"].record.call_id:
        return
    st.divider()
    st.subheader("4 · Summary")
    summary = summarize(
        card["doc"]["name"], card["result"], income["request"], income["result"], income["error"], sandbox=ctx.sandbox
    )
    show, icon = LEVEL.get(summary.verdict.level, LEVEL["review"])
    show(
        "**" + esc(summary.verdict.headline) + "**  \n" + "  \n".join(f"· {esc(f)}" for f in summary.verdict.findings), icon=icon
    )
    left, right = st.columns([1, 2], gap="large")
    with left:
        picture = document.preview_jpeg(card["doc"])
        if picture:
            st.image(picture, caption=esc(card["doc"]["name"]), width="stretch")
        npwp_panel.show_fields(card["result"])
    with right:
        if income["error"] is not None:
            calls.show_error(income["error"])
        elif income["result"].result == "hit":
            income_result.employer(income["result"])
            income_result.comparison_table(income["request"], income["result"])
            if income["result"].salary is not None and income["result"].salary.position:
                st.altair_chart(charts.salary_chart(income["result"].salary), width="stretch")
        else:
            income_result.render({"request": income["request"], "result": income["result"], "error": None})
    thumbnail = document.preview_jpeg(card["doc"])
    downloads = st.columns(4)
    downloads[0].download_button(
        "Summary (JSON)",
        summary.to_json(),
        "kyc-journey.json",
        "application/json",
        key="journey_json",
        icon=":material/download:",
        width="stretch",
    )
    downloads[1].download_button(
        "Report (PDF)",
        pdf_report(summary, thumbnail),
        "kyc-journey.pdf",
        "application/pdf",
        key="journey_pdf",
        icon=":material/picture_as_pdf:",
        width="stretch",
    )
