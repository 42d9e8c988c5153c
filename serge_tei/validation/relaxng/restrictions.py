"""RELAX NG section 7: the restrictions a simplified schema must meet (jing refuses the rest).

The derivative algorithm would give some verdict for a schema that breaks
them, but not one jing gives, since jing refuses such a schema: so does the
engine. Checked on the simplified patterns, each (pattern, context) once:

* 7.1 prohibited paths: an element or attribute inside an attribute, a list
  or a data ``except``; an attribute repeated by ``oneOrMore`` inside a group
  or interleave; a list, text or interleave inside a list; anything but data,
  values and choices inside ``except``;
* 7.2 string sequences: data, a value or a list grouped with elements or text;
* 7.3 an attribute named twice in one group or interleave, and an attribute
  whose name class is infinite outside ``oneOrMore``;
* 7.4 an element name, or text, on both sides of an interleave.

(7.1.5, the start pattern, is checked where the start is known.)
"""

from __future__ import annotations

from .patterns import (
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
    NameClass,
    Patterns,
    nc_overlap,
)
from .refusals import InvalidSchema

IN_ATTRIBUTE, IN_LIST, IN_EXCEPT, IN_ONEORMORE, IN_ONEORMORE_GROUP = 1, 2, 4, 8, 16

#: what may not occur where (context bit, what, why)
_PROHIBITED = {
    ELEMENT: (IN_ATTRIBUTE | IN_LIST | IN_EXCEPT, "an element"),
    ATTRIBUTE: (IN_ATTRIBUTE | IN_LIST | IN_EXCEPT | IN_ONEORMORE_GROUP, "an attribute"),
    LIST: (IN_LIST | IN_EXCEPT, "a list"),
    TEXT: (IN_LIST | IN_EXCEPT, "text"),
    INTERLEAVE: (IN_LIST | IN_EXCEPT, "an interleave"),
    GROUP: (IN_EXCEPT, "a group"),
    ONEORMORE: (IN_EXCEPT, "a repetition"),
    EMPTY: (IN_EXCEPT, "empty"),
}
_WHERE = ((IN_ATTRIBUTE, "an attribute"), (IN_LIST, "a list"), (IN_EXCEPT, "a data except"),
          (IN_ONEORMORE_GROUP, "a group or interleave repeated by oneOrMore"))


def check(s: Patterns) -> None:
    """Raise :class:`InvalidSchema` for the first restriction *s* breaks."""
    reach = _Reach(s)
    for c in s.content:
        _content_type(s, c)
    seen: set[tuple[int, int]] = set()
    stack = [(c, 0) for c in s.content]
    while stack:
        p, ctx = stack.pop()
        if (p, ctx) in seen:
            continue
        seen.add((p, ctx))
        pat = s.pats[p]
        kind = pat[0]
        banned = _PROHIBITED.get(kind)
        if banned is not None and ctx & banned[0]:
            where = next(w for bit, w in _WHERE if ctx & banned[0] & bit)
            raise InvalidSchema(f"{banned[1]} inside {where} (RELAX NG section 7.1)")
        if kind == ELEMENT:
            continue  # its content is checked from s.content, in a fresh context
        if kind == ATTRIBUTE:
            if not ctx & IN_ONEORMORE and not _finite(pat[1]):
                raise InvalidSchema("an attribute with an open name class (anyName, nsName) "
                                    "outside oneOrMore (RELAX NG section 7.3)")
            stack.append((pat[2], ctx | IN_ATTRIBUTE))
        elif kind == LIST:
            stack.append((pat[1], ctx | IN_LIST))
        elif kind == DATA:
            if pat[2] >= 0:
                stack.append((pat[2], ctx | IN_EXCEPT))
        elif kind == ONEORMORE:
            stack.append((pat[1], ctx | IN_ONEORMORE))
        elif kind in (GROUP, INTERLEAVE):
            inner = ctx | IN_ONEORMORE_GROUP if ctx & IN_ONEORMORE else ctx
            _pair(reach, pat[1], pat[2], interleave=kind == INTERLEAVE)
            stack.extend(((pat[1], inner), (pat[2], inner)))
        elif kind == CHOICE:
            stack.extend((a, ctx) for a in pat[1])


#: content types (section 7.2); None is no content type (notAllowed)
_EMPTY, _COMPLEX, _SIMPLE = 0, 1, 2


def _content_type(s: Patterns, p: int) -> int | None:
    """The content type of *p*; raises where two ungroupable ones are grouped."""
    memo: dict[int, int | None] = {}
    stack = [p]
    while stack:
        q = stack[-1]
        if q in memo:
            stack.pop()
            continue
        pat = s.pats[q]
        kind = pat[0]
        if kind in (EMPTY, ATTRIBUTE):
            memo[q] = _EMPTY
        elif kind in (TEXT, ELEMENT):
            memo[q] = _COMPLEX
        elif kind in (DATA, VALUE, LIST):
            memo[q] = _SIMPLE
        elif kind == NOTALLOWED:
            memo[q] = None
        else:
            kids = s.children(q)
            missing = [k for k in kids if k not in memo]
            if missing:
                stack.extend(missing)
                continue
            types = [memo[k] for k in kids]
            if kind in (GROUP, INTERLEAVE, ONEORMORE):
                a, b = types[0], types[-1]
                if a is not None and b is not None and not (
                        a == _EMPTY or b == _EMPTY or a == b == _COMPLEX):
                    raise InvalidSchema("data, a value or a list grouped with elements or text "
                                        "(RELAX NG section 7.2)")
            known = [t for t in types if t is not None]
            memo[q] = None if len(known) < len(types) and kind != CHOICE else \
                max(known) if known else None
        stack.pop()
    return memo[p]


class _Reach:
    """Memoised: the attribute names, element names and text a pattern holds at its level."""

    def __init__(self, s: Patterns) -> None:
        self.s = s
        self.memo: dict[tuple[int, int], frozenset[NameClass]] = {}

    def __call__(self, p: int, kind: int) -> frozenset[NameClass]:
        memo, pats = self.memo, self.s.pats
        stack = [p]
        while stack:
            q = stack[-1]
            if (q, kind) in memo:
                stack.pop()
                continue
            pat = pats[q]
            if pat[0] == kind:
                memo[(q, kind)] = frozenset((pat[1] if kind != TEXT else ("text",),))
            elif pat[0] in (ELEMENT, ATTRIBUTE, LIST, DATA):
                memo[(q, kind)] = frozenset()
            else:
                kids = self.s.children(q)
                missing = [k for k in kids if (k, kind) not in memo]
                if missing:
                    stack.extend(missing)
                    continue
                memo[(q, kind)] = frozenset().union(*(memo[(k, kind)] for k in kids))
            stack.pop()
        return memo[(p, kind)]


def _finite(nc: NameClass) -> bool:
    if nc[0] == "choice":
        return all(_finite(c) for c in nc[1])
    return bool(nc[0] == "name")


def _pair(reach: _Reach, a: int, b: int, interleave: bool) -> None:
    """7.3 (both operands' attributes) and 7.4 (an interleave's elements and text)."""
    left, right = reach(a, ATTRIBUTE), reach(b, ATTRIBUTE)
    if left and right and _overlap(left, right):
        raise InvalidSchema("an attribute that may occur twice on one element "
                            "(RELAX NG section 7.3)")
    if not interleave:
        return
    left, right = reach(a, ELEMENT), reach(b, ELEMENT)
    if left and right and _overlap(left, right):
        raise InvalidSchema("an element name on both sides of an interleave "
                            "(RELAX NG section 7.4)")
    if reach(a, TEXT) and reach(b, TEXT):
        raise InvalidSchema("text on both sides of an interleave (RELAX NG section 7.4)")


def _overlap(left: frozenset[NameClass], right: frozenset[NameClass]) -> bool:
    simple = {(nc[1], nc[2]) for nc in left if nc[0] == "name"}
    if any(nc[0] == "name" and (nc[1], nc[2]) in simple for nc in right):
        return True
    others = [nc for nc in left if nc[0] != "name"]
    rest = [nc for nc in right if nc[0] != "name"]
    return any(nc_overlap(a, b) for a in others for b in right) or \
        any(nc_overlap(a, b) for a in left for b in rest)
