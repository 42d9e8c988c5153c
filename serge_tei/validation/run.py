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
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import pool
from ..config import Config
from ..errors import SergeTeiError
from ..findings import FileResult, Finding, Report, Severity
from ..inputs import default_targets, expand_paths, read_or_result
from ..reading import Document
from .edition import Edition, Params, gather_edition
from .engines import Engines, rng_engine_choice
from .jing import Pending, add_jing_findings, explained
from .rules import Rules, forced_rules, rules_for

#: the rule ids of libxml2's RelaxNG findings (see libxml2.LxmlRelaxNG)
_LXML_RULES = frozenset({"rng.content", "rng.attribute", "rng.datatype", "rng.invalid"})


@dataclass(frozen=True)
class Options:
    """What a run checks against, and how many processes it may use."""

    schema: Path | None = None
    schematron: Path | None = None
    tei_all: bool = False
    tei_all_path: Path | None = None
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
    findings = _duplicate_id_findings(doc)
    if rules.problem is not None:
        return [*findings, replace(rules.problem, path=doc.path)]
    if rules.rng is not None and not skip_rng:
        findings.extend(engines.rng(rules.rng).validate(doc))
    if findings:
        return findings
    sch = engines.schematron(rules.sch, False) if rules.sch is not None else (
        engines.schematron(rules.rng, True) if rules.embedded and rules.rng is not None
        else None)
    if sch is not None:
        findings.extend(sch.validate(doc, params))
    return findings


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


@dataclass(frozen=True)
class _Run:
    """What every check of a run needs; handed to pool workers by their setup."""

    engines: Engines
    config: Config
    forced: Rules | None
    jing: bool  # jing checks the grammar of every file: skip RelaxNG here
    edition: Edition | None


def _setup(run: _Run) -> _Run:
    return run


def _check(run: _Run, job: _Job) -> Pending:
    """The result for one file, the schema jing should re-check it against, if any, its path.

    libxml2 reports only the first error inside an element; when it finds the
    document invalid, the caller asks jing (if installed) for all of them.
    """
    started = time.perf_counter()
    real = job.real.resolve() if job.real.exists() else job.real
    doc = run.edition.parsed.get(real) if run.edition is not None else None
    if doc is not None and doc.path != job.shown:
        doc = replace(doc, path=job.shown, _positions=None, _keep=[])
    got = doc or read_or_result(job.real, job.shown, run.config.limits)
    if isinstance(got, FileResult):
        got.seconds = time.perf_counter() - started
        return got, None, job.real
    rules = rules_for(got, job.real, run.config, run.forced)
    params = run.edition.params_for(got, real) if run.edition is not None else None
    try:
        findings = check_document(got, rules, params, run.engines, skip_rng=run.jing)
    except SergeTeiError as exc:
        # Located where the document chose the schema (its xml-model PI), so that the
        # line points into the file the user is editing; the schema's own location is
        # part of the message.
        line, column = (rules.origin, 1) if rules.origin else (exc.line or 0, exc.column or 0)
        findings = [Finding(got.path, line, column, Severity.ERROR,
                            "schema.unusable", f"{exc.location() or exc.path}: {exc.message}")]
    result = FileResult(job.shown, findings, seconds=time.perf_counter() - started)
    explain = rules.rng if (rules.rng is not None and not run.jing
                            and run.engines.is_libxml2(rules.rng)
                            and any(f.rule in _LXML_RULES for f in findings)) else None
    return result, explain, job.real


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
    jing = forced is not None and forced.rng is not None and engines.use_jing(forced.rng)
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
    run = _Run(engines, config, forced, jing, edition)
    if pooled and forced is None:
        _warm_up(run, jobs)
    checked = pool.map_ordered(_check, jobs, jobs=options.jobs, setup=_setup, setup_args=(run,))
    if not jing:  # stream: each result as soon as it (and those before it) are done
        yield from explained(checked)
        return
    results = [result for result, _, _ in checked]
    assert forced is not None and forced.rng is not None
    add_jing_findings(results, [j.real for j in jobs], forced.rng, options.jobs)
    yield from results


def _real(path: Path) -> Path:
    return path.resolve() if path.exists() else path


def _forced(options: Options) -> Rules | None:
    tei_all = None
    if options.tei_all and not (options.schema or options.schematron):
        from .teiall import find_tei_all  # importlib.metadata: only when asked for

        tei_all = find_tei_all(options.tei_all_path, options.config)
    return forced_rules(options.schema, options.schematron, tei_all)


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
        got = read_or_result(job.real, job.shown, run.config.limits)
        if isinstance(got, FileResult):
            return
        rules = rules_for(got, job.real, run.config, None)
        try:
            if rules.rng is not None:
                run.engines.rng(rules.rng)
            if rules.sch is not None:
                run.engines.schematron(rules.sch, False)
            elif rules.embedded and rules.rng is not None:
                run.engines.schematron(rules.rng, True)
        except SergeTeiError:
            return


def validate(paths: Sequence[str | os.PathLike[str]] = (), *, schema: Path | None = None,
             schematron: Path | None = None, tei_all: bool = False,
             tei_all_path: Path | None = None, jobs: int = 0, config: Config | None = None,
             on_result: Callable[[FileResult], None] | None = None) -> Report:
    """Validate files, folders or globs; with no paths, the edition of *config*.

    *config* is the project's configuration (see :func:`serge_tei.config.find_config`);
    without one, no project settings apply. Each result is passed to
    *on_result* as soon as it is known, in input order.
    """
    options = Options(schema=schema, schematron=schematron, tei_all=tei_all,
                      tei_all_path=tei_all_path, jobs=jobs, config=config or Config())
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
