"""Driving the app's pages with Streamlit's AppTest, and reading what they show."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
PAGES = {
    "home": None,
    "npwp": "pages/npwp.py",
    "income": "pages/income.py",
    "journey": "pages/journey.py",
    "batch": "pages/batch.py",
    "history": "pages/history.py",
}


def open_page(name: str, timeout: float = 30) -> AppTest:
    """Start at app.py (as a browser does) and switch to the page; no exception allowed on the way."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout).run()
    assert not at.exception, at.exception
    if PAGES[name]:
        at.switch_page(PAGES[name]).run()
        assert not at.exception, at.exception
    return at


def unescape(text: str) -> str:
    """Markdown as a reader sees it: escapes resolved, bold markers and word joiners (ui.text.esc) gone."""
    return re.sub(r"\\(.)", r"\1", text.replace("**", "").replace("\u00a0", " ").replace("\u2060", ""))


def shown_text(at: AppTest) -> str:
    """Everything written on the page as plain text: markdown, captions, alerts, tables, code, JSON."""
    parts: list[str] = []
    for kind in ("markdown", "caption", "error", "warning", "info", "success", "title", "subheader", "code", "json", "badge"):
        for element in getattr(at, kind, []) if hasattr(at, kind) else []:
            parts.append(unescape(str(element.value)))
    for table in at.table:
        parts.append(table.value.to_string())
    for frame in at.dataframe:
        parts.append(frame.value.to_string())
    return "\n".join(parts)


def messages(at: AppTest, kind: str) -> list[str]:
    return [unescape(str(element.value)) for element in getattr(at, kind)]


def history(at: AppTest) -> list[dict]:
    return at.session_state["history"] if "history" in at.session_state else []


def charts(at: AppTest) -> list:
    return at.get("vega_lite_chart")


def html_tables(at: AppTest) -> list[list[list[str]]]:
    """Tables the app draws as escaped HTML (ui.tables), as rows of cell texts, header first."""
    import html as html_lib

    found = []
    for element in at.get("html"):
        body = element.proto.body
        if "kyc-table" not in body:
            continue
        rows = re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)
        found.append(
            [[html_lib.unescape(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)] for row in rows]
        )
    return found


def verdicts(at: AppTest) -> dict[str, str]:
    """The income comparison table as {field label: verdict}."""
    table = html_tables(at)[0]
    return {row[0]: row[2] for row in table[1:]}


def open_in(lang: str, page: str | None = None, timeout: float = 60) -> AppTest:
    """Start at app.py with ``?lang=`` (as a shared link does), then switch to ``page`` (a script path)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    at.query_params["lang"] = lang
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at
