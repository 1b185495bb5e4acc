"""What a call's outcome is called where a person reads it; the code stays for machines.

``CallRecord.outcome`` and a batch row's status are codes (``no_record``, ``not_detected``,
``OCR_40004``); on screen they read as words, with the code beside them where it helps.
"""

from __future__ import annotations

LABELS = {
    "hit": "Hit",
    "no_record": "No record",
    "error": "Vendor error",
    "detected": "Detected",
    "not_detected": "Not detected",
    "failed": "Failed",
    "not_sent": "Not sent",
    "connection_test": "Connection test",
}


def label(code: str | None) -> str:
    """The words for an outcome code; an error code (``OCR_40004``, ``9500``) reads "Failed"."""
    if not code:
        return "No answer"
    return LABELS.get(code, "Failed")
