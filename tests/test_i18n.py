"""Bahasa Indonesia and English: the catalogs are complete, the selector works, sessions stay apart."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from streamlit.testing.v1 import AppTest

from kyc.i18n import catalog
from tests.apptest_helpers import ROOT, open_page
from workflows.i18n import translator

CATALOGS = sorted(ROOT.glob("locales/id/LC_MESSAGES/*.po")) + sorted(ROOT.glob("kyc/locales/id/LC_MESSAGES/*.po"))


def _messages(path: Path):
    with path.open("rb") as handle:
        return [m for m in read_po(handle, locale="id") if m.id]


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_message_has_an_indonesian_translation_and_none_is_fuzzy(path):
    messages = _messages(path)
    assert messages
    untranslated = [m.id for m in messages if not (m.string if isinstance(m.string, str) else all(m.string))]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert not untranslated and not fuzzy


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_translations_keep_their_placeholders(path):
    import re

    for message in _messages(path):
        source = message.id if isinstance(message.id, str) else message.id[0]
        target = message.string if isinstance(message.string, str) else message.string[0]
        assert set(re.findall(r"\{\w+\}", source)) == set(re.findall(r"\{\w+\}", target)), source


def test_the_catalog_is_read_from_the_po_when_no_mo_was_compiled(tmp_path):
    folder = tmp_path / "id" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    folder.joinpath("demo.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Home"\nmsgstr "Beranda"\n'
    )
    assert catalog(str(tmp_path), "demo", "id").gettext("Home") == "Beranda"
    assert catalog(str(tmp_path), "demo", "xx").gettext("Home") == "Home"


def test_babel_formats_dates_numbers_and_amounts_per_language():
    import datetime as dt

    indonesian, english = translator("id"), translator("en")
    assert indonesian.date(dt.date(1990, 5, 12)) == "12 Mei 1990" and english.date(dt.date(1990, 5, 12)) == "12 May 1990"
    assert indonesian.rupiah(5_500_000) == "Rp 5.500.000" and english.rupiah(5_500_000) == "IDR 5,500,000"
    assert indonesian.number(1234.5, 1) == "1.234,5"
    assert translator("id-ID").lang == "id" and translator("fr").lang == "en" and translator(None).lang == "en"


def _start(lang: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    if lang:
        at.query_params["lang"] = lang
    return at.run()


def _nav(at: AppTest) -> list[str]:
    return [link.proto.label for link in at.sidebar.get("page_link")]


def test_the_selector_offers_both_languages_by_name():
    at = _start()
    selector = at.selectbox(key="lang")
    assert selector.options == ["Bahasa Indonesia", "English"] and selector.value == "en"  # no browser locale: English


def test_lang_in_the_url_opens_the_app_in_that_language():
    at = _start("id")
    assert at.selectbox(key="lang").value == "id"
    assert "Beranda" in _nav(at) and "Verifikasi penghasilan" in _nav(at)
    assert "Home" in _nav(_start("en"))


def test_the_choice_holds_across_pages():
    at = open_page("home")
    at.selectbox(key="lang").set_value("id").run()
    at.switch_page("pages/income.py").run()
    assert not at.exception
    assert at.selectbox(key="lang").value == "id" and at.title[0].value.endswith("Verifikasi penghasilan")


def test_two_sessions_in_two_languages_never_change_each_others_words():
    indonesian, english = _start("id"), _start("en")
    for _ in range(3):  # interleaved runs, each in its own session
        indonesian.switch_page("pages/income.py").run()
        english.switch_page("pages/income.py").run()
        assert indonesian.title[0].value.endswith("Verifikasi penghasilan")
        assert english.title[0].value.endswith("Income verification")
        indonesian.switch_page("app.py").run()
        english.switch_page("app.py").run()
        assert "Beranda" in _nav(indonesian) and "Home" in _nav(english)


def test_a_vendor_error_reads_in_the_sessions_language_with_its_code():
    from tests.apptest_helpers import messages
    from tests.test_pages import VALID, fill

    at = _start("id")
    at.switch_page("pages/income.py").run()
    at.selectbox(key="sandbox_scenario").set_value("service_not_purchased").run()
    fill(at, **VALID)
    (error,) = messages(at, "error")
    assert error.startswith("Layanan verifikasi penghasilan belum dibeli untuk akun ini.")
    assert error.endswith(":small[Kode TD 301]")
    assert history_code(at) == "301"  # the code itself never changes


def history_code(at) -> str:
    from tests.apptest_helpers import history

    return history(at)[-1]["code"]


def test_kyc_messages_in_indonesian_keep_the_vendors_detail():
    from kyc.errors import KycError, describe, failure

    assert describe("9060", "name", "income", "id") == "Ada data wajib yang belum diisi: name."
    assert describe("HTTP_418", "", None, "id") == "Vendor menolak permintaan (HTTP 418)."
    error = failure("OCR_40004")
    assert error.message_in("id").startswith("Kuota pengujian Verihubs") and error.message.startswith("The Verihubs")
    assert KycError("TIMEOUT").message_in("id").startswith("Vendor tidak menjawab tepat waktu")
    assert KycError("X", "Something only in English.").message_in("id") == "Something only in English."
