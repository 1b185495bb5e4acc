"""kyc.documents: type detection, rejection of bad files, preview and fit_to_limit.

Every bad file is generated here, in memory; the positive cases also use the committed
samples in sandbox/samples/.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
import re
import shutil
import struct
import subprocess
import sys
import time
import zlib
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw
from pypdf import PdfReader, PdfWriter
from stdnum.id import nik as nik_mod
from stdnum.id import npwp as npwp_mod

from kyc import documents
from kyc.documents import (
    API_LIMIT_BYTES,
    FIT_TARGET_BYTES,
    MAX_INPUT_BYTES,
    MIME,
    MIN_LEGIBLE_LONG_SIDE,
    PREVIEW_DPI,
    DocumentError,
    DocumentInfo,
    fit_to_limit,
    inspect,
    jpeg_name,
    preview,
    sniff,
)
from kyc.documents.errors import MESSAGES as DOCUMENT_MESSAGES
from kyc.documents.kinds import EXTENSIONS, MAGIC
from kyc.errors import KycError
from tests.apptest_helpers import history, messages, open_page, shown_text

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sandbox" / "samples"


# --- Builders -----------------------------------------------------------------------------


def png_bytes(size: tuple[int, int] = (400, 300), color: str = "white", mode: str = "RGB") -> bytes:
    image = Image.new(mode, size, color)
    ImageDraw.Draw(image).rectangle((10, 10, size[0] // 2, size[1] // 2), fill="black")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def jpeg_bytes(size: tuple[int, int] = (800, 600), exif_orientation: int | None = None) -> bytes:
    image = Image.effect_noise(size, 40).convert("RGB")
    out = io.BytesIO()
    if exif_orientation is None:
        image.save(out, "JPEG", quality=90)
    else:
        exif = Image.Exif()
        exif[0x0112] = exif_orientation
        image.save(out, "JPEG", quality=90, exif=exif.tobytes())
    return out.getvalue()


def pdf_bytes(colors: tuple[str, ...] = ("red", "blue", "green"), size: tuple[int, int] = (600, 800)) -> bytes:
    """A PDF with one solid-coloured page per colour, each page `size` points (72 dpi)."""
    pages = [Image.new("RGB", size, color) for color in colors]
    out = io.BytesIO()
    pages[0].save(out, "PDF", save_all=True, append_images=pages[1:], resolution=72.0)
    return out.getvalue()


def png_chunk(ctype: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + ctype + payload + struct.pack(">I", zlib.crc32(ctype + payload))


def png_claiming(width: int, height: int) -> bytes:
    """A well-formed PNG whose IHDR declares width x height, with a tiny IDAT (a bomb header)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + png_chunk(b"IEND", b"")
    )


def padded_png(total: int) -> bytes:
    """A valid PNG of exactly `total` bytes, padded with an ancillary chunk decoders skip."""
    base = png_bytes((64, 64))
    head, iend = base[:-12], base[-12:]
    pad = total - len(base) - 12
    assert pad >= 0
    return head + png_chunk(b"ruBb", b"\x00" * pad) + iend


def noisy_png_over_limit() -> bytes:
    """A 3000 x 2400 RGB PNG of coarse noise: about 7 MB, and JPEG cannot squeeze it much."""
    rng = random.Random(20240701)
    # Keep 2 bits per channel, so the PNG is ~7 MB (full 8-bit noise would be 21 MB); fast
    # compression keeps the test quick.
    table = bytes(i & 0xC0 for i in range(256))
    image = Image.frombytes("RGB", (3000, 2400), rng.randbytes(3000 * 2400 * 3).translate(table))
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=1)
    return out.getvalue()


def decode(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def assert_readable(err: DocumentError) -> None:
    """Every rejection tells the user what is accepted."""
    assert "JPEG" in err.message and "PNG" in err.message
    assert "traceback" not in err.message.lower()


# --- Rejections ---------------------------------------------------------------------------


def test_document_error_is_a_kyc_error():
    with pytest.raises(KycError) as info:
        inspect(b"", "empty.png")
    err = info.value
    assert isinstance(err, DocumentError)
    assert err.code == "DOC_EMPTY"
    assert err.retryable is False
    assert err.to_dict()["code"] == "DOC_EMPTY"


def test_empty_file_rejected():
    with pytest.raises(DocumentError) as info:
        inspect(b"", "scan.pdf")
    assert info.value.code == "DOC_EMPTY"
    assert '"scan.pdf"' in info.value.message and "empty" in info.value.message
    assert "5 MB" in info.value.message
    assert_readable(info.value)


def test_every_message_is_used_once_and_filled_safely():
    from kyc.documents import errors

    package = ROOT / "kyc" / "documents"
    source = "".join(path.read_text(encoding="utf-8") for path in package.glob("*.py") if path.name != "errors.py")
    for situation, (code, _text) in errors.MESSAGES.items():
        assert code.startswith("DOC_"), situation
        assert f'"{situation}"' in source or situation == "truncated", f"unused message {situation!r}"
    # A file name is a value, never part of the template: braces in it are harmless.
    with pytest.raises(DocumentError) as info:
        inspect(b"", "{name} {0}.png")
    assert '"{name} {0}.png" is empty' in info.value.message


@pytest.mark.parametrize("cut", ["half", "iend", "last_byte", "in_signature"])
def test_truncated_png_rejected(cut):
    data = png_bytes((600, 400))
    truncated = {
        "half": data[: len(data) // 2],
        "iend": data[:-12],  # every pixel present, only the end marker lost: Pillow alone accepts this
        "last_byte": data[:-1],
        "in_signature": data[:5],
    }[cut]
    with pytest.raises(DocumentError) as info:
        inspect(truncated, "card.png")
    assert info.value.code == "DOC_TRUNCATED"
    assert "incomplete" in info.value.message
    assert_readable(info.value)


@pytest.mark.parametrize("keep", [0.5, 0.9, -2])
def test_truncated_jpeg_rejected(keep):
    data = jpeg_bytes((800, 600))
    truncated = data[:keep] if isinstance(keep, int) and keep < 0 else data[: int(len(data) * keep)]
    with pytest.raises(DocumentError) as info:
        inspect(truncated, "card.jpg")
    assert info.value.code == "DOC_TRUNCATED"
    assert_readable(info.value)


def test_truncated_progressive_jpeg_rejected():
    out = io.BytesIO()
    Image.effect_noise((900, 700), 40).convert("RGB").save(out, "JPEG", progressive=True)
    data = out.getvalue()
    assert inspect(data, "p.jpg").kind == "jpeg"
    with pytest.raises(DocumentError) as info:
        inspect(data[: len(data) * 2 // 3], "p.jpg")
    assert info.value.code == "DOC_TRUNCATED"


def test_corrupt_png_checksum_rejected():
    data = bytearray(png_bytes())
    data[40] ^= 0xFF  # inside the IDAT payload: its CRC no longer matches
    with pytest.raises(DocumentError) as info:
        inspect(bytes(data), "card.png")
    assert info.value.code == "DOC_DAMAGED"


def test_text_renamed_png_rejected():
    with pytest.raises(DocumentError) as info:
        inspect(b"NPWP 01.234.567.8-901.000\nSITI RAHAYU\n", "card.png")
    err = info.value
    assert err.code == "DOC_UNSUPPORTED"
    assert "text file" in err.message and ".png" in err.message
    assert_readable(err)


def test_sniff_names_the_kind_from_magic_bytes_only():
    assert sniff(jpeg_bytes((40, 30))) == "jpeg"
    assert sniff(png_bytes((40, 30))) == "png"
    assert sniff(pdf_bytes()) == "pdf"
    assert sniff(b"%PDF-") == "pdf"  # no completeness check: that is inspect()'s job
    for other in (b"", b"\xff\xd8", b"GIF89a" + b"\x00" * 20, b"NPWP 01.234.567.8-901.000"):
        assert sniff(other) is None
    assert MIME == {"jpeg": "image/jpeg", "png": "image/png", "pdf": "application/pdf"}
    assert inspect(png_bytes(), "a.png").mime == MIME[sniff(png_bytes())]


def test_gif_rejected():
    out = io.BytesIO()
    Image.new("RGB", (50, 50), "red").save(out, "GIF")
    with pytest.raises(DocumentError) as info:
        inspect(out.getvalue(), "card.gif")
    assert info.value.code == "DOC_UNSUPPORTED"
    assert "GIF" in info.value.message
    assert_readable(info.value)


@pytest.mark.parametrize(
    "header, what",
    [
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "HEIC"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "WebP"),
        (b"PK\x03\x04\x14\x00\x06\x00", "Office"),
    ],
)
def test_other_formats_named_in_message(header, what):
    with pytest.raises(DocumentError) as info:
        inspect(header + b"\x00" * 200, "photo.jpg")
    assert info.value.code == "DOC_UNSUPPORTED"
    assert what in info.value.message


def test_pixel_limit_set_deliberately():
    assert documents.MAX_IMAGE_PIXELS == 50_000_000
    assert Image.MAX_IMAGE_PIXELS == documents.MAX_IMAGE_PIXELS


@pytest.mark.parametrize("width, height", [(30000, 30000), (8000, 7000)])
def test_png_bomb_header_rejected_quickly(width, height):
    data = png_claiming(width, height)
    assert len(data) < 200
    start = time.perf_counter()
    with pytest.raises(DocumentError) as info:
        inspect(data, "bomb.png")
    # Decoding 30000 x 30000 RGB would need 2.7 GB and take seconds.
    assert time.perf_counter() - start < 0.5
    assert info.value.code == "DOC_TOO_MANY_PIXELS"
    assert f"{width:,}" in info.value.message
    with pytest.raises(DocumentError) as info:
        preview(data)
    assert info.value.code == "DOC_TOO_MANY_PIXELS"
    with pytest.raises(DocumentError) as info:
        fit_to_limit(data, limit=10)
    assert info.value.code == "DOC_TOO_MANY_PIXELS"


def test_jpeg_bomb_header_rejected_quickly():
    data = bytearray(jpeg_bytes((64, 48)))
    sof = data.find(b"\xff\xc0")  # baseline start-of-frame: length(2) precision(1) height(2) width(2)
    assert sof > 0
    data[sof + 5 : sof + 9] = struct.pack(">HH", 30000, 30000)
    start = time.perf_counter()
    with pytest.raises(DocumentError) as info:
        inspect(bytes(data), "bomb.jpg")
    assert time.perf_counter() - start < 0.5
    assert info.value.code == "DOC_TOO_MANY_PIXELS"


def test_truncated_pdf_rejected():
    data = pdf_bytes()
    assert inspect(data, "doc.pdf").pages == 3
    with pytest.raises(DocumentError) as info:
        inspect(data[: len(data) // 2], "doc.pdf")
    assert info.value.code == "DOC_TRUNCATED"
    assert "PDF" in info.value.message
    assert_readable(info.value)


def test_broken_pdf_rejected():
    with pytest.raises(DocumentError) as info:
        inspect(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\nnonsense\n%%EOF\n", "doc.pdf")
    assert info.value.code == "DOC_DAMAGED"
    assert_readable(info.value)


def test_encrypted_pdf_rejected():
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(pdf_bytes())))
    writer.encrypt("s3cret")
    out = io.BytesIO()
    writer.write(out)
    data = out.getvalue()
    with pytest.raises(DocumentError) as info:
        inspect(data, "statement.pdf")
    assert info.value.code == "DOC_ENCRYPTED"
    assert "password" in info.value.message
    assert_readable(info.value)
    with pytest.raises(DocumentError) as info:
        preview(data)
    assert info.value.code == "DOC_ENCRYPTED"
    assert "password-protected" in info.value.message  # the same wording as inspect()'s
    assert_readable(info.value)


def test_input_beyond_hard_cap_rejected_without_parsing():
    data = png_bytes((400, 300)) + b"\x00" * MAX_INPUT_BYTES
    start = time.perf_counter()
    with pytest.raises(DocumentError) as info:
        inspect(data, "huge.png")
    assert time.perf_counter() - start < 0.5
    assert info.value.code == "DOC_TOO_LARGE"
    assert '"huge.png"' in info.value.message and "far above the 5 MB limit" in info.value.message
    with pytest.raises(DocumentError) as info:
        fit_to_limit(data)
    assert info.value.code == "DOC_TOO_LARGE"
    assert info.value.message.startswith("The file is ") and "far above the 5 MB limit" in info.value.message


# --- Positive cases -----------------------------------------------------------------------


def test_png_named_jpg_is_detected_as_png():
    info = inspect(png_bytes((321, 123)), "card.jpg")
    assert info.kind == "png"
    assert info.mime == "image/png"
    assert (info.width, info.height, info.unit) == (321, 123, "px")
    assert info.extension_matches is False
    assert info.suggested_filename == "card.png"
    assert inspect(png_bytes(), "card.PNG").extension_matches is True


@pytest.mark.parametrize(
    "name, expected",
    [("scan.png", "scan.jpg"), ("photo.JPEG", "photo.jpg"), ("card", "card.jpg"), ("a.b.png", "a.b.jpg"), ("", "document.jpg")],
)
def test_jpeg_name_keeps_the_stem(name, expected):
    assert jpeg_name(name) == expected


def test_multi_page_pdf_counts_pages_and_measures_page_one():
    data = pdf_bytes(colors=("red", "green", "blue", "white", "black"), size=(300, 500))
    info = inspect(data, "five.pdf")
    assert info.kind == "pdf"
    assert info.mime == "application/pdf"
    assert info.pages == 5
    assert (info.width, info.height, info.unit) == (300, 500, "pt")


def test_exif_rotated_photo_reports_displayed_size():
    info = inspect(jpeg_bytes((800, 600), exif_orientation=6), "phone.jpg")
    assert (info.width, info.height) == (600, 800)


def test_size_flags_and_label():
    under = inspect(padded_png(FIT_TARGET_BYTES), "a.png")
    assert (under.over_limit, under.near_limit) == (False, False)
    near = inspect(padded_png(FIT_TARGET_BYTES + 1), "a.png")
    assert (near.over_limit, near.near_limit) == (False, True)
    assert (near.size_label, documents.format_bytes(near.size_bytes)) == ("5.0 MB", "5,000,001 bytes")
    exact = inspect(padded_png(API_LIMIT_BYTES), "a.png")
    assert (exact.over_limit, exact.size_label) == (False, "5.2 MB")  # 5 MiB in decimal units
    over = inspect(padded_png(API_LIMIT_BYTES + 1), "a.png")
    assert over.over_limit is True
    assert over.size_bytes == API_LIMIT_BYTES + 1
    # One decimal cannot tell these two apart: the page gives the bytes beside any size it holds
    # against the limit (tests below).
    assert over.size_label == "5.2 MB"
    assert documents.format_bytes(API_LIMIT_BYTES + 1) == "5,242,881 bytes"


# What Streamlit 1.67's file uploader shows for these sizes (its frontend's getSizeDisplay: divide
# by 1,000 while over half the next unit, one decimal, halves rounded up as JavaScript's toFixed
# does), with a space before the unit. The first three are the files, which the app
# called 2.7 MB, 9.3 MB and 180 KB when it counted 1 MB as 1,048,576 bytes.
UPLOADER_LABELS = [
    (2_800_000, "2.8 MB"),
    (9_700_000, "9.7 MB"),
    (183_900, "183.9 KB"),
    (0, "0 bytes"),
    (500, "500 bytes"),
    (501, "0.5 KB"),
    (999, "1.0 KB"),
    (1_250, "1.3 KB"),  # an exact half: up, as toFixed rounds it (Python's own rounding gives 1.2)
    (1_536, "1.5 KB"),
    (500_000, "500.0 KB"),
    (500_001, "0.5 MB"),
    (2_749_999, "2.7 MB"),
    (2_750_000, "2.8 MB"),
    (FIT_TARGET_BYTES, "5.0 MB"),
    (API_LIMIT_BYTES, "5.2 MB"),
    (MAX_INPUT_BYTES, "52.4 MB"),
    (600_000_000, "0.6 GB"),
]


@pytest.mark.parametrize("size, label", UPLOADER_LABELS, ids=[str(size) for size, _ in UPLOADER_LABELS])
def test_sizes_are_written_as_the_file_uploader_writes_them(size, label):
    assert documents.format_size(size) == label


def test_size_label_is_the_uploaders_for_an_inspected_file():
    info = inspect(padded_png(2_800_000), "scan.png")
    assert info.size_label == "2.8 MB"  # was "2.7 MB": 2,800,000 / 1,048,576, rounded up


def load_manifest() -> list[dict]:
    return json.loads((SAMPLES / "manifest.json").read_text(encoding="utf-8"))["samples"]


def test_samples_manifest_lists_valid_numbers_and_matching_files():
    entries = load_manifest()
    assert {e["kind"] for e in entries} >= {"15-digit", "16-digit", "nik-as-npwp"}
    assert {Path(e["file"]).suffix for e in entries} >= {".png", ".jpg", ".pdf"}
    for entry in entries:
        data = (SAMPLES / entry["file"]).read_bytes()
        assert len(data) <= 300_000, entry["file"]
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["file"]
        assert npwp_mod.is_valid(entry["npwp"]), entry
        assert nik_mod.is_valid(entry["nik"]), entry
        if entry["kind"] == "15-digit":
            assert entry["npwp"] == npwp_mod.format(entry["npwp"])  # dotted, as the vendor sends it
        else:
            assert entry["npwp"].isdigit() and len(entry["npwp"]) == 16
        if entry["kind"] == "nik-as-npwp":
            assert entry["npwp"] == entry["nik"]
        if entry["kind"] == "16-digit":
            assert entry["npwp"].startswith("0")
        assert entry["name"] == entry["name"].upper() and "  " not in entry["address"]


@pytest.mark.parametrize(
    "file, kind, pages, size",
    [
        ("npwp15-card.png", "png", 1, (1400, 880)),
        ("npwp16-nik-card.jpg", "jpeg", 1, (1400, 880)),
        ("npwp16-card.png", "png", 1, (1400, 880)),
        ("npwp15-card.pdf", "pdf", 1, (504, 317)),  # the 1400 x 880 card at 200 dpi, in points
    ],
)
def test_committed_samples_inspect(file, kind, pages, size):
    info = inspect((SAMPLES / file).read_bytes(), file)
    assert (info.kind, info.pages, (info.width, info.height)) == (kind, pages, size)
    assert info.extension_matches and not info.over_limit
    assert file in {e["file"] for e in load_manifest()}


def test_sample_generator_is_deterministic_and_validates():
    from sandbox.samples import generate

    first = generate.build_all()
    second = generate.build_all()
    assert first == second
    assert set(first) == {e["file"] for e in load_manifest()} | {"manifest.json"}
    bad = generate.SAMPLES[0].__class__(**{**generate.SAMPLES[0].__dict__, "npwp": "58.761.234.3-017.000"})
    with pytest.raises(generate.SampleError):
        generate.build_all([bad])


# --- preview ------------------------------------------------------------------------------


def test_preview_pdf_renders_page_one_only():
    data = pdf_bytes(colors=("red", "blue"), size=(300, 400))
    image = preview(data)
    assert image.mode == "RGB"
    # 300 x 400 pt at 100 dpi
    assert abs(image.width - 300 * PREVIEW_DPI / 72) <= 2
    assert abs(image.height - 400 * PREVIEW_DPI / 72) <= 2
    r, g, b = image.getpixel((image.width // 2, image.height // 2))
    assert r > 200 and b < 60, "page 1 is red; page 2 (blue) must not be shown"


def test_preview_sample_pdf_is_the_card():
    image = preview((SAMPLES / "npwp15-card.pdf").read_bytes(), max_side=700)
    assert max(image.size) == 700
    assert image.width > image.height  # landscape card


def test_preview_image_is_bounded_upright_rgb():
    image = preview(jpeg_bytes((4000, 3000), exif_orientation=6), max_side=800)
    assert image.mode == "RGB"
    assert image.size == (600, 800)  # rotated upright, long side 800


def test_preview_flattens_transparency_on_white():
    rgba = Image.new("RGBA", (200, 100), (0, 0, 0, 0))
    out = io.BytesIO()
    rgba.save(out, "PNG")
    image = preview(out.getvalue())
    assert image.mode == "RGB"
    assert image.getpixel((5, 5)) == (255, 255, 255)


def test_preview_16_bit_grey_png_keeps_its_tones():
    grey = Image.new("I;16", (100, 100), 32768)
    out = io.BytesIO()
    grey.save(out, "PNG")
    r, g, b = preview(out.getvalue()).getpixel((50, 50))
    assert 110 <= r <= 145 and r == g == b


def test_preview_rejects_bad_input_with_document_errors():
    with pytest.raises(DocumentError) as info:
        preview(b"GIF89a" + b"\x00" * 100)
    assert info.value.code == "DOC_UNSUPPORTED"
    data = jpeg_bytes()
    with pytest.raises(DocumentError) as info:
        preview(data[: len(data) // 2])
    assert info.value.code == "DOC_TRUNCATED"


def test_preview_timeout_becomes_document_error():
    with pytest.raises(DocumentError) as info:
        preview(pdf_bytes(), timeout=0.0001)
    assert info.value.code == "DOC_PREVIEW_TIMEOUT"
    assert "seconds" in info.value.message


def test_preview_without_poppler_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(DocumentError) as info:
        preview(pdf_bytes())
    assert info.value.code == "DOC_PREVIEW_UNAVAILABLE"
    assert "poppler-utils" in info.value.message
    assert preview(png_bytes()).size == (400, 300)  # pictures still preview


def test_preview_with_broken_poppler_says_what_to_install(monkeypatch, tmp_path):
    broken = tmp_path / "pdftoppm"
    broken.write_bytes(b"\x00not a program")
    broken.chmod(0o755)
    (tmp_path / "pdfinfo").symlink_to(shutil.which("pdfinfo"))  # poppler's other program works: only pdftoppm is broken
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(DocumentError) as info:
        preview(pdf_bytes())
    assert info.value.code == "DOC_PREVIEW_UNAVAILABLE"
    assert "could not be started" in info.value.message and "poppler-utils" in info.value.message


def test_preview_of_damaged_pdf_fails_readably():
    with pytest.raises(DocumentError) as info:
        preview(b"%PDF-1.4\nthis is not a pdf body\n")
    assert info.value.code == "DOC_PREVIEW_FAILED"


# --- fit_to_limit -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def big_png() -> bytes:
    return noisy_png_over_limit()


def test_fit_to_limit_shrinks_an_image_over_5_mb(big_png):
    assert len(big_png) > API_LIMIT_BYTES  # really over 5 MB, either reading
    assert inspect(big_png, "scan.png").over_limit
    out = fit_to_limit(big_png)
    assert len(out) <= FIT_TARGET_BYTES
    image = decode(out)
    assert image.format == "JPEG"
    assert max(image.size) >= MIN_LEGIBLE_LONG_SIDE
    info = inspect(out, "scan.jpg")
    assert info.kind == "jpeg" and not info.over_limit and not info.near_limit


def test_fit_to_limit_downsizes_but_keeps_text_legible(big_png):
    out = fit_to_limit(big_png, limit=1_000_000)
    assert len(out) <= 1_000_000
    image = decode(out)
    assert MIN_LEGIBLE_LONG_SIDE <= max(image.size) < 3000
    assert abs(image.width / image.height - 3000 / 2400) < 0.01  # aspect ratio kept


def test_fit_to_limit_goes_below_legible_size_only_when_it_must(big_png):
    out = fit_to_limit(big_png, limit=150_000)
    assert len(out) <= 150_000
    assert max(decode(out).size) < MIN_LEGIBLE_LONG_SIDE


def test_fit_to_limit_returns_small_data_unchanged():
    data = png_bytes()
    assert fit_to_limit(data) is data
    pdf = pdf_bytes()
    assert fit_to_limit(pdf) is pdf


def test_fit_to_limit_refuses_to_shrink_a_pdf():
    data = pdf_bytes()
    with pytest.raises(DocumentError) as info:
        fit_to_limit(data, limit=1000)
    assert info.value.code == "DOC_PDF_TOO_LARGE"
    assert "PDF" in info.value.message and "JPEG" in info.value.message


def test_fit_to_limit_applies_exif_rotation():
    data = jpeg_bytes((2400, 1200), exif_orientation=6)
    out = fit_to_limit(data, limit=len(data) - 1)
    image = decode(out)
    assert image.size == (1200, 2400)
    assert image.getexif().get(0x0112) in (None, 1)  # no orientation left to apply twice


def test_fit_to_limit_brings_huge_photos_down_to_4000_px():
    data = jpeg_bytes((5000, 1000))
    image = decode(fit_to_limit(data, limit=len(data) - 1))
    assert image.size == (4000, 800)


def test_fit_to_limit_gives_up_readably_on_impossible_limit():
    with pytest.raises(DocumentError) as info:
        fit_to_limit(jpeg_bytes((2000, 1500)), limit=500)
    assert info.value.code == "DOC_TOO_LARGE"
    assert_readable(info.value)


def test_documents_module_never_imports_streamlit():
    code = "import sys, kyc.documents; sys.exit(1 if 'streamlit' in sys.modules else 0)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


# --- Properties: hostile files (issue "Hardening", "Hostile input everywhere") ---------------
#
# inspect() (and preview()) on random bytes and on damaged copies of real files either raise
# DocumentError or return a consistent result, within a time limit (Hypothesis' deadline) and,
# for files that declare a huge size, a memory limit (measured in a fresh process below).
# The damage is drawn as a list of operations on a named base file, so that a failure prints
# a readable recipe instead of 200 KB of bytes. derandomize=True: every run (locally and in CI)
# tries the same examples and keeps no example database, so a failure always reproduces.

DOCUMENT_CODES = {code for code, _text in DOCUMENT_MESSAGES.values()}
#: The real samples, plus tiny files of each kind (one with EXIF) that are cheap to decode.
MUTATION_BASES: dict[str, bytes] = {
    **{path.name: path.read_bytes() for path in sorted(SAMPLES.glob("*")) if path.suffix in (".png", ".jpg", ".pdf")},
    "tiny.png": png_bytes((40, 30), mode="RGBA"),
    "tiny-exif.jpg": jpeg_bytes((64, 48), exif_orientation=6),
    "tiny.pdf": pdf_bytes(colors=("red", "blue"), size=(60, 80)),
}
assert len(MUTATION_BASES) >= 7  # the four committed samples (at least) and the three tiny files

#: Where an operation applies: near the start (headers), near the end (trailers), or anywhere.
_WHERE = st.one_of(
    st.tuples(st.just("head"), st.integers(0, 511)),
    st.tuples(st.just("tail"), st.integers(1, 1536)),
    st.tuples(st.just("any"), st.floats(0, 1, exclude_max=True)),
)
_HUGE_SIDE = st.one_of(st.sampled_from([65_535, 100_000, 7_072, 2**31 - 1, 2**32 - 1]), st.integers(1, 2**32 - 1))
_HUGE_COUNT = st.sampled_from([10**9, 2**31, 2**63, 10**100, -1, 0])
_OPERATION = st.one_of(
    st.tuples(st.just("truncate"), _WHERE),
    st.tuples(st.just("flip"), _WHERE, st.integers(0, 7)),
    st.tuples(st.just("insert"), _WHERE, st.binary(min_size=1, max_size=16)),
    st.tuples(st.just("delete"), _WHERE, st.integers(1, 64)),
    st.tuples(st.just("overwrite"), _WHERE, st.binary(min_size=1, max_size=8)),
    # Declare a huge size: PNG IHDR (CRC fixed or not), JPEG SOF, PDF /Count.
    st.tuples(st.just("huge"), _HUGE_SIDE, _HUGE_SIDE, st.booleans(), _HUGE_COUNT),
)
#: (base file, operations, whether to fix the PNG chunk checksums afterwards). Without the fix
#: nearly every damaged PNG stops at its first bad CRC; with it, damage reaches the decoder.
DAMAGE = st.tuples(st.sampled_from(sorted(MUTATION_BASES)), st.lists(_OPERATION, min_size=1, max_size=4), st.booleans())


def _position(data: bytes | bytearray, where: tuple) -> int:
    kind, amount = where
    if kind == "head":
        return min(amount, len(data))
    if kind == "tail":
        return max(0, len(data) - amount)
    return int(len(data) * amount)


def declare_huge(data: bytes, width: int, height: int, fix_crc: bool = True, count: int = 10**9) -> bytes:
    """Make a file claim a huge size without growing: IHDR or SOF dimensions, or a PDF /Count."""
    out = bytearray(data)
    ihdr = out.find(b"IHDR")
    if out.startswith(MAGIC["png"]) and ihdr >= 0 and len(out) >= ihdr + 21:
        out[ihdr + 4 : ihdr + 12] = struct.pack(">II", width, height)
        if fix_crc:
            out[ihdr + 17 : ihdr + 21] = struct.pack(">I", zlib.crc32(bytes(out[ihdr : ihdr + 17])))
    elif out.startswith(MAGIC["jpeg"]):
        for marker in (b"\xff\xc0", b"\xff\xc1", b"\xff\xc2"):
            sof = out.find(marker)
            if sof >= 0 and len(out) >= sof + 9:
                out[sof + 5 : sof + 9] = struct.pack(">HH", min(height, 65_535), min(width, 65_535))
    else:
        out = bytearray(re.sub(rb"/Count\s+-?\d+", b"/Count %d" % count, bytes(out)))
    return bytes(out)


def fix_png_crcs(data: bytes) -> bytes:
    """Recompute the CRC of every whole chunk of a PNG, so that damage inside chunks goes unnoticed."""
    out, pos = bytearray(data), len(MAGIC["png"])
    if not data.startswith(MAGIC["png"]):
        return data
    while pos + 12 <= len(out):
        end = pos + 12 + int.from_bytes(out[pos : pos + 4], "big")
        if end > len(out):
            break
        out[end - 4 : end] = struct.pack(">I", zlib.crc32(bytes(out[pos + 4 : end - 4])))
        pos = end
    return bytes(out)


def damaged(recipe: tuple[str, list, bool]) -> bytes:
    """Apply a DAMAGE recipe: (base file name, operations, fix the PNG checksums)."""
    name, operations, fix_crcs = recipe
    data = bytearray(MUTATION_BASES[name])
    for operation in operations:
        action = operation[0]
        if action == "huge":
            data = bytearray(declare_huge(bytes(data), *operation[1:]))
            continue
        at = _position(data, operation[1])
        if action == "truncate":
            del data[at:]
        elif action == "flip" and at < len(data):
            data[at] ^= 1 << operation[2]
        elif action == "insert":
            data[at:at] = operation[2]
        elif action == "delete":
            del data[at : at + operation[2]]
        elif action == "overwrite":
            data[at : at + len(operation[2])] = operation[2]
    return fix_png_crcs(bytes(data)) if fix_crcs else bytes(data)


def assert_inspect_contract(data: bytes, filename: str) -> DocumentInfo | None:
    """inspect's contract: a DocumentError with a readable DOC_* message, or a consistent DocumentInfo."""
    try:
        info = inspect(data, filename)
    except DocumentError as error:
        assert error.code in DOCUMENT_CODES
        assert_readable(error)
        return None
    assert isinstance(info, DocumentInfo)
    assert info.kind == sniff(data) and info.mime == MIME[info.kind]
    assert (info.filename, info.size_bytes) == (filename, len(data))
    assert info.extension_matches == filename.lower().endswith(EXTENSIONS[info.kind])
    assert info.pages >= 1 and info.width >= 1 and info.height >= 1
    if info.kind == "pdf":
        assert info.unit == "pt"
    else:
        assert info.unit == "px" and info.pages == 1
        assert info.width * info.height <= documents.MAX_IMAGE_PIXELS  # a bomb never passes
    return info


#: Damaged files make Pillow warn (a size between its limit and twice it, before our own check
#: refuses it; corrupt EXIF); the properties are about what is raised, so keep the summary clean.
QUIET_PILLOW = pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning", "ignore::UserWarning:PIL")
FILENAMES = st.one_of(st.sampled_from(["card.png", "card.jpg", "scan.PDF", "card", "", "card.gif"]), st.text(max_size=100))


@QUIET_PILLOW
@settings(max_examples=400, deadline=timedelta(seconds=5), derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(recipe=DAMAGE, filename=FILENAMES)
def test_inspect_of_a_damaged_file_refuses_it_or_describes_it(recipe, filename):
    assert_inspect_contract(damaged(recipe), filename)


@QUIET_PILLOW
@settings(max_examples=500, deadline=timedelta(seconds=5), derandomize=True)
@given(
    data=st.one_of(
        st.binary(max_size=2048),
        # Past the type check: a real magic number, then anything.
        st.tuples(st.sampled_from(sorted(MAGIC.values())), st.binary(max_size=2048)).map(b"".join),
        # A PDF-looking file with the end marker the truncation check wants.
        st.binary(max_size=512).map(lambda body: b"%PDF-1.7\n" + body + b"\n%%EOF\n"),
    ),
    filename=FILENAMES,
)
def test_inspect_of_random_bytes_refuses_them_or_describes_them(data, filename):
    assert_inspect_contract(data, filename)


@QUIET_PILLOW
@settings(max_examples=150, deadline=timedelta(seconds=5), derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(recipe=DAMAGE, max_side=st.sampled_from([1, 64, 900, documents.PREVIEW_MAX_SIDE]))
def test_preview_of_a_damaged_file_refuses_it_or_draws_it_small(recipe, max_side):
    data = damaged(recipe)
    try:
        image = preview(data, max_side)
    except DocumentError as error:
        assert error.code in DOCUMENT_CODES and error.message
        return
    assert image.mode == "RGB" and 1 <= max(image.size) <= max_side


def huge_declared_cases() -> dict[str, bytes]:
    """Small files that declare an enormous picture, page count or page: each must stay cheap."""
    png = (SAMPLES / "npwp15-card.png").read_bytes()
    jpeg = (SAMPLES / "npwp16-nik-card.jpg").read_bytes()
    pdf = (SAMPLES / "npwp15-card.pdf").read_bytes()
    progressive = io.BytesIO()
    Image.new("RGB", (64, 48), "white").save(progressive, "JPEG", progressive=True)
    # A real zlib bomb behind the header: 50 MB of zeros in about 50 KB, claimed as 100000 x 100000.
    bomb_idat = zlib.compress(b"\x00" * 50_000_000, 9)
    return {
        "png-100000x100000": declare_huge(png, 100_000, 100_000),
        "png-100000x100000-bad-crc": declare_huge(png, 100_000, 100_000, fix_crc=False),
        "png-2^32-1-square": declare_huge(png, 2**32 - 1, 2**32 - 1),
        "png-zlib-bomb": png_claiming(100_000, 100_000).replace(
            png_chunk(b"IDAT", zlib.compress(b"\x00" * 64)), png_chunk(b"IDAT", bomb_idat)
        ),
        "jpeg-65535x65535": declare_huge(jpeg, 65_535, 65_535),
        "progressive-jpeg-65535x65535": declare_huge(progressive.getvalue(), 65_535, 65_535),
        "pdf-count-10^9": declare_huge(pdf, 0, 0, count=10**9),
        # 200,000 inches square: page 1 is drawn scaled down to 6000 x 6000 pixels.
        "pdf-huge-page": pdf.replace(b"/MediaBox [ 0 0 504.0 316.8 ]", b"/MediaBox [ 0 0 14400000 14400000 ]"),
    }


_MEASURE_HUGE = """
import json, resource, time, tracemalloc
from bench.common import process_memory_kib
from kyc.documents import DocumentError, inspect, preview
from tests.test_documents import huge_declared_cases

cases = huge_declared_cases()
before = process_memory_kib()[1]
tracemalloc.start()
outcomes = {}
for name, data in cases.items():
    for call in (inspect, preview):
        started = time.perf_counter()
        try:
            if call is inspect:
                info = inspect(data, "huge")
                outcome = [info.pages, info.width, info.height]
            else:
                outcome = list(preview(data).size)
        except DocumentError as error:
            outcome = error.code
        outcomes[name + " " + call.__name__] = [outcome, time.perf_counter() - started]
print(json.dumps({
    "outcomes": outcomes,
    "python_peak": tracemalloc.get_traced_memory()[1],
    "rss_growth": (process_memory_kib()[1] - before) * 1024,
    "renderer_peak": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024,
}))
"""


def test_files_declaring_a_huge_size_stay_within_memory_and_time():
    # A fresh process, so that its peak RSS (VmHWM) measures this batch and nothing before it;
    # tracemalloc adds the Python-side peak, RUSAGE_CHILDREN the pdftoppm renderer (an upper
    # bound: a child's ru_maxrss starts from this process's size when it was forked).
    done = subprocess.run([sys.executable, "-c", _MEASURE_HUGE], cwd=ROOT, capture_output=True, text=True, timeout=90)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    outcomes = report["outcomes"]
    limit = 200 * 1024 * 1024
    assert report["rss_growth"] < limit, report
    assert report["python_peak"] < limit, report
    assert report["renderer_peak"] < limit, report
    for name, (outcome, seconds) in outcomes.items():
        if name.startswith(("png", "jpeg", "progressive")):
            assert outcome == ("DOC_DAMAGED" if "bad-crc" in name else "DOC_TOO_MANY_PIXELS"), (name, outcome)
        # Hang detectors, not speed targets (make bench measures speed): a header refusal takes
        # milliseconds and a PDF a second, so only something unbounded comes near these.
        assert seconds < 30, (name, seconds)
    assert outcomes["pdf-count-10^9 inspect"][0] == [1, 504, 317]  # the real page count, not /Count
    assert outcomes["pdf-huge-page inspect"][0] == [1, 14_400_000, 14_400_000]
    assert outcomes["pdf-huge-page preview"][0] == [documents.PREVIEW_MAX_SIDE, documents.PREVIEW_MAX_SIDE]


_MEASURE_RGBA = """
import sys
from bench.common import process_memory_kib
from kyc.documents import preview

data = open(sys.argv[1], "rb").read()
before = process_memory_kib()[1]
print(list(preview(data).size), (process_memory_kib()[1] - before) / 1024)
"""


def test_a_huge_transparent_picture_is_previewed_without_a_full_size_copy(tmp_path):
    # Decoding a 50 MP RGBA picture (just under the pixel limit) needs 190 MiB, unavoidably.
    # Pillow's smoothing resize then added a premultiplied full-size copy (peak over 400 MiB);
    # the preview now steps down with nearest-neighbour first.
    path = tmp_path / "huge.png"
    Image.new("RGBA", (7071, 7071), (10, 20, 30, 128)).save(path)
    done = subprocess.run([sys.executable, "-c", _MEASURE_RGBA, str(path)], cwd=ROOT, capture_output=True, text=True, timeout=90)
    assert done.returncode == 0, done.stderr[-3000:]
    size, growth = done.stdout.split("]")
    assert size == f"[{documents.PREVIEW_MAX_SIDE}, {documents.PREVIEW_MAX_SIDE}"
    assert float(growth) < 320, f"preview raised the peak by {growth} MiB"


# --- The NPWP page's document column (ui.document, ui.npwp_panel), in AppTest ---------------


def upload(at, name: str, data: bytes):
    at.file_uploader(key="npwp_file").set_value((name, data, "application/octet-stream")).run()
    assert not at.exception, at.exception
    return at


def test_the_page_gives_a_file_the_uploaders_size_and_names_the_unit():
    at = upload(open_page("npwp"), "scan.png", padded_png(2_800_000))
    assert "Size 2.8 MB (2,800,000 bytes)" in shown_text(at)  # the uploader says 2.8MB; this said 2.7 MB
    assert "1 MB = 1,000,000 bytes" in at.file_uploader(key="npwp_file").proto.help
    assert "Sends scan.png, PNG, 2.8 MB." in messages(at, "caption")


def test_a_file_between_the_two_readings_of_5_mb_is_given_in_bytes_against_both():
    at = upload(open_page("npwp"), "scan.png", padded_png(5_100_000))
    captions = " ".join(messages(at, "caption"))
    assert "This file is 5.1 MB (5,100,000 bytes)" in captions
    assert "5,000,000 bytes" in captions and "5,242,880 bytes" in captions
    assert not at.button(key="npwp_submit").disabled  # the sandbox takes it; shrinking is offered, not forced


def test_after_shrink_the_page_says_which_file_is_sent():
    rng = random.Random(7)
    noise = Image.frombytes("RGB", (1800, 1800), rng.randbytes(1800 * 1800 * 3))  # JPEG squeezes it to ~2.7 MB
    out = io.BytesIO()
    noise.save(out, "PNG", compress_level=1)
    original = out.getvalue()
    shown = documents.format_size(len(original))
    assert shown == "9.7 MB"  # the big-noise.png, as the uploader lists it
    at = upload(open_page("npwp"), "big-noise.png", original)
    warning = " ".join(messages(at, "warning"))
    assert f"This image is 9.7 MB ({len(original):,} bytes); the API takes 5 MB at most" in warning
    assert "5,242,880 bytes" in warning

    at.button(key="npwp_shrink").click().run()
    assert not at.exception, at.exception
    sent = at.session_state["npwp_doc"]["data"]
    assert sniff(sent) == "jpeg" and len(sent) < FIT_TARGET_BYTES
    size = documents.format_size(len(sent))
    success = " ".join(messages(at, "success"))
    assert "The shrunk copy will be sent, not the uploaded file." in success
    assert f"Sent: big-noise.jpg, JPEG, {size} ({len(sent):,} bytes)." in success
    assert "Shrunk from big-noise.png, 9.7 MB, which the uploader above still lists; that file is not sent." in success
    assert at.file_uploader(key="npwp_file").value.name == "big-noise.png"  # the uploader's row is unchanged
    assert f"Sends big-noise.jpg, JPEG, {size}." in messages(at, "caption")  # by the Extract button
    assert f"Size {size} ({len(sent):,} bytes)" in shown_text(at)

    at.selectbox(key="sandbox_scenario").set_value("not_detected").run()  # no OCR of noise: the answer is not the point
    at.button(key="npwp_submit").click().run()
    assert history(at)[-1]["record"].body["image"] == {
        "filename": "big-noise.jpg",
        "content_type": "image/jpeg",
        "size_bytes": len(sent),
    }


def test_a_30000_by_30000_png_is_refused_on_the_page_in_words_a_salesperson_can_act_on():
    at = upload(open_page("npwp"), "bomb.png", png_claiming(30000, 30000))
    errors = " ".join(messages(at, "error"))
    assert "This file cannot be sent." in errors
    assert '"bomb.png" is 30,000 × 30,000 pixels (900 megapixels)' in errors
    assert "resize the picture" in errors and "JPEG, PNG or PDF" in errors
    text = shown_text(at)
    assert "No NPWP detected" not in text and "Traceback" not in text
    assert at.button(key="npwp_submit").disabled
    assert history(at) == []
