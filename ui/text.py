"""Showing untrusted text (vendor answers, typed values) as text, never as Markdown or HTML."""

from __future__ import annotations

import re

# Every character Markdown (and Streamlit's extensions: $ for LaTeX, : for icons and
# colours, ~ for strikethrough) could read as syntax.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=^&@/])")
# GitHub-flavoured Markdown turns bare URLs and e-mail addresses into links after parsing,
# so backslashes do not stop it: an invisible word joiner inside "www.", "http://" and
# before "@" does (checked in a real browser), and does not change what is seen.
WORD_JOINER = "\u2060"
_AUTOLINK = re.compile(r"www(?=\.)|https?:(?=//)|(?=@)", re.IGNORECASE)
NBSP = "\u00a0"
# C0 controls and DEL would show as nothing (or U+FFFD for NUL): show their Unicode pictures.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f]")
_RUN_SPACE = re.compile(r"(?<= ) ")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    return "\u2421" if code == 0x7F else chr(0x2400 + code)


def _line(line: str) -> str:
    escaped = _SPECIAL.sub(r"\\\1", _AUTOLINK.sub(lambda m: m.group() + WORD_JOINER, _CONTROL.sub(_picture, line)))
    # Markdown drops leading spaces (four start a code block) and collapses runs of spaces:
    # non-breaking spaces keep them as typed. An empty line would end the paragraph.
    body = escaped.lstrip(" \t")
    lead = escaped[: len(escaped) - len(body)].replace("\t", NBSP * 4).replace(" ", NBSP)
    return (lead + _RUN_SPACE.sub(NBSP, body)) or NBSP


def esc(value: object) -> str:
    """Escape ``value`` for st.markdown so that it renders exactly as typed; line breaks kept.

    Also for every other place Streamlit reads Markdown: captions, alerts, image captions.
    """
    text = "" if value is None else str(value)
    if not text:
        return ""
    return "  \n".join(_line(line) for line in text.splitlines())


def field(label: str, value: object, empty: str = "—") -> str:
    """A bold label over an escaped value, as Markdown (long values wrap)."""
    shown = esc(value) if value not in (None, "") else empty
    return f"**{label}**  \n{shown}"
