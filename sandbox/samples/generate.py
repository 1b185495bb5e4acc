"""Draw the synthetic NPWP sample cards and write them with ``manifest.json``.

    python -m sandbox.samples.generate            # (re)write the files beside this module
    python -m sandbox.samples.generate --check    # exit 1 if the committed files differ
    python -m sandbox.samples.generate --out DIR  # write somewhere else

Every card is fictional and stamped CONTOH / SPECIMEN. Every number on it is nevertheless
valid (python-stdnum checks each one here, and the script stops if one is not), so that the
demo's validation shows a clean pass for the samples.

The output is byte-for-byte reproducible: nothing random, no timestamps (the PDF gets no
creation or modification date, the PNGs no text chunks), fixed encoder settings. The sandbox
finds a sample by the sha256 of its bytes, so this matters. It holds for the pinned Pillow
and the DejaVu fonts of Debian's fonts-dejavu-core; another font version draws different
pixels, which ``--check`` reports.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import io
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from stdnum.id import nik as nik_mod
from stdnum.id import npwp as npwp_mod

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
OUT_DIR = Path(__file__).resolve().parent
MANIFEST = "manifest.json"

CARD_SIZE = (1400, 880)
#: The PDF sample's page is the card printed at this resolution (7.0 x 4.4 inches).
PDF_DPI = 200

# Colours: field text is near-black on a pale background so that OCR (Tesseract) reads it
# cleanly; the specimen stamp sits in the empty right-hand area and never crosses a field.
BACKGROUND = (247, 248, 251)
HEADER_BAND = (226, 234, 246)
NAVY = (16, 38, 86)
GOLD = (196, 154, 40)
INK = (20, 22, 28)
STAMP_RED = (196, 32, 36)


@dataclass(frozen=True)
class CardSpec:
    """One sample card and the fields the vendor would extract from it."""

    file: str
    kind: str  # "15-digit", "16-digit" (leading 0) or "nik-as-npwp"
    label: str
    npwp: str  # as the vendor returns it: dotted 15-digit form, or 16 plain digits
    name: str
    nik: str
    address_lines: tuple[str, ...]
    kpp: str  # tax office, printed as "KPP PRATAMA <kpp>"
    registered: str  # dd/mm/yyyy
    birth_date: datetime.date  # what the NIK must encode
    female: bool  # women have 40 added to the NIK's birth day

    @property
    def address(self) -> str:
        return " ".join(self.address_lines)

    @property
    def npwp_printed(self) -> str:
        """The number line on the card: dotted for 15 digits, plain for 16."""
        return self.npwp


SAMPLES: tuple[CardSpec, ...] = (
    CardSpec(
        file="npwp15-card.png",
        kind="15-digit",
        label="15-digit NPWP (PNG)",
        npwp="58.761.234.2-017.000",
        name="SITI RAHAYU",
        nik="3171014708900003",
        address_lines=("JL. MERDEKA NO. 12 RT 003 RW 005", "KEL. SENAYAN KEC. KEBAYORAN BARU"),
        kpp="JAKARTA KEBAYORAN BARU",
        registered="14/03/2012",
        birth_date=datetime.date(1990, 8, 7),
        female=True,
    ),
    CardSpec(
        file="npwp16-nik-card.jpg",
        kind="nik-as-npwp",
        label="NIK as NPWP (JPEG)",
        npwp="3273051205850002",
        name="BUDI SANTOSO",
        nik="3273051205850002",
        address_lines=("JL. ASIA AFRIKA NO. 45 RT 002 RW 007", "KEL. BRAGA KEC. SUMUR BANDUNG"),
        kpp="BANDUNG CIBEUNYING",
        registered="15/07/2024",
        birth_date=datetime.date(1985, 5, 12),
        female=False,
    ),
    CardSpec(
        file="npwp16-card.png",
        kind="16-digit",
        label="16-digit NPWP (PNG)",
        npwp="0248135790614000",
        name="DEWI LESTARI",
        nik="3578106302920001",
        address_lines=("JL. PEMUDA NO. 7 RT 001 RW 002", "KEL. EMBONG KALIASIN KEC. GENTENG"),
        kpp="SURABAYA GENTENG",
        registered="21/09/2016",
        birth_date=datetime.date(1992, 2, 23),
        female=True,
    ),
    CardSpec(
        file="npwp15-card.pdf",
        kind="15-digit",
        label="15-digit NPWP (PDF)",
        npwp="09.372.845.9-541.000",
        name="AHMAD FAUZI",
        nik="3471023011780004",
        address_lines=("JL. MALIOBORO NO. 88 RT 010 RW 004", "KEL. SOSROMENDURAN KEC. GEDONG TENGEN"),
        kpp="YOGYAKARTA",
        registered="05/01/2009",
        birth_date=datetime.date(1978, 11, 30),
        female=False,
    ),
)


class SampleError(Exception):
    """A sample's data is inconsistent; the samples must not be written."""


def validate(spec: CardSpec) -> None:
    """Check every number on the card with python-stdnum, or raise :class:`SampleError`."""
    try:
        npwp_digits = npwp_mod.validate(spec.npwp)
        nik = nik_mod.validate(spec.nik)
    except Exception as exc:  # stdnum's ValidationError subclasses
        raise SampleError(f"{spec.file}: invalid number: {exc!r}") from exc
    if nik_mod.get_birth_date(nik) != spec.birth_date:
        raise SampleError(f"{spec.file}: NIK {nik} does not encode birth date {spec.birth_date}")
    if (int(nik[6:8]) > 40) != spec.female:
        raise SampleError(f"{spec.file}: NIK {nik} does not encode the holder's sex")
    expected_form = {
        "15-digit": len(npwp_digits) == 15 and spec.npwp == npwp_mod.format(npwp_digits),
        "16-digit": len(npwp_digits) == 16 and npwp_digits.startswith("0") and spec.npwp == npwp_digits,
        "nik-as-npwp": spec.npwp == nik,
    }
    if not expected_form.get(spec.kind, False):
        raise SampleError(f"{spec.file}: NPWP {spec.npwp!r} is not in the {spec.kind} form")
    datetime.datetime.strptime(spec.registered, "%d/%m/%Y")
    if spec.name != spec.name.upper() or any(line != line.upper() for line in spec.address_lines):
        raise SampleError(f"{spec.file}: name and address must be uppercase, as on a card")


# --- Drawing ------------------------------------------------------------------------------


def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    path = FONT_DIR / name
    if not path.exists():
        raise SampleError(f"font {path} is missing: install the Debian package fonts-dejavu-core")
    return ImageFont.truetype(str(path), size)


def _fitted(draw: ImageDraw.ImageDraw, text: str, font_name: str, size: int, max_width: int) -> ImageFont.FreeTypeFont:
    """The font at ``size``, or smaller until ``text`` fits in ``max_width``."""
    while True:
        font = _font(font_name, size)
        if draw.textlength(text, font=font) <= max_width or size <= 20:
            return font
        size -= 2


def _emblem(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int]) -> None:
    """A plain, made-up roundel (not the real state emblem)."""
    x0, y0, x1, y1 = box
    draw.ellipse(box, fill=GOLD, outline=NAVY, width=5)
    draw.ellipse((x0 + 14, y0 + 14, x1 - 14, y1 - 14), outline=(255, 255, 255), width=3)
    font = _font("DejaVuSans-Bold.ttf", 34)
    draw.text(((x0 + x1) / 2, (y0 + y1) / 2), "DJP", font=font, fill=(255, 255, 255), anchor="mm")


def _stamp(width: int, height: int) -> Image.Image:
    """The red CONTOH / SPECIMEN stamp, as an RGBA layer to rotate and paste."""
    layer = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    draw.rounded_rectangle((4, 4, width - 5, height - 5), radius=18, outline=STAMP_RED, width=7)
    draw.rounded_rectangle((16, 16, width - 17, height - 17), radius=12, outline=STAMP_RED, width=2)
    draw.text((width / 2, height * 0.40), "CONTOH", font=_font("DejaVuSans-Bold.ttf", 64), fill=STAMP_RED, anchor="mm")
    draw.text((width / 2, height * 0.76), "SPECIMEN", font=_font("DejaVuSans-Bold.ttf", 42), fill=STAMP_RED, anchor="mm")
    return layer


def draw_card(spec: CardSpec) -> Image.Image:
    """Draw one card as an RGB image of :data:`CARD_SIZE`."""
    width, height = CARD_SIZE
    card = Image.new("RGB", CARD_SIZE, BACKGROUND)
    draw = ImageDraw.Draw(card)

    # Frame and header band.
    draw.rounded_rectangle((10, 10, width - 11, height - 11), radius=36, fill=BACKGROUND, outline=NAVY, width=6)
    draw.rounded_rectangle((22, 22, width - 23, 172), radius=26, fill=HEADER_BAND)
    draw.rectangle((22, 172, width - 23, 177), fill=GOLD)
    _emblem(draw, (52, 37, 172, 157))
    header_width = width - 215 - 50
    line1 = "KEMENTERIAN KEUANGAN REPUBLIK INDONESIA"
    line2 = "DIREKTORAT JENDERAL PAJAK"
    draw.text((215, 52), line1, font=_fitted(draw, line1, "DejaVuSans-Bold.ttf", 38, header_width), fill=NAVY)
    draw.text((215, 105), line2, font=_font("DejaVuSans-Bold.ttf", 34), fill=NAVY)

    # Fields, left-aligned, each on its own line. Everything stays left of x = 950; the stamp
    # sits right of that, between the number line and the address.
    left, text_width = 70, 880
    draw.text((left, 195), "NPWP", font=_font("DejaVuSans-Bold.ttf", 104), fill=NAVY)
    number = spec.npwp_printed
    draw.text((left, 330), number, font=_fitted(draw, number, "DejaVuSansMono-Bold.ttf", 64, text_width), fill=INK)
    draw.text((left, 425), spec.name, font=_fitted(draw, spec.name, "DejaVuSans-Bold.ttf", 50, text_width), fill=INK)
    nik_line = f"NIK : {spec.nik}"
    draw.text((left, 500), nik_line, font=_fitted(draw, nik_line, "DejaVuSans.ttf", 40, text_width), fill=INK)
    y = 565
    for line in spec.address_lines:
        draw.text((left, y), line, font=_fitted(draw, line, "DejaVuSans.ttf", 36, text_width), fill=INK)
        y += 50
    kpp_line = f"KPP PRATAMA {spec.kpp}"
    draw.text((left, 690), kpp_line, font=_fitted(draw, kpp_line, "DejaVuSans.ttf", 34, text_width), fill=INK)
    reg_line = f"Tanggal Terdaftar {spec.registered}"
    draw.text((left, 742), reg_line, font=_font("DejaVuSans.ttf", 34), fill=INK)

    # Footer, small and apart from the fields.
    footer = "CONTOH / SPECIMEN - data fiktif untuk pengujian, bukan dokumen resmi"
    draw.text((left, 818), footer, font=_font("DejaVuSans.ttf", 20), fill=STAMP_RED)

    # Stamp in the empty right-hand area, tilted like a rubber stamp.
    stamp = _stamp(390, 190).rotate(12, resample=Image.Resampling.BICUBIC, expand=True)
    card.paste(stamp, (955, 285), stamp)
    return card


def encode(spec: CardSpec, card: Image.Image) -> bytes:
    """Encode a drawn card in the sample's format, deterministically."""
    out = io.BytesIO()
    suffix = Path(spec.file).suffix.lower()
    if suffix == ".png":
        # Plain RGB, no text chunks or physical-size chunk: nothing that could vary by run.
        card.save(out, "PNG", optimize=True)
    elif suffix in (".jpg", ".jpeg"):
        card.save(out, "JPEG", quality=90, optimize=True, subsampling=0)
    elif suffix == ".pdf":
        # No creationDate/modDate: Pillow would otherwise stamp the current time.
        card.save(
            out, "PDF", resolution=PDF_DPI, quality=90, subsampling=0,
            title="NPWP specimen (CONTOH)", creationDate=None, modDate=None,
        )  # fmt: skip
    else:
        raise SampleError(f"{spec.file}: unknown file type")
    return out.getvalue()


def build_all(samples: Sequence[CardSpec] = SAMPLES) -> dict[str, bytes]:
    """Validate and draw every sample; return {filename: bytes}, manifest.json included."""
    files: dict[str, bytes] = {}
    entries = []
    for spec in samples:
        validate(spec)
        data = encode(spec, draw_card(spec))
        files[spec.file] = data
        entries.append(
            {
                "file": spec.file,
                "kind": spec.kind,
                "label": spec.label,
                "npwp": spec.npwp,
                "name": spec.name,
                "nik": spec.nik,
                "address": spec.address,
                "sha256": hashlib.sha256(data).hexdigest(),
            }
        )
    manifest = json.dumps({"samples": entries}, indent=2, ensure_ascii=False) + "\n"
    files[MANIFEST] = manifest.encode("utf-8")
    return files


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sandbox.samples.generate", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output directory (default: beside this module)")
    parser.add_argument("--check", action="store_true", help="compare with the files on disk instead of writing")
    args = parser.parse_args(argv)
    try:
        files = build_all()
    except SampleError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.check:
        stale = [
            name for name, data in files.items() if not (args.out / name).is_file() or (args.out / name).read_bytes() != data
        ]
        for name in stale:
            print(f"differs: {args.out / name}", file=sys.stderr)
        print("samples up to date" if not stale else f"{len(stale)} file(s) differ")
        return 1 if stale else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (args.out / name).write_bytes(data)
        print(f"{len(data):>8,} bytes  {hashlib.sha256(data).hexdigest()[:16]}  {args.out / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
