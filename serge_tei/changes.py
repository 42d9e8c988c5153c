"""``--changed [REF]``: the TEI files a pull request touches, found with git.

A pull-request check wants only the documents that changed. Against an explicit
REF, that is every file that differs between REF and the working tree, plus new
untracked files. Without a REF, the base is the merge base of HEAD with the
default branch (``origin/HEAD``, else ``main`` or ``master``); with no such
branch, the working tree's own changes against HEAD (and untracked files).
Deleted files are never returned: there is nothing left to check.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

from .errors import UsageError

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
    cwd = (cwd or Path.cwd()).resolve()
    top = repository_root(cwd)
    base = _resolve_ref(ref, cwd) if ref else default_base(cwd)
    names = set(_split(_git_out(["ls-files", "-z", "--others", "--exclude-standard"], top)))
    if base is not None:
        names.update(_split(_git_out(["diff", "-z", "--name-only", "--no-renames",
                                      "--diff-filter=d", base, "--"], top)))
    elif _ok(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], top) is None:
        names.update(_split(_git_out(["ls-files", "-z"], top)))  # nothing committed yet
    else:
        names.update(_split(_git_out(["diff", "-z", "--name-only", "--no-renames",
                                      "--diff-filter=d", "HEAD", "--"], top)))
    return {(top / name).resolve() for name in names if (top / name).is_file()}


def _git_out(args: Sequence[str], cwd: Path) -> str:
    done = _git(args, cwd)
    if done.returncode != 0:
        raise UsageError(f"git {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


def _split(out: str) -> list[str]:
    return [name for name in out.split("\0") if name]


def select_changed(targets: Sequence[tuple[Path, str]], ref: str | None,
                   cwd: Path | None = None) -> list[str]:
    """Of *targets* (as from ``validate.expand_paths``), the displays of those that changed."""
    changed = changed_paths(ref, cwd)
    return [relative_display(shown, cwd) for path, shown in targets
            if path.suffix == ".xml" and path.exists() and path.resolve() in changed]


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
