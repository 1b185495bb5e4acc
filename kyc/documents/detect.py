"""What a file is, from its first bytes, never from its name.

:func:`sniff` only names the kind; :func:`identify` is the gate every public function of
:mod:`kyc.documents` passes through, and says in plain words what a refused file is.
"""

from __future__ import annotations

import os

from kyc.documents.errors import format_size, refuse, truncated
from kyc.documents.kinds import EXTENSIONS, MAGIC, MIME, Kind
from kyc.documents.limits import MAX_INPUT_BYTES
from kyc.i18n import N_

__all__ = ["MIME", "identify", "sniff"]

_ACCEPTED_EXTENSIONS = tuple(extension for extensions in EXTENSIONS.values() for extension in extensions)


def sniff(data: bytes) -> Kind | None:
    """Return ``"jpeg"``, ``"png"`` or ``"pdf"`` from the magic bytes, else None.

    Only the first bytes are looked at: whether the file is complete and safe to open is for
    :func:`kyc.documents.inspect` to say. :data:`MIME` maps the kind to its MIME type.
    """
    for kind, magic in MAGIC.items():
        if data.startswith(magic):
            return kind
    return None


def identify(data: bytes, name: str, filename: str = "", *, check_size: bool = True) -> Kind:
    """Return the kind of an accepted file, or raise a DocumentError naming what it is.

    Refuses an empty file, one over MAX_INPUT_BYTES (unless ``check_size`` is False), one cut
    short within its first bytes, and any other type. ``name`` is how messages call the file;
    ``filename`` is only used to point out an extension that promises an accepted type.
    """
    if check_size and len(data) > MAX_INPUT_BYTES:
        raise refuse("too_large_to_open", name=name, size=format_size(len(data)))
    if not data:
        raise refuse("empty", name=name)
    kind = sniff(data)
    if kind is not None:
        return kind
    # A file of a few bytes that starts like an accepted type was cut short, not mislabelled.
    for kind, magic in MAGIC.items():
        if len(data) < len(magic) and magic.startswith(data):
            raise truncated(kind, name)
    what, hint = _describe_unsupported(data)
    extension = os.path.splitext(filename)[1]
    if extension.lower() in _ACCEPTED_EXTENSIONS:
        raise refuse("unsupported_despite_name", name=name, what=what, hint=hint, extension=extension)
    raise refuse("unsupported", name=name, what=what, hint=hint)


def _describe_unsupported(data: bytes) -> tuple[str, str]:
    """A plain name for a file we do not take, and a hint on how to get an accepted one (empty, or
    starting with a space); both marked for kyc's catalog, said in the message's language."""
    head = data[:64]
    convert = N_(" Open it and save or export it as JPEG, PNG or PDF.")
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return N_("a GIF image"), convert
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return N_("a WebP image"), convert
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"heic", b"heix", b"hevc", b"heim", b"heis", b"hevm", b"mif1", b"msf1"):
            return (
                N_("an HEIC photo (the iPhone default)"),
                N_(" On the iPhone choose Settings > Camera > Formats > Most Compatible, or export the photo as JPEG."),
            )
        if brand in (b"avif", b"avis"):
            return N_("an AVIF image"), convert
        return N_("a video file"), N_(" Upload a photo or scan of the card instead.")
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return N_("a TIFF image"), convert
    if head[:2] == b"BM":
        return N_("a BMP image"), convert
    if head[:4] == b"PK\x03\x04":
        return N_("a ZIP archive or an Office document (Word, Excel)"), N_(" Save it as PDF first.")
    if head[:4] == b"\xd0\xcf\x11\xe0":
        return N_("an old-style Office document"), N_(" Save it as PDF first.")
    if head[:4] == b"8BPS":
        return N_("a Photoshop file"), convert
    if _looks_like_text(data[:4096]):
        return N_("a text file, not a picture or PDF"), ""
    return N_("neither a picture nor a PDF that this app recognises"), ""


def _looks_like_text(sample: bytes) -> bool:
    if b"\x00" in sample:
        return False
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A sample cut in the middle of a multi-byte character is still text.
        return exc.start >= len(sample) - 3
    return True
