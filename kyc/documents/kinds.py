"""The three kinds of file the vendor accepts, and what identifies and names each."""

from __future__ import annotations

from typing import Literal

Kind = Literal["jpeg", "png", "pdf"]

#: The bytes each kind starts with, in the order they are tried.
MAGIC: dict[Kind, bytes] = {"jpeg": b"\xff\xd8\xff", "png": b"\x89PNG\r\n\x1a\n", "pdf": b"%PDF-"}
#: The MIME type to send each kind as.
MIME: dict[str, str] = {"jpeg": "image/jpeg", "png": "image/png", "pdf": "application/pdf"}
#: File-name extensions that fit each kind; the first is the one we suggest.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "jpeg": (".jpg", ".jpeg", ".jpe", ".jfif"),
    "png": (".png",),
    "pdf": (".pdf",),
}
#: The kind's name in messages, which is also Pillow's format name for the two pictures.
LABEL: dict[str, str] = {"jpeg": "JPEG", "png": "PNG", "pdf": "PDF"}
