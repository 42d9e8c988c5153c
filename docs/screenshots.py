"""Take the README's screenshots of the published edition (run by hand, not by the tests).

    python docs/screenshots.py [--label after] [--chromium /usr/bin/chromium]

Builds the edition in ``tei/`` into a temporary folder, opens it from disk in
headless Chromium (the system browser, driven by Playwright) and writes, for
each width (1280 and 390 px), ``docs/img/<label>-<page>-<width>.png``: the
home page, the diary's first entry with a name's identification open (as on
keyboard focus) and the person index. ``--label before`` was taken from the
site as it was before issue 17; ``after`` (the default) from the current one.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from serge_tei.build import build

ROOT = Path(__file__).resolve().parent.parent
IMG = ROOT / "docs" / "img"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--hide-scrollbars", "--font-render-hinting=none"]
WIDTHS = {1280: 800, 390: 844}


def home(page: Page, site: Path) -> None:
    """The home page as it opens."""
    page.goto((site / "index.html").as_uri())


def reading(page: Page, site: Path) -> None:
    """The diary's first entry with one name's identification shown, as on keyboard focus."""
    page.goto((site / "serge-diary-1936-1937.html").as_uri())
    entry = page.locator("main .entry").first
    name = entry.locator(".name.person > a").nth(1)
    name.scroll_into_view_if_needed()
    page.evaluate("y => window.scrollBy(0, y)", name.bounding_box()["y"] - 160)
    name.focus()
    page.wait_for_timeout(100)


def persons(page: Page, site: Path) -> None:
    """The person index at letter G: letters, life dates, variants, occurrences."""
    page.goto((site / "persons.html").as_uri() + "#letter-G")


SHOTS: dict[str, Callable[[Page, Path], None]] = {
    "home": home, "reading": reading, "persons": persons}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument("--label", default="after", help="file name prefix (before, after)")
    args = parser.parse_args(argv)
    IMG.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        site = Path(tmp) / "site"
        build(ROOT / "tei", site)
        browser = pw.chromium.launch(executable_path=args.chromium, args=ARGS)
        for width, height in WIDTHS.items():
            page = browser.new_page(viewport={"width": width, "height": height},
                                    device_scale_factor=1)
            for name, shoot in SHOTS.items():
                shoot(page, site)
                out = IMG / f"{args.label}-{name}-{width}.png"
                page.screenshot(path=out)
                written.append(out)
            page.close()
        browser.close()
    for out in written:
        print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
