# KYC Studio: `make run` starts the app against the offline sandbox, `make check` runs the fast
# tests and the linters, `make test` runs everything (what CI runs).
# Each sets up what it needs first: Debian packages, then .venv from the lock files.
#
#   runtime (make run, Streamlit Community Cloud): packages.txt,     requirements.txt
#   tests and tools (make check, make test):       + packages-dev.txt, + requirements-dev.txt
#
# requirements.txt and requirements-dev.txt are generated: edit requirements.in or
# requirements-dev.in and run `make lock`.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# One stamp per lock file: `make run` after `make test` installs nothing, and an edit to either
# lock file reinstalls what depends on it.
RUNTIME_STAMP := $(VENV)/.installed-runtime
DEV_STAMP     := $(VENV)/.installed-dev
PIP    := $(BIN)/python -m pip --disable-pip-version-check
PORT   ?= 8501
SANDBOX_PORT ?= 8765

# The fast layer of the suite: everything not marked as a slow layer (markers in pyproject.toml).
FAST_TESTS := not browser and not fuzz and not load and not ocr
# Two workers for the fast layer on a 2-core machine: each test's servers take free ports (port 0)
# and files go to tmp_path, so the workers do not clash. --dist loadfile keeps a file's
# module-scoped servers and AppTest fixtures in one worker.
FAST_WORKERS ?= -n 2 --dist loadfile

# gettext catalogs: the .po files are the source (committed, edited by people); the .mo files
# the app reads are compiled from them here. `make messages` extracts new strings into them.
PO_FILES := $(wildcard locales/*/LC_MESSAGES/*.po kyc/locales/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)
EXTRACT  := $(BIN)/pybabel -q extract --no-location --sort-output -k N_ -k ngettext:1,2 --project "KYC Studio"

.PHONY: setup setup-dev deb-packages deb-packages-dev run sandbox check test lint lock screenshots bench bench-ocr samples clean messages image image-test

setup: deb-packages $(RUNTIME_STAMP) $(MO_FILES)

setup-dev: deb-packages-dev $(RUNTIME_STAMP) $(DEV_STAMP) $(MO_FILES)

%.mo: %.po $(RUNTIME_STAMP)
	$(BIN)/pybabel -q compile -i $< -o $@

# New or changed strings into the catalogs (fuzzy matches off: a near-miss is no translation).
messages: setup-dev
	$(EXTRACT) -o locales/app.pot app.py pages ui workflows
	$(BIN)/pybabel -q update --no-fuzzy-matching --ignore-obsolete -D app -i locales/app.pot -d locales
	$(EXTRACT) -o kyc/locales/kyc.pot kyc
	$(BIN)/pybabel -q update --no-fuzzy-matching --ignore-obsolete -D kyc -i kyc/locales/kyc.pot -d kyc/locales

# Installs only what is missing from the files given. As root this runs apt-get; anyone else
# gets the exact command to run.
define install-debs
	@missing=""; \
	for p in $$(grep -hvE '^\s*(#|$$)' $(1)); do \
	  dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else \
	    echo "Missing Debian packages:$$missing"; \
	    echo "Install them with: sudo apt-get install$$missing"; \
	    exit 1; \
	  fi; \
	fi
endef

deb-packages:
	$(call install-debs,packages.txt)

deb-packages-dev:
	$(call install-debs,packages.txt packages-dev.txt)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(RUNTIME_STAMP): requirements.txt | $(BIN)/python
	$(PIP) install --quiet -r requirements.txt
	touch $@

# Both files in one pip run, so pip checks them together (they pin shared packages alike).
# The runtime stamp comes first: a new requirements.txt reinstalls this set too.
$(DEV_STAMP): requirements-dev.txt $(RUNTIME_STAMP) | $(BIN)/python
	$(PIP) install --quiet -r requirements.txt -r requirements-dev.txt
	touch $@

# The app starts its own sandbox on a free loopback port (KYC_SANDBOX_URL points it elsewhere).
# One malloc arena: with glibc's default of one per thread, memory freed after each large upload
# stays mapped in a different arena and the server's RSS creeps up (see README, Reliability).
run: setup
	MALLOC_ARENA_MAX=1 $(BIN)/python -m streamlit run app.py --server.address 127.0.0.1 --server.port $(PORT)

sandbox: setup
	$(BIN)/python -m sandbox --host 127.0.0.1 --port $(SANDBOX_PORT)

# Which package may import which (import-linter contracts), lint and format (ruff): all in
# pyproject.toml. Only checks: nothing here rewrites a file.
lint: setup-dev
	$(BIN)/lint-imports --no-cache --no-logo
	$(BIN)/ruff check --output-format=concise .
	$(BIN)/ruff format --check .

# The fast layer, for every change: about 50 s on 2 cores (80 s with `make check FAST_WORKERS=`, which runs it
# in one process).
check: setup-dev lint
	$(BIN)/python -m pytest $(FAST_WORKERS) -m "$(FAST_TESTS)"

# Every layer, browser, fuzz, load and OCR included, in one process (the fuzz summary test reads
# what the fuzz tests counted in the same process). This is what CI runs (.ci/run).
test: setup-dev lint
	$(BIN)/python -m pytest

# Regenerates requirements.txt and requirements-dev.txt from the .in files with pip-compile.
# Versions already pinned stay unless a .in file asks for another: to move to newer releases,
# run `make lock LOCK_FLAGS=--upgrade` (or `LOCK_FLAGS="--upgrade-package streamlit"`).
# No --find-links or index lines in the output: they are this machine's, not the project's.
# --allow-unsafe for the tools only: pip-tools needs a newer pip than a new venv has, so pip
# and setuptools are pinned like everything else.
LOCK := $(BIN)/pip-compile --quiet --strip-extras --no-emit-find-links --no-emit-index-url $(LOCK_FLAGS)
lock: setup-dev
	$(LOCK) --output-file=requirements.txt requirements.in
	$(LOCK) --allow-unsafe --output-file=requirements-dev.txt requirements-dev.in

# The README's two pictures (docs/images/), taken by the browser tests at 1280x800.
screenshots: setup-dev
	KYC_DOC_IMAGES=1 $(BIN)/python -m pytest -q tests/test_browser.py -k "demo_end_to_end or journey_end_to_end"

bench: setup-dev
	$(BIN)/python -m bench

# The OCR pipeline and the raw engines on drawn cards in approximations of the real NPWP designs, in
# fonts from packages-dev.txt: field accuracy per design and per capture, time per card.
# BENCH_OCR_ARGS passes options, e.g. make bench-ocr BENCH_OCR_ARGS="--per-cell 3 --failures" (or --old-set).
bench-ocr: deb-packages-dev $(RUNTIME_STAMP)
	$(BIN)/python -m bench.ocr $(BENCH_OCR_ARGS)

samples: setup
	$(BIN)/python -m sandbox.samples.generate

# The container image (Dockerfile), and a run of it checked from outside (docs/deploy.md). Both
# install and start Docker's engine where it is missing (as root), and bootstrap the Debian base
# image where no registry is reachable. Not part of `make test`: they need root and a Docker engine.
image:
	./docker/build.sh

image-test: image
	./docker/image-test.sh

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
