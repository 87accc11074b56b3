# Buttek: `make run` and `make test` are the two commands; the rest are for developers and CI.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi.py

# Select tests: `make test module=loyalty`, `make test frontend=storefront`, `make test args="-x"`.
MARKERS := $(strip $(module) $(frontend))
PYTEST_SELECT := $(if $(MARKERS),-m "$(subst $(eval) , and ,$(MARKERS))",)
COVERAGE := $(if $(MARKERS),,--cov=webapp --cov=blueprints --cov-report=term-missing:skip-covered --cov-fail-under=85)

.PHONY: run test install migrate seed worker beat serve lint contracts check vendor screenshots clean \
        translations translations-extract

# Compiled catalogs (.mo) are built from the .po files in translations/, never committed.
PO_FILES := $(wildcard translations/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)

$(BIN)/activate: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $(BIN)/activate

install: $(BIN)/activate $(MO_FILES)

translations: $(MO_FILES)  ## compile the message catalogs

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po $(BIN)/activate
	$(BIN)/pybabel compile --statistics -l $* -i $< -o $@

translations-extract: install  ## collect the marked strings and merge them into every catalog
	$(BIN)/pybabel extract --no-location --sort-output -F babel.cfg -k _l -k lazy_gettext -o translations/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching -i translations/messages.pot -d translations

run: install migrate seed  ## install, migrate, seed and serve on http://127.0.0.1:5000 (SQLite)
	$(BIN)/flask run --host 127.0.0.1 --port 5000

migrate: install
	$(BIN)/flask db upgrade

seed: install
	$(BIN)/flask demo seed

test: install  ## the whole suite with coverage (fails under 85 %)
	$(BIN)/pytest $(PYTEST_SELECT) $(COVERAGE) $(args) || { status=$$?; \
	  if [ $$status -eq 5 ] && [ -n "$(MARKERS)" ]; then echo "No tests carry the marker(s) $(MARKERS) yet."; \
	  else exit $$status; fi; }

lint: install
	$(BIN)/ruff check .

contracts: install  ## architecture rules (import-linter)
	$(BIN)/lint-imports

check: lint contracts test

worker: install  ## Celery worker (needs REDIS_URL)
	$(BIN)/celery -A webapp.worker worker --loglevel INFO

beat: install  ## Celery beat scheduler (needs REDIS_URL)
	$(BIN)/celery -A webapp.worker beat --loglevel INFO

serve: install  ## production-style server; the workers share their metrics through a folder
	export PROMETHEUS_MULTIPROC_DIR="$${PROMETHEUS_MULTIPROC_DIR:-$$(mktemp -d)}"; \
	$(BIN)/gunicorn --workers 3 --bind 127.0.0.1:8000 --access-logfile - wsgi:app

vendor:  ## refresh static/vendor from npm at the pinned versions
	bash scripts/vendor.sh

screenshots: install
	$(BIN)/python scripts/screenshots.py screenshots

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .coverage htmlcov
