"""The published site in a real browser: headless Chromium driven by Playwright.

The sites are built into temporary folders and opened from disk (``file://``),
as a reader who downloaded them would, or served by ``serge-tei serve`` where
search needs it: the edition in ``tei/``, the reading fixture
(``tests/data/reading/``) and a 150-entry diary made from two Schnitzler
entries. The tests skip when no Chromium is found, unless
``SERGE_TEI_REQUIRE_BROWSER`` is set (CI sets it): then a missing browser is a
failure, so that CI cannot pass by skipping them.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from serge_tei.build import build
from serge_tei.config import Config
from serge_tei.resources import xslt_dir
from serge_tei.serve import SiteServer, make_server
from serge_tei.transform import transform

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
HOSTILE = DATA / "browser" / "hostile.xml"
READING = DATA / "reading" / "edition"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
DIARY = "serge-diary-1936-1937.html"
REVIEW = "ali-inquisition-mode.html"

#: Flags for a quiet, offline headless Chromium (the Debian package, not a downloaded one).
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]

#: Every element the stylesheets may write into a reading edition; nothing else may appear.
HTML_ELEMENTS = frozenset({
    "html", "head", "meta", "title", "link", "body", "a", "header", "nav", "ul", "ol", "li",
    "main", "footer", "div", "p", "span", "h1", "h2", "h3", "h4", "h5", "h6", "details",
    "summary", "article", "aside", "section", "sup", "ins", "del", "em", "cite", "q", "b",
    "script", "button", "figure", "img",
    "blockquote", "figcaption", "time", "abbr", "br", "table", "caption", "tbody",
    "tr", "td", "dl", "dt", "dd", "th", "thead"})


def find_chromium() -> str | None:
    """The system Chromium: ``$SERGE_TEI_CHROMIUM``, else the usual names on PATH."""
    if explicit := os.environ.get("SERGE_TEI_CHROMIUM"):
        return explicit if Path(explicit).is_file() else None
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        if found := shutil.which(name):
            return found
    return None


def _unavailable(reason: str) -> None:
    if os.environ.get("SERGE_TEI_REQUIRE_BROWSER"):
        pytest.fail(f"SERGE_TEI_REQUIRE_BROWSER is set but {reason}")
    pytest.skip(f"{reason}; install the Debian package chromium (or set SERGE_TEI_CHROMIUM) "
                "to run the browser tests")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = find_chromium()
    if executable is None:
        where = os.environ.get("SERGE_TEI_CHROMIUM") or "chromium, chromium-browser, google-chrome"
        _unavailable(f"no Chromium was found ({where})")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed (pip install -e '.[test]')")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "out"
    build(ROOT / "tei", out)
    return out


def unchecked(_: Path, __: Config) -> tuple[SimpleNamespace, dict[Path, object]]:
    """A validator that accepts: these sites test publishing, not the fixtures' schema."""
    return SimpleNamespace(exit_code=0, findings=[]), {}


@pytest.fixture(scope="module")
def reading_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("reading") / "out"
    build(READING, out, validator=unchecked)
    return out


@contextmanager
def serving(folder: Path) -> Iterator[SiteServer]:
    server = make_server(folder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    with serving(site) as server:
        yield server.url


@dataclass
class Watch:
    """What a page did besides rendering: requests, dialogs, console output, script errors."""

    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _dismiss(watch: Watch, dialog: Any) -> None:
    watch.dialogs.append(f"{dialog.type}: {dialog.message}")
    dialog.dismiss()


def open_page(browser: Any, url: str, *, javascript: bool = True, width: int = 1000,
              height: int = 800, touch: bool = False) -> tuple[Any, Watch]:
    """A fresh page at *url*, in its own context, with everything it does recorded."""
    context = browser.new_context(java_script_enabled=javascript, has_touch=touch,
                                  is_mobile=touch, viewport={"width": width, "height": height})
    context.set_default_timeout(10_000)
    page = context.new_page()
    watch = Watch()
    page.on("request", lambda request: watch.requests.append(request.url))
    page.on("dialog", lambda dialog: _dismiss(watch, dialog))
    page.on("console", lambda message: watch.console.append(message.text))
    page.on("pageerror", lambda error: watch.errors.append(str(error)))
    page.goto(url)
    return page, watch


def target_id(page: Any) -> str | None:
    """The id of the element the URL's fragment selects (``:target``)."""
    return page.evaluate("document.querySelector(':target')?.id ?? null")


def in_viewport(page: Any, element_id: str) -> bool:
    return page.evaluate("""id => {
        const r = document.getElementById(id).getBoundingClientRect();
        return r.bottom > 0 && r.top < window.innerHeight && r.height > 0;
    }""", element_id)


def box(page: Any, selector: str) -> dict[str, float]:
    return page.evaluate("""s => { const r = document.querySelector(s).getBoundingClientRect();
        return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; }""", selector)


# ----- navigation ---------------------------------------------------------------------------

def test_person_link_to_index_entry_and_back(browser: Any, site: Path) -> None:
    page, watch = open_page(browser, (site / DIARY).as_uri())
    name = page.locator("main article.text .name.person > a").nth(5)
    anchor, href, text = name.get_attribute("id"), name.get_attribute("href"), name.inner_text()
    assert href and href.startswith("persons.html#")
    entry = href.split("#", 1)[1]
    name.click()
    page.wait_for_url(f"**/persons.html#{entry}")
    assert target_id(page) == entry and in_viewport(page, entry)

    # The entry lists this very occurrence, saying where it is; its link returns to the place.
    back = page.locator(f"#{entry} a[href='{DIARY}#{anchor}']")
    assert back.count() == 1
    assert text in back.inner_text() and len(back.inner_text()) > 30
    back.click()
    page.wait_for_url(f"**/{DIARY}#{anchor}")
    assert target_id(page) == anchor and in_viewport(page, anchor)
    assert page.locator(f"#{anchor}").inner_text() == text
    assert all(url.startswith("file://") for url in watch.requests), watch.requests
    page.context.close()


def test_footnote_opens_in_place_and_escape_returns_to_marker(browser: Any, site: Path) -> None:
    page, watch = open_page(browser, (site / DIARY).as_uri(), width=390, height=844)
    marker = page.locator("main a.noteref").nth(1)
    marker.scroll_into_view_if_needed()
    before = page.evaluate("window.scrollY")
    assert marker.get_attribute("aria-label") == f"Note {marker.inner_text()}"
    marker.click()
    note = page.locator(".note-pop[role='dialog']")
    assert note.is_visible() and page.evaluate("window.scrollY") == before
    listed = page.locator(f"#{marker.get_attribute('data-note')} .note-body").inner_text()
    assert listed.strip() and listed.strip() in note.inner_text()
    popped = box(page, ".note-pop")
    assert popped["left"] >= 0 and popped["right"] <= 390
    page.keyboard.press("Escape")
    assert note.count() == 0
    assert page.evaluate("document.activeElement.id") == marker.get_attribute("id")
    assert watch.errors == []
    page.context.close()


def test_back_link_returns_to_the_exact_spot(browser: Any, site: Path) -> None:
    page, _ = open_page(browser, (site / DIARY).as_uri())
    marker = page.locator("main a.noteref").nth(2)
    marker.scroll_into_view_if_needed()
    page.mouse.wheel(0, 150)
    page.wait_for_timeout(100)
    spot = page.evaluate("window.scrollY")
    marker.click()
    page.locator(".note-pop a.note-pop-more").click()
    note_id = marker.get_attribute("data-note")
    assert target_id(page) == note_id and in_viewport(page, note_id)
    back = page.locator(f"#{note_id} a.backref")
    assert back.get_attribute("aria-label") == f"Back to note {back.inner_text()} in the text"
    back.click()
    assert page.evaluate("window.scrollY") == spot
    assert page.evaluate("document.activeElement.id") == marker.get_attribute("id")
    page.context.close()


def test_footnotes_without_javascript_jump_and_come_back_mid_screen(browser: Any,
                                                                     site: Path) -> None:
    page, _ = open_page(browser, (site / DIARY).as_uri(), javascript=False)
    marker = page.locator("main a.noteref").nth(1)
    marker_id, note_href = marker.get_attribute("id"), marker.get_attribute("href")
    note_id = note_href[1:]
    marker.click()
    page.wait_for_url(f"**#{note_id}")
    assert target_id(page) == note_id and in_viewport(page, note_id)
    assert not in_viewport(page, marker_id)  # the notes are at the end without the script
    page.locator(f"#{note_id} a.backref").click()
    page.wait_for_url(f"**#{marker_id}")
    top = box(page, f"#{marker_id}")["top"]
    assert 0.2 * 800 < top < 0.6 * 800  # mid-screen, with the sentence above it in view
    page.context.close()


# ----- annotations --------------------------------------------------------------------------

def test_keyboard_tab_to_a_name_shows_its_tip_and_escape_closes_it(browser: Any,
                                                                  site: Path) -> None:
    page, watch = open_page(browser, (site / DIARY).as_uri())
    first = page.locator("main article.text .name.person > a").first
    first.evaluate("a => a.previousElementSibling ? 0 : 0")
    page.evaluate("document.querySelector('main article.text').focus?.()")
    page.locator("main article.text").evaluate(
        "el => { el.setAttribute('tabindex', '-1'); el.focus(); }")
    for _ in range(40):  # Tab through the text's start until the first person's name
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.name.person') !== null"):
            break
    name = page.locator(":focus")
    tip = page.locator(f"#{name.get_attribute('aria-describedby')}")
    assert tip.is_visible() and tip.inner_text().startswith("Person: ")
    page.keyboard.press("Escape")
    assert tip.is_hidden()
    assert page.evaluate("document.activeElement.getAttribute('aria-describedby')") == \
        name.get_attribute("aria-describedby")
    assert watch.errors == []
    page.context.close()


def test_every_tip_stays_inside_a_320_px_viewport(browser: Any, site: Path) -> None:
    page, _ = open_page(browser, (site / DIARY).as_uri(), width=320, height=640)
    outside = page.evaluate("""() => [...document.querySelectorAll(
            '.name > a[aria-describedby], .choice[aria-describedby]')].filter(a => {
        a.focus();
        const tip = document.getElementById(a.getAttribute('aria-describedby'));
        const r = tip.getBoundingClientRect();
        return tip.hidden || r.left < 0 || r.right > 320 || r.top < 0 || r.bottom > 640;
    }).map(a => a.textContent)""")
    assert outside == []
    assert page.locator(".name > a[aria-describedby]").count() > 150
    page.context.close()


def test_tap_on_a_name_shows_its_tip_and_stays_in_the_text(browser: Any, site: Path) -> None:
    page, _ = open_page(browser, (site / DIARY).as_uri(), width=390, height=844, touch=True)
    url = page.url
    name = page.locator("main article.text .name.place > a").nth(2)
    name.scroll_into_view_if_needed()
    name.tap()
    tip = page.locator(f"#{name.get_attribute('aria-describedby')}")
    assert tip.is_visible() and tip.inner_text().startswith("Place: ")
    assert page.url == url
    tipped = box(page, f"#{name.get_attribute('aria-describedby')}")
    assert tipped["left"] >= 0 and tipped["right"] <= 390
    name.tap()  # a second tap follows the link to the index entry
    page.wait_for_url("**/places.html#*")
    page.context.close()


def test_hover_shows_and_leaving_hides_the_tip(browser: Any, site: Path) -> None:
    page, _ = open_page(browser, (site / DIARY).as_uri())
    name = page.locator("main article.text .name.org > a").first
    tip = page.locator(f"#{name.get_attribute('aria-describedby')}")
    name.hover()
    assert tip.is_visible() and tip.inner_text().startswith("Organisation: ")
    page.locator("h1").hover()
    page.wait_for_timeout(400)
    assert tip.is_hidden()
    page.context.close()


def test_a_correction_inside_a_name_is_one_tab_stop_with_one_tip(browser: Any,
                                                                  site: Path) -> None:
    page, _ = open_page(browser, (site / REVIEW).as_uri())
    # Nothing focusable inside a link, and no link inside a link, anywhere in the text.
    assert page.evaluate("document.querySelectorAll('a [tabindex], a a, a button').length") == 0
    link = page.locator(".name > a:has(.choice)").first
    link.focus()
    tip = page.locator(f"#{link.get_attribute('aria-describedby')}")
    text = tip.inner_text()
    assert text.startswith("Place: Mexico City") and "the source reads: “Mexico city”" in text
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.name > a:has(.choice)')") is None
    page.context.close()


def test_without_the_stylesheet_no_identification_is_spliced_into_the_text(browser: Any,
                                                                          site: Path) -> None:
    page, _ = open_page(browser, (site / DIARY).as_uri(), javascript=False)
    page.evaluate("document.querySelectorAll('link[rel=stylesheet]').forEach(l => l.remove())")
    text = page.locator("main article.text").inner_text()
    assert "Battle for Madrid, suicide of Salengro, Jean Guéhenno at Vigilance" in text
    assert "Capital of Spain" not in text and "Person:" not in text
    page.context.close()


def test_kinds_of_names_differ_by_more_than_colour(browser: Any, site: Path) -> None:
    page, _ = open_page(browser, (site / DIARY).as_uri())
    styles = page.evaluate("""() => ['person', 'place', 'org', 'work'].map(kind =>
        getComputedStyle(document.querySelector(`.name.${kind} > a`)).textDecorationStyle)""")
    assert len(set(styles)) == 4
    page.context.close()


def test_plain_reading_hides_the_annotations_and_is_remembered(browser: Any,
                                                                site: Path) -> None:
    page, _ = open_page(browser, (site / DIARY).as_uri())
    switch = page.locator("button.plain-switch")
    name = page.locator("main article.text .name.person > a").first
    assert switch.is_visible() and switch.get_attribute("aria-pressed") == "false"
    switch.click()
    assert switch.get_attribute("aria-pressed") == "true"
    assert name.evaluate("a => getComputedStyle(a).textDecorationLine") == "none"
    name.focus()
    assert page.locator(f"#{name.get_attribute('aria-describedby')}").is_hidden()
    page.reload()
    assert page.evaluate("document.documentElement.classList.contains('plain')")
    assert page.locator("button.plain-switch").get_attribute("aria-pressed") == "true"
    page.locator("button.plain-switch").click()
    page.reload()
    assert not page.evaluate("document.documentElement.classList.contains('plain')")
    page.context.close()


def test_the_text_starts_on_the_first_screen_of_a_phone(browser: Any, site: Path) -> None:
    page, _ = open_page(browser, (site / DIARY).as_uri(), width=390, height=844)
    assert box(page, "main article.text")["top"] < 844
    assert page.locator("details.record").get_attribute("open") is None
    page.context.close()


def test_dark_mode_and_print_style(browser: Any, site: Path) -> None:
    page, _ = open_page(browser, (site / DIARY).as_uri())
    page.emulate_media(color_scheme="dark")
    channels = page.evaluate("""() => getComputedStyle(document.body).backgroundColor
        .match(/\\d+/g).slice(0, 3).map(Number)""")
    assert max(channels) < 60
    page.emulate_media(media="print", color_scheme="light")
    printed = page.evaluate("""() => getComputedStyle(
        document.querySelector('footer a[href^="https:"]'), '::after').content""")
    assert "https://creativecommons.org/licenses/by/4.0/" in printed
    assert page.locator("nav[aria-label='Site']").is_hidden()
    page.context.close()


# ----- the reading fixture: commentary, identifiers, facsimiles, order -----------------------

def test_commentary_opens_at_its_target_apart_from_the_footnotes(browser: Any,
                                                                 reading_site: Path) -> None:
    page, watch = open_page(browser, (reading_site / "diary.html").as_uri())
    marker = page.locator("time a.noteref.commentary")
    assert marker.get_attribute("aria-label") == "Editor’s commentary 1"
    marker.click()
    pop = page.locator(".note-pop")
    assert "Editor’s commentary" in pop.inner_text() and "21 November" in pop.inner_text()
    page.keyboard.press("Escape")
    assert page.locator("aside.commentary h2").inner_text() == "Editor’s commentary"
    assert page.locator("aside.commentary li").count() == 2
    assert page.locator("aside.notes:not(.commentary) li").count() == 1
    assert all(url.startswith("file://") for url in watch.requests), watch.requests
    page.context.close()


def test_facsimile_images_local_copied_and_unsafe_ones_inert(browser: Any,
                                                            reading_site: Path) -> None:
    page, watch = open_page(browser, (reading_site / "diary.html").as_uri())
    page.locator("a.facs-link").click()  # a page break's link opens the facsimile at its image
    assert page.locator("details.facsimile").get_attribute("open") is not None
    assert in_viewport(page, "s1")
    local = page.locator("details.facsimile img[src^='facs-']")
    local.scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelector('img[src^=\"facs-\"]').naturalWidth > 0")
    srcs = page.evaluate("() => [...document.querySelectorAll('img')]"
                         ".map(i => i.getAttribute('src'))")
    assert srcs == ["facs-diary-facs_page1.png", "https://example.org/images/page2.jpg"]
    unpublished = page.locator("details.facsimile .unavailable").all_inner_texts()
    assert len(unpublished) == 3 and any("../outside.png" in t for t in unpublished)
    assert not (reading_site / "facs-diary-.._outside.png").exists()
    assert [u for u in watch.requests if not u.startswith("file://")] in (
        [], ["https://example.org/images/page2.jpg"])  # never javascript: or data:
    page.context.close()


# ----- accessibility and validity of every kind of page ----------------------------------------

#: axe-core rule sets: WCAG 2.0, 2.1 and 2.2, levels A and AA (target-size is WCAG 2.2 AA).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PAGES = ["index.html", DIARY, REVIEW, "persons.html", "places.html", "orgs.html", "works.html",
         "about.html", "search.html"]


@pytest.mark.parametrize("width", [1280, 390])
def test_no_accessibility_violations_on_any_page(browser: Any, site: Path, width: int) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    page, watch = open_page(browser, (site / PAGES[0]).as_uri(), width=width)
    found = {}
    for name in PAGES:
        page.goto((site / name).as_uri())
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}}).response
        assert results["testEngine"]["name"] == "axe-core"  # the check really ran
        assert any(rule["id"] == "target-size" for rule in results["passes"])
        # Reflow (WCAG 1.4.10): nothing wider than the window, no sideways scrolling.
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name
        found[name] = [f"{v['id']} ({v['impact']}): {v['help']} — "
                       + "; ".join(n["target"][0] for n in v["nodes"][:3])
                       for v in results["violations"]]
    assert {name: v for name, v in found.items() if v} == {}
    assert all(url.startswith("file://") for url in watch.requests), watch.requests
    page.context.close()


def test_dark_mode_has_no_contrast_violations(browser: Any, site: Path) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page, _ = open_page(browser, (site / DIARY).as_uri())
    page.emulate_media(color_scheme="dark")
    results = Axe().run(page, options={"runOnly": {"type": "rule",
                                                   "values": ["color-contrast"]}}).response
    assert results["violations"] == []
    page.context.close()


def vnu_errors(pages: list[Path]) -> list[str]:
    """The Nu HTML Checker's errors for *pages* (vnu.jar from npm, run by Java)."""
    if not VNU.is_file() or shutil.which("java") is None:
        _unavailable("the Nu HTML Checker is not installed (npm install, and Java)")
    run = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "gnu",
                          *map(str, pages)], capture_output=True, text=True, timeout=300,
                         check=False)
    return [line for line in (run.stdout + run.stderr).splitlines() if line.strip()]


def test_every_page_is_valid_html(site: Path, reading_site: Path) -> None:
    pages = sorted(site.glob("*.html")) + sorted(reading_site.glob("*.html"))
    assert len(pages) >= 15
    assert vnu_errors(pages) == []


# ----- search --------------------------------------------------------------------------------

def test_search_from_disk_says_how_to_serve_the_site(browser: Any, site: Path) -> None:
    page, watch = open_page(browser, (site / "search.html").as_uri())
    assert "serge-tei serve" in page.locator("#search-offline").inner_text()
    assert page.locator("#search-offline").is_visible()
    assert page.locator("form.search-form").is_hidden()
    assert watch.errors == []
    page.context.close()


def test_search_by_word_and_person_opens_at_the_hit(browser: Any, served: str) -> None:
    page, watch = open_page(browser, served + "search.html")
    page.locator("#q").fill("stoolpigeon")
    page.locator("form.search-form button").click()
    result = page.locator("ol.search-results a").first
    result.wait_for()
    assert page.locator("ol.search-results li").count() == 1
    assert DIARY in result.get_attribute("href")
    result.click()
    page.wait_for_url(f"**/{DIARY}*")
    hit = page.locator("mark.hit")
    hit.wait_for()
    assert hit.inner_text().lower() == "stoolpigeon" and hit.is_visible()
    assert 0 < box(page, "mark.hit")["top"] < 800

    # By person: the filter lists the index's names; only the diary mentions Naville.
    page.goto(served + "search.html")
    page.locator("#person option[value='Pierre Naville']").wait_for(state="attached")
    page.locator("#person").select_option("Pierre Naville")
    page.locator("form.search-form button").click()
    page.locator("ol.search-results a").first.wait_for()
    hrefs = page.locator("ol.search-results a").evaluate_all("as => as.map(a => a.href)")
    assert hrefs and all(DIARY in h for h in hrefs)
    # The search page as a reader uses it (form and results shown) is accessible too.
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}}).response
    assert results["violations"] == []
    assert watch.errors == []
    page.context.close()


# ----- a real corpus: 150 diary entries ------------------------------------------------------

def _load_diary() -> Any:
    spec = importlib.util.spec_from_file_location("reading_diary", DATA / "reading" / "diary.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


diary = _load_diary()
KNOWN_WORD = diary.KNOWN_WORD


@pytest.fixture(scope="module")
def diary_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    source = tmp_path_factory.mktemp("diary-tei")
    days = diary.make_diary(source)
    out = tmp_path_factory.mktemp("diary") / "out"
    result = build(source, out, validator=unchecked)
    assert len(result.documents) == 150 and "search index" in result.search
    return out, days


def test_150_entries_home_page_is_grouped_by_year_and_short(browser: Any,
                                                           diary_site: tuple[Path, list[str]]
                                                           ) -> None:
    site, days = diary_site
    page, _ = open_page(browser, (site / "index.html").as_uri(), width=390, height=844)
    years = sorted({d[:4] for d in days})
    assert page.locator("section.year h3").all_inner_texts() == years
    assert page.locator("nav.years a").count() == len(years)
    assert page.locator("ol.doclist a").count() == 150
    # Within 3 screens per 20 documents, and no bibliography repeated per entry.
    assert page.evaluate("document.documentElement.scrollHeight") <= 150 / 20 * 3 * 844
    assert page.locator("main").inner_text().count("Tagebuch 1879-1892") <= 1
    # In order of date: the first entry of the list is the earliest.
    first = page.locator("ol.doclist a").first
    assert first.inner_text() == "Freitag, 13. Juni 1879"
    page.context.close()


def test_150_entries_previous_and_next(browser: Any, diary_site: tuple[Path, list[str]]) -> None:
    site, days = diary_site
    page, _ = open_page(browser, (site / "index.html").as_uri())
    page.locator("ol.doclist a").first.click()
    assert page.locator("a[rel='prev']").count() == 0  # @prev names an entry not in the site
    titles = [page.locator("h1").inner_text()]
    for _ in range(3):
        page.locator("nav.prev-next a[rel='next']").click()
        titles.append(page.locator("h1").inner_text())
    assert len(set(titles)) == 4 and titles[3].endswith(days[3][:4])
    page.locator("nav.prev-next a[rel='prev']").click()
    assert page.locator("h1").inner_text() == titles[2]
    page.context.close()


def test_150_entries_search_finds_a_known_word(browser: Any,
                                               diary_site: tuple[Path, list[str]]) -> None:
    site, days = diary_site
    with serving(site) as server:
        page, watch = open_page(browser, server.url + "search.html?q=" + KNOWN_WORD)
        result = page.locator("ol.search-results a").first
        result.wait_for()
        assert page.locator("ol.search-results li").count() == 1
        result.click()
        page.locator("mark.hit").wait_for()
        assert page.locator("h1").inner_text().endswith(days[77][:4])
        assert watch.errors == []
        page.context.close()


def test_150_entries_are_valid_html(diary_site: tuple[Path, list[str]]) -> None:
    site, _ = diary_site
    pages = [site / "index.html", site / "about.html", site / "persons.html",
             *sorted(site.glob("entry__*.html"))[:5]]
    assert vnu_errors(pages) == []


# ----- hostile input --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    # as published in a site (every kind of link), with the site's stylesheet beside it
    (folder / "hostile.html").write_text(transform(HOSTILE, "html", site=True),
                                         encoding="utf-8")
    shutil.copyfile(xslt_dir() / "edition.css", folder / "edition.css")
    return folder / "hostile.html"


def test_hostile_input_runs_nothing_and_links_nowhere_unsafe(browser: Any,
                                                             hostile_page: Path) -> None:
    page, watch = open_page(browser, hostile_page.as_uri())
    # What the browser itself makes of every link (its own URL parser is the judge).
    protocols = page.evaluate("""() => [...document.querySelectorAll('[href]')]
        .map(e => new URL(e.getAttribute('href'), document.baseURI).protocol)""")
    assert set(protocols) <= {"file:", "http:", "https:", "mailto:"}
    assert page.locator("a[href^='https://example.org/'], a[href^='HTTP://']").count() == 2
    assert page.locator("a[href='mailto:editor@example.org']").count() == 1

    tags = set(page.evaluate("() => [...document.querySelectorAll('*')].map(e => e.localName)"))
    assert tags <= HTML_ELEMENTS, tags - HTML_ELEMENTS
    attributes = set(page.evaluate("""() => [...document.querySelectorAll('*')]
        .flatMap(e => [...e.attributes].map(a => a.name))"""))
    assert not {a for a in attributes if a.startswith("on")}
    assert not attributes & {"style", "srcdoc", "action", "formaction", "data",
                             "http-equiv", "xlink:href"}
    # The one thing loaded from a src is the site's own script.
    assert page.evaluate("() => [...document.querySelectorAll('[src]')].map(e => e.outerHTML)"
                         ) == ['<script src="edition.js" defer=""></script>']

    # Set every handler a payload could hide behind going: hover, focus and click it all.
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    for element in page.locator("main *").all():
        if element.is_visible():
            element.hover()
    for link in page.locator("main a[href^='#']").all():
        link.click()
    page.locator("main .choice").first.focus()
    assert page.evaluate("() => window.__pwned ?? null") is None
    assert watch.dialogs == []
    assert watch.errors == []
    assert not [m for m in watch.console if "pwned" in m or "alert" in m]
    assert all(url.startswith("file://") for url in watch.requests), watch.requests

    # The payloads are still there to read, as inert text.
    body = page.locator("main").inner_text()
    for kept in ("<script>window.__pwned=1</script>", "fancy text", "iframe text",
                 "Evil Name", "p4", "javascript:alert('ptr')"):
        assert kept in body
    page.context.close()
