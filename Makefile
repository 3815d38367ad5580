# purecffi: `make demo` and `make test` are the whole quick start.
PY ?= python3
VENV := .venv
VPY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test bench clean

$(VPY):
	$(PY) -m venv $(VENV)
	$(VPY) -m pip install --quiet --upgrade pip

$(STAMP): $(VPY) pyproject.toml
	$(VPY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(VPY) -m purecffi demo

test: $(STAMP)
	$(VPY) -m pytest -q -n 2 tests

bench: $(STAMP)
	$(VPY) -m pip install --quiet cffi
	$(VPY) bench/run.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache
