"""The home page's content: what each page does, the sandbox's personas and scenarios, going live."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kyc.ids import format_npwp
from ui.setup import PageContext
from ui.sidebar import scenario_label
from ui.text import esc


def render(ctx: PageContext) -> None:
    st.title(":material/verified_user: KYC Studio")
    st.markdown("Show, explore and hand-test two Indonesian KYC APIs, offline by default.")
    if ctx.sandbox:
        st.info(
            "You are in **Sandbox** mode: every answer comes from the built-in sandbox, no credentials or "
            "network needed. Switch to **Live** in the sidebar to call the vendors.",
            icon=":material/science:",
        )
    else:
        st.warning(
            "You are in **Live** mode: calls go to Verihubs and TD with your credentials and may be billed. "
            "Sandbox personas and sample cards are demo data.",
            icon=":material/cloud:",
        )

    cards = st.columns(3)
    with cards[0].container(border=True, height="stretch"):
        st.markdown("##### :material/badge: NPWP OCR")
        st.markdown(
            "Upload a tax card (JPEG, PNG or PDF, 5 MB at most) or pick a sample. Verihubs returns the "
            "NPWP, name, NIK and address, which the app checks."
        )
        st.page_link("pages/npwp.py", label="Open NPWP OCR", icon=":material/arrow_forward:")
    with cards[1].container(border=True, height="stretch"):
        st.markdown("##### :material/payments: Income verification")
        st.markdown(
            "Send an applicant to TD. A hit returns the employer, last salary month, a salary band out "
            "of 18, and MATCH or NOT MATCH for each field you sent."
        )
        st.page_link("pages/income.py", label="Open income verification", icon=":material/arrow_forward:")
    with cards[2].container(border=True, height="stretch"):
        st.markdown("##### :material/history: Call history")
        st.markdown(
            "Every call of this browser session, with its request and response, as a table you can "
            "filter and download as CSV or JSON. Keys are never included."
        )
        st.page_link("pages/history.py", label="Open call history", icon=":material/arrow_forward:")

    st.subheader("A one-minute demo")
    st.markdown(
        "1. **NPWP OCR**: click a sample card, then **Extract NPWP**.\n"
        "2. Click **Use these details for income verification**.\n"
        "3. On **Income verification**, add a phone number and press **Verify income**, "
        "or click a persona to fill the whole form."
    )

    catalog = ctx.catalog
    if catalog.personas:
        st.subheader("Sandbox personas")
        _table([
            {"Persona": p.label, "NIK": p.request.get("id_number", ""), "What it shows": p.description}
            for p in catalog.personas
        ])  # fmt: skip
        st.caption("Any other valid NIK gets a record made up from its digits; a NIK ending in 0000 has no record.")

    if catalog.scenarios:
        st.subheader("Sandbox scenarios")
        st.markdown("Pick one in the sidebar to force a branch of the API on the next call.")
        _table([
            {"API": "NPWP OCR" if api == "npwp" else "Income verification", "Scenario": scenario_label(name), "Answer": text}
            for api, scenarios in catalog.scenarios.items()
            for name, text in scenarios.items()
        ])  # fmt: skip

    if catalog.samples:
        st.subheader("Sample cards")
        _table([
            {"Sample": s.label, "NPWP": format_npwp(s.fields.get("npwp", "")), "Name": s.fields.get("name", ""),
             "NIK": s.fields.get("nik", "")}
            for s in catalog.samples
        ])  # fmt: skip

    st.subheader("Going live")
    st.markdown(
        "Switch **Mode** to **Live** in the sidebar and type the credentials into **Live credentials**; they stay "
        "in this browser session only. For a shared setup, put them in `.streamlit/secrets.toml` "
        "(see `.streamlit/secrets.toml.example`) or in environment variables: `VERIHUBS_APP_ID`, "
        "`VERIHUBS_API_KEY`, `INCOME_URL`, `INCOME_PARTNER_CODE`, `INCOME_PARTNER_KEY`, and `KYC_MODE=live` "
        "to start in live mode."
    )


def _table(rows: list[dict[str, str]]) -> None:
    """A static table of the sandbox's catalogue: st.table reads cells as Markdown, so each is escaped."""
    st.table(pd.DataFrame([{column: esc(value) for column, value in row.items()} for row in rows]), hide_index=True)
