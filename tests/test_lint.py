"""The linter: self-describing fixtures, the CLI in-process, corpora, the edition."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from serge_tei.cli import main
from serge_tei.config import Config, LintConfig, LintProfileConfig, load_config
from serge_tei.errors import ExitCode, UsageError
from serge_tei.lint import RULES, lint
from serge_tei.lint.names import Entry, Matcher, fold, searchable
from serge_tei.lint.profiles import kind_of
from serge_tei.reading import read_document

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
    # a stale baseline entry is a finding about a baseline file: test_baseline_* show it
    assert stated == set(RULES) - {"lint.baseline-stale"}


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
    assert [text[m.start:m.end] for m in matcher.finditer(text)] == [
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


def test_public_corpora_lint_clean_under_their_own_conventions(runner: CliRunner) -> None:
    # DraCor plays tag no name in their text and Schnitzler's diary tags only each
    # entry's own date: their untagged names and dates are conventions, not omissions.
    result = runner.invoke(main, ["lint", str(DATA / "corpora")])
    assert result.exit_code == ExitCode.OK, result.output
    files = len(list(DATA.joinpath("corpora").glob("*.xml")))
    assert result.output.splitlines()[-1].startswith(
        f"{files} files linted: 0 invalid, 0 errors, 0 warnings")


def test_plays_searched_always_find_their_characters_but_no_pronoun_or_role() -> None:
    config = Config(lint=LintConfig(profiles={"drama": LintProfileConfig(omissions="always")}))
    report = lint(sorted(DATA.joinpath("corpora").glob("*-*-*.xml")), config=config)
    words = Counter(re.search("“(.*?)”", f.message).group(1)
                    for f in report.findings if f.rule == "lint.untagged")
    # The play's own cast list serves as its authority: Lips, named in stage
    # directions and speeches without markup, is found.
    assert words["Lips"] > 0
    assert not {"Er", "Sie", "Herr", "Frau", "Mutter", "König", "Diener"} & set(words)


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


# ------------------------------------------------------------------ profiles


@pytest.mark.parametrize(("fixture", "kind"), [
    ("drama-tagged.xml", "drama"), ("drama-untagged.xml", "drama"), ("letter.xml", "letters"),
    ("diary-entry.xml", "prose"), ("dates.xml", "prose")])
def test_the_profile_is_chosen_from_the_document(fixture: str, kind: str) -> None:
    assert kind_of(read_document(LINT / fixture).root) == kind


def test_a_signature_alone_does_not_make_the_edition_letters() -> None:
    # the edition's diary and essay end with a <closer>: still prose, every rule runs
    for source in sorted((Path(__file__).resolve().parent.parent / "tei").glob("*.xml")):
        assert kind_of(read_document(source).root) == "prose", source.name


def test_a_forced_profile_applies_to_every_document() -> None:
    # as prose, the play's speeches are searched like any text: its pronoun cast members
    # and the names inside @who-marked elements are reported again
    forced = Config(lint=LintConfig(profile="prose", profiles={
        "prose": LintProfileConfig(omissions="always")}))
    words = sorted(re.search("“(.*?)”", f.message).group(1)
                   for f in lint([LINT / "drama-tagged.xml"], config=forced).findings
                   if f.rule == "lint.untagged")
    assert words == ["Er", "Franz", "König", "König", "Marie", "Marie", "Marie", "Sie"]


# ------------------------------------------------------------------ configuration


def _project(folder: Path, lint_table: str, *files: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pyproject.toml").write_text(
        f'[tool.serge-tei]\nedition = "tei"\n\n[tool.serge-tei.lint]\n{lint_table}',
        encoding="utf-8")
    (folder / "tei").mkdir(exist_ok=True)
    for source in files:
        (folder / "tei" / source.name).write_bytes(source.read_bytes())
    return folder


def _rules(config: Config, *units: Path) -> Counter[str]:
    return Counter(f.rule for f in lint(list(units), config=config).findings)


def test_select_and_ignore_take_rule_ids_and_prefixes_like_ruff(tmp_path: Path) -> None:
    dates, notes = LINT / "dates.xml", LINT / "notes.xml"
    everything = _rules(Config(), dates, notes)
    assert set(everything) == {"lint.date-mismatch", "lint.date-unnormalised",
                               "lint.date-untagged", "lint.note-anchor"}
    config = load_config(_project(tmp_path / "a", 'ignore = ["lint.date"]\n'))
    assert _rules(config, dates, notes) == Counter({"lint.note-anchor": 5})
    # the more specific selector wins: every date rule but the untagged one
    config = load_config(_project(tmp_path / "b", 'select = ["lint.date"]\n'
                                                  'ignore = ["lint.date-untagged"]\n'))
    assert set(_rules(config, dates, notes)) == {"lint.date-mismatch", "lint.date-unnormalised"}
    config = load_config(_project(tmp_path / "c", 'select = ["lint.note-anchor"]\n'
                                                  'ignore = ["lint"]\n'))
    assert _rules(config, dates, notes) == Counter({"lint.note-anchor": 5})


def test_a_profile_table_changes_that_profile_only(tmp_path: Path) -> None:
    config = load_config(_project(tmp_path, '[tool.serge-tei.lint.drama]\n'
                                            'ignore = ["lint.who-unresolved"]\n'))
    assert _rules(config, LINT / "drama-untagged.xml") == Counter()
    assert _rules(config, LINT / "who.xml") == Counter({"lint.who-unresolved": 2})


@pytest.mark.parametrize(("table", "line", "message"), [
    ('select = ["lint.untaged"]\n', 5, "'lint.untaged' is no lint rule id nor a prefix of one; "
                                       'did you mean "lint.untagged"?'),
    ('ignore = "lint.untagged"\n', 5, "ignore must be a list of strings"),
    ('profile = "poetry"\n', 5,
     "profile must be one of 'prose', 'drama', 'letters', not 'poetry'"),
    ('selct = ["lint"]\n', 5, "has an unknown key 'selct'; did you mean \"select\"?"),
    ('[tool.serge-tei.lint.drama]\nomissions = "never"\n', 6,
     "omissions must be one of 'when-practised', 'always', not 'never'"),
    ('[tool.serge-tei.lint.drama]\nuntagged = "always"\n', 6, "has an unknown key 'untagged'"),
    ('baseline = "../outside.json"\n', 5, "baseline must be inside the project root"),
])
def test_lint_settings_are_checked_with_file_and_line(tmp_path: Path, table: str, line: int,
                                                      message: str) -> None:
    project = _project(tmp_path / "p", table)
    with pytest.raises(UsageError) as info:
        load_config(project)
    assert info.value.line == line and message in info.value.message


def test_authority_files_outside_the_project_are_refused(tmp_path: Path) -> None:
    project = tmp_path / "p"
    project.mkdir()
    (project / "pyproject.toml").write_text(
        '[tool.serge-tei]\nauthorities = ["../private/persons.xml"]\n', encoding="utf-8")
    with pytest.raises(UsageError, match="authorities must be inside the project root"):
        load_config(project)


# ------------------------------------------------------------------ baseline


def _diary_project(tmp_path: Path) -> tuple[Path, Path]:
    project = _project(tmp_path / "edition", 'baseline = "lint-baseline.json"\n',
                       LINT / "untagged-names.xml")
    return project, project / "tei" / "untagged-names.xml"


def _lint_cli(runner: CliRunner, project: Path, *args: str) -> tuple[int, list[str]]:
    result = runner.invoke(main, ["lint", *args, str(project / "tei")])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output.splitlines()


def test_baseline_records_findings_and_later_runs_report_only_new_ones(
        runner: CliRunner, tmp_path: Path) -> None:
    project, doc = _diary_project(tmp_path)
    baseline = project / "lint-baseline.json"
    # configured but not written yet: a usage error saying what to do
    code, lines = _lint_cli(runner, project)
    assert code == ExitCode.USAGE
    assert lines == [f"{baseline}:0:0: error: baseline file not found: write it with "
                     "`serge-tei lint --write-baseline lint-baseline.json`"]
    code, lines = _lint_cli(runner, project, "--write-baseline", str(baseline))
    assert (code, lines) == (ExitCode.OK, [f"recorded 9 findings of 1 file in {baseline}"])
    entries = json.loads(baseline.read_text(encoding="utf-8"))
    assert entries["serge-tei-lint-baseline"] == 1 and len(entries["findings"]) == 9
    assert {"file": "tei/untagged-names.xml", "rule": "lint.untagged", "count": 1,
            "what": "Jef Last in <p>"} in [{k: v for k, v in e.items() if k != "fingerprint"}
                                           for e in entries["findings"]]
    code, lines = _lint_cli(runner, project)
    assert code == ExitCode.OK and lines[-1].startswith("1 file linted: 0 invalid, 0 errors, "
                                                        "0 warnings")
    # an edit elsewhere moves every line: the baseline still recognises its findings
    text = doc.read_text(encoding="utf-8")
    doc.write_text(text.replace("      <div>\n", "      <div>\n        <p>An opening line."
                                "</p>\n        <p>And a second.</p>\n", 1), encoding="utf-8")
    code, lines = _lint_cli(runner, project)
    assert code == ExitCode.OK and lines[-1].startswith("1 file linted: 0 invalid, 0 errors, "
                                                        "0 warnings")
    # a new problem is reported; a fixed one is stale (information: the run still passes)
    text = doc.read_text(encoding="utf-8")
    doc.write_text(text.replace("<p>Of Jef Last, who is on the front", "<p>Of <persName "
                                'ref="#last">Jef Last</persName>, who is on the front')
                   .replace("An opening line.", "An opening line by Gide."), encoding="utf-8")
    code, lines = _lint_cli(runner, project)
    assert code == ExitCode.OK
    shown = doc.relative_to(Path.cwd()) if doc.is_relative_to(Path.cwd()) else doc
    assert lines[:2] == [
        f"{shown}:38:9: warning: untagged mention “Gide”: probably untagged-names.xml#gide "
        "(André Gide) [lint.untagged]",
        f"{baseline}:6:1: info: 1 recorded finding of lint.untagged in "
        "tei/untagged-names.xml (Jef Last in <p>) no longer occurs: write the baseline "
        "again to drop it [lint.baseline-stale]"]
    code, lines = _lint_cli(runner, project, "--no-baseline")
    assert lines[-1].startswith("1 file linted: 0 invalid, 0 errors, 6 warnings")


@pytest.mark.parametrize(("content", "message"), [
    ("{", "not a baseline file: Expecting property name enclosed in double quotes"),
    ('{"findings": []}', 'not a baseline file: expected {"serge-tei-lint-baseline": 1'),
    ('{"serge-tei-lint-baseline": 1, "findings": [\n{"file": "a.xml", "rule": "lint.nope", '
     '"fingerprint": "0123456789abcdef", "count": 1}\n]}',
     "a baseline entry needs file, a lint rule id, a 16-digit hex fingerprint"),
])
def test_a_broken_baseline_is_a_usage_error_where_it_is_broken(
        runner: CliRunner, tmp_path: Path, content: str, message: str) -> None:
    project, _ = _diary_project(tmp_path)
    (project / "lint-baseline.json").write_text(content, encoding="utf-8")
    code, lines = _lint_cli(runner, project)
    assert code == ExitCode.USAGE and len(lines) == 1
    assert lines[0].startswith(f"{project / 'lint-baseline.json'}:") and message in lines[0]


# ------------------------------------------------------------------ hostile input


def test_pointers_out_of_the_project_are_refused_and_nothing_is_read(runner: CliRunner,
                                                                    tmp_path: Path) -> None:
    # as in tests/data/lint: the project is refused/, the authority file beside it
    for folder in ("refused", "private"):
        shutil.copytree(LINT / folder, tmp_path / folder)
    (tmp_path / "refused" / "pyproject.toml").write_text('[tool.serge-tei]\nedition = "."\n',
                                                         encoding="utf-8")
    result = runner.invoke(main, ["lint", str(tmp_path / "refused")])
    code, lines = result.exit_code, result.output.splitlines()
    assert code == ExitCode.INVALID
    assert "Secret" not in "\n".join(lines)
    refused = [ln.split(": error: ")[1] for ln in lines if "[lint.ref-refused]" in ln]
    assert [ln.split('" ')[0] + '"' for ln in refused] == [
        '@ref="../private/persons.xml#p2"', '@who="../private/persons.xml#p2"',
        '@ref="a%00b.xml#x"', f'@ref="{"a" * 80}… (306 characters)"']
    assert [ln.split('" ')[1] for ln in refused] == [
        f"leads outside the project root ({tmp_path / 'refused'}); lint reads nothing there: "
        "copy the file into the project [lint.ref-refused]"] * 2 + [
        "holds a NUL character; a file name cannot [lint.ref-refused]",
        "names a file whose name is longer than file systems allow (255 bytes a name, 1024 a "
        "path) [lint.ref-refused]"]


def test_a_raw_nul_byte_in_a_pointer_is_a_located_input_error(runner: CliRunner,
                                                              tmp_path: Path) -> None:
    doc = tmp_path / "nul.xml"
    doc.write_bytes(b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/><text><body><p>'
                    b'<persName ref="a\x00b.xml#x">X</persName></p></body></text></TEI>')
    result = runner.invoke(main, ["lint", str(doc)])
    assert result.exit_code == ExitCode.USAGE
    assert result.output.startswith(f"{doc}:1:") and "[input.unusable]" in result.output
    assert "Traceback" not in result.output and "internal error" not in result.output


def test_the_matcher_takes_huge_names_and_many_entries_without_recursion() -> None:
    long_name = " ".join(["Wort"] * 2000)  # 9,999 characters, 2,000 tokens
    entries = [Entry(f"a#{k}", f"a#{k}", "person", {f"Name{k} Nachname{k % 97}": None})
               for k in range(100_000)]
    entries.append(Entry("a#long", "a#long", "person", {long_name: None, "W" * 10_000: None,
                                                        "Langer": None}))
    matcher = Matcher(entries)
    text = fold(f"{long_name} und Name99999 Nachname89, dann Langer und {'W' * 10_000}.")
    found = [(text[m.start:m.end], m.key) for m in matcher.finditer(text)]
    assert found == [("Name99999 Nachname89", "Name99999 Nachname89"), ("Langer", "Langer")]


@given(names=st.lists(st.text(st.sampled_from("ab .'-é"), min_size=1, max_size=12),
                      min_size=1, max_size=8),
       text=st.text(st.sampled_from("ab .'-é\n"), max_size=60))
def test_every_match_is_a_recorded_name_standing_on_word_boundaries(names: list[str],
                                                                   text: str) -> None:
    matcher = Matcher([Entry("a#x", "a#x", "person", dict.fromkeys(names))])
    folded = fold(text)
    last_end = 0
    for m in matcher.finditer(folded):
        assert m.start >= last_end  # left to right, never overlapping
        last_end = m.end
        assert re.sub(r"\s+", " ", folded[m.start:m.end]) == m.key
        assert m.key in {searchable(n) for n in names}
        assert not (m.start and re.match(r"\w", folded[m.start - 1]))
        assert not (m.end < len(folded) and re.match(r"\w", folded[m.end]))


@given(st.text(st.sampled_from("abcXY"), min_size=2, max_size=10))
def test_a_name_alone_is_found(name: str) -> None:
    matcher = Matcher([Entry("a#x", "a#x", "person", {name: None})])
    assert [m.key for m in matcher.finditer(fold(name))] == [name]


@pytest.mark.parametrize("unit", UNITS, ids=lambda p: p.name)
def test_without_searching_text_the_other_rules_find_the_same(unit: Path) -> None:
    # with no text to search, a document is not walked: its dates, speeches and names
    # are found directly, and must give what the walk gives
    searching = {"lint.untagged", "lint.date-untagged"}
    walked = [(f.path, f.line, f.column, f.rule, f.message) for f in lint([unit]).findings
              if f.rule not in searching]
    config = Config(lint=LintConfig(ignore=tuple(searching)))
    assert [(f.path, f.line, f.column, f.rule, f.message)
            for f in lint([unit], config=config).findings] == walked


def test_writing_a_baseline_names_the_files_it_could_not_read(runner: CliRunner,
                                                              tmp_path: Path) -> None:
    project, _ = _diary_project(tmp_path)
    (project / "tei" / "broken.xml").write_text("<TEI", encoding="utf-8")
    baseline = project / "lint-baseline.json"
    code, lines = _lint_cli(runner, project, "--write-baseline", str(baseline))
    assert code == ExitCode.USAGE
    assert "[input.unusable]" in lines[0] and "broken.xml:1:" in lines[0]
    assert lines[1] == f"recorded 9 findings of 2 files in {baseline}"
