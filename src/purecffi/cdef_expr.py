"""Constant expressions of cdef(): integer and character literals, and the arithmetic cffi
evaluates in array lengths, enum values and `static const` initializers."""
from pycparser import c_ast

from . import cdef_grammar as grammar
from . import platform as plat


# -- Constant expressions ----
class _ExpressionError(Exception):
    """An expression that is not an integer constant expression (message says why)."""


class _InvalidConstant(_ExpressionError):
    """A literal that is no integer (a float, a string): cffi's CDefError, not its FFIError."""


def _c_div(a, b):
    if b == 0:
        raise ZeroDivisionError("integer division or modulo by zero")   # (cffi's)
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def _c_mod(a, b):
    return a - b * _c_div(a, b)


def _shift_count(b):
    if not 0 <= b <= 1024:
        raise _ExpressionError("shift count %d out of range" % (b,))
    return b


_BINARY = {
    "+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
    "/": _c_div, "%": _c_mod,
    "<<": lambda a, b: a << _shift_count(b), ">>": lambda a, b: a >> _shift_count(b),
    "&": lambda a, b: a & b, "|": lambda a, b: a | b, "^": lambda a, b: a ^ b,
    "<": lambda a, b: int(a < b), ">": lambda a, b: int(a > b),
    "<=": lambda a, b: int(a <= b), ">=": lambda a, b: int(a >= b),
    "==": lambda a, b: int(a == b), "!=": lambda a, b: int(a != b),
    "&&": lambda a, b: int(bool(a) and bool(b)), "||": lambda a, b: int(bool(a) or bool(b)),
}
_UNARY = {"-": lambda a: -a, "+": lambda a: a, "~": lambda a: ~a, "!": lambda a: int(not a)}
_CFFI_OPERATORS = frozenset(["+", "-", "*", "/", "%", "<<", ">>", "&", "|", "^"])  # cffi 2.0's
_ESCAPES = {"n": 10, "t": 9, "r": 13, "a": 7, "b": 8, "f": 12, "v": 11, "\\": 92, "'": 39,
            '"': 34, "?": 63}


def int_literal(text):
    """The value of a C integer literal (decimal, 0x hex, 0b binary, 0 octal; any U/L suffix)."""
    digits = text.rstrip("uUlL").replace("'", "").lower()
    try:
        if digits.startswith("0x"):
            return int(digits[2:], 16)
        if digits.startswith("0b"):
            return int(digits[2:], 2)
        if len(digits) > 1 and digits.startswith("0"):
            return int(digits[1:], 8)
        return int(digits, 10)
    except ValueError:
        raise _InvalidConstant("invalid constant %r" % (text,)) from None


def char_literal(text):
    """The value of a C character literal like 'a', '\\n', '\\x41' or '\\101'."""
    body = text[text.index("'") + 1:-1]
    if len(body) == 1:
        return ord(body)
    if body[:1] == "\\" and len(body) >= 2:
        rest = body[1:]
        if rest in _ESCAPES:
            return _ESCAPES[rest]
        try:
            if rest[0] == "x":
                return int(rest[1:], 16)
            if rest.isdigit():
                return int(rest, 8)
        except ValueError:
            pass
    raise _InvalidConstant("invalid constant %r" % (text,))


def _evaluate(node, names):
    """Integer value of a constant expression node; Ellipsis for the `...` marker.

    `names` maps identifiers (earlier enumerators and constants) to values.  Iterative (an
    explicit stack), so that `A | B | ...` over hundreds of terms is no deep recursion.
    """
    values, stack = [], [(node, None)]
    while stack:
        current, step = stack.pop()
        if step is None:
            _expand(current, names, values, stack)
        else:
            step(values, stack)
    return values.pop()


def _expand(node, names, values, stack):
    """One node: a leaf's value onto `values`, or its operands and then its step onto `stack`."""
    cls = type(node)
    if cls is c_ast.Constant or cls is c_ast.ID:
        values.append(_leaf(node, names))
        return
    extended = grammar.EXTENDED_CONSTANTS
    if cls is c_ast.UnaryOp and node.op in _UNARY and (extended or node.op in "+-"):
        function = _UNARY[node.op]
        stack.append((None, lambda values, stack: values.append(function(_operand(values)))))
        stack.append((node.expr, None))
        return
    if cls is c_ast.BinaryOp and node.op in _BINARY and (extended or node.op in _CFFI_OPERATORS):
        function = _BINARY[node.op]

        def combine(values, stack):
            right = _operand(values)
            values.append(function(_operand(values), right))
        stack.append((None, combine))
        stack.append((node.right, None))
        stack.append((node.left, None))
        return
    if cls is c_ast.TernaryOp and extended:
        def choose(values, stack):          # only the chosen branch is evaluated
            stack.append((None, _check_operand))
            stack.append((node.iftrue if _operand(values) else node.iffalse, None))
        stack.append((None, choose))
        stack.append((node.cond, None))
        return
    operator = getattr(node, "op", None)
    raise _ExpressionError("'%s' is not supported" % (operator,) if operator else "")


def _leaf(node, names):
    """The value of a constant or a name (Ellipsis for the `...` marker)."""
    if type(node) is c_ast.Constant:
        kind = node.type
        if "char" in kind:
            return char_literal(node.value)
        if "float" in kind or "double" in kind or "string" in kind:
            raise _InvalidConstant("invalid constant %r" % (node.value,))
        return int_literal(node.value)
    if node.name == grammar.MARK_DOTS:
        return Ellipsis
    value = names(node.name)
    if not isinstance(value, int):
        raise _ExpressionError("unknown constant '%s'" % (node.name,))
    return value


def _operand(values):
    """The value of a sub-expression, where `...` is not allowed."""
    value = values.pop()
    if value is Ellipsis:
        raise _ExpressionError("'...' inside an expression")
    return value


def _check_operand(values, stack):
    values.append(_operand(values))


def _literal_initializer(ctype, init):
    """The value of `int N = 11;` (an integer type, initialised by an integer literal, maybe
    negated): cffi makes such a declaration an integer constant.  None otherwise."""
    if init is None or ctype.kind != "primitive" or getattr(ctype, "category", None) not in (
            plat.INT, plat.BOOL):
        return None
    sign = 1
    if type(init) is c_ast.UnaryOp and init.op == "-":
        sign, init = -1, init.expr
    if type(init) is not c_ast.Constant or init.type not in _INTEGER_LITERAL_KINDS:
        return None
    try:
        return sign * int_literal(init.value)
    except _ExpressionError:
        return None


_INTEGER_LITERAL_KINDS = frozenset(
    ["int", "unsigned int", "long int", "unsigned long int", "long long int",
     "unsigned long long int"])


def _integer(node, names):
    """_evaluate() for a sub-expression, where `...` is not allowed."""
    return _operand([_evaluate(node, names)])
