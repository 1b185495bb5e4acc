"""What a call's outcome is called where a person reads it; the code stays for machines.

``CallRecord.outcome`` and a batch row's status are codes (``no_record``, ``not_detected``,
``OCR_40004``); on screen they read as words, with the code beside them where it helps.
"""

from __future__ import annotations

from workflows.i18n import N_, Translator, translator

#: Each outcome code's words, in English; said in a language with ``label(code, words)``.
LABELS = {
    "hit": N_("Hit"),
    "no_record": N_("No record"),
    "error": N_("Vendor error"),
    "detected": N_("Detected"),
    "not_detected": N_("Not detected"),
    "failed": N_("Failed"),
    "not_sent": N_("Not sent"),
    "connection_test": N_("Connection test"),
}
NO_ANSWER = N_("No answer")
ENGLISH = translator("en")


def label(code: str | None, words: Translator = ENGLISH) -> str:
    """The words for an outcome code, in ``words``'s language; an error code (``OCR_40004``,
    ``9500``) reads "Failed"."""
    if not code:
        return words.gettext(NO_ANSWER)
    return words.gettext(LABELS.get(code, LABELS["failed"]))
