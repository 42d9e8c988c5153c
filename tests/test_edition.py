"""The edition: word-for-word fidelity to the sources, and a closed web of references."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
SOURCES = Path(__file__).parent / "data" / "sources"
NS = {"t": "http://www.tei-c.org/ns/1.0", "xml": "http://www.w3.org/XML/1998/namespace"}
T = "{http://www.tei-c.org/ns/1.0}"
SKIPPED = {T + "corr", T + "reg", T + "supplied"}

#: Source lines that are reprint-site or archive boilerplate, kept in the header instead.
BOILERPLATE = {
    "ali-inquisition-mode": [
        "Friday 7 August 2020 (Date first published: 16 July 2020).",
        "[Click here](#) to subscribe to our weekly newsletters in English and or French. "
        "You will receive one email every Monday containing links to all articles published "
        "in the last 7 days.",
        "P.S.",
        "London Review of Books",
        "<https://www.lrb.co.uk/the-paper/v42/n14/tariq-ali/inquisition-mode>",
    ],
    "serge-diary-1936-1937": ["Last updated on 29 September 2018"],
}


def words(text: str) -> list[str]:
    return re.findall(r"\w+", unicodedata.normalize("NFC", text))


def reading_text(el: etree._Element, notes: list[etree._Element]) -> str:
    """The source's reading: no corrections or supplied words; notes become their marker."""
    out = [el.text or ""] if el.tag not in SKIPPED else []
    for child in el:
        editorial = child.tag == T + "note" and child.get("type") == "editorial"
        if not isinstance(child.tag, str) or editorial:
            pass
        elif child.tag == T + "note":
            notes.append(child)
            out.append(f" {child.get('n', '')} ")
        elif child.tag not in SKIPPED:
            out.append(reading_text(child, notes))
        out.append(child.tail or "")
    return "".join(out)


@pytest.mark.parametrize("name", sorted(BOILERPLATE))
def test_every_source_word_is_in_the_edition_in_order(name: str) -> None:
    source = (SOURCES / f"{name}.txt").read_text(encoding="utf-8")
    for line in BOILERPLATE[name]:
        assert line in source
        source = source.replace(line, " ", 1)
    tree = etree.parse(str(ROOT / "tei" / f"{name}.xml"))
    notes: list[etree._Element] = []
    flow = reading_text(tree.find("t:text", NS), notes)
    tail = " ".join(f"{n.get('n')} {reading_text(n, [])}" for n in notes)
    assert words(flow + " " + tail) == words(source)


@pytest.mark.parametrize("name", sorted(BOILERPLATE))
def test_boilerplate_is_kept_in_the_header(name: str) -> None:
    tree = etree.parse(str(ROOT / "tei" / f"{name}.xml"))
    header = " ".join(tree.find("t:teiHeader", NS).itertext())
    for line in BOILERPLATE[name]:
        assert words(line) and " ".join(words(line)) in " ".join(words(header)), line


def test_every_ref_resolves_and_every_entry_is_cited() -> None:
    files = {p.name: etree.parse(str(p)) for p in sorted((ROOT / "tei").glob("*.xml"))}
    ids = {f"{name}#{i}" for name, t in files.items() for i in t.xpath("//@xml:id", namespaces=NS)}
    cited = set()
    for name, tree in files.items():
        for value in tree.xpath("//@ref | //@who | //@resp | //@corresp"):
            target = f"{name}{value}" if value.startswith("#") else str(value)
            assert target in ids, f"{name}: {value} does not resolve"
            cited.add(target)
    xml_id = "{http://www.w3.org/XML/1998/namespace}id"
    entries = {f"{name}#{e.get(xml_id)}" for name, t in files.items()
               for e in t.xpath("//t:person | //t:place | //t:org | //t:listBibl/t:bibl",
                                namespaces=NS)}
    assert entries and entries <= cited, sorted(entries - cited)
