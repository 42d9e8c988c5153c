"""One message style everywhere, colour only on a terminal, examples in every --help,
shell completion."""

from __future__ import annotations

import io
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from serge_tei.cli import main
from serge_tei.findings import Finding, Severity
from serge_tei.formats import finding_line, render_text, use_color

ROOT = Path(__file__).resolve().parent.parent
INVALID = "tests/data/validate/sch-date-order.xml"
#: path:line:col: severity: message [rule]
STYLE = re.compile(r"^\S.*:\d+:\d+: (error|warning|info): \S.* \[[\w.\-]+\]$")
ANSI = re.compile(r"\x1b\[[0-9;]*m")
FINDING = Finding("a.xml", 3, 7, Severity.ERROR, "serge.x", "bad thing")


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_only_on_a_terminal_and_never_with_no_color() -> None:
    assert use_color(_Tty(), {}) is True
    assert use_color(io.StringIO(), {}) is False
    assert use_color(_Tty(), {"NO_COLOR": "1"}) is False
    assert use_color(_Tty(), {"NO_COLOR": ""}) is True  # no-color.org: set *and* non-empty


def test_only_the_severity_is_coloured() -> None:
    plain = finding_line(FINDING)
    coloured = finding_line(FINDING, color=True)
    assert plain == "a.xml:3:7: error: bad thing [serge.x]"
    assert coloured != plain and ANSI.sub("", coloured) == plain
    assert coloured.startswith("a.xml:3:7: \x1b[31m\x1b[1merror\x1b[0m: ")
    assert ANSI.sub("", render_text([], 0.0, color=True)) == render_text([], 0.0)


def _on_a_pty(args: list[str], env: dict[str, str]) -> str:
    """Run serge-tei with stdout on a pseudo-terminal, as a user at a terminal sees it."""
    master, slave = os.openpty()
    try:
        subprocess.run([sys.executable, "-m", "serge_tei", *args], cwd=ROOT, stdout=slave,
                       stderr=subprocess.DEVNULL, env=env, timeout=120, check=False)
    finally:
        os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the other side is closed and everything was read
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    return b"".join(chunks).decode()


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_a_terminal_gets_colour_unless_no_color_is_set() -> None:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    coloured = _on_a_pty(["validate", INVALID], env)
    assert "\x1b[31m\x1b[1merror\x1b[0m" in coloured
    plain = _on_a_pty(["validate", INVALID], {**env, "NO_COLOR": "1"})
    assert "\x1b[" not in plain and f"{INVALID}:39:15: error: " in plain


def test_a_pipe_gets_no_colour() -> None:
    done = subprocess.run([sys.executable, "-m", "serge_tei", "validate", INVALID], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1
    assert "\x1b[" not in done.stdout
    assert STYLE.match(done.stdout.splitlines()[0])


@pytest.mark.parametrize("args", [
    ["validate", "missing.xml"],
    ["validate", INVALID],
    ["stats", "missing.xml"],
    ["transform", "--to", "text", "missing.xml"],
    ["build", "missing-folder"],
    ["transform", "--to", "bogus", "x.xml"],
    ["init", "README.md"],
])
def test_every_problem_is_one_lower_case_line_and_never_a_traceback(
        args: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, args)
    assert result.exit_code in (1, 2), result.output
    assert "Traceback" not in result.output and "Error:" not in result.output
    problems = [ln for ln in result.output.splitlines() if re.search(r"\b(error|warning):", ln)]
    assert problems, result.output
    for line in problems:
        # a finding, or a located error, or an error without a place (bad option)
        assert STYLE.match(line) or re.match(r"^(\S+:\d+:\d+: )?error: \S", line), line


def _commands() -> list[str]:
    return sorted(main.commands)


@pytest.mark.parametrize("name", _commands())
def test_every_command_help_shows_a_worked_example(name: str) -> None:
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert "Example:" in [ln.strip() for ln in lines], result.output
    example = lines[[ln.strip() for ln in lines].index("Example:") + 1].strip()
    assert example.startswith(f"serge-tei {name} "), example
    # The example is a valid command line: click parses its options and arguments.
    ctx = main.commands[name].make_context(name, shlex.split(example)[2:])
    assert isinstance(ctx, click.Context)


@pytest.mark.parametrize(("shell", "marker"), [
    ("bash", "complete -o nosort -F _serge_tei_completion serge-tei"),
    ("zsh", "compdef _serge_tei_completion serge-tei"),
    ("fish", "complete --no-files --command serge-tei"),
])
def test_completion_scripts_are_generated(shell: str, marker: str) -> None:
    exe = shutil.which("serge-tei")
    if exe is None:
        pytest.skip("the serge-tei console script is not installed")
    done = subprocess.run([exe], env={**os.environ, "_SERGE_TEI_COMPLETE": f"{shell}_source"},
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0
    assert marker in done.stdout


def test_bash_completion_completes_commands_and_options() -> None:
    env = {**os.environ, "_SERGE_TEI_COMPLETE": "bash_complete", "COMP_CWORD": "1"}
    words = subprocess.run([sys.executable, "-c", "from serge_tei.cli import main; "
                            "main(prog_name='serge-tei')"],
                           env={**env, "COMP_WORDS": "serge-tei st"}, capture_output=True,
                           text=True, timeout=60, check=False)
    assert words.stdout.split() == ["plain,stats"]
    options = subprocess.run([sys.executable, "-c", "from serge_tei.cli import main; "
                              "main(prog_name='serge-tei')"],
                             env={**env, "COMP_WORDS": "serge-tei validate --for",
                                  "COMP_CWORD": "2"},
                             capture_output=True, text=True, timeout=60, check=False)
    assert options.stdout.split() == ["plain,--format"]
