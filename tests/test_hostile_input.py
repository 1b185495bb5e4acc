"""Hostile values in the income form, the journey and a batch file.

Every value either goes out as typed (trimmed) and is shown back exactly as typed, as text,
or is refused with a message that says why. Nothing typed is ever read as Markdown or HTML:
wherever it reaches a Markdown element it arrives escaped by ``ui.text.esc``, and in the
comparison table (raw HTML) it arrives HTML-escaped.

In two layers. Every value is checked on the functions the pages are built from: the check
(``workflows.applicant.check_applicant``), the call to the real sandbox, the escaping
(``ui.text.esc``, ``ui.tables.static_table``) and the journey's verdict. A representative
handful (PAGE_CASES) also goes through the pages in AppTest, which shows the pages use those
functions for every place a value appears; markup is checked there on the raw element values
AppTest sees. The properties of ``esc`` checked at the end are the ones a real browser
(Chromium, Streamlit's own Markdown renderer) showed to matter.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re

import pytest

from kyc.income import IncomeClient
from kyc.npwp import NpwpResult
from kyc.settings import INCOME_PATH, SANDBOX_PARTNER_CODE, SANDBOX_PARTNER_KEY
from sandbox.samples import catalogue
from tests.apptest_helpers import history, html_tables, messages, open_page, shown_text, unescape
from ui.tables import static_table
from ui.text import esc
from workflows.applicant import LABELS as CHECK_LABELS
from workflows.applicant import MAX_LENGTH, check_applicant, comparison_rows
from workflows.journey import summarize

VALID = {
    "name": "RINA WULANDARI",
    "phone_number": "081234567890",
    "id_number": "3174015205900123",
    "email": "",
    "address_employee": "",
}  # the all-match persona's NIK: a hit, and every sent field compared
LABELS = {
    "name": "Name",
    "email": "Email",
    "address_employee": "Home address",
    "phone_number": "Phone number",
    "birthdate": "Birth date",
    "id_number": "NIK",
}
MARKDOWN_KINDS = ("markdown", "caption", "error", "warning", "info", "success", "title", "subheader")

HTML = ["<b>bold</b>", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "&lt;b&gt; &amp; &#60;"]
MARKDOWN = [
    "**bold** _it_ ~~gone~~",
    "[link](http://evil.example)",
    "# heading",
    "`code`",
    "$x^2$",
    ":material/home: :smile:",
    ":red[red] :blue-badge[b]",
    "www.evil.example",
    "http://evil.example/x",
    "> quote | a | b |",
    "1. one",
]


def sent(value: str) -> tuple[str, str]:
    return ("sent", value)


def refused(words: str) -> tuple[str, str]:
    return ("refused", words)


# (field, typed, (outcome, the value sent or words of the refusal))
CASES = [
    # Unicode: sent as typed, shown back as typed.
    ("name", "Siti Nurhaliza Ḥasan", sent("Siti Nurhaliza Ḥasan")),
    ("name", "Dédé Suryana", sent("Dédé Suryana")),
    ("name", "I Gusti Ngurah Rai", sent("I Gusti Ngurah Rai")),
    ("name", "محمد عبد الله", sent("محمد عبد الله")),
    ("name", "Budi 😀", sent("Budi 😀")),
    ("name", "Budi 👩‍💻", sent("Budi 👩‍💻")),  # a zero-width joiner inside an emoji is part of writing
    ("address_employee", "Jl. Ḥasan No. 5, محلة 😀", sent("Jl. Ḥasan No. 5, محلة 😀")),
    ("email", "dédé@example.co.id", sent("dédé@example.co.id")),
    # Leading and trailing spaces are trimmed before sending; inner ones are kept.
    ("name", "   Budi  Santoso \t ", sent("Budi  Santoso")),
    ("address_employee", "\n  Jl. Kenanga No. 12  \n ", sent("Jl. Kenanga No. 12")),
    ("email", "  siti@example.com  ", sent("siti@example.com")),
    ("phone_number", " 0812 3456 7890 ", sent("081234567890")),
    # The address is a text area: its line breaks are sent and shown.
    ("address_employee", "Jl. Kenanga No. 12\nRT 003 / RW 005", sent("Jl. Kenanga No. 12\nRT 003 / RW 005")),
    # HTML and Markdown: sent as typed, shown as text.
    *[("name", value, sent(value)) for value in HTML + MARKDOWN],
    *[("address_employee", value, sent(value)) for value in HTML + MARKDOWN + ["siti@example.com", "a\n\n    not code"]],
    ("email", "**bold**@example.com", sent("**bold**@example.com")),
    ("email", "`code`$x^2$#h@example.com", sent("`code`$x^2$#h@example.com")),
    # Refused, with a reason, and nothing is sent.
    ("name", "N" * 10_000, refused(f"too long: {MAX_LENGTH} characters at most, 10,000 given")),
    ("address_employee", "A" * 1_048_576, refused(f"too long: {MAX_LENGTH} characters at most, 1,048,576 given")),
    ("email", "x" * 600 + "@example.com", refused("too long")),
    ("name", "Budi\x00Santoso", refused("a control character, U+0000 NUL, at position 5")),
    ("address_employee", "Jl. Kenanga\x00 12", refused("U+0000 NUL")),
    ("name", "\x1b[31mBudi", refused("U+001B ESC, at position 1")),
    ("name", "Budi\tSantoso", refused("U+0009 TAB")),
    ("name", "Budi\u200bSantoso", refused("an invisible character, U+200B ZERO WIDTH SPACE, at position 5")),
    ("name", "\ufeffBudi", refused("U+FEFF")),
    ("name", "Budi \u202egnp.exe", refused("U+202E RIGHT-TO-LEFT OVERRIDE")),
    ("phone_number", "0812\u200b34567890", refused("U+200B ZERO WIDTH SPACE")),
    ("name", "Budi\nSantoso", refused("must be on one line")),
    ("email", "siti@example.com\nBcc: x@evil.example", refused("must be on one line")),
    ("address_employee", "Jl. Kenanga\u2028No. 12", refused("U+2028 LINE SEPARATOR")),
    ("email", "<script>alert(1)</script>@example.com", refused("")),
    ("email", "[link](http://evil.example)", refused("")),
    ("birthdate", "**1990-05-12**", refused("YYYY-MM-DD")),
]


# Through the pages as well: markup, a URL (in the address, so also the comparison table), a
# control character, an over-long value, a right-to-left script and an emoji with a joiner.
PAGE_CASES = [
    case
    for case in CASES
    if (case[0], case[1])
    in {
        ("name", "<script>alert(1)</script>"),
        ("address_employee", "http://evil.example/x"),
        ("name", "Budi\x00Santoso"),
        ("name", "N" * 10_000),
        ("name", "محمد عبد الله"),
        ("name", "Budi 👩‍💻"),
    }
]
SENT_CASES = [case for case in CASES if case[2][0] == "sent"]


def case_id(case: tuple[str, str, tuple[str, str]]) -> str:
    field, typed, _ = case
    shown = typed if len(typed) <= 24 else f"{typed[:12]}...({len(typed)} chars)"
    return f"{field}={shown.encode('unicode_escape').decode()}"


def fill(at, prefix: str = "", submit: str = "income_submit", **values):
    for key, value in values.items():
        if key == "address_employee":
            at.text_area(key=prefix + key).input(value)
        else:
            at.text_input(key=prefix + key).input(value)
    at.button(key=submit).click().run()
    return at


def markdown_bodies(at) -> list[str]:
    """The raw Markdown of every element that renders Markdown, plus labels and tooltips."""
    bodies = [str(e.value) for kind in MARKDOWN_KINDS for e in getattr(at, kind)]
    bodies += [e.label for e in at.expander]
    bodies += [
        w.help for kind in ("button", "text_input", "text_area", "selectbox", "multiselect") for w in getattr(at, kind) if w.help
    ]
    return bodies


def html_bodies(at) -> list[str]:
    return [e.proto.body for e in at.get("html")]


def assert_clean(at) -> None:
    assert not at.exception, at.exception
    assert "Traceback" not in shown_text(at)


def assert_never_markup(at, typed: str) -> None:
    """``typed`` never reaches a Markdown element unescaped, nor an HTML element un-HTML-escaped."""
    values = {typed, typed.strip()}
    for value in values:
        if value and esc(value) != value:
            for body in markdown_bodies(at):
                # Escaped characters cannot be syntax: blank them out, and the value must not be left.
                assert value not in re.sub(r"\\\S", "\ufffc", body), f"raw {value!r} in Markdown {body[:300]!r}"
        if value and html.escape(value, quote=False) != value:
            for body in html_bodies(at):
                assert value not in body, f"raw {value!r} in HTML {body[:300]!r}"


def shown_in_markdown(at, value: str) -> bool:
    """``value`` is on the page as escaped Markdown, and reads back as typed."""
    return any(esc(value) in body and value in unescape(body).replace("  \n", "\n") for body in markdown_bodies(at))


def request_views(at) -> list[dict]:
    """The request bodies the inspector shows (st.json), decoded."""
    views = []
    for element in at.json:
        data = json.loads(element.value)
        if isinstance(data, dict) and "body" in data and "method" in data:
            views.append(data["body"])
    return views


# --- Every value, on the functions the pages are built from ---------------------------------


def blank_escapes(markdown: str) -> str:
    """Escaped characters cannot be syntax: blank them out (as ``assert_never_markup`` does)."""
    return re.sub(r"\\\S", "\ufffc", markdown)


def table_cells(body: str) -> list[list[str]]:
    """The rows of a ``static_table`` as cell texts, header first (as ``html_tables`` reads them)."""
    rows = re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)
    return [[html.unescape(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)] for row in rows]


def comparison_table(request, comparisons) -> str:
    """The income page's comparison table (ui.income_result.comparison_table) as HTML."""
    rows = [(r["field"], r["submitted"] or "—", r["verdict"]) for r in comparison_rows(request, comparisons)]
    return static_table(("Field", "You sent", "Verdict"), rows)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_check_sends_the_value_trimmed_or_refuses_it_saying_why(case):
    field, typed, (outcome, expected) = case
    checked = check_applicant({**VALID, field: typed})
    if outcome == "refused":
        assert checked.request is None  # nothing is sent
        assert list(checked.errors) == [field], checked.errors  # one problem, on the field typed
        problem = checked.errors[field]
        assert CHECK_LABELS[field] == LABELS[field]  # the page names the field by this label
        assert expected in problem, problem
        assert len(problem) < 200, "the message must not echo a long value"
        return
    assert checked.errors == {}, checked.errors
    assert checked.request.to_payload()[field] == expected  # trimmed, otherwise as typed


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_no_value_reaches_markdown_or_html_unescaped(case):
    """What the pages show of a value (or of its refusal) is ``esc``'d Markdown or a ``static_table`` cell."""
    field, typed, (outcome, _) = case
    shown = [esc(typed), esc(typed.strip())]
    table = static_table(("Field", "You sent"), [(LABELS[field], typed), (LABELS[field], typed.strip())])
    if outcome == "refused":
        shown.append(esc(check_applicant({**VALID, field: typed}).errors[field]))
    for value in {typed, typed.strip()}:
        if value and esc(value) != value:
            for body in shown:
                assert value not in blank_escapes(body), f"raw {value!r} in Markdown {body[:300]!r}"
        if value and html.escape(value, quote=False) != value:
            assert value not in table, f"raw {value!r} in HTML {table[:300]!r}"


@pytest.fixture(scope="module")
def income_client(sandbox):
    """The client the income page uses in sandbox mode (Settings.income_client), on the test sandbox."""
    return IncomeClient(sandbox.url + INCOME_PATH, SANDBOX_PARTNER_CODE, SANDBOX_PARTNER_KEY)


@pytest.mark.parametrize("case", SENT_CASES, ids=case_id)
def test_a_sent_value_goes_out_and_comes_back_as_typed(income_client, case):
    field, typed, (_, expected) = case
    request = check_applicant({**VALID, field: typed}).request
    result = income_client.verify(request)
    assert result.result == "hit"  # the page's "Hit" message
    assert result.record.body[field] == expected  # on the wire: trimmed, otherwise as typed
    assert json.loads(json.dumps(result.record.body)) == result.record.body  # the inspector shows it as JSON
    assert json.dumps(expected, ensure_ascii=False)[1:-1] in result.record.as_curl()
    if field in ("email", "address_employee"):
        table = comparison_table(request, result.comparisons)
        rows = {row[0]: row[1] for row in table_cells(table)[1:]}
        assert rows[LABELS[field]] == expected
        assert html.escape(expected) in table
        assert "white-space:pre-wrap" in table  # its line breaks and runs of spaces show as typed


def journey_card(sample) -> NpwpResult:
    """What the NPWP OCR answers for a sample card (the journey page's step 1)."""
    f = sample.fields
    return NpwpResult(True, f["npwp"], f["name"], f["nik"], f["address"], "doc-id", "ref-id", "Success Extract Data", None)


def journey_values(card, field: str, typed: str) -> dict[str, str]:
    """The journey's applicant as carried from ``card``, with a phone number and one field as typed."""
    values = {"name": card.fields["name"], "phone_number": "081234567890", "id_number": card.fields["nik"],
              "email": "", "address_employee": ""}  # fmt: skip
    return {**values, field: typed}


@pytest.mark.parametrize("case", [case for case in CASES if case[0] in ("name", "address_employee")], ids=case_id)
def test_journey_summary_quotes_a_sent_value_as_text(income_client, case):
    field, typed, (outcome, expected) = case
    sample = catalogue()[0]
    checked = check_applicant(journey_values(sample, field, typed))
    if outcome == "refused":
        assert checked.request is None and expected in checked.errors[field]
        return
    result = income_client.verify(checked.request)
    summary = summarize(sample.file, journey_card(sample), checked.request, result, None, sandbox=True)
    assert summary.request[field] == expected
    shown = [esc(summary.verdict.headline)] + [esc(finding) for finding in summary.verdict.findings]
    if field == "name":
        # The summary says the name sent differs from the card's, quoting it as text.
        quote = next(f for f in summary.verdict.findings if f.startswith("Name sent ("))
        assert f"Name sent ({expected})" in quote and esc(expected) in esc(quote)
    else:
        rows = {row["field"]: row["submitted"] for row in summary.income.comparisons}
        assert rows["Home address"] == expected
    for value in {typed, typed.strip()}:
        if value and esc(value) != value:
            for body in shown:
                assert value not in blank_escapes(body), f"raw {value!r} in Markdown {body[:300]!r}"


# --- A representative handful through the pages (AppTest) ----------------------------------


@pytest.mark.parametrize("case", PAGE_CASES, ids=case_id)
def test_income_form_hostile_value(case):
    field, typed, (outcome, expected) = case
    at = fill(open_page("income"), **{**VALID, field: typed})
    assert_clean(at)
    assert_never_markup(at, typed)
    if outcome == "refused":
        errors = messages(at, "error")
        assert len(errors) == 1 and "Nothing was sent" in errors[0], errors
        assert f"{LABELS[field]}: " in errors[0] and expected in errors[0], errors
        assert len(errors[0]) < 600, "the message must not echo a long value"
        assert history(at) == []
        return

    assert not messages(at, "error"), messages(at, "error")
    assert any("Hit" in m for m in messages(at, "success"))
    [entry] = history(at)
    assert entry["record"].body[field] == expected  # trimmed, otherwise as typed
    assert request_views(at) == [entry["record"].body]  # the inspector shows the body as JSON (plain text)
    curl = [c.value for c in at.code if c.value.startswith("curl ")]
    assert len(curl) == 1 and json.dumps(expected, ensure_ascii=False)[1:-1] in curl[0]
    if field in ("email", "address_employee"):
        rows = {row[0]: row[1] for row in html_tables(at)[0][1:]}
        assert rows[LABELS[field]] == expected
        table = next(body for body in html_bodies(at) if "kyc-table" in body)
        assert html.escape(expected) in table
        assert "white-space:pre-wrap" in table  # its line breaks and runs of spaces show as typed

    # The same call on the history page: the request body is shown there too.
    at.switch_page("pages/history.py").run()
    assert_clean(at)
    assert_never_markup(at, typed)
    assert request_views(at) == [entry["record"].body]


# The summary quotes the name sent when it differs from the card's, and the address goes through the
# same comparison table as on the income page: every case on the functions above, a handful here.
JOURNEY_CASES = [case for case in PAGE_CASES if case[0] in ("name", "address_employee") and len(case[1]) < 1000]


@pytest.fixture(scope="module")
def journey():
    """The journey page with a card read, ready for a form: shared, each case sends its own applicant."""
    at = open_page("journey")
    card = catalogue()[0]
    at.button(key=f"journey_sample_{card.file}").click().run()
    at.button(key="journey_extract").click().run()
    assert_clean(at)
    return at, card


@pytest.mark.parametrize("case", JOURNEY_CASES, ids=case_id)
def test_journey_summary_hostile_value(journey, case):
    at, card = journey
    field, typed, (outcome, expected) = case
    calls_before = len(history(at))
    fill(at, "journey_", "journey_verify", **journey_values(card, field, typed))
    assert_clean(at)
    assert_never_markup(at, typed)
    if outcome == "refused":
        assert any("Nothing was sent" in m and expected in m for m in messages(at, "error")), messages(at, "error")
        assert len(history(at)) == calls_before
        return
    assert len(history(at)) == calls_before + 1
    assert at.session_state["journey_income"]["request"].to_payload()[field] == expected
    verdict = next(
        str(e.value)
        for kind in ("success", "warning", "error")
        for e in getattr(at, kind)
        if "REVIEW" in str(e.value) or "PASS" in str(e.value)
    )
    if field == "name":
        # The summary says the name sent differs from the card's, quoting it as text.
        assert esc(expected) in verdict and f"Name sent ({expected})" in unescape(verdict)
    else:
        rows = {row[0]: row[1] for row in html_tables(at)[0][1:]}
        assert rows["Home address"] == expected
    assert {b.proto.label for b in at.get("download_button")} == {"Summary (JSON)", "Report (PDF)"}


def applicants_csv(names: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["name", "phone_number", "id_number"])
    for name in names:
        writer.writerow([name, "081234567890", "3174015205900123"])
    return out.getvalue().encode("utf-8")


def test_batch_preview_and_results_show_hostile_names_as_text():
    cases = [case for case in CASES if case[0] == "name"]
    at = open_page("batch")
    at.file_uploader(key="batch_file").set_value(
        ("hostile.csv", applicants_csv([typed for _, typed, _ in cases]), "text/csv")
    ).run()
    assert_clean(at)
    preview = at.dataframe[0].value
    assert len(preview) == len(cases)
    for (_, typed, (outcome, expected)), (_, row) in zip(cases, preview.iterrows()):
        assert row["Ready to send"] == ("yes" if outcome == "sent" else "no"), (typed, row["Problems"])
        if outcome == "refused":
            assert expected in row["Problems"]
    at.button(key="batch_run").click().run()
    assert at.session_state["batch_income_job"]["job"].wait(30)
    at.run()
    at.run()
    assert_clean(at)
    results = at.dataframe[-1].value
    names = [expected for _, _, (outcome, expected) in cases if outcome == "sent"]
    assert len(results) == len(cases)  # every line, the refused ones saying why
    sent = results[results["Outcome"] == "Hit"]
    assert list(sent["Name"]) == names
    assert set(results["Outcome"]) <= {"Hit", "Not sent"}
    for typed in names:
        assert_never_markup(at, typed)


def test_batch_file_error_quotes_its_headers_as_text():
    headers = "**bold**,<b>x</b>,:red[r],[l](http://evil.example)"
    at = open_page("batch")
    at.file_uploader(key="batch_file").set_value(("x.csv", f"{headers}\n1,2,3,4\n".encode(), "text/csv")).run()
    assert_clean(at)
    [error] = [str(e.value) for e in at.error]
    for header in headers.split(","):
        assert header not in error and esc(header) in error
    assert "found: " + ", ".join(headers.split(",")) in unescape(error)


def test_vendor_markup_in_the_answer_renders_as_text(replay, monkeypatch):
    """The employer panel and the error box show what the vendor sent as text, markup and links included."""
    from kyc.settings import INCOME_PATH
    from tests.replay import Reply

    company, address, month = "<b>PT</b> **EVIL** :red[x] [l](http://evil.example)", "www.evil.example\n# JL. X", "$x^2$"
    hit = {
        "code": 200,
        "result": "hit",
        "sequence_id": "`seq`",
        "data": {
            "company": company,
            "address_company": address,
            "month_last_salary": month,
            "range_salary": ":material/home:",
            "address_employee": "MATCH",
        },
    }
    error = {"code": 200, "result": "error", "sequence_id": "s1", "error_message": "<script>alert(1)</script> _x_"}
    replay.route(INCOME_PATH, Reply(body=json.dumps(hit)), Reply(body=json.dumps(error)))
    monkeypatch.setenv("KYC_SANDBOX_URL", replay.url)
    at = fill(open_page("income"), **VALID)
    assert_clean(at)
    for value in (company, address, month, ":material/home:", "`seq`"):
        assert_never_markup(at, value)
        assert shown_in_markdown(at, value), value
    at.button(key="income_submit").click().run()
    assert_clean(at)
    assert_never_markup(at, "<script>alert(1)</script> _x_")
    assert any("<script>alert(1)</script> _x_" in m for m in messages(at, "error"))


# --- ui.text.esc itself ----------------------------------------------------------------------
# What AppTest cannot see is what the browser's Markdown makes of the escaped text. These
# properties are the ones a real browser showed to matter: backslashes stop Markdown syntax, but
# GFM still links bare URLs and e-mail addresses, and leading spaces or blank lines change the layout.

ESC_VALUES = list(dict.fromkeys(typed for field, typed, (outcome, _) in CASES if outcome == "sent")) + [
    "siti@example.com",
    "user+tag@sub.example.co.id",
    "HTTPS://EVIL.EXAMPLE",
    "WWW.EVIL.COM",
    "mailto:a@b.example",
    "a\n\n\nb",
    "    four spaces",
    "\ttab",
    "Budi\x00Santoso\x1b[31m",
    "trail   ",
    "C:\\path\\*",
]
# GitHub-flavoured Markdown links these after the escapes are resolved (mdast-util-gfm-autolink-literal).
GFM_AUTOLINK = re.compile(r"(https?://|www\.)[-.\w]|[-.\w+]@[-\w]+\.[-\w]", re.IGNORECASE)


def resolved(markdown: str) -> str:
    """The text Markdown is left with once escapes are resolved (before it looks for bare links)."""
    return re.sub(r"\\(.)", r"\1", markdown.replace("  \n", "\n"))


@pytest.mark.parametrize("value", ESC_VALUES, ids=lambda v: v[:24].encode("unicode_escape").decode())
def test_esc_leaves_nothing_for_markdown_to_read(value):
    out = esc(value)
    # Every ASCII punctuation character is escaped (so no emphasis, links, code, LaTeX, icons, colours, HTML).
    unescaped = re.sub(r"\\[!-/:-@\[-`{-~]", "", out)
    assert not re.search(r"[\\`*_{}\[\]()#+\-.!|<>~$:=^&@/]", unescaped), out
    # No bare URL or e-mail address survives for GFM to link.
    assert not GFM_AUTOLINK.search(resolved(out)), out
    # No line can start an indented code block or end the paragraph.
    for line in out.split("  \n"):
        assert line and not line.startswith((" ", "\t")) and line.strip(" \t"), out
    # And it reads back as typed: non-breaking spaces keep runs of spaces, pictures stand for controls.
    shown = resolved(out).replace("\u2060", "").replace("\u00a0", " ")
    assert shown == as_seen(value)


def as_seen(value: str) -> str:
    """``value`` as a reader sees it: a leading tab as four spaces, an empty line as a space, controls as pictures."""
    lines = []
    for line in value.splitlines():
        body = line.lstrip(" \t")
        lines.append((line[: len(line) - len(body)].replace("\t", "    ") + body) or " ")
    return "\n".join(lines).replace("\x00", "\u2400").replace("\x1b", "\u241b")
