#!/usr/bin/env bash
# `make images`: every image docker-compose.yml uses, built on this machine.
#  - smarty's own (ingest, exporter, display, notifier, cli) from the one Dockerfile, tagged with the names the
#    compose file gives them (SMARTY_IMAGE_REPOSITORY, SMARTY_VERSION), so `docker compose up` uses them as they are;
#  - for each pinned upstream image (Node base, Debian slim, mosquitto, redis, prometheus) that is neither present
#    nor pullable, the test-only stand-in of test/containers/standins (never pushed; a pulled image always wins).
# With buildx the build uses BuildKit; without it (Debian's docker.io CLI plugins missing) the legacy builder.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="${SMARTY_IMAGE_REPOSITORY:-ghcr.io/smarty-ihd}"
version="${SMARTY_VERSION:-latest}"
docker info >/dev/null 2>&1 || { echo "images: no Docker engine answers (start dockerd, or see docs/operations.md)" >&2; exit 1; }
bash test/containers/standins/build-standins.sh
if ! docker buildx version >/dev/null 2>&1; then export DOCKER_BUILDKIT=0; fi
start=$(date +%s)
for service in ingest exporter display notifier cli; do
  echo "images: building $repo/smarty-$service:$version"
  docker build -q --network host --build-arg "SERVICE=$service" -t "$repo/smarty-$service:$version" . >/dev/null
done
echo "images: built in $(( $(date +%s) - start )) s"
docker image ls --format '{{.Repository}}:{{.Tag}}  {{.Size}}' | grep -E "^$repo/smarty-" | sort
