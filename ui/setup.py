"""``page_setup()``: the first call of every page, app.py included."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from kyc.catalog import Catalog
from kyc.income import IncomeClient
from kyc.npwp import NpwpClient
from kyc.settings import SANDBOX, Settings
from ui import access, backend, i18n, sidebar, state
from ui.i18n import _
from ui.text import esc

FAVICON = Path(__file__).resolve().parent / "favicon.png"

_CSS = """
<style>
/* Long values (company names, addresses, IDs) wrap at spaces; only a word longer than its column breaks. */
[data-testid="stMarkdownContainer"] p { overflow-wrap: break-word; }
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

    def blocked(self, api: str) -> str | None:
        """Why a call to ``api`` ("npwp" or "income") cannot be made here, in words; None if it can.

        Live mode without the API's URL or credentials, or with the day's budget of live calls
        used up: the action is disabled and this is shown beside it, instead of a click that can
        only fail. (The budget still refuses a call that another session's made it too late for.)
        """
        if self.sandbox:
            return None
        return backend.missing_text(self.settings, api) or backend.spent_text(api)

    def npwp_client(self) -> NpwpClient:
        """Raises KycError (CONFIG) when live mode lacks credentials."""
        return backend.client(self.settings, "npwp", self.scenario)  # type: ignore[return-value]

    def income_client(self) -> IncomeClient:
        """Raises KycError (CONFIG) when live mode lacks credentials."""
        return backend.client(self.settings, "income", self.scenario)  # type: ignore[return-value]


#: Pages whose buttons make calls that the vendors bill in live mode.
BILLED_PAGES = ("npwp", "income", "journey", "batch")


def page_setup(
    page: str, title: str, icon: str = ":material/verified_user:", caption: str | None = None, heading: str | None = None
) -> PageContext:
    """Configure the page, draw the sidebar and the page's title, and return the session's settings and clients.

    ``page`` is "home", "npwp", "income", "journey", "batch" or "history"; it picks the scenario
    list. The title (``heading`` if given, else ``title``) and ``caption`` come first on the
    page; under them, a forced scenario's banner and, in live mode, what is billed.
    """
    # A local favicon: a Material icon here would be fetched from Google's font servers, which
    # an offline demo cannot reach.
    st.set_page_config(page_title=f"{title} · KYC Studio", page_icon=str(FAVICON), layout="wide")
    st.html(_CSS)
    # With an access code set, every page stops here until the session has typed it.
    access.require_access()
    state.init()
    state.put(state.BUDGET_SLOT, None)
    config = backend.load_config()
    with st.sidebar:
        i18n.selector()
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
        if mode != SANDBOX:
            sidebar.live_budget()
            sidebar.connection_tests(settings)
    st.title(f"{icon} {heading or title}")
    if caption:
        st.caption(caption)
    if scenario:
        st.info(
            _(
                "Sandbox scenario **{scenario}** is on: every call from this page gets this answer until you set it "
                "back to None in the sidebar."
            ).format(scenario=esc(sidebar.scenario_label(scenario))),
            icon=":material/science:",
        )
    if mode != SANDBOX and page in BILLED_PAGES:
        st.caption(
            ":material/payments: "
            + _("**Live mode**: each extraction or verification sent from this page is a real, billed call.")
        )
    return PageContext(page, settings, scenario, catalog)
