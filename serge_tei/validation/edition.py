"""Edition facts: what the cross-file rules need to know about every file of the edition.

The edition's Schematron checks pointers between files (a ``@ref`` into
``persons.xml`` must name an entry; an entry nobody cites is reported). Saxon
may not open files, so each file's facts (its ids, its pointers) are gathered
once per run into :class:`EditionTables`, and each document receives, as
Schematron parameters, only the part of those tables its rules can ask about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import pool
from ..config import Config
from ..errors import SergeTeiError
from ..reading import XML_NS, Document, Limits, read_document

#: Schematron parameters, by name
Params = dict[str, str | bool]


@dataclass(frozen=True)
class EditionFacts:
    """What the cross-file rules need to know about one file of the edition."""

    ids: frozenset[str]  # its xml:id values
    pointers: frozenset[str]  # "file.xml#id" tokens of its pointing attributes (@ref, @who, …)
    cited: frozenset[str]  # "file.xml#id" it cites (@ref/@who/@corresp/@resp; "#x" made absolute)


_XML_SPACE = re.compile(r"[ \t\r\n]+")  # XPath tokenize(): XML white space only


def edition_facts(doc: Document, name: str) -> EditionFacts:
    """The facts of one parsed file named *name* (its file name in the edition folder)."""
    ids = frozenset(str(v) for v in doc.root.xpath("//@xml:id", namespaces={"xml": XML_NS}))
    pointers: set[str] = set()
    cited: set[str] = set()
    for attr in doc.root.xpath("//@ref | //@who | //@corresp | //@resp | //@next | //@prev"
                                " | //@calendar"):
        counts = attr.attrname not in ("next", "prev")
        for token in _XML_SPACE.split(str(attr).strip()):
            if token.startswith("#"):
                if counts:
                    cited.add(name + token)
            elif "#" in token:
                pointers.add(token)
                if counts:
                    cited.add(token)
    return EditionFacts(ids, frozenset(pointers), frozenset(cited))


@dataclass
class EditionTables:
    """The edition-wide lists the cross-file rules consult, gathered once per run."""

    known: set[str] = field(default_factory=set)  # "file.xml#id" of every id
    files_with: dict[str, int] = field(default_factory=dict)  # id -> files that use it
    cited: set[str] = field(default_factory=set)  # "file.xml#id" cited anywhere

    def add(self, name: str, facts: EditionFacts) -> None:
        self.known.update(f"{name}#{i}" for i in facts.ids)
        for i in facts.ids:
            self.files_with[i] = self.files_with.get(i, 0) + 1
        self.cited.update(facts.cited)

    def params_for(self, name: str, facts: EditionFacts) -> Params:
        """Only the part of the edition's lists this document's rules can ask about.

        Its own pointers that resolve, its own ids used in another file, its own
        entries that are cited: the verdicts are those of the full lists, but
        the parameters and the rules' work stay proportional to the document,
        not to the edition.
        """
        mine = {f"{name}#{i}" for i in facts.ids}
        return {
            "known-targets": " ".join(sorted(facts.pointers & self.known)),
            "other-ids": " ".join(sorted(i for i in facts.ids if self.files_with.get(i, 0) > 1)),
            "cited-targets": " ".join(sorted(mine & self.cited)),
            "file-name": name,
            "in-edition": True,
        }


def edition_params(facts: dict[Path, EditionFacts]) -> dict[Path, Params]:
    """Cross-file data the edition's Schematron needs, per document, from every file's facts."""
    tables = EditionTables()
    for path, f in facts.items():
        tables.add(path.name, f)
    return {path: tables.params_for(path.name, f) for path, f in facts.items()}


@dataclass
class Edition:
    """The edition one run validates: its files, their tables, and documents kept parsed."""

    files: frozenset[Path]  # resolved paths of the edition's *.xml files
    tables: EditionTables
    #: documents parsed while gathering, kept only for a small sequential run
    parsed: dict[Path, Document] = field(default_factory=dict)

    def params_for(self, doc: Document, real: Path) -> Params | None:
        """The edition's parameters for *doc*, or None if it is not one of its files."""
        if real not in self.files:
            return None
        return self.tables.params_for(real.name, edition_facts(doc, real.name))


def gather_edition(reals: list[Path], config: Config, jobs: int = 0) -> Edition | None:
    """The edition that some of *reals* (resolved input files) belong to, or None.

    Only the configured edition folder is one body of cross-referencing files.
    Every file of it is read for its facts, in parallel when there are many,
    and folded into one :class:`EditionTables` as they arrive: memory holds the
    edition's ids once, not per document, and no parsed tree outlives its
    check, except in small sequential runs, where the parsed documents are
    kept so that no file is parsed twice.
    """
    folder = config.edition.resolve() if config.edition else None
    if folder is None or not any(real.is_file() and real.parent == folder for real in reals):
        return None
    # Read by the names in the folder, not the resolved ones: the reader refuses a
    # symbolic link that leads out of its folder, and its target must not count either.
    files = [p for p in sorted(folder.glob("*.xml")) if p.is_file()]
    keep = pool.workers_for(jobs, len(files)) <= 1 and len(files) < pool.POOL_THRESHOLD
    edition = Edition(frozenset(p.resolve() for p in files), EditionTables())
    found = pool.map_ordered(_facts_of, files, jobs=jobs, setup=_reading,
                             setup_args=(config.limits, keep, config.root))
    for path, got in zip(files, found, strict=True):
        if got is None:
            continue  # reported when that file itself is validated
        facts, doc = got
        edition.tables.add(path.resolve().name, facts)
        if doc is not None:
            edition.parsed[path.resolve()] = doc
    return edition


def _reading(limits: Limits, keep: bool, root: Path | None
             ) -> tuple[Limits, bool, Path | None]:
    return limits, keep, root


def _facts_of(state: tuple[Limits, bool, Path | None], path: Path
              ) -> tuple[EditionFacts, Document | None] | None:
    limits, keep, root = state
    try:
        doc = read_document(path, limits, root=root)
    except SergeTeiError:
        return None
    return edition_facts(doc, path.resolve().name), doc if keep else None
