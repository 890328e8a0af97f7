# Two entry points: `make run` serves the dashboard, `make test` runs every check.
# Both create a local virtual environment in .venv and install from the package registries.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test

.PHONY: run test lint format validate bench export clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(STAMP_TEST): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@ $(STAMP_RUN)

run: $(STAMP_RUN)
	$(BIN)/streamlit run app.py --server.port 8501

test: $(STAMP_TEST)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m figures validate
	$(BIN)/python -m pytest

lint: $(STAMP_TEST)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP_TEST)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

validate: $(STAMP_RUN)
	$(BIN)/python -m figures validate

bench: $(STAMP_TEST)
	$(BIN)/python -m bench

export: $(STAMP_RUN)
	$(BIN)/python -m figures export site

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache site
