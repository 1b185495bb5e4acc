"""The numbers every check, preview and conversion in :mod:`kyc.documents` works to."""

from __future__ import annotations

#: What the sandbox accepts: the vendor's "5 MB" read as 5 MiB (5,242,880 bytes, shown as "5.2 MB"
#: in the decimal units the app and the file uploader use).
API_LIMIT_BYTES = 5 * 1024 * 1024
#: What fit_to_limit aims below, so that the result passes whichever way "5 MB" is read: 5 MB in
#: decimal units.
FIT_TARGET_BYTES = 5_000_000
#: Above this we refuse to even open a file: far beyond anything fit_to_limit should attempt,
#: and it keeps inspect() bounded in memory and time (Streamlit's own upload cap is 200 MB).
MAX_INPUT_BYTES = 50 * 1024 * 1024

#: Decompression-bomb guard. A PNG of a few kilobytes can declare 30000 x 30000 pixels and
#: need gigabytes once decoded. 50 megapixels covers every ordinary camera and scanner output
#: (a 48 MP phone photo is 8000 x 6000) while capping a decoded RGBA image at about 200 MB.
#: We check width * height from the file header ourselves before any pixel is decoded, and
#: kyc.documents.images also sets Pillow's own limit to this value, on purpose.
MAX_IMAGE_PIXELS = 50_000_000

#: Text on an NPWP card stays readable for OCR down to about this long side.
MIN_LEGIBLE_LONG_SIDE = 1600

#: PDF pages are drawn at this resolution for preview (A4 becomes 827 x 1169 px).
PREVIEW_DPI = 100
#: Callers may ask for a sharper rendering (e.g. for OCR), but never above this.
MAX_PREVIEW_DPI = 300
#: Longest side of a preview image.
PREVIEW_MAX_SIDE = 1600
#: Time limit for drawing page 1 of a PDF.
PREVIEW_TIMEOUT_S = 10.0
