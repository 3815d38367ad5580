"""Stress loops, longer than the test suite's: threads, memory growth and random cdefs.

    python stress/run.py [--against purecffi|cffi|both] [--seconds N] [--only SECTION...]

Sections: threads-first-use, threads-steady (8 threads), memory-* (RSS growth over distinct
sizes: new, buffer, allocator, list-argument, array-types) and fuzz (random cdefs).

Each section runs in a fresh interpreter per implementation (so that memory figures start
from the same state) and prints its figures; with `both` (the default when cffi is installed)
purecffi's and cffi's figures are printed side by side.
"""
import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import stress_memory  # noqa: E402
import stress_threads  # noqa: E402
import stress_fuzz  # noqa: E402

SECTIONS = {
    "threads-first-use": stress_threads.first_use,
    "threads-steady": stress_threads.steady_state,
    "memory-new": stress_memory.new_char_array,
    "memory-buffer": stress_memory.buffer_of_size,
    "memory-allocator": stress_memory.allocator,
    "memory-list-argument": stress_memory.list_argument,
    "memory-array-types": stress_memory.array_types,
    "memory-object-churn": stress_memory.object_churn,
    "fuzz": stress_fuzz.random_cdefs,
}


def backend(name):
    """The module providing FFI for `name` ('purecffi' or 'cffi')."""
    if name == "cffi":
        import cffi
        return cffi
    import purecffi
    return purecffi


def run_child(section, name, seconds):
    """Run one section in this process; print its figures as JSON on the last line."""
    figures = SECTIONS[section](backend(name), seconds)
    print(json.dumps(figures))


def run_section(section, name, seconds):
    """Run one section in a fresh interpreter; its figures (a dict), or the error text."""
    env = dict(os.environ)
    src = os.path.join(os.path.dirname(HERE), "src")
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    started = time.time()
    proc = subprocess.run([sys.executable, os.path.abspath(__file__), "--child", section, name,
                           "--seconds", str(seconds)], capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        return {"CRASHED (exit %d)" % proc.returncode: " | ".join(tail)}
    figures = json.loads(proc.stdout.strip().splitlines()[-1])
    figures["wall seconds"] = round(time.time() - started, 1)
    return figures


def have_cffi():
    try:
        import cffi  # noqa: F401
    except ImportError:
        return False
    return True


def print_table(section, results):
    """One line per figure, one column per implementation."""
    names = list(results)
    keys = []
    for figures in results.values():
        keys += [k for k in figures if k not in keys]
    print("== %s" % (section,))
    width = max(len(k) for k in keys) + 2
    print("%-*s%s" % (width, "", "".join("%-22s" % n for n in names)))
    for key in keys:
        cells = "".join("%-22s" % (_cell(results[n].get(key, "-")),) for n in names)
        print("%-*s%s" % (width, key, cells))
    print()
    sys.stdout.flush()


def _cell(value):
    return "%.3g" % value if isinstance(value, float) else str(value)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", choices=["purecffi", "cffi", "both"], default=None)
    parser.add_argument("--seconds", type=float, default=10.0,
                        help="duration of the timed loops (default 10)")
    parser.add_argument("--only", nargs="*", choices=sorted(SECTIONS), default=None)
    parser.add_argument("--child", nargs=2, metavar=("SECTION", "BACKEND"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(args.child[0], args.child[1], args.seconds)
        return
    against = args.against or ("both" if have_cffi() else "purecffi")
    names = ["purecffi", "cffi"] if against == "both" else [against]
    for section in args.only or list(SECTIONS):
        print_table(section, {name: run_section(section, name, args.seconds) for name in names})


if __name__ == "__main__":
    main()
