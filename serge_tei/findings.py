"""Structured findings: what every validator and linter yields.

Every output format (text, JSON, GitHub annotations, JUnit) is a rendering of
these objects; nothing else is printed about a document.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum


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
