"""Renderings of findings: text, JSON, SARIF, GitHub workflow commands, JUnit XML.

Every format renders the same :class:`~serge_tei.findings.FileResult` list; no
format knows anything the others do not.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import PurePath
from typing import TextIO
from urllib.parse import quote

import click
from lxml import etree

from .findings import FileResult, Finding, Severity

FORMATS = ("text", "json", "sarif", "github", "junit")

#: JSON output schema version (documented in docs/json-output.md)
JSON_VERSION = 1

# C0/C1 controls and Unicode bidi overrides/isolates: never printed raw.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def safe(text: str) -> str:
    """Escape characters that could forge or reorder terminal output."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text).replace("\n", "\\n")


#: severity -> terminal colour (text output only, and only on a terminal)
_COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}


def use_color(stream: TextIO | None = None, environ: Mapping[str, str] | None = None) -> bool:
    """Colour only on a terminal, and never when ``NO_COLOR`` is set (https://no-color.org)."""
    stream = sys.stdout if stream is None else stream
    environ = os.environ if environ is None else environ
    if environ.get("NO_COLOR", ""):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def severity_label(severity: str, color: bool = False) -> str:
    """``error``/``warning``/``info``, coloured and bold when *color*."""
    if not color:
        return severity
    return click.style(severity, fg=_COLOURS.get(severity), bold=True)


def finding_line(f: Finding, color: bool = False) -> str:
    """``path:line:col: severity: message [rule]``, the one message style of every command."""
    return (f"{safe(f.path)}:{f.line}:{f.column}: {severity_label(f.severity.value, color)}: "
            f"{safe(f.message)} [{f.rule}]")


def summary_line(results: Sequence[FileResult], seconds: float, noun: str = "checked") -> str:
    errors = sum(r.errors for r in results)
    warnings = sum(r.warnings for r in results)
    bad = sum(1 for r in results if r.errors or not r.readable)
    files = len(results)
    return (f"{files} file{'s' if files != 1 else ''} {noun}: {bad} invalid, "
            f"{errors} error{'s' if errors != 1 else ''}, "
            f"{warnings} warning{'s' if warnings != 1 else ''} ({seconds:.2f} s)")


def grouped_summary(results: Sequence[FileResult], limit: int = 10) -> list[str]:
    """The most frequent problems across many files, most frequent first."""
    counts = Counter((f.rule, f.message) for r in results for f in r.findings)
    # Only worth a summary when problems repeat across files.
    if sum(1 for r in results if r.findings) < 2 or max(counts.values()) < 2:
        return []
    lines = ["most frequent problems:"]
    for (rule, message), n in counts.most_common(limit):
        lines.append(f"  {n:6d} × {safe(message)} [{rule}]")
    return lines


def schema_summary(results: Sequence[FileResult]) -> list[str]:
    """Which rules checked the files, when not the edition's own: one line per set of rules."""
    counts = Counter(r.schema.describe() for r in results
                     if r.schema is not None and not r.schema.own)
    return [f"{safe(what)}: {n} file{'s' if n != 1 else ''}" for what, n in counts.items()]


def render_text(results: Sequence[FileResult], seconds: float, color: bool = False) -> str:
    lines = [finding_line(f, color) for r in results for f in r.findings]
    lines.extend(grouped_summary(results))
    lines.extend(schema_summary(results))
    lines.append(summary_line(results, seconds))
    return "\n".join(lines) + "\n"


def render_json(results: Sequence[FileResult], seconds: float, tool: str) -> str:
    data = {
        "version": JSON_VERSION,
        "tool": tool,
        "summary": {
            "files": len(results),
            "invalid": sum(1 for r in results if r.errors or not r.readable),
            "errors": sum(r.errors for r in results),
            "warnings": sum(r.warnings for r in results),
            "seconds": round(seconds, 4),
        },
        "files": [
            {
                "path": r.path,
                "readable": r.readable,
                "valid": r.readable and r.errors == 0,
                "errors": r.errors,
                "warnings": r.warnings,
                "schema": r.schema.as_dict() if r.schema is not None else None,
                "findings": [f.as_dict() for f in r.findings],
            }
            for r in results
        ],
    }
    text = json.dumps(data, ensure_ascii=False, indent=2)
    # Bidi and C1 controls as \u escapes: the same JSON value, but safe on a terminal.
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def _gh_escape(value: str, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


#: GitHub shows at most this many annotations of each kind (error, warning, notice) per step
ANNOTATIONS_PER_KIND = 10
#: GitHub refuses a job summary larger than this (all of one step's summary file)
SUMMARY_LIMIT = 1024 * 1024
_GH_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _annotation(f: Finding) -> str:
    props = f"file={_gh_escape(safe(f.path), True)},line={max(f.line, 1)}"
    if f.column:
        props += f",col={f.column}"
    props += f",title={_gh_escape(f.rule, True)}"
    return f"::{_GH_LEVEL[f.severity]} {props}::{_gh_escape(safe(f.message))}"


def _most_useful(findings: list[Finding], limit: int) -> list[Finding]:
    """Up to *limit* findings worth an annotation: a new rule in a new file first, then new
    files, then new rules, then the rest, each pass in input order."""
    chosen: list[Finding] = []
    rules: set[str] = set()
    files: set[str] = set()
    passes: tuple[Callable[[Finding], bool], ...] = (
        lambda f: f.rule not in rules and f.path not in files,
        lambda f: f.path not in files, lambda f: f.rule not in rules, lambda f: True)
    for wanted in passes:
        for f in findings:
            if len(chosen) == limit:
                return chosen
            if f in chosen or not wanted(f):
                continue
            chosen.append(f)
            rules.add(f.rule)
            files.add(f.path)
    return chosen


def render_github(results: Sequence[FileResult], seconds: float) -> str:
    """GitHub workflow commands within GitHub's limits, then every finding as a plain line.

    GitHub shows only 10 annotations of each kind per step: the most useful
    ones (see :func:`_most_useful`) are annotated, a notice says how many were
    not, and the log lists every finding.
    """
    findings = [f for r in results for f in r.findings]
    lines: list[str] = []
    left = 0
    for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO):
        of_kind = [f for f in findings if f.severity is severity]
        # one notice is kept for the line that says what was left out
        room = ANNOTATIONS_PER_KIND - (1 if severity is Severity.INFO else 0)
        chosen = _most_useful(of_kind, room)
        left += len(of_kind) - len(chosen)
        lines.extend(_annotation(f) for f in sorted(chosen, key=findings.index))
    if left:
        lines.append(f"::notice title=serge-tei::{left} more finding{'s' if left != 1 else ''} "
                     "not annotated (GitHub shows 10 of each kind per step): every finding is "
                     "listed below and in the job summary")
        lines.extend(finding_line(f) for f in findings)
    lines.extend(schema_summary(results))
    lines.append(summary_line(results, seconds))
    return "\n".join(lines) + "\n"


def github_step_summary(results: Sequence[FileResult], seconds: float,
                        limit: int = SUMMARY_LIMIT) -> str:
    """Markdown for ``$GITHUB_STEP_SUMMARY``: the table of findings, within *limit* bytes.

    Rows that would take the summary over *limit* are left out, and a last line
    says how many.
    """
    head = ["## serge-tei", "", summary_line(results, seconds), "",
            *(f"- {line}" for line in schema_summary(results))]
    findings = [f for r in results for f in r.findings]
    if not findings:
        return "\n".join(head) + "\n"
    rows = [*head, "", "| file | line | col | severity | rule | message |",
            "| --- | ---: | ---: | --- | --- | --- |"]
    # room for the closing line, whatever the count in it
    budget = limit - len(("\n".join(rows) + "\n").encode("utf-8")) - 200
    for n, f in enumerate(findings):
        msg = safe(f.message).replace("|", "\\|")
        row = (f"| {safe(f.path)} | {f.line} | {f.column} | {f.severity.value} | {f.rule} "
               f"| {msg} |")
        budget -= len(row.encode("utf-8")) + 1
        if budget < 0:
            left = len(findings) - n
            rows += ["", f"{left} more finding{'s' if left != 1 else ''} left out: a job summary "
                     "is limited to 1 MiB (run `serge-tei validate --format json` for all)"]
            break
        rows.append(row)
    return "\n".join(rows) + "\n"


# ------------------------------------------------------------ SARIF

SARIF_SCHEMA = ("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
                "sarif-schema-2.1.0.json")
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _artifact_uri(path: str) -> str:
    """A path as a SARIF artifact URI: relative paths stay relative (to the repository)."""
    pure = PurePath(path)
    return pure.as_uri() if pure.is_absolute() else quote(pure.as_posix())


def render_sarif(results: Sequence[FileResult], seconds: float, version: str) -> str:
    """SARIF 2.1.0 (for GitHub code scanning and other viewers): one result per finding."""
    findings = [f for r in results for f in r.findings]
    rule_ids = sorted({f.rule for f in findings})
    index = {rule: i for i, rule in enumerate(rule_ids)}
    first = {f.rule: f for f in reversed(findings)}
    rules = [{"id": rule, "shortDescription": {"text": safe(first[rule].message)[:1000]},
              "defaultConfiguration": {"level": _SARIF_LEVEL[first[rule].severity]}}
             for rule in rule_ids]
    out = []
    for f in findings:
        location: dict[str, object] = {"physicalLocation": {
            "artifactLocation": {"uri": _artifact_uri(f.path)},
            "region": {"startLine": max(f.line, 1), **({"startColumn": f.column}
                                                        if f.column > 0 else {})}}}
        if f.xpath:
            location["logicalLocations"] = [{"fullyQualifiedName": f.xpath, "kind": "element"}]
        result: dict[str, object] = {
            "ruleId": f.rule, "ruleIndex": index[f.rule], "level": _SARIF_LEVEL[f.severity],
            "message": {"text": safe(f.message)}, "locations": [location]}
        if f.related:
            result["relatedLocations"] = [
                {"id": i, "physicalLocation": {"artifactLocation": {"uri": _artifact_uri(f.path)},
                                               "region": {"startLine": max(ln, 1),
                                                          **({"startColumn": col}
                                                             if col > 0 else {})}}}
                for i, (ln, col) in enumerate(f.related)]
        out.append(result)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "serge-tei", "version": version, "rules": rules}},
            "invocations": [{"executionSuccessful": True,
                             "properties": {"seconds": round(seconds, 4),
                                            "files": len(results)}}],
            "results": out,
        }],
    }
    text = json.dumps(log, ensure_ascii=False, indent=2)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def render_junit(results: Sequence[FileResult], seconds: float, suite: str) -> str:
    failures = sum(1 for r in results if r.errors and not r.unusable)
    errors = sum(1 for r in results if r.unusable)
    root = etree.Element("testsuites", name=suite, tests=str(len(results)),
                         failures=str(failures), errors=str(errors), time=f"{seconds:.3f}")
    ts = etree.SubElement(root, "testsuite", name=suite, tests=str(len(results)),
                          failures=str(failures), errors=str(errors), time=f"{seconds:.3f}")
    for r in results:
        case = etree.SubElement(ts, "testcase", classname=suite, name=safe(r.path),
                                time=f"{r.seconds:.3f}")
        if not r.findings:
            continue
        body = "\n".join(finding_line(f) for f in r.findings)
        if r.unusable:
            etree.SubElement(case, "error", message=_first(r), type="unusable").text = body
        elif r.errors:
            etree.SubElement(case, "failure", message=_first(r), type="invalid").text = body
        else:
            etree.SubElement(case, "system-out").text = body
    return etree.tostring(root, encoding="unicode", pretty_print=True)


def _first(r: FileResult) -> str:
    f = r.findings[0]
    more = f" (and {len(r.findings) - 1} more)" if len(r.findings) > 1 else ""
    return safe(f"{f.line}:{f.column}: {f.message}{more}")
