"""Where each field was read, drawn on the card's preview: KYC Studio's own reading of the card.

The API returns the fields, not where they are printed. With the toggle on, the app reads the
card again on this computer (``ui.backend.card_layout``, the offline OCR), outlines each field
on the preview, says how sure that reading is, and marks in amber each field the card reads
differently from the API's answer: a second opinion, in live mode on Verihubs' answer.

The comparison and the drawing take plain data and use no Streamlit: :func:`disagreements`,
:func:`overlay_from`, :func:`draw_boxes`.
"""

from __future__ import annotations

import io
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

import streamlit as st
from PIL import Image, ImageDraw, ImageFont
from streamlit.delta_generator import DeltaGenerator

from kyc.documents import DocumentInfo
from ui import backend, document
from ui.text import esc

#: left, top, right, bottom in pixels, as cardocr gives them.
Box = tuple[int, int, int, int]
#: The fields the overlay knows, in the order they are drawn, with their labels.
LABELS = {"npwp": "NPWP", "name": "Name", "nik": "NIK", "address": "Address"}
NUMBERS = frozenset({"npwp", "nik"})  # compared by their digits alone
BLUE = (37, 99, 235)  # a field read as the answer says
AMBER = (217, 119, 6)  # a field the card reads differently
TOGGLE = "Show where each field was read"
OWN_READING = {
    True: "Boxes and second opinions are KYC Studio's own reading of the card on this computer, not the sandbox's answer.",
    False: "Boxes and second opinions are KYC Studio's own reading of the card on this computer, not Verihubs'.",
}
NOT_FOUND = "KYC Studio's own reading of the card on this computer found no NPWP on it, so there are no boxes to draw."


def normalised(name: str, value: str | None) -> str:
    """A field as compared: an NPWP or NIK by its digits, text in upper case with single spaces."""
    text = value or ""
    if name in NUMBERS:
        return re.sub(r"[^0-9]", "", text)
    return " ".join(text.upper().split())


def disagreements(api_fields: Mapping[str, str | None], local: Mapping[str, str]) -> dict[str, str]:
    """The fields the card reads differently from the API's answer, as {field: the card's text}.

    Only fields the local reading found count: a field it did not find is no opinion.
    """
    differs = {}
    for name, text in local.items():
        mine = normalised(name, text)
        if name in LABELS and mine and mine != normalised(name, api_fields.get(name)):
            differs[name] = text
    return differs


def confidence_text(confidence: float) -> str:
    """ "Read with 97% confidence": rounded down, so an unsure reading never shows as 100%."""
    return f"Read with {int(max(0.0, min(1.0, confidence)) * 100)}% confidence"


@dataclass(frozen=True)
class Overlay:
    """What the page shows for one card, as plain data taken from the local reading."""

    size: tuple[int, int]  # width, height of the picture the boxes are in
    page: int  # the page they are on (1-based)
    boxes: dict[str, tuple[Box, ...]] = field(default_factory=dict)
    confidence: dict[str, float] = field(default_factory=dict)
    differs: dict[str, str] = field(default_factory=dict)  # field -> the card's text, where it disagrees


def overlay_from(layout: Any, api_fields: Mapping[str, str | None]) -> Overlay:
    """The overlay of a ``cardocr.CardRead`` (read, never changed) against the API's fields."""
    reads = {name: read for name, read in layout.reads.items() if name in LABELS}
    return Overlay(
        size=(int(layout.size[0]), int(layout.size[1])),
        page=int(layout.page),
        boxes={name: tuple(tuple(int(v) for v in box) for box in read.boxes) for name, read in reads.items() if read.boxes},
        confidence={name: float(read.confidence) for name, read in reads.items()},
        differs=disagreements(api_fields, {name: read.text for name, read in reads.items()}),
    )


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    try:
        return ImageFont.load_default(size=size)
    except (ImportError, OSError):  # Pillow built without FreeType: the small bitmap font
        return ImageFont.load_default()


def draw_boxes(
    picture: Image.Image, size: tuple[int, int], boxes: Mapping[str, tuple[Box, ...]], flagged: Collection[str] = ()
) -> Image.Image:
    """A copy of ``picture`` with each field's boxes outlined and labelled; ``flagged`` ones in amber.

    ``boxes`` are in a picture ``size`` (width, height) large, and are scaled to ``picture``.
    """
    drawn = picture.convert("RGB") if picture.mode != "RGB" else picture.copy()
    if size[0] <= 0 or size[1] <= 0:
        return drawn
    sx, sy = drawn.width / size[0], drawn.height / size[1]
    pen = max(2, round(drawn.width / 300))
    font = _font(max(11, round(drawn.width / 50)))
    pen_draw = ImageDraw.Draw(drawn)
    for name, label in LABELS.items():
        if not boxes.get(name):
            continue
        colour = AMBER if name in flagged else BLUE
        scaled = [
            (
                max(0, min(drawn.width - 1, round(left * sx))),
                max(0, min(drawn.height - 1, round(top * sy))),
                max(0, min(drawn.width - 1, round(right * sx))),
                max(0, min(drawn.height - 1, round(bottom * sy))),
            )
            for left, top, right, bottom in boxes[name]
        ]
        for left, top, right, bottom in scaled:
            pen_draw.rectangle((left, top, max(left, right), max(top, bottom)), outline=colour, width=pen)
        # The label sits on a tag just above the field's first line, or inside it at the top edge.
        left, top = min(scaled, key=lambda box: (box[1], box[0]))[:2]
        x0, y0, x1, y1 = pen_draw.textbbox((0, 0), label, font=font)
        pad = max(2, pen)
        width, height = x1 - x0 + 2 * pad, y1 - y0 + 2 * pad
        tag_top = top - height if top - height >= 0 else top
        pen_draw.rectangle((left, tag_top, left + width, tag_top + height), fill=colour)
        pen_draw.text((left + pad - x0, tag_top + pad - y0), label, fill="white", font=font)
    return drawn


def draw(picture: bytes, size: tuple[int, int], boxes: Mapping[str, tuple[Box, ...]], flagged: Collection[str] = ()) -> bytes:
    """:func:`draw_boxes` on a JPEG (or PNG) preview, as a JPEG."""
    with Image.open(io.BytesIO(picture)) as image:
        drawn = draw_boxes(image, size, boxes, flagged)
    out = io.BytesIO()
    drawn.save(out, "JPEG", quality=90)
    return out.getvalue()


# Keyed by the document's digest and everything drawn on it; a handful of cards, for an hour.
@st.cache_data(max_entries=16, ttl=3600, show_spinner=False)
def _drawn(
    key: str, _picture: bytes, size: tuple[int, int], boxes: tuple[tuple[str, tuple[Box, ...]], ...], flagged: tuple[str, ...]
) -> bytes:
    return draw(_picture, size, dict(boxes), flagged)


def toggle(key: str) -> bool:
    """The switch that turns the overlay on (off by default: it reads the card again here)."""
    return st.toggle(
        TOGGLE,
        key=key,
        help="Outline each field on the preview and say how sure the reading is, from KYC Studio's own "
        "reading of the card on this computer. Fields it reads differently from the answer are marked in amber.",
    )


def show(
    doc: dict[str, Any],
    info: DocumentInfo | None,
    preview: DeltaGenerator | None,
    api_fields: Mapping[str, str | None],
    sandbox: bool,
) -> Overlay | None:
    """Read the card here, redraw the preview in ``preview`` (an ``st.empty``) with the boxes.

    Returns the overlay for the fields panel, or None (with an st.info saying why) when there is none.
    """
    with st.spinner("Reading the card on this computer…"):
        layout, problem = backend.card_layout(doc["data"])
    if problem:
        st.info(esc(problem), icon=":material/visibility_off:")
        return None
    if layout is None:
        st.info(esc(NOT_FOUND), icon=":material/search_off:")
        return None
    overlay = overlay_from(layout, api_fields)
    st.caption(esc(OWN_READING[sandbox]))
    if overlay.differs:
        names = ", ".join(LABELS[name] for name in LABELS if name in overlay.differs)
        st.warning(
            esc(f"The card reads differently from the answer: {names}. Marked in amber; check the card itself."),
            icon=":material/rule:",
        )
    if overlay.page != 1:
        st.caption(esc(f"The card was read on page {overlay.page}; the preview shows page 1, so no boxes are drawn on it."))
        return overlay
    picture = document.preview_jpeg(doc)
    if picture is not None and preview is not None and info is not None and overlay.boxes:
        boxes = tuple((name, overlay.boxes[name]) for name in LABELS if name in overlay.boxes)
        drawn = _drawn(doc["digest"], picture, overlay.size, boxes, tuple(sorted(overlay.differs)))
        document.draw_preview(preview, drawn, info)
    return overlay


def notes(overlay: Overlay | None, name: str) -> None:
    """Under a field in the panel: how sure the local reading is, and what the card reads if it differs."""
    if overlay is None:
        return
    if name in overlay.confidence:
        st.caption(confidence_text(overlay.confidence[name]))
    if name in overlay.differs:
        st.markdown(f":orange-badge[:material/compare_arrows: The card reads] {esc(overlay.differs[name])}")
