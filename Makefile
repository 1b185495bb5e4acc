# KYC Studio: `make run` starts the app against the offline sandbox, `make test` runs the suite.
# Both set up everything first: Debian packages from packages.txt, then .venv from requirements.txt.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8501
SANDBOX_PORT ?= 8765

.PHONY: setup deb-packages run sandbox test bench samples clean

setup: deb-packages $(STAMP)

# Installs only what is missing. As root this runs apt-get; anyone else gets the exact command to run.
deb-packages:
	@missing=""; \
	for p in $$(grep -vE '^\s*(#|$$)' packages.txt); do \
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

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# The app starts its own sandbox on a free loopback port (KYC_SANDBOX_URL points it elsewhere).
# One malloc arena: with glibc's default of one per thread, memory freed after each large upload
# stays mapped in a different arena and the server's RSS creeps up (see README, Reliability).
run: setup
	MALLOC_ARENA_MAX=1 $(BIN)/python -m streamlit run app.py --server.address 127.0.0.1 --server.port $(PORT)

sandbox: setup
	$(BIN)/python -m sandbox --host 127.0.0.1 --port $(SANDBOX_PORT)

test: setup
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python -m bench

# The sandbox OCR on a generated evaluation set: field accuracy per kind of document, time per document.
.PHONY: bench-ocr
bench-ocr: setup
	$(BIN)/python -m bench.ocr

samples: setup
	$(BIN)/python -m sandbox.samples.generate

clean:
	rm -rf $(VENV) .pytest_cache
