"""Geometry of a card in a picture: its outline warped flat, quarter turns, a line's crop.

A phone photo shows the card as a quadrilateral: turned a few degrees, and keystoned because
the phone is never parallel to it. Where a first read misses a field, the card's outline is
found (its edge against the background, or the printed frame) and warped to a flat
rectangle. Points are carried through quarter turns (:func:`turn_points`) so that every box
can be given in the uploaded picture's pixels. The text lines also give a skew angle
(:func:`skew_angle`).
"""

from __future__ import annotations

import cv2
import numpy as np

#: Pictures are analysed at this long side: plenty for an outline, and fast.
_ANALYSIS_SIDE = 800
#: A card outline must cover at least this share of the picture (smaller: a logo, a photo).
_MIN_AREA = 0.08
#: …and at most this share: an outline hugging the whole picture border adds nothing.
_MAX_AREA = 0.995
#: Width cards are warped to: text on a card comes out 25-50 px high, what Tesseract likes.
CARD_WIDTH = 1400


def _small(gray: np.ndarray) -> tuple[np.ndarray, float]:
    scale = _ANALYSIS_SIDE / max(gray.shape)
    if scale >= 1:
        return gray, 1.0
    size = (round(gray.shape[1] * scale), round(gray.shape[0] * scale))
    return cv2.resize(gray, size, interpolation=cv2.INTER_AREA), scale


def order_corners(points: np.ndarray) -> np.ndarray:
    """The four corners as top-left, top-right, bottom-right, bottom-left."""
    points = points.reshape(4, 2).astype(np.float32)
    total, diff = points.sum(axis=1), np.diff(points, axis=1).ravel()
    return np.array([points[np.argmin(total)], points[np.argmin(diff)], points[np.argmax(total)], points[np.argmax(diff)]])


def _quads(edges: np.ndarray, area: float) -> list[tuple[float, np.ndarray]]:
    contours, _ = cv2.findContours(edges, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    found = []
    for contour in contours:
        hull = cv2.convexHull(contour)
        hull_area = cv2.contourArea(hull)
        if not _MIN_AREA * area <= hull_area <= _MAX_AREA * area:
            continue
        approx = cv2.approxPolyDP(hull, 0.03 * cv2.arcLength(hull, True), True)
        if len(approx) != 4 or not cv2.isContourConvex(approx):
            continue
        # The outline must be mostly straight edge, not a blob that happens to be 4-sided.
        if cv2.contourArea(approx) < 0.9 * hull_area:
            continue
        found.append((cv2.contourArea(approx), approx.reshape(4, 2).astype(np.float32)))
    return found


def find_card(gray: np.ndarray) -> np.ndarray | None:
    """The card's corners (ordered, in ``gray``'s pixels), or None when no outline is found.

    Edges come from Canny on a smoothed copy; dilation closes the gaps that blur and noise
    leave in the outline. The largest convex four-sided outline wins.
    """
    small, scale = _small(gray)
    blurred = cv2.GaussianBlur(small, (5, 5), 0)
    edges = cv2.Canny(blurred, 30, 90)
    edges = cv2.dilate(edges, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    candidates = _quads(edges, float(small.shape[0] * small.shape[1]))
    if not candidates:
        return None
    _, quad = max(candidates, key=lambda item: item[0])
    return order_corners(quad / scale)


def area_share(corners: np.ndarray, shape: tuple[int, ...]) -> float:
    """The share of a picture of ``shape`` that the quadrilateral ``corners`` covers."""
    return float(cv2.contourArea(corners.astype(np.float32))) / float(shape[0] * shape[1])


def warp_card(image: np.ndarray, corners: np.ndarray, width: int = CARD_WIDTH) -> np.ndarray:
    """The quadrilateral ``corners`` of ``image`` as a flat rectangle, ``width`` px on its long side."""
    tl, tr, br, bl = corners
    w = (np.linalg.norm(tr - tl) + np.linalg.norm(br - bl)) / 2
    h = (np.linalg.norm(bl - tl) + np.linalg.norm(br - tr)) / 2
    scale = width / max(w, h)
    out_w, out_h = max(1, round(w * scale)), max(1, round(h * scale))
    target = np.array([[0, 0], [out_w - 1, 0], [out_w - 1, out_h - 1], [0, out_h - 1]], np.float32)
    matrix = cv2.getPerspectiveTransform(corners.astype(np.float32), target)
    # Upscaling small cards needs a smooth interpolation; bilinear is enough when shrinking.
    flags = cv2.INTER_CUBIC if scale > 1 else cv2.INTER_LINEAR
    return cv2.warpPerspective(image, matrix, (out_w, out_h), flags=flags, borderMode=cv2.BORDER_REPLICATE)


def skew_angle(gray: np.ndarray, max_angle: float = 10.0, step: float = 0.5) -> float:
    """The angle (degrees, counter-clockwise) that levels the text lines, by projection profile.

    Ink is summed row by row at each trial angle; level text lines give the sharpest profile
    (highest variance between rows).
    """
    small, _ = _small(gray)
    ink = cv2.adaptiveThreshold(small, 1, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 15).astype(np.float32)
    if ink.sum() < 0.002 * ink.size:
        return 0.0  # blank: nothing to level
    centre = (small.shape[1] / 2, small.shape[0] / 2)
    best, best_score = 0.0, -1.0
    for angle in np.arange(-max_angle, max_angle + step / 2, step):
        matrix = cv2.getRotationMatrix2D(centre, float(angle), 1.0)
        turned = cv2.warpAffine(ink, matrix, (small.shape[1], small.shape[0]), flags=cv2.INTER_NEAREST)
        score = float(np.var(turned.sum(axis=1)))
        if score > best_score:
            best, best_score = float(angle), score
    return best


def rotate(image: np.ndarray, angle: float) -> np.ndarray:
    """``image`` turned ``angle`` degrees counter-clockwise, canvas grown to keep the corners."""
    if abs(angle) < 0.25:
        return image
    h, w = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    new_w, new_h = int(h * sin + w * cos), int(h * cos + w * sin)
    matrix[0, 2] += new_w / 2 - w / 2
    matrix[1, 2] += new_h / 2 - h / 2
    return cv2.warpAffine(image, matrix, (new_w, new_h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def turn(image: np.ndarray, quarters: int) -> np.ndarray:
    """``image`` turned ``quarters`` × 90° counter-clockwise."""
    return np.ascontiguousarray(np.rot90(image, quarters % 4))


def turn_points(points: np.ndarray, quarters: int, width: int, height: int) -> np.ndarray:
    """Points (N x 2, x and y) of a ``width`` x ``height`` picture, where they land in
    :func:`turn` (picture, quarters)."""
    x, y = points[:, 0], points[:, 1]
    q = quarters % 4
    if q == 1:
        return np.stack([y, width - 1 - x], axis=1)
    if q == 2:
        return np.stack([width - 1 - x, height - 1 - y], axis=1)
    if q == 3:
        return np.stack([height - 1 - y, x], axis=1)
    return points.astype(np.float64)


def line_crop(gray: np.ndarray, corners: np.ndarray, quarters: int = 0, height: int = 48, pad: float = 0.2) -> np.ndarray:
    """The text line outlined by ``corners`` (tl, tr, br, bl of the picture) cut out flat,
    turned upright by ``quarters`` and scaled to ``height`` px of text, with a margin."""
    tl, tr, br, bl = corners.astype(np.float32)
    w = max(1.0, float(np.linalg.norm(tr - tl) + np.linalg.norm(br - bl)) / 2)
    h = max(1.0, float(np.linalg.norm(bl - tl) + np.linalg.norm(br - tr)) / 2)
    text_h = h if quarters % 2 == 0 else w
    scale = height / text_h
    m = pad * height
    out_w, out_h = max(1, round(w * scale + 2 * m)), max(1, round(h * scale + 2 * m))
    target = np.array([[m, m], [out_w - m, m], [out_w - m, out_h - m], [m, out_h - m]], np.float32)
    matrix = cv2.getPerspectiveTransform(np.stack([tl, tr, br, bl]), target)
    flat = cv2.warpPerspective(gray, matrix, (out_w, out_h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)
    return turn(flat, quarters)
