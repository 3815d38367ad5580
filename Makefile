# purecffi: `make demo` and `make test` are the whole quick start.
PY ?= python3
VENV := .venv
VPY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test test-pythons bench stress clean wheelhouse compat headers

$(VPY):
	$(PY) -m venv $(VENV)
	$(VPY) -m pip install --quiet --upgrade pip

# (setup.py builds the optional purecffi._speedups from its C: a changed C is built again)
$(STAMP): $(VPY) pyproject.toml setup.py src/purecffi/_speedups.c
	$(VPY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(VPY) -m purecffi demo

# The whole suite (with purecffi._speedups where it was built), then the runtime's object
# tests again in pure Python (PURECFFI_PURE=1: the Python methods the C ones stand in for).
PURE_TESTS := cdata_ops cdata_classes conversions int_conversions field_reads item_reads \
  pointer_item_writes buffer_fast_paths buffer_sizes first_access view_fast_paths view_paths \
  differential_inline differential wrong_results threads memory_bounds pointer_difference \
  struct_value_writes slice_assign_fast_paths bitfields new new_fast_paths field_view_caches \
  calls call_fast_paths call_int_bounds call_int64_args pointer_compat list_arguments \
  error_grid ffi_functions ffi_object cast string_fast_paths string_unpack_sizes
test: $(STAMP) headers
	$(VPY) -m pytest -q -n 2 tests
	PURECFFI_PURE=1 $(VPY) -m pytest -q -n 2 $(PURE_TESTS:%=tests/test_%.py)

# The C headers that the cdef_from_headers() tests read: installed (Debian, as root) only if missing.
HEADER_PACKAGES := zlib1g-dev libsqlite3-dev
headers:
	@dpkg -s $(HEADER_PACKAGES) >/dev/null 2>&1 || \
	  { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	    apt-get update -qq && apt-get install -y -qq $(HEADER_PACKAGES); } || \
	  echo "note: $(HEADER_PACKAGES) are not installed: the tests that read their headers skip"

# The suite on every CPython 3.10+ found as python3.N on the PATH (or, failing that, the newest
# 3.N that pyenv has installed), one .venv-3.N each; or on those given:
# make test-pythons PYTHONS="/path/to/python3.12 ...".  A free-threaded build gets .venv-3.Nt.
PYTHON_MINORS := 10 11 12 13 14
find_python = $(shell python3.$(1) -c "import sys; print(sys.executable)" 2>/dev/null || \
  { r=$$(pyenv root 2>/dev/null) && ls -d $$r/versions/3.$(1).*/bin/python3.$(1) 2>/dev/null | sort -V | tail -n 1; })
PYTHONS ?= $(foreach n,$(PYTHON_MINORS),$(call find_python,$(n)))
test-pythons:
	@$(if $(filter command line environment,$(origin PYTHONS)),:,$(foreach n,$(PYTHON_MINORS),\
	  $(if $(call find_python,$(n)),,echo "== skipped CPython 3.$(n): no python3.$(n) found";)) :)
	@test -n "$(PYTHONS)" || { echo "no python3.N (N >= 10) on PATH"; exit 1; }
	@for py in $(PYTHONS); do \
	  v=$$($$py -c 'import sys; print("%d.%d%s" % (sys.version_info[:2] + (sys.abiflags,)))') || exit 1; \
	  echo "== CPython $$v ($$py)"; \
	  test -x .venv-$$v/bin/python || $$py -m venv .venv-$$v || exit 1; \
	  .venv-$$v/bin/python -m pip install --quiet -e '.[test]' || { \
	    echo "note: the test extras (cffi among them) do not install on $$v: the tests that compare with cffi skip"; \
	    .venv-$$v/bin/python -m pip install --quiet -e . pytest pytest-xdist setuptools; } || exit 1; \
	  .venv-$$v/bin/python -m pytest -q -n 2 tests || exit 1; \
	done

# purecffi's wheel and the drop-in's (a distribution named cffi) in wheelhouse/, with the
# constraints file that makes pip pick the drop-in: see the README, "Run an existing cffi package".
# CFFI_LEVEL=1.17.1 labels the drop-in as that cffi version, for packages that pin cffi below 2.0.
WHEELHOUSE ?= wheelhouse
CFFI_LEVEL ?=
wheelhouse: $(VPY)
	rm -rf $(WHEELHOUSE) build/dropin-level
	if [ -n "$(CFFI_LEVEL)" ]; then \
	  mkdir -p build && cp -r dropin build/dropin-level && \
	  sed -i 's/^version = "2\.0\.0+/version = "$(CFFI_LEVEL)+/' build/dropin-level/pyproject.toml && \
	  $(VPY) -m pip wheel --quiet --no-deps -w $(WHEELHOUSE) . ./build/dropin-level; \
	else $(VPY) -m pip wheel --quiet --no-deps -w $(WHEELHOUSE) . ./dropin; fi
	cd $(WHEELHOUSE) && ls cffi-*.whl | sed 's/^cffi-\([^-]*\)-.*/cffi==\1/' > constraints.txt
	@echo "$(WHEELHOUSE)/: $$(ls $(WHEELHOUSE) | tr '\n' ' ')"

# Real packages built from their sdists with the real cffi and with the drop-in, their own
# tests run in both (slow: minutes; installs apt packages). More: make compat EXTRA="pkg ..."
compat: wheelhouse
	$(VPY) compat/run.py --wheelhouse $(WHEELHOUSE) --default $(EXTRA)

bench: $(STAMP)
	$(VPY) -m pip install --quiet cffi
	$(VPY) bench/run.py

# Longer thread, memory and cdef-fuzz loops (not part of `make test`); cffi's figures beside
# purecffi's when cffi is installed.  STRESS_ARGS="--seconds 30 --only memory" and so on.
stress: $(STAMP)
	$(VPY) stress/run.py $(STRESS_ARGS)

clean:
	rm -rf $(VENV) .venv-3.* build dist src/*.egg-info .pytest_cache $(WHEELHOUSE) dropin/build dropin/*.egg-info compat/runs
