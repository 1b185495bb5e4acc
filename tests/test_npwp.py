"""NpwpClient against the real sandbox over loopback: samples, scenarios, upload checks, auth."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from PIL import Image

from kyc.errors import KycError
from kyc.npwp import NpwpClient

SAMPLES = Path(__file__).resolve().parent.parent / "sandbox" / "samples"


def client(sandbox, scenario=None, **kwargs) -> NpwpClient:
    kwargs.setdefault("app_id", "demo-app")
    kwargs.setdefault("api_key", "demo-key")
    return NpwpClient(sandbox.url, scenario=scenario, **kwargs)


def png(width: int = 320, height: int = 200) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, "PNG")
    return out.getvalue()


def refused(call) -> KycError:
    with pytest.raises(KycError) as info:
        call()
    return info.value


def manifest() -> list[dict]:
    return json.loads((SAMPLES / "manifest.json").read_text())["samples"]


def test_every_sample_card_returns_its_true_fields(sandbox):
    samples = manifest()
    assert len(samples) >= 4
    for sample in samples:
        result = client(sandbox).extract((SAMPLES / sample["file"]).read_bytes(), sample["file"])
        assert result.detected, sample["file"]
        assert (result.npwp, result.name, result.nik, result.address) == (
            sample["npwp"], sample["name"], sample["nik"], sample["address"]
        )
        assert result.id and result.reference_id and result.id != result.reference_id


def test_any_other_valid_image_is_not_detected(sandbox):
    result = client(sandbox).extract(png(), "blank.png")
    assert result.detected is False and result.npwp is None
    assert result.record.outcome == "OCR_200004"


@pytest.mark.parametrize(
    "scenario, code, status",
    [("quota_exceeded", "OCR_40004", 400), ("server_error", "OCR_50000", 500), ("unauthorized", "HTTP_401", 401)],
)
def test_error_scenarios(sandbox, scenario, code, status):
    error = refused(lambda: client(sandbox, scenario).extract(png(), "card.png"))
    assert (error.code, error.http_status) == (code, status)
    assert error.record.attempts == 1  # 500 is never retried: the vendor may have billed


def test_not_detected_scenario(sandbox):
    assert client(sandbox, "not_detected").extract(png(), "card.png").detected is False


def test_slow_scenario_times_out_a_short_client(sandbox):
    error = refused(lambda: client(sandbox, "slow", timeout=(1.0, 0.5)).extract(png(), "card.png"))
    assert error.code == "TIMEOUT"


@pytest.mark.parametrize("credentials", [{"api_key": "wrong"}, {"app_id": "someone"}, {"api_key": ""}])
def test_wrong_credentials_are_refused(sandbox, credentials):
    error = refused(lambda: client(sandbox, **credentials).extract(png(), "card.png"))
    assert error.code == "HTTP_401" and "App-ID and API-Key" in error.message


@pytest.mark.parametrize(
    "data, name",
    [(b"GIF89a" + b"\0" * 40, "card.gif"), (b"just some text", "card.png"), (b"\x89PNG\r\n\x1a\n" + b"\0" * 10, "broken.png")],
)
def test_unsupported_or_broken_uploads_get_ocr_40001(sandbox, data, name):
    error = refused(lambda: client(sandbox).extract(data, name))
    assert error.code == "OCR_40001" and error.http_status == 422
    assert "image:" in error.message and "JPEG, PNG or PDF" in error.message


def test_image_over_5_mib_gets_ocr_40001(sandbox):
    big = png() + b"\0" * (5 * 1024 * 1024)  # valid PNG header, 5 MiB of trailing bytes
    error = refused(lambda: client(sandbox).extract(big, "big.png"))
    assert error.code == "OCR_40001"


def test_body_over_6_mb_is_refused_cleanly(sandbox):
    huge = png() + b"\0" * (7 * 1024 * 1024)
    error = refused(lambda: client(sandbox).extract(huge, "huge.png"))
    # The sandbox answers from the Content-Length alone, before reading the body.
    assert (error.code, error.http_status) == ("OCR_40001", 413)
    assert "6 MB" in error.message


def test_as_curl_repeats_the_upload(sandbox, tmp_path):
    import os
    import subprocess

    sample = manifest()[0]
    data = (SAMPLES / sample["file"]).read_bytes()
    result = client(sandbox).extract(data, sample["file"])
    command = result.record.as_curl()
    assert "demo-key" not in command and "-F" in command
    (tmp_path / sample["file"]).write_bytes(data)  # cURL reads the file named in -F from the folder it runs in
    out = subprocess.run(["bash", "-c", command + " --silent"], capture_output=True, text=True, timeout=10,
                         cwd=tmp_path, env={**os.environ, "VERIHUBS_API_KEY": "demo-key"})
    assert json.loads(out.stdout)["data"]["result_data"]["npwp"] == sample["npwp"]
