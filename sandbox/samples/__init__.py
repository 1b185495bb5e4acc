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
    folder: Path = FOLDER

    @property
    def path(self) -> Path:
        return self.folder / self.file

    def read(self) -> bytes:
        return self.path.read_bytes()


def catalogue(folder: Path | str = FOLDER) -> list[Sample]:
    """The sample cards in ``folder`` (the shipped ones by default), in manifest order.

    Empty when the manifest is missing or unreadable.
    """
    folder = Path(folder)
    try:
        entries = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["samples"]
        return [
            Sample(
                e["file"],
                e.get("label", e["file"]),
                e.get("kind", ""),
                {k: e[k] for k in ("npwp", "name", "nik", "address")},
                folder,
            )
            for e in entries
        ]
    except (OSError, ValueError, KeyError, TypeError):
        return []
