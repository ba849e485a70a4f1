# Every target sets itself up: the venv from requirements.lock, the Terraform CLI config, the emulators.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(CURDIR)/$(VENV)/bin/python
AWS_EMULATOR ?= moto
ENVS := staging prod
# terraform from PATH, else build/bin/terraform unzipped from the carried release (tools/toolchain.py).
export PATH := $(CURDIR)/build/bin:$(PATH)
export TF_CLI_CONFIG_FILE := $(CURDIR)/build/terraform.tfrc
export TF_IN_AUTOMATION := 1
export BC_SKIP_MAPPING := TRUE
export AWS_EMULATOR

.PHONY: FORCE toolchain setup gate test lint typecheck terraform-check unit plan evidence integration bench bench-service serve fuzz clean services

$(VENV)/.installed: requirements.lock service/requirements.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found" >&2; exit 2; }
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.lock
	# The service image's own lock, a complete freeze installed without resolving (see its header).
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --no-deps -r service/requirements.lock
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

# checkov lives in its own venv: it depends on bc-python-hcl2, a fork that installs the same `hcl2`
# package as python-hcl2 and would shadow the parser our loader is written for.
CHECKOV_VENV := .venv-checkov
CHECKOV := $(CURDIR)/$(CHECKOV_VENV)/bin/checkov
export CHECKOV

$(CHECKOV_VENV)/.installed: requirements-checkov.lock
	test -x $(CHECKOV_VENV)/bin/python || $(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-checkov.lock
	touch $@

# LocalStack (localstack-core) needs Python >= 3.12: its own venv, from pyenv's 3.13 when present.
LOCALSTACK_VENV := .venv-localstack
PYTHON313 ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3.13) python3.13)

$(LOCALSTACK_VENV)/.installed: requirements-localstack.lock
	@command -v $(PYTHON313) >/dev/null || { echo "error: $(PYTHON313) not found (LocalStack needs Python >= 3.12)" >&2; exit 2; }
	test -x $(LOCALSTACK_VENV)/bin/python || $(PYTHON313) -m venv $(LOCALSTACK_VENV)
	$(LOCALSTACK_VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-localstack.lock
	touch $@

# Rendered on every run (the machine decides: TF_PLUGIN_MIRROR, /opt/tf-plugins, the carried mirror or none),
# rewritten only when it changes.
$(TF_CLI_CONFIG_FILE): terraform/cli.tfrc.in tools/toolchain.py FORCE
	@$(PYTHON) -m tools.toolchain cli-config $@

toolchain: $(TF_CLI_CONFIG_FILE)
	@$(PYTHON) -m tools.toolchain terraform >/dev/null
	@$(PYTHON) -m tools.toolchain system

# actionlint for make test (tests/test_workflow.py), built from the Go module proxy at a pinned version.
ACTIONLINT_VERSION := v1.7.12
ACTIONLINT := $(CURDIR)/build/bin/actionlint
export ACTIONLINT

build/bin/.actionlint-$(ACTIONLINT_VERSION):
	@command -v go >/dev/null || { echo "error: go not found (actionlint is built from the Go module proxy)" >&2; exit 2; }
	GOBIN=$(CURDIR)/build/bin go install github.com/rhysd/actionlint/cmd/actionlint@$(ACTIONLINT_VERSION)
	touch $@

setup: $(VENV)/.installed $(CHECKOV_VENV)/.installed toolchain build/bin/.actionlint-$(ACTIONLINT_VERSION)

## gate: the compliance gate over our envs in HCL and plan form (pytest plugin), then the evidence bundle
gate: setup
	$(PY) -m tools.plan $(ENVS)
	$(PY) -m pytest -p compliance.pytest_plugin -m compliance -q -o addopts="--strict-markers --strict-config" \
	  $(foreach env,$(ENVS),--compliance-path terraform/envs/$(env) --compliance-plan build/plan/$(env).json)
	$(MAKE) --no-print-directory evidence

## test: lint, types, terraform checks and every test (unit, integration on moto and LocalStack, bench smoke)
test: setup lint typecheck terraform-check
	$(PY) -m pytest --junitxml=build/test-results/junit.xml

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: setup
	$(VENV)/bin/mypy

terraform-check: setup
	$(PY) -m tools.terraform_check

plan: setup
	$(PY) -m tools.plan $(ENVS)

evidence: setup
	$(PY) -m compliance evidence $(foreach env,$(ENVS),terraform/envs/$(env)) --output-dir reports/evidence --checkov

integration: setup $(LOCALSTACK_VENV)/.installed
	INTEGRATION_EMULATORS=$(AWS_EMULATOR) $(PY) -m pytest tests/integration -m integration

## services: real Neo4j (and OpenSearch, where its launcher exists) on 127.0.0.1 for people, until Ctrl-C
services: setup
	$(PY) -m emulator.services

bench: setup
	$(PY) -m bench
	$(PY) -m bench.service

## bench-service: the API alone: ingest throughput and search p50/p95 at 10k chunks (bench/service-results.json)
bench-service: setup
	$(PY) -m bench.service

## serve: the API on http://127.0.0.1:8000 against native Neo4j and OpenSearch (prints this run's token)
serve: setup
	$(PY) -m tools.serve

fuzz: setup
	HYPOTHESIS_PROFILE=fuzz $(PY) -m pytest tests/fuzz

clean:
	rm -rf build reports .pytest_cache .mypy_cache .ruff_cache
