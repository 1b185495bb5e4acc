"""Pictures to the clean grayscale that OCR reads best: dark ink on an even, white background."""

from __future__ import annotations

import cv2
import numpy as np

#: Brightness relative to the local background: ink is darker than INK (at least), paper
#: lighter than PAPER. Text on a card is 0.1-0.4 of its background even in a blurry photo.
INK = 0.45
PAPER = 0.85


def dropout_gray(rgb: np.ndarray) -> np.ndarray:
    """Grayscale that keeps dark ink and drops coloured print (stamps, watermarks, tints).

    Each pixel takes its brightest channel: black and navy text stay dark, while a red
    "CONTOH" stamp or a pale blue band turn almost white, so they stop turning into stray
    letters next to the fields. This is the "colour dropout" used in form readers.
    """
    if rgb.ndim == 2:
        return rgb
    return rgb.max(axis=2)


def luminance(rgb: np.ndarray) -> np.ndarray:
    """Plain grayscale (for finding edges, where coloured outlines must stay visible)."""
    return rgb if rgb.ndim == 2 else cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)


def even_light(gray: np.ndarray) -> np.ndarray:
    """Divide out uneven lighting, stretch the contrast, and clear the background to white.

    The background brightness is estimated with a closing (which removes the dark text) and
    a blur; dividing by it makes a shadowed corner as white as a lit one. Ink is then
    stretched to the full range, and anything within :data:`PAPER` of the background becomes
    pure white. That last step matters for speed as much as for accuracy: Tesseract binarises
    with Otsu, which splits even a flat, grainy photo into thousands of specks, and reading
    specks took it 6-7 s a page.
    """
    # Estimated at a quarter of the size (the light changes slowly), which is 10x cheaper.
    small = cv2.resize(gray, (max(1, gray.shape[1] // 4), max(1, gray.shape[0] // 4)), interpolation=cv2.INTER_AREA)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9))
    small = cv2.GaussianBlur(cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel), (0, 0), 2)
    background = cv2.resize(small, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)
    flat = gray.astype(np.float32) / np.maximum(background.astype(np.float32), 1.0)
    # The darkest ink sets the black point, but a picture without real ink (a photo, a blank
    # page) must not have its grain stretched into "text".
    low = min(float(np.percentile(flat, 0.5)), INK)
    stretched = (flat - low) / max(PAPER - low, 1e-3) * 255
    return np.clip(stretched, 0, 255).astype(np.uint8)


def ink_blobs(gray: np.ndarray) -> int:
    """How many character-sized dark blobs ``gray`` (from :func:`even_light`) holds.

    A quick "is there text at all" test before paying for OCR: blobs 8-120 px tall and not
    much wider than tall (letters, digits), at least 20 px in area.
    """
    ink = (gray < 128).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    widths, heights, areas = stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT], stats[1:, cv2.CC_STAT_AREA]
    letters = (heights >= 8) & (heights <= 120) & (widths <= 2 * heights) & (areas >= 20)
    return int(letters.sum())
