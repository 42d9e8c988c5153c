"""The site around the documents: order, neighbours, the edition's own data, images, search.

``build`` reads each document once; what the site needs of it beyond its own
pages (its date for the order, its title for the neighbours' links, its
language for the search index, the images it names) is taken then, as a small
:class:`DocMeta`. The edition's title, editors, base URL and introduction come
from ``[tool.serge-tei.site]`` when the configuration describes the edition
being built, else from what the documents' headers share.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from lxml import etree

from .config import Config
from .errors import InputError, ToolkitError, UsageError
from .reading import TEI_NS, XML_NS, Document

_NS = {"t": TEI_NS}
_ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
#: Images a browser shows, by file name; other facsimiles (TIFF...) are linked.
_IMAGE = re.compile(r"\.(png|jpe?g|gif|webp|avif|svg|tiff?)$", re.IGNORECASE)
#: A local image reference: a relative path without a scheme, query or fragment.
_LOCAL = re.compile(r"^(?![A-Za-z][A-Za-z0-9+.\-]*:)[^?#\\\s]+$")
#: The largest image copied into the site, and the largest introduction read.
MAX_IMAGE_BYTES = 32 * 1024 * 1024
MAX_INTRO_BYTES = 1024 * 1024
#: How long the search indexer may run (it is bounded by the site's size).
SEARCH_TIMEOUT = 600


@dataclass(frozen=True)
class DocMeta:
    """What the site needs of a document besides its pages."""

    docid: str = ""
    date: str = ""
    title: str = ""
    lang: str = ""
    names: tuple[str, ...] = ()  # what @prev/@next of other documents may call it
    prev: str = ""
    next: str = ""
    images: tuple[str, ...] = ()  # local images (facsimile, figures), as written in the source
    shared: tuple[str, ...] = ()  # its series title, subtitle, publisher: maybe the edition's


def _text(el: etree._Element | None) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def _first(root: etree._Element, xpath: str) -> str:
    found = root.xpath(xpath, namespaces=_NS)
    return str(found[0]).strip() if found else ""


def doc_date(root: etree._Element) -> str:
    """The document's date for ordering: its ISO title date, its creation, its first date."""
    for xpath in ("t:teiHeader/t:fileDesc/t:titleStmt/t:title[@type='iso-date']/text()",
                  "t:teiHeader/t:profileDesc/t:creation//t:date/@when",
                  "t:teiHeader/t:profileDesc/t:creation//t:date/@notBefore",
                  "t:teiHeader/t:profileDesc/t:creation//t:date/@from",
                  "t:text//t:dateline//t:date/@when",
                  "t:text/t:body//t:date/@when"):
        for value in root.xpath(xpath, namespaces=_NS):
            if _ISO.match(str(value).strip()):
                return str(value).strip()
    return ""


def doc_title(root: etree._Element) -> str:
    titles = root.xpath("t:teiHeader/t:fileDesc/t:titleStmt/t:title", namespaces=_NS)
    main = [t for t in titles if t.get("type") == "main"] or \
        [t for t in titles if not t.get("type")] or titles
    return _text(main[0]) if main else ""


def doc_meta(doc: Document, docid: str, edition_dir: Path) -> DocMeta:
    root = doc.root
    raw_id = root.get(f"{{{XML_NS}}}id") or ""
    lang = _first(root, "t:text/@xml:lang") or root.get(f"{{{XML_NS}}}lang") or ""
    graphics = root.xpath("t:facsimile//t:graphic/@url | .//t:text//t:graphic/@url",
                          namespaces=_NS)
    images = tuple(dict.fromkeys(u.strip() for u in map(str, graphics)
                                 if _LOCAL.match(u.strip()) and _IMAGE.search(u.strip())))
    return DocMeta(docid=docid, date=doc_date(root), title=doc_title(root),
                   lang=lang.split("-")[0].lower(),
                   names=tuple({docid, raw_id, Path(doc.path).name, Path(doc.path).stem} - {""}),
                   prev=(root.get("prev") or "").strip(), next=(root.get("next") or "").strip(),
                   images=images, shared=tuple(_text(e) for e in (
                       _one(root, "t:teiHeader/t:fileDesc/t:seriesStmt/t:title"),
                       _one(root, "t:teiHeader/t:fileDesc/t:titleStmt/t:title[@type='sub']"),
                       _one(root, "t:teiHeader/t:fileDesc/t:publicationStmt/t:publisher"))))


def _one(root: etree._Element, xpath: str) -> etree._Element | None:
    found = root.xpath(xpath, namespaces=_NS)
    return found[0] if found else None


# ----- neighbours ---------------------------------------------------------------------

def _target(pointer: str) -> str:
    """The last segment of a pointer (a URL, a file name, '#id'): what names a document."""
    return re.split(r"[/#]", pointer.strip())[-1]


def neighbours(metas: Sequence[DocMeta]) -> list[dict[str, str]]:
    """The previous and next documents of each document, as stylesheet parameters.

    ``@prev``/``@next`` decide when they name a document of the edition; otherwise
    the edition's order (by date) does.
    """
    by_name = {name: m for m in metas for name in m.names}
    result = []
    for number, here in enumerate(metas):
        prev = by_name.get(_target(here.prev)) if here.prev else None
        nxt = by_name.get(_target(here.next)) if here.next else None
        prev = prev or (metas[number - 1] if number > 0 else None)
        nxt = nxt or (metas[number + 1] if number + 1 < len(metas) else None)
        params = {"prev-href": "", "prev-title": "", "next-href": "", "next-title": ""}
        for key, other in (("prev", prev), ("next", nxt)):
            if other is not None and other is not here:
                params[f"{key}-href"] = f"{other.docid}.html"
                params[f"{key}-title"] = other.title or other.docid
        result.append(params)
    return result


# ----- the edition as a whole -----------------------------------------------------------

@dataclass(frozen=True)
class Settings:
    """The edition's title, editors, base URL and introduction, as the stylesheets take them."""

    title: str = ""
    editors: tuple[str, ...] = ()
    base_url: str = ""
    introduction: str = ""

    def params(self) -> dict[str, str]:
        return {"edition-title": self.title, "editors": ", ".join(self.editors),
                "site-url": self.base_url}


def settings(config: Config, edition_dir: Path, metas: list[DocMeta]) -> Settings:
    """The configured site settings when *config* describes this edition, else none.

    The stylesheets fall back on the headers (a title all documents share, their
    editors, their projectDesc) for whatever is not set here.
    """
    site = config.site
    title = shared_title(metas) or edition_dir.resolve().name
    if config.edition is None or config.edition.resolve() != edition_dir.resolve():
        return Settings(title=title)
    intro = _introduction(site.introduction, config.root) if site.introduction else ""
    return Settings(title=site.title or title, editors=site.editors, base_url=site.base_url,
                    introduction=intro)


def shared_title(metas: list[DocMeta]) -> str:
    """A series title, subtitle or publisher that every document of several shares."""
    if len(metas) < 2:
        return ""
    for i in range(3):
        values = {m.shared[i] if len(m.shared) > i else "" for m in metas}
        if len(values) == 1 and (value := values.pop()):
            return value
    return ""


def _introduction(path: Path, root: Path | None) -> str:
    """The introduction file's text: inside the project, a regular file, of bounded size."""
    if root is not None and not path.is_relative_to(root.resolve()):
        raise UsageError("[tool.serge-tei.site] introduction must be a file inside the project",
                         path=str(path))
    if path.is_symlink() or not path.is_file():
        raise InputError("the introduction named in [tool.serge-tei.site] is not a regular file",
                         path=str(path))
    if path.stat().st_size > MAX_INTRO_BYTES:
        raise InputError("the introduction is larger than 1 MiB", path=str(path))
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError("the introduction is not UTF-8 text", path=str(path)) from None


# ----- facsimile images -----------------------------------------------------------------

#: the longest file name most file systems take
MAX_NAME_BYTES = 255


def local_image(docid: str, url: str) -> str:
    """The file name of a local image's copy (html.xsl, st:local-image, makes the same)."""
    return f"facs-{docid}-" + re.sub(r"[^A-Za-z0-9._\-]", "_", url)


class _Writer(Protocol):
    def write(self, name: str, data: str | bytes, *, record: bool = True) -> None: ...


def copy_images(meta: DocMeta, folder: Path, site: _Writer) -> list[str]:
    """Copy the document's local images (facsimile, figures) into the site; the ones copied.

    Only regular files inside the document's folder are copied (no symbolic
    link, no ``..`` out of it): a document may not publish other files.
    """
    copied = []
    base = folder.resolve()
    for url in meta.images:
        candidate = folder / url
        try:
            real = candidate.resolve(strict=True)
        except (OSError, RuntimeError):
            continue
        if (not real.is_relative_to(base) or candidate.is_symlink() or not real.is_file()
                or real.stat().st_size > MAX_IMAGE_BYTES
                or len(local_image(meta.docid, url).encode()) > MAX_NAME_BYTES):
            continue  # a copy named after a very long path could not be written: not copied
        site.write(local_image(meta.docid, url), real.read_bytes(), record=False)
        copied.append(url)
    return copied


# ----- search -----------------------------------------------------------------------------

def pagefind_executable() -> Path | None:
    """The Pagefind binary of the ``pagefind[bin]`` package, or None when not installed."""
    try:
        from pagefind_bin import get_executable
    except ImportError:
        return None
    try:
        return Path(get_executable())
    except FileNotFoundError:
        return None


def search_index(site: Path, langs: list[str]) -> str:
    """Index the written site with Pagefind (into ``site/pagefind/``); say what was done.

    The whole site is indexed as its documents' most common language, so that a
    search from the (English) search page finds German entries too.
    """
    exe = pagefind_executable()
    if exe is None:
        return "no search index (install serge-tei[search] for one)"
    lang = Counter(code for code in langs if re.fullmatch(r"[a-z]{2,3}", code)).most_common(1)
    command = [str(exe), "--site", str(site), "--silent"]
    if lang:
        command += ["--force-language", lang[0][0]]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=SEARCH_TIMEOUT,
                             env=env, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ToolkitError(f"the search indexer (Pagefind) failed: {exc}") from exc
    if run.returncode != 0:
        raise ToolkitError("the search indexer (Pagefind) failed: "
                           + (run.stderr or run.stdout).strip()[-2000:])
    bundle = site / "pagefind"
    size = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file())
    return f"search index {size / 1024:.0f} KiB"

