"""``serge-tei init DIR``: a new project that validates and builds as it is."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from serge_tei import __version__
from serge_tei.cli import main
from serge_tei.errors import UsageError
from serge_tei.init import init_project
from serge_tei.resources import schema_dir

EXPECTED = {"pyproject.toml", "tei/letters-of-1937.xml", "tei/persons.xml",
            "schema/serge-tei.rng", "schema/serge-tei.sch", ".pre-commit-config.yaml",
            ".github/workflows/tei.yml", ".gitignore"}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "edition"
    result = CliRunner().invoke(main, ["init", str(root), "--title", "Letters of 1937",
                                       "--editor", "Ada Lovelace"])
    assert result.exit_code == 0, result.output
    assert result.output.count("created ") == len(EXPECTED)
    return root


def files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_the_new_project_validates_and_builds(project: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    assert files(project) == EXPECTED
    monkeypatch.chdir(project)
    runner = CliRunner()
    checked = runner.invoke(main, ["validate", "--strict"])
    assert checked.exit_code == 0, checked.output
    assert checked.output.startswith("2 files checked: 0 invalid, 0 errors, 0 warnings")
    built = runner.invoke(main, ["build"])
    assert built.exit_code == 0, built.output
    assert (project / "out" / "letters-of-1937.html").is_file()
    assert json.loads((project / "out" / "persons.json").read_text())["count"] == 0


def test_the_documents_use_the_pinned_copy_of_the_schema(project: Path,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    for name in ("serge-tei.rng", "serge-tei.sch"):
        copy = (project / "schema" / name).read_text(encoding="utf-8")
        assert f"Copied from serge-tei {__version__}" in copy
        shipped = (schema_dir() / name).read_text(encoding="utf-8")
        assert copy.replace(copy.splitlines()[1] + "\n", "", 1) == shipped
    # The project's copy is what is applied: a stricter copy changes the verdict.
    rng = project / "schema" / "serge-tei.rng"
    rng.write_text(rng.read_text(encoding="utf-8").replace(
        '<value>section</value>', '<value>sektion</value>'), encoding="utf-8")
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["validate", "tei/letters-of-1937.xml"])
    assert result.exit_code == 1
    assert "tei/letters-of-1937.xml:" in result.output and "[rng." in result.output


def test_header_names_the_editor_and_the_persons_file_holds_them(project: Path) -> None:
    doc = (project / "tei" / "letters-of-1937.xml").read_text(encoding="utf-8")
    assert '<title type="main">Letters of 1937</title>' in doc
    assert '<persName ref="persons.xml#ada-lovelace">Ada Lovelace</persName>' in doc
    persons = (project / "tei" / "persons.xml").read_text(encoding="utf-8")
    assert '<person xml:id="ada-lovelace">' in persons


def test_ci_and_pre_commit_files_run_serge_tei_on_the_edition(project: Path) -> None:
    hooks = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())
    validate, lint = hooks["repos"][0]["hooks"]
    assert validate["entry"] == "serge-tei validate" and lint["entry"] == "serge-tei lint"
    for hook in (validate, lint):
        assert hook["language"] == "system" and hook["files"] == r"^tei/.*\.xml$"



def _expanded(step: dict[str, Any]) -> str:
    """A step's command as the runner sees it, for a pull request against main."""
    command = str(step["run"])
    for name, value in step.get("env", {}).items():
        command = command.replace(f"${{{name}}}", value.replace("${{ github.base_ref }}", "main"))
    return command


ZIZMOR = shutil.which("zizmor") or shutil.which("zizmor", path=str(Path(sys.executable).parent))


@pytest.mark.skipif(ZIZMOR is None, reason="zizmor is not installed (pip install -e '.[dev]')")
def test_the_workflow_passes_zizmor(project: Path) -> None:
    """No template injection, least privilege, actions pinned by commit (offline checks)."""
    assert ZIZMOR is not None
    done = subprocess.run([ZIZMOR, "--offline", "--persona=pedantic", "--no-progress",
                           str(project / ".github/workflows/tei.yml")],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No findings to report" in done.stdout + done.stderr


def test_the_workflow_commands_work_in_the_new_project(project: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    workflow = yaml.safe_load((project / ".github/workflows/tei.yml").read_text())
    runs = [_expanded(s) for s in workflow["jobs"]["tei"]["steps"] if "run" in s]
    assert runs[0] == f'python -m pip install "serge-tei=={__version__}"'
    for command in (project / ".github/workflows/tei.yml").read_text().splitlines():
        assert "${version}" not in command and "$${{" not in command  # all substituted
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_AUTHOR_NAME": "A",
           "GIT_AUTHOR_EMAIL": "a@example.org", "GIT_COMMITTER_NAME": "A",
           "GIT_COMMITTER_EMAIL": "a@example.org"}
    for git in (["init", "-q", "-b", "main"], ["add", "."], ["commit", "-q", "-m", "init"]):
        subprocess.run(["git", *git], cwd=project, check=True, timeout=30, env=env)
    monkeypatch.chdir(project)
    for command in runs[1:]:
        args = shlex.split(command.replace("origin/main", "main"))
        assert args[0] == "serge-tei"
        result = CliRunner().invoke(main, args[1:])
        assert result.exit_code == 0, f"{command}\n{result.output}"
        if "--format" in args:
            assert re.match(r"^\d+ files? (checked|linted): 0 invalid", result.output)
    assert (project / "out" / "letters-of-1937.html").is_file()


def test_markup_in_the_title_is_escaped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "p"
    result = init_project(root, title='Notes & <Letters> "1937"', editor="Zoë O’Brien",
                          today=date(2026, 3, 4))
    assert result.document == "tei/notes-letters-1937.xml"
    doc = (root / result.document).read_text(encoding="utf-8")
    assert "Notes &amp; &lt;Letters&gt;" in doc and '<date when="2026-03-04">' in doc
    assert 'ref="persons.xml#zoe-obrien"' in doc
    monkeypatch.chdir(root)
    checked = CliRunner().invoke(main, ["validate"])
    assert checked.exit_code == 0, checked.output


def test_a_non_empty_folder_is_refused_without_force(tmp_path: Path) -> None:
    root = tmp_path / "mine"
    (root / "tei").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'mine'\n")
    (root / "tei" / "persons.xml").write_text("my own persons")
    result = CliRunner().invoke(main, ["init", str(root), "--editor", "A B"])
    assert result.exit_code == 2
    assert result.output == (f"error: {root} is not empty; pass --force to add the missing "
                             "files (existing files are never overwritten)\n")
    assert files(root) == {"pyproject.toml", "tei/persons.xml"}

    forced = CliRunner().invoke(main, ["init", str(root), "--editor", "A B", "--force"])
    assert forced.exit_code == 0, forced.output
    assert f"kept {root}/pyproject.toml (already there)" in forced.output
    assert (root / "pyproject.toml").read_text() == "[project]\nname = 'mine'\n"
    assert (root / "tei" / "persons.xml").read_text() == "my own persons"
    assert (root / "tei" / "mine.xml").is_file()


def test_the_editor_defaults_to_git_user_name_or_must_be_given(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "gitconfig"
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UsageError, match="--editor"):
        init_project(tmp_path / "a")
    config.write_text("[user]\n\tname = Grace Hopper\n")
    init_project(tmp_path / "b")
    assert '<person xml:id="grace-hopper">' in (tmp_path / "b/tei/persons.xml").read_text()


def test_a_file_in_the_way_and_a_bad_language_are_usage_errors(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(UsageError, match="not a folder"):
        init_project(tmp_path / "file", editor="A B")
    with pytest.raises(UsageError, match="BCP 47"):
        init_project(tmp_path / "p", editor="A B", lang="english!")
    assert not (tmp_path / "p").exists() or not any((tmp_path / "p").iterdir())

