"""Hostile and broken input: never a leak, never a hang, never a traceback, nothing lost.

Every case of ``tests/data/hostile/cases.toml`` goes through every command
(validate, transform to HTML and text, build, lint, stats), in-process with
click's runner, while a loopback listener that never answers checks that nothing
reaches the network, and neither a secret file outside the project nor a secret
environment variable shows in any output. A few checks run in a real process
where only a process shows the behaviour (a FIFO, Saxon's native output on file
descriptor 2, an abort).
"""

from __future__ import annotations

import filecmp
import importlib.util
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from lxml import etree, html
from packaging.version import Version

from serge_tei.cli import main
from serge_tei.errors import ToolkitError
from serge_tei.formats import safe
from serge_tei.saxon import SPLIT_COMMENT, Saxon, guard_long_text

HOSTILE = Path(__file__).resolve().parent / "data" / "hostile"
ROOT = HOSTILE.parent.parent.parent


def _load_corpus():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("hostile_corpus", HOSTILE / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["hostile_corpus"] = module
    spec.loader.exec_module(module)
    return module


corpus = _load_corpus()
CASES = corpus.load_cases()
#: what a message may never carry raw: C0/C1 controls (but newline/tab), bidi controls
UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
#: a hostile case must be answered within this many seconds, on a busy CI machine too
TIME_LIMIT = 30.0
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


class Listener:
    """A loopback TCP port that accepts connections and never answers."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.setblocking(False)
        self.port: int = self.sock.getsockname()[1]
        self.held: list[socket.socket] = []

    def connections(self) -> int:
        """Connections made so far (the kernel queues them even before accept)."""
        while True:
            try:
                conn, _ = self.sock.accept()
            except BlockingIOError:
                return len(self.held)
            self.held.append(conn)  # kept open, never answered

    def close(self) -> None:
        for conn in self.held:
            conn.close()
        self.sock.close()


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


@pytest.fixture(scope="module")
def previous_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site built from good.xml alone: what a failed build must leave as it was."""
    base = tmp_path_factory.mktemp("previous")
    (base / "ed").mkdir()
    (base / "ed" / "good.xml").write_bytes(corpus.GOOD.read_bytes())
    result = CliRunner().invoke(main, ["build", str(base / "ed"), "--out", str(base / "out")])
    assert result.exit_code == 0, result.output
    return base / "out"


def _params() -> Iterator[object]:
    for case in CASES:
        marks = []
        if case.make == "unreadable" and IS_ROOT:
            marks.append(pytest.mark.skip(reason="running as root: permissions do not stop "
                                          "root from reading; see test_unreadable_as_root"))
        for command in case.commands:
            yield pytest.param(case, command, id=f"{case.id}-{command}", marks=marks)


def _workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: object,
             edition: bool = True) -> Path:
    """A project of its own (so limits can be configured), with an edition folder.

    With *edition* False the folder is not configured as the edition: its files
    are checked against tei_all, and not against one another.
    """
    section = case.settings() if isinstance(case, corpus.Case) else ""
    monkeypatch.setenv(*corpus.SECRET_ENV)
    tmp_path.mkdir(exist_ok=True)
    # ed/ is the configured edition: its files are held to the edition's own schema
    if edition:
        section = f'edition = "ed"\n{section}'
    (tmp_path / "pyproject.toml").write_text(f"[tool.serge-tei]\n{section}", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    edition = tmp_path / "ed"
    edition.mkdir()
    return edition


def _run(command: str, path: Path, tmp_path: Path) -> Result:
    runner = CliRunner()
    if command == "validate":
        return runner.invoke(main, ["validate", str(path)])
    if command == "transform-html":
        return runner.invoke(main, ["transform", "--to", "html", str(path),
                                    "-o", str(tmp_path / "page.html")])
    if command == "transform-text":
        return runner.invoke(main, ["transform", "--to", "text", str(path)])
    if command in ("lint", "stats"):
        return runner.invoke(main, [command, str(path)])
    return runner.invoke(main, ["build", str(path.parent), "--out", str(tmp_path / "out")])


def _location(case: object, path: Path) -> str:
    loc = safe(str(path)) + ":"
    line, column = getattr(case, "line", None), getattr(case, "column", None)
    if line is not None:
        loc += f"{line}:"
        if column is not None:
            loc += f"{column}:"
    return loc


@pytest.mark.parametrize(("case", "command"), list(_params()))
def test_hostile_case(case, command: str, listener: Listener, previous_site: Path,  # type: ignore[no-untyped-def]
                      tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    edition = _workdir(tmp_path / "project", monkeypatch, case)
    (edition / "good.xml").write_bytes(corpus.GOOD.read_bytes())
    path = corpus.materialize(case, edition, listener.port)
    if command == "build":
        _copy_tree(previous_site, tmp_path / "out")
    before = listener.connections()

    started = time.monotonic()
    result = _run(command, path, tmp_path)
    elapsed = time.monotonic() - started

    expected = case.expected_exit(command)
    assert result.exit_code == expected, result.output
    assert elapsed < TIME_LIMIT
    assert listener.connections() == before, "a connection reached the loopback listener"
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    assert "Traceback" not in result.output
    assert not UNSAFE.search(result.stderr), result.stderr
    if not command.startswith("transform"):  # transform's stdout is the document's own text
        assert not UNSAFE.search(result.stdout), result.stdout
    assert "PRIVATE-WORDS" not in result.output  # the target of the symlink never shows
    assert corpus.SECRET not in result.output and corpus.SECRET_ENV[1] not in result.output
    if expected:
        _assert_reported(case, Path(os.path.relpath(path)) if command == "stats" else path,
                         result, case.expected_message(command))
    else:
        assert ": error: " not in result.output
    _assert_outputs(case, command, expected, tmp_path, previous_site)


def _assert_reported(case, path: Path, result: Result, message: str) -> None:  # type: ignore[no-untyped-def]
    """The first error line is `path:line:col: error: message`, with the case's message."""
    location = _location(case, path)
    errors = [line for line in result.output.splitlines() if ": error: " in line]
    assert errors, result.output
    first = next((e for e in errors if e.startswith(safe(str(path)))), errors[0])
    assert first.startswith(location), f"expected {location!r}: {first!r}"
    assert message in first, first


def _assert_outputs(case, command: str, expected: int, tmp_path: Path,  # type: ignore[no-untyped-def]
                    previous_site: Path) -> None:
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert not leftovers, f"temporary files left behind: {leftovers}"
    if command == "transform-html":
        page = tmp_path / "page.html"
        assert page.exists() == (expected == 0)
        if expected == 0:
            _assert_inert(page.read_text(encoding="utf-8"))
    if command == "build":
        out = tmp_path / "out"
        if expected:
            assert _same_tree(out, previous_site), "a failed build changed the previous site"
        else:
            for page in out.glob("*.html"):
                _assert_inert(page.read_text(encoding="utf-8"))
            assert not any(secret in p.read_text(encoding="utf-8", errors="replace")
                           for p in out.rglob("*") if p.is_file()
                           for secret in ("PRIVATE-WORDS", corpus.SECRET, corpus.SECRET_ENV[1]))
    if case.id == "saxon-64k-text" and command.startswith("transform"):
        _assert_every_word(command, tmp_path)


def _assert_inert(page: str) -> None:
    """No script from the data can run in a published page: checked on the parsed HTML.

    The one script element is the site's own file, edition.js, with no inline code.
    """
    tree = html.fromstring(page)
    assert not tree.xpath("//iframe | //object | //embed")
    assert all(s.get("src") == "edition.js" and not (s.text or "").strip()
               for s in tree.xpath("//script")), tree.xpath("//script/@src")
    for el in tree.iter(tag=etree.Element):
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), (el.tag, name)
            if name in ("href", "src", "action", "formaction"):
                compact = re.sub(r"[\x00-\x20]", "", value).lower()
                assert not compact.startswith(("javascript:", "vbscript:", "data:")), value


def _assert_every_word(command: str, tmp_path: Path) -> None:
    words = corpus.long_run().split()
    if command == "transform-html":
        text = html.fromstring((tmp_path / "page.html").read_text(encoding="utf-8")).text_content()
    else:
        return  # the text output is checked in test_saxon_guard_keeps_every_word
    assert " ".join(words) in " ".join(text.split())


def _copy_tree(source: Path, target: Path) -> None:
    shutil.copytree(source, target)


def _same_tree(a: Path, b: Path) -> bool:
    cmp = filecmp.dircmp(a, b)
    if cmp.left_only or cmp.right_only or cmp.funny_files:
        return False
    _, mismatch, errors = filecmp.cmpfiles(a, b, cmp.common_files, shallow=False)
    return not mismatch and not errors


# ----- batches: one hostile file does not stop the others ---------------------------

def test_batch_validates_every_file_around_hostile_ones(listener: Listener, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    edition = _workdir(tmp_path, monkeypatch, None, edition=False)  # copies of good.xml share ids
    files = [corpus.materialize(case, edition, listener.port)
             for case in CASES if case.file and case.id != "over-size-cap"]
    first, last = edition / "a-good.xml", edition / "z-good.xml"
    for good in (first, last):
        good.write_bytes(corpus.GOOD.read_bytes())
    before = listener.connections()
    result = CliRunner().invoke(main, ["validate", "--format", "json", str(first), *map(str, files),
                                       str(last)])
    assert result.exit_code == 2  # some files are unusable
    report = json.loads(result.stdout)
    assert [f["path"] for f in report["files"]] == [str(p) for p in (first, *files, last)]
    verdicts = {Path(f["path"]).name: f for f in report["files"]}
    assert verdicts["a-good.xml"]["valid"] and verdicts["z-good.xml"]["valid"]
    assert not verdicts["nul-byte.xml"]["readable"]
    assert listener.connections() == before


def test_build_lists_every_bad_file_and_publishes_nothing(listener: Listener, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    edition = _workdir(tmp_path, monkeypatch, None)
    (edition / "good.xml").write_bytes(corpus.GOOD.read_bytes())
    bad = [c for c in CASES if c.file and c.exit != 0]
    for case in bad:
        corpus.materialize(case, edition, listener.port)
    result = CliRunner().invoke(main, ["build", str(edition), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    for case in bad:
        assert f"{edition / case.name}:" in result.stderr, case.id
    assert {p.name for p in tmp_path.iterdir()} == {"ed", "pyproject.toml"}  # no out/, no temp


@pytest.mark.parametrize("fmt", ["text", "json", "github", "junit"])
@pytest.mark.parametrize("case_id", ["filename-newline", "filename-escape", "filename-bidi"])
def test_every_format_escapes_hostile_names(case_id: str, fmt: str, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    edition = _workdir(tmp_path, monkeypatch, None)
    path = corpus.materialize(next(c for c in CASES if c.id == case_id), edition, 0)
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = CliRunner().invoke(main, ["validate", "--format", fmt, str(path)])
    assert result.exit_code == 1
    assert not UNSAFE.search(result.output), result.output
    assert not any(line.startswith("x.xml:1:1") for line in result.output.splitlines())
    if fmt == "json":  # escaped on the terminal, yet the exact name for tools
        assert json.loads(result.stdout)["files"][0]["path"] == str(path)
    if fmt == "github":
        assert not UNSAFE.search(summary.read_text(encoding="utf-8"))


def test_unusable_xml_model_schema_is_reported_at_its_pi(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    edition = _workdir(tmp_path, monkeypatch, None)
    path = corpus.materialize(next(c for c in CASES if c.id == "xml-model-local-file"), edition, 0)
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2  # a schema that cannot be used: unusable input
    assert result.output.startswith(f"{path}:2:1: error: ")


def test_symlink_inside_its_folder_is_followed(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "real.xml").write_bytes(corpus.GOOD.read_bytes())
    link = tmp_path / "link.xml"
    link.symlink_to(Path("sub") / "real.xml")
    result = CliRunner().invoke(main, ["validate", str(link)])
    assert result.exit_code == 0, result.output


# ----- process-level behaviour --------------------------------------------------------

def _cli(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "serge_tei", *args], cwd=cwd, timeout=timeout,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL)


def test_fifo_never_blocks_a_real_process(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.xml"
    os.mkfifo(fifo)
    for args in (["validate", str(fifo)], ["transform", "--to", "text", str(fifo)]):
        done = _cli(*args, cwd=tmp_path, timeout=TIME_LIMIT * 2)
        assert done.returncode == 2
        assert f"{fifo}:0:0: error: not a regular file" in done.stdout + done.stderr
        assert "Traceback" not in done.stderr


def test_real_process_prints_only_its_own_messages(listener: Listener, tmp_path: Path) -> None:
    """Saxon writes its errors to file descriptor 2 too; none of that may reach the user."""
    good = tmp_path / "good.xml"
    good.write_bytes(corpus.GOOD.read_bytes())
    ok = _cli("transform", "--to", "text", str(good), cwd=tmp_path)
    assert ok.returncode == 0 and ok.stderr == ""
    evil = tmp_path / "dtd.xml"
    evil.write_bytes((HOSTILE / "external-dtd-loopback.xml").read_bytes()
                     .replace(b"{PORT}", str(listener.port).encode()))
    before = listener.connections()
    for args in (["validate", str(evil)], ["transform", "--to", "html", str(evil)]):
        done = _cli(*args, cwd=tmp_path)
        assert done.returncode == 1
        lines = [line for line in done.stderr.splitlines() + done.stdout.splitlines()
                 if "error" in line.lower() and "file checked" not in line]
        assert lines == [line for line in lines if line.startswith(f"{evil}:2:1: error: ")]
    assert listener.connections() == before


def test_unreadable_as_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Root reads any file, so a refused open() is simulated; the message is the one users see."""
    target = tmp_path / "locked.xml"
    target.write_bytes(corpus.GOOD.read_bytes())
    real_open = os.open

    def refuse(path, flags, *args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(path).name == "locked.xml":
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    result = CliRunner().invoke(main, ["validate", str(target)])
    assert result.exit_code == 2
    assert f"{target}:0:0: error: cannot open file: Permission denied" in result.output


# ----- Saxon: locked down, and its 64 Ki text defect ----------------------------------

def test_saxon_self_check_refuses_a_known_external_entity(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CONTENT", encoding="utf-8")
    probe = (f'<!DOCTYPE p [<!ENTITY e SYSTEM "{secret.as_uri()}">]><p>&e;</p>')
    saxon = Saxon()
    saxon.self_check()
    with pytest.raises(Exception) as refused:
        saxon.processor.parse_xml(xml_text=probe)
    assert "DOCTYPE" in str(refused.value) and "SECRET-CONTENT" not in str(refused.value)


def test_saxon_self_check_catches_a_misspelled_feature(tmp_path: Path) -> None:
    """The probe is real: unhardened Saxon reads the file; a wrong feature URI is noticed."""
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CONTENT", encoding="utf-8")
    script = textwrap.dedent(f"""
        from saxonche import PySaxonProcessor
        from serge_tei import saxon
        from serge_tei.errors import ToolkitError
        plain = PySaxonProcessor(license=False)
        probe = '<!DOCTYPE p [<!ENTITY e SYSTEM "{secret.as_uri()}">]><p>&e;</p>'
        node = plain.parse_xml(xml_text=probe)
        print("unhardened:", node.string_value)
        saxon.DISALLOW_DOCTYPE = saxon.DISALLOW_DOCTYPE.replace("disallow", "dissallow")
        try:
            saxon.Saxon()
        except ToolkitError as exc:
            print("refused:", exc)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, cwd=tmp_path)
    assert "unhardened: SECRET-CONTENT" in done.stdout, done.stdout + done.stderr
    assert "refused: Saxon did not refuse a DOCTYPE" in done.stdout
    assert "the parser hardening did not take effect" in done.stdout


def test_saxon_self_check_catches_a_leak() -> None:
    """A setting that does not stop stylesheets from reading the process's environment is
    caught at start-up: here a real feature, set instead of the one that matters."""
    script = textwrap.dedent("""
        from serge_tei import saxon
        from serge_tei.errors import ToolkitError
        saxon.ALLOW_EXTERNAL_FUNCTIONS = saxon._FEATURE + "allow-multithreading"
        try:
            saxon.Saxon()
        except ToolkitError as exc:
            print("refused:", exc)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120)
    assert "refused: a stylesheet could read Java system properties or environment " \
           "variables" in done.stdout, done.stdout + done.stderr


_READERS = {
    "doc": '<xsl:copy-of select="doc(string(/*/@href))"/>',
    "document": '<xsl:copy-of select="document(string(/*/@href))"/>',
    "unparsed-text": '<xsl:value-of select="unparsed-text(string(/*/@href))"/>',
    "unparsed-text-lines": '<xsl:value-of select="unparsed-text-lines(string(/*/@href))"/>',
    "json-doc": '<xsl:value-of select="serialize(json-doc(string(/*/@href)))"/>',
    "collection": '<xsl:copy-of select="collection(string(/*/@dir))"/>',
    "uri-collection": '<xsl:value-of select="uri-collection(string(/*/@dir))"/>',
}


def _stylesheet(body: str) -> str:
    return ('<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
            f'<xsl:template match="/"><r>{body}</r></xsl:template></xsl:stylesheet>')


@pytest.mark.parametrize("reader", sorted(_READERS))
@pytest.mark.parametrize("scheme", ["file", "http"])
def test_data_cannot_make_saxon_read(reader: str, scheme: str, listener: Listener,
                                     tmp_path: Path) -> None:
    secret = tmp_path / "secret.xml"
    secret.write_text('<s>SECRET-CONTENT</s>', encoding="utf-8")
    (tmp_path / "secret.json").write_text('{"s": "SECRET-CONTENT"}', encoding="utf-8")
    target = secret.as_uri() if scheme == "file" else f"http://127.0.0.1:{listener.port}/s.xml"
    if reader == "json-doc" and scheme == "file":
        target = (tmp_path / "secret.json").as_uri()
    folder = tmp_path.as_uri() if scheme == "file" else f"http://127.0.0.1:{listener.port}/"
    saxon = Saxon()
    exe = saxon.compile_text(_stylesheet(_READERS[reader]), "probe")
    data = etree.fromstring(f'<d href="{target}" dir="{folder}"/>')
    before = listener.connections()
    started = time.monotonic()
    with pytest.raises(ToolkitError) as refused:
        saxon.transform(exe, saxon.node(data), label="probe")
    assert time.monotonic() - started < TIME_LIMIT
    assert "SECRET-CONTENT" not in str(refused.value)
    assert listener.connections() == before


def test_result_documents_are_never_written(tmp_path: Path) -> None:
    """Refused when the stylesheet compiles; captured, never written, were it compiled."""
    saxon = Saxon()
    sheet = _stylesheet('<xsl:result-document href="{string(/*/@href)}" method="text">pwned'
                        '</xsl:result-document>main')
    with pytest.raises(ToolkitError) as refused:
        saxon.compile_text(sheet, "probe")
    assert "xsl:result-document is disabled" in str(refused.value)
    from saxonche import PySaxonProcessor  # the second line of defence, on its own

    plain = PySaxonProcessor(license=False)
    exe = plain.new_xslt30_processor().compile_stylesheet(stylesheet_text=sheet)
    exe.set_capture_result_documents(True)
    planted = tmp_path / "planted.txt"
    node = plain.parse_xml(xml_text=f'<d href="{planted.as_uri()}"/>')
    assert "pwned" not in str(exe.transform_to_string(xdm_node=node))
    assert not planted.exists()
    assert list(tmp_path.iterdir()) == []


_DEFECT = """
from saxonche import PySaxonProcessor
proc = PySaxonProcessor(license=False)
node = proc.parse_xml(xml_text="<r><a>x</a>" + "y" * (2 * 65536) + "</r>")
print(len(node.string_value))
"""


@pytest.mark.skipif(Version(metadata.version("saxonche")) < Version("13.1"),
                    reason="the 64 Ki text-node defect came with SaxonC 13.1")
def test_saxonc_64k_text_defect_is_still_there() -> None:
    """Fails once a Saxon release fixes the defect: then remove the guard."""
    done = subprocess.run([sys.executable, "-c", _DEFECT], capture_output=True, text=True,
                          timeout=120)
    if done.returncode == 0 and done.stdout.strip() == str(2 * 65536 + 1):
        pytest.fail("SaxonC no longer has the 64 Ki text-node defect: guard_long_text() in "
                    "serge_tei/saxon.py (and this test) can be removed")
    assert done.returncode != 0  # the process aborted reading the string value
    assert "out of bounds" in done.stdout + done.stderr


_GUARDED = """
from lxml import etree
from serge_tei.saxon import Saxon
saxon = Saxon()
for run in ("y" * (2 * 65536), ("ab " * 65536)[: 3 * 65536]):
    tree = etree.ElementTree(etree.fromstring("<r><a>x</a></r>"))
    tree.getroot()[0].tail = run
    value = saxon.node(tree).string_value
    print(len(value), value.split() == ("x" + run).split())
"""


def test_saxon_guard_keeps_the_process_alive() -> None:
    done = subprocess.run([sys.executable, "-c", _GUARDED], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    # no white space: split by a comment, same string value; with white space: one more
    assert done.stdout.split("\n")[:2] == [f"{2 * 65536 + 1} True", f"{3 * 65536 + 2} True"]


def test_guard_leaves_the_callers_tree_and_ordinary_trees_alone() -> None:
    ordinary = etree.ElementTree(etree.fromstring("<r><a>x</a>" + "y" * 65537 + "</r>"))
    assert guard_long_text(ordinary) is ordinary
    root = etree.fromstring("<r><a>x</a></r>")
    root[0].tail = "y" * 65536
    tree = etree.ElementTree(root)
    guarded = guard_long_text(tree)
    assert guarded is not tree and root[0].tail == "y" * 65536  # the caller's tree untouched
    assert SPLIT_COMMENT in etree.tostring(guarded, encoding="unicode")
    assert "".join(guarded.getroot().itertext()) == "x" + "y" * 65536


def test_saxon_guard_keeps_every_word(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    edition = _workdir(tmp_path, monkeypatch, None)
    case = next(c for c in CASES if c.id == "saxon-64k-text")
    path = corpus.materialize(case, edition, 0)
    result = CliRunner().invoke(main, ["transform", "--to", "text", str(path)])
    assert result.exit_code == 0
    assert " ".join(corpus.long_run().split()) in " ".join(result.stdout.split())
