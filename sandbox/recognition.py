"""Turning an uploaded document into NPWP fields.

Two steps, cheapest first: the sample cards in ``sandbox/samples/`` are known by the SHA-256
of their bytes (listed in ``manifest.json``) and answered at once; anything else is read by
the offline OCR in :mod:`cardocr`. The lookup is only a shortcut: the OCR reads the samples
correctly on its own, which ``SampleIndex(lookup=False)`` or :func:`recognize_by_ocr` show.
Callers only rely on ``recognize(image) -> fields | None``, which raises
:class:`~sandbox.uploads.UploadError` for a document that cannot be decoded at all (too many
pixels, damaged picture data, a PDF that cannot be opened): the vendor's OCR_40001, not
"not detected".
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from pathlib import Path

from .uploads import UploadError

log = logging.getLogger("sandbox")

DEFAULT_SAMPLES_DIR = Path(__file__).resolve().parent / "samples"
MANIFEST_NAME = "manifest.json"

NpwpFields = dict[str, str]


class SampleIndex:
    """The sample cards' true fields keyed by the SHA-256 of their files, then OCR for the rest.

    ``lookup=False`` skips the hash index (every upload goes through OCR); ``ocr=False`` turns
    the OCR off (only the samples are recognised, as before the OCR existed).
    """

    def __init__(self, samples_dir: Path | str | None = None, *, lookup: bool = True, ocr: bool = True) -> None:
        self.samples_dir = Path(samples_dir) if samples_dir is not None else DEFAULT_SAMPLES_DIR
        self.lookup = lookup
        self.ocr = ocr
        self._by_hash: dict[str, NpwpFields] | None = None
        self._lock = threading.Lock()

    def load(self) -> dict[str, NpwpFields]:
        """Hash the listed files on first use; later calls return the cached index."""
        if self._by_hash is None:
            with self._lock:
                if self._by_hash is None:
                    self._by_hash = _build_index(self.samples_dir)
        return self._by_hash

    def __len__(self) -> int:
        return len(self.load())

    def recognize(self, image: bytes) -> NpwpFields | None:
        """Return the NPWP fields printed on ``image``, or None when no NPWP is found.

        Raises UploadError when the OCR is on and ``image`` cannot be decoded.
        """
        if self.lookup:
            fields = self.load().get(hashlib.sha256(image).hexdigest())
            if fields is not None:
                return dict(fields)
        return recognize_by_ocr(image) if self.ocr else None


_warned_unavailable = False


def recognize_by_ocr(image: bytes) -> NpwpFields | None:
    """Read the NPWP fields off ``image`` with OCR alone (no sample lookup); None if none found.

    A document that cannot be decoded at all raises UploadError saying why (the reader would
    only find no card on it). Without an OCR engine this logs one warning and answers "not
    detected", so the sandbox still serves its samples.
    """
    global _warned_unavailable
    # Imported on first use: OpenCV and friends cost a noticeable part of a second to load,
    # which a sandbox serving only the income API should not pay.
    from cardocr import EngineUnavailable, read_npwp
    from cardocr.decode import Undecodable, check

    try:
        check(image)  # cheap beside the read: headers, then the picture decoded as the reader decodes it
    except Undecodable as exc:
        raise UploadError(f"image could not be decoded: {exc}") from None
    try:
        return read_npwp(image)
    except EngineUnavailable as exc:
        if not _warned_unavailable:
            _warned_unavailable = True
            log.warning("sandbox: OCR unavailable, answering 'not detected' (%s)", exc)
        return None


def _build_index(samples_dir: Path) -> dict[str, NpwpFields]:
    manifest_path = samples_dir / MANIFEST_NAME
    if not manifest_path.is_file():
        return {}  # no samples generated yet: nothing matches
    try:
        entries = json.loads(manifest_path.read_text(encoding="utf-8"))["samples"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("sandbox: ignoring unreadable %s (%s)", manifest_path, type(exc).__name__)
        return {}
    index: dict[str, NpwpFields] = {}
    for entry in entries if isinstance(entries, list) else []:
        try:
            data = (samples_dir / entry["file"]).read_bytes()
        except (OSError, KeyError, TypeError):
            log.warning("sandbox: sample listed in the manifest is missing: %r", entry)
            continue
        index[hashlib.sha256(data).hexdigest()] = {
            "npwp": str(entry.get("npwp", "")),
            # The vendor's field table says full_name, its sample says name: take either.
            "name": str(entry.get("name", entry.get("full_name", ""))),
            "nik": str(entry.get("nik", "")),
            "address": str(entry.get("address", "")),
        }
    return index
