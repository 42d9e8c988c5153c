"""The files a command works on: paths, folders and globs, as the user named them.

Shared by ``validate``, ``lint``, ``stats`` and ``--changed``: each expands its
arguments the same way, shows paths the same way, and turns a file that cannot
be read into the same finding.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Sequence
from pathlib import Path

from .config import Config
from .errors import ExitCode, SergeTeiError, UsageError
from .findings import FileResult, Finding, Severity
from .reading import Document, Limits, read_document


def expand_paths(paths: Sequence[str | os.PathLike[str]]) -> list[tuple[Path, str]]:
    """Files, folders (recursively ``*.xml``) and globs, as ``(path, display)`` pairs.

    A path that matches nothing is kept, so that it is reported as missing.
    """
    out: list[tuple[Path, str]] = []
    for raw in paths:
        text = os.fspath(raw)
        path = Path(text)
        if _is_dir(path):
            found = [(p, str(p)) for p in sorted(path.rglob("*.xml")) if not p.is_dir()]
            if not found:
                # An empty folder passing silently would hide a misconfigured CI job.
                raise UsageError(f"{text}: no *.xml files in this folder (or below it)")
            out.extend(found)
        elif not _exists(path) and glob.has_magic(text) and glob.glob(text, recursive=True):
            out.extend((Path(m), m) for m in sorted(glob.glob(text, recursive=True))
                       if not Path(m).is_dir())
        else:
            out.append((path, text))
    return list(dict.fromkeys(out))


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # a name too long, say: the reader reports it for the file
        return False


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:
        return False


def default_targets(config: Config) -> list[str]:
    """The configured edition, for a command given no paths."""
    if config.edition is None or not config.edition.is_dir():
        raise UsageError("no files given and no edition configured: name the TEI files, "
                         "or set edition = \"DIR\" under [tool.serge-tei]")
    return [shown(config.edition)]


def shown(path: Path) -> str:
    """The path as the user would write it: relative to the working folder when inside it.

    GitHub annotations and editors' jump-to-error need repository-relative paths.
    """
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve())) or "."
    except ValueError:
        return str(path)


def read_or_result(real: Path, display: str, limits: Limits, *, root: Path | None = None
                   ) -> Document | FileResult:
    """The parsed document, or the verdict on a file that could not be read or was refused.

    *root* is the project root its XIncludes must stay in (default: its folder).
    """
    try:
        return read_document(real, limits, display=display, root=root)
    except SergeTeiError as exc:
        return unreadable(exc, display)


def unreadable(exc: SergeTeiError, display: str) -> FileResult:
    """The verdict on a document the reader refused (``exc``): one finding, where it is."""
    rule = "input.rejected" if exc.exit_code == ExitCode.INVALID else "input.unusable"
    finding = Finding(display, exc.line or 0, exc.column or 0, Severity.ERROR, rule,
                      exc.message)
    return FileResult(display, [finding], readable=exc.exit_code != ExitCode.USAGE)
