"""``page_setup()``: the first call of every page, app.py included."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from kyc.catalog import Catalog
from kyc.income import IncomeClient
from kyc.npwp import NpwpClient
from kyc.settings import SANDBOX, Settings
from ui import backend, sidebar, state
from ui.text import esc

FAVICON = Path(__file__).resolve().parent / "favicon.png"

_CSS = """
<style>
/* Keep long values (company names, addresses) wrapping instead of running off the column. */
[data-testid="stMarkdownContainer"] p { overflow-wrap: anywhere; }
</style>
"""


@dataclass
class PageContext:
    """What a page needs: the session's settings, the forced scenario, and a client per API."""

    page: str
    settings: Settings
    scenario: str | None
    catalog: Catalog = Catalog()  # what the sandbox offers: scenarios, personas, sample cards

    @property
    def sandbox(self) -> bool:
        return self.settings.mode == SANDBOX

    def npwp_client(self) -> NpwpClient:
        """Raises KycError (CONFIG) when live mode lacks credentials."""
        return backend.client(self.settings, "npwp", self.scenario)  # type: ignore[return-value]

    def income_client(self) -> IncomeClient:
        """Raises KycError (CONFIG) when live mode lacks credentials."""
        return backend.client(self.settings, "income", self.scenario)  # type: ignore[return-value]


def page_setup(page: str, title: str, icon: str = ":material/verified_user:") -> PageContext:
    """Configure the page, draw the sidebar, and return the session's settings and clients.

    ``page`` is "home", "npwp", "income" or "history"; it picks the scenario list.
    """
    # A local favicon: a Material icon here would be fetched from Google's font servers, which
    # an offline demo cannot reach.
    st.set_page_config(page_title=f"{title} · KYC Studio", page_icon=str(FAVICON), layout="wide")
    st.html(_CSS)
    state.init()
    config = backend.load_config()
    with st.sidebar:
        sidebar.navigation()
        st.divider()
        if config.problem:
            st.error(esc(config.problem), icon=":material/settings:")
        mode = sidebar.mode_picker(config.settings.mode)
        settings = backend.session_settings(config, mode)
        catalog, problem = backend.catalog(config)
        if problem and mode == SANDBOX:
            st.warning(esc(problem), icon=":material/cloud_off:")
        scenario = sidebar.scenario_picker(page, catalog) if mode == SANDBOX else None
        sidebar.credentials_panel(config, settings, mode, page)
        sidebar.health_badge(settings, page)
    if scenario:
        st.info(
            f"Sandbox scenario **{esc(sidebar.scenario_label(scenario))}** is on: the next call gets this answer "
            "instead of the normal one. Set it back to None in the sidebar.",
            icon=":material/science:",
        )
    return PageContext(page, settings, scenario, catalog)
