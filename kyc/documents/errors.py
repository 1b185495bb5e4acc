"""DocumentError, and the one table holding every message a rejected document gets.

Code that finds a problem raises ``refuse(situation, ...)`` with the facts (name, size, ...);
the words are all in :data:`MESSAGES`. Every message says what is wrong and, where it helps,
what is accepted.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from kyc.documents.kinds import LABEL, Kind
from kyc.documents.limits import MAX_IMAGE_PIXELS
from kyc.errors import KycError
from kyc.i18n import N_

ACCEPTED = N_("Upload a JPEG, PNG or PDF of 5 MB at most.")

#: Every message, by situation: its code and its text. ``{accepted}`` is :data:`ACCEPTED`,
#: ``{label}`` the kind ("JPEG", "PNG", "PDF"), ``{max_mp}`` the pixel limit in megapixels;
#: :func:`refuse` takes the other fields from the raise. Each text is marked for kyc's catalog
#: (``N_``): a DocumentError can be said again in Indonesian (``error.message_in("id")``), its
#: values (a name, a size) as they are and its fragments (ACCEPTED, the advice) in that language.
MESSAGES: dict[str, tuple[str, str]] = {
    "empty": ("DOC_EMPTY", N_("{name} is empty (0 bytes). {accepted}")),
    "too_large_to_open": (
        "DOC_TOO_LARGE",
        N_("{name} is {size}, far above the 5 MB limit and too large to shrink here. {accepted}"),
    ),
    # {what} is one of detect's names for a kind of file ("a GIF image"); {hint}, its advice, is
    # empty or starts with a space.
    "unsupported": (
        "DOC_UNSUPPORTED",
        N_("{name} is {what}. Only JPEG, PNG or PDF files of 5 MB at most are accepted.{hint}"),
    ),
    # ... where the name's extension promises an accepted type ("... even though its name ends in .jpg").
    "unsupported_despite_name": (
        "DOC_UNSUPPORTED",
        N_(
            "{name} is {what}, even though its name ends in {extension}. Only JPEG, PNG or PDF files "
            "of 5 MB at most are accepted.{hint}"
        ),
    ),
    "truncated": (
        "DOC_TRUNCATED",
        N_(
            "{name} is incomplete: the {label} data stops part-way, as if the download or copy was cut short. {again}. {accepted}"
        ),
    ),
    "damaged": (
        "DOC_DAMAGED",
        N_("{name} looks like a {label} but cannot be read: {reason}. Save or export it again. {accepted}"),
    ),
    # Pictures
    "too_many_pixels": (
        "DOC_TOO_MANY_PIXELS",
        N_(
            "{name} is {width:,} × {height:,} pixels ({megapixels:,.0f} megapixels); the most this "
            "app opens is {max_mp} megapixels, to stay safe from oversized images. Use a normal "
            "camera setting or resize the picture. {accepted}"
        ),
    ),
    # Pillow refused to open the picture at all, before its size was known to us.
    "far_too_many_pixels": (
        "DOC_TOO_MANY_PIXELS",
        N_("{name} declares far more pixels than the {max_mp} megapixels this app opens. {accepted}"),
    ),
    "cannot_shrink": (
        "DOC_TOO_LARGE",
        N_(
            "The picture could not be made smaller than {limit} while staying readable. Take a "
            "simpler photo of just the card, or crop it. {accepted}"
        ),
    ),
    # PDFs
    "encrypted": (
        "DOC_ENCRYPTED",
        N_(
            "{name} is a password-protected (encrypted) PDF, which the service cannot open. Save or "
            "print it to a new PDF without a password, or upload a photo of the card as JPEG or PNG "
            "(5 MB at most)."
        ),
    ),
    "pdf_too_large": (
        "DOC_PDF_TOO_LARGE",
        N_(
            "This PDF is {size}; the limit is 5 MB and a PDF cannot be shrunk automatically. Export "
            "a smaller PDF (fewer pages or lower image quality), or upload a photo of the card as "
            "JPEG or PNG."
        ),
    ),
    "preview_unavailable": (
        "DOC_PREVIEW_UNAVAILABLE",
        N_(
            "PDF previews need poppler-utils (pdfinfo and pdftoppm), which is not installed on this machine. "
            "Run `make run` (it installs it) or `sudo apt-get install poppler-utils`. The PDF can still be sent."
        ),
    ),
    # {reason}: the system's words for why a poppler program would not start.
    "preview_unstartable": (
        "DOC_PREVIEW_UNAVAILABLE",
        N_(
            "PDF previews need poppler-utils (pdfinfo and pdftoppm), which could not be started here ({reason}). "
            "Run `make run` (it installs it) or `sudo apt-get install poppler-utils`. The PDF can still be sent."
        ),
    ),
    "preview_timeout": (
        "DOC_PREVIEW_TIMEOUT",
        N_(
            "Drawing page 1 of this PDF took longer than {timeout:g} seconds, so the preview was "
            "stopped. The PDF may be very complex; try a simpler PDF or a JPEG or PNG photo of the card."
        ),
    ),
    "preview_failed": (
        "DOC_PREVIEW_FAILED",
        N_(
            "Page 1 of this PDF could not be drawn; the file is probably damaged. Export it again, "
            "or upload a photo of the card as JPEG or PNG. {accepted}"
        ),
    ),
}


class DocumentError(KycError):
    """A document the app refuses before anything is sent to a vendor.

    ``code`` is one of the codes in :data:`MESSAGES` (``DOC_*``); ``message`` tells a
    non-engineer what is wrong and what is accepted. Build one with :func:`refuse`.
    """

    def __init__(self, code: str, message: str, retryable: bool = False) -> None:
        super().__init__(code, message, retryable=retryable)

    def __repr__(self) -> str:
        return f"DocumentError(code={self.code!r}, message={self.message!r})"


def format_size(size_bytes: int) -> str:
    """A short human size in decimal units (1 KB = 1,000 bytes, 1 MB = 1,000,000 bytes), as
    Streamlit's file uploader shows it, digit for digit: "183.9 KB", "2.8 MB", "0.6 MB".

    The uploader (Streamlit 1.67's frontend) divides by 1,000 while the size is over half the next
    unit and rounds to one decimal, halves up; so does this. Sizes of 500 bytes or less are
    given in bytes. Near a limit one decimal is not enough to tell over from under: say the
    bytes too (:func:`format_bytes`). In a browser on Windows the uploader divides by 1,024
    instead, as Windows itself does; there its figures are a few percent lower than these.
    """
    if size_bytes < 0:
        raise ValueError("size_bytes must be 0 or more")
    if size_bytes <= 500:
        return f"{size_bytes} bytes"
    value = float(size_bytes)
    for unit in ("KB", "MB", "GB"):
        value /= 1000  # one division per step, as the uploader does, so the same float comes out
        if value <= 500 or unit == "GB":
            rounded = Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)  # JavaScript's toFixed(1)
            return f"{rounded} {unit}"
    raise AssertionError("unreachable")  # pragma: no cover


def format_bytes(size_bytes: int) -> str:
    """The exact size with its unit and thousands separators: "5,242,880 bytes"."""
    return f"{size_bytes:,} bytes"


def display_name(filename: str) -> str:
    """How a file is named in messages: quoted and shortened, or "The file" when unnamed."""
    filename = (filename or "").strip()
    if not filename:
        return N_("The file")  # said in the message's language (message_in translates kyc's own words)
    if len(filename) > 80:
        filename = filename[:77] + "..."
    return f'"{filename}"'


def refuse(situation: str, kind: Kind | None = None, **fields: object) -> DocumentError:
    """The DocumentError for ``situation`` (a key of :data:`MESSAGES`), its text filled in.

    ``kind`` fills ``{label}``; ``fields`` fill the rest (``name``, ``size``, ``reason``, ...).

    The error is templated (:meth:`KycError.templated`): ``error.message_in("id")`` says it in
    Indonesian, with the fragments among the fields (ACCEPTED, the advice, a reason marked ``N_``)
    in Indonesian too, and the values (a file name, a size) as they are.
    """
    code, text = MESSAGES[situation]
    label = LABEL[kind] if kind is not None else ""
    max_mp = MAX_IMAGE_PIXELS // 1_000_000
    error = DocumentError.templated(code, text, accepted=ACCEPTED, label=label, max_mp=max_mp, **fields)
    assert isinstance(error, DocumentError)
    return error


#: The advice in a DOC_TRUNCATED message, for a PDF and for a picture.
AGAIN = {
    "pdf": N_("Download or export the PDF again"),
    "picture": N_("Copy the complete file again or take a new photo"),
}


def truncated(kind: Kind, name: str) -> DocumentError:
    """DOC_TRUNCATED, with the advice that fits a picture or a PDF."""
    again = AGAIN["pdf"] if kind == "pdf" else AGAIN["picture"]
    return refuse("truncated", kind, name=name, again=again)
