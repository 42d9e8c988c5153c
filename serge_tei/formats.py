"""Renderings of findings: text, JSON, GitHub workflow commands, JUnit XML.

Every format renders the same :class:`~serge_tei.findings.FileResult` list; no
format knows anything the others do not.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TextIO

import click
from lxml import etree

from .findings import FileResult, Finding, Severity

FORMATS = ("text", "json", "github", "junit")

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


def render_text(results: Sequence[FileResult], seconds: float, color: bool = False) -> str:
    lines = [finding_line(f, color) for r in results for f in r.findings]
    lines.extend(grouped_summary(results))
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


def render_github(results: Sequence[FileResult], seconds: float) -> str:
    """GitHub workflow commands: one annotation per finding, then the summary line."""
    level = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    lines = []
    for r in results:
        for f in r.findings:
            props = f"file={_gh_escape(safe(f.path), True)},line={max(f.line, 1)}"
            if f.column:
                props += f",col={f.column}"
            props += f",title={_gh_escape(f.rule, True)}"
            lines.append(f"::{level[f.severity]} {props}::{_gh_escape(safe(f.message))}")
    lines.append(summary_line(results, seconds))
    return "\n".join(lines) + "\n"


def github_step_summary(results: Sequence[FileResult], seconds: float) -> str:
    """Markdown for ``$GITHUB_STEP_SUMMARY``: the full table (annotations are capped at 10)."""
    rows = ["## serge-tei", "", summary_line(results, seconds), ""]
    findings = [f for r in results for f in r.findings]
    if findings:
        rows += ["| file | line | col | severity | rule | message |",
                 "| --- | ---: | ---: | --- | --- | --- |"]
        for f in findings:
            msg = safe(f.message).replace("|", "\\|")
            rows.append(f"| {safe(f.path)} | {f.line} | {f.column} | {f.severity.value} "
                        f"| {f.rule} | {msg} |")
    return "\n".join(rows) + "\n"


def render_junit(results: Sequence[FileResult], seconds: float, suite: str) -> str:
    failures = sum(1 for r in results if r.errors and r.readable)
    errors = sum(1 for r in results if not r.readable)
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
        if not r.readable:
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
