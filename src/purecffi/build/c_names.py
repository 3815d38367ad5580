"""The names the generated C declares after the set_source() code, shielded from its macros.

The helpers that name no declaration come before the set_source() code (api_module.py), so no
macro of it reaches them.  The code after it (the wrappers, the globals' and the lib's C, the
module's init, the embedding's start-up) declares locals, parameters, struct members and
labels with short names (`self`, `args`, `result`, `size`, `x0`...).  A library header may
define a lowercase macro of such a name (cffi's own generated code breaks on a few of them);
`#undef` after the set_source() code removes each one the declarations do not name
themselves: a name the cdef() uses stays as the C source defines it.
"""
import re

__all__ = ["LOCAL_NAMES", "NUMBERED", "emit_local_name_guard"]

# every non-`_pc_` name the generated code declares after the set_source() code (the test
# tests/test_api_macro_names.py checks that this list covers the generated text)
LOCAL_NAMES = tuple(sorted(set("""
addr_get addr_slot address apimode arg args argv array_item bound bytes_mask c_errno
call_done callable capsule cdata classes cls code copy ctype ctype_get ctype_slot current
delattr_method dict doc done errno_before errno_space error exc facts fast file filename
g get getattr_method getter gil handler index info keep_slot kept key keys kwnames
length length_offset lib listed mask method module module_name modules name nargs ns offset
ok old old_name old_value overflow own plan pointer_item ptypes r res_cls res_ctype res_fast
res_mask res_rt restored result result_maker result_type rt_slot s saved saved_errno self
sem sem_name set setattr_method setter size slot slow source space state target tb tp
tstate type v value view view_address view_maker view_offset visit made callee
d f i n p u x
""".split())))

# per-argument names: x0, x1... (converted arguments), k0... (kept objects), v0... (values),
# s0... (structs filled from a list), m0... (temporary arrays of a list's items)
NUMBERED = ("x", "k", "v", "s", "m")

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def emit_local_name_guard(declared_text, arguments):
    """`#undef` lines for LOCAL_NAMES and the numbered names of up to `arguments` arguments,
    but for any name found in `declared_text` (the declarations, which the code names: their
    serialized text, whose own words, such as `function` or `fn`, none of these names is)."""
    declared = set(_IDENTIFIER.findall(declared_text))
    names = list(LOCAL_NAMES) + ["%s%d" % (p, i) for p in NUMBERED for i in range(arguments)]
    kept = [name for name in names if name not in declared]
    if not kept:
        return []
    return ["/* short names of the code below: no macro of the set_source() code applies */"] \
        + ["#undef %s" % (name,) for name in kept] + [""]
