"""The OpenAPI 3 document served at ``GET /openapi.json``.

It describes what this sandbox actually does, status by status, so that a fuzzer
(schemathesis) can hold the server to it. Keep it in step with npwp_api and income_api.
"""

from __future__ import annotations

import json
from typing import Any

from . import income_api, npwp_api, uploads
from .records import SALARY_BANDS
from .scenarios import INCOME_SCENARIOS, NPWP_SCENARIOS, SCENARIO_HEADER

_MATCH = {"type": "string", "enum": ["MATCH", "NOT MATCH"]}
_STR = {"type": "string"}


def _json(schema_ref: str | dict[str, Any], description: str) -> dict[str, Any]:
    schema = {"$ref": f"#/components/schemas/{schema_ref}"} if isinstance(schema_ref, str) else schema_ref
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _scenario_header(names: dict[str, str]) -> dict[str, Any]:
    listing = "; ".join(f"`{name}`: {text}" for name, text in names.items())
    return {
        "name": SCENARIO_HEADER,
        "in": "header",
        "required": False,
        "description": (
            "Sandbox only: force a branch. Empty or `none` means no scenario; any other "
            f"unknown value gets 400. {listing}"
        ),
        "schema": {"type": "string", "enum": ["", "none", *names]},
    }


def _object(required: list[str], properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": properties, "additionalProperties": False}


def _vendor_error(body: dict[str, str]) -> dict[str, Any]:
    """A fixed {message, error_code} body, e.g. OCR_40004."""
    return _object(
        ["message", "error_code"],
        {"message": {"type": "string", "enum": [body["message"]]}, "error_code": {"type": "string", "enum": [body["error_code"]]}},
    )


_SCHEMAS: dict[str, Any] = {
    "NpwpSuccess": _object(
        ["message", "data"],
        {
            "message": {"type": "string", "enum": ["Success Extract Data"]},
            "data": _object(
                ["id", "reference_id", "result_data"],
                {
                    "id": {"type": "string", "format": "uuid"},
                    "reference_id": {"type": "string", "format": "uuid"},
                    "result_data": _object(
                        ["npwp", "name", "nik", "address"],
                        {"npwp": _STR, "name": _STR, "nik": _STR, "address": _STR},
                    ),
                },
            ),
        },
    ),
    "NpwpNotDetected": _vendor_error(npwp_api.NOT_DETECTED),
    "NpwpQuotaExceeded": _vendor_error(npwp_api.QUOTA_EXCEEDED),
    "NpwpServerError": _vendor_error(npwp_api.SERVER_ERROR),
    "NpwpPayloadError": _object(
        ["message", "error_code", "error_fields"],
        {
            "message": {"type": "string", "enum": ["There's a problem with your JSON payload"]},
            "error_code": {"type": "string", "enum": ["OCR_40001"]},
            "error_fields": {
                "type": "object",
                "description": "Each offending field mapped to what is wrong with it.",
                "additionalProperties": {"type": "string"},
            },
        },
    ),
    "Unauthorized": _object(["message"], {"message": {"type": "string", "enum": ["Authorization failed"]}}),
    "UnknownScenario": _object(
        ["message", "valid_scenarios"],
        {"message": _STR, "valid_scenarios": {"type": "array", "items": _STR}},
    ),
    "IncomeRequest": {
        "type": "object",
        "required": ["name", "phone_number", "id_number", "id_type"],
        "properties": {
            "partner_code": {"type": "string", "description": "Alternative to the query parameter."},
            "partner_key": {"type": "string", "description": "Alternative to the query parameter."},
            "name": {"type": "string", "minLength": 1},
            "phone_number": {
                "type": "string",
                "pattern": f"^{income_api.PHONE_RE.pattern}$",
                "description": "10-13 digits (a leading + not counted), starting +628, 628, 08 or 8.",
            },
            "id_number": {"type": "string", "pattern": "^[0-9]{16}$", "description": "NIK, 16 digits."},
            "id_type": {"type": "string", "enum": ["national_id"]},
            "sex": {"type": "string", "pattern": "^([Mm][Aa][Ll][Ee]|[Ff][Ee][Mm][Aa][Ll][Ee])$"},
            "birthdate": {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
            "package": {"type": "string", "description": "Program codes, comma-separated: JHT, JKK, JKM, JPN (or JP)."},
            "email": {"type": "string"},
            "address_employee": {"type": "string"},
        },
        "description": (
            "Optional fields that are absent, null or empty get no comparison. "
            "A NIK whose last four digits are 0000 has no record."
        ),
    },
    "IncomeHit": _object(
        ["code", "message", "data", "result", "sequence_id"],
        {
            "code": {"type": "integer", "enum": [200]},
            "message": {"type": "string", "enum": ["success"]},
            "result": {"type": "string", "enum": ["hit"]},
            "sequence_id": _STR,
            "data": _object(
                ["company", "address_company", "month_last_salary", "range_salary"],
                {
                    "company": _STR,
                    "address_company": _STR,
                    "month_last_salary": {"type": "string", "pattern": "^(0[1-9]|1[0-2])/[0-9]{4}$"},
                    "range_salary": {"type": "string", "enum": list(SALARY_BANDS)},
                    "sex": _MATCH,
                    "birthdate": _MATCH,
                    "package": _MATCH,
                    "email": _MATCH,
                    "address_employee": _MATCH,
                },
            ),
        },
    ),
    "IncomeNoRecord": _object(
        ["code", "result", "sequence_id"],
        {"code": {"type": "integer", "enum": [200]}, "result": {"type": "string", "enum": ["no_record"]}, "sequence_id": _STR},
    ),
    "IncomeResultError": _object(
        ["code", "result", "error_message", "sequence_id"],
        {
            "code": {"type": "integer", "enum": [200]},
            "result": {"type": "string", "enum": ["error"]},
            "error_message": _STR,
            "sequence_id": _STR,
        },
    ),
    "IncomeVendorCode": _object(
        ["code", "message"],
        {
            "code": {"type": "integer", "enum": [300, 301, 302, 303, 304, 9060, 9061, 9500]},
            "message": {
                "type": "string",
                "description": "9060: '<parameter> empty'; 9061: '<parameter> error'; others as in the spec.",
            },
        },
    ),
    "Health": {
        "type": "object",
        "required": ["status"],
        "properties": {"status": {"type": "string", "enum": ["ok"]}},
    },
}

_NPWP_OPERATION = {
    "summary": "Extract the fields of an NPWP card (Verihubs NPWP OCR)",
    "operationId": "ocrNpwp",
    "parameters": [
        {"name": "App-ID", "in": "header", "required": True, "schema": _STR,
         "description": f"Sandbox value: `{npwp_api.APP_ID}`.", "example": npwp_api.APP_ID},
        {"name": "API-Key", "in": "header", "required": True, "schema": _STR,
         "description": f"Sandbox value: `{npwp_api.API_KEY}`.", "example": npwp_api.API_KEY},
        _scenario_header(NPWP_SCENARIOS),
    ],
    "requestBody": {
        "required": True,
        "description": (
            f"JPEG, PNG or PDF (by content, not name), at most {uploads.MAX_IMAGE_BYTES} bytes. "
            f"Bodies over {uploads.MAX_BODY_BYTES} bytes get 413 unread."
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
                    "properties": {"image": {"type": "string", "format": "byte", "description": "Base64 of the file."}},
                },
            },
        },
    },
    "responses": {
        "200": _json(
            {"oneOf": [{"$ref": "#/components/schemas/NpwpSuccess"}, {"$ref": "#/components/schemas/NpwpNotDetected"}]},
            "Extracted fields, or OCR_200004 when no NPWP is detected.",
        ),
        "400": _json(
            {"oneOf": [{"$ref": "#/components/schemas/NpwpQuotaExceeded"}, {"$ref": "#/components/schemas/UnknownScenario"}]},
            "OCR_40004 (quota, testing mode), or an unknown sandbox scenario.",
        ),
        "401": _json("Unauthorized", "App-ID or API-Key missing or wrong."),
        "413": _json("NpwpPayloadError", "Request body over the limit (OCR_40001)."),
        "422": _json("NpwpPayloadError", "Missing, unsupported, undecodable or oversized image (OCR_40001)."),
        "500": _json("NpwpServerError", "OCR_50000."),
    },
}

_INCOME_OPERATION = {
    "summary": "Verify a person's income and employer (TD income verification, V1)",
    "operationId": "incomeVerificationV1",
    "parameters": [
        {"name": "partner_code", "in": "query", "required": False, "schema": _STR,
         "description": f"Sandbox value: `{income_api.PARTNER_CODE}`. May be sent in the JSON body instead.",
         "example": income_api.PARTNER_CODE},
        {"name": "partner_key", "in": "query", "required": False, "schema": _STR,
         "description": f"Sandbox value: `{income_api.PARTNER_KEY}`. May be sent in the JSON body instead.",
         "example": income_api.PARTNER_KEY},
        _scenario_header(INCOME_SCENARIOS),
    ],
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/IncomeRequest"}}},
    },
    "responses": {
        "200": _json(
            {
                "oneOf": [
                    {"$ref": "#/components/schemas/IncomeHit"},
                    {"$ref": "#/components/schemas/IncomeNoRecord"},
                    {"$ref": "#/components/schemas/IncomeResultError"},
                    {"$ref": "#/components/schemas/IncomeVendorCode"},
                ]
            },
            "Every vendor outcome comes at HTTP 200: a result, or a status code in the body "
            "(9060 missing parameter, 9061 malformed parameter or body, 300-304 service state, 9500).",
        ),
        "400": _json("UnknownScenario", "Unknown sandbox scenario."),
    },
}

SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {
        "title": "KYC Studio sandbox",
        "version": "1.0.0",
        "description": (
            "Offline stand-ins for Verihubs NPWP OCR and TD income verification, in their wire formats. "
            f"The `{SCENARIO_HEADER}` header forces a branch."
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
    },
    "components": {"schemas": _SCHEMAS},
}

SPEC_JSON: bytes = json.dumps(SPEC, indent=2).encode("utf-8")
