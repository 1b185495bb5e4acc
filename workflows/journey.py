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

Fields derived from the NIK: the NIK encodes sex and birth date, and TD's record derives them
from the NIK too. A sex or birth date sent exactly as the NIK encodes it (as the journey
suggests them) is labelled "derived from the NIK": its MATCH only repeats the NIK, so it is
not independent evidence and is not counted among the fields that support a pass. A NOT MATCH
on one still asks for review (TD's record then disagrees with the NIK). The verdict names the
fields that were independently checked (``Verdict.independent``) and the derived ones
(``Verdict.derived``).

Words: ``summarize(..., words=translator("id"))`` writes the findings, the headline, the
comparisons' labels and notes and the reviewer's decision in that language (English by
default), and the summary keeps the language (``Summary.lang``) so that ``card_lines``,
``income_lines``, ``times_line`` and the PDF say the rest in it too. Machine keys, levels,
codes and the vendors' own words (MATCH, NOT MATCH) stay as they are.

Every summary carries a report ID (the same for the same two calls, on screen, in the JSON
and on the PDF) and the times of both calls, as ISO 8601 in WIB (``workflows.clock``).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from kyc import ids
from kyc.errors import KycError
from kyc.http import CallRecord
from kyc.i18n import gettext_for
from kyc.income import MATCH, NOT_MATCH, IncomeRequest, IncomeResult
from kyc.npwp import NpwpResult
from workflows import clock
from workflows.applicant import comparison_rows, verdict_text
from workflows.i18n import N_, Translator, translator

ENGLISH = translator("en")
Level = Literal["pass", "review", "fail"]
_RANK: dict[str, int] = {"pass": 0, "review": 1, "fail": 2}
HEADLINES: dict[str, str] = {
    "pass": N_("PASS: identity consistent and income verified"),
    "review": N_("REVIEW: a person should check the findings below"),
    "fail": N_("FAIL: the applicant could not be verified"),
}
# Fields the NIK encodes, which TD's record derives from the NIK as well.
NIK_DERIVED = ("sex", "birthdate")
DERIVED_NOTE = N_("derived from the NIK")
# The comparison table's title, on screen and on the PDF.
COMPARISON_TITLE = N_("Comparison (the API compares only the fields it receives)")
# The comparison table's column headings, on screen and on the PDF.
COMPARISON_HEADINGS = (N_("Field"), N_("You sent"), N_("Verdict"), N_("Note"))
# The reviewer's decision, entered in the journey's last step; the key is what the JSON keeps.
DECISIONS: dict[str, str] = {"approve": N_("Approve"), "refer": N_("Refer for more checks"), "reject": N_("Reject")}
# Where the answers came from, in words.
MODES = {True: N_("Sandbox: demo data, not the vendors' answers"), False: N_("Live: answers from Verihubs and TD")}
# The NPWP's forms (kyc.ids) and the NIK's sexes (the income API's words) as a person reads them.
FORMS = {"15-digit": N_("15-digit"), "16-digit": N_("16-digit"), "NIK as NPWP": N_("NIK as NPWP")}
SEXES = {"male": N_("male"), "female": N_("female")}


def verdict_shown(verdict: str, words: Translator = ENGLISH) -> str:
    """A comparison's verdict for a person, as the income page says it (``workflows.applicant``):
    TD's own word ("MATCH"; in Indonesian "Sesuai (MATCH)"), or ours ("not sent" / "tidak dikirim")."""
    return verdict_text(verdict, words)


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
    # One row per comparable field: field, key, submitted, verdict, and note ("derived from the NIK" or "").
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
    independent: list[str] = field(default_factory=list)  # labels of the fields compared independently of the NIK
    derived: list[str] = field(default_factory=list)  # labels of the fields sent as the NIK encodes them
    headline: str = ""  # the level in words, in the summary's language (English when not given)

    def __post_init__(self) -> None:
        if not self.headline:
            object.__setattr__(self, "headline", HEADLINES[self.level])


@dataclass(frozen=True)
class Review:
    """The reviewer's block: who looked at the summary, what they decided, and why."""

    reviewer: str = ""
    decision: str | None = None  # a key of DECISIONS, or None when not decided yet
    notes: str = ""

    @property
    def decision_label(self) -> str | None:
        return self.decision_in(ENGLISH)

    def decision_in(self, words: Translator = ENGLISH) -> str | None:
        """The decision in the language of ``words``, or None when not decided yet."""
        label = DECISIONS.get(self.decision or "")
        return words.gettext(label) if label else None

    @property
    def empty(self) -> bool:
        return not (self.reviewer.strip() or self.decision_label or self.notes.strip())

    def to_dict(self, words: Translator = ENGLISH) -> dict[str, Any]:
        return {"reviewer": self.reviewer.strip(), "decision": self.decision_in(words), "notes": self.notes.strip()}


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
    report_id: str = ""
    card_read_at: str | None = None  # ISO 8601 in WIB, "2026-12-04T22:15:03+07:00"
    income_checked_at: str | None = None
    lang: str = "en"  # the language of the summary's words ("en" or "id")

    @property
    def words(self) -> Translator:
        """The summary's language, for whatever says it later (lines, the PDF)."""
        return translator(self.lang)

    @property
    def mode(self) -> str:
        """Where the answers came from, in words (the summary's language): for the report's footer and the summary."""
        return self.words.gettext(MODES[bool(self.sandbox)])

    def to_dict(self, review: Review | None = None) -> dict[str, Any]:
        """JSON-ready. Built from our own fields only, so no CallRecord (url, headers) can leak in.

        Keys are the same in every language; the words a person reads (headline, findings,
        labels, notes, the mode, the decision) are in the summary's language.
        """
        data = asdict(self)
        data["verdict"]["headline"] = self.verdict.headline
        data["mode"] = self.mode
        if review is not None:
            data["review"] = review.to_dict(self.words)
        return data

    def to_json(self, review: Review | None = None) -> bytes:
        return json.dumps(self.to_dict(review), indent=2, ensure_ascii=False).encode("utf-8")


@dataclass(frozen=True)
class Line:
    """One labelled fact of the summary, the same on screen and on the PDF.

    ``tone`` colours the note ("pass", "review", "fail", or "" for none); ``whole`` marks an
    ID or code, which is never broken over lines.
    """

    label: str
    value: str | None
    note: str = ""
    tone: str = ""
    whole: bool = False


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


def _and(items: list[str], words: Translator = ENGLISH) -> str:
    """ "sex", "sex and birth date", "sex, email and home address" (in the language of ``words``)."""
    if len(items) == 1:
        return items[0]
    return words.gettext("{first} and {last}").format(first=", ".join(items[:-1]), last=items[-1])


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def problem_shown(problem: str | None, words: Translator) -> str:
    """kyc's reason a number is invalid, in kyc's catalog's words for the language (else as kyc wrote it)."""
    return gettext_for(words.lang)(problem) if problem else ""


def form_shown(form: str | None, words: Translator = ENGLISH) -> str:
    """An NPWP's form in words: "16-digit" / "16 digit"."""
    return words.gettext(FORMS[form]) if form in FORMS else (form or "")


def derived_from_nik(request: IncomeRequest) -> set[str]:
    """The fields sent exactly as the NIK sent encodes them (sex, birth date): no evidence beyond the NIK."""
    nik = ids.check_nik(request.id_number or "")
    if not nik.valid:
        return set()
    payload = request.to_payload()
    encoded = {"sex": nik.sex, "birthdate": nik.birth_date.isoformat() if nik.birth_date else None}
    return {
        name
        for name in NIK_DERIVED
        if encoded[name] and str(payload.get(name, "")).strip().casefold() == str(encoded[name]).casefold()
    }


def _income(result: IncomeResult, request: IncomeRequest, words: Translator = ENGLISH) -> Income:
    band = result.salary
    hit = result.result == "hit"
    rows = comparison_rows(request, result.comparisons, words) if hit else []  # labels and values in words
    derived = derived_from_nik(request)
    for row in rows:
        row["note"] = words.gettext(DERIVED_NOTE) if row["key"] in derived and row["verdict"] != "not sent" else ""
    return Income(
        result=result.result,
        sequence_id=result.sequence_id,
        error_message=result.error_text_in(words.lang),
        company=result.company,
        address_company=result.address_company,
        month_last_salary=result.month_last_salary,
        band_label=band.label if band else None,
        band_description=band.describe(words.lang) if band else None,
        band_position=band.position if band else None,
        # Rows only for a hit: after no_record or error nothing was compared at all.
        comparisons=rows,
    )


def summarize(
    doc_name: str,
    card: NpwpResult,
    request: IncomeRequest,
    income: IncomeResult | None,
    income_error: KycError | None,
    *,
    sandbox: bool = False,
    words: Translator = ENGLISH,
) -> Summary:
    """Check the card, fold in the income outcome, and decide the verdict, in the language of ``words``."""
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
    error = ErrorInfo(income_error.code, income_error.message_in(words.lang)) if income_error else None
    outcome = _income(income, request, words) if income is not None and error is None else None
    income_record = income_error.record if income_error is not None else (income.record if income is not None else None)
    return Summary(
        doc_name=doc_name,
        card=shown,
        checks=checks,
        request=request.to_payload(),
        income=outcome,
        error=error,
        verdict=_verdict(shown, checks, request, outcome, error, words),
        sandbox=sandbox,
        report_id=report_id(card.record, income_record),
        card_read_at=_when(card.record),
        income_checked_at=_when(income_record),
        lang=words.lang,
    )


def _when(record: CallRecord | None) -> str | None:
    if record is None or not record.started_at:
        return None
    try:
        return clock.iso(record.started_at)
    except (TypeError, ValueError):
        return None


def report_id(card: CallRecord | None, income: CallRecord | None) -> str:
    """ "KYC-20261204-3F9A21": the card's day in WIB and six hex digits of both calls' IDs.

    The same two calls always give the same ID, so the screen, the JSON and the PDF agree.
    """
    calls = "/".join(record.call_id if record is not None else "-" for record in (card, income))
    when = _when(card)
    day = when[:10].replace("-", "") if when else "00000000"
    return f"KYC-{day}-{hashlib.sha256(calls.encode()).hexdigest()[:6].upper()}"


def _verdict(
    card: Card,
    checks: Checks,
    request: IncomeRequest,
    income: Income | None,
    error: ErrorInfo | None,
    words: Translator = ENGLISH,
) -> Verdict:
    _ = words.gettext
    found: list[tuple[Level, str]] = []

    # Identity: the card's own numbers.
    if not card.detected:
        found.append(("fail", _("No NPWP detected in the document")))
    else:
        bad = []
        if not checks.npwp_valid:
            bad.append(_("NPWP invalid ({problem})").format(problem=problem_shown(checks.npwp_problem, words)))
        if not checks.nik_valid:
            bad.append(_("NIK invalid ({problem})").format(problem=problem_shown(checks.nik_problem, words)))
        if bad:
            found.append(("fail", "; ".join(bad)))
        elif checks.npwp_equals_nik is False:
            found.append(("review", _("NPWP is a NIK, but not the NIK on the card")))
        elif checks.npwp_equals_nik:
            found.append(("pass", _("Identity consistent: NPWP and NIK valid, NPWP equals the NIK")))
        else:
            found.append(
                ("pass", _("Identity consistent: NPWP ({form}) and NIK valid").format(form=form_shown(checks.npwp_form, words)))
            )

    # What was sent must be the person on the card, or the income answer is about someone else.
    if checks.name_matches is False:
        found.append(("review", _("Name sent ({sent}) differs from the card ({card})").format(sent=request.name, card=card.name)))
    if checks.nik_matches is False:
        found.append(
            ("review", _("NIK sent ({sent}) differs from the card ({card})").format(sent=request.id_number, card=card.nik))
        )

    # Income.
    if error is not None:
        found.append(("fail", _("Income verification failed: {message} [{code}]").format(message=error.message, code=error.code)))
    elif income is None:
        found.append(("review", _("Income not verified yet")))
    elif income.result == "no_record":
        found.append(("fail", _("Income verification found no record for this NIK")))
    elif income.result != "hit":
        message = income.error_message or _("no message")
        found.append(("fail", _("Income verification returned an error: {message}").format(message=message)))
    else:
        found.extend(_hit_findings(income, words))

    level: Level = max((lvl for lvl, _text in found), key=_RANK.__getitem__, default="pass")
    compared = [row for row in (income.comparisons if income is not None else []) if row["verdict"] != "not sent"]
    return Verdict(
        level,
        [text for _lvl, text in found],
        [text for lvl, text in found if lvl != "pass"],
        independent=[row["field"] for row in compared if not row.get("note")],
        derived=[row["field"] for row in compared if row.get("note")],
        headline=_(HEADLINES[level]),
    )


def _hit_findings(income: Income, words: Translator = ENGLISH) -> list[tuple[Level, str]]:
    _ = words.gettext
    found: list[tuple[Level, str]] = []
    if income.band_label is None:
        found.append(("review", _("Income band not returned")))
    elif income.band_description != income.band_label:
        band = pretty_band(income.band_label)
        found.append(("pass", _("Income band {band} ({description})").format(band=band, description=income.band_description)))
    else:
        found.append(("pass", _("Income band {band}").format(band=pretty_band(income.band_label))))
    employer = _("Employer {company}").format(company=income.company) if income.company else _("Employer not returned")
    if income.month_last_salary:
        employer = _("{employer}, last salary {month}").format(employer=employer, month=income.month_last_salary)
    found.append(("pass", employer))

    sent = [row for row in income.comparisons if row["verdict"] != "not sent"]
    independent = [row for row in sent if not row.get("note")]
    derived = [row for row in sent if row.get("note")]
    if independent:
        found.append(_compared(independent, words))
        if derived:
            found.append(_derived_finding(derived, words))
    elif derived:
        level, text = _derived_finding(derived, words)
        if level == "pass":  # one finding says both: nothing independent, and why
            found.append((level, _("No field was independently checked: {finding}").format(finding=text[:1].lower() + text[1:])))
        else:
            found.append(("pass", _("No field was independently checked")))
            found.append((level, text))
    else:
        found.append(("pass", _("No field was independently checked: no optional field was sent")))
    return found


def _labels(rows: list[dict[str, str]]) -> list[str]:
    return [_lower_label(row["field"]) for row in rows]


def _derived_finding(rows: list[dict[str, str]], words: Translator = ENGLISH) -> tuple[Level, str]:
    """What the fields sent as the NIK encodes them say: nothing new if they match, a question if not."""
    what = _capital(
        words.ngettext("{fields} was derived from the NIK", "{fields} were derived from the NIK", len(rows)).format(
            fields=_and(_labels(rows), words)
        )
    )
    wrong = [_lower_label(row["field"]) for row in rows if row["verdict"] == NOT_MATCH]
    silent = [_lower_label(row["field"]) for row in rows if row["verdict"] not in (MATCH, NOT_MATCH)]
    if wrong:
        return "review", words.gettext("{what}, yet TD's record does not match on {fields}").format(
            what=what, fields=_and(wrong, words)
        )
    text = words.ngettext(
        "{what}, so its MATCH only repeats the NIK and is not independent evidence",
        "{what}, so their MATCH only repeats the NIK and is not independent evidence",
        len(rows),
    ).format(what=what)
    if silent:
        text = words.gettext("{finding} (no verdict for {fields})").format(finding=text, fields=_and(silent, words))
    return "pass", text


def _compared(rows: list[dict[str, str]], words: Translator = ENGLISH) -> tuple[Level, str]:
    """ "Independently checked: email and home address (1 of 2 match; home address does not)"."""
    _ = words.gettext
    labels = _labels(rows)
    matched = sum(row["verdict"] == MATCH for row in rows)
    wrong = [_lower_label(row["field"]) for row in rows if row["verdict"] == NOT_MATCH]
    silent = [_lower_label(row["field"]) for row in rows if row["verdict"] not in (MATCH, NOT_MATCH)]
    notes = []
    if wrong:
        notes.append(words.ngettext("{fields} does not", "{fields} do not", len(wrong)).format(fields=_and(wrong, words)))
    if silent:
        notes.append(_("no verdict for {fields}").format(fields=_and(silent, words)))
    if matched == len(rows) <= 2:
        tally = _("matches") if matched == 1 else _("both match")
    else:
        tally = _("{matched} of {total} match").format(matched=matched, total=len(rows))
    text = _("Independently checked: {fields} ({tally})").format(fields=_and(labels, words), tally="; ".join([tally, *notes]))
    return ("review" if wrong else "pass"), text


# --- the summary's facts, as the screen and the PDF both show them ----------------------------


def nik_decoded(checks: Checks, words: Translator = ENGLISH) -> str:
    """ "born 12 May 1985, male, Bandung, Jawa Barat": what a valid NIK says, as the NPWP page writes it."""
    born = clock.shown_date(checks.nik_birth_date, words) if checks.nik_birth_date else None
    parts = [
        words.gettext("born {date}").format(date=born) if born else None,
        words.gettext(SEXES[checks.nik_sex]) if checks.nik_sex in SEXES else checks.nik_sex,
        (checks.nik_regency or "").title() or None,
        checks.nik_province,
    ]
    return ", ".join(part for part in parts if part)


def card_lines(summary: Summary, words: Translator | None = None) -> list[Line]:
    """The card's fields with what the checks make of them (in ``words``'s language, else the summary's)."""
    words = words or summary.words
    _ = words.gettext
    card, checks, sent = summary.card, summary.checks, summary.request
    if not card.detected:
        return [Line("NPWP", _("No NPWP detected in the document"), tone="fail")]
    lines = []
    if checks.npwp_valid:
        form = form_shown(checks.npwp_form, words)
        if checks.npwp_equals_nik is True:
            note = _("valid ({form}), equals the NIK").format(form=form)
        elif checks.npwp_equals_nik is False:
            note = _("valid ({form}), but not the card's NIK").format(form=form)
        else:
            note = _("valid ({form})").format(form=form)
        tone = "review" if checks.npwp_equals_nik is False else "pass"
        lines.append(Line("NPWP", card.npwp, note, tone, whole=True))
    else:
        note = _("invalid: {problem}").format(problem=problem_shown(checks.npwp_problem, words))
        lines.append(Line("NPWP", card.npwp, note, "fail", whole=True))
    name_note = {
        True: (_("matches the name sent"), "pass"),
        False: (_("differs from the name sent ({name})").format(name=sent.get("name")), "review"),
    }
    lines.append(Line(_("Name"), card.name, *name_note.get(checks.name_matches, ("", ""))))
    if checks.nik_valid:
        decoded = nik_decoded(checks, words)
        note = _("valid; {decoded}").format(decoded=decoded) if decoded else _("valid")
        tone = "pass"
    else:
        note, tone = _("invalid: {problem}").format(problem=problem_shown(checks.nik_problem, words)), "fail"
    if checks.nik_matches is False:
        note = _("{note}; differs from the NIK sent ({nik})").format(note=note, nik=sent.get("id_number"))
        tone = "fail" if tone == "fail" else "review"
    lines.append(Line("NIK", card.nik, note, tone, whole=True))
    lines.append(Line(_("Address"), card.address))
    lines.append(Line(_("Extraction ID"), card.id, whole=True))
    lines.append(Line(_("Reference ID"), card.reference_id, whole=True))
    return lines


def income_lines(summary: Summary, words: Translator | None = None) -> list[Line]:
    """Who was sent, and what income verification answered (the comparisons and band come apart)."""
    words = words or summary.words
    _ = words.gettext
    sent = summary.request
    who = _("{name}, NIK {nik}, phone {phone}").format(
        name=sent.get("name", ""), nik=sent.get("id_number", ""), phone=sent.get("phone_number", "")
    )
    lines = [Line(_("Applicant sent"), who)]
    result = _("Result")
    if summary.error is not None:
        failed = _("Failed: {message} [{code}]").format(message=summary.error.message, code=summary.error.code)
        return [*lines, Line(result, failed, tone="fail")]
    income = summary.income
    if income is None:
        return [*lines, Line(result, _("Not verified"), tone="review")]
    sequence = Line(_("Sequence ID"), income.sequence_id, whole=True)
    if income.result == "no_record":
        return [*lines, Line(result, _("No record found for this NIK"), tone="fail"), sequence]
    if income.result != "hit":
        error = _("Error: {message}").format(message=income.error_message or _("no message"))
        return [*lines, Line(result, error, tone="fail"), sequence]
    return [
        *lines,
        Line(result, _("Hit: TD has an employment record for this NIK"), tone="pass"),
        Line(_("Employer"), income.company),
        Line(_("Company address"), income.address_company),
        Line(_("Last salary"), income.month_last_salary),
        sequence,
    ]


def times_line(summary: Summary, words: Translator | None = None) -> str:
    """ "Card read 4 Dec 2026, 22:15 WIB · income checked 4 Dec 2026, 22:16 WIB"."""
    words = words or summary.words
    parts = []
    if summary.card_read_at:
        parts.append(words.gettext("Card read {time}").format(time=clock.shown(summary.card_read_at, words=words)))
    if summary.income_checked_at:
        parts.append(words.gettext("income checked {time}").format(time=clock.shown(summary.income_checked_at, words=words)))
    return " · ".join(parts)
