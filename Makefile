# Knotenpunkt: `make run` starts the app on the sample, `make test` runs every test.
# Both install what is missing first (a virtualenv in .venv, Debian's chromium for the browser tests).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
STORE  ?= var/store
SAMPLE := data/sample/wetzlar_integrationsangebote.xlsx
PORT   ?= 8501
PIP    := $(BIN)/pip install --quiet --disable-pip-version-check

.PHONY: install run test test-fast browser office namespace sample fixtures bench bench-quality clean

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) -r requirements.txt
	$(PIP) --no-deps -e .
	touch $@

install: $(STAMP)

# Debian's chromium drives the browser tests (Playwright never downloads a browser here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# LibreOffice (Impress and Calc) and poppler check the deck, the handout and the XLSX export in the tests.
office:
	@{ command -v libreoffice && command -v pdftoppm && dpkg -s libreoffice-calc; } >/dev/null 2>&1 || { \
	  echo "Installing LibreOffice Impress and Calc and poppler-utils for the export tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends \
	    libreoffice-impress libreoffice-calc poppler-utils >/dev/null; }

$(STORE)/oxigraph: | $(STAMP)
	$(BIN)/knotenpunkt import $(SAMPLE) --store $(STORE) --label "Beispieldaten Wetzlar"

run: $(STAMP) $(STORE)/oxigraph
	KNOTENPUNKT_STORE=$(STORE) $(BIN)/streamlit run app.py --server.port $(PORT) --server.headless true \
	  --browser.gatherUsageStats false

test: $(STAMP) browser office
	$(BIN)/python -m pytest -q

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not browser and not slow"

# Regenerate derived files after editing their sources.
namespace: $(STAMP)
	$(BIN)/python -m knotenpunkt.ontology.generate_namespace

sample: $(STAMP)
	$(BIN)/python data/sample/make_sample.py

fixtures: $(STAMP)
	$(BIN)/python tests/data/make_fixtures.py

# Benchmarks against the naive stack at 1k, 10k and 100k measures; writes bench/REPORT.md.
bench: $(STAMP)
	$(BIN)/python -m bench.run
	$(BIN)/python -m bench.app

clean:
	rm -rf $(VENV) var build *.egg-info

# Precision and recall of the concept matcher and the organisation merges, previous vs current (writes bench/QUALITY.md).
bench-quality: $(STAMP)
	$(BIN)/python -m bench.quality
