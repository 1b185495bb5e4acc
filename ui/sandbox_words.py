"""The sandbox's catalogue in the session's language: scenario, persona and sample-card texts.

The sandbox describes what it offers in English (``GET /sandbox/catalog``). The app carries a
marked copy of each of those texts, keyed by scenario, persona or sample, so that they can be
said in Bahasa Indonesia. A text the sandbox sends that is not the copy here (another sandbox,
or a wording changed since) is shown as the sandbox wrote it: never a translation of other words.
``tests/test_i18n_batch.py`` holds every text the shipped sandbox offers against these copies.
"""

from __future__ import annotations

from kyc.catalog import Persona, SampleCard
from ui.i18n import N_, tr
from workflows.i18n import Translator

#: What each scenario forces, by API and name: the sandbox's own texts (sandbox/scenarios.py).
SCENARIO_TEXTS: dict[str, dict[str, str]] = {
    "npwp": {
        "not_detected": N_("HTTP 200 with OCR_200004: no NPWP found in the image."),
        "quota_exceeded": N_("HTTP 400 with OCR_40004: the testing quota is used up."),
        "server_error": N_("HTTP 500 with OCR_50000: the vendor's internal server error."),
        "unauthorized": N_("HTTP 401 'Authorization failed', as if App-ID or API-Key were wrong."),
        "slow": N_("Waits 3 s, then gives the normal answer (for timeouts and spinners)."),
    },
    "income": {
        "no_record": N_("result no_record: the person is not found."),
        "quota_exceeded": N_("result error with 'Kuota harian Anda telah habis' (daily quota used up)."),
        "not_purchased": N_("code 300: Service not purchased or not effective."),
        "service_not_purchased": N_("code 301: Service not purchased."),
        "suspended": N_("code 302: Service has been suspend."),
        "no_balance": N_("code 303: Not enough balance."),
        "expired": N_("code 304: Service expired."),
        "internal_error": N_("code 9500: Internal error."),
        "slow": N_("Waits 3 s, then gives the normal answer (for timeouts and spinners)."),
        "flaky": N_(
            "About 1 call in 5 fails or is late, chosen by the NIK: HTTP 500 (code 9500), or the usual answer "
            "after 2 s (a timeout for a client that waits less). The answer itself never changes. For batch runs."
        ),
    },
}

#: Each persona's label and what it shows, by persona key (sandbox/personas.py).
PERSONA_LABELS: dict[str, str] = {
    "all_match": N_("Rina Wulandari: full match"),
    "mismatches": N_("Agus Prasetyo: some fields do not match"),
    "no_record": N_("Maya Anggraini: no record"),
}
PERSONA_TEXTS: dict[str, str] = {
    "all_match": N_(
        "A hit where every submitted field agrees with the bureau's record: the sex and birth date encoded "
        "in her NIK, her BPJS programs, email and home address."
    ),
    "mismatches": N_(
        "A hit where the applicant's claims partly disagree with the record: the birth date contradicts his "
        "NIK, he leaves out the pension program (JPN) and gives an old home address. Sex and email match."
    ),
    "no_record": N_(
        "A valid NIK the bureau has never seen (its serial is 0000): the result is no_record and no data or "
        "comparisons come back."
    ),
}

#: Each sample card's label, by file (sandbox/samples/manifest.json).
SAMPLE_LABELS: dict[str, str] = {
    "npwp15-card.png": N_("15-digit NPWP (PNG)"),
    "npwp16-nik-card.jpg": N_("NIK as NPWP (JPEG)"),
    "npwp16-card.png": N_("16-digit NPWP (PNG)"),
    "npwp15-card.pdf": N_("15-digit NPWP (PDF)"),
}


def _say(copy: str | None, sent: str, words: Translator | None) -> str:
    """``sent`` in the language if it is the app's ``copy`` of it, else as the sandbox sent it."""
    if copy is None or copy != sent:
        return sent
    return (words or tr()).gettext(copy)


def scenario_text(api: str, name: str, text: str, words: Translator | None = None) -> str:
    """What scenario ``name`` of ``api`` forces (the sandbox's ``text``), in ``words``'s language
    (else the session's)."""
    return _say(SCENARIO_TEXTS.get(api, {}).get(name), text, words)


def persona_label(persona: Persona, words: Translator | None = None) -> str:
    return _say(PERSONA_LABELS.get(persona.key), persona.label, words)


def persona_text(persona: Persona, words: Translator | None = None) -> str:
    return _say(PERSONA_TEXTS.get(persona.key), persona.description, words)


def sample_label(sample: SampleCard, words: Translator | None = None) -> str:
    return _say(SAMPLE_LABELS.get(sample.file), sample.label, words)
