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


@dataclass(frozen=True, slots=True)
class SchemaUsed:
    """Which rules checked a file: reported per file (JSON ``schema``, the text summary)."""

    #: the RelaxNG schema: its path, or a ``tei_all`` release; "" for none
    relaxng: str = ""
    #: the Schematron: its path, ``embedded`` (in the RelaxNG schema), or ""
    schematron: str = ""
    #: the RelaxNG engine: ``libxml2``, ``serge-tei`` or ``jing`` ("" without a grammar)
    engine: str = ""
    #: what chose them: ``option``, ``tei-all``, ``xml-model``, ``edition`` or ``none``
    chosen_by: str = ""

    @property
    def own(self) -> bool:
        """True for the edition's own rules (not worth a line in the text summary)."""
        return self.chosen_by == "edition" or self.schematron.endswith("serge-tei.sch")

    def describe(self) -> str:
        """One line for people: what checked the file."""
        if not (self.relaxng or self.schematron):
            return "no schema (well-formedness only)"
        parts = [self.relaxng] if self.relaxng else []
        if self.schematron and self.schematron != "embedded":
            parts.append(self.schematron)
        engine = f", engine {self.engine}" if self.engine else ""
        return f"checked against {' + '.join(parts)} [{self.chosen_by}{engine}]"

    def as_dict(self) -> dict[str, str]:
        return {"relaxng": self.relaxng, "schematron": self.schematron, "engine": self.engine,
                "chosen_by": self.chosen_by}


#: rule ids of findings that mean a file could not be checked as asked (exit 2)
UNUSABLE_RULES = frozenset({"input.unusable", "schema.unresolved", "schema.unusable"})


@dataclass(slots=True)
class FileResult:
    """The verdict on one file: its findings, and whether it could be read at all."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    #: False when the file could not be parsed or was refused before validation
    readable: bool = True
    seconds: float = 0.0
    #: the rules the file was checked against (None: not checked, e.g. unreadable, or lint)
    schema: SchemaUsed | None = None

    @property
    def unusable(self) -> bool:
        """True when the file, or the schema it needs, could not be used at all (exit 2)."""
        return not self.readable or any(f.rule in UNUSABLE_RULES for f in self.findings)

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
        """2 if a file (or its schema) could not be used, 1 if one is invalid (or warned,
        when *strict*), else 0."""
        if any(r.unusable for r in self.files):
            return ExitCode.USAGE
        if self.errors or (strict and self.warnings):
            return ExitCode.INVALID
        return ExitCode.OK

    @property
    def exit_code(self) -> ExitCode:
        return self.exit_code_for(strict=False)
