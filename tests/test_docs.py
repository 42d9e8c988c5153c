"""The generated encoder's manual, and the CI recipes of docs/ci.md run on a sample project."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
from datetime import date
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from lxml import etree

from serge_tei import __version__
from serge_tei.cli import main
from serge_tei.init import init_project
from serge_tei.manual import (
    ATTRIBUTES,
    Schema,
    attribute_names,
    element_reference,
    render_manual,
)
from serge_tei.resources import schema_dir

ROOT = Path(__file__).resolve().parent.parent
MANUAL = ROOT / "docs" / "encoding.md"
TEI = "http://www.tei-c.org/ns/1.0"
ANNOTATION = re.compile(
    r"^::(error|warning|notice) file=(?P<file>[^,]+),line=(?P<line>\d+),col=(?P<col>\d+),"
    r"title=(?P<rule>[\w.\-]+)::(?P<message>.+)$")


# ------------------------------------------------------------------ the manual

@pytest.fixture(scope="module")
def manual() -> str:
    return render_manual(ROOT / "tei", ROOT)


def test_committed_manual_is_fresh(manual: str) -> None:
    assert MANUAL.read_text(encoding="utf-8") == manual, (
        "docs/encoding.md is stale: run serge-tei docs -o docs/encoding.md")


def test_every_element_and_attribute_is_documented(manual: str) -> None:
    defs = element_reference(Schema(schema_dir() / "serge-tei.rng"))
    assert [d.define for d in defs if not d.doc] == []
    assert [a for a in attribute_names(defs) if a not in ATTRIBUTES] == []
    assert sorted(set(ATTRIBUTES) - set(attribute_names(defs))) == []  # no stale entries
    assert "(undocumented)" not in manual
    elements = {d.element for d in defs}
    for name in elements:
        assert f"#### `{name}`" in manual


def test_every_element_the_edition_uses_has_an_example(manual: str) -> None:
    used = {etree.QName(el).localname for path in (ROOT / "tei").glob("*.xml")
            for el in etree.parse(str(path)).iter(f"{{{TEI}}}*")}
    entries = re.split(r"^#### ", manual, flags=re.M)[1:]
    with_example = {re.match(r"`(\w+)`", e)[1] for e in entries if "\nExample (" in e}
    assert used - with_example == set()


def test_examples_are_located_at_their_start_tag(manual: str) -> None:
    examples = []
    for entry in re.split(r"^#### ", manual, flags=re.M)[1:]:
        found = re.search(r"^Example \((tei/[\w.\-]+), line (\d+)\):\n\n```xml\n<(\w+)",
                          entry, flags=re.M)
        if found:
            examples.append((re.match(r"`(\w+)`", entry)[1], *found.groups()))  # type: ignore
    assert len(examples) > 80
    for element, path, line, tag in examples:
        assert tag == element
        source_line = (ROOT / path).read_text(encoding="utf-8").splitlines()[int(line) - 1]
        assert f"<{element}" in source_line, (element, path, line)


def test_policy_and_rules_come_from_the_files(manual: str) -> None:
    diary = etree.parse(str(ROOT / "tei" / "serge-diary-1936-1937.xml"))
    for p in diary.iterfind(f".//{{{TEI}}}editorialDecl//{{{TEI}}}p"):
        assert " ".join("".join(p.itertext()).split()) in manual
    sch = etree.parse(str(schema_dir() / "serge-tei.sch"))
    for rule in {a.get("id") for a in sch.iter("{http://purl.oclc.org/dsdl/schematron}assert")}:
        assert f"| `{rule}` |" in manual
    assert '<person xml:id="' in manual and "persons.xml#" in manual  # the how-to's snippets


def test_the_docs_command_writes_the_manual(tmp_path: Path, manual: str,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    out = tmp_path / "encoding.md"
    result = CliRunner().invoke(main, ["docs", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == manual


def test_the_manual_of_a_new_project_uses_its_own_files(tmp_path: Path) -> None:
    init_project(tmp_path / "p", title="Letters", editor="Ada Lovelace", today=date(2026, 1, 2))
    text = render_manual(tmp_path / "p" / "tei", tmp_path / "p")
    assert "Example (tei/letters.xml, line " in text
    assert "Not used in the edition yet." in text  # e.g. said: the template has none


# ------------------------------------------------------------------ docs/ci.md

def fenced(markdown: str, lang: str) -> list[str]:
    return re.findall(rf"^```{lang}\n(.*?)^```$", markdown, flags=re.M | re.S)


CI = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")


def ci_block(first_line: str) -> dict:
    (block,) = [b for b in fenced(CI, "yaml") if b.startswith(first_line)]
    return yaml.safe_load(block)


GIT_ENV = {"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.org",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "init.defaultBranch=main", *args], cwd=cwd, check=True,
                   capture_output=True, timeout=30, env={**os.environ, **GIT_ENV})


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """A project cloned from its upstream (so origin/main exists), on a pull-request branch
    that makes one date range run backwards; returns the clone and the line of that date."""
    base = tmp_path_factory.mktemp("ci")
    upstream = base / "upstream"
    init_project(upstream, title="Letter", editor="Ada Lovelace", today=date(2026, 1, 2))
    git(upstream, "init", "-q")
    git(upstream, "add", ".")
    git(upstream, "commit", "-q", "-m", "start")
    clone = base / "clone"
    git(base, "clone", "-q", str(upstream), str(clone))
    git(clone, "checkout", "-q", "-b", "pr")
    doc = clone / "tei" / "letter.xml"
    lines = doc.read_text(encoding="utf-8").splitlines(keepends=True)
    n = next(i for i, ln in enumerate(lines) if "<p>Transcribe" in ln)
    lines[n] = lines[n].replace(
        "<p>Transcribe", '<p><date notBefore="1937-05-31" notAfter="1937-05-16">May</date> '
        "Transcribe")
    doc.write_text("".join(lines), encoding="utf-8")
    git(clone, "commit", "-q", "-am", "a backwards date")
    return clone, n + 1


def _in_process(command: str, cwd: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    args = shlex.split(command)
    assert args[0] == "serge-tei"
    monkeypatch.chdir(cwd)
    result = CliRunner().invoke(main, args[1:])
    return result.exit_code, result.output


def _expanded(step: dict) -> str:
    """A step's command as the runner sees it, for a pull request against main."""
    command = str(step["run"])
    for name, value in step.get("env", {}).items():
        command = command.replace(f"${{{name}}}", value.replace("${{ github.base_ref }}", "main"))
    return command


def test_documented_workflow_is_the_one_init_writes(tmp_path: Path) -> None:
    init_project(tmp_path / "p", editor="A B")
    written = (tmp_path / "p" / ".github/workflows/tei.yml").read_text(encoding="utf-8")
    documented = ci_block("# .github/workflows/tei.yml")
    assert documented == yaml.safe_load(written)


def test_github_workflow_commands_produce_annotations(sample: tuple[Path, int], tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    project, line = sample
    steps = ci_block("# .github/workflows/tei.yml")["jobs"]["tei"]["steps"]
    runs = [_expanded(s) for s in steps if "run" in s]
    assert runs[0] == f'python -m pip install "serge-tei=={__version__}"'
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    for command in runs[1:]:
        code, output = _in_process(command, project, monkeypatch)
        if command.startswith("serge-tei build"):  # the invalid letter stops the build
            assert code == 1 and "nothing was published" in output, output
            continue
        *annotations, last = output.splitlines()
        files = "1 file" if "--changed" in command else "2 files"  # only the PR's document
        assert re.match(rf"^{files} (checked|linted): ", last), output
        parsed = [ANNOTATION.match(a) for a in annotations]
        assert all(parsed), output
        if " validate " in command:
            assert code == 1
            (found,) = [m for m in parsed if m["rule"] == "serge.date-order"]  # type: ignore
            assert (found["file"], int(found["line"])) == ("tei/letter.xml", line)
        else:
            assert code in (0, 1)
    (documented,) = fenced(CI, "text")  # the sample output shown in docs/ci.md
    annotation, summary_line = documented.splitlines()
    assert ANNOTATION.match(annotation)
    assert re.match(r"^1 file checked: 1 invalid, 1 error, 0 warnings \(\d+\.\d\d s\)$",
                    summary_line)
    table = summary.read_text(encoding="utf-8")
    assert "| tei/letter.xml | " in table and "serge.date-order" in table


def test_code_scanning_step_writes_sarif(sample: tuple[Path, int],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    project, line = sample
    (step, upload) = ci_block("# code scanning")
    command, target = (part.strip() for part in step["run"].split(">"))
    assert target == upload["with"]["sarif_file"] == "serge-tei.sarif"
    code, output = _in_process(command, project, monkeypatch)
    assert code == 0, output  # --exit-zero: the upload step still runs
    log = json.loads(output)
    (found,) = [r for r in log["runs"][0]["results"] if r["ruleId"] == "serge.date-order"]
    location = found["locations"][0]["physicalLocation"]
    assert (location["artifactLocation"]["uri"], location["region"]["startLine"]) == (
        "tei/letter.xml", line)


def test_gitlab_job_writes_junit_reports(sample: tuple[Path, int]) -> None:
    project, _ = sample
    job = ci_block("# .gitlab-ci.yml")["tei"]
    script = job["script"]
    assert script[0] == f'python -m pip install "serge-tei=={__version__}"'
    reports = job["artifacts"]["reports"]["junit"]
    assert job["artifacts"]["when"] == "always"
    for command in script[1:]:
        done = subprocess.run(["bash", "-c", command], cwd=project, capture_output=True,
                              text=True, timeout=120, check=False)
        assert done.returncode in (0, 1), done.stderr
    for report in reports:
        suite = etree.parse(str(project / report)).getroot()
        assert suite.tag == "testsuites" and suite.get("tests") == "2"
        cases = {c.get("name"): c for c in suite.iter("testcase")}
        assert set(cases) == {"tei/letter.xml", "tei/persons.xml"}
        assert cases["tei/persons.xml"].find("failure") is None
    validate = etree.parse(str(project / reports[0])).getroot()
    (failure,) = validate.iter("failure")
    assert failure.get("type") == "invalid" and "is later than" in failure.get("message")
    assert re.search(r"^tei/letter\.xml:\d+:\d+: error: .* \[serge\.date-order\]$",
                     failure.text, flags=re.M)
