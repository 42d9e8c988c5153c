"""The edition: word-for-word fidelity to the sources, a closed web of references, and
headers whose statements (characters kept, rights, identifiers, commentary) hold."""

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


def is_editorial(el: etree._Element) -> bool:
    """The editors' words, not the source's: editorial notes and the commentary."""
    return ((el.tag == T + "note" and el.get("type") in ("editorial", "commentary"))
            or (el.tag == T + "div" and el.get("type") == "commentary"))


def reading_text(el: etree._Element, notes: list[etree._Element]) -> str:
    """The source's reading: no corrections, supplied words or commentary; notes become
    their marker."""
    out = [el.text or ""] if el.tag not in SKIPPED else []
    for child in el:
        if not isinstance(child.tag, str) or is_editorial(child):
            pass
        elif child.tag == T + "note":
            notes.append(child)
            out.append(f" {child.get('n', '')} ")
        elif child.tag not in SKIPPED:
            out.append(reading_text(child, notes))
        out.append(child.tail or "")
    return "".join(out)


def source_text(name: str) -> str:
    """The source file without the boilerplate lines the header keeps instead."""
    source = (SOURCES / f"{name}.txt").read_text(encoding="utf-8")
    for line in BOILERPLATE[name]:
        assert line in source
        source = source.replace(line, " ", 1)
    return source


def edition_reading(name: str) -> str:
    """The source's reading of the encoded text: running text, then the footnotes."""
    tree = etree.parse(str(ROOT / "tei" / f"{name}.xml"))
    notes: list[etree._Element] = []
    flow = reading_text(tree.find("t:text", NS), notes)
    return flow + " " + " ".join(f"{n.get('n')} {reading_text(n, [])}" for n in notes)


@pytest.mark.parametrize("name", sorted(BOILERPLATE))
def test_every_source_word_is_in_the_edition_in_order(name: str) -> None:
    assert words(edition_reading(name)) == words(source_text(name))


@pytest.mark.parametrize("name", sorted(BOILERPLATE))
def test_quotation_marks_are_kept_as_printed(name: str) -> None:
    """Both headers say every quotation mark and apostrophe is kept exactly as printed."""
    marks = re.compile("[\"'‘’“”]")
    assert marks.findall(edition_reading(name)) == marks.findall(source_text(name))


def header_text(tree: etree._ElementTree) -> str:
    return " ".join(" ".join(tree.find("t:teiHeader", NS).itertext()).split())


@pytest.mark.parametrize("name", sorted(BOILERPLATE))
def test_the_header_tells_the_truth_about_no_break_spaces(name: str) -> None:
    """What the header says of U+00A0 holds: kept where the source has them, or none."""
    tree = etree.parse(str(ROOT / "tei" / f"{name}.xml"))
    header = header_text(tree)
    # Lines holding only a no-break space are layout; the header says they were dropped.
    running = "".join(ln for ln in source_text(name).splitlines() if ln.strip())
    in_source, in_text = running.count("\u00a0"), edition_reading(name).count("\u00a0")
    sentences = re.split(r"(?<!Vol)(?<!No)(?<!pp)\.\s+(?=[A-Z])", header)
    kept = any("non-breaking space" in s and "kept as characters" in s for s in sentences)
    none = any("contains no non-breaking spaces" in s for s in sentences)
    assert bool(kept) != bool(none), "the header must say whether no-break spaces are kept"
    if kept:
        assert in_text == in_source > 0
    else:
        assert in_text == in_source == 0


@pytest.mark.parametrize("name", sorted(BOILERPLATE))
def test_boilerplate_is_kept_in_the_header(name: str) -> None:
    tree = etree.parse(str(ROOT / "tei" / f"{name}.xml"))
    header = " ".join(tree.find("t:teiHeader", NS).itertext())
    for line in BOILERPLATE[name]:
        assert words(line) and " ".join(words(line)) in " ".join(words(header)), line


POINTERS = ("//@ref | //@who | //@resp | //@corresp | //@source | //t:note/@target"
            " | //t:catRef/@target")


def test_every_ref_resolves_and_every_entry_is_cited() -> None:
    files = {p.name: etree.parse(str(p)) for p in sorted((ROOT / "tei").glob("*.xml"))}
    ids = {f"{name}#{i}" for name, t in files.items() for i in t.xpath("//@xml:id", namespaces=NS)}
    cited = set()
    for name, tree in files.items():
        for value in tree.xpath(POINTERS, namespaces=NS):
            for token in str(value).split():
                target = f"{name}{token}" if token.startswith("#") else token
                assert target in ids, f"{name}: {token} does not resolve"
                cited.add(target)
    xml_id = "{http://www.w3.org/XML/1998/namespace}id"
    entries = {f"{name}#{e.get(xml_id)}" for name, t in files.items()
               for e in t.xpath("//t:person | //t:place | //t:org | //t:listBibl/t:bibl",
                                namespaces=NS)}
    assert entries and entries <= cited, sorted(entries - cited)


# ------------------------------------------------------------------ commentary

def texts() -> dict[str, etree._ElementTree]:
    return {name: etree.parse(str(ROOT / "tei" / f"{name}.xml")) for name in sorted(BOILERPLATE)}


XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


@pytest.mark.parametrize("name", sorted(BOILERPLATE))
def test_every_commentary_note_is_about_the_text_and_answered_for(name: str) -> None:
    tree = texts()[name]
    editors = set(tree.xpath("/t:TEI/t:teiHeader/t:fileDesc/t:titleStmt"
                             "/*[self::t:respStmt or self::t:editor]/@xml:id", namespaces=NS))
    targets = {el.get(XML_ID): el for el in tree.find("t:text", NS).iter()
               if el.get(XML_ID) and not any(is_editorial(a) for a in el.iterancestors())
               and not is_editorial(el)}
    notes = tree.xpath("//t:note[@type='commentary']", namespaces=NS)
    assert notes, "the edition's texts all have commentary"
    for note in notes:
        where = f"{name}: note {note.get(XML_ID)}"
        assert note.getparent().get("type") == "commentary", where
        assert note.get("target", "").startswith("#") and note.get("target")[1:] in targets, where
        assert note.get("resp", "").startswith("#") and note.get("resp")[1:] in editors, where
        assert note.get("cert") in ("high", "medium", "low"), where
        sources = note.findall("t:bibl", NS)
        assert sources and all(b.find("t:title", NS) is not None for b in sources), where
        said = " ".join("".join(note.itertext()).split())
        assert re.search(rf"Certainty: [^.]*\b{note.get('cert')}\b", said), where


@pytest.mark.parametrize("name", sorted(BOILERPLATE))
def test_every_seg_and_anchor_is_the_target_of_a_commentary_note(name: str) -> None:
    """seg and anchor exist only for the commentary: none is left without its note."""
    tree = texts()[name]
    targeted = {n.get("target")[1:] for n in tree.xpath("//t:note[@type='commentary']",
                                                         namespaces=NS)}
    marks = tree.xpath("//t:text//t:seg | //t:text//t:anchor", namespaces=NS)
    assert marks and {m.get(XML_ID) for m in marks} <= targeted


# ------------------------------------------------------------------ header statements

def test_texts_and_their_rights() -> None:
    """Texts not free say so; authority files (the project's own work) are free."""
    for path in sorted((ROOT / "tei").glob("*.xml")):
        tree = etree.parse(str(path))
        availability = tree.find(".//t:publicationStmt/t:availability", NS)
        status = availability.get("status")
        licence = availability.find("t:licence", NS)
        assert licence.get("target") == "https://creativecommons.org/licenses/by/4.0/"
        if path.stem in BOILERPLATE:
            assert status in ("restricted", "unknown"), path.name
            said = " ".join(" ".join(availability.itertext()).split())
            assert "does not cover the text" in said and "no permission" in said.lower()
        else:
            assert status == "free", path.name
    ali = texts()["ali-inquisition-mode"].find(".//t:availability", NS)
    assert ali.get("status") == "restricted"
    assert "London Review of Books and Tariq Ali" in " ".join(" ".join(ali.itertext()).split())


def test_the_two_texts_point_to_each_other() -> None:
    """The review is about the book the diary pages belong to: each header links the other."""
    docs = texts()
    for name, tree in docs.items():
        links = tree.xpath("//t:sourceDesc//t:relatedItem/@corresp", namespaces=NS)
        others = {f"{o}.xml#{o}" for o in docs if o != name}
        assert set(links) == others, name
        assert tree.xpath("//t:publicationStmt/t:idno[@type='serge-tei']/text()",
                          namespaces=NS) == [name]
        assert tree.xpath("//t:profileDesc/t:textClass/t:catRef", namespaces=NS)


# ------------------------------------------------------------------ identifiers

#: The forms schema/serge-tei.rnc documents for each authority (idno.authority).
IDNO_FORMS = {
    "wikidata": r"Q[1-9][0-9]*",
    "viaf": r"[1-9][0-9]{0,21}",
    "gnd": r"1[0123]?[0-9]{7}[0-9X]|[47][0-9]{6}-[0-9]|[1-9][0-9]{0,7}-[0-9X]|3[0-9]{7}[0-9X]",
    "geonames": r"[1-9][0-9]*",
    "lccn": r"(n|nb|nr|no|ns|sh|sj|sn|sp|gf|dg|mp)([4-9][0-9]|00|20[0-9][0-9])[0-9]{6}",
}


def test_every_identifier_has_its_form_and_names_its_reference() -> None:
    seen = 0
    for path in sorted((ROOT / "tei").glob("*.xml")):
        tree = etree.parse(str(path))
        references = set(tree.xpath("//t:sourceDesc/t:bibl[@type='identifier-reference']/@xml:id",
                                    namespaces=NS))
        for entry in tree.xpath("//t:person | //t:place | //t:org | //t:listBibl/t:bibl",
                                namespaces=NS):
            kinds = [i.get("type") for i in entry.findall("t:idno", NS)]
            assert len(kinds) == len(set(kinds)), f"{path.name}: {entry.get(XML_ID)}"
            for idno in entry.findall("t:idno", NS):
                seen += 1
                where = f"{path.name}: {entry.get(XML_ID)} {idno.get('type')} {idno.text}"
                assert re.fullmatch(IDNO_FORMS[idno.get("type")], idno.text.strip()), where
                cited = [s[1:] for s in idno.get("source", "").split()]
                assert cited and set(cited) <= references, where
    assert seen > 0


def test_the_documented_identifier_forms_are_the_schemas() -> None:
    """The patterns above are those the schema's documentation and Schematron state."""
    sch = (ROOT / "schema" / "serge-tei.sch").read_text(encoding="utf-8")
    for kind, form in IDNO_FORMS.items():
        assert f"'^{form}$'" in sch or f"'^({form})$'" in sch, kind
    rnc = (ROOT / "schema" / "serge-tei.rnc").read_text(encoding="utf-8")
    assert all(f"`{kind}`" in rnc for kind in IDNO_FORMS)
