"""Fuzzing the reader, the validator, the linter, the publisher and the command line.

Hypothesis mutates TEI bytes (with the constructs attackers use: DOCTYPEs,
entities, XInclude, CDATA, BOMs, NULs, surrogates) and builds random TEI
structures. Whatever comes in, the reader returns a TEI document or raises an
:class:`InputError`/:class:`DocumentRejected` with a printable, located message;
the validator's and the linter's findings are well-formed; any well-formed TEI
structure renders to HTML and text; every command exits with a code of the
table for user input (0, 1 or 2), never a traceback; schemas and Schematron
named by a document, mutated the same way, give the same guarantees and never
reach the network. Atheris (coverage-guided, libFuzzer) runs the reader for a
bounded number of inputs when it is installed.
"""

from __future__ import annotations

import contextlib
import importlib.util
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from serge_tei.cli import main
from serge_tei.errors import DocumentRejected, InputError, SergeTeiError
from serge_tei.findings import Finding, Severity
from serge_tei.formats import finding_line
from serge_tei.reading import TEI_NS, TEI_ROOTS, Document, Limits, parse_bytes
from serge_tei.saxon import quiet_stderr
from serge_tei.validation.engines import Engines
from serge_tei.validation.rules import project_rules
from serge_tei.validation.run import check_document

HOSTILE = Path(__file__).resolve().parent / "data" / "hostile"
GOOD = (HOSTILE / "good.xml").read_bytes()
SEEDS = [GOOD, *((HOSTILE / name).read_bytes() for name in (
    "duplicate-xml-id.xml", "utf16-bom.xml", "html-payloads.xml", "xinclude-text.xml"))]
UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
RULE = re.compile(r"^[a-z]+(\.[a-z0-9-]+)+$")

#: what attackers put into XML, spliced in at random places
SNIPPETS = [
    b'<!DOCTYPE TEI [<!ENTITY a "aaaaaaaaaa">]>', b"&a;", b"&#0;", b"&#xD800;", b"&#x1b;",
    b'<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd">', b"%p;", b"<!--", b"-->",
    b"<![CDATA[", b"]]>", b'<?xml-model href="http://127.0.0.1:9/x.rng"?>',
    b'<?xml version="1.0" encoding="UTF-16"?>',
    b'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="/etc/passwd"/>',
    b"\x00", b"\xef\xbb\xbf", b"\xff\xfe", b"\xed\xa0\x80", b"\xe2\x80\xae", b"</p>", b"<p>",
    b'<hi rend="italic">', b"</hi>", b'xml:id="good"', b' xmlns="urn:x"', b"<TEI/>", b"\r\n",
    b'<ref target="javascript:alert(1)">x</ref>', b"<script>alert(1)</script>",
]

FUZZ = settings(max_examples=60, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        op = draw(st.sampled_from(["insert", "delete", "flip", "truncate", "bytes"]))
        if op == "insert":
            data[at:at] = draw(st.sampled_from(SNIPPETS))
        elif op == "delete":
            del data[at:at + draw(st.integers(1, 40))]
        elif op == "flip" and at < len(data):
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "truncate":
            del data[at:]
        else:
            data[at:at] = draw(st.binary(min_size=1, max_size=12))
    return bytes(data)


def _check_outcome(data: bytes) -> Document | None:
    """Parse; assert the outcome is a TEI document or a well-formed refusal."""
    try:
        doc = parse_bytes(data, "fuzz.xml", Limits())
    except (InputError, DocumentRejected) as exc:
        assert exc.path == "fuzz.xml"
        assert isinstance(exc.message, str) and exc.message.strip()
        assert (exc.line or 0) >= 0 and (exc.column or 0) >= 0
        line = finding_line(Finding("fuzz.xml", exc.line or 0, exc.column or 0, Severity.ERROR,
                                    "input.unusable", exc.message))
        assert not UNSAFE.search(line), line
        return None
    assert doc.root.tag in TEI_ROOTS
    for el in doc.root.iter(tag=etree.Element):
        line, col = doc.locate(el)
        assert line >= 1 and col >= 0
    return doc


#: one registry for every example: the schemas are compiled once
ENGINES = Engines("auto")


def _check_findings(doc: Document) -> None:
    try:
        findings = check_document(doc, project_rules(), None, ENGINES)
    except SergeTeiError:
        return
    for f in findings:
        assert f.path == doc.path and f.line >= 0 and f.column >= 0
        assert f.severity in Severity and RULE.match(f.rule), f
        assert f.message.strip(), f
        assert not UNSAFE.search(finding_line(f)), f


@FUZZ
@given(mutated())
def test_mutated_tei_bytes(data: bytes) -> None:
    doc = _check_outcome(data)
    if doc is not None:
        _check_findings(doc)


@FUZZ
@given(st.binary(max_size=400))
def test_arbitrary_bytes(data: bytes) -> None:
    _check_outcome(data)


# ----- the command line: codes from the table, never a traceback ----------------------

#: the exit codes user input may give (3 is the toolkit's own failure, never the input's)
USER_CODES = (0, 1, 2)
COMMANDS = (["validate"], ["lint"], ["stats"], ["transform", "--to", "text"])


def _project() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="serge-tei-fuzz-"))
    (folder / "pyproject.toml").write_text("[tool.serge-tei]\nrule-seconds = 10\n",
                                           encoding="utf-8")
    return folder


def _assert_clean(result: Result, what: str) -> None:
    assert result.exit_code in USER_CODES, f"{what}: exit {result.exit_code}\n{result.output}"
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        f"{what}: {result.exception!r}"
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert not UNSAFE.search(result.stderr), result.stderr


@settings(FUZZ, max_examples=25)
@given(mutated())
def test_every_command_answers_mutated_documents_from_the_table(data: bytes) -> None:
    folder = _project()
    try:
        path = folder / "fuzz.xml"
        path.write_bytes(data)
        for command in COMMANDS:
            _assert_clean(CliRunner().invoke(main, [*command, str(path)]), command[0])
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@settings(FUZZ, max_examples=25)
@given(st.lists(st.sampled_from(SNIPPETS), min_size=1, max_size=4))
def test_lint_findings_are_well_formed(snippets: list[bytes]) -> None:
    """lint reads what the reader accepted and reports only well-formed findings."""
    from serge_tei.lint import lint

    folder = _project()
    try:
        body = b"".join(snippets).replace(b"<TEI/>", b"")
        path = folder / "fuzz.xml"
        path.write_bytes(GOOD.replace("<p>Café crème, ça va.</p>".encode(),
                                      b"<p>Anna Seghers met " + body + b"</p>"))
        for result in lint([path]).files:
            for f in result.findings:
                assert f.line >= 0 and f.column >= 0 and f.message.strip(), f
                assert RULE.match(f.rule), f
                assert not UNSAFE.search(finding_line(f)), f
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# ----- schemas and Schematron named by the data -------------------------------------

RNG_SEED = b"""<?xml version="1.0" encoding="UTF-8"?>
<grammar xmlns="http://relaxng.org/ns/structure/1.0"
    xmlns:sch="http://purl.oclc.org/dsdl/schematron">
  <sch:pattern><sch:rule context="/*"><sch:assert test="@xml:id">an id</sch:assert>
  </sch:rule></sch:pattern>
  <start><ref name="any"/></start>
  <define name="any"><element><anyName/><zeroOrMore><choice><attribute><anyName/></attribute>
    <text/><ref name="any"/></choice></zeroOrMore></element></define>
</grammar>"""
SCH_SEED = b"""<?xml version="1.0" encoding="UTF-8"?>
<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt3">
  <ns prefix="tei" uri="http://www.tei-c.org/ns/1.0"/>
  <let name="n" value="count(//tei:p)"/>
  <pattern id="p"><rule context="tei:p">
    <assert id="a" test="string-length(.) lt 1000">short</assert>
    <report id="r" test="@rend">rend <value-of select="@rend"/></report></rule></pattern>
</schema>"""
#: what attackers put into schemas, spliced in at random places
SCHEMA_SNIPPETS = [
    b'<!DOCTYPE grammar [<!ENTITY % p SYSTEM "http://127.0.0.1:{PORT}/x.dtd"> %p;]>',
    b'<include href="http://127.0.0.1:{PORT}/x.rng"/>', b'<include href="../../x.rng"/>',
    b'<externalRef href="/etc/passwd"/>', b'<externalRef href="fuzz.xml"/>',
    b'<sch:include href="../../secret.sch"/>', b'<include href="/dev/zero"/>',
    b'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="/etc/passwd"/>',
    b"<ref name=\"any\"/>", b'<define name="any"><ref name="any"/></define>',
    b"<value-of select=\"unparsed-text('file:///etc/passwd')\"/>",
    b"<value-of select=\"doc('http://127.0.0.1:{PORT}/')\"/>",
    b"<value-of select=\"environment-variable('HOME')\"/>",
    b'<assert test="((">x</assert>', b"&#0;", b"\x00", b"</", b"<", b"]]>",
]


@st.composite
def mutated_schema(draw: st.DrawFn) -> tuple[str, bytes]:
    kind = draw(st.sampled_from(["rng", "sch"]))
    data = bytearray(RNG_SEED if kind == "rng" else SCH_SEED)
    for _ in range(draw(st.integers(1, 4))):
        # mostly between tags, so that most mutants are still XML and reach the engines
        boundaries = [i + 1 for i, byte in enumerate(data) if byte == ord(">")]
        if draw(st.integers(0, 3)):
            at = draw(st.sampled_from(boundaries))
            data[at:at] = draw(st.sampled_from(SCHEMA_SNIPPETS))
        else:
            at = draw(st.integers(0, len(data)))
            del data[at:at + draw(st.integers(1, 30))]
    return kind, bytes(data)


@settings(FUZZ, max_examples=30)
@given(mutated_schema())
def test_schemas_named_by_a_document_answer_from_the_table(schema: tuple[str, bytes]) -> None:
    kind, data = schema
    server = socket.create_server(("127.0.0.1", 0))
    server.setblocking(False)
    folder = _project()
    try:
        port = str(server.getsockname()[1]).encode()
        (folder / f"s.{kind}").write_bytes(data.replace(b"{PORT}", port))
        space = ("http://relaxng.org/ns/structure/1.0" if kind == "rng"
                 else "http://purl.oclc.org/dsdl/schematron")
        path = folder / "fuzz.xml"
        path.write_bytes(GOOD.replace(b"<TEI ", f'<?xml-model href="s.{kind}" schematypens='
                                              f'"{space}"?>\n<TEI '.encode(), 1))
        result = CliRunner().invoke(main, ["validate", str(path)])
        _assert_clean(result, "validate")
        assert "root:" not in result.output  # no line of /etc/passwd
        with contextlib.suppress(BlockingIOError):
            server.accept()
            pytest.fail("a schema named by a document reached the network")
    finally:
        server.close()
        shutil.rmtree(folder, ignore_errors=True)


# ----- random structure -------------------------------------------------------------

NAMES = ["p", "hi", "div", "persName", "placeName", "note", "ref", "date", "name", "foreign",
         "q", "lg", "l", "head", "list", "item", "bogus", "script"]
ATTRS = ["rend", "ref", "target", "when", "n", "type", "xml:lang", "onclick", "style"]
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
#: markup characters, white space, accents, bidi controls, astral characters
XML_TEXT = st.text(st.sampled_from(list("ab yz09<>&\"';:#/\t\n\r éüßЖ中\u00a0\u202e\u2066"
                                        "\U0001F600\U00020000")), max_size=24)
NCNAME = st.from_regex(r"[A-Za-z_][A-Za-z0-9_.-]{0,8}", fullmatch=True)
#: (name, attributes, xml:id or None, text, tail, children): plain data, built into lxml late
LEAF = st.tuples(st.sampled_from(NAMES), st.dictionaries(st.sampled_from(ATTRS), XML_TEXT,
                 max_size=3), st.none() | NCNAME, XML_TEXT, XML_TEXT, st.just(()))
NODES = st.recursive(LEAF, lambda kids: st.tuples(
    st.sampled_from(NAMES), st.dictionaries(st.sampled_from(ATTRS), XML_TEXT, max_size=3),
    st.none() | NCNAME, XML_TEXT, XML_TEXT, st.lists(kids, max_size=4).map(tuple)),
    max_leaves=15)


def _build(node: tuple) -> etree._Element:  # type: ignore[type-arg]
    name, attrs, ident, text, tail, children = node
    el = etree.Element(f"{{{TEI_NS}}}{name}")
    for key, value in attrs.items():
        el.set("{http://www.w3.org/XML/1998/namespace}lang" if key == "xml:lang" else key, value)
    if ident is not None:
        el.set(XML_ID, ident)
    el.text = text
    el.extend(_build(child) for child in children)
    el.tail = tail
    return el


def _document(body: list[etree._Element]) -> etree._Element:
    root = etree.fromstring(GOOD)
    div = root.find(f".//{{{TEI_NS}}}div")
    assert div is not None
    for child in list(div):
        div.remove(child)
    div.extend(body)
    return root


@settings(FUZZ, max_examples=40)
@given(st.lists(NODES, min_size=1, max_size=3))
def test_random_structure_is_read_validated_and_published(nodes: list[tuple]) -> None:  # type: ignore[type-arg]
    from serge_tei.transform import publisher

    written = _document([_build(node) for node in nodes])
    doc = _check_outcome(etree.tostring(written, xml_declaration=True, encoding="UTF-8"))
    assert doc is not None, "a document lxml wrote must be accepted (within the limits)"
    assert "".join(doc.root.itertext()) == "".join(written.itertext())  # every character kept
    _check_findings(doc)
    for name in ("html", "text"):  # any well-formed TEI renders, valid or not
        publisher().render(name, doc.tree, {"docid": "fuzz"}, label=name)


# ----- atheris --------------------------------------------------------------------------

_ATHERIS = textwrap.dedent("""
    import sys
    import atheris
    with atheris.instrument_imports(include=["serge_tei"]):
        from serge_tei.errors import DocumentRejected, InputError
        from serge_tei.reading import parse_bytes

    def one(data: bytes) -> None:
        try:
            parse_bytes(data, "fuzz.xml")
        except (InputError, DocumentRejected):
            pass

    atheris.Setup([sys.argv[0], "-runs=4000", "-max_len=4096", "-seed=1", sys.argv[1]], one)
    atheris.Fuzz()
""")


@pytest.mark.skipif(importlib.util.find_spec("atheris") is None, reason="atheris not installed")
def test_atheris_reader(tmp_path: Path) -> None:
    """Coverage-guided: 4,000 inputs grown from the hostile corpus, a few seconds."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for i, seed in enumerate(SEEDS):
        (seeds / f"seed{i}").write_bytes(seed[:4096])
    done = subprocess.run([sys.executable, "-c", _ATHERIS, str(seeds)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Done 4000 runs" in done.stderr


# ----- names: the reader accepts exactly what Saxon accepts ---------------------------

_SAXON: list[object] = []


def _saxon_parses(text: str) -> bool:
    """Whether Saxon's own parser (the one behind every transform) takes *text*."""
    if not _SAXON:
        from saxonche import PySaxonProcessor

        _SAXON.append(PySaxonProcessor(license=False))
    try:
        with quiet_stderr():  # Saxon reports what it refuses on fd 2 as well
            _SAXON[0].parse_xml(xml_text=text)  # type: ignore[attr-defined]
    except Exception:  # saxonche's PySaxonApiError: not well-formed to Saxon
        return False
    return True


#: every plane's characters, astral ones too; no surrogates (not characters at all)
NAME_CHARACTERS = st.characters(exclude_categories=["Cs"], min_codepoint=0x21)


@settings(FUZZ, max_examples=300)
@given(NAME_CHARACTERS, st.sampled_from(["start", "inside"]),
       st.sampled_from(["element", "attribute", "pi", "prefix"]))
def test_reader_and_saxon_agree_on_names(char: str, where: str, kind: str) -> None:
    """A name character the reader accepts reaches Saxon; one it refuses, Saxon refuses too.

    libxml2 follows XML 1.0's fifth edition, Saxon's parser the older name tables;
    the reader refuses the difference (``<p \\ufeffn="1">`` failed in Saxon with exit 3).
    """
    name = char + "n" if where == "start" else "n" + char
    markup = {"element": f"<{name} xmlns='urn:x'/>", "attribute": f'<hi {name}="1">x</hi>',
              "pi": f"<?{name} data?>", "prefix": f"<{name}:x xmlns:{name}='urn:x'/>"}[kind]
    text = GOOD.decode("utf-8").replace("<p>Café crème, ça va.</p>", f"<p>{markup}</p>")
    try:
        doc = parse_bytes(text.encode("utf-8"), "names.xml")
    except (InputError, DocumentRejected) as refused:
        # refused for the name's character: Saxon must refuse it too (libxml2's other refusals,
        # such as a name starting with ':' under Namespaces in XML, are stricter than Saxon)
        if "a character that XML 1.0 allows in names only since" in refused.message:
            assert not _saxon_parses(text.split("?>", 1)[1]), \
                f"U+{ord(char):04X} refused, yet Saxon takes it"
        return
    serialized = etree.tostring(doc.tree, encoding="unicode")
    assert _saxon_parses(serialized), f"the reader took U+{ord(char):04X} in a {kind} name"
