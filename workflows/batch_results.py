"""Tables, tallies and exports (CSV, XLSX) for a finished, stopped or running batch.

The tables have one row per input line (or uploaded file), in input order, whether it was
sent or not: a row flagged before sending, or one a Stop left unsent, says why. Column names
are machine-readable (they are what a script reads back); ``COLUMN_LABELS`` gives each the
words a person reads, on screen and as the exports' second header row.

Words: each function that writes words takes ``words`` (a Translator, English by default),
so the outcome, the reasons and the headings come in the page's language. The codes (the
``status`` column, error codes) and the vendors' own words (MATCH, a salary band) stay as they are.

Exports (``to_csv``, ``to_xlsx``): row 1 holds the machine names (``line``, ``outcome``, …),
the header a script reads; given ``words``, row 2 holds the headings a person reads, in that
language, and the data starts on row 3 (a script skips row 2: ``pandas.read_csv(f, skiprows=[1])``).
In the workbook both rows are frozen, the person's row is bold and carries the filter buttons.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kyc import ids
from kyc.i18n import gettext_for
from kyc.income import COMPARED_FIELDS, IncomeRequest
from kyc.salary import LABELS as BAND_LABELS
from workflows import outcomes, spreadsheet
from workflows.applicant import LABELS
from workflows.applicant_file import Row
from workflows.batch import RowOutcome
from workflows.i18n import N_, Translator, translator

ENGLISH = translator("en")

#: What each status is called on screen and in the ``outcome`` column.
STATUS_LABELS = outcomes.LABELS
STOPPED = N_("Stopped before it was sent.")
FLAGGED = N_("Flagged before sending: {problem}")
NOT_SENT = N_("not sent")  # a compared field the row did not send
NO_VERDICT = N_("no verdict")
RESULTS_SHEET = N_("Results")  # the workbook's sheet
#: kyc.ids's NPWP forms, as a person reads them.
NPWP_FORMS = {"15-digit": N_("15-digit"), "16-digit": N_("16-digit"), "NIK as NPWP": N_("NIK as NPWP")}

#: The words for each machine-readable column.
COLUMN_LABELS = {
    "line": N_("Line"),
    "file": N_("File"),
    "outcome": N_("Outcome"),
    "status": N_("Status code"),
    "reason": N_("Why"),
    "name": N_("Name"),
    "nik": "NIK",
    "company": N_("Employer"),
    "salary_band": N_("Salary band"),
    "last_salary": N_("Last salary month"),
    **{name: LABELS[name] for name in COMPARED_FIELDS},
    "npwp": "NPWP",
    "npwp_check": N_("NPWP check"),
    "nik_check": N_("NIK check"),
    "address": N_("Address"),
    "code": N_("Code"),
    "message": N_("Message"),
}


def headings(columns: Sequence[str], words: Translator = ENGLISH) -> list[str]:
    """The words a person reads above each of ``columns``, in ``words``'s language."""
    return [words.gettext(COLUMN_LABELS[name]) if name in COLUMN_LABELS else name for name in columns]


def describe_problems(row: Row, words: Translator = ENGLISH) -> str:
    """Why ``row`` was flagged: its problems (in the language it was read in), labelled in ``words``'s."""
    return row.describe_problems(words)


def _error_message(outcome: RowOutcome | None, words: Translator) -> str:
    error = outcome.error if outcome is not None else None
    return error.message_in(words.lang) if error is not None else ""


def _why(outcome: RowOutcome | None, flagged: str | None, words: Translator) -> str:
    _ = words.gettext
    if flagged is not None:
        return _(FLAGGED).format(problem=flagged)
    if outcome is not None and outcome.error is not None:  # a failed row, or one the budget held
        return _error_message(outcome, words)
    if outcome is None or outcome.status == "not_sent":
        return _(STOPPED)
    result = outcome.result
    if hasattr(result, "error_text_in"):
        return result.error_text_in(words.lang) or ""
    return getattr(result, "error_text", None) or ""


def _status(outcome: RowOutcome | None) -> str:
    return outcome.status if outcome is not None else "not_sent"


def income_table(rows: Sequence[Row], outcomes: Mapping[int, RowOutcome], words: Translator = ENGLISH) -> list[dict[str, Any]]:
    """One row per input line, in input order: who, what came back or why nothing was sent.

    ``outcomes`` is keyed by a row's position among the valid rows (what was, or will be, sent);
    the outcome and the reasons are in ``words``'s language.
    """
    _ = words.gettext
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
            "outcome": _(STATUS_LABELS[status]),
            "status": status,
            "reason": ""
            if status in ("hit", "no_record")
            else _why(outcome, None if row.valid else describe_problems(row, words), words),
            "name": row.values.get("name", ""),
            "nik": row.values.get("id_number", ""),
            "company": getattr(result, "company", None) or "",
            "salary_band": result.salary.label if getattr(result, "salary", None) else "",
            "last_salary": getattr(result, "month_last_salary", None) or "",
        }
        for name in COMPARED_FIELDS:
            if name not in sent:
                line[name] = _(NOT_SENT)
            elif result is not None and status == "hit":
                line[name] = result.comparisons.get(name) or _(NO_VERDICT)  # MATCH / NOT MATCH: TD's own words
            else:
                line[name] = ""
        line["code"] = outcome.error.code if outcome is not None and outcome.error else ""
        line["message"] = _error_message(outcome, words)
        table.append(line)
    return table


def npwp_table(
    files: Sequence[tuple[str, str | None]], outcomes: Mapping[int, RowOutcome], words: Translator = ENGLISH
) -> list[dict[str, Any]]:
    """One row per uploaded file, in upload order, with the number checks.

    ``files`` holds each file's name and, for a file that cannot be sent, why (else None, already
    in the page's language); ``outcomes`` is keyed by a file's position among the ones that can be
    sent; the outcome, the checks and the reasons are in ``words``'s language.
    """
    _ = words.gettext
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
                "outcome": _(STATUS_LABELS[status]),
                "status": status,
                "reason": "" if status in ("detected", "not_detected") else _why(outcome, problem, words),
                "npwp": npwp.formatted if npwp else "",
                "npwp_check": _npwp_check(npwp, words) if npwp else "",
                "name": (result.name or "") if result is not None else "",
                "nik": (nik.number if nik else ""),
                "nik_check": (_("valid") if nik.valid else _kyc_words(nik.problem, words)) if nik else "",
                "address": (result.address or "") if result is not None else "",
                "code": outcome.error.code if outcome is not None and outcome.error else "",
                "message": _error_message(outcome, words),
            }
        )
    return table


def _npwp_check(npwp: ids.NpwpCheck, words: Translator) -> str:
    """ "valid 15-digit", or why the number is not valid."""
    _ = words.gettext
    if npwp.valid:
        form = _(NPWP_FORMS[npwp.form]) if npwp.form in NPWP_FORMS else (npwp.form or "")
        return _("valid {form}").format(form=form).strip()
    return _kyc_words(npwp.problem, words)


def _kyc_words(text: str | None, words: Translator) -> str:
    """A problem kyc.ids wrote, in ``words``'s language where kyc's catalog has it (else as written)."""
    return gettext_for(words.lang)(text) if text else ""


def labelled(table: Sequence[dict[str, Any]], words: Translator = ENGLISH) -> list[dict[str, Any]]:
    """The table with the words a person reads as column names (in ``words``'s language), the
    status code left out."""
    shown = [{k: v for k, v in row.items() if k != "status"} for row in table]
    return [dict(zip(headings(list(row), words), row.values())) for row in shown]


def band_distribution(outcomes: Sequence[RowOutcome]) -> list[dict[str, Any]]:
    """How many hits fell in each of the 18 bands (labels outside the table counted where they fall)."""
    counts = dict.fromkeys(range(1, 19), 0)
    for outcome in outcomes:
        salary = getattr(outcome.result, "salary", None) if outcome.status == "hit" else None
        if salary is not None and salary.position:
            counts[salary.position] += 1
    return [{"band": BAND_LABELS[i - 1], "order": i, "count": counts[i]} for i in counts]


def match_rates(
    requests: Sequence[IncomeRequest], outcomes: Sequence[RowOutcome], words: Translator = ENGLISH
) -> list[dict[str, Any]]:
    """Per compared field: of the hits that sent it, how many MATCH (the field named in ``words``'s language)."""
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
            {
                "field": words.gettext(LABELS[name]),
                "compared": compared,
                "matched": matched,
                "rate": matched / compared if compared else None,
            }
        )
    return rates


def to_csv(table: Sequence[dict[str, Any]], words: Translator | None = None) -> bytes:
    """The table as CSV for a spreadsheet (BOM, no formula cells); empty for no rows.

    Row 1 holds the machine names; given ``words``, row 2 the headings in its language."""
    if not table:
        return "\ufeff".encode("utf-8")
    columns = list(table[0])
    return spreadsheet.to_csv(table, columns, headings(columns, words) if words is not None else None)


def to_xlsx(table: Sequence[dict[str, Any]], sheet: str = RESULTS_SHEET, words: Translator | None = None) -> bytes:
    """The table as an Excel workbook: the same columns and rows as the CSV, every cell text or number.

    Row 1 holds the machine names; given ``words``, row 2 the headings in its language (bold, frozen,
    with the filter buttons), and ``sheet`` is said in that language."""
    columns = list(table[0]) if table else []
    if words is None:
        return spreadsheet.to_xlsx(table, columns, sheet)
    return spreadsheet.to_xlsx(table, columns, words.gettext(sheet), headings(columns, words))
