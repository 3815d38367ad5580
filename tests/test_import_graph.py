"""The package's shape: its modules import each other without cycles, and none is too long.

Every `import` counts, at module level or inside a function: a function-level import that
only defers a cycle is still a cycle.  Modules that need each other's functions are wired at
set-up (the higher module registers a function with the lower one) instead.
"""
import ast
import os

import purecffi

PACKAGE_DIR = os.path.dirname(os.path.abspath(purecffi.__file__))
MAX_LINES = 800


def package_modules(root=PACKAGE_DIR, package="purecffi"):
    """{dotted module name: (path, is a package)} for every .py file under `root`."""
    modules = {}
    for directory, _, files in os.walk(root):
        for name in files:
            if not name.endswith(".py"):
                continue
            path = os.path.join(directory, name)
            parts = [package] + os.path.relpath(path, root)[:-3].split(os.sep)
            is_package = parts[-1] == "__init__"
            modules[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return modules


def _targets(module, is_package, node, modules):
    """The package modules one import statement (anywhere in `module`) imports."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names if alias.name in modules]
    base = module.split(".") if is_package else module.split(".")[:-1]
    if node.level:
        base = base[:len(base) - (node.level - 1)]
        target = ".".join(base + ([node.module] if node.module else []))
    else:
        target = node.module or ""
    found = []
    for alias in node.names:
        sub = target + "." + alias.name     # `from . import x`: the submodule x
        found.append(sub if sub in modules else target)
    return [name for name in found if name in modules]


def import_graph(modules):
    """{module: {imported module: line}} over every import statement of the package."""
    graph = {}
    for module, (path, is_package) in modules.items():
        with open(path, encoding="utf-8") as f:
            tree = ast.parse(f.read(), path)
        edges = graph[module] = {}
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                for target in _targets(module, is_package, node, modules):
                    if target != module:
                        edges.setdefault(target, node.lineno)
    return graph


def find_cycle(graph):
    """One import cycle as a list of modules (first == last), or None."""
    state = {}          # module -> 1 while on the current path, 2 when done
    path = []

    def visit(module):
        state[module] = 1
        path.append(module)
        for target in sorted(graph.get(module, ())):
            if state.get(target) == 1:
                return path[path.index(target):] + [target]
            if target not in state:
                cycle = visit(target)
                if cycle:
                    return cycle
        path.pop()
        state[module] = 2
        return None

    for module in sorted(graph):
        if module not in state:
            cycle = visit(module)
            if cycle:
                return cycle
    return None


def test_find_cycle_finds_a_cycle_through_three_modules():
    graph = {"a": {"b": 1}, "b": {"c": 1}, "c": {"a": 1}, "d": {"a": 1}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    del graph["c"]["a"]
    assert find_cycle(graph) is None


def test_function_level_and_relative_imports_are_edges():
    modules = package_modules()
    graph = import_graph(modules)
    assert "purecffi.convert" in graph["purecffi.cdata"]           # `from .convert import`
    assert "purecffi.platform" in graph["purecffi.cdata"]          # `from . import platform`
    assert "purecffi.apifunctions" in graph["purecffi.build.api_module"]    # `from ..apifunctions`
    assert "purecffi.cparser" in graph["purecffi.typename"]        # inside a function


def test_the_import_graph_has_no_cycle():
    graph = import_graph(package_modules())
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(
        "%s (line %d)" % (a, graph[a][b]) for a, b in zip(cycle, cycle[1:])) + " -> " + cycle[0]


def test_no_module_is_longer_than_800_lines():
    too_long = {}
    for path, _ in package_modules().values():
        with open(path, encoding="utf-8") as f:
            count = sum(1 for _ in f)
        name = os.path.relpath(path, PACKAGE_DIR).replace(os.sep, "/")
        if count > MAX_LINES:
            too_long[name] = count
    assert not too_long, "modules over %d lines: %r" % (MAX_LINES, too_long)


# stdlib modules the runtime needs only when something goes wrong (the traceback module, for a
# report) or never (pickle; re and tokenize come with them): importing cffi costs none of them
_NOT_AT_IMPORT = ("pickle", "traceback", "re", "tokenize", "textwrap", "linecache", "enum")


def test_importing_the_runtime_imports_no_reporting_or_pickling_modules():
    import subprocess
    import sys
    code = ("import sys\nbefore = set(sys.modules)\nimport purecffi\nffi = purecffi.FFI()\n"
            "print(' '.join(sorted(set(sys.modules) - before)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert "purecffi" in out
    assert [name for name in _NOT_AT_IMPORT if name in out] == []


def test_a_report_without_the_traceback_module_still_names_the_frames(monkeypatch, capsys):
    """At shutdown the traceback module may not be importable: the report then lists the
    frames without their source lines."""
    import sys
    from purecffi import unraisable

    def failing():
        raise ValueError("boom")
    try:
        failing()
    except ValueError as exc:
        error = exc
    monkeypatch.setattr(sys, "unraisablehook", sys.__unraisablehook__)
    monkeypatch.setitem(sys.modules, "traceback", None)     # `import traceback` raises
    unraisable.report(error, "Exception ignored in", "the object")
    err = capsys.readouterr().err
    assert err.startswith("Exception ignored in: 'the object'\nTraceback (most recent call last):\n")
    assert 'line %d, in failing\n' % (failing.__code__.co_firstlineno + 1) in err
    assert err.endswith("ValueError: boom\n")
