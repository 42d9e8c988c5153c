"""Configuration: found from the files named, checked like any untrusted input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from serge_tei.cli import main
from serge_tei.config import Config, RuleBudget, find_config, find_config_file, load_config
from serge_tei.errors import ExitCode, UsageError
from serge_tei.init import init_project

ROOT = Path(__file__).resolve().parent.parent
VALID = ROOT / "tests" / "data" / "validate" / "valid-minimal.xml"


def _project(folder: Path, settings: str, *, name: str = "pyproject.toml",
             section: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = f"[tool.serge-tei]\n{settings}" if section else settings
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def _error(tmp_path: Path, settings: str) -> UsageError:
    _project(tmp_path, settings)
    with pytest.raises(UsageError) as info:
        load_config(tmp_path)
    return info.value


# ------------------------------------------------------------ discovery

def test_build_uses_the_configuration_of_the_edition_named_not_of_the_working_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    other = tmp_path / "other"
    init_project(other, title="Other", editor="A B")
    elsewhere = tmp_path / "elsewhere"
    _project(elsewhere, 'edition = "nowhere"\nmax-bytes = 10\n')  # would refuse every file
    monkeypatch.chdir(elsewhere)
    result = CliRunner().invoke(main, ["build", "../other/tei"])
    assert result.exit_code == ExitCode.OK, result.output
    # out/ beside the project's configuration, not in the working folder
    assert (other / "out" / "index.html").is_file()
    assert not (elsewhere / "out").exists()


def test_the_nearest_configuration_wins_and_serge_tei_toml_comes_first(tmp_path: Path) -> None:
    _project(tmp_path, 'edition = "outer"\n')
    inner = _project(tmp_path / "a" / "b", 'edition = "inner"\n', name="serge-tei.toml",
                     section=False)
    _project(inner, '[tool.serge-tei]\nedition = "ignored"\n', section=False)
    (inner / "doc.xml").write_bytes(VALID.read_bytes())
    config = find_config([str(inner / "doc.xml")])
    assert config.source == inner / "serge-tei.toml" and config.root == inner
    assert config.edition == inner / "inner"
    deeper = tmp_path / "a" / "b" / "c"
    deeper.mkdir()
    assert find_config_file(deeper) == inner / "serge-tei.toml"


def test_a_pyproject_without_the_section_is_passed_by(tmp_path: Path) -> None:
    _project(tmp_path, 'edition = "tei"\n')
    _project(tmp_path / "sub", '[project]\nname = "x"\n', section=False)
    assert find_config_file(tmp_path / "sub") == tmp_path / "pyproject.toml"


def test_the_walk_stops_at_the_repository_root(tmp_path: Path) -> None:
    _project(tmp_path, 'edition = "tei"\n')  # above the repository: never read
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "tei").mkdir()
    assert find_config_file(repo / "tei") is None
    assert find_config([str(repo / "tei")]) == Config()


def test_without_paths_the_working_folder_is_the_start(tmp_path: Path) -> None:
    _project(tmp_path, 'edition = "tei"\n')
    assert find_config([], cwd=tmp_path).root == tmp_path
    assert find_config(["*.xml"], cwd=tmp_path).root == tmp_path  # a glob: its folder
    assert find_config(["missing/x.xml"], cwd=tmp_path).root == tmp_path


def test_the_project_root_bounds_every_document_else_its_own_folder(tmp_path: Path) -> None:
    _project(tmp_path, "")
    config = load_config(tmp_path / "deep")
    assert config.root == tmp_path.resolve()
    assert config.root_for(tmp_path / "deep" / "x.xml") == tmp_path.resolve()
    assert Config().root_for(tmp_path / "deep" / "x.xml") == (tmp_path / "deep").resolve()


# ------------------------------------------------------------ checking

@pytest.mark.parametrize(("key", "suggestion"), [
    ("tei_all", "tei-all"), ("authorites", "authorities"), ("max_bytes", "max-bytes"),
    ("edtion", "edition"),
])
def test_a_misspelled_key_is_an_error_with_the_closest_known_key(
        tmp_path: Path, key: str, suggestion: str) -> None:
    error = _error(tmp_path, f'edition = "tei"\n{key} = "x"\n')
    assert error.exit_code == ExitCode.USAGE
    assert error.message == (f"[tool.serge-tei] has an unknown key {key!r}; "
                             f'did you mean "{suggestion}"?')
    assert (error.path, error.line) == (str(tmp_path / "pyproject.toml"), 3)


def test_an_unknown_key_far_from_all_lists_the_known_ones(tmp_path: Path) -> None:
    error = _error(tmp_path, "colour = 1\n")
    assert error.message.endswith("known keys: authorities, edition, lang, lint, max-attributes, "
                                  "max-bytes, max-depth, rule-memory, rule-seconds, schemas, "
                                  "site, tei-all")


@pytest.mark.parametrize(("setting", "message"), [
    ("max-bytes = true", "max-bytes must be a whole number from 1 to 1,073,741,824, not True"),
    ("max-bytes = 9223372036854775807", "max-bytes must be a whole number from 1 to "
                                        "1,073,741,824, not 9223372036854775807"),
    ("max-depth = 100000000", "max-depth must be a whole number from 1 to 10,000, "
                              "not 100000000"),
    ("max-attributes = 0", "max-attributes must be a whole number from 1 to 10,000, not 0"),
    ('max-depth = "200"', "max-depth must be a whole number from 1 to 10,000, not '200'"),
    ("max-bytes = 1.5", "max-bytes must be a whole number from 1 to 1,073,741,824, not 1.5"),
    ('edition = "te\\u0000i"', "edition holds a NUL character; give a plain path"),
    ('edition = ""', "edition must be a path (a non-empty string)"),
    ("edition = 3", "edition must be a path (a non-empty string)"),
    ('authorities = ["a.xml", 2]', "authorities must be a path (a non-empty string)"),
    ('schemas = "x"', "schemas must be a table mapping URLs to paths"),
    ("rule-seconds = 0", "rule-seconds must be a whole number from 1 to 3,600, not 0"),
    ("rule-seconds = 1e9", "rule-seconds must be a whole number from 1 to 3,600, "
                           "not 1000000000.0"),
    ("rule-memory = true", "rule-memory must be a whole number from 64 to 65,536, not True"),
    ("rule-memory = 32", "rule-memory must be a whole number from 64 to 65,536, not 32"),
])
def test_values_are_typed_and_bounded(tmp_path: Path, setting: str, message: str) -> None:
    error = _error(tmp_path, setting + "\n")
    assert error.message == f"[tool.serge-tei] {message}"
    assert error.line == 2


def test_a_nul_in_a_mapped_schema_path_is_refused(tmp_path: Path) -> None:
    error = _error(tmp_path, '[tool.serge-tei.schemas]\n"https://x.org/s.rng" = "s\\u0000.rng"\n')
    assert "holds a NUL character" in error.message and error.line == 3


def test_the_limits_in_range_are_taken(tmp_path: Path) -> None:
    _project(tmp_path, "max-bytes = 1073741824\nmax-depth = 10000\nmax-attributes = 7\n")
    limits = load_config(tmp_path).limits
    assert (limits.max_bytes, limits.max_depth, limits.max_attributes) == \
        (1024 ** 3, 10_000, 7)


def test_the_rule_budget_in_range_is_taken(tmp_path: Path) -> None:
    assert load_config(tmp_path).rule_budget == RuleBudget(seconds=60, memory=1024)
    _project(tmp_path, "rule-seconds = 3600\nrule-memory = 64\n")
    assert load_config(tmp_path).rule_budget == RuleBudget(seconds=3600, memory=64)


def test_the_command_line_reports_a_bad_key_with_file_and_line(tmp_path: Path) -> None:
    _project(tmp_path, 'tei_all = "x.rng"\n')
    shutil.copy(VALID, tmp_path / "doc.xml")
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "doc.xml")])
    assert result.exit_code == ExitCode.USAGE
    assert result.output == (f"{tmp_path / 'pyproject.toml'}:2:0: error: [tool.serge-tei] has "
                             "an unknown key 'tei_all'; did you mean \"tei-all\"?\n")


def test_serge_tei_toml_errors_name_that_file(tmp_path: Path) -> None:
    _project(tmp_path, "max-depth = -1\n", name="serge-tei.toml", section=False)
    with pytest.raises(UsageError) as info:
        load_config(tmp_path)
    assert info.value.message == ("serge-tei.toml max-depth must be a whole number from 1 to "
                                  "10,000, not -1")
    assert (info.value.path, info.value.line) == (str(tmp_path / "serge-tei.toml"), 1)


def test_the_site_table_is_checked_like_the_rest(tmp_path: Path) -> None:
    error = _error(tmp_path, '[tool.serge-tei.site]\ntitel = "Letters"\n')
    assert error.message == ("[tool.serge-tei.site] has an unknown key 'titel'; "
                             'did you mean "title"?')
    assert error.line == 3
    error = _error(tmp_path, '[tool.serge-tei.site]\nintroduction = "a\\u0000b"\n')
    assert error.message == ("[tool.serge-tei.site] introduction holds a NUL character; "
                             "give a plain path")
