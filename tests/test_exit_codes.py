"""Every exit code of the README's table, in-process and from a real process, value by value."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from serge_tei import __version__
from serge_tei.cli import main
from serge_tei.errors import ExitCode
from serge_tei.validation import run

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "validate"
VALID, INVALID = str(DATA / "valid-minimal.xml"), str(DATA / "sch-date-order.xml")

#: a crash that is no fault of the user's, wherever it happens
BUG = ("import sys; from serge_tei.validation import run\n"
       "def boom(*a, **k): raise RuntimeError('an invariant broke')\n"
       "run.iter_validate = boom\n"
       "from serge_tei.cli import main; main(sys.argv[1:], prog_name='serge-tei')\n")


def _process(args: list[str], *, code: str | None = None, env: dict[str, str] | None = None
             ) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", code, *args] if code else \
        [sys.executable, "-m", "serge_tei", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False,
                          cwd=ROOT, env={**os.environ, **(env or {})})


def test_the_table_is_the_documented_one() -> None:
    assert {c.name: int(c) for c in ExitCode} == {
        "OK": 0, "INVALID": 1, "USAGE": 2, "INTERNAL": 3, "INTERRUPTED": 130}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for code in ExitCode:
        assert f"| {int(code)} |" in readme, code


@pytest.mark.parametrize(("args", "expected"), [
    (["validate", VALID], ExitCode.OK),
    (["validate", INVALID], ExitCode.INVALID),
    (["validate", str(DATA / "missing.xml")], ExitCode.USAGE),
    (["validate", "--no-such-option"], ExitCode.USAGE),
])
def test_user_outcomes_in_process_and_in_a_process(args: list[str], expected: ExitCode) -> None:
    assert CliRunner().invoke(main, args).exit_code == expected
    assert _process(args).returncode == expected


def test_an_unexpected_exception_is_exit_3_with_what_to_report(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("an invariant broke")

    monkeypatch.setattr(run, "iter_validate", boom)
    monkeypatch.delenv("SERGE_TEI_DEBUG", raising=False)
    result = CliRunner().invoke(main, ["validate", VALID])
    assert result.exit_code == ExitCode.INTERNAL
    lines = result.output.splitlines()
    assert lines[0].startswith("serge-tei: internal error: please report this to the "
                               "serge-tei maintainers")
    assert lines[1] == "  RuntimeError: an invariant broke"
    assert lines[2].startswith(f"  serge-tei {__version__} (lxml ")
    assert lines[3] == "(run again with SERGE_TEI_DEBUG=1 to see where it failed)"
    assert "Traceback" not in result.output


def test_an_internal_error_in_a_real_process_has_no_traceback_unless_asked() -> None:
    quiet = _process(["validate", VALID], code=BUG, env={"SERGE_TEI_DEBUG": ""})
    assert quiet.returncode == ExitCode.INTERNAL
    assert quiet.stdout == "" and "Traceback" not in quiet.stderr
    assert "  RuntimeError: an invariant broke\n" in quiet.stderr
    loud = _process(["validate", VALID], code=BUG, env={"SERGE_TEI_DEBUG": "1"})
    assert loud.returncode == ExitCode.INTERNAL
    assert "Traceback (most recent call last)" in loud.stderr and "in boom" in loud.stderr


def test_an_interrupt_is_exit_130_with_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(run, "iter_validate", interrupted)
    result = CliRunner().invoke(main, ["validate", VALID])
    # click starts a new line first (after the ^C a terminal shows)
    assert (result.exit_code, result.output) == (ExitCode.INTERRUPTED, "\nserge-tei: interrupted\n")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_on_a_real_process_exits_130(tmp_path: Path) -> None:
    ready = tmp_path / "ready"
    # signal: a test run started in the background inherits SIGINT ignored
    code = ("import signal, sys, time; from pathlib import Path\n"
            "signal.signal(signal.SIGINT, signal.default_int_handler)\n"
            "from serge_tei.validation import run\n"
            "def slow(*a, **k):\n"
            f"    Path({str(ready)!r}).touch(); time.sleep(60)\n"
            "run.iter_validate = slow\n"
            "from serge_tei.cli import main; main(sys.argv[1:], prog_name='serge-tei')\n")
    proc = subprocess.Popen([sys.executable, "-c", code, "validate", VALID], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not ready.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert (proc.returncode, out, err) == (ExitCode.INTERRUPTED, "", "\nserge-tei: interrupted\n")


def test_a_broken_schematron_on_the_command_line_is_one_usage_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.sch"
    bad.write_text('<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">'
                   '<pattern><rule context="*"><assert test="((">x</assert></rule></pattern>'
                   "</schema>", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", "--schematron", str(bad), VALID, INVALID,
                                       str(DATA / "valid-rich.xml")])
    assert result.exit_code == ExitCode.USAGE
    (line,) = result.output.splitlines()  # one message, not one per document
    assert line.startswith(f"{bad}:1:0: error: {bad}: Schematron expression does not compile "
                           'in <sch:assert test="(("> (line 1 of bad.sch)')


def test_a_schema_that_is_not_xml_is_located_in_the_schema(tmp_path: Path) -> None:
    bad = tmp_path / "bad.rng"
    bad.write_text("<grammar>\n<unclosed>\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", "--schema", str(bad), VALID, INVALID])
    assert result.exit_code == ExitCode.USAGE
    (line,) = result.output.splitlines()
    assert line.startswith(f"{bad}:") and "schema refused: not well-formed XML" in line


def test_an_unknown_engine_is_one_usage_error_before_any_file(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SERGE_TEI_RNG_ENGINE", "foo")
    result = CliRunner().invoke(main, ["validate", VALID, INVALID])
    assert result.exit_code == ExitCode.USAGE
    assert result.output == ("error: SERGE_TEI_RNG_ENGINE='foo': use one of auto, serge, "
                             "jing, lxml\n")


#: every command that takes a file or folder, as `serge-tei COMMAND ... PATH` runs it
_EVERY_COMMAND = [["validate"], ["lint"], ["stats"], ["transform", "--to", "text"],
                  ["build"], ["docs"], ["serve"]]


@pytest.mark.parametrize("command", _EVERY_COMMAND, ids=lambda c: c[0])
def test_a_name_too_long_for_the_file_system_is_exit_2_naming_it(
        command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    name = "a" * 300 + ".xml"
    result = CliRunner().invoke(main, [*command, name])
    assert result.exit_code == ExitCode.USAGE, result.output
    errors = [line for line in result.output.splitlines() if ": error: " in line]
    assert errors and errors[0].startswith(name)
    assert errors[0].endswith(("File name too long", "File name too long [input.unusable]"))
    assert "Traceback" not in result.output and "internal error" not in result.output


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="Linux /proc")
@pytest.mark.parametrize("command", [["validate"], ["lint"], ["stats"],
                                     ["transform", "--to", "text"]], ids=lambda c: c[0])
def test_a_special_file_that_refuses_a_read_is_exit_2(command: list[str]) -> None:
    result = CliRunner().invoke(main, [*command, "/proc/self/mem"])
    assert result.exit_code == ExitCode.USAGE, result.output
    assert result.output.splitlines()[0].startswith(
        "/proc/self/mem:0:0: error: cannot read file: Input/output error")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_sigterm_on_a_real_process_exits_130(tmp_path: Path) -> None:
    """A cancelled CI job sends SIGTERM: the command stops as on Ctrl-C, with one line."""
    proc = subprocess.Popen([sys.executable, "-c", "import sys, time\n"
                             "from serge_tei.validation import run\n"
                             "def slow(*a, **k):\n    time.sleep(60)\n    yield from ()\n"
                             "run.iter_validate = slow\n"
                             "from serge_tei.cli import main\n"
                             "print('ready', flush=True)\n"
                             "main(['validate', sys.argv[1]], prog_name='serge-tei')\n", VALID],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    time.sleep(0.5)
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == ExitCode.INTERRUPTED
    assert stderr == "\nserge-tei: interrupted\n"  # the same line as after Ctrl-C
