"""``build``: validated first, the whole site written, swapped into place atomically."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from lxml import html

from serge_tei import build as build_module
from serge_tei import indexes, pool
from serge_tei.build import MARKER, build
from serge_tei.config import Config
from serge_tei.errors import DocumentRejected, InputError, InvalidInput, UsageError
from serge_tei.reading import read_document
from serge_tei.transform import Source, docid, edition_corpus, is_authority, publisher

DATA = Path(__file__).resolve().parent / "data"
EDITION = DATA / "transform" / "edition"
TEI = Path(__file__).resolve().parent.parent / "tei"

SITE = {MARKER, "edition.css", "edition.js", "about.html", "search.html", "pagefind",
        "index.html", "mini-diary.html", "mini-diary.txt",
        "mini-diary.xml", "orgs.html", "persons.csv", "persons.html", "persons.json",
        "places.csv", "places.html", "places.json", "works.html"}


def valid(_: Path, __: Config) -> tuple[SimpleNamespace, dict[Path, object]]:
    return SimpleNamespace(exit_code=0, findings=[]), {}


def invalid(_: Path, __: Config) -> tuple[SimpleNamespace, dict[Path, object]]:
    return SimpleNamespace(exit_code=1, findings=["mini-diary.xml:3:1: error: broken"]), {}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    build(EDITION, out, validator=valid)
    return out


def test_build_writes_the_whole_site(site: Path) -> None:
    assert {p.name for p in site.iterdir()} == SITE
    assert not [p for p in site.parent.iterdir() if p.name.startswith(".out.")]


def test_every_link_between_pages_resolves(site: Path) -> None:
    ids: dict[str, set[str]] = {}
    links: list[tuple[str, str]] = []
    for page in site.glob("*.html"):
        tree = html.fromstring(page.read_text(encoding="utf-8"))
        ids[page.name] = set(tree.xpath("//@id"))
        links += [(page.name, h) for h in tree.xpath("//a/@href | //link/@href")]
    for source, href in links:
        if re.match(r"^(https?|mailto):", href):
            continue
        name, _, frag = href.partition("#")
        target = name or source
        assert (site / target).is_file(), f"{source}: {href}"
        if frag:
            assert frag in ids[target], f"{source}: {href}"


def test_home_page_lists_documents_with_their_source(site: Path) -> None:
    home = html.fromstring((site / "index.html").read_text(encoding="utf-8"))
    assert home.xpath("//article[@class='document']//a[@href='mini-diary.html']")
    assert "The New International" in home.xpath("//p[@class='bibl']")[0].text_content()


def test_json_is_indented_and_source_is_a_copy(site: Path) -> None:
    raw = (site / "persons.json").read_text(encoding="utf-8")
    assert raw.startswith('{\n  "kind": "person"') and json.loads(raw)["count"] == 11
    assert b"<TEI" in (site / "mini-diary.xml").read_bytes()


def test_invalid_edition_publishes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(InvalidInput) as info:
        build(EDITION, out, validator=invalid)
    assert info.value.findings == ["mini-diary.xml:3:1: error: broken"]
    assert info.value.exit_code == 1
    assert not out.exists()


def test_rebuild_replaces_previous_site(site: Path) -> None:
    (site / "stale.html").write_text("old", encoding="utf-8")
    build(EDITION, site, validator=valid)
    assert {p.name for p in site.iterdir()} == SITE


def test_failed_build_leaves_previous_site_intact(site: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}

    def explode(*args: object) -> None:
        raise RuntimeError("stylesheet failed")

    monkeypatch.setattr(build_module, "_publish", explode)
    with pytest.raises(RuntimeError):
        build(EDITION, site, validator=valid)
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    assert [p.name for p in site.parent.iterdir()] == ["out"]


def test_refuses_to_replace_a_folder_it_did_not_write(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.tex").write_text("precious", encoding="utf-8")
    with pytest.raises(UsageError):
        build(EDITION, out, validator=valid)
    assert (out / "thesis.tex").read_text(encoding="utf-8") == "precious"


def test_never_follows_a_symlinked_output(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / MARKER).write_text("an earlier build", encoding="utf-8")
    (elsewhere / "index.html").write_text("keep", encoding="utf-8")
    out = tmp_path / "out"
    os.symlink(elsewhere, out)
    with pytest.raises(UsageError, match="is a symbolic link"):
        build(EDITION, out, validator=valid)
    assert sorted(p.name for p in elsewhere.iterdir()) == [MARKER, "index.html"]
    assert (elsewhere / "index.html").read_text(encoding="utf-8") == "keep"
    assert out.is_symlink()


def test_links_inside_the_old_site_are_replaced_not_followed(site: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim.html"
    victim.write_text("keep", encoding="utf-8")
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "thesis.tex").write_text("precious", encoding="utf-8")
    (site / "persons.html").unlink()
    os.symlink(victim, site / "persons.html")
    os.symlink(shared, site / "assets")
    build(EDITION, site, validator=valid)
    assert victim.read_text(encoding="utf-8") == "keep"
    assert (shared / "thesis.tex").read_text(encoding="utf-8") == "precious"
    persons = site / "persons.html"
    assert not persons.is_symlink() and "Gide" in persons.read_text(encoding="utf-8")
    assert {p.name for p in site.iterdir()} == SITE


def test_a_symlinked_marker_does_not_make_a_folder_replaceable(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    marker.write_text("", encoding="utf-8")
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.tex").write_text("precious", encoding="utf-8")
    os.symlink(marker, out / MARKER)
    with pytest.raises(UsageError, match="did not write"):
        build(EDITION, out, validator=valid)
    assert (out / "thesis.tex").read_text(encoding="utf-8") == "precious"


def test_site_writer_refuses_symlinks(tmp_path: Path) -> None:
    target = tmp_path / "victim.txt"
    target.write_text("keep", encoding="utf-8")
    os.symlink(target, tmp_path / "index.html")
    with pytest.raises(OSError):
        build_module._Site(tmp_path).write("index.html", "<p>x</p>")
    assert target.read_text(encoding="utf-8") == "keep"


def test_duplicate_document_ids_are_refused(tmp_path: Path) -> None:
    edition = tmp_path / "edition"
    edition.mkdir()
    text = (EDITION / "mini-diary.xml").read_text(encoding="utf-8")
    (edition / "a.xml").write_text(text, encoding="utf-8")
    (edition / "b.xml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="mini-diary"):
        build(edition, tmp_path / "out", validator=valid)


@pytest.mark.skipif(not (TEI / "persons.xml").exists(), reason="edition not in tei/ yet")
def test_build_of_the_edition_with_the_real_validator(tmp_path: Path) -> None:
    result = build(TEI, tmp_path / "out")
    assert "serge-diary-1936-1937" in result.documents
    persons = json.loads((tmp_path / "out" / "persons.json").read_text(encoding="utf-8"))
    assert any(e["id"] == "gide" for e in persons["entries"])


def _many_documents(tmp_path: Path, count: int) -> Path:
    """The test edition with *count* copies of its diary, each under an id of its own."""
    edition = tmp_path / "many"
    edition.mkdir()
    for authority in ("persons", "places", "orgs", "works"):
        (edition / f"{authority}.xml").write_bytes((EDITION / f"{authority}.xml").read_bytes())
    text = (EDITION / "mini-diary.xml").read_text(encoding="utf-8")
    assert 'xml:id="mini-diary"' in text
    for n in range(count):
        (edition / f"d{n:02}.xml").write_text(
            text.replace('xml:id="mini-diary"', f'xml:id="d{n:02}"', 1), encoding="utf-8")
    return edition


def _site_files(site: Path) -> dict[str, bytes]:
    """The site's files but the search index (Pagefind's own, whose hashes vary by run)."""
    return {str(p.relative_to(site)): p.read_bytes() for p in site.rglob("*")
            if p.is_file() and p.name != MARKER and "pagefind" not in p.parts}


def test_large_edition_is_published_in_parallel_the_same(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    edition = _many_documents(tmp_path, pool.POOL_THRESHOLD + 2)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)  # a pool even on a one-core runner
    pooled = build(edition, tmp_path / "pooled", validator=valid)
    monkeypatch.setattr(pool, "POOL_THRESHOLD", 10_000)
    serial = build(edition, tmp_path / "serial", validator=valid)
    assert pooled.files == serial.files and len(pooled.documents) == 18
    assert _site_files(tmp_path / "pooled") == _site_files(tmp_path / "serial")
    persons = json.loads((tmp_path / "pooled" / "persons.json").read_text(encoding="utf-8"))
    gide = next(e for e in persons["entries"] if e["id"] == "gide")
    assert [d["id"] for d in gide["documents"]] == [f"d{n:02}" for n in range(18)]


def test_a_document_failing_in_a_worker_fails_the_build_and_publishes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    edition = _many_documents(tmp_path, pool.POOL_THRESHOLD)
    parent, real = os.getpid(), build_module.read_document

    def changed_since_validation(path: Path, limits: object = None, **kwargs: object) -> object:
        if os.getpid() != parent and path.name == "d07.xml":  # only in a worker
            raise DocumentRejected("not well-formed", path=str(path), line=3, column=7)
        return real(path, limits, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(build_module, "read_document", changed_since_validation)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    with pytest.raises(DocumentRejected) as info:
        build(edition, tmp_path / "out", validator=valid)
    assert info.value.location().endswith("d07.xml:3:7")
    assert not (tmp_path / "out").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.")]


@pytest.mark.parametrize("run_mentions", [1, 7])
def test_indexes_written_in_runs_are_the_indexes_rendered_at_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_mentions: int) -> None:
    """build writes each index file as a frame filled a run of entries at a time (indexes.py):
    with runs this short, letters span several runs, and every file is still the one the
    stylesheet renders from all the texts at once."""
    edition = _many_documents(tmp_path, 3)
    monkeypatch.setattr(indexes, "RUN_MENTIONS", run_mentions)
    monkeypatch.setattr(build_module, "KEEP_BUDGET", 0)  # every document read again: the same
    build(edition, tmp_path / "site", validator=valid)
    docs = [read_document(p) for p in sorted(edition.glob("*.xml"))]
    corpus = edition_corpus([Source(docid(d, Path(d.path)), d) for d in docs
                             if not is_authority(d)])
    pub = publisher()
    params = pub.authority_param([d for d in docs if is_authority(d)])
    for outputs in build_module.INDEXES.values():
        for name, sheet in outputs.items():
            expected = pub.render(sheet, corpus, params)
            if name.endswith(".json"):
                expected = json.dumps(json.loads(expected), ensure_ascii=False, indent=2) + "\n"
            written = (tmp_path / "site" / name).read_bytes().decode("utf-8")
            assert written == expected, name
