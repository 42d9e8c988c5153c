"""``serge-tei build``: publish the edition as a static site, atomically.

The edition is validated first; invalid input publishes nothing. The site is
written into a fresh temporary sibling of the output folder and swapped into
place at the end, so a failed build leaves the previous output intact.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from lxml import etree

from . import indexes, pool
from . import site as site_info
from .config import Config
from .errors import InputError, InvalidInput, SergeTeiError, ToolkitError, UsageError
from .reading import TEI_NS, XML_NS, Document, Limits, read_document
from .resources import xslt_dir
from .saxon import give_back_memory
from .staging import MARKER as STAGING_MARKER
from .staging import remove_stale, staging_folder
from .transform import Publisher, docid, is_authority, publisher

#: Marks a folder as written by ``build``; only such a folder is ever replaced.
MARKER = ".serge-tei-build"

#: Site files that a document's outputs must not overwrite.
RESERVED = frozenset({"index", "persons", "places", "orgs", "works", "edition", "about",
                      "search", "pagefind"})

#: The site's own assets, copied from xslt/ as they are.
ASSETS = ("edition.css", "edition.js")

#: A document the validator parsed is kept for publishing only below this size, and only
#: while the documents kept come to less than KEEP_BUDGET characters; the others are read
#: again when published (1-2 ms for a document whose transforms take about 100 ms), so
#: that their trees are not held through the whole build.
KEEP_CHARACTERS = 4 * 1024 * 1024
KEEP_BUDGET = 16 * 1024 * 1024

#: The namespace of the stylesheets' own intermediate elements (the index records).
ST_NS = indexes.ST_NS

#: The indexes' scratch folder, in the staging folder (removed before the swap): the index
#: records (a SQLite file) and the parts of the index files that the workers render.
SCRATCH = ".serge-tei-indexes"

#: Index pages and data files, by kind of index: output name -> stylesheet name.
INDEXES: dict[str, dict[str, str]] = {
    "person": {"persons.html": "persons", "persons.json": "persons-json",
               "persons.csv": "persons-csv"},
    "place": {"places.html": "places", "places.json": "places-json", "places.csv": "places-csv"},
    "org": {"orgs.html": "orgs"},
    "work": {"works.html": "works"},
}


@dataclass
class BuildResult:
    """What a build wrote, and how long it took."""

    out: Path
    documents: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    seconds: float = 0.0
    #: the search index: what Pagefind said it indexed, or why there is none
    search: str = ""


@dataclass(frozen=True)
class _Planned:
    """An edition document to publish: read again when published unless already parsed.

    Only a small edition's documents stay in memory between validation and
    publishing (the validator keeps them); a large one's are read one at a
    time while publishing, so that the texts are not held all at once.
    """

    docid: str
    path: Path
    document: Document | None
    meta: site_info.DocMeta = field(default_factory=site_info.DocMeta)


#: A validator: the edition folder and the configuration -> (report, documents it parsed).
Validator = Callable[[Path, Config], tuple[Any, dict[Path, Document]]]


@dataclass(frozen=True)
class Checks:
    """What the documents are validated against before anything is published.

    By default each document's own ``xml-model`` declarations (as ``validate``
    does); ``schema`` (RelaxNG), ``schematron`` and tei_all as the options of
    ``validate`` say, so that a corpus written for another schema (DraCor,
    EpiDoc) can be published after a check against tei_all or its own schema.
    """

    schema: Path | None = None
    schematron: Path | None = None
    tei_all: bool = False
    tei_all_path: Path | None = None
    tei_all_version: str | None = None


def _validate(edition_dir: Path, config: Config, scheduler: str | None = None,
              checks: Checks | None = None) -> tuple[Any, dict[Path, Document]]:
    from .validation.run import validate_with_documents  # start-up cost only here

    checks = checks or Checks()
    return validate_with_documents(
        [edition_dir], config=config, scheduler=scheduler, schema=checks.schema,
        schematron=checks.schematron, tei_all=checks.tei_all or bool(
            checks.tei_all_path or checks.tei_all_version),
        tei_all_path=checks.tei_all_path, tei_all_version=checks.tei_all_version)


def build(edition_dir: Path, out: Path, *, config: Config | None = None,
          validator: Validator | None = None, scheduler: str | None = None,
          checks: Checks | None = None, lang: str | None = None) -> BuildResult:
    """Validate *edition_dir* and publish it to *out*; raise :class:`InvalidInput` if invalid.

    *config* is the project's configuration (reader limits); the edition it
    names is *edition_dir*, whatever it said. *scheduler*: the address of a Dask
    scheduler whose workers validate the edition (publishing stays on this
    machine: its workers share compiled stylesheets by forking). *checks*: what
    the edition is validated against (default: each document's own schema).
    *lang* (BCP 47) is the language of documents that declare none (default: the
    configuration's ``lang``, else undetermined): a page's ``lang`` is never
    guessed.
    """
    started = time.perf_counter()
    edition_dir, out = Path(edition_dir), Path(out)
    if not edition_dir.is_dir():
        raise InputError("not a folder; give the edition's folder of TEI files",
                         path=str(edition_dir))
    project = config or Config()
    # The edition built is the one validated, its cross-file rules included; the site
    # settings are the project's only when it describes this edition (site.settings).
    config = dataclasses.replace(project, edition=edition_dir.resolve())
    report, parsed = (validator or functools.partial(_validate, scheduler=scheduler,
                                                     checks=checks))(edition_dir, config)
    if report.exit_code != 0:
        raise InvalidInput(f"{edition_dir}: the edition is not valid; nothing was published "
                           "(fix the errors listed, then build again)", report.findings,
                           exit_code=report.exit_code)  # 2 when a file is unusable
    sources, authority = _read_edition(edition_dir, parsed, config.limits, config.root)
    del parsed  # what is still needed is in sources and authority
    sources = sorted(sources, key=lambda s: (s.meta.date or "9999", s.path.name))
    settings = site_info.settings(project, edition_dir, [s.meta for s in sources])
    _check_out(out)
    remove_stale(out)  # what a build that was killed left beside the output
    result = BuildResult(out=out, documents=[s.docid for s in sources])
    try:
        with staging_folder(out) as staging:
            try:
                site = _Site(staging)
                result.search = _publish(publisher(), sources, authority, site, config.limits,
                                         settings, config.root, lang or config.lang)
                result.files = sorted(site.written)
                _swap(staging, out)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
            (out / STAGING_MARKER).unlink(missing_ok=True)
    except OSError as exc:  # a full or read-only disk, a quota: nothing was replaced
        raise UsageError(f"cannot write the site beside {out}: {exc.strerror or exc}; the "
                         "previous site is kept as it was", path=exc.filename and
                         os.fsdecode(exc.filename)) from None
    result.seconds = time.perf_counter() - started
    return result


# ----- reading ---------------------------------------------------------------------

def _read_edition(edition_dir: Path, parsed: dict[Path, Document], limits: Limits,
                  root: Path | None = None
                  ) -> tuple[list[_Planned], list[Document]]:
    """The documents to publish (ids checked) and the authority files (kept: every page needs
    them). A document the validator did not keep is read here and dropped again."""
    sources: list[_Planned] = []
    authority: list[Document] = []
    seen: dict[str, str] = {}
    budget = KEEP_BUDGET
    for path in sorted(edition_dir.rglob("*.xml")):
        if not path.is_file():
            continue
        kept = parsed.pop(path.resolve(), None)
        doc = kept or read_document(path, limits, root=root)  # root: XIncludes' bound
        if len(doc.text) > min(KEEP_CHARACTERS, budget):
            kept = None  # read again when published, and let go then (see _render_one)
        elif kept is not None:
            budget -= len(doc.text)
        if is_authority(doc):
            authority.append(doc)
            continue
        ident = docid(doc, path)
        if ident in RESERVED or ident in seen:
            other = seen.get(ident, "the site's own pages")
            raise InputError(f"document id {ident!r} is also used by {other}; give the TEI "
                             "root a distinct xml:id", path=str(path))
        seen[ident] = str(path)
        sources.append(_Planned(ident, path, kept, site_info.doc_meta(doc, ident, edition_dir)))
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

    def write(self, name: str, data: str | bytes, *, record: bool = True) -> None:
        """Write a new file; *record* False when a worker writes it (the parent records it)."""
        payload = data.encode("utf-8") if isinstance(data, str) else data
        with os.fdopen(self._create(name, record), "wb") as fh:
            fh.write(payload)

    def open(self, name: str) -> IO[str]:
        """A new file to write in parts, as UTF-8 text (line ends as written)."""
        return os.fdopen(self._create(name, True), "w", encoding="utf-8", newline="")

    def _create(self, name: str, record: bool) -> int:
        if "/" in name or name in ("", ".", ".."):
            raise UsageError(f"refusing to write {name!r} outside the output folder")
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(self.root / name, flags, 0o644)
        if record:
            self.written.append(name)
        return fd


@dataclass(frozen=True)
class _Rendered:
    """What outlives a published document: its files' names, index records and header."""

    files: tuple[str, ...]
    records: str
    header: bytes


@dataclass(frozen=True)
class _Failure:
    """A worker's error, carried back whole (exceptions with keyword fields do not pickle)."""

    kind: type[SergeTeiError]
    message: str
    path: str | None
    line: int | None
    column: int | None

    def error(self) -> SergeTeiError:
        return self.kind(self.message, path=self.path, line=self.line, column=self.column)


@dataclass(frozen=True)
class _Job:
    """Everything a worker needs to publish documents, handed over by the pool's setup.

    It holds compiled stylesheets and Saxon trees, which do not pickle: workers
    are used only where they fork (see :func:`serge_tei.pool.executor`).
    """

    pub: Publisher
    params: dict[str, Any]
    site: _Site
    limits: Limits
    sources: list[_Planned]
    settings: site_info.Settings = field(default_factory=site_info.Settings)
    neighbours: list[dict[str, str]] = field(default_factory=list)  # by document
    root: Path | None = None  # the project root, which bounds the documents' XIncludes
    scratch: Path | None = None  # the index records and parts (SCRATCH), for the indexes


def _publish(pub: Publisher, sources: list[_Planned], authority: list[Document],
             site: _Site, limits: Limits,
             settings: site_info.Settings | None = None, root: Path | None = None,
             lang: str | None = None) -> str:
    """Write every page: each document's pages as it is read, the home page, the indexes.

    A document is handed to Saxon once for its three transforms (HTML, text, index
    records) and is then dropped: what outlives it is its header (for the home
    page) and its index records, kept on disk (:mod:`serge_tei.indexes`). The
    four indexes are computed from the records, never from the texts again, a
    run of entries at a time, so that no process holds the records of the whole
    edition. Memory still grows somewhat with the edition (the headers for the
    home page, Saxon's heap in the index workers, Pagefind): bench/RESULTS.md.

    The search index is made before the index pages are written: it leaves them
    out (they have no ``data-pagefind-body``), but Pagefind would still read
    them, hundreds of megabytes for a large edition. Returns what it said.
    """
    settings = settings or site_info.Settings()
    auth = {**pub.authority_param(authority), **settings.params()}
    if lang:
        auth["default-lang"] = lang
    job = _Job(pub, auth, site, limits, sources, settings,
               site_info.neighbours([s.meta for s in sources]), root=root)
    headers = etree.Element(f"{{{TEI_NS}}}teiCorpus", nsmap={None: TEI_NS})
    scratch = site.root / SCRATCH
    scratch.mkdir(0o700)
    store = indexes.RecordStore(scratch / "records.sqlite", create=True)
    try:
        for done, source in zip(_in_parallel(job, _render_one, range(len(sources))), sources,
                                strict=True):
            site.written.extend(done.files)
            store.add(done.records)
            header = etree.fromstring(done.header)
            header.set(f"{{{ST_NS}}}date", source.meta.date)
            headers.append(header)
        store.finish()
    finally:
        store.close()
    site.write("index.html", pub.render("home", headers, auth, label="home page"))
    site.write("about.html", pub.render("about", headers, {
        **auth, "introduction": settings.introduction}, label="about page"))
    site.write("search.html", pub.render("search", headers, auth, label="search page"))
    del headers
    search = site_info.search_index(site.root, [s.meta.lang for s in sources])
    _write_indexes(dataclasses.replace(job, scratch=scratch))
    shutil.rmtree(scratch)
    for asset in ASSETS:
        site.write(asset, (xslt_dir() / asset).read_bytes())
    site.write(MARKER, "This folder is written by serge-tei build and replaced by it.\n")
    return search


def _write_indexes(job: _Job) -> None:
    """Write every index file: its frame first, then its runs of entries as they come.

    Frames are small (one record per entry and name): computed here. The runs
    are modelled and rendered by the workers into part files, which are copied
    into the index files in order and removed, so no index is ever held whole.
    """
    assert job.scratch is not None
    store = indexes.RecordStore(job.scratch / "records.sqlite")
    try:
        frames = [_frame(job, store, kind) for kind in INDEXES]
        runs = [run for _, kind_runs in frames for run in kind_runs]
    finally:
        store.close()  # a connection is not carried into forked workers
    files = {name: out for outputs, _ in frames for name, out in outputs.items()}
    try:
        for number in _in_parallel(job, _render_run, list(enumerate(runs))):
            run = runs[number]
            for name, part in zip(INDEXES[run.kind], _part_files(job.scratch, number, run),
                                  strict=True):
                with part.open(encoding="utf-8", newline="") as text:
                    files[name].fill(run.section if name.endswith(".html") else 1, text)
                part.unlink()
    finally:
        for out in files.values():
            out.close()


def _part_files(scratch: Path, number: int, run: indexes.Run) -> list[Path]:
    """Where run *number*'s parts of its index files are written, in the order of INDEXES."""
    return [scratch / f"run-{number}.{k}" for k in range(len(INDEXES[run.kind]))]


def _frame(job: _Job, store: indexes.RecordStore, kind: str
           ) -> tuple[dict[str, indexes.OutputFile], list[indexes.Run]]:
    """Open the files of index *kind* with their frames written; and its runs of entries."""
    mentions = store.mentions(kind)
    params = {"kind": kind, "part": "frame", "mentions": sum(mentions.values()), **job.params}
    model = job.pub.saxon.transform("index-model", job.pub.saxon.node(store.frame_records(kind)),
                                    params, label=f"{kind} index")
    node = job.pub.saxon.processor.parse_xml(xml_text=model)
    outputs: dict[str, indexes.OutputFile] = {}
    for name, sheet in INDEXES[kind].items():
        frame = job.pub.saxon.transform(sheet, node, job.params, label=name)
        pieces, separator = _cut(name, frame)
        outputs[name] = indexes.OutputFile(job.site.open(name), pieces, separator)
    return outputs, indexes.plan_runs(kind, etree.fromstring(model), mentions)


def _cut(name: str, frame: str) -> tuple[list[str], str]:
    """A frame cut where its entries go, and what separates two runs' parts there."""
    if name.endswith(".html"):
        return indexes.html_pieces(frame), ""
    if name.endswith(".json"):
        return indexes.json_pieces(frame)
    return [frame, ""], ""


def _in_parallel(job: _Job, work: Callable[[_Job, Any], Any], items: Sequence[Any]
                 ) -> Iterator[Any]:
    """``work(job, item)`` for each item in order, by forked workers when the edition is large.

    The workers inherit the compiled stylesheets, the authority parameters and
    the documents (*job*, through the pool's setup) and write into the staging
    folder themselves; only an item goes out and small results come back, each
    as soon as it and those before it are done. A worker's error is raised
    here, for the first item that failed (the pool is then stopped).
    """
    many = len(job.sources) >= pool.POOL_THRESHOLD
    for result in pool.map_ordered(work, items, setup=_job, setup_args=(job,),
                                   threshold=1 if many else len(items) + 1, inherit=True):
        if isinstance(result, _Failure):
            raise result.error()
        yield result


def _job(job: _Job) -> _Job:
    return job


def _failure(exc: SergeTeiError) -> _Failure:
    return _Failure(type(exc), exc.message, exc.path, exc.line, exc.column)


def _render_run(job: _Job, item: tuple[int, indexes.Run]) -> int | _Failure:
    """Write the parts of the index files that run *number*'s entries fill (_part_files)."""
    number, run = item
    assert job.scratch is not None
    try:
        store = indexes.RecordStore(job.scratch / "records.sqlite")
        try:
            records = store.records(run.kind, run.entries)
        finally:
            store.close()
        saxon = job.pub.saxon
        model = saxon.processor.parse_xml(xml_text=saxon.transform(
            "index-model", saxon.node(records), {"kind": run.kind, "part": "entries",
                                                **job.params}, label=f"{run.kind} index"))
        del records
        for (name, sheet), part in zip(INDEXES[run.kind].items(),
                                       _part_files(job.scratch, number, run), strict=True):
            text = saxon.transform(sheet, model, job.params, label=name)
            with part.open("x", encoding="utf-8", newline="") as out:
                out.write(indexes.json_entries(text) if name.endswith(".json") else text)
    except SergeTeiError as exc:
        return _failure(exc)
    return number


def _render_one(job: _Job, number: int) -> _Rendered | _Failure:
    """Publish document *number*: its HTML, text and XML files, and what the indexes need.

    The lxml tree is done with once Saxon has its own: the XML copy and the header
    are taken first, and a document read here is let go before the stylesheets run
    (its memory given back), so that a large one is not held twice.
    """
    source = job.sources[number]
    try:
        document = source.document or read_document(source.path, job.limits, root=job.root)
        pub, label = job.pub, document.path
        images = site_info.copy_images(source.meta, source.path.parent, job.site)
        params = {"docid": source.docid, **job.params, **job.neighbours[number],
                  "facs-local": "\n".join(images)}
        files = (f"{source.docid}.html", f"{source.docid}.txt", f"{source.docid}.xml",
                 *(site_info.local_image(source.docid, url) for url in images))
        job.site.write(files[2], etree.tostring(document.tree, xml_declaration=True,
                                                encoding="UTF-8"), record=False)
        header = etree.tostring(_header(document, source.docid))
        node = pub.saxon.node(document.tree)
        if source.document is None:
            del document
            give_back_memory()
        job.site.write(files[0], pub.saxon.transform("html", node, params, label=f"{label}: html"),
                       record=False)
        job.site.write(files[1], pub.saxon.transform("text", node, params, label=f"{label}: text"),
                       record=False)
        # kept on disk by the building process, and guarded (saxon.node) when read back
        records = pub.saxon.transform("mentions", node, params, label=f"{label}: index")
        return _Rendered(files, records, header)
    except SergeTeiError as exc:
        return _failure(exc)
    except OSError:
        raise  # a full or read-only disk: build says so, and keeps the previous site
    except Exception as exc:  # carried back whole: lxml's own errors do not pickle
        return _Failure(ToolkitError, f"publishing failed: {type(exc).__name__}: {exc}",
                        str(source.path), None, None)


def _header(document: Document, ident: str) -> etree._Element:
    """The document's TEI root with only its teiHeader (all the home page shows), id set."""
    root = etree.Element(f"{{{TEI_NS}}}TEI", nsmap={None: TEI_NS})
    root.set(f"{{{XML_NS}}}id", ident)
    header = document.root.find(f"{{{TEI_NS}}}teiHeader")
    if header is not None:
        root.append(etree.fromstring(etree.tostring(header)))
    return root


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
    with staging_folder(out, ".old") as retired:
        os.replace(out, retired / "site")
        try:
            os.replace(staging, out)
        except OSError:
            os.replace(retired / "site", out)
            raise
        finally:
            shutil.rmtree(retired, ignore_errors=True)
