"""Outputs for CI: SARIF 2.1.0 (checked against its JSON schema), GitHub annotations and job
summary within GitHub's limits, --exit-zero, and the schema each file was checked against.

Every format renders the same findings: the counts are checked across formats.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from serge_tei.cli import main
from serge_tei.findings import FileResult, Finding, Severity
from serge_tei.formats import (
    ANNOTATIONS_PER_KIND,
    SUMMARY_LIMIT,
    github_step_summary,
    render_github,
)

jsonschema = pytest.importorskip("jsonschema")

DATA = Path(__file__).parent / "data"
FIXTURES = DATA / "validate"
SARIF_SCHEMA = json.loads((DATA / "sarif" / "sarif-schema-2.1.0.json").read_text("utf-8"))
#: fixtures with grammar, Schematron and duplicate-id findings, and a valid one
MIXED = [FIXTURES / f"{name}.xml" for name in (
    "rng-two-errors-one-element", "sch-idno-form", "dup-xml-id", "valid-minimal")]


def _findings(n_files: int, per_file: int, severity: Severity = Severity.ERROR,
              rules: int = 1) -> list[FileResult]:
    return [FileResult(f"tei/f{i:03d}.xml", [
        Finding(f"tei/f{i:03d}.xml", line + 1, 3, severity, f"rule.{line % rules}",
                f"problem {line} in file {i}") for line in range(per_file)])
        for i in range(n_files)]


def test_sarif_is_valid_sarif_2_1_0_with_every_finding() -> None:
    runner = CliRunner()
    sarif = runner.invoke(main, ["validate", "--format", "sarif", *map(str, MIXED)])
    as_json = runner.invoke(main, ["validate", "--format", "json", *map(str, MIXED)])
    assert sarif.exit_code == as_json.exit_code == 1
    log = json.loads(sarif.stdout)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    [run] = log["runs"]
    findings = [f for file in json.loads(as_json.stdout)["files"] for f in file["findings"]]
    assert len(run["results"]) == len(findings) == 8  # 2 + 5 + 1
    assert [r["ruleId"] for r in run["results"]] == [f["rule"] for f in findings]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert all(rules[r["ruleIndex"]] == r["ruleId"] for r in run["results"])
    first = run["results"][0]
    region = first["locations"][0]["physicalLocation"]["region"]
    assert (first["ruleId"], first["level"], region["startLine"]) == ("rng.content", "error", 40)
    assert first["locations"][0]["logicalLocations"][0]["fullyQualifiedName"].startswith("/*/")
    duplicate = next(r for r in run["results"] if r["ruleId"] == "xml.duplicate-id")
    assert duplicate["relatedLocations"][0]["physicalLocation"]["region"]["startLine"] == 39


def test_sarif_of_an_unusable_file_and_of_no_finding_is_valid(tmp_path: Path) -> None:
    missing = CliRunner().invoke(main, ["validate", "--format", "sarif", str(tmp_path / "x.xml")])
    assert missing.exit_code == 2
    log = json.loads(missing.stdout)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    assert log["runs"][0]["results"][0]["ruleId"] == "input.unusable"
    assert log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"][
        "uri"] == (tmp_path / "x.xml").as_uri()
    clean = CliRunner().invoke(main, ["validate", "--format", "sarif",
                                      str(FIXTURES / "valid-minimal.xml")])
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(json.loads(clean.stdout))


def test_github_annotates_at_most_ten_of_each_kind_and_says_how_many_more() -> None:
    results = _findings(5, 8, rules=4) + _findings(2, 7, Severity.WARNING)
    out = render_github(results, 1.0).splitlines()
    errors = [line for line in out if line.startswith("::error ")]
    warnings = [line for line in out if line.startswith("::warning ")]
    notices = [line for line in out if line.startswith("::notice ")]
    assert len(errors) == len(warnings) == ANNOTATIONS_PER_KIND and len(notices) == 1
    assert notices[0] == ("::notice title=serge-tei::34 more findings not annotated (GitHub "
                          "shows 10 of each kind per step): every finding is listed below and "
                          "in the job summary")
    # the most useful: every rule and every file annotated, rather than ten of one file
    assert {re.search(r"title=(rule\.\d)", e)[1] for e in errors} == {  # type: ignore[index]
        "rule.0", "rule.1", "rule.2", "rule.3"}
    assert len({re.search(r"file=([^,]+)", e)[1] for e in errors}) == 5  # type: ignore[index]
    plain = [line for line in out if re.match(r"tei/f\d+\.xml:\d+:3: ", line)]
    assert len(plain) == 5 * 8 + 2 * 7  # the log keeps every finding
    assert out[-1].startswith("7 files checked: 5 invalid, 40 errors, 14 warnings")


def test_github_below_the_limits_prints_only_annotations() -> None:
    out = render_github(_findings(1, 3), 0.5).splitlines()
    assert [line.split(" ")[0] for line in out] == ["::error", "::error", "::error", "1"]


def test_the_job_summary_stays_within_one_mebibyte() -> None:
    results = _findings(200, 300, rules=7)  # 60,000 findings: about 6 MB of table
    summary = github_step_summary(results, 2.0)
    assert len(summary.encode("utf-8")) <= SUMMARY_LIMIT
    last = summary.rstrip("\n").splitlines()[-1]
    left = int(last.split()[0])
    shown = sum(1 for line in summary.splitlines() if line.startswith("| tei/"))
    assert shown + left == 60_000 and shown > 5_000
    assert last.endswith("more findings left out: a job summary is limited to 1 MiB (run "
                         "`serge-tei validate --format json` for all)")


def test_the_cli_appends_to_the_summary_within_what_is_left(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("x" * (SUMMARY_LIMIT - 5000), encoding="utf-8")  # earlier output
    invalid = [str(FIXTURES / "sch-idno-form.xml")] * 1
    result = CliRunner().invoke(main, ["validate", "--format", "github", *invalid],
                                env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 1
    assert summary.stat().st_size <= SUMMARY_LIMIT
    assert "| serge.idno-form |" in summary.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit"])
def test_exit_zero_reports_everything_and_passes(fmt: str, tmp_path: Path) -> None:
    invalid = str(FIXTURES / "sch-date-order.xml")
    result = CliRunner().invoke(main, ["validate", "--exit-zero", "--format", fmt, invalid])
    assert result.exit_code == 0
    assert "serge.date-order" in result.output
    missing = CliRunner().invoke(main, ["validate", "--exit-zero", str(tmp_path / "no.xml")])
    assert missing.exit_code == 2  # unusable input is not a finding to adopt gradually


def test_the_text_summary_names_the_schema_when_it_is_not_the_editions(tmp_path: Path) -> None:
    own = CliRunner().invoke(main, ["validate", str(FIXTURES / "valid-minimal.xml")])
    assert "checked against" not in own.output
    schema = tmp_path / "any.rng"
    schema.write_text('<element name="TEI" ns="http://www.tei-c.org/ns/1.0" '
                      'xmlns="http://relaxng.org/ns/structure/1.0"><empty/></element>')
    doc = tmp_path / "d.xml"
    doc.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"/>')
    forced = CliRunner().invoke(main, ["validate", "--schema", str(schema), str(doc)])
    assert forced.exit_code == 0
    assert forced.output.splitlines()[0] == (
        f"checked against {schema} [option, engine libxml2]: 1 file")
