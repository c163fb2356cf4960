# wsdoc: `make demo` records a real curl session against the simulator and builds the site;
# `make test` sets up and runs the whole test suite. Both create .venv from python3.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.wsdoc-installed

.PHONY: demo test bench lint bytecode chromium postgresql gnutime clean

# pip's and setuptools' chatter (an editable-install banner) goes to a log, shown on failure.
# The install compiles the hot modules with mypyc (setup.py's COMPILED_MODULES,
# one per line): redone when one of them changes.
COMPILED := $(shell sed -n 's/^ *"\(docgen\/.*\.py\)",$$/\1/p' setup.py)
$(STAMP): pyproject.toml setup.py $(COMPILED)
	@echo "wsdoc: setting up $(VENV) (log: $(VENV)/install.log)"
	@python3 -m venv $(VENV)
	@{ $(PY) -m pip install -q --upgrade pip && \
	   $(PY) -m pip install -q -e '.[dev,postgres]'; } > $(VENV)/install.log 2>&1 || \
	 { cat $(VENV)/install.log; echo "wsdoc: setting up $(VENV) failed" >&2; exit 1; }
	@touch $(STAMP)

# Where PYTHONDONTWRITEBYTECODE is set, Python never caches the bytecode of the editable
# install's sources, and every wsdoc process would compile them again (a tenth of a second
# at each start): compile them here, as pip does for an installed package. Only what
# changed since is compiled again; a stale file is still read from its source.
bytecode: $(STAMP)
	@$(PY) -m compileall -q addons docgen gwssim

demo: bytecode
	$(VENV)/bin/wsdoc demo

# Browser tests need Debian's chromium; install it when missing (as root, or via sudo).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && $$SUDO apt-get install -y -q --no-install-recommends chromium; }

# PostgreSQL-store tests start Debian's server themselves (initdb in a temporary folder).
postgresql:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && \
	  $$SUDO apt-get install -y -q --no-install-recommends postgresql; }

# The benchmarks (and their tests) time commands under GNU time for CPU and peak RSS.
gnutime:
	@[ -x /usr/bin/time ] || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && $$SUDO apt-get install -y -q --no-install-recommends time; }

test: bytecode chromium postgresql gnutime
	WSDOC_REQUIRE_BROWSER=1 WSDOC_REQUIRE_POSTGRES=1 $(PY) -m pytest -q

bench: bytecode postgresql gnutime
	$(PY) bench/run_all.py

lint: $(STAMP)
	$(VENV)/bin/ruff check addons docgen gwssim tests bench
	$(VENV)/bin/mypy addons docgen gwssim
	$(VENV)/bin/lint-imports

clean:
	rm -rf $(VENV) site/public test-artifacts bench/results
