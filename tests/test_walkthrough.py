"""The README's "Getting started", followed step by step in a temporary directory.

The commands and XML snippets are read from the README itself, so that the README and
this test cannot drift: install (checked, not run), build and validate a copy of the
edition, start a project with ``serge-tei init``, add a person and a mention, validate,
build, and find the person in the built index.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from serge_tei.cli import main

ROOT = Path(__file__).resolve().parent.parent


def getting_started() -> list[tuple[str, str]]:
    """The fenced blocks of the README's Getting started section, as (language, text)."""
    readme = ROOT.joinpath("README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Getting started\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^```(\w+)\n(.*?)^```$", section, flags=re.M | re.S)


class Shell:
    """Runs the README's ``serge-tei`` command lines in-process, tracking ``cd``."""

    def __init__(self, cwd: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.cwd = cwd
        self.monkeypatch = monkeypatch
        self.runner = CliRunner()

    def run_block(self, block: str) -> list[str]:
        outputs = []
        for line in block.splitlines():
            args = shlex.split(line, comments=True)
            if not args:
                continue
            if args[0] == "cd":
                self.cwd = self.cwd / args[1]
                continue
            if args[:4] == ["python", "-m", "pip", "install"]:
                assert args[4:] == ["-e", "."]  # this checkout: the suite runs installed
                continue
            assert args[0] == "serge-tei", line
            self.monkeypatch.chdir(self.cwd)
            result = self.runner.invoke(main, args[1:])
            assert result.exit_code == 0, f"{line}\n{result.output}"
            outputs.append(result.output)
        return outputs


def test_readme_getting_started(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = getting_started()
    assert [lang for lang, _ in blocks] == ["sh", "sh", "xml", "xml", "sh"]
    (_, edition), (_, start), (_, person), (_, mention), (_, again) = blocks

    # 1. Build and validate the edition (a copy: the checkout's out/ is left alone).
    checkout = tmp_path / "checkout"
    for folder in ("tei", "schema"):  # the documents' xml-model PIs point to ../schema
        shutil.copytree(ROOT / folder, checkout / folder)
    shutil.copy(ROOT / "pyproject.toml", checkout)
    shell = Shell(checkout, monkeypatch)
    built, validated = shell.run_block(edition)
    assert re.match(r"built 2 documents, \d+ files into ", built)
    assert (checkout / "out" / "index.html").is_file()
    readme = ROOT.joinpath("README.md").read_text(encoding="utf-8")
    (promised,) = re.findall(r"`(\d+ files checked: 0 invalid, 0 errors, 0 warnings)`", readme)
    assert validated.splitlines()[-1].startswith(promised)

    # 2. A new project: valid as it is, its person index empty.
    shell = Shell(tmp_path, monkeypatch)
    shell.run_block(start)
    project = shell.cwd
    assert project == tmp_path / "my-edition"
    assert json.loads((project / "out" / "persons.json").read_text())["count"] == 0

    # 3. The person, as the last entry of <listPerson>; the mention, instead of the
    #    template's paragraph (what the README tells the user to do in an editor).
    persons = project / "tei" / "persons.xml"
    text = persons.read_text(encoding="utf-8")
    assert text.count("</listPerson>") == 1
    persons.write_text(text.replace("</listPerson>", person + "</listPerson>"),
                       encoding="utf-8")
    (document,) = [p for p in (project / "tei").glob("*.xml") if p.name != "persons.xml"]
    lines = document.read_text(encoding="utf-8").splitlines(keepends=True)
    (at,) = [i for i, ln in enumerate(lines) if "<p>Transcribe the text here" in ln]
    lines[at] = mention
    document.write_text("".join(lines), encoding="utf-8")

    # 4. Validate and build again: the person is in the index, linked to the mention.
    validated, built = shell.run_block(again)
    assert validated.startswith("2 files checked: 0 invalid, 0 errors, 0 warnings")
    index = json.loads((project / "out" / "persons.json").read_text(encoding="utf-8"))
    assert index["count"] == 1
    (entry,) = index["entries"]
    assert (entry["id"], entry["name"], entry["mentions"]) == ("gide", "André Gide", 1)
    html = (project / "out" / "persons.html").read_text(encoding="utf-8")
    assert 'id="gide"' in html and f"{document.stem}.html#" in html


def test_a_mistyped_ref_is_reported_and_nothing_is_published(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's promise for a mistake made on the same path."""
    blocks = getting_started()
    (_, start), (_, mention) = blocks[1], blocks[3]
    shell = Shell(tmp_path, monkeypatch)
    shell.run_block(start)
    project = shell.cwd
    (document,) = [p for p in (project / "tei").glob("*.xml") if p.name != "persons.xml"]
    lines = document.read_text(encoding="utf-8").splitlines(keepends=True)
    (at,) = [i for i, ln in enumerate(lines) if "<p>Transcribe the text here" in ln]
    lines[at] = mention.replace("#gide", "#gidd")
    document.write_text("".join(lines), encoding="utf-8")
    monkeypatch.chdir(project)
    before = (project / "out" / "persons.json").read_text(encoding="utf-8")
    checked = CliRunner().invoke(main, ["validate"])
    assert checked.exit_code == 1
    assert re.search(rf"{document.name}:{at + 1}:\d+: error: .*persons\.xml#gidd.* "
                     r"\[serge\.ref-resolves\]", checked.output), checked.output
    assert CliRunner().invoke(main, ["build"]).exit_code == 1
    assert (project / "out" / "persons.json").read_text(encoding="utf-8") == before
