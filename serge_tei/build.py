"""``serge-tei build``: publish the edition as a static site, atomically.

The edition is validated first; invalid input publishes nothing. The site is
written into a fresh temporary sibling of the output folder and swapped into
place at the end, so a failed build leaves the previous output intact.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from .errors import InputError, InvalidInput, UsageError
from .reading import Document, read_document
from .resources import xslt_dir
from .transform import Publisher, Source, docid, edition_corpus, is_authority, publisher

#: Marks a folder as written by ``build``; only such a folder is ever replaced.
MARKER = ".serge-tei-build"

#: Site files that a document's outputs must not overwrite.
RESERVED = frozenset({"index", "persons", "places", "orgs", "works", "edition"})

#: Index pages and data files: output name -> stylesheet name.
INDEX_OUTPUTS: dict[str, str] = {
    "persons.html": "persons", "places.html": "places", "orgs.html": "orgs",
    "works.html": "works", "persons.json": "persons-json", "persons.csv": "persons-csv",
    "places.json": "places-json", "places.csv": "places-csv",
}


@dataclass
class BuildResult:
    """What a build wrote, and how long it took."""

    out: Path
    documents: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _validate(edition_dir: Path) -> Any:
    from .validate import validate  # the validator's start-up cost only when building

    return validate([edition_dir])


def build(edition_dir: Path, out: Path, *,
          validator: Callable[[Path], Any] | None = None) -> BuildResult:
    """Validate *edition_dir* and publish it to *out*; raise :class:`InvalidInput` if invalid."""
    started = time.perf_counter()
    edition_dir, out = Path(edition_dir), Path(out)
    if not edition_dir.is_dir():
        raise InputError("not a folder; give the edition's folder of TEI files",
                         path=str(edition_dir))
    report = (validator or _validate)(edition_dir)
    if report.exit_code != 0:
        error = InvalidInput(f"{edition_dir}: the edition is not valid; nothing was published "
                             "(fix the errors listed, then build again)", report.findings)
        error.exit_code = report.exit_code  # 2 when a file is unusable, as validate says
        raise error
    sources, authority = _read_edition(edition_dir)
    _check_out(out)
    result = BuildResult(out=out, documents=[s.docid for s in sources])
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    try:
        site = _Site(staging)
        _publish(publisher(), sources, authority, site)
        result.files = sorted(site.written)
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    result.seconds = time.perf_counter() - started
    return result


# ----- reading ---------------------------------------------------------------------

def _read_edition(edition_dir: Path) -> tuple[list[Source], list[Document]]:
    sources: list[Source] = []
    authority: list[Document] = []
    seen: dict[str, str] = {}
    for path in sorted(edition_dir.rglob("*.xml")):
        if not path.is_file():
            continue
        doc = read_document(path)
        if is_authority(doc):
            authority.append(doc)
            continue
        ident = docid(doc, path)
        if ident in RESERVED or ident in seen:
            other = seen.get(ident, "the site's own pages")
            raise InputError(f"document id {ident!r} is also used by {other}; give the TEI "
                             "root a distinct xml:id", path=str(path))
        seen[ident] = str(path)
        sources.append(Source(ident, doc))
    if not sources:
        raise InputError("no edition documents found (only authority files or none)",
                         path=str(edition_dir))
    return sources, authority


# ----- writing ---------------------------------------------------------------------

class _Site:
    """A staging folder that only ever receives new regular files (no symlink is followed)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.written: list[str] = []

    def write(self, name: str, data: str | bytes) -> None:
        if "/" in name or name in ("", ".", ".."):
            raise UsageError(f"refusing to write {name!r} outside the output folder")
        payload = data.encode("utf-8") if isinstance(data, str) else data
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(self.root / name, flags, 0o644)
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
        self.written.append(name)


def _publish(pub: Publisher, sources: list[Source], authority: list[Document],
             site: _Site) -> None:
    auth = pub.authority_param(authority)
    for source in sources:
        params = {"docid": source.docid, **auth}
        label = source.document.path
        site.write(f"{source.docid}.html",
                   pub.render("html", source.document.tree, params, label=f"{label}: html"))
        site.write(f"{source.docid}.txt",
                   pub.render("text", source.document.tree, params, label=f"{label}: text"))
        site.write(f"{source.docid}.xml", etree.tostring(
            source.document.tree, xml_declaration=True, encoding="UTF-8"))
    corpus = edition_corpus(sources)
    site.write("index.html", pub.render("home", corpus, auth, label="home page"))
    for name, sheet in INDEX_OUTPUTS.items():
        text = pub.render(sheet, corpus, auth, label=name)
        if name.endswith(".json"):  # re-indented for people; also proves it parses
            text = json.dumps(json.loads(text), ensure_ascii=False, indent=2) + "\n"
        site.write(name, text)
    site.write("edition.css", (xslt_dir() / "edition.css").read_bytes())
    site.write(MARKER, "This folder is written by serge-tei build and replaced by it.\n")


def _check_out(out: Path) -> None:
    """Refuse to replace anything but a real folder that an earlier build wrote.

    A symbolic link as the output folder is refused rather than followed: the
    build replaces the folder as a whole, and doing that through a link would
    write (and delete) outside the path the user named. Links *inside* an old
    output folder are not followed either: the old folder is moved aside and
    removed with the links themselves, their targets untouched.
    """
    if out.is_symlink():
        raise UsageError(f"{out} is a symbolic link; serge-tei build does not write through "
                         "links: give the real folder as --out")
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} exists and is not a folder; choose another --out")
    marker = out / MARKER
    if out.is_dir() and any(out.iterdir()) and (marker.is_symlink() or not marker.is_file()):
        raise UsageError(f"{out} is a non-empty folder that serge-tei did not write; "
                         "choose another --out or empty it")
    if not out.parent.is_dir():
        raise UsageError(f"the parent folder of {out} does not exist")


def _swap(staging: Path, out: Path) -> None:
    """Put *staging* in the place of *out*: the old site is kept until the new one is there."""
    staging.chmod(0o755)
    if not out.exists():
        os.replace(staging, out)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.parent))
    os.replace(out, retired / "site")
    try:
        os.replace(staging, out)
    except OSError:
        os.replace(retired / "site", out)
        raise
    finally:
        shutil.rmtree(retired, ignore_errors=True)
