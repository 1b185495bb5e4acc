"""Every page through Streamlit's AppTest, against the real sandbox started by the app."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

import sandbox
from sandbox.samples import catalogue
from tests.apptest_helpers import PAGES, charts, history, html_tables, messages, open_page, shown_text, unescape, verdicts

SAMPLES = catalogue()


def png(width=200, height=120) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_starts_clean_without_secrets(page, monkeypatch):
    monkeypatch.delenv("KYC_MODE", raising=False)
    at = open_page(page)
    assert at.radio(key="mode").value == "Sandbox"
    sidebar = shown_text(at)
    assert "Sandbox healthy" in sidebar
    if page in ("npwp", "income"):
        picker = at.selectbox(key="sandbox_scenario")
        assert picker.options[0] == "None (normal answer)"
        assert len(picker.options) == 1 + len(sandbox.SCENARIOS[page])
    assert not at.error


# --- NPWP page ---------------------------------------------------------------------------


def upload(at, name: str, data: bytes, mime: str = "application/octet-stream"):
    at.file_uploader(key="npwp_file").set_value((name, data, mime)).run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s.file)
def test_uploading_each_sample_shows_its_fields(sample):
    at = upload(open_page("npwp"), sample.file, sample.read())
    assert ("Pages 1" if sample.file.endswith(".pdf") else "Dimensions 1400 × 880 px") in shown_text(at)
    at.button(key="npwp_submit").click().run()
    assert not at.exception
    text = shown_text(at)
    for value in (sample.fields["name"], sample.fields["nik"], sample.fields["address"]):
        assert value in text
    assert "Format and check digit valid" in text and "Valid NIK" in text
    assert "Decoded from the NIK: born" in text
    if sample.kind == "nik-as-npwp":
        assert "NPWP equals the NIK" in text
    assert [item["outcome"] for item in history(at)] == ["detected"]


def test_sample_button_loads_the_card():
    at = open_page("npwp")
    at.button(key=f"npwp_sample_{SAMPLES[0].file}").click().run()
    at.button(key="npwp_submit").click().run()
    assert SAMPLES[0].fields["name"] in shown_text(at)


BAD_FILES = [
    ("empty.png", b"", "empty"),
    ("notes.png", b"this is a text file, not a picture", "text file"),
    ("truncated.png", png()[:60], "incomplete"),
    ("broken.pdf", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "PDF"),
    ("animation.jpg", b"GIF89a" + b"\0" * 100, "GIF"),
]


@pytest.mark.parametrize("name, data, words", BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_files_show_an_error_and_send_nothing(name, data, words):
    at = upload(open_page("npwp"), name, data)
    errors = " ".join(messages(at, "error"))
    assert "cannot be sent" in errors and words.lower() in errors.lower()
    assert "JPEG, PNG or PDF" in errors
    assert at.button(key="npwp_submit").disabled  # AppTest, like a browser, cannot click it
    assert history(at) == []


def test_an_image_over_5_mb_can_be_shrunk_in_one_click():
    import random

    rng = random.Random(7)
    noisy = Image.frombytes("RGB", (1800, 1400), bytes(rng.getrandbits(8) for _ in range(1800 * 1400 * 3)))
    out = io.BytesIO()
    noisy.save(out, "PNG")
    assert len(out.getvalue()) > 5 * 1024 * 1024
    at = upload(open_page("npwp"), "photo.png", out.getvalue())
    assert "the API takes 5 MB at most" in " ".join(messages(at, "warning"))
    assert at.button(key="npwp_submit").disabled
    at.button(key="npwp_shrink").click().run()
    assert not at.exception
    assert any("Shrunk from" in m for m in messages(at, "success"))
    assert not at.button(key="npwp_submit").disabled


def test_not_detected_gets_a_clear_info_box():
    at = upload(open_page("npwp"), "blank.png", png())
    at.button(key="npwp_submit").click().run()
    assert any("No NPWP detected" in m for m in messages(at, "info"))


def test_details_carry_from_npwp_to_income_and_survive_page_switches():
    at = upload(open_page("npwp"), SAMPLES[0].file, SAMPLES[0].read())
    at.button(key="npwp_submit").click().run()
    at.button(key="npwp_to_income").click().run()
    at.switch_page("pages/income.py").run()
    assert at.text_input(key="name").value == SAMPLES[0].fields["name"]
    assert at.text_input(key="id_number").value == SAMPLES[0].fields["nik"]
    assert at.text_area(key="address_employee").value == SAMPLES[0].fields["address"]
    at.switch_page("pages/history.py").run()
    at.switch_page("pages/income.py").run()
    assert at.text_input(key="name").value == SAMPLES[0].fields["name"]


# --- Income page -------------------------------------------------------------------------


def fill(at, **values):
    for key, value in values.items():
        if key == "sex":
            at.selectbox(key="sex").set_value(value)
        elif key == "package":
            at.multiselect(key="package").set_value(value)
        elif key == "address_employee":
            at.text_area(key=key).input(value)
        else:
            at.text_input(key=key).input(value)
    at.button(key="income_submit").click().run()
    assert not at.exception, at.exception
    return at


VALID = dict(name="RINA WULANDARI", phone_number="081234567890", id_number="3174015205900123")


def test_a_valid_form_shows_the_comparison_table_and_the_chart():
    at = fill(open_page("income"), **VALID, sex="female", birthdate="1990-05-12", package=["JHT", "JKK", "JKM", "JPN"])
    text = shown_text(at)
    assert "Hit" in " ".join(messages(at, "success"))
    assert verdicts(at) == {
        "Sex": "MATCH",
        "Birth date": "MATCH",
        "BPJS programs": "MATCH",
        "Email": "not sent",
        "Home address": "not sent",
        # What TD uses to find the record, listed so nobody asks whether it was checked.
        "Name": "not compared by TD",
        "Phone number": "not compared by TD",
        "NIK": "not compared by TD",
    }
    assert len(charts(at)) == 1
    assert "PT SINAR NUSANTARA LOGISTIK" in text and "Band 10.5-13JT" in text
    assert "Comparison: 3 of 3 fields sent match" in text
    sent = {row[0]: row[1] for row in html_tables(at)[0][1:]}
    assert sent["Sex"] == "Female" and sent["Birth date"] == "12 May 1990"
    assert sent["BPJS programs"] == "Old-age savings (JHT), Work-accident insurance (JKK), Death benefit (JKM), Pension (JPN)"


@pytest.mark.parametrize("persona", sandbox.personas(), ids=lambda p: p["key"])
def test_persona_buttons_fill_the_form_and_give_their_outcome(persona):
    at = open_page("income")
    at.button(key=f"persona_{persona['key']}").click().run()
    assert at.text_input(key="id_number").value == persona["request"]["id_number"]
    at.button(key="income_submit").click().run()
    if persona["expected"]["result"] == "no_record":
        assert any("No record" in m for m in messages(at, "info"))
    else:
        labels = {
            "sex": "Sex",
            "birthdate": "Birth date",
            "package": "BPJS programs",
            "email": "Email",
            "address_employee": "Home address",
        }
        compared = {k: v for k, v in verdicts(at).items() if v != "not compared by TD"}
        assert compared == {labels[k]: v for k, v in persona["expected"]["comparisons"].items()}


@pytest.mark.parametrize(
    "change, field, words",
    [
        ({"phone_number": "0712345678"}, "Phone number", "start with"),
        ({"phone_number": "0812"}, "Phone number", "10 to 13 digits needed"),
        ({"id_number": "317305189293843"}, "NIK", "16 digits needed"),
        ({"id_number": "9971011708450001"}, "NIK", "region code"),
        ({"birthdate": "12/05/1990"}, "Birth date", "YYYY-MM-DD"),
        ({"email": "not-an-email"}, "Email", "@"),
    ],
)
def test_invalid_fields_say_what_is_wrong_and_send_nothing(change, field, words):
    at = fill(open_page("income"), **{**VALID, **change})
    errors = " ".join(messages(at, "error"))
    assert "Nothing was sent" in errors and field in errors and words in errors
    assert history(at) == []


def test_send_as_typed_lets_the_vendor_answer_a_malformed_field():
    at = open_page("income")
    at.checkbox(key="send_as_typed").check()
    fill(at, **{**VALID, "phone_number": "0712345678"})
    errors = " ".join(messages(at, "error"))
    assert "9061" in errors and "phone_number" in errors
    assert [item["code"] for item in history(at)] == ["9061"]


SCENARIO_MESSAGES = [
    ("npwp", "not_detected", "info", "No NPWP detected"),
    ("npwp", "quota_exceeded", "error", "The Verihubs testing quota is used up"),
    ("npwp", "server_error", "error", "Verihubs had an internal error"),
    ("npwp", "unauthorized", "error", "Verihubs refused the credentials: check the App-ID and API-Key."),
    ("income", "no_record", "info", "No record"),
    ("income", "quota_exceeded", "error", "daily quota is used up"),
    ("income", "not_purchased", "error", "not purchased or not active"),
    (
        "income",
        "service_not_purchased",
        "error",
        "The income verification service is not purchased on this account",
    ),
    ("income", "suspended", "error", "suspended"),
    ("income", "no_balance", "error", "no balance"),
    ("income", "expired", "error", "expired"),
    ("income", "internal_error", "error", "TD had an internal error"),
]
SUBMIT = {
    "npwp": lambda at: upload(at, SAMPLES[0].file, SAMPLES[0].read()).button(key="npwp_submit").click().run(),
    "income": lambda at: fill(at, **VALID),
}


def test_an_error_reads_as_words_with_its_code_small_after_them():
    at = open_page("income")
    at.selectbox(key="sandbox_scenario").set_value("service_not_purchased").run()
    fill(at, **VALID)
    (error,) = messages(at, "error")
    assert error.startswith("The income verification service is not purchased on this account.")
    assert error.endswith(":small[TD code 301]")


def test_the_scenario_list_covers_every_branch_but_slow():
    for api, names in sandbox.SCENARIOS.items():
        assert {s for page, s, _, _ in SCENARIO_MESSAGES if page == api} == set(names) - {"slow", "flaky"}


@pytest.mark.parametrize("page, scenario, kind, words", SCENARIO_MESSAGES, ids=[f"{p}-{s}" for p, s, _, _ in SCENARIO_MESSAGES])
def test_every_sandbox_scenario_shows_its_human_message(page, scenario, kind, words):
    at = open_page(page)
    at.selectbox(key="sandbox_scenario").set_value(scenario).run()
    SUBMIT[page](at)
    assert not at.exception
    assert any(words in m for m in messages(at, kind)), shown_text(at)


def test_scenario_picker_is_hidden_in_live_mode_and_live_without_credentials_says_so():
    at = open_page("income")
    at.radio(key="mode").set_value("Live").run()
    assert not [s for s in at.selectbox if s.key == "sandbox_scenario"]
    # Nothing to click that can only fail: the button is off and says why beside it.
    assert at.button(key="income_submit").disabled
    assert "Live mode needs 3 more TD settings (income URL, partner_code, partner_key)" in shown_text(at)
    assert history(at) == []


# --- History page -------------------------------------------------------------------------


def test_history_lists_calls_filters_exports_and_clears():
    at = fill(open_page("income"), **VALID)
    at.selectbox(key="sandbox_scenario").set_value("expired").run()
    at.button(key="income_submit").click().run()
    at.switch_page("pages/history.py").run()
    frame = at.dataframe[0].value
    assert list(frame["outcome"]) == ["failed", "hit"]  # newest first
    assert list(frame["code"]) == ["304", ""]
    at.text_input(key="history_filter").input("304").run()
    assert list(at.dataframe[0].value["code"]) == ["304"]
    at.button(key="history_clear").click().run()
    assert history(at) == [] and any("No calls yet" in m for m in messages(at, "info"))


def test_slow_scenario_still_answers_normally():
    at = open_page("income")
    at.selectbox(key="sandbox_scenario").set_value("slow").run()
    fill(at, **VALID)
    assert any("Hit" in m for m in messages(at, "success"))
    assert history(at)[0]["ms"] >= 3000


def test_typed_markup_shows_as_typed_in_the_comparison():
    typed = "<b>bold</b> **md** $x$ :red[hi] [link](https://example.com) siti@example.com"
    at = fill(open_page("income"), **VALID, address_employee=typed)
    table = html_tables(at)[0]
    assert ["Home address", typed, "NOT MATCH"] in table
    body = next(e.proto.body for e in at.get("html") if "kyc-table" in e.proto.body)
    assert "<b>bold</b>" not in body and "&lt;b&gt;bold&lt;/b&gt;" in body


def test_kyc_sandbox_url_points_the_app_at_an_external_sandbox(monkeypatch):
    with sandbox.start_in_thread(port=0) as external:
        monkeypatch.setenv("KYC_SANDBOX_URL", external.url)
        at = fill(open_page("income"), **VALID)
        assert any("Hit" in m for m in messages(at, "success"))
        assert history(at)[0]["record"].url.startswith(external.url)


def test_a_broken_setting_is_reported_and_the_app_still_opens(monkeypatch):
    monkeypatch.setenv("KYC_MODE", "production")
    at = open_page("home")
    assert len([m for m in messages(at, "error") if "KYC_MODE must be" in m]) == 1
    assert at.radio(key="mode").value == "Sandbox"


def test_a_png_named_jpg_is_sent_with_a_matching_name():
    at = upload(open_page("npwp"), "card.jpg", SAMPLES[0].read())  # a PNG
    assert "the content is PNG" in shown_text(at)
    at.button(key="npwp_submit").click().run()
    assert history(at)[0]["record"].body["image"] == {
        "filename": "card.png",
        "content_type": "image/png",
        "size_bytes": len(SAMPLES[0].read()),
    }


def test_home_shows_all_five_pages_a_demo_with_journey_and_batch_and_the_openapi_document():
    at = open_page("home")
    assert [link.proto.page for link in at.main.get("page_link")] == ["npwp", "income", "journey", "batch", "history"]
    demo = next(m for m in messages(at, "markdown") if m.startswith("1. KYC journey"))
    assert "2. Batch" in demo and "PDF report" in demo
    assert any("/openapi.json" in m for m in messages(at, "markdown"))
    assert "home_openapi" in {button.key for button in at.get("download_button")}


def _in_order(node) -> list:
    """The page's elements in the order they are drawn (depth first)."""
    found = []
    for child in getattr(node, "children", {}).values():
        found.append(child)
        found.extend(_in_order(child))
    return found


@pytest.mark.parametrize("page", ["npwp", "income", "batch"])
def test_the_scenario_banner_says_what_is_true_under_the_title(page):
    at = open_page(page)
    at.selectbox(key="sandbox_scenario").set_value("quota_exceeded").run()
    elements = _in_order(at.main)
    kinds = [type(e).__name__ for e in elements]
    title = kinds.index("Title")
    banner = next(i for i, e in enumerate(elements) if type(e).__name__ == "Info" and "Sandbox scenario" in str(e.value))
    assert title < banner
    assert "every call from this page gets this answer until you set it back to None" in unescape(str(elements[banner].value))


def test_carrying_a_card_suggests_sex_and_birth_date_from_the_nik():
    card = next(s for s in SAMPLES if s.fields.get("nik"))
    at = upload(open_page("npwp"), card.file, card.read())
    at.button(key="npwp_submit").click().run()
    at.button(key="npwp_to_income").click().run()
    assert "Sex and birth date are suggested from the NIK." in " ".join(messages(at, "success"))
    at.switch_page("pages/income.py").run()
    from kyc import ids

    nik = ids.check_nik(card.fields["nik"])
    assert at.selectbox(key="sex").value == nik.sex and at.text_input(key="birthdate").value == nik.birth_date.isoformat()
    note = next(m for m in messages(at, "caption") if "from the NIK" in m)
    assert note.startswith(":material/auto_awesome: Sex (") and "birth date (" in note
    # Once changed, it is the applicant's own value: no longer marked.
    at.text_input(key="birthdate").set_value("1970-01-01")
    at.button(key="income_submit").click().run()
    (note,) = [m for m in messages(at, "caption") if "from the NIK" in m]
    assert "birth date" not in note and "Change it if the applicant's differs." in note


def test_the_request_and_response_panel_spans_the_page_under_both_columns():
    at = upload(open_page("npwp"), SAMPLES[0].file, SAMPLES[0].read())
    at.button(key="npwp_submit").click().run()
    (expander,) = [e for e in at.main.expander if "Request & response" in e.label]

    def trail(node, path):
        for child in getattr(node, "children", {}).values():
            here = [*path, type(child).__name__]
            if child is expander:
                return here
            found = trail(child, here)
            if found:
                return found
        return None

    path = trail(at.main, [])
    assert path and "Column" not in path  # drawn at the page's level, not squeezed into the right-hand column


# Identifiers that must never be a label a prospect reads (they stay in the inspector and exports).
CODE_WORDS = (
    "reference_id",
    "sequence_id",
    "no_record",
    "not_sent",
    "not_detected",
    "salary_band",
    "npwp_check",
    "HTTP no answer",
)


def _readable_text(at) -> str:
    """What the page says in words: Markdown and alerts with code spans left out, labels, table headings."""
    parts = []
    for kind in ("markdown", "caption", "error", "warning", "info", "success", "title", "subheader"):
        for element in getattr(at, kind):
            parts.append(re.sub(r"`[^`]*`", "", unescape(str(element.value))))
    parts += [m.label for m in at.metric] + [b.label for b in at.button]
    parts += [" ".join(map(str, frame.value.columns)) for frame in at.dataframe]
    parts += [e.label for e in at.expander]
    return "\n".join(parts)


def test_no_code_word_is_a_label_on_screen():
    from workflows.applicant_file import template_csv

    pages = []
    at = upload(open_page("npwp"), SAMPLES[0].file, SAMPLES[0].read())
    at.button(key="npwp_submit").click().run()
    pages.append(at)
    pages.append(fill(open_page("income"), **VALID))
    at = open_page("income")
    at.selectbox(key="sandbox_scenario").set_value("no_record").run()
    pages.append(fill(at, **VALID))
    at = open_page("batch")
    at.file_uploader(key="batch_file").set_value(("a.csv", template_csv(), "text/csv")).run()
    at.button(key="batch_run").click().run()
    assert at.session_state["batch_income_job"]["job"].wait(30)
    at.run()
    at.run()
    pages.append(at)
    at.switch_page("pages/history.py").run()
    pages.append(at)
    for at in pages:
        text = _readable_text(at)
        assert not [word for word in CODE_WORDS if word in text], text
        assert not re.search(r"\b(CONFIG|NETWORK|HTTP_\d{3}) ·", text)
        assert not re.search(r"\*\*id\*\*|^id$", text, re.M)
