"""XML Schema 1.0 regular expressions (the ``pattern`` facet), read strictly and run with ``re``.

An XSD regular expression is implicitly anchored, has no anchors, no
backreferences and no lazy quantifiers, and knows escapes Python lacks: ``\\i``
and ``\\c`` (XML name characters), ``\\p{..}`` (Unicode categories) and class
subtraction (``[a-z-[aeiou]]``). :func:`compile_pattern` parses the facet into
a small syntax tree, refusing what jing refuses (an unescaped ``-`` or ``]``
in a class, ``\\#``, ``{,2}``) with :class:`InvalidSchema`, and what is not
implemented (block escapes such as ``\\p{IsGreek}``) with :class:`Unsupported`.
The tree becomes a Python expression only on the first match, and an ASCII
variant serves ASCII values, so a process pays for Unicode category tables only
when a value needs them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from itertools import groupby

from . import xmlchars
from .refusals import InvalidSchema, Unsupported

Ranges = tuple[tuple[int, int], ...]

#: the general categories XSD 1.0 names (``\p{Cs}`` is not among them)
CATEGORIES = frozenset((
    "L", "Lu", "Ll", "Lt", "Lm", "Lo", "M", "Mn", "Mc", "Me", "N", "Nd", "Nl", "No", "P", "Pc",
    "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Z", "Zs", "Zl", "Zp", "S", "Sm", "Sc", "Sk", "So", "C",
    "Cc", "Cf", "Co", "Cn"))
#: nesting of groups and subtractions beyond which a pattern goes to jing
MAX_NESTING = 100
#: Python's ``re`` refuses larger repeat counts
MAX_REPEAT = 65535
_SINGLE = {"n": "\n", "r": "\r", "t": "\t"}
_SINGLE_ESCAPED = set("\\|.?*+(){}-[]^")
_MULTI = set("sSiIcCdDwW")
_NOT_AN_ATOM = set("?*+{}]")


# ------------------------------------------------------------ the syntax tree

@dataclass(frozen=True)
class Range:
    low: int
    high: int


@dataclass(frozen=True)
class Named:
    """A multi-character escape (``\\s``, ``\\i``, ...) or a category (``\\p{Lu}``)."""

    name: str
    negated: bool


Item = Range | Named


@dataclass(frozen=True)
class CharClass:
    items: tuple[Item, ...]
    negated: bool = False
    minus: CharClass | None = None


@dataclass(frozen=True)
class Seq:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Alt:
    branches: tuple[Node, ...]


@dataclass(frozen=True)
class Repeat:
    node: Node
    low: int
    high: int | None


Node = Range | CharClass | Seq | Alt | Repeat

WILDCARD = CharClass((Range(10, 10), Range(13, 13)), negated=True)


# ------------------------------------------------------------ parsing

class _Parser:
    def __init__(self, pattern: str) -> None:
        self.text = pattern
        self.pos = 0
        self.depth = 0

    def fail(self, message: str) -> InvalidSchema:
        shown = f"{self.text[:self.pos]}>>>>{self.text[self.pos:]}"
        return InvalidSchema(f"invalid regular expression {self.text!r}: {message} (at {shown!r})")

    def peek(self, ahead: int = 0) -> str | None:
        i = self.pos + ahead
        return self.text[i] if i < len(self.text) else None

    def take(self) -> str:
        ch = self.peek()
        if ch is None:
            raise self.fail("unexpected end")
        self.pos += 1
        return ch

    def nest(self) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise Unsupported(f"a pattern facet nested more than {MAX_NESTING} deep")

    def regexp(self) -> Node:
        branches = [self.branch()]
        while self.peek() == "|":
            self.pos += 1
            branches.append(self.branch())
        return branches[0] if len(branches) == 1 else Alt(tuple(branches))

    def branch(self) -> Node:
        pieces: list[Node] = []
        while self.peek() not in (None, "|", ")"):
            pieces.append(self.piece())
        return pieces[0] if len(pieces) == 1 else Seq(tuple(pieces))

    def piece(self) -> Node:
        atom = self.atom()
        ch = self.peek()
        if ch == "?":
            low, high = 0, 1
        elif ch == "*":
            low, high = 0, None
        elif ch == "+":
            low, high = 1, None
        elif ch == "{":
            self.pos += 1
            return self.quantity(atom)
        else:
            return atom
        self.pos += 1
        return Repeat(atom, low, high)

    def quantity(self, atom: Node) -> Node:
        low = self.number()
        high: int | None = low
        if self.peek() == ",":
            self.pos += 1
            high = self.number() if self.peek() != "}" else None
        if self.take() != "}":
            self.pos -= 1
            raise self.fail("expected '}'")
        if high is not None and high < low:
            raise self.fail("lower bound of quantifier greater than upper bound")
        if max(low, high or 0) > MAX_REPEAT:
            raise Unsupported(f"a repeat count above {MAX_REPEAT} in a pattern facet")
        return Repeat(atom, low, high)

    def number(self) -> int:
        start = self.pos
        while (ch := self.peek()) is not None and ch in "0123456789":
            self.pos += 1
        if start == self.pos:
            raise self.fail("expected a digit")
        return int(self.text[start:self.pos])

    def atom(self) -> Node:
        ch = self.take()
        if ch == "(":
            self.nest()
            inner = self.regexp()
            if self.peek() != ")":
                raise self.fail("expected ')'")
            self.pos += 1
            self.depth -= 1
            return inner
        if ch == "[":
            return self.char_class()
        if ch == ".":
            return WILDCARD
        if ch == "\\":
            item = self.escape()
            return item if isinstance(item, Range) else CharClass((item,))
        if ch in _NOT_AN_ATOM:
            self.pos -= 1
            raise self.fail("character not allowed in this context")
        return Range(ord(ch), ord(ch))

    def escape(self) -> Item:
        ch = self.take()
        if ch in _SINGLE:
            return Range(ord(_SINGLE[ch]), ord(_SINGLE[ch]))
        if ch in _SINGLE_ESCAPED:
            return Range(ord(ch), ord(ch))
        if ch in _MULTI:
            return Named(ch.lower(), ch.isupper())
        if ch in "pP":
            if self.take() != "{":
                raise self.fail("expected '{'")
            end = self.text.find("}", self.pos)
            if end < 0:
                raise self.fail("expected '}'")
            name = self.text[self.pos:end]
            self.pos = end + 1
            if name.startswith("Is"):
                raise Unsupported(f"the Unicode block escape \\{ch}{{{name}}} in a pattern facet")
            if name not in CATEGORIES:
                raise self.fail(f"unknown Unicode category {name!r}")
            return Named(name, ch == "P")
        self.pos -= 1
        raise self.fail(f"illegal escape \\{ch}")

    def char_class(self) -> CharClass:
        self.nest()
        negated = self.peek() == "^"
        if negated:
            self.pos += 1
        items: list[Item] = []
        minus: CharClass | None = None
        while True:
            ch = self.peek()
            if ch is None:
                raise self.fail("expected ']'")
            if ch == "]" and items:
                self.pos += 1
                break
            if ch == "-" and self.peek(1) == "[" and items:
                self.pos += 2
                minus = self.char_class()
                if self.take() != "]":
                    self.pos -= 1
                    raise self.fail("expected ']' after a subtraction")
                break
            if ch in "[]-":
                raise self.fail(f"character {ch!r} must be escaped with '\\' here")
            items.append(self.class_item())
        self.depth -= 1
        return CharClass(tuple(items), negated, minus)

    def class_item(self) -> Item:
        first = self.class_char()
        if isinstance(first, Named) or self.peek() != "-" or self.peek(1) in ("[", "]"):
            return first
        self.pos += 1
        last = self.class_char()
        if isinstance(last, Named):
            raise self.fail("a multi-character escape cannot end a range")
        if last.low < first.low:
            raise self.fail("range in reverse order")
        return Range(first.low, last.low)

    def class_char(self) -> Item:
        ch = self.take()
        if ch == "\\":
            return self.escape()
        if ch in "[]":
            self.pos -= 1
            raise self.fail(f"character {ch!r} must be escaped with '\\' here")
        return Range(ord(ch), ord(ch))


def parse(pattern: str) -> Node:
    """The syntax tree of XSD regular expression *pattern*."""
    parser = _Parser(pattern)
    node = parser.regexp()
    if parser.pos != len(pattern):
        raise parser.fail("unbalanced ')'")
    return node


# ------------------------------------------------------------ Unicode tables

CategoryTable = dict[str, list[tuple[int, int]]]
#: where a process finds the category table (set by the cache module to a persistent one)
category_loader: Callable[[], CategoryTable] | None = None


def scan_categories() -> CategoryTable:
    """Code point ranges of every two-letter general category, from one pass over Unicode."""
    table: CategoryTable = {}
    cp = 0
    for cat, run in groupby(map(unicodedata.category, map(chr, range(0x110000)))):
        n = sum(1 for _ in run)
        table.setdefault(cat, []).append((cp, cp + n - 1))
        cp += n
    return table


@cache
def _categories() -> CategoryTable:
    return category_loader() if category_loader is not None else scan_categories()


def _ascii_category(name: str) -> Ranges:
    return _merge(tuple((cp, cp) for cp in range(128)
                        if unicodedata.category(chr(cp)).startswith(name)))


@cache
def _category(name: str, ascii_only: bool) -> Ranges:
    if ascii_only:
        return _ascii_category(name)
    table = _categories()
    found = [r for cat, rs in table.items() if cat.startswith(name) for r in rs]
    return _merge(tuple(sorted(found)))


def _merge(ranges: Ranges) -> Ranges:
    out: list[tuple[int, int]] = []
    for low, high in ranges:
        if out and out[-1][1] >= low - 1:
            out[-1] = (out[-1][0], max(out[-1][1], high))
        else:
            out.append((low, high))
    return tuple(out)


def _clip(ranges: Ranges, ascii_only: bool) -> Ranges:
    if not ascii_only:
        return ranges
    return tuple((lo, min(hi, 127)) for lo, hi in ranges if lo < 128)


_SPACE: Ranges = ((9, 10), (13, 13), (32, 32))


def _item_ranges(item: Item, ascii_only: bool) -> tuple[Ranges, bool]:
    """The code points of *item* and whether the item is their complement."""
    if isinstance(item, Range):
        return _clip(((item.low, item.high),), ascii_only), False
    name = item.name
    if name == "s":
        return _SPACE, item.negated
    if name == "i":
        return _clip(xmlchars.NAME_START, ascii_only), item.negated
    if name == "c":
        return _clip(xmlchars.NAME_CHAR, ascii_only), item.negated
    if name == "d":
        return _category("Nd", ascii_only), item.negated
    if name == "w":  # everything but punctuation, separators and "other"
        body = _merge(tuple(sorted(_category("P", ascii_only) + _category("Z", ascii_only)
                                   + _category("C", ascii_only))))
        return body, not item.negated
    return _category(name, ascii_only), item.negated


# ------------------------------------------------------------ rendering for ``re``

_ANY = "(?s:.)"
_NOTHING = "(?!)"


def _esc(cp: int) -> str:
    if cp < 0x100:
        return f"\\x{cp:02x}"
    if cp < 0x10000:
        return f"\\u{cp:04x}"
    return f"\\U{cp:08x}"


def _body(ranges: Ranges) -> str:
    return "".join(_esc(lo) if lo == hi else f"{_esc(lo)}-{_esc(hi)}" for lo, hi in ranges)


def _render_class(cc: CharClass, ascii_only: bool) -> str:
    positive: list[tuple[int, int]] = []
    negatives: list[str] = []
    for item in cc.items:
        ranges, complement = _item_ranges(item, ascii_only)
        if complement:
            negatives.append(f"[^{_body(ranges)}]" if ranges else _ANY)
        else:
            positive.extend(ranges)
    merged = _merge(tuple(sorted(positive)))
    if not negatives:
        if cc.negated:
            out = f"[^{_body(merged)}]" if merged else _ANY
        else:
            out = f"[{_body(merged)}]" if merged else _NOTHING
    else:
        union = "|".join(([f"[{_body(merged)}]"] if merged else []) + negatives)
        out = f"(?:(?!{union}){_ANY})" if cc.negated else f"(?:{union})"
    if cc.minus is not None:
        out = f"(?:(?!{_render_class(cc.minus, ascii_only)}){out})"
    return out


def render(node: Node, ascii_only: bool = False) -> str:
    """Python ``re`` source matching what *node* matches (on ASCII input, if *ascii_only*)."""
    if isinstance(node, Range):
        return re.escape(chr(node.low))
    if isinstance(node, CharClass):
        return _render_class(node, ascii_only)
    if isinstance(node, Seq):
        return "".join(render(n, ascii_only) for n in node.items)
    if isinstance(node, Alt):
        return "(?:" + "|".join(render(n, ascii_only) for n in node.branches) + ")"
    inner = render(node.node, ascii_only)
    if not isinstance(node.node, (Range, CharClass)):
        inner = f"(?:{inner})"
    if (node.low, node.high) == (0, 1):
        return inner + "?"
    if (node.low, node.high) == (0, None):
        return inner + "*"
    if (node.low, node.high) == (1, None):
        return inner + "+"
    high = "" if node.high is None else str(node.high)
    return inner + (f"{{{node.low}}}" if node.high == node.low else f"{{{node.low},{high}}}")


# ------------------------------------------------------------ a linear-time matcher

#: NFA states a pattern may expand to (counted repeats are copied) before it goes to jing
MAX_STATES = 20_000


def risky(node: Node) -> bool:
    """Whether backtracking could take exponential time: an unbounded repeat around a
    repeat or an alternative, such as ``(a+)+`` or ``(a|ab)*`` (a data-chosen pattern
    must not hang the validator)."""
    stack: list[tuple[Node, bool]] = [(node, False)]
    while stack:
        n, inside = stack.pop()
        if isinstance(n, Repeat):
            if inside:
                return True
            stack.append((n.node, inside or n.high is None))
        elif isinstance(n, Alt):
            if inside:
                return True
            stack.extend((b, inside) for b in n.branches)
        elif isinstance(n, Seq):
            stack.extend((i, inside) for i in n.items)
    return False


class Nfa:
    """Thompson's construction, simulated on a set of states: time linear in the value."""

    def __init__(self, tree: Node) -> None:
        # state q consumes a character matching tests[q] and goes to nexts[q][0]; where
        # tests[q] is None it moves, consuming nothing, to each of nexts[q]; state 0 accepts
        self.tests: list[re.Pattern[str] | None] = [None]
        self.nexts: list[tuple[int, ...]] = [()]
        self._compiled: dict[CharClass | Range, re.Pattern[str]] = {}
        self.start = self._build(tree, 0)

    def _add(self, test: re.Pattern[str] | None, nexts: tuple[int, ...]) -> int:
        if len(self.tests) >= MAX_STATES:
            raise Unsupported(f"a pattern facet that needs more than {MAX_STATES:,} states")
        self.tests.append(test)
        self.nexts.append(nexts)
        return len(self.tests) - 1

    def _build(self, node: Node, after: int) -> int:
        """The state that matches *node* and then goes on at *after*."""
        if isinstance(node, (Range, CharClass)):
            test = self._compiled.get(node)
            if test is None:
                test = self._compiled[node] = re.compile(render(node))
            return self._add(test, (after,))
        if isinstance(node, Seq):
            for item in reversed(node.items):
                after = self._build(item, after)
            return after
        if isinstance(node, Alt):
            return self._add(None, tuple(self._build(b, after) for b in node.branches))
        if node.high is None:  # x{n,}: n copies, then a loop
            loop = self._add(None, (after,))
            self.nexts[loop] = (self._build(node.node, loop), after)
            after = loop
        else:  # x{n,m}: m - n optional copies after n required ones
            for _ in range(node.high - node.low):
                after = self._add(None, (self._build(node.node, after), after))
        for _ in range(node.low):
            after = self._build(node.node, after)
        return after

    def _closure(self, states: set[int]) -> set[int]:
        out: set[int] = set()
        stack = list(states)
        while stack:
            q = stack.pop()
            if q not in out:
                out.add(q)
                if self.tests[q] is None:
                    stack.extend(self.nexts[q])
        return out

    def match(self, value: str) -> bool:
        tests, nexts = self.tests, self.nexts
        current = self._closure({self.start})
        for ch in value:
            step = set()
            for q in current:
                test = tests[q]
                if test is not None and test.fullmatch(ch):
                    step.add(nexts[q][0])
            if not step:
                return False
            current = self._closure(step)
        return 0 in current


class Regex:
    """An XSD pattern, compiled for ``re`` on first use (ASCII values get a lighter variant).

    A pattern where ``re``'s backtracking could take exponential time runs on a
    state-set simulation instead, whose time is linear in the value.
    """

    __slots__ = ("_ascii", "_full", "_nfa", "source", "tree")

    def __init__(self, source: str) -> None:
        self.source = source
        self.tree = parse(source)
        self._ascii: re.Pattern[str] | None = None
        self._full: re.Pattern[str] | None = None
        self._nfa = Nfa(self.tree) if risky(self.tree) else None

    def match(self, value: str) -> bool:
        if self._nfa is not None:
            return self._nfa.match(value)
        if value.isascii():
            if self._ascii is None:
                self._ascii = re.compile(render(self.tree, ascii_only=True))
            return self._ascii.fullmatch(value) is not None
        if self._full is None:
            self._full = re.compile(render(self.tree))
        return self._full.fullmatch(value) is not None


@cache
def compile_pattern(source: str) -> Regex:
    """The (shared) :class:`Regex` of XSD pattern *source*; raises at once if it is not one."""
    return Regex(source)
