# smarty — the two commands: `docker compose up -d` (or `make demo` without Docker) starts the product;
# `make test` runs everything CI runs.
SHELL := /bin/bash
.DEFAULT_GOAL := help
NPM ?= npm
APT_PACKAGES := mosquitto mosquitto-clients redis-server prometheus prosody socat gnupg chromium udev lua-sec
# binary -> Debian package, to install only what is missing
DAEMON_BINARIES := mosquitto:mosquitto mosquitto_passwd:mosquitto-clients redis-server:redis-server \
  prometheus:prometheus promtool:prometheus prosody:prosody socat:socat gpg:gnupg chromium:chromium udevadm:udev \
  busybox:busybox

# Node 24 LTS (what the images run) from the npm package, beside the system Node, for the unit tests.
NODE24_DIR := .cache/node24
NODE24_PKG := node-linux-$(if $(filter aarch64 arm64,$(shell uname -m)),arm64,x64)
NODE24 := $(NODE24_DIR)/node_modules/$(NODE24_PKG)/bin/node
# Every profile, so "down" also stops the optional services.
COMPOSE_ALL := docker compose --profile meter --profile demo --profile notify

.PHONY: help install build typecheck lint test test-unit test-unit-node24 test-integration test-deps bench demo \
  env up up-demo down logs doctor clean

help:
	@echo "make demo        start the product natively (embedded broker + simulator), no Docker needed"
	@echo "make env         create .env from .env.example with random passwords"
	@echo "make up / down   docker compose up -d / down (make up-demo: with the simulated meter)"
	@echo "make test        install what is missing, type-check, lint, run unit and integration tests"
	@echo "make bench       benchmarks (ratios measured in one run)"

node_modules/.package-lock.json: package.json package-lock.json
	$(NPM) ci --no-audit --no-fund
	@touch $@

install: node_modules/.package-lock.json

build: install
	$(NPM) run build

typecheck: install
	$(NPM) run typecheck

lint: install
	$(NPM) run lint

test-deps:
	@missing=""; for pair in $(DAEMON_BINARIES); do bin=$${pair%%:*}; pkg=$${pair##*:}; \
	  if ! command -v $$bin >/dev/null 2>&1 && [ ! -x /usr/sbin/$$bin ]; then missing="$$missing $$pkg"; fi; done; \
	  if [ -n "$$missing" ]; then \
	    echo "test-deps: installing$$missing (lua-sec for prosody TLS)"; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get update -qq && apt-get install -y -qq $$missing lua-sec >/dev/null; \
	  else echo "test-deps: all test daemons present"; fi
	@# docker-compose 1.29 validates docker-compose.yml without an engine; without Recommends (no docker.io).
	@if ! command -v docker-compose >/dev/null 2>&1; then echo "test-deps: installing docker-compose"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends docker-compose >/dev/null; fi

test-unit: install
	$(NPM) run test:unit

test-integration: install test-deps
	$(NPM) run test:integration

$(NODE24):
	$(NPM) install --prefix $(NODE24_DIR) --no-audit --no-fund --no-package-lock $(NODE24_PKG)@24

test-unit-node24: install $(NODE24)
	@echo "unit tests under Node $$($(NODE24) --version)"
	$(NODE24) node_modules/vitest/vitest.mjs run --project unit

test: test-deps install typecheck lint build
	$(NPM) test
	$(MAKE) test-unit-node24

bench: build
	$(NPM) run bench

demo: build
	node scripts/demo.mjs

env:
	node scripts/init-env.mjs

up:
	docker compose up -d

up-demo:
	docker compose --profile demo up -d --build

down:
	$(COMPOSE_ALL) down

logs:
	docker compose logs -f --tail=100

doctor: build
	node packages/cli/dist/main.js doctor --source "$${SMARTY_SOURCE:-serial:///dev/ttyUSB0}"

clean:
	rm -rf node_modules .cache packages/*/dist services/*/dist packages/*/*.tsbuildinfo services/*/*.tsbuildinfo
