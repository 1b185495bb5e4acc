#!/usr/bin/env bash
# make image: builds kyc-studio:latest from this checkout.
#
# Works where no image registry is reachable: the Debian bookworm base is pulled if it can be,
# and otherwise bootstrapped from Debian's packages (debootstrap, about 30 s) and imported. The
# host's CA bundle goes in as a BuildKit secret when one is configured, so that pip inside the
# build trusts a TLS proxy the host trusts; it never lands in a layer.
#
#   IMAGE   the tag to build (kyc-studio:latest)
#   BASE    the base image: kyc-studio-base:bookworm (made here if it is missing), or one to pull
#   CA_BUNDLE  a CA bundle for pip (else REQUESTS_CA_BUNDLE, SSL_CERT_FILE, PIP_CERT, pip's config)
set -euo pipefail
cd "$(dirname "$0")/.."
. docker/lib.sh

IMAGE=${IMAGE:-kyc-studio:latest}
DEFAULT_BASE=kyc-studio-base:bookworm
BASE=${BASE:-$DEFAULT_BASE}
work=$(mktemp -d /tmp/kyc-image.XXXXXX)
trap 'as_root rm -rf "$work"' EXIT

ensure_engine
started=$SECONDS

if ! "${DOCKER[@]}" image inspect "$BASE" >/dev/null 2>&1; then
  if [ "$BASE" != "$DEFAULT_BASE" ]; then
    # A base of your own choosing is pulled as named, never replaced by another.
    "${DOCKER[@]}" pull -q "$BASE" >/dev/null || { say "Cannot pull the base image $BASE."; exit 1; }
  elif timeout 30 "${DOCKER[@]}" pull -q debian:bookworm-slim >/dev/null 2>&1; then
    "${DOCKER[@]}" tag debian:bookworm-slim "$BASE"
  else
    say "No registry answers: bootstrapping $BASE from Debian's packages…"
    command -v debootstrap >/dev/null || apt_install debootstrap
    root="$work/root"
    as_root debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >/dev/null
    # The same sources as debian:bookworm-slim: the release, its updates and security.
    as_root sh -c "printf '%s\n' \
      'deb http://deb.debian.org/debian bookworm main' \
      'deb http://deb.debian.org/debian bookworm-updates main' \
      'deb http://deb.debian.org/debian-security bookworm-security main' >'$root/etc/apt/sources.list'"
    as_root rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
    as_root tar -C "$root" -c . | "${DOCKER[@]}" import - "$BASE" >/dev/null
    as_root rm -rf "$root"
  fi
  say "Base image $BASE ready in $((SECONDS - started)) s."
fi

pip_config() { "$(command -v .venv/bin/python || command -v python3)" -m pip config get "$1" 2>/dev/null || true; }
ca=${CA_BUNDLE:-${REQUESTS_CA_BUNDLE:-${SSL_CERT_FILE:-${PIP_CERT:-$(pip_config global.cert)}}}}
args=(--network host --build-arg "BASE=$BASE" -t "$IMAGE")
if [ -n "$ca" ] && [ -s "$ca" ]; then
  args+=(--secret "id=ca,src=$ca")
fi
# A package index of the host's own (an http(s) mirror; a file:// one is not in the build) goes
# in as a pip.conf secret, not a build argument: a URL may carry a token, and build arguments
# stay in the image's history.
index=${PIP_INDEX_URL:-$(pip_config global.index-url)}
extra=${PIP_EXTRA_INDEX_URL:-$(pip_config global.extra-index-url)}
{
  echo "[global]"
  case "$index" in http://*|https://*) echo "index-url = $index" ;; esac
  web_extra=$(printf '%s\n' $extra | grep -E '^https?://' | tr '\n' ' ' || true)
  [ -z "$web_extra" ] || echo "extra-index-url = $web_extra"
} >"$work/pip.conf"
args+=(--secret "id=pipconf,src=$work/pip.conf")
# Proxies: Docker keeps its predefined proxy arguments out of the image's history.
for name in HTTP_PROXY HTTPS_PROXY NO_PROXY http_proxy https_proxy no_proxy; do
  if [ -n "${!name:-}" ]; then args+=(--build-arg "$name=${!name}"); fi
done

say "Building $IMAGE on $BASE…"
built=$SECONDS
DOCKER_BUILDKIT=1 "${DOCKER[@]}" build "${args[@]}" .
say "Built $IMAGE in $((SECONDS - built)) s."
"${DOCKER[@]}" image ls "$IMAGE" --format '{{.Repository}}:{{.Tag}} {{.Size}}'
