"""Glare: where a reflection has washed the card out to white, and the text under it is gone.

A laminated card photographed under a lamp shows a blown-out patch: every channel at the
top of its range, with no texture. Text under it cannot be read by any engine; a field whose
line runs into such a patch is read only in part, and says so (``FieldRead.obscured``)
rather than passing for the whole field. White print is told apart by what lies within: a
reflection erases the print under it, while a QR code's white lies among its black modules.
"""

from __future__ import annotations

import cv2
import numpy as np

#: A pixel is blown out when its darkest channel is at least this.
BLOWN_OUT = 252
#: Patches smaller than this share of the picture are specks, not glare.
MIN_SHARE = 0.002
#: …and larger than this share, a white page or background.
MAX_SHARE = 0.25
#: A patch whose box is dark for more than this share is printed white, not glare: a
#: reflection erases the print under it, a QR code's white lies among its black modules.
MAX_DARK_INSIDE = 0.1

Box = tuple[int, int, int, int]


def patches(page: np.ndarray) -> list[Box]:
    """Boxes (left, top, right, bottom) of the blown-out patches in an RGB ``page``."""
    if page.ndim != 3:
        return []
    low = page.min(axis=2)
    mask = cv2.morphologyEx((low >= BLOWN_OUT).astype(np.uint8), cv2.MORPH_OPEN, np.ones((5, 5), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask)
    area = page.shape[0] * page.shape[1]
    found = []
    for label in range(1, count):
        left, top, width, height, size = stats[label]
        if size < MIN_SHARE * area or size > MAX_SHARE * area:
            continue
        if left == 0 or top == 0 or left + width == page.shape[1] or top + height == page.shape[0]:
            continue  # white up to the picture's edge: the page or background around a card, not a reflection on it
        inside = low[top : top + height, left : left + width]
        if float((inside < 100).mean()) > MAX_DARK_INSIDE:
            continue  # printed white among dark print: a QR code's modules, a white panel's text
        found.append((int(left), int(top), int(left + width), int(top + height)))
    return found


def touches(box: Box, patch: Box, reach: int) -> bool:
    """Does ``box``, widened by ``reach`` pixels left and right, overlap ``patch``?"""
    left, top, right, bottom = box
    return left - reach < patch[2] and patch[0] < right + reach and top < patch[3] and patch[1] < bottom
