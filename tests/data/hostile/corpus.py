"""The hostile-input corpus: ``cases.toml`` and the cases that are made at run time.

Most cases are files in this folder. Those that cannot live in git (a FIFO, an
unreadable file, a symlink, file names with control characters, files of many
megabytes) are made by :func:`materialize` from the ``make`` key of their entry.

The ``schemas/`` part: a document whose ``<?xml-model?>`` names a hostile
schema or Schematron (``model``), copied from ``schemas/`` with the files it
points to (``schemas``), FIFOs it reads (``fifos``), settings it needs
(``config``); a secret folder is made beside the project, for the cases that
try to read it or send it to the loopback listener.

Used by ``tests/test_hostile.py`` and ``bench/hostile.py``.
"""

from __future__ import annotations

import os
import shutil
import tomllib
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOOD = HERE / "good.xml"
SCHEMAS = HERE / "schemas"
COMMANDS = ("validate", "transform-html", "transform-text", "build", "lint", "stats")
#: what the secret files outside the project hold: it must never show anywhere
SECRET = "SECRET-CONTENT-7f3a"
#: the environment variable set while the corpus runs: its value must never show either
SECRET_ENV = ("SERGE_TEI_HOSTILE_TOKEN", "SECRET-TOKEN-b41c")
_RNG_NS = "http://relaxng.org/ns/structure/1.0"
_SCH_NS = "http://purl.oclc.org/dsdl/schematron"
#: where a generated document's body text goes
_SLOT = "<p>Café crème, ça va.</p>"


@dataclass(frozen=True)
class Case:
    """One hostile input and what every command must answer."""

    id: str
    what: str
    exit: int
    message: str
    line: int | None = None
    column: int | None = None
    file: str | None = None
    make: str | None = None
    arg: str | None = None
    transform: int | None = None  # exit code of transform, when it differs from validate's
    build: int | None = None  # exit code of build, when it differs from validate's
    lint: int | None = None  # exit code of lint, when it differs from validate's
    stats: int | None = None  # exit code of stats, when it differs from validate's
    max_bytes: int | None = None  # a size cap configured for this case
    commands: tuple[str, ...] = COMMANDS
    model: str | None = None  # the xml-model href of a schema case
    schemas: tuple[str, ...] = ()  # files of schemas/ copied beside the document
    fifos: tuple[str, ...] = ()  # FIFOs made beside the document
    config: str = ""  # more lines under [tool.serge-tei]
    body: str | None = None  # the document's body, instead of good.xml's
    lint_message: str | None = None  # what lint says, when it is not *message*

    def expected_message(self, command: str) -> str:
        return self.lint_message if command == "lint" and self.lint_message else self.message

    def expected_exit(self, command: str) -> int:
        for prefix, value in (("transform", self.transform), ("build", self.build),
                              ("lint", self.lint), ("stats", self.stats)):
            if command.startswith(prefix) and value is not None:
                return value
        return self.exit

    def settings(self) -> str:
        """The ``[tool.serge-tei]`` lines the case's project needs."""
        size = f"max-bytes = {self.max_bytes}\n" if self.max_bytes else ""
        return size + (self.config + "\n" if self.config else "")

    @property
    def name(self) -> str:
        """The file name the case is written under (control characters and all)."""
        if self.make == "named":
            assert self.arg is not None
            return self.arg.encode().decode("unicode_escape")
        return self.file or f"{self.id}.xml"


def load_cases() -> list[Case]:
    data = tomllib.loads((HERE / "cases.toml").read_text(encoding="utf-8"))
    cases = []
    for entry in data["case"]:
        for key in ("commands", "schemas", "fifos"):
            if key in entry:
                entry[key] = tuple(entry[key])
        cases.append(Case(**entry))
    return cases


def good_text(body: str = "<p>Nothing to see.</p>", ident: str = "good") -> str:
    """good.xml with another body, under another xml:id (ids must differ within a build)."""
    text = GOOD.read_text(encoding="utf-8").replace(_SLOT, body)
    return text.replace('"good', f'"{ident}').replace('"#good', f'"#{ident}')


def materialize(case: Case, folder: Path, port: int) -> Path:
    """Write *case* into *folder* (loopback URLs pointing at *port*); return its path."""
    path = folder / case.name
    make = case.make or "file"
    if make == "file":
        assert case.file is not None
        data = (HERE / case.file).read_bytes().replace(b"{PORT}", str(port).encode())
        path.write_bytes(data)
    elif make in _NETWORK_MAKERS:
        _NETWORK_MAKERS[make](case, path, port)
    else:
        _MAKERS[make](case, path)
    return path


def _size(case: Case, path: Path) -> None:
    assert case.max_bytes is not None
    pad = "x" * (case.max_bytes + 1024)
    path.write_text(good_text(f"<p>Too long.</p><!-- {pad} -->", case.id), encoding="utf-8")


def _big_text(case: Case, path: Path) -> None:
    body = "<p>" + "lorem ipsum " * (10 * 1024 * 1024 // 12 + 1) + "</p>"
    path.write_text(good_text(body, case.id), encoding="utf-8")


def _nesting(case: Case, path: Path) -> None:
    depth = int(case.arg or "0")
    body = "<p>" + "<hi>" * depth + "deep" + "</hi>" * depth + "</p>"
    path.write_text(good_text(body, case.id), encoding="utf-8")


def _quadratic(case: Case, path: Path) -> None:
    # One 20,000-character entity referenced 20,000 times: 400 MB if expanded.
    text = good_text("<p>" + "&a;" * 20_000 + "</p>", case.id).replace(
        "<TEI ", f'<!DOCTYPE TEI [<!ENTITY a "{"a" * 20_000}">]>\n<TEI ', 1)
    path.write_text(text, encoding="utf-8")


def _fifo(case: Case, path: Path) -> None:
    os.mkfifo(path)


def _unreadable(case: Case, path: Path) -> None:
    shutil.copy(GOOD, path)
    path.chmod(0)


def _missing(case: Case, path: Path) -> None:
    pass


def _directory(case: Case, path: Path) -> None:
    path.mkdir()  # validate reads a folder's files; transform wants one file
    (path / "inside.xml").write_text(good_text(ident="inside"), encoding="utf-8")


def _symlink_out(case: Case, path: Path) -> None:
    outside = path.parent.parent / "outside"
    outside.mkdir(exist_ok=True)
    secret = outside / "secret.xml"
    secret.write_text(good_text("<p>PRIVATE-WORDS never to be published.</p>", "secret"),
                      encoding="utf-8")
    path.symlink_to(Path("..") / "outside" / "secret.xml")


def _named(case: Case, path: Path) -> None:
    shutil.copy(HERE / "doctype-internal-subset.xml", path)


def long_run(length: int = 2 * 65536) -> str:
    """Words separated by spaces, exactly *length* characters long."""
    unit = "serge wrote "
    return (unit * (length // len(unit) + 1))[:length]


def _saxon_64k(case: Case, path: Path) -> None:
    # After other text, exactly 2 x 65,536 characters: the SaxonC 13.1 defect.
    body = f'<p>Before <hi rend="italic">it</hi>{long_run()}</p>'
    path.write_text(good_text(body, case.id), encoding="utf-8")


def _model_include(case: Case, path: Path, port: int) -> None:
    schema = path.parent / "remote-include.rng"
    schema.write_text('<grammar xmlns="http://relaxng.org/ns/structure/1.0">'
                      f'<include href="http://127.0.0.1:{port}/tei.rng"/></grammar>',
                      encoding="utf-8")
    pi = ('<?xml-model href="remote-include.rng" '
          'schematypens="http://relaxng.org/ns/structure/1.0"?>\n')
    path.write_text(good_text(ident=case.id).replace("<TEI ", pi + "<TEI ", 1), encoding="utf-8")


def secret_folder(folder: Path) -> Path:
    """The folder beside the project (*folder* is the edition, inside the project) holding
    what no case may read: a text file and a schema of each kind, all saying SECRET."""
    secret = folder.parent.parent / "secret"
    secret.mkdir(exist_ok=True)
    (secret / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
    (secret / "secret.rng").write_text(
        f'<grammar xmlns="{_RNG_NS}"><start><element name="{SECRET}"><empty/></element>'
        "</start></grammar>", encoding="utf-8")
    (secret / "secret.sch").write_text(
        f'<pattern xmlns="{_SCH_NS}" id="{SECRET}"><rule context="/*"><report test="true()">'
        f"{SECRET}</report></rule></pattern>", encoding="utf-8")
    return secret


def _schema_case(case: Case, path: Path, port: int) -> None:
    """A document naming a hostile schema, the files that schema points to, its FIFOs."""
    assert case.model is not None
    secret = secret_folder(path.parent)
    for name in case.schemas:
        data = (SCHEMAS / name).read_text(encoding="utf-8")
        data = data.replace("{PORT}", str(port)).replace("{SECRET}", secret.as_posix())
        (path.parent / name).write_text(data, encoding="utf-8")
    for name in case.fifos:
        os.mkfifo(path.parent / name)
    kind = _SCH_NS if case.model.endswith(".sch") else _RNG_NS
    pi = f'<?xml-model href="{case.model}" schematypens="{kind}"?>\n'
    text = good_text(case.body or _SLOT, case.id).replace("<TEI ", pi + "<TEI ", 1)
    path.write_text(text, encoding="utf-8")


def _chain(case: Case, path: Path, port: int) -> None:
    """A schema of 5,000 chained refs (each define refers to the next), then any TEI."""
    count = int(case.arg or "5000")
    links = "".join(f'<define name="d{i}"><ref name="d{i + 1}"/></define>' for i in range(count))
    anything = (f'<define name="d{count}"><zeroOrMore><choice><attribute><anyName/></attribute>'
                f'<text/><element><anyName/><ref name="d{count}"/></element></choice>'
                "</zeroOrMore></define>")
    (path.parent / "chain.rng").write_text(
        f'<grammar xmlns="{_RNG_NS}"><start><element><anyName/><ref name="d0"/></element>'
        f"</start>{links}{anything}</grammar>", encoding="utf-8")
    _schema_case(case, path, port)


_MAKERS = {
    "size": _size, "big-text": _big_text, "nesting": _nesting, "quadratic": _quadratic,
    "fifo": _fifo, "unreadable": _unreadable, "missing": _missing, "directory": _directory,
    "symlink-out": _symlink_out, "named": _named, "saxon-64k": _saxon_64k,
}
#: makers that need the loopback listener's port
_NETWORK_MAKERS = {"model-include": _model_include, "schema": _schema_case, "chain": _chain}
