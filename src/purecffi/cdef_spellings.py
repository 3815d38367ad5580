"""The C spellings of a declared function's result and parameters, with the qualifiers the
cdef wrote (`const T **`), for the API-mode C emitter.  The typedef names the cdef declared
are spelled as the types they stand for, as cffi's generated code spells them: the cdef may
name a type that the C source calls otherwise (or not at all)."""
import copy

from pycparser import c_ast, c_generator

from .ctype import ENUM, FUNCTION, POINTER, PRIMITIVE, STRUCT, UNION

_NAMED_KINDS = (PRIMITIVE, STRUCT, UNION, ENUM)    # types spelled by a name alone


class _Unspellable(Exception):
    """A typedef of a pointer, array or function type: left to the type model's spelling."""


def c_spellings(funcdecl, rawtype, typedef_of, const_names=frozenset(), typedef_nodes=None):
    """(result, [parameters]) of a FuncDecl as C text with '@' for the declarator, or None
    when the declaration is not a plain function declarator (e.g. `fn_t f;`).  A result or
    parameter naming a typedef of a pointer, array or function type is spelled from the type
    model (without its qualifiers).  `typedef_of(name)`: the type a typedef name of the cdef
    stands for, or None; `const_names`: the typedef names of a const type; `typedef_nodes`:
    typedef name -> its declarator node, to spell a pointer typedef with the qualifiers its
    typedef wrote (`typedef int (*cb)(const char *);`, which a C compiler tells from
    `int (*)(char *)`)."""
    if type(funcdecl) is not c_ast.FuncDecl:
        return None
    params = [p for p in (funcdecl.args.params if funcdecl.args else ())
              if type(p) is not c_ast.EllipsisParam]
    if not rawtype.args and len(params) == 1:
        params = []                                     # (void)
    if len(params) != len(rawtype.args):
        return None
    names = (typedef_of, const_names, typedef_nodes or {})
    return _spelling(funcdecl.type, rawtype.result, names), [
        _spelling(_decayed(p.type), ctype, names) for p, ctype in zip(params, rawtype.args)]


def _spelling(type_node, ctype, names):
    """The C text of one result or parameter, or its model spelling (see c_spellings)."""
    try:
        return _spell_with_marker(type_node, names)
    except _Unspellable:
        return ctype.spell("@").replace("[...]", "[]")


def _decayed(type_node):
    """A parameter's type node as C adjusts it: an array becomes a pointer (keeping the
    qualifiers written inside the brackets), a function a pointer to it."""
    if type(type_node) is c_ast.ArrayDecl:
        quals = [q for q in type_node.dim_quals or () if q != "static"]   # `a[static 4]`
        return c_ast.PtrDecl(quals, type_node.type)
    if type(type_node) is c_ast.FuncDecl:
        return c_ast.PtrDecl([], type_node)
    return type_node


def _spell_with_marker(type_node, names):
    """C text of a declaration of type `type_node` whose declarator name is '@'."""
    node = copy.deepcopy(type_node)
    _innermost(node).declname = "@"
    node = _resolve_typedef_names(node, *names)
    decl = c_ast.Decl("@", [], [], [], [], node, None, None)
    return c_generator.CGenerator().visit(decl)


def _resolve_typedef_names(node, typedef_of, const_names, typedef_nodes):
    """Replace each typedef name of the cdef by the name of its type (in place), or a
    pointer typedef by its declarator; the node to use instead of `node`."""
    if type(node) is c_ast.TypeDecl and type(node.type) is c_ast.IdentifierType \
            and len(node.type.names) == 1:
        name = node.type.names[0]
        ctype = typedef_of(name)
        if ctype is not None:
            if "$" in ctype.cname:          # (an anonymous struct is spelled by its typedef)
                return node
            if ctype.kind not in _NAMED_KINDS:
                declared = typedef_nodes.get(name)
                if ctype.kind not in (POINTER, FUNCTION) or declared is None or node.quals \
                        or _has_body(declared):
                    raise _Unspellable(name)
                declared = copy.deepcopy(declared)
                _drop_parameter_names(declared)
                _innermost(declared).declname = node.declname   # (the declarator's place)
                return _resolve_typedef_names(declared, typedef_of, const_names, typedef_nodes)
            node.type.names = [ctype.cname]
            if name in const_names and "const" not in node.quals:
                node.quals = ["const"] + list(node.quals)
        return node
    for child_name, child in node.children():
        new = _resolve_typedef_names(child, typedef_of, const_names, typedef_nodes)
        if new is not child:
            attribute, _, index = child_name.rstrip("]").partition("[")
            if index:
                getattr(node, attribute)[int(index)] = new
            else:
                setattr(node, attribute, new)
    return node


def _innermost(node):
    """The TypeDecl of a declarator, where its name goes."""
    while not isinstance(node, c_ast.TypeDecl):
        node = node.type
    return node


def _drop_parameter_names(node):
    """Forget the parameter names of the function types in a declarator (a name may be a
    macro of the C source)."""
    if type(node) is c_ast.ParamList:
        for param in node.params:
            inner = param
            while inner is not None and not isinstance(inner, c_ast.TypeDecl):
                inner = getattr(inner, "type", None)
            if inner is not None:
                inner.declname = None
            if type(param) is c_ast.Decl:
                param.name = None
    for _, child in node.children():
        _drop_parameter_names(child)


def _has_body(node):
    """Whether a declarator defines a struct, union or enum body (not to be spelled again)."""
    if type(node) in (c_ast.Struct, c_ast.Union) and node.decls is not None \
            or type(node) is c_ast.Enum and node.values is not None:
        return True
    return any(_has_body(child) for _, child in node.children())
