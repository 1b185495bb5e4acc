"""The sidebar on every page: navigation, mode, live credentials, scenario picker, health badge."""

from __future__ import annotations

import hashlib
from typing import Any

import streamlit as st

from kyc.catalog import Catalog
from kyc.errors import KycError
from kyc.redact import Secret
from kyc.settings import LIVE, SANDBOX, Settings
from ui import backend, i18n, sandbox_words, state
from ui.i18n import N_, _, tr
from ui.text import esc
from workflows.i18n import Translator

PAGES = (
    ("app.py", N_("Home"), ":material/home:"),
    ("pages/npwp.py", N_("NPWP OCR"), ":material/badge:"),
    ("pages/income.py", N_("Income verification"), ":material/payments:"),
    ("pages/journey.py", N_("KYC journey"), ":material/route:"),
    ("pages/batch.py", N_("Batch"), ":material/table_view:"),
    ("pages/history.py", N_("Call history"), ":material/history:"),
)
_PANEL_OPEN = "_credentials_panel_open"
MODE_LABELS = {"Sandbox": SANDBOX, "Live": LIVE}  # the same words in both languages
# Pages whose API has scenarios. The batch page lists income's (flaky is made for it); the
# journey calls both APIs, so only names both know would apply there: it has no picker.
SCENARIO_API = {"npwp": "npwp", "income": "income", "batch": "income"}


def scenario_label(name: str, words: Translator | None = None) -> str:
    """ "quota_exceeded" -> "Quota exceeded"; "none" -> "None (normal answer)": in ``words``'s
    language, else the session's."""
    text = SCENARIO_WORDS.get(name, name.replace("_", " ").capitalize())
    return words.gettext(text) if words is not None else _(text)


#: Each scenario's name as a person reads it (the names themselves are the API's contract).
SCENARIO_WORDS = {
    "none": N_("None (normal answer)"),
    "not_detected": N_("Not detected"),
    "quota_exceeded": N_("Quota exceeded"),
    "server_error": N_("Server error"),
    "unauthorized": N_("Unauthorized"),
    "slow": N_("Slow"),
    "no_record": N_("No record"),
    "not_purchased": N_("Not purchased"),
    "service_not_purchased": N_("Service not purchased"),
    "suspended": N_("Suspended"),
    "no_balance": N_("No balance"),
    "expired": N_("Expired"),
    "internal_error": N_("Internal error"),
    "flaky": N_("Flaky"),
}


def navigation() -> None:
    st.markdown("### :material/verified_user: KYC Studio")
    for path, label, icon in PAGES:
        st.page_link(path, label=_(label), icon=icon)


def mode_picker(default: str) -> str:
    # The configured mode is the radio's own default (``index``), not a value written into
    # session state first: a value written before the widget registers is not what the browser
    # shows, and the browser's radio would put the page back into Sandbox on the next page.
    choice = st.radio(
        _("Mode"),
        list(MODE_LABELS),
        index=1 if default == LIVE else 0,
        key="mode",
        horizontal=True,
        persist_state="session",
        help=_("Sandbox answers offline with demo data. Live calls the vendors with your credentials."),
    )
    return MODE_LABELS[choice]


def credentials_panel(config: backend.Config, settings: Settings, mode: str, page: str) -> None:
    """Inputs for what secrets.toml does not provide. Typed values live in this session only."""
    fields = (
        ("verihubs_base_url", _("Verihubs base URL"), False, "https://api.verihubs.com"),
        ("verihubs_app_id", "Verihubs App-ID", False, ""),
        ("verihubs_api_key", "Verihubs API-Key", True, ""),
        ("income_url", _("TD income URL"), False, "https://…/income/v1"),
        ("income_partner_code", "TD partner_code", False, ""),
        ("income_partner_key", "TD partner_key", True, ""),
    )
    preset = config.preset
    # Open while something is missing, and stay open in live mode after that: otherwise the panel
    # would snap shut under the user's hands as soon as the last key this page needs is typed.
    if mode == LIVE and settings.missing_live(SCENARIO_API.get(page)):
        st.session_state[_PANEL_OPEN] = True
    with st.expander(
        ":material/key: " + _("Live credentials"), expanded=mode == LIVE and st.session_state.get(_PANEL_OPEN, False)
    ):
        for name, label, secret, placeholder in fields:
            key = backend.CREDENTIAL_KEYS[name]
            if name in preset:
                st.caption(":material/lock: " + _("{label}: configured on the server").format(label=label))
                continue
            st.text_input(
                label,
                key=key,
                type="password" if secret else "default",
                placeholder=placeholder,
                persist_state="session",
                autocomplete="off",
            )
        st.caption(_("Typed values stay in this browser session only: never saved, logged or exported."))


def scenario_picker(page: str, catalog: Catalog) -> str | None:
    api = SCENARIO_API.get(page)
    if api is None or not catalog.scenario_names(api):
        return None
    scenarios = catalog.scenarios[api]
    options = ["none", *scenarios]
    words = tr()
    if st.session_state.get("sandbox_scenario") not in options:
        st.session_state["sandbox_scenario"] = "none"  # the other page's scenario does not apply here
    chosen = st.selectbox(
        _("Sandbox scenario"),
        options,
        key="sandbox_scenario",
        # Bound to this run's language: Streamlit may call it again outside the script run.
        format_func=lambda name: scenario_label(name, words),
        persist_state="session",
        help=_("Forces one branch of the API on every call until set back to None:")
        + "\n"
        + "\n".join(
            f"- **{esc(scenario_label(k, words))}**: {esc(sandbox_words.scenario_text(api, k, v, words))}"
            for k, v in scenarios.items()
        ),
    )
    return None if chosen == "none" else chosen


def health_badge(settings: Settings, page: str) -> None:
    """The sandbox's health; in live mode one badge per API on every page, so the count of
    missing settings reads the same wherever it is read."""
    apis = ("npwp", "income") if settings.mode == LIVE else (SCENARIO_API.get(page),)
    for api in apis:
        ok, label = backend.health(settings, api)
        st.badge(label, icon=":material/check_circle:" if ok else ":material/error:", color="green" if ok else "red")


def live_budget(slot: Any | None = None) -> None:
    """Live mode: today's live calls per API on this server, against KYC_LIVE_DAILY_LIMIT when set.

    Drawn into ``slot`` (an ``st.empty()``), kept in the session for this run as
    ``state.BUDGET_SLOT``: ``ui.calls.run`` draws it again after each call, so the count on
    screen is never one behind.
    """
    if slot is None:
        slot = st.empty()
        state.put(state.BUDGET_SLOT, slot)
    meter = backend.meter()
    with slot.container():
        problem = backend.limit_problem_text(meter)
        if problem is not None:
            st.error(esc(problem), icon=":material/payments:")
        for api, vendor in backend.VENDORS.items():
            usage = meter.usage(api)
            if usage is None:
                line = _("{vendor}: the count of today's live calls cannot be read").format(vendor=vendor)
            elif usage.limit is None:
                line = _("{vendor} · live calls today: {used}").format(vendor=vendor, used=usage.used)
            else:
                line = _("{vendor} · live calls today: {used} of {limit}").format(
                    vendor=vendor, used=usage.used, limit=usage.limit
                )
            spent = usage is None or (usage.limit is not None and not usage.left)
            st.caption((":material/block: " if spent else ":material/payments: ") + esc(line))


def connection_tests(settings: Settings) -> None:
    """Live mode: a "Test connection" button per API, proving the URL and the credentials
    without a billed call (kyc.connection); disabled, with the reason, while settings are missing."""
    for api, label in (("npwp", _("Test Verihubs connection")), ("income", _("Test TD connection"))):
        missing = backend.missing_text(settings, api)
        key = f"test_connection_{api}"
        if st.button(label, key=key, icon=":material/network_check:", disabled=bool(missing), width="stretch",
                     help=missing or _("Proves the URL and the credentials with a request the vendor refuses for "
                     "its payload after checking the keys: nothing is extracted or billed.")):  # fmt: skip
            try:
                check = backend.client(settings, api, None).test_connection()
            except KycError as error:
                st.session_state[key + "_result"] = (_fingerprint(settings, api), False, error)
            else:
                state.remember(check.record)
                st.session_state[key + "_result"] = (_fingerprint(settings, api), check.ok, check)
        shown = st.session_state.get(key + "_result")
        # A verdict on other settings than those now in use would be a wrong answer: shown only while they hold.
        if shown and shown[0] == _fingerprint(settings, api):
            (st.success if shown[1] else st.warning)(esc(_said(shown[2])), icon=":material/network_check:")


def _said(outcome: object) -> str:
    """A connection test's verdict (a ConnectionCheck, or the KycError it raised) in the session's
    language; kept as the object, so a change of language says it again in the new one."""
    lang = i18n.current()
    message_in = getattr(outcome, "message_in", None)
    if callable(message_in):
        return message_in(lang)
    return str(getattr(outcome, "message", outcome))  # a ConnectionCheck without message_in: its English


def _fingerprint(settings: Settings, api: str) -> str:
    """A digest of the API's URL and credentials (never stored or shown themselves)."""
    names = [name for name in backend.SETTING_LABELS if name.startswith("VERIHUBS_" if api == "npwp" else "INCOME_")]
    values = [getattr(settings, name.lower(), "") for name in names]
    values = [value.reveal() if isinstance(value, Secret) else str(value or "") for value in values]
    return hashlib.sha256("\0".join(values).encode()).hexdigest()
