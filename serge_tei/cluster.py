"""Beyond one machine: the pool's work on a Dask distributed cluster.

:class:`DaskExecutor` implements :class:`serge_tei.pool.Executor` on Dask's
distributed scheduler (``pip install 'serge-tei[dask]'``), for corpora that
outgrow one machine. A command given a scheduler address (``--scheduler
tcp://host:8786``, or ``SERGE_TEI_SCHEDULER``) sends its items there instead of
to local processes; the findings and exit codes are the same.

How the pool's contract maps onto Dask:

* the setup arguments are scattered to every worker once (``broadcast``), and
  each worker process builds its state from them once per run (keyed by a
  token of the run), as a local pool worker does in its initializer; compiled
  schemas travel as recipes and are compiled on the worker;
* items go in chunks, one task each, and results come back in input order as
  each chunk completes;
* the workers read the files by the paths the client names, so they must see
  the same files (a shared file system) and run the same serge-tei;
* an interrupted or failed run cancels its outstanding tasks.
"""

from __future__ import annotations

import pickle
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from .errors import UsageError

#: environment variable naming the scheduler (what ``--scheduler`` defaults to)
SCHEDULER_ENV = "SERGE_TEI_SCHEDULER"
#: the most items in one task
MAX_CHUNK = 32
#: seconds to wait for the scheduler to answer
CONNECT_TIMEOUT = 30

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")

HOW_TO_GET = ("Dask's distributed scheduler is not installed: "
              "pip install 'serge-tei[dask]'")


def check_installed() -> None:
    """Raise :class:`UsageError` when the ``dask`` extra is missing."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise UsageError(HOW_TO_GET) from None


class DaskExecutor:
    """Runs ``fn(state, item)`` on the workers of the Dask scheduler at *address*."""

    def __init__(self, address: str, *, timeout: float | None = None) -> None:
        check_installed()
        self.address = address
        self.timeout = timeout or CONNECT_TIMEOUT

    def map_ordered(self, fn: Callable[[S, T], R], items: Sequence[T], *,
                    setup: Callable[..., S], setup_args: tuple[Any, ...] = ()
                    ) -> Iterator[R]:
        """Results in the order of *items*, each chunk's as soon as it and those before it
        are done (see :class:`serge_tei.pool.Executor`)."""
        from distributed import Client  # type: ignore[import-untyped,unused-ignore]

        if not items:
            return
        try:
            client: Any = Client(self.address, timeout=self.timeout,  # type: ignore[no-untyped-call,unused-ignore]
                                 set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise UsageError(f"cannot reach the Dask scheduler at {self.address}: {exc}; "
                             f"check --scheduler or {SCHEDULER_ENV}") from None
        futures: list[Any] = []
        try:
            token = uuid.uuid4().hex
            [shared] = client.scatter([setup_args], broadcast=True, hash=False)
            size = max(1, min(MAX_CHUNK, len(items) // (8 * _workers(client))))
            for start in range(0, len(items), size):
                futures.append(client.submit(_run_chunk, token, fn, setup, shared,
                                             list(items[start:start + size]), pure=False))
            for future in futures:
                yield from future.result()
        finally:
            pending = [f for f in futures if not f.done()]
            if pending:
                client.cancel(pending)
            client.close()


def _workers(client: Any) -> int:
    try:
        return max(1, len(client.scheduler_info().get("workers", {})))
    except Exception:  # the count only sizes chunks
        return 1


# ------------------------------------------------------------ on a worker

#: the state each run built on this worker, by the run's token and the worker's thread: a
#: thread uses only what it compiled (lxml's schemas report errors to the thread that made
#: them); a few runs at most
_STATES: dict[tuple[str, int], Any] = {}
_LOCK = threading.Lock()
_KEEP = 8


def _run_chunk(token: str, fn: Callable[[Any, Any], Any], setup: Callable[..., Any],
               setup_args: tuple[Any, ...], chunk: list[Any]) -> list[Any]:
    """``fn(state, item)`` for each item of *chunk*; the state made once per worker thread and
    run, from its own copy of the setup arguments."""
    slot = (token, threading.get_ident())
    with _LOCK:
        state = _STATES.get(slot)
    if state is None:
        state = setup(*pickle.loads(pickle.dumps(setup_args)))
        with _LOCK:
            while len(_STATES) >= _KEEP:
                _STATES.pop(next(iter(_STATES)))
            _STATES[slot] = state
    return [fn(state, item) for item in chunk]
