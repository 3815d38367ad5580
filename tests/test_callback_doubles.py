"""Callbacks of `double` arguments and results, called from Python (their thunk directly, when
every argument passes through C unchanged: see callback_direct.py) and from C (through a
function pointer cast of them), against cffi: the result, or the exception's type and
message, and what the callback reported on stderr.  Skipped when cffi is not installed."""
import sys

import pytest

from _backend import FFI

cffi = pytest.importorskip("cffi")

SIGNATURES = ["double(double, double)", "double(int, double)", "float(double, double)",
              "double(float, double)", "int(double, double)", "void(double, double)"]
ARGUMENTS = ["1.5, 2.0", "1, 2", "True, 0.5", "float('nan'), 1.0", "-0.0, -0.0",
             "float('inf'), float('-inf')", "2**53 + 1, 0.0", "2**1100, 1.0", "'x', 1.0",
             "None, 1.0", "1.5", "1.5, 2.0, 3.0", "ffi.cast('double', 2.5), 1.0",
             "1e300, 1e300", "-1e-320, 0.0"]
RESULTS = ["a", "a + b", "3", "True", "'text'", "None", "2**1100", "1e300 * 10", "-0.0",
           "float('nan')", "1 / 0"]


def _outcomes(make_ffi, capfd):
    ffi = make_ffi()
    outcomes = []
    for signature in SIGNATURES:
        for body in RESULTS:
            function = eval("lambda a, b: %s" % (body,))
            callback = ffi.callback(signature, function)
            pointer = ffi.cast(signature.replace("(", "(*)(", 1), callback)
            for arguments in ARGUMENTS:
                for target in (callback, pointer):
                    try:
                        result = eval("target(%s)" % (arguments,),
                                      {"target": target, "ffi": ffi})
                        outcome = repr(result) if result == result else "nan"
                    except Exception as exc:    # the outcome compared: type and message
                        outcome = (type(exc).__name__, str(exc))
                    reported = capfd.readouterr().err
                    outcomes.append((signature, body, arguments, outcome,
                                     reported.count("Exception ignored"),
                                     reported.strip().splitlines()[-1:]))
    return outcomes


def test_double_callbacks_agree_with_cffi(capfd, monkeypatch):
    monkeypatch.setattr(sys, "unraisablehook", sys.__unraisablehook__)
    ours, theirs = _outcomes(FFI, capfd), _outcomes(cffi.FFI, capfd)
    assert [a for a, b in zip(ours, theirs) if a != b] == []
    assert ("double(double, double)", "a + b", "1.5, 2.0", "3.5", 0, []) in ours
    assert sum(o[4] for o in ours) > 50         # errors were reported, as by cffi
