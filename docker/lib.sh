# Shared by docker/build.sh and docker/image-test.sh: a Docker engine that works on this machine.
# shellcheck shell=bash

say() { printf '%s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    say "This needs root: $*"; exit 1
  fi
}

apt_install() {
  # Waits for another apt (the set-up's, say) to finish rather than failing on its lock.
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
    --no-install-recommends "$@" >/dev/null
}

# The client that builds: one with BuildKit (for --secret). A client with the buildx plugin does;
# without it, Debian's docker.io client (20.10) has BuildKit built in, while a newer client
# without buildx has only the legacy builder, which knows no secrets.
pick_client() {
  if docker buildx version >/dev/null 2>&1; then DOCKER=(docker); return; fi
  # (--version: the client's own, which answers while no engine runs yet.)
  if [ -x /usr/bin/docker ] && /usr/bin/docker --version 2>/dev/null | grep -q '^Docker version 20\.'; then
    DOCKER=(/usr/bin/docker); return
  fi
  DOCKER=(docker)
}

ensure_engine() {
  if ! command -v dockerd >/dev/null; then
    say "Installing Docker's engine from Debian (docker.io)…"
    apt_install docker.io
  fi
  pick_client
  if "${DOCKER[@]}" info >/dev/null 2>&1; then return; fi
  # No bridge network and no iptables rules: containers share the host's network (--network host),
  # so nothing but loopback and what the host itself reaches.
  say "Starting dockerd (--bridge=none), log in ${DOCKERD_LOG:-/tmp/dockerd.log}…"
  as_root sh -c "nohup dockerd --bridge=none --iptables=false --ip6tables=false >'${DOCKERD_LOG:-/tmp/dockerd.log}' 2>&1 &"
  for _ in $(seq 60); do
    "${DOCKER[@]}" info >/dev/null 2>&1 && return
    sleep 1
  done
  say "dockerd did not start: see ${DOCKERD_LOG:-/tmp/dockerd.log}"
  exit 1
}
