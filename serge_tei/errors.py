"""The toolkit's one exception family and its table of exit codes.

Library code raises these; only the command-line entry point turns them into
messages and exit statuses.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .findings import Finding


class ExitCode(IntEnum):
    """Exit statuses of every ``serge-tei`` command (documented in the README)."""

    OK = 0  #: all documents valid (warnings allowed unless --strict)
    INVALID = 1  #: at least one document is invalid or was rejected
    USAGE = 2  #: bad command line, configuration or unusable input (missing file, not XML)
    INTERNAL = 3  #: the toolkit itself failed (a stylesheet did not compile, a bug)
    INTERRUPTED = 130  #: stopped by Ctrl-C (SIGINT) or SIGTERM, as shells report 128 + 2


class SergeTeiError(Exception):
    """Base class: a problem the user can act on, with its exit code."""

    exit_code: ExitCode = ExitCode.INTERNAL

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column

    def location(self) -> str:
        """``path:line:col`` as far as known."""
        if self.path is None:
            return ""
        return f"{self.path}:{self.line or 0}:{self.column or 0}"


class UsageError(SergeTeiError):
    """The command line or configuration asks for something impossible."""

    exit_code = ExitCode.USAGE


class InputError(SergeTeiError):
    """A user's file cannot be used at all (missing, not a regular file, not XML, not TEI)."""

    exit_code = ExitCode.USAGE


class DocumentRejected(SergeTeiError):
    """A document was read but refused (invalid, or hostile constructs)."""

    exit_code = ExitCode.INVALID


class SchemaError(SergeTeiError):
    """A schema given by the user cannot be loaded or compiled."""

    exit_code = ExitCode.USAGE


class FetchError(SergeTeiError):
    """Something an explicit download command fetched could not be had, or was not what was
    pinned (``serge-tei fetch-tei-all``)."""

    exit_code = ExitCode.USAGE


class BudgetExceeded(DocumentRejected):
    """Rules that the data chose took more time or memory on a document than their budget
    (``rule-seconds``, ``rule-memory``); the message names the rule that ran out."""


class ToolkitError(SergeTeiError):
    """The toolkit itself failed: a shipped stylesheet or schema is broken, Saxon erred."""

    exit_code = ExitCode.INTERNAL


class InvalidInput(DocumentRejected):
    """A command that needs valid input (``build``) was given invalid documents.

    ``findings`` holds the validator's findings so that the CLI can list them.
    """

    def __init__(self, message: str, findings: Sequence[Finding], *,
                 exit_code: ExitCode = ExitCode.INVALID) -> None:
        super().__init__(message)
        self.findings = list(findings)
        self.exit_code = exit_code  # USAGE when a file could not be used at all


class DocumentInvalid(DocumentRejected):
    """A document failed validation (raised by :meth:`serge_tei.Validator.assert_valid`).

    ``findings`` holds every finding, errors and warnings, in document order;
    the message quotes the first error.
    """

    def __init__(self, message: str, findings: Sequence[Finding], *, path: str | None = None,
                 line: int | None = None, column: int | None = None) -> None:
        super().__init__(message, path=path, line=line, column=column)
        self.findings = list(findings)
