# hakusho: `make extract` and `make test` set everything up on a fresh clone (Python >= 3.11 and make).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SOURCES ?= sources/sample
OUTPUT ?= output
BUILD ?= build
YEAR ?=
FETCH_FLAGS ?=
JOBS ?=
HAKUSHO_FLAGS ?=
REVIEW ?=

STAMP := $(VENV)/.installed-stamp

.PHONY: extract review test fetch bench lint fixtures clean

# The venv is (re)built when the dependency pins change. PYTHONWARNINGS: setuptools' ten-line note that an
# editable install may be shadowed by a folder named like the package (nothing to act on) is not printed.
$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "hakusho needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	PYTHONWARNINGS="ignore:Editable installation" $(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $@

# HAKUSHO_MAKE_FLAGS: messages name options as make's variables (JOBS=1, HAKUSHO_FLAGS=--force).
extract: $(STAMP)
	HAKUSHO_MAKE_FLAGS=HAKUSHO_FLAGS $(BIN)/hakusho run --sources $(SOURCES) --output $(OUTPUT) --build $(BUILD) $(if $(JOBS),--jobs $(JOBS)) $(HAKUSHO_FLAGS)

# What is left to review in OUTPUT, or (REVIEW="accept ID", "reject ID --reason …") a decision written to
# SOURCES/decisions.csv, which the next `make extract` applies.
review: $(STAMP)
	$(BIN)/hakusho review --sources $(SOURCES) --output $(OUTPUT) $(REVIEW)

test: $(STAMP)
	$(BIN)/python -m pytest

fetch: $(STAMP)
	@test -n "$(YEAR)" || { echo "usage: make fetch YEAR=2025"; exit 2; }
	HAKUSHO_MAKE_FLAGS=FETCH_FLAGS $(BIN)/hakusho fetch $(YEAR) $(FETCH_FLAGS)

bench: $(STAMP)
	$(BIN)/python bench/run.py

lint: $(STAMP)
	$(BIN)/ruff check .

# Regenerates the PDFs under tests/fixtures/pdf and tests/fixtures/layouts (needs the IPAex fonts, and for the
# layouts Chromium and qpdf: apt-get install fonts-ipaexfont chromium qpdf).
fixtures: $(STAMP)
	$(BIN)/python tests/fixtures/make_pdfs.py
	$(BIN)/python tests/fixtures/make_layouts.py

clean:
	rm -rf $(BUILD)
