"""The one process pool: input order, fork and spawn alike, workers that die with the parent."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from serge_tei import pool
from serge_tei.config import Config
from serge_tei.errors import UsageError
from serge_tei.lint import lint
from serge_tei.validation.run import validate

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "data" / "validate"


def _offset(state: int, item: int) -> tuple[int, int]:
    time.sleep(0.02 * (item % 3))  # later items often finish first
    return item + state, os.getpid()


def _setup(offset: int) -> int:
    return offset


@pytest.mark.parametrize("start", ["fork", "spawn"])
def test_results_come_in_input_order_from_workers(start: str) -> None:
    executor = pool.ProcessExecutor(2, start=start)
    got = list(executor.map_ordered(_offset, list(range(40)), setup=_setup, setup_args=(100,)))
    assert [value for value, _ in got] == list(range(100, 140))
    assert os.getpid() not in {pid for _, pid in got}


def test_small_runs_stay_in_this_process() -> None:
    got = list(pool.map_ordered(_offset, [1, 2, 3], jobs=4, setup=_setup, setup_args=(0,)))
    assert got == [(1, os.getpid()), (2, os.getpid()), (3, os.getpid())]
    assert pool.workers_for(0, pool.POOL_THRESHOLD - 1) == 1
    assert pool.workers_for(3, 100) == 3
    assert pool.workers_for(1, 100) == 1


def test_an_unknown_start_method_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(pool.START_ENV, "threads")
    with pytest.raises(UsageError, match="SERGE_TEI_POOL_START='threads': use fork or spawn"):
        pool.start_method()


def _corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    names = sorted(p.name for p in FIXTURES.glob("*.xml"))[:pool.POOL_THRESHOLD + 2]
    for name in names:
        shutil.copy(FIXTURES / name, folder / name)
    return folder


def test_spawned_workers_validate_and_lint_like_one_process(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where fork is not used (Windows, macOS), workers compile and read for themselves."""
    folder = _corpus(tmp_path)
    alone = validate([folder], jobs=1, config=Config())
    linted = lint([folder], jobs=1, config=Config())
    monkeypatch.setenv(pool.START_ENV, "spawn")
    spawned = validate([folder], jobs=2, config=Config())
    assert [r.findings for r in spawned.files] == [r.findings for r in alone.files]
    assert spawned.errors > 0  # the fixtures include invalid documents
    assert [r.findings for r in lint([folder], jobs=2, config=Config()).files] == \
        [r.findings for r in linted.files]


_SLOW_RUN = """
import os, signal, sys, time
from serge_tei import pool
# A test run started in the background inherits SIGINT ignored; a terminal's would not be.
signal.signal(signal.SIGINT, signal.default_int_handler)
if sys.argv[2:] == ["watch"]:  # the way of platforms without PR_SET_PDEATHSIG
    pool._die_with_parent = pool._watch_parent

def work(folder, item):
    open(os.path.join(folder, str(os.getpid())), "w").close()
    time.sleep(60)

def setup(folder):
    return folder

for _ in pool.ProcessExecutor(2).map_ordered(work, list(range(8)), setup=setup,
                                             setup_args=(sys.argv[1],)):
    pass
"""


def _workers_started(folder: Path, count: int) -> list[int]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        pids = [int(p.name) for p in folder.iterdir()]
        if len(pids) >= count:
            return pids
        time.sleep(0.05)
    raise AssertionError("the workers did not start")


@pytest.fixture
def reap() -> Iterator[list[int]]:
    """Worker pids a test started: any still alive at its end (a failure) are ended."""
    pids: list[int] = []
    yield pids
    for pid in pids:
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie is dead


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("way", ["kernel", "watch"])
def test_workers_die_with_a_killed_parent_and_release_its_stdout(tmp_path: Path, way: str,
                                                                 reap: list[int]) -> None:
    parent = subprocess.Popen([sys.executable, "-c", _SLOW_RUN, str(tmp_path), way],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    workers = _workers_started(tmp_path, 2)
    reap.extend(workers)
    parent.kill()  # SIGKILL: no handler, no clean-up of its own
    # A reader of the parent's stdout sees the end at once: no worker holds the pipe.
    out, _ = parent.communicate(timeout=10)
    assert out == b""
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in workers if _alive(pid)]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_ctrl_c_stops_the_workers_without_a_traceback(tmp_path: Path,
                                                      reap: list[int]) -> None:
    parent = subprocess.Popen([sys.executable, "-c", _SLOW_RUN, str(tmp_path)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              start_new_session=True)
    workers = _workers_started(tmp_path, 2)
    reap.extend(workers)
    os.killpg(parent.pid, signal.SIGINT)  # what a terminal sends the whole group
    _, err = parent.communicate(timeout=20)
    assert parent.returncode != 0
    # The parent's own KeyboardInterrupt (here uncaught: the CLI turns it into exit 130);
    # nothing from a worker.
    assert err.decode().count("Traceback") == 1 and "Process " not in err.decode()
    assert not [pid for pid in workers if _alive(pid)]
