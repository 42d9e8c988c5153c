"""The folders ``build`` writes beside its output: marked as its own, and cleaned up later.

A build writes the new site into ``.OUT.XXXX.tmp`` beside the output folder,
then moves the old site into ``.OUT.XXXX.old`` while it swaps the new one in
(:mod:`serge_tei.build`). A build that is killed (SIGKILL, a power cut) leaves
them behind. So each such folder holds a marker file that its build keeps
locked (``flock``) while it runs; the kernel drops the lock when the process
dies, however it dies. A later build of the same output removes the folders
whose marker is no longer locked, and nothing else: a folder without the
marker, or with a marker that is a link, is never touched. If the build was
killed in the middle of a swap, the previous site is put back first.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

#: the marker file of a folder that a build made for itself
MARKER = ".serge-tei-staging"
#: where locks are not available (Windows), a folder older than this is taken as left behind
STALE_AFTER = 24 * 3600.0
_SUFFIXES = (".tmp", ".old")

if sys.platform != "win32":
    import fcntl


@contextlib.contextmanager
def staging_folder(out: Path, suffix: str = ".tmp") -> Iterator[Path]:
    """A new marked folder beside *out*, locked as this process's until the block ends.

    The folder itself is left in place: the caller moves or removes it.
    """
    folder = _new_folder(out, suffix)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(folder / MARKER, flags, 0o600)
    try:
        os.write(fd, f"made by serge-tei build, process {os.getpid()}\n".encode())
        if sys.platform != "win32":
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield folder
    finally:
        os.close(fd)


def _new_folder(out: Path, suffix: str) -> Path:
    """A new empty folder ``.OUT.XXXX{suffix}`` beside *out*, private to this user."""
    return Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=suffix, dir=out.parent))


def remove_stale(out: Path) -> list[Path]:
    """Remove the folders beside *out* that a build of it made and left (it was killed).

    Returns the folders removed. A previous site found in a retired folder while
    *out* is missing (a build killed during its swap) is moved back first.
    """
    removed = []
    pattern = f".{glob.escape(out.name)}.*"
    for folder in sorted(out.parent.glob(pattern)):
        if folder.suffix not in _SUFFIXES or folder.is_symlink() or not folder.is_dir():
            continue
        marker = folder / MARKER
        if marker.is_symlink() or not marker.is_file() or _in_use(marker):
            continue  # not ours, or its build is still running
        previous = folder / "site"
        if folder.suffix == ".old" and not out.exists() and previous.is_dir() \
                and not previous.is_symlink():
            os.replace(previous, out)
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def _in_use(marker: Path) -> bool:
    """Whether a running build holds *marker*'s lock."""
    if sys.platform == "win32":
        try:
            return time.time() - marker.stat().st_mtime < STALE_AFTER
        except OSError:
            return True
    try:
        fd = os.open(marker, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return True  # cannot tell: leave it
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)  # closing drops the lock taken just now
    return False
