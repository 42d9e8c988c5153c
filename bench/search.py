"""What the search index costs: its size and the time it adds to a build.

    python bench/search.py [--runs 3]

Builds, with and without the Pagefind step, the edition in ``tei/`` and a
150-entry diary made from two Schnitzler entries (``tests/data/reading/diary.py``),
and prints a Markdown table: medians over the runs, the bundle's size (all of
``pagefind/``) and the index's own share (the ``index``, ``fragment`` and
``filter`` folders, what grows with the texts).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from serge_tei import build as build_module  # noqa: E402
from serge_tei import site as site_module  # noqa: E402


def _diary() -> object:
    spec = importlib.util.spec_from_file_location(
        "reading_diary", ROOT / "tests" / "data" / "reading" / "diary.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _unchecked(_: Path) -> tuple[SimpleNamespace, dict[Path, object]]:
    return SimpleNamespace(exit_code=0, findings=[]), {}


def measure(edition: Path, runs: int, tmp: Path) -> dict[str, float]:
    times: dict[bool, list[float]] = {True: [], False: []}
    real = site_module.search_index
    sizes = (0, 0)
    for n in range(runs):
        for search in (True, False):
            build_module.site_info.search_index = real if search else (lambda *_: "off")
            out = tmp / f"out-{search}-{n}"
            started = time.perf_counter()
            build_module.build(edition, out, validator=_unchecked)
            times[search].append(time.perf_counter() - started)
            if search:
                bundle = out / "pagefind"
                sizes = (_size(bundle), sum(_size(bundle / d) for d in ("index", "fragment",
                                                                       "filter")))
    build_module.site_info.search_index = real
    on, off = statistics.median(times[True]), statistics.median(times[False])
    return {"with": on, "without": off, "bundle": sizes[0] / 1024, "index": sizes[1] / 1024}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        diary = Path(tmp) / "diary"
        diary.mkdir()
        _diary().make_diary(diary)  # type: ignore[attr-defined]
        rows = [("the edition (tei/, 2 documents)", measure(ROOT / "tei", args.runs, Path(tmp))),
                ("150 diary entries", measure(diary, args.runs, Path(tmp)))]
    print(f"load average {os.getloadavg()[0]:.2f}, {os.cpu_count()} cores, {args.runs} runs\n")
    print("| site | build without search | with search | added | bundle | index |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, r in rows:
        print(f"| {name} | {r['without']:.2f} s | {r['with']:.2f} s | "
              f"{r['with'] - r['without']:.2f} s | {r['bundle']:.0f} KiB | {r['index']:.0f} KiB |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
