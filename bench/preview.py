"""``preview()`` of page 1 of a 40-page PDF against raw ``pdftoppm -f 1 -l 1`` at the same DPI.

The preview renders through pdf2image, which runs ``pdfinfo`` (the page count) and
``pdftoppm -v`` (poppler's version) before ``pdftoppm`` itself, on the bytes written to a
file. The second row does those steps by hand: their difference from raw pdftoppm (which
reads a file already on disk) is pdf2image's price, and the third row, the preview against
them, is our own code's: one more, timed ``pdfinfo`` for page 1's size, and reading the
picture back.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from bench.common import Row, median_seconds
from kyc.documents import PREVIEW_DPI, preview

PAGES = 40


def forty_page_pdf(page_size: tuple[int, int] = (1240, 1754)) -> bytes:
    """A 40-page statement: each page an image of text lines (A4 at 150 dpi by default), saved as PDF."""
    from io import BytesIO

    from PIL import Image, ImageDraw

    pages = []
    for number in range(1, PAGES + 1):
        page = Image.new("RGB", page_size, "white")
        draw = ImageDraw.Draw(page)
        for line in range(page_size[1] // 30):
            draw.text(
                (40, 40 + line * 26), f"Page {number}, line {line}: statement of account, NPWP 01.312.166.0-091.000", fill="black"
            )
        pages.append(page)
    out = BytesIO()
    pages[0].save(out, "PDF", save_all=True, append_images=pages[1:], resolution=page_size[0] / 8.27)
    return out.getvalue()


def run() -> list[Row]:
    data = forty_page_pdf()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.pdf"
        path.write_bytes(data)
        render = ["pdftoppm", "-r", str(PREVIEW_DPI), "-f", "1", "-l", "1", str(path)]

        def pdf2image_commands() -> None:
            # What convert_from_bytes does before any code of ours: the bytes to a file, then
            # pdfinfo, pdftoppm -v and pdftoppm on it.
            (Path(folder) / "copy.pdf").write_bytes(data)
            subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True)
            subprocess.run(["pdftoppm", "-v"], check=True, capture_output=True)
            subprocess.run(render, check=True, capture_output=True)

        raw = median_seconds(lambda: subprocess.run(render, check=True, capture_output=True), repeat=15)
        three = median_seconds(pdf2image_commands, repeat=15)
        ours = median_seconds(lambda: preview(data), repeat=15)
    size = f"{len(data) // 1024} KB"
    return [
        Row(f"preview() page 1 of a {PAGES}-page PDF ({size}), via pdf2image", f"{ours * 1000:.0f} ms",
            f"{raw * 1000:.0f} ms raw pdftoppm", ours / raw),
        Row("  pdf2image's own steps: write the bytes, pdfinfo, pdftoppm -v, pdftoppm", f"{three * 1000:.0f} ms",
            f"{raw * 1000:.0f} ms raw pdftoppm", three / raw),
        Row("  preview() against pdf2image's own steps", f"{ours * 1000:.0f} ms",
            f"{three * 1000:.0f} ms", ours / three, "<= 1.3", ours / three <= 1.3),
    ]  # fmt: skip
