"""The OpenAPI 3 document served at ``GET /openapi.json``.

It describes what this sandbox actually does, status by status and byte by byte where the
shape is fixed, so that a fuzzer (schemathesis, see tests/test_openapi_fuzz.py) can hold the
server to it: every status code an endpoint can answer is listed, fixed bodies are closed
(``additionalProperties: false``) with their exact messages, and request schemas accept
exactly what the server accepts. Keep it in step with npwp_api, income_api and app.
"""

from __future__ import annotations

import json
from typing import Any

from . import catalog, income_api, npwp_api, uploads
from .compare import COMPARED_FIELDS
from .records import SALARY_BANDS
from .scenarios import INCOME_SCENARIOS, NO_SCENARIO, NPWP_SCENARIOS, SCENARIO_HEADER

_MATCH = {"type": "string", "enum": ["MATCH", "NOT MATCH"]}
_STR = {"type": "string"}


def _const(value: str | int) -> dict[str, Any]:
    return {"type": "integer" if isinstance(value, int) else "string", "enum": [value]}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _one_of(*names: str) -> dict[str, Any]:
    return {"oneOf": [_ref(name) for name in names]}


def _json(schema_ref: str | dict[str, Any], description: str) -> dict[str, Any]:
    schema = _ref(schema_ref) if isinstance(schema_ref, str) else schema_ref
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _any_case(word: str) -> str:
    """A regex matching ``word`` in any letter case: ECMA regexes (JSON Schema's) have no /i flag."""
    return "".join(f"[{ch.upper()}{ch.lower()}]" if ch.isalpha() else ch for ch in word)


def _scenario_header(names: dict[str, str]) -> dict[str, Any]:
    listing = "; ".join(f"`{name}`: {text}" for name, text in names.items())
    accepted = sorted(set(NO_SCENARIO) - {""}) + list(names)
    return {
        "name": SCENARIO_HEADER,
        "in": "header",
        "required": False,
        "description": (
            "Sandbox only: force a branch. Letter case does not matter. Empty or `none` means no "
            f"scenario; any other value gets 400 listing the valid ones. {listing}"
        ),
        # The names as listed, or in any other letter case: the server lower-cases the value.
        "schema": {
            "type": "string",
            "anyOf": [
                {"enum": ["", *accepted]},
                {"pattern": "^(" + "|".join(_any_case(name) for name in accepted) + ")$"},
            ],
        },
    }


def _object(required: list[str], properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": properties, "additionalProperties": False}


def _fixed(body: dict[str, Any]) -> dict[str, Any]:
    """A body that never varies, e.g. OCR_40004: every key required, every value exact."""
    return _object(list(body), {key: _const(value) for key, value in body.items()})


def _unknown_scenario(api: str, names: dict[str, str]) -> dict[str, Any]:
    return _object(
        ["message", "valid_scenarios"],
        {
            "message": {"type": "string", "pattern": "^Unknown sandbox scenario "},
            "valid_scenarios": {
                "type": "array",
                "description": f"Exactly the {api} scenarios, in this order.",
                "items": {"type": "string", "enum": list(names)},
                "minItems": len(names),
                "maxItems": len(names),
                "uniqueItems": True,
            },
        },
    )


def _alternatives(words: list[str]) -> str:
    return "(" + "|".join(words) + ")"


# Which parameter a 9060 ("<parameter> empty") or 9061 ("<parameter> error") can name.
_EMPTY_PARAMETERS = ["partner_code", "partner_key", *income_api.REQUIRED]
_ERROR_PARAMETERS = ["partner_key", "request body", *income_api.REQUIRED, *COMPARED_FIELDS]

# The birth year the server's calendar can hold: 0001-9999 (datetime.date rejects year 0).
_YEAR = "(000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})"

# Optional income fields: absent, null or "" all mean "not sent" (no comparison comes back).
_NOT_SENT = "Absent, null or an empty string: not sent, and no comparison comes back."

_SCHEMAS: dict[str, Any] = {
    "NpwpSuccess": _object(
        ["message", "data"],
        {
            "message": _const("Success Extract Data"),
            "data": _object(
                ["id", "reference_id", "result_data"],
                {
                    "id": {"type": "string", "format": "uuid"},
                    "reference_id": {"type": "string", "format": "uuid"},
                    # As read off the card, or as a sample's manifest lists it: any text.
                    "result_data": _object(
                        ["npwp", "name", "nik", "address"],
                        {"npwp": _STR, "name": _STR, "nik": _STR, "address": _STR},
                    ),
                },
            ),
        },
    ),
    "NpwpNotDetected": _fixed(npwp_api.NOT_DETECTED),
    "NpwpQuotaExceeded": _fixed(npwp_api.QUOTA_EXCEEDED),
    "NpwpServerError": _fixed(npwp_api.SERVER_ERROR),
    "NpwpPayloadError": _object(
        ["message", "error_code", "error_fields"],
        {
            "message": _const(npwp_api.payload_error("")["message"]),
            "error_code": _const(npwp_api.payload_error("")["error_code"]),
            "error_fields": _object(
                ["image"],
                {"image": {"type": "string", "minLength": 1, "description": "What is wrong with the image."}},
            ),
        },
    ),
    "Unauthorized": _fixed(npwp_api.UNAUTHORIZED),
    "NpwpUnknownScenario": _unknown_scenario("npwp", NPWP_SCENARIOS),
    "IncomeUnknownScenario": _unknown_scenario("income", INCOME_SCENARIOS),
    "IncomeRequest": {
        "type": "object",
        "required": list(income_api.REQUIRED),
        "properties": {
            "partner_code": {
                "type": "string",
                "description": "Alternative to the query parameter; the query string wins when both are sent.",
            },
            "partner_key": {
                "type": "string",
                "description": "Alternative to the query parameter; the query string wins when both are sent.",
            },
            "name": {"type": "string", "minLength": 1},
            "phone_number": {
                "type": "string",
                "pattern": f"^{income_api.PHONE_RE.pattern}$",
                "description": "10-13 digits (a leading + not counted), starting +628, 628, 08 or 8.",
            },
            "id_number": {"type": "string", "pattern": f"^{income_api.NIK_RE.pattern}$", "description": "NIK, 16 digits."},
            "id_type": _const("national_id"),
            "sex": {
                "type": "string",
                "nullable": True,
                "pattern": "^(" + _any_case("male") + "|" + _any_case("female") + ")?$",
                "description": f"male or female, any letter case. {_NOT_SENT}",
            },
            "birthdate": {
                "type": "string",
                "nullable": True,
                "anyOf": [{"format": "date", "pattern": f"^{_YEAR}-[0-9]{{2}}-[0-9]{{2}}$"}, {"maxLength": 0}],
                "description": f"YYYY-MM-DD, a real calendar date. {_NOT_SENT}",
            },
            "package": {
                "type": "string",
                "nullable": True,
                "description": f"Program codes, comma-separated: JHT, JKK, JKM, JPN (or JP). {_NOT_SENT}",
            },
            "email": {"type": "string", "nullable": True, "description": _NOT_SENT},
            "address_employee": {"type": "string", "nullable": True, "description": _NOT_SENT},
        },
        "description": (
            "Any other keys are ignored. A NIK whose last four digits are 0000 has no record. "
            "The body is read as JSON whatever the Content-Type says."
        ),
    },
    "IncomeHit": _object(
        ["code", "message", "data", "result", "sequence_id"],
        {
            "code": _const(200),
            "message": _const("success"),
            "result": _const("hit"),
            "sequence_id": _ref("SequenceId"),
            "data": _object(
                ["company", "address_company", "month_last_salary", "range_salary"],
                {
                    "company": {"type": "string", "minLength": 1},
                    "address_company": {"type": "string", "minLength": 1},
                    "month_last_salary": {"type": "string", "pattern": "^(0[1-9]|1[0-2])/[0-9]{4}$"},
                    "range_salary": {"type": "string", "enum": list(SALARY_BANDS)},
                    # One comparison for each optional field the request sent, none for the others.
                    **{name: _MATCH for name in COMPARED_FIELDS},
                },
            ),
        },
    ),
    "IncomeNoRecord": _object(
        ["code", "result", "sequence_id"],
        {"code": _const(200), "result": _const("no_record"), "sequence_id": _ref("SequenceId")},
    ),
    "IncomeResultError": _object(
        ["code", "result", "error_message", "sequence_id"],
        {
            "code": _const(200),
            "result": _const("error"),
            "error_message": _const(income_api.QUOTA_MESSAGE),
            "sequence_id": _ref("SequenceId"),
        },
    ),
    "IncomeVendorCode": {
        "description": "A TD status code in the body, with its message exactly as the spec words it.",
        "oneOf": [
            *(_fixed({"code": code, "message": message}) for code, message in income_api.FAILURES.values()),
            _object(
                ["code", "message"],
                {"code": _const(9060), "message": {"type": "string", "pattern": f"^{_alternatives(_EMPTY_PARAMETERS)} empty$"}},
            ),
            _object(
                ["code", "message"],
                {"code": _const(9061), "message": {"type": "string", "pattern": f"^{_alternatives(_ERROR_PARAMETERS)} error$"}},
            ),
        ],
    },
    "IncomeServerError": _fixed({"code": 9500, "message": "Internal error"}),
    "SequenceId": {"type": "string", "pattern": "^[0-9a-f]{32}$", "description": "Unique per response."},
    "Health": _object(
        ["status", "service", "latency_ms", "samples", "scenarios"],
        {
            "status": _const("ok"),
            "service": _const("kyc-studio-sandbox"),
            "latency_ms": {"type": "integer", "minimum": 0},
            "samples": {"type": "integer", "minimum": 0, "description": "Sample cards known by their hash."},
            "scenarios": _object(
                ["npwp", "income"],
                {
                    api: {
                        "type": "array",
                        "items": {"type": "string", "enum": list(names)},
                        "minItems": len(names),
                        "maxItems": len(names),
                    }
                    for api, names in (("npwp", NPWP_SCENARIOS), ("income", INCOME_SCENARIOS))
                },
            ),
        },
    ),
    "Catalog": _object(
        ["scenarios", "personas", "samples"],
        {
            "scenarios": _object(
                ["npwp", "income"],
                {api: _fixed(names) for api, names in (("npwp", NPWP_SCENARIOS), ("income", INCOME_SCENARIOS))},
            ),
            "personas": {"type": "array", "items": _ref("Persona")},
            "samples": {"type": "array", "items": _ref("SampleCard")},
        },
    ),
    "Persona": _object(
        ["key", "label", "description", "request", "expected"],
        {
            "key": _STR,
            "label": _STR,
            "description": _STR,
            "request": {"type": "object", "additionalProperties": _STR, "description": "The income request to send."},
            "expected": {"type": "object", "description": "The result and comparisons this persona gets."},
        },
    ),
    "SampleCard": _object(
        ["file", "label", "kind", "fields", "url"],
        {
            "file": _STR,
            "label": _STR,
            "kind": _STR,
            "fields": _object(["npwp", "name", "nik", "address"], {k: _STR for k in ("npwp", "name", "nik", "address")}),
            "url": {"type": "string", "pattern": "^" + catalog.SAMPLES_PREFIX, "description": "GET it for the card's bytes."},
        },
    ),
    "NotFound": _object(["message"], {"message": _STR}),
}

_NPWP_OPERATION = {
    "summary": "Extract the fields of an NPWP card (Verihubs NPWP OCR)",
    "operationId": "ocrNpwp",
    "parameters": [
        {
            "name": "App-ID",
            "in": "header",
            "required": True,
            "schema": _STR,
            "description": f"Sandbox value: `{npwp_api.APP_ID}`; anything else gets 401.",
            "example": npwp_api.APP_ID,
        },
        {
            "name": "API-Key",
            "in": "header",
            "required": True,
            "schema": _STR,
            "description": f"Sandbox value: `{npwp_api.API_KEY}`; anything else gets 401.",
            "example": npwp_api.API_KEY,
        },
        _scenario_header(NPWP_SCENARIOS),
    ],
    "requestBody": {
        "required": True,
        "description": (
            f"JPEG, PNG or PDF (by content, not name), at most {uploads.MAX_IMAGE_BYTES} bytes. "
            f"Bodies over {uploads.MAX_BODY_BYTES} bytes get 413 unread. Checked in this order: "
            "unknown scenario (400), credentials (401), body (413, 422), forced scenario, recognition "
            "(200, or 422 for a document that cannot be decoded: a picture declaring more pixels "
            "than can be decoded, damaged picture data, a PDF that cannot be opened)."
        ),
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["image"],
                    "properties": {"image": {"type": "string", "format": "binary"}},
                },
                "encoding": {"image": {"contentType": "image/jpeg, image/png, application/pdf"}},
            },
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["image"],
                    "properties": {
                        "image": {
                            "type": "string",
                            "format": "byte",
                            "description": "Base64 of the file; a data: URL is accepted too.",
                        }
                    },
                },
            },
        },
    },
    "responses": {
        "200": _json(_one_of("NpwpSuccess", "NpwpNotDetected"), "Extracted fields, or OCR_200004 when no NPWP is detected."),
        "400": _json(
            _one_of("NpwpQuotaExceeded", "NpwpUnknownScenario"),
            "OCR_40004 (quota, testing mode), or an unknown sandbox scenario.",
        ),
        "401": _json("Unauthorized", "App-ID or API-Key missing or wrong."),
        "413": _json("NpwpPayloadError", "Request body over the limit (OCR_40001)."),
        "422": _json(
            "NpwpPayloadError",
            "Missing, unsupported, undecodable or oversized image (OCR_40001); `error_fields.image` says why.",
        ),
        "500": _json("NpwpServerError", "OCR_50000: the `server_error` scenario (or a sandbox bug)."),
    },
}

_INCOME_OPERATION = {
    "summary": "Verify a person's income and employer (TD income verification, V1)",
    "operationId": "incomeVerificationV1",
    "parameters": [
        {
            "name": "partner_code",
            "in": "query",
            "required": False,
            "schema": _STR,
            "description": f"Sandbox value: `{income_api.PARTNER_CODE}`. May be sent in the JSON body instead.",
            "example": income_api.PARTNER_CODE,
        },
        {
            "name": "partner_key",
            "in": "query",
            "required": False,
            "schema": _STR,
            "description": f"Sandbox value: `{income_api.PARTNER_KEY}`. May be sent in the JSON body instead.",
            "example": income_api.PARTNER_KEY,
        },
        _scenario_header(INCOME_SCENARIOS),
    ],
    "requestBody": {
        "required": True,
        "description": (
            "Checked in this order: unknown scenario (400), credentials (9060/9061), the body "
            "(9061 `request body error` when it is not a JSON object), parameters, forced scenario, record."
        ),
        "content": {"application/json": {"schema": _ref("IncomeRequest")}},
    },
    "responses": {
        "200": _json(
            _one_of("IncomeHit", "IncomeNoRecord", "IncomeResultError", "IncomeVendorCode"),
            "Every vendor outcome comes at HTTP 200: a result, or a status code in the body "
            "(9060 missing parameter, 9061 malformed parameter or body, 300-304 service state, 9500).",
        ),
        "400": _json("IncomeUnknownScenario", "Unknown sandbox scenario."),
        "500": _json("IncomeServerError", "Code 9500 at HTTP 500: the failing calls of the `flaky` scenario."),
    },
}

SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {
        "title": "KYC Studio sandbox",
        "version": "1.0.0",
        "description": (
            "Offline stand-ins for Verihubs NPWP OCR and TD income verification, in their wire formats. "
            f"The `{SCENARIO_HEADER}` header forces a branch. A method a path does not serve gets 405 "
            "with an Allow header (every GET also answers HEAD), any other path 404."
        ),
    },
    "paths": {
        npwp_api.PATH: {"post": _NPWP_OPERATION},
        income_api.PATH: {"post": _INCOME_OPERATION},
        "/health": {
            "get": {
                "summary": "Liveness check",
                "operationId": "health",
                "responses": {"200": _json("Health", "The sandbox is up.")},
            }
        },
        "/openapi.json": {
            "get": {
                "summary": "This document",
                "operationId": "openapi",
                "responses": {
                    "200": _json(
                        {"type": "object", "required": ["openapi", "info", "paths"]},
                        "The OpenAPI 3 document of the sandbox.",
                    )
                },
            }
        },
        catalog.CATALOG_PATH: {
            "get": {
                "summary": "What this sandbox offers",
                "description": "Its scenarios (name and what each forces), its demo personas, and its sample cards.",
                "operationId": "catalog",
                "responses": {"200": _json("Catalog", "The sandbox's catalogue.")},
            }
        },
        catalog.SAMPLES_PREFIX + "{file}": {
            "get": {
                "summary": "A sample card's file",
                "operationId": "sample",
                "parameters": [
                    {
                        "name": "file",
                        "in": "path",
                        "required": True,
                        "schema": _STR,
                        "description": "A `file` listed under `samples` in the catalogue.",
                    }
                ],
                "responses": {
                    "200": {
                        "description": "The card as the file it is.",
                        "content": {
                            media: {"schema": {"type": "string", "format": "binary"}}
                            for media in sorted(set(catalog.MEDIA_TYPES.values()))
                        },
                    },
                    "404": _json("NotFound", "No sample card by that name."),
                },
            }
        },
    },
    "components": {"schemas": _SCHEMAS},
}

SPEC_JSON: bytes = json.dumps(SPEC, indent=2).encode("utf-8")
