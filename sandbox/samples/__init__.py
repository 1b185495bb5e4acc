"""Synthetic NPWP sample cards (each marked CONTOH / SPECIMEN) and their true fields.

The files and ``manifest.json`` beside this module are produced by
``python -m sandbox.samples.generate``; the sandbox recognises them by the sha256 of their bytes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

FOLDER = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Sample:
    """One shipped card: its file, a readable label, and the fields the sandbox returns for it."""

    file: str
    label: str
    kind: str
    fields: dict[str, str]

    @property
    def path(self) -> Path:
        return FOLDER / self.file

    def read(self) -> bytes:
        return self.path.read_bytes()


def catalogue() -> list[Sample]:
    """The shipped sample cards, in manifest order; empty when the manifest is missing."""
    try:
        entries = json.loads((FOLDER / "manifest.json").read_text(encoding="utf-8"))["samples"]
    except (OSError, ValueError, KeyError):
        return []
    return [
        Sample(e["file"], e.get("label", e["file"]), e.get("kind", ""), {k: e[k] for k in ("npwp", "name", "nik", "address")})
        for e in entries
    ]
