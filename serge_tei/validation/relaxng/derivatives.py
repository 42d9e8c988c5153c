"""Derivatives of simplified patterns, after James Clark's "An algorithm for RELAX NG validation".

The derivative of a content pattern by a child element depends only on the
child's name and on *which* element patterns' contents the child satisfied;
by an attribute, on which attribute value patterns accept its value; by a
text, on which data patterns accept it. Each is memoised by those keys, so
that after warm-up a step is a dictionary look-up.

Every walk over a pattern is iterative (an explicit stack over the pattern
DAG), so a schema whose patterns nest thousands deep (a sequence of 5,000
references) needs no deep Python recursion. Derivatives computed while
validating draw on the schema's time budget (:mod:`.budget`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .budget import Budget
from .datatypes import Datatype
from .patterns import (
    AFTER,
    ATTRIBUTE,
    CHOICE,
    DATA,
    ELEMENT,
    EMPTY,
    GROUP,
    INTERLEAVE,
    LIST,
    NOTALLOWED,
    ONEORMORE,
    TEXT,
    VALUE,
    Pattern,
    Patterns,
    nc_contains,
    nc_describe,
    split_tag,
)

_WS = " \t\n\r"
_SPACES = re.compile("[ \t\n\r]+")
#: check the time budget every so many steps of a derivative computation
_CHECK_EVERY = 2048

Leaf = Callable[[int, Pattern], int]


class Derivatives(Patterns):
    """Patterns with the memo tables of their derivatives."""

    def __init__(self, budget: Budget) -> None:
        super().__init__(budget)
        self.datatypes: list[Datatype] = []
        self.start = -1
        self._nullable: dict[int, bool] = {}
        self._elem_cands: dict[tuple[int, str], tuple[int, ...]] = {}
        self._elem_deriv: dict[tuple[int, str, frozenset[int]], int] = {}
        self._attr_cands: dict[tuple[int, str], tuple[int, ...]] = {}
        self._attr_deriv: dict[tuple[int, str, frozenset[int]], int] = {}
        self._text_cands: dict[int, tuple[int, ...]] = {}
        self._text_deriv: dict[tuple[int, frozenset[int]], int] = {}
        self._close: dict[int, int] = {}
        self._close_lenient: dict[int, int] = {}
        self._end: dict[int, int] = {}
        self._value_ok: dict[tuple[int, str], bool] = {}
        self._names: dict[str, tuple[str, str]] = {}
        self._by_name: dict[str, tuple[int, ...]] = {}

    # -- basic properties
    def nullable(self, p: int) -> bool:
        memo = self._nullable
        got = memo.get(p)
        if got is not None:
            return got
        pats = self.pats
        stack = [p]
        while stack:
            q = stack[-1]
            if q in memo:
                stack.pop()
                continue
            pat = pats[q]
            kind = pat[0]
            if kind in (EMPTY, TEXT):
                memo[q] = True
            elif kind in (CHOICE, GROUP, INTERLEAVE, ONEORMORE):
                kids = pat[1] if kind == CHOICE else pat[1:]
                missing = [k for k in kids if k not in memo]
                if missing:
                    stack.extend(missing)
                    continue
                if kind == CHOICE:
                    memo[q] = any(memo[k] for k in kids)
                else:
                    memo[q] = all(memo[k] for k in kids)
            else:
                memo[q] = False
            stack.pop()
        return memo[p]

    def name_of(self, tag: str) -> tuple[str, str]:
        got = self._names.get(tag)
        if got is None:
            got = self._names[tag] = split_tag(tag)
        return got

    def _front(self, p: int, kinds: tuple[int, ...], attributes: bool = False) -> list[int]:
        """Patterns of *kinds* that may match next (or, *attributes*, anywhere at this level)."""
        pats = self.pats
        out: list[int] = []
        seen: set[int] = set()
        stack = [p]
        while stack:
            q = stack.pop()
            if q in seen:
                continue
            seen.add(q)
            pat = pats[q]
            kind = pat[0]
            if kind in kinds:
                out.append(q)
            elif kind == CHOICE:
                stack.extend(pat[1])
            elif kind == GROUP:
                stack.append(pat[1])
                if attributes or self.nullable(pat[1]):
                    stack.append(pat[2])
            elif kind == INTERLEAVE:
                stack.extend(pat[1:])
            elif kind in (ONEORMORE, AFTER):
                stack.append(pat[1])
        return out

    def first_elements(self, p: int) -> list[int]:
        """Element patterns that may match the next child element."""
        return self._front(p, (ELEMENT,))

    # -- the generic derivative
    def _deriv(self, root: int, leaf: Leaf, sequential: bool) -> int:
        """The derivative of *root*; *leaf* decides for atoms; attributes are unordered."""
        memo: dict[int, int] = {}
        pats = self.pats
        budget = self.budget
        started = budget.begin()
        stack = [root]
        steps = 0
        while stack:
            p = stack[-1]
            if p in memo:
                stack.pop()
                continue
            steps += 1
            if steps % _CHECK_EVERY == 0:
                budget.check(started)
            pat = pats[p]
            kind = pat[0]
            if kind == CHOICE:
                kids: tuple[int, ...] = pat[1]
            elif kind == GROUP:
                kids = pat[1:] if not sequential or self.nullable(pat[1]) else (pat[1],)
            elif kind == INTERLEAVE:
                kids = pat[1:]
            elif kind in (ONEORMORE, AFTER):
                kids = (pat[1],)
            else:
                memo[p] = self.notallowed if kind in (EMPTY, NOTALLOWED) else leaf(p, pat)
                stack.pop()
                continue
            missing = [k for k in kids if k not in memo]
            if missing:
                stack.extend(missing)
                continue
            memo[p] = self._combine(p, pat, memo, sequential)
            stack.pop()
        budget.end(started)
        return memo[root]

    def _combine(self, p: int, pat: Pattern, memo: dict[int, int], sequential: bool) -> int:
        kind = pat[0]
        if kind == CHOICE:
            return self.choice(*(memo[a] for a in pat[1]))
        if kind == GROUP:
            a, b = pat[1], pat[2]
            got = self.group(memo[a], b)
            if not sequential:
                return self.choice(got, self.group(a, memo[b]))
            if self.nullable(a):
                return self.choice(got, memo[b])
            return got
        if kind == INTERLEAVE:
            a, b = pat[1], pat[2]
            return self.choice(self.interleave(memo[a], b), self.interleave(a, memo[b]))
        if kind == ONEORMORE:
            return self.group(memo[pat[1]], self.optional(p))
        return self.after(memo[pat[1]], pat[2])  # AFTER: only the element's own content moves

    def _map(self, root: int, memo: dict[int, int], leaf: Callable[[int, Pattern], int]) -> int:
        """*root* with its leaves replaced by *leaf*, structure kept (closing start tags)."""
        pats = self.pats
        stack = [root]
        while stack:
            p = stack[-1]
            if p in memo:
                stack.pop()
                continue
            pat = pats[p]
            kind = pat[0]
            if kind in (CHOICE, GROUP, INTERLEAVE, ONEORMORE, AFTER):
                kids = pat[1] if kind == CHOICE else (pat[1],) if kind in (ONEORMORE, AFTER) \
                    else pat[1:]
                missing = [k for k in kids if k not in memo]
                if missing:
                    stack.extend(missing)
                    continue
                if kind == CHOICE:
                    memo[p] = self.choice(*(memo[a] for a in kids))
                elif kind == GROUP:
                    memo[p] = self.group(memo[pat[1]], memo[pat[2]])
                elif kind == INTERLEAVE:
                    memo[p] = self.interleave(memo[pat[1]], memo[pat[2]])
                elif kind == ONEORMORE:
                    memo[p] = self.one_or_more(memo[pat[1]])
                else:
                    memo[p] = self.after(memo[pat[1]], pat[2])
            else:
                memo[p] = leaf(p, pat)
            stack.pop()
        return memo[root]

    # -- elements
    def elem_candidates(self, p: int, tag: str) -> tuple[int, ...]:
        """Content patterns of the element patterns that a child named *tag* may match here."""
        key = (p, tag)
        got = self._elem_cands.get(key)
        if got is None:
            ns, local = self.name_of(tag)
            got = tuple(sorted({self.content[self.pats[e][2]] for e in self.first_elements(p)
                                if nc_contains(self.pats[e][1], ns, local)}))
            self._elem_cands[key] = got
        return got

    def elem_deriv(self, p: int, tag: str, ok: frozenset[int]) -> int:
        """After a child named *tag* whose content satisfied the patterns *ok*."""
        key = (p, tag, ok)
        got = self._elem_deriv.get(key)
        if got is None:
            ns, local = self.name_of(tag)
            content = self.content
            empty, notallowed = self.empty, self.notallowed

            def leaf(q: int, pat: Pattern) -> int:
                if pat[0] == ELEMENT and content[pat[2]] in ok and nc_contains(pat[1], ns, local):
                    return empty
                return notallowed
            got = self._elem_deriv[key] = self._deriv(p, leaf, sequential=True)
        return got

    def end_tag(self, p: int) -> int:
        """At the end of an element validated against several contents: the parent's state."""
        got = self._end.get(p)
        if got is None:
            pat = self.pats[p]
            if pat[0] == AFTER:
                got = pat[2] if self.nullable(pat[1]) else self.notallowed
            elif pat[0] == CHOICE:
                got = self.choice(*(self.end_tag(a) for a in pat[1]))  # alternatives are AFTERs
            else:
                got = self.notallowed
            self._end[p] = got
        return got

    # -- attributes
    def attr_candidates(self, p: int, name: str) -> tuple[int, ...]:
        """Value patterns of the attribute patterns an attribute *name* may match here."""
        key = (p, name)
        got = self._attr_cands.get(key)
        if got is None:
            ns, local = self.name_of(name)
            pats = self.pats
            got = tuple(sorted({pats[a][2] for a in self._front(p, (ATTRIBUTE,), attributes=True)
                                if nc_contains(pats[a][1], ns, local)}))
            self._attr_cands[key] = got
        return got

    def attr_deriv(self, p: int, name: str, ok: frozenset[int]) -> int:
        key = (p, name, ok)
        got = self._attr_deriv.get(key)
        if got is None:
            ns, local = self.name_of(name)
            empty, notallowed = self.empty, self.notallowed

            def leaf(q: int, pat: Pattern) -> int:
                if pat[0] == ATTRIBUTE and pat[2] in ok and nc_contains(pat[1], ns, local):
                    return empty
                return notallowed
            got = self._attr_deriv[key] = self._deriv(p, leaf, sequential=False)
        return got

    def close(self, p: int, lenient: bool = False) -> int:
        """End of the start tag: attributes not given are missing (or, *lenient*, forgiven)."""
        memo = self._close_lenient if lenient else self._close
        got = memo.get(p)
        if got is None:
            gone = self.empty if lenient else self.notallowed
            got = self._map(p, memo, lambda q, pat: gone if pat[0] == ATTRIBUTE else q)
        return got

    # -- text and data
    def text_candidates(self, p: int) -> tuple[int, ...]:
        got = self._text_cands.get(p)
        if got is None:
            got = self._text_cands[p] = tuple(sorted(set(self._front(p, (TEXT, DATA, VALUE,
                                                                          LIST)))))
        return got

    def text_deriv(self, p: int, ok: frozenset[int]) -> int:
        key = (p, ok)
        got = self._text_deriv.get(key)
        if got is None:
            text, empty, notallowed = self.text, self.empty, self.notallowed

            def leaf(q: int, pat: Pattern) -> int:
                if pat[0] == TEXT:
                    return text
                return empty if q in ok else notallowed
            got = self._text_deriv[key] = self._deriv(p, leaf, sequential=True)
        return got

    def accepts_text(self, p: int, value: str) -> int:
        """The derivative of *p* by one text node."""
        ok = frozenset(c for c in self.text_candidates(p) if self.value_ok(c, value))
        return self.text_deriv(p, ok)

    def value_ok(self, v: int, value: str) -> bool:
        """Whether the data/value/list/text pattern *v* accepts the string *value*."""
        key = (v, value)
        got = self._value_ok.get(key)
        if got is None:
            got = self._value_match(v, value)
            if len(self._value_ok) > 200_000:  # many distinct values: keep memory flat
                self._value_ok.clear()
            self._value_ok[key] = got
        return got

    def _value_match(self, v: int, value: str) -> bool:
        pat = self.pats[v]
        kind = pat[0]
        if kind == TEXT:
            return True
        if kind == DATA:
            if not self.datatypes[pat[1]].allows(value):
                return False
            return pat[2] < 0 or not self.string_matches(pat[2], value)
        if kind == VALUE:
            return self.datatypes[pat[1]].equal(value, pat[2])
        if kind == LIST:
            q = pat[1]
            # split on XML white space only (str.split would also split at a no-break space)
            stripped = value.strip(_WS)
            for token in _SPACES.split(stripped) if stripped else ():
                q = self.accepts_text(q, token)
                if q == self.notallowed:
                    return False
            return self.nullable(q)
        return self.string_matches(v, value)

    def string_matches(self, p: int, value: str) -> bool:
        """Whether pattern *p* matches a lone string (attribute values, ``except``)."""
        q = self.accepts_text(p, value)
        if value.strip(_WS) == "":
            q = self.choice(p, q)
        return self.nullable(q)

    # -- descriptions for messages
    def expected_elements(self, p: int, limit: int = 12) -> str:
        names: list[str] = []
        for e in self.first_elements(p):
            for n in nc_describe(self.pats[e][1]):
                if n not in names:
                    names.append(n)
        if not names:
            return "no further elements"
        shown = ", ".join(f"<{n}>" if " " not in n else n for n in sorted(names)[:limit])
        if len(names) == 1:
            return shown
        more = f" (and {len(names) - limit} more)" if len(names) > limit else ""
        return f"one of {shown}{more}"

    def describe_value(self, v: int) -> str:
        pat = self.pats[v]
        kind = pat[0]
        if kind == DATA:
            return self.datatypes[pat[1]].description
        if kind == VALUE:
            return f'"{pat[2]}"' if pat[2] else "empty"
        if kind == LIST:
            return "a space-separated list"
        if kind == CHOICE:
            parts = [self.describe_value(a) for a in pat[1]]
            return "any of: " + ", ".join(parts[:10]) + (", ..." if len(parts) > 10 else "")
        if kind == TEXT:
            return "text"
        return "a different value"

    def required_attributes(self, p: int, depth: int = 0) -> list[str]:
        """Names of attributes that *p* still requires, for 'missing attribute' messages."""
        out: list[str] = []
        stack = [p]
        while stack:
            pat = self.pats[stack.pop()]
            kind = pat[0]
            if kind == ATTRIBUTE:
                out.extend(nc_describe(pat[1], attribute=True))
            elif kind in (GROUP, INTERLEAVE):
                stack.extend((pat[2], pat[1]))
            elif kind in (ONEORMORE, AFTER):
                stack.append(pat[1])
            elif kind == CHOICE and depth < 8:
                if any(self.close(a) != self.notallowed for a in pat[1]):
                    continue
                alts = [" and ".join(self.required_attributes(a, depth + 1)) for a in pat[1]]
                out.append(" or ".join(a for a in alts if a))
        return out

    def elements_named(self, tag: str) -> tuple[int, ...]:
        """Content patterns of every element pattern of the schema that accepts *tag*."""
        got = self._by_name.get(tag)
        if got is None:
            ns, local = self.name_of(tag)
            got = tuple(sorted({self.content[pat[2]] for pat in self.pats
                                if pat[0] == ELEMENT and nc_contains(pat[1], ns, local)}))
            self._by_name[tag] = got
        return got
