# smarty — the two commands: `docker compose up -d` (or `make demo` without Docker) starts the product;
# `make test` runs everything CI runs.
SHELL := /bin/bash
.DEFAULT_GOAL := help
NPM ?= npm
# Every binary a test calls -> its Debian package, so test-deps installs only what is missing. The Docker engine
# (docker.io, containerd, runc, iptables) and debootstrap serve the container tests (test/containers), which start
# dockerd themselves when none answers and stop it by PID; docker-compose also validates docker-compose.yml.
TEST_BINARIES := mosquitto:mosquitto mosquitto_passwd:mosquitto-clients mosquitto_sub:mosquitto-clients \
  redis-server:redis-server redis-cli:redis-tools prometheus:prometheus promtool:prometheus prosody:prosody \
  prosodyctl:prosody socat:socat gpg:gnupg gpgconf:gpgconf openssl:openssl chromium:chromium udevadm:udev \
  busybox:busybox ip:iproute2 docker-compose:docker-compose dockerd:docker.io containerd:containerd runc:runc \
  iptables:iptables debootstrap:debootstrap
# Packages without a binary of their own: TLS for prosody.
TEST_PACKAGES := lua-sec

# Node 24 LTS (what the images run) from the npm package, beside the system Node, for the unit tests.
NODE24_DIR := .cache/node24
NODE24_PKG := node-linux-$(if $(filter aarch64 arm64,$(shell uname -m)),arm64,x64)
NODE24 := $(NODE24_DIR)/node_modules/$(NODE24_PKG)/bin/node
# Every profile, so "down" also stops the optional services.
COMPOSE_ALL := docker compose --profile meter --profile demo --profile notify

.PHONY: help install build typecheck lint test test-unit test-unit-node24 test-integration test-containers test-deps \
  bench bench-stack images demo demo-history env up up-demo down logs doctor clean

help:
	@echo "make demo        start the product natively (embedded broker + simulator), no Docker needed"
	@echo "make demo-history the same after a simulated past week (DEMO_HISTORY=7d), so statistics have days"
	@echo "make env         create .env from .env.example with random passwords"
	@echo "make up / down   docker compose up -d / down (make up-demo: with the simulated meter)"
	@echo "make test        install what is missing, type-check, lint, run unit and integration tests"
	@echo "make bench       benchmarks (ratios measured in one run); make bench-stack: the stack's memory and disk writes"
	@echo "make images      build every image of docker-compose.yml here (stand-ins for upstream images that cannot be pulled)"

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
	@missing=""; for pair in $(TEST_BINARIES); do bin=$${pair%%:*}; pkg=$${pair##*:}; \
	  if ! command -v $$bin >/dev/null 2>&1 && [ ! -x /usr/sbin/$$bin ] && [ ! -x /sbin/$$bin ]; then \
	    case " $$missing " in *" $$pkg "*) ;; *) missing="$$missing $$pkg" ;; esac; fi; done; \
	  for pkg in $(TEST_PACKAGES); do dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; done; \
	  if [ -n "$$missing" ]; then \
	    echo "test-deps: installing$$missing"; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get update -qq && apt-get install -y -qq $$missing >/dev/null; \
	  else echo "test-deps: every test binary is present"; fi

test-containers: install test-deps build
	$(NPM) run test:containers

images:
	bash scripts/images.sh

bench-stack: build
	$(NPM) run bench:stack

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

# The demo after a simulated past week replayed in a minute, so the statistics have days to show.
demo-history: build
	DEMO_HISTORY=$${DEMO_HISTORY:-7d} node scripts/demo.mjs

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

# Reads .env like compose does (source, key, key files from ./config/ingest); the environment wins.
doctor: build
	node scripts/doctor-env.mjs

clean:
	rm -rf node_modules .cache packages/*/dist services/*/dist packages/*/*.tsbuildinfo services/*/*.tsbuildinfo
