"""Schemathesis against the sandbox, driven by the OpenAPI document the sandbox itself serves.

What must hold, for every operation in the document: no 5xx unless a scenario forces one,
and every response has a documented status code, content type and body (sandbox/openapi.py
closes every fixed body, so "matches the schema" means "is exactly what the vendor sends").

Generation is deterministic (derandomized, no example database) and bounded: examples, then
the coverage phase (boundary and negative values schemathesis derives from each schema), then
MAX_EXAMPLES fuzzed cases per operation, about half valid and half invalid input ("mode": "all").

The schema is built once at import from the document served at GET /openapi.json (fetched
through the WSGI app, so no server is needed to collect the tests) and every call goes to
the real sandbox over a socket. `schemathesis.pytest.from_fixture` would load it from the
`sandbox` fixture instead, but in schemathesis 4.32.5 it writes `request.node._nodeid`, which
pytest 9 no longer has, so every lazily loaded test fails with AttributeError.
"""

from __future__ import annotations

import base64
import collections
import io
import json
import time
import zlib
from typing import Any

import pytest
import schemathesis
from hypothesis import strategies as st
from PIL import Image
from schemathesis.checks import not_a_server_error, positive_data_acceptance
from schemathesis.config import SchemathesisConfig
from werkzeug.test import Client

from sandbox.app import SandboxApp
from sandbox.income_api import flaky_fate
from sandbox.samples import catalogue

pytestmark = pytest.mark.fuzz  # the whole file is the fuzz layer: `make test` runs it, `make check` does not

NPWP = "/ocr/npwp"
INCOME = "/credit/data/feature/income/v1"
SCENARIO = "X-Sandbox-Scenario"
NPWP_AUTH = {"App-ID": "demo-app", "API-Key": "demo-key"}
INCOME_AUTH = {"partner_code": "demo", "partner_key": "demo-key"}

MAX_EXAMPLES = 150  # fuzzed cases per operation and test, on top of the examples and coverage phases
SEED = 20240917

# Scenarios that answer 5xx on purpose: only these may, and only in the scenario test.
FORCES_5XX = {NPWP: {"server_error"}, INCOME: {"flaky"}}


# --------------------------------------------------------------------------- what gets uploaded


def _blank(fmt: str) -> bytes:
    buf = io.BytesIO()
    # A PDF records when it was made: fixed dates keep the bytes, and so the cases, the same every run.
    dates = {"creationDate": time.gmtime(0), "modDate": time.gmtime(0)} if fmt == "PDF" else {}
    Image.new("RGB", (32, 20), (200, 30, 30)).save(buf, fmt, **dates)
    return buf.getvalue()


CARDS = {sample.read(): sample.fields for sample in catalogue()}  # bytes -> the fields the sandbox returns
assert CARDS, "no shipped sample cards: run `make samples`"
_FILES: dict[str, list[bytes]] = {"image/png": [], "image/jpeg": [], "application/pdf": []}
for _data in CARDS:
    _FILES[{b"\x89P": "image/png", b"\xff\xd8": "image/jpeg", b"%P": "application/pdf"}[_data[:2]]].append(_data)
for _media_type, _fmt in (("image/png", "PNG"), ("image/jpeg", "JPEG"), ("application/pdf", "PDF")):
    _FILES[_media_type].append(_blank(_fmt))  # a valid file with no card on it: OCR, then "not detected"

# A schema can say "a binary string" but not "a JPEG, PNG or PDF that decodes". Without these
# strategies a valid request carries random bytes and ends at 422, so the success path would
# never be fuzzed. Each media type the multipart `image` part declares (its `encoding`) draws
# real files: the shipped cards (recognised by hash, answered at once) or a blank image. The
# JSON variant's base64 string (format "byte") draws the same files. These registrations are
# process-wide; no other test in this suite uses schemathesis.
for _media_type, _files in _FILES.items():
    schemathesis.openapi.media_type(_media_type, st.sampled_from(_files))
schemathesis.openapi.format(
    "byte", st.sampled_from([data for files in _FILES.values() for data in files]).map(lambda d: base64.b64encode(d).decode())
)


# --------------------------------------------------------------------------- the schema


def _served_document() -> dict[str, Any]:
    response = Client(SandboxApp()).get("/openapi.json")
    assert response.status_code == 200, response.status
    return json.loads(response.get_data())


CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": SEED,
        "generation": {
            "mode": "all",  # schema-valid and schema-violating input
            "max-examples": MAX_EXAMPLES,
            "deterministic": True,
            "database": "none",
            "unique-inputs": True,
        },
        "phases": {
            "examples": {"enabled": True},
            "coverage": {"enabled": True},
            "fuzzing": {"enabled": True},
            "stateful": {"enabled": False},  # no links between operations: nothing to chain
        },
        # Every built-in check that applies to a stateless API, named so that none is on by accident.
        "checks": {
            "not_a_server_error": {"enabled": True},
            "status_code_conformance": {"enabled": True},
            "content_type_conformance": {"enabled": True},
            "response_schema_conformance": {"enabled": True, "validate-formats": True},
            "response_headers_conformance": {"enabled": True},
            "positive_data_acceptance": {"enabled": True},
            "negative_data_rejection": {"enabled": True},
            "missing_required_header": {"enabled": True},
            "unsupported_method": {"enabled": True},
            "allow_header_conformance": {"enabled": True},
            # Need resources linked across operations, or security schemes: neither exists here.
            "use_after_free": {"enabled": False},
            "ensure_resource_availability": {"enabled": False},
            "ignored_auth": {"enabled": False},
            "object_level_authorization": {"enabled": False},
        },
        "operations": [
            {
                # TD answers every vendor outcome at HTTP 200, with the verdict in the body: a
                # missing field is {"code": 9060}, a malformed one {"code": 9061}. So invalid input is
                # rejected at 200, and the built-in check that wants a 4xx for it would fail on the
                # vendor's own contract. Here it is off; `_check_income_outcome` below holds the
                # income API to the same rule in TD's terms (invalid body -> 9060/9061, valid -> a
                # result). Positive-data acceptance stays on but can only see the HTTP 200.
                "include-path": INCOME,
                "checks": {"negative_data_rejection": {"enabled": False}},
            },
        ],
    }
)
schema = schemathesis.openapi.from_dict(_served_document(), config=CONFIG)
# `exclude`, not `include(path=[NPWP, INCOME])`: with an [[operations]] entry in the config,
# schemathesis 4.32.5 ORs an include filter with the config's own (always true) one, so
# `include` selects every operation.
vendor_endpoints = schema.exclude(path=["/health", "/openapi.json", "/sandbox/catalog", "/sandbox/samples/{file}"])


# --------------------------------------------------------------------------- credentials


def _variant(case) -> str:
    """Which credentials a case sends: "valid" for 7 cases in 10, else "wrong", "missing" or
    "body" (income only: valid ones in the JSON body instead of the query; NPWP sends them as valid).

    Derived from the generated request itself, so it is as deterministic as the generation and
    a shrunk or replayed case keeps its credentials.
    """
    bucket = zlib.crc32(repr(case)[:4000].encode("utf-8", "backslashreplace")) % 10
    return {0: "missing", 1: "wrong", 2: "body"}.get(bucket, "valid")


def _prepare(case, scenario: str | None) -> str:
    """Put credentials (and the scenario header, unless None) into the case; return the variant.

    Containers are replaced, not edited in place, so schemathesis re-validates the case: a
    negative case whose only violation was a credential becomes positive once it is fixed.
    """
    variant = _variant(case)
    headers = dict(case.headers or {})
    if scenario is not None:
        headers[SCENARIO] = scenario
    if case.path == NPWP:
        # Only credentials the case carries are replaced: a case generated without one is
        # a "missing required header" probe, and its check expects the 401 it gets.
        for name, value in NPWP_AUTH.items():
            if name in headers:
                headers[name] = value
        if variant == "wrong" and "API-Key" in headers:
            headers["API-Key"] = "wrong-key"
        elif variant == "missing":
            headers.pop("API-Key", None)
    elif case.path == INCOME:
        query = {**dict(case.query or {}), **INCOME_AUTH}
        body = dict(case.body) if isinstance(case.body, dict) else None
        if variant == "body" and body is not None:
            for name in INCOME_AUTH:
                query.pop(name)
            body.update(INCOME_AUTH)  # TD's query string convention, but the body is accepted too
        elif body is not None:
            # The query string wins, so body credentials would be ignored whatever they are.
            for name, value in INCOME_AUTH.items():
                if name in body:
                    body[name] = value
        if variant == "wrong":
            query["partner_key"] = "wrong-key"
        elif variant == "missing":
            query.pop("partner_key")
            if body is not None:
                body.pop("partner_key", None)
        case.query = query
        if body is not None:
            case.body = body
    case.headers = headers
    return variant


# --------------------------------------------------------------------------- outcome checks beyond the schema


def _uploaded(case) -> bytes | None:
    """The file a NPWP case uploads (multipart part or base64 in JSON), or None."""
    image = case.body.get("image") if isinstance(case.body, dict) else None
    if isinstance(image, str) and case.media_type == "application/json":
        try:
            return base64.b64decode(image, validate=True)
        except ValueError:
            return None
    return image if isinstance(image, bytes) else None


def _check_npwp_outcome(case, response, variant: str) -> bool:
    """A shipped card accepted with no scenario comes back with its true fields. True if judged."""
    image = _uploaded(case)
    if response.status_code != 200 or image not in CARDS or variant in ("wrong", "missing"):
        return False
    body = response.json()
    assert body["message"] == "Success Extract Data", body
    assert body["data"]["result_data"] == CARDS[image]
    return True


def _check_income_outcome(case, response, variant: str) -> None:
    """TD's rules for the income API, where every outcome is HTTP 200 (no scenario in force).

    Credentials decide first; with good ones a schema-valid request gets a result (hit or
    no_record), and a request whose only schema violation is in the body gets 9060 or 9061.
    """
    if case.method.upper() != "POST" or response.status_code != 200:
        return
    body = response.json()
    if variant == "missing":
        assert body == {"code": 9060, "message": "partner_key empty"}, body
        return
    if variant == "wrong":
        assert body == {"code": 9061, "message": "partner_key error"}, body
        return
    meta = case.meta
    if meta is None:
        return
    components = {location.value: info.mode.value for location, info in meta.components.items()}
    if meta.generation.mode.is_positive:
        assert body.get("code") == 200 and body.get("result") in ("hit", "no_record"), (
            f"schema-valid request not answered with a result: {body}"
        )
    elif components.get("body") == "negative" and all(
        mode == "positive" for location, mode in components.items() if location != "body"
    ):
        # Only the body is invalid (an unknown query key or an odd Content-Type is ignored by
        # the server, like by most servers, so those cases are not judged here).
        assert body.get("code") in (9060, 9061), f"schema-violating body accepted: {body}"


# --------------------------------------------------------------------------- tally

TALLY: collections.Counter = collections.Counter()


def _count(test: str, case, response) -> None:
    label = case.operation.label  # also for the coverage phase's probes with other methods
    mode = case.meta.generation.mode.value if case.meta is not None else "explicit"
    TALLY[(test, label, "cases")] += 1
    TALLY[(test, label, mode)] += 1
    TALLY[(test, label, f"HTTP {response.status_code}")] += 1
    if case.path == INCOME and response.status_code == 200:
        outcome = response.json()
        TALLY[(test, label, outcome.get("result") or f"code {outcome.get('code')}")] += 1


@pytest.fixture(scope="module", autouse=True)
def _report_tally(request):
    """After the module: one line per test and operation with the number of cases sent."""
    yield
    plugins = request.config.pluginmanager
    reporter, capture = plugins.getplugin("terminalreporter"), plugins.getplugin("capturemanager")
    if reporter is None or capture is None:
        return
    with capture.global_and_fixture_disabled():
        reporter.write_line("")
        for (test, label, key), count in sorted(TALLY.items(), key=str):
            if key == "cases":
                reporter.write_line(
                    f"schemathesis {test} {label}: {count} cases "
                    f"({TALLY[(test, label, 'positive')]} valid, {TALLY[(test, label, 'negative')]} invalid input)"
                )


# --------------------------------------------------------------------------- the tests


@schema.parametrize()
def test_fuzz_without_scenario(case, sandbox):
    """No scenario (`X-Sandbox-Scenario: none`): no 5xx at all, everything as documented."""
    variant = _prepare(case, scenario="none")
    response = case.call_and_validate(base_url=sandbox.url)
    _count("no-scenario", case, response)
    if case.path == NPWP and _check_npwp_outcome(case, response, variant):
        TALLY[("no-scenario", case.operation.label, "card fields checked")] += 1
    elif case.path == INCOME:
        _check_income_outcome(case, response, variant)


@vendor_endpoints.parametrize()
def test_fuzz_with_generated_scenarios(case, sandbox):
    """The scenario header as generated: forced branches, unknown names (400), any letter case.

    Only the scenarios that force a 5xx may answer one, and its body must still be the
    documented 500. A forced refusal (quota, unauthorized) of a valid request is the point of
    the scenario, so positive-data acceptance is waived while one is in force. `slow` is sent
    as `none`: it only delays the normal answer by 3 s (tests/test_sandbox.py covers it).
    """
    raw = case.headers.get(SCENARIO) if case.headers else None
    scenario = (raw or "").strip().lower()
    _prepare(case, scenario="none" if scenario == "slow" else None)
    excluded = []
    if scenario in FORCES_5XX[case.path]:
        excluded.append(not_a_server_error)
    if scenario not in ("", "none"):
        excluded.append(positive_data_acceptance)
    response = case.call_and_validate(base_url=sandbox.url, excluded_checks=excluded)
    _count("scenarios", case, response)
    if response.status_code >= 500:
        assert scenario in FORCES_5XX[case.path], (scenario, response.status_code)


def _flaky_failing_nik() -> str:
    """A NIK whose `flaky` calls fail with HTTP 500 (the fate is fixed by the NIK's hash)."""
    return next(nik for n in range(1, 10_000) if flaky_fate(nik := f"3171011708{n:06d}") == "error")


@pytest.mark.parametrize("path", [NPWP, INCOME])
def test_forced_server_errors_match_the_document(sandbox, path):
    """Each 5xx a scenario forces, with an otherwise valid request: the documented 500, nothing else.

    The fuzzer reaches `server_error` a few times but `flaky`'s failing NIKs (1 in 10) only
    by luck, so both are also sent once on purpose.
    """
    operation = schema[path]["POST"]
    if path == NPWP:
        case = operation.Case(
            headers={**NPWP_AUTH, SCENARIO: "server_error"},
            body={"image": next(iter(CARDS))},
            media_type="multipart/form-data",
        )
    else:
        body = {"name": "ANDI", "phone_number": "081234567890", "id_number": _flaky_failing_nik(), "id_type": "national_id"}
        case = operation.Case(headers={SCENARIO: "flaky"}, query=dict(INCOME_AUTH), body=body, media_type="application/json")
    response = case.call_and_validate(base_url=sandbox.url, excluded_checks=[not_a_server_error])
    assert response.status_code == 500


def test_fuzzing_reached_every_branch():
    """The fuzzing above went past authentication and validation into every outcome."""
    if not TALLY:
        pytest.skip("the fuzz tests did not run (deselected)")
    npwp, income = f"POST {NPWP}", f"POST {INCOME}"
    for test in {test for test, _, _ in TALLY}:
        for label in (npwp, income):
            assert TALLY[(test, label, "positive")] >= 50, (test, label)
            assert TALLY[(test, label, "negative")] >= 50, (test, label)
    plain = "no-scenario"
    if TALLY[(plain, npwp, "cases")]:
        for status in ("HTTP 200", "HTTP 401", "HTTP 405", "HTTP 422"):
            assert TALLY[(plain, npwp, status)] >= 1, status
        assert TALLY[(plain, npwp, "card fields checked")] >= 10
        for outcome in ("hit", "no_record", "code 9060", "code 9061"):
            assert TALLY[(plain, income, outcome)] >= 1, outcome
        assert not any(key.startswith("HTTP 5") for (test, _, key) in TALLY if test == plain and isinstance(key, str))
