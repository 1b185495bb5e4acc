#!/usr/bin/env bash
# make image: builds kyc-studio:latest from this checkout.
#
# Works where no image registry is reachable: the Debian bookworm base is pulled if it can be,
# and otherwise bootstrapped from Debian's packages (debootstrap, about 30 s) and imported. The
# host's CA bundle goes in as a BuildKit secret when one is configured, so that pip inside the
# build trusts a TLS proxy the host trusts; it never lands in a layer.
#
#   IMAGE   the tag to build (kyc-studio:latest)
#   BASE    the base image (kyc-studio-base:bookworm, made here if it is missing)
#   CA_BUNDLE  a CA bundle for pip (else REQUESTS_CA_BUNDLE, SSL_CERT_FILE, PIP_CERT, pip's config)
set -euo pipefail
cd "$(dirname "$0")/.."
. docker/lib.sh

IMAGE=${IMAGE:-kyc-studio:latest}
BASE=${BASE:-kyc-studio-base:bookworm}

ensure_engine
started=$SECONDS

if ! "${DOCKER[@]}" image inspect "$BASE" >/dev/null 2>&1; then
  if timeout 30 "${DOCKER[@]}" pull -q debian:bookworm-slim >/dev/null 2>&1; then
    "${DOCKER[@]}" tag debian:bookworm-slim "$BASE"
  else
    say "No registry answers: bootstrapping $BASE from Debian's packages…"
    command -v debootstrap >/dev/null || apt_install debootstrap
    root=$(mktemp -d /tmp/kyc-base.XXXXXX)
    trap 'as_root rm -rf "$root"' EXIT
    as_root debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >/dev/null
    # The same sources as debian:bookworm-slim: the release, its updates and security.
    as_root sh -c "printf '%s\n' \
      'deb http://deb.debian.org/debian bookworm main' \
      'deb http://deb.debian.org/debian bookworm-updates main' \
      'deb http://deb.debian.org/debian-security bookworm-security main' >'$root/etc/apt/sources.list'"
    as_root rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
    as_root tar -C "$root" -c . | "${DOCKER[@]}" import - "$BASE" >/dev/null
    as_root rm -rf "$root"
    trap - EXIT
  fi
  say "Base image $BASE ready in $((SECONDS - started)) s."
fi

ca=${CA_BUNDLE:-${REQUESTS_CA_BUNDLE:-${SSL_CERT_FILE:-${PIP_CERT:-}}}}
if [ -z "$ca" ] && [ -x .venv/bin/python ]; then
  ca=$(.venv/bin/python -m pip config get global.cert 2>/dev/null || true)
fi
args=(--network host --build-arg "BASE=$BASE" -t "$IMAGE")
if [ -n "$ca" ] && [ -s "$ca" ]; then
  args+=(--secret "id=ca,src=$ca")
fi
# A package index of the host's own (an http(s) mirror), and its proxies, reach the build too.
# (A file:// index of the host's is not in the build, so it is left out.)
for name in PIP_INDEX_URL PIP_EXTRA_INDEX_URL; do
  case "${!name:-}" in http://*|https://*) args+=(--build-arg "$name=${!name}") ;; esac
done
for name in HTTP_PROXY HTTPS_PROXY NO_PROXY http_proxy https_proxy no_proxy; do
  if [ -n "${!name:-}" ]; then args+=(--build-arg "$name=${!name}"); fi
done

say "Building $IMAGE on $BASE…"
built=$SECONDS
DOCKER_BUILDKIT=1 "${DOCKER[@]}" build "${args[@]}" .
say "Built $IMAGE in $((SECONDS - built)) s."
"${DOCKER[@]}" image ls "$IMAGE" --format '{{.Repository}}:{{.Tag}} {{.Size}}'
