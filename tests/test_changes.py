"""``--changed [REF]``: only the files a branch or the working tree changed, found with git."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from serge_tei.changes import changed_paths
from serge_tei.cli import main
from serge_tei.errors import UsageError
from serge_tei.init import init_project

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
}


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", "-c", "init.defaultBranch=main", *args], cwd=cwd,
                          capture_output=True, text=True, check=True, timeout=30,
                          env={**os.environ, **GIT_ENV})
    return done.stdout


def write(path: Path, text: str = "<x/>") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """main: a.xml, b.xml, keep.xml; branch feature: b changed, c committed, a deleted,
    d untracked, ignored.xml ignored."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    for name in ("a.xml", "b.xml", "keep.xml", ".gitignore"):
        write(root / name, "ignored.xml\n" if name == ".gitignore" else f"<{name[0]}/>")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "base")
    git(root, "checkout", "-q", "-b", "feature")
    write(root / "b.xml", "<b>changed</b>")
    write(root / "sub dir" / "c.xml")
    git(root, "rm", "-q", "a.xml")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "feature work")
    write(root / "d.xml")
    write(root / "ignored.xml")
    return root


def names(paths: set[Path], root: Path) -> set[str]:
    return {p.relative_to(root.resolve()).as_posix() for p in paths}


def test_default_is_merge_base_with_main_plus_untracked(repo: Path) -> None:
    assert names(changed_paths(cwd=repo), repo) == {"b.xml", "sub dir/c.xml", "d.xml"}


def test_from_a_subfolder_paths_are_still_absolute(repo: Path) -> None:
    assert names(changed_paths(cwd=repo / "sub dir"), repo) == {"b.xml", "sub dir/c.xml",
                                                                "d.xml"}


def test_explicit_ref_compares_the_working_tree_with_it(repo: Path) -> None:
    write(repo / "keep.xml", "<k>edited, not committed</k>")
    assert names(changed_paths("HEAD", repo), repo) == {"keep.xml", "d.xml"}
    assert names(changed_paths("main", repo), repo) == {"b.xml", "sub dir/c.xml", "d.xml",
                                                       "keep.xml"}


def test_on_the_default_branch_only_uncommitted_changes_count(repo: Path) -> None:
    git(repo, "checkout", "-q", "main")
    assert names(changed_paths(cwd=repo), repo) == {"d.xml"}


def test_without_a_default_branch_the_working_tree_changes(tmp_path: Path) -> None:
    root = tmp_path / "r"
    root.mkdir()
    git(root, "init", "-q", "-b", "drafts")
    write(root / "a.xml")
    write(root / "b.xml")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "one")
    write(root / "a.xml", "<a>edited</a>")
    assert names(changed_paths(cwd=root), root) == {"a.xml"}


def test_before_the_first_commit_every_file_counts(tmp_path: Path) -> None:
    root = tmp_path / "r"
    root.mkdir()
    git(root, "init", "-q")
    write(root / "staged.xml")
    git(root, "add", "staged.xml")
    write(root / "new.xml")
    assert names(changed_paths(cwd=root), root) == {"staged.xml", "new.xml"}


def test_origin_head_names_the_default_branch(tmp_path: Path) -> None:
    upstream = tmp_path / "upstream"
    upstream.mkdir()
    git(upstream, "init", "-q", "-b", "trunk")
    write(upstream / "a.xml")
    git(upstream, "add", ".")
    git(upstream, "commit", "-q", "-m", "one")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(upstream), str(clone))
    git(clone, "checkout", "-q", "-b", "topic")
    write(clone / "b.xml")
    git(clone, "add", ".")
    git(clone, "commit", "-q", "-m", "two")
    assert names(changed_paths(cwd=clone), clone) == {"b.xml"}


def test_a_shallow_clone_without_the_merge_base_is_an_error_not_a_pass(tmp_path: Path) -> None:
    upstream = tmp_path / "upstream"
    upstream.mkdir()
    git(upstream, "init", "-q")
    write(upstream / "a.xml")
    git(upstream, "add", ".")
    git(upstream, "commit", "-q", "-m", "one")
    git(upstream, "checkout", "-q", "-b", "topic")
    write(upstream / "b.xml")
    git(upstream, "add", ".")
    git(upstream, "commit", "-q", "-m", "topic")
    git(upstream, "checkout", "-q", "main")
    write(upstream / "c.xml")
    git(upstream, "add", ".")
    git(upstream, "commit", "-q", "-m", "main moves on")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", "--no-single-branch",
        f"file://{upstream}", str(clone))
    git(clone, "checkout", "-q", "topic")
    with pytest.raises(UsageError, match="fetch-depth: 0"):
        changed_paths(cwd=clone)


def test_not_a_repository_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="needs a git repository"):
        changed_paths(cwd=tmp_path)


def test_unknown_ref_says_how_to_pass_paths(repo: Path) -> None:
    with pytest.raises(UsageError, match=r"--changed=REF"):
        changed_paths("tei/", repo)


# ------------------------------------------------------------------ the command

@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An init'ed project on main with one invalid document committed, then a branch."""
    root = tmp_path / "proj"
    init_project(root, title="Letters", editor="Ada Lovelace", today=date(2026, 1, 2))
    doc = (root / "tei" / "letters.xml").read_text(encoding="utf-8")
    write(root / "tei" / "old-bad.xml", doc.replace("letters", "old-bad")
          .replace('<date when="2026-01-02">', '<date when="2026-02-31">'))
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "start")
    git(root, "checkout", "-q", "-b", "pr")
    monkeypatch.chdir(root)
    return root


def test_validate_changed_checks_only_what_the_branch_changed(project: Path) -> None:
    runner = CliRunner()
    whole = runner.invoke(main, ["validate"])
    assert whole.exit_code == 1 and "old-bad.xml" in whole.output

    nothing = runner.invoke(main, ["validate", "--changed"])
    assert nothing.exit_code == 0, nothing.output
    assert nothing.output.startswith("0 files checked")

    doc = project / "tei" / "letters.xml"
    doc.write_text(doc.read_text(encoding="utf-8").replace("Transcribe the text here",
                                                          "Transcribed"), encoding="utf-8")
    one = runner.invoke(main, ["validate", "--changed"])
    assert one.exit_code == 0, one.output
    assert "1 file checked" in one.output and "old-bad" not in one.output

    doc.write_text(doc.read_text(encoding="utf-8").replace("Transcribed", "Transcribed <"),
                   encoding="utf-8")
    broken = runner.invoke(main, ["validate", "--changed"])
    assert broken.exit_code == 2
    assert broken.output.startswith("tei/letters.xml:")  # relative, as CI annotations need

    doc.write_text(doc.read_text(encoding="utf-8").replace("Transcribed <", "Transcribed")
                   .replace('<date when="2026-01-02">', '<date when="2026-13-01">'),
                   encoding="utf-8")
    bad = runner.invoke(main, ["validate", "tei", "--changed=main", "--format", "github"])
    assert bad.exit_code == 1
    assert "::error file=tei/letters.xml,line=" in bad.output
    assert "old-bad" not in bad.output


def test_validate_changed_outside_git_exits_2(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    init_project(tmp_path / "p", editor="Ada Lovelace")
    monkeypatch.chdir(tmp_path / "p")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    result = CliRunner().invoke(main, ["validate", "--changed"])
    assert result.exit_code == 2
    assert "error: --changed needs a git repository" in result.output


def test_changed_rechecks_the_files_that_point_at_a_removed_id(project: Path) -> None:
    """Deleting an entry another file cites breaks that file, which did not change."""
    persons = project / "tei" / "persons.xml"
    text = persons.read_text(encoding="utf-8")
    start = text.index('<person xml:id="ada-lovelace">')
    end = text.index("</person>", start) + len("</person>")
    persons.write_text(text[:start] + '<person xml:id="someone"><persName>Someone</persName>'
                       "</person>" + text[end:], encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", "--changed", "--format", "json"])
    assert result.exit_code == 1, result.output
    files = {f["path"]: f for f in json.loads(result.stdout)["files"]}
    assert set(files) == {"tei/persons.xml", "tei/letters.xml", "tei/old-bad.xml"}
    assert {f["rule"] for f in files["tei/letters.xml"]["findings"]} >= {"serge.ref-resolves"}


def test_changed_rechecks_the_entry_a_change_stopped_citing(project: Path) -> None:
    letters = project / "tei" / "letters.xml"
    letters.write_text(letters.read_text(encoding="utf-8").replace(
        'ref="persons.xml#ada-lovelace"', 'ref="#letters-editors"'), encoding="utf-8")
    selected = CliRunner().invoke(main, ["validate", "--changed", "--format", "json"])
    paths = [f["path"] for f in json.loads(selected.stdout)["files"]]
    assert paths == ["tei/letters.xml", "tei/persons.xml"]


@pytest.mark.parametrize(("changed", "text"), [
    ("schema/serge-tei.sch", "<!-- a changed rule -->"),
    ("pyproject.toml", "max-depth = 150"),
])
def test_changed_rechecks_everything_when_rules_or_configuration_change(
        project: Path, changed: str, text: str) -> None:
    path = project / changed
    if changed == "pyproject.toml":
        path.write_text(path.read_text(encoding="utf-8").replace(
            "[tool.serge-tei]", f"[tool.serge-tei]\n{text}"), encoding="utf-8")
    else:
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", "--changed"])
    assert "3 files checked" in result.output, result.output


def test_changed_ignores_pyproject_changes_outside_its_table(project: Path) -> None:
    path = project / "pyproject.toml"
    path.write_text(path.read_text(encoding="utf-8") + '\n[tool.other]\nx = 1\n',
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", "--changed"])
    assert result.output.startswith("0 files checked"), result.output
