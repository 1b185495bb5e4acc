"""What `make image-test` asks of a running container, over HTTP from outside it (stdlib only).

    python3 docker/image_check.py APP_URL SANDBOX_URL CARD_FILE

APP_URL is the Streamlit app, SANDBOX_URL the sandbox server started inside the container,
CARD_FILE a card none of the sandbox's samples is (a re-encoded sample), so that the
container's own OCR reads it. Prints one line per check; exits 1 at the first that fails.
"""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

NPWP_HEADERS = {"App-ID": "demo-app", "API-Key": "demo-key"}  # the sandbox's documented credentials
TD_QUERY = "partner_code=demo&partner_key=demo-key"


def fail(what: str) -> None:
    print(f"FAIL  {what}")
    sys.exit(1)


def ok(what: str) -> None:
    print(f"ok    {what}")


def fetch(url: str, data: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {}, method="POST" if data is not None else "GET")
    try:
        with urllib.request.urlopen(request, timeout=120) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def extract(sandbox: str, name: str, data: bytes) -> dict[str, Any]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="image"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    headers = {**NPWP_HEADERS, "Content-Type": f"multipart/form-data; boundary={boundary}"}
    status, answer = fetch(f"{sandbox}/ocr/npwp", body, headers)
    if status != 200:
        fail(f"NPWP OCR of {name}: HTTP {status} {answer[:200]!r}")
    return json.loads(answer)["data"]["result_data"]


def main(app: str, sandbox: str, card: str) -> None:
    status, body = fetch(f"{app}/_stcore/health")
    if (status, body.strip()) != (200, b"ok"):
        fail(f"the app's health: {status} {body[:80]!r}")
    ok("the app answers /_stcore/health")
    status, body = fetch(f"{app}/")
    if status != 200 or b"<html" not in body.lower():
        fail(f"the app's page: HTTP {status}")
    ok("the app serves its page")

    catalog = json.loads(fetch(f"{sandbox}/sandbox/catalog")[1])
    sample = catalog["samples"][0]
    status, data = fetch(sandbox + sample["url"])
    fields = extract(sandbox, sample["file"], data)
    if fields["npwp"] != sample["fields"]["npwp"]:
        fail(f"sample card {sample['file']}: {fields['npwp']} for {sample['fields']['npwp']}")
    ok(f"sample card {sample['file']}: NPWP {fields['npwp']}, {fields['name']}")

    # The re-encoded card matches no sample's hash: the container's OCR engine reads it.
    read = extract(sandbox, Path(card).name, Path(card).read_bytes())
    if read.get("npwp") != sample["fields"]["npwp"]:
        fail(f"the OCR read of a re-encoded {sample['file']}: {read}")
    ok(f"the container's OCR reads a re-encoded card: NPWP {read['npwp']}, {read.get('name')}")

    persona = next(p for p in catalog["personas"] if p["key"] == "all_match")
    request = {"id_type": "national_id", **persona["request"]}
    status, body = fetch(
        f"{sandbox}/credit/data/feature/income/v1?{TD_QUERY}",
        json.dumps(request).encode(),
        {"Content-Type": "application/json"},
    )
    answer = json.loads(body)
    data = answer.get("data") or {}
    expected = persona["expected"]["comparisons"]
    got = {field: data.get(field) for field in expected}
    if status != 200 or answer.get("result") != "hit" or got != expected:
        fail(f"persona {persona['key']}: HTTP {status} {body[:300]!r}")
    ok(f"persona {persona['key']}: hit at {data.get('company')}, {len(got)} fields MATCH")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
