"""What a KYC Studio sandbox offers, read from it over HTTP: scenarios, personas, sample cards.

``GET {sandbox}/sandbox/catalog`` lists them; each sample card's bytes come from its own URL.
An app shows whichever sandbox it talks to, not a copy bundled with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import requests

from kyc.errors import failure

CATALOG_PATH = "/sandbox/catalog"
TIMEOUT = (2.0, 5.0)  # (connect, read) seconds: the sandbox is local or close by


@dataclass(frozen=True)
class Persona:
    """A demo applicant: ``request`` holds the income form's fields by API name."""

    key: str
    label: str
    description: str
    request: dict[str, str]


@dataclass(frozen=True)
class SampleCard:
    """A synthetic NPWP card the sandbox recognises, with the fields printed on it."""

    file: str
    label: str
    kind: str
    fields: dict[str, str]
    url: str  # absolute


@dataclass(frozen=True)
class Catalog:
    """Scenarios by API (name -> what it forces), personas and sample cards of one sandbox."""

    scenarios: dict[str, dict[str, str]] = field(default_factory=dict)
    personas: tuple[Persona, ...] = ()
    samples: tuple[SampleCard, ...] = ()

    def scenario_names(self, api: str) -> list[str]:
        """The scenario names ``api`` ("npwp" or "income") accepts, in the sandbox's order."""
        return list(self.scenarios.get(api, {}))


def fetch_catalog(sandbox_url: str, timeout: tuple[float, float] = TIMEOUT) -> Catalog:
    """Read the catalogue of the sandbox at ``sandbox_url``.

    Raises ``KycError`` (NETWORK, TIMEOUT or BAD_RESPONSE) when it cannot be read.
    """
    base = sandbox_url.rstrip("/")
    body = _get_json(base + CATALOG_PATH, timeout)
    try:
        scenarios = {str(api): {str(k): str(v) for k, v in names.items()} for api, names in body["scenarios"].items()}
        personas = tuple(
            Persona(str(p["key"]), str(p["label"]), str(p["description"]), {str(k): str(v) for k, v in p["request"].items()})
            for p in body["personas"]
        )
        samples = tuple(
            SampleCard(
                str(s["file"]),
                str(s["label"]),
                str(s["kind"]),
                {str(k): str(v) for k, v in s["fields"].items()},
                base + str(s["url"]),
            )
            for s in body["samples"]
        )
    except (KeyError, TypeError, AttributeError):
        raise failure("BAD_RESPONSE", "the sandbox's catalogue is not in the expected shape") from None
    return Catalog(scenarios, personas, samples)


def fetch_sample(url: str, timeout: tuple[float, float] = TIMEOUT) -> bytes:
    """A sample card's file, from its ``SampleCard.url``. Raises ``KycError`` when it cannot be read."""
    return _get(url, timeout).content


def _get(url: str, timeout: tuple[float, float]) -> requests.Response:
    try:
        response = requests.get(url, timeout=timeout)
    except requests.Timeout:
        error = failure("TIMEOUT")
    except requests.RequestException:
        error = failure("NETWORK")
    else:
        if response.status_code == 200:
            return response
        error = failure(f"HTTP_{response.status_code}", http_status=response.status_code)
    raise error  # outside the except block: the requests exception stays out of the traceback


def _get_json(url: str, timeout: tuple[float, float]) -> Any:
    response = _get(url, timeout)
    try:
        return response.json()
    except (ValueError, RecursionError):  # not JSON, or nested too deeply to parse
        raise failure("BAD_RESPONSE", "the sandbox's catalogue is not JSON") from None


__all__ = ["Catalog", "Persona", "SampleCard", "fetch_catalog", "fetch_sample"]
