"""Structured findings: what every validator and linter yields.

Every output format (text, JSON, GitHub annotations, JUnit) is a rendering of
these objects; nothing else is printed about a document.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum

from .errors import ExitCode


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem at one place in one file."""

    path: str
    line: int
    column: int
    severity: Severity
    rule: str
    message: str
    xpath: str = ""
    #: where else the problem shows (e.g. the first of two duplicate ids)
    related: tuple[tuple[int, int], ...] = ()

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["severity"] = self.severity.value
        data["related"] = [{"line": ln, "column": col} for ln, col in self.related]
        return data


@dataclass(slots=True)
class FileResult:
    """The verdict on one file: its findings, and whether it could be read at all."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    #: False when the file could not be parsed or was refused before validation
    readable: bool = True
    seconds: float = 0.0

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)


@dataclass
class Report:
    """The verdict on a run: one :class:`FileResult` per input file, in input order."""

    files: list[FileResult] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.files for f in r.findings]

    @property
    def errors(self) -> int:
        return sum(r.errors for r in self.files)

    @property
    def warnings(self) -> int:
        return sum(r.warnings for r in self.files)

    def exit_code_for(self, strict: bool = False) -> ExitCode:
        """2 if a file could not be used, 1 if one is invalid (or warned, when *strict*), 0."""
        if any(not r.readable for r in self.files):
            return ExitCode.USAGE
        if self.errors or (strict and self.warnings):
            return ExitCode.INVALID
        return ExitCode.OK

    @property
    def exit_code(self) -> ExitCode:
        return self.exit_code_for(strict=False)
