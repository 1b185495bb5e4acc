"""The KYC journey summary as a one-page A4 PDF.

Drawn with fpdf2 rather than reportlab or WeasyPrint: it is a small pure-Python wheel with
no system libraries to install (WeasyPrint needs Pango/Cairo), it embeds Unicode TrueType
fonts (Indonesian names, and anything else a vendor sends), and it is maintained.

DejaVu Sans is used where installed; without it the report falls back to core Helvetica
with characters outside Latin-1 replaced, so rendering never fails. Every user or vendor
value is drawn as plain text (no markdown) and wraps rather than overflows. If a page is
not enough, the whole report is drawn again with a smaller font; nothing is cut.
The output is byte-for-byte repeatable for the same ``generated_at``.
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
from workflows.journey import Summary, pretty_band

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_SIZES = (9.0, 8.0, 7.0, 6.0)  # tried in turn until the report fits one page
THUMB_BOX_MM = (52.0, 36.0)
THUMB_MAX_PX = 600  # plenty for a 52 mm box at print resolution; keeps the PDF small

RGB = tuple[int, int, int]
LEVEL_COLOURS: dict[str, RGB] = {"pass": (21, 128, 61), "review": (180, 100, 0), "fail": (185, 28, 28)}
VERDICT_COLOURS: dict[str, RGB] = {"MATCH": (21, 128, 61), "NOT MATCH": (185, 28, 28)}
GREY: RGB = (110, 110, 110)
INK: RGB = (25, 25, 25)
BAND_FILL: RGB = (30, 64, 175)
# Control characters (a stray NUL or form feed from a vendor) would corrupt a text run.
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
_LATIN1_STANDINS = str.maketrans({"–": "-", "—": "-", "•": "-", "’": "'", "‘": "'", "“": '"', "”": '"', "…": "..."})


def pdf_report(
    summary: Summary,
    thumbnail: Image.Image | bytes | None,
    *,
    generated_at: dt.datetime | None = None,
) -> bytes:
    """Render the summary as a one-page A4 PDF, stamped ``generated_at`` (default now; naive = UTC)."""
    when = generated_at or dt.datetime.now(dt.UTC)
    when = when.replace(tzinfo=dt.UTC) if when.tzinfo is None else when.astimezone(dt.UTC)
    picture = _thumbnail(thumbnail)
    for size in FONT_SIZES:
        pdf = _Report(summary, picture, when, size)
        if pdf.pages_count == 1:
            break
    return bytes(pdf.output())


def _thumbnail(source: Image.Image | bytes | None) -> Image.Image | None:
    """A small RGB copy of the picture, or None when there is none or it cannot be read."""
    if source is None:
        return None
    try:
        if isinstance(source, (bytes, bytearray)):
            image = Image.open(io.BytesIO(source))
            image.draft("RGB", (THUMB_MAX_PX, THUMB_MAX_PX))  # JPEG: decode at reduced scale; others ignore it
        else:
            image = source
        if image.mode not in ("RGB", "RGBA", "L", "LA"):  # CMYK, palette, 16-bit: resample in a plain mode
            image = image.convert("RGBA" if "transparency" in image.info or image.mode == "PA" else "RGB")
        scale = min(1.0, THUMB_MAX_PX / max(image.size))
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

    def __init__(self, summary: Summary, picture: Image.Image | None, when: dt.datetime, size: float) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.fs = size
        self.lh = size * 0.5  # mm per line, about 1.4x the font size
        self.set_creation_date(when)  # fixes the timestamp and the file ID, so output is repeatable
        self.set_title("KYC journey summary")
        self.set_margins(14, 12, 14)
        self.set_auto_page_break(True, margin=12)
        self.unicode = self._load_fonts()
        self.bullet = "•" if self.unicode else "-"
        self.add_page()
        self._header(summary, when)
        self._verdict(summary)
        self._card(summary, picture)
        self._income(summary)

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

    def _header(self, summary: Summary, when: dt.datetime) -> None:
        self.font(bold=True, scale=1.9)
        self.para("KYC journey summary", h=self.fs * 0.9)
        self.font(colour=GREY)
        self.para(f"Generated {when:%Y-%m-%d %H:%M} UTC    Document: {summary.doc_name}")
        if summary.sandbox:
            self.font(bold=True, colour=LEVEL_COLOURS["review"])
            self.para("Sandbox/demo data: these answers come from the sandbox, not from the vendors.")

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

    def _card(self, summary: Summary, picture: Image.Image | None) -> None:
        self.heading("Document and card")
        top, page = self.get_y(), self.page
        box_w, box_h = THUMB_BOX_MM
        if self.will_page_break(box_h):
            self.add_page()
            top, page = self.get_y(), self.page
        self._picture(picture, self.l_margin, top, box_w, box_h)
        self.set_y(top)  # the rows start level with the picture
        x = self.l_margin + box_w + 4
        card, checks = summary.card, summary.checks
        if not card.detected:
            self.row(x, "NPWP", "No NPWP detected in the document", None)
        else:
            ok, bad, warn = LEVEL_COLOURS["pass"], LEVEL_COLOURS["fail"], LEVEL_COLOURS["review"]
            if checks.npwp_valid:
                same = {True: ", equals the NIK", False: ", but not the card's NIK"}.get(checks.npwp_equals_nik, "")
                self.row(
                    x, "NPWP", card.npwp, f"valid ({checks.npwp_form}){same}", warn if checks.npwp_equals_nik is False else ok
                )
            else:
                self.row(x, "NPWP", card.npwp, f"invalid: {checks.npwp_problem}", bad)
            sent = summary.request.get("name")
            name_note = {True: ("matches the name sent", ok), False: (f"differs from the name sent ({sent})", warn)}
            self.row(x, "Name", card.name, *name_note.get(checks.name_matches, (None, GREY)))
            if checks.nik_valid:
                born = ", ".join(p for p in (checks.nik_birth_date and f"born {checks.nik_birth_date}", checks.nik_sex) if p)
                place = ", ".join(p for p in (checks.nik_regency, checks.nik_province) if p)
                nik_note, nik_colour = "; ".join(p for p in ("valid", born, place) if p), ok
            else:
                nik_note, nik_colour = f"invalid: {checks.nik_problem}", bad
            if checks.nik_matches is False:
                nik_note += f"; differs from the NIK sent ({summary.request.get('id_number')})"
                nik_colour = nik_colour if nik_colour == bad else warn
            self.row(x, "NIK", card.nik, nik_note, nik_colour)
            self.row(x, "Address", card.address)
            self.row(x, "ID", card.id)
            self.row(x, "Reference ID", card.reference_id)
        if self.page == page:  # below the picture too, unless the rows ran onto another page
            self.set_y(max(self.get_y(), top + box_h + 2))

    def _picture(self, picture: Image.Image | None, x: float, y: float, w: float, h: float) -> None:
        self.set_draw_color(200, 200, 200)
        self.rect(x, y, w, h)
        if picture is None:
            self.font(scale=0.9, colour=GREY)
            self.set_xy(x, y + h / 2 - self.lh / 2)
            self.cell(w, self.lh, "No preview", align="C")
            return
        # Fit inside the box, keep the aspect ratio, centre it.
        scale = min((w - 2) / picture.width, (h - 2) / picture.height)
        iw, ih = picture.width * scale, picture.height * scale
        self.image(picture, x + (w - iw) / 2, y + (h - ih) / 2, iw, ih)

    def _income(self, summary: Summary) -> None:
        self.heading("Income verification")
        x = self.l_margin
        req = summary.request
        self.row(
            x, "Applicant sent", f"{req.get('name', '')}, NIK {req.get('id_number', '')}, phone {req.get('phone_number', '')}"
        )
        if summary.error is not None:
            self.row(x, "Result", f"Failed: {summary.error.message} [{summary.error.code}]", colour=LEVEL_COLOURS["fail"])
            return
        income = summary.income
        if income is None:
            self.row(x, "Result", "Not verified")
            return
        if income.result == "no_record":
            self.row(
                x,
                "Result",
                "No record found for this NIK",
                f"sequence ID {income.sequence_id or '-'}",
                colour=LEVEL_COLOURS["fail"],
            )
            return
        if income.result != "hit":
            self.row(
                x,
                "Result",
                f"Error: {income.error_message or 'no message'}",
                f"sequence ID {income.sequence_id or '-'}",
                colour=LEVEL_COLOURS["fail"],
            )
            return
        self.row(x, "Employer", income.company)
        self.row(x, "Company address", income.address_company)
        self.row(x, "Last salary", income.month_last_salary)
        self.row(x, "Sequence ID", income.sequence_id)
        self._band_strip(income.band_label, income.band_description, income.band_position)
        self._comparisons(income.comparisons)

    def _band_strip(self, label: str | None, description: str | None, position: int | None) -> None:
        self.ln(self.lh * 0.5)
        self.font(bold=True)
        if label is None:
            self.para("Salary band: not returned")
        else:
            where = f", band {position} of 18" if position else ", not on the 18-band table"
            if position and label not in LABELS:
                where = f", drawn in band {position} ({LABELS[position - 1]})"
            about = f" ({description})" if description and description != label else ""
            self.para(f"Salary band: {label}{about}{where}")
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
        self.para(f"Monthly salary in millions of rupiah (JT = juta); e.g. {pretty_band('5.5-6.5JT')}.")

    def _comparisons(self, rows: list[dict[str, str]]) -> None:
        if not rows:
            return
        self.ln(self.lh * 0.5)
        self.font(bold=True)
        self.para("Fields compared by the income API")
        self.font()
        self.set_draw_color(210, 210, 210)
        self.set_fill_color(255, 255, 255)  # the band strip's grey must not leak into the table
        head = FontFace(emphasis="B", color=INK, fill_color=(240, 240, 240))
        with self.table(
            col_widths=(30, 100, 40),
            width=self.epw,
            align="LEFT",
            text_align="LEFT",
            line_height=self.lh,
            headings_style=head,
            padding=(0.8, 1.5),
        ) as table:
            header = table.row()
            for title in ("Field", "Sent", "Verdict"):
                header.cell(title)
            for item in rows:
                row = table.row()
                row.cell(self.t(item["field"]))
                row.cell(self.t(item["submitted"]))
                colour = VERDICT_COLOURS.get(item["verdict"], GREY)
                row.cell(self.t(item["verdict"]), style=FontFace(emphasis="B", color=colour))
