"""A lint run: find the authority files, lint each document once, apply the baseline."""

from __future__ import annotations

import os
import re
import stat
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import pool
from ..config import Config
from ..errors import SergeTeiError
from ..findings import FileResult, Report
from ..inputs import default_targets, expand_paths, read_or_result, shown
from ..reading import Document, read_document
from . import baseline
from .document import DocumentLint, Found, unused_variants
from .names import Entry, Matcher, entries_in, is_authority_file
from .pointers import Place, Pointer, resolve
from .profiles import profile_for


@dataclass
class Context:
    """What the whole run shares: entries by key and by name, the matcher, names used."""

    entries: dict[str, Entry] = field(default_factory=dict)
    by_name: dict[str, list[Entry]] = field(default_factory=dict)
    matcher: Matcher = field(default_factory=lambda: Matcher(()))
    used: set[tuple[str, str]] = field(default_factory=set)
    #: how to build this context again in another process (see :meth:`__reduce__`)
    recipe: tuple[list[Path], list[tuple[Path, str]], Config] | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        """Entries hold parsed trees, which do not pickle: a spawned worker reads them again."""
        if self.recipe is None:
            raise TypeError("this lint context cannot be rebuilt in another process")
        return _rebuild, self.recipe

    def add(self, entries: list[Entry]) -> list[Entry]:
        """Add entries not known yet; return those added."""
        added = []
        for entry in entries:
            if entry.key in self.entries:
                continue
            self.entries[entry.key] = entry
            added.append(entry)
            for name in entry.names:
                self.by_name.setdefault(name, []).append(entry)
        return added

    def drop(self, entries: list[Entry]) -> None:
        """Forget a document's own entries once it is linted (they hold its tree)."""
        for entry in entries:
            self.entries.pop(entry.key, None)
            for name in entry.names:
                bucket = self.by_name.get(name, [])
                if entry in bucket:
                    bucket.remove(entry)


#: one linted file: its index among the inputs, its result, its findings' fingerprints
#: and descriptions (for the baseline), and the (entry, name) pairs it used
_Outcome = tuple[int, FileResult, list[tuple[str, str]], set[tuple[str, str]]]


def lint(paths: Sequence[str | os.PathLike[str]] = (), *, config: Config | None = None,
         jobs: int = 1, use_baseline: bool = True, scheduler: str | None = None) -> Report:
    """Lint files, folders or globs (default: the edition of *config*); one Report.

    Authority files are found and read first; then each document is read,
    walked once and let go, so memory stays that of one document (per process:
    with *jobs* other than 1 and at least 16 documents, documents are linted
    in worker processes; 0 means one per core; with a Dask *scheduler*'s address,
    on its workers). *config* is the project's
    configuration (rules, profiles, baseline); without one, no project
    settings apply. With *use_baseline*, findings recorded in the configured
    baseline file are not reported.
    """
    config = config or Config()
    path = config.lint.baseline if use_baseline else None
    recorded = baseline.read(path, config.limits.max_bytes) if path is not None else None
    report, outcomes, reals = _run(paths, config, jobs, fingerprints=recorded is not None,
                                   scheduler=scheduler)
    if path is not None and recorded is not None:
        stale = baseline.apply(recorded, [(reals[i], result, [p for p, _ in prints])
                                          for i, result, prints, _ in outcomes], shown(path))
        if stale is not None:
            report.files.append(stale)
    return report


def write_baseline(path: Path, paths: Sequence[str | os.PathLike[str]] = (), *,
                   config: Config | None = None, jobs: int = 1,
                   scheduler: str | None = None) -> tuple[Report, int]:
    """Lint as :func:`lint` does, without a baseline, and record every finding in *path*.

    Returns the report and the number of findings recorded (findings on files
    that could not be read are not lint's and are not recorded).
    """
    config = config or Config()
    report, outcomes, reals = _run(paths, config, jobs, fingerprints=True, scheduler=scheduler)
    found = [(reals[i], f, print_, what)
             for i, result, prints, _ in outcomes
             for f, (print_, what) in zip(result.findings, prints, strict=True) if print_]
    return report, baseline.write(path, found)


def _run(paths: Sequence[str | os.PathLike[str]], config: Config, jobs: int,
         fingerprints: bool, scheduler: str | None = None
         ) -> tuple[Report, list[_Outcome], dict[int, Path]]:
    start = time.perf_counter()
    targets = expand_paths(list(paths) or default_targets(config))
    candidates = _candidates(targets, config)
    context, authorities = _load(candidates, targets, config)
    documents = [(i, path, display) for i, (path, display) in enumerate(targets)
                 if path.resolve() not in authorities]
    outcomes: dict[int, _Outcome] = {}
    for i, result, prints, used in pool.map_ordered(
            _lint_one, documents, jobs=jobs, setup=_state,
            setup_args=(context, config, fingerprints), scheduler=scheduler):
        context.used |= used
        outcomes[i] = (i, result, prints, used)
    # Authority files last: only now is it known which of their variants are used.
    for i, (path, display) in enumerate(targets):
        if i not in outcomes:
            real = path.resolve()
            outcomes[i] = _lint_authority(i, authorities[real], real, display,
                                          (context, config, fingerprints),
                                          judged=bool(documents))
    ordered = [outcomes[i] for i in range(len(targets))]
    reals = {i: path.resolve() for i, (path, _) in enumerate(targets)}
    report = Report([result for _, result, _, _ in ordered], time.perf_counter() - start)
    return report, ordered, reals


#: what each worker holds: the run's context, the configuration, whether to fingerprint
_State = tuple[Context, Config, bool]


def _state(context: Context, config: Config, fingerprints: bool) -> _State:
    return context, config, fingerprints


def _rebuild(candidates: list[Path], targets: list[tuple[Path, str]], config: Config
             ) -> Context:
    return _load(candidates, targets, config)[0]


def _lint_one(state: _State, item: tuple[int, Path, str]) -> _Outcome:
    """Lint one document: its outcome, with the (entry, name) pairs it used."""
    context, config, fingerprints = state
    i, path, display = item
    real = path.resolve()
    doc = read_or_result(path, display, config.limits, root=config.root_for(real))
    if isinstance(doc, FileResult):
        return i, doc, [("", "")] * len(doc.findings), set()
    t0 = time.perf_counter()
    before = set(context.used)
    linter = DocumentLint(doc, real, context, own_lists=True,
                          profile=profile_for(doc.root, config.lint), root=config.root_for(real),
                          fingerprints=fingerprints)
    linter.run()
    if linter.own_searched:  # a cast nobody tags has no "unused" variants
        _add_unused(linter, linter.local_entries, context)
    context.drop(linter.local_added)
    result, prints = _result(display, linter.found, time.perf_counter() - t0)
    return i, result, prints, context.used - before


def _lint_authority(i: int, doc: Document, real: Path, display: str, state: _State,
                    judged: bool) -> _Outcome:
    t0 = time.perf_counter()
    context, config, fingerprints = state
    linter = DocumentLint(doc, real, context, own_lists=False,
                          profile=profile_for(doc.root, config.lint), root=config.root_for(real),
                          fingerprints=fingerprints)
    linter.run()
    # An authority file's variants are judged only when documents citing it were linted.
    if judged:
        entries = [context.entries[e.key] for e in entries_in(doc.root, real)
                   if e.key in context.entries]
        _add_unused(linter, entries, context)
    result, prints = _result(display, linter.found, time.perf_counter() - t0)
    return i, result, prints, set()


def _add_unused(linter: DocumentLint, entries: list[Entry], context: Context) -> None:
    for el, message, name in unused_variants(linter.doc, entries, context.used):
        linter.add(el, "lint.variant-unused", message, name)


def _result(display: str, found: list[Found], seconds: float
            ) -> tuple[FileResult, list[tuple[str, str]]]:
    found = sorted(found, key=lambda f: (f.finding.line, f.finding.column, f.finding.rule))
    return (FileResult(display, [f.finding for f in found], seconds=seconds),
            [(f.fingerprint, f.what) for f in found])


# ------------------------------------------------------------ authorities

_LIST_TAG = re.compile(rb"<(?:[\w.-]+:)?list(?:Person|Place|Org|Bibl)[\s>/]")
_POINTERS = re.compile(rb"\s(?:ref|who|corresp)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")


def _prescan(path: Path, limit: int) -> tuple[bool, set[str]]:
    """Whether a file has entry lists, and the file pointers it holds.

    A byte scan, so that documents need not be parsed twice nor all held in
    memory: a wrong guess only costs one parse (or misses an authority file
    that configuration can still name). Read like the hardened reader reads:
    no symbolic link, nothing but a regular file, never more than *limit* bytes.
    """
    data = _read_plain(path, limit)
    if data is None:
        return False, set()
    tokens = set()
    for m in _POINTERS.finditer(data):
        for token in (m.group(1) or m.group(2) or b"").split():
            if b".xml#" in token:
                tokens.add(token.decode("utf-8", "replace"))
    return _LIST_TAG.search(data) is not None, tokens


def _read_plain(path: Path, limit: int) -> bytes | None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0)
                     | getattr(os, "O_CLOEXEC", 0))
    except (OSError, ValueError):
        return None
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            return None
        try:
            return fh.read(limit + 1)
        except OSError:  # /proc/self/mem and other files that refuse a plain read
            return None  # the reader reports the file itself


def _candidates(targets: list[tuple[Path, str]], config: Config) -> list[Path]:
    """Files that may hold authority entries: inputs with lists, pointed and configured files.

    A pointed file counts only if it lies inside the project root of the
    document that points to it; the others are reported where they are written.
    """
    candidates: dict[Path, None] = {}
    pointed: set[str] = set()
    for path, _ in targets:
        has_lists, tokens = _prescan(path, config.limits.max_bytes)
        real = path.resolve()
        if has_lists:
            candidates[real] = None
        where = Place.of(real, config.root_for(real))
        for token in tokens:
            target = resolve(token, where)
            if isinstance(target, Pointer):
                pointed.add(target.key.rsplit("#", 1)[0])
    candidates.update(dict.fromkeys(p.resolve() for p in config.authorities))
    candidates.update(dict.fromkeys(Path(p) for p in sorted(pointed)))
    return list(candidates)


def _load(candidates: list[Path], targets: list[tuple[Path, str]], config: Config
          ) -> tuple[Context, dict[Path, Document]]:
    """Read the candidates; the authority files among the inputs are kept for linting."""
    inputs = {path.resolve(): display for path, display in targets}
    context, kept, global_entries = Context(), {}, []
    for real in candidates:
        try:
            doc = read_document(real, config.limits, display=inputs.get(real, str(real)),
                                root=config.root_for(real))
        except SergeTeiError:
            continue  # an unreadable or missing target is the validator's finding
        if not is_authority_file(doc.root):
            if real not in inputs:  # a document others point into: its entries resolve
                context.add(list(entries_in(doc.root, real)))
            continue
        entries = list(entries_in(doc.root, real))
        context.add(entries)
        global_entries.extend(entries)
        if real in inputs:
            kept[real] = doc
    context.matcher = Matcher(global_entries)
    context.recipe = (candidates, targets, config)
    return context, kept
