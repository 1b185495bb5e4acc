"""kyc.catalog against the real sandbox: the catalogue the app shows comes from the sandbox it talks to."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import sandbox as sandbox_pkg
from kyc.catalog import Catalog, fetch_catalog, fetch_sample
from kyc.errors import KycError
from tests.replay import Reply

SAMPLES_DIR = Path(__file__).resolve().parents[1] / "sandbox" / "samples"


def test_the_catalogue_lists_the_sandboxs_scenarios_personas_and_cards(sandbox):
    catalog = fetch_catalog(sandbox.url)
    assert catalog.scenarios == sandbox_pkg.SCENARIOS
    assert catalog.scenario_names("npwp") == list(sandbox_pkg.SCENARIOS["npwp"])
    assert [(p.key, p.request) for p in catalog.personas] == [(p["key"], p["request"]) for p in sandbox_pkg.personas()]
    manifest = json.loads((SAMPLES_DIR / "manifest.json").read_text())["samples"]
    assert [card.file for card in catalog.samples] == [entry["file"] for entry in manifest]
    for card, entry in zip(catalog.samples, manifest):
        assert card.fields == {key: entry[key] for key in ("npwp", "name", "nik", "address")}
        assert card.url.startswith(sandbox.url + "/sandbox/samples/")
        assert fetch_sample(card.url) == (SAMPLES_DIR / card.file).read_bytes()


def test_another_sandbox_shows_its_own_cards(tmp_path):
    shutil.copy(SAMPLES_DIR / "npwp15-card.png", tmp_path / "their-card.png")
    entry = {
        "file": "their-card.png",
        "label": "Their card",
        "kind": "15-digit",
        "npwp": "01.234.567.8-123.000",
        "name": "DEWI LESTARI",
        "nik": "3171014708900003",
        "address": "JL. MAWAR 1",
    }
    (tmp_path / "manifest.json").write_text(json.dumps({"samples": [entry]}))
    with sandbox_pkg.start_in_thread(port=0, samples_dir=tmp_path) as other:
        catalog = fetch_catalog(other.url)
        assert [(card.label, card.fields["name"]) for card in catalog.samples] == [("Their card", "DEWI LESTARI")]
        assert fetch_sample(catalog.samples[0].url) == (tmp_path / "their-card.png").read_bytes()
        with pytest.raises(KycError) as info:
            fetch_sample(other.url + "/sandbox/samples/npwp15-card.png")  # the shipped card is not theirs
        assert info.value.code == "HTTP_404"


def test_only_cards_the_manifest_lists_are_served(sandbox):
    import requests

    for name in ("manifest.json", "..%2F__init__.py", "%2E%2E/catalog.py", "nope.png"):
        response = requests.get(f"{sandbox.url}/sandbox/samples/{name}", timeout=5)
        assert response.status_code == 404 and response.headers["Content-Type"] == "application/json"


def test_an_unreachable_or_broken_sandbox_is_a_kyc_error(refused_url, replay):
    with pytest.raises(KycError) as info:
        fetch_catalog(refused_url)
    assert info.value.code == "NETWORK" and info.value.__context__ is None
    for reply, code in [
        (Reply(200, "<html><body>Proxy login</body></html>", "text/html"), "BAD_RESPONSE"),
        (Reply(200, '{"scenarios": []}'), "BAD_RESPONSE"),
        (Reply(503, "down", "text/plain"), "HTTP_503"),
        (Reply(200, "[" * 100_000 + "]" * 100_000), "BAD_RESPONSE"),  # too deep for the JSON parser
    ]:
        replay.routes["/sandbox/catalog"] = [reply]
        with pytest.raises(KycError) as info:
            fetch_catalog(replay.url)
        assert info.value.code == code


def test_an_empty_catalogue_offers_nothing():
    assert Catalog().scenario_names("npwp") == [] and not Catalog().personas and not Catalog().samples


# --- through the app (AppTest) -------------------------------------------------------------


def _their_sandbox(folder: Path, label: str = "Their card"):
    shutil.copy(SAMPLES_DIR / "npwp16-card.png", folder / "their-card.png")
    entry = {
        "file": "their-card.png",
        "label": label,
        "kind": "16-digit",
        "npwp": "0610833592408000",
        "name": "DEWI LESTARI",
        "nik": "3171014708900003",
        "address": "JL. MAWAR 1",
    }
    (folder / "manifest.json").write_text(json.dumps({"samples": [entry]}))
    return sandbox_pkg.start_in_thread(port=0, samples_dir=folder)


def test_the_app_shows_the_catalogue_of_the_sandbox_it_talks_to(monkeypatch, tmp_path):
    from tests.apptest_helpers import open_page, shown_text

    with _their_sandbox(tmp_path) as other:
        monkeypatch.setenv("KYC_SANDBOX_URL", other.url)
        home = shown_text(open_page("home"))
        assert "Their card" in home and "DEWI LESTARI" in home
        assert not any(card in home for card in ("SITI RAHAYU", "BUDI SANTOSO"))  # this copy's own cards
        at = open_page("npwp")
        samples = [button for button in at.button if button.key and button.key.startswith("npwp_sample_")]
        assert [button.label for button in samples] == ["Their card"]
        samples[0].click().run()
        assert at.session_state["npwp_doc"]["name"] == "their-card.png"
        at.button(key="npwp_submit").click().run()
        assert not at.exception
        assert "DEWI LESTARI" in shown_text(at)  # their sandbox knows the card by its own manifest


def test_the_app_opens_when_its_sandbox_has_no_catalogue(monkeypatch, refused_url):
    from tests.apptest_helpers import PAGES, open_page, shown_text

    monkeypatch.setenv("KYC_SANDBOX_URL", refused_url)
    for page in PAGES:
        at = open_page(page)
        text = shown_text(at)
        assert "could not be read" in text, page
        assert not [button for button in at.button if button.key and "sample" in button.key]
        assert not [box for box in at.selectbox if box.key == "sandbox_scenario"]


def test_the_openapi_document_describes_the_catalogue_exactly(sandbox):
    import jsonschema
    import requests

    spec = requests.get(sandbox.url + "/openapi.json", timeout=5).json()
    operation = spec["paths"]["/sandbox/catalog"]["get"]
    schema = {**operation["responses"]["200"]["content"]["application/json"]["schema"], "components": spec["components"]}
    body = requests.get(sandbox.url + "/sandbox/catalog", timeout=5).json()
    jsonschema.validate(body, schema)
    body["samples"][0]["extra"] = "x"  # the document is closed: what the sandbox does not send fails
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(body, schema)
    card = spec["paths"]["/sandbox/samples/{file}"]["get"]["responses"]
    assert set(card) == {"200", "404"} and set(card["200"]["content"]) == {"image/png", "image/jpeg", "application/pdf"}


def test_the_sandboxs_words_show_as_text(monkeypatch, tmp_path):
    from tests.apptest_helpers import open_page, unescape

    label = "**Bold** [link](http://evil.example) :red[red] <b>b</b>"
    with _their_sandbox(tmp_path, label) as other:
        monkeypatch.setenv("KYC_SANDBOX_URL", other.url)
        at = open_page("npwp")
        (button,) = [button for button in at.button if button.key == "npwp_sample_their-card.png"]
        assert button.label != label and unescape(button.label) == label  # escaped Markdown: shown as typed
        home = open_page("home")
        cells = [str(cell) for table in home.table for cell in table.value.to_numpy().ravel()]
        assert label not in cells and label in [unescape(cell) for cell in cells]  # escaped in the home page's table
