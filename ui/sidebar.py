"""The sidebar on every page: navigation, mode, live credentials, scenario picker, health badge."""

from __future__ import annotations

import streamlit as st

from kyc.catalog import Catalog
from kyc.settings import LIVE, SANDBOX, Settings
from ui import backend
from ui.text import esc

PAGES = (
    ("app.py", "Home", ":material/home:"),
    ("pages/npwp.py", "NPWP OCR", ":material/badge:"),
    ("pages/income.py", "Income verification", ":material/payments:"),
    ("pages/journey.py", "KYC journey", ":material/route:"),
    ("pages/batch.py", "Batch", ":material/table_view:"),
    ("pages/history.py", "Call history", ":material/history:"),
)
_PANEL_OPEN = "_credentials_panel_open"
MODE_LABELS = {"Sandbox": SANDBOX, "Live": LIVE}
# Pages whose API has scenarios. The batch page lists income's (flaky is made for it); the
# journey calls both APIs, so only names both know would apply there: it has no picker.
SCENARIO_API = {"npwp": "npwp", "income": "income", "batch": "income"}


def scenario_label(name: str) -> str:
    """ "quota_exceeded" -> "Quota exceeded"; "none" -> "None (normal answer)"."""
    return "None (normal answer)" if name == "none" else name.replace("_", " ").capitalize()


def navigation() -> None:
    st.markdown("### :material/verified_user: KYC Studio")
    for path, label, icon in PAGES:
        st.page_link(path, label=label, icon=icon)


def mode_picker(default: str) -> str:
    st.session_state.setdefault("mode", "Live" if default == LIVE else "Sandbox")
    choice = st.radio(
        "Mode",
        list(MODE_LABELS),
        key="mode",
        horizontal=True,
        persist_state="session",
        help="Sandbox answers offline with demo data. Live calls the vendors with your credentials.",
    )
    return MODE_LABELS[choice]


def credentials_panel(config: backend.Config, settings: Settings, mode: str, page: str) -> None:
    """Inputs for what secrets.toml does not provide. Typed values live in this session only."""
    fields = (
        ("verihubs_base_url", "Verihubs base URL", False, "https://api.verihubs.com"),
        ("verihubs_app_id", "Verihubs App-ID", False, ""),
        ("verihubs_api_key", "Verihubs API-Key", True, ""),
        ("income_url", "TD income URL", False, "https://…/income/v1"),
        ("income_partner_code", "TD partner_code", False, ""),
        ("income_partner_key", "TD partner_key", True, ""),
    )
    preset = config.preset
    # Open while something is missing, and stay open in live mode after that: otherwise the panel
    # would snap shut under the user's hands as soon as the last key this page needs is typed.
    if mode == LIVE and settings.missing_live(SCENARIO_API.get(page)):
        st.session_state[_PANEL_OPEN] = True
    with st.expander(":material/key: Live credentials", expanded=mode == LIVE and st.session_state.get(_PANEL_OPEN, False)):
        for name, label, secret, placeholder in fields:
            key = backend.CREDENTIAL_KEYS[name]
            if name in preset:
                st.caption(f":material/lock: {label}: configured on the server")
                continue
            st.text_input(
                label,
                key=key,
                type="password" if secret else "default",
                placeholder=placeholder,
                persist_state="session",
                autocomplete="off",
            )
        st.caption("Typed values stay in this browser session only: never saved, logged or exported.")


def scenario_picker(page: str, catalog: Catalog) -> str | None:
    api = SCENARIO_API.get(page)
    if api is None or not catalog.scenario_names(api):
        return None
    scenarios = catalog.scenarios[api]
    options = ["none", *scenarios]
    if st.session_state.get("sandbox_scenario") not in options:
        st.session_state["sandbox_scenario"] = "none"  # the other page's scenario does not apply here
    chosen = st.selectbox(
        "Sandbox scenario",
        options,
        key="sandbox_scenario",
        format_func=scenario_label,
        persist_state="session",
        help="Forces one branch of the API on the next call:\n"
        + "\n".join(f"- **{esc(scenario_label(k))}**: {esc(v)}" for k, v in scenarios.items()),
    )
    return None if chosen == "none" else chosen


def health_badge(settings: Settings, page: str) -> None:
    ok, label = backend.health(settings, SCENARIO_API.get(page))
    st.badge(label, icon=":material/check_circle:" if ok else ":material/error:", color="green" if ok else "red")
