"""Tables, tallies and exports (CSV, XLSX) for a finished, stopped or running batch.

The tables have one row per input line (or uploaded file), in input order, whether it was
sent or not: a row flagged before sending, or one a Stop left unsent, says why. Column names
are machine-readable (they are what a script reads back); ``COLUMN_LABELS`` gives each the
words a person reads, on screen.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kyc import ids
from kyc.income import COMPARED_FIELDS, IncomeRequest
from kyc.salary import LABELS as BAND_LABELS
from workflows import outcomes, spreadsheet
from workflows.applicant import LABELS
from workflows.applicant_file import Row
from workflows.batch import RowOutcome

#: What each status is called on screen and in the ``outcome`` column.
STATUS_LABELS = outcomes.LABELS
STOPPED = "Stopped before it was sent."

#: The words for each machine-readable column.
COLUMN_LABELS = {
    "line": "Line",
    "file": "File",
    "outcome": "Outcome",
    "status": "Status code",
    "reason": "Why",
    "name": "Name",
    "nik": "NIK",
    "company": "Employer",
    "salary_band": "Salary band",
    "last_salary": "Last salary month",
    **{name: LABELS[name] for name in COMPARED_FIELDS},
    "npwp": "NPWP",
    "npwp_check": "NPWP check",
    "nik_check": "NIK check",
    "address": "Address",
    "code": "Code",
    "message": "Message",
}


def _why(outcome: RowOutcome | None, flagged: str | None) -> str:
    if flagged is not None:
        return f"Flagged before sending: {flagged}"
    if outcome is None or outcome.status == "not_sent":
        return STOPPED
    if outcome.error is not None:
        return outcome.error.message
    return getattr(outcome.result, "error_text", None) or ""


def _status(outcome: RowOutcome | None) -> str:
    return outcome.status if outcome is not None else "not_sent"


def income_table(rows: Sequence[Row], outcomes: Mapping[int, RowOutcome]) -> list[dict[str, Any]]:
    """One row per input line, in input order: who, what came back or why nothing was sent.

    ``outcomes`` is keyed by a row's position among the valid rows (what was, or will be, sent).
    """
    table = []
    sent_index = 0
    for row in rows:
        outcome = None
        if row.valid:
            outcome = outcomes.get(sent_index)
            sent_index += 1
        status = _status(outcome)
        result = outcome.result if outcome is not None else None
        sent = row.request.to_payload() if row.request is not None else {}
        line: dict[str, Any] = {
            "line": row.line,
            "outcome": STATUS_LABELS[status],
            "status": status,
            "reason": "" if status in ("hit", "no_record") else _why(outcome, None if row.valid else row.describe_problems()),
            "name": row.values.get("name", ""),
            "nik": row.values.get("id_number", ""),
            "company": getattr(result, "company", None) or "",
            "salary_band": result.salary.label if getattr(result, "salary", None) else "",
            "last_salary": getattr(result, "month_last_salary", None) or "",
        }
        for name in COMPARED_FIELDS:
            if name not in sent:
                line[name] = "not sent"
            elif result is not None and status == "hit":
                line[name] = result.comparisons.get(name, "no verdict")
            else:
                line[name] = ""
        line["code"] = outcome.error.code if outcome is not None and outcome.error else ""
        line["message"] = outcome.error.message if outcome is not None and outcome.error else ""
        table.append(line)
    return table


def npwp_table(files: Sequence[tuple[str, str | None]], outcomes: Mapping[int, RowOutcome]) -> list[dict[str, Any]]:
    """One row per uploaded file, in upload order, with the number checks.

    ``files`` holds each file's name and, for a file that cannot be sent, why (else None);
    ``outcomes`` is keyed by a file's position among the ones that can be sent.
    """
    table = []
    sent_index = 0
    for name, problem in files:
        outcome = None
        if problem is None:
            outcome = outcomes.get(sent_index)
            sent_index += 1
        status = _status(outcome)
        result = outcome.result if outcome is not None else None
        npwp = ids.check_npwp(result.npwp or "") if result is not None and result.npwp else None
        nik = ids.check_nik(result.nik or "") if result is not None and result.nik else None
        table.append(
            {
                "file": name,
                "outcome": STATUS_LABELS[status],
                "status": status,
                "reason": "" if status == "detected" else _why(outcome, problem) if status != "not_detected" else "",
                "npwp": npwp.formatted if npwp else "",
                "npwp_check": ("valid " + (npwp.form or "")) if npwp and npwp.valid else (npwp.problem if npwp else ""),
                "name": (result.name or "") if result is not None else "",
                "nik": (nik.number if nik else ""),
                "nik_check": ("valid" if nik.valid else nik.problem) if nik else "",
                "address": (result.address or "") if result is not None else "",
                "code": outcome.error.code if outcome is not None and outcome.error else "",
                "message": outcome.error.message if outcome is not None and outcome.error else "",
            }
        )
    return table


def labelled(table: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The table with the words a person reads as column names, the status code left out."""
    return [{COLUMN_LABELS.get(k, k): v for k, v in row.items() if k != "status"} for row in table]


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


def to_xlsx(table: Sequence[dict[str, Any]], sheet: str = "Results") -> bytes:
    """The table as an Excel workbook: the same columns and rows as the CSV, every cell text or number."""
    return spreadsheet.to_xlsx(table, list(table[0]) if table else [], sheet)
