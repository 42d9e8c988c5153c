"""The element a line and column point at, for validators that give only a position.

jing reports each error where its parser was when it saw it: just after the
``>`` of a start tag (an element or attribute not allowed, a bad value), just
after an end tag (an element left incomplete), or after a run of text. To give
its findings the same place and XPath as the other engines' (the start tag of
the element the error is about), the source text is scanned once for the
spans of its tags, matched to the parsed elements in document order.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from lxml import etree

from ..reading import Document

#: markup that is not an element tag, end tags, and start tags (quoted '>' allowed)
_MARKUP = re.compile(
    r"<!--.*?-->|<\?.*?\?>|<!\[CDATA\[.*?\]\]>|<!DOCTYPE(?:[^\[>]|\[.*?\])*>"
    r"|</[^>]*>|<(?:[^>\"']|\"[^\"]*\"|'[^']*')*>",
    re.DOTALL,
)


@dataclass(frozen=True)
class Span:
    """Where one element's tags end: offsets just after the start tag's and the end tag's ``>``."""

    start_end: int
    end_end: int


class Spans:
    """The tag spans of a document's text, element by element in document order."""

    def __init__(self, text: str) -> None:
        self._line_starts = [0, *(m.end() for m in re.finditer("\n", text))]
        starts: list[int] = []  # start-tag end offsets, in document order
        ends: dict[int, int] = {}
        stack: list[int] = []
        for m in _MARKUP.finditer(text):
            tag = m.group()
            if tag.startswith(("<!", "<?")):
                continue
            if tag.startswith("</"):
                if stack:
                    ends[stack.pop()] = m.end()
                continue
            starts.append(m.end())
            if tag.endswith("/>"):
                ends[len(starts) - 1] = m.end()
            else:
                stack.append(len(starts) - 1)
        self.spans = [Span(s, ends.get(i, len(text))) for i, s in enumerate(starts)]
        self._firsts = starts
        self._exact = {s.end_end: i for i, s in enumerate(self.spans)}
        self._exact.update({s.start_end: i for i, s in enumerate(self.spans)})

    def offset(self, line: int, column: int) -> int:
        """The text offset of a 1-based line and column."""
        index = min(max(line, 1), len(self._line_starts)) - 1
        return self._line_starts[index] + max(column, 1) - 1

    def index_at(self, line: int, column: int) -> int | None:
        """The element (its index in document order) a validator's position is about."""
        at = self.offset(line, column)
        if at in self._exact:  # just after a start or an end tag: the usual case
            return self._exact[at]
        # in text: the innermost element whose content holds the position
        for i in range(bisect.bisect_right(self._firsts, at) - 1, -1, -1):
            if self.spans[i].start_end <= at <= self.spans[i].end_end:
                return i
        return None


class Locator:
    """Finds the elements of one parsed document from validators' positions."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self._spans = Spans(doc.text)
        self.elements = list(doc.root.iter(tag=etree.Element))

    def index_at(self, line: int, column: int) -> int | None:
        """The element (its index in document order) a position reported by jing is about."""
        if len(self.elements) != len(self._spans.spans):
            return None  # the text and the tree disagree (should not happen): no guess
        return self._spans.index_at(line, column)
