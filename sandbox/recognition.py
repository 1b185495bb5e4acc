"""Turning an uploaded document into NPWP fields.

Today this only recognises the sample cards in ``sandbox/samples/`` (by the SHA-256 of
their bytes, listed in ``manifest.json``); everything else is "not detected". A later
issue replaces :func:`recognize` with real OCR; callers only rely on its signature.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from pathlib import Path

log = logging.getLogger("sandbox")

DEFAULT_SAMPLES_DIR = Path(__file__).resolve().parent / "samples"
MANIFEST_NAME = "manifest.json"

NpwpFields = dict[str, str]


class SampleIndex:
    """The sample cards' true fields keyed by the SHA-256 of their files, built once."""

    def __init__(self, samples_dir: Path | str | None = None) -> None:
        self.samples_dir = Path(samples_dir) if samples_dir is not None else DEFAULT_SAMPLES_DIR
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
        """Return the NPWP fields printed on ``image``, or None when no NPWP is found."""
        fields = self.load().get(hashlib.sha256(image).hexdigest())
        return dict(fields) if fields is not None else None


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
