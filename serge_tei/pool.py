"""Parallel work: one function over many items, in worker processes when it pays.

Every command that spreads work over processes (``validate``, ``lint``,
``build``) goes through :func:`map_ordered`, which streams results in input
order. What workers need travels through the pool's initializer, never
through module globals set before a fork: the caller passes ``setup`` and its
arguments, each worker calls ``setup(*setup_args)`` once, and every item is
then processed as ``fn(state, item)``. Small runs (below
:data:`POOL_THRESHOLD` items, or one job) call the same two functions in this
process, so both paths run the same code.

Workers are forked where fork is the platform's safe default (Linux): they
inherit what the parent already compiled (schemas, stylesheets) through the
setup arguments, which fork does not pickle. Elsewhere (Windows, macOS) they
are spawned, the setup arguments are pickled, and objects holding compiled
schemas pickle as a recipe that compiles again in the worker.

Workers die with their parent: on Linux the kernel kills them when it dies
(``PR_SET_PDEATHSIG``), and every worker checks before each item that its
parent is still the one that started it. Their standard output is
``/dev/null``, so an orphan can never hold a caller's pipe open. They ignore
SIGINT: on Ctrl-C the parent alone gets ``KeyboardInterrupt``, cancels what is
queued, stops the workers and lets the interrupt through (the CLI exits 130).

:class:`Executor` is the interface a different backend implements to take
over from :class:`ProcessExecutor` without any caller changing: given a
scheduler address, Dask's distributed scheduler (:mod:`serge_tei.cluster`).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from .errors import UsageError

# multiprocessing and concurrent.futures are imported where a pool is started: a run that
# stays in this process (one file, a results cache answering) does not pay for them
if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

#: below this many items a pool of processes costs more than it saves
POOL_THRESHOLD = 16
#: the most items sent to a worker at a time (fewer when there are few items): a hand-over
#: costs well under a millisecond, while the last chunk decides when the run ends (with 32
#: GerDraCor plays to a chunk, one worker idled about 0.2 s at the end of the corpus)
MAX_CHUNK = 8
#: environment variable forcing how workers start: ``fork`` or ``spawn`` (for tests, debugging)
START_ENV = "SERGE_TEI_POOL_START"

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")


class Executor(Protocol):
    """Runs ``fn(state, item)`` for every item, ``state`` made once per worker by ``setup``."""

    def map_ordered(self, fn: Callable[[S, T], R], items: Sequence[T], *,
                    setup: Callable[..., S], setup_args: tuple[Any, ...] = ()
                    ) -> Iterator[R]:
        """Results in the order of *items*, each as soon as it and those before it are done.

        *fn* and *setup* must be module-level functions (a worker finds them by
        name); *setup_args* are pickled where workers do not fork.
        """
        ...


class InProcess:
    """No pool: the same functions, called here, one item after the other."""

    def map_ordered(self, fn: Callable[[S, T], R], items: Sequence[T], *,
                    setup: Callable[..., S], setup_args: tuple[Any, ...] = ()
                    ) -> Iterator[R]:
        state = setup(*setup_args)
        for item in items:
            yield fn(state, item)


class ProcessExecutor:
    """A pool of *workers* local processes, forked where that is safe, else spawned."""

    def __init__(self, workers: int, *, start: str | None = None) -> None:
        self.workers = workers
        self.start = start or start_method()

    def map_ordered(self, fn: Callable[[S, T], R], items: Sequence[T], *,
                    setup: Callable[..., S], setup_args: tuple[Any, ...] = ()
                    ) -> Iterator[R]:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context(self.start)
        pool = ProcessPoolExecutor(self.workers, mp_context=context, initializer=_worker_init,
                                   initargs=(os.getpid(), setup, setup_args))
        finished = False
        try:
            with _sigint_blocked():  # until each worker has set SIGINT aside itself
                results = pool.map(partial(_worker_call, fn), items,
                                   chunksize=chunk_size(len(items), self.workers))
            yield from results
            finished = True
        finally:
            if finished:
                pool.shutdown(wait=True)
            else:  # interrupted, or the caller stopped reading: nothing may go on running
                _stop(pool)


def workers_for(jobs: int, items: int, threshold: int | None = None) -> int:
    """Processes to use: *jobs* (0: one per core), but 1 below *threshold* items
    (default :data:`POOL_THRESHOLD`)."""
    if items < (POOL_THRESHOLD if threshold is None else threshold):
        return 1
    return max(1, min(jobs or os.cpu_count() or 1, items))


def chunk_size(items: int, workers: int) -> int:
    """Items per hand-over: about eight per worker, so that a slow item does not idle others."""
    return max(1, min(MAX_CHUNK, items // (workers * 8)))


def executor(jobs: int, items: int, threshold: int | None = None, *,
             inherit: bool = False, scheduler: str | None = None) -> Executor:
    """The executor for *items* items and *jobs* processes (0: one per core).

    *inherit*: the setup arguments do not pickle (live Saxon trees), so workers
    are used only where they fork; elsewhere the work runs in this process.
    *scheduler*: the address of a Dask scheduler whose workers do the work
    (:mod:`serge_tei.cluster`), except work that must *inherit*.
    """
    if scheduler and not inherit and items:
        from .cluster import DaskExecutor

        return DaskExecutor(scheduler)
    workers = workers_for(jobs, items, threshold)
    if workers <= 1 or (inherit and start_method() != "fork"):
        return InProcess()
    return ProcessExecutor(workers)


def map_ordered(fn: Callable[[S, T], R], items: Sequence[T], *, jobs: int = 0,
                setup: Callable[..., S], setup_args: tuple[Any, ...] = (),
                threshold: int | None = None, inherit: bool = False,
                scheduler: str | None = None) -> Iterator[R]:
    """``fn(state, item)`` for every item, in input order, in parallel when it pays.

    See :func:`executor` for *threshold*, *inherit* and *scheduler*.
    """
    return executor(jobs, len(items), threshold, inherit=inherit,
                    scheduler=scheduler).map_ordered(fn, items, setup=setup,
                                                     setup_args=setup_args)


def start_method() -> str:
    """``fork`` where it is the platform's safe default (Linux), else ``spawn``.

    macOS offers fork but system libraries may not survive it; Windows has none.
    """
    import multiprocessing

    chosen = os.environ.get(START_ENV, "").strip().lower()
    if chosen:
        if chosen not in ("fork", "spawn"):
            raise UsageError(f"{START_ENV}={chosen!r}: use fork or spawn")
        if chosen not in multiprocessing.get_all_start_methods():
            raise UsageError(f"{START_ENV}={chosen}: not available on this platform")
        return chosen
    linux = sys.platform.startswith("linux")
    return "fork" if linux and "fork" in multiprocessing.get_all_start_methods() else "spawn"


# ------------------------------------------------------------ inside a worker

#: this worker's state, made by the setup function it was started with
_STATE: Any = None
#: the process that started this worker; another parent means it died
_PARENT: int | None = None

#: Linux prctl(2) option: the signal the kernel sends when the parent dies
_PR_SET_PDEATHSIG = 1


def _worker_init(parent: int, setup: Callable[..., Any], setup_args: tuple[Any, ...]) -> None:
    global _STATE, _PARENT
    _PARENT = parent
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent alone handles Ctrl-C
    # SIGTERM ends a worker (the parent stops them so): not a handler the CLI set for itself
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
    _die_with_parent(parent)
    _release_stdout()
    _STATE = setup(*setup_args)


def _worker_call(fn: Callable[[Any, Any], Any], item: Any) -> Any:
    if _PARENT is not None and os.getppid() != _PARENT:
        os._exit(1)  # orphaned between items: nobody is waiting for the result
    return fn(_STATE, item)


def _die_with_parent(parent: int) -> None:
    """Have the kernel kill this worker when its parent dies; elsewhere, watch for it."""
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            _watch_parent(parent)
    else:
        _watch_parent(parent)
    if os.getppid() != parent:  # it died before the kernel was told to tell us
        os._exit(1)


def _watch_parent(parent: int) -> None:
    """A thread that ends this worker when the parent dies: multiprocessing's sentinel of the
    parent process works on every platform (Windows keeps a dead parent's pid)."""
    import multiprocessing
    from multiprocessing.connection import wait

    handle = multiprocessing.parent_process()

    def watch() -> None:
        if handle is not None:
            wait([handle.sentinel])
        else:
            while os.getppid() == parent:
                threading.Event().wait(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="serge-tei-parent-watch", daemon=True).start()


def _release_stdout() -> None:
    """Point fd 1 at /dev/null: a worker never prints, and must never hold the caller's pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        return
    os.dup2(devnull, 1)
    os.close(devnull)


# ------------------------------------------------------------ in the parent

@contextmanager
def _sigint_blocked() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back while workers start: one started by fork must not inherit
    a handler that would print a traceback before it has set them aside (delivered after)."""
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not \
            threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel what is queued and end the workers now (they ignore SIGINT, not SIGTERM).

    ``ProcessPoolExecutor`` offers no public way to end busy workers before
    Python 3.14; its ``_processes`` table has held them since 3.2.
    """
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in processes:
        proc.terminate()
    for proc in processes:
        proc.join(timeout=5)
