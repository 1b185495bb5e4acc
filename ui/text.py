"""Showing untrusted text (vendor answers, typed values) as text, never as Markdown or HTML."""

from __future__ import annotations

import re

# Every character Markdown (and Streamlit's extensions: $ for LaTeX, : for icons and
# colours, ~ for strikethrough) could read as syntax.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=^&@/])")


def esc(value: object) -> str:
    """Escape ``value`` for st.markdown so that it renders exactly as typed; line breaks kept."""
    text = "" if value is None else str(value)
    return "  \n".join(_SPECIAL.sub(r"\\\1", line) for line in text.splitlines() or [""])


def field(label: str, value: object, empty: str = "—") -> str:
    """A bold label over an escaped value, as Markdown (long values wrap)."""
    shown = esc(value) if value not in (None, "") else empty
    return f"**{label}**  \n{shown}"
