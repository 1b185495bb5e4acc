"""What to OCR on a page: the card warped flat (or the levelled page), which way up to try it
first, and the preparations that give Tesseract a second and third look."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import cv2
import numpy as np

from . import geometry, normalize

#: A card outline smaller than this share of the page may be something else (a photo on an
#: ID card, a table cell): if it holds no NPWP, the whole page is read as well. A phone photo
#: of a card is above it; a card copied onto an A4 page is below.
SMALL_CARD = 0.3


@dataclass
class Picture:
    """Something to OCR: clean grayscale, and the quarter turns to try, most likely first."""

    label: str
    gray: np.ndarray
    turns: list[int]


def pictures(page: np.ndarray) -> Iterator[Picture]:
    """The card warped flat if an outline is found, else (or also, if small) the levelled page."""
    corners = geometry.find_card(normalize.luminance(page))
    if corners is not None:
        card = geometry.warp_card(page, corners)
        gray = geometry.clear_border(normalize.even_light(normalize.dropout_gray(card)))
        yield Picture("card", gray, flush_left_first(gray, geometry.quarter_turns(card)))
        if geometry.area_share(corners, page.shape) >= SMALL_CARD:
            return
    picture = normalize.bounded(page)
    angle = geometry.skew_angle(normalize.dropout_gray(picture))
    gray = normalize.even_light(normalize.dropout_gray(geometry.rotate(picture, angle)))
    yield Picture(f"page levelled {angle:+.1f}°", gray, flush_left_first(gray, [0, 2, 1, 3]))


def flush_left_first(gray: np.ndarray, turns: list[int]) -> list[int]:
    """Of each pair of opposite turns, the one whose text lines are flush left first."""
    ordered = []
    for pair in (turns[i : i + 2] for i in range(0, len(turns), 2)):
        score = geometry.left_aligned_score(geometry.turn(gray, pair[0]))
        ordered += pair if score >= 0 else pair[::-1]
    return ordered


def as_is(gray: np.ndarray) -> np.ndarray:
    return gray


def shrunk(gray: np.ndarray) -> np.ndarray:
    """The card at 60 %. On a blurry photo the warp's upscaled strokes are soft; smaller text
    is read differently, and on the photos where the first read failed, usually right."""
    return cv2.resize(gray, None, fx=0.6, fy=0.6, interpolation=cv2.INTER_AREA)


def bolder(gray: np.ndarray) -> np.ndarray:
    """Strokes thickened by a pixel: thin or broken digits join up."""
    return cv2.erode(gray, np.ones((2, 2), np.uint8))


#: Tried in turn on each orientation, while no read is good enough (see pipeline).
PREPARATIONS: tuple[Callable[[np.ndarray], np.ndarray], ...] = (as_is, shrunk, bolder)
