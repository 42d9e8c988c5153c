"""Baseline files: adopt lint on a project with findings, and hear only of new ones.

``serge-tei lint --write-baseline FILE`` records every current finding; with
``baseline = "FILE"`` under ``[tool.serge-tei.lint]`` later runs report only
findings the file does not record, and say (``lint.baseline-stale``, info)
which recorded ones no longer occur. A finding is recorded by its file, its
rule and a *fingerprint*: a hash of the rule, the element it is about (its
name and its text) and what the finding is about (the words quoted, the
pointer), never its line, so that edits elsewhere in the file keep it
recognised. Identical findings (the same untagged word twice in one
paragraph) are counted.

The file is JSON, one finding a line, sorted by file, rule and what the finding is about,
so that its diffs read well::

    {"serge-tei-lint-baseline": 1, "findings": [
    {"file": "tei/play.xml", "rule": "lint.untagged", "fingerprint": "9f2c41d07be3a5e8",
     "count": 1, "what": "“Faust” in <stage>"}
    ]}

(each entry on one line in the file).

``file`` is relative to the baseline file's folder, with ``/`` separators.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..errors import UsageError
from ..findings import FileResult, Finding
from .rules import RULES

FORMAT_KEY = "serge-tei-lint-baseline"
FORMAT_VERSION = 1
_SPACE = re.compile(r"\s+")
_FINGERPRINT = re.compile(r"^[0-9a-f]{16}$")


def fingerprint(rule: str, el: etree._Element, subject: str) -> str:
    """A hash of what a finding is about that survives edits elsewhere in the file."""
    text = _SPACE.sub(" ", "".join(el.itertext())).strip()
    name = etree.QName(el).localname
    data = "\x1f".join((rule, name, text, _SPACE.sub(" ", subject).strip()))
    return hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass(frozen=True)
class Key:
    """What a baseline entry is matched on."""

    file: str
    rule: str
    fingerprint: str


@dataclass
class Baseline:
    """The recorded findings, how many of each, and where each is written in the file."""

    path: Path
    counts: Counter[Key]
    lines: dict[Key, int]
    what: dict[Key, str]

    def relative(self, document: Path) -> str:
        return Path(os.path.relpath(document.resolve(), self.path.resolve().parent)).as_posix()


def write(path: Path, found: Iterable[tuple[Path, Finding, str, str]]) -> int:
    """Record findings ``(document, finding, fingerprint, what)`` in *path*; how many.

    Written to a temporary file beside it and moved into place, so a failed
    run never leaves half a baseline.
    """
    base = Path(os.path.abspath(path)).parent
    counts: Counter[Key] = Counter()
    what: dict[Key, str] = {}
    for document, finding, print_, about in found:
        key = Key(Path(os.path.relpath(document.resolve(), base)).as_posix(), finding.rule,
                  print_)
        counts[key] += 1
        what.setdefault(key, about)
    lines = [json.dumps({"file": k.file, "rule": k.rule, "fingerprint": k.fingerprint,
                         "count": counts[k], "what": what[k]}, ensure_ascii=False)
             for k in sorted(counts, key=lambda k: (k.file, k.rule, what[k], k.fingerprint))]
    text = f'{{"{FORMAT_KEY}": {FORMAT_VERSION}, "findings": [\n' + ",\n".join(lines) + "\n]}\n"
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return sum(counts.values())


def read(path: Path, max_bytes: int) -> Baseline:
    """The baseline in *path*; a missing, oversized or malformed file is a usage error."""
    shown = str(path)
    try:
        if path.stat().st_size > max_bytes:
            raise UsageError(f"baseline file is over the limit of {max_bytes:,} bytes",
                             path=shown)
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError("baseline file not found: write it with `serge-tei lint "
                         f"--write-baseline {path.name}`", path=shown) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read the baseline file: {exc}", path=shown) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"not a baseline file: {exc.msg}", path=shown, line=exc.lineno,
                         column=exc.colno) from None
    if not isinstance(data, dict) or data.get(FORMAT_KEY) != FORMAT_VERSION \
            or not isinstance(data.get("findings"), list):
        raise UsageError(f'not a baseline file: expected {{"{FORMAT_KEY}": {FORMAT_VERSION}, '
                         '"findings": [...]}; write it again with --write-baseline',
                         path=shown, line=1)
    return _entries(path, data["findings"], text)


def _entries(path: Path, entries: list[object], text: str) -> Baseline:
    baseline = Baseline(path, Counter(), {}, {})
    cursor = 0
    for entry in entries:
        # the entry's line: where its fingerprint is written, searching on from the last one
        found = text.find(f'"{entry.get("fingerprint")}"', cursor) \
            if isinstance(entry, dict) else -1
        cursor = found + 1 if found >= 0 else cursor
        line = text.count("\n", 0, found if found >= 0 else cursor) + 1
        key, count, what = _entry(path, entry, line)
        baseline.counts[key] += count
        baseline.lines.setdefault(key, line)
        baseline.what.setdefault(key, what)
    return baseline


def _entry(path: Path, entry: object, line: int) -> tuple[Key, int, str]:
    if isinstance(entry, dict):
        file, rule, print_ = entry.get("file"), entry.get("rule"), entry.get("fingerprint")
        count, what = entry.get("count", 1), entry.get("what", "")
        if (isinstance(file, str) and "\0" not in file and rule in RULES
                and isinstance(print_, str) and _FINGERPRINT.match(print_)
                and type(count) is int and count >= 1 and isinstance(what, str)):
            return Key(file, rule, print_), count, what
    raise UsageError("a baseline entry needs file, a lint rule id, a 16-digit hex "
                     "fingerprint and a count of at least 1; write the file again with "
                     "--write-baseline", path=str(path), line=line)


def apply(baseline: Baseline, results: list[tuple[Path, FileResult, list[str]]],
          shown: str) -> FileResult | None:
    """Drop the recorded findings from *results*; the stale entries as a result of their own.

    *results* are ``(document, result, fingerprints)``, a fingerprint per finding
    (empty for findings that are not lint's: an unreadable file is always reported).
    Entries for files not linted in this run are not judged.
    """
    left = Counter(baseline.counts)
    linted = set()
    for document, result, prints in results:
        file = baseline.relative(document)
        if not any(f.rule.startswith("input.") for f in result.findings):
            linted.add(file)  # a file that could not be read says nothing of its entries
        kept = []
        for finding, print_ in zip(result.findings, prints, strict=True):
            key = Key(file, finding.rule, print_)
            if print_ and left[key] > 0:
                left[key] -= 1
                continue
            kept.append(finding)
        result.findings[:] = kept
    stale = [Finding(shown, baseline.lines[k], 1, RULES["lint.baseline-stale"],
                     "lint.baseline-stale",
                     f"{n} recorded finding{'s' if n > 1 else ''} of {k.rule} in {k.file} "
                     f"({baseline.what[k] or k.fingerprint}) no longer occur"
                     f"{'s' if n == 1 else ''}: write the baseline again to drop "
                     f"{'them' if n > 1 else 'it'}")
             for k, n in sorted(left.items(), key=lambda kv: baseline.lines[kv[0]])
             if n > 0 and k.file in linted]
    return FileResult(shown, stale) if stale else None
