# dyadwatch — `make help` lists the commands.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SEED ?= ../shared/seed/venezuela-us-russia-2022-03.ar.txt
CORPUS ?= ../shared/corpus/saudinewsnet-ar.jsonl.gz

.DEFAULT_GOAL := help
.PHONY: help setup run down test test-unit lint bench quality train clean

help: ## list the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP) ## create .venv and install dyadwatch with its dev tools

run: $(STAMP) ## start the embedded stack, ingest the seed article, show the events
	$(BIN)/dyadwatch up --detach
	$(BIN)/dyadwatch ingest $(SEED) --published-at 2022-03-06
	$(BIN)/dyadwatch events --wait 90
	@sleep 2  # the state agent follows the detect agent by a batch window
	$(BIN)/dyadwatch report status --pair US-VE
	$(BIN)/dyadwatch report status --pair US-RU
	@echo
	@echo "The stack keeps running: psql \"\$$($(BIN)/dyadwatch db-url --libpq)\" · stop it with: $(BIN)/dyadwatch down"
	@echo "Dashboard: $$($(BIN)/dyadwatch api-url)/ · sign in with a key from: $(BIN)/dyadwatch apikey create --name you"

down: $(STAMP) ## stop the embedded stack
	$(BIN)/dyadwatch down

test: $(STAMP) ## run every test (integration tests start Kafka and PostgreSQL themselves)
	$(BIN)/python -m pytest

test-unit: $(STAMP) ## run the tests that need no services
	$(BIN)/python -m pytest tests/unit

lint: $(STAMP) ## ruff and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(STAMP) ## detector and pipeline benchmarks over the real corpus
	$(BIN)/python bench/extract.py --corpus $(CORPUS)
	$(BIN)/python bench/pipeline.py --corpus $(CORPUS)

quality: $(STAMP) ## detector precision and recall on real labelled news (cross-validated)
	$(BIN)/python bench/quality.py

train: $(STAMP) ## retrain the detector's model on every labelled item
	$(BIN)/python bench/train.py

clean: ## remove the virtualenv and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
