"""PDFs: checking that one is complete and readable, and drawing page 1 with poppler."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile

from PIL import Image
from pypdf import PdfReader

from kyc.documents.errors import refuse, truncated

__all__ = ["check_pdf", "render_page1"]

#: pdftoppm renders at most this many pixels each way (it crops beyond), so that a PDF page
#: declaring a 200-inch page cannot allocate gigabytes.
_RENDER_MAX_SIDE = 6000


def check_pdf(data: bytes, name: str) -> tuple[int, int, int]:
    """Return (pages, width, height) in points for page 1, or raise.

    pypdf and poppler both rebuild a damaged cross-reference table and happily report pages
    from half a file, so leniency is not trusted: the file must end with the ``%%EOF`` marker
    (within its last 1024 bytes, as the PDF specification and Acrobat allow). A PDF cut short
    loses exactly that. Then pypdf must walk the page tree and find page 1's box.
    """
    if b"%%EOF" not in data[-1024:]:
        raise truncated("pdf", name)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        is_encrypted = reader.is_encrypted
    except Exception as exc:  # noqa: BLE001 - pypdf raises many types on hostile input
        raise refuse("damaged", "pdf", name=name, reason="its structure is broken") from exc
    if is_encrypted:
        # Even PDFs that open without a password (only printing/copying restricted) are
        # refused: whether the vendor can open them is not documented, and "save without a
        # password" is a fix anyone can do.
        raise refuse("encrypted", name=name)
    try:
        # pages[0] walks the whole page tree (pypdf bounds depth and size), so len() below
        # is the real page count, not the /Count the file claims.
        first = reader.pages[0]
        pages = len(reader.pages)
        box = first.cropbox
        width, height = abs(float(box.width)), abs(float(box.height))
        rotation = first.rotation
        first.get_contents()  # page 1's content must resolve
    except IndexError as exc:
        raise refuse("damaged", "pdf", name=name, reason="it has no pages") from exc
    except Exception as exc:  # noqa: BLE001 - see above
        raise refuse("damaged", "pdf", name=name, reason="its pages cannot be read") from exc
    if pages < 1:
        raise refuse("damaged", "pdf", name=name, reason="it has no pages")
    if width < 1 or height < 1:
        raise refuse("damaged", "pdf", name=name, reason="page 1 has no size")
    if rotation % 180 == 90:
        width, height = height, width
    return pages, round(width), round(height)


def render_page1(data: bytes, name: str, *, dpi: int, timeout: float) -> Image.Image:
    """Draw page 1 with pdftoppm and return it as an RGB image.

    pdftoppm is called directly rather than through pdf2image: pdf2image runs ``pdfinfo`` (the
    whole file, without any time limit) and ``pdftoppm -v`` before every render, which makes a
    preview about 1.5 times slower than pdftoppm alone. Here there is one process, one page,
    one time limit.
    """
    exe = shutil.which("pdftoppm")
    if exe is None:
        raise refuse("preview_unavailable", problem="is not installed on this machine")
    fd, path = tempfile.mkstemp(prefix="kyc-preview-", suffix=".pdf")
    # pdftoppm's PPM goes to a file, not a pipe. A page that declares a huge size is drawn up
    # to the 6000 x 6000 cap: a 108 MB PPM, which capture_output held in memory twice
    # (communicate()'s chunks and their join) next to Pillow's decoded copy, over 300 MB for
    # a PDF of a few hundred bytes. Found by the memory-bound test in tests/test_documents.py.
    out_fd, out_path = tempfile.mkstemp(prefix="kyc-preview-", suffix=".ppm")
    out = os.fdopen(out_fd, "wb")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        command = [
            exe, "-r", str(dpi), "-f", "1", "-l", "1", "-cropbox",
            "-W", str(_RENDER_MAX_SIDE), "-H", str(_RENDER_MAX_SIDE), path,
        ]  # fmt: skip
        try:
            # No output file given: pdftoppm writes a PPM to stdout, here out. run() kills it on timeout.
            with out:
                done = subprocess.run(command, stdout=out, stderr=subprocess.PIPE, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise refuse("preview_timeout", timeout=timeout) from exc
        except OSError as exc:
            raise refuse("preview_unavailable", problem=f"could not be started here ({exc.strerror or exc})") from exc
        if done.returncode != 0 or not os.path.getsize(out_path):
            if "password" in done.stderr.decode("utf-8", "replace").lower():
                raise refuse("encrypted", name=name)
            raise refuse("preview_failed")
        try:
            with open(out_path, "rb") as ppm:
                image = Image.open(ppm, formats=["PPM"])
                image.load()
        except Exception as exc:  # noqa: BLE001 - renderer output we could not parse
            raise refuse("preview_failed") from exc
    finally:
        out.close()
        for leftover in (path, out_path):
            try:
                os.unlink(leftover)
            except OSError:
                pass
    return image.convert("RGB") if image.mode != "RGB" else image
