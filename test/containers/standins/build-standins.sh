#!/usr/bin/env bash
# Test-only stand-ins for the upstream images docker-compose.yml and the Dockerfile name, for machines that reach
# no image registry (CI here). Each stand-in is built from Debian packages and npm with the same entrypoint
# contract, paths, user ids and volumes that the compose file relies on, and tagged with the exact name the compose
# file pins, so docker-compose.yml runs unchanged. An image already present (pulled official, or an earlier
# stand-in) always wins; a pull is tried first. Stand-ins carry the label org.smarty.standin=true and are never pushed.
#
#   test/containers/standins/build-standins.sh        # needs a running Docker engine and debootstrap (root)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
work="${STANDIN_WORK:-$root/.cache/standins}"
export DOCKER_BUILDKIT=0
mkdir -p "$work"

log() { printf 'standins: %s\n' "$*"; }

# The pinned names, read from the files that pin them.
node_version="$(sed -n 's/^ARG NODE_VERSION=//p' "$root/Dockerfile")"
node_version_armv7="$(sed -n 's/^ARG NODE_VERSION_ARMV7=//p' "$root/Dockerfile")"
debian_image="$(sed -n 's/^ARG DEBIAN_IMAGE=//p' "$root/Dockerfile")"
compose_image() { sed -n "s#^ *image: *\($1:[^ ]*\)#\1#p" "$root/docker-compose.yml" | head -n 1; }
mosquitto_image="$(compose_image eclipse-mosquitto)"
redis_image="$(compose_image redis)"
prometheus_image="$(compose_image prom/prometheus)"
for v in node_version node_version_armv7 debian_image mosquitto_image redis_image prometheus_image; do
  [ -n "${!v}" ] || { echo "standins: cannot read $v from Dockerfile / docker-compose.yml" >&2; exit 1; }
done

# True when the image is neither present nor pullable.
missing() {
  docker image inspect "$1" >/dev/null 2>&1 && return 1
  timeout 60 docker pull -q "$1" >/dev/null 2>&1 && { log "$1 pulled"; return 1; }
  return 0
}

# The Debian mirror this machine's apt uses (never a name of ours).
debian_mirror() {
  local uri
  uri="$(sed -n 's/^URIs: *\([^ ]*\).*/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security | head -n 1)"
  [ -n "$uri" ] || uri="$(awk '$1=="deb" && $3 ~ /^bookworm$/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null)"
  [ -n "$uri" ] || { echo "standins: no Debian mirror in the apt sources" >&2; exit 1; }
  echo "$uri"
}

build() { # tag dir [build-arg...]
  local tag="$1" dir="$2"; shift 2
  log "building $tag"
  docker build -q --network host --label org.smarty.standin=true "$@" -t "$tag" "$dir" >/dev/null
}

# debian:bookworm-slim — a minbase root file system, trimmed like the official slim image (no docs, man pages,
# locales or apt lists).
if missing "$debian_image"; then
  command -v debootstrap >/dev/null || { echo "standins: debootstrap is needed (apt-get install debootstrap)" >&2; exit 1; }
  rootfs="$work/rootfs"
  rm -rf "$rootfs"
  log "debootstrap bookworm (about a minute)"
  debootstrap --variant=minbase bookworm "$rootfs" "$(debian_mirror)" >"$work/debootstrap.log" 2>&1 \
    || { tail -n 20 "$work/debootstrap.log" >&2; exit 1; }
  rm -rf "$rootfs"/usr/share/{doc,man,info,locale}/* "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin \
    "$rootfs"/var/cache/apt/archives/*.deb
  tar -C "$rootfs" -c . | docker import --change 'CMD ["bash"]' \
    --change 'LABEL org.smarty.standin=true' - "$debian_image" >/dev/null
  rm -rf "$rootfs"
  log "$debian_image imported"
fi

# node:<version>-bookworm-slim — that Debian, the official Node binary from npm's node-linux-<arch> package, npm,
# a "node" user (uid 1000), and this machine's CA bundle so npm inside a build trusts the registry's chain.
node_standin() { # version
  local version="$1" tag="node:$1-bookworm-slim" ctx="$work/node-$1"
  missing "$tag" || return 0
  local arch=x64; case "$(uname -m)" in aarch64|arm64) arch=arm64 ;; esac
  rm -rf "$ctx" && mkdir -p "$ctx"
  (cd "$ctx" && npm pack --silent "node-linux-$arch@$version" "npm@11" >/dev/null)
  mkdir -p "$ctx/node" "$ctx/npm"
  tar -xzf "$ctx"/node-linux-*.tgz -C "$ctx/node" --strip-components=1
  tar -xzf "$ctx"/npm-*.tgz -C "$ctx/npm" --strip-components=1
  rm -f "$ctx"/*.tgz
  cp /etc/ssl/certs/ca-certificates.crt "$ctx/ca-certificates.crt"
  cp "$here/node/Dockerfile" "$ctx/Dockerfile"
  build "$tag" "$ctx" --build-arg "DEBIAN_IMAGE=$debian_image"
  rm -rf "$ctx"
}
node_standin "$node_version"
node_standin "$node_version_armv7"

missing "$mosquitto_image" && build "$mosquitto_image" "$here/mosquitto" --build-arg "DEBIAN_IMAGE=$debian_image"
missing "$redis_image" && build "$redis_image" "$here/redis" --build-arg "DEBIAN_IMAGE=$debian_image"
missing "$prometheus_image" && build "$prometheus_image" "$here/prometheus" --build-arg "DEBIAN_IMAGE=$debian_image"
log "ready: $debian_image node:$node_version-bookworm-slim node:$node_version_armv7-bookworm-slim $mosquitto_image $redis_image $prometheus_image"
