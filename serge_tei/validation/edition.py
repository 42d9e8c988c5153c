"""Edition facts: what the cross-file rules need to know about every file of the edition.

The edition's Schematron checks pointers between files (a ``@ref`` into
``persons.xml`` must name an entry; an entry nobody cites is reported). Saxon
may not open files, so each file's facts (its ids, its pointers) are gathered
once per run into :class:`EditionTables`, and each document receives, as
Schematron parameters, only the part of those tables its rules can ask about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from lxml import etree

from .. import pool
from ..config import Config
from ..errors import SergeTeiError
from ..reading import XML_NS, Document, Limits, parse_bytes, read_document
from .results_cache import Hashed, ResultsCache, read_hashed

#: Schematron parameters, by name
Params = dict[str, str | bool]


@dataclass(frozen=True)
class EditionFacts:
    """What the cross-file rules need to know about one file of the edition."""

    ids: frozenset[str]  # its xml:id values
    pointers: frozenset[str]  # "file.xml#id" tokens of its pointing attributes (@ref, @who, …)
    cited: frozenset[str]  # "file.xml#id" it cites (@ref/@who/@corresp/@resp; "#x" made absolute)


_XML_SPACE = re.compile(r"[ \t\r\n]+")  # XPath tokenize(): XML white space only


#: the attributes whose tokens point into the edition's files (facts of its cross-file rules)
POINTING = ("ref", "who", "corresp", "resp", "next", "prev", "calendar")
_IDS = etree.XPath("//@xml:id", namespaces={"xml": XML_NS})
_POINTING = etree.XPath(" | ".join(f"//@{name}" for name in POINTING))


def edition_facts(doc: Document, name: str, *, ids: list[Any] | None = None,
                  pointing: list[Any] | None = None) -> EditionFacts:
    """The facts of one parsed file named *name* (its file name in the edition folder).

    *ids* and *pointing*: the results of ``//@xml:id`` and of the pointing attributes
    (:data:`POINTING`), if the caller already has them.
    """
    ids_found = frozenset(str(v) for v in (_IDS(doc.root) if ids is None else ids))
    pointers: set[str] = set()
    cited: set[str] = set()
    for attr in _POINTING(doc.root) if pointing is None else pointing:
        add_pointing(attr.attrname, str(attr), name, pointers, cited)
    return EditionFacts(ids_found, frozenset(pointers), frozenset(cited))


def add_pointing(attribute: str, value: str, name: str, pointers: set[str], cited: set[str]
                 ) -> None:
    """Add to *pointers* and *cited* what the pointing attribute *attribute* (one of
    :data:`POINTING`) of the file named *name* says."""
    counts = attribute not in ("next", "prev")
    for token in _XML_SPACE.split(value.strip()):
        if token.startswith("#"):
            if counts:
                cited.add(name + token)
        elif "#" in token:
            pointers.add(token)
            if counts:
                cited.add(token)


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
    #: the content digest of each file read for a run with a results cache
    digests: dict[Path, str] = field(default_factory=dict)
    #: the reader's limits for its files
    limits: Limits = field(default_factory=Limits)

    def params_for(self, doc: Document, real: Path) -> Params | None:
        """The edition's parameters for *doc*, or None if it is not one of its files."""
        if real not in self.files:
            return None
        return self.tables.params_for(real.name, edition_facts(doc, real.name))

    def params_from_facts(self, real: Path, facts: EditionFacts) -> Params | None:
        """:meth:`params_for`, from the facts of the document (as the results cache has them)."""
        if real not in self.files:
            return None
        return self.tables.params_for(real.name, facts)


def gather_edition(reals: list[Path], config: Config, jobs: int = 0,
                   cache: ResultsCache | None = None) -> Edition | None:
    """The edition that some of *reals* (resolved input files) belong to, or None.

    Only the configured edition folder is one body of cross-referencing files.
    Every file of it is read for its facts, in parallel when there are many,
    and folded into one :class:`EditionTables` as they arrive: memory holds the
    edition's ids once, not per document, and no parsed tree outlives its
    check, except in small sequential runs, where the parsed documents are
    kept so that no file is parsed twice. With a results *cache*, the facts of
    a file whose content was seen before come from it, unparsed.
    """
    files = edition_files(reals, config)
    if files is None:
        return None
    keep = pool.workers_for(jobs, len(files)) <= 1 and len(files) < pool.POOL_THRESHOLD
    edition = Edition(frozenset(p.resolve() for p in files), EditionTables(),
                      limits=config.limits)
    # A small sequential run parses every file anyway and keeps them (build publishes them
    # next): the cache would save nothing there.
    todo = files if keep else [p for p in files if not facts_from_cache(edition, p, cache)]
    for path, got in zip(todo, pool.map_ordered(
            _facts_of, todo, jobs=jobs, setup=_reading,
            setup_args=(config.limits, keep, cache is not None, config.root)), strict=True):
        if got is None:
            continue  # reported when that file itself is validated
        facts, doc, hashed = got
        real = path.resolve()
        edition.tables.add(real.name, facts)
        if doc is not None:
            edition.parsed[real] = doc
        if hashed is not None and cache is not None:
            edition.digests[real] = hashed.digest
            cache.put_facts(hashed.digest, real.name, _groups(facts))
            cache.put_digest(path, hashed.stamp, hashed.digest, hashed.at)
    return edition


def edition_files(reals: list[Path], config: Config) -> list[Path] | None:
    """The files of the configured edition if some of *reals* (resolved) belong to it.

    Only the configured edition folder is one body of cross-referencing files.
    Its files are named as in the folder, not resolved: the reader refuses a
    symbolic link that leads out of its folder, and its target must not count
    either.
    """
    folder = config.edition.resolve() if config.edition else None
    if folder is None or not any(real.is_file() and real.parent == folder for real in reals):
        return None
    return [p for p in sorted(folder.glob("*.xml")) if p.is_file()]


def facts_from_cache(edition: Edition, path: Path, cache: ResultsCache | None) -> bool:
    """Whether the facts of *path* came from the cache (then they are added to the tables)."""
    if cache is None:
        return False
    facts = cached_facts(cache, path)
    if facts is None:
        return False
    digest, known = facts
    real = path.resolve()
    edition.tables.add(real.name, known)
    edition.digests[real] = digest
    return True


def cached_facts(cache: ResultsCache, path: Path) -> tuple[str, EditionFacts] | None:
    """The content digest of *path* and its edition facts, if the cache knows both."""
    stamp = cache.stamp(path)
    if stamp is None or stamp.digest is None:
        return None
    groups = cache.facts(stamp.digest, path.resolve().name)
    if groups is None:
        return None
    return stamp.digest, EditionFacts(*groups)


def _groups(facts: EditionFacts) -> tuple[frozenset[str], ...]:
    return facts.ids, facts.pointers, facts.cited


def _reading(limits: Limits, keep: bool, hashing: bool, root: Path | None
             ) -> tuple[Limits, bool, bool, Path | None]:
    return limits, keep, hashing, root


def _facts_of(state: tuple[Limits, bool, bool, Path | None], path: Path
              ) -> tuple[EditionFacts, Document | None, Hashed | None] | None:
    limits, keep, hashing, root = state
    try:
        if hashing:
            hashed: Hashed | None = read_hashed(path, str(path), limits)
            assert hashed is not None
            doc = parse_bytes(hashed.data, str(path), limits, origin=path, root=root)
            # the parent needs the digest, not the bytes; nothing of a document with
            # XIncludes is remembered (its content is not its file's alone)
            hashed = None if doc.xincluded else replace(hashed, data=b"")
        else:
            hashed, doc = None, read_document(path, limits, root=root)
    except SergeTeiError:
        return None
    return edition_facts(doc, path.resolve().name), doc if keep else None, hashed
