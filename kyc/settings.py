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

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

from kyc.errors import KycError
from kyc.http import DEFAULT_TIMEOUT
from kyc.i18n import N_
from kyc.income import IncomeClient
from kyc.npwp import NpwpClient
from kyc.redact import Secret, strip_credentials

SANDBOX, LIVE = "sandbox", "live"
MODES = (SANDBOX, LIVE)
# The sandbox's own credentials (see sandbox/): public on purpose, they open nothing real.
SANDBOX_APP_ID, SANDBOX_API_KEY = "demo-app", "demo-key"
SANDBOX_PARTNER_CODE, SANDBOX_PARTNER_KEY = "demo", "demo-key"
INCOME_PATH = "/credit/data/feature/income/v1"
LIVE_VERIHUBS_URL = "https://api.verihubs.com"

# What live mode needs, in words, by environment variable.
LIVE_LABELS = {
    "VERIHUBS_BASE_URL": N_("the Verihubs base URL"),
    "VERIHUBS_APP_ID": N_("the Verihubs App-ID"),
    "VERIHUBS_API_KEY": N_("the Verihubs API-Key"),
    "INCOME_URL": N_("the TD income URL"),
    "INCOME_PARTNER_CODE": N_("the TD partner_code"),
    "INCOME_PARTNER_KEY": N_("the TD partner_key"),
}
# "Live mode needs …" for one, two or three missing settings: each label is a value of its own, so
# that ``KycError.message_in`` says it in the reader's language (the variable's name stays).
_NEEDS = (
    N_("Live mode needs {first} ({first_var})."),
    N_("Live mode needs {first} ({first_var}), {second} ({second_var})."),
    N_("Live mode needs {first} ({first_var}), {second} ({second_var}), {third} ({third_var})."),
)
# Field names as the CONFIG messages say them (values of their own, said in the reader's language).
_FIELD_WORDS = {
    "connect_timeout": N_("connect timeout"),
    "read_timeout": N_("read timeout"),
    "sandbox_url": N_("sandbox url"),
    "verihubs_base_url": N_("verihubs base url"),
    "income_url": N_("income url"),
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
    "KYC_BATCH_WORKERS": (None, "batch_workers"),
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
    batch_workers: int = 4  # concurrent calls in a batch run, 1 to 16

    @classmethod
    def load(cls, environ: Mapping[str, str] | None = None, secrets: Mapping[str, Any] | None = None) -> Settings:
        """Read the environment (``os.environ`` by default), then let ``secrets`` override it."""
        return cls.from_values(_given(environ, secrets))

    @staticmethod
    def configured(environ: Mapping[str, str] | None = None, secrets: Mapping[str, Any] | None = None) -> set[str]:
        """The field names that the environment or ``secrets`` set explicitly."""
        return set(_given(environ, secrets))

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> Settings:
        """Build from field names, checking every value (raises KycError CONFIG with the reason)."""
        return cls(**_checked({k: v for k, v in values.items() if k in cls.__dataclass_fields__}))

    def replace(self, **changes: Any) -> Settings:
        """A copy with some values changed (for example the sandbox URL once it is running)."""
        return replace(self, **_checked(changes))

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

    def probe_url(self, api: str | None = None) -> str:
        """Where to check that the backend answers, without a billable call.

        The sandbox has /health; a live vendor is probed at its root, where any HTTP answer
        (even 404) proves it is reachable.
        """
        if self.mode == SANDBOX:
            return self._sandbox() + "/health"
        target = self.income_url if api == "income" else self.verihubs_base_url
        return "{0.scheme}://{0.netloc}/".format(urlsplit(target))

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
            raise KycError.templated("CONFIG", N_("The sandbox is not running and KYC_SANDBOX_URL is not set."))
        return self.sandbox_url.rstrip("/")

    def _require(self, *names: str) -> None:
        missing = [name for name in self.missing_live() if name in names]
        if missing:
            places = ("first", "second", "third")
            if len(missing) <= len(_NEEDS):
                params: dict[str, str] = {}
                for place, name in zip(places, missing):
                    params[place], params[f"{place}_var"] = LIVE_LABELS[name], name
                raise KycError.templated("CONFIG", _NEEDS[len(missing) - 1], **params)
            wanted = ", ".join(f"{LIVE_LABELS[name]} ({name})" for name in missing)
            raise KycError("CONFIG", f"Live mode needs {wanted}.")


def _given(environ: Mapping[str, str] | None, secrets: Mapping[str, Any] | None) -> dict[str, Any]:
    """Field name -> value for everything the environment or ``secrets`` sets; ``secrets`` wins."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for var, (section, key) in ENV_VARS.items():
        from_secrets = _lookup(secrets, section, key)
        chosen = from_secrets if from_secrets not in (None, "") else environ.get(var)
        if chosen not in (None, ""):
            values[_field_name(section, key)] = chosen
    return values


_URL_FIELDS = ("sandbox_url", "verihubs_base_url", "income_url")
_TEXT_FIELDS = ("verihubs_app_id", "income_partner_code")
_SECRET_FIELDS = ("verihubs_api_key", "income_partner_key")


def _checked(values: Mapping[str, Any]) -> dict[str, Any]:
    """Normalise and check values by field name: text is text, URLs are http(s), timeouts finite."""
    fields = dict(values)
    if "mode" in fields:
        mode = str(fields["mode"]).strip().lower()
        if mode not in MODES:
            raise KycError.templated("CONFIG", N_("KYC_MODE must be 'sandbox' or 'live', not {mode}."), mode=repr(mode))
        fields["mode"] = mode
    for name in ("connect_timeout", "read_timeout"):
        if name in fields:
            try:
                seconds = float(fields[name])
            except (TypeError, ValueError):
                raise KycError.templated(
                    "CONFIG", N_("The {name} must be a number of seconds."), name=_FIELD_WORDS[name]
                ) from None
            if not (math.isfinite(seconds) and seconds > 0):
                raise KycError.templated("CONFIG", N_("The {name} must be a number of seconds above 0."), name=_FIELD_WORDS[name])
            fields[name] = seconds
    if "batch_workers" in fields:
        try:
            workers = int(str(fields["batch_workers"]).strip())
        except ValueError:
            raise KycError.templated("CONFIG", N_("KYC_BATCH_WORKERS must be a whole number from 1 to 16.")) from None
        if not 1 <= workers <= 16:
            raise KycError.templated("CONFIG", N_("KYC_BATCH_WORKERS must be a whole number from 1 to 16."))
        fields["batch_workers"] = workers
    for name in _TEXT_FIELDS:
        if name in fields:
            fields[name] = str(fields[name] if fields[name] is not None else "").strip()
    for name in _URL_FIELDS:
        if fields.get(name) not in (None, ""):
            url = str(fields[name]).strip()
            if not url.lower().startswith(("http://", "https://")):
                raise KycError.templated(
                    "CONFIG",
                    N_("The {name} must start with http:// or https://, not {url}."),
                    name=_FIELD_WORDS[name],
                    url=repr(url[:40]),
                )
            fields[name] = url
    if fields.get("income_url"):
        # TD documents "URL?partner_code=…&partner_key=…": take credentials out of the URL.
        fields["income_url"], taken = strip_credentials(fields["income_url"])
        for key, value in taken.items():
            fields.setdefault(f"income_{key}", value)
    for name in _SECRET_FIELDS:
        if name in fields:
            fields[name] = Secret(fields[name] if isinstance(fields[name], Secret) else str(fields[name] or "").strip())
    return fields


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
