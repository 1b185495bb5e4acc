"""Where the clients point and with which credentials: the sandbox by default, the vendors by configuration.

Values come from environment variables, then from an optional mapping shaped like
``.streamlit/secrets.toml`` (the app passes ``st.secrets``), which wins::

    mode = "live"
    [verihubs]
    app_id = "..."      api_key = "..."      base_url = "https://api.verihubs.com"
    [income]
    partner_code = "..." partner_key = "..."  url = "https://.../credit/data/feature/income/v1"
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from kyc.errors import KycError, describe
from kyc.http import DEFAULT_TIMEOUT
from kyc.income import IncomeClient
from kyc.npwp import NpwpClient
from kyc.redact import Secret

SANDBOX, LIVE = "sandbox", "live"
MODES = (SANDBOX, LIVE)
# The sandbox's own credentials (see sandbox/): public on purpose, they open nothing real.
SANDBOX_APP_ID, SANDBOX_API_KEY = "demo-app", "demo-key"
SANDBOX_PARTNER_CODE, SANDBOX_PARTNER_KEY = "demo", "demo-key"
INCOME_PATH = "/credit/data/feature/income/v1"
LIVE_VERIHUBS_URL = "https://api.verihubs.com"

# What live mode needs, in words, by environment variable.
LIVE_LABELS = {
    "VERIHUBS_BASE_URL": "the Verihubs base URL",
    "VERIHUBS_APP_ID": "the Verihubs App-ID",
    "VERIHUBS_API_KEY": "the Verihubs API-Key",
    "INCOME_URL": "the TD income URL",
    "INCOME_PARTNER_CODE": "the TD partner_code",
    "INCOME_PARTNER_KEY": "the TD partner_key",
}
# Environment variable -> (secrets.toml section, key). Every one is documented in the README.
ENV_VARS: dict[str, tuple[str | None, str]] = {
    "KYC_MODE": (None, "mode"),
    "KYC_SANDBOX_URL": (None, "sandbox_url"),
    "VERIHUBS_BASE_URL": ("verihubs", "base_url"),
    "VERIHUBS_APP_ID": ("verihubs", "app_id"),
    "VERIHUBS_API_KEY": ("verihubs", "api_key"),
    "INCOME_URL": ("income", "url"),
    "INCOME_PARTNER_CODE": ("income", "partner_code"),
    "INCOME_PARTNER_KEY": ("income", "partner_key"),
    "KYC_CONNECT_TIMEOUT": (None, "connect_timeout"),
    "KYC_READ_TIMEOUT": (None, "read_timeout"),
}


@dataclass(frozen=True)
class Settings:
    """Mode, URLs, credentials and timeouts. Keys are ``Secret``: the repr never shows them."""

    mode: str = SANDBOX
    sandbox_url: str | None = None
    verihubs_base_url: str = LIVE_VERIHUBS_URL
    verihubs_app_id: str = ""
    verihubs_api_key: Secret = field(default_factory=Secret)
    income_url: str = ""
    income_partner_code: str = ""
    income_partner_key: Secret = field(default_factory=Secret)
    connect_timeout: float = DEFAULT_TIMEOUT[0]
    read_timeout: float = DEFAULT_TIMEOUT[1]

    @classmethod
    def load(cls, environ: Mapping[str, str] | None = None, secrets: Mapping[str, Any] | None = None) -> Settings:
        """Read the environment (``os.environ`` by default), then let ``secrets`` override it."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for var, (section, key) in ENV_VARS.items():
            raw = environ.get(var)
            from_secrets = _lookup(secrets, section, key)
            chosen = from_secrets if from_secrets not in (None, "") else raw
            if chosen not in (None, ""):
                values[_field_name(section, key)] = chosen
        return cls.from_values(values)

    @staticmethod
    def configured(environ: Mapping[str, str] | None = None, secrets: Mapping[str, Any] | None = None) -> set[str]:
        """The field names that the environment or ``secrets`` set explicitly."""
        environ = os.environ if environ is None else environ
        return {
            _field_name(section, key)
            for var, (section, key) in ENV_VARS.items()
            if environ.get(var) not in (None, "") or _lookup(secrets, section, key) not in (None, "")
        }

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> Settings:
        """Build from field names, checking the mode and the timeouts."""
        fields = dict(values)
        mode = str(fields.get("mode", SANDBOX)).strip().lower()
        if mode not in MODES:
            raise KycError("CONFIG", describe("CONFIG", f"KYC_MODE must be 'sandbox' or 'live', not {mode!r}"))
        fields["mode"] = mode
        for name in ("connect_timeout", "read_timeout"):
            if name in fields:
                try:
                    fields[name] = float(fields[name])
                except (TypeError, ValueError):
                    raise KycError("CONFIG", describe("CONFIG", f"{name} must be a number of seconds")) from None
                if fields[name] <= 0:
                    raise KycError("CONFIG", describe("CONFIG", f"{name} must be above 0"))
        for name in ("verihubs_api_key", "income_partner_key"):
            fields[name] = Secret(fields.get(name))
        return cls(**{k: v for k, v in fields.items() if k in cls.__dataclass_fields__})

    def replace(self, **changes: Any) -> Settings:
        """A copy with some values changed (for example the sandbox URL once it is running)."""
        for name in ("verihubs_api_key", "income_partner_key"):
            if name in changes:
                changes[name] = Secret(changes[name])
        return replace(self, **changes)

    @property
    def timeout(self) -> tuple[float, float]:
        return (self.connect_timeout, self.read_timeout)

    def missing_live(self, api: str | None = None) -> list[str]:
        """What live mode still lacks, by environment variable name; for one API ("npwp" or "income"), or both."""
        needed = {
            "VERIHUBS_BASE_URL": self.verihubs_base_url,
            "VERIHUBS_APP_ID": self.verihubs_app_id,
            "VERIHUBS_API_KEY": self.verihubs_api_key,
            "INCOME_URL": self.income_url,
            "INCOME_PARTNER_CODE": self.income_partner_code,
            "INCOME_PARTNER_KEY": self.income_partner_key,
        }
        prefix = {"npwp": "VERIHUBS_", "income": "INCOME_"}.get(api or "", "")
        return [name for name, value in needed.items() if not value and name.startswith(prefix)]

    def npwp_client(self, scenario: str | None = None) -> NpwpClient:
        """An NPWP client for the active mode; the scenario header is sent to the sandbox only."""
        if self.mode == SANDBOX:
            return NpwpClient(self._sandbox(), SANDBOX_APP_ID, SANDBOX_API_KEY, self.timeout, scenario)
        self._require("VERIHUBS_BASE_URL", "VERIHUBS_APP_ID", "VERIHUBS_API_KEY")
        return NpwpClient(self.verihubs_base_url, self.verihubs_app_id, self.verihubs_api_key, self.timeout)

    def income_client(self, scenario: str | None = None) -> IncomeClient:
        """An income client for the active mode; the scenario header is sent to the sandbox only."""
        if self.mode == SANDBOX:
            url = self._sandbox() + INCOME_PATH
            return IncomeClient(url, SANDBOX_PARTNER_CODE, SANDBOX_PARTNER_KEY, self.timeout, scenario)
        self._require("INCOME_URL", "INCOME_PARTNER_CODE", "INCOME_PARTNER_KEY")
        return IncomeClient(self.income_url, self.income_partner_code, self.income_partner_key, self.timeout)

    def _sandbox(self) -> str:
        if not self.sandbox_url:
            raise KycError("CONFIG", "The sandbox is not running and KYC_SANDBOX_URL is not set.")
        return self.sandbox_url.rstrip("/")

    def _require(self, *names: str) -> None:
        missing = [name for name in self.missing_live() if name in names]
        if missing:
            wanted = ", ".join(f"{LIVE_LABELS[name]} ({name})" for name in missing)
            raise KycError("CONFIG", describe("CONFIG", "it needs " + wanted))


def _field_name(section: str | None, key: str) -> str:
    return f"{section}_{key}" if section else key


def _lookup(secrets: Mapping[str, Any] | None, section: str | None, key: str) -> Any:
    if not secrets:
        return None
    try:
        scope = secrets.get(section) if section else secrets
        return scope.get(key) if scope is not None else None
    except (AttributeError, TypeError):
        return None
