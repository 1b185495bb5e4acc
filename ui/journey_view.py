"""The KYC journey: card → applicant → income → one-page summary, for the typical demo.

A step indicator sits at the top. A finished step folds into an expander whose label says
what it found (open it to change the card or the applicant), so the next step's button is
near the top of the page, not under the previous step. A call that finishes a step draws the
page again at once, folded.
"""

from __future__ import annotations

import hashlib
import html
from typing import Any

import streamlit as st

from kyc import ids
from kyc.npwp import NpwpResult
from ui import applicant_form, calls, card_overlay, document, income_result, inspector, npwp_panel, state, tables
from ui.setup import PageContext
from ui.text import esc
from workflows.applicant import LABELS
from workflows.journey import (
    COMPARISON_TITLE,
    DECISIONS,
    Line,
    Review,
    Summary,
    card_lines,
    income_lines,
    summarize,
    times_line,
)
from workflows.report import LOGO_MAX_BYTES, LogoError, load_logo, pdf_report

CARD, INCOME, REPORT = "journey_card", "journey_income", "journey_report"
DOC = "journey_doc"  # where document.choose(ctx, "journey") keeps the chosen document
PREFIX = "journey_"  # the applicant form's widget keys: journey_name, journey_phone_number, ...
REVIEWER, DECISION, NOTES, LOGO = "journey_reviewer", "journey_decision", "journey_notes", "journey_logo"
LEVEL = {
    "pass": (st.success, ":material/verified:"),
    "review": (st.warning, ":material/rule:"),
    "fail": (st.error, ":material/gpp_bad:"),
}
STEPS = ("NPWP card", "Applicant", "Income", "Summary")
APPLICANT_HELP = (
    "Name, NIK and address come from the card, sex and birth date from the NIK: add a phone number and check the rest. "
    "Sex and birth date sent as the NIK encodes them are marked derived from the NIK in the summary: TD's record "
    "derives them from the NIK too, so their MATCH is no independent evidence."
)

_FACTS_CSS = (
    "<style>"
    ".kyc-facts-wrap{overflow-x:auto}"
    ".kyc-facts{width:100%;border-collapse:collapse;font-size:0.92rem;margin:0 0 0.75rem}"
    ".kyc-facts th{text-align:left;font-weight:600;color:#475569;white-space:nowrap;padding:5px 16px 5px 0;"
    "vertical-align:top;width:1%;border-bottom:1px solid #e2e8f0}"
    ".kyc-facts td{padding:5px 0;vertical-align:top;overflow-wrap:break-word;white-space:pre-wrap;"
    "border-bottom:1px solid #e2e8f0}"
    ".kyc-facts .whole{white-space:nowrap;overflow-wrap:normal;font-variant-numeric:tabular-nums}"
    ".kyc-facts .note{display:block;font-size:0.84rem;color:#64748b;white-space:normal}"
    ".kyc-facts .pass{color:#15803d}.kyc-facts .review{color:#b45309}.kyc-facts .fail{color:#b91c1c}"
    "</style>"
)


# --- where the journey is ---------------------------------------------------------------------


def card_done(card: dict[str, Any] | None, doc: dict[str, Any] | None) -> bool:
    """The current document was read and an NPWP found in it."""
    return bool(
        card
        and doc
        and card["doc"]["digest"] == doc["digest"]
        and card["error"] is None
        and card["result"] is not None
        and card["result"].detected
    )


def income_for(card: dict[str, Any] | None) -> dict[str, Any] | None:
    """The income outcome for this card's extraction, or None."""
    income = state.get(INCOME)
    if not card or not income or card["result"] is None or income["card"] != card["result"].record.call_id:
        return None
    return income


def progress(card_is_done: bool, income_is_done: bool) -> list[tuple[str, str]]:
    """Each step with its state: "done", "current" or "next"."""
    finished = 3 if income_is_done else (1 if card_is_done else 0)
    return [
        (f"{number} · {name}", "done" if number <= finished else ("current" if number == finished + 1 else "next"))
        for number, name in enumerate(STEPS, start=1)
    ]


def indicator(card_is_done: bool, income_is_done: bool) -> None:
    """The step indicator: finished steps ticked, the current one highlighted."""
    badges = {
        "done": ":green-badge[:material/check: {}]",
        "current": ":blue-badge[:material/arrow_forward: {}]",
        "next": ":gray-badge[{}]",
    }
    st.markdown("  →  ".join(badges[status].format(label) for label, status in progress(card_is_done, income_is_done)))


def render(ctx: PageContext) -> None:
    """The whole journey, top to bottom."""
    card = state.get(CARD)
    done = card_done(card, state.get(DOC))
    income = income_for(card) if done else None
    indicator(done, income is not None)
    card = step_card(ctx, folded=done)
    if card is None:
        return
    step_applicant(ctx, card, folded=income is not None and income["error"] is None)
    step_summary(ctx, card)


# --- 1 · the card -----------------------------------------------------------------------------


def _prefill(result: Any) -> None:
    """After an extraction: name, NIK and address from the card; sex and birth date suggested from the NIK."""
    applicant_form.fill({}, PREFIX, clear=True)  # nothing of the previous applicant stays
    applicant_form.fill_from_card(result.name or "", ids.compact(result.nik or ""), result.address or "", PREFIX)
    state.put(INCOME, None)
    # A new applicant gets a new decision; the reviewer's name stays.
    st.session_state[DECISION] = None
    st.session_state[NOTES] = ""


def card_label(result: NpwpResult) -> str:
    """The folded step's label: who, the NPWP, and what the checks made of it (Markdown, escaped)."""
    npwp = ids.check_npwp(result.npwp or "")
    facts = [f"NPWP {npwp.formatted or result.npwp or '-'}", "valid" if npwp.valid else f"invalid: {npwp.problem}"]
    if ids.npwp_matches_nik(result.npwp or "", result.nik or ""):
        facts.append("NPWP equals the NIK")
    nik = ids.check_nik(result.nik or "")
    facts.append("NIK valid" if nik.valid else "NIK invalid")
    return f"**1 · The NPWP card**: {esc(result.name or 'no name read')} · {esc(', '.join(facts))}"


def step_card(ctx: PageContext, folded: bool = False) -> dict[str, Any] | None:
    card = state.get(CARD)
    if folded:
        key = f"journey_step_card_{card['result'].record.call_id}"
        box = st.expander(card_label(card["result"]), expanded=False, icon=":material/check_circle:", key=key)
    else:
        box = st.container()
    with box:
        if not folded:
            st.subheader("1 · The NPWP card")
        shown = _card_body(ctx)
    if folded and shown is None:
        st.rerun()  # another document was chosen in the folded step: open it again
    return shown


def _card_body(ctx: PageContext) -> dict[str, Any] | None:
    doc = document.choose(ctx, "journey")
    left, right = st.columns([1, 1], gap="large")
    with left:
        preview = st.empty()  # drawn again with the field boxes when the overlay is on
        info = document.show(doc, "journey", preview)
    with right:
        ready = doc is not None and info is not None
        blocked = ctx.blocked("npwp")
        if st.button(
            "Extract NPWP",
            key="journey_extract",
            type="primary",
            icon=":material/document_scanner:",
            disabled=not ready or bool(blocked),
        ):
            assert doc is not None and info is not None
            chosen = doc

            def keep(result: Any, error: Any) -> None:
                state.put(CARD, {"doc": chosen, "result": result, "error": error})
                if result is not None and result.detected:
                    _prefill(result)

            calls.run("Reading the card…", lambda: ctx.npwp_client().extract(doc["data"], info.suggested_filename), keep)
            if card_done(state.get(CARD), doc):
                st.rerun()  # fold this step and open the next
        if blocked:
            st.caption(f":material/block: {esc(blocked)}")
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


# --- 2 · the applicant, 3 · income ---------------------------------------------------------------


def applicant_label(income: dict[str, Any]) -> str:
    """The folded step's label: who was sent and what came back (Markdown, escaped)."""
    request, result = income["request"], income["result"]
    answer = {"hit": "hit", "no_record": "no record"}.get(result.result, "error") if result is not None else "failed"
    return f"**2 · Applicant, 3 · Income**: {esc(request.name)} · {esc(request.phone_number)} · income {answer}"


def step_applicant(ctx: PageContext, card: dict[str, Any], folded: bool = False) -> None:
    income = income_for(card)
    if folded and income is not None:
        record = income["result"].record if income["result"] is not None else None
        key = f"journey_step_applicant_{record.call_id if record is not None else 'sent'}"
        box = st.expander(applicant_label(income), expanded=False, icon=":material/check_circle:", key=key)
    else:
        box = st.container()
    with box:
        if not folded:
            st.subheader("2 · Review the applicant, 3 · Verify income", help=APPLICANT_HELP)
        _applicant_body(ctx, card, income)


def _applicant_body(ctx: PageContext, card: dict[str, Any], income: dict[str, Any] | None) -> None:
    checked = applicant_form.form("journey_form", "journey_verify", PREFIX, blocked=ctx.blocked("income"))
    if checked is None:
        if income is not None:  # the advice given when it was sent stays with the applicant
            for name, note in income.get("notes", {}).items():
                st.warning(f"**{esc(LABELS[name])}**: {esc(note)}", icon=":material/info:")
        return
    applicant_form.show_problems(checked)
    if checked.request is None:
        return
    request, notes = checked.request, checked.notes
    call_id = card["result"].record.call_id
    calls.run(
        "Asking TD…",
        lambda: ctx.income_client().verify(request),
        keep=lambda result, error: state.put(
            INCOME, {"card": call_id, "request": request, "result": result, "error": error, "notes": notes}
        ),
    )
    st.rerun()  # fold the step (unless the call failed) and show the summary


# --- 4 · summary and report --------------------------------------------------------------------


def facts_table(lines: list[Line]) -> str:
    """Labelled facts as escaped HTML: labels never wrap, IDs and numbers are never broken."""
    rows = []
    for line in lines:
        value = html.escape(line.value if line.value not in (None, "") else "—")
        cell = f'<span class="whole">{value}</span>' if line.whole else value
        if line.note:
            cell += f'<span class="note {html.escape(line.tone)}">{html.escape(line.note)}</span>'
        rows.append(f"<tr><th>{html.escape(line.label)}</th><td>{cell}</td></tr>")
    return f'{_FACTS_CSS}<div class="kyc-facts-wrap"><table class="kyc-facts"><tbody>{"".join(rows)}</tbody></table></div>'


def _comparisons(comparisons: list[dict[str, str]]) -> None:
    """The fields sent and TD's verdicts, each field derived from the NIK marked as such."""
    rows = [(r["field"], r.get("shown") or r["submitted"] or "—", r["verdict"], r.get("note", "")) for r in comparisons]
    if not rows:
        return

    def style(column: int, row: tuple[str, str, str, str]) -> str:
        if column == 2:
            return income_result.VERDICT_STYLE.get(row[2], "") + "; white-space: nowrap"
        if column == 0:
            return "white-space: nowrap" + ("; color: #94a3b8" if row[2] == "not sent" else "")
        if column == 3:
            return "color: #64748b; white-space: nowrap"
        return "color: #94a3b8" if row[2] == "not sent" else ""

    title, _, rest = COMPARISON_TITLE.partition(" ")
    st.markdown(f"**{title}** {rest}")
    tables.show(("Field", "You sent", "Verdict", "Note"), rows, style)


def review_inputs() -> Review:
    """The reviewer's block: who reviewed, the decision and notes, for the report and the JSON."""
    left, right = st.columns(2)
    reviewer = left.text_input("Reviewer", key=REVIEWER, placeholder="Your name", max_chars=120, persist_state="session")
    decision = right.selectbox(
        "Decision",
        list(DECISIONS),
        index=None,
        key=DECISION,
        format_func=DECISIONS.get,
        placeholder="Not decided yet",
        persist_state="session",
    )
    notes = st.text_area(
        "Notes",
        key=NOTES,
        height=90,
        max_chars=1500,
        placeholder="What you checked, what is missing, what happens next",
        persist_state="session",
    )
    return Review(reviewer or "", decision, notes or "")


def logo_input() -> tuple[Any, str]:
    """The optional logo upload: a checked small picture and its digest, or (None, "") (a bad file is said, not raised)."""
    upload = st.file_uploader(
        "Your prospect's logo on the report (optional)",
        type=["png", "jpg", "jpeg"],
        key=LOGO,
        max_upload_size=LOGO_MAX_BYTES // 1024 // 1024,
        help=f"PNG or JPEG, {LOGO_MAX_BYTES // 1024 // 1024} MB at most. Drawn top right on the PDF, for the demo.",
    )
    if upload is None:
        return None, ""
    data = upload.getvalue()
    try:
        logo = load_logo(data)
    except LogoError as error:
        st.error(f"**The logo is left off the report.** {esc(error.message)}", icon=":material/broken_image:")
        return None, ""
    st.image(logo, caption=esc(f"{upload.name}: on the report, top right"), width=160)
    return logo, hashlib.sha256(data).hexdigest()


def report(summary: Summary, review: Review, picture: bytes | None, logo: Any, logo_digest: str, card_digest: str) -> bytes:
    """The PDF, drawn again only when something on it changed (a rerun costs a lookup, not a rendering).

    Its "Generated" time is when it was drawn.
    """
    key = hashlib.sha256(b"\0".join([summary.to_json(review), card_digest.encode(), logo_digest.encode()])).hexdigest()
    kept = state.get(REPORT)
    if not kept or kept["key"] != key:
        kept = {"key": key, "pdf": pdf_report(summary, picture, review=review, logo=logo)}
        state.put(REPORT, kept)
    return kept["pdf"]


def step_summary(ctx: PageContext, card: dict[str, Any]) -> None:
    income = income_for(card)
    if income is None:
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
    st.caption(" · ".join(esc(part) for part in (f"Report {summary.report_id}", times_line(summary), summary.mode) if part))

    picture = document.preview_jpeg(card["doc"])
    left, right = st.columns([1, 2], gap="large")
    with left:
        if picture:
            st.image(picture, caption=esc(card["doc"]["name"]), width="stretch")
    with right:
        st.markdown("**The card**")
        st.html(facts_table(card_lines(summary)))

    st.markdown("**Income verification**")
    if income["error"] is not None:
        calls.show_error(income["error"])
    st.html(facts_table(income_lines(summary)))
    if summary.income is not None:
        _comparisons(summary.income.comparisons)
    result = income["result"]
    if result is not None and income["error"] is None and result.result == "hit":
        income_result.salary_band(result)
    record = income["error"].record if income["error"] is not None else result.record
    inspector.show(record)

    st.markdown("**Reviewer's decision** (goes on the report)")
    review = review_inputs()
    logo, logo_digest = logo_input()
    downloads = st.columns(4)
    downloads[0].download_button(
        "Summary (JSON)",
        summary.to_json(review),
        "kyc-journey.json",
        "application/json",
        key="journey_json",
        icon=":material/download:",
        width="stretch",
    )
    downloads[1].download_button(
        "Report (PDF)",
        report(summary, review, picture, logo, logo_digest, card["doc"]["digest"]),
        "kyc-journey.pdf",
        "application/pdf",
        key="journey_pdf",
        icon=":material/picture_as_pdf:",
        width="stretch",
    )
