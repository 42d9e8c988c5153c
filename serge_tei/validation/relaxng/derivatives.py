"""A RelaxNG validator of our own, fast enough to beat a JVM start on ``tei_all``.

libxml2 needs 15 s to compile ``tei_all``; jing loads it in half a second but
costs a JVM. This engine reads the schema (XML syntax) once, simplifies it the
way section 4 of the RELAX NG specification does (defines inlined, every
element pattern numbered, ``notAllowed``/``empty`` propagated, choices
flattened), and keeps the result on disk keyed by the schema's content hash, so
a cold process loads ``tei_all`` in tens of milliseconds.

Validation follows the derivative idea of James Clark's "An algorithm for RELAX
NG validation", walking the parsed tree: patterns are hash-consed integers, and
the derivative of a content pattern by a child element depends only on the
child's name and on *which* element patterns' contents the child satisfies. In
the schemas TEI generates a name picks one element pattern, so each step is two
dictionary look-ups after warm-up. Attributes and data work the same way (the
derivative depends on which attribute/value patterns accept the value).

Every error is reported with the element's line and column, and validation
recovers (skips the offending attribute, child or text) so later errors are
reported too. Constructs not implemented (``include``, ``externalRef``, nested
grammars, datatypes outside XSD's common built-ins) raise :class:`Unsupported`
at load time, so the caller falls back to jing rather than risk a wrong verdict.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lxml import etree

from .errors import SchemaError
from .findings import Finding, Severity
from .reading import Document
from .validation.libxml2 import read_schema_tree
from .xsd import Datatype, Unsupported

__all__ = ["ENGINE_VERSION", "Schema", "Unsupported", "UnsupportedSchema", "load"]

#: bump when the compiled form or its semantics change: old caches are then ignored
ENGINE_VERSION = 7
#: Python recursion limit while validating (the reader refuses documents deeper than
#: its configured limit, 200 by default)
_RECURSION = 10_000
#: rewrite the cache when a run added this many derivative-table entries
WARM_REWRITE = 300

RNG = "{http://relaxng.org/ns/structure/1.0}"
XML_NS = "http://www.w3.org/XML/1998/namespace"

# pattern kinds: a pattern is a tuple whose first item is its kind
EMPTY, NOTALLOWED, TEXT, CHOICE, GROUP, INTERLEAVE, ONEORMORE, LIST, DATA, VALUE, ATTRIBUTE, \
    ELEMENT = range(12)


class UnsupportedSchema(SchemaError):
    """The schema uses a construct this engine does not implement; use another engine."""


# ------------------------------------------------------------ name classes
# ("name", ns, local) | ("any", except|None) | ("ns", ns, except|None) | ("choice", a, b)

def nc_contains(nc: tuple[Any, ...], ns: str, local: str) -> bool:
    kind = nc[0]
    if kind == "name":
        return nc[1] == ns and nc[2] == local
    if kind == "any":
        return nc[1] is None or not nc_contains(nc[1], ns, local)
    if kind == "ns":
        return nc[1] == ns and (nc[2] is None or not nc_contains(nc[2], ns, local))
    return nc_contains(nc[1], ns, local) or nc_contains(nc[2], ns, local)


def nc_describe(nc: tuple[Any, ...], attribute: bool = False) -> list[str]:
    kind = nc[0]
    if kind == "name":
        prefix = "xml:" if nc[1] == XML_NS else ""
        return [f"{'@' if attribute else ''}{prefix}{nc[2]}"]
    if kind == "any":
        return ["any attribute" if attribute else "any element"]
    if kind == "ns":
        return [f"any {'attribute' if attribute else 'element'} in namespace {nc[1]}"]
    return nc_describe(nc[1], attribute) + nc_describe(nc[2], attribute)


def split_tag(tag: str) -> tuple[str, str]:
    if tag[0] == "{":
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return "", tag


# ------------------------------------------------------------ the compiled schema

class Schema:
    """A simplified RelaxNG schema and the memo tables of its derivatives."""

    def __init__(self) -> None:
        self.pats: list[tuple[Any, ...]] = []
        self._index: dict[tuple[Any, ...], int] = {}
        self.content: list[int] = []  # content pattern of element pattern k
        self.datatypes: list[Datatype] = []
        self.start = -1
        self.empty = self._mk((EMPTY,))
        self.notallowed = self._mk((NOTALLOWED,))
        self.text = self._mk((TEXT,))
        self._reset_memos()

    # -- pickling: the memo tables are rebuilt, not stored
    # -- pickling: the derivative tables travel with the patterns they refer to, so a
    # cache written after a run starts the next process warm; value verdicts stay behind
    _SAVED = ("pats", "content", "datatypes", "start", "empty", "notallowed", "text")
    _WARM = ("_nullable", "_elem_cands", "_elem_deriv", "_attr_cands", "_attr_deriv",
             "_text_cands", "_text_deriv", "_close", "_close_lenient", "_elem_step",
             "_attr_step", "_text_free", "_leaf_end")

    def __getstate__(self) -> dict[str, Any]:
        return {k: self.__dict__[k] for k in self._SAVED + self._WARM}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._reset_memos()
        self.__dict__.update(state)
        self._index = {p: i for i, p in enumerate(self.pats)}

    def memo_size(self) -> int:
        return len(self.pats) + sum(len(self.__dict__[k]) for k in self._WARM)

    def _reset_memos(self) -> None:
        self._nullable: dict[int, bool] = {}
        self._elem_cands: dict[tuple[int, str], tuple[int, ...]] = {}
        self._elem_deriv: dict[tuple[int, str, frozenset[int]], int] = {}
        self._attr_cands: dict[tuple[int, str], tuple[int, ...]] = {}
        self._attr_deriv: dict[tuple[int, str, frozenset[int]], int] = {}
        self._text_cands: dict[int, tuple[int, ...]] = {}
        self._text_deriv: dict[tuple[int, frozenset[int]], int] = {}
        self._close: dict[int, int] = {}
        self._close_lenient: dict[int, int] = {}
        self._value_ok: dict[tuple[int, str], bool] = {}
        self._names: dict[str, tuple[str, str]] = {}
        self._elem_step: dict[tuple[int, str], tuple[tuple[int, ...], int]] = {}
        self._attr_step: dict[tuple[int, str], tuple[tuple[int, ...], int]] = {}
        self._text_free: dict[int, int] = {}
        self._leaf_end: dict[int, tuple[bool | None, bool | None]] = {}
        self._by_name: dict[str, tuple[int, ...]] | None = None
        self._cache: tuple[Path, int, int] | None = None  # file, owner pid, size when saved

    # -- hash-consing constructors (these also simplify)
    def _mk(self, key: tuple[Any, ...]) -> int:
        found = self._index.get(key)
        if found is None:
            found = self._index[key] = len(self.pats)
            self.pats.append(key)
        return found

    def choice(self, *alts: int) -> int:
        flat: set[int] = set()
        for a in alts:
            p = self.pats[a]
            if p[0] == CHOICE:
                flat.update(p[1])
            elif p[0] != NOTALLOWED:
                flat.add(a)
        if not flat:
            return self.notallowed
        if len(flat) == 1:
            return next(iter(flat))
        return self._mk((CHOICE, tuple(sorted(flat))))

    def group(self, a: int, b: int) -> int:
        if a == self.notallowed or b == self.notallowed:
            return self.notallowed
        if a == self.empty:
            return b
        if b == self.empty:
            return a
        return self._mk((GROUP, a, b))

    def interleave(self, a: int, b: int) -> int:
        if a == self.notallowed or b == self.notallowed:
            return self.notallowed
        if a == self.empty:
            return b
        if b == self.empty:
            return a
        return self._mk((INTERLEAVE, min(a, b), max(a, b)))

    def one_or_more(self, a: int) -> int:
        if a in (self.notallowed, self.empty):
            return a
        return self._mk((ONEORMORE, a))

    def optional(self, a: int) -> int:
        return self.choice(a, self.empty)

    def attribute(self, nc: tuple[Any, ...], value: int) -> int:
        if value == self.notallowed:
            return self.notallowed
        return self._mk((ATTRIBUTE, nc, value))

    def list_(self, a: int) -> int:
        if a == self.notallowed:
            return a
        return self._mk((LIST, a))

    # -- basic properties
    def nullable(self, p: int) -> bool:
        got = self._nullable.get(p)
        if got is None:
            got = self._nullable[p] = self._compute_nullable(p)
        return got

    def _compute_nullable(self, p: int) -> bool:
        pat = self.pats[p]
        kind = pat[0]
        if kind in (EMPTY, TEXT):
            return True
        if kind == CHOICE:
            return any(self.nullable(a) for a in pat[1])
        if kind in (GROUP, INTERLEAVE):
            return self.nullable(pat[1]) and self.nullable(pat[2])
        if kind == ONEORMORE:
            return self.nullable(pat[1])
        return False

    def _name(self, tag: str) -> tuple[str, str]:
        got = self._names.get(tag)
        if got is None:
            got = self._names[tag] = split_tag(tag)
        return got

    # -- elements
    def first_elements(self, p: int) -> list[int]:
        """Element patterns that may match the next child element."""
        out: list[int] = []
        self._walk_front(p, out, (ELEMENT,))
        return out

    def _walk_front(self, p: int, out: list[int], kinds: tuple[int, ...]) -> None:
        pat = self.pats[p]
        kind = pat[0]
        if kind in kinds:
            out.append(p)
        elif kind == CHOICE:
            for a in pat[1]:
                self._walk_front(a, out, kinds)
        elif kind == GROUP:
            self._walk_front(pat[1], out, kinds)
            if self.nullable(pat[1]):
                self._walk_front(pat[2], out, kinds)
        elif kind == INTERLEAVE:
            self._walk_front(pat[1], out, kinds)
            self._walk_front(pat[2], out, kinds)
        elif kind == ONEORMORE:
            self._walk_front(pat[1], out, kinds)

    def elem_candidates(self, p: int, tag: str) -> tuple[int, ...]:
        """Content patterns of the element patterns that a child named *tag* may match here."""
        key = (p, tag)
        got = self._elem_cands.get(key)
        if got is None:
            ns, local = self._name(tag)
            got = tuple(sorted({self.content[self.pats[e][2]] for e in self.first_elements(p)
                                if nc_contains(self.pats[e][1], ns, local)}))
            self._elem_cands[key] = got
        return got

    def elem_deriv(self, p: int, tag: str, ok: frozenset[int]) -> int:
        """After a child named *tag* whose content satisfied the patterns *ok*."""
        key = (p, tag, ok)
        got = self._elem_deriv.get(key)
        if got is None:
            ns, local = self._name(tag)

            def leaf(pat: tuple[Any, ...]) -> int:
                if pat[0] == ELEMENT and self.content[pat[2]] in ok \
                        and nc_contains(pat[1], ns, local):
                    return self.empty
                return self.notallowed
            got = self._elem_deriv[key] = self._deriv(p, leaf, {}, sequential=True)
        return got

    def elem_step(self, p: int, tag: str) -> tuple[tuple[int, ...], int]:
        """Candidates for a child *tag*, and the derivative when there is exactly one (else -1)."""
        cands = self.elem_candidates(p, tag)
        after = self.elem_deriv(p, tag, frozenset(cands)) if len(cands) == 1 else -1
        if after == self.notallowed:
            after = -1
        self._elem_step[(p, tag)] = (cands, after)
        return cands, after

    def _deriv(self, p: int, leaf: Callable[[tuple[Any, ...]], int], memo: dict[int, int],
               sequential: bool) -> int:
        """The derivative of *p*; *leaf* decides for atoms; attributes are unordered."""
        got = memo.get(p)
        if got is not None:
            return got
        pat = self.pats[p]
        kind = pat[0]
        if kind == CHOICE:
            got = self.choice(*(self._deriv(a, leaf, memo, sequential) for a in pat[1]))
        elif kind == GROUP:
            a, b = pat[1], pat[2]
            got = self.group(self._deriv(a, leaf, memo, sequential), b)
            if not sequential:
                got = self.choice(got, self.group(a, self._deriv(b, leaf, memo, sequential)))
            elif self.nullable(a):
                got = self.choice(got, self._deriv(b, leaf, memo, sequential))
        elif kind == INTERLEAVE:
            a, b = pat[1], pat[2]
            got = self.choice(self.interleave(self._deriv(a, leaf, memo, sequential), b),
                              self.interleave(a, self._deriv(b, leaf, memo, sequential)))
        elif kind == ONEORMORE:
            got = self.group(self._deriv(pat[1], leaf, memo, sequential),
                             self.optional(p))
        elif kind in (EMPTY, NOTALLOWED):
            got = self.notallowed
        else:
            got = leaf(pat)
        memo[p] = got
        return got

    # -- attributes
    def attr_candidates(self, p: int, name: str) -> tuple[int, ...]:
        """Value patterns of the attribute patterns an attribute *name* may match here."""
        key = (p, name)
        got = self._attr_cands.get(key)
        if got is None:
            ns, local = self._name(name)
            found: list[int] = []
            self._walk_attrs(p, found)
            got = tuple(sorted({self.pats[a][2] for a in found
                                if nc_contains(self.pats[a][1], ns, local)}))
            self._attr_cands[key] = got
        return got

    def _walk_attrs(self, p: int, out: list[int]) -> None:
        pat = self.pats[p]
        kind = pat[0]
        if kind == ATTRIBUTE:
            out.append(p)
        elif kind == CHOICE:
            for a in pat[1]:
                self._walk_attrs(a, out)
        elif kind in (GROUP, INTERLEAVE):
            self._walk_attrs(pat[1], out)
            self._walk_attrs(pat[2], out)
        elif kind == ONEORMORE:
            self._walk_attrs(pat[1], out)

    def attr_deriv(self, p: int, name: str, ok: frozenset[int]) -> int:
        key = (p, name, ok)
        got = self._attr_deriv.get(key)
        if got is None:
            ns, local = self._name(name)

            def leaf(pat: tuple[Any, ...]) -> int:
                if pat[0] == ATTRIBUTE and pat[2] in ok and nc_contains(pat[1], ns, local):
                    return self.empty
                return self.notallowed
            got = self._attr_deriv[key] = self._deriv(p, leaf, {}, sequential=False)
        return got

    def attr_step(self, p: int, name: str) -> tuple[tuple[int, ...], int]:
        """Candidates for attribute *name*, and the derivative when all of them accept it."""
        cands = self.attr_candidates(p, name)
        after = self.attr_deriv(p, name, frozenset(cands)) if cands else -1
        if after == self.notallowed:
            after = -1
        self._attr_step[(p, name)] = (cands, after)
        return cands, after

    def leaf_end(self, p: int) -> tuple[bool | None, bool | None]:
        """For an element with text only: is it complete after blank / non-blank text?

        None where the answer depends on the text's value (data, values, lists), or
        where the text is not allowed (so that the error is reported).
        """
        free = self.text_free(p)
        if free < 0:
            got: tuple[bool | None, bool | None] = (None, None)
        else:
            blank = self.nullable(self.choice(p, free))
            got = (blank if blank else None, self.nullable(free) or None)
        self._leaf_end[p] = got
        return got

    def text_free(self, p: int) -> int:
        """The derivative by a non-blank text when no candidate looks at its value, else -1."""
        cands = self.text_candidates(p)
        got = -1
        if cands and all(self.pats[c][0] == TEXT for c in cands):
            got = self.text_deriv(p, frozenset())
        if got == self.notallowed:
            got = -1
        self._text_free[p] = got
        return got

    def close(self, p: int, lenient: bool = False) -> int:
        """End of the start tag: attributes not given are missing (or, *lenient*, forgiven)."""
        memo = self._close_lenient if lenient else self._close
        got = memo.get(p)
        if got is None:
            pat = self.pats[p]
            kind = pat[0]
            if kind == ATTRIBUTE:
                got = self.empty if lenient else self.notallowed
            elif kind == CHOICE:
                got = self.choice(*(self.close(a, lenient) for a in pat[1]))
            elif kind == GROUP:
                got = self.group(self.close(pat[1], lenient), self.close(pat[2], lenient))
            elif kind == INTERLEAVE:
                got = self.interleave(self.close(pat[1], lenient), self.close(pat[2], lenient))
            elif kind == ONEORMORE:
                got = self.one_or_more(self.close(pat[1], lenient))
            else:
                got = p
            memo[p] = got
        return got

    # -- text and data
    def text_candidates(self, p: int) -> tuple[int, ...]:
        got = self._text_cands.get(p)
        if got is None:
            out: list[int] = []
            self._walk_front(p, out, (TEXT, DATA, VALUE, LIST))
            got = self._text_cands[p] = tuple(sorted(set(out)))
        return got

    def text_deriv(self, p: int, ok: frozenset[int]) -> int:
        key = (p, ok)
        got = self._text_deriv.get(key)
        if got is None:
            def leaf(pat: tuple[Any, ...]) -> int:
                if pat[0] == TEXT:
                    return self.text
                return self.empty if self._index[pat] in ok else self.notallowed
            got = self._text_deriv[key] = self._deriv(p, leaf, {}, sequential=True)
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
            # split on XML whitespace only (str.split would also split at a no-break space)
            for token in _SPACES.split(value.strip(_WS)) if value.strip(_WS) else ():
                q = self.accepts_text(q, token)
                if q == self.notallowed:
                    return False
            return self.nullable(q)
        return self.string_matches(v, value)

    def string_matches(self, p: int, value: str) -> bool:
        """Whether pattern *p* matches a lone string (attribute values, ``except``)."""
        q = self.accepts_text(p, value)
        if value.strip(" \t\n\r") == "":
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

    def required_attributes(self, p: int) -> list[str]:
        """Names of attributes that *p* still requires, for 'missing attribute' messages."""
        pat = self.pats[p]
        kind = pat[0]
        if kind == ATTRIBUTE:
            return nc_describe(pat[1], attribute=True)
        if kind in (GROUP, INTERLEAVE):
            return self.required_attributes(pat[1]) + self.required_attributes(pat[2])
        if kind == ONEORMORE:
            return self.required_attributes(pat[1])
        if kind == CHOICE:
            if any(self.close(a) != self.notallowed for a in pat[1]):
                return []
            alts = [" and ".join(self.required_attributes(a)) for a in pat[1]]
            return [" or ".join(a for a in alts if a)]
        return []

    def elements_named(self, tag: str) -> tuple[int, ...]:
        """Content patterns of every element pattern of the schema that accepts *tag*."""
        if self._by_name is None:
            self._by_name = {}
        got = self._by_name.get(tag)
        if got is None:
            ns, local = self._name(tag)
            got = tuple(sorted({self.content[pat[2]] for pat in self.pats
                                if pat[0] == ELEMENT and nc_contains(pat[1], ns, local)}))
            self._by_name[tag] = got
        return got

    # -- validation
    def validate(self, doc: Document) -> list[Finding]:
        """All grammar errors of *doc*, each at its element's line and column."""
        if sys.getrecursionlimit() < _RECURSION:
            sys.setrecursionlimit(_RECURSION)  # a few frames per level of nesting
        try:
            findings = _Run(self, doc).run()
        except RecursionError:
            raise SchemaError("the document is nested too deeply for the built-in RelaxNG "
                              "engine", path=doc.path) from None
        self._persist_warm()
        return findings

    def _persist_warm(self) -> None:
        """Write the grown derivative tables back to the disk cache (loading process only).

        Derivatives met for the first time cost about twice the warm speed; after a
        few runs the tables stop growing and the rewrites stop. Forked workers
        never write (their pid differs), so a pool does not race on the file.
        """
        if self._cache is None:
            return
        path, pid, saved = self._cache
        size = self.memo_size()
        if os.getpid() == pid and size - saved > WARM_REWRITE:
            self._cache = (path, pid, size)
            _write_cache(path, self)


# ------------------------------------------------------------ one validation run

class _Stop(Exception):
    """Raised in silent mode at the first error."""


class _Run:
    """One document: walks the tree; in silent mode stops at the first error."""

    def __init__(self, schema: Schema, doc: Document | None,
                 probes: dict[tuple[etree._Element, int], bool] | None = None) -> None:
        self.s = schema
        self.doc = doc
        self.findings: list[Finding] = []
        self.silent = doc is None
        # verdicts of trial validations, shared by the whole run: with several element
        # patterns of one name, each element is tried once per candidate, never again
        # for an ancestor's trial (which would be exponential in the depth)
        self.probes: dict[tuple[etree._Element, int], bool] = {} if probes is None else probes

    def run(self) -> list[Finding]:
        assert self.doc is not None
        self._root(self.doc.root)
        return self.findings

    def _root(self, root: etree._Element) -> None:
        s = self.s
        cands = s.elem_candidates(s.start, root.tag)
        if not cands:
            self._error(root, "content", f"<{_show(root.tag)}> is not allowed as the root "
                        f"element; expected {s.expected_elements(s.start)}")
            return
        self._child(root, cands)

    def _error(self, el: etree._Element, rule: str, message: str) -> None:
        if self.silent:
            raise _Stop
        doc = self.doc
        assert doc is not None
        line, col = doc.locate(el)
        self.findings.append(Finding(doc.path, line, col, Severity.ERROR, "rng." + rule, message,
                                     xpath=doc.tree.getpath(el)))

    def _child(self, el: etree._Element, cands: tuple[int, ...]) -> frozenset[int]:
        """Validate *el* against the candidate contents; the ones it satisfies."""
        if len(cands) == 1:
            self._element(el, cands[0])  # errors inside are reported; the parent goes on
            return frozenset(cands)
        ok = frozenset(c for c in cands if self._quietly(el, c))
        if ok:
            return ok
        self._element(el, cands[0])
        return frozenset(cands)

    def _quietly(self, el: etree._Element, content: int) -> bool:
        key = (el, content)
        got = self.probes.get(key)
        if got is None:
            probe = _Run(self.s, None, self.probes)
            try:
                probe._element(el, content)
                got = True
            except _Stop:
                got = False
            self.probes[key] = got
        return got

    def _element(self, el: etree._Element, p: int) -> None:
        """Validate *el* against content pattern *p* (the hot path: memo look-ups only)."""
        s = self.s
        items = el.items()
        if items:
            p = self._attributes(el, p, items)
        closed = s._close.get(p)
        if closed is None:
            closed = s.close(p)
        if closed == s.notallowed:
            missing = s.required_attributes(p)
            what = ", ".join(missing) if missing else "a required attribute"
            self._error(el, "attribute", f"<{_show(el.tag)}> is missing required attribute {what}")
            closed = s.close(p, lenient=True)
        p = closed
        steps = s._elem_step
        pending = el.text
        has_children = False
        for child in el:
            tag = child.tag
            if tag.__class__ is str:
                if pending is not None:
                    if pending.strip(_WS):
                        p = self._text(el, p, pending, mixed=True)
                    pending = None
                has_children = True
                step = steps.get((p, tag))
                if step is None:
                    step = s.elem_step(p, tag)
                if step[1] >= 0:
                    self._element(child, step[0][0])
                    p = step[1]
                else:
                    p = self._sub(child, p, step[0])
            tail = child.tail
            if tail:
                pending = tail if pending is None else pending + tail
        if not has_children:
            leaf = s._leaf_end.get(p)
            if leaf is None:
                leaf = s.leaf_end(p)
            # text-only content whose value no datatype looks at: the verdict is memoised
            got = leaf[1] if pending and pending.strip(_WS) else leaf[0]
            if got is None:
                p = self._text(el, p, pending or "", mixed=False)
                got = s.nullable(p)
        else:
            if pending is not None and pending.strip(_WS):
                p = self._text(el, p, pending, mixed=True)
            got = s._nullable.get(p)
            if got is None:
                got = s.nullable(p)
        if not got:
            self._error(el, "content", f"<{_show(el.tag)}> is incomplete: expected "
                        f"{self._expected(p)}")

    def _expected(self, p: int) -> str:
        s = self.s
        elements = s.expected_elements(p)
        data = [c for c in s.text_candidates(p) if s.pats[c][0] != TEXT]
        if data and not s.first_elements(p):
            return "text content: " + " or ".join(s.describe_value(c) for c in data)
        return elements

    def _sub(self, child: etree._Element, p: int, cands: tuple[int, ...]) -> int:
        """A child element outside the one-candidate fast path."""
        s = self.s
        tag = child.tag
        parent = _show(child.getparent().tag)
        if not cands:
            known = s.elements_named(tag)
            expected = s.expected_elements(p)
            self._error(child, "content", (
                f"element <{_show(tag)}> is not allowed here in <{parent}>; expected {expected}"
                if known else f"element <{_show(tag)}> is not defined by the schema (here in "
                f"<{parent}> expected {expected})"))
            if len(known) == 1:  # still check inside it, as jing does
                self._element(child, known[0])
            return p
        after = s.elem_deriv(p, tag, self._child(child, cands))
        if after == s.notallowed:  # cannot happen for a sound candidate set; be safe
            self._error(child, "content", f"element <{_show(tag)}> is not allowed here in "
                        f"<{parent}>")
            return p
        return after

    def _text(self, el: etree._Element, p: int, text: str, mixed: bool) -> int:
        s = self.s
        free = s._text_free.get(p)
        if free is None:
            free = s.text_free(p)
        if free >= 0 and mixed:  # text of any value; *mixed* texts here are never blank
            return free
        blank = not text.strip(_WS)
        after = free if free >= 0 else s.accepts_text(p, text)
        if blank:
            after = s.choice(p, after)
        if after != s.notallowed:
            return after
        name = _show(el.tag)
        data = [c for c in s.text_candidates(p) if s.pats[c][0] != TEXT]
        if data:
            shown = text.strip()
            shown = shown if len(shown) <= 40 else shown[:37] + "..."
            self._error(el, "datatype", f'<{name}> content "{shown}" is not '
                        f"{' or '.join(s.describe_value(c) for c in data)}")
            return s.text_deriv(p, frozenset(data))
        self._error(el, "content", f"text is not allowed in <{name}>"
                    + ("" if blank else f' ("{text.strip()[:30]}")'))
        return p

    def _attributes(self, el: etree._Element, p: int, items: list[tuple[str, str]]) -> int:
        s = self.s
        steps = s._attr_step
        value_memo = s._value_ok
        for att, value in items:
            step = steps.get((p, att))
            if step is None:
                step = s.attr_step(p, att)
            cands, after_all = step
            if after_all >= 0:
                ok = True
                for v in cands:
                    got = value_memo.get((v, value))
                    if got is None:
                        got = s.value_ok(v, value)
                    if not got:
                        ok = False
                        break
                if ok:
                    p = after_all
                    continue
            p = self._attribute_slow(el, p, att, value, cands)
        return p

    def _attribute_slow(self, el: etree._Element, p: int, att: str, value: str,
                        cands: tuple[int, ...]) -> int:
        s = self.s
        name = _show(el.tag)
        if not cands:
            self._error(el, "attribute", f"attribute {_show(att, True)} is not allowed on "
                        f"<{name}>")
            return p
        ok = frozenset(v for v in cands if s.value_ok(v, value))
        if not ok:
            shown = value if len(value) <= 40 else value[:37] + "..."
            self._error(el, "datatype", f'{_show(att, True)} on <{name}> has value '
                        f'"{shown}", which is not '
                        + " or ".join(s.describe_value(v) for v in cands))
            ok = frozenset(cands)
        after = s.attr_deriv(p, att, ok)
        if after == s.notallowed:
            self._error(el, "attribute", f"attribute {_show(att, True)} is not allowed on "
                        f"<{name}> together with the other attributes")
            return p
        return after


_WS = " \t\n\r"
_SPACES = re.compile("[ \t\n\r]+")


def _show(tag: str, attribute: bool = False) -> str:
    ns, local = split_tag(tag)
    if ns == XML_NS:
        local = "xml:" + local
    elif ns and attribute:
        local = f"{{{ns}}}{local}"
    return ("@" if attribute else "") + local


# ------------------------------------------------------------ reading the schema

class _Loader:
    """RNG XML syntax -> :class:`Schema` (simplified, element patterns numbered)."""

    def __init__(self, root: etree._Element) -> None:
        self.s = Schema()
        self.defines: dict[str, list[etree._Element]] = {}
        self.combine: dict[str, str] = {}
        self.starts: list[etree._Element] = []
        self.define_pid: dict[str, int] = {}
        self.in_progress: set[str] = set()
        self.elements: dict[etree._Element, int] = {}
        self.queue: list[tuple[int, etree._Element]] = []
        self.datatype_ids: dict[tuple[str, str, tuple[tuple[str, str], ...]], int] = {}
        self.root = root

    def load(self) -> Schema:
        root = self.root
        if root.tag == RNG + "grammar":
            self._collect(root)
            if not self.starts:
                raise SchemaError("the grammar has no <start>")
            start = self._combined(self.starts, self.combine.get("#start", "choice"))
        else:
            start = self._pattern(root)
        while self.queue:
            k, node = self.queue.pop()
            kids = _rng_children(node)
            if node.get("name") is None:
                kids = kids[1:]  # the first child is the name class
            self.s.content[k] = self._group([self._pattern(c) for c in kids])
        self.s.start = start
        return self.s

    # -- the grammar
    def _collect(self, grammar: etree._Element) -> None:
        for child in _rng_children(grammar):
            local = child.tag[len(RNG):]
            if local == "div":
                self._collect(child)
            elif local == "define":
                name = child.get("name", "")
                self.defines.setdefault(name, []).append(child)
                self._note_combine(name, child)
            elif local == "start":
                self.starts.append(child)
                self._note_combine("#start", child)
            elif local in ("include",):
                raise Unsupported("<include> (use jing, or inline the included grammar)")
            else:
                raise SchemaError(f"unexpected <{local}> in a grammar", line=child.sourceline)

    def _note_combine(self, name: str, node: etree._Element) -> None:
        how = node.get("combine")
        if how and self.combine.setdefault(name, how) != how:
            raise SchemaError(f"define {name} is combined both by choice and interleave",
                              line=node.sourceline)

    def _combined(self, nodes: list[etree._Element], how: str) -> int:
        parts = [self._group(self._patterns(n)) for n in nodes]
        if how == "interleave":
            out = parts[0]
            for p in parts[1:]:
                out = self.s.interleave(out, p)
            return out
        return self.s.choice(*parts)

    def _ref(self, node: etree._Element) -> int:
        name = node.get("name", "").strip()
        got = self.define_pid.get(name)
        if got is not None:
            return got
        if name not in self.defines:
            raise SchemaError(f"reference to undefined pattern {name!r}", line=node.sourceline)
        if name in self.in_progress:
            raise SchemaError(f"pattern {name!r} refers to itself outside an element",
                              line=node.sourceline)
        self.in_progress.add(name)
        got = self._combined(self.defines[name], self.combine.get(name, "choice"))
        self.in_progress.discard(name)
        self.define_pid[name] = got
        return got

    # -- patterns
    def _patterns(self, node: etree._Element) -> list[int]:
        return [self._pattern(c) for c in _rng_children(node)]

    def _group(self, pids: list[int]) -> int:
        if not pids:
            return self.s.empty
        out = pids[0]
        for p in pids[1:]:
            out = self.s.group(out, p)
        return out

    def _pattern(self, node: etree._Element) -> int:
        tag = node.tag
        if not isinstance(tag, str) or not tag.startswith(RNG):
            raise SchemaError(f"unexpected {tag!r} where a pattern belongs", line=node.sourceline)
        local = tag[len(RNG):]
        handler = getattr(self, "_p_" + local, None)
        if handler is None:
            if local in ("externalRef", "parentRef", "grammar", "include"):
                raise Unsupported(f"<{local}>")
            raise SchemaError(f"unexpected <{local}> where a pattern belongs",
                              line=node.sourceline)
        return handler(node)

    def _p_empty(self, node: etree._Element) -> int:
        return self.s.empty

    def _p_notAllowed(self, node: etree._Element) -> int:
        return self.s.notallowed

    def _p_text(self, node: etree._Element) -> int:
        return self.s.text

    def _p_ref(self, node: etree._Element) -> int:
        return self._ref(node)

    def _p_group(self, node: etree._Element) -> int:
        return self._group(self._patterns(node))

    def _p_choice(self, node: etree._Element) -> int:
        return self.s.choice(*self._patterns(node))

    def _p_interleave(self, node: etree._Element) -> int:
        pids = self._patterns(node)
        out = pids[0]
        for p in pids[1:]:
            out = self.s.interleave(out, p)
        return out

    def _p_mixed(self, node: etree._Element) -> int:
        return self.s.interleave(self.s.text, self._group(self._patterns(node)))

    def _p_optional(self, node: etree._Element) -> int:
        return self.s.optional(self._group(self._patterns(node)))

    def _p_zeroOrMore(self, node: etree._Element) -> int:
        return self.s.optional(self.s.one_or_more(self._group(self._patterns(node))))

    def _p_oneOrMore(self, node: etree._Element) -> int:
        return self.s.one_or_more(self._group(self._patterns(node)))

    def _p_list(self, node: etree._Element) -> int:
        return self.s.list_(self._group(self._patterns(node)))

    def _p_element(self, node: etree._Element) -> int:
        k = self.elements.get(node)
        if k is None:
            k = self.elements[node] = len(self.s.content)
            self.s.content.append(self.s.notallowed)
            self.queue.append((k, node))
        return self.s._mk((ELEMENT, self._name_class(node, attribute=False), k))

    def _p_attribute(self, node: etree._Element) -> int:
        nc = self._name_class(node, attribute=True)
        kids = _rng_children(node)
        if node.get("name") is None:
            kids = kids[1:]
        value = self._group([self._pattern(k) for k in kids]) if kids else self.s.text
        return self.s.attribute(nc, value)

    def _p_data(self, node: etree._Element) -> int:
        params = tuple((p.get("name", ""), p.text or "") for p in node
                       if p.tag == RNG + "param")
        dt = self._datatype(node, node.get("type", "").strip(), params)
        excepts = [c for c in node if c.tag == RNG + "except"]
        ex = self.s.choice(*self._patterns(excepts[0])) if excepts else -1
        return self.s._mk((DATA, dt, ex))

    def _p_value(self, node: etree._Element) -> int:
        if node.get("type") is None:
            dt = self._datatype(node, "token", (), library="")
        else:
            dt = self._datatype(node, node.get("type", "").strip(), ())
        return self.s._mk((VALUE, dt, node.text or ""))

    def _datatype(self, node: etree._Element, name: str, params: tuple[tuple[str, str], ...],
                  library: str | None = None) -> int:
        lib = _inherited(node, "datatypeLibrary", "") if library is None else library
        if lib == "" and name in ("QName", "NOTATION"):
            raise Unsupported(name)
        key = (lib, name, params)
        got = self.datatype_ids.get(key)
        if got is None:
            self.s.datatypes.append(Datatype(lib, name, params))
            got = self.datatype_ids[key] = len(self.s.datatypes) - 1
        return got

    # -- name classes
    def _name_class(self, node: etree._Element, attribute: bool) -> tuple[Any, ...]:
        name = node.get("name")
        if name is not None:
            if attribute and ":" not in name:
                return ("name", node.get("ns", ""), name.strip())
            return self._qname(node, name.strip())
        kids = _rng_children(node)
        if not kids:
            raise SchemaError("element or attribute without a name", line=node.sourceline)
        return self._nc(kids[0])

    def _qname(self, node: etree._Element, name: str) -> tuple[Any, ...]:
        if ":" in name:
            prefix, local = name.split(":", 1)
            ns = XML_NS if prefix == "xml" else node.nsmap.get(prefix)
            if ns is None:
                raise SchemaError(f"undeclared prefix in {name!r}", line=node.sourceline)
            return ("name", ns, local)
        return ("name", _inherited(node, "ns", ""), name)

    def _nc(self, node: etree._Element) -> tuple[Any, ...]:
        local = node.tag[len(RNG):]
        if local == "name":
            return self._qname(node, (node.text or "").strip())
        if local in ("anyName", "nsName"):
            ex = [c for c in node if c.tag == RNG + "except"]
            exc = self._nc_choice(_rng_children(ex[0])) if ex else None
            if local == "anyName":
                return ("any", exc)
            return ("ns", _inherited(node, "ns", ""), exc)
        if local == "choice":
            return self._nc_choice(_rng_children(node))
        raise SchemaError(f"<{local}> is not a name class", line=node.sourceline)

    def _nc_choice(self, nodes: list[etree._Element]) -> tuple[Any, ...]:
        out = self._nc(nodes[0])
        for n in nodes[1:]:
            out = ("choice", out, self._nc(n))
        return out


def _rng_children(node: etree._Element) -> list[etree._Element]:
    """RNG child elements; foreign elements (annotations, Schematron) are ignored."""
    return [c for c in node if isinstance(c.tag, str) and c.tag.startswith(RNG)]


def _inherited(node: etree._Element, attr: str, default: str) -> str:
    for el in (node, *node.iterancestors()):
        value = el.get(attr)
        if value is not None:
            return value.strip() if attr == "ns" else value
    return default


# ------------------------------------------------------------ loading with a disk cache

def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "serge-tei"


def load(path: Path, *, use_cache: bool = True) -> Schema:
    """The compiled schema of *path*, from the disk cache when its content hash matches.

    Raises :class:`UnsupportedSchema` when the schema uses something this
    engine does not implement, :class:`SchemaError` when it is not usable.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SchemaError(f"cannot read schema: {exc}", path=str(path)) from None
    digest = hashlib.sha256(data).hexdigest()[:32]
    cached = cache_dir() / f"rng-{digest}-v{ENGINE_VERSION}.pickle"
    if use_cache:
        schema = _read_cache(cached)
        if schema is None:
            schema = compile_schema(path)
            _write_cache(cached, schema)
        schema._cache = (cached, os.getpid(), schema.memo_size())
        return schema
    return compile_schema(path)


def compile_schema(path: Path) -> Schema:
    tree = read_schema_tree(path)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 20_000))
    try:
        return _Loader(tree.getroot()).load()
    except Unsupported as exc:
        raise UnsupportedSchema(f"the built-in RelaxNG engine does not support {exc}",
                                path=str(path)) from None
    except SchemaError as exc:
        raise SchemaError(exc.message, path=str(path), line=exc.line) from None
    finally:
        sys.setrecursionlimit(limit)


def _read_cache(cached: Path) -> Schema | None:
    try:
        with cached.open("rb") as fh:
            schema = pickle.load(fh)
    except Exception:  # missing, truncated, or written by another version: rebuild
        return None
    return schema if isinstance(schema, Schema) else None


def _write_cache(cached: Path, schema: Schema) -> bool:
    """Store *schema* atomically; False when the cache folder is not writable.

    A cache that cannot be written only costs the next process the load time,
    so the caller goes on either way; no temporary file is left behind.
    """
    tmp: str | None = None
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cached.parent, prefix=".rng-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(schema, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, cached)
    except OSError:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        return False
    for stale in cached.parent.glob(cached.name.rsplit("-v", 1)[0] + "-v*.pickle"):
        if stale != cached:  # the same schema compiled by an older engine
            with contextlib.suppress(OSError):
                stale.unlink(missing_ok=True)
    return True
