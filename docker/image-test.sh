#!/usr/bin/env bash
# make image-test: starts the image built by `make image`, waits until it is healthy, extracts a
# sample card and a re-encoded one (read by the container's own OCR) and verifies a persona over
# HTTP from outside the container, runs every page in Streamlit's AppTest inside it, checks what
# the image must not hold, and stops it. Host networking, loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
. docker/lib.sh

IMAGE=${IMAGE:-kyc-studio:latest}
ensure_engine
command -v python3 >/dev/null || apt_install python3  # the checks from outside are stdlib Python
if ! "${DOCKER[@]}" image inspect "$IMAGE" >/dev/null 2>&1; then
  say "No image $IMAGE: run make image first."
  exit 1
fi

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
APP_PORT=$(free_port)
SANDBOX_PORT=$(free_port)
work=$(mktemp -d /tmp/kyc-image-test.XXXXXX)
name="kyc-image-test-$$"
cleanup() {
  "${DOCKER[@]}" rm -f "$name" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

started=$(date +%s)
# 127.0.0.1: with host networking the app would otherwise listen on every address of the host.
# The image's HEALTHCHECK, run every 2 s instead of 15 s so that the wait is short.
"${DOCKER[@]}" run -d --name "$name" --network host --health-interval 2s \
  -e STREAMLIT_SERVER_ADDRESS=127.0.0.1 -e STREAMLIT_SERVER_PORT="$APP_PORT" "$IMAGE" >/dev/null

say "Waiting for the container to be healthy (port $APP_PORT)…"
for _ in $(seq 180); do
  health=$("${DOCKER[@]}" inspect -f '{{.State.Health.Status}}' "$name" 2>/dev/null || echo gone)
  [ "$health" = healthy ] && break
  if [ "$health" = gone ] || [ "$("${DOCKER[@]}" inspect -f '{{.State.Running}}' "$name")" != true ]; then
    "${DOCKER[@]}" logs "$name" >&2 || true
    say "FAIL  the container stopped"
    exit 1
  fi
  sleep 1
done
if [ "$health" != healthy ]; then
  "${DOCKER[@]}" logs "$name" >&2
  say "FAIL  the container's HEALTHCHECK never passed"
  exit 1
fi
echo "ok    healthy (the image's HEALTHCHECK) after $(($(date +%s) - started)) s"

"${DOCKER[@]}" exec -d "$name" python -m sandbox --host 127.0.0.1 --port "$SANDBOX_PORT"
for _ in $(seq 60); do
  python3 -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$SANDBOX_PORT/health', timeout=2)" 2>/dev/null && break
  sleep 1
done

# A sample card re-encoded as a JPEG: its hash is no sample's, so the OCR engine has to read it.
"${DOCKER[@]}" exec "$name" python -c '
import io, sys
from PIL import Image
from sandbox import samples
card = Image.open(samples.FOLDER / "npwp15-card.png").convert("RGB")
out = io.BytesIO()
card.save(out, "JPEG", quality=85)
sys.stdout.buffer.write(out.getvalue())
' >"$work/reencoded-card.jpg"

python3 docker/image_check.py "http://127.0.0.1:$APP_PORT" "http://127.0.0.1:$SANDBOX_PORT" "$work/reencoded-card.jpg"

# Every page runs (the runtime requirements are enough), and without a traceback.
"${DOCKER[@]}" exec -e KYC_STATE_DIR=/tmp/kyc-apptest "$name" python -c 2>"$work/apptest.log" '
import sys
from pathlib import Path
from streamlit.testing.v1 import AppTest
failed = []
for page in [None] + sorted(str(p) for p in Path("pages").glob("*.py")):
    at = AppTest.from_file("app.py", default_timeout=120).run()  # from the home page, as a browser
    if page is not None and not at.exception:
        at.switch_page(page).run()
    if at.exception:
        failed.append(f"{page or 'app.py'}: {at.exception[0].value}")
print("\n".join(f"FAIL  {line}" for line in failed) or "ok    every page runs in AppTest inside the container")
sys.exit(1 if failed else 0)
' || { cat "$work/apptest.log" >&2; exit 1; }

# Settings come in from outside: an access code by environment variable, and one in a mounted,
# read-only secrets.toml; either way a new session sees only the sign-in form until it is typed.
signin_check='
import sys
from streamlit.testing.v1 import AppTest
at = AppTest.from_file("app.py", default_timeout=120).run()
assert not at.exception and [t.key for t in at.text_input] == ["access_code"], "no sign-in form"
assert [b.label for b in at.button] == ["Sign in"] and len(at.sidebar) == 0, "more than the sign-in form is drawn"
at.text_input(key="access_code").input(sys.argv[1])
at.button[0].click().run()
assert not at.exception and "access_code" not in [t.key for t in at.text_input], "the right code does not open it"
assert at.radio(key="mode").value == "Sandbox", "the app behind the form is not drawn"
'
"${DOCKER[@]}" run --rm --network host -e KYC_ACCESS_CODE=env-code-4417 -e KYC_STATE_DIR=/tmp/s "$IMAGE" \
  python -c "$signin_check" env-code-4417 2>"$work/signin.log" || { cat "$work/signin.log" >&2; say "FAIL  KYC_ACCESS_CODE"; exit 1; }
printf '[access]\ncode = "file-code-9031"\n' >"$work/secrets.toml"
chmod 644 "$work/secrets.toml"
"${DOCKER[@]}" run --rm --network host -e KYC_STATE_DIR=/tmp/s \
  -v "$work/secrets.toml:/app/.streamlit/secrets.toml:ro" "$IMAGE" \
  python -c "$signin_check" file-code-9031 2>"$work/signin.log" || { cat "$work/signin.log" >&2; say "FAIL  mounted secrets.toml"; exit 1; }
echo "ok    an access code from the environment, and from a mounted secrets.toml, keeps pages behind the sign-in form"

uid=$("${DOCKER[@]}" exec "$name" id -u)
[ "$uid" != 0 ] || { say "FAIL  the app runs as root"; exit 1; }
"${DOCKER[@]}" exec "$name" sh -c 'touch "$KYC_STATE_DIR/.written" && rm "$KYC_STATE_DIR/.written"' \
  || { say "FAIL  the app cannot write its state folder"; exit 1; }
echo "ok    the app runs as uid $uid and can write its state folder (\$KYC_STATE_DIR, a volume)"
"${DOCKER[@]}" exec "$name" sh -c '
  ! ls /app/.streamlit/secrets.toml 2>/dev/null || { echo "FAIL  a secrets.toml is baked in"; exit 1; }
  for tool in chromium pytest playwright; do
    ! command -v $tool >/dev/null || { echo "FAIL  $tool is in the image"; exit 1; }
  done
  ! python -c "import pytest" 2>/dev/null || { echo "FAIL  pytest is in the image"; exit 1; }
  ! python -c "import playwright" 2>/dev/null || { echo "FAIL  playwright is in the image"; exit 1; }
  echo "ok    no secrets.toml, no test tools, no browser in the image"'

echo "image-test passed in $(($(date +%s) - started)) s ($IMAGE, $("${DOCKER[@]}" image inspect -f '{{.Size}}' "$IMAGE" | awk '{printf "%.2f GB", $1/1e9}'))"
