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
from ui.i18n import N_, _, tr
from ui.setup import PageContext
from ui.text import esc
from workflows.applicant import LABELS
from workflows.i18n import Translator
from workflows.journey import (
    COMPARISON_HEADINGS,
    COMPARISON_TITLE,
    DECISIONS,
    Line,
    Review,
    Summary,
    card_lines,
    income_lines,
    problem_shown,
    summarize,
    times_line,
    verdict_shown,
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
STEPS = (N_("NPWP card"), N_("Applicant"), N_("Income"), N_("Summary"))
APPLICANT_HELP = N_(
    "Name, NIK and address come from the card, sex and birth date from the NIK: add a phone number and check the rest. "
    "Sex and birth date sent as the NIK encodes them are marked derived from the NIK in the summary: TD's record "
    "derives them from the NIK too, so their MATCH is no independent evidence."
)
# The income outcome in the folded step's label.
ANSWERS = {"hit": N_("hit"), "no_record": N_("no record"), "error": N_("error"), "failed": N_("failed")}

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
        (f"{number} · {_(name)}", "done" if number <= finished else ("current" if number == finished + 1 else "next"))
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
    problem = problem_shown(npwp.problem, tr())
    facts = [
        f"NPWP {npwp.formatted or result.npwp or '-'}",
        _("valid") if npwp.valid else _("invalid: {problem}").format(problem=problem),
    ]
    if ids.npwp_matches_nik(result.npwp or "", result.nik or ""):
        facts.append(_("NPWP equals the NIK"))
    nik = ids.check_nik(result.nik or "")
    facts.append(_("NIK valid") if nik.valid else _("NIK invalid"))
    return _("**1 · The NPWP card**: {name} · {facts}").format(
        name=esc(result.name or _("no name read")), facts=esc(", ".join(facts))
    )


def step_card(ctx: PageContext, folded: bool = False) -> dict[str, Any] | None:
    card = state.get(CARD)
    if folded:
        key = f"journey_step_card_{card['result'].record.call_id}"
        box = st.expander(card_label(card["result"]), expanded=False, icon=":material/check_circle:", key=key)
    else:
        box = st.container()
    with box:
        if not folded:
            st.subheader(_("1 · The NPWP card"))
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
            _("Extract NPWP"),
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

            calls.run(_("Reading the card…"), lambda: ctx.npwp_client().extract(doc["data"], info.suggested_filename), keep)
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
            st.info(
                _("**No NPWP detected** in this document. Try a sharper photo of the whole card."), icon=":material/search_off:"
            )
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
    answer = (result.result if result.result in ("hit", "no_record") else "error") if result is not None else "failed"
    return _("**2 · Applicant, 3 · Income**: {name} · {phone} · income {answer}").format(
        name=esc(request.name), phone=esc(request.phone_number), answer=_(ANSWERS[answer])
    )


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
            st.subheader(_("2 · Review the applicant, 3 · Verify income"), help=_(APPLICANT_HELP))
        _applicant_body(ctx, card, income)


def _applicant_body(ctx: PageContext, card: dict[str, Any], income: dict[str, Any] | None) -> None:
    checked = applicant_form.form("journey_form", "journey_verify", PREFIX, blocked=ctx.blocked("income"))
    if checked is None:
        if income is not None:  # the advice given when it was sent stays with the applicant
            for name, note in income.get("notes", {}).items():
                st.warning(f"**{esc(_(LABELS[name]))}**: {esc(note)}", icon=":material/info:")
        return
    applicant_form.show_problems(checked)
    if checked.request is None:
        return
    request, notes = checked.request, checked.notes
    call_id = card["result"].record.call_id
    calls.run(
        _("Asking TD…"),
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


def _comparisons(comparisons: list[dict[str, str]], words: Translator | None = None) -> None:
    """The fields sent and TD's verdicts, each field derived from the NIK marked as such."""
    words = words or tr()
    raw = {verdict_shown(r["verdict"], words): r["verdict"] for r in comparisons}  # the shown verdict's own value
    rows = [
        (r["field"], r.get("shown") or r["submitted"] or "—", verdict_shown(r["verdict"], words), r.get("note", ""))
        for r in comparisons
    ]
    if not rows:
        return

    def style(column: int, row: tuple[str, str, str, str]) -> str:
        verdict = raw.get(row[2], row[2])
        if column == 2:
            return income_result.VERDICT_STYLE.get(verdict, "") + "; white-space: nowrap"
        if column == 0:
            return "white-space: nowrap" + ("; color: #94a3b8" if verdict == "not sent" else "")
        if column == 3:
            return "color: #64748b; white-space: nowrap"
        return "color: #94a3b8" if verdict == "not sent" else ""

    title, _space, rest = words.gettext(COMPARISON_TITLE).partition(" ")
    st.markdown(f"**{title}** {rest}")
    tables.show(tuple(words.gettext(heading) for heading in COMPARISON_HEADINGS), rows, style)


def review_inputs() -> Review:
    """The reviewer's block: who reviewed, the decision and notes, for the report and the JSON."""
    words = tr()
    left, right = st.columns(2)
    reviewer = left.text_input(_("Reviewer"), key=REVIEWER, placeholder=_("Your name"), max_chars=120, persist_state="session")
    decision = right.selectbox(
        _("Decision"),
        list(DECISIONS),
        index=None,
        key=DECISION,
        format_func=lambda key: words.gettext(DECISIONS[key]),
        placeholder=_("Not decided yet"),
        persist_state="session",
    )
    notes = st.text_area(
        _("Notes"),
        key=NOTES,
        height=90,
        max_chars=1500,
        placeholder=_("What you checked, what is missing, what happens next"),
        persist_state="session",
    )
    return Review(reviewer or "", decision, notes or "")


def logo_input() -> tuple[Any, str]:
    """The optional logo upload: a checked small picture and its digest, or (None, "") (a bad file is said, not raised)."""
    upload = st.file_uploader(
        _("Your prospect's logo on the report (optional)"),
        type=["png", "jpg", "jpeg"],
        key=LOGO,
        max_upload_size=LOGO_MAX_BYTES // 1024 // 1024,
        help=_("PNG or JPEG, {limit} MB at most. Drawn top right on the PDF, for the demo.").format(
            limit=LOGO_MAX_BYTES // 1024 // 1024
        ),
    )
    if upload is None:
        return None, ""
    data = upload.getvalue()
    try:
        logo = load_logo(data, tr())
    except LogoError as error:
        st.error(
            _("**The logo is left off the report.** {reason}").format(reason=esc(error.message)),
            icon=":material/broken_image:",
        )
        return None, ""
    st.image(logo, caption=esc(_("{name}: on the report, top right").format(name=upload.name)), width=160)
    return logo, hashlib.sha256(data).hexdigest()


def report(summary: Summary, review: Review, picture: bytes | None, logo: Any, logo_digest: str, card_digest: str) -> bytes:
    """The PDF, drawn again only when something on it changed (a rerun costs a lookup, not a rendering).

    Its "Generated" time is when it was drawn.
    """
    key = hashlib.sha256(b"\0".join([summary.to_json(review), card_digest.encode(), logo_digest.encode()])).hexdigest()
    kept = state.get(REPORT)
    if not kept or kept["key"] != key:
        kept = {"key": key, "pdf": pdf_report(summary, picture, review=review, logo=logo, words=summary.words)}
        state.put(REPORT, kept)
    return kept["pdf"]


def step_summary(ctx: PageContext, card: dict[str, Any]) -> None:
    income = income_for(card)
    if income is None:
        return
    st.divider()
    st.subheader(_("4 · Summary"))
    words = tr()
    summary = summarize(
        card["doc"]["name"],
        card["result"],
        income["request"],
        income["result"],
        income["error"],
        sandbox=ctx.sandbox,
        words=words,
    )
    show, icon = LEVEL.get(summary.verdict.level, LEVEL["review"])
    show(
        "**" + esc(summary.verdict.headline) + "**  \n" + "  \n".join(f"· {esc(f)}" for f in summary.verdict.findings), icon=icon
    )
    report_line = _("Report {report}").format(report=summary.report_id)
    st.caption(" · ".join(esc(part) for part in (report_line, times_line(summary, words), summary.mode) if part))

    picture = document.preview_jpeg(card["doc"])
    left, right = st.columns([1, 2], gap="large")
    with left:
        if picture:
            st.image(picture, caption=esc(card["doc"]["name"]), width="stretch")
    with right:
        st.markdown("**" + _("The card") + "**")
        st.html(facts_table(card_lines(summary, words)))

    st.markdown("**" + _("Income verification") + "**")
    if income["error"] is not None:
        calls.show_error(income["error"])
    st.html(facts_table(income_lines(summary, words)))
    if summary.income is not None:
        _comparisons(summary.income.comparisons, words)
    result = income["result"]
    if result is not None and income["error"] is None and result.result == "hit":
        income_result.salary_band(result)
    record = income["error"].record if income["error"] is not None else result.record
    inspector.show(record)

    st.markdown(_("**Reviewer's decision** (goes on the report)"))
    review = review_inputs()
    logo, logo_digest = logo_input()
    downloads = st.columns(4)
    downloads[0].download_button(
        _("Summary (JSON)"),
        summary.to_json(review),
        "kyc-journey.json",
        "application/json",
        key="journey_json",
        icon=":material/download:",
        width="stretch",
    )
    downloads[1].download_button(
        _("Report (PDF)"),
        report(summary, review, picture, logo, logo_digest, card["doc"]["digest"]),
        "kyc-journey.pdf",
        "application/pdf",
        key="journey_pdf",
        icon=":material/picture_as_pdf:",
        width="stretch",
    )
