# ipops — two commands: `make run` and `make test`. Both are safe to re-run.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
export IPOPS_DATA_DIR ?= $(CURDIR)/var

.PHONY: run test setup install lint typecheck messages lock clean

## run: install, migrate, load the demo, serve on http://127.0.0.1:8000
run: setup
	$(BIN)/ipops serve

## setup: everything `run` does before serving
setup: install
	@mkdir -p "$(IPOPS_DATA_DIR)"
	$(BIN)/ipops compilemessages
	$(BIN)/ipops collectstatic --noinput --verbosity 0
	$(BIN)/ipops migrate --noinput
	$(BIN)/ipops loaddemo

## install: Python packages into .venv (pinned by constraints.txt), browser libraries from npm
install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

## test: lint, type-check, architecture contract, migrations check, then every test
test: install lint typecheck
	@mkdir -p "$(IPOPS_DATA_DIR)"
	$(BIN)/ipops compilemessages --verbosity 0
	$(BIN)/ipops makemigrations --check --dry-run
	$(BIN)/pytest

lint:
	$(BIN)/ruff check .
	$(BIN)/lint-imports

typecheck:
	$(BIN)/mypy

## lock: re-pin every Python dependency after changing pyproject.toml
lock:
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e' > constraints.txt

clean:
	rm -rf $(VENV) node_modules "$(IPOPS_DATA_DIR)"
