"""The KYC journey summary as a one-page A4 PDF.

Drawn with fpdf2 rather than reportlab or WeasyPrint: it is a small pure-Python wheel with
no system libraries to install (WeasyPrint needs Pango/Cairo), it embeds Unicode TrueType
fonts (Indonesian names, and anything else a vendor sends), and it is maintained.

DejaVu Sans is used where installed; without it the report falls back to core Helvetica
with characters outside Latin-1 replaced, so rendering never fails. Every user or vendor
value is drawn as plain text (no markdown) and wraps rather than overflows. If a page is
not enough, the whole report is drawn again with a smaller font; nothing is cut.
The output is byte-for-byte repeatable for the same ``generated_at``.

The page: a header (title, the report ID, when it was made, in WIB; the prospect's logo when
one was uploaded), the verdict, the card, income verification, and the reviewer's block
(reviewer, decision, notes, signature), which runs down to the footer so the page is used to
its end; the footer on every page names the report, the mode (sandbox or live) and the page.
The labels, notes and casing are the summary screen's: both take them from ``workflows.journey``.

Words: the report is written in the language of ``words`` (a ``workflows.i18n.Translator``;
by default the summary's own language, English unless it was summarized in another): every
label, heading, the footer and the reviewer's block. Indonesian is plain Latin, which both
DejaVu Sans and the Latin-1 fallback draw.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace
from PIL import Image

from kyc.salary import LABELS
from workflows import clock
from workflows.i18n import Translator, translator
from workflows.journey import (
    COMPARISON_HEADINGS,
    COMPARISON_TITLE,
    DECISIONS,
    MODES,
    Line,
    Review,
    Summary,
    card_lines,
    income_lines,
    pretty_band,
    times_line,
    verdict_shown,
)

ENGLISH = translator("en")

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_SIZES = (8.5, 8.0, 7.5, 7.0, 6.0)  # tried in turn until the report fits one page
THUMB_BOX_MM = (52.0, 36.0)
THUMB_MAX_PX = 600  # plenty for a 52 mm box at print resolution; keeps the PDF small
LOGO_BOX_MM = (46.0, 18.0)
LOGO_MAX_PX = 600
LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_SIDE = 6000  # pixels; a logo bigger than this is a photo, or a decompression bomb
LOGO_FORMATS = {"PNG": "PNG", "JPEG": "JPEG", "MPO": "JPEG"}  # a phone's JPEG can open as MPO
FOOTER_MM = 16.0  # the bottom margin: the footer sits in it
NOTE_LINES = 1  # ruled lines for handwritten notes, at least (more where the page has room)
RULE_MM = 6.5  # the height of a line written by hand

RGB = tuple[int, int, int]
LEVEL_COLOURS: dict[str, RGB] = {"pass": (21, 128, 61), "review": (180, 100, 0), "fail": (185, 28, 28)}
VERDICT_COLOURS: dict[str, RGB] = {"MATCH": (21, 128, 61), "NOT MATCH": (185, 28, 28)}
GREY: RGB = (110, 110, 110)
RULE: RGB = (200, 200, 200)
INK: RGB = (25, 25, 25)
BAND_FILL: RGB = (30, 64, 175)
# Control characters (a stray NUL or form feed from a vendor) would corrupt a text run.
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
_LATIN1_STANDINS = str.maketrans({"–": "-", "—": "-", "•": "-", "’": "'", "‘": "'", "“": '"', "”": '"', "…": "..."})


class LogoError(ValueError):
    """An uploaded logo that cannot go on the report; ``message`` says why, for a person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def load_logo(data: bytes, words: Translator = ENGLISH) -> Image.Image:
    """Check an uploaded logo (PNG or JPEG, 2 MB, 6000 px a side at most) and return a small RGB copy.

    Raises ``LogoError`` with a message a person can act on (in the language of ``words``); never anything else.
    """
    _ = words.gettext
    if not data:
        raise LogoError(_("The logo file is empty."))
    if len(data) > LOGO_MAX_BYTES:
        size, limit = len(data) / 1024 / 1024, LOGO_MAX_BYTES // 1024 // 1024
        raise LogoError(
            _("The logo is {size} MB; use a PNG or JPEG under {limit} MB.").format(size=_tenths(size, words), limit=limit)
        )
    try:
        image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError:
        raise LogoError(
            _("The logo is too large a picture; use one under {side} pixels a side.").format(side=LOGO_MAX_SIDE)
        ) from None
    except Exception:  # noqa: BLE001 - whatever Pillow makes of a broken file, the person gets one sentence
        raise LogoError(_("The logo could not be read: it is not a PNG or JPEG picture.")) from None
    if image.format not in LOGO_FORMATS:
        kind = image.format or _("picture of another kind")
        raise LogoError(_("The logo is a {kind}; use a PNG or JPEG.").format(kind=kind))
    width, height = image.size
    if max(width, height) > LOGO_MAX_SIDE:
        raise LogoError(
            _("The logo is {width} × {height} pixels; use one under {side} pixels a side.").format(
                width=width, height=height, side=LOGO_MAX_SIDE
            )
        )
    try:
        image.load()
    except Exception:  # noqa: BLE001 - truncated or damaged data
        raise LogoError(_("The logo could not be read: the file is damaged or cut short.")) from None
    picture = _thumbnail(image, LOGO_MAX_PX)
    if picture is None:
        raise LogoError(_("The logo could not be read: the file is damaged or cut short."))
    return picture


def _tenths(value: float, words: Translator) -> str:
    """ "2.5" / "2,5": one decimal, always shown."""
    text = f"{value:.1f}"
    return text.replace(".", ",") if words.lang == "id" else text


def pdf_report(
    summary: Summary,
    thumbnail: Image.Image | bytes | None,
    *,
    review: Review | None = None,
    logo: Image.Image | bytes | None = None,
    generated_at: dt.datetime | None = None,
    words: Translator | None = None,
) -> bytes:
    """Render the summary as a one-page A4 PDF, stamped ``generated_at`` (default now; naive = UTC), shown in WIB.

    ``review`` fills the reviewer's block (left blank to fill by hand without one); ``logo``
    (checked with ``load_logo`` when given as bytes; a bad one is left out) goes top right.
    ``words`` is the report's language (default the summary's own).
    """
    words = words or summary.words
    when = clock.to_wib(generated_at or clock.now())
    picture = _thumbnail(thumbnail, THUMB_MAX_PX)
    if isinstance(logo, (bytes, bytearray)):
        try:
            logo = load_logo(bytes(logo))
        except LogoError:
            logo = None
    brand = _thumbnail(logo, LOGO_MAX_PX) if logo is not None else None
    for size in FONT_SIZES:
        pdf = _Report(summary, picture, brand, review or Review(), when, size, words)
        if pdf.pages_count == 1:
            break
    return bytes(pdf.output())


def _thumbnail(source: Image.Image | bytes | None, max_px: int = THUMB_MAX_PX) -> Image.Image | None:
    """A small RGB copy of the picture, or None when there is none or it cannot be read."""
    if source is None:
        return None
    try:
        if isinstance(source, (bytes, bytearray)):
            image = Image.open(io.BytesIO(source))
            image.draft("RGB", (max_px, max_px))  # JPEG: decode at reduced scale; others ignore it
        else:
            image = source
        if image.mode not in ("RGB", "RGBA", "L", "LA"):  # CMYK, palette, 16-bit: resample in a plain mode
            image = image.convert("RGBA" if "transparency" in image.info or image.mode == "PA" else "RGB")
        scale = min(1.0, max_px / max(image.size))
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        small = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
        if small.mode in ("RGBA", "LA"):
            small = small.convert("RGBA")
            page = Image.new("RGB", small.size, "white")  # transparent areas on white, not black
            page.paste(small, mask=small.getchannel("A"))
            return page
        return small.convert("RGB")
    except Exception:  # noqa: BLE001 - a broken picture must not stop the report; it shows "no preview"
        return None


class _Report(FPDF):
    """One rendering of the report at one base font size."""

    def __init__(
        self,
        summary: Summary,
        picture: Image.Image | None,
        logo: Image.Image | None,
        review: Review,
        when: dt.datetime,
        size: float,
        words: Translator = ENGLISH,
    ) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.summary = summary
        self.words = words
        self._ = words.gettext
        self.fs = size
        self.lh = size * 0.5  # mm per line, about 1.4x the font size
        self.set_creation_date(when)  # fixes the timestamp and the file ID, so output is repeatable
        self.set_title(self._("KYC journey summary {report}").format(report=summary.report_id).strip())
        self.set_lang("id-ID" if words.lang == "id" else "en-US")
        self.set_margins(14, 12, 14)
        self.set_auto_page_break(True, margin=FOOTER_MM)
        self.unicode = self._load_fonts()
        self.bullet = "•" if self.unicode else "-"
        self.add_page()
        self._header(summary, logo, when)
        self._verdict(summary)
        self._card(summary, picture)
        self._income(summary)
        self._review(review)

    def footer(self) -> None:
        """On every page: the report, the mode, the page."""
        self.set_y(-FOOTER_MM + 5)
        self.set_draw_color(*RULE)
        self.line(self.l_margin, self.get_y() - 1.5, self.w - self.r_margin, self.get_y() - 1.5)
        self.font(scale=0.85, colour=GREY)
        _ = self._
        left = _("KYC journey summary · Report {report} · {mode}").format(
            report=self.summary.report_id, mode=_(MODES[bool(self.summary.sandbox)])
        )
        self.cell(self.epw * 0.8, self.lh, self.t(left), align="L")
        page = _("Page {page} of {pages}").format(page=self.page_no(), pages="{nb}")  # {nb}: fpdf's page count
        self.cell(self.epw * 0.2, self.lh, self.t(page), align="R")

    # --- plumbing ---------------------------------------------------------------------------

    def _load_fonts(self) -> bool:
        regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
        if not regular.is_file():
            return False
        try:
            self.add_font("DejaVu", "", str(regular))
            self.add_font("DejaVu", "B", str(bold if bold.is_file() else regular))
        except Exception:  # noqa: BLE001 - an unreadable font file: fall back rather than fail
            return False
        return True

    def font(self, bold: bool = False, scale: float = 1.0, colour: RGB = INK) -> None:
        self.set_font("DejaVu" if self.unicode else "Helvetica", "B" if bold else "", self.fs * scale)
        self.set_text_color(*colour)

    def t(self, value: object) -> str:
        """Plain text safe for the current font."""
        text = _CONTROL.sub(" ", "" if value is None else str(value))
        if self.unicode:
            return text
        return text.translate(_LATIN1_STANDINS).encode("latin-1", "replace").decode("latin-1")

    def para(self, text: object, x: float | None = None, w: float = 0, h: float | None = None) -> None:
        """Wrapped text from ``x`` (default the left margin) across ``w`` mm (0 = to the margin)."""
        if x is not None:
            self.set_x(x)
        self.multi_cell(w, h or self.lh, self.t(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def height(self, text: object, w: float, bold: bool = False, scale: float = 1.0) -> float:
        """How tall ``text`` wraps to in ``w`` mm, without drawing it."""
        self.font(bold=bold, scale=scale)
        return float(self.multi_cell(w, self.lh, self.t(text), align="L", dry_run=True, output="HEIGHT"))

    def heading(self, text: str) -> None:
        self.ln(self.lh * 0.6)
        self.font(bold=True, scale=1.2)
        self.para(text)
        y = self.get_y()
        self.set_draw_color(200, 200, 200)
        self.line(self.l_margin, y, self.w - self.r_margin, y)
        self.ln(self.lh * 0.3)

    def row(
        self, x: float, label: str, value: object, note: str | None = None, note_colour: RGB = GREY, colour: RGB = INK
    ) -> None:
        """A label, its wrapped value, and an optional coloured note under the value."""
        label_w = 34.0
        width = self.w - self.r_margin - x - label_w
        value = value if value not in (None, "") else "-"
        # Keep a row on one page: the label and value columns are placed side by side by y.
        needed = max(
            self.height(label, label_w - 1, bold=True),
            self.height(value, width) + (self.height(note, width, scale=0.9) if note else 0),
        )
        if self.will_page_break(needed):
            self.add_page()
        top = self.get_y()
        self.font(bold=True, colour=GREY)
        self.para(label, x=x, w=label_w - 1)  # a long label wraps too
        bottom = self.get_y()
        self.set_y(top)
        self.font(colour=colour)
        self.para(value, x=x + label_w, w=width)
        if note:
            self.font(scale=0.9, colour=note_colour)
            self.para(note, x=x + label_w, w=width)
        self.set_y(max(bottom, self.get_y()) + self.lh * 0.25)

    # --- sections ---------------------------------------------------------------------------

    def _header(self, summary: Summary, logo: Image.Image | None, when: dt.datetime) -> None:
        top = self.get_y()
        logo_w, logo_h = LOGO_BOX_MM
        text_w = self.epw - (logo_w + 4 if logo is not None else 0)
        if logo is not None:  # top right, fitted in its box, aligned to the right margin
            scale = min(logo_w / logo.width, logo_h / logo.height)
            iw, ih = logo.width * scale, logo.height * scale
            self.image(logo, self.w - self.r_margin - iw, top, iw, ih)
        _ = self._
        self.font(bold=True, scale=1.9)
        self.para(_("KYC journey summary"), w=text_w, h=self.fs * 0.9)
        self.font(bold=True)
        self.para(_("Report {report}").format(report=summary.report_id), w=text_w)
        self.font(colour=GREY)
        generated = _("Generated {time} · Document: {document}").format(
            time=clock.shown(when, words=self.words), document=summary.doc_name
        )
        self.para(generated, w=text_w)
        times = times_line(summary, self.words)
        if times:
            self.para(times, w=text_w)
        if logo is not None:
            self.set_y(max(self.get_y(), top + logo_h))
        if summary.sandbox:
            self.font(bold=True, colour=LEVEL_COLOURS["review"])
            self.para(_("Sandbox/demo data: these answers come from the sandbox, not from the vendors."))

    def _verdict(self, summary: Summary) -> None:
        verdict = summary.verdict
        colour = LEVEL_COLOURS[verdict.level]
        self.ln(self.lh * 0.6)
        self.font(bold=True, scale=1.3, colour=(255, 255, 255))
        self.set_fill_color(*colour)
        self.multi_cell(
            0, self.lh * 1.5, self.t(verdict.headline), align="L", fill=True, padding=(0, 2), new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        self.ln(self.lh * 0.3)
        for finding in verdict.findings:
            flagged = finding in verdict.reasons
            self.font(bold=flagged, colour=colour if flagged else INK)
            self.para(f"{self.bullet} {finding}", x=self.l_margin + 2, w=self.epw - 2)

    def line_row(self, x: float, line: Line) -> None:
        colour = LEVEL_COLOURS.get(line.tone, GREY)
        self.row(x, line.label, line.value, line.note or None, colour)

    def _card(self, summary: Summary, picture: Image.Image | None) -> None:
        self.heading(self._("The card"))
        top, page = self.get_y(), self.page
        box_w, box_h = THUMB_BOX_MM
        if self.will_page_break(box_h):
            self.add_page()
            top, page = self.get_y(), self.page
        self._picture(picture, self.l_margin, top, box_w, box_h)
        self.set_y(top)  # the rows start level with the picture
        x = self.l_margin + box_w + 4
        for line in card_lines(summary, self.words):
            self.line_row(x, line)
        if self.page == page:  # below the picture too, unless the rows ran onto another page
            self.set_y(max(self.get_y(), top + box_h + 2))

    def _picture(self, picture: Image.Image | None, x: float, y: float, w: float, h: float) -> None:
        self.set_draw_color(200, 200, 200)
        self.rect(x, y, w, h)
        if picture is None:
            self.font(scale=0.9, colour=GREY)
            self.set_xy(x, y + h / 2 - self.lh / 2)
            self.cell(w, self.lh, self.t(self._("No preview")), align="C")
            return
        # Fit inside the box, keep the aspect ratio, centre it.
        scale = min((w - 2) / picture.width, (h - 2) / picture.height)
        iw, ih = picture.width * scale, picture.height * scale
        self.image(picture, x + (w - iw) / 2, y + (h - ih) / 2, iw, ih)

    def _income(self, summary: Summary) -> None:
        self.heading(self._("Income verification"))
        for line in income_lines(summary, self.words):
            self.line_row(self.l_margin, line)
        income = summary.income
        if summary.error is None and income is not None and income.result == "hit":
            self._band_strip(income.band_label, income.band_description, income.band_position)
            self._comparisons(income.comparisons)

    def _band_strip(self, label: str | None, description: str | None, position: int | None) -> None:
        _ = self._
        self.ln(self.lh * 0.5)
        self.font(bold=True)
        if label is None:
            self.para(_("Salary band: not returned"))
        else:
            if position and label not in LABELS:
                where = _("drawn in band {position} ({band})").format(position=position, band=LABELS[position - 1])
            elif position:
                where = _("band {position} of 18").format(position=position)
            else:
                where = _("not on the 18-band table")
            band = label
            if description and description != label:
                band = _("{band} ({description})").format(band=label, description=description)
            self.para(_("Salary band: {band}, {where}").format(band=band, where=where))
        top, cell_w, cell_h = self.get_y() + 1, self.epw / len(LABELS), self.lh * 1.6
        self.set_draw_color(255, 255, 255)
        for number, band in enumerate(LABELS, start=1):
            chosen = number == position
            self.set_fill_color(*(BAND_FILL if chosen else (232, 234, 238)))
            x = self.l_margin + (number - 1) * cell_w
            self.rect(x, top, cell_w, cell_h, style="DF")
            text = self.t(band.removesuffix("JT"))
            scale = 0.8
            self.font(bold=chosen, scale=scale, colour=(255, 255, 255) if chosen else GREY)
            while self.get_string_width(text) > cell_w - 0.8 and scale > 0.45:  # shrink the label to fit
                scale -= 0.05
                self.font(bold=chosen, scale=scale, colour=(255, 255, 255) if chosen else GREY)
            self.set_xy(x, top)
            self.cell(cell_w, cell_h, text, align="C")
        self.set_xy(self.l_margin, top + cell_h + 0.5)
        self.font(scale=0.8, colour=GREY)
        self.para(_("Monthly salary in millions of rupiah (JT = juta); e.g. {example}.").format(example=pretty_band("5.5-6.5JT")))

    def _comparisons(self, rows: list[dict[str, str]]) -> None:
        if not rows:
            return
        self.ln(self.lh * 0.5)
        self.font(bold=True)
        self.para(self._(COMPARISON_TITLE))
        self.font()
        self.set_draw_color(210, 210, 210)
        self.set_fill_color(255, 255, 255)  # the band strip's grey must not leak into the table
        head = FontFace(emphasis="B", color=INK, fill_color=(240, 240, 240))
        with self.table(
            col_widths=(30, 82, 26, 44),
            width=self.epw,
            align="LEFT",
            text_align="LEFT",
            line_height=self.lh,
            headings_style=head,
            padding=(0.8, 1.5),
        ) as table:
            header = table.row()
            for title in COMPARISON_HEADINGS:
                header.cell(self.t(self._(title)))
            for item in rows:
                row = table.row()
                row.cell(self.t(item["field"]))
                row.cell(self.t(item.get("shown") or item["submitted"] or "-"))
                colour = VERDICT_COLOURS.get(item["verdict"], GREY)
                row.cell(self.t(verdict_shown(item["verdict"], self.words)), style=FontFace(emphasis="B", color=colour))
                row.cell(self.t(item.get("note", "")), style=FontFace(color=GREY))

    def _review(self, review: Review) -> None:
        """The reviewer's block: typed values where given, ruled lines to fill by hand where not.

        The notes' ruled lines run down to the footer, so the page's bottom is the sign-off, not blank.
        """
        _ = self._
        self.heading(_("Reviewer's decision"))
        label_w = 34.0
        x = self.l_margin + label_w
        width = self.epw - label_w
        rule = RULE_MM
        decision = review.decision_label
        boxes = "    ".join(f"{'☒' if key == review.decision else '☐'} {_(label)}" for key, label in DECISIONS.items())
        if not self.unicode:
            boxes = "    ".join(f"[{'x' if key == review.decision else ' '}] {_(label)}" for key, label in DECISIONS.items())
        typed_notes = review.notes.strip()
        fixed = (
            rule * 3  # reviewer, decision, signature
            + (self.height(typed_notes, width) + self.lh if typed_notes else 0)
            + rule * NOTE_LINES
        )
        if self.will_page_break(fixed):
            self.add_page()
        self._filled(label_w, _("Reviewer"), review.reviewer.strip(), rule)
        self._filled(label_w, _("Decision"), boxes, rule, hand=False, bold=decision is not None)
        top = self.get_y()
        self.font(bold=True, colour=GREY)
        self.set_xy(self.l_margin, top + rule - self.lh * 1.3)
        self.cell(label_w, self.lh, self.t(_("Notes")))
        if typed_notes:
            self.set_y(top + rule - self.lh * 1.3)
            self.font()
            self.para(typed_notes, x=x, w=width)
            top = self.get_y()
        # Ruled lines for more notes: at least NOTE_LINES, and down to the signature line above the footer.
        bottom = self.h - FOOTER_MM - rule - 1
        lines = max(NOTE_LINES, int((bottom - top) // rule))
        self.set_draw_color(*RULE)
        for number in range(1, lines + 1):
            y = top + rule * number
            self.line(x, y, self.w - self.r_margin, y)
        self.set_y(top + rule * lines)
        self._filled(label_w, _("Signature and date"), "", rule)

    def _filled(self, label_w: float, label: str, value: str, rule: float, hand: bool = True, bold: bool = False) -> None:
        """A label, then the value on a ruled line (or an empty ruled line to write on)."""
        top = self.get_y()
        base = top + rule  # the line the value sits on
        self.font(bold=True, colour=GREY)
        self.set_xy(self.l_margin, base - self.lh * 1.3)
        self.cell(label_w, self.lh, self.t(label))
        self.font(bold=bold or (bool(value) and hand))
        self.set_xy(self.l_margin + label_w, base - self.lh * 1.3)
        self.cell(self.epw - label_w, self.lh, self.t(value))
        if hand:
            self.set_draw_color(*RULE)
            self.line(self.l_margin + label_w, base, self.w - self.r_margin, base)
        self.set_y(base + self.lh * 0.3)
