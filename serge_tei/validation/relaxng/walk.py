"""Validating one parsed document: an iterative walk over its tree, and its findings.

The walk keeps one frame per open element on an explicit stack (no Python
recursion, however deep the document), and one state per frame: the
derivative of the element's content pattern by what was seen so far. A child
element whose name matches one element pattern gets that pattern's content as
its state, and the parent moves on at once; a name matching several patterns
(rare) gets the choice of all of them, each paired with what the parent does
if that one matches, and the child's end tag settles it.

Errors are reported with the element's line and column, and validation
recovers (skips the offending attribute, child or text) so that later errors
are reported too.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from lxml import etree

from ...findings import Finding, Severity
from ...reading import Document
from .patterns import TEXT, XML_NS, split_tag

if TYPE_CHECKING:
    from .schema import Schema

_WS = " \t\n\r"
_SPACES = re.compile("[ \t\n\r]+")

# a frame, for an element with children: [the element, its state, pending text, has element
# children, the parent's state should it match none of several contents (or -1), how many of
# its child nodes are still to come]; a state of -1 marks content that is not looked at
EL, STATE, PENDING, HAS_CHILDREN, FALLBACK, LEFT = range(6)
#: the leaf verdicts (see :data:`.schema.Leaf`) of content complete with any text or none
_COMPLETE = (True, True, True)


class Walk:
    """One document against one schema."""

    def __init__(self, schema: Schema, doc: Document) -> None:
        self.s = schema
        self.doc = doc
        self.findings: list[Finding] = []

    def run(self) -> list[Finding]:
        """Every node in document order (lxml's own iterator, the cheapest way through a tree);
        a frame only for elements with children, closed after its last child node.

        The common cases (attributes every candidate accepts, a text-only element whose
        verdict is memoised, an element that ends complete) are decided here from the
        memo tables, without a method call per element: about a fifth of the walk's time
        on GerDraCor. Anything else goes to the methods below, which decide afresh.
        """
        s = self.s
        steps = s._elem_step
        attr_steps = s._attr_step
        value_memo = s._value_ok
        close_memo = s._close
        leaf_memo = s._leaf_end
        nullable_memo = s._nullable
        notallowed = s.notallowed
        # the names of the elements and attributes, for the document (Schematron asks)
        names: set[str] = set()
        seen = names.add
        attributes: set[str] = set()
        seen_attribute = attributes.add
        top: list[Any] = [None, s.start, None, True, -1, 1]
        stack = [top]
        frame = top
        for child in self.doc.root.iter():
            frame[LEFT] -= 1
            tag = child.tag
            p = frame[STATE]
            if tag.__class__ is not str:  # a comment or processing instruction
                tail = child.tail
                if tail:
                    frame[PENDING] = tail if frame[PENDING] is None else frame[PENDING] + tail
            elif p < 0:  # inside an element the schema does not know
                seen(tag)
                attributes.update(child.keys())
                if len(child):
                    frame = [child, -1, None, True, -1, len(child)]
                    stack.append(frame)
                    continue
            else:
                seen(tag)
                pending = frame[PENDING]
                # not blank: text from a parsed tree holds no ASCII space-like control
                # (\v \f \x1c-\x1f), so blank is all ASCII and all space (a third of strip's time)
                if pending and not (pending.isascii() and pending.isspace()):
                    p = frame[STATE] = self._text(frame[EL], p, pending, mixed=True)
                frame[PENDING] = child.tail
                frame[HAS_CHILDREN] = True
                step = steps.get((p, tag))
                if step is None:
                    step = s.child_step(p, tag)
                state = step[0]
                if state < 0:
                    state = self._unexpected(child, frame)
                    closed, fallback = -1, -1
                else:
                    if step[1] >= 0:
                        frame[STATE] = step[1]
                    closed, fallback = step[3], step[2]
                items = child.items()
                known = not items and closed >= 0
                if items and state >= 0:  # _start and _attributes, inlined
                    for att, value in items:
                        seen_attribute(att)
                        got = attr_steps.get((state, att))
                        if got is None:
                            got = s.attr_step(state, att)
                        cands, after_all = got
                        if after_all >= 0:
                            for v in cands:
                                ok = value_memo.get((v, value))
                                if ok is None:
                                    ok = s.value_ok(v, value)
                                if not ok:
                                    break
                            else:
                                state = after_all
                                continue
                        state = self._attribute_slow(child, state, att, value, cands)
                    after = close_memo.get(state)
                    closed = s.close(state) if after is None else after
                    if closed == notallowed:
                        closed = self._missing_attribute(child, state)
                elif not known:
                    attributes.update(att for att, _ in items)
                    closed = self._start(child, state, items)
                size = len(child)
                if size:  # (closed is -1 where the content is not looked at)
                    frame = [child, closed, child.text, False, fallback, size]
                    stack.append(frame)
                    continue
                if closed >= 0:  # text only (most elements): settled without a frame
                    if fallback >= 0:
                        self._close([child, closed, child.text, False, fallback, 0], frame)
                    else:
                        leaf = step[4:] if known else leaf_memo.get(closed)
                        if leaf is None:
                            leaf = s.leaf_end(closed)
                        if leaf != _COMPLETE:  # complete with any text or none: not read
                            text = child.text
                            if (leaf[0] if not text else leaf[2] if text.strip(_WS)
                                    else leaf[1]) is not True:
                                self._leaf(child, closed, text)
            while not frame[LEFT] and frame is not top:  # the last child of an element
                stack.pop()
                parent = stack[-1]
                p = frame[STATE]
                # _close, inlined where the memo answers: element children only (or blank
                # text between them), one content, complete
                if p >= 0:
                    pending = frame[PENDING]
                    if frame[FALLBACK] >= 0 or not frame[HAS_CHILDREN] or \
                            (pending is not None and pending.strip(_WS)) or \
                            nullable_memo.get(p) is not True:
                        self._close(frame, parent)
                frame = parent
        self.doc.element_names = frozenset(names)
        self.doc.attribute_names = frozenset(attributes)
        return self.findings

    def _start(self, el: etree._Element, state: int, items: list[tuple[str, str]]) -> int:
        """The state after the start tag of *el*; -1 when *state* is -1 (not looked at)."""
        if state < 0:
            return -1
        s = self.s
        if items:
            state = self._attributes(el, state, items)
        closed = s._close.get(state)
        if closed is None:
            closed = s.close(state)
        if closed == s.notallowed:
            closed = self._missing_attribute(el, state)
        return closed

    def _leaf(self, el: etree._Element, p: int, text: str | None) -> None:
        """End of an element with text only (or comments), in state *p*."""
        s = self.s
        leaf = s._leaf_end.get(p)
        if leaf is None:
            leaf = s.leaf_end(p)
        # text-only content whose value no datatype looks at: the verdict is memoised
        got = leaf[0] if not text else leaf[2] if text.strip(_WS) else leaf[1]
        if got is None:
            p = self._text(el, p, text or "", mixed=False)
            got = s.nullable(p)
        if not got:
            self._incomplete(el, p)

    # -- end of an element
    def _close(self, frame: list[Any], parent: list[Any]) -> None:
        s = self.s
        el, p, pending = frame[EL], frame[STATE], frame[PENDING]
        if p < 0:
            return
        if frame[FALLBACK] >= 0:  # validated against several contents at once
            if not frame[HAS_CHILDREN] or (pending is not None and pending.strip(_WS)):
                p = self._text(el, p, pending or "", mixed=frame[HAS_CHILDREN])
            after = s.end_tag(p)
            if after == s.notallowed:
                self._incomplete(el, p)
                after = frame[FALLBACK]
            parent[STATE] = after
            return
        if not frame[HAS_CHILDREN]:  # only comments or PIs inside
            self._leaf(el, p, pending)
            return
        if pending is not None and pending.strip(_WS):
            p = self._text(el, p, pending, mixed=True)
        got = s._nullable.get(p)
        if got is None:
            got = s.nullable(p)
        if not got:
            self._incomplete(el, p)

    # -- findings
    def _error(self, el: etree._Element, rule: str, message: str) -> None:
        doc = self.doc
        line, col = doc.locate(el)
        self.findings.append(Finding(doc.path, line, col, Severity.ERROR, "rng." + rule, message,
                                     xpath=doc.tree.getpath(el)))

    def _incomplete(self, el: etree._Element, p: int) -> None:
        self._error(el, "content", f"<{_show(el.tag)}> is incomplete: expected {self._expected(p)}")

    def _expected(self, p: int) -> str:
        s = self.s
        elements = s.expected_elements(p)
        data = [c for c in s.text_candidates(p) if s.pats[c][0] != TEXT]
        if data and not s.first_elements(p):
            return "text content: " + " or ".join(s.describe_value(c) for c in data)
        return elements

    def _unexpected(self, child: etree._Element, frame: list[Any]) -> int:
        """Report a child no pattern allows here; the content to check it against, or -1."""
        s = self.s
        tag = str(child.tag)
        p = frame[STATE]
        parent = _show(frame[EL].tag) if frame[EL] is not None else None
        known = s.elements_named(tag)
        expected = s.expected_elements(p)
        if parent is None:
            self._error(child, "content", f"<{_show(tag)}> is not allowed as the root element; "
                        f"expected {expected}")
            return -1
        self._error(child, "content", (
            f"element <{_show(tag)}> is not allowed here in <{parent}>; expected {expected}"
            if known else f"element <{_show(tag)}> is not defined by the schema (here in "
            f"<{parent}> expected {expected})"))
        return known[0] if len(known) == 1 else -1  # still check inside it, as jing does

    def _missing_attribute(self, el: etree._Element, p: int) -> int:
        s = self.s
        missing = s.required_attributes(p)
        what = ", ".join(missing) if missing else "a required attribute"
        self._error(el, "attribute", f"<{_show(el.tag)}> is missing required attribute {what}")
        return s.close(p, lenient=True)

    # -- text
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

    # -- attributes
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


def _show(tag: object, attribute: bool = False) -> str:
    ns, local = split_tag(str(tag))
    if ns == XML_NS:
        local = "xml:" + local
    elif ns and attribute:
        local = f"{{{ns}}}{local}"
    return ("@" if attribute else "") + local
