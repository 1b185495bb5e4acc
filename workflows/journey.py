"""The KYC journey's one-page summary: what the card says, whether it holds together, and what
income verification found, reduced to a verdict a salesperson can read.

Verdict rules (the worst rule that applies sets the level):

``fail``
    no NPWP detected on the document; the NPWP or the NIK is invalid; the income call
    failed (a ``KycError``); income verification answered ``no_record`` or ``error``.
``review``
    a compared field came back NOT MATCH; the name sent differs from the card's name
    (case and spacing ignored); the NIK sent differs from the card's NIK; the NPWP is a NIK
    but not the card's NIK; a hit came without a salary band; income was not verified yet.
``pass``
    none of the above.

A field the API did not compare ("not sent", "no verdict returned") never lowers the level.
If both ``income`` and ``income_error`` are given, the error wins: the call is taken as failed.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from kyc import ids
from kyc.errors import KycError
from kyc.income import MATCH, NOT_MATCH, IncomeRequest, IncomeResult
from kyc.npwp import NpwpResult
from workflows.applicant import comparison_rows

Level = Literal["pass", "review", "fail"]
_RANK: dict[str, int] = {"pass": 0, "review": 1, "fail": 2}
HEADLINES: dict[str, str] = {
    "pass": "PASS: identity consistent and income verified",
    "review": "REVIEW: a person should check the findings below",
    "fail": "FAIL: the applicant could not be verified",
}


@dataclass(frozen=True)
class Card:
    """The fields read off the card; ``npwp`` is formatted the way the tax office prints it."""

    detected: bool
    npwp: str | None
    name: str | None
    nik: str | None
    address: str | None
    id: str | None
    reference_id: str | None


@dataclass(frozen=True)
class Checks:
    """Validation of the card's numbers, and whether what was sent agrees with the card."""

    npwp_valid: bool
    npwp_form: str | None
    npwp_problem: str | None
    nik_valid: bool
    nik_birth_date: str | None  # ISO date, so the summary stays JSON-ready
    nik_sex: str | None
    nik_province: str | None
    nik_regency: str | None
    nik_problem: str | None
    npwp_equals_nik: bool | None  # None where the NPWP is not in its NIK form
    name_matches: bool | None  # None where either name is missing
    nik_matches: bool | None  # the NIK sent to income verification vs. the card's


@dataclass(frozen=True)
class Income:
    """What income verification answered (a result, not a failed call)."""

    result: str
    sequence_id: str | None
    error_message: str | None
    company: str | None
    address_company: str | None
    month_last_salary: str | None
    band_label: str | None
    band_description: str | None
    band_position: int | None  # 1-18 on the spec's table
    comparisons: list[dict[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class ErrorInfo:
    """A failed income call, as code and readable message."""

    code: str
    message: str


@dataclass(frozen=True)
class Verdict:
    """The headline level, every finding in order, and the findings that set the level."""

    level: Level
    findings: list[str]
    reasons: list[str]

    @property
    def headline(self) -> str:
        return HEADLINES[self.level]


@dataclass(frozen=True)
class Summary:
    """Everything the summary page, its JSON download and its PDF report show."""

    doc_name: str
    card: Card
    checks: Checks
    request: dict[str, str]
    income: Income | None
    error: ErrorInfo | None
    verdict: Verdict
    sandbox: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready. Built from our own fields only, so no CallRecord (url, headers) can leak in."""
        data = asdict(self)
        data["verdict"]["headline"] = self.verdict.headline
        return data

    def to_json(self) -> bytes:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False).encode("utf-8")


def _same_text(a: str | None, b: str | None) -> bool | None:
    if not a or not a.strip() or not b or not b.strip():
        return None
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def pretty_band(label: str) -> str:
    """ "5.5-6.5JT" -> "5.5–6.5 JT", as a person would write it."""
    return re.sub(r"(\d)\s*JT$", r"\1 JT", label.replace("-", "–"))


def _lower_label(label: str) -> str:
    # "Birth date" -> "birth date", but "BPJS programs" keeps its acronym.
    return label if label[1:2].isupper() else label[:1].lower() + label[1:]


def _income(result: IncomeResult, request: IncomeRequest) -> Income:
    band = result.salary
    hit = result.result == "hit"
    return Income(
        result=result.result,
        sequence_id=result.sequence_id,
        error_message=result.error_text,
        company=result.company,
        address_company=result.address_company,
        month_last_salary=result.month_last_salary,
        band_label=band.label if band else None,
        band_description=band.describe() if band else None,
        band_position=band.position if band else None,
        # Rows only for a hit: after no_record or error nothing was compared at all.
        comparisons=comparison_rows(request, result.comparisons) if hit else [],
    )


def summarize(
    doc_name: str,
    card: NpwpResult,
    request: IncomeRequest,
    income: IncomeResult | None,
    income_error: KycError | None,
    *,
    sandbox: bool = False,
) -> Summary:
    """Check the card, fold in the income outcome, and decide the verdict."""
    npwp = ids.check_npwp(card.npwp or "")
    nik = ids.check_nik(card.nik or "")
    sent_nik = ids.compact(request.id_number)
    checks = Checks(
        npwp_valid=npwp.valid,
        npwp_form=npwp.form,
        npwp_problem=npwp.problem,
        nik_valid=nik.valid,
        nik_birth_date=nik.birth_date.isoformat() if nik.birth_date else None,
        nik_sex=nik.sex,
        nik_province=nik.province,
        nik_regency=nik.regency,
        nik_problem=nik.problem,
        npwp_equals_nik=ids.npwp_matches_nik(card.npwp or "", card.nik or "") if card.npwp else None,
        name_matches=_same_text(request.name, card.name),
        nik_matches=(sent_nik == nik.number) if sent_nik and nik.number else None,
    )
    shown = Card(
        detected=card.detected,
        npwp=ids.format_npwp(card.npwp) if card.npwp else None,
        name=card.name,
        nik=card.nik,
        address=card.address,
        id=card.id,
        reference_id=card.reference_id,
    )
    error = ErrorInfo(income_error.code, income_error.message) if income_error else None
    outcome = _income(income, request) if income is not None and error is None else None
    return Summary(
        doc_name=doc_name,
        card=shown,
        checks=checks,
        request=request.to_payload(),
        income=outcome,
        error=error,
        verdict=_verdict(shown, checks, request, outcome, error),
        sandbox=sandbox,
    )


def _verdict(card: Card, checks: Checks, request: IncomeRequest, income: Income | None, error: ErrorInfo | None) -> Verdict:
    found: list[tuple[Level, str]] = []

    # Identity: the card's own numbers.
    if not card.detected:
        found.append(("fail", "No NPWP detected in the document"))
    else:
        bad = []
        if not checks.npwp_valid:
            bad.append(f"NPWP invalid ({checks.npwp_problem})")
        if not checks.nik_valid:
            bad.append(f"NIK invalid ({checks.nik_problem})")
        if bad:
            found.append(("fail", "; ".join(bad)))
        elif checks.npwp_equals_nik is False:
            found.append(("review", "NPWP is a NIK, but not the NIK on the card"))
        elif checks.npwp_equals_nik:
            found.append(("pass", "Identity consistent: NPWP and NIK valid, NPWP equals the NIK"))
        else:
            found.append(("pass", f"Identity consistent: NPWP ({checks.npwp_form}) and NIK valid"))

    # What was sent must be the person on the card, or the income answer is about someone else.
    if checks.name_matches is False:
        found.append(("review", f"Name sent ({request.name}) differs from the card ({card.name})"))
    if checks.nik_matches is False:
        found.append(("review", f"NIK sent ({request.id_number}) differs from the card ({card.nik})"))

    # Income.
    if error is not None:
        found.append(("fail", f"Income verification failed: {error.message} [{error.code}]"))
    elif income is None:
        found.append(("review", "Income not verified yet"))
    elif income.result == "no_record":
        found.append(("fail", "Income verification found no record for this NIK"))
    elif income.result != "hit":
        found.append(("fail", f"Income verification returned an error: {income.error_message or 'no message'}"))
    else:
        found.extend(_hit_findings(income))

    level: Level = max((lvl for lvl, _ in found), key=_RANK.__getitem__, default="pass")
    return Verdict(level, [text for _, text in found], [text for lvl, text in found if lvl != "pass"])


def _hit_findings(income: Income) -> list[tuple[Level, str]]:
    found: list[tuple[Level, str]] = []
    if income.band_label is None:
        found.append(("review", "Income band not returned"))
    else:
        about = f" ({income.band_description})" if income.band_description != income.band_label else ""
        found.append(("pass", f"Income band {pretty_band(income.band_label)}{about}"))
    employer = f"Employer {income.company}" if income.company else "Employer not returned"
    salary = f", last salary {income.month_last_salary}" if income.month_last_salary else ""
    found.append(("pass", employer + salary))

    sent = [row for row in income.comparisons if row["verdict"] != "not sent"]
    if not sent:
        found.append(("pass", "No optional fields sent, so none were compared"))
        return found
    matched = sum(row["verdict"] == MATCH for row in sent)
    wrong = [_lower_label(row["field"]) for row in sent if row["verdict"] == NOT_MATCH]
    silent = [_lower_label(row["field"]) for row in sent if row["verdict"] not in (MATCH, NOT_MATCH)]
    notes = []
    if wrong:
        notes.append(f"{', '.join(wrong)} {'does' if len(wrong) == 1 else 'do'} not")
    if silent:
        notes.append(f"no verdict for {', '.join(silent)}")
    text = f"{matched} of {len(sent)} fields sent match" + (f" ({'; '.join(notes)})" if notes else "")
    found.append(("review" if wrong else "pass", text))
    return found
