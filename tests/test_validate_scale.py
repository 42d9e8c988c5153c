"""The validator at corpus scale: edition context, every error, progress, parse once."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from serge_tei import cli
from serge_tei.config import Config, load_config
from serge_tei.reading import read_document
from serge_tei.validation.edition import edition_facts, edition_params
from serge_tei.validation.jing import jing_rule
from serge_tei.validation.run import validate, validate_with_documents

ROOT = Path(__file__).resolve().parent.parent
EDITION = ROOT / "tei"


# ------------------------------------------------------------ the edition context

def _facts(folder: Path) -> dict[Path, object]:
    return {p.resolve(): edition_facts(read_document(p), p.name)
            for p in sorted(folder.glob("*.xml"))}


def test_edition_params_give_each_document_only_what_its_rules_can_ask() -> None:
    params = edition_params(_facts(EDITION))  # type: ignore[arg-type]
    diary = params[(EDITION / "serge-diary-1936-1937.xml").resolve()]
    persons = params[(EDITION / "persons.xml").resolve()]
    known = diary["known-targets"].split()  # type: ignore[union-attr]
    assert "persons.xml#gide" in known and "persons.xml#serge" in known
    # only the diary's own pointers: nothing that only the review cites
    diary_text = (EDITION / "serge-diary-1936-1937.xml").read_text(encoding="utf-8")
    assert all(f'"{k}"' in diary_text or f"{k} " in diary_text or f" {k}" in diary_text
               for k in known)
    cited = persons["cited-targets"].split()  # type: ignore[union-attr]
    assert "persons.xml#gide" in cited and all(c.startswith("persons.xml#") for c in cited)
    assert diary["other-ids"] == "" and diary["in-edition"] is True


def test_an_unresolved_pointer_and_a_shared_id_are_still_found(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(EDITION, project / "tei")
    shutil.copytree(ROOT / "schema", project / "schema")  # where the xml-model PIs point
    (project / "pyproject.toml").write_text('[tool.serge-tei]\nedition = "tei"\n')
    diary = project / "tei" / "serge-diary-1936-1937.xml"
    text = diary.read_text(encoding="utf-8")
    text = text.replace('ref="persons.xml#gide"', 'ref="persons.xml#nobody"', 1)
    text = text.replace('xml:id="diary-n3"', 'xml:id="gide"', 1)  # an id persons.xml has
    diary.write_text(text, encoding="utf-8")
    report = validate([project / "tei"], config=load_config(project))
    rules = {f.rule for f in report.findings if f.path.endswith("serge-diary-1936-1937.xml")}
    assert {"serge.ref-resolves", "serge.id-unique"} <= rules


def test_build_can_reuse_the_documents_validation_parsed() -> None:
    config = load_config(ROOT)
    report, parsed = validate_with_documents([EDITION], config=config)
    assert report.exit_code == 0
    assert {p.name for p in parsed} == {p.name for p in EDITION.glob("*.xml")}
    doc = parsed[(EDITION / "persons.xml").resolve()]
    assert doc.root.get("{http://www.w3.org/XML/1998/namespace}id") == "persons-authority"


# ------------------------------------------------------------ every error

@pytest.mark.parametrize(("message", "rule"), [
    ('element "seg" not allowed here; expected element "p"', "rng.content"),
    ('element "unclear" not allowed anywhere', "rng.content"),
    ('element "teiHeader" incomplete; missing required element "revisionDesc"', "rng.content"),
    ("text not allowed here", "rng.content"),
    ('element "date" missing required attribute "when"', "rng.attribute"),
    ('attribute "wobble" not allowed here; expected attribute "ana"', "rng.attribute"),
    ('value of attribute "when" is invalid; must be an ISO date', "rng.datatype"),
    ('character content of element "num" invalid; must be an integer', "rng.datatype"),
])
def test_jing_messages_get_the_rule_ids_of_the_other_engines(message: str, rule: str) -> None:
    assert jing_rule(message) == rule


@pytest.mark.skipif(shutil.which("java") is None, reason="jing needs Java")
def test_two_errors_inside_one_element_are_both_reported() -> None:
    fixture = ROOT / "tests" / "data" / "validate" / "rng-two-errors-one-element.xml"
    report = validate([fixture], config=Config())
    assert [(f.line, f.rule) for f in report.findings] == [(40, "rng.content"),
                                                           (42, "rng.content")]
    assert all(f.column > 0 for f in report.findings)


# ------------------------------------------------------------ progress

@pytest.mark.parametrize(("fmt", "total", "tty", "ci", "shown"), [
    ("text", 50, True, "", True),
    ("text", 49, True, "", False),  # short runs: no bar
    ("json", 500, True, "", False),  # machine-read formats: never
    ("text", 500, False, "", False),  # not a terminal (a log, a pipe)
    ("text", 500, True, "true", False),  # CI logs, even on a pseudo-terminal
])
def test_progress_bar_only_for_long_text_runs_on_a_terminal(
        monkeypatch: pytest.MonkeyPatch, fmt: str, total: int, tty: bool, ci: str,
        shown: bool) -> None:
    monkeypatch.setattr(sys.stderr, "isatty", lambda: tty, raising=False)
    monkeypatch.setenv("CI", ci)
    assert cli._use_progress(fmt, total) is shown


def test_progress_bar_counts_the_files_it_will_check(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for i in range(60):
        (tmp_path / f"f{i:02d}.xml").write_text("<TEI/>")
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    monkeypatch.delenv("CI", raising=False)
    bar = cli._progress_bar("text", (str(tmp_path),), Config())
    assert bar is not None and bar.length == 60
    assert cli._progress_bar("github", (str(tmp_path),), Config()) is None
