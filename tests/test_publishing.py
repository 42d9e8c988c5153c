"""Publishing anybody's TEI: the fixture corpus, its goldens, every word kept, valid HTML.

Each file of ``tests/data/publishing/`` (written for these tests) states what its outputs
must show in processing instructions before its root:

* ``<?expect html="XPATH"?>``: true on the page (``transform --to html`` in a site);
* ``<?expect text="STRING"?>``: found in the plain text (``&#10;`` for a line break);
* ``<?expect index="KIND ID NAME COUNT"?>``: the index of KIND lists entry ID, named
  NAME, with COUNT links back into the text, when the folder is built as a site.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree, html

from serge_tei.build import build
from serge_tei.config import Config
from serge_tei.reading import TEI_NS, parse_bytes, read_document
from serge_tei.transform import is_authority, transform

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
FIXTURES = TESTS / "data" / "publishing"
CORPORA = TESTS / "data" / "corpora"
GOLDEN = TESTS / "golden" / "publishing"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
T = f"{{{TEI_NS}}}"
HEADER_RULE = "=" * 40

FIXTURE_FILES = sorted(FIXTURES.glob("*.xml"))
CORPUS_FILES = sorted(CORPORA.glob("*.xml"))
EDITION_FILES = [p for p in sorted((ROOT / "tei").glob("*.xml"))
                 if not is_authority(read_document(p))]


def valid(_: Path, __: Config) -> tuple[object, dict[Path, object]]:
    """A validator that accepts: these tests are about publishing (validation has its own)."""
    from types import SimpleNamespace

    return SimpleNamespace(exit_code=0, findings=[]), {}


def expectations(path: Path) -> list[tuple[str, str]]:
    """The (kind, value) of each ``<?expect kind="value"?>`` before the root of *path*."""
    root = etree.parse(str(path)).getroot()
    found = []
    for pi in root.itersiblings(preceding=True):
        if isinstance(pi, etree._ProcessingInstruction) and pi.target == "expect":
            kind, _, value = pi.text.partition("=")
            value = value.strip()[1:-1].replace("&#10;", "\n").replace("&apos;", "'")
            found.append((kind.strip(), value.replace("&quot;", '"')))
    return found


CASES = [(path, kind, value) for path in FIXTURE_FILES for kind, value in expectations(path)]


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("publishing") / "site"
    build(FIXTURES, out, validator=valid)
    return out


@pytest.mark.parametrize(("path", "kind", "value"), CASES,
                         ids=[f"{p.stem}:{k}:{v[:60]}" for p, k, v in CASES])
def test_fixture_states_what_it_shows(path: Path, kind: str, value: str,
                                      fixture_site: Path) -> None:
    if kind == "html":
        page = html.fromstring(transform(path, "html", site=True))
        assert page.xpath(value), value
    elif kind == "text":
        assert value in transform(path, "text")
    else:
        index, ident, *name, count = value.split()
        pages = {"person": "persons.html", "place": "places.html", "work": "works.html",
                 "org": "orgs.html"}
        page = html.fromstring((fixture_site / pages[index]).read_text(encoding="utf-8"))
        entry = page.xpath(f"//*[@id='{ident}']")
        assert entry, f"{ident} not in {pages[index]}"
        assert " ".join(name) in entry[0].text_content()
        doc = path.stem if path.stem != "letter" else "letter"
        backlinks = entry[0].xpath(f".//a[starts-with(@href, '{doc}.html#')]")
        assert len(backlinks) == int(count)
        for link in backlinks:  # each leads to its mention
            target = link.get("href").split("#")[1]
            text = html.fromstring((fixture_site / f"{doc}.html").read_text(encoding="utf-8"))
            assert text.xpath(f"//*[@id='{target}']"), target


def test_every_fixture_states_something() -> None:
    assert all(expectations(path) for path in FIXTURE_FILES)


# ----- golden outputs -----------------------------------------------------------------

@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.stem)
@pytest.mark.parametrize("to", ["html", "text"])
def test_golden(path: Path, to: str, update_golden: bool) -> None:
    out = transform(path, to, site=True)
    golden = GOLDEN / f"{path.stem}.{'txt' if to == 'text' else 'html'}"
    if update_golden or not golden.exists():
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(out, encoding="utf-8")
        if not update_golden:
            pytest.fail(f"{golden} was missing and has been written; review it and rerun")
    assert out == golden.read_text(encoding="utf-8")


# ----- every word of <text>, in order --------------------------------------------------

#: Words the edition writes itself (labels, headings of EpiDoc divisions, signs' names).
GENERATED = {"Notes", "Editorial", "note", "Source", "sic", "margin", "om", "Edition",
             "Translation", "Commentary", "Apparatus", "Bibliography", "image", "en", "la",
             "de", "fr"}
#: What is not part of the text's words: metadata kept in <text>.
SKIPPED = {f"{T}{name}" for name in ("index", "interpGrp", "spanGrp", "linkGrp", "fs",
                                     "handShift", "graphic", "listWit")}
EDITORIAL = {f"{T}{name}" for name in ("corr", "reg", "supplied", "ex")}
#: Elements whose edges are word boundaries whatever the white space: blocks, and the
#: children of fields (a name's parts, a record's, readings, an address's lines).
BOUNDARIES = {f"{T}{name}" for name in (
    "p", "ab", "l", "lg", "head", "item", "label", "cell", "row", "sp", "speaker", "stage",
    "div", "note", "addrLine", "figure", "figDesc", "castItem", "role", "roleDesc", "list",
    "table", "opener", "closer", "dateline", "salute", "signed", "postscript", "address",
    "titlePart", "docTitle", "byline", "docImprint", "epigraph", "quote", "trailer", "space",
    "lem", "rdg", "del", "add", "seg", "sic", "orig", "abbr", "unclear", "bibl", "castList",
    "castGroup", "front", "body", "back", "titlePage", "argument", "docAuthor", "docDate")}
FIELDS = {f"{T}{name}" for name in (
    "persName", "placeName", "orgName", "name", "bibl", "biblStruct", "address", "app",
    "subst", "choice", "castItem")}


def source_words(root: etree._Element) -> tuple[list[str], set[str]]:
    """The words of every <text> in document order (listed notes after the text), and the
    editors' words (corrections, supplied letters, expansions) that may appear besides."""
    body: list[str] = []
    notes: list[list[str]] = []
    extra: list[str] = []

    def walk(el: etree._Element, out: list[str]) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        editorial = tag in EDITORIAL or (tag == f"{T}expan" and el.getparent() is not None
                                         and el.getparent().tag == f"{T}choice") or (
            tag == f"{T}note" and el.get("type") == "editorial")
        if tag in SKIPPED:
            pass
        elif editorial:
            extra.append(" ".join(el.itertext()))
        elif tag == f"{T}div" and el.get("type") == "commentary" and all(
                child.tag in (f"{T}head", f"{T}note") for child in el.iterchildren(etree.Element)):
            # the editor's commentary is listed after the notes, under its heading
            for child in el.iterchildren(etree.Element):
                if child.tag == f"{T}head":
                    notes.append([])
                    inner(child, notes[-1])
                else:
                    walk(child, notes[-1] if notes else out)
        elif tag == f"{T}note" and el.get("place") not in ("margin",):
            notes.append([])
            inner(el, notes[-1])
        elif tag in (f"{T}lb", f"{T}pb", f"{T}cb") and el.get("break") == "no":
            while out and out[-1].strip() == "":
                out.pop()
            if out:
                out[-1] = out[-1].rstrip()
            out.append("\x00")  # joins what follows, once its leading space is gone
        elif tag:
            inner(el, out)
            if tag in BOUNDARIES or (el.getparent() is not None
                                     and el.getparent().tag in FIELDS):
                out.append(" ")  # a block's or a field's edge is a word boundary
        tail = el.tail or ""
        if out and out[-1] == "\x00":
            out[-1] = ""
            tail = tail.lstrip()
        out.append(tail)

    def inner(el: etree._Element, out: list[str]) -> None:
        text = el.text or ""
        if out and out[-1] == "\x00":
            out[-1] = ""
            text = text.lstrip()
        out.append(text)
        for child in el:
            walk(child, out)

    for text in root.iter(f"{T}text"):
        if text.getparent() is not None and text.getparent().tag in (f"{T}TEI",):
            inner(text, body)
            body.append(" ")
    words = [re.findall(r"\w+", unicodedata.normalize("NFC", "".join(part)))
             for part in [body, *notes]]
    numbers = [el.get("n", "") for el in root.iter(f"{T}pb", f"{T}cb", f"{T}milestone")]
    numbers += [el.get("wit", "") for el in root.iter(f"{T}rdg", f"{T}lem")]  # sigla
    numbers += root.xpath("//t:titleStmt/t:title//text()", namespaces={"t": TEI_NS})
    allowed = set(re.findall(r"\w+", unicodedata.normalize("NFC", " ".join(extra + numbers))))
    return [w for ws in words for w in ws], allowed | GENERATED


def missing_or_extra(expected: list[str], allowed: set[str], actual: list[str]) -> str:
    """'' when *actual* holds *expected* in order, with only allowed words besides."""
    i = 0
    extras = []
    for word in actual:
        if i < len(expected) and word == expected[i]:
            i += 1
        else:
            extras.append(word)
    if i < len(expected):
        return f"word {i} of {len(expected)} missing: {expected[i:i + 8]}"
    unexplained = [w for w in extras if w not in allowed and not re.fullmatch(r"[ec]?\d+\w?", w)
                   and w not in expected]
    return f"unexplained words: {unexplained[:10]}" if unexplained else ""


#: HTML elements that make a line of their own in a browser (innerText's word boundaries).
BLOCKS = {"p", "div", "section", "article", "li", "dt", "dd", "td", "th", "tr", "h1", "h2",
          "h3", "h4", "h5", "h6", "figcaption", "figure", "blockquote", "br", "caption", "ul",
          "ol", "dl", "table", "aside", "nav", "main", "header", "footer"}


#: What the reading edition adds around the text (its controls, the contents, a citation
#: per entry, the kind of a name or note, who answers for a note, links to the facsimile).
READING_AIDS = ("reading-controls", "toc", "cite-entry", "tip-kind", "note-kind", "note-resp",
                "facs-link")


def html_words(page: str) -> list[str]:
    """The words of the page's main part as a reader sees them: without what the edition
    adds (class "gen", READING_AIDS), the contents list and names' identifications."""
    tree = html.fromstring(page)
    main = tree.xpath("//main")[0]
    for img in main.xpath(".//img[@alt]"):  # an image's text alternative is its words
        img.tail = f" {img.get('alt')} {img.tail or ''}"
    aids = " | ".join(f".//*[contains(concat(' ', @class, ' '), ' {name} ')]"
                      for name in READING_AIDS)
    for el in main.xpath(".//*[contains(concat(' ', @class, ' '), ' gen ')] | .//nav"
                         " | .//a[contains(@class, 'noteref')] | .//a[@class='backref'] | "
                         + aids):
        el.drop_tree()
    # A name's identification is not the text's; the source's reading of a correction inside
    # the name, which its tip tells too, is.
    for tip in main.xpath(".//*[contains(concat(' ', @class, ' '), ' name ')]/span[@class='tip']"):
        tip.text = None
        for child in tip:
            if child.get("class") != "tip-source":
                child.drop_tree()
    for source in main.xpath(".//span[@class='tip-source']"):
        source.text = re.sub(r"^(Corrected|Regularised); the source reads: ", "",
                             source.text or "")
    parts: list[str] = []

    def walk(el: html.HtmlElement) -> None:
        block = isinstance(el.tag, str) and (el.tag in BLOCKS or el.get("class") == "tip") and (
            el.get("class") != "in-word")
        parts.append(" " if block else "")
        parts.append(el.text or "")
        for child in el:
            walk(child)
            parts.append(child.tail or "")
        parts.append(" " if block else "")

    walk(main)
    return re.findall(r"\w+", unicodedata.normalize("NFC", "".join(parts)))


def text_words(out: str) -> list[str]:
    """The words of the text after its header; the signs that mark surplus, deleted and
    added letters ({E}t, ⟦VI⟧) do not split a word."""
    body = out.split(f"\n\n{HEADER_RULE}\n\n", 1)[1]
    return re.findall(r"\w+", re.sub(r"[{}⟦⟧]", "", body))


ALL_DOCUMENTS = [*FIXTURE_FILES, *CORPUS_FILES, *EDITION_FILES,
                 TESTS / "data" / "transform" / "edition" / "mini-diary.xml"]


@pytest.mark.parametrize("path", ALL_DOCUMENTS, ids=lambda p: p.name)
def test_every_word_reaches_the_text_and_the_page_in_order(path: Path) -> None:
    expected, allowed = source_words(read_document(path).root)
    if path.name != "corpus.xml":  # a corpus has a header rule per document
        assert missing_or_extra(expected, allowed, text_words(transform(path, "text"))) == ""
    page = transform(path, "html", site=True)
    assert missing_or_extra(expected, allowed, html_words(page)) == ""


# Random inline markup: words separated by white space, or by nothing where the markup
# itself is the boundary (fields of a name, readings, space), or split by a break inside
# a word. Whatever the nesting, every word comes out whole, in order.
WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüéß", min_size=2, max_size=8)


@st.composite
def inline(draw: st.DrawFn, depth: int = 0) -> tuple[str, list[str]]:
    """A fragment of TEI inline markup and its words."""
    kinds = ["word", "split"] + (["hi", "name", "app", "subst", "space", "choice", "seg",
                                  "unclear", "stage"] if depth < 3 else [])
    kind = draw(st.sampled_from(kinds))
    if kind == "word":
        w = draw(WORD)
        return w, [w]
    if kind == "split":
        a, b = draw(WORD), draw(WORD)
        ws = draw(st.sampled_from(["", "\n  ", " "]))
        brk = draw(st.sampled_from(["lb", "pb", "cb"]))
        return f'{a}{ws}<{brk} break="no"/>{ws}{b}', [a + b]
    if kind == "space":
        a, b = draw(WORD), draw(WORD)
        return f"{a}<space/>{b}", [a, b]
    if kind == "name":
        a, b = draw(WORD), draw(WORD)
        return f"<persName><forename>{a}</forename><surname>{b}</surname></persName>", [a, b]
    if kind == "app":
        a, b = draw(WORD), draw(WORD)
        return f'<app><lem>{a}</lem><rdg wit="#W">{b}</rdg></app>', [a, b]
    if kind == "subst":
        a, b = draw(WORD), draw(WORD)
        return f"<subst><del>{a}</del><add>{b}</add></subst>", [a, b]
    if kind == "choice":
        a, b = draw(WORD), draw(WORD)
        return f"<choice><seg>{a}</seg><seg>{b}</seg></choice>", [a, b]
    inner_parts = draw(st.lists(inline(depth + 1), min_size=1, max_size=3))
    xml = " ".join(x for x, _ in inner_parts)
    words = [w for _, ws in inner_parts for w in ws]
    tag = {"hi": '<hi rend="italic">', "seg": "<seg>", "unclear": "<unclear>",
           "stage": "<stage>"}[kind]
    close = "</" + tag[1:].split()[0].rstrip(">") + ">"
    return f"{tag}{xml}{close}", words


DOC = """<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>t</title>
</titleStmt><publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc>
</fileDesc></teiHeader><text><body><p>{}</p></body></text></TEI>"""


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(st.lists(inline(), min_size=1, max_size=6))
def test_random_inline_markup_keeps_every_word(tmp_path: Path,
                                               fragments: list[tuple[str, list[str]]]) -> None:
    xml = DOC.format(" ".join(x for x, _ in fragments))
    words = [w for _, ws in fragments for w in ws]
    path = tmp_path / "random.xml"
    path.write_text(xml, encoding="utf-8")
    parse_bytes(xml.encode(), str(path))  # the reader accepts it
    assert missing_or_extra(words, {"W"}, text_words(transform(path, "text"))) == ""
    assert missing_or_extra(words, set(), html_words(transform(path, "html", site=True))) == ""


# ----- whole sites of other projects' TEI ----------------------------------------------

def test_other_projects_corpora_build_as_sites(tmp_path: Path) -> None:
    """The plays and diary entries of tests/data/corpora/ (see its README) as one site:
    output names from their ids, their language, speakers linked both ways."""
    out = tmp_path / "site"
    result = build(CORPORA, out, validator=valid)
    assert len(result.documents) == len(CORPUS_FILES)
    assert "entry__1879-06-13" in result.documents  # its xml:id ends in '.xml'
    assert not [name for name in result.files if name.endswith(".xml.html")]
    play = html.fromstring((out / "ger000366.html").read_text(encoding="utf-8"))
    assert play.get("lang") == "de"
    speaker = play.xpath("//div[@class='sp']/p[@class='speaker']/a")[0]
    entry = speaker.get("href").split("#")[1]
    persons = html.fromstring((out / "persons.html").read_text(encoding="utf-8"))
    back = persons.xpath(f"//*[@id='{entry}']//a[starts-with(@href, 'ger000366.html#')]")
    assert back and all(play.xpath(f"//*[@id='{a.get('href').split('#')[1]}']") for a in back)
    works = html.fromstring((out / "works.html").read_text(encoding="utf-8"))
    assert "Liebelei" in works.text_content()  # works named without a reference are indexed


def test_a_figure_shows_its_image_from_https_or_from_the_sites_copy(tmp_path: Path) -> None:
    """As a facsimile (SECURITY.md): a local image inside the document's folder is copied
    into the site and shown from there; one over http or outside the folder is not."""
    folder = tmp_path / "ed"
    (folder / "img").mkdir(parents=True)
    png = (TESTS / "data" / "reading" / "edition" / "facs" / "page1.png").read_bytes()
    (folder / "img" / "plate.png").write_bytes(png)
    (tmp_path / "outside.png").write_bytes(png)
    figures = "".join(f'<figure><graphic url="{url}"/><figDesc>Plate {n}</figDesc></figure>'
                      for n, url in enumerate(["img/plate.png", "https://example.org/b.png",
                                               "http://example.org/c.png", "../outside.png"]))
    (folder / "brief.xml").write_text(UNDECLARED.replace("<p>Lieber Freund, es regnet.</p>",
                                                         figures), encoding="utf-8")
    out = tmp_path / "site"
    build(folder, out, validator=valid)
    page = html.fromstring((out / "brief.html").read_text(encoding="utf-8"))
    assert page.xpath("//main//img/@src") == ["facs-brief-img_plate.png",
                                              "https://example.org/b.png"]
    assert (out / "facs-brief-img_plate.png").read_bytes() == png
    assert [name for name in os.listdir(out) if name.startswith("facs-")] == [
        "facs-brief-img_plate.png"]
    assert [" ".join(f.text_content().split()) for f in page.xpath("//main//figure[not(img)]")
            ] == ["Plate 2", "Plate 3"]  # what is not shown is described


# ----- the rules and the language of a corpus, from the command line -------------------

#: A document of another project: it names no schema and declares no language.
UNDECLARED = f"""<TEI xmlns="{TEI_NS}"><teiHeader><fileDesc><titleStmt><title>Ein Brief</title>
</titleStmt><publicationStmt><p>Test.</p></publicationStmt><sourceDesc><p>Test.</p></sourceDesc>
</fileDesc></teiHeader><text><body><p>Lieber Freund, es regnet.</p></body></text></TEI>
"""

#: RelaxNG: any TEI root (ACCEPTING), or only a root element the documents do not have.
RNG = """<grammar xmlns="http://relaxng.org/ns/structure/1.0"><start>
<element><nsName ns="http://www.tei-c.org/ns/1.0"/>{}</element></start>
<define name="any"><element><anyName/><zeroOrMore><choice><attribute><anyName/></attribute>
<text/><ref name="any"/></choice></zeroOrMore></element></define></grammar>"""
ACCEPTING = RNG.format("<zeroOrMore><choice><attribute><anyName/></attribute><text/>"
                       "<ref name='any'/></choice></zeroOrMore>")
REFUSING = RNG.replace('<nsName ns="http://www.tei-c.org/ns/1.0"/>{}',
                       "<name>nothing</name><empty/>")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "brief.xml").write_text(UNDECLARED, encoding="utf-8")
    (tmp_path / "accepting.rng").write_text(ACCEPTING, encoding="utf-8")
    (tmp_path / "refusing.rng").write_text(REFUSING, encoding="utf-8")
    return folder


def test_build_validates_against_the_schema_given(corpus: Path) -> None:
    from click.testing import CliRunner

    from serge_tei.cli import main

    out = corpus.parent / "site"
    refused = CliRunner().invoke(main, ["build", str(corpus), "--out", str(out), "--schema",
                                        str(corpus.parent / "refusing.rng")])
    assert refused.exit_code == 1
    assert "brief.xml:1:1: error:" in refused.output and "[rng.content]" in refused.output
    assert not out.exists()  # nothing published
    built = CliRunner().invoke(main, ["build", str(corpus), "--out", str(out), "--schema",
                                      str(corpus.parent / "accepting.rng"), "--lang", "de"])
    assert built.exit_code == 0, built.output
    assert built.output.startswith("built 1 documents, ")
    page = html.fromstring((out / "brief.html").read_text(encoding="utf-8"))
    assert page.get("lang") == "de"


def test_a_language_is_never_guessed_and_the_configurations_is_used(corpus: Path) -> None:
    from click.testing import CliRunner

    from serge_tei.cli import main

    document = str(corpus / "brief.xml")
    page = CliRunner().invoke(main, ["transform", "--to", "html", document]).output
    assert html.fromstring(page).get("lang") == "und"
    (corpus.parent / "serge-tei.toml").write_text('lang = "de-AT"\n', encoding="utf-8")
    page = CliRunner().invoke(main, ["transform", "--to", "html", document]).output
    assert html.fromstring(page).get("lang") == "de-AT"
    page = CliRunner().invoke(main, ["transform", "--to", "html", document, "--lang", "la"]).output
    assert html.fromstring(page).get("lang") == "la"


@pytest.mark.parametrize("setting", ["lang = 5", 'lang = "deutsch sprache"'])
def test_a_bad_language_in_the_configuration_is_a_located_error(corpus: Path,
                                                                 setting: str) -> None:
    from click.testing import CliRunner

    from serge_tei.cli import main

    config = corpus.parent / "serge-tei.toml"
    config.write_text(f'edition = "corpus"\n{setting}\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["transform", "--to", "text", str(corpus / "brief.xml")])
    assert result.exit_code == 2
    value = setting.split(" = ")[1].strip('"')
    assert result.output == (f"{config}:2:0: error: serge-tei.toml lang must be a language tag "
                             f"such as \"de\" or \"la\", not "
                             f"{int(value) if value.isdigit() else value!r}\n")


def test_a_bad_language_on_the_command_line_is_a_usage_error(corpus: Path) -> None:
    from click.testing import CliRunner

    from serge_tei.cli import main

    result = CliRunner().invoke(main, ["build", str(corpus), "--lang", "x y"])
    assert result.exit_code == 2
    assert "Invalid value for '--lang': 'x y' is not a language tag such as \"de\" or \"la\"" \
        in result.output


# ----- the Nu HTML Checker, once over every output --------------------------------------

def test_every_html_output_is_valid(tmp_path: Path, fixture_site: Path) -> None:
    """vnu (npm package vnu-jar, one JVM) over the pages of every kind the tests make."""
    if not VNU.is_file() or shutil.which("java") is None:
        if os.environ.get("SERGE_TEI_REQUIRE_VNU"):
            pytest.fail(f"SERGE_TEI_REQUIRE_VNU is set but {VNU} or java is missing")
        pytest.skip("the Nu HTML Checker is not installed: run "
                    "`npm install -s --no-audit --no-fund`")
    pages = tmp_path / "pages"
    pages.mkdir()
    for path in [*ALL_DOCUMENTS, TESTS / "data" / "transform" / "unsafe.xml",
                 TESTS / "data" / "browser" / "hostile.xml"]:
        for site in (False, True):
            name = f"{path.stem}.{'site' if site else 'alone'}.html"
            (pages / name).write_text(transform(path, "html", site=site), encoding="utf-8")
    sites = [fixture_site]
    for source in (CORPORA, ROOT / "tei"):
        out = tmp_path / f"site-{source.name}"
        build(source, out, validator=valid)
        sites.append(out)
    files = [str(p) for p in pages.glob("*.html")] + [
        str(p) for site in sites for p in site.glob("*.html")]
    run = subprocess.run(["java", "-jar", str(VNU), "--errors-only", *files],
                         capture_output=True, text=True, timeout=600, check=False)
    assert run.stderr.strip() == "", run.stderr[:3000]
    assert run.returncode == 0 and len(files) > 60
