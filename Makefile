# Two commands on a fresh machine (both create .venv from requirements.txt when it is missing or stale):
#   make book   build the static site into _build/html
#   make test   run every test: unit tests, nbval on every notebook, book build with warnings as errors
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: book test execute clean

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

book: $(STAMP)
	rm -rf _build/html
	$(BIN)/jupyter-book build . -W -n --keep-going

test: book
	$(BIN)/python -m pytest tests chapters --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg

# Re-execute every notebook in place and store its outputs (after editing a chapter).
execute: $(STAMP)
	$(BIN)/python tools/execute_notebooks.py chapters/*.ipynb

clean:
	rm -rf _build $(VENV)
