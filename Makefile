# /seen/ — the verbs. `make dev` and `make test` work on a fresh machine:
# each installs what is missing first (system packages, venv, node modules).

SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON_BIN ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
EMBEDDED := PYTHONPATH=localstack:. $(PY) -m embedded
# Debian packages the project needs, as binary:package pairs.
SYSTEM_DEPS := chromium:chromium redis-server:redis-server aria2c:aria2 ffmpeg:ffmpeg caddy:caddy \
                systemd-analyze:systemd fpcalc:libchromaprint-tools
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: help setup system-deps python-deps tools-deps localstack-deps frontend-deps build dev test test-fast test-python test-frontend \
        bench bench-baseline lint lint-infra migrate backup restore package api-types localstack-up deploy-localstack clean \
        genres-export genres-import

help:
	@echo "make dev      run everything locally: http://127.0.0.1:8080 (API on :8000)"
	@echo "make test     every test: Python (unit, integration, e2e in Chromium) and frontend"
	@echo "make bench    benchmarks -> .data/bench/report.json (table: ratio, goal, met, vs baseline)"
	@echo "make setup    install what is missing (system packages, venv, node modules)"
	@echo "make lint     ruff, import layering (lint-imports + scripts/check_layers.py), pyright, frontend typecheck,"
	@echo "              then lint-infra: cfn-lint, sam validate --lint, compose spec, caddy validate, systemd-analyze"
	@echo "make migrate  apply database migrations to DATABASE_URL"
	@echo "make genres-export OUT=file / genres-import FROM=file  custom genres: review sheet out, decisions in"
	@echo "make backup   database + bucket + manifest -> .data/backups/seen-<time>/ (OUT=dir, NO_MEDIA=1)"
	@echo "make restore FROM=dir  restore a backup into DATABASE_URL and the bucket (FORCE=1 replaces users)"
	@echo "make package  build the AWS template (.data/package/sam.yaml) and code bundle"
	@echo "make api-types  regenerate the SPA API types (frontend/src/api/schema.d.ts)"

setup: system-deps python-deps frontend-deps tools-deps

system-deps:
	@missing=""; \
	for pair in $(SYSTEM_DEPS); do \
	  bin=$${pair%%:*}; pkg=$${pair##*:}; \
	  command -v $$bin >/dev/null 2>&1 || missing="$$missing $$pkg"; \
	done; \
	if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  missing="$$missing postgresql postgresql-contrib"; \
	fi; \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

python-deps: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt worker/requirements.txt requirements-server.txt \
                   requirements-bench.txt
	@test -x $(PY) || $(PYTHON_BIN) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check 'pip<26.3'
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	@touch $@

tools-deps: .venv-tools/.installed

.venv-tools/.installed: requirements-tools.txt
	@test -x .venv-tools/bin/python || $(PYTHON_BIN) -m venv .venv-tools
	.venv-tools/bin/python -m pip install -q --disable-pip-version-check -r requirements-tools.txt
	@touch $@

# LocalStack in host mode for the S3 behaviours moto gets wrong (tests/integration/test_localstack_s3.py): its own
# venv on the first Python >= 3.12 found (PATH, then pyenv's versions); made once, remade when the pins change.
# Without such a Python, or when the install fails, those tests are skipped and say why; `make test` goes on.
LOCALSTACK_PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 $(wildcard $(or $(PYENV_ROOT),$(HOME)/.pyenv)/versions/3.1[2-9]*/bin/python3); do \
  $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { command -v $$p; break; }; done)

localstack-deps:
	@if [ -z "$(LOCALSTACK_PYTHON)" ]; then echo "localstack-deps: no Python >= 3.12 here: its S3 tests will be skipped"; \
	else $(MAKE) -s --no-print-directory .venv-localstack/.installed || \
	  echo "localstack-deps: install failed: its S3 tests will be skipped"; fi

.venv-localstack/.installed: requirements-localstack.txt
	@test -x .venv-localstack/bin/python || $(LOCALSTACK_PYTHON) -m venv .venv-localstack
	.venv-localstack/bin/python -m pip install -q --disable-pip-version-check -r requirements-localstack.txt
	@touch $@

frontend-deps: frontend/node_modules/.installed

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	@# npm ci refuses a lock file whose platform-only optional packages the registry
	@# lacks (some mirrors miss tailwind's darwin/win32 builds); install from the lock then.
	cd frontend && (npm ci --no-audit --no-fund --loglevel=error 2>/dev/null || \
	  npm install --no-save --no-audit --no-fund --loglevel=error)
	@touch $@

build: frontend-deps
	cd frontend && npm run build --silent

dev: setup build
	$(EMBEDDED)

# Stages, cheapest first, each in parallel; a failing stage stops the run; a table of times and counts at the end
# (scripts/test_stages.py). SEEN_TEST_WORKERS=N sets the parallel workers (default: two per core, at most 6).
test: setup build localstack-deps
	$(PY) scripts/test_stages.py all

# The inner loop: Python unit and integration, without browser, real-peer, serial and slow tests.
test-fast: python-deps frontend-deps
	$(PY) scripts/test_stages.py fast

test-python: python-deps
	$(PY) -m pytest

test-frontend: frontend-deps
	cd frontend && npm test --silent

bench: setup
	@mkdir -p .data/bench
	$(PY) -m pytest tests/bench -p no:cacheprovider --benchmark-only --benchmark-json=.data/bench/pytest-benchmark.json -q -s

# Records the baseline the table flags regressions against (> 20% worse): per scenario, the median ratio of
# the newest RUNS `make bench` runs (one run is too noisy to judge the next by); unmeasured ones are kept.
RUNS ?= 3
bench-baseline:
	$(PY) scripts/bench_baseline.py --runs $(RUNS)

# The checks that keep the layering from rotting (docs/architecture.md): style, the import contracts of
# .importlinter, the two rules import-linter cannot state, types (pyproject's [tool.pyright]), the SPA's types.
# pyright's pip wheel bundles its JavaScript and runs it on the node that frontend-deps needs anyway.
lint: python-deps frontend-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) scripts/check_layers.py
	$(VENV)/bin/pyright
	cd frontend && npm run typecheck --silent
	@$(MAKE) --no-print-directory lint-infra

# The deployment files through their own tools, in parallel (scripts/lint_infra.py): the packaged template
# (cfn-lint, sam validate --lint), the compose files (compose spec), the Caddyfile (caddy validate), the systemd
# units (systemd-analyze verify), the Dockerfiles (hadolint). Where the linters cannot install from PyPI, or
# caddy/systemd are absent, it says so and skips them.
lint-infra: python-deps
	@$(MAKE) -s --no-print-directory tools-deps || echo "lint-infra: the deployment linters did not install"
	$(PY) scripts/lint_infra.py

migrate: python-deps
	PYTHONPATH=localstack:. $(PY) -c "import os; from embedded import services as s; \
	  s.create_database(os.environ.get('DATABASE_URL', 'postgresql://postgres@127.0.0.1:5432/seen'))"
	$(PY) -m chalicelib.db.migrate

# IMDb datasets import (issue 23): FROM=dir reads local .tsv.gz files, FORCE=1 re-reads unchanged ones.
imdb-import: python-deps
	$(PY) -m chalicelib.imdb import $(if $(FROM),--from "$(FROM)") $(if $(FORCE),--force)

# Custom genres (issue 37): export the review sheet to a file, edit its decisions, import it back.
genres-export: python-deps
	$(PY) -m chalicelib.catalog.genre_files export "$(or $(OUT),genres-review.json)"

genres-import: python-deps
	@test -n "$(FROM)" || { echo "usage: make genres-import FROM=genres-review.json"; exit 2; }
	$(PY) -m chalicelib.catalog.genre_files import "$(FROM)"

# Backups (docs/backups.md): python -m server.backup create|restore.
backup: python-deps
	PYTHONPATH=.:localstack $(PY) -m server.backup create $(if $(OUT),--out "$(OUT)") $(if $(NO_MEDIA),--no-media)

restore: python-deps
	@test -n "$(FROM)" || { echo "usage: make restore FROM=.data/backups/seen-... [FORCE=1]"; exit 2; }
	PYTHONPATH=.:localstack $(PY) -m server.backup restore --from "$(FROM)" $(if $(FORCE),--force)

# The AWS deployment: Chalice's SAM template merged with infra/resources.yml.
package: python-deps
	rm -rf .data/package
	AWS_DEFAULT_REGION=$${AWS_DEFAULT_REGION:-us-east-1} $(VENV)/bin/chalice package --stage prod \
	  --merge-template infra/resources.yml --template-format yaml .data/package
	$(PY) scripts/compile_package.py .data/package/deployment.zip
	@echo "template: .data/package/sam.yaml  code: .data/package/deployment.zip"

# Regenerates the app's route table (chalicelib/routes.json) and the SPA's typed API client
# (frontend/src/api/schema.d.ts) from the app's own OpenAPI document: no server and no network needed.
api-types: python-deps frontend-deps
	$(PY) -m chalicelib.routetable
	SEEN_STAGE=test $(PY) -c "import json, app; from chalicelib import openapi; print(json.dumps(openapi.build(), indent=1))" > frontend/openapi.json
	cd frontend && npm run gen:api --silent -- openapi.json

# The Docker path (needs a Docker engine and LOCALSTACK_AUTH_TOKEN; see README "LocalStack").
LOCALSTACK := AWS_ENDPOINT_URL=http://127.0.0.1:4566 AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test \
  AWS_DEFAULT_REGION=us-east-1 SAM_CLI_TELEMETRY=0

localstack-up:
	docker compose -f localstack/compose.yml up -d --wait

deploy-localstack: package tools-deps
	$(LOCALSTACK) .venv-tools/bin/sam deploy --template-file .data/package/sam.yaml --stack-name seen \
	  --resolve-s3 --no-confirm-changeset --capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND \
	  --parameter-overrides VpcId=vpc-local PrivateSubnetIds=subnet-a,subnet-b PrivateRouteTableIds=rtb-local

clean:
	rm -rf .data frontend/dist
