"""``serge-tei stats``: what each document holds — elements, names, entities, notes, words.

Everything is counted inside ``<text>`` (the header is metadata, not the text):

- ``elements``: element count, and ``elementCounts`` per element name;
- ``names``: mentions per name-like element (``persName``, ``placeName``, ...);
- ``entities``: distinct ``@ref`` targets of those mentions, overall and per element
  (``#id`` is read as ``<this file>#id``, so the same entity counts once across files);
- ``notes``: ``<note>`` elements;
- ``words``: words of the source as printed — editorial additions (``corr``, ``reg``,
  ``supplied``) are left out, so that a corrected passage is not counted twice;
- ``entries``: authority entries (``person``, ``place``, ``org``, ``bibl`` in a list).

JSON (``--format json``), version 1::

    {"version": 1, "documents": [{"path", "id", "authority", "elements", "elementCounts",
      "names", "entities": {"total", <element>: n}, "notes", "words", "entries"}],
     "total": {"documents", "elements", "names", "entities", "notes", "words", "entries"}}
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .changes import relative_display
from .reading import TEI_NS, XML_NS, Document, Limits, read_document

STATS_VERSION = 1
#: name-like elements whose mentions are counted, in table order
NAME_ELEMENTS = ("persName", "placeName", "orgName", "rs", "name", "title", "date")
#: editorial additions: not words of the source
EDITORIAL = ("corr", "reg", "supplied")
ENTRY_ELEMENTS = ("person", "place", "org", "bibl")
_WORD = re.compile(r"\w+(?:['’\-]\w+)*")
_NS = {"t": TEI_NS}


@dataclass
class DocumentStats:
    path: str
    id: str
    authority: bool = False
    elements: int = 0
    element_counts: dict[str, int] = field(default_factory=dict)
    names: dict[str, int] = field(default_factory=dict)
    entities: dict[str, set[str]] = field(default_factory=dict)
    notes: int = 0
    words: int = 0
    entries: int = 0

    def as_dict(self) -> dict[str, object]:
        targets = set().union(*self.entities.values()) if self.entities else set()
        return {
            "path": self.path, "id": self.id, "authority": self.authority,
            "elements": self.elements, "elementCounts": dict(sorted(self.element_counts.items())),
            "names": self.names,
            "entities": {"total": len(targets),
                         **{k: len(v) for k, v in self.entities.items()}},
            "notes": self.notes, "words": self.words, "entries": self.entries,
        }


def local(el: etree._Element) -> str:
    return etree.QName(el).localname


def document_stats(doc: Document, name: str | None = None) -> DocumentStats:
    """Counts for one parsed document; *name* is its file name, for reading ``#id`` refs."""
    file_name = name or Path(doc.path).name
    text = doc.root.find(f"{{{TEI_NS}}}text")
    result = DocumentStats(doc.path, doc.root.get(f"{{{XML_NS}}}id") or Path(file_name).stem)
    if text is None:
        return result
    elements = [el for el in text.iter(tag=etree.Element)]
    counts = Counter(local(el) for el in elements if etree.QName(el).namespace == TEI_NS)
    result.elements = len(elements)
    result.element_counts = dict(counts)
    result.names = {n: counts.get(n, 0) for n in NAME_ELEMENTS}
    result.notes = counts.get("note", 0)
    result.entities = {n: _targets(text, n, file_name) for n in NAME_ELEMENTS}
    result.entries = len(text.xpath(
        "t:body/*[starts-with(local-name(), 'list')]/*[" + " or ".join(
            f"self::t:{e}" for e in ENTRY_ELEMENTS) + "]", namespaces=_NS))
    result.authority = result.entries > 0
    result.words = count_words(text)
    return result


def _targets(text: etree._Element, element: str, file_name: str) -> set[str]:
    out = set()
    for value in text.xpath(f".//t:{element}/@ref", namespaces=_NS):
        for token in str(value).split():
            out.add(file_name + token if token.startswith("#") else token)
    return out


def count_words(text: etree._Element) -> int:
    """Words of the source text under *text*, editorial additions left out."""
    skip = {f"{{{TEI_NS}}}{n}" for n in EDITORIAL}
    pieces: list[str] = []

    def walk(el: etree._Element) -> None:
        if el.tag in skip:
            return
        pieces.append(el.text or "")
        for child in el:
            if isinstance(child.tag, str):
                walk(child)
            pieces.append(child.tail or "")

    walk(text)
    # Element boundaries are not word boundaries ("Anti-fasciste<corr>" is joined text).
    return len(_WORD.findall("".join(pieces)))


def stats(paths: Sequence[str], limits: Limits | None = None) -> list[DocumentStats]:
    """Counts for each TEI file in *paths* (files, folders, globs), in order."""
    from .inputs import expand_paths

    limits = limits or Limits()
    return [document_stats(read_document(path, limits, display=relative_display(shown, None)),
                           path.name)
            for path, shown in expand_paths(paths)]


def totals(docs: Sequence[DocumentStats]) -> dict[str, int]:
    everything: set[str] = set()
    for d in docs:
        for targets in d.entities.values():
            everything |= targets
    return {
        "documents": len(docs),
        "elements": sum(d.elements for d in docs),
        "names": sum(sum(d.names.values()) for d in docs),
        "entities": len(everything),  # distinct across documents, not a sum
        "notes": sum(d.notes for d in docs),
        "words": sum(d.words for d in docs),
        "entries": sum(d.entries for d in docs),
    }


def render_json(docs: Sequence[DocumentStats]) -> str:
    data = {"version": STATS_VERSION, "documents": [d.as_dict() for d in docs],
            "total": totals(docs)}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


_COLUMNS = ("words", "elements", *NAME_ELEMENTS, "notes", "entities", "entries")


def _row(d: DocumentStats) -> list[str]:
    info = d.as_dict()
    values: dict[str, object] = {**d.names, "words": d.words, "elements": d.elements,
                                 "notes": d.notes, "entries": d.entries,
                                 "entities": info["entities"]["total"]}  # type: ignore[index]
    return [d.path, *(str(values[c]) for c in _COLUMNS)]


def render_table(docs: Sequence[DocumentStats]) -> str:
    """A plain-text table, one row per document, and a total row."""
    total = totals(docs)
    sums = {n: sum(d.names[n] for d in docs) for n in NAME_ELEMENTS}
    rows = [["document", *_COLUMNS]] + [_row(d) for d in docs]
    rows.append(["total", *(str({**sums, **total}[c]) for c in _COLUMNS)])
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:],
                                                                        strict=True)]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"
