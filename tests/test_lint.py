"""The linter: self-describing fixtures, the CLI in-process, corpora, the edition."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from serge_tei.cli import main
from serge_tei.config import Config, load_config
from serge_tei.errors import ExitCode, UsageError
from serge_tei.lint import RULES, lint
from serge_tei.lint_names import Entry, Matcher, fold

DATA = Path(__file__).parent / "data"
LINT = DATA / "lint"
#: A unit is linted in one run: each top-level fixture alone, each folder as a whole.
UNITS = [*sorted(LINT.glob("*.xml")), *sorted(p for p in LINT.iterdir() if p.is_dir())]
EXPECT = re.compile(r"<\?serge-expect ([^?]*)\?>")
WORDED = {"lint.untagged", "lint.date-untagged"}


def expectations(path: Path) -> Counter[tuple[str, int, str]]:
    """The (rule, line, quoted words) findings a fixture states, with repeats."""
    out: Counter[tuple[str, int, str]] = Counter()
    for body in EXPECT.findall(path.read_text(encoding="utf-8")):
        attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', body))
        out[(attrs["rule"], int(attrs["line"]), attrs.get("words", ""))] += 1
    return out


def found(findings: list) -> Counter[tuple[str, int, str]]:
    """The same triples from actual findings; words only for the rules that quote text."""
    out: Counter[tuple[str, int, str]] = Counter()
    for f in findings:
        quoted = re.search(r"“(.*?)”", f.message)
        words = quoted.group(1) if quoted and f.rule in WORDED else ""
        out[(f.rule, f.line, words)] += 1
    return out


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.mark.parametrize("unit", UNITS, ids=lambda p: p.name)
def test_fixture_reports_exactly_its_findings(unit: Path) -> None:
    report = lint([unit])
    assert report.files and all(r.readable for r in report.files)
    for result in report.files:
        path = Path(result.path)
        assert found(result.findings) == expectations(path), result.path
        assert all(f.column > 0 and f.rule in RULES for f in result.findings)


def test_every_rule_has_a_fixture() -> None:
    stated = {rule for p in LINT.rglob("*.xml") for rule, _, _ in expectations(p)}
    assert stated == set(RULES)


def test_a_name_in_a_title_or_an_organisation_and_last_the_adjective_are_not_mentions() -> None:
    report = lint([LINT / "untagged-not.xml"])
    assert [f for f in report.findings if f.rule == "lint.untagged"] == []


def test_untagged_mention_names_the_entry_it_probably_means() -> None:
    report = lint([LINT / "untagged-names.xml"])
    messages = [f.message for f in report.findings if f.rule == "lint.untagged"]
    assert "untagged mention “Chrzanow”: probably untagged-names.xml#chrzanow (Chrzanów)" \
        in messages


def test_authority_files_from_the_configuration(tmp_path: Path) -> None:
    doc = tmp_path / "doc.xml"
    text = (LINT / "project" / "diary.xml").read_text(encoding="utf-8")
    # No pointer names the authority file: only the configuration can.
    doc.write_text(text.replace("<div>", "<div><p>Then Wrangel and Nin left.</p>", 1)
                   .replace('ref="persons.xml#', 'ref="#').replace('who="persons.xml#', 'who="#'),
                   encoding="utf-8")
    assert not [f for f in lint([doc], config=Config()).findings if f.rule == "lint.untagged"]
    config = Config(authorities=(LINT / "project" / "persons.xml",))
    words = [re.search("“(.*?)”", f.message).group(1)
             for f in lint([doc], config=config).findings if f.rule == "lint.untagged"]
    assert words == ["Wrangel", "Nin"]


def test_matcher_prefers_the_longest_name_and_spans_line_breaks() -> None:
    serge = Entry("a#serge", "a#serge", "person", {"Victor Serge": None, "Serge": None})
    foundation = Entry("a#f", "a#f", "org", {"Victor Serge Foundation": None})
    matcher = Matcher([serge, foundation])
    text = fold("the Victor\n  Serge Foundation, Victor Serge, Serge's, Sergei")
    assert [m.group() for m in matcher.finditer(text)] == [
        "Victor   Serge Foundation", "Victor Serge", "Serge"]


@given(st.text())
def test_folding_keeps_the_length_of_any_text(text: str) -> None:
    assert len(fold(text)) == len(text)


# ------------------------------------------------------------------ the CLI


def test_cli_prints_located_findings_and_exits_1_on_errors(runner: CliRunner) -> None:
    who = LINT / "who.xml"
    result = runner.invoke(main, ["lint", str(who)])
    assert result.exit_code == ExitCode.INVALID
    lines = result.output.splitlines()
    assert lines[:2] == [
        f'{who}:28:13: error: @who="#nobody" points to no person entry [lint.who-unresolved]',
        f'{who}:28:66: error: @who="#lille" points to a place, not a person '
        "[lint.who-unresolved]",
    ]
    assert re.fullmatch(r"1 file linted: 1 invalid, 2 errors, 0 warnings \(\d+\.\d\d s\)",
                        lines[-1])


def test_cli_warnings_fail_only_with_strict(runner: CliRunner) -> None:
    names = str(LINT / "untagged-names.xml")
    assert runner.invoke(main, ["lint", names]).exit_code == ExitCode.OK
    assert runner.invoke(main, ["lint", "--strict", names]).exit_code == ExitCode.INVALID
    # information (an unused variant) never fails, even with --strict
    quiet = runner.invoke(main, ["lint", "--strict", str(LINT / "untagged-not.xml")])
    assert quiet.exit_code == ExitCode.OK
    assert "info: variant “Last” of untagged-not.xml#last is used in none" in quiet.output


def test_cli_missing_file_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["lint", str(tmp_path / "nope.xml")])
    assert result.exit_code == ExitCode.USAGE
    assert "[input.unusable]" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("fmt", ["json", "github", "junit"])
def test_cli_formats_render_the_same_findings(runner: CliRunner, fmt: str) -> None:
    result = runner.invoke(main, ["lint", "-f", fmt, str(LINT / "notes.xml")])
    assert result.exit_code == ExitCode.INVALID
    if fmt == "json":
        data = json.loads(result.output)
        assert data["summary"]["errors"] == 5
        assert {f["rule"] for f in data["files"][0]["findings"]} == {"lint.note-anchor"}
    elif fmt == "github":
        errors = [ln for ln in result.output.splitlines() if ln.startswith("::error file=")]
        assert len(errors) == 5 and all("line=" in ln for ln in errors)
    else:
        suite = etree.fromstring(result.output.encode())
        assert sum(int(s.get("failures", "0")) for s in suite.iter("testsuite")) >= 1
        assert "lint.note-anchor" in result.output


def test_public_corpora_lint_without_crashing(runner: CliRunner) -> None:
    result = runner.invoke(main, ["lint", str(DATA / "corpora")])
    assert result.exit_code == ExitCode.OK, result.output
    assert "Traceback" not in result.output
    # The plays' own cast lists serve as authorities: characters named in stage
    # directions without markup are found, and located.
    assert re.search(r"nestroy-der-zerrissene\.xml:\d+:\d+: warning: untagged mention "
                     r"“Lips”: probably nestroy-der-zerrissene\.xml#lips", result.output)


def test_the_edition_lints_clean() -> None:
    report = lint(config=load_config(Path(__file__).resolve().parent.parent))
    assert len(report.files) >= 6
    assert [f"{f.path}:{f.line}: {f.message}" for f in report.findings] == []


def test_hostile_inputs_are_findings_not_tracebacks(runner: CliRunner) -> None:
    result = runner.invoke(main, ["lint", str(DATA / "hostile")])
    assert result.exit_code == ExitCode.USAGE
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "[input.rejected]" in result.output and "[input.unusable]" in result.output


def test_configuration_names_authority_files(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.serge-tei]\nauthorities = ["auth/persons.xml"]\n', encoding="utf-8")
    assert load_config(tmp_path).authorities == ((tmp_path / "auth/persons.xml").resolve(),)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.serge-tei]\nauthorities = "auth/persons.xml"\n', encoding="utf-8")
    with pytest.raises(UsageError, match="authorities must be a list of paths"):
        load_config(tmp_path)


def test_every_silencing_instruction_in_the_edition_silences_something(tmp_path: Path) -> None:
    edition = Path(__file__).resolve().parent.parent / "tei"
    for source in sorted(edition.glob("*.xml")):
        text = source.read_text(encoding="utf-8")
        for pi in re.finditer(r'<\?serge-lint allow="([^"]*)"\?>', text):
            assert set(pi.group(1).split()) <= set(RULES), pi.group(0)
            copy = tmp_path / source.name
            copy.write_text(text[:pi.start()] + text[pi.end():], encoding="utf-8")
            for other in edition.glob("*.xml"):
                if other.name != source.name:
                    (tmp_path / other.name).write_bytes(other.read_bytes())
            rules = {f.rule for f in lint([tmp_path]).findings}
            assert set(pi.group(1).split()) <= rules, f"{source.name}: {pi.group(0)} is stale"


def test_worker_processes_find_exactly_what_one_process_finds(tmp_path: Path) -> None:
    project = LINT / "project"
    for source in project.glob("*.xml"):
        (tmp_path / source.name).write_bytes(source.read_bytes())
    diary = (project / "diary.xml").read_text(encoding="utf-8")
    for k in range(20):  # more than the pool threshold; half use the variant "Magdeleine"
        text = diary if k % 2 else diary.replace(">MP<", ">Magdeleine<")
        (tmp_path / f"diary-{k:02d}.xml").write_text(text, encoding="utf-8")

    def seen(jobs: int) -> list[tuple[str, int, str, str]]:
        report = lint([tmp_path], jobs=jobs)
        return [(Path(f.path).name, f.line, f.rule, f.message) for f in report.findings]

    single = seen(1)
    assert seen(2) == single
    # used in another process, the variant is not reported as unused
    assert not [f for f in single if f[2] == "lint.variant-unused"]
    assert len([f for f in single if f[2] == "lint.untagged"]) == 21
