"""``serge-tei build`` of generated editions of growing size: time, CPU and peak memory.

The build part of ``bench/run.py`` on its own, with the peak memory told apart by
program: serge-tei's own processes (the building process and its workers) and the
search indexer (Pagefind, a program of its own that ``build`` runs on the
finished texts, whose memory grows with what it indexes).

    python bench/build_memory.py --sizes 250,1000,2000 [--work /tmp/serge-tei-bench]

Prints one Markdown table; each build runs once, from inside its project (so that
its ``pyproject.toml`` is found), and the site is removed afterwards. The peaks are
sampled every 50 ms (RSS: a forked worker's pages shared with its parent count in both).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # bench/run.py: corpora, tools, tables

HEADERS = ("documents", "wall", "CPU (tree)", "serge-tei: largest process",
           "serge-tei: all processes", "Pagefind", "load before / after")


class _Sampler(threading.Thread):
    """Peak RSS (KB) of a process tree, by program: the largest process and the sum."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self._done = pid, threading.Event()
        self.largest: dict[str, int] = defaultdict(int)
        self.total: dict[str, int] = defaultdict(int)

    def run(self) -> None:
        while not self._done.wait(0.05):
            sums: dict[str, int] = defaultdict(int)
            for pid in run._descendants(self.pid):
                kind = "pagefind" if _program(pid) == "pagefind" else "serge-tei"
                size = run._rss_kb(pid)
                sums[kind] += size
                self.largest[kind] = max(self.largest[kind], size)
            for kind, size in sums.items():
                self.total[kind] = max(self.total[kind], size)

    def stop(self) -> None:
        self._done.set()
        self.join()


def _program(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def build_once(tools: run.Tools, project: Path, site: Path) -> list[str]:
    """One build of *project* into *site*: a row of the table."""
    before = run.load()
    started = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(tools.serge("build", "tei", "-o", str(site)), cwd=project,
                                env=tools.env, stdout=subprocess.DEVNULL, stderr=err)
        sampler = _Sampler(proc.pid)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        sampler.stop()
        seconds = time.perf_counter() - started
        if proc.returncode != 0:
            err.seek(0)
            raise SystemExit(f"build of {project} failed: {err.read()[-2000:].decode()}")
    return [f"{run.fmt_s(seconds)}", run.fmt_s(usage.ru_utime + usage.ru_stime),
            run.fmt_mb(sampler.largest["serge-tei"]), run.fmt_mb(sampler.total["serge-tei"]),
            run.fmt_mb(sampler.largest["pagefind"]), f"{before} / {run.load()}"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=lambda v: [int(x) for x in v.split(",")],
                    default=[250, 1_000, 2_000])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "serge-tei-bench")
    args = ap.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    tools = run.find_tools(args.work)
    rows = []
    for n in args.sizes:
        project = run.corpus(args.work, "edition", n, args.seed)
        site = args.work / f"site-{n}"
        shutil.rmtree(site, ignore_errors=True)
        rows.append([f"{n:,}", *build_once(tools, project, site)])
        print(" | ".join(rows[-1]), flush=True)
        shutil.rmtree(site, ignore_errors=True)
    print()
    print(run.markdown_table(HEADERS, rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
