"""The NPWP page's left column: choosing a document, previewing it, and saying what it is.

Sizes are in decimal units (1 MB = 1,000,000 bytes), the ones the file uploader shows, and with
the same rounding (:func:`kyc.documents.format_size`), so that one file has one size on screen.
Where a size is held against the 5 MB limit, the exact bytes are given too.
"""

from __future__ import annotations

import hashlib
import io
from typing import Any

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from kyc import documents
from kyc.documents import DocumentError, DocumentInfo
from kyc.errors import KycError
from ui import backend, state
from ui.i18n import N_, _, tr
from ui.setup import PageContext
from ui.text import esc
from workflows.i18n import LANGUAGES, Translator

NBSP = "\u00a0"
#: The uploader's help: what is accepted, and in which unit its sizes are.
UPLOAD_HELP = N_(
    "A photo or scan of the tax card: JPEG, PNG or PDF, 5 MB at most. Sizes here are in decimal "
    "units, as the uploader shows them: 1 MB = 1,000,000 bytes."
)

#: The sandbox's sample cards by the label its catalog gives them (its data, in English): their
#: words marked here, so the buttons read in the page's language; a label not listed shows as given.
SAMPLE_LABELS = {
    "15-digit NPWP (PNG)": N_("15-digit NPWP (PNG)"),
    "15-digit NPWP (PDF)": N_("15-digit NPWP (PDF)"),
    "16-digit NPWP (PNG)": N_("16-digit NPWP (PNG)"),
    "NIK as NPWP (JPEG)": N_("NIK as NPWP (JPEG)"),
}


def size_label(size_bytes: int, words: Translator | None = None) -> str:
    """ "4.8 MB" / "4,8 MB": :func:`kyc.documents.format_size`'s figure (the uploader's, digit for
    digit) with the decimal sign of ``words``'s language (the session's by default)."""
    words = words or tr()
    text = documents.format_size(size_bytes)
    if words.lang == "en":
        return text
    value, unit = text.split(" ")
    if unit == "bytes":
        return exact_bytes(size_bytes, words)
    return f"{value.replace('.', ',')} {unit}"


def exact_bytes(size_bytes: int, words: Translator | None = None) -> str:
    """ "5,242,880 bytes" / "5.242.880 byte": the exact size, with the language's separators."""
    words = words or tr()
    return words.gettext("{n} bytes").format(n=words.number(size_bytes))


def _said(error: DocumentError) -> dict[str, str]:
    """The error's message in every language (a cached value must not depend on the session)."""
    return {lang: error.message_in(lang) for lang in LANGUAGES}


def _in_language(messages: dict[str, str] | None) -> str | None:
    return None if messages is None else messages.get(tr().lang) or messages.get("en")


def make_doc(name: str, data: bytes, origin: str, upload_id: str | None, **extra: Any) -> dict[str, Any]:
    """A document as the page keeps it; its content hash is taken once, here, not on every rerun."""
    return {
        "name": name,
        "data": data,
        "origin": origin,
        "upload_id": upload_id,
        "digest": hashlib.sha256(data).hexdigest(),
        **extra,
    }


# Derived from the file's bytes alone, so a cached entry is only ever seen by someone who
# uploads the same bytes. Bounded: a handful of documents, for an hour.
@st.cache_data(max_entries=16, ttl=3600, show_spinner=False)
def _inspect(key: str, _data: bytes, filename: str) -> tuple[DocumentInfo | None, str | None, dict[str, str] | None]:
    try:
        return documents.inspect(_data, filename), None, None
    except DocumentError as error:
        return None, error.code, _said(error)


@st.cache_data(max_entries=16, ttl=3600, show_spinner=False)
def _preview(key: str, _data: bytes) -> tuple[bytes | None, dict[str, str] | None]:
    """Page 1 as a ready-made JPEG, so a rerun does not encode the picture again; or why not,
    in every language."""
    try:
        picture = documents.preview(_data, max_side=900)
    except DocumentError as error:
        return None, _said(error)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=85)
    return out.getvalue(), None


def preview_jpeg(doc: dict[str, Any]) -> bytes | None:
    """Page 1 of the document as a JPEG (cached), or None when it cannot be drawn."""
    return _preview(doc["digest"], doc["data"])[0]


def choose(ctx: PageContext, key: str = "npwp") -> dict[str, Any] | None:
    """The uploader and the sandbox's sample buttons. The latest choice wins; it is kept in session state.

    ``key`` prefixes the widget keys and the state ("npwp" on the NPWP page: ``npwp_file``).
    """
    slot = f"{key}_doc"
    upload = st.file_uploader(
        _("Upload an NPWP card"),
        type=["jpg", "jpeg", "png", "pdf"],
        key=f"{key}_file",
        help=_(UPLOAD_HELP),
    )
    if upload is not None and upload.file_id != (state.get(slot) or {}).get("upload_id"):
        # getvalue() hands out the upload manager's own bytes (BytesIO shares its initial
        # buffer), so keeping it here does not copy a 10 MB upload.
        state.put(slot, make_doc(upload.name, upload.getvalue(), "upload", upload.file_id))
    elif upload is None and (state.get(slot) or {}).get("origin") == "upload":
        state.put(slot, None)  # the user removed the upload

    samples = ctx.catalog.samples
    if samples:
        st.caption(_("Or try a sample card (synthetic, marked CONTOH / SPECIMEN):"))
        for column, sample in zip(st.columns(len(samples)), samples):
            label, button_key = esc(_(SAMPLE_LABELS.get(sample.label, sample.label))), f"{key}_sample_{sample.file}"
            if column.button(label, key=button_key, icon=":material/credit_card:", width="stretch"):
                try:
                    data = backend.sample_bytes(sample.url)
                except KycError as error:
                    st.error(
                        _("The sample card could not be fetched from the sandbox ({code}).").format(code=esc(error.code)),
                        icon=":material/cloud_off:",
                    )
                else:
                    previous = (state.get(slot) or {}).get("upload_id")
                    state.put(slot, make_doc(sample.file, data, "sample", previous))
    return state.get(slot)


def draw_preview(slot: DeltaGenerator, picture: bytes, info: DocumentInfo, note: str | None = None) -> None:
    """Draw ``picture`` (the preview, or a copy drawn on) in ``slot``, captioned with the file's name

    and ``note``, if given (what was drawn on it).
    """
    if info.kind == "pdf":
        caption = _("{name} · page 1 of {pages}").format(name=info.filename, pages=info.pages)
    else:
        caption = info.filename
    if note:
        caption = f"{caption} · {note}"
    slot.image(picture, caption=esc(caption), width="stretch")  # captions render Markdown


def show(doc: dict[str, Any] | None, key: str = "npwp", preview: DeltaGenerator | None = None) -> DocumentInfo | None:
    """Preview and describe the document. Returns its info, or None when it must not be sent.

    ``preview``, an ``st.empty()``, is where the picture goes, so that it can be drawn again
    later in the run (ui.card_overlay); by default it goes where the call is.
    """
    if not doc:
        st.info(_("Upload a card or pick a sample to begin."), icon=":material/upload_file:")
        return None
    info, code, messages = _inspect(doc["digest"], doc["data"], doc["name"])
    if info is None:
        st.error(_("**This file cannot be sent.**") + " " + esc(_in_language(messages)), icon=":material/block:")
        return None
    picture, problems = _preview(doc["digest"], doc["data"])
    problem = _in_language(problems)
    slot: Any = preview if preview is not None else st
    if picture is not None:
        draw_preview(slot, picture, info)
    else:
        slot.warning(esc(problem), icon=":material/visibility_off:")
    # Each fact stays on one line, label and value together ("Dimensions 1400 × 880 px"): every
    # space in it is a non-breaking one.
    facts = [
        _("**Type** {kind} (by content)").format(kind=info.kind.upper()),
        _("**Size** {size} ({bytes})").format(size=size_label(info.size_bytes), bytes=exact_bytes(info.size_bytes)),
        (_("**Page size** {dimensions}") if info.kind == "pdf" else _("**Dimensions** {dimensions}")).format(
            dimensions=info.dimensions_label
        ),
    ]
    if info.kind == "pdf":
        facts.append(_("**Pages** {pages}").format(pages=info.pages))
    st.markdown(" · ".join(fact.replace(" ", NBSP) for fact in facts))
    if not info.extension_matches:
        st.caption(_("The name says otherwise, but the content is {kind}; it is sent as such.").format(kind=info.kind.upper()))
    if doc.get("shrunk_from"):
        _shrunk_copy(doc, info)
    if info.over_limit:
        return _over_limit(doc, info, key)
    if info.near_limit and info.kind != "pdf":
        # Between 5,000,000 bytes and 5 MiB: fine if "5 MB" means MiB, refused if it means MB.
        st.caption(
            _(
                "This file is {size}: over 5 MB counted as {strict}, within it counted as {lenient}, as the "
                "sandbox does. Shrinking it to under {strict} makes sure either reading accepts it."
            ).format(
                size=_size(info.size_bytes),
                strict=exact_bytes(documents.FIT_TARGET_BYTES),
                lenient=exact_bytes(documents.API_LIMIT_BYTES),
            )
        )
        _shrink_button(doc, key, primary=False)
    return info


def _size(size_bytes: int) -> str:
    """ "9.7 MB (9,700,000 bytes)": the uploader's unit, then the exact bytes to hold against a limit."""
    return f"{size_label(size_bytes)} ({exact_bytes(size_bytes)})"


def _shrunk_copy(doc: dict[str, Any], info: DocumentInfo) -> None:
    """Say that the shrunk copy is what goes out, not the file the uploader still lists."""
    original = esc(doc.get("shrunk_from_name") or _("the uploaded file"))
    st.success(
        _("**The shrunk copy will be sent, not the uploaded file.**")
        + "  \n"
        + _("Sent: **{name}**, {kind}, {size}.").format(
            name=esc(info.suggested_filename), kind=info.kind.upper(), size=_size(info.size_bytes)
        )
        + "  \n"
        + _("Shrunk from {original}, {size}, which the uploader above still lists; that file is not sent.").format(
            original=original, size=size_label(doc["shrunk_from"])
        ),
        icon=":material/compress:",
    )


def _over_limit(doc: dict[str, Any], info: DocumentInfo, key: str) -> None:
    """Over 5 MB: an image can be shrunk in one click; a PDF cannot."""
    size, lenient, strict = (
        _size(info.size_bytes),
        exact_bytes(documents.API_LIMIT_BYTES),
        exact_bytes(documents.FIT_TARGET_BYTES),
    )
    if info.kind == "pdf":
        st.error(
            _(
                "This PDF is {size}; the API takes 5 MB at most (the sandbox takes up to {lenient}). Export it "
                "again at a lower quality, or upload a photo of the card as JPEG or PNG."
            ).format(size=size, lenient=lenient),
            icon=":material/block:",
        )
        return None
    st.warning(
        _(
            "This image is {size}; the API takes 5 MB at most (the sandbox takes up to {lenient}). Shrinking "
            "makes a JPEG copy under {strict}."
        ).format(size=size, lenient=lenient, strict=strict),
        icon=":material/warning:",
    )
    _shrink_button(doc, key, primary=True)
    return None


def _shrink_button(doc: dict[str, Any], key: str, primary: bool) -> None:
    """One click: re-encode below 5,000,000 bytes (long side kept at 1600 px or more) and use that."""
    if st.button(
        _("Shrink to fit 5 MB"), key=f"{key}_shrink", icon=":material/compress:", type="primary" if primary else "secondary"
    ):
        try:
            smaller = documents.fit_to_limit(doc["data"])
        except DocumentError as error:
            st.error(esc(error.message_in(tr().lang)), icon=":material/error:")
            return
        original = doc.get("shrunk_from_name") or doc["name"]
        shrunk = make_doc(
            documents.jpeg_name(doc["name"]), smaller, doc["origin"], doc["upload_id"],
            shrunk_from=doc.get("shrunk_from") or len(doc["data"]), shrunk_from_name=original,
        )  # fmt: skip
        state.put(f"{key}_doc", shrunk)
        st.rerun()
