"""Live calls through the server's meter, against the real sandbox behind a live-style account:
counted before they are sent, refused before anything leaves once the day's budget is used up,
and one audit line each, with no personal data, no key and no image in the trail."""

from __future__ import annotations

import json

import pytest

from kyc.income import IncomeRequest
from kyc.settings import Settings
from sandbox.recognition import DEFAULT_SAMPLES_DIR
from tests.live_double import Account, live_env, serve
from workflows import audit, metering
from workflows.budget import BudgetError
from workflows.metering import Meter

ACCOUNT = Account("APPID-meter-41", "VHKEY-meter-SECRET-9d0e", "PCODE-meter-41", "TDKEY-meter-SECRET-77ab")
SAMPLE = DEFAULT_SAMPLES_DIR / "npwp16-card.png"
CARD = next(s for s in json.loads((DEFAULT_SAMPLES_DIR / "manifest.json").read_text())["samples"] if s["file"] == SAMPLE.name)
PERSON = IncomeRequest(
    name="BUDI SANTOSO", phone_number="081234567890", id_number="3171012505900007", email="budi.meter@example.com"
)


@pytest.fixture()
def live(tmp_path):
    double, vendor = serve(ACCOUNT)
    settings = Settings.load(environ=live_env(ACCOUNT, vendor.url))
    yield double, settings, tmp_path
    vendor.stop()


def sent(double) -> list[str]:
    return [path for path, _ in double.calls if path != "/"]


def lines(folder) -> list[dict]:
    path = folder / "audit.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_the_third_call_is_refused_before_it_is_sent(live):
    double, settings, folder = live
    meter = Meter.from_environment({"KYC_STATE_DIR": str(folder), "KYC_LIVE_DAILY_LIMIT": "2"})
    client = metering.metered(settings.income_client(), meter, "session-hash")
    assert client.verify(PERSON).result == "hit"
    assert client.verify(PERSON).result == "hit"
    with pytest.raises(BudgetError):
        client.verify(PERSON)
    assert len(sent(double)) == 2  # the vendor saw two calls, not three
    assert [line["outcome"] for line in lines(folder)] == ["hit", "hit"]
    # After a restart (a new meter on the same folder) the day's count is still spent.
    again = Meter.from_environment({"KYC_STATE_DIR": str(folder), "KYC_LIVE_DAILY_LIMIT": "2"})
    with pytest.raises(BudgetError):
        metering.metered(settings.income_client(), again, "other").verify(PERSON)
    assert len(sent(double)) == 2


def test_a_connection_test_is_not_billed(live):
    _, settings, folder = live
    meter = Meter.from_environment({"KYC_STATE_DIR": str(folder), "KYC_LIVE_DAILY_LIMIT": "0"})
    assert metering.metered(settings.npwp_client(), meter, "s").test_connection().ok
    assert meter.usage("npwp").used == 0 and lines(folder) == []


def test_the_audit_trail_holds_codes_and_times_never_a_person_a_key_or_a_card(live):
    _, settings, folder = live
    meter = Meter.from_environment({"KYC_STATE_DIR": str(folder)})
    session = audit.session_hash("streamlit-session-id-1234")
    card = SAMPLE.read_bytes()
    npwp = metering.metered(settings.npwp_client(), meter, session)
    income = metering.metered(settings.income_client(), meter, session)
    assert npwp.extract(card, "dewi-card.png").detected
    income.verify(PERSON)
    not_found = IncomeRequest(name="MAYA ANGGRAINI", phone_number="6285711223344", id_number="3578054311950000")
    income.verify(not_found)
    trail = (folder / "audit.jsonl").read_text()
    entries = lines(folder)
    assert [(e["api"], e["outcome"], e["http_status"]) for e in entries] == [
        ("npwp", "detected", 200),
        ("income", "hit", 200),
        ("income", "no_record", 200),
    ]
    for entry in entries:
        assert set(entry) == {"time", "api", "outcome", "http_status", "elapsed_ms", "session"}
        assert entry["time"].endswith("+07:00") and entry["session"] == session
        assert isinstance(entry["elapsed_ms"], int) and entry["elapsed_ms"] >= 0
    personal = [
        CARD["npwp"], CARD["nik"], CARD["name"], "dewi-card.png",
        PERSON.name, PERSON.phone_number, PERSON.id_number, PERSON.email,
        not_found.name, not_found.id_number, not_found.phone_number,
        ACCOUNT.app_id, ACCOUNT.api_key, ACCOUNT.partner_code, ACCOUNT.partner_key,
        "streamlit-session-id-1234",
    ]  # fmt: skip
    assert [value for value in personal if value in trail] == []
    assert "PNG" not in trail and "iVBOR" not in trail  # no image, raw or base64


def test_a_failed_call_is_audited_with_its_code_and_stays_counted(live, refused_url):
    _, settings, folder = live
    meter = Meter.from_environment({"KYC_STATE_DIR": str(folder), "KYC_LIVE_DAILY_LIMIT": "5"})
    unreachable = settings.replace(income_url=refused_url + "/credit/data/feature/income/v1")
    with pytest.raises(Exception) as failed:
        metering.metered(unreachable.income_client(), meter, "s").verify(PERSON)
    assert getattr(failed.value, "code", None) == "NETWORK"
    assert [(e["outcome"], e["http_status"]) for e in lines(folder)] == [("NETWORK", None)]
    assert meter.usage("income").used == 1  # a call that may have left is counted


def test_an_outcome_that_is_not_a_code_is_never_written():
    assert audit._code("9061") == "9061" and audit._code("OCR_200004") == "OCR_200004"
    assert audit._code("TIMEOUT") == "TIMEOUT" and audit._code("HTTP_401") == "HTTP_401" and audit._code("hit") == "hit"
    assert audit._code("DAILY_LIMIT") == "DAILY_LIMIT"
    for echoed in ("name=BUDI SANTOSO; nik=3171012505900007", "3171012505900007", "BUDI_SANTOSO", "budi.santoso", "DEWI"):
        assert audit._code(echoed) == "other", echoed
