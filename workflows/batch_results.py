"""Tables, tallies and CSV for a finished (or stopped) batch run."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kyc import ids
from kyc.income import COMPARED_FIELDS, IncomeRequest
from kyc.salary import LABELS as BAND_LABELS
from workflows import spreadsheet
from workflows.applicant import LABELS
from workflows.batch import RowOutcome


def income_table(requests: Sequence[IncomeRequest], lines: Sequence[int], outcomes: Sequence[RowOutcome]) -> list[dict[str, Any]]:
    """One row per outcome, in input order: who, what came back, each field's verdict."""
    table = []
    for outcome in sorted(outcomes, key=lambda o: o.index):
        request = requests[outcome.index]
        sent = request.to_payload()
        result = outcome.result
        row: dict[str, Any] = {
            "line": lines[outcome.index],
            "name": request.name,
            "nik": request.id_number,
            "status": outcome.status,
            "company": getattr(result, "company", None) or "",
            "salary_band": result.salary.label if getattr(result, "salary", None) else "",
            "last_salary": getattr(result, "month_last_salary", None) or "",
        }
        for name in COMPARED_FIELDS:
            if name not in sent:
                row[name] = "not sent"
            elif result is not None and outcome.status == "hit":
                row[name] = result.comparisons.get(name, "no verdict")
            else:
                row[name] = ""
        row["code"] = outcome.error.code if outcome.error else ""
        row["message"] = outcome.error.message if outcome.error else (getattr(result, "error_text", None) or "")
        table.append(row)
    return table


def npwp_table(names: Sequence[str], outcomes: Sequence[RowOutcome]) -> list[dict[str, Any]]:
    """One row per document, in upload order, with the number checks."""
    table = []
    for outcome in sorted(outcomes, key=lambda o: o.index):
        result = outcome.result
        npwp = ids.check_npwp(result.npwp or "") if result is not None and result.npwp else None
        nik = ids.check_nik(result.nik or "") if result is not None and result.nik else None
        table.append(
            {
                "file": names[outcome.index],
                "status": outcome.status,
                "npwp": npwp.formatted if npwp else "",
                "npwp_check": ("valid " + (npwp.form or "")) if npwp and npwp.valid else (npwp.problem if npwp else ""),
                "name": (result.name or "") if result is not None else "",
                "nik": (nik.number if nik else ""),
                "nik_check": ("valid" if nik.valid else nik.problem) if nik else "",
                "address": (result.address or "") if result is not None else "",
                "code": outcome.error.code if outcome.error else "",
                "message": outcome.error.message if outcome.error else "",
            }
        )
    return table


def band_distribution(outcomes: Sequence[RowOutcome]) -> list[dict[str, Any]]:
    """How many hits fell in each of the 18 bands (labels outside the table counted where they fall)."""
    counts = dict.fromkeys(range(1, 19), 0)
    for outcome in outcomes:
        salary = getattr(outcome.result, "salary", None) if outcome.status == "hit" else None
        if salary is not None and salary.position:
            counts[salary.position] += 1
    return [{"band": BAND_LABELS[i - 1], "order": i, "count": counts[i]} for i in counts]


def match_rates(requests: Sequence[IncomeRequest], outcomes: Sequence[RowOutcome]) -> list[dict[str, Any]]:
    """Per compared field: of the hits that sent it, how many MATCH."""
    rates = []
    for name in COMPARED_FIELDS:
        compared = matched = 0
        for outcome in outcomes:
            if outcome.status != "hit" or name not in requests[outcome.index].to_payload():
                continue
            verdict = outcome.result.comparisons.get(name)
            if verdict:
                compared += 1
                matched += verdict == "MATCH"
        rates.append(
            {"field": LABELS[name], "compared": compared, "matched": matched, "rate": matched / compared if compared else None}
        )
    return rates


def to_csv(table: Sequence[dict[str, Any]]) -> bytes:
    """The table as CSV for a spreadsheet (BOM, no formula cells); empty for no rows."""
    return spreadsheet.to_csv(table, list(table[0])) if table else "\ufeff".encode("utf-8")
