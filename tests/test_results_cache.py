"""The results cache: a re-run answers from it with exactly the findings of a fresh check."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from serge_tei.cli import main
from serge_tei.config import load_config
from serge_tei.findings import Report
from serge_tei.reading import XML_NS
from serge_tei.validation import results_cache, run
from serge_tei.validation.results_cache import RACY_SECONDS, ResultsCache, default_path
from serge_tei.validation.run import validate

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
FIXTURES = sorted((DATA / "validate").glob("*.xml"))


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache of this test's own (the session's is shared by every test)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The documents really checked (not answered from the cache), in this process."""
    seen: list[str] = []
    original = run._checked

    def counting(doc, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(Path(doc.path).name)
        return original(doc, *args, **kwargs)

    monkeypatch.setattr(run, "_checked", counting)
    yield seen


def _old(*paths: Path) -> None:
    """Date files back beyond the racy window, as files not edited just now are."""
    past = time.time() - 10 * RACY_SECONDS
    for path in paths:
        os.utime(path, (past, past))


def _as_dicts(report: Report) -> list[list[dict[str, object]]]:
    return [[f.as_dict() for f in r.findings] for r in report.files]


#: what the copies of the fixtures name as their rules (the rules are then looked up by
#: the cache from the instructions it remembers, without parsing); a copy beside them,
#: since a schema a document names must lie inside its project (here, its folder)
MODELS = ('<?xml-model href="schema/serge-tei.rng" '
          'schematypens="http://relaxng.org/ns/structure/1.0"?>\n'
          '<?xml-model href="schema/serge-tei.sch" '
          'schematypens="http://purl.oclc.org/dsdl/schematron"?>\n')


def _fixtures(tmp_path: Path) -> list[Path]:
    """The validator's fixtures, naming a copy of the schema beside them."""
    folder = tmp_path / "fixtures"
    folder.mkdir()
    copies = []
    for fixture in FIXTURES:
        text = re.sub(r"<\?xml-model [^?]*\?>\n?", "", fixture.read_text(encoding="utf-8"))
        declaration, _, rest = text.partition("\n")
        copy = folder / fixture.name
        copy.write_text(f"{declaration}\n{MODELS}{rest}", encoding="utf-8")
        copies.append(copy)
    shutil.copytree(ROOT / "schema", folder / "schema")
    _old(*copies, *(folder / "schema").iterdir())
    return copies


def test_a_rerun_answers_from_the_cache_with_the_same_findings(
        tmp_path: Path, own_cache: Path, checked: list[str]) -> None:
    files = _fixtures(tmp_path)
    fresh = validate(files, jobs=1, cache=False)
    assert len(checked) == len(files)
    first = validate(files, jobs=1)
    checked.clear()
    again = validate(files, jobs=1)
    assert checked == [], "nothing is checked twice"
    assert _as_dicts(again) == _as_dicts(first) == _as_dicts(fresh)
    assert again.exit_code == fresh.exit_code
    assert any(r.findings for r in again.files) and any(not r.findings for r in again.files)


def test_a_rerun_reads_no_file_it_remembers(tmp_path: Path, own_cache: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """An unchanged file is answered by its remembered digest: it is not even read."""
    files = _fixtures(tmp_path)
    validate(files, jobs=1)
    read: list[str] = []
    original = results_cache.read_hashed

    def reading(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        read.append(Path(path).name)
        return original(path, *args, **kwargs)

    monkeypatch.setattr(run, "read_hashed", reading)
    validate(files, jobs=1)
    assert read == []


def test_no_cache_checks_every_file_and_writes_nothing(
        tmp_path: Path, own_cache: Path, checked: list[str]) -> None:
    files = _fixtures(tmp_path)[:3]
    validate(files, jobs=1, cache=False)
    validate(files, jobs=1, cache=False)
    assert len(checked) == 6
    assert not default_path().exists()


def test_the_cli_takes_no_cache(tmp_path: Path, own_cache: Path, checked: list[str]) -> None:
    files = [str(p) for p in _fixtures(tmp_path)[:2]]
    runner = CliRunner()
    first = runner.invoke(main, ["validate", *files])
    again = runner.invoke(main, ["validate", *files])
    assert len(checked) == 2
    forced = runner.invoke(main, ["validate", "--no-cache", *files])
    assert len(checked) == 4
    strip = [r.output.splitlines()[:-1] for r in (first, again, forced)]  # not the timing
    assert strip[0] == strip[1] == strip[2]
    assert first.exit_code == again.exit_code == forced.exit_code


def _edition(tmp_path: Path) -> Path:
    """A copy of the repository's edition, as a project of its own."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "tei", project / "tei")
    shutil.copytree(ROOT / "schema", project / "schema")
    (project / "pyproject.toml").write_text('[tool.serge-tei]\nedition = "tei"\n')
    _old(*(project / "tei").glob("*.xml"), *(project / "schema").iterdir())
    return project


def _cited_once(tei: Path) -> tuple[str, str]:
    """A person of persons.xml that exactly one document cites: (its id, that document)."""
    citing: dict[str, set[str]] = {}
    for path in tei.glob("*.xml"):
        for token in re.findall(r'persons\.xml#([\w.-]+)', path.read_text(encoding="utf-8")):
            citing.setdefault(token, set()).add(path.name)
    return next((ident, docs.pop()) for ident, docs in sorted(citing.items())
                if len(docs) == 1 and "persons.xml" not in docs)


def test_a_changed_register_invalidates_exactly_the_documents_that_cite_it(
        tmp_path: Path, own_cache: Path, checked: list[str]) -> None:
    project = _edition(tmp_path)
    tei = project / "tei"
    config = load_config(project)
    first = validate([tei], config=config, jobs=1)
    assert first.exit_code == 0, [f.message for f in first.findings]
    ident, citing = _cited_once(tei)
    persons = tei / "persons.xml"
    tree = etree.parse(persons)
    entry = tree.find(f".//{{*}}person[@{{{XML_NS}}}id='{ident}']")
    assert entry is not None
    entry.getparent().remove(entry)
    tree.write(persons, xml_declaration=True, encoding="UTF-8")
    _old(persons)
    checked.clear()
    again = validate([tei], config=config, jobs=1)
    assert sorted(checked) == sorted({"persons.xml", citing})
    fresh = validate([tei], config=config, jobs=1, cache=False)
    assert _as_dicts(again) == _as_dicts(fresh)
    assert {(Path(f.path).name, f.rule) for f in again.findings} == {
        (citing, "serge.ref-resolves")}


def test_an_edition_named_relatively_is_answered_from_the_cache(
        tmp_path: Path, own_cache: Path, checked: list[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    project = _edition(tmp_path)
    monkeypatch.chdir(project)
    config = load_config(project)
    first = validate(["tei"], config=config, jobs=1)
    checked.clear()
    again = validate(["tei"], config=config, jobs=1)
    assert checked == []
    assert _as_dicts(again) == _as_dicts(first)
    checked.clear()
    validate([project / "tei" / "persons.xml"], config=config, jobs=1)
    assert checked == []


def test_a_changed_schema_is_a_miss(tmp_path: Path, own_cache: Path,
                                    checked: list[str]) -> None:
    files = _fixtures(tmp_path)
    validate(files[:2], jobs=1)
    sch = tmp_path / "fixtures" / "schema" / "serge-tei.sch"
    sch.write_text(sch.read_text(encoding="utf-8") + "\n<!-- edited -->\n", encoding="utf-8")
    checked.clear()
    validate(files[:2], jobs=1)
    assert len(checked) == 2


def test_corrupt_rows_are_misses_and_are_replaced(tmp_path: Path, own_cache: Path,
                                                  checked: list[str]) -> None:
    files = _fixtures(tmp_path)
    fresh = validate(files, jobs=1)
    db = sqlite3.connect(default_path())
    with db:
        db.execute("UPDATE results SET findings = ? WHERE rowid % 2 = 0",
                   ('{"engine": null, "findings": [["x", -1]]}',))
        db.execute("UPDATE results SET findings = ? WHERE rowid % 2 = 1", ("not json",))
        db.execute("UPDATE models SET models = '{}'")
    db.close()
    checked.clear()
    again = validate(files, jobs=1)
    assert len(checked) == len(files)
    assert _as_dicts(again) == _as_dicts(fresh)
    checked.clear()
    validate(files, jobs=1)
    assert checked == []


def test_a_file_that_is_not_a_database_is_replaced(tmp_path: Path, own_cache: Path) -> None:
    files = _fixtures(tmp_path)[:3]
    fresh = validate(files, jobs=1, cache=False)
    path = default_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not SQLite" * 100)
    assert _as_dicts(validate(files, jobs=1)) == _as_dicts(fresh)
    assert _as_dicts(validate(files, jobs=1)) == _as_dicts(fresh)
    assert sqlite3.connect(path).execute("SELECT count(*) FROM results").fetchone()[0] == 3


def test_an_unwritable_cache_folder_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                ) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    files = _fixtures(tmp_path)[:2]
    assert _as_dicts(validate(files, jobs=1)) == _as_dicts(validate(files, jobs=1, cache=False))


def test_the_cache_is_private(tmp_path: Path, own_cache: Path) -> None:
    validate(_fixtures(tmp_path)[:1], jobs=1)
    assert default_path().stat().st_mode & 0o077 == 0
    assert default_path().parent.stat().st_mode & 0o077 == 0


def test_a_digest_is_trusted_only_for_a_file_untouched_since_long_before_it_was_read(
        tmp_path: Path, own_cache: Path) -> None:
    path = tmp_path / "f.xml"
    path.write_text("<x/>")
    with ResultsCache(default_path()) as cache:
        assert cache._connect()
        stamp = cache.stamp(path)
        assert stamp is not None and stamp.digest is None
        mtime = path.stat().st_mtime
        cache.put_digest(str(path), stamp.stamp, "d" * 64, mtime + RACY_SECONDS / 2)
        cache.flush()
        assert cache.stamp(path).digest is None  # type: ignore[union-attr]  # racily clean
        cache.put_digest(str(path), stamp.stamp, "d" * 64, mtime + 2 * RACY_SECONDS)
        cache.flush()
        assert cache.stamp(path).digest == "d" * 64  # type: ignore[union-attr]
        path.write_text("<y/>")
        assert cache.stamp(path).digest is None  # type: ignore[union-attr]  # stat changed


def test_a_file_changed_since_the_last_run_is_checked_again(tmp_path: Path, own_cache: Path
                                                            ) -> None:
    files = _fixtures(tmp_path)
    target = next(p for p in files if p.name == "valid-minimal.xml")
    assert validate([target], jobs=1).exit_code == 0
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("</body>", "<unknown/></body>"), encoding="utf-8")
    assert validate([target], jobs=1).exit_code == 1


def test_concurrent_runs_give_the_same_verdicts(tmp_path: Path, own_cache: Path) -> None:
    files = [str(p) for p in _fixtures(tmp_path)]
    env = {**os.environ, "XDG_CACHE_HOME": str(own_cache), "CI": "1"}
    command = [sys.executable, "-m", "serge_tei", "validate", "--jobs", "1", *files]
    procs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
             for _ in range(3)]
    outputs = [p.communicate(timeout=300)[0] for p in procs]
    codes = {p.returncode for p in procs}
    assert codes == {1}
    bodies = {"\n".join(o.splitlines()[:-1]) for o in outputs}
    assert len(bodies) == 1
    again = subprocess.run(command, env=env, stdout=subprocess.PIPE, text=True, check=False)
    assert "\n".join(again.stdout.splitlines()[:-1]) in bodies


def test_findings_survive_the_round_trip_exactly() -> None:
    report = validate(FIXTURES, jobs=1, cache=False)
    for result in report.files:
        text = results_cache.encode_findings(result)
        engine = result.schema.engine if result.schema is not None else None
        assert results_cache.decode_findings(text, result.path) == (result.findings, engine)
