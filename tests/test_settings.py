"""kyc.settings: environment and secrets mapping, mode switching, and what live mode needs."""

from __future__ import annotations

import pytest

from kyc.errors import KycError
from kyc.settings import Settings

LIVE_ENV = {
    "KYC_MODE": "live",
    "VERIHUBS_APP_ID": "env-app",
    "VERIHUBS_API_KEY": "env-api-key-XYZ",
    "INCOME_URL": "https://td.example/credit/data/feature/income/v1",
    "INCOME_PARTNER_CODE": "env-partner",
    "INCOME_PARTNER_KEY": "env-partner-key-XYZ",
}


def test_defaults_are_sandbox_with_no_credentials():
    settings = Settings.load(environ={})
    assert settings.mode == "sandbox"
    assert settings.verihubs_base_url == "https://api.verihubs.com"
    assert not settings.verihubs_api_key and not settings.income_partner_key
    assert set(settings.missing_live()) == {
        "VERIHUBS_APP_ID",
        "VERIHUBS_API_KEY",
        "INCOME_URL",
        "INCOME_PARTNER_CODE",
        "INCOME_PARTNER_KEY",
    }


def test_sandbox_clients_use_the_sandbox_and_its_demo_credentials():
    settings = Settings.load(environ={"KYC_SANDBOX_URL": "http://127.0.0.1:9/"})
    npwp = settings.npwp_client(scenario="slow")
    income = settings.income_client(scenario="none")
    assert npwp.url == "http://127.0.0.1:9/ocr/npwp" and npwp.app_id == "demo-app" and npwp.scenario == "slow"
    assert income.url == "http://127.0.0.1:9/credit/data/feature/income/v1" and income.partner_code == "demo"
    assert income.scenario is None


def test_live_from_environment_ignores_scenarios():
    settings = Settings.load(environ=LIVE_ENV)
    assert settings.mode == "live" and settings.missing_live() == []
    npwp = settings.npwp_client(scenario="slow")
    assert npwp.url == "https://api.verihubs.com/ocr/npwp" and npwp.scenario is None
    assert settings.income_client().url == LIVE_ENV["INCOME_URL"]


def test_secrets_mapping_overrides_environment():
    secrets = {"mode": "live", "verihubs": {"app_id": "toml-app", "api_key": "toml-key"}, "income": {"url": "https://x/y"}}
    settings = Settings.load(environ=LIVE_ENV, secrets=secrets)
    assert settings.verihubs_app_id == "toml-app"
    assert settings.verihubs_api_key.reveal() == "toml-key"
    assert settings.income_url == "https://x/y"
    assert settings.income_partner_code == "env-partner"  # not in the mapping: environment stands


def test_live_without_credentials_says_what_is_missing():
    settings = Settings.load(environ={"KYC_MODE": "live"})
    with pytest.raises(KycError) as info:
        settings.income_client()
    assert info.value.code == "CONFIG"
    assert "INCOME_URL" in info.value.message and "INCOME_PARTNER_KEY" in info.value.message


def test_sandbox_mode_without_a_sandbox_url_is_a_clear_error():
    with pytest.raises(KycError) as info:
        Settings.load(environ={}).npwp_client()
    assert "sandbox is not running" in info.value.message


@pytest.mark.parametrize(
    "env, words",
    [
        ({"KYC_MODE": "production"}, "KYC_MODE"),
        ({"KYC_READ_TIMEOUT": "soon"}, "read timeout"),
        ({"KYC_READ_TIMEOUT": "nan"}, "above 0"),
        ({"INCOME_URL": "td.example/income"}, "http://"),
        ({"KYC_BATCH_WORKERS": "64"}, "1 to 16"),
        ({"KYC_CONNECT_TIMEOUT": "0"}, "above 0"),
    ],
)
def test_bad_values_are_config_errors(env, words):
    with pytest.raises(KycError) as info:
        Settings.load(environ=env)
    assert info.value.code == "CONFIG" and words in info.value.message


def test_timeouts_are_read_as_connect_and_read():
    settings = Settings.load(environ={"KYC_CONNECT_TIMEOUT": "2", "KYC_READ_TIMEOUT": "9.5", "KYC_SANDBOX_URL": "http://h"})
    assert settings.timeout == (2.0, 9.5)
    assert settings.income_client()._transport.timeout == (2.0, 9.5)


def test_replace_keeps_keys_secret():
    settings = Settings.load(environ={}).replace(mode="live", income_partner_key="typed-key")
    assert settings.income_partner_key.reveal() == "typed-key"
    assert "typed-key" not in repr(settings)


def test_credentials_in_the_income_url_are_taken_out_of_it():
    url = "https://td.example/credit/data/feature/income/v1?partner_code=acme&partner_key=TD-SECRET-in-url-99"
    settings = Settings.load(environ={"KYC_MODE": "live", "INCOME_URL": url})
    assert settings.income_url == "https://td.example/credit/data/feature/income/v1"
    assert settings.income_partner_code == "acme" and settings.income_partner_key.reveal() == "TD-SECRET-in-url-99"
    client = settings.income_client()
    assert "TD-SECRET" not in repr(settings) + repr(client) + client.url


def test_values_from_secrets_toml_of_any_type_become_text():
    settings = Settings.load(environ={}, secrets={"verihubs": {"app_id": 12345, "api_key": 987654321}})
    assert settings.verihubs_app_id == "12345" and settings.verihubs_api_key.reveal() == "987654321"


def test_header_values_that_cannot_be_sent_are_a_config_error():
    with pytest.raises(KycError) as info:
        Settings.load(environ={"KYC_MODE": "live", "VERIHUBS_APP_ID": "app\u200b", "VERIHUBS_API_KEY": "key€"}).npwp_client()
    assert info.value.code == "CONFIG" and "retype" in info.value.message
