# 救助小助手 — `make run` starts everything, `make test` runs the whole suite (see README).
SHELL := /bin/bash
PY310 ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.10.13/bin/python3.10) $(shell command -v python3.10))
PY311 ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.11.7/bin/python3.11) $(shell command -v python3.11))
RASA_ENV := RASA_TELEMETRY_ENABLED=false SQLALCHEMY_SILENCE_UBER_WARNING=1 TF_CPP_MIN_LOG_LEVEL=2 PYTHONPATH=$(CURDIR)
RASA := $(RASA_ENV) .venv-rasa/bin/rasa

.PHONY: setup run test validate model eval bench mutation chromium clean

setup: .venv-rasa/.installed .venv/.installed

# Both locks pin every package with its hashes (regenerate: python3.11 requirements/lock.py): pip refuses any
# file whose sha256 is not in them, and any package that they do not pin.
.venv-rasa/.installed: requirements/rasa.txt requirements/pip.txt
	test -x .venv-rasa/bin/python || $(PY310) -m venv .venv-rasa
	.venv-rasa/bin/pip install -q --require-hashes -r requirements/pip.txt
	.venv-rasa/bin/pip install -q --require-hashes -r requirements/rasa.txt
	touch $@

.venv/.installed: requirements/app.txt requirements/pip.txt pyproject.toml
	test -x .venv/bin/python || $(PY311) -m venv .venv
	.venv/bin/pip install -q --require-hashes -r requirements/pip.txt
	.venv/bin/pip install -q --require-hashes -r requirements/app.txt
	.venv/bin/pip install -q --no-deps -e .
	touch $@

chromium:
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk)

model: setup
	.venv/bin/bot model

run: setup
	.venv/bin/bot serve

validate: setup
	$(RASA) data validate --domain domain --data nlu_data --config config.yml --fail-on-warnings

test: setup chromium model
	.venv/bin/pytest

# triage figures per set (engine beside a TF-IDF baseline), natural answers as the forms read them, pre-screen
# fidelity on scripted households; e.g. make eval EVAL_ARGS="--sets heldout,tuning"
eval: setup
	.venv/bin/python -m tests.evaluation.heldout --json results/eval.json $(EVAL_ARGS)
	.venv/bin/python -m tests.evaluation.answers
	.venv/bin/python -m tests.evaluation.households --set tuning --json results/households.json
	$(RASA) test nlu --nlu nlu_data --config config.yml --cross-validation --folds 3 --out results/crossval

bench: setup model
	.venv/bin/python -m tests.bench.run

# mutation testing of the pure modules against tests/unit (not part of `make test`): kill rates and survivors per
# module, every mutant in results/mutation.json; one package or file: make mutation MUTATE=bot/screening
MUTATE ?= bot/text bot/forms bot/screening bot/safety
mutation: .venv/.installed
	.venv/bin/python -m tests.tools.mutation --json results/mutation.json $(MUTATE)

clean:
	rm -rf var results .rasa
