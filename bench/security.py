"""What the defences of issue 14 cost, and the memory of one very large document.

    python bench/security.py                       # this working tree
    python bench/security.py --before 8e29349      # and a revision before the changes
    python bench/security.py --only memory         # memory | sandbox | trusted

Every figure is one command as a user runs it (``python -m serge_tei``), measured
by GNU time (``/usr/bin/time -v``: peak resident set of the largest process,
wall-clock time). ``--before REV`` runs the same commands from ``git archive
REV`` (its ``serge_tei/``, ``xslt/``, ``schema/`` on ``PYTHONPATH``), with the
same installed dependencies, interleaved with this tree's runs.

* **memory**: ``transform --to text`` and ``--to html`` and ``build`` of a 9 MB
  document of 1,000,000 ``<p>a</p>`` (the case of the issue);
* **sandbox**: a generated edition (``bench/generate.py``) validated as a project
  does it, its own copy of the schema named by ``xml-model`` (so its Schematron
  runs in the sandbox), against the same files given with ``--schema`` and
  ``--schematron`` (trusted, in process);
* **trusted**: the toolkit's own rules (``validate tei/``) and ``tei_all``'s
  embedded rules (``--tei-all`` on generated plays), which stay in process.

Prints Markdown tables: medians of ``--runs`` runs.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GNU_TIME = Path("/usr/bin/time")
GOOD = ROOT / "tests" / "data" / "hostile" / "good.xml"


def _tree(rev: str | None, work: Path) -> Path:
    """The source tree to run: this one, or *rev* unpacked from git."""
    if rev is None:
        return ROOT
    target = work / f"rev-{rev}"
    if not target.exists():
        target.mkdir()
        archive = subprocess.run(["git", "archive", rev, "serge_tei", "xslt", "schema"],
                                 cwd=ROOT, check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def measure(tree: Path, args: Sequence[str], cwd: Path) -> tuple[float, float, int]:
    """(wall seconds, peak MiB, exit code) of ``python -m serge_tei ARGS`` from *tree*."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    fd, name = tempfile.mkstemp(prefix="serge-tei-time-")
    os.close(fd)
    report = Path(name)
    command = [str(GNU_TIME), "-v", "-o", str(report), sys.executable, "-m", "serge_tei", *args]
    done = subprocess.run(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    text = report.read_text()
    report.unlink()
    peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)[1])  # type: ignore[index]
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text)[1]  # type: ignore[index]
    seconds = sum(float(part) * 60 ** i for i, part in enumerate(reversed(wall.split(":"))))
    return seconds, peak / 1024, done.returncode


def _series(trees: dict[str, Path], cases: list[tuple[str, list[str], Path]], runs: int,
            clean: Path | None = None) -> list[list[str]]:
    """Rows: case, then per tree the median wall time and peak memory (interleaved runs)."""
    rows = []
    for label, args, cwd in cases:
        got: dict[str, list[tuple[float, float, int]]] = {name: [] for name in trees}
        for _ in range(runs):
            for name, tree in trees.items():
                if clean is not None:
                    shutil.rmtree(clean, ignore_errors=True)
                got[name].append(measure(tree, args, cwd))
        row = [label]
        for name in trees:
            codes = {code for _, _, code in got[name]}
            row += [f"{statistics.median(w for w, _, _ in got[name]):.2f} s",
                    f"{statistics.median(m for _, m, _ in got[name]):.0f} MiB",
                    ", ".join(map(str, sorted(codes)))]
        rows.append(row)
    return rows


def _table(trees: dict[str, Path], rows: list[list[str]]) -> str:
    head = ["case"] + [f"{name}: {what}" for name in trees for what in ("wall", "peak", "exit")]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def memory(trees: dict[str, Path], work: Path, runs: int) -> str:
    folder = work / "big"
    (folder / "ed").mkdir(parents=True, exist_ok=True)
    (folder / "pyproject.toml").write_text("[tool.serge-tei]\n", encoding="utf-8")
    big = folder / "ed" / "big.xml"
    text = GOOD.read_text(encoding="utf-8")
    big.write_text(text.replace("<p>Café crème, ça va.</p>", "<p>a</p>\n" * 1_000_000),
                   encoding="utf-8")
    size = big.stat().st_size / 1e6
    cases = [("transform --to text", ["transform", "--to", "text", str(big), "-o",
                                      str(folder / "big.txt")], folder),
             ("transform --to html", ["transform", "--to", "html", str(big), "-o",
                                      str(folder / "big.html")], folder),
             ("build", ["build", str(folder / "ed"), "--out", str(folder / "out")], folder)]
    rows = _series(trees, cases, runs, clean=folder / "out")
    return (f"One document of 1,000,000 `<p>a</p>` ({size:.1f} MB):\n\n"
            + _table(trees, rows))


def _generate(kind: str, count: int, out: Path) -> Path:
    if not out.exists():
        subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "--kind", kind,
                        "-n", str(count), "--out", str(out)], check=True,
                       stdout=subprocess.DEVNULL)
    return out


def sandbox(trees: dict[str, Path], work: Path, runs: int, count: int) -> str:
    edition = _generate("edition", count, work / f"edition-{count}")
    trusted = ["--schema", "schema/serge-tei.rng", "--schematron", "schema/serge-tei.sch"]
    cases = []
    for jobs in ("1", "0"):
        shown = "one process" if jobs == "1" else "all cores"
        cases += [(f"xml-model (the project's copy: sandbox), {shown}",
                   ["validate", "-j", jobs, "tei"], edition),
                  (f"--schema/--schematron (trusted: in process), {shown}",
                   ["validate", "-j", jobs, *trusted, "tei"], edition)]
    rows = _series(trees, cases, runs)
    documents = len(list((edition / "tei").glob("*.xml")))
    return (f"A generated edition of {documents} documents (`bench/generate.py --kind edition "
            f"-n {count}`), its rules as the project names them (sandboxed) and as the "
            "command line names them (in process):\n\n" + _table(trees, rows))


def trusted(trees: dict[str, Path], work: Path, runs: int) -> str:
    plays = _generate("drama", 20, work / "drama-20")
    cases = [("validate tei/ (the toolkit's own rules)", ["validate", "tei"], ROOT),
             ("validate --tei-all, 20 plays (tei_all's embedded rules)",
              ["validate", "--tei-all", "tei"], plays)]
    rows = _series(trees, cases, runs)
    return "The trusted rules, in process:\n\n" + _table(trees, rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", metavar="REV", help="also run this git revision")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--documents", type=int, default=200, help="of the sandbox edition")
    parser.add_argument("--only", choices=("memory", "sandbox", "trusted"))
    parser.add_argument("--work", type=Path, help="keep generated files here")
    args = parser.parse_args()
    if not GNU_TIME.exists():
        print("GNU time (/usr/bin/time) is needed", file=sys.stderr)
        return 2
    work = args.work or Path(tempfile.mkdtemp(prefix="serge-tei-security-"))
    work.mkdir(parents=True, exist_ok=True)
    trees = {"this tree": ROOT}
    if args.before:
        trees = {f"before ({args.before})": _tree(args.before, work), **trees}
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at the start, "
          f"{args.runs} runs each, medians\n")
    for name, part in (("memory", memory), ("sandbox", sandbox), ("trusted", trusted)):
        if args.only in (None, name):
            if name == "sandbox":
                print(sandbox(trees, work, args.runs, args.documents), end="\n\n")
            else:
                print(part(trees, work, args.runs), end="\n\n")  # type: ignore[operator]
    print(f"load average {os.getloadavg()[0]:.2f} at the end")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
