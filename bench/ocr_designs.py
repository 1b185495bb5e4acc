"""An OCR evaluation set the pipeline was not shaped on: NPWP cards in approximations of the real designs.

The cards here are DRAWN (synthetic), with PIL, by code of their own: nothing comes from
``sandbox.samples.generate`` (the shipped samples, which the pipeline was tuned on), not the
layout, not the colours, not the DejaVu fonts. Each card is drawn in one of the fonts of
Debian's fonts-liberation2 and fonts-freefont-ttf (Liberation Sans/Serif/Mono, FreeSans,
FreeSerif, FreeMono; see packages-dev.txt), picked by seed.

Designs (approximate, from descriptions of the real cards; not copies of them):

- ``dep-keu``: the older card. Yellow header "DEPARTEMEN KEUANGAN REPUBLIK INDONESIA /
  DIREKTORAT JENDERAL PAJAK" beside a round emblem-like mark, a background of tiny repeated
  "DIREKTORAT JENDERAL PAJAK" text, "NPWP : 12.345.678.9-012.345" on one line, the name
  (sometimes italic), "NIK : …", one or two address lines, "TGL TERDAFTAR : dd-mm-yyyy".
- ``kem-keu``: the later card, blue header "KEMENTERIAN KEUANGAN …", otherwise similar, with
  "Tanggal Terdaftar dd/mm/yyyy".
- ``2022``: an "npwp." logo at top left, "KPP PRATAMA <CITY>" at top right, the 15-digit number
  large and bold with no label, the name, "NPWP16 : 3273 0512 0585 0002" (for a person: the
  NIK, in groups of four), a QR-code-like square beside the address, a date.
- ``company``: a dep-keu or kem-keu card of a company ("PT. …", "CV. …", sometimes with no
  space after the dot), without a NIK line.

Numbers are valid (python-stdnum checks each one), except on about 1 card in 6, which prints
an NPWP whose check digit fails (the specimen-style 99.999.999.9-999.000, or a random one):
the expected answer is still the number as printed.

Each card gets one capture, by seed (see :data:`CAPTURES`), and the set closes with documents
that hold no NPWP (:data:`NEGATIVES`, expected None). The same seed gives the same bytes.

What a card is expected to give, in the vendor's shape (manifest.json): ``npwp`` as printed
in the dotted 15-digit form, except on a 2022 card, which prints both forms: there the
NPWP16 (16 plain digits); ``nik`` the holder's NIK ("" on a company card; on a 2022 card the
NPWP16, which for a person is the NIK); ``name`` and ``address`` as printed, the address
lines joined by one space.
"""

from __future__ import annotations

import datetime
import io
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from stdnum import luhn
from stdnum.id import nik as nik_mod
from stdnum.id import npwp as npwp_mod

# Numbers only: these two make stdnum-valid NIKs and NPWPs and draw nothing.
from bench.ocr_cards import random_nik, random_npwp15

DESIGNS = ("dep-keu", "kem-keu", "2022", "company")
CAPTURES = ("clean scan", "JPEG q40", "thumbnail", "phone photo", "desk shadow", "glare", "turned", "front+back",
            "screenshot")  # fmt: skip
NEGATIVES = ("KTP-like", "XX template", "blurred card", "photo, no card", "blank page")
#: Every INVALID_EVERY-th card prints an NPWP whose check digit fails.
INVALID_EVERY = 6
SPECIMEN_NPWP = "99.999.999.9-999.000"

# --- Fonts -----------------------------------------------------------------------------------

_LIB = Path("/usr/share/fonts/truetype/liberation2")
_FREE = Path("/usr/share/fonts/truetype/freefont")
#: Font faces: regular, bold, italic, bold italic. None of them is DejaVu.
FACES: dict[str, tuple[Path, Path, Path, Path]] = {
    "Liberation Sans": tuple(_LIB / f"LiberationSans-{s}.ttf" for s in ("Regular", "Bold", "Italic", "BoldItalic")),
    "Liberation Serif": tuple(_LIB / f"LiberationSerif-{s}.ttf" for s in ("Regular", "Bold", "Italic", "BoldItalic")),
    "Liberation Mono": tuple(_LIB / f"LiberationMono-{s}.ttf" for s in ("Regular", "Bold", "Italic", "BoldItalic")),
    "FreeSans": tuple(_FREE / f"FreeSans{s}.ttf" for s in ("", "Bold", "Oblique", "BoldOblique")),
    "FreeSerif": tuple(_FREE / f"FreeSerif{s}.ttf" for s in ("", "Bold", "Italic", "BoldItalic")),
    "FreeMono": tuple(_FREE / f"FreeMono{s}.ttf" for s in ("", "Bold", "Oblique", "BoldOblique")),
}


class FontsMissing(RuntimeError):
    """The bench fonts are not installed."""


class Face:
    """One font family at any size: ``face.font(size, bold=…, italic=…)``."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.paths = FACES[name]
        missing = [str(p) for p in self.paths if not p.is_file()]
        if missing:
            raise FontsMissing(f"{', '.join(missing)} missing: apt-get install fonts-liberation2 fonts-freefont-ttf")
        self._cache: dict[tuple[int, bool, bool], ImageFont.FreeTypeFont] = {}

    def font(self, size: int, bold: bool = False, italic: bool = False) -> ImageFont.FreeTypeFont:
        key = (size, bold, italic)
        if key not in self._cache:
            self._cache[key] = ImageFont.truetype(str(self.paths[bold + 2 * italic]), size)
        return self._cache[key]

    def fitted(self, draw: ImageDraw.ImageDraw, text: str, size: int, width: float, **style: bool) -> ImageFont.FreeTypeFont:
        """The font at ``size``, or smaller until ``text`` fits in ``width`` pixels."""
        while size > 14 and draw.textlength(text, font=self.font(size, **style)) > width:
            size -= 2
        return self.font(size, **style)


_FACE_CACHE: dict[str, Face] = {}


def face(name: str) -> Face:
    if name not in _FACE_CACHE:
        _FACE_CACHE[name] = Face(name)
    return _FACE_CACHE[name]


# --- Names, addresses, numbers ---------------------------------------------------------------

_FIRST = ("ADI", "SRI", "AGUS", "NUR", "DWI", "TRI", "EKA", "ANI", "BAYU", "CITRA", "DEDI", "ENDANG", "HERI", "IKA",
          "LINA", "MEGA", "NOVI", "PUJI", "RAHMAT", "SLAMET", "TAUFIK", "UMI", "WATI", "YUSUF", "HADI", "ASTUTI")  # fmt: skip
_LAST = ("SUSANTO", "WAHYUNI", "PURNOMO", "HARTONO", "SUGIARTO", "KUSUMA", "RAHMAN", "HASIBUAN", "TAMBUNAN",
         "SIHOMBING", "MARPAUNG", "LUBIS", "PRASETYO", "SUPRIYADI", "HANDAYANI", "SETYOWATI", "IRAWAN",
         "FIRMANSYAH", "RAMADHAN", "WIBOWO", "SUHARTO", "KARTIKASARI")  # fmt: skip
_COMPANY = ("MAJU", "JAYA", "SENTOSA", "ABADI", "SUMBER", "REJEKI", "KARYA", "MANDIRI", "BERKAH", "SEJAHTERA",
            "MITRA", "NUSANTARA", "PERKASA", "TEKNIK", "UTAMA", "CAHAYA", "LANGGENG", "ANUGERAH")  # fmt: skip
_STREETS = ("PAHLAWAN", "RAYA DARMO", "CIHAMPELAS", "MALIOBORO", "PANDANARAN", "BASUKI RAHMAT", "SULTAN AGUNG",
            "DAGO", "SILIWANGI", "TEUKU UMAR", "RAJAWALI", "ANGGREK", "MAWAR", "FLAMBOYAN", "KAPTEN MUSLIM",
            "SETIABUDI", "WR. SUPRATMAN", "HOS COKROAMINOTO", "CIUMBULEUIT", "KALIURANG")  # fmt: skip
#: (kelurahan, kecamatan, city)
_AREAS = (
    ("SUKAJADI", "SUKAJADI", "BANDUNG"), ("DARMO", "WONOKROMO", "SURABAYA"), ("SEKIP", "LUBUK PAKAM", "DELI SERDANG"),
    ("CATURTUNGGAL", "DEPOK", "SLEMAN"), ("PLEBURAN", "SEMARANG SELATAN", "SEMARANG"), ("KUTA", "KUTA", "BADUNG"),
    ("PETOGOGAN", "KEBAYORAN BARU", "JAKARTA SELATAN"), ("SEI SIKAMBING B", "MEDAN SUNGGAL", "MEDAN"),
    ("LOWOKWARU", "LOWOKWARU", "MALANG"), ("PANAIKANG", "PANAKKUKANG", "MAKASSAR"),
)  # fmt: skip
_KPP_CITIES = ("BANDUNG KARAREES", "SURABAYA WONOCOLO", "SLEMAN", "SEMARANG CANDISARI", "BADUNG SELATAN",
               "JAKARTA KEBAYORAN BARU SATU", "MEDAN PETISAH", "MALANG UTARA", "MAKASSAR BARAT")  # fmt: skip


def _address(rng: random.Random) -> tuple[str, ...]:
    """One or two uppercase address lines."""
    kel, kec, city = rng.choice(_AREAS)
    style = rng.randrange(4)
    if style == 0:
        first = f"JL. {rng.choice(_STREETS)} NO. {rng.randint(1, 160)} RT {rng.randint(1, 15):03d} RW {rng.randint(1, 12):03d}"
    elif style == 1:
        first = f"PERUM GRIYA {rng.choice(_COMPANY)} BLOK {rng.choice('ABCDEF')}{rng.randint(1, 9)} NO. {rng.randint(1, 40)}"
    elif style == 2:
        first = f"GG. {rng.choice(_STREETS)} NO. {rng.randint(1, 60)} RT {rng.randint(1, 15):02d}/RW {rng.randint(1, 9):02d}"
    else:
        first = f"DUSUN KRAJAN RT {rng.randint(1, 9):03d} RW {rng.randint(1, 9):03d}"
    if rng.random() < 0.3:  # one line only
        return (f"{first} {kel}",)
    second = f"KEL. {kel} KEC. {kec}" + (f" {city}" if rng.random() < 0.6 else "")
    return (first, second)


def _person(rng: random.Random) -> str:
    return " ".join([rng.choice(_FIRST)] + rng.sample(_LAST, rng.choice((1, 1, 2))))


def _company(rng: random.Random) -> str:
    kind = rng.choice(("PT.", "PT.", "CV."))
    joiner = "" if rng.random() < 0.35 else " "  # "PT.MAJU JAYA" as often printed
    return kind + joiner + " ".join(rng.sample(_COMPANY, rng.choice((2, 2, 3))))


def invalid_npwp15(rng: random.Random) -> str:
    """A dotted 15-digit NPWP whose check digit fails: the specimen number, or a random one."""
    if rng.random() < 0.4:
        number = SPECIMEN_NPWP
    else:
        head = f"{rng.randint(1, 99):02d}{rng.randint(0, 999999):06d}"
        wrong = (int(luhn.calc_check_digit(head)) + rng.randint(1, 9)) % 10
        number = npwp_mod.format(f"{head}{wrong}{rng.randint(1, 999):03d}000")
    if npwp_mod.is_valid(number):  # never expected: the check digit was made wrong on purpose
        raise AssertionError(number)
    return number


def company_npwp15(rng: random.Random) -> str:
    """A valid dotted NPWP of the kind companies get (starting 01-03)."""
    head = f"{rng.randint(1, 3):02d}{rng.randint(0, 999999):06d}"
    number = npwp_mod.format(f"{head}{luhn.calc_check_digit(head)}{rng.randint(1, 999):03d}000")
    assert npwp_mod.is_valid(number), number
    return number


@dataclass(frozen=True)
class Card:
    """What one card prints."""

    design: str  # one of DESIGNS
    npwp: str  # dotted 15 digits, as printed
    name: str
    nik: str  # "" on a company card
    address_lines: tuple[str, ...]
    kpp: str
    registered: datetime.date
    italic_name: bool
    face: str  # one of FACES

    @property
    def valid(self) -> bool:
        return npwp_mod.is_valid(self.npwp)

    @property
    def npwp16(self) -> str:
        """The 16-digit form the 2022 card prints: a person's NIK, else 0 and the 15 digits."""
        return self.nik or "0" + npwp_mod.compact(self.npwp)

    def expected(self) -> dict[str, str]:
        # A card that prints both forms answers with the NPWP16, the number in force since 2024.
        npwp = self.npwp16 if self.design == "2022" else self.npwp
        return {"npwp": npwp, "name": self.name, "nik": self.nik, "address": " ".join(self.address_lines)}


def random_card(design: str, rng: random.Random, invalid: bool = False) -> Card:
    """A card of ``design`` with random data; ``invalid``: its NPWP fails the check digit."""
    company = design == "company"
    if company:
        style = rng.choice(("dep-keu", "kem-keu"))
        npwp = invalid_npwp15(rng) if invalid else company_npwp15(rng)
        nik, name = "", _company(rng)
    else:
        style = design
        npwp = invalid_npwp15(rng) if invalid else random_npwp15(rng)
        nik, name = random_nik(rng)[0], _person(rng)
        assert nik_mod.is_valid(nik), nik
    years = {"dep-keu": (1995, 2009), "kem-keu": (2010, 2021), "2022": (2022, 2024)}[style]
    registered = datetime.date(rng.randint(*years), rng.randint(1, 12), rng.randint(1, 28))
    return Card(
        design=design if not company else f"company/{style}",
        npwp=npwp,
        name=name,
        nik=nik,
        address_lines=_address(rng),
        kpp=rng.choice(_KPP_CITIES),
        registered=registered,
        italic_name=rng.random() < 0.3,
        face=rng.choice(sorted(FACES)),
    )


# --- Drawing -----------------------------------------------------------------------------
# Own layout constants: a card 1284 x 810 px (85.6 x 54 mm at 381 dpi).

CARD_W, CARD_H = 1284, 810
MARGIN = 64
_DK_YELLOW = (244, 198, 38)
_DK_INK = (38, 30, 16)
_KK_BLUE = (22, 72, 150)
_INK = (24, 24, 30)
_LOGO_BLUE = (0, 92, 172)
_LOGO_ORANGE = (240, 130, 20)


def _pattern(card: Image.Image, text: str, colour: tuple[int, int, int], size: int, top: int) -> None:
    """Tiny repeated text over the whole card below ``top`` (a security background)."""
    draw = ImageDraw.Draw(card)
    font = face("Liberation Sans").font(size)
    line = (text + "  ") * 12
    for row, y in enumerate(range(top, CARD_H, size + 5)):
        draw.text((-(row % 3) * size * 2, y), line, font=font, fill=colour)


def _emblem(draw: ImageDraw.ImageDraw, x: int, y: int, r: int, ring: tuple[int, int, int], fill: tuple[int, int, int]) -> None:
    """A round mark with a star (made up; not the state emblem)."""
    draw.ellipse((x - r, y - r, x + r, y + r), fill=fill, outline=ring, width=5)
    draw.ellipse((x - r + 12, y - r + 12, x + r - 12, y + r - 12), outline=ring, width=2)
    points = []
    for k in range(10):
        angle = np.pi / 2 + k * np.pi / 5
        radius = (r - 22) if k % 2 == 0 else (r - 22) * 0.45
        points.append((x + radius * np.cos(angle), y - radius * np.sin(angle)))
    draw.polygon(points, fill=ring)


def _classic(card: Card, rng: random.Random, template: bool = False) -> Image.Image:
    """The dep-keu and kem-keu layouts (and their company cards)."""
    older = card.design.endswith("dep-keu")
    f = face(card.face)
    paper = (252, 250, 238) if older else (241, 246, 252)
    image = Image.new("RGB", (CARD_W, CARD_H), paper)
    header_h = 150 + rng.randint(-8, 8)
    _pattern(image, "DIREKTORAT JENDERAL PAJAK", (214, 212, 204) if older else (212, 222, 236), 12, header_h + 4)
    draw = ImageDraw.Draw(image)
    band = _DK_YELLOW if older else _KK_BLUE
    head_ink = _DK_INK if older else (255, 255, 255)
    draw.rectangle((0, 0, CARD_W, header_h), fill=band)
    draw.rectangle((0, header_h, CARD_W, header_h + 6), fill=(150, 110, 20) if older else (230, 180, 40))
    _emblem(draw, 40 + header_h // 2 - 10, header_h // 2, header_h // 2 - 14, (120, 80, 10), (250, 226, 120))
    x_head = header_h + 40
    line1 = ("DEPARTEMEN" if older else "KEMENTERIAN") + " KEUANGAN REPUBLIK INDONESIA"
    draw.text((x_head, header_h * 0.2), line1, font=f.fitted(draw, line1, 40, CARD_W - x_head - 40, bold=True), fill=head_ink)
    draw.text((x_head, header_h * 0.58), "DIREKTORAT JENDERAL PAJAK", font=f.font(36, bold=True), fill=head_ink)

    width = CARD_W - 2 * MARGIN - 220  # the right side keeps a hologram-like patch
    x, y = MARGIN + rng.randint(-8, 12), header_h + 50 + rng.randint(-6, 10)
    number_line = f"NPWP : {card.npwp}" if rng.random() < 0.7 else f"NPWP: {card.npwp}"
    draw.text((x, y), number_line, font=f.fitted(draw, number_line, 50, width, bold=True), fill=_INK)
    y += 82
    draw.text((x, y), card.name, font=f.fitted(draw, card.name, 42, width, bold=not card.italic_name, italic=card.italic_name),
              fill=_INK)  # fmt: skip
    y += 64
    if card.nik:
        nik_line = f"NIK : {card.nik}"
        draw.text((x, y), nik_line, font=f.fitted(draw, nik_line, 36, width), fill=_INK)
        y += 58
    for line in card.address_lines:
        draw.text((x, y), line, font=f.fitted(draw, line, 32, CARD_W - 2 * MARGIN), fill=_INK)
        y += 48
    y = max(y + 24, CARD_H - 150)
    if template:
        date = "XX-XX-XXXX"
    elif older:
        date = f"{card.registered:%d-%m-%Y}"
    else:
        date = f"{card.registered:%d/%m/%Y}"
    date_line = f"TGL TERDAFTAR : {date}" if older else f"Tanggal Terdaftar {date}"
    draw.text((x, y), date_line, font=f.font(30), fill=_INK)
    # A hologram-like patch at the right, silver with a faint rainbow.
    patch = np.zeros((150, 150, 3), np.float32)
    ys, xs = np.mgrid[0:150, 0:150]
    for channel, phase in enumerate((0.0, 2.1, 4.2)):
        patch[..., channel] = 205 + 35 * np.sin((xs + ys) / 18 + phase)
    hologram = Image.fromarray(patch.clip(0, 255).astype(np.uint8))
    mask = Image.new("L", (150, 150), 0)
    ImageDraw.Draw(mask).ellipse((0, 0, 149, 149), fill=200)
    image.paste(hologram, (CARD_W - MARGIN - 160, header_h + 60), mask)
    return image


def _qr(rng: random.Random, modules: int = 25, size: int = 200) -> Image.Image:
    """A QR-code-like square: random modules and three finder patterns (not a real code)."""
    grid = rng.getrandbits(modules * modules)
    cells = np.array([(grid >> i) & 1 for i in range(modules * modules)], np.uint8).reshape(modules, modules)
    for r, c in ((0, 0), (0, modules - 7), (modules - 7, 0)):
        cells[r : r + 7, c : c + 7] = 1
        cells[r + 1 : r + 6, c + 1 : c + 6] = 0
        cells[r + 2 : r + 5, c + 2 : c + 5] = 1
    picture = Image.fromarray(((1 - cells) * 255).astype(np.uint8), "L").resize((size, size), Image.Resampling.NEAREST)
    framed = Image.new("L", (size + 20, size + 20), 255)
    framed.paste(picture, (10, 10))
    return framed.convert("RGB")


def _design_2022(card: Card, rng: random.Random) -> Image.Image:
    f = face(card.face)
    image = Image.new("RGB", (CARD_W, CARD_H), (250, 251, 253))
    draw = ImageDraw.Draw(image)
    # A pale wave across the lower part.
    wave = [(0, CARD_H)] + [(x, CARD_H - 170 + 40 * np.sin(x / 170)) for x in range(0, CARD_W + 1, 20)] + [(CARD_W, CARD_H)]
    draw.polygon(wave, fill=(222, 236, 250))
    logo = face("Liberation Sans").font(96, bold=True)
    draw.text((MARGIN, 40), "npwp", font=logo, fill=_LOGO_BLUE)
    dot_x = MARGIN + draw.textlength("npwp", font=logo)
    draw.text((dot_x, 40), ".", font=logo, fill=_LOGO_ORANGE)
    kpp = f"KPP PRATAMA {card.kpp}"
    draw.text((CARD_W - MARGIN, 62), kpp, font=f.fitted(draw, kpp, 30, 560, bold=True), fill=_LOGO_BLUE, anchor="ra")
    x, y = MARGIN + rng.randint(-6, 10), 200 + rng.randint(-6, 8)
    draw.text((x, y), card.npwp, font=f.fitted(draw, card.npwp, 76, CARD_W - 2 * MARGIN, bold=True), fill=_INK)
    y += 110
    draw.text((x, y), card.name, font=f.fitted(draw, card.name, 42, CARD_W - 2 * MARGIN, bold=not card.italic_name,
                                               italic=card.italic_name), fill=_INK)  # fmt: skip
    y += 66
    grouped = " ".join(card.npwp16[i : i + 4] for i in range(0, 16, 4))
    draw.text((x, y), f"NPWP16 : {grouped}", font=f.font(34), fill=_INK)
    y += 70
    qr = _qr(rng)
    image.paste(qr, (CARD_W - MARGIN - qr.width, y - 10))
    text_width = CARD_W - 2 * MARGIN - qr.width - 30
    for line in card.address_lines:
        draw.text((x, y), line, font=f.fitted(draw, line, 30, text_width), fill=_INK)
        y += 46
    draw.text((x, max(y + 20, CARD_H - 110)), f"{card.registered:%d/%m/%Y}", font=f.font(28), fill=_INK)
    return image


def draw_card(card: Card, rng: random.Random) -> Image.Image:
    """The front of ``card`` as an RGB picture of CARD_W x CARD_H."""
    picture = _design_2022(card, rng) if card.design == "2022" else _classic(card, rng)
    mask = Image.new("L", picture.size, 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, CARD_W - 1, CARD_H - 1), radius=40, fill=255)
    out = Image.new("RGB", picture.size, (255, 255, 255))
    out.paste(picture, (0, 0), mask)
    return out


def draw_back(face_name: str, rng: random.Random) -> Image.Image:
    """The blue back of a card: the tax office's web address and slogan, and small print."""
    f = face(face_name)
    image = Image.new("RGB", (CARD_W, CARD_H), (26, 78, 160))
    _pattern(image, "PAJAK KITA UNTUK KITA", (44, 96, 176), 12, 0)
    draw = ImageDraw.Draw(image)
    draw.text((CARD_W / 2, 230), "Pajak Kita Untuk Kita", font=f.font(64, bold=True), fill=(255, 255, 255), anchor="mm")
    draw.text((CARD_W / 2, 330), "www.pajak.go.id", font=f.font(48), fill=(255, 220, 90), anchor="mm")
    small = f.font(26)
    notes = ("1. Kartu ini agar disimpan baik-baik.", "2. Apabila kartu ini hilang, segera lapor ke KPP.",
             f"Kring Pajak {rng.choice(('1500200', '(021) 1500200'))}")  # fmt: skip
    for row, note in enumerate(notes):
        draw.text((MARGIN, 480 + row * 44), note, font=small, fill=(230, 238, 250))
    return image


# --- Captures ----------------------------------------------------------------------------


def png_bytes(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.convert("RGB").save(out, "PNG", compress_level=1)
    return out.getvalue()


def jpeg_bytes(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=quality)
    return out.getvalue()


def _scaled(image: Image.Image, width: int) -> Image.Image:
    return image.resize((width, round(width * image.height / image.width)), Image.Resampling.LANCZOS)


def _desk(rng: np.random.Generator, width: int, height: int) -> np.ndarray:
    """A desk top: wood, grey laminate or a dark cloth, with blotches and grain."""
    base = np.array([(120, 84, 52), (168, 128, 88), (88, 90, 96), (196, 192, 182), (46, 50, 60)][rng.integers(5)], np.float32)
    blotches = cv2.resize(rng.normal(0, 16, (height // 50 + 2, width // 50 + 2)), (width, height), interpolation=cv2.INTER_CUBIC)
    streaks = cv2.resize(rng.normal(0, 8, (height // 4 + 2, 6)), (width, height), interpolation=cv2.INTER_LINEAR)
    return np.clip(base + (blotches + streaks)[..., None] + rng.normal(0, 5, (height, width, 1)), 0, 255).astype(np.float32)


def _place(card: Image.Image, rng: np.random.Generator, out_w: int, tilt_deg: float, keystone: float):
    """The card warped onto a desk: (photo float32 RGB, card mask, the card's four corners)."""
    out_h = int(out_w * 0.75)
    card_w = out_w * rng.uniform(0.66, 0.84)
    card_h = card_w * card.height / card.width
    quad = np.array([[-card_w / 2, -card_h / 2], [card_w / 2, -card_h / 2], [card_w / 2, card_h / 2], [-card_w / 2, card_h / 2]])
    quad += rng.normal(0, keystone * card_w, quad.shape)
    angle = np.radians(tilt_deg)
    quad = quad @ np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]]).T
    quad += np.array([out_w / 2, out_h / 2]) + rng.uniform(-0.03, 0.03, 2) * (out_w, out_h)
    src = np.array([[0, 0], [card.width, 0], [card.width, card.height], [0, card.height]], np.float32)
    matrix = cv2.getPerspectiveTransform(src, quad.astype(np.float32))
    rgb = np.asarray(card.convert("RGB"), np.float32)
    warped = cv2.warpPerspective(rgb, matrix, (out_w, out_h), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.ones(rgb.shape[:2], np.float32), matrix, (out_w, out_h), flags=cv2.INTER_LINEAR)
    photo = warped * mask[..., None] + _desk(rng, out_w, out_h) * (1 - mask[..., None])
    return photo, mask, quad


def _finish(photo: np.ndarray, rng: np.random.Generator, blur: float, noise: float, quality: int) -> bytes:
    photo = cv2.GaussianBlur(photo, (0, 0), blur) if blur > 0 else photo
    photo = photo + rng.normal(0, noise, photo.shape)
    return jpeg_bytes(Image.fromarray(np.clip(photo, 0, 255).astype(np.uint8)), quality)


def phone_photo(card: Image.Image, seed: int) -> bytes:
    """A phone photo: perspective tilt, a thumb over one corner, uneven light, blur, noise."""
    rng = np.random.default_rng(seed)
    out_w = int(rng.integers(1100, 1400))
    photo, _, quad = _place(card, rng, out_w, rng.uniform(4, 10) * rng.choice((-1, 1)), 0.03)
    out_h = photo.shape[0]
    # The thumb: a skin-coloured ellipse over a corner, shaded, with a soft edge.
    corner = quad[int(rng.integers(4))]
    centre = quad.mean(axis=0)
    towards = (centre - corner) / np.linalg.norm(centre - corner)
    card_w = np.linalg.norm(quad[1] - quad[0])
    middle = corner + towards * card_w * rng.uniform(0.02, 0.08)
    axes = (int(card_w * rng.uniform(0.09, 0.14)), int(card_w * rng.uniform(0.16, 0.24)))
    blob = np.zeros((out_h, out_w), np.float32)
    cv2.ellipse(blob, (int(middle[0]), int(middle[1])), axes, float(np.degrees(np.arctan2(towards[1], towards[0])) + 90),
                0, 360, 1.0, -1)  # fmt: skip
    blob = cv2.GaussianBlur(blob, (0, 0), 6)
    skin = np.array([(226, 176, 142), (198, 140, 104), (160, 110, 80), (236, 192, 160)][rng.integers(4)], np.float32)
    shade = cv2.GaussianBlur(rng.normal(1.0, 0.08, (out_h, out_w)).astype(np.float32), (0, 0), 20)[..., None]
    photo = photo * (1 - blob[..., None]) + skin * shade * blob[..., None]
    # Uneven light: a ramp in a random direction and a vignette.
    ys, xs = np.mgrid[0:out_h, 0:out_w].astype(np.float32)
    theta = rng.uniform(0, 2 * np.pi)
    ramp = np.cos(theta) * (xs / out_w - 0.5) + np.sin(theta) * (ys / out_h - 0.5) + 0.5
    vignette = 1 - 0.3 * ((xs / out_w - 0.5) ** 2 + (ys / out_h - 0.5) ** 2)
    light = (rng.uniform(0.55, 0.75) + rng.uniform(0.3, 0.45) * ramp) * vignette
    photo = photo * light[..., None] * rng.uniform(0.94, 1.06, 3)
    return _finish(photo, rng, rng.uniform(0.6, 1.3), rng.uniform(3, 8), 85)


def desk_shadow(card: Image.Image, seed: int) -> bytes:
    """The card on a desk, nearly square to the camera, a shadow edge (a hand, a phone) across part of it."""
    rng = np.random.default_rng(seed)
    out_w = int(rng.integers(1100, 1400))
    photo, _, quad = _place(card, rng, out_w, rng.uniform(-3, 3), 0.01)
    out_h = photo.shape[0]
    # A straight shadow edge through a point on the card, at any angle; one side darker.
    point = quad.mean(axis=0) + rng.uniform(-0.3, 0.3, 2) * (np.linalg.norm(quad[1] - quad[0]), np.linalg.norm(quad[3] - quad[0]))
    theta = rng.uniform(0, 2 * np.pi)
    ys, xs = np.mgrid[0:out_h, 0:out_w].astype(np.float32)
    side = (xs - point[0]) * np.cos(theta) + (ys - point[1]) * np.sin(theta)
    edge = rng.uniform(4, 25)
    shadow = 1 / (1 + np.exp(-side / edge))
    darkness = rng.uniform(0.4, 0.65)
    photo = photo * (1 - darkness * shadow)[..., None] * np.array([0.97, 0.99, 1.04])  # shade is a little blue
    return _finish(photo, rng, rng.uniform(0.4, 0.9), rng.uniform(2, 5), 88)


def glare(card: Image.Image, seed: int) -> bytes:
    """The card (a laminated one) photographed under a lamp: a bright ellipse of glare over part of it."""
    rng = np.random.default_rng(seed)
    out_w = int(rng.integers(1100, 1400))
    photo, mask, quad = _place(card, rng, out_w, rng.uniform(-4, 4), 0.015)
    out_h = photo.shape[0]
    card_w = np.linalg.norm(quad[1] - quad[0])
    # Somewhere over the field area (the middle of the card, left of centre more often).
    centre = quad[0] + (quad[1] - quad[0]) * rng.uniform(0.15, 0.7) + (quad[3] - quad[0]) * rng.uniform(0.3, 0.75)
    spot = np.zeros((out_h, out_w), np.float32)
    axes = (int(card_w * rng.uniform(0.12, 0.22)), int(card_w * rng.uniform(0.05, 0.1)))
    cv2.ellipse(spot, (int(centre[0]), int(centre[1])), axes, float(rng.uniform(-40, 40)), 0, 360, 1.0, -1)
    spot = cv2.GaussianBlur(spot, (0, 0), axes[1] * 0.6) * rng.uniform(0.85, 1.0) * mask
    spot = np.clip(spot * 1.4, 0, 1)
    photo = photo * (1 - spot[..., None]) + 255 * spot[..., None]
    return _finish(photo, rng, rng.uniform(0.5, 1.0), rng.uniform(2, 5), 85)


def front_and_back(front: Image.Image, back: Image.Image, seed: int) -> bytes:
    """Front and back on one scanned page, beside or below each other (a photocopy for KYC)."""
    rng = random.Random(seed)
    width = rng.randint(900, 1100)
    a, b = _scaled(front, width), _scaled(back, width)
    gap, margin = rng.randint(40, 120), rng.randint(50, 120)
    beside = rng.random() < 0.5
    if beside:
        size = (2 * width + gap + 2 * margin, a.height + 2 * margin)
        second = (margin + width + gap, margin)
    else:
        size = (width + 2 * margin, 2 * a.height + gap + 2 * margin)
        second = (margin, margin + a.height + gap)
    page = Image.new("RGB", size, (246, 246, 244))
    first, other = (a, b) if rng.random() < 0.8 else (b, a)  # now and then the back comes first
    page.paste(first, (margin, margin))
    page.paste(other, second)
    return jpeg_bytes(page, 90)


def screenshot(card: Image.Image, seed: int) -> bytes:
    """A phone screenshot of the card in a gallery app: status bar, title bar, buttons below."""
    rng = random.Random(seed)
    width, height = 1080, rng.choice((2340, 2400, 1920))
    dark = rng.random() < 0.5
    paper, ink = ((18, 18, 20), (235, 235, 235)) if dark else ((250, 250, 250), (30, 30, 34))
    page = Image.new("RGB", (width, height), paper)
    draw = ImageDraw.Draw(page)
    ui = face(rng.choice(("Liberation Sans", "FreeSans")))
    draw.text((48, 30), f"{rng.randint(6, 23):02d}:{rng.randint(0, 59):02d}", font=ui.font(40), fill=ink)
    draw.text((width - 48, 30), f"4G  {rng.randint(12, 99)}%", font=ui.font(40), fill=ink, anchor="ra")
    draw.text((48, 140), "<  " + rng.choice(("Galeri", "Foto", "Dokumen")), font=ui.font(52, bold=True), fill=ink)
    taken = f"{rng.randint(2019, 2024)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    draw.text((48, 215), f"IMG_{taken}_{rng.randint(100000, 999999)}.jpg", font=ui.font(34), fill=ink)
    shown = _scaled(card, width - rng.randint(0, 80))
    top = (height - shown.height) // 2 + rng.randint(-120, 120)
    page.paste(shown, ((width - shown.width) // 2, top))
    for n, label in enumerate(("Bagikan", "Edit", "Favorit", "Hapus")):
        draw.text((135 + n * 270, height - 150), label, font=ui.font(36), fill=ink, anchor="ma")
    return png_bytes(page) if rng.random() < 0.5 else jpeg_bytes(page, 85)


_TURNS = (Image.Transpose.ROTATE_90, Image.Transpose.ROTATE_180, Image.Transpose.ROTATE_270)


def capture(kind: str, front: Image.Image, seed: int, back: Image.Image | None = None) -> tuple[bytes, str]:
    """``front`` as an upload of capture ``kind``: (bytes, file extension)."""
    rng = random.Random(seed)
    if kind == "clean scan":
        return png_bytes(_scaled(front, rng.randint(1000, 1400))), "png"
    if kind == "JPEG q40":
        return jpeg_bytes(_scaled(front, rng.randint(1000, 1400)), 40), "jpg"
    if kind == "thumbnail":
        return jpeg_bytes(_scaled(front, rng.randint(280, 320)), 85), "jpg"
    if kind == "phone photo":
        return phone_photo(front, seed), "jpg"
    if kind == "desk shadow":
        return desk_shadow(front, seed), "jpg"
    if kind == "glare":
        return glare(front, seed), "jpg"
    if kind == "turned":
        return png_bytes(_scaled(front, rng.randint(1000, 1300)).transpose(_TURNS[seed % 3])), "png"
    if kind == "front+back":
        if back is None:
            raise ValueError("front+back needs the back")
        return front_and_back(front, back, seed), "jpg"
    if kind == "screenshot":
        data = screenshot(front, seed)
        return data, "png" if data.startswith(b"\x89PNG") else "jpg"
    raise ValueError(kind)


# --- Documents that hold no NPWP ----------------------------------------------------------


def ktp_like(rng: random.Random) -> Image.Image:
    """An identity-card-like document: PROVINSI …, NIK, Nama, Tempat/Tgl Lahir …, and no NPWP."""
    f = face(rng.choice(sorted(FACES)))
    nik, born, female = random_nik(rng)
    kel, kec, city = rng.choice(_AREAS)
    image = Image.new("RGB", (CARD_W, CARD_H), (200, 226, 244))
    ys = np.linspace(0, 1, CARD_H)[:, None, None]
    tint = np.asarray(image, np.float32) * (0.92 + 0.08 * ys)
    image = Image.fromarray(tint.astype(np.uint8))
    draw = ImageDraw.Draw(image)
    draw.text((CARD_W / 2, 48), f"PROVINSI {rng.choice(('JAWA BARAT', 'JAWA TIMUR', 'BALI', 'SUMATERA UTARA'))}",
              font=f.font(38, bold=True), fill=_INK, anchor="mm")  # fmt: skip
    draw.text((CARD_W / 2, 96), f"KOTA {city}", font=f.font(38, bold=True), fill=_INK, anchor="mm")
    rows = [
        ("NIK", nik),
        ("Nama", _person(rng)),
        ("Tempat/Tgl Lahir", f"{city}, {born:%d-%m-%Y}"),
        ("Jenis Kelamin", "PEREMPUAN" if female else "LAKI-LAKI"),
        ("Alamat", f"JL. {rng.choice(_STREETS)} NO. {rng.randint(1, 99)}"),
        ("RT/RW", f"{rng.randint(1, 15):03d}/{rng.randint(1, 9):03d}"),
        ("Kel/Desa", kel),
        ("Kecamatan", kec),
        ("Agama", rng.choice(("ISLAM", "KRISTEN", "KATOLIK", "HINDU", "BUDHA"))),
        ("Pekerjaan", rng.choice(("KARYAWAN SWASTA", "WIRASWASTA", "PELAJAR/MAHASISWA", "PNS"))),
        ("Berlaku Hingga", "SEUMUR HIDUP"),
    ]
    for row, (label, value) in enumerate(rows):
        y = 150 + row * 52 + (12 if row else 0)
        size = 38 if label == "NIK" else 28
        draw.text((MARGIN, y), label, font=f.font(size, bold=label == "NIK"), fill=_INK)
        draw.text((MARGIN + 300, y), f": {value}", font=f.font(size, bold=label == "NIK"), fill=_INK)
    draw.rectangle((CARD_W - 330, 190, CARD_W - 80, 520), fill=(170, 60, 60))  # the photo
    return image


def template_card(rng: random.Random) -> Image.Image:
    """A blank card template: XX placeholders where the number and data go."""
    design = rng.choice(("dep-keu", "kem-keu"))
    card = Card(design=design, npwp="XX.XXX.XXX.X-XXX.XXX", name="NAMA WAJIB PAJAK", nik="XXXXXXXXXXXXXXXX",
                address_lines=("ALAMAT WAJIB PAJAK", "KEL. XXXXX KEC. XXXXX"), kpp="XXXXX",
                registered=datetime.date(2000, 1, 1), italic_name=False, face=rng.choice(sorted(FACES)))  # fmt: skip
    return _classic(card, rng, template=True)


def photo_no_card(seed: int) -> Image.Image:
    """A photo-like picture with no card: sky, ground, buildings with rows of windows, trees, grain."""
    rng = np.random.default_rng(seed)
    w, h = 1200, 900
    ys = np.linspace(0, 1, h)[:, None]
    sky = np.array([120, 170, 230]) * (1 - ys[..., None] * 0.4)
    image = np.repeat(sky, w, axis=1).astype(np.float32)
    horizon = int(h * rng.uniform(0.5, 0.7))
    image[horizon:] = np.array([90, 120, 70]) + rng.normal(0, 10, (h - horizon, w, 3))
    for _ in range(int(rng.integers(3, 7))):
        x0, bw = int(rng.integers(0, w - 150)), int(rng.integers(100, 260))
        top = int(rng.integers(150, horizon - 50))
        colour = rng.uniform(90, 220, 3)
        image[top:horizon, x0 : x0 + bw] = colour
        for wy in range(top + 20, horizon - 30, 40):
            for wx in range(x0 + 15, x0 + bw - 25, 35):
                image[wy : wy + 18, wx : wx + 14] = (40, 50, 70)
    for _ in range(int(rng.integers(4, 9))):
        centre = (int(rng.integers(0, w)), int(rng.integers(horizon - 40, h)))
        green = tuple(float(c) for c in rng.uniform((20, 60, 20), (80, 140, 60)))
        cv2.circle(image, centre, int(rng.integers(30, 90)), green, -1)
    image = cv2.GaussianBlur(image, (0, 0), 1.2) + rng.normal(0, 6, image.shape)
    return Image.fromarray(np.clip(image, 0, 255).astype(np.uint8))


def blank_page(rng: random.Random) -> Image.Image:
    """An A4 page at 150 dpi with nothing on it but a faint scanner shade and grain."""
    generator = np.random.default_rng(rng.getrandbits(32))
    xs = np.linspace(0, 1, 1240)[None, :, None]
    page = 248 - 10 * xs**4 + generator.normal(0, 2, (1754, 1240, 1))
    return Image.fromarray(np.clip(np.repeat(page, 3, axis=2), 0, 255).astype(np.uint8))


# --- The evaluation set ---------------------------------------------------------------------


@dataclass(frozen=True)
class Doc:
    """One document to read, and what should come back (None: it holds no NPWP).

    ``design`` is one of DESIGNS, or "negative"; ``capture`` one of CAPTURES, or for a negative
    one of NEGATIVES. ``invalid``: the printed NPWP fails its check digit.
    """

    name: str
    design: str
    capture: str
    data: bytes
    expected: dict[str, str] | None
    face: str = ""
    invalid: bool = False
    #: Every NPWP the card prints (a 2022 card: the NPWP16 and the 15-digit form). Returning
    #: another is a wrong number; returning one of these but not ``expected`` is only the wrong form.
    printed: tuple[str, ...] = ()

    @property
    def kind(self) -> str:  # the field bench.ocr_cards.Doc groups by
        return self.capture


def negative_doc(kind: str, seed: int) -> Doc:
    rng = random.Random(seed)
    if kind == "KTP-like":
        data, ext = capture(rng.choice(("clean scan", "JPEG q40", "phone photo")), ktp_like(rng), seed)
    elif kind == "XX template":
        data, ext = capture(rng.choice(("clean scan", "phone photo")), template_card(rng), seed)
    elif kind == "blurred card":
        card = random_card(rng.choice(DESIGNS[:3]), rng)
        blurred = draw_card(card, rng).filter(ImageFilter.GaussianBlur(rng.uniform(10, 14)))
        data, ext = jpeg_bytes(_scaled(blurred, rng.randint(1000, 1300)), 80), "jpg"
    elif kind == "photo, no card":
        data, ext = jpeg_bytes(photo_no_card(seed), 85), "jpg"
    elif kind == "blank page":
        page = blank_page(rng)
        data, ext = (png_bytes(page), "png") if seed % 2 else (jpeg_bytes(page, 80), "jpg")
    else:
        raise ValueError(kind)
    slug = kind.split(",")[0].replace(" ", "-").lower()
    return Doc(f"negative-{slug}-{seed}.{ext}", "negative", kind, data, None)


def evaluation_set(per_cell: int = 2, seed: int = 7, negatives_per_kind: int | None = None) -> Iterator[Doc]:
    """Yield ``per_cell`` cards of every design x capture, then the negatives; the same for the same seed.

    ``negatives_per_kind`` defaults to ``2 * per_cell``. Every INVALID_EVERY-th card (counted
    across the set) prints an NPWP whose check digit fails.
    """
    count = 0
    for d, design in enumerate(DESIGNS):
        for c, kind in enumerate(CAPTURES):
            for number in range(per_cell):
                doc_seed = seed * 1_000_003 + d * 10_007 + c * 101 + number
                rng = random.Random(doc_seed)
                invalid = count % INVALID_EVERY == INVALID_EVERY // 2
                count += 1
                card = random_card(design, rng, invalid=invalid)
                front = draw_card(card, rng)
                back = draw_back(card.face, rng) if kind == "front+back" else None
                data, ext = capture(kind, front, doc_seed, back)
                name = f"{design}-{kind.replace(' ', '-').replace('+', '-')}-{doc_seed}.{ext}"
                printed = (card.npwp16, card.npwp) if card.design == "2022" else (card.npwp,)
                yield Doc(name, design, kind, data, card.expected(), face=card.face, invalid=invalid, printed=printed)
    per_kind = 2 * per_cell if negatives_per_kind is None else negatives_per_kind
    for k, kind in enumerate(NEGATIVES):
        for number in range(per_kind):
            yield negative_doc(kind, seed * 1_000_003 + 900_000 + k * 101 + number)


def save(directory: Path | str, per_cell: int = 1, seed: int = 7) -> list[Path]:
    """Write the set's files to ``directory`` (to look at them)."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for doc in evaluation_set(per_cell, seed):
        path = folder / doc.name
        path.write_bytes(doc.data)
        written.append(path)
    return written


if __name__ == "__main__":
    import sys

    for path in save(sys.argv[1] if len(sys.argv) > 1 else "artifacts/ocr-designs"):
        print(path)
