"""The reading edition as a site: the edition's own pages, order, neighbours, citation,
commentary, authority identifiers, facsimiles, indexes that say where, search, serve.

Built from ``tests/data/reading/edition`` (what each of its parts is for is said in
``diary.xml``). The browser tests (``test_browser.py``) drive the same site.
"""

from __future__ import annotations

import csv
import io
import json
import threading
import urllib.error
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest
from lxml import html

from serge_tei.build import build
from serge_tei.config import Config, load_config
from serge_tei.errors import InputError, UsageError
from serge_tei.serve import HOST, make_server, serve

DATA = Path(__file__).resolve().parent / "data" / "reading"
EDITION = DATA / "edition"


def unchecked(_: Path, __: Config) -> tuple[SimpleNamespace, dict[Path, object]]:
    return SimpleNamespace(exit_code=0, findings=[]), {}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("reading") / "out"
    build(EDITION, out, validator=unchecked)
    return out


def page(site: Path, name: str) -> html.HtmlElement:
    return html.fromstring((site / name).read_text(encoding="utf-8"))


def texts(tree: html.HtmlElement, xpath: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in tree.xpath(xpath)]


# ----- the edition as a whole -------------------------------------------------------------

def test_home_lists_documents_by_date_with_the_editions_title(site: Path) -> None:
    home = page(site, "index.html")
    assert texts(home, "//h1") == ["Reading fixture"]  # the subtitle both documents share
    assert texts(home, "//p[@class='editors']") == ["Edited by Ed Itor"]
    # letter.xml (1935) before diary.xml (1936), although its file name sorts after.
    assert home.xpath("//article[@class='document']//h3/a/@href") == ["letter.html", "diary.html"]


def test_about_page_has_introduction_and_editorial_principles(site: Path) -> None:
    about = page(site, "about.html")
    assert "encodes the notebook of Anna Example" in texts(about, "//main/section[1]")[0]
    principles = texts(about, "//section[@class='principles']")[0]
    assert "Fixture edition, 7 December 2026." in principles
    assert "Every word is kept." in principles and "Corrections" in principles


def test_configured_site_title_editors_base_url_and_introduction(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch
                                                                 ) -> None:
    project = tmp_path / "project"
    (project / "tei").mkdir(parents=True)
    for source in EDITION.glob("*.xml"):
        (project / "tei" / source.name).write_bytes(source.read_bytes())
    (project / "intro.txt").write_text("First paragraph\nof the introduction.\n\nSecond one.\n",
                                       encoding="utf-8")
    (project / "pyproject.toml").write_text(
        '[tool.serge-tei]\nedition = "tei"\n[tool.serge-tei.site]\ntitle = "Letters and Days"\n'
        'base-url = "https://example.org/days"\neditors = ["A. Editor", "B. Editor"]\n'
        'introduction = "intro.txt"\n', encoding="utf-8")
    config = load_config(project)
    assert config.site.base_url == "https://example.org/days/"
    build(project / "tei", project / "out", config=config, validator=unchecked)
    home, about = page(project / "out", "index.html"), page(project / "out", "about.html")
    assert texts(home, "//h1") == ["Letters and Days"]
    assert texts(home, "//p[@class='editors']") == ["Edited by A. Editor, B. Editor"]
    assert texts(about, "//main/section[1]/p") == ["First paragraph of the introduction.",
                                              "Second one."]
    diary = page(project / "out", "diary.html")
    citation = texts(diary, "//details[@class='record']/p[@class='citation']")[0]
    assert citation.startswith("Anna Example, “Diary of Anna Example: Pages from a Notebook")
    assert ("ed. A. Editor, B. Editor, in Letters and Days, serge-tei tests, 2026, "
            "https://example.org/days/diary.html. Accessed: give the date") in citation
    entry = texts(diary, "//article[@id='e2']//p[@class='citation']")[0]
    assert "entry “Anna Example, May 8, 1937, Twocity”" in entry
    assert "https://example.org/days/diary.html#e2." in entry


@pytest.mark.parametrize(("setting", "message"), [
    ('base-url = "javascript:alert(1)"', r"base-url must be an http\(s\) URL"),
    ('editors = "one"', "editors must be a list"),
    ('introduction = "../outside.txt"', "introduction must be a file inside the project"),
])
def test_bad_site_settings_are_usage_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            setting: str, message: str) -> None:
    project = tmp_path / "p"
    (project / "tei").mkdir(parents=True)
    (tmp_path / "outside.txt").write_text("secret", encoding="utf-8")
    for source in EDITION.glob("*.xml"):
        (project / "tei" / source.name).write_bytes(source.read_bytes())
    (project / "pyproject.toml").write_text(
        f'[tool.serge-tei]\nedition = "tei"\n[tool.serge-tei.site]\n{setting}\n', encoding="utf-8")
    with pytest.raises(UsageError, match=message):
        build(project / "tei", project / "out", config=load_config(project), validator=unchecked)
    assert not (project / "out").exists()


def test_previous_and_next_follow_the_order_when_prev_names_no_document(site: Path) -> None:
    letter, diary = page(site, "letter.html"), page(site, "diary.html")
    assert letter.xpath("//nav[@class='prev-next']/a/@href") == ["diary.html"]
    assert letter.xpath("//a[@rel='next']/@href") == ["diary.html"]
    assert diary.xpath("//a[@rel='prev']/@href") == ["letter.html"]
    assert not diary.xpath("//a[@rel='next']")


def test_record_is_collapsed_and_has_the_persistent_identifier(site: Path) -> None:
    diary = page(site, "diary.html")
    record = diary.xpath("//details[@class='record']")[0]
    assert record.get("open") is None
    assert record.xpath(".//p[@class='pid']/a/@href") == ["https://doi.org/10.5555/example.diary"]


def test_entry_headings_are_not_links_and_alike_ones_get_their_date(site: Path) -> None:
    diary = page(site, "diary.html")
    assert not diary.xpath("//article[@class='entry']/h2//a")
    assert texts(diary, "//article[@class='entry']/h2") == [
        "Anna Example (November 20, 1936, Twocity)", "Anna Example (May 8, 1937, Twocity)"]
    assert diary.xpath("//article[@class='entry']/h2/span[contains(@class, 'name')]/@id")
    assert len(diary.xpath("//article[@class='entry']/details[@class='cite-entry']")) == 2


# ----- annotations --------------------------------------------------------------------------

def test_commentary_marker_at_its_target_and_listed_apart(site: Path) -> None:
    diary = page(site, "diary.html")
    at_date = diary.xpath("//time[@datetime='1936-11-20']/a[@class='noteref commentary']")[0]
    assert at_date.get("href") == "#c-date" and at_date.get("aria-label") == "Editor’s commentary 1"
    # At a name: after the link (never inside it), in the name's own span.
    at_name = diary.xpath("//a[@id='c-bert-ref']")[0]
    assert not at_name.xpath("ancestor::a") and at_name.getparent().get("class") == "name person"
    listed = diary.xpath("//aside[contains(@class, 'commentary')]//li")
    assert [li.get("id") for li in listed] == ["c-date", "c-bert"]
    assert listed[1].xpath(".//a[@class='backref']/@aria-label") == [
        "Back to commentary 2 in the text"]
    assert "— Ed Itor" in listed[0].text_content()
    footnotes = diary.xpath("//aside[@class='notes']//li")
    assert [li.get("id") for li in footnotes] == ["fn1"]
    assert "was written on 21 November" not in diary.xpath("//article[@class='text']")[0] \
        .text_content().replace(listed[0].text_content(), "")


def test_correction_inside_a_name_is_told_in_the_names_tip(site: Path) -> None:
    diary = page(site, "diary.html")
    link = diary.xpath("//a[@href='orgs.html#club']")[0]
    assert not link.xpath(".//*[@tabindex]")
    tip = diary.xpath(f"//*[@id='{link.get('aria-describedby')}']")[0]
    assert " ".join(tip.text_content().split()) == (
        "Organisation: The Reading Club: Fictional club. Corrected; the source reads: “Cluub”")
    alone = diary.xpath("//span[@class='choice'][@tabindex='0']")
    assert [c.xpath("string(ins)") for c in alone] == ["misprint"]
    assert texts(diary, f"//*[@id='{alone[0].get('aria-describedby')}']") == [
        "Corrected; the source reads: “mispint”"]


def test_facsimiles_local_copied_remote_https_others_not_published(site: Path) -> None:
    diary = page(site, "diary.html")
    assert diary.xpath("//details[@class='facsimile']//img/@src") == [
        "facs-diary-facs_page1.png", "https://example.org/images/page2.jpg"]
    assert (site / "facs-diary-facs_page1.png").read_bytes() == \
        (EDITION / "facs" / "page1.png").read_bytes()
    assert len(diary.xpath("//details[@class='facsimile']//span[@class='unavailable']")) == 3
    # A page break's @facs links to its image.
    assert diary.xpath("//a[@class='facs-link']/@href") == ["#s1"]
    assert diary.xpath("//details[@class='facsimile']//li[1]/@id") == ["s1"]
    assert not [p for p in site.iterdir() if "outside" in p.name]


# ----- indexes ------------------------------------------------------------------------------

def test_occurrences_say_where_with_context(site: Path) -> None:
    persons = page(site, "persons.html")
    occurrences = texts(persons, "//div[@id='bert']//dd[@class='occurrences']/ul/li/ol/li")
    assert occurrences[0] == "Dear Bert, come to Twocity."
    assert occurrences[1] == ("Anna Example, November 20, 1936, Twocity: "
                              "Met Bert Sample at the Club.")
    assert texts(persons, "//div[@id='bert']//dd[@class='occurrences']/ul/li/a") == [
        "A Letter to Bert", "Diary of Anna Example"]  # short titles, not the whole title


def test_works_are_sorted_without_leading_articles(site: Path) -> None:
    works = page(site, "works.html")
    assert texts(works, "//span[@class='entry-name']") == [
        "L’An premier", "The Case of Comrade Tulayev", "Les Derniers Temps", "Die Zeit"]
    assert works.xpath("//nav[@class='letters']//a/text()") == ["A", "C", "D", "Z"]


def test_authority_identifiers_link_in_the_index_and_fill_json_and_csv(site: Path) -> None:
    persons = page(site, "persons.html")
    assert persons.xpath("//div[@id='anna']//dd[@class='idno']//a/@href") == [
        "https://www.wikidata.org/wiki/Q4115189", "https://viaf.org/viaf/123456789",
        "https://d-nb.info/gnd/11082959X", "https://id.loc.gov/authorities/names/n79021164"]
    # An identifier not in its documented form is shown, never linked.
    assert texts(persons, "//div[@id='bert']//dd[@class='idno']//li") == ["Wikidata not-an-id"]
    assert not persons.xpath("//div[@id='bert']//dd[@class='idno']//a")
    assert page(site, "places.html").xpath("//dd[@class='idno']//a/@href") == [
        "https://www.geonames.org/2950159"]

    entries = {e["id"]: e for e in json.loads((site / "persons.json").read_text())["entries"]}
    assert entries["anna"]["identifiers"][0] == {
        "type": "wikidata", "id": "Q4115189", "url": "https://www.wikidata.org/wiki/Q4115189"}
    assert entries["bert"]["identifiers"] == [{"type": "wikidata", "id": "not-an-id", "url": None}]
    occurrence = entries["bert"]["documents"][1]["occurrences"][0]
    assert occurrence["where"] == "Anna Example, November 20, 1936, Twocity"
    assert (occurrence["before"], occurrence["after"]) == ("Met", "at the Club.")
    assert entries["bert"]["documents"][1]["shortTitle"] == "Diary of Anna Example"

    rows = {r["id"]: r for r in csv.DictReader(io.StringIO((site / "persons.csv").read_text()))}
    assert (rows["anna"]["wikidata"], rows["anna"]["viaf"], rows["anna"]["gnd"],
            rows["anna"]["lccn"], rows["anna"]["geonames"]) == (
        "Q4115189", "123456789", "11082959X", "n79021164", "")


# ----- search and serve -----------------------------------------------------------------------

def test_search_index_covers_the_texts_only(site: Path) -> None:
    assert (site / "pagefind" / "pagefind.js").is_file()
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text())
    assert sum(lang["page_count"] for lang in entry["languages"].values()) == 2  # two texts
    diary = page(site, "diary.html")
    assert diary.xpath("//main/@data-pagefind-body") == [""]
    assert diary.xpath("//a[@data-pagefind-filter='person:Bert Sample']")
    assert not diary.xpath("//span[@class='tip'][not(@data-pagefind-ignore)]")


def test_serve_serves_the_site_on_localhost_only(site: Path) -> None:
    server = make_server(site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        assert server.server_address[0] == HOST and server.url.startswith(f"http://{HOST}:")
        with urllib.request.urlopen(server.url + "pagefind/pagefind.js") as reply:
            assert reply.headers["Content-Type"] == "text/javascript"
        with urllib.request.urlopen(server.url) as reply:
            assert b"Reading fixture" in reply.read()
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(server.url + "pagefind/")
        info.value.close()
        assert info.value.code == 404  # no folder listings
    finally:
        server.shutdown()
        server.server_close()


def test_serve_stops_cleanly_on_ctrl_c(site: Path) -> None:
    seen: list[str] = []

    def interrupt(url: str) -> None:
        seen.append(url)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        serve(site, ready=interrupt)
    port = int(seen[0].rsplit(":", 1)[1].strip("/"))
    again = make_server(site, port)  # the port was released
    again.server_close()


def test_serve_refuses_a_folder_that_is_not_a_site(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a site written by serge-tei build"):
        make_server(tmp_path)
