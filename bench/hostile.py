"""Every hostile case through every command: exit code, wall time and peak memory.

    python bench/hostile.py                 # all cases, a Markdown table on stdout
    python bench/hostile.py -k nesting      # only cases whose id contains "nesting"

Each command runs as its own process (``python -m serge_tei`` from this working
tree), so the time includes the interpreter's start as a user would see it; the
peak resident set is that process's own (``os.wait4``). A loopback listener that
never answers stands in for every URL the cases name; the table says if any
connection reached it. A command that runs past ``--timeout`` is killed and shown
as ``hang``.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = ROOT / "tests" / "data" / "hostile"


def load_corpus():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("hostile_corpus", HOSTILE / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["hostile_corpus"] = module
    spec.loader.exec_module(module)
    return module


def command_line(command: str, path: Path, work: Path) -> list[str]:
    base = [sys.executable, "-m", "serge_tei"]
    if command == "validate":
        return [*base, "validate", str(path)]
    if command == "transform-html":
        return [*base, "transform", "--to", "html", str(path), "-o", str(work / "page.html")]
    if command == "transform-text":
        return [*base, "transform", "--to", "text", str(path)]
    if command in ("lint", "stats"):
        return [*base, command, str(path)]
    return [*base, "build", str(path.parent), "--out", str(work / "out")]


GNU_TIME = Path("/usr/bin/time")


def run_one(argv: list[str], cwd: Path, timeout: float, env: dict[str, str] | None = None
            ) -> tuple[int | None, float, float]:
    """Exit code (None: killed after *timeout*), wall seconds, peak RSS in MiB.

    The peak comes from GNU time when it is there: a child forked from this
    (large) process would otherwise count this process's pages until its exec.
    """
    env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    rss_file = cwd / ".peak-rss"
    if GNU_TIME.exists():
        argv = [str(GNU_TIME), "-f", "%M", "-o", str(rss_file), *argv]
    started = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                stdout=sink, stderr=sink)
        killer = threading.Timer(timeout, proc.kill)
        killer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            killer.cancel()
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)  # already reaped by wait4
    code = None if proc.returncode < 0 else proc.returncode
    peak_kib = usage.ru_maxrss  # KiB on Linux
    if rss_file.exists():
        lines = rss_file.read_text().split()
        if lines and lines[-1].isdigit():
            peak_kib = int(lines[-1])
    return code, seconds, peak_kib / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-k", default="", help="only cases whose id contains this")
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args()

    corpus = load_corpus()
    secret = dict([corpus.SECRET_ENV])  # set in every run: its value must never show
    listener = socket.create_server(("127.0.0.1", 0), backlog=64)
    listener.setblocking(False)
    port = listener.getsockname()[1]
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    print("| case | command | exit | expected | seconds | peak MiB |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    mismatches = 0
    for case in corpus.load_cases():
        if args.k not in case.id or (case.make == "unreadable" and is_root):
            continue
        for command in case.commands:
            with tempfile.TemporaryDirectory(prefix="hostile-") as tmp:
                work = Path(tmp) / "project"  # the secret folder of schema cases goes beside it
                (work / "ed").mkdir(parents=True)
                (work / "pyproject.toml").write_text(
                    f'[tool.serge-tei]\nedition = "ed"\n{case.settings()}')
                shutil.copy(corpus.GOOD, work / "ed" / "good.xml")
                path = corpus.materialize(case, work / "ed", port)
                code, seconds, peak = run_one(command_line(command, path, work), work,
                                              args.timeout, secret)
                expected = case.expected_exit(command)
                mismatches += code != expected
                shown = "hang" if code is None else str(code)
                print(f"| {case.id} | {command} | {shown} | {expected} | {seconds:.2f} "
                      f"| {peak:.0f} |", flush=True)
    connections = 0
    while True:
        try:
            listener.accept()[0].close()
            connections += 1
        except BlockingIOError:
            break
    print(f"\n{mismatches} unexpected exit codes; {connections} connections reached the "
          "loopback listener")
    sys.exit(1 if mismatches or connections else 0)


if __name__ == "__main__":
    main()
