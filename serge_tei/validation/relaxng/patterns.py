"""Simplified RELAX NG patterns, hash-consed into integers, and their name classes.

A pattern is a tuple whose first item is its kind; :class:`Patterns` gives each
distinct tuple one integer, so that equal patterns are one integer and memo
tables are keyed by integers. The constructors simplify as RELAX NG section 4
does (``notAllowed`` and ``empty`` propagated, choices flattened and sorted),
which keeps the derivatives of a schema a small finite set.

Children are always created before their parents, so a child's number is
smaller than its parent's: the patterns form a DAG in number order, which the
cache checks when it reads them back. ``ELEMENT`` refers to its content by the
index of the element pattern (``content[k]``), not by pattern number, because
an element's content may refer back to the element.
"""

from __future__ import annotations

from typing import Any

from .budget import MAX_PATTERNS, Budget

# pattern kinds: a pattern is a tuple whose first item is its kind
EMPTY, NOTALLOWED, TEXT, CHOICE, GROUP, INTERLEAVE, ONEORMORE, LIST, DATA, VALUE, ATTRIBUTE, \
    ELEMENT, AFTER = range(13)
KINDS = 13
#: kinds whose items after the first are child patterns
BINARY = (GROUP, INTERLEAVE, AFTER)

XML_NS = "http://www.w3.org/XML/1998/namespace"

Pattern = tuple[Any, ...]
#: ("name", ns, local) | ("any", except | None) | ("ns", ns, except | None) | ("choice", (nc, ...))
NameClass = tuple[Any, ...]


# ------------------------------------------------------------ name classes

def nc_contains(nc: NameClass, ns: str, local: str) -> bool:
    kind = nc[0]
    if kind == "name":
        return bool(nc[1] == ns and nc[2] == local)
    if kind == "any":
        return nc[1] is None or not nc_contains(nc[1], ns, local)
    if kind == "ns":
        return nc[1] == ns and (nc[2] is None or not nc_contains(nc[2], ns, local))
    return any(nc_contains(c, ns, local) for c in nc[1])


def nc_choice(classes: list[NameClass]) -> NameClass:
    """One name class for *classes*, choices flattened (their depth stays that of the XML)."""
    flat: list[NameClass] = []
    for nc in classes:
        flat.extend(nc[1] if nc[0] == "choice" else (nc,))
    return flat[0] if len(flat) == 1 else ("choice", tuple(flat))


def nc_describe(nc: NameClass, attribute: bool = False) -> list[str]:
    kind = nc[0]
    if kind == "name":
        prefix = "xml:" if nc[1] == XML_NS else ""
        return [f"{'@' if attribute else ''}{prefix}{nc[2]}"]
    if kind == "any":
        return ["any attribute" if attribute else "any element"]
    if kind == "ns":
        return [f"any {'attribute' if attribute else 'element'} in namespace {nc[1]}"]
    return [name for c in nc[1] for name in nc_describe(c, attribute)]


def nc_overlap(a: NameClass, b: NameClass) -> bool:
    """Whether some name belongs to both *a* and *b* (RELAX NG section 7.3/7.4)."""
    probes = _probes(a) | _probes(b)
    return any(nc_contains(a, ns, local) and nc_contains(b, ns, local) for ns, local in probes)


def _probes(nc: NameClass) -> set[tuple[str, str]]:
    """Names that represent every region of *nc* (the method of section 7.3)."""
    kind = nc[0]
    if kind == "name":
        return {(nc[1], nc[2])}
    if kind == "any":
        return {("\x00", "\x00")} | (_probes(nc[1]) if nc[1] is not None else set())
    if kind == "ns":
        return {(nc[1], "\x00")} | (_probes(nc[2]) if nc[2] is not None else set())
    return {p for c in nc[1] for p in _probes(c)}


def split_tag(tag: str) -> tuple[str, str]:
    if tag[0] == "{":
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return "", tag


# ------------------------------------------------------------ the pattern store

class Patterns:
    """Hash-consed patterns; the constructors simplify as they build."""

    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        self.pats: list[Pattern] = []
        self._index: dict[Pattern, int] = {}
        self.content: list[int] = []  # content pattern of element pattern k
        self.empty = self.mk((EMPTY,))
        self.notallowed = self.mk((NOTALLOWED,))
        self.text = self.mk((TEXT,))

    def mk(self, key: Pattern) -> int:
        found = self._index.get(key)
        if found is None:
            if len(self.pats) >= MAX_PATTERNS:
                raise self.budget.too_large()
            found = self._index[key] = len(self.pats)
            self.pats.append(key)
        return found

    def number_of(self, key: Pattern) -> int:
        return self._index[key]

    def choice(self, *alts: int) -> int:
        flat: set[int] = set()
        pats = self.pats
        for a in alts:
            p = pats[a]
            if p[0] == CHOICE:
                flat.update(p[1])
            elif p[0] != NOTALLOWED:
                flat.add(a)
        if not flat:
            return self.notallowed
        if len(flat) == 1:
            return next(iter(flat))
        return self.mk((CHOICE, tuple(sorted(flat))))

    def group(self, a: int, b: int) -> int:
        if a == self.notallowed or b == self.notallowed:
            return self.notallowed
        if a == self.empty:
            return b
        if b == self.empty:
            return a
        return self.mk((GROUP, a, b))

    def interleave(self, a: int, b: int) -> int:
        if a == self.notallowed or b == self.notallowed:
            return self.notallowed
        if a == self.empty:
            return b
        if b == self.empty:
            return a
        return self.mk((INTERLEAVE, min(a, b), max(a, b)))

    def after(self, a: int, b: int) -> int:
        """Content *a* of an element whose parent goes on with *b* once *a* is complete."""
        if a == self.notallowed or b == self.notallowed:
            return self.notallowed
        return self.mk((AFTER, a, b))

    def one_or_more(self, a: int) -> int:
        if a in (self.notallowed, self.empty):
            return a
        return self.mk((ONEORMORE, a))

    def optional(self, a: int) -> int:
        return self.choice(a, self.empty)

    def attribute(self, nc: NameClass, value: int) -> int:
        if value == self.notallowed:
            return self.notallowed
        return self.mk((ATTRIBUTE, nc, value))

    def list_(self, a: int) -> int:
        if a == self.notallowed:
            return a
        return self.mk((LIST, a))

    def children(self, p: int) -> tuple[int, ...]:
        """The child patterns of *p* (not an element's content, nor an except)."""
        pat = self.pats[p]
        kind = pat[0]
        if kind == CHOICE:
            return tuple(pat[1])
        if kind in BINARY:
            return (pat[1], pat[2])
        if kind in (ONEORMORE, LIST):
            return (pat[1],)
        if kind == ATTRIBUTE:
            return (pat[2],)
        return ()
