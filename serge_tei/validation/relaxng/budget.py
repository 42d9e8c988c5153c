"""The time and size a schema may cost: a data-chosen schema must not hang a CI job.

Compiling a schema is bounded by a time budget (60 s by default; the
environment variable ``SERGE_TEI_SCHEMA_BUDGET`` or the ``budget`` argument of
``load`` changes it). The derivatives the engine computes lazily while
validating are the rest of the compilation, so they draw on the same budget,
and the number of patterns is capped, which bounds memory.
"""

from __future__ import annotations

import os
import time

from ...errors import SchemaError

DEFAULT_SECONDS = 60.0
ENV = "SERGE_TEI_SCHEMA_BUDGET"
#: patterns (simplified ones and derivatives) one schema may create
MAX_PATTERNS = 2_000_000


def default_seconds() -> float:
    """The budget from ``SERGE_TEI_SCHEMA_BUDGET``, else 60 s."""
    raw = os.environ.get(ENV, "").strip()
    if not raw:
        return DEFAULT_SECONDS
    try:
        seconds = float(raw)
    except ValueError:
        raise SchemaError(f"{ENV}={raw!r} is not a number of seconds") from None
    if not seconds > 0:
        raise SchemaError(f"{ENV}={raw!r}: the budget must be above 0 seconds")
    return seconds


class Budget:
    """Seconds a schema may take to compile, counted across its lazy parts too."""

    def __init__(self, seconds: float, schema: str) -> None:
        self.seconds = seconds
        self.schema = schema
        self.spent = 0.0

    def begin(self) -> float:
        return time.monotonic()

    def check(self, started: float) -> None:
        if self.spent + time.monotonic() - started > self.seconds:
            raise self.exceeded()

    def end(self, started: float) -> None:
        self.spent += time.monotonic() - started
        if self.spent > self.seconds:
            raise self.exceeded()

    def exceeded(self) -> SchemaError:
        return SchemaError(
            f"compiling this schema took longer than its budget of {self.seconds:g} s, so it "
            f"was abandoned; if the schema is trusted, raise the budget ({ENV}=SECONDS)",
            path=self.schema)

    def too_large(self) -> SchemaError:
        return SchemaError(
            f"this schema needs more than {MAX_PATTERNS:,} patterns, so it was abandoned "
            "(a schema written to exhaust memory?); validate it with jing instead",
            path=self.schema)
