"""The edition's own rules checked natively give exactly the Saxon run's findings."""

from __future__ import annotations

import hashlib
import re
import sys
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from serge_tei.config import load_config
from serge_tei.reading import parse_bytes, read_document
from serge_tei.resources import schema_dir
from serge_tei.saxon import Saxon
from serge_tei.validation import edition_rules
from serge_tei.validation.edition import gather_edition
from serge_tei.validation.edition_rules import EditionRules, Tables
from serge_tei.validation.engines import Engines
from serge_tei.validation.schematron import Schematron

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
sys.path.insert(0, str(ROOT / "bench"))
import generate  # noqa: E402


@cache
def _saxon() -> Schematron:
    return Schematron.from_file(schema_dir() / edition_rules.SCHEMATRON, Saxon())


def _agree(doc, params=None) -> list:  # type: ignore[no-untyped-def,type-arg]
    native = EditionRules().validate(doc, params)
    assert native == _saxon().validate(doc, params)
    return native


def test_the_native_rules_are_those_of_the_shipped_schematron() -> None:
    """When serge-tei.sch changes, edition_rules.py must change with it (and IMPLEMENTS)."""
    data = (schema_dir() / edition_rules.SCHEMATRON).read_bytes()
    assert hashlib.sha256(data).hexdigest() == edition_rules.IMPLEMENTS
    assert isinstance(Engines().schematron(schema_dir() / edition_rules.SCHEMATRON, False),
                      EditionRules)


def test_a_changed_schematron_runs_in_saxon(tmp_path: Path) -> None:
    copy = tmp_path / edition_rules.SCHEMATRON
    copy.write_bytes((schema_dir() / edition_rules.SCHEMATRON).read_bytes() + b"\n")
    assert not isinstance(Engines().schematron(copy, False), EditionRules)


@pytest.mark.parametrize("fixture", sorted((DATA / "validate").glob("*.xml")),
                         ids=lambda p: p.stem)
def test_every_fixture_gets_the_saxon_findings(fixture: Path) -> None:
    _agree(read_document(fixture))


def _edition_params(folder: Path, project: Path):  # type: ignore[no-untyped-def]
    files = sorted(folder.glob("*.xml"))
    edition = gather_edition([f.resolve() for f in files], load_config(project), 1)
    assert edition is not None
    for path in files:
        doc = read_document(path)
        yield doc, edition.params_for(doc, path.resolve()), edition


def test_the_edition_gets_the_saxon_findings() -> None:
    for doc, params, _ in _edition_params(ROOT / "tei", ROOT):
        _agree(doc, params)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("edition") / "corpus"
    generate.generate(out, 40, kind="edition", seed=7, mutants=6)
    return out


def test_generated_documents_and_mutants_get_the_saxon_findings(generated: Path) -> None:
    for doc, params, _ in _edition_params(generated / "tei", generated):
        _agree(doc, params)
    found = [f for m in sorted((generated / "mutants").glob("*.xml"))
             for f in _agree(read_document(m))]
    assert found, "the mutants have findings"


def test_a_broken_edition_gets_the_saxon_findings_deferred_or_not(generated: Path,
                                                                  tmp_path: Path) -> None:
    """Pointers that do not resolve, ids used twice, entries nobody cites."""
    project = tmp_path / "p"
    (project / "tei").mkdir(parents=True)
    (project / "pyproject.toml").write_text('[tool.serge-tei]\nedition = "tei"\n')
    files = sorted((generated / "tei").glob("*.xml"))
    for path in [p for p in files if p.name.startswith("d")][:8] + \
            [p for p in files if not p.name.startswith("d")]:
        text = path.read_text(encoding="utf-8")
        if path.name.startswith("d"):
            text = re.sub(r'ref="persons\.xml#([\w-]+)"', r'ref="persons.xml#\1x"', text,
                          count=2)
            text = text.replace('xml:id="', 'xml:id="p', 1)
        (project / "tei" / path.name).write_text(text, encoding="utf-8")
    rules = {"serge.ref-resolves": 0, "serge.authority-uncited": 0}
    for doc, params, edition in _edition_params(project / "tei", project):
        found = _agree(doc, params)
        name = Path(doc.path).name
        shared = {i for i, n in edition.tables.files_with.items() if n > 1}
        tables = Tables(edition.tables.known.__contains__, shared.__contains__,
                        edition.tables.cited.__contains__)
        slots = edition_rules.check(doc, name, True)
        assert edition_rules.resolve(doc.path, slots, tables, edition_rules.locator(doc)) == \
            found
        for f in found:
            rules[f.rule] = rules.get(f.rule, 0) + 1
    assert rules["serge.ref-resolves"] and rules["serge.authority-uncited"], rules


# ------------------------------------------------------------ values, at random

_BASE = (DATA / "validate" / "valid-minimal.xml").read_bytes()

_DATES = st.one_of(
    st.sampled_from(["2020", "2020-02", "2020-02-29", "2019-02-29", "1900-02-29",
                     "2000-02-29", "0000-01-01", "0000-02-29", "-0044", "-0044-03-15",
                     "2020-13", "2020-00", "2020-12-31", "2020-04-31", "2020-1-01",
                     "٢٠٢٠", "２０２０-01", "2020-01-01\n", " 2020", "20201", "2020-01-0１"]),
    st.from_regex(r"-?[0-9٠-٩]{4}(-[0-9]{2}(-[0-9]{2})?)?", fullmatch=True))
_TOKENS = st.one_of(
    st.sampled_from(["#fx", "#nope", "t.xml#fx", "t.xml#nope", "other.xml#x", "http://a#b",
                     "HTTP://a#b", "K:x#y", "ſ:x#y", "a+b.c-d:x#y", "1a:x#y", "#", "x#",
                     "persons.xml#gide", "", " "]),
    st.text(alphabet="abK:#./ſ1", max_size=8))


@st.composite
def _mutant(draw: st.DrawFn) -> bytes:
    root = etree.fromstring(_BASE)
    body = root.find(".//{*}body")
    assert body is not None
    for _ in range(draw(st.integers(1, 4))):
        p = etree.SubElement(body, "{http://www.tei-c.org/ns/1.0}p")
        date = etree.SubElement(p, "{http://www.tei-c.org/ns/1.0}date")
        for attr in draw(st.lists(st.sampled_from(["when", "notBefore", "notAfter", "from",
                                                   "to"]), max_size=3, unique=True)):
            date.set(attr, draw(_DATES))
        date.text = "d"
        name = etree.SubElement(p, "{http://www.tei-c.org/ns/1.0}persName")
        name.set(draw(st.sampled_from(["ref", "corresp", "resp", "source"])),
                 " ".join(draw(st.lists(_TOKENS, max_size=3))))
        name.text = draw(st.sampled_from(["N", "", " "]))
    return etree.tostring(root)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_mutant(), st.booleans())
def test_random_dates_and_pointers_get_the_saxon_findings(data: bytes, inside: bool) -> None:
    doc = parse_bytes(data, "t.xml")
    params = {"known-targets": "other.xml#x persons.xml#gide", "other-ids": "fx",
              "cited-targets": "", "file-name": "t.xml", "in-edition": True} if inside else None
    _agree(doc, params)
