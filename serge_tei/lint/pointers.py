"""Pointers (``@ref``, ``@who``, ``@corresp``) as lint follows them, confined to the project.

A TEI pointer (``teidata.pointer``) is a URI reference. Lint follows three forms:

- ``#id``: an element of the same document;
- ``file.xml#id``: an element of another file, relative to the document. The
  file must lie inside the project root (``Config.root_for``); a pointer
  leading out of it, holding a NUL (also as ``%00``), or naming a file whose
  name the file system cannot hold is *refused*: lint reads nothing and
  reports it where it is written (``lint.ref-refused``);
- a bare name with no ``#``, no ``/`` and no scheme (``corresp="K_1"``): by
  the letter of the Guidelines a relative URI naming a resource, in many
  projects an id of the same document. Lint takes it as that id when the
  document has it, and otherwise says nothing about it.

Everything else (URLs, ``prefix:value`` private schemes, pointers to whole
files) is not lint's to follow; the validator checks what it can.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

#: the longest file name (one path component, in bytes) file systems commonly allow
NAME_MAX = 255
#: the longest relative path lint will consider at all
PATH_MAX = 1024


@dataclass(frozen=True)
class Pointer:
    """Where a pointer leads: an entry key ``<resolved file>#<id>``."""

    key: str
    #: written without "#": an id of this document only if the document has it
    bare: bool = False


@dataclass(frozen=True)
class Refused:
    """A file pointer lint does not follow, and why (for the message)."""

    why: str


@dataclass(frozen=True)
class Place:
    """Where pointers are written: the document (resolved), its folder, its project root."""

    document: str
    folder: str
    root: str

    @classmethod
    def of(cls, document: Path, root: Path) -> Place:
        real = os.path.realpath(document)
        return cls(real, os.path.dirname(real), os.path.realpath(root))


def resolve(token: str, where: Place) -> Pointer | Refused | None:
    """The target of one pointer token written in a document; None for what lint
    does not follow. Pure string and path arithmetic: the file system is asked
    only to resolve symbolic links on the way."""
    if "#" not in token:
        if "/" in token or ":" in token or "\\" in token or not token:
            return None
        return Pointer(f"{where.document}#{token}", bare=True)
    if token[0] == "#":
        return Pointer(f"{where.document}{token}")
    return _file_pointer(token, where.folder, where.root)


@lru_cache(maxsize=65536)
def _file_pointer(token: str, folder: str, root: str) -> Pointer | Refused | None:
    """``file.xml#id`` written in *folder* (cached: the same authority files are named
    thousands of times in a corpus)."""
    name, ident = token.split("#", 1)
    if ":" in name or not name.endswith(".xml"):
        return None
    target = _file_target(folder, unquote(name), root)
    return target if isinstance(target, Refused) else Pointer(f"{target}#{ident}")


@lru_cache(maxsize=4096)
def _file_target(folder: str, name: str, root: str) -> str | Refused:
    """The real path of file *name* written in *folder*, if it may be read (cached: the
    same few authority files are named thousands of times)."""
    if "\0" in name:
        return Refused("holds a NUL character; a file name cannot")
    if len(name) > PATH_MAX or any(len(part.encode("utf-8", "surrogatepass")) > NAME_MAX
                                   for part in name.split("/")):
        return Refused(f"names a file whose name is longer than file systems allow "
                       f"({NAME_MAX} bytes a name, {PATH_MAX} a path)")
    try:
        path = os.path.realpath(os.path.join(folder, name))
    except (OSError, ValueError) as exc:  # an odd file system
        return Refused(f"cannot be followed ({exc.__class__.__name__})")
    if os.path.commonpath((path, root)) != root:
        return Refused(f"leads outside the project root ({root}); lint reads nothing there: "
                       f"copy the file into the project")
    return path
