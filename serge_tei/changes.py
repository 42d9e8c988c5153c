"""``--changed [REF]``: the TEI files a pull request touches, found with git.

A pull-request check wants only the documents that changed. Against an explicit
REF, that is every file that differs between REF and the working tree, plus new
untracked files. Without a REF, the base is the merge base of HEAD with the
default branch (``origin/HEAD``, else ``main`` or ``master``); with no such
branch, the working tree's own changes against HEAD (and untracked files).
Deleted files are never returned: there is nothing left to check.

A change can break files it does not touch: :func:`select_changed` also
rechecks the files that point at an id a changed (or deleted) file added or
removed (a ``persons.xml`` entry another file cites), and the files whose ids a
changed file now cites or no longer cites (an entry that became uncited); and
every file when a schema (``.rng``, ``.rnc``, ``.sch``, ``.xsd``, ``.odd``) or the
configuration changed, since any verdict may then be different.
"""

from __future__ import annotations

import os
import subprocess
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import SergeTeiError, UsageError
from .reading import Limits

#: git should answer in well under a second; a hung git (a lock, a prompt) must not hang CI
GIT_TIMEOUT = 30.0


def _git(args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                              timeout=GIT_TIMEOUT, env=env, check=False)
    except FileNotFoundError:
        raise UsageError("--changed needs git, which is not installed or not on PATH") from None
    except subprocess.TimeoutExpired:
        raise UsageError(f"git {' '.join(args)} did not answer within {GIT_TIMEOUT:.0f} s"
                         ) from None


def _ok(args: Sequence[str], cwd: Path) -> str | None:
    """git's output, or None when the command failed (e.g. an unknown ref)."""
    done = _git(args, cwd)
    return done.stdout if done.returncode == 0 else None


def repository_root(cwd: Path) -> Path:
    out = _ok(["rev-parse", "--show-toplevel"], cwd)
    if out is None:
        raise UsageError(f"--changed needs a git repository, and {cwd} is not inside one; "
                         "name the files to check instead")
    return Path(out.strip())


def default_base(cwd: Path) -> str | None:
    """The merge base of HEAD with the default branch, or None when there is none."""
    if _ok(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], cwd) is None:
        return None  # no commit yet
    branches = _default_branches(cwd)
    for branch in branches:
        base = _ok(["merge-base", "HEAD", branch], cwd)
        if base:
            return base.strip()
    if branches:
        # Checking nothing would pass silently: say why instead (typically a shallow clone).
        raise UsageError(f"--changed: HEAD has no common history with {branches[0]} (a shallow "
                         "clone? fetch the history, e.g. actions/checkout with fetch-depth: 0, "
                         "or give the base as --changed=REF)")
    return None


def _default_branches(cwd: Path) -> list[str]:
    found = []
    origin = _ok(["symbolic-ref", "--quiet", "refs/remotes/origin/HEAD"], cwd)
    if origin:
        found.append(origin.strip())
    for name in ("main", "master"):
        for ref in (f"refs/heads/{name}", f"refs/remotes/origin/{name}"):
            if _ok(["rev-parse", "--verify", "--quiet", ref], cwd) is not None:
                found.append(ref)
    return found


def _resolve_ref(ref: str, cwd: Path) -> str:
    out = _ok(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], cwd)
    if out is None:
        raise UsageError(f"--changed {ref}: not a git commit, branch or tag here; to check "
                         "paths, write them before --changed, or write --changed=REF")
    return out.strip()


def changed_paths(ref: str | None = None, cwd: Path | None = None) -> set[Path]:
    """Absolute paths of the existing files changed against *ref* (see the module doc)."""
    return _changes(ref, cwd).changed


@dataclass(frozen=True)
class Changes:
    """What differs from the base: files changed (existing) and deleted, and the base."""

    top: Path
    base: str | None  # a commit; None: nothing committed yet
    changed: set[Path]
    deleted: set[Path]


def _changes(ref: str | None, cwd: Path | None) -> Changes:
    cwd = (cwd or Path.cwd()).resolve()
    top = repository_root(cwd)
    base = _resolve_ref(ref, cwd) if ref else default_base(cwd)
    if base is None and _ok(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], top):
        base = "HEAD"  # no default branch: the working tree's own changes
    names = set(_split(_git_out(["ls-files", "-z", "--others", "--exclude-standard"], top)))
    deleted: set[str] = set()
    if base is not None:
        names.update(_split(_git_out(["diff", "-z", "--name-only", "--no-renames",
                                      "--diff-filter=d", base, "--"], top)))
        deleted.update(_split(_git_out(["diff", "-z", "--name-only", "--no-renames",
                                        "--diff-filter=D", base, "--"], top)))
    else:
        names.update(_split(_git_out(["ls-files", "-z"], top)))  # nothing committed yet
    return Changes(top, base, {(top / n).resolve() for n in names if (top / n).is_file()},
                   {top / n for n in deleted})


def _git_out(args: Sequence[str], cwd: Path) -> str:
    done = _git(args, cwd)
    if done.returncode != 0:
        raise UsageError(f"git {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


def _split(out: str) -> list[str]:
    return [name for name in out.split("\0") if name]


def select_changed(targets: Sequence[tuple[Path, str]], ref: str | None,
                   cwd: Path | None = None, limits: Limits | None = None) -> list[str]:
    """Of *targets* (as from ``validate.expand_paths``), the displays of those to recheck:
    the changed ones and those a change can break (see the module doc)."""
    changes = _changes(ref, cwd)
    files = [(path, shown) for path, shown in targets if path.suffix == ".xml" and path.exists()]
    if any(_rules_changed(path, changes) for path in changes.changed | changes.deleted):
        return [relative_display(shown, cwd) for _, shown in files]
    keep = {path.resolve() for path, _ in files if path.resolve() in changes.changed}
    ids, cited = _id_changes(changes, limits or Limits())
    if ids or cited:
        keep.update(path.resolve() for path, _ in files
                    if _affected(path, ids, cited, limits or Limits()))
    return [relative_display(shown, cwd) for path, shown in files if path.resolve() in keep]


#: files whose change can change any document's verdict
RULE_SUFFIXES = frozenset({".rng", ".rnc", ".sch", ".xsd", ".odd"})


def _rules_changed(path: Path, changes: Changes) -> bool:
    """A schema changed, or the configuration: a serge-tei.toml, or the [tool.serge-tei]
    table of a pyproject.toml (its other tables are not ours)."""
    if path.suffix in RULE_SUFFIXES or path.name == "serge-tei.toml":
        return True
    if path.name != "pyproject.toml":
        return False
    return _section(_old_bytes(path, changes)) != _section(
        path.read_bytes() if path.is_file() else None)


def _section(data: bytes | None) -> object:
    if data is None:
        return None
    try:
        return tomllib.loads(data.decode("utf-8")).get("tool", {}).get("serge-tei")
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return "unreadable"  # counts as a change unless both are unreadable


def _old_bytes(path: Path, changes: Changes) -> bytes | None:
    """The file as it was at the base, or None when it was not there."""
    if changes.base is None:
        return None
    rel = path.resolve().relative_to(changes.top.resolve()) if path.exists() else \
        path.relative_to(changes.top)
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    try:
        done = subprocess.run(["git", "show", f"{changes.base}:{rel.as_posix()}"],
                              cwd=changes.top, capture_output=True, timeout=GIT_TIMEOUT,
                              env=env, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def _facts(data: bytes | None, name: str, limits: Limits) -> tuple[set[str], set[str]]:
    """The ids of a TEI file and the ``file#id`` it cites (empty when it cannot be read)."""
    if data is None:
        return set(), set()
    from .reading import parse_bytes
    from .validation.edition import edition_facts

    try:
        facts = edition_facts(parse_bytes(data, name, limits), name)
    except SergeTeiError:
        return set(), set()
    # a pointer names its file relative to the citing one: compared by file name
    return set(facts.ids), {c.rsplit("/", 1)[-1] for c in facts.cited}


def _id_changes(changes: Changes, limits: Limits) -> tuple[set[str], set[str]]:
    """``file.xml#id`` of ids added or removed, and of citations added or removed."""
    ids: set[str] = set()
    cited: set[str] = set()
    for path in changes.changed | changes.deleted:
        if path.suffix != ".xml":
            continue
        old_ids, old_cited = _facts(_old_bytes(path, changes), path.name, limits)
        new_ids, new_cited = _facts(path.read_bytes() if path.is_file() else None, path.name,
                                    limits)
        ids.update(f"{path.name}#{i}" for i in old_ids ^ new_ids)
        cited.update(old_cited ^ new_cited)
    return ids, cited


def _affected(path: Path, ids: set[str], cited: set[str], limits: Limits) -> bool:
    """Whether *path* points at one of *ids*, or holds an id whose citation changed."""
    mine, pointers = _facts(path.read_bytes(), path.name, limits)
    return bool(pointers & ids) or any(f"{path.name}#{i}" in cited for i in mine)


def relative_display(shown: str, cwd: Path | None) -> str:
    """An absolute display (the configured edition) relative to the working folder, as
    CI annotations need paths relative to the repository."""
    path = Path(shown)
    if not path.is_absolute():
        return shown
    try:
        return str(path.relative_to((cwd or Path.cwd()).resolve()))
    except ValueError:
        return shown
