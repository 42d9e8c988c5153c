"""A build that is killed, stopped or cannot write: nothing left running, nothing lost.

A real ``serge-tei build`` of an edition large enough for the pool of workers is
killed (SIGKILL) or stopped (SIGTERM) in the middle of publishing: no worker may
outlive it, and its staging folder is removed at once (SIGTERM) or by the next
build (SIGKILL), which never touches a folder it did not make. A full or
read-only disk is simulated: a located error, exit 2, the previous site as it was.
"""

from __future__ import annotations

import errno
import filecmp
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from serge_tei import build as build_module
from serge_tei import staging
from serge_tei.cli import main
from serge_tei.errors import ExitCode
from serge_tei.staging import MARKER, remove_stale, staging_folder

GOOD = Path(__file__).resolve().parent / "data" / "hostile" / "good.xml"
LINUX = sys.platform.startswith("linux")
#: enough documents for the pool (16), each large enough to take a moment to publish
DOCUMENTS = 24
PARAGRAPHS = 1500


def _edition(root: Path) -> Path:
    (root / "pyproject.toml").write_text('[tool.serge-tei]\nedition = "ed"\n', encoding="utf-8")
    edition = root / "ed"
    edition.mkdir()
    text = GOOD.read_text(encoding="utf-8")
    body = "".join(f"<p>Paragraph {i} of a long document.</p>\n" for i in range(PARAGRAPHS))
    for n in range(DOCUMENTS):
        ident = f"doc{n:02d}"
        (edition / f"{ident}.xml").write_text(
            text.replace("<p>Café crème, ça va.</p>", body).replace('"good', f'"{ident}')
            .replace('"#good', f'"#{ident}'), encoding="utf-8")
    return edition


def _children(pid: int) -> list[int]:
    """The processes whose parent is *pid* (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    """Running, not merely a zombie waiting to be reaped."""
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _staging_folders(root: Path) -> list[Path]:
    return sorted(p for p in root.iterdir() if p.name.startswith(".out.") and p.is_dir())


def _start_build(root: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "serge_tei", "build", "ed", "--out", "out"],
                            cwd=root, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def _wait_for_workers(proc: subprocess.Popen[bytes], root: Path, ignore: Path | None = None
                      ) -> list[int]:
    """The build's pool workers, once it is publishing with them (a staging folder exists)."""
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and proc.poll() is None:
        workers = _children(proc.pid)
        if len(workers) >= 2 and [p for p in _staging_folders(root) if p != ignore]:
            return workers
        time.sleep(0.05)
    pytest.fail(f"the build never published with workers: {proc.communicate()}")


def _gone(pids: list[int], seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not any(_alive(pid) for pid in pids):
            return True
        time.sleep(0.1)
    return False


@pytest.mark.skipif(not LINUX, reason="reads /proc for the workers")
def test_a_killed_build_leaves_no_worker_and_the_next_build_removes_its_staging(
        tmp_path: Path) -> None:
    _edition(tmp_path)
    foreign = tmp_path / ".out.someone-elses.tmp"  # looks like ours, has no marker
    foreign.mkdir()
    (foreign / "keep.txt").write_text("not serge-tei's", encoding="utf-8")
    proc = _start_build(tmp_path)
    workers = _wait_for_workers(proc, tmp_path, ignore=foreign)
    proc.kill()
    proc.communicate()
    assert _gone(workers), "pool workers outlived the build that started them"
    left = [p for p in _staging_folders(tmp_path) if p != foreign]
    assert left and all((p / MARKER).is_file() for p in left)  # SIGKILL: nothing could clean up

    result = CliRunner().invoke(main, ["build", str(tmp_path / "ed"), "--out",
                                       str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert _staging_folders(tmp_path) == [foreign]
    assert (foreign / "keep.txt").read_text(encoding="utf-8") == "not serge-tei's"
    assert not (tmp_path / "out" / MARKER).exists()  # the marker is never published


@pytest.mark.skipif(not LINUX, reason="reads /proc for the workers")
def test_a_terminated_build_cleans_up_and_exits_130(tmp_path: Path) -> None:
    _edition(tmp_path)
    proc = _start_build(tmp_path)
    workers = _wait_for_workers(proc, tmp_path)
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == ExitCode.INTERRUPTED
    assert stderr.decode().strip().splitlines()[-1] == "serge-tei: interrupted"
    assert b"Traceback" not in stderr
    assert _gone(workers)
    assert _staging_folders(tmp_path) == []
    assert not (tmp_path / "out").exists()


def test_a_folder_whose_build_still_runs_is_left_alone(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with staging_folder(out) as running:
        assert remove_stale(out) == []
        assert running.is_dir()
    assert remove_stale(out) == [running]  # its build is over: the lock went with it
    assert not running.exists()


def test_a_marker_that_is_a_link_is_not_ours(tmp_path: Path) -> None:
    folder = tmp_path / ".out.abc.tmp"
    folder.mkdir()
    (tmp_path / "elsewhere").write_text("x", encoding="utf-8")
    (folder / MARKER).symlink_to(tmp_path / "elsewhere")
    assert remove_stale(tmp_path / "out") == []
    assert folder.is_dir()


def test_a_build_killed_during_its_swap_gets_the_previous_site_back(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with staging_folder(out, ".old") as retired:
        (retired / "site").mkdir()
        (retired / "site" / "index.html").write_text("the previous site", encoding="utf-8")
    assert not out.exists()  # killed between moving the old site aside and the new one in
    assert remove_stale(out) == [retired]
    assert (out / "index.html").read_text(encoding="utf-8") == "the previous site"


def _previous_site(tmp_path: Path) -> tuple[Path, Path]:
    edition = tmp_path / "ed"
    edition.mkdir()
    (edition / "good.xml").write_bytes(GOOD.read_bytes())
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["build", str(edition), "--out", str(out)]).exit_code == 0
    kept = tmp_path / "kept"
    subprocess.run(["cp", "-a", str(out), str(kept)], check=True)
    return edition, out


def _same(a: Path, b: Path) -> bool:
    cmp = filecmp.dircmp(a, b)
    return not (cmp.left_only or cmp.right_only or cmp.diff_files or cmp.funny_files)


@pytest.mark.parametrize(("where", "code", "text"), [
    ("page", errno.ENOSPC, "No space left on device"),
    ("page", errno.EDQUOT, "Disk quota exceeded"),
    ("staging", errno.EROFS, "Read-only file system"),
    ("staging", errno.ENOSPC, "No space left on device"),
])
def test_a_full_or_read_only_disk_is_a_clear_error_and_the_site_is_kept(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str, code: int,
        text: str) -> None:
    edition, out = _previous_site(tmp_path)
    if where == "page":
        real_write = build_module._Site.write
        written: list[str] = []

        def write(self, name, data, *, record=True):  # type: ignore[no-untyped-def]
            written.append(name)
            if len(written) > 2:  # a few pages in, the disk is full
                raise OSError(code, os.strerror(code), str(self.root / name))
            real_write(self, name, data, record=record)

        monkeypatch.setattr(build_module._Site, "write", write)
    else:
        def new_folder(*args, **kwargs):  # type: ignore[no-untyped-def]
            raise OSError(code, os.strerror(code), str(tmp_path / ".out.x.tmp"))

        monkeypatch.setattr(staging, "_new_folder", new_folder)
    result = CliRunner().invoke(main, ["build", str(edition), "--out", str(out)])
    assert result.exit_code == ExitCode.USAGE
    (line,) = [line for line in result.output.splitlines() if ": error: " in line]
    assert f"error: cannot write the site beside {out}: {text}; the previous site is kept " \
           "as it was" in line
    assert "Traceback" not in result.output
    assert _same(out, tmp_path / "kept")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ed", "kept", "out"]
