# Every Node part of smarty from one recipe: ARG SERVICE = ingest | exporter | display | notifier | cli.
#
# Build from the repository root (the npm workspace is the build context):
#   docker build --build-arg SERVICE=ingest -t smarty-ingest .
#   docker buildx build --platform linux/amd64,linux/arm64,linux/arm/v7 --build-arg SERVICE=ingest -t smarty-ingest .
#   DOCKER_BUILDKIT=0 docker build --build-arg SERVICE=ingest -t smarty-ingest .     # the legacy builder works too
# docker-compose.yml passes SERVICE for each service. The "build" stage does not depend on SERVICE, so the workspace
# is installed and compiled once and every image reuses that layer from the build cache.
#
# Debian slim (glibc: serialport ships glibc prebuilds for x64, arm64 and armv7). Node 24 LTS on amd64 and arm64;
# Node 24 publishes no 32-bit ARM build (nodejs/node#58071), so linux/arm/v7 gets Node 22 LTS, the last line with
# armv7 binaries. The code runs on both. BuildKit sets TARGETARCH/TARGETVARIANT per platform and builds only the base
# it uses; the legacy builder sets neither (amd64 is assumed, which still gets the engine's own architecture, since
# node:<version> is a multi-arch name) and builds every stage, so every FROM below must resolve.
ARG NODE_VERSION=24.22.3
ARG NODE_VERSION_ARMV7=22.23.5
ARG DEBIAN_IMAGE=debian:bookworm-slim
ARG TARGETARCH
ARG TARGETVARIANT

FROM node:${NODE_VERSION}-bookworm-slim AS node-amd64
FROM node:${NODE_VERSION}-bookworm-slim AS node-arm64
FROM node:${NODE_VERSION_ARMV7}-bookworm-slim AS node-armv7
FROM node-${TARGETARCH:-amd64}${TARGETVARIANT} AS node

# Every workspace manifest and the lock file, so "npm ci" sees the whole workspace and layers cache well.
FROM node AS manifests
WORKDIR /app
ENV npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
COPY package.json package-lock.json ./
COPY packages/p1/package.json packages/p1/
COPY packages/contracts/package.json packages/contracts/
COPY packages/service-kit/package.json packages/service-kit/
COPY packages/simulator/package.json packages/simulator/
COPY packages/ingest-core/package.json packages/ingest-core/
COPY packages/cli/package.json packages/cli/
COPY packages/testkit/package.json packages/testkit/
COPY services/ingest/package.json services/ingest/
COPY services/exporter/package.json services/exporter/
COPY services/display/package.json services/display/
COPY services/notifier/package.json services/notifier/

# Shared by every image: the whole workspace installed and compiled once (tsc -b follows the project references).
FROM manifests AS build
RUN npm ci --ignore-scripts
COPY tsconfig.base.json tsconfig.build.json ./
COPY packages/ packages/
COPY services/ services/
RUN npx tsc -b tsconfig.build.json

# This image's tree: its production dependencies only (npm links just the workspaces it uses), then the built
# output of exactly those workspaces (scripts/docker-assemble.mjs).
FROM manifests AS assemble
ARG SERVICE
RUN test -n "$SERVICE" || { echo "build with --build-arg SERVICE=ingest|exporter|display|notifier|cli" >&2; exit 1; }
COPY scripts/docker-assemble.mjs /tmp/
RUN npm ci --ignore-scripts --omit=dev --workspace "$(node /tmp/docker-assemble.mjs workspace "$SERVICE")"
COPY --from=build /app/packages/ /build/packages/
COPY --from=build /app/services/ /build/services/
RUN node /tmp/docker-assemble.mjs assemble "$SERVICE" /build /out

# Run time: Debian slim plus the Node binary; no npm, yarn, headers or compiler in the image.
FROM ${DEBIAN_IMAGE}
COPY --from=node /usr/local/bin/node /usr/local/bin/node
ENV NODE_ENV=production
WORKDIR /app
COPY --from=assemble /out/ /app/
# A fixed unprivileged uid: volumes and device permissions stay predictable across rebuilds.
USER 10001:10001
# healthcheck.js is this service's own check (its /healthz, or for the notifier its retained status topic).
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 CMD ["node", "/app/healthcheck.js"]
# Exec form: node is PID 1 and receives SIGTERM, so the service stops its components in order and says "offline".
# main.js links to the service's dist/main.js; the CLI takes its command as arguments ("simulate --out …").
ENTRYPOINT ["node", "/app/main.js"]
