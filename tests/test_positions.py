"""Placing a validator's position (jing's) on the element it is about.

jing reports an error just after the ``>`` of a start tag (an attribute, an element
not allowed) or of an end tag (an element incomplete): either must name that element,
whatever comes around it (comments and attribute values holding ``>``, text, empty
elements).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from serge_tei.reading import parse_bytes
from serge_tei.validation.positions import Locator

TEI = "http://www.tei-c.org/ns/1.0"

#: a tree: each node is the list of its children
trees = st.recursive(st.just([]), lambda kids: st.lists(kids, max_size=4), max_leaves=25)


class _Writer:
    """Serializes a tree, noting where each element's start and end tags end."""

    def __init__(self) -> None:
        self.text = f'<?xml version="1.0"?>\n<TEI xmlns="{TEI}">'
        self.ends: list[tuple[int, int]] = [(0, 0)]  # the root's: not asked about

    def element(self, children: list, depth: int) -> None:  # type: ignore[type-arg]
        index = len(self.ends)
        self.ends.append((0, 0))
        start = f'<div n="{depth}" rend="a>b"'
        if not children and depth % 2:
            self.text += start + "/>"
            self.ends[index] = (len(self.text), len(self.text))
            return
        self.text += start + ">"
        opened = len(self.text)
        for i, child in enumerate(children):
            self.text += f"\n{' ' * depth}<!-- a > in a comment -->" * (i % 2)
            self.element(child, depth + 1)
            self.text += "t&gt;"
        self.text += "</div>"
        self.ends[index] = (opened, len(self.text))


def _line_col(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


@settings(max_examples=60, deadline=None)
@given(trees)
def test_the_end_of_each_start_and_end_tag_names_its_element(tree: list) -> None:  # type: ignore[type-arg]
    writer = _Writer()
    writer.element(tree, 0)
    text = writer.text + "</TEI>\n"
    locator = Locator(parse_bytes(text.encode(), "t.xml"))
    for index, (start_end, end_end) in enumerate(writer.ends[1:], start=1):
        assert locator.index_at(*_line_col(text, start_end)) == index
        assert locator.index_at(*_line_col(text, end_end)) == index


def test_a_position_in_text_names_the_element_holding_it() -> None:
    text = f'<TEI xmlns="{TEI}"><p>one <hi>two</hi> three</p></TEI>'
    locator = Locator(parse_bytes(text.encode(), "t.xml"))
    assert locator.index_at(1, text.index("three") + 2) == 1  # in <p>'s text: <p>
    assert locator.index_at(1, text.index("two") + 2) == 2  # in <hi>
