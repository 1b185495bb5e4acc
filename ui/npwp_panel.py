"""The NPWP page's right column: send the document, then show the fields with validation badges."""

from __future__ import annotations

from typing import Any

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from kyc import ids
from kyc.documents import DocumentInfo
from kyc.http import CallRecord
from kyc.i18n import gettext_for
from kyc.npwp import NpwpResult
from ui import applicant_form, calls, card_overlay, document, state
from ui.i18n import N_, _, current, tr
from ui.setup import PageContext
from ui.text import esc, field

#: The NIK's sex (the income API's value) in words, as the journey says it after the birth date.
SEX = {"male": N_("male"), "female": N_("female")}


def render(
    ctx: PageContext, doc: dict[str, Any] | None, info: DocumentInfo | None, preview: DeltaGenerator | None = None
) -> CallRecord | None:
    """The extract button, the overlay toggle and the outcome; returns the call's record, for the
    page to show its "Request & response" across the full width.

    ``preview`` is where document.show drew the card; the overlay draws it again there with the boxes.
    """
    ready = doc is not None and info is not None
    blocked = ctx.blocked("npwp")
    clicked = st.button(
        _("Extract NPWP"),
        key="npwp_submit",
        type="primary",
        icon=":material/document_scanner:",
        disabled=not ready or bool(blocked),
        help=None if ready else _("Choose a document that can be sent first."),
    )
    if blocked:
        st.caption(f":material/block: {esc(blocked)}")
    elif ready:
        assert info is not None
        # What goes out, by name, type and size: after a shrink it is not the file the uploader lists.
        st.caption(
            _("Sends **{name}**, {kind}, {size}.").format(
                name=esc(info.suggested_filename), kind=info.kind.upper(), size=document.size_label(info.size_bytes)
            )
        )
    if clicked and ready and not blocked:
        assert doc is not None and info is not None
        # The name's extension is made to match the content: the vendor refuses a mismatch.
        digest = doc["digest"]
        calls.run(
            _("Reading the card…"),
            lambda: ctx.npwp_client().extract(doc["data"], info.suggested_filename),
            keep=lambda result, error: state.put(state.NPWP_OUTCOME, {"doc": digest, "result": result, "error": error}),
        )
    overlay_on = card_overlay.toggle("npwp_overlay")
    outcome = state.get(state.NPWP_OUTCOME)
    if not outcome or doc is None or outcome["doc"] != doc["digest"]:
        return None
    if outcome["error"] is not None:
        calls.show_error(outcome["error"])
        return outcome["error"].record
    result: NpwpResult = outcome["result"]
    if not result.detected:
        st.info(
            _(
                "**No NPWP detected.** The document was read, but no NPWP card was found in it. "
                "Try a sharper, well-lit photo of the whole card."
            ),
            icon=":material/search_off:",
        )
    else:
        assert doc is not None
        overlay = card_overlay.show(doc, info, preview, result.fields(), ctx.sandbox) if overlay_on else None
        show_fields(result, overlay)
        st.button(
            _("Use these details for income verification"),
            key="npwp_to_income",
            icon=":material/arrow_forward:",
            on_click=carry,
            args=(result,),
        )
        if state.get("npwp_carried") == result.record.call_id:
            carried = _("Name, NIK and address are in the income form.")
            if state.get("npwp_carried_from_nik"):
                carried += " " + _("Sex and birth date are suggested from the NIK.")
            st.success(carried, icon=":material/check:")
            st.page_link("pages/income.py", label=_("Go to income verification"), icon=":material/payments:")
    return result.record


def carry(result: NpwpResult) -> None:
    """Callback: put the card's name, NIK and address into the income form, with sex and birth
    date suggested from the NIK (marked "from the NIK" there), as the journey does."""
    suggested = applicant_form.fill_from_card(result.name or "", ids.compact(result.nik or ""), result.address or "")
    state.put("npwp_carried", result.record.call_id)
    state.put("npwp_carried_from_nik", bool(suggested))


def _badge(ok: bool | None, text: str) -> None:
    if ok is None:
        st.badge(text, icon=":material/info:", color="gray")
    else:
        st.badge(text, icon=":material/check_circle:" if ok else ":material/cancel:", color="green" if ok else "red")


def show_fields(result: NpwpResult, overlay: card_overlay.Overlay | None = None) -> None:
    """The extracted values, each with what kyc.ids makes of it (and the local reading's notes, with an overlay)."""
    lang, words = current(), tr()
    kyc_words = gettext_for(lang)  # kyc's catalog: the checks' problems and the NPWP forms' names
    npwp = ids.check_npwp(result.npwp or "")
    nik = ids.check_nik(result.nik or "")
    with st.container(border=True):
        st.markdown(field("NPWP", npwp.formatted or result.npwp))
        card_overlay.notes(overlay, "npwp")
        if result.npwp:
            invalid = _("Invalid: {problem}").format(problem=npwp.problem_in(lang))
            _badge(npwp.valid, _("Format and check digit valid") if npwp.valid else invalid)
            _badge(None, kyc_words(npwp.form) if npwp.form else _("Unknown form"))
            agree = ids.npwp_matches_nik(result.npwp, result.nik or "")
            if agree is not None:
                _badge(agree, _("NPWP equals the NIK") if agree else _("NPWP is a NIK but not this card's NIK"))
        st.markdown(field(_("Name"), result.name))
        card_overlay.notes(overlay, "name")
        st.markdown(field("NIK", nik.number or result.nik))
        card_overlay.notes(overlay, "nik")
        if result.nik:
            _badge(nik.valid, _("Valid NIK") if nik.valid else _("Invalid: {problem}").format(problem=nik.problem_in(lang)))
            decoded = [
                _("born {date}").format(date=words.date(nik.birth_date)) if nik.birth_date else None,
                _(SEX[nik.sex]) if nik.sex in SEX else nik.sex,
                (nik.regency or "").title() or None,  # place names, as the register writes them
                nik.province,
            ]
            if any(decoded):
                st.caption(_("Decoded from the NIK: {parts}").format(parts=esc(", ".join(part for part in decoded if part))))
        st.markdown(field(_("Address"), result.address))
        card_overlay.notes(overlay, "address")
        st.markdown(field(_("Extraction ID"), result.id))
        st.markdown(field(_("Reference ID"), result.reference_id))
