"""The home page's content: what each page does, the sandbox's personas and scenarios, going live."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kyc.errors import KycError
from kyc.ids import format_npwp
from ui import backend, sandbox_words
from ui.i18n import N_, _, tr
from ui.setup import PageContext
from ui.sidebar import scenario_label
from ui.text import esc

#: The five pages' cards: path, icon, title, link, what the page does (said in the session's language).
PAGES = (
    ("pages/npwp.py", ":material/badge:", N_("NPWP OCR"), N_("Open NPWP OCR"),
     N_("Upload a tax card (JPEG, PNG or PDF, 5 MB at most) or pick a sample. Verihubs returns the NPWP, name, "
        "NIK and address, which the app checks; the app's own reading shows where each field sits on the card.")),
    ("pages/income.py", ":material/payments:", N_("Income verification"), N_("Open income verification"),
     N_("Send an applicant to TD. A hit returns the employer, last salary month, a salary band out of 18, and "
        "MATCH or NOT MATCH for each field you sent.")),
    ("pages/journey.py", ":material/route:", N_("KYC journey"), N_("Start a KYC journey"),
     N_("One applicant end to end: read the NPWP card, review the details, verify income, and download a "
        "one-page PDF report with a verdict.")),
    ("pages/batch.py", ":material/table_view:", N_("Batch"), N_("Open batch"),
     N_("A list of applicants (CSV or Excel) or a stack of cards: checked before sending, run with progress, "
        "Stop and Resume, charts, and results for every line.")),
    ("pages/history.py", ":material/history:", N_("Call history"), N_("Open call history"),
     N_("Every call of this browser session, with its request and response, to filter and download as CSV or "
        "JSON. Keys are never included.")),
)  # fmt: skip
API_NAMES = {"npwp": N_("NPWP OCR"), "income": N_("Income verification")}


def render(ctx: PageContext) -> None:
    words = tr()
    st.markdown(_("Show, explore and hand-test two Indonesian KYC APIs, offline by default."))
    if ctx.sandbox:
        st.info(
            _(
                "You are in **Sandbox** mode: every answer comes from the built-in sandbox, no credentials or "
                "network needed. Switch to **Live** in the sidebar to call the vendors."
            ),
            icon=":material/science:",
        )
    else:
        st.warning(
            _(
                "You are in **Live** mode: calls go to Verihubs and TD with your credentials and may be billed. "
                "Sandbox personas and sample cards are demo data."
            ),
            icon=":material/cloud:",
        )

    for row in (PAGES[:3], PAGES[3:]):
        for column, (path, icon, title, link, text) in zip(st.columns(3), row):
            with column.container(border=True, height="stretch"):
                st.markdown(f"##### {icon} {_(title)}")
                st.markdown(_(text))
                st.page_link(path, label=_(link), icon=":material/arrow_forward:")

    st.subheader(_("A one-minute demo"))
    # One step a message: each names the page's own buttons, which the translator can follow.
    st.markdown(
        "\n".join(
            f"{number}. {step}"
            for number, step in enumerate(
                (
                    _(
                        "**KYC journey**: click a sample card and **Extract NPWP**; the name, NIK, sex and birth date "
                        "fill in. Add a phone number, press **Verify income**, and download the **PDF report**."
                    ),
                    _(
                        "**Batch**: download the template CSV, upload it again and press **Verify**: counts, salary "
                        "bands and match rates, and a results file with every line."
                    ),
                    _("**NPWP OCR**: upload the prospect's own card and turn on **Show where each field was read**."),
                    _("Pick a **Sandbox scenario** in the sidebar (say, *{scenario}*) to show how each failure reads.").format(
                        scenario=scenario_label("quota_exceeded", words)
                    ),
                ),
                start=1,
            )
        )
    )
    if ctx.sandbox:
        _openapi_links(ctx)

    catalog = ctx.catalog
    if catalog.personas:
        st.subheader(_("Sandbox personas"))
        _table([
            {_("Persona"): sandbox_words.persona_label(p, words), "NIK": p.request.get("id_number", ""),
             _("What it shows"): sandbox_words.persona_text(p, words)}
            for p in catalog.personas
        ])  # fmt: skip
        st.caption(_("Any other valid NIK gets a record made up from its digits; a NIK ending in 0000 has no record."))

    if catalog.scenarios:
        st.subheader(_("Sandbox scenarios"))
        st.markdown(_("Pick one in the sidebar to force a branch of the API on the next call."))
        _table([
            {"API": _(API_NAMES[api]) if api in API_NAMES else api, _("Scenario"): scenario_label(name, words),
             _("Answer"): sandbox_words.scenario_text(api, name, text, words)}
            for api, scenarios in catalog.scenarios.items()
            for name, text in scenarios.items()
        ])  # fmt: skip

    if catalog.samples:
        st.subheader(_("Sample cards"))
        _table([
            {_("Sample"): sandbox_words.sample_label(s, words), "NPWP": format_npwp(s.fields.get("npwp", "")),
             _("Name"): s.fields.get("name", ""), "NIK": s.fields.get("nik", "")}
            for s in catalog.samples
        ])  # fmt: skip

    st.subheader(_("Going live"))
    st.markdown(
        _(
            "Switch **Mode** to **Live** in the sidebar and type the credentials into **Live credentials**; they "
            "stay in this browser session only. For a shared setup, put them in `.streamlit/secrets.toml` "
            "(see `.streamlit/secrets.toml.example`) or in environment variables: `VERIHUBS_APP_ID`, "
            "`VERIHUBS_API_KEY`, `INCOME_URL`, `INCOME_PARTNER_CODE`, `INCOME_PARTNER_KEY`, and `KYC_MODE=live` "
            "to start in live mode."
        )
    )


def _table(rows: list[dict[str, str]]) -> None:
    """A static table of the sandbox's catalogue: st.table reads cells as Markdown, so each is escaped."""
    st.table(pd.DataFrame([{column: esc(value) for column, value in row.items()} for row in rows]), hide_index=True)


def _openapi_links(ctx: PageContext) -> None:
    """The sandbox's OpenAPI document: a link (for a browser on this machine) and a download (for any)."""
    base = backend.sandbox_url(backend.load_config())
    url = f"{base}/openapi.json"
    try:
        document = backend.sample_bytes(url)
    except KycError:
        document = None
    left, right = st.columns([3, 1], vertical_alignment="center")
    left.markdown(
        _(
            "Both vendors' wire formats as the sandbox speaks them: [its OpenAPI document, openapi.json]({url}), "
            "for Swagger UI, Postman or a code generator."
        ).format(url=url)
    )
    if document is not None:
        right.download_button(
            _("Download openapi.json"), document, "kyc-sandbox-openapi.json", "application/json",
            key="home_openapi", icon=":material/download:",
        )  # fmt: skip
