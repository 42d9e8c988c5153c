"""``serge-tei validate``: RelaxNG + Schematron over files, folders and globs.

A document is parsed once, by the hardened reader. Which rules apply is decided
per file: explicit ``--schema``/``--schematron``, else ``--tei-all``, else the
document's ``<?xml-model?>`` instructions, else the edition's own schema.
Schematron runs only on documents the grammar accepts, so one structural error
does not set off a cascade. Each schema is compiled once per process.
"""

from __future__ import annotations

import glob
import os
import re
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from lxml import etree

from .config import Config, load_config
from .errors import ExitCode, SergeTeiError, UsageError
from .findings import FileResult, Finding, Severity
from .reading import XML_NS, Document, Limits, read_document
from .relaxng import JingRelaxNG, LxmlRelaxNG, is_large, jing_command
from .resources import schema_dir
from .teiall import find_tei_all

RNG_NS = "http://relaxng.org/ns/structure/1.0"
SCH_NS = "http://purl.oclc.org/dsdl/schematron"
EDITION_SCHEMATRON = "serge-tei.sch"
#: below this many files a process pool costs more than it saves
POOL_THRESHOLD = 16


@dataclass(frozen=True)
class Rules:
    """What one document is checked against."""

    rng: Path | None = None
    sch: Path | None = None
    embedded: bool = False  # run the Schematron embedded in the RelaxNG schema
    problem: Finding | None = None  # an association that could not be honoured

    @property
    def edition(self) -> bool:
        return self.sch is not None and self.sch.name == EDITION_SCHEMATRON


@dataclass
class Report:
    """The verdict on a run: one :class:`FileResult` per input file, in input order."""

    files: list[FileResult] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.files for f in r.findings]

    @property
    def errors(self) -> int:
        return sum(r.errors for r in self.files)

    @property
    def warnings(self) -> int:
        return sum(r.warnings for r in self.files)

    def exit_code_for(self, strict: bool = False) -> ExitCode:
        if any(not r.readable for r in self.files):
            return ExitCode.USAGE
        if self.errors or (strict and self.warnings):
            return ExitCode.INVALID
        return ExitCode.OK

    @property
    def exit_code(self) -> ExitCode:
        return self.exit_code_for(strict=False)


@dataclass(frozen=True)
class Options:
    schema: Path | None = None
    schematron: Path | None = None
    tei_all: bool = False
    tei_all_path: Path | None = None
    jobs: int = 0  # 0: all cores
    config: Config = field(default_factory=Config)


# ------------------------------------------------------------ discovering files

def expand_paths(paths: Sequence[str | os.PathLike[str]]) -> list[tuple[Path, str]]:
    """Files, folders (recursively ``*.xml``) and globs, as ``(path, display)`` pairs.

    A path that matches nothing is kept, so that it is reported as missing.
    """
    out: list[tuple[Path, str]] = []
    for raw in paths:
        text = os.fspath(raw)
        path = Path(text)
        if path.is_dir():
            out.extend((p, str(p)) for p in sorted(path.rglob("*.xml")) if not p.is_dir())
        elif not path.exists() and glob.has_magic(text) and glob.glob(text, recursive=True):
            out.extend((Path(m), m) for m in sorted(glob.glob(text, recursive=True))
                       if not Path(m).is_dir())
        else:
            out.append((path, text))
    return list(dict.fromkeys(out))


def default_targets(config: Config) -> list[str]:
    if config.edition is None or not config.edition.is_dir():
        raise UsageError("no files given and no edition configured: name the TEI files to "
                         "validate, or set edition = \"DIR\" under [tool.serge-tei]")
    return [str(config.edition)]


# ------------------------------------------------------------ schema association

def project_rules() -> Rules:
    folder = schema_dir()
    return Rules(rng=folder / "serge-tei.rng", sch=folder / EDITION_SCHEMATRON)


def xml_model_rules(doc: Document, real: Path, config: Config) -> Rules | None:
    """Rules from ``<?xml-model?>`` processing instructions, or None if there are none."""
    rng = sch = None
    embedded = False
    for pi in _prolog_pis(doc):
        attrs = _pseudo_attributes(pi.text or "")
        href = attrs.get("href")
        if not href:
            continue
        kind = _model_kind(attrs)
        if kind is None:
            continue
        target = _resolve_href(href, real, config)
        if isinstance(target, str):
            line = pi.sourceline or 1
            return Rules(problem=Finding(doc.path, line, 1, Severity.ERROR, "schema.unresolved",
                                        target))
        if kind == "rng":
            rng, embedded = target, True
        else:
            sch = target
    if rng is None and sch is None:
        return None
    return Rules(rng=rng, sch=sch, embedded=embedded and sch is None)


def _prolog_pis(doc: Document) -> list[Any]:
    pis = [n for n in doc.root.itersiblings(preceding=True)
           if isinstance(n, etree._ProcessingInstruction) and n.target == "xml-model"]
    return list(reversed(pis))


def _pseudo_attributes(text: str) -> dict[str, str]:
    return {m[1]: m[3] for m in re.finditer(r"([\w:-]+)\s*=\s*(['\"])(.*?)\2", text)}


def _model_kind(attrs: dict[str, str]) -> str | None:
    ns = attrs.get("schematypens", "")
    href = attrs.get("href", "")
    if ns == RNG_NS or (not ns and href.endswith(".rng")):
        return "rng"
    if ns in (SCH_NS, "http://www.ascc.net/xml/schematron") or (not ns and href.endswith(".sch")):
        return "sch"
    return None


def _resolve_href(href: str, real: Path, config: Config) -> Path | str:
    if href in config.schema_map:
        mapped = config.schema_map[href]
        if mapped.is_file():
            return mapped
        return f"schema {href} is mapped to {mapped}, which does not exist"
    if "://" in href:
        if href.startswith("file://"):
            href = href.removeprefix("file://")
        else:
            return (f"the xml-model schema {href} is remote and is never fetched; download it "
                    f"and map it under [tool.serge-tei.schemas] in pyproject.toml, e.g. "
                    f'"{href}" = "schemas/{Path(href).name}", or pass --schema FILE')
    target = (real.parent / href).resolve()
    if not target.is_file():
        return f"the xml-model schema {href} was not found (looked for {target})"
    return target


# ------------------------------------------------------------ engines (per process)

class _Engines:
    """Compiled schemas of this process, each compiled once."""

    def __init__(self) -> None:
        self._rng: dict[Path, LxmlRelaxNG] = {}
        self._sch: dict[tuple[Path, bool], Any] = {}
        self._saxon: Any = None

    def rng(self, path: Path) -> LxmlRelaxNG:
        if path not in self._rng:
            self._rng[path] = LxmlRelaxNG(path)
        return self._rng[path]

    def saxon(self) -> Any:
        if self._saxon is None:
            from .saxon import Saxon

            self._saxon = Saxon()
        return self._saxon

    def schematron(self, path: Path, embedded: bool) -> Any:
        key = (path, embedded)
        if key not in self._sch:
            from .schematron import Schematron

            if embedded:
                self._sch[key] = Schematron.from_rng(path, self.saxon())
            else:
                self._sch[key] = Schematron.from_file(path, self.saxon())
        return self._sch[key]


_ENGINES = _Engines()


# ------------------------------------------------------------ one document

@dataclass(frozen=True)
class _Job:
    real: Path
    shown: str
    rules: Rules | None  # None: decide from the document
    params: dict[str, str | bool] | None
    jing: bool
    config: Config


def _read(real: Path, shown: str, limits: Limits) -> Document | FileResult:
    try:
        return read_document(real, limits, display=shown)
    except SergeTeiError as exc:
        finding = Finding(shown, exc.line or 0, exc.column or 0, Severity.ERROR,
                          _input_rule(exc), exc.message)
        return FileResult(shown, [finding], readable=exc.exit_code != ExitCode.USAGE)


def _input_rule(exc: SergeTeiError) -> str:
    return "input.rejected" if exc.exit_code == ExitCode.INVALID else "input.unusable"


def check_document(doc: Document, rules: Rules, params: dict[str, str | bool] | None,
                   *, skip_rng: bool = False) -> list[Finding]:
    """All findings for one parsed document under *rules* (RelaxNG first, then Schematron)."""
    findings = _duplicate_id_findings(doc)
    if rules.problem is not None:
        return [*findings, replace(rules.problem, path=doc.path)]
    if rules.rng is not None and not skip_rng:
        findings.extend(_ENGINES.rng(rules.rng).validate(doc))
    if findings:
        return findings
    if rules.sch is not None:
        findings.extend(_ENGINES.schematron(rules.sch, False).validate(doc, params))
    elif rules.embedded and rules.rng is not None:
        sch = _ENGINES.schematron(rules.rng, True)
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


def _run_job(job: _Job, doc: Document | None = None) -> FileResult:
    started = time.perf_counter()
    if doc is None:
        got = _read(job.real, job.shown, job.config.limits)
        if isinstance(got, FileResult):
            got.seconds = time.perf_counter() - started
            return got
        doc = got
    rules = job.rules or xml_model_rules(doc, job.real, job.config) or project_rules()
    try:
        findings = check_document(doc, rules, job.params, skip_rng=job.jing)
    except SergeTeiError as exc:
        findings = [Finding(doc.path, exc.line or 0, exc.column or 0, Severity.ERROR,
                            "schema.unusable", f"{exc.location() or exc.path}: {exc.message}")]
    return FileResult(job.shown, findings, seconds=time.perf_counter() - started)


# ------------------------------------------------------------ the edition context

def edition_params(folder: Path, parsed: dict[Path, Document], limits: Limits
                   ) -> dict[Path, dict[str, str | bool]]:
    """Cross-file data the edition's Schematron needs, per document of *folder*.

    Saxon may not open files, so what a rule must know about the other files
    (their ids, what they cite) is passed in as parameters.
    """
    ids: dict[Path, set[str]] = {}
    cited: set[str] = set()
    for path in sorted(folder.glob("*.xml")):
        path = path.resolve()
        doc = parsed.get(path)
        if doc is None:
            try:
                doc = read_document(path, limits)
            except SergeTeiError:
                continue  # reported when that file itself is validated
            parsed[path] = doc
        ids[path] = {v for v in doc.root.xpath("//@xml:id", namespaces={"xml": XML_NS})}
        cited.update(_cited_targets(doc, path.name))
    params: dict[Path, dict[str, str | bool]] = {}
    for path in ids:
        others = [p for p in ids if p != path]
        params[path] = {
            "known-targets": " ".join(sorted(f"{p.name}#{i}" for p in ids for i in ids[p])),
            "other-ids": " ".join(sorted({i for p in others for i in ids[p]})),
            "cited-targets": " ".join(sorted(cited)),
            "file-name": path.name,
            "in-edition": True,
        }
    return params


def _cited_targets(doc: Document, name: str) -> set[str]:
    out = set()
    for value in doc.root.xpath("//@ref | //@who | //@corresp | //@resp"):
        for token in str(value).split():
            if token.startswith("#"):
                out.add(name + token)
            elif "#" in token:
                out.add(token)
    return out


# ------------------------------------------------------------ the run

def iter_validate(paths: Sequence[str | os.PathLike[str]], options: Options
                  ) -> Iterator[FileResult]:
    """Yield one FileResult per input file, in input order."""
    config = options.config
    targets = expand_paths(paths or default_targets(config))
    forced = _forced_rules(options)
    jing_rng = forced.rng if forced and forced.rng and _use_jing(forced.rng) else None
    jobs = [_Job(p, shown, forced, None, jing_rng is not None, config) for p, shown in targets]
    jobs, preparsed = _with_edition_context(jobs, forced, config)
    results = list(_run_all(jobs, preparsed, options.jobs))
    if jing_rng is not None:
        _merge_jing(results, jobs, jing_rng, options.jobs)
    yield from results


def _forced_rules(options: Options) -> Rules | None:
    if options.schema or options.schematron:
        for given in (options.schema, options.schematron):
            if given is not None and not given.is_file():
                raise UsageError(f"schema file not found: {given}")
        return Rules(rng=options.schema, sch=options.schematron,
                     embedded=options.schema is not None and options.schematron is None)
    if options.tei_all:
        return Rules(rng=find_tei_all(options.tei_all_path, options.config), embedded=True)
    return None


def _use_jing(rng: Path) -> bool:
    return is_large(rng) and jing_command() is not None


def _with_edition_context(jobs: list[_Job], forced: Rules | None, config: Config
                          ) -> tuple[list[_Job], dict[Path, Document]]:
    """Attach edition parameters to jobs that use the edition's Schematron."""
    if forced is not None and not forced.edition:
        return jobs, {}
    parsed: dict[Path, Document] = {}
    edition = config.edition.resolve() if config.edition else None
    # Only the configured edition is one body of cross-referencing files.
    folders = {job.real.resolve().parent for job in jobs if job.real.is_file()
               and job.real.resolve().parent == edition}
    params: dict[Path, dict[str, str | bool]] = {}
    for folder in folders:
        params.update(edition_params(folder, parsed, config.limits))
    out = []
    for job in jobs:
        real = job.real.resolve() if job.real.exists() else job.real
        out.append(replace(job, params=params.get(real)))
    return out, parsed


def _run_all(jobs: list[_Job], preparsed: dict[Path, Document], n_jobs: int
             ) -> Iterator[FileResult]:
    workers = n_jobs or os.cpu_count() or 1
    if workers <= 1 or len(jobs) < POOL_THRESHOLD:
        for job in jobs:
            real = job.real.resolve() if job.real.exists() else job.real
            doc = preparsed.get(real)
            if doc is not None and doc.path != job.shown:
                doc = replace(doc, path=job.shown, _positions=None, _keep=[])
            yield _run_job(job, doc)
        return
    import multiprocessing

    ctx = multiprocessing.get_context("fork")  # inherit imports; Saxon starts per worker
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        yield from pool.map(_run_job, jobs, chunksize=max(1, min(32, len(jobs) // (workers * 8))))


def _merge_jing(results: list[FileResult], jobs: list[_Job], rng: Path, n_jobs: int) -> None:
    """Add jing's grammar findings for every file the reader accepted."""
    command = jing_command()
    assert command is not None
    engine = JingRelaxNG(rng, command)
    todo = [(str(j.real), r.path) for j, r in zip(jobs, results, strict=True) if r.readable
            and not any(f.rule.startswith("input.") for f in r.findings)]
    workers = max(1, n_jobs or os.cpu_count() or 1)
    chunks = [todo[i::workers] for i in range(workers) if todo[i::workers]]
    merged: dict[str, list[Finding]] = {}
    with ThreadPoolExecutor(max_workers=len(chunks) or 1) as pool:
        for part in pool.map(engine.validate_files, chunks):
            merged.update(part)
    for result in results:
        extra = merged.get(result.path)
        if extra:
            result.findings[:0] = extra


def validate(paths: Sequence[str | os.PathLike[str]] = (), *, schema: Path | None = None,
             schematron: Path | None = None, tei_all: bool = False,
             tei_all_path: Path | None = None, jobs: int = 0, config: Config | None = None,
             on_result: Callable[[FileResult], None] | None = None) -> Report:
    """Validate files, folders or globs; with no paths, the configured edition."""
    options = Options(schema=schema, schematron=schematron, tei_all=tei_all,
                      tei_all_path=tei_all_path, jobs=jobs, config=config or load_config())
    started = time.perf_counter()
    report = Report()
    for result in iter_validate(paths, options):
        report.files.append(result)
        if on_result is not None:
            on_result(result)
    report.seconds = time.perf_counter() - started
    return report
