"""Which backend a session talks to: the shared sandbox, or the vendors with its own credentials.

The sandbox is started once per process (``st.cache_resource``) and shared: it holds no
secret. Live clients are built per session, from that session's credentials, and kept in
that session's state only; nothing cached across sessions ever holds a key.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st
from streamlit import config as streamlit_config
from streamlit.runtime.scriptrunner import get_script_run_ctx

import cardocr
import sandbox
from cardocr import CardRead
from kyc.catalog import Catalog, fetch_catalog, fetch_sample
from kyc.errors import KycError
from kyc.health import Health, check
from kyc.income import IncomeClient
from kyc.npwp import NpwpClient
from kyc.settings import SANDBOX, Settings
from ui import i18n
from ui.i18n import N_, _, ngettext
from ui.text import esc
from workflows import audit, budget, metering, state_files

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
log = logging.getLogger("kyc.ui")

# card_layout's reasons, in English (it runs outside a page too): the page shows ``_(reason)``.
NO_OCR_ENGINE = N_("The field overlay is unavailable: the offline OCR engine cannot run on this computer.")
UNREADABLE = N_("The field overlay is unavailable: KYC Studio could not read this document on this computer.")


@st.cache_resource(show_spinner="Starting the sandbox…")
def _sandbox_handle() -> sandbox.SandboxHandle:
    """One sandbox per app process, on a free loopback port."""
    return sandbox.start_in_thread(port=0)


@dataclass(frozen=True)
class Config:
    """What the server is configured with (environment and secrets.toml), read once per rerun."""

    settings: Settings
    preset: frozenset[str]  # fields set there: the sidebar does not ask for them
    problem: str | None = None  # a configuration that could not be used, in words


def _secrets_paths() -> list[Path]:
    """The secrets files Streamlit reads (``secrets.files``: ~/.streamlit/ and ./.streamlit/)."""
    return [Path(name) for name in streamlit_config.get_option("secrets.files")]


def _file_secrets() -> tuple[dict[str, Any], str | None]:
    """``.streamlit/secrets.toml`` as a plain dict; empty (with a reason if it is broken) otherwise."""
    try:
        return st.secrets.to_dict(), None
    except Exception as error:  # noqa: BLE001 - Streamlit raises its own kinds, and OSError or UnicodeError as they come
        if not any(path.exists() for path in _secrets_paths()):
            return {}, None  # no file: the sandbox defaults, as on a new machine
        # Its text can quote the file's lines, keys included: never show it.
        if "pars" in str(error).lower():
            return {}, _("The .streamlit/secrets.toml file could not be parsed, so it is ignored.")
        return {}, _("The .streamlit/secrets.toml file could not be read, so it is ignored.")


def file_secrets() -> dict[str, Any]:
    """``.streamlit/secrets.toml`` as a plain dict (empty when there is none or it is broken)."""
    return _file_secrets()[0]


def broken_secrets_may_set(word: str) -> bool:
    """True when the secrets files exist but cannot be used and may set ``word``: one that cannot
    be parsed and mentions it anywhere (a table, a dotted key, even a comment), or one that cannot
    be read at all (a folder, no permission, not UTF-8). What such a file meant is unknown, so
    the settings that guard the server (the access code, the daily limit) fail closed on it.

    The file's text is read only for this; it is never shown.
    """
    if _file_secrets()[1] is None:
        return False
    texts = []
    for path in _secrets_paths():
        try:
            texts.append(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeError):
            continue
    text = "\n".join(texts)
    return not text.strip() or word.casefold() in text.casefold()


def load_config() -> Config:
    """The server's configuration. A broken value is reported and the sandbox defaults are used."""
    secrets, problem = _file_secrets()
    try:
        return Config(Settings.load(secrets=secrets), frozenset(Settings.configured(secrets=secrets)), problem)
    except KycError as error:
        return Config(
            Settings(),
            frozenset(),
            _("{problem} Using the sandbox defaults.").format(problem=error.message_in(i18n.current())),
        )


def sandbox_url(config: Config) -> str:
    """The sandbox to use: ``KYC_SANDBOX_URL`` (or secrets.toml's sandbox_url) if set, else the one this process started."""
    return config.settings.sandbox_url or _sandbox_handle().url


# Cached per sandbox URL, shared by every session: a catalogue holds demo data only. A failed
# read raises inside, so it is not cached and the next rerun tries again.
@st.cache_data(ttl=60, max_entries=8, show_spinner=False)
def _catalog(url: str) -> Catalog:
    return fetch_catalog(url)


def catalog(config: Config) -> tuple[Catalog, str | None]:
    """The sandbox's scenarios, personas and sample cards, or an empty catalogue and the reason."""
    try:
        return _catalog(sandbox_url(config)), None
    except KycError as error:
        return Catalog(), _("The sandbox's scenarios, personas and sample cards could not be read ({code}).").format(
            code=error.code
        )


@st.cache_data(ttl=3600, max_entries=8, show_spinner=False)
def sample_bytes(url: str) -> bytes:
    """A sample card's file from the sandbox. Raises ``KycError`` when it cannot be read."""
    return fetch_sample(url)


_INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff]")  # zero-width characters that ride along with a paste


def session_settings(config: Config, mode: str) -> Settings:
    """The settings for this session: the server's configuration first, then what this session typed."""
    typed: dict[str, Any] = {}
    for name, key in CREDENTIAL_KEYS.items():
        value = _INVISIBLE.sub("", str(st.session_state.get(key) or "")).strip()
        if value and name not in config.preset:
            typed[name] = value
    where = {"mode": mode, "sandbox_url": sandbox_url(config) if mode == SANDBOX else config.settings.sandbox_url}
    try:
        return config.settings.replace(**where, **typed)
    except KycError as error:  # e.g. a typed URL without http://: keep the session usable, say why
        st.sidebar.error(esc(error.message_in(i18n.current())), icon=":material/key:")
        return config.settings.replace(**where)


def _fingerprint(settings: Settings, api: str, scenario: str | None) -> str:
    """Identify a client by everything that shapes it; keys only as a hash."""
    key = settings.verihubs_api_key.reveal() if api == "npwp" else settings.income_partner_key.reveal()
    parts = [
        api,
        settings.mode,
        settings.sandbox_url or "",
        settings.verihubs_base_url,
        settings.verihubs_app_id,
        settings.income_url,
        settings.income_partner_code,
        scenario or "",
        hashlib.sha256(key.encode()).hexdigest(),
    ]
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
    if settings.mode == SANDBOX:
        return clients[key]
    # Live calls are billed: each goes through the server's budget and audit trail, as they are
    # now (wrapped on every call, so a limit changed since the client was made holds at once).
    return metering.metered(clients[key], meter(), session_tag())


@st.cache_resource(show_spinner=False)
def _meter(folder: str, limit: str, limit_unreadable: bool) -> metering.Meter:
    return metering.Meter.from_environment({state_files.ENV_VAR: folder, budget.ENV_VAR: limit}, limit_unreadable)


def meter() -> metering.Meter:
    """The server's budget and audit trail of live calls (``KYC_LIVE_DAILY_LIMIT``, ``KYC_STATE_DIR``).

    The limit is secrets.toml's root-level ``KYC_LIVE_DAILY_LIMIT``, else the environment's. A
    secrets file that cannot be parsed and may set it holds every live call (fail closed).
    """
    secrets = file_secrets()
    limit = str(secrets[budget.ENV_VAR]) if budget.ENV_VAR in secrets else os.environ.get(budget.ENV_VAR, "")
    return _meter(str(state_files.state_dir()), limit, broken_secrets_may_set(budget.ENV_VAR))


def limit_problem_text(current: metering.Meter) -> str | None:
    """Why ``current``'s daily limit itself holds every live call, in words; None when it does not."""
    problem = current.limit_problem()
    return None if problem is None else _(problem[0]).format(**problem[1])


def session_tag() -> str:
    """This browser session as the audit trail names it: a hash of its id."""
    run = get_script_run_ctx()
    session_id = run.session_id if run is not None else st.session_state.setdefault("_session_id", uuid.uuid4().hex)
    return audit.session_hash(session_id)


@st.cache_data(ttl=15, max_entries=16, show_spinner=False)
def _health(url: str) -> Health:
    return check(url)


#: The live settings as a person names them (the environment variable names are for set-up).
SETTING_LABELS = {
    "VERIHUBS_BASE_URL": N_("base URL"),
    "VERIHUBS_APP_ID": "App-ID",
    "VERIHUBS_API_KEY": "API-Key",
    "INCOME_URL": N_("income URL"),
    "INCOME_PARTNER_CODE": "partner_code",
    "INCOME_PARTNER_KEY": "partner_key",
}
VENDORS = {"npwp": "Verihubs", "income": "TD"}


def missing_text(settings: Settings, api: str) -> str | None:
    """ "Live mode needs 2 more Verihubs settings (App-ID, API-Key): …", or None when none is missing."""
    missing = settings.missing_live(api)
    if not missing:
        return None
    names = ", ".join(_(SETTING_LABELS[name]) for name in missing)
    return ngettext(
        "Live mode needs {count} more {vendor} setting ({names}): type it under Live credentials in the sidebar.",
        "Live mode needs {count} more {vendor} settings ({names}): type them under Live credentials in the sidebar.",
        len(missing),
    ).format(count=len(missing), vendor=VENDORS[api], names=names)


def spent_text(api: str) -> str | None:
    """Why no live call of ``api`` can go out today, in words; None while the budget has room."""
    current = meter()
    problem = limit_problem_text(current)
    if problem is not None:
        return problem
    usage = current.usage(api)
    if usage is None:
        return None if current.budget.limit is None else _("Today's count of live calls on this server cannot be read.")
    if usage.limit is not None and usage.left == 0:
        return _(
            "Today's budget of {limit} live {vendor} calls on this server is used up: nothing can be sent before midnight WIB."
        ).format(limit=usage.limit, vendor=VENDORS[api])
    return None


def health(settings: Settings, api: str | None) -> tuple[bool, str]:
    """(healthy, label) for the badge. The sandbox has /health; a live vendor is probed at its root."""
    if settings.mode == SANDBOX:
        result = _health(settings.probe_url(api))
        return result.ok, _("Sandbox healthy") if result.ok else _("Sandbox down: {detail}").format(detail=result.detail)
    vendor = VENDORS.get(api or "", "Live")
    missing = settings.missing_live(api)
    if missing:
        count = len(missing)
        return False, ngettext("{vendor}: {count} setting missing", "{vendor}: {count} settings missing", count).format(
            vendor=vendor, count=count
        )
    result = _health(settings.probe_url(api))
    return result.ok, (_("{vendor}: reachable") if result.ok else _("{vendor}: unreachable")).format(vendor=vendor)


def card_layout(data: bytes) -> tuple[CardRead | None, str | None]:
    """Where each field of the card in ``data`` is printed, from the app's own offline OCR (cardocr).

    (layout, None); (None, None) when the card was read but holds no NPWP; (None, a reason in
    words) when no OCR engine can run here or the document cannot be read. Never raises. The
    read is cached inside cardocr by the document's hash (the in-process sandbox shares it);
    the layout is cardocr's and must not be changed.
    """
    try:
        return cardocr.read_card(data), None
    except cardocr.EngineUnavailable:
        log.warning("card overlay: no offline OCR engine can run here")
        return None, NO_OCR_ENGINE
    except Exception as error:  # noqa: BLE001 - the overlay is an extra: never a traceback on the page
        # Only the type: the document's contents never go to the log.
        log.error("card overlay: unexpected %s while reading a card", type(error).__name__)
        return None, UNREADABLE


__all__ = [
    "CardRead", "Config", "card_layout", "catalog", "client", "health", "load_config", "sample_bytes", "session_settings",
]  # fmt: skip
