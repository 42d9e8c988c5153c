"""``serge-tei init DIR``: start a new TEI project in the shape of this edition.

The new project holds a template document with a complete header, an authority
file of persons (its first entry is the editor, whom the headers cite), a copy
of the edition schema pinned to this version of serge-tei (so that the project
is checked against the same rules until it chooses to upgrade, and XML editors
find the schema through the documents' ``<?xml-model?>``), ``pyproject.toml``
with ``[tool.serge-tei]``, a pre-commit configuration and a GitHub Actions
workflow. ``serge-tei validate`` accepts the result as it is.

Existing files are never overwritten: a non-empty DIR is refused unless
``force``, and then only the missing files are added.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from string import Template
from xml.sax.saxutils import escape

from . import __version__
from .errors import UsageError
from .resources import schema_dir

#: Names of the build's own pages, which a document id may not take.
_RESERVED = frozenset({"index", "persons", "places", "orgs", "works", "edition"})
_LANGUAGES = {"en": "English", "fr": "French", "de": "German", "es": "Spanish",
              "it": "Italian", "ru": "Russian", "nl": "Dutch", "pt": "Portuguese"}


@dataclass
class InitResult:
    root: Path
    document: str = ""
    written: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # already there, left untouched


def slug(text: str, fallback: str) -> str:
    """An xml:id from free text: ASCII letters, digits and hyphens, starting with a letter."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    value = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    value = re.sub(r"^[^a-z]+", "", value)
    return value or fallback


def git_user_name(cwd: Path) -> str | None:
    """``git config user.name``, the natural default for the editor, if git knows it."""
    try:
        done = subprocess.run(["git", "config", "user.name"], cwd=cwd, capture_output=True,
                              text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    name = done.stdout.strip()
    return name if done.returncode == 0 and name else None


def template(name: str) -> str:
    return (resources.files("serge_tei") / "templates" / name).read_text(encoding="utf-8")


def pinned_schema(name: str) -> str:
    """The shipped schema file *name*, stamped with the version it was copied from."""
    text = (schema_dir() / name).read_text(encoding="utf-8")
    stamp = (f"\n<!-- Copied from serge-tei {__version__} by `serge-tei init`: this project is "
             "checked against these rules until you copy in a newer version. -->")
    if text.startswith("<?xml"):
        end = text.index("?>") + 2
        return text[:end] + stamp + text[end:]
    return stamp.lstrip("\n") + "\n" + text


def _one_line(text: str) -> str:
    return " ".join(text.split())


def plan(title: str, editor: str, lang: str, today: date) -> tuple[str, dict[str, str]]:
    """The document id and every file of the new project, by relative path."""
    docid = slug(title, "document")
    if docid in _RESERVED:
        docid = f"{docid}-text"
    xml = {
        "title": escape(_one_line(title)), "editor": escape(_one_line(editor)),
        "editor_id": slug(editor, "editor"), "docid": docid, "lang": escape(lang),
        "language": escape(_LANGUAGES.get(lang, lang)), "today": today.isoformat(),
        "version": __version__,
    }
    plain = {**xml, "title": _one_line(title)}
    files = {
        "pyproject.toml": Template(template("pyproject.toml")).substitute(plain),
        f"tei/{docid}.xml": Template(template("document.xml")).substitute(xml),
        "tei/persons.xml": Template(template("persons.xml")).substitute(xml),
        "schema/serge-tei.rng": pinned_schema("serge-tei.rng"),
        "schema/serge-tei.sch": pinned_schema("serge-tei.sch"),
        ".pre-commit-config.yaml": Template(template("pre-commit-config.yaml")).substitute(plain),
        ".github/workflows/tei.yml": Template(template("github-workflow.yml")).substitute(plain),
        ".gitignore": template("gitignore"),
    }
    return docid, files


def init_project(target: Path, *, title: str | None = None, editor: str | None = None,
                 lang: str = "en", force: bool = False, today: date | None = None
                 ) -> InitResult:
    """Create the project in *target*; never overwrite a file that exists."""
    target = Path(target)
    _check_target(target, force)
    editor = editor or git_user_name(target if target.is_dir() else Path.cwd())
    if not editor:
        raise UsageError("who is the editor? pass --editor \"Your Name\" (or set git config "
                         "user.name); the headers name the editor as responsible")
    if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*", lang):
        raise UsageError(f"--lang {lang!r} is not a BCP 47 language tag such as en or fr")
    title = title or target.resolve().name
    docid, files = plan(title, editor, lang, today or date.today())
    result = InitResult(root=target, document=f"tei/{docid}.xml")
    for rel, text in files.items():
        if _write_new(target / rel, text):
            result.written.append(rel)
        else:
            result.skipped.append(rel)
    return result


def _check_target(target: Path, force: bool) -> None:
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target} exists and is not a folder")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise UsageError(f"{target} is not empty; pass --force to add the missing files "
                         "(existing files are never overwritten)")


def _write_new(path: Path, text: str) -> bool:
    """Write *path* atomically if it does not exist; False if it does (left untouched)."""
    if path.exists() or path.is_symlink():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        os.link(tmp, path)  # unlike os.replace, fails if the file appeared meanwhile
    except FileExistsError:
        return False
    finally:
        Path(tmp).unlink(missing_ok=True)
    return True
