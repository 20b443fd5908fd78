# smarty — the two commands: `docker compose up -d` (or `make demo` without Docker) starts the product;
# `make test` runs everything CI runs.
SHELL := /bin/bash
.DEFAULT_GOAL := help
NPM ?= npm
APT_PACKAGES := mosquitto mosquitto-clients redis-server prometheus prosody socat gnupg chromium udev lua-sec
# binary -> Debian package, to install only what is missing
DAEMON_BINARIES := mosquitto:mosquitto mosquitto_passwd:mosquitto-clients redis-server:redis-server \
  prometheus:prometheus promtool:prometheus prosody:prosody socat:socat gpg:gnupg chromium:chromium udevadm:udev

.PHONY: help install build typecheck lint test test-unit test-integration test-deps bench demo up down logs doctor clean

help:
	@echo "make demo        start the product natively (embedded broker + simulator), no Docker needed"
	@echo "make up / down   docker compose up -d / down"
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

test-unit: install
	$(NPM) run test:unit

test-integration: install test-deps
	$(NPM) run test:integration

test: test-deps install typecheck lint build
	$(NPM) test

bench: build
	$(NPM) run bench

demo: build
	node scripts/demo.mjs

up:
	docker compose up -d

down:
	docker compose down

logs:
	docker compose logs -f --tail=100

doctor: build
	node packages/cli/dist/main.js doctor --source "$${SMARTY_SOURCE:-serial:///dev/ttyUSB0}"

clean:
	rm -rf node_modules packages/*/dist services/*/dist packages/*/*.tsbuildinfo services/*/*.tsbuildinfo
