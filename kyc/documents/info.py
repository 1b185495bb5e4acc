"""DocumentInfo, what inspect() reports about a file, and the names a file should get."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal

from kyc.documents.kinds import EXTENSIONS, Kind

__all__ = ["DocumentInfo", "jpeg_name"]


@dataclass(frozen=True)
class DocumentInfo:
    """What :func:`kyc.documents.inspect` found out about a file.

    ``width`` and ``height`` are pixels for a picture (as displayed, i.e. after the EXIF
    orientation is applied) and PDF points (1/72 inch, rounded, of page 1's crop box as
    displayed, i.e. after its /Rotate) for a PDF; ``unit`` says which.
    """

    filename: str
    kind: Kind
    mime: str
    size_bytes: int
    size_label: str  # e.g. "4.8 MB"; decimal units (1 MB = 1,000,000 bytes), as the file uploader shows it
    pages: int  # 1 for a picture
    width: int
    height: int
    unit: Literal["px", "pt"]
    over_limit: bool  # size_bytes > API_LIMIT_BYTES: the sandbox (reading 5 MB as 5 MiB) refuses it
    near_limit: bool  # FIT_TARGET_BYTES < size_bytes <= API_LIMIT_BYTES: passes only if "5 MB" means 5 MiB
    extension_matches: bool  # False when the name's extension is missing or names another type

    @property
    def suggested_filename(self) -> str:
        """The filename with an extension that matches the content: a PNG named ``card.jpg`` gives ``card.png``."""
        if self.extension_matches:
            return self.filename
        return _with_extension(self.filename, EXTENSIONS[self.kind][0])

    @property
    def dimensions_label(self) -> str:
        """``"1400 × 880 px"`` or ``"595 × 842 pt"``."""
        return f"{self.width} × {self.height} {self.unit}"


def jpeg_name(filename: str) -> str:
    """The name for a picture that :func:`kyc.documents.fit_to_limit` re-encoded as JPEG.

    The same stem with ``.jpg``: ``scan.png`` gives ``scan.jpg``, ``card`` gives ``card.jpg``
    and a name without a stem gives ``document.jpg``.
    """
    return _with_extension(filename, ".jpg")


def _with_extension(filename: str, extension: str) -> str:
    stem = os.path.splitext(filename)[0]
    return (stem or "document") + extension
