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
from ui.setup import PageContext
from ui.text import esc

NBSP = "\u00a0"
#: The uploader's help: what is accepted, and in which unit its sizes are.
UPLOAD_HELP = (
    "A photo or scan of the tax card: JPEG, PNG or PDF, 5 MB at most. Sizes here are in decimal "
    "units, as the uploader shows them: 1 MB = 1,000,000 bytes."
)


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
def _inspect(key: str, _data: bytes, filename: str) -> tuple[DocumentInfo | None, str | None, str | None]:
    try:
        return documents.inspect(_data, filename), None, None
    except DocumentError as error:
        return None, error.code, error.message


@st.cache_data(max_entries=16, ttl=3600, show_spinner=False)
def _preview(key: str, _data: bytes) -> tuple[bytes | None, str | None]:
    """Page 1 as a ready-made JPEG, so a rerun does not encode the picture again."""
    try:
        picture = documents.preview(_data, max_side=900)
    except DocumentError as error:
        return None, error.message
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
        "Upload an NPWP card",
        type=["jpg", "jpeg", "png", "pdf"],
        key=f"{key}_file",
        help=UPLOAD_HELP,
    )
    if upload is not None and upload.file_id != (state.get(slot) or {}).get("upload_id"):
        # getvalue() hands out the upload manager's own bytes (BytesIO shares its initial
        # buffer), so keeping it here does not copy a 10 MB upload.
        state.put(slot, make_doc(upload.name, upload.getvalue(), "upload", upload.file_id))
    elif upload is None and (state.get(slot) or {}).get("origin") == "upload":
        state.put(slot, None)  # the user removed the upload

    samples = ctx.catalog.samples
    if samples:
        st.caption("Or try a sample card (synthetic, marked CONTOH / SPECIMEN):")
        for column, sample in zip(st.columns(len(samples)), samples):
            label, button_key = esc(sample.label), f"{key}_sample_{sample.file}"
            if column.button(label, key=button_key, icon=":material/credit_card:", width="stretch"):
                try:
                    data = backend.sample_bytes(sample.url)
                except KycError as error:
                    st.error(
                        f"The sample card could not be fetched from the sandbox ({esc(error.code)}).", icon=":material/cloud_off:"
                    )
                else:
                    previous = (state.get(slot) or {}).get("upload_id")
                    state.put(slot, make_doc(sample.file, data, "sample", previous))
    return state.get(slot)


def draw_preview(slot: DeltaGenerator, picture: bytes, info: DocumentInfo, note: str | None = None) -> None:
    """Draw ``picture`` (the preview, or a copy drawn on) in ``slot``, captioned with the file's name

    and ``note``, if given (what was drawn on it).
    """
    caption = f"{info.filename} · page 1 of {info.pages}" if info.kind == "pdf" else info.filename
    if note:
        caption = f"{caption} · {note}"
    slot.image(picture, caption=esc(caption), width="stretch")  # captions render Markdown


def show(doc: dict[str, Any] | None, key: str = "npwp", preview: DeltaGenerator | None = None) -> DocumentInfo | None:
    """Preview and describe the document. Returns its info, or None when it must not be sent.

    ``preview``, an ``st.empty()``, is where the picture goes, so that it can be drawn again
    later in the run (ui.card_overlay); by default it goes where the call is.
    """
    if not doc:
        st.info("Upload a card or pick a sample to begin.", icon=":material/upload_file:")
        return None
    info, code, message = _inspect(doc["digest"], doc["data"], doc["name"])
    if info is None:
        st.error(f"**This file cannot be sent.** {esc(message)}", icon=":material/block:")
        return None
    picture, problem = _preview(doc["digest"], doc["data"])
    slot: Any = preview if preview is not None else st
    if picture is not None:
        draw_preview(slot, picture, info)
    else:
        slot.warning(esc(problem), icon=":material/visibility_off:")
    dimensions = info.dimensions_label.replace(" ", NBSP)  # "1400 × 880 px" never breaks across lines
    # Each fact stays on one line, label and value together ("Dimensions 1400 × 880 px").
    facts = [
        f"**Type**{NBSP}{info.kind.upper()}{NBSP}(by{NBSP}content)",
        f"**Size**{NBSP}{info.size_label.replace(' ', NBSP)}{NBSP}({documents.format_bytes(info.size_bytes).replace(' ', NBSP)})",
        f"**{'Page size' if info.kind == 'pdf' else 'Dimensions'}**{NBSP}{dimensions}",
    ]
    if info.kind == "pdf":
        facts.append(f"**Pages**{NBSP}{info.pages}")
    st.markdown(" · ".join(facts))
    if not info.extension_matches:
        st.caption(f"The name says otherwise, but the content is {info.kind.upper()}; it is sent as such.")
    if doc.get("shrunk_from"):
        _shrunk_copy(doc, info)
    if info.over_limit:
        return _over_limit(doc, info, key)
    if info.near_limit and info.kind != "pdf":
        # Between 5,000,000 bytes and 5 MiB: fine if "5 MB" means MiB, refused if it means MB.
        st.caption(
            f"This file is {_size(info.size_bytes)}: over 5 MB counted as 5,000,000 bytes, within it counted "
            f"as {documents.format_bytes(documents.API_LIMIT_BYTES)}, as the sandbox does. Shrinking it to under "
            "5,000,000 bytes makes sure either reading accepts it."
        )
        _shrink_button(doc, key, primary=False)
    return info


def _size(size_bytes: int) -> str:
    """ "9.7 MB (9,700,000 bytes)": the uploader's unit, then the exact bytes to hold against a limit."""
    return f"{documents.format_size(size_bytes)} ({documents.format_bytes(size_bytes)})"


def _shrunk_copy(doc: dict[str, Any], info: DocumentInfo) -> None:
    """Say that the shrunk copy is what goes out, not the file the uploader still lists."""
    original = esc(doc.get("shrunk_from_name") or "the uploaded file")
    st.success(
        "**The shrunk copy will be sent, not the uploaded file.**  \n"
        f"Sent: **{esc(info.suggested_filename)}**, {info.kind.upper()}, {_size(info.size_bytes)}.  \n"
        f"Shrunk from {original}, {documents.format_size(doc['shrunk_from'])}, which the uploader above still "
        "lists; that file is not sent.",
        icon=":material/compress:",
    )


def _over_limit(doc: dict[str, Any], info: DocumentInfo, key: str) -> None:
    """Over 5 MB: an image can be shrunk in one click; a PDF cannot."""
    limit = f"the API takes 5 MB at most (the sandbox takes up to {documents.format_bytes(documents.API_LIMIT_BYTES)})"
    if info.kind == "pdf":
        st.error(
            f"This PDF is {_size(info.size_bytes)}; {limit}. Export it again at a lower "
            "quality, or upload a photo of the card as JPEG or PNG.",
            icon=":material/block:",
        )
        return None
    st.warning(
        f"This image is {_size(info.size_bytes)}; {limit}. Shrinking makes a JPEG copy under 5,000,000 bytes.",
        icon=":material/warning:",
    )
    _shrink_button(doc, key, primary=True)
    return None


def _shrink_button(doc: dict[str, Any], key: str, primary: bool) -> None:
    """One click: re-encode below 5,000,000 bytes (long side kept at 1600 px or more) and use that."""
    if st.button(
        "Shrink to fit 5 MB", key=f"{key}_shrink", icon=":material/compress:", type="primary" if primary else "secondary"
    ):
        try:
            smaller = documents.fit_to_limit(doc["data"])
        except DocumentError as error:
            st.error(esc(error.message), icon=":material/error:")
            return
        original = doc.get("shrunk_from_name") or doc["name"]
        shrunk = make_doc(
            documents.jpeg_name(doc["name"]), smaller, doc["origin"], doc["upload_id"],
            shrunk_from=doc.get("shrunk_from") or len(doc["data"]), shrunk_from_name=original,
        )  # fmt: skip
        state.put(f"{key}_doc", shrunk)
        st.rerun()
