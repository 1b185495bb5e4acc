"""``GET /sandbox/catalog`` and ``GET /sandbox/samples/<file>``: what this sandbox offers.

The app learns the scenarios, the personas and the sample cards from the sandbox it talks
to, over HTTP, rather than from its own copy of this package: with ``KYC_SANDBOX_URL``
pointing at another sandbox, the app shows that sandbox's catalogue.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any

from werkzeug.wrappers import Response

from .personas import personas
from .samples import catalogue
from .scenarios import SCENARIOS
from .wire import Reply

CATALOG_PATH = "/sandbox/catalog"
SAMPLES_PREFIX = "/sandbox/samples/"
MEDIA_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".pdf": "application/pdf"}


def catalog(samples_dir: Path) -> dict[str, Any]:
    """Scenarios by API (name -> what it forces), the personas, and the sample cards with their URLs."""
    return {
        "scenarios": {api: dict(names) for api, names in SCENARIOS.items()},
        "personas": [
            {key: person[key] for key in ("key", "label", "description", "request", "expected")} for person in personas()
        ],
        "samples": [
            {"file": s.file, "label": s.label, "kind": s.kind, "fields": s.fields, "url": SAMPLES_PREFIX + s.file}
            for s in catalogue(samples_dir)
        ],
    }


def sample_file(samples_dir: Path, name: str) -> Reply | Response:
    """One sample card's bytes; only files the manifest lists are served (no path is taken from the URL)."""
    for sample in catalogue(samples_dir):
        if sample.file == name:
            try:
                data = sample.read()
            except OSError:
                break
            media_type = MEDIA_TYPES.get(Path(name).suffix.lower()) or mimetypes.guess_type(name)[0] or "application/octet-stream"
            return Response(data, 200, mimetype=media_type)
    return Reply(404, {"message": f"No sample card named {name!r}"})
