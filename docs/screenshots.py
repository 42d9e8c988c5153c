"""Take the README's screenshots of the published edition (run by hand, not by the tests).

    python docs/screenshots.py [--chromium /usr/bin/chromium]

Builds the edition in ``tei/`` into a temporary folder, opens it from disk in
headless Chromium (the system browser, driven by Playwright) and writes
``docs/img/reading-edition.png`` (the diary around a footnote, with a name's
identification shown as on keyboard focus) and ``docs/img/person-index.png``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from serge_tei.build import build

ROOT = Path(__file__).resolve().parent.parent
IMG = ROOT / "docs" / "img"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--hide-scrollbars", "--font-render-hinting=none"]
VIEWPORT = {"width": 900, "height": 640}


def reading_edition(page: Page, site: Path, out: Path) -> None:
    """The diary's first entry: dateline, linked names, a footnote marker, one tooltip open."""
    page.goto((site / "serge-diary-1936-1937.html").as_uri())
    entry = page.locator("main article.entry").first
    entry.scroll_into_view_if_needed()
    page.evaluate("y => window.scrollBy(0, y)", entry.bounding_box()["y"] - 24)
    page.locator("main article.entry .name.person > a").nth(1).focus()
    page.screenshot(path=out)


def person_index(page: Page, site: Path, out: Path) -> None:
    """The person index at letter G: letter navigation, life dates, variants, occurrences."""
    page.goto((site / "persons.html").as_uri() + "#letter-G")
    page.screenshot(path=out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args(argv)
    IMG.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        site = Path(tmp) / "site"
        build(ROOT / "tei", site)
        browser = pw.chromium.launch(executable_path=args.chromium, args=ARGS)
        page = browser.new_page(viewport=VIEWPORT, device_scale_factor=1)
        reading_edition(page, site, IMG / "reading-edition.png")
        person_index(page, site, IMG / "person-index.png")
        browser.close()
    for name in ("reading-edition.png", "person-index.png"):
        print(IMG / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
