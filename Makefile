# Two commands on a fresh machine (both create .venv from requirements.txt when it is missing or stale):
#   make book   build the static site into _build/html
#   make test   run every test: book build with warnings as errors, unit tests, nbval on every
#               notebook, and the built site in headless Chromium (installed from Debian if missing)
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: book test browser execute bench mutation binder-check colab-check clean

$(STAMP): requirements.txt pyproject.toml lib/_jupyter_server.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	install -D -m 644 lib/_jupyter_server.json $(VENV)/etc/jupyter/jupyter_server_config.d/nn_training_course.json
	touch $(STAMP)

book: $(STAMP)
	rm -rf _build/html
	$(BIN)/jupyter-book build . -W -n --keep-going

test: book browser
	$(BIN)/python -m pytest tests chapters --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg

# Debian's Chromium for the site tests (Playwright drives it; no browser download), and a CJK font
# so the notes' Chinese renders in the screenshots.
browser:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list :lang=zh | grep -q .; then \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium fonts-wqy-zenhei; fi

# Re-execute every notebook in place and store its outputs (after editing a chapter).
execute: $(STAMP)
	$(BIN)/python tools/execute_notebooks.py chapters/*.ipynb

clean:
	rm -rf _build $(VENV) $(MVENV) $(BVENV) $(CVENV) mutants

# Measure notebook, widget, build and test times, site sizes and activation throughput against the
# budgets in benchmarks/budgets.py; writes _build/bench.json.
bench: $(STAMP) browser
	$(BIN)/python -m benchmarks

# Mutation testing of lib's math (not part of `make test`, ~2 min): mutmut makes small wrong edits to
# the modules in pyproject.toml's [tool.mutmut] and checks that a test fails on each; prints the score
# per module and the survivors (`.venv-mutation/bin/mutmut show NAME` shows one). Its own venv, so
# the course's environment stays exactly requirements.txt.
MVENV := .venv-mutation
$(MVENV)/.installed: requirements.txt pyproject.toml

mutation: $(MVENV)/.installed
	rm -rf mutants
	$(MVENV)/bin/mutmut run > /dev/null || true
	$(MVENV)/bin/python tools/mutation_report.py

# What Binder (repo2docker) would build, without building an image (~1 min; needs PyPI): the Python
# it resolves (binder/runtime.txt), the pip commands it runs, and that every pin resolves for it.
BVENV := .venv-binder

binder-check: $(BVENV)/.installed
	$(BVENV)/bin/python tools/binder_check.py

# Does the course install and run next to Colab's own packages? (~2 min; needs PyPI) A venv with
# Colab's Python and preinstalled versions (requirements-colab.txt), the repository installed as the
# Colab cell does, every chapter run in IPython (tools/colab_check.py).
COLAB_PYTHON ?= python3.13  # Colab runs 3.13; e.g. make colab-check COLAB_PYTHON=~/.pyenv/versions/3.13.0/bin/python
CVENV := .venv-colab
$(CVENV)/.installed: VENV_PYTHON = $(COLAB_PYTHON)

colab-check: $(CVENV)/.installed
	$(CVENV)/bin/python tools/colab_check.py

# A tool's own venv, .venv-<tool> from requirements-<tool>.txt, so the course's .venv stays exactly
# requirements.txt (mutation, binder, colab).
VENV_PYTHON = $(PYTHON)
.venv-%/.installed: requirements-%.txt
	test -x .venv-$*/bin/python || $(VENV_PYTHON) -m venv .venv-$*
	.venv-$*/bin/python -m pip install --quiet --upgrade pip
	.venv-$*/bin/python -m pip install --quiet -r requirements-$*.txt
	touch $@
