"""Publishing transforms: one focused test per template rule, goldens, other projects' TEI."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from pathlib import Path

import pytest
from lxml import etree, html

from serge_tei.build import ST_NS
from serge_tei.errors import UsageError
from serge_tei.reading import TEI_NS, XML_NS, read_document
from serge_tei.transform import (
    Source,
    docid,
    edition_corpus,
    is_authority,
    publisher,
    sibling_authority,
    transform,
)

DATA = Path(__file__).resolve().parent / "data"
EDITION = DATA / "transform" / "edition"
MINI = EDITION / "mini-diary.xml"
UNSAFE = DATA / "transform" / "unsafe.xml"
CORPORA = [DATA / "corpora" / name for name in (
    "guenderode-der-kanonenschlag.xml", "scheerbart-die-urgrossmutter.xml",
    "entry__1879-06-13.xml", "entry__1918-03-01.xml", "gottschedin-der-witzling.xml")]
GOLDEN = Path(__file__).resolve().parent / "golden"
TEI_DIR = Path(__file__).resolve().parent.parent / "tei"
T = f"{{{TEI_NS}}}"
HEADER_RULE = "=" * 40
NOTES_RULE = "-" * 40


@pytest.fixture(scope="module")
def page() -> html.HtmlElement:
    return html.fromstring(transform(MINI, "html", site=True))


@pytest.fixture(scope="module")
def text() -> str:
    return transform(MINI, "text")


def one(page: html.HtmlElement, xpath: str) -> html.HtmlElement:
    found = page.xpath(xpath)
    assert len(found) == 1, f"{xpath}: {len(found)} matches"
    return found[0]


# ----- the page --------------------------------------------------------------------

def test_page_is_semantic_html5(page: html.HtmlElement) -> None:
    assert page.get("lang") == "en"
    for tag in ("header", "main", "nav", "article", "aside", "footer"):
        assert page.xpath(f"//{tag}"), tag
    assert one(page, "//h1").text_content() == "Pages from a Mini Diary"


def test_header_has_source_citation_and_downloads(page: html.HtmlElement) -> None:
    bibl = one(page, "//p[@class='bibl']").text_content()
    assert "The New International" in bibl and "vol. XV" in bibl and "214–218" in bibl
    citation = one(page, "//details[@class='record']/p[@class='citation']").text_content()
    assert "serge-tei project, 2026" in citation
    hrefs = page.xpath("//ul[@class='downloads']//a/@href")
    assert hrefs == ["mini-diary.xml", "mini-diary.txt"]


def test_toc_lists_the_entries(page: html.HtmlElement) -> None:
    links = page.xpath("//details[@class='toc']//nav//a")
    assert [a.get("href") for a in links] == ["#mini-e1", "#mini-e2"]
    assert links[1].text_content() == "Arrests at Leningrad — Brussels, January 11, 1937."
    assert page.xpath("//article[@id='mini-e1']")


def test_internal_links_resolve(page: html.HtmlElement) -> None:
    ids = set(page.xpath("//@id"))
    targets = {h[1:] for h in page.xpath("//a/@href") if h.startswith("#")}
    assert targets <= ids
    assert len(ids) == len(page.xpath("//@id")), "duplicate ids"


# ----- notes -----------------------------------------------------------------------

def test_footnotes_are_numbered_and_linked_both_ways(page: html.HtmlElement) -> None:
    refs = page.xpath("//a[contains(@class, 'noteref')]")
    assert [(a.get("href"), a.get("id"), a.text_content()) for a in refs] == [
        ("#fn1", "fnref1", "1"), ("#fn2", "fnref2", "e1"), ("#fn3", "fnref3", "2")]
    for n in (1, 2, 3):
        note = one(page, f"//aside//li[@id='fn{n}']")
        assert note.xpath(f".//a[@href='#fnref{n}']")
    assert "Spanish" in one(page, "//li[@id='fn1']").text_content()
    assert "Editorial note" in one(page, "//li[@id='fn2']").text_content()


def test_notes_go_where_the_source_puts_them(tmp_path: Path) -> None:
    source = MINI.read_text(encoding="utf-8").replace(
        "</body>", '</body><back><div><head>Footnotes</head><divGen type="notes"/></div></back>')
    path = tmp_path / "mini-diary.xml"
    path.write_text(source, encoding="utf-8")
    page = html.fromstring(transform(path, "html"))
    assert not page.xpath("//aside")  # no second list, no second heading
    listed = one(page, "//section[h2 = 'Footnotes']/ol[@class='notes']")
    assert listed.xpath("li/@id") == ["fn1", "fn2", "fn3"]
    assert [a.get("href") for a in listed.xpath("li/a[@class='backref']")] == [
        "#fnref1", "#fnref2", "#fnref3"]


def test_note_text_is_not_in_the_running_text(page: html.HtmlElement) -> None:
    assert "A Spanish" not in one(page, "//article[@id='mini-e1']").text_content()


# ----- names -----------------------------------------------------------------------

def test_names_link_to_their_index_entry_with_identification(page: html.HtmlElement) -> None:
    link = page.xpath("//a[@href='persons.html#gide']")[0]
    tip = one(page, f"//*[@id='{link.get('aria-describedby')}']")
    assert tip.get("role") == "tooltip"
    assert tip.text_content() == ('Person: André Gide (1869–1951): French writer & "critic" '
                                  "<b>bold</b>.")
    assert tip.get("hidden") is not None  # a page read without CSS has no tip in its text
    assert link.get("id").startswith("mini-diary-n")
    assert page.xpath("//a[@href='places.html#paris']")
    assert page.xpath("//a[@href='orgs.html#poum']")
    assert one(page, "//a[@href='works.html#corydon']/cite").text == "Corydon"


def test_identification_of_a_foreign_name_is_in_the_registers_language() -> None:
    page = html.fromstring(transform(TEI_DIR / "serge-diary-1936-1937.xml", "html", site=True))
    french = page.xpath("//main//*[contains(@class, 'name')][@lang='fr'][a]")
    assert french
    for name in french:
        assert name.xpath("span[@class='tip']/@lang") == ["en"]
    english = page.xpath("//main//*[contains(@class, 'name')][not(@lang)][a]")[0]
    assert english.xpath("span[@class='tip']/@lang") == []


def test_every_name_has_a_unique_anchor(page: html.HtmlElement) -> None:
    anchors = page.xpath("//*[contains(@class, 'name')]/a/@id | "
                         "//span[contains(@class, 'name')][@id]/@id")
    assert len(anchors) == len(set(anchors)) >= 18


def test_unresolved_name_is_plain(page: html.HtmlElement) -> None:
    nobody = one(page, "//span[. = 'Nobody']")
    assert nobody.get("id") and not nobody.xpath("ancestor::a | .//a")


def test_nested_names_do_not_nest_links(page: html.HtmlElement) -> None:
    assert not page.xpath("//a//a")
    inner = one(page, "//a[@href='places.html#mandelstam-street']//span[. = 'Mandelstam']")
    assert inner.get("id")


# ----- dates, quotations, poems, foreign phrases, rendition ----------------------------

def test_dates_become_time_elements(page: html.HtmlElement) -> None:
    times = {t.text_content(): t.get("datetime") for t in page.xpath("//time")}
    assert times["January 11, 1937"] == "1937-01-11"
    assert times["End of November, 1936"] == "1936-11"
    assert times["’34"] == "1934"


def test_quotations(page: html.HtmlElement) -> None:
    assert [q.text_content() for q in page.xpath("//q")] == [
        "If you wish to follow me, deny me!", "good republicans"]
    assert one(page, "//span[@class='said']").text_content() == "Well, I imagined you otherwise ..."
    assert one(page, "//span[@class='soCalled']").text_content() == "select public"


def test_poem_is_set_as_verse(page: html.HtmlElement, text: str) -> None:
    lines = page.xpath("//blockquote/div[@class='lg']/div[@class='l']")
    assert [line.text_content() for line in lines] == [
        "Was hat dir das arme Glas gethan,", "Was siehst du den Spiegel so grimmig an?"]
    assert ("Was hat dir das arme Glas gethan,\nWas siehst du den Spiegel so grimmig an?\n\n"
            in text)


def test_foreign_phrase_has_lang_and_italics(page: html.HtmlElement) -> None:
    foreign = one(page, "//*[@lang='fr']")
    assert foreign.text_content() == "objets d’art"
    assert "i" in foreign.get("class").split()
    assert one(page, "//em").get("class") == "i"


# ----- editorial interventions -------------------------------------------------------

def test_correction_shows_corrected_reading_with_source(page: html.HtmlElement) -> None:
    ins = one(page, "//ins[@class='corr']")
    assert ins.text_content() == "Chrzanów"
    choice = ins.getparent()
    assert choice.get("tabindex") == "0"
    tip = one(page, f"//*[@id='{choice.get('aria-describedby')}']")
    assert tip.text_content() == "Corrected; the source reads: “Chrzanó”"
    assert one(page, "//ins[@class='reg']").text_content() == "Léon Blum"


def test_supplied_and_spurious_break(page: html.HtmlElement) -> None:
    assert one(page, "//span[@class='supplied']").text_content() == "[of]"
    assert one(page, "//span[@class='spurious-break']").get("aria-hidden") == "true"


def test_text_keeps_source_reading_with_corrections_in_brackets(text: str) -> None:
    assert "near Chrzanó [Chrzanów] and Leon Blum [Léon Blum]." in text
    assert "in the midst [of] the room" in text
    assert "The real problem [e1] went into exile again." in text


# ----- plain text ----------------------------------------------------------------------

def test_text_layout(text: str) -> None:
    head, body = text.split(f"\n\n{HEADER_RULE}\n\n")
    assert head.splitlines() == [
        "Pages from a Mini Diary", "A TEI edition", "Author: Victor Serge",
        "Source: Victor Serge, “Pages from a Mini Diary”, The New International vol. XV "
        "no. 7 (September 1949) pp. 214–218", "Edition: serge-tei project, 2026-11-21"]
    assert unicodedata.is_normalized("NFC", text)
    assert "\n\n\n" not in text and "  " not in text and "<" not in text
    assert all(line == line.strip() for line in text.splitlines())
    main, notes = body.split(f"\n\n{NOTES_RULE}\nNotes\n\n")
    assert "POUM [1] and read Corydon." in main
    assert notes.splitlines()[::2] == [
        "[1] A Spanish party.", "[e1] (Editorial note) Editors: the source has no comma here.",
        "[2] See the site and this."]


def test_text_header_gives_each_source_record_its_own_line() -> None:
    head = transform(TEI_DIR / "serge-diary-1936-1937.xml", "text").split(HEADER_RULE)[0]
    lines = head.splitlines()
    source = next(i for i, line in enumerate(lines) if line.startswith("Source: "))
    assert lines[source].endswith("pp. 214–218")
    assert lines[source + 1].startswith("Also: ")


def test_text_is_nfc_even_when_the_source_is_not(tmp_path: Path) -> None:
    source = MINI.read_text(encoding="utf-8").replace("Lévi", "Le\u0301vi")
    path = tmp_path / "nfd.xml"
    path.write_text(source, encoding="utf-8")
    out = transform(path, "text")
    assert "Lévi-Strauss" in out and unicodedata.is_normalized("NFC", out)


# ----- safety ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def unsafe_page() -> tuple[str, html.HtmlElement]:
    out = transform(UNSAFE, "html")
    return out, html.fromstring(out)


def test_only_safe_link_targets_become_links(unsafe_page: tuple[str, html.HtmlElement]) -> None:
    _, page = unsafe_page
    hrefs = page.xpath("//main//a/@href")
    assert hrefs == ["mailto:a@example.org", "other.html#x"]  # 'java<TAB>script:' links nowhere
    assert "javascript:" not in "".join(page.xpath("//@href | //@src"))
    for label in ("js", "js2", "js3", "data", "vb", "proto", "ok1"):
        assert label in page.text_content()  # the text is kept, inert


LINK_DOC = """<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc>
<titleStmt><title>Links</title></titleStmt><publicationStmt><p>x</p></publicationStmt>
<sourceDesc><bibl><idno type="URL">{target}</idno></bibl></sourceDesc></fileDesc></teiHeader>
<text><body><p><ref target="{target}">r</ref> <ptr target="{target}"/></p></body></text></TEI>"""


def _links(tmp_path: Path, target: str) -> list[str]:
    path = tmp_path / "links.xml"
    path.write_text(LINK_DOC.format(target=target), encoding="utf-8")
    page = html.fromstring(transform(path, "html"))
    return page.xpath("//main//a/@href | //p[@class='bibl']//a/@href")


@pytest.mark.parametrize("target", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
    "&#9;javascript:alert(1)", "java&#9;script:alert(1)", "java&#10;script:alert(1)",
    "&#13;jav&#13;ascript:alert(1)", "javascript&#58;alert(1)", "&#x7F;javascript:alert(1)",
    "&#x85;javascript:alert(1)", "java&#x200B;script:alert(1)", "&#x202E;javascript:alert(1)",
    "data:text/html,x", "DATA:text/html,x", "vbscript:msgbox(1)", "file:///etc/passwd",
    "//evil.example/x", "\\\\evil.example\\x", "https:evil", "x&quot; onclick=&quot;alert(1)",
    "",
], ids=repr)
def test_unsafe_pointer_never_becomes_a_link(tmp_path: Path, target: str) -> None:
    assert _links(tmp_path, target) == []


@pytest.mark.parametrize("target", [
    "https://example.org/a?b=c#d", "HTTP://example.org/", "mailto:editor@example.org",
    "other.html#x", "sub/page.html", "?q=1", "a.html b.html",
], ids=repr)
def test_safe_pointer_becomes_a_link(tmp_path: Path, target: str) -> None:
    first = target.split()[0]
    assert _links(tmp_path, target) == [first, first, first]


def test_pointer_into_the_document_links_only_when_its_target_is_there(tmp_path: Path) -> None:
    """'#here' names no element of the text: the ref and ptr stay words, nothing dangles."""
    assert _links(tmp_path, "#here") == ["#here"]  # the header's URL, as written


def test_no_disable_output_escaping_and_no_names_from_data() -> None:
    from serge_tei.resources import xslt_dir

    for sheet in sorted(xslt_dir().rglob("*.xsl")):
        tree = etree.parse(str(sheet))
        xsl = {"xsl": "http://www.w3.org/1999/XSL/Transform"}
        assert not tree.xpath("//@disable-output-escaping[. = 'yes']"), sheet
        # A mode that falls back to copying would pass unknown elements (script, iframe) through.
        assert set(tree.xpath("//xsl:mode/@on-no-match", namespaces=xsl)) <= {
            "fail", "text-only-copy", "shallow-skip", "deep-skip"}, sheet
        # Only the stylesheet's own results, held in a variable, are ever copied.
        assert not tree.xpath("//xsl:copy[not(ancestor::xsl:for-each[1]"
                              "[starts-with(@select, '$')])]"
                              " | //xsl:copy-of[not(starts-with(@select, '$'))]",
                              namespaces=xsl), sheet
        for name in tree.xpath("//xsl:element/@name | //xsl:attribute/@name", namespaces=xsl):
            # A computed name may use only the stylesheet's own numbers: h{level}.
            assert "{" not in name or name == "h{st:heading-level(.)}", f"{sheet}: {name}"


def test_unknown_elements_are_inert_text(unsafe_page: tuple[str, html.HtmlElement]) -> None:
    out, page = unsafe_page
    assert not page.xpath("//script[not(@src = 'edition.js')] | //iframe | //img | //fancy | "
                          "//*[@onclick] | //*[@onerror] | //*[@onload] | //*[@onmouseover] | "
                          "//*[@style]")
    body = page.xpath("//main")[0].text_content()
    for kept in ("alert(5)", "alert(6)", "kept text", "fancy text", "<script>alert(10)</script>"):
        assert kept in body
    assert "<script>" not in out.replace("&lt;script&gt;", "")
    assert page.get("lang") == "und"  # a bogus xml:lang is not copied; nothing is guessed
    assert one(page, "//span[. = 'Evil']").xpath("not(ancestor::a)")


# ----- indexes ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def edition() -> tuple[etree._Element, dict[str, object]]:
    docs = [read_document(p) for p in sorted(EDITION.glob("*.xml"))]
    sources = [Source(docid(d, Path(d.path)), d) for d in docs if not is_authority(d)]
    return edition_corpus(sources), publisher().authority_param(
        [d for d in docs if is_authority(d)])


def render(name: str, edition: tuple[etree._Element, dict[str, object]]) -> str:
    corpus, params = edition
    return publisher().render(name, corpus, params)


def test_person_index_sorted_by_surname(edition) -> None:  # type: ignore[no-untyped-def]
    page = html.fromstring(render("persons", edition))
    names = [n.text_content() for n in page.xpath("//span[@class='entry-name']")]
    # Particles (de, von) do not count, diacritics sort with their base letter (É with E).
    assert names == ["Ilya Ehrenburg", "Paul Éluard", "Charles de Gaulle", "André Gide",
                     "Alexander von Humboldt", "Claude Lévi-Strauss", "Osip Mandelstam",
                     "Friedrich Nietzsche", "Nobody", "Victor Serge", "X."]
    assert page.xpath("//nav[@class='letters']//a/text()") == ["E", "G", "H", "L", "M", "N",
                                                               "S", "X"]
    assert one(page, "//div[@id='de-gaulle']").xpath("ancestor::section/@id") == ["letter-G"]


def test_person_index_sort_order() -> None:
    """Surname alone first, particles and accents and apostrophes ignored, letter by letter."""
    page = html.fromstring(transform(DATA / "transform" / "sorting" / "names.xml", "persons"))
    assert page.xpath("//div[@class='entry']/@id") == [
        "ehrenburg", "eluard", "gaulle", "gide", "humboldt", "kibalchich-n", "kibalchich-v",
        "lam", "lamba", "levin", "levi-strauss", "ocallaghan", "orwell", "x"]
    assert page.xpath("//nav[@class='letters']//a/text()") == ["E", "G", "H", "K", "L", "O", "X"]


def test_person_index_entry(edition) -> None:  # type: ignore[no-untyped-def]
    page = html.fromstring(render("persons", edition))
    entry = one(page, "//div[@id='serge']")
    assert entry.xpath(".//time/@datetime") == ["1890-12-30", "1947-11-17"]
    assert "“Victor Serge”, “Kibalchich”, “Serge”" in entry.text_content()
    occ = entry.xpath(".//dd[@class='occurrences']//li")[0]
    assert "(3)" in occ.text_content()
    mini = html.fromstring(transform(MINI, "html", site=True))
    for href in occ.xpath("a/@href")[1:]:
        assert href.startswith("mini-diary.html#")
        one(mini, f"//*[@id='{href.split('#')[1]}']")


def test_person_index_json_and_csv(edition) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(render("persons-json", edition))
    assert data["kind"] == "person" and data["count"] == 11
    gide = next(e for e in data["entries"] if e["id"] == "gide")
    assert gide["variants"] == ["Gide", "A.G."] and gide["mentions"] == 2
    assert gide["documents"][0]["occurrences"][0]["href"].startswith("mini-diary.html#")
    raw = render("persons-csv", edition)
    assert raw.endswith("\r\n")
    rows = list(csv.DictReader(io.StringIO(raw, newline="")))
    assert [r["id"] for r in rows] == [e["id"] for e in data["entries"]]
    assert next(r for r in rows if r["id"] == "gide")["identification"] == \
        'French writer & "critic" <b>bold</b>.'


@pytest.mark.parametrize("sheet", ["persons-csv", "places-csv"])
def test_every_csv_row_has_the_headers_fields(sheet: str, edition) -> None:  # type: ignore[no-untyped-def]
    """A name outside the authority files (no dates, no identification) fills its row too."""
    rows = list(csv.reader(io.StringIO(render(sheet, edition), newline="")))
    header = rows[0]
    assert header[:12] == ["id", "name", "sort_key", "letter", "birth", "death",
                           "identification", "in_authority", "variants", "mentions",
                           "documents", "occurrences"]
    assert [len(row) for row in rows[1:]] == [len(header)] * (len(rows) - 1)
    if sheet == "persons-csv":
        nobody = next(dict(zip(header, r, strict=True)) for r in rows if r[0] == "ref-nobody")
        assert (nobody["birth"], nobody["death"], nobody["in_authority"]) == ("", "", "false")


def test_place_index(edition) -> None:  # type: ignore[no-untyped-def]
    page = html.fromstring(render("places", edition))
    ids = page.xpath("//div[@class='entry']/@id")
    assert ids == ["brussels", "leningrad", "mandelstam-street", "paris", "rue-vaneau", "spain"]
    assert "evil" not in ids  # in the register but never mentioned
    assert json.loads(render("places-json", edition))["count"] == 6


def test_single_document_person_index() -> None:
    page = html.fromstring(transform(MINI, "persons"))
    assert page.xpath("//div[@id='gide']")


@pytest.mark.parametrize("path", [MINI, TEI_DIR / "serge-diary-1936-1937.xml",
                                  TEI_DIR / "ali-inquisition-mode.xml"])
def test_tooltips_computed_once_read_as_computed_per_name(path: Path) -> None:
    """The ``tips`` parameter (tips.xsl, once per edition) changes nothing on the page."""
    pub = publisher()
    doc = read_document(path)
    params = {"docid": docid(doc, path), **pub.authority_param(sibling_authority(doc, path))}
    assert "tips" in params
    node = pub.saxon.node(doc.tree)
    with_tips = pub.saxon.transform("html", node, params)
    del params["tips"]
    assert pub.saxon.transform("html", node, params) == with_tips


def test_indexes_from_records_are_the_indexes_from_the_texts(edition) -> None:  # type: ignore[no-untyped-def]
    """What build does (records per document, each index computed once) gives the same files."""
    corpus, params = edition
    pub = publisher()
    records = [pub.render("mentions", tei, {**params, "docid": tei.get(f"{{{XML_NS}}}id")})
               for tei in corpus]
    index = pub.saxon.processor.parse_xml(
        xml_text=f'<st:index xmlns:st="{ST_NS}">{"".join(records)}</st:index>')
    for kind, sheets in (("person", ["persons", "persons-json", "persons-csv"]),
                         ("place", ["places", "places-json", "places-csv"]),
                         ("org", ["orgs"]), ("work", ["works"])):
        model = pub.saxon.processor.parse_xml(xml_text=pub.saxon.transform(
            "index-model", index, {"kind": kind, **params}))
        for sheet in sheets:
            expected = render(sheet, edition)
            assert pub.saxon.transform(sheet, index, params) == expected, sheet
            assert pub.saxon.transform(sheet, model, params) == expected, sheet


def test_unknown_target_is_a_usage_error() -> None:
    with pytest.raises(UsageError):
        transform(MINI, "pdf")


# ----- other projects' TEI: readable, and every word kept --------------------------------

def _reading(root: etree._Element) -> tuple[list[str], set[str]]:
    """The text's words by the encoding brief's rule, and the editorial words allowed extra."""
    body: list[str] = []
    notes: list[list[str]] = []
    extra: list[str] = []

    def walk(el: etree._Element, out: list[str]) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        editorial = tag in (f"{T}corr", f"{T}reg", f"{T}supplied", f"{T}expan") or (
            tag == f"{T}note" and el.get("type") == "editorial")
        if editorial:
            extra.append("".join(el.itertext()))
        elif tag == f"{T}note":
            notes.append([])
            inner(el, notes[-1])
        elif tag == f"{T}div" and el.get("type") == "commentary":
            # the editor's commentary follows the notes, under its heading
            for child in el.iterchildren(f"{T}head"):
                notes.append([])
                inner(child, notes[-1])
            for child in el.iterchildren(f"{T}note"):
                walk(child, out)
        elif tag:
            inner(el, out)
        out.append((" " if tag == f"{T}note" else "") + (el.tail or ""))

    def inner(el: etree._Element, out: list[str]) -> None:
        out.append(el.text or "")
        for child in el:
            walk(child, out)

    inner(root.find(f"{T}text"), body)
    words = [re.findall(r"\w+", unicodedata.normalize("NFC", "".join(part)))
             for part in [body, *notes]]
    allowed = set(re.findall(r"\w+", unicodedata.normalize("NFC", " ".join(extra))))
    return [w for ws in words for w in ws], allowed | {"Notes", "Editorial", "note"}


def _assert_keeps_every_word(path: Path) -> None:
    expected, allowed = _reading(read_document(path).root)
    out = transform(path, "text")
    actual = re.findall(r"\w+", out.split(f"\n\n{HEADER_RULE}\n\n", 1)[1])
    i = 0
    extras = []
    for word in actual:
        if i < len(expected) and word == expected[i]:
            i += 1
        else:
            extras.append(word)
    assert i == len(expected), f"word {i} of {len(expected)} missing: {expected[i:i + 5]}"
    unexplained = [w for w in extras if w not in allowed and not re.fullmatch(r"[ec]?\d+", w)]
    assert unexplained == []


@pytest.mark.parametrize("path", [*CORPORA, MINI], ids=lambda p: p.name)
def test_text_keeps_every_word(path: Path) -> None:
    _assert_keeps_every_word(path)


EDITION_DOCS = [p for p in sorted((DATA.parent.parent / "tei").glob("*.xml"))
                if not is_authority(read_document(p))]


@pytest.mark.parametrize("path", EDITION_DOCS, ids=lambda p: p.name)
def test_edition_text_keeps_every_word(path: Path) -> None:
    _assert_keeps_every_word(path)


@pytest.mark.parametrize("path", EDITION_DOCS, ids=lambda p: p.name)
def test_edition_names_all_resolve(path: Path) -> None:
    page = html.fromstring(transform(path, "html", site=True))
    # Names in headings are not links, on purpose (a heading made of links reads as navigation).
    plain = page.xpath("//main//span[contains(@class, 'name')][not(contains(@class, 'in-head'))]"
                       "[not(ancestor::a)][not(a)]")
    assert [p.text_content() for p in plain] == []


@pytest.mark.parametrize("path", CORPORA, ids=lambda p: p.name)
def test_other_projects_html_is_complete(path: Path) -> None:
    page = html.fromstring(transform(path, "html"))
    expected, _ = _reading(read_document(path).root)
    main = page.xpath("//main")[0]
    words = re.findall(r"\w+", unicodedata.normalize("NFC", main.text_content()))
    assert set(expected) <= set(words)
    assert not page.xpath("//main//a[starts-with(@href, 'persons.html')]")  # registers absent


def test_drama_structure() -> None:
    page = html.fromstring(transform(DATA / "corpora" / "scheerbart-die-urgrossmutter.xml",
                                     "html"))
    assert page.get("lang") == "de"
    assert page.xpath("//div[@class='sp']/p[@class='speaker']")
    assert page.xpath("//div[@class='sp']/p[@class='stage']")
    assert page.xpath("//section[@class='castList']/ul/li")


def test_text_of_a_play_keeps_speakers_apart() -> None:
    out = transform(DATA / "corpora" / "scheerbart-die-urgrossmutter.xml", "text")
    assert "\n\nURGROSSMUTTER\n\nmit matter Stimme.\n\nSetzt Euch, Kinder!" in out


# ----- golden files ------------------------------------------------------------------------

@pytest.mark.parametrize("to", ["html", "text", "persons", "places"])
def test_golden(to: str, update_golden: bool) -> None:
    out = transform(MINI, to, site=True)
    golden = GOLDEN / f"mini-diary.{to}.{'txt' if to == 'text' else 'html'}"
    if update_golden or not golden.exists():
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(out, encoding="utf-8")
        if not update_golden:
            pytest.fail(f"{golden} was missing and has been written; review it and rerun")
    assert out == golden.read_text(encoding="utf-8")


def test_a_terminating_xsl_message_is_quoted_in_the_error_and_messages_do_not_pile_up() -> None:
    from serge_tei.errors import ToolkitError
    from serge_tei.saxon import Saxon

    saxon = Saxon()
    sheet = saxon.compile_text(
        '<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
        '<xsl:param name="stop" as="xs:boolean" select="false()" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema"/>'
        '<xsl:template match="/"><xsl:message>working</xsl:message>'
        '<xsl:if test="$stop"><xsl:message terminate="yes">no   title</xsl:message></xsl:if>'
        "<r/></xsl:template></xsl:stylesheet>", "test sheet")
    node = saxon.processor.parse_xml(xml_text="<a/>")
    for _ in range(3):
        saxon.transform(sheet, node, label="ok")
    assert sheet.get_xsl_messages().size == 1  # this transform's only, not all three
    with pytest.raises(ToolkitError) as info:
        saxon.transform(sheet, node, {"stop": True}, label="test sheet")
    assert info.value.message.endswith("(the stylesheet said: no title)")
