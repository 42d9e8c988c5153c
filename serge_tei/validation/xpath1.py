"""XPath 2 expressions that mean exactly the same in XPath 1, translated for lxml.

Schematron rules are written in XPath 2 (or 3) and run in Saxon. Many are
simple enough that libxml2's XPath 1 gives the very same answer on the tree
the reader already parsed, with no second parse in Saxon. This module decides
which: :func:`translate` parses an expression and returns its XPath 1 text, or
raises :class:`Untranslatable` for anything whose meaning could differ.

The subset, and why each part means the same in both languages (untyped
documents, no schema awareness):

* paths with the XPath 1 axes, name and kind tests, predicates that are
  boolean, node-valued, an integer literal or ``last()``;
* ``and``, ``or``, unions (``|``, ``union``), ``not``, ``boolean``,
  ``exists``/``empty`` (as ``boolean``/``not``), ``true``, ``false``;
* ``=`` and ``!=`` between nodes and strings (both compare string values,
  existentially), and against a parenthesised list of string literals (spelt
  out as ``or``); ``<``, ``>``, ``<=``, ``>=`` and the value comparisons only
  between numbers that are integers in XPath 2 (``count``, ``string-length``,
  ``position``, ``last``, integer literals), where XPath 1's doubles agree;
* ``eq``/``ne`` between operands proven to hold at most one item (an empty
  one gives false in both languages);
* string functions whose arguments are proven single (XPath 2 raises an error
  where XPath 1 takes the first node): ``string``, ``string-length``,
  ``normalize-space``, ``contains``, ``starts-with``, ``substring-before``,
  ``substring-after``, ``concat``, ``substring`` (integer literal positions),
  ``name``, ``local-name``, ``namespace-uri``;
* ``current()``, as the variable :data:`CURRENT`, bound by the caller.

Nothing outside it is guessed at: arithmetic, ``if``, ``for``, quantifiers,
casts, ``instance of``, ``except``, ``intersect``, ``id()``, regular
expressions and every other function are refused, and the rule stays in
Saxon. Nothing in the subset can raise a dynamic error, so a translated rule
never needs XSLT's ``try``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

#: the variable that stands for ``current()`` in translated expressions
CURRENT = "sst_current"

Kind = Literal["nodes", "string", "number", "boolean", "strings"]


class Untranslatable(Exception):
    """The expression is outside the subset whose meaning XPath 1 keeps."""


@dataclass(frozen=True)
class Typed:
    """A translated expression: XPath 1 text, what it yields, and what is known of it."""

    text: str
    kind: Kind
    single: bool = False  # at most one item (nodes), or always one (atomic values)
    integral: bool = False  # a number that is an integer in XPath 2
    step: bool = False  # a lone axis step (may be continued by '/')
    literals: tuple[str, ...] = ()  # kind "strings": the literals of a parenthesised list


@dataclass
class Context:
    """What a translation may refer to, and what it found it used."""

    namespaces: Mapping[str, str]
    variables: Mapping[str, Typed] = field(default_factory=dict)
    in_pattern: bool = False
    uses_current: bool = False
    used_variables: set[str] = field(default_factory=set)
    positional: bool = False  # a predicate selects by position
    depth: int = 0  # predicates entered: position() and last() mean something only inside


# ------------------------------------------------------------ tokens

_TOKEN = re.compile(r"""
    (?P<space>\s+|\(:.*?:\))
  | (?P<string>"(?:[^"]|"")*"|'(?:[^']|'')*')
  | (?P<number>(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<var>\$(?:[A-Za-z_][\w.\-]*:)?[A-Za-z_][\w.\-]*)
  | (?P<name>(?:[A-Za-z_][\w.\-]*:)?(?:[A-Za-z_][\w.\-]*|\*)|\*:[A-Za-z_][\w.\-]*)
  | (?P<symbol>//|::|\.\.|!=|<=|>=|<<|>>|\|\||[/.@()\[\],|=<>*+\-!:{}?#;])
""", re.VERBOSE | re.DOTALL)

_AXES = {"child", "descendant", "descendant-or-self", "parent", "ancestor", "ancestor-or-self",
         "following", "following-sibling", "preceding", "preceding-sibling", "attribute",
         "self"}
_SINGLE_AXES = {"self", "parent"}
_KIND_TESTS = {"node", "text", "comment"}
_GENERAL = {"=", "!=", "<", "<=", ">", ">="}
_VALUE = {"eq": "=", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}


@dataclass(frozen=True)
class _Tok:
    kind: str
    text: str


def _tokens(expr: str) -> list[_Tok]:
    out: list[_Tok] = []
    pos = 0
    while pos < len(expr):
        m = _TOKEN.match(expr, pos)
        if m is None:
            raise Untranslatable(f"unexpected character {expr[pos]!r}")
        pos = m.end()
        kind = m.lastgroup or ""
        if kind != "space":
            out.append(_Tok(kind, m.group()))
    return out


# ------------------------------------------------------------ parsing and translating

class _Parser:
    """Recursive descent over the XPath 2 grammar, translating as it goes."""

    def __init__(self, expr: str, ctx: Context) -> None:
        self.toks = _tokens(expr)
        self.pos = 0
        self.ctx = ctx

    # -- token helpers
    def peek(self, offset: int = 0) -> _Tok | None:
        at = self.pos + offset
        return self.toks[at] if at < len(self.toks) else None

    def is_(self, text: str, offset: int = 0) -> bool:
        tok = self.peek(offset)
        return tok is not None and tok.text == text and tok.kind in ("symbol", "name")

    def take(self, text: str) -> None:
        if not self.is_(text):
            raise Untranslatable(f"expected {text!r}")
        self.pos += 1

    def keyword(self, *words: str) -> str | None:
        """An operator word at this position (a name in operator position), taken."""
        tok = self.peek()
        if tok is not None and tok.kind == "name" and tok.text in words:
            self.pos += 1
            return tok.text
        return None

    # -- the grammar
    def parse(self) -> Typed:
        result = self.expr()
        if self.peek() is not None:
            raise Untranslatable(f"unexpected {self.peek().text!r}")  # type: ignore[union-attr]
        return result

    def expr(self) -> Typed:
        first = self.single()
        if not self.is_(","):
            return first
        items = [first]
        while self.is_(","):
            self.take(",")
            items.append(self.single())
        return _sequence(items)

    def single(self) -> Typed:
        tok = self.peek()
        if tok is not None and tok.kind == "name" and tok.text in ("if", "for", "some", "every",
                                                                    "let") \
                and (self.is_("(", 1) or (self.peek(1) is not None
                                          and self.peek(1).kind == "var")):  # type: ignore[union-attr]
            raise Untranslatable(f"{tok.text} expressions")
        return self.or_expr()

    def or_expr(self) -> Typed:
        parts = [self.and_expr()]
        while self.keyword("or"):
            parts.append(self.and_expr())
        if len(parts) == 1:
            return parts[0]
        return Typed(" or ".join(_as_boolean(p).text for p in parts), "boolean", single=True)

    def and_expr(self) -> Typed:
        parts = [self.comparison()]
        while self.keyword("and"):
            parts.append(self.comparison())
        if len(parts) == 1:
            return parts[0]
        return Typed(" and ".join(_paren_or(_as_boolean(p)) for p in parts), "boolean",
                     single=True)

    def comparison(self) -> Typed:
        left = self.additive()
        tok = self.peek()
        if tok is None:
            return left
        if tok.kind == "symbol" and tok.text in _GENERAL:
            self.pos += 1
            return _general(tok.text, left, self.additive())
        if tok.kind == "name" and tok.text in _VALUE:
            self.pos += 1
            return _value(tok.text, left, self.additive())
        if tok.text in ("<<", ">>", "is"):
            raise Untranslatable("node comparisons")
        return left

    def additive(self) -> Typed:
        left = self.multiplicative()
        if self.is_("+") or self.is_("-") or self.is_("to") or self.is_("||"):
            raise Untranslatable("arithmetic, ranges and || are not translated")
        return left

    def multiplicative(self) -> Typed:
        left = self.union()
        tok = self.peek()
        if tok is not None and ((tok.text in ("div", "idiv", "mod") and tok.kind == "name")
                                or (tok.text == "*" and tok.kind in ("symbol", "name"))):
            raise Untranslatable("arithmetic is not translated")
        return left

    def union(self) -> Typed:
        parts = [self.intersect()]
        while self.is_("|") or self.keyword("union"):
            if self.is_("|"):
                self.take("|")
            parts.append(self.intersect())
        if len(parts) == 1:
            return parts[0]
        if any(p.kind != "nodes" for p in parts):
            raise Untranslatable("a union of values that are not nodes")
        return Typed(" | ".join(p.text for p in parts), "nodes")

    def intersect(self) -> Typed:
        left = self.unary()
        tok = self.peek()
        if tok is not None and tok.kind == "name" and tok.text in (
                "intersect", "except", "instance", "treat", "castable", "cast"):
            raise Untranslatable(f"{tok.text} is not translated")
        return left

    def unary(self) -> Typed:
        if self.is_("-") or self.is_("+"):
            raise Untranslatable("unary arithmetic")
        return self.path()

    def path(self) -> Typed:
        if self.is_("/"):
            self.take("/")
            if self._starts_step():
                rest = self.relative()
                return Typed("/" + rest.text, "nodes")
            return Typed("/", "nodes", single=True)
        if self.is_("//"):
            self.take("//")
            rest = self.relative()
            return Typed("//" + rest.text, "nodes")
        return self.relative()

    def _starts_step(self) -> bool:
        tok = self.peek()
        return tok is not None and (tok.kind in ("name", "var", "string", "number")
                                    or tok.text in ("@", ".", "..", "(", "*"))

    def relative(self) -> Typed:
        first = self.step()
        if not (self.is_("/") or self.is_("//")):
            return first
        texts, single = [first.text], first.single
        if first.kind != "nodes":
            raise Untranslatable("a path through a value that is not a node")
        while self.is_("/") or self.is_("//"):
            sep = "/" if self.is_("/") else "//"
            self.pos += 1
            nxt = self.step()
            if not nxt.step:
                raise Untranslatable("a path step that is not an axis step")
            texts.append(sep + nxt.text)
            single = single and nxt.single and sep == "/"
        return Typed("".join(texts), "nodes", single=single)

    def step(self) -> Typed:
        tok = self.peek()
        if tok is None:
            raise Untranslatable("an expression ends too early")
        if tok.text == ".." and tok.kind == "symbol":
            self.pos += 1
            return self.predicates(Typed("..", "nodes", single=True, step=True))
        if tok.text == "@" and tok.kind == "symbol":
            self.pos += 1
            return self.axis_step("attribute")
        if tok.kind == "name" and self.is_("::", 1):
            if tok.text not in _AXES:
                raise Untranslatable(f"the {tok.text} axis")
            self.pos += 2
            return self.axis_step(tok.text)
        if tok.kind == "name" and not self.is_("(", 1):
            return self.axis_step("child")
        if tok.kind == "name" and tok.text in _KIND_TESTS:
            return self.axis_step("child")
        return self.filter()

    def axis_step(self, axis: str) -> Typed:
        test = self.node_test(axis)
        if axis == "attribute":
            text = "@" + test
        elif axis == "child":
            text = test
        else:
            text = f"{axis}::{test}"
        single = axis in _SINGLE_AXES or (axis == "attribute" and "*" not in test)
        return self.predicates(Typed(text, "nodes", single=single, step=True))

    def node_test(self, axis: str) -> str:
        tok = self.peek()
        if tok is None or tok.kind not in ("name", "symbol"):
            raise Untranslatable("a node test")
        self.pos += 1
        if tok.text in _KIND_TESTS and self.is_("("):
            self.take("(")
            self.take(")")
            if axis == "attribute" and tok.text != "node":
                raise Untranslatable("a kind test on the attribute axis")
            return f"{tok.text}()"
        if tok.text == "*":
            return "*"
        if tok.kind != "name" or tok.text.startswith("*:") or self.is_("("):
            raise Untranslatable(f"the node test {tok.text}")
        prefix = tok.text.rpartition(":")[0]
        if prefix:
            if prefix not in self.ctx.namespaces:
                raise Untranslatable(f"the undeclared prefix {prefix}")
            if prefix == "xml" and self.ctx.namespaces[prefix] != \
                    "http://www.w3.org/XML/1998/namespace":
                raise Untranslatable("xml bound to another namespace")
        return tok.text

    def predicates(self, base: Typed) -> Typed:
        text, single = base.text, base.single
        while self.is_("["):
            self.take("[")
            self.ctx.depth += 1
            pred = self.expr()
            self.ctx.depth -= 1
            self.take("]")
            if pred.kind == "number":
                if not (pred.integral and (pred.text.isdigit() or pred.text == "last()")):
                    raise Untranslatable("a numeric predicate that is not a position")
                single = True  # one position: at most one node
                self.ctx.positional = True
            elif pred.kind == "strings":
                raise Untranslatable("a sequence as a predicate")
            text += f"[{pred.text}]"
        return Typed(text, base.kind, single=single, step=base.step)

    def filter(self) -> Typed:
        primary = self.primary()
        if not self.is_("["):
            return primary
        if primary.kind != "nodes":
            raise Untranslatable("a predicate on a value that is not a node sequence")
        wrapped = Typed(f"({primary.text})", "nodes", single=primary.single)
        result = self.predicates(wrapped)
        return Typed(result.text, "nodes", single=result.single)

    def primary(self) -> Typed:
        tok = self.peek()
        assert tok is not None
        if tok.kind == "string":
            self.pos += 1
            return Typed(_string_literal(tok.text[1:-1].replace(tok.text[0] * 2, tok.text[0])),
                         "string", single=True)
        if tok.kind == "number":
            self.pos += 1
            if not tok.text.isdigit():
                raise Untranslatable("a decimal or double literal")
            return Typed(str(int(tok.text)), "number", single=True, integral=True)
        if tok.kind == "var":
            self.pos += 1
            return self.variable(tok.text[1:])
        if tok.text == "." and tok.kind == "symbol":
            self.pos += 1
            return Typed(".", "nodes", single=True)
        if tok.text == "(" and tok.kind == "symbol":
            self.take("(")
            if self.is_(")"):
                self.take(")")
                return Typed("", "strings", literals=())
            inner = self.expr()
            self.take(")")
            if inner.kind == "strings":
                return inner
            return Typed(f"({inner.text})", inner.kind, single=inner.single,
                         integral=inner.integral)
        if tok.kind == "name" and self.is_("(", 1):
            self.pos += 2
            args: list[Typed] = []
            if not self.is_(")"):
                args.append(self.single())
                while self.is_(","):
                    self.take(",")
                    args.append(self.single())
            self.take(")")
            return _function(tok.text, args, self.ctx)
        raise Untranslatable(f"unexpected {tok.text!r}")

    def variable(self, name: str) -> Typed:
        if name not in self.ctx.variables:
            raise Untranslatable(f"the variable ${name}")
        self.ctx.used_variables.add(name)
        return self.ctx.variables[name]


def _string_literal(value: str) -> str:
    if "'" not in value:
        return f"'{value}'"
    if '"' not in value:
        return f'"{value}"'
    raise Untranslatable("a string literal with both kinds of quote")


def _sequence(items: list[Typed]) -> Typed:
    if all(i.kind == "string" and i.text[:1] in "'\"" for i in items):
        return Typed("", "strings", literals=tuple(i.text for i in items))
    if all(i.kind == "strings" or (i.kind == "string" and i.text[:1] in "'\"") for i in items):
        literals: list[str] = []
        for i in items:
            literals.extend(i.literals if i.kind == "strings" else (i.text,))
        return Typed("", "strings", literals=tuple(literals))
    raise Untranslatable("a sequence of values other than string literals")


def _paren_or(t: Typed) -> str:
    return f"({t.text})" if " or " in t.text else t.text


def _as_boolean(t: Typed) -> Typed:
    """*t* in a boolean position (an operand of and/or): same effective boolean value."""
    if t.kind == "boolean":
        return t
    if t.kind == "nodes":
        return Typed(f"boolean({t.text})", "boolean", single=True)
    if t.kind in ("string", "number"):
        return Typed(f"boolean({t.text})", "boolean", single=True)
    raise Untranslatable("a sequence as a boolean")


def _comparable(t: Typed) -> bool:
    """Compared as strings in both languages: nodes (untyped) and strings."""
    return t.kind in ("nodes", "string")


def _general(op: str, left: Typed, right: Typed) -> Typed:
    if op in ("=", "!="):
        for a, b in ((left, right), (right, left)):
            if a.kind == "strings" and _comparable(b):
                if not a.literals:
                    return Typed("false()", "boolean", single=True)
                alts = " or ".join(f"{_operand(b)} {op} {lit}" for lit in a.literals)
                return Typed(f"({alts})", "boolean", single=True)
        if _comparable(left) and _comparable(right):
            return Typed(f"{_operand(left)} {op} {_operand(right)}", "boolean", single=True)
    if left.integral and right.integral:
        return Typed(f"{_operand(left)} {op} {_operand(right)}", "boolean", single=True)
    raise Untranslatable(f"a comparison {op} whose operands XPath 1 would convert differently")


def _value(op: str, left: Typed, right: Typed) -> Typed:
    mapped = _VALUE[op]
    if left.integral and right.integral:
        return Typed(f"{_operand(left)} {mapped} {_operand(right)}", "boolean", single=True)
    if op in ("eq", "ne") and left.single and right.single and _comparable(left) and \
            _comparable(right):
        return Typed(f"{_operand(left)} {mapped} {_operand(right)}", "boolean", single=True)
    raise Untranslatable(f"the value comparison {op} on these operands")


def _operand(t: Typed) -> str:
    """An operand of a comparison: parenthesised source stays parenthesised (see
    :meth:`_Parser.primary`), and XPath 1 and 2 order or, and, comparisons, unions and paths
    alike, so the text needs no more parentheses."""
    return t.text


def _single_string(t: Typed, name: str) -> str:
    """An argument that XPath 2 requires to be one item (or none) and treats as a string."""
    if t.kind == "string" or (t.kind == "nodes" and t.single):
        return t.text
    raise Untranslatable(f"{name}() of an argument that may hold several items")


#: functions whose XPath 1 version is the same, by name: (result kind, integral)
_STRING_FUNCTIONS = {"string", "normalize-space", "substring-before", "substring-after",
                     "concat", "substring", "name", "local-name", "namespace-uri"}


def _function(name: str, args: list[Typed], ctx: Context) -> Typed:
    local = name.removeprefix("fn:")
    arity = len(args)
    if local in ("true", "false") and arity == 0:
        return Typed(f"{local}()", "boolean", single=True)
    if local in ("position", "last") and arity == 0:
        if not ctx.depth:  # at the top of a rule's test: a position in XSLT's walk
            raise Untranslatable(f"{local}() outside a predicate")
        return Typed(f"{local}()", "number", single=True, integral=True)
    if local == "current" and arity == 0:
        if ctx.in_pattern:
            raise Untranslatable("current() in a pattern")
        ctx.uses_current = True
        return Typed(f"${CURRENT}", "nodes", single=True)
    if local in ("not", "boolean") and arity == 1:
        operand = _as_boolean(args[0])
        return Typed(f"{local}({_strip_boolean(operand.text)})", "boolean", single=True)
    if local in ("exists", "empty") and arity == 1 and args[0].kind == "nodes":
        return Typed(f"{'boolean' if local == 'exists' else 'not'}({args[0].text})", "boolean",
                     single=True)
    if local == "count" and arity == 1 and args[0].kind == "nodes":
        return Typed(f"count({args[0].text})", "number", single=True, integral=True)
    if local == "string-length" and arity <= 1:
        inner = ",".join(_single_string(a, local) for a in args)
        return Typed(f"string-length({inner})", "number", single=True, integral=True)
    if local in ("contains", "starts-with") and arity == 2:
        first, second = (_single_string(x, local) for x in args)
        return Typed(f"{local}({first}, {second})", "boolean", single=True)
    if local in ("string", "normalize-space") and arity <= 1:
        inner = ",".join(_single_string_or_integer(a, local) for a in args)
        return Typed(f"{local}({inner})", "string", single=True)
    if local in ("substring-before", "substring-after") and arity == 2:
        first, second = (_single_string(x, local) for x in args)
        return Typed(f"{local}({first}, {second})", "string", single=True)
    if local == "concat" and arity >= 2:
        inner = ", ".join(_single_string_or_integer(a, local) for a in args)
        return Typed(f"concat({inner})", "string", single=True)
    if local == "substring" and arity in (2, 3):
        text = _single_string(args[0], local)
        if not all(a.integral and a.text.isdigit() for a in args[1:]):
            raise Untranslatable("substring() with positions that are not integer literals")
        rest = ", ".join(a.text for a in args[1:])
        return Typed(f"substring({text}, {rest})", "string", single=True)
    if local in ("name", "local-name", "namespace-uri") and arity <= 1:
        if args and not (args[0].kind == "nodes" and args[0].single):
            raise Untranslatable(f"{local}() of an argument that may hold several nodes")
        inner = args[0].text if args else ""
        return Typed(f"{local}({inner})", "string", single=True)
    raise Untranslatable(f"the function {name}#{arity}")


def _single_string_or_integer(t: Typed, name: str) -> str:
    if t.kind == "number" and t.integral:
        return t.text
    return _single_string(t, name)


def _strip_boolean(text: str) -> str:
    """``not(boolean(x))`` is ``not(x)``: keep translated text short."""
    if text.startswith("boolean(") and text.endswith(")") and _balanced(text[8:-1]):
        return text[8:-1]
    return text


def _balanced(text: str) -> bool:
    depth = 0
    quote = ""
    for ch in text:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0 and not quote


# ------------------------------------------------------------ the public functions

def without_predicates(text: str) -> str:
    """A translated path with every predicate removed: it selects at least the same nodes."""
    out, depth, quote = [], 0, ""
    for ch in text:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"" and depth:
            quote = ch
        elif ch == "[":
            depth += 1
            continue
        elif ch == "]":
            depth -= 1
            continue
        if not depth:
            out.append(ch)
    return "".join(out)


def translate(expr: str, ctx: Context) -> Typed:
    """The XPath 1 translation of the XPath 2 expression *expr*; :class:`Untranslatable`
    if its meaning could differ."""
    try:
        return _Parser(expr, ctx).parse()
    except RecursionError:
        raise Untranslatable("nested too deeply") from None


def test_expression(expr: str, ctx: Context) -> str:
    """An assertion's test: its XPath 1 text, evaluated for its effective boolean value."""
    result = translate(expr, ctx)
    if result.kind == "strings":
        raise Untranslatable("a sequence as a test")
    return _strip_boolean(_as_boolean(result).text)


@dataclass(frozen=True)
class Alternative:
    """One path of a match pattern: an expression that selects the nodes it matches, from the
    root element (``descendant-or-self::…``), and the element name its last step requires
    (None for a wildcard)."""

    select: str
    tag: str | None
    attribute: str | None = None  # a name the element must carry, when its name is a wildcard
    #: the predicates of a pattern that is one step without positions ("" for none): then
    #: the elements named *tag* filtered by these are exactly the elements it matches
    predicates: str | None = None
    test: str = "*"  # the node test of its last step


def pattern_alternatives(pattern: str, ctx: Context, *, attributes: bool = False
                         ) -> list[Alternative]:
    """The alternatives of an XSLT match pattern that matches elements only.

    Each is turned into a selection from the root element: ``tei:p[@n]``
    becomes ``descendant-or-self::tei:p[@n]``; ``a/b`` and ``a//b`` keep their
    separators (``//a/b``); a pattern starting with ``/`` stays absolute. A
    pattern that selects by position (``tei:item[1]``) is selected with ``//``,
    so that the position is among siblings, as in the pattern. Text,
    document-node and function patterns are refused (their rules stay in
    Saxon), and attribute patterns unless *attributes* (for a selection that
    only asks whether such nodes exist).
    """
    ctx.in_pattern = True
    parts = _split_union(pattern)
    out = []
    for part in parts:
        translated = translate(part, ctx)
        if translated.kind != "nodes" or ctx.uses_current or ctx.used_variables:
            raise Untranslatable("a pattern that is not a plain path")
        out.append(_alternative(part.strip(), translated.text, ctx.positional, attributes))
        ctx.positional = False
    return out


def _split_union(pattern: str) -> list[str]:
    """The top-level ``|`` (or ``union``) alternatives of a pattern."""
    parts, depth, quote, start = [], 0, "", 0
    for i, ch in enumerate(pattern):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
    parts.append(pattern[start:])
    if any(re.search(r"\bunion\b", p) for p in parts):
        raise Untranslatable("union keyword in a pattern")
    return parts


#: a predicate that requires an attribute: ``[@name]`` or ``[@name and …]``
_REQUIRED_ATTR = re.compile(r"^(?:boolean\()?@(?P<name>[A-Za-z_][\w.\-]*)\)?(?:$| and )")


def _required_attribute(preds: str) -> str | None:
    """An attribute (no namespace) that one of the top-level predicates *preds* requires."""
    for pred in _top_predicates(preds):
        m = _REQUIRED_ATTR.match(pred)
        if m:
            return m["name"]
    return None


def _top_predicates(preds: str) -> list[str]:
    """The contents of the top-level ``[...]`` groups of *preds*."""
    out, depth, quote, start = [], 0, "", 0
    for i, ch in enumerate(preds):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "[":
            depth += 1
            if depth == 1:
                start = i + 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                out.append(preds[start:i])
    return out


def _alternative(source: str, text: str, positional: bool, attributes: bool) -> Alternative:
    if text.startswith("/"):
        select = text
    elif positional:
        select = f"//{text}"
    else:  # one step without positions: the same nodes, found faster
        select = f"descendant-or-self::{text}"
    last = _last_step(text)
    if last is None:
        raise Untranslatable(f"the pattern {source}")
    axis, test, preds = last
    if axis == "@":
        if not attributes:
            raise Untranslatable("a pattern for nodes other than elements")
        parent = _last_step(text[:text.rindex("/")]) if "/" in text else None
        name = parent[1] if parent is not None and parent[0] == "" else None
        return Alternative(select, None if name is None or name.endswith("*") else name)
    if test in ("text()", "node()", "comment()"):
        raise Untranslatable("a pattern for nodes other than elements")
    tag = None if test.endswith("*") else test
    attr = None
    if tag is None:
        attr = _required_attribute(preds)
    one_step = not text.startswith("/") and not positional and text == test + preds
    return Alternative(select, tag, attr, preds if one_step else None, test)


def _last_step(text: str) -> tuple[str, str, str] | None:
    """(axis, node test, predicates) of the last step of a translated path."""
    depth, quote, cut = 0, "", -1
    for i, ch in enumerate(text):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "/" and depth == 0:
            cut = i
    step = text[cut + 1:]
    if "::" in step.split("[", 1)[0]:
        axis, _, rest = step.partition("::")
        if axis != "child":
            return None
        step = rest
    if step.startswith("@"):
        return "@", step[1:].split("[", 1)[0], ""
    name, bracket, preds = step.partition("[")
    if not re.fullmatch(r"[\w.\-]+:[\w.\-*]+|\*|[\w.\-]+|text\(\)|node\(\)|comment\(\)", name):
        return None
    return "", name, bracket + preds
