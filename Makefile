# purecffi: `make demo` and `make test` are the whole quick start.
PY ?= python3
VENV := .venv
VPY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test test-pythons bench clean headers

$(VPY):
	$(PY) -m venv $(VENV)
	$(VPY) -m pip install --quiet --upgrade pip

$(STAMP): $(VPY) pyproject.toml
	$(VPY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(VPY) -m purecffi demo

test: $(STAMP) headers
	$(VPY) -m pytest -q -n 2 tests

# The C headers that the cdef_from_headers() tests read: installed (Debian, as root) only if missing.
HEADER_PACKAGES := zlib1g-dev libsqlite3-dev
headers:
	@dpkg -s $(HEADER_PACKAGES) >/dev/null 2>&1 || \
	  { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	    apt-get update -qq && apt-get install -y -qq $(HEADER_PACKAGES); } || \
	  echo "note: $(HEADER_PACKAGES) are not installed: the tests that read their headers skip"

# The suite on every CPython 3.10+ that runs as python3.N on the PATH, one .venv-3.N each
# (or on those given: make test-pythons PYTHONS="/path/to/python3.12 ...").
PYTHONS ?= $(foreach n,10 11 12 13 14,$(shell python3.$(n) -c "import sys; print(sys.executable)" 2>/dev/null))
test-pythons:
	@test -n "$(PYTHONS)" || { echo "no python3.N (N >= 10) on PATH"; exit 1; }
	@for py in $(PYTHONS); do \
	  v=$$($$py -c 'import sys; print("%d.%d" % sys.version_info[:2])') || exit 1; \
	  echo "== CPython $$v ($$py)"; \
	  test -x .venv-$$v/bin/python || $$py -m venv .venv-$$v || exit 1; \
	  .venv-$$v/bin/python -m pip install --quiet -e '.[test]' || exit 1; \
	  .venv-$$v/bin/python -m pytest -q -n 2 tests || exit 1; \
	done

bench: $(STAMP)
	$(VPY) -m pip install --quiet cffi
	$(VPY) bench/run.py

clean:
	rm -rf $(VENV) .venv-3.* build dist src/*.egg-info .pytest_cache
