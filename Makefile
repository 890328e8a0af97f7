# Two entry points: `make run` serves the dashboard, `make test` runs every check.
# Both need only Python 3.11+ and make. They install exactly what uv.lock says into .venv
# (`uv sync --frozen`): a new release upstream changes nothing until `make lock` is run and committed.
# uv itself is pinned below and installed with pip into .tools/, outside the project's environment.
PYTHON ?= python3
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test
# uv uses the Python that runs make (never downloads one) and the .venv in this folder.
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON := $(PYTHON)
export UV_PYTHON_DOWNLOADS := never
export UV_NATIVE_TLS := 1

.PHONY: run test check lint format validate bench export lock clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(STAMP_RUN): pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --no-dev --quiet
	rm -f $(STAMP_TEST)
	touch $@

$(STAMP_TEST): pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --no-dev --extra test --quiet
	touch $@ $(STAMP_RUN)

run: $(STAMP_RUN)
	$(BIN)/python -m figures.ui.serve --server.port 8501

# The full suite: everything in `check`, then the real-browser and soak tests.
test: $(STAMP_TEST)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m figures validate
	$(BIN)/python -m pytest

# The fast layer for the edit-test loop: lint, data validation, unit and AppTest tests.
check: $(STAMP_TEST)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m figures validate
	$(BIN)/python -m pytest -m "not browser and not soak" -q

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

# The static snapshot: `make export` writes site/; the Pages workflow runs
# `make export EXPORT_DIR=_site EXPORT_FLAGS="--base-url https://..."` (.github/workflows/pages.yml).
EXPORT_DIR ?= site
EXPORT_FLAGS ?=
export: $(STAMP_RUN)
	$(BIN)/python -m figures export $(EXPORT_DIR) $(EXPORT_FLAGS)

# Refresh the lock to the newest releases that pyproject.toml allows, and the files made from it.
# Review the diff, run `make test`, commit uv.lock and requirements.txt together.
lock: | $(UV)
	$(UV) lock --upgrade
	$(UV) export --frozen --no-dev --no-emit-project --format requirements-txt \
		--output-file requirements.txt --quiet

clean:
	rm -rf $(VENV) $(TOOLS) .pytest_cache .ruff_cache site _site
