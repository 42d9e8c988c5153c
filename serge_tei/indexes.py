"""The indexes of a build, computed in parts so that memory does not grow with the edition.

Each edition document yields index records (``mentions.xsl``: one ``st:m`` per
name in its text, with where it is and the words around it), about 1.7 times
the document's size. Held together, as one tree for Saxon, they made ``build``
grow by several megabytes per document. Instead they are kept in a private
SQLite file (:class:`RecordStore`, in the build's staging folder) and every
index is computed and written in parts, by the same stylesheets:

1. its *frame*: the stylesheet ``index-model.xsl`` run on one record per entry
   and name (the first, in document order) gives every entry's name, sort
   place and letter, but not its occurrences; rendered by each output's
   stylesheet, the frame is the whole file with placeholders where the entries
   go (the HTML page with an ``st:entries N`` comment in each letter's list,
   the JSON object with an empty array, the CSV header);
2. *runs* of consecutive entries (:func:`plan_runs`), each with all its records,
   modelled and rendered on their own (by the workers, into files of their own:
   handing megabytes back through the pool, a chunk of runs at a time, made a
   worker's memory grow with the edition) and copied into the frames in order
   (:class:`OutputFile`).

A run's entries are sorted by the same keys as the whole index (the last key
is the entry's id, so the order is total) and a run holds every record of its
entries, so the files are the same as if the index had been computed at once.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from lxml import etree

#: The namespace of the stylesheets' own intermediate elements (the index records).
ST_NS = "urn:x-serge-tei:xslt"

#: A run of entries holds about this many mentions (more only when one entry has more):
#: what bounds the memory of computing an index, whatever the size of the edition.
RUN_MENTIONS = 4000

_SCHEMA = """
CREATE TABLE docs (seq INTEGER PRIMARY KEY, id TEXT, title TEXT, short TEXT);
CREATE TABLE m (seq INTEGER PRIMARY KEY, doc INTEGER, kind TEXT, entry TEXT, text TEXT,
                record TEXT);
"""

#: Records are the stylesheets' own output, read back here: no entity, no network, and
#: a long copied text (an entity resolved inside its document) is not refused. An entity of
#: a document's own register is copied with its xml:id into each of its mentions, and two
#: documents may use the same id (plays' casts): ids are not collected.
_PARSER = etree.XMLParser(collect_ids=False, resolve_entities=False, no_network=True,
                          huge_tree=True)

_PLACEHOLDER = re.compile(r"<!--st:entries (\d+)-->")


def _st(name: str) -> str:
    return f"{{{ST_NS}}}{name}"


class RecordStore:
    """The index records of an edition's documents, on disk, read back entry by entry.

    One writer (the building process) adds each document's records in the order
    of publishing; afterwards any process may open the file to read.
    """

    def __init__(self, path: Path, *, create: bool = False) -> None:
        self.path = path
        if create:
            self._db = sqlite3.connect(path)
            # a private scratch file, removed with the build: nothing to recover after a crash
            self._db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
                                   + _SCHEMA)
        else:
            self._db = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
        self._docs = 0

    def add(self, records: str) -> None:
        """Keep one document's records (an ``st:mentions`` element, mentions.xsl's output)."""
        root = etree.fromstring(records, _PARSER)
        self._docs += 1
        self._db.execute("INSERT INTO docs VALUES (?, ?, ?, ?)",
                         (self._docs, root.get("doc"), root.get("title"), root.get("short")))
        self._db.executemany(
            "INSERT INTO m (doc, kind, entry, text, record) VALUES (?, ?, ?, ?, ?)",
            ((self._docs, m.get("kind"), m.get("entry"), m.get("text"),
              etree.tostring(m, encoding="unicode", with_tail=False))
             for m in root.iterchildren(_st("m"))))

    def finish(self) -> None:
        """All documents are in: index the records by entry, and close the writer."""
        self._db.execute("CREATE INDEX m_entry ON m (kind, entry, seq)")
        self._db.commit()
        self.close()

    def close(self) -> None:
        self._db.close()

    def mentions(self, kind: str) -> dict[str, int]:
        """How many mentions each entry of *kind* has."""
        return dict(self._db.execute(
            "SELECT entry, COUNT(*) FROM m WHERE kind = ? GROUP BY entry", (kind,)))

    def frame_records(self, kind: str) -> etree._Element:
        """The first record of each entry of *kind* and each name it goes by, in document order:
        all that an entry's name, sort place and variants depend on."""
        return self._index(self._db.execute(
            "SELECT d.id, d.title, d.short, m.doc, m.record FROM m JOIN docs d ON d.seq = m.doc"
            " WHERE m.seq IN (SELECT MIN(seq) FROM m WHERE kind = ? GROUP BY entry, text)"
            " ORDER BY m.seq", (kind,)))

    def records(self, kind: str, entries: Sequence[str]) -> etree._Element:
        """Every record of the *entries* of *kind*, in document order."""
        marks = ",".join("?" * len(entries))
        return self._index(self._db.execute(
            "SELECT d.id, d.title, d.short, m.doc, m.record FROM m JOIN docs d ON d.seq = m.doc"
            f" WHERE m.kind = ? AND m.entry IN ({marks}) ORDER BY m.seq", (kind, *entries)))

    @staticmethod
    def _index(rows: Iterable[tuple[str, str, str | None, int, str]]) -> etree._Element:
        """Rows as mentions.xsl's records: an ``st:index`` of ``st:mentions`` by document."""
        index = etree.Element(_st("index"), nsmap={"st": ST_NS})
        doc, parent = -1, index
        for ident, title, short, seq, record in rows:
            if seq != doc:
                doc, parent = seq, etree.SubElement(index, _st("mentions"), doc=ident,
                                                    title=title)
                if short is not None:
                    parent.set("short", short)
            parent.append(etree.fromstring(record, _PARSER))
        return index


@dataclass(frozen=True)
class Run:
    """Consecutive entries of one index, all in one letter's section, rendered together."""

    kind: str
    section: int  # the letter's place on the page, from 1
    entries: tuple[str, ...]


def plan_runs(kind: str, frame: etree._Element, mentions: dict[str, int],
              limit: int = RUN_MENTIONS) -> list[Run]:
    """Cut the entries of a frame (index-model.xsl's ``st:entries``) into runs of *limit*
    mentions or so, never across letters (the page has a section per letter)."""
    runs: list[Run] = []
    section, letter, size = 0, None, 0
    entries: list[str] = []
    for entry in frame.iterchildren(_st("entry")):
        if entry.get("letter") != letter or size >= limit:
            if entries:
                runs.append(Run(kind, section, tuple(entries)))
            if entry.get("letter") != letter:
                section, letter = section + 1, entry.get("letter")
            entries, size = [], 0
        entries.append(entry.get("id", ""))
        size += mentions.get(entry.get("id", ""), 0)
    if entries:
        runs.append(Run(kind, section, tuple(entries)))
    return runs


class OutputFile:
    """An index file written as its frame with the runs' parts put into it, in order."""

    def __init__(self, out: IO[str], pieces: list[str], separator: str = "") -> None:
        self.out, self.pieces, self.separator = out, pieces, separator
        self.at = 0  # the pieces up to this one are written
        self.first = True  # no part written yet at the current placeholder
        out.write(pieces[0])

    def fill(self, section: int, part: IO[str]) -> None:
        """Copy *part* to placeholder *section* (from 1), after what is already there."""
        while self.at < section - 1:
            self.at += 1
            self.out.write(self.pieces[self.at])
            self.first = True
        if not self.first:
            self.out.write(self.separator)
        shutil.copyfileobj(part, self.out)
        self.first = False

    def close(self) -> None:
        for piece in self.pieces[self.at + 1:]:
            self.out.write(piece)
        self.out.close()


def html_pieces(frame: str) -> list[str]:
    """An HTML frame cut at its placeholders (numbered 1, 2, ... in the page's order)."""
    parts = _PLACEHOLDER.split(frame)
    numbers = [int(n) for n in parts[1::2]]
    if numbers != list(range(1, len(numbers) + 1)):
        raise ValueError(f"index page frame: placeholders out of order: {numbers}")
    return parts[0::2]


#: Stands for the entries in a JSON frame until it is cut in two.
_SENTINEL = "\x00entries"


def json_pieces(frame: str) -> tuple[list[str], str]:
    """A JSON frame (its ``entries`` array empty), indented for people and cut where the
    entries go; and the separator between entries."""
    data = json.loads(frame)
    if not data["count"]:
        return [_json_text(data)], ""
    data["entries"] = _SENTINEL
    head, tail = _json_text(data).split(json.dumps(_SENTINEL), 1)
    return [head + "[\n", "\n  ]" + tail], ",\n"


def json_entries(array: str) -> str:
    """A run's JSON array as the items of the index's ``entries`` (two levels deep)."""
    return ",\n".join(_indent(_json_text(entry).rstrip("\n"), "    ")
                      for entry in json.loads(array))


def _json_text(value: object) -> str:
    """JSON re-indented for people (the stylesheets write it on one line)."""
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def _indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line for line in text.split("\n"))
