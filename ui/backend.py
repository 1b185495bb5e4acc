"""Which backend a session talks to: the shared sandbox, or the vendors with its own credentials.

The sandbox is started once per process (``st.cache_resource``) and shared: it holds no
secret. Live clients are built per session, from that session's credentials, and kept in
that session's state only; nothing cached across sessions ever holds a key.
"""

from __future__ import annotations

import hashlib
import os
from typing import Any
from urllib.parse import urlsplit

import streamlit as st

import sandbox
from kyc.errors import KycError
from kyc.health import Health, check
from kyc.income import IncomeClient
from kyc.npwp import NpwpClient
from kyc.settings import LIVE, SANDBOX, Settings

# Sidebar widget keys for typed live credentials (session state only, never echoed).
CREDENTIAL_KEYS = {
    "verihubs_base_url": "live_verihubs_base_url",
    "verihubs_app_id": "live_verihubs_app_id",
    "verihubs_api_key": "live_verihubs_api_key",
    "income_url": "live_income_url",
    "income_partner_code": "live_income_partner_code",
    "income_partner_key": "live_income_partner_key",
}
_CLIENTS = "_clients"


@st.cache_resource(show_spinner="Starting the sandbox…")
def _sandbox_handle() -> sandbox.SandboxHandle:
    """One sandbox per app process, on a free loopback port."""
    return sandbox.start_in_thread(port=0)


def sandbox_url() -> str:
    """The sandbox to use: ``KYC_SANDBOX_URL`` if set, else the one this process started."""
    return os.environ.get("KYC_SANDBOX_URL") or _sandbox_handle().url


def file_secrets() -> dict[str, Any]:
    """``.streamlit/secrets.toml`` as a plain dict; empty when there is no such file."""
    try:
        return st.secrets.to_dict()
    except Exception:  # noqa: BLE001 - Streamlit raises several kinds when the file is absent
        return {}


def base_settings() -> Settings:
    """Settings from the environment and secrets.toml, before anything typed in the sidebar.

    A broken value (say KYC_MODE=production) is reported in the sidebar and the defaults are
    used, so the app still opens in sandbox mode.
    """
    try:
        return Settings.load(secrets=file_secrets())
    except KycError as error:
        st.sidebar.error(f"Configuration problem: {error.message} Using the sandbox defaults.", icon=":material/settings:")
        return Settings()


def preset_fields() -> set[str]:
    """Live settings already given by the environment or secrets.toml: not asked for in the sidebar."""
    return Settings.configured(secrets=file_secrets())


def session_settings(mode: str) -> Settings:
    """The settings for this session: environment and secrets.toml first, then what this session typed."""
    settings = base_settings()
    preset = preset_fields()
    typed: dict[str, Any] = {}
    for name, key in CREDENTIAL_KEYS.items():
        value = str(st.session_state.get(key) or "").strip()
        if value and name not in preset:
            typed[name] = value
    return settings.replace(mode=mode, sandbox_url=sandbox_url() if mode == SANDBOX else settings.sandbox_url, **typed)


def _fingerprint(settings: Settings, api: str, scenario: str | None) -> str:
    """Identify a client by everything that shapes it; keys only as a hash."""
    key = settings.verihubs_api_key.reveal() if api == "npwp" else settings.income_partner_key.reveal()
    parts = [api, settings.mode, settings.sandbox_url or "", settings.verihubs_base_url, settings.verihubs_app_id,
             settings.income_url, settings.income_partner_code, scenario or "", hashlib.sha256(key.encode()).hexdigest()]
    return "|".join(parts)


def client(settings: Settings, api: str, scenario: str | None) -> NpwpClient | IncomeClient:
    """This session's client for ``api``, reused across reruns so connections are kept alive.

    Raises ``KycError`` (CONFIG) when live mode lacks a URL or credential.
    """
    clients: dict[str, Any] = st.session_state.setdefault(_CLIENTS, {})
    key = _fingerprint(settings, api, scenario)
    if key not in clients:
        if len(clients) > 8:  # the sidebar changed many times: drop the old ones
            for old in clients.values():
                old.close()
            clients.clear()
        clients[key] = settings.npwp_client(scenario) if api == "npwp" else settings.income_client(scenario)
    return clients[key]


@st.cache_data(ttl=15, max_entries=16, show_spinner=False)
def _health(url: str) -> Health:
    return check(url)


def health(settings: Settings, api: str | None) -> tuple[bool, str]:
    """(healthy, label) for the badge. The sandbox has /health; a live vendor is probed at its root."""
    if settings.mode == SANDBOX:
        result = _health(sandbox_url().rstrip("/") + "/health")
        return result.ok, f"Sandbox {'healthy' if result.ok else 'down: ' + result.detail}"
    missing = settings.missing_live(api)
    if missing:
        return False, f"Live: {len(missing)} setting{'s' if len(missing) > 1 else ''} missing"
    target = settings.income_url if api == "income" else settings.verihubs_base_url
    root = "{0.scheme}://{0.netloc}/".format(urlsplit(target))
    result = _health(root)
    return result.ok, f"Live {'reachable' if result.ok else 'unreachable'}"


__all__ = ["LIVE", "SANDBOX", "base_settings", "client", "health", "sandbox_url", "session_settings"]
