"""The published site in a real browser: headless Chromium driven by Playwright.

The site is built into a temporary folder and opened from disk (``file://``),
as a reader who downloaded it would. The tests skip when no Chromium is found,
unless ``SERGE_TEI_REQUIRE_BROWSER`` is set (CI sets it): then a missing
browser is a failure, so that CI cannot pass by skipping them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from serge_tei.build import build
from serge_tei.resources import xslt_dir
from serge_tei.transform import transform

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = Path(__file__).resolve().parent / "data" / "browser" / "hostile.xml"
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
    "summary", "article", "aside", "section", "sup", "ins", "del", "em", "cite", "q",
    "blockquote", "figure", "figcaption", "time", "abbr", "br", "table", "caption", "tbody",
    "tr", "td", "dl", "dt", "dd"})


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


def open_page(browser: Any, url: str, *, javascript: bool = True) -> tuple[Any, Watch]:
    """A fresh page at *url*, in its own context, with everything it does recorded."""
    context = browser.new_context(java_script_enabled=javascript,
                                  viewport={"width": 1000, "height": 800})
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


# ----- navigation ---------------------------------------------------------------------------

def test_person_link_to_index_entry_and_back(browser: Any, site: Path) -> None:
    page, watch = open_page(browser, (site / DIARY).as_uri())
    name = page.locator("main article.text .name.person > a").nth(5)
    anchor, href = name.get_attribute("id"), name.get_attribute("href")
    assert href and href.startswith("persons.html#")
    entry = href.split("#", 1)[1]
    name.click()
    page.wait_for_url(f"**/persons.html#{entry}")
    assert target_id(page) == entry and in_viewport(page, entry)

    # The entry lists this very occurrence; its link returns to the exact place.
    back = page.locator(f"#{entry} a[href='{DIARY}#{anchor}']")
    assert back.count() == 1
    back.click()
    page.wait_for_url(f"**/{DIARY}#{anchor}")
    assert target_id(page) == anchor and in_viewport(page, anchor)
    assert page.locator(f"#{anchor}").inner_text() == name.inner_text()
    assert all(url.startswith("file://") for url in watch.requests), watch.requests
    page.context.close()


def test_footnote_round_trip(browser: Any, site: Path) -> None:
    page, _ = open_page(browser, (site / DIARY).as_uri())
    marker = page.locator("main a.noteref").nth(1)
    marker_id, note_href = marker.get_attribute("id"), marker.get_attribute("href")
    assert note_href and note_href.startswith("#")
    note_id = note_href[1:]
    marker.click()
    page.wait_for_url(f"**#{note_id}")
    assert target_id(page) == note_id and in_viewport(page, note_id)
    assert page.locator(f"#{note_id}").inner_text().strip()
    assert not in_viewport(page, marker_id)  # the note is really elsewhere on the page

    page.locator(f"#{note_id} a.backref").click()
    page.wait_for_url(f"**#{marker_id}")
    assert target_id(page) == marker_id and in_viewport(page, marker_id)
    page.context.close()


def test_identification_shows_on_focus_and_hover_without_javascript(browser: Any,
                                                                     site: Path) -> None:
    page, watch = open_page(browser, (site / DIARY).as_uri(), javascript=False)
    name = page.locator("main article.text .name.person > a").first
    tip = page.locator(f"#{name.get_attribute('aria-describedby')}")
    assert tip.get_attribute("role") == "tooltip"
    assert tip.is_hidden()
    name.focus()
    assert tip.is_visible()
    assert "(" in tip.inner_text() and ":" in tip.inner_text()  # life dates, identification
    page.locator("h1").click()  # focus leaves the name again
    assert tip.is_hidden()

    place = page.locator("main article.text .name.place > a").first
    place_tip = page.locator(f"#{place.get_attribute('aria-describedby')}")
    place.hover()
    assert place_tip.is_visible()

    # A correction shows the source's reading on focus: it is reachable by keyboard.
    choice = page.locator("main .choice").first
    assert choice.get_attribute("tabindex") == "0"
    source = page.locator(f"#{choice.get_attribute('aria-describedby')}")
    assert source.is_hidden()
    choice.focus()
    assert source.is_visible() and source.inner_text().startswith("Source: ")
    assert watch.errors == []
    page.context.close()


@pytest.mark.parametrize("name", ["index.html", DIARY, REVIEW, "persons.html", "places.html"])
def test_no_serious_accessibility_violations(browser: Any, site: Path, name: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page, watch = open_page(browser, (site / name).as_uri())
    results = Axe().run(page).response
    serious = [f"{v['id']} ({v['impact']}): {v['help']} — "
               + "; ".join(n["target"][0] for n in v["nodes"][:3])
               for v in results["violations"] if v["impact"] in ("serious", "critical")]
    assert results["testEngine"]["name"] == "axe-core"  # the check really ran
    assert serious == []
    assert all(url.startswith("file://") for url in watch.requests), watch.requests
    page.context.close()


# ----- hostile input --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "hostile.html").write_text(transform(HOSTILE, "html"), encoding="utf-8")
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
    assert not attributes & {"style", "src", "srcdoc", "action", "formaction", "data",
                             "http-equiv", "xlink:href"}

    # Set every handler a payload could hide behind going: hover, focus and click it all.
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
