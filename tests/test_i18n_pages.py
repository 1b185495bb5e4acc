"""Every page in Indonesian: no English sentence left in what a person reads (AppTest, the element tree)."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from sandbox.samples import catalogue
from tests.apptest_helpers import open_in, unescape

#: English words that Indonesian never uses; one of them in a sentence means an English sentence.
#: Case matters: the vendors' codes in capitals (NOT MATCH) are codes, shown as secondary text.
ENGLISH = re.compile(
    r"\b(the|and|with|from|this|your|you|is|are|was|of|to|for|not|yet|only|each|every)\b|\b(The|This|Your|You|Each|Every)\b"
)
SAMPLES = {s.kind: s for s in catalogue()}


def _start(page: str | None = None) -> AppTest:
    return open_in("id", page)


def readable(at: AppTest) -> list[str]:
    """What a person reads: Markdown, captions, alerts, labels, metric names, table headings; code
    spans, JSON, code blocks (the inspector) and the vendors' own words ("Kata-kata vendor: …") left out."""
    parts = []
    for kind in ("markdown", "caption", "error", "warning", "info", "success", "title", "subheader", "header"):
        for element in getattr(at, kind):
            text = re.sub(r"`[^`]*`", "", unescape(str(element.value)))
            text = re.sub(r"(?s)(Kata-kata (TD|Verihubs|vendor)[^:]*:).*", "", text)
            parts.append(text)
    for widget in ("button", "text_input", "selectbox", "multiselect", "text_area", "checkbox", "toggle", "radio"):
        parts += [str(w.label) for w in getattr(at, widget)]
    parts += [m.label for m in at.metric] + [e.label for e in at.expander]
    parts += [" ".join(map(str, frame.value.columns)) for frame in at.dataframe]
    return [p for p in parts if p.strip()]


def english_in(at: AppTest) -> list[str]:
    return [text for text in readable(at) if ENGLISH.search(text)]


def _home():
    return _start()


def _npwp():
    at = _start("pages/npwp.py")
    at.button(key=f"npwp_sample_{SAMPLES['15-digit'].file}").click().run()
    at.button(key="npwp_submit").click().run()
    return at


def _income():
    at = _start("pages/income.py")
    at.button(key="persona_mismatches").click().run()
    at.button(key="income_submit").click().run()
    return at


def _journey():
    at = _start("pages/journey.py")
    at.button(key=f"journey_sample_{SAMPLES['nik-as-npwp'].file}").click().run()
    at.button(key="journey_extract").click().run()
    at.text_input(key="journey_phone_number").input("081234567890")
    at.button(key="journey_verify").click().run()
    return at


def _batch():
    from workflows.applicant_file import template_csv

    at = _start("pages/batch.py")
    at.file_uploader(key="batch_file").set_value(("a.csv", template_csv() + b"X,,3171011708850009\n", "text/csv")).run()
    at.button(key="batch_run").click().run()
    assert at.session_state["batch_income_job"]["job"].wait(30)
    at.run()
    at.run()
    return at


def _history():
    at = _income()
    at.switch_page("pages/history.py").run()
    return at


@pytest.mark.parametrize("walk", [_home, _npwp, _income, _journey, _batch, _history], ids=lambda f: f.__name__[1:])
def test_no_english_sentence_on_a_page_in_indonesian(walk):
    at = walk()
    assert not at.exception
    assert english_in(at) == []
