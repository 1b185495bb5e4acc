"""The access code: with one set, a session sees only the sign-in form, on every page and every
deep link, until it types the code; wrong codes are refused, five in a row hold it a minute."""

from __future__ import annotations

import logging

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest_helpers import PAGES, ROOT, open_page, shown_text
from workflows import access

CODE = "demo-Jakarta-2026"


# --- The check itself ----------------------------------------------------------------------


def test_the_code_matches_only_itself():
    assert access.matches(CODE, CODE) and access.matches(CODE, f"  {CODE} ")
    assert not access.matches(CODE, CODE.upper()) and not access.matches(CODE, CODE[:-1]) and not access.matches(CODE, "")


def test_the_comparison_is_constant_time_over_digests(monkeypatch):
    compared = []
    real = access.hmac.compare_digest
    monkeypatch.setattr(access.hmac, "compare_digest", lambda a, b: compared.append((a, b)) or real(a, b))
    access.matches(CODE, "x")
    # Equal-length digests, never the codes: the time says nothing of the code or its length.
    assert [(len(a), len(b)) for a, b in compared] == [(32, 32)]
    assert all(CODE.encode() not in side and b"x" != side for side in compared[0])


def test_five_wrong_codes_hold_the_session_for_a_minute():
    now = [1000.0]
    tries = access.Tries()
    for _ in range(4):
        assert not tries.attempt(CODE, "guess", clock=lambda: now[0])
        assert tries.held_for(lambda: now[0]) == 0
    assert not tries.attempt(CODE, "guess", clock=lambda: now[0])
    assert tries.held_for(lambda: now[0]) == 60
    now[0] += 30
    assert not tries.attempt(CODE, CODE, clock=lambda: now[0])  # held: even the right code waits
    now[0] += 30
    assert tries.attempt(CODE, CODE, clock=lambda: now[0])


def test_secrets_toml_wins_over_the_environment():
    env = {"KYC_ACCESS_CODE": "from-env"}
    assert access.configured_code(env, {"access": {"code": "from-secrets"}}) == "from-secrets"
    assert access.configured_code(env, {}) == "from-env"
    assert access.configured_code({"KYC_ACCESS_CODE": "  "}, {"access": {"code": ""}}) is None


def test_the_pass_a_session_keeps_is_not_the_code():
    assert CODE not in access.pass_for(CODE) and access.pass_for(CODE) != access.pass_for(CODE + "x")


# --- The pages (AppTest) -------------------------------------------------------------------


@pytest.fixture()
def with_code(monkeypatch):
    monkeypatch.setenv("KYC_ACCESS_CODE", CODE)


def only_the_sign_in_form(at: AppTest) -> None:
    assert not at.exception, at.exception
    assert [t.key for t in at.text_input] == ["access_code"]
    assert at.text_input(key="access_code").proto.type == at.text_input(key="access_code").proto.PASSWORD
    assert [b.label for b in at.button] == ["Sign in"]
    assert len(at.sidebar) == 0, "the sidebar draws nothing before sign-in"
    for kind in ("selectbox", "radio", "file_uploader", "dataframe", "tabs", "expander", "metric", "download_button"):
        assert len(at.get(kind)) == 0, kind
    text = shown_text(at)
    for seen_after_sign_in in ("Sandbox", "Upload an NPWP card", "Verify income", "persona", "Rina", "scenario"):
        assert seen_after_sign_in not in text


def sign_in(at: AppTest, code: str) -> AppTest:
    at.text_input(key="access_code").input(code)
    at.button[0].click()
    return at.run()


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_shows_only_the_sign_in_form(with_code, page):
    only_the_sign_in_form(open_page(page))


@pytest.mark.parametrize("path", [p for p in PAGES.values() if p])
def test_a_deep_link_shows_only_the_sign_in_form(with_code, path):
    only_the_sign_in_form(AppTest.from_file(str(ROOT / path), default_timeout=30).run())


def test_a_wrong_code_is_refused_and_the_right_one_opens_every_page(with_code, caplog):
    at = open_page("home")
    with caplog.at_level(logging.DEBUG):
        sign_in(at, "not-the-code")
    only_the_sign_in_form(at)
    assert "That is not the access code" in shown_text(at)
    assert "access_code" not in at.session_state, "the session does not keep what was typed"
    sign_in(at, CODE)
    assert not at.exception
    assert "A one-minute demo" in shown_text(at) and at.radio(key="mode").value == "Sandbox"
    for page, path in PAGES.items():
        if path:
            at.switch_page(path).run()
            assert not at.exception and "access_code" not in [t.key for t in at.text_input], page
    assert CODE not in caplog.text and "not-the-code" not in caplog.text
    assert CODE not in str(at.session_state) + shown_text(at)


def test_five_wrong_codes_hold_the_session(with_code):
    at = open_page("npwp")
    for _ in range(5):
        sign_in(at, "guess")
    assert "Too many wrong codes: this browser can try again in 60 seconds." in shown_text(at)
    sign_in(at, CODE)  # held: not even checked
    only_the_sign_in_form(at)
    assert "try again in" in shown_text(at)


def test_a_new_code_on_the_server_signs_sessions_out(with_code, monkeypatch):
    at = sign_in(open_page("home"), CODE)
    assert "A one-minute demo" in shown_text(at)
    monkeypatch.setenv("KYC_ACCESS_CODE", "a-new-code")
    only_the_sign_in_form(at.run())


def test_without_a_code_the_app_opens_as_before(monkeypatch):
    monkeypatch.delenv("KYC_ACCESS_CODE", raising=False)
    at = open_page("home")
    assert "A one-minute demo" in shown_text(at) and "access_code" not in [t.key for t in at.text_input]


def test_the_sign_in_form_speaks_indonesian(with_code):
    from tests.apptest_helpers import open_in

    at = open_in("id", "pages/npwp.py")
    text = shown_text(at)
    assert "access code" not in text.lower() and "invited" not in text
    assert [b.label for b in at.button] != ["Sign in"]


@pytest.mark.parametrize("page", ["home", "batch"])
def test_a_code_in_secrets_toml_keeps_the_pages_shut(secrets_file, page, monkeypatch):
    monkeypatch.delenv("KYC_ACCESS_CODE", raising=False)
    secrets_file.write_text('[access]\ncode = "from-the-file-1"\n')
    at = open_page(page)
    only_the_sign_in_form(at)
    assert "from-the-file-1" not in shown_text(at)


@pytest.mark.parametrize(
    "text",
    [
        '[access]\ncode = "unterminated\n',
        'KYC_ACCESS_CODE = "x\nmode = live\n',
        'access.code = "from-a-dotted-key"\nmode = live\n',
        'access = {code = "inline"}\n[income\n',
    ],
)
def test_a_broken_secrets_file_that_sets_a_code_keeps_every_page_shut(secrets_file, text, monkeypatch):
    monkeypatch.delenv("KYC_ACCESS_CODE", raising=False)
    secrets_file.write_text(text)
    for page, path in PAGES.items():
        at = open_page("home") if not path else AppTest.from_file(str(ROOT / path), default_timeout=30).run()
        assert not at.exception, at.exception
        assert "This server's access code cannot be read" in shown_text(at), page
        assert not at.text_input and not at.button and len(at.sidebar) == 0, page
        assert "unterminated" not in shown_text(at)


def test_a_broken_secrets_file_without_a_code_opens_as_before_and_says_it_is_ignored(secrets_file, monkeypatch):
    monkeypatch.delenv("KYC_ACCESS_CODE", raising=False)
    secrets_file.write_text('mode = "live\n[verihubs]\n')
    at = open_page("home")
    assert "could not be parsed, so it is ignored" in shown_text(at)
    assert at.radio(key="mode").value == "Sandbox"


def test_a_secrets_file_that_cannot_be_read_keeps_every_page_shut(secrets_file, monkeypatch):
    # A mount whose host file was missing (Docker makes a folder there), a file in UTF-16, a
    # file this user may not read: what it sets cannot be known, so nothing opens.
    monkeypatch.delenv("KYC_ACCESS_CODE", raising=False)
    secrets_file.mkdir()
    at = open_page("home")
    assert not at.exception, at.exception
    assert "This server's access code cannot be read" in shown_text(at)
    assert not at.text_input and not at.button and len(at.sidebar) == 0


def test_a_secrets_file_in_utf16_keeps_every_page_shut(secrets_file, monkeypatch):
    monkeypatch.delenv("KYC_ACCESS_CODE", raising=False)
    secrets_file.write_bytes('[access]\ncode = "x"\n'.encode("utf-16"))
    assert "This server's access code cannot be read" in shown_text(open_page("home"))


@pytest.mark.parametrize("text", ['access = "a-code-not-in-a-table"\n', '[access]\ncode = ""\n', "[access]\ncode = [1]\n"])
def test_an_access_setting_that_holds_no_code_keeps_every_page_shut(secrets_file, text, monkeypatch):
    monkeypatch.delenv("KYC_ACCESS_CODE", raising=False)
    secrets_file.write_text(text)
    at = open_page("batch")
    assert "This server's access setting holds no code" in shown_text(at)
    assert not at.text_input and not at.button and "a-code-not-in-a-table" not in shown_text(at)


def test_a_code_at_the_root_of_secrets_toml_counts(secrets_file, monkeypatch):
    monkeypatch.delenv("KYC_ACCESS_CODE", raising=False)
    secrets_file.write_text('KYC_ACCESS_CODE = "root-level-code-3"\n')
    at = open_page("home")
    only_the_sign_in_form(at)
    sign_in(at, "root-level-code-3")
    assert "A one-minute demo" in shown_text(at)


def _signed_in_script():
    import streamlit as st

    from ui import access as ui_access

    st.write(f"signed in: {ui_access.signed_in()}")


def test_signed_in_holds_only_for_the_code_set_now(monkeypatch):
    # What a batch's progress fragment asks on each poll, without page_setup.
    at = AppTest.from_function(_signed_in_script).run()
    assert at.markdown[0].value == "signed in: True", "no code: open"
    monkeypatch.setenv("KYC_ACCESS_CODE", CODE)
    assert at.run().markdown[0].value == "signed in: False"
    at.session_state["_access_pass"] = access.pass_for(CODE)
    assert at.run().markdown[0].value == "signed in: True"
    monkeypatch.setenv("KYC_ACCESS_CODE", "a-new-code-on-the-server")
    assert at.run().markdown[0].value == "signed in: False"
