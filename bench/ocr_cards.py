"""The OCR evaluation set: synthetic NPWP cards and non-NPWP documents, drawn deterministically.

Every card comes from :func:`sandbox.samples.generate.draw_card` with random but valid data
(each NPWP and NIK is checked with python-stdnum before use), then is turned into one kind of
upload: a clean scan, a JPEG at quality 70, a phone-like photo, a PDF, or a turned scan. The
same seed always gives the same bytes, so runs are comparable.
"""

from __future__ import annotations

import datetime
import io
import random
from collections.abc import Iterator
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont
from stdnum import luhn, numdb
from stdnum.id import nik as nik_mod
from stdnum.id import npwp as npwp_mod

from sandbox.samples.generate import FONT_DIR, CardSpec, draw_card

FORMS = ("15-digit", "16-digit", "nik-as-npwp")

_GIVEN = (
    "AHMAD",
    "BUDI",
    "SITI",
    "DEWI",
    "RINA",
    "AGUS",
    "YUNI",
    "HENDRA",
    "SRI",
    "INDAH",
    "RUDI",
    "WAHYU",
    "FITRI",
    "EKO",
    "NURUL",
    "BAMBANG",
    "LESTARI",
    "DIAN",
    "ANDI",
    "PUTRI",
    "RIZKY",
    "MUHAMMAD",
    "KARTIKA",
    "JOKO",
    "RATNA",
    "FAJAR",
    "MAYA",
    "IWAN",
    "TITIK",
    "YOGA",
)
_FAMILY = (
    "SANTOSO",
    "RAHAYU",
    "LESTARI",
    "WIJAYA",
    "SAPUTRA",
    "HIDAYAT",
    "KURNIAWAN",
    "PRATAMA",
    "SETIAWAN",
    "NUGROHO",
    "WULANDARI",
    "SUSANTO",
    "HALIM",
    "SIREGAR",
    "NASUTION",
    "SIMANJUNTAK",
    "HARAHAP",
    "PERMANA",
    "GUNAWAN",
    "UTAMI",
    "FAUZI",
    "SETIADI",
    "ANGGRAINI",
    "MAULANA",
)
_STREETS = (
    "MERDEKA",
    "SUDIRMAN",
    "DIPONEGORO",
    "GATOT SUBROTO",
    "PAHLAWAN",
    "AHMAD YANI",
    "MELATI",
    "KENANGA",
    "CEMPAKA",
    "VETERAN",
    "PEMUDA",
    "GAJAH MADA",
    "HAYAM WURUK",
    "SISINGAMANGARAJA",
    "IMAM BONJOL",
    "KARTINI",
    "RAYA BOGOR",
    "MANGGA DUA",
    "KEBON JERUK",
    "PANGERAN ANTASARI",
)
_PLACES = (
    "SENAYAN",
    "MENTENG",
    "GAMBIR",
    "CIKINI",
    "BRAGA",
    "COBLONG",
    "GENTENG",
    "TEGALSARI",
    "GONDOKUSUMAN",
    "BANGUNTAPAN",
    "DENPASAR BARAT",
    "KUTA",
    "MEDAN BARU",
    "PETISAH",
    "ILIR TIMUR",
    "BUKIT KECIL",
    "TAMALATE",
    "PANAKKUKANG",
    "SUKAJADI",
    "CIBEUNYING",
    "KEBAYORAN BARU",
    "TANAH ABANG",
    "MAMPANG PRAPATAN",
    "PASAR MINGGU",
    "WONOKROMO",
)
_KPP = (
    "JAKARTA MENTENG SATU",
    "JAKARTA TANAH ABANG DUA",
    "BANDUNG CIBEUNYING",
    "SURABAYA GENTENG",
    "YOGYAKARTA",
    "MEDAN BARAT",
    "DENPASAR TIMUR",
    "MAKASSAR UTARA",
    "SEMARANG CANDISARI",
)


def _regencies() -> list[str]:
    """Every four-digit province+regency code in stdnum's bundled data."""
    codes = []
    for _, province, _, _, children in numdb.get("id/loc").prefixes:
        codes += [province + regency for _, regency, _, _, _ in children]
    return codes


_REGENCY_CODES = _regencies()


def random_nik(rng: random.Random) -> tuple[str, datetime.date, bool]:
    """A NIK that python-stdnum accepts, with the birth date and sex it encodes."""
    while True:
        born = datetime.date(rng.randint(1950, 1999), rng.randint(1, 12), rng.randint(1, 28))
        female = rng.random() < 0.5
        day = born.day + (40 if female else 0)
        district = f"{rng.randint(1, 30):02d}"
        serial = f"{rng.randint(1, 9999):04d}"
        nik = f"{rng.choice(_REGENCY_CODES)}{district}{day:02d}{born:%m%y}{serial}"
        if nik_mod.is_valid(nik) and nik_mod.get_birth_date(nik) == born:
            return nik, born, female


def random_npwp15(rng: random.Random) -> str:
    """A dotted 15-digit NPWP whose Luhn check digit python-stdnum accepts."""
    head = f"{rng.choice((1, 2, 3, 4, 5, 6, 7, 8, 9, 21, 31, 47, 58, 71, 80, 90)):02d}{rng.randint(0, 999999):06d}"
    body = head + luhn.calc_check_digit(head) + f"{rng.randint(1, 999):03d}000"
    number = npwp_mod.format(body)
    if not npwp_mod.is_valid(number):  # never expected: the generation above is the rule itself
        raise AssertionError(number)
    return number


def random_spec(rng: random.Random, form: str, index: int = 0) -> CardSpec:
    """A card of ``form`` ("15-digit", "16-digit" or "nik-as-npwp") with random valid data."""
    nik, born, female = random_nik(rng)
    if form == "15-digit":
        npwp = random_npwp15(rng)
    elif form == "16-digit":
        npwp = "0" + npwp_mod.compact(random_npwp15(rng))
    else:
        npwp = nik
    assert npwp_mod.is_valid(npwp), npwp
    words = [rng.choice(_GIVEN)] + rng.sample(_FAMILY, rng.choice((1, 1, 2)))
    street = f"{rng.choice(('JL.', 'JL.', 'GG.'))} {rng.choice(_STREETS)} NO. {rng.randint(1, 199)}"
    line1 = f"{street} RT {rng.randint(1, 20):03d} RW {rng.randint(1, 15):03d}"
    kel, kec = rng.sample(_PLACES, 2)
    return CardSpec(
        file=f"card-{index:03d}.png",
        kind=form,
        label=form,
        npwp=npwp,
        name=" ".join(words),
        nik=nik,
        address_lines=(line1, f"KEL. {kel} KEC. {kec}"),
        kpp=rng.choice(_KPP),
        registered=f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(2000, 2024)}",
        birth_date=born,
        female=female,
    )


# --- Turning a drawn card into an upload ---------------------------------------------------


def png_bytes(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=1)
    return out.getvalue()


def jpeg_bytes(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=quality)
    return out.getvalue()


def pdf_bytes(pages: list[Image.Image], dpi: int) -> bytes:
    out = io.BytesIO()
    pages[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=pages[1:], quality=85)
    return out.getvalue()


def _background(rng: np.random.Generator, size: tuple[int, int]) -> np.ndarray:
    """A table top: a base colour with blotchy low-frequency texture and fine grain."""
    width, height = size
    base = rng.choice(
        np.array([(92, 64, 44), (128, 96, 70), (60, 60, 66), (150, 150, 145), (176, 170, 160), (40, 44, 52), (205, 200, 190)])
    )
    coarse = rng.normal(0, 18, (height // 40 + 2, width // 40 + 2, 1))
    texture = cv2.resize(coarse, (width, height), interpolation=cv2.INTER_CUBIC)[..., None]
    grain = rng.normal(0, 6, (height, width, 1))
    return np.clip(base[None, None, :] + texture + grain, 0, 255).astype(np.float32)


def phone_photo(card: Image.Image, seed: int) -> bytes:
    """A phone snapshot of ``card``: on a table, tilted 3-9°, keystoned, blurred, noisy, unevenly lit.

    About 1100 px wide, JPEG at quality 85, like a photo shrunk by a messaging app.
    """
    rng = np.random.default_rng(seed)
    out_w = int(rng.integers(1040, 1161))
    out_h = int(out_w * 0.75)
    card_w = out_w * rng.uniform(0.64, 0.84)
    card_h = card_w * card.height / card.width
    # Keystone: the edge farther from the camera looks shorter.
    shrink = rng.uniform(0.04, 0.10) * card_w
    quad = np.array([[-card_w / 2, -card_h / 2], [card_w / 2, -card_h / 2], [card_w / 2, card_h / 2], [-card_w / 2, card_h / 2]])
    side = rng.integers(4)
    if side == 0:  # top edge shorter
        quad[0, 0] += shrink / 2
        quad[1, 0] -= shrink / 2
    elif side == 1:  # bottom edge shorter
        quad[3, 0] += shrink / 2
        quad[2, 0] -= shrink / 2
    elif side == 2:  # left edge shorter
        quad[0, 1] += shrink / 3
        quad[3, 1] -= shrink / 3
    else:
        quad[1, 1] += shrink / 3
        quad[2, 1] -= shrink / 3
    quad += rng.normal(0, 0.008 * card_w, quad.shape)  # a hand is never square to the card
    angle = np.radians(rng.uniform(3, 9) * rng.choice((-1, 1)))
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    quad = quad @ rotation.T
    centre = np.array([out_w / 2, out_h / 2]) + rng.uniform(-0.04, 0.04, 2) * (out_w, out_h)
    quad += centre

    src = np.array([[0, 0], [card.width, 0], [card.width, card.height], [0, card.height]], np.float32)
    matrix = cv2.getPerspectiveTransform(src, quad.astype(np.float32))
    card_rgb = np.asarray(card.convert("RGB"), np.float32)
    warped = cv2.warpPerspective(card_rgb, matrix, (out_w, out_h), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.ones(card_rgb.shape[:2], np.float32), matrix, (out_w, out_h), flags=cv2.INTER_LINEAR)
    photo = warped * mask[..., None] + _background(rng, (out_w, out_h)) * (1 - mask[..., None])

    # Uneven light: a linear fall-off in a random direction times a soft vignette.
    ys, xs = np.mgrid[0:out_h, 0:out_w].astype(np.float32)
    theta = rng.uniform(0, 2 * np.pi)
    ramp = (np.cos(theta) * (xs / out_w - 0.5) + np.sin(theta) * (ys / out_h - 0.5)) + 0.5
    light = rng.uniform(0.55, 0.75) + rng.uniform(0.3, 0.45) * ramp
    light *= 1 - 0.25 * (((xs / out_w - 0.5) ** 2 + (ys / out_h - 0.5) ** 2) / 0.5)
    photo = photo * light[..., None] * rng.uniform(0.95, 1.05, 3)[None, None, :]  # and a colour cast

    photo = cv2.GaussianBlur(photo, (0, 0), rng.uniform(0.7, 1.4))
    photo += rng.normal(0, rng.uniform(4, 10), photo.shape)
    image = Image.fromarray(np.clip(photo, 0, 255).astype(np.uint8))
    return jpeg_bytes(image, 85)


def _text_page(lines: list[str], size: tuple[int, int] = (1654, 2339)) -> Image.Image:
    page = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(FONT_DIR / "DejaVuSans.ttf"), 30)
    for row, line in enumerate(lines):
        draw.text((140, 180 + row * 52), line, font=font, fill=(30, 30, 30))
    return page


def multipage_pdf(card: Image.Image, seed: int) -> bytes:
    """A three-page A4 application at 200 dpi: page 1 holds a copy of the card, pages 2-3 text."""
    rng = random.Random(seed)
    page = _text_page(["LAMPIRAN 1: FOTOKOPI KARTU NPWP", "Formulir pembukaan rekening nasabah perorangan"])
    width = rng.randint(900, 1150)
    copy = card.resize((width, round(width * card.height / card.width)), Image.Resampling.LANCZOS)
    page.paste(copy, (rng.randint(140, 1654 - width - 100), rng.randint(380, 600)))
    filler = [
        "Dengan ini saya menyatakan bahwa data yang saya berikan adalah benar.",
        "Nasabah wajib memberitahukan setiap perubahan data kepada bank.",
        "Halaman ini sengaja dibiarkan tanpa data pribadi.",
    ]
    pages = [page] + [_text_page([rng.choice(filler) for _ in range(30)]) for _ in range(2)]
    return pdf_bytes(pages, 200)


def ktp_like(seed: int) -> bytes:
    """An identity-card-like document with a NIK, name and address, but no NPWP."""
    rng = random.Random(seed)
    nik, born, female = random_nik(rng)
    card = Image.new("RGB", (1400, 880), (214, 232, 245))
    draw = ImageDraw.Draw(card)
    bold = ImageFont.truetype(str(FONT_DIR / "DejaVuSans-Bold.ttf"), 44)
    plain = ImageFont.truetype(str(FONT_DIR / "DejaVuSans.ttf"), 36)
    draw.rounded_rectangle((10, 10, 1389, 869), radius=30, outline=(40, 60, 120), width=6)
    draw.text((700, 60), "PROVINSI JAWA BARAT", font=bold, fill=(20, 20, 20), anchor="mm")
    draw.text((700, 115), "KOTA BANDUNG", font=bold, fill=(20, 20, 20), anchor="mm")
    rows = [
        ("NIK", nik),
        ("Nama", f"{rng.choice(_GIVEN)} {rng.choice(_FAMILY)}"),
        ("Tempat/Tgl Lahir", f"BANDUNG, {born:%d-%m-%Y}"),
        ("Jenis Kelamin", "PEREMPUAN" if female else "LAKI-LAKI"),
        ("Alamat", f"JL. {rng.choice(_STREETS)} NO. {rng.randint(1, 99)}"),
        ("Kel/Desa", rng.choice(_PLACES)),
        ("Agama", "ISLAM"),
        ("Pekerjaan", "KARYAWAN SWASTA"),
        ("Berlaku Hingga", "SEUMUR HIDUP"),
    ]
    for row, (label, value) in enumerate(rows):
        y = 190 + row * 70
        draw.text((60, y), label, font=plain, fill=(20, 20, 20))
        draw.text((400, y), f": {value}", font=bold if label == "NIK" else plain, fill=(20, 20, 20))
    draw.rectangle((1060, 220, 1330, 560), fill=(180, 60, 60))  # the photo
    return jpeg_bytes(card, 85)


def photo_like(seed: int) -> bytes:
    """A picture with no text: soft coloured blobs, shapes and grain."""
    rng = np.random.default_rng(seed)
    small = rng.uniform(0, 255, (6, 8, 3)).astype(np.float32)
    image = cv2.resize(small, (1200, 900), interpolation=cv2.INTER_CUBIC)
    for _ in range(8):
        centre = (int(rng.integers(0, 1200)), int(rng.integers(0, 900)))
        colour = tuple(float(c) for c in rng.uniform(0, 255, 3))
        cv2.circle(image, centre, int(rng.integers(30, 200)), colour, -1)
    image = cv2.GaussianBlur(image, (0, 0), 3) + rng.normal(0, 8, image.shape)
    return jpeg_bytes(Image.fromarray(np.clip(image, 0, 255).astype(np.uint8)), 85)


def blank_page(seed: int) -> tuple[bytes, str]:
    """A blank A4 page, as PNG or as a one-page PDF."""
    page = Image.new("RGB", (1654, 2339), "white")
    if seed % 2:
        return pdf_bytes([page], 200), "pdf"
    return png_bytes(page), "png"


# --- The evaluation set ---------------------------------------------------------------------


@dataclass(frozen=True)
class Doc:
    """One document to recognise, and what the OCR should return (None: not an NPWP)."""

    kind: str
    name: str
    data: bytes
    expected: dict[str, str] | None


def expected_fields(spec: CardSpec) -> dict[str, str]:
    """The fields the vendor returns for ``spec``: the same shape as manifest.json."""
    return {"npwp": spec.npwp, "name": spec.name, "nik": spec.nik, "address": spec.address}


KINDS = ("clean scan", "JPEG q70", "phone photo", "PDF", "turned scan", "not an NPWP")


def card_doc(kind: str, spec: CardSpec, seed: int) -> Doc:
    """One NPWP card drawn and encoded as ``kind``."""
    card = draw_card(spec)
    if kind == "clean scan":
        data, ext = png_bytes(card), "png"
    elif kind == "JPEG q70":
        data, ext = jpeg_bytes(card, 70), "jpg"
    elif kind == "phone photo":
        data, ext = phone_photo(card, seed), "jpg"
    elif kind == "PDF":
        data = pdf_bytes([card], 200) if seed % 2 else multipage_pdf(card, seed)
        ext = "pdf"
    elif kind == "turned scan":
        turn = (Image.Transpose.ROTATE_90, Image.Transpose.ROTATE_180, Image.Transpose.ROTATE_270)[seed % 3]
        data, ext = png_bytes(card.transpose(turn)), "png"
    else:
        raise ValueError(kind)
    return Doc(kind, f"{kind}-{seed}.{ext}", data, expected_fields(spec))


def other_doc(seed: int, number: int) -> Doc:
    """A document without an NPWP: an identity card, a photo, or a blank page (by ``number``)."""
    which = number % 3
    if which == 0:
        return Doc("not an NPWP", f"ktp-{seed}.jpg", ktp_like(seed), None)
    if which == 1:
        return Doc("not an NPWP", f"photo-{seed}.jpg", photo_like(seed), None)
    data, ext = blank_page(number // 3)
    return Doc("not an NPWP", f"blank-{seed}.{ext}", data, None)


def evaluation_set(per_kind: dict[str, int], seed: int = 4) -> Iterator[Doc]:
    """Yield ``per_kind[kind]`` documents of each kind, the same ones for the same seed."""
    for kind_index, kind in enumerate(KINDS):
        for number in range(per_kind.get(kind, 0)):
            doc_seed = seed * 100_003 + kind_index * 1_009 + number
            if kind == "not an NPWP":
                yield other_doc(doc_seed, number)
            else:
                spec = random_spec(random.Random(doc_seed), FORMS[number % 3], number)
                yield card_doc(kind, spec, doc_seed)
