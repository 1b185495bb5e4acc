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
from ui.i18n import N_, _, tr
from ui.text import esc
from workflows.i18n import Translator, translator

#: left, top, right, bottom in pixels, as cardocr gives them.
Box = tuple[int, int, int, int]
Outline = tuple[tuple[int, int], ...]  # four corners, in the same pixels as the boxes
#: The fields the overlay knows, in the order they are drawn, with their labels (English, marked:
#: said in the page's language where shown, on the picture too).
LABELS = {"npwp": "NPWP", "name": N_("Name"), "nik": "NIK", "address": N_("Address")}
NUMBERS = frozenset({"npwp", "nik"})  # compared by their digits alone
BLUE = (37, 99, 235)  # a field read as the answer says
AMBER = (217, 119, 6)  # a field the card reads differently
# The overlay's words, in English (marked: translated where they are shown).
TOGGLE = N_("Show where each field was read")
OWN_READING = {
    True: N_("Boxes and second opinions are KYC Studio's own reading of the card on this computer, not the sandbox's answer."),
    False: N_("Boxes and second opinions are KYC Studio's own reading of the card on this computer, not Verihubs'."),
}
#: Under the drawn preview, which sits in the other column from the caption above.
DRAWN_NOTE = N_("boxes from KYC Studio's own reading")
DRAWN_NOTE_AMBER = N_("boxes from KYC Studio's own reading, in amber where the card reads differently")
GLARE_NOTE = N_(
    "Part of this line is hidden by glare on the card, so it may be read only in part: retake the photo without the reflection."
)
NOT_FOUND = N_("KYC Studio's own reading of the card on this computer found no NPWP on it, so there are no boxes to draw.")


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


def confidence_text(confidence: float, words: Translator | None = None) -> str:
    """ "Read with 97% confidence": rounded down, so an unsure reading never shows as 100%; in
    ``words``'s language (English by default: the page passes the session's)."""
    words = words or translator("en")
    # An OCR reading is never certain: 99% at most, whatever the engine's score rounds to.
    percent = min(99, int(max(0.0, min(1.0, confidence)) * 100))
    # The percent sign travels inside the value: a "%" in a msgid reads to gettext as a printf code.
    return words.gettext("Read with {percent} confidence").format(percent=f"{percent}%")


@dataclass(frozen=True)
class Overlay:
    """What the page shows for one card, as plain data taken from the local reading."""

    size: tuple[int, int]  # width, height of the picture the boxes are in
    page: int  # the page they are on (1-based)
    boxes: dict[str, tuple[Box, ...]] = field(default_factory=dict)
    confidence: dict[str, float] = field(default_factory=dict)
    differs: dict[str, str] = field(default_factory=dict)  # field -> the card's text, where it disagrees
    #: Each line as four corners, so that a tilted photo's lines are outlined along the text.
    outlines: dict[str, tuple[Outline, ...]] = field(default_factory=dict)
    obscured: frozenset[str] = frozenset()  # fields whose line runs into glare


def overlay_from(layout: Any, api_fields: Mapping[str, str | None]) -> Overlay:
    """The overlay of a ``cardocr.CardRead`` (read, never changed) against the API's fields."""
    reads = {name: read for name, read in layout.reads.items() if name in LABELS}
    return Overlay(
        size=(int(layout.size[0]), int(layout.size[1])),
        page=int(layout.page),
        boxes={name: tuple(tuple(int(v) for v in box) for box in read.boxes) for name, read in reads.items() if read.boxes},
        confidence={name: float(read.confidence) for name, read in reads.items()},
        differs=disagreements(api_fields, {name: read.text for name, read in reads.items()}),
        outlines={
            name: tuple(tuple((int(x), int(y)) for x, y in outline) for outline in read.outlines)
            for name, read in reads.items()
            if getattr(read, "outlines", ())
        },
        obscured=frozenset(name for name, read in reads.items() if getattr(read, "obscured", False)),
    )


#: A bold sans-serif from fonts-dejavu-core (packages.txt) reads best in small letters; Pillow's
#: own font stands in where it is missing.
LABEL_FONT = "DejaVuSans-Bold.ttf"
INK = (255, 255, 255)  # the label's letters on a blue tag
DARK_INK = (31, 41, 55)  # ... and on an amber tag, where white letters would be too faint


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    try:
        return ImageFont.truetype(LABEL_FONT, size)
    except OSError:
        pass
    try:
        return ImageFont.load_default(size=size)
    except (ImportError, OSError):  # Pillow built without FreeType: the small bitmap font
        return ImageFont.load_default()


def _overlap(a: Box, b: Box) -> int:
    """The area two rectangles share (0 when they only touch)."""
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return width * height if width > 0 and height > 0 else 0


def _tag_place(lines: list[Box], tag: tuple[int, int], pen: int, picture: tuple[int, int], obstacles: list[Box]) -> Box:
    """Where a field's label goes: the first of these spots that stays on the picture and covers
    no other field and no other label; else the one that covers least.

    Just above the field's first line; to its right; to its left; below its last line; inside its
    first line at the top. Each spot touches the field's outline, so the label reads as its own.
    """
    width, height = tag
    first = min(lines, key=lambda box: (box[1], box[0]))
    last = max(lines, key=lambda box: (box[3], box[0]))
    left, top, right, bottom = first
    middle = (top + bottom) // 2 - height // 2
    spots = [
        (left, top - height + pen, left + width, top + pen),
        (right - pen, middle, right - pen + width, middle + height),
        (left - width + pen, middle, left + pen, middle + height),
        (last[0], last[3] - pen, last[0] + width, last[3] - pen + height),
        (left, top, left + width, top + height),
    ]
    inside = [s for s in spots if s[0] >= 0 and s[1] >= 0 and s[2] <= picture[0] and s[3] <= picture[1]]
    if not inside:  # a picture smaller than the label: pinned to its top left corner
        return (0, 0, width, height)
    return min(inside, key=lambda spot: sum(_overlap(spot, other) for other in obstacles))


def draw_boxes(
    picture: Image.Image,
    size: tuple[int, int],
    boxes: Mapping[str, tuple[Box, ...]],
    flagged: Collection[str] = (),
    outlines: Mapping[str, tuple[Outline, ...]] | None = None,
    labels: Mapping[str, str] | None = None,
) -> Image.Image:
    """A copy of ``picture`` with each field's boxes outlined and labelled; ``flagged`` ones in amber.

    ``labels`` are the tags' words by field (the page's language); by default :data:`LABELS`.

    ``boxes`` are in a picture ``size`` (width, height) large, and are scaled to ``picture``.
    Where a field has ``outlines`` (four corners per line), those are drawn instead of its
    boxes: on a tilted photo they follow the text, where boxes would cross their neighbours.
    The labels are sized for the preview as the page shows it (about 400 pixels wide, whatever
    the picture's own width) and placed where they hide no other field (:func:`_tag_place`).
    """
    drawn = picture.convert("RGB") if picture.mode != "RGB" else picture.copy()
    if size[0] <= 0 or size[1] <= 0:
        return drawn
    sx, sy = drawn.width / size[0], drawn.height / size[1]
    pen = max(2, round(drawn.width / 300))
    letters = max(12, round(drawn.width / 32))
    font = _font(letters)
    pen_draw = ImageDraw.Draw(drawn)
    scaled: dict[str, list[Box]] = {}
    for name in LABELS:
        if boxes.get(name):
            scaled[name] = [
                (
                    max(0, min(drawn.width - 1, round(left * sx))),
                    max(0, min(drawn.height - 1, round(top * sy))),
                    max(0, min(drawn.width - 1, round(right * sx))),
                    max(0, min(drawn.height - 1, round(bottom * sy))),
                )
                for left, top, right, bottom in boxes[name]
            ]
    # Every outline first, then the labels on top: no later outline runs through a label.
    for name, lines in scaled.items():
        colour = AMBER if name in flagged else BLUE
        polygons = (outlines or {}).get(name)
        if polygons:
            for polygon in polygons:
                pen_draw.polygon([(round(x * sx), round(y * sy)) for x, y in polygon], outline=colour, width=pen)
            continue
        for left, top, right, bottom in lines:
            pen_draw.rectangle((left, top, max(left, right), max(top, bottom)), outline=colour, width=pen)
    # One height for every tag (from the tallest letters), so the labels line up alike.
    tags = {**LABELS, **(labels or {})}
    _, ink_top, _, ink_bottom = pen_draw.textbbox((0, 0), "".join(tags.values()), font=font)
    pad_x, pad_y = max(3, round(letters * 0.3)), max(2, round(letters * 0.15))
    placed: list[Box] = []
    for name, lines in scaled.items():
        label = tags[name]
        x0, _, x1, _ = pen_draw.textbbox((0, 0), label, font=font)
        tag = (x1 - x0 + 2 * pad_x, ink_bottom - ink_top + 2 * pad_y)
        first = min(lines, key=lambda box: (box[1], box[0]))
        obstacles = [box for other, others in scaled.items() for box in others if other != name]
        obstacles += [box for box in lines if box != first] + placed
        spot = _tag_place(lines, tag, pen, (drawn.width, drawn.height), obstacles)
        placed.append(spot)
        colour = AMBER if name in flagged else BLUE
        pen_draw.rectangle((spot[0], spot[1], spot[2] - 1, spot[3] - 1), fill=colour)
        ink = DARK_INK if name in flagged else INK
        pen_draw.text((spot[0] + pad_x - x0, spot[1] + pad_y - ink_top), label, fill=ink, font=font)
    return drawn


def draw(
    picture: bytes,
    size: tuple[int, int],
    boxes: Mapping[str, tuple[Box, ...]],
    flagged: Collection[str] = (),
    outlines: Mapping[str, tuple[Outline, ...]] | None = None,
    labels: Mapping[str, str] | None = None,
) -> bytes:
    """:func:`draw_boxes` on a JPEG (or PNG) preview, as a JPEG."""
    with Image.open(io.BytesIO(picture)) as image:
        drawn = draw_boxes(image, size, boxes, flagged, outlines, labels)
    out = io.BytesIO()
    drawn.save(out, "JPEG", quality=90)
    return out.getvalue()


# Keyed by the document's digest and everything drawn on it; a handful of cards, for an hour.
@st.cache_data(max_entries=16, ttl=3600, show_spinner=False)
def _drawn(
    key: str,
    _picture: bytes,
    size: tuple[int, int],
    boxes: tuple[tuple[str, tuple[Box, ...]], ...],
    flagged: tuple[str, ...],
    outlines: tuple[tuple[str, tuple[Outline, ...]], ...] = (),
    labels: tuple[tuple[str, str], ...] = (),
) -> bytes:
    return draw(_picture, size, dict(boxes), flagged, dict(outlines), dict(labels))


def toggle(key: str) -> bool:
    """The switch that turns the overlay on (off by default: it reads the card again here)."""
    return st.toggle(
        _(TOGGLE),
        key=key,
        help=_(
            "Outline each field on the preview and say how sure the reading is, from KYC Studio's own "
            "reading of the card on this computer. Fields it reads differently from the answer are marked in amber."
        ),
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
    with st.spinner(_("Reading the card on this computer…")):
        layout, problem = backend.card_layout(doc["data"])
    if problem:
        st.info(esc(_(problem)), icon=":material/visibility_off:")  # ui.backend's words, marked there
        return None
    if layout is None:
        st.info(esc(_(NOT_FOUND)), icon=":material/search_off:")
        return None
    overlay = overlay_from(layout, api_fields)
    st.caption(esc(_(OWN_READING[sandbox])))
    if overlay.differs:
        names = ", ".join(_(LABELS[name]) for name in LABELS if name in overlay.differs)
        st.warning(
            esc(
                _("The card reads differently from the answer: {names}. Marked in amber; check the card itself.").format(
                    names=names
                )
            ),
            icon=":material/rule:",
        )
    if overlay.page != 1:
        st.caption(
            esc(
                _("The card was read on page {page}; the preview shows page 1, so no boxes are drawn on it.").format(
                    page=overlay.page
                )
            )
        )
        return overlay
    picture = document.preview_jpeg(doc)
    if picture is not None and preview is not None and info is not None and overlay.boxes:
        boxes = tuple((name, overlay.boxes[name]) for name in LABELS if name in overlay.boxes)
        outlines = tuple((name, overlay.outlines[name]) for name in LABELS if name in overlay.outlines)
        labels = tuple((name, _(label)) for name, label in LABELS.items())  # part of the cache's key
        drawn = _drawn(doc["digest"], picture, overlay.size, boxes, tuple(sorted(overlay.differs)), outlines, labels)
        amber = any(name in overlay.boxes for name in overlay.differs)
        document.draw_preview(preview, drawn, info, _(DRAWN_NOTE_AMBER if amber else DRAWN_NOTE))
    return overlay


def notes(overlay: Overlay | None, name: str) -> None:
    """Under a field in the panel: what the card reads if it differs, and how sure the local reading is.

    The card's text comes first, so that the confidence under it is read as the card's, not the answer's.
    """
    if overlay is None:
        return
    if name in overlay.differs:
        st.markdown(":orange-badge[:material/compare_arrows: " + _("The card reads") + "] " + esc(overlay.differs[name]))
    if name in overlay.obscured:
        st.caption(f":material/flare: {esc(_(GLARE_NOTE))}")
    if name in overlay.confidence:
        st.caption(confidence_text(overlay.confidence[name], tr()))
