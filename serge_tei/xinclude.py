"""XInclude, resolved by the hardened reader: local files inside the project root only.

EpiDoc projects (every ISicily inscription, for one) put shared parts of their
headers in other files and ``xi:include`` them, with an ``xi:fallback`` for
readers that cannot follow. Here an include is resolved when it names a file
(a relative path, no URL) inside the project root; that file is read like any
document (regular file, size cap, no DOCTYPE, no entities, no network), and
all the files one document includes count together against ``max-bytes``.
Includes in included files are resolved too, up to :data:`MAX_DEPTH` levels,
and a loop is refused.

What cannot be resolved (a URL, a path outside the root, a missing or
over-size file, an XPointer scheme not supported) is replaced by the
include's ``xi:fallback``, or else refused with the include's line and
column. What XInclude calls a fatal error (an included file that is not
well-formed, or has a DOCTYPE; a loop; a malformed include) is refused even
with a fallback.

Supported: ``parse="xml"`` (the default) and ``parse="text"``; ``xpointer``
as a bare id, the ``element()`` scheme, or ``xmlns()``/``xpointer()`` with an
XPath 1.0 expression (lxml's XPath reads no document). No ``xml:base`` or
``xml:lang`` fix-up is added: findings inside included content are reported
at the ``xi:include`` that brought it in.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from .errors import SergeTeiError

XINCLUDE_NSS = ("http://www.w3.org/2001/XInclude", "http://www.w3.org/2003/XInclude")
#: includes within included files: deeper than this is refused
MAX_DEPTH = 10
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_NCNAME = re.compile(r"^[^\W\d][\w.\-]*$")
_SCHEME = re.compile(r"(\w+)\(((?:[^()^]|\^.)*)\)")


class Unresolved(Exception):
    """An include that cannot be followed: its fallback is used, if it has one."""


class Fatal(Exception):
    """An include that must be refused, fallback or not."""


@dataclass
class Reader:
    """What resolving needs from the reader: its file reading and parsing, and the bounds."""

    #: (path, shown) -> bytes, with the reader's file checks and size cap
    read: Callable[[Path, str], bytes]
    #: (bytes, shown) -> parsed root, with the reader's parser and DOCTYPE refusal
    parse: Callable[[bytes, str], etree._Element]
    root: Path
    budget: int  # bytes all included files may add up to
    used: int = 0
    stack: list[tuple[Path, str]] = field(default_factory=list)


def includes_in(element: etree._Element) -> list[etree._Element]:
    """The outermost ``xi:include`` elements in *element* (those inside fallbacks excluded)."""
    found = []
    for el in element.iter(*(f"{{{ns}}}include" for ns in XINCLUDE_NSS)):
        if not any(a.tag in _FALLBACKS for a in el.iterancestors()):
            found.append(el)
    return found


_FALLBACKS = {f"{{{ns}}}fallback" for ns in XINCLUDE_NSS}


def resolve(root: etree._Element, origin: Path | None, reader: Reader, depth: int = 0
            ) -> list[tuple[etree._Element, etree._Element]]:
    """Resolve every include under *root* in place (*origin*: the file it was read from).

    Returns ``(include, element put in its place)`` pairs, for locating what was
    included; raises :class:`Fatal` or :class:`Unresolved` (no fallback) with
    the include element as the exception's second argument.
    """
    placed: list[tuple[etree._Element, etree._Element]] = []
    for include in includes_in(root):
        nodes, inner = _content(include, origin, reader, depth)
        placed.extend(inner)
        placed.extend((include, el) for el in _replace(include, nodes))
    return placed


def _content(include: etree._Element, origin: Path | None, reader: Reader, depth: int
             ) -> tuple[list[etree._Element | str], list[tuple[etree._Element, etree._Element]]]:
    """What replaces *include*: the included content, else its fallback's (resolved too)."""
    fallback = _fallback_of(include)
    try:
        return _included(include, origin, reader, depth), []
    except Unresolved as exc:
        if fallback is None:
            raise Unresolved(f"{exc.args[0]}; add an <xi:fallback>, or inline the content",
                             include) from None
    holder = etree.Element("holder")  # the fallback's own nodes, moved (they keep their place)
    holder.text = fallback.text
    for child in list(fallback):
        holder.append(child)
    inner = resolve(holder, origin, reader, depth)
    nodes: list[etree._Element | str] = [holder.text] if holder.text else []
    for child in list(holder):
        tail, child.tail = child.tail, None
        holder.remove(child)
        nodes.append(child)
        if tail:
            nodes.append(tail)
    return nodes, inner


def _fallback_of(include: etree._Element) -> etree._Element | None:
    fallbacks = [c for c in include if isinstance(c.tag, str) and c.tag in _FALLBACKS]
    others = [c for c in include if isinstance(c.tag, str) and c.tag not in _FALLBACKS
              and etree.QName(c).namespace in XINCLUDE_NSS]
    if len(fallbacks) > 1 or others:
        raise Fatal("an <xi:include> may hold one <xi:fallback> and no other XInclude element",
                    include)
    return fallbacks[0] if fallbacks else None


def _included(include: etree._Element, origin: Path | None, reader: Reader, depth: int
              ) -> list[etree._Element | str]:
    href = (include.get("href") or "").strip()
    parse = include.get("parse", "xml")
    pointer = include.get("xpointer")
    if parse not in ("xml", "text"):
        raise Fatal(f'parse="{parse}": XInclude knows "xml" and "text"', include)
    if not href:
        raise Unresolved("an include within the same document is not processed")
    if _URL.match(href) or href.startswith(("/", "\\")):
        raise Unresolved(f"{href} is not a relative path: remote or absolute includes are "
                         "never followed")
    if origin is None:
        raise Unresolved(f"{href}: a document given as a tree has no folder to resolve from")
    target = _inside(origin.parent / unquote(href), reader.root, href)
    key = (target, pointer or "")
    if key in reader.stack:
        raise Fatal(f"{href} includes itself (an XInclude loop)", include)
    if depth >= MAX_DEPTH:
        raise Fatal(f"{href}: includes nested more than {MAX_DEPTH} deep", include)
    data = _read(target, href, reader)
    if parse == "text":
        return [_text(data, include.get("encoding") or "utf-8", href)]
    try:
        root = reader.parse(data, href)
    except SergeTeiError as exc:
        raise Fatal(f"{href}: {exc.message}", include) from None
    reader.stack.append(key)
    try:
        resolve(root, target, reader, depth + 1)
    except (Unresolved, Fatal) as exc:  # inside the included file: refused here, fallback or not
        raise Fatal(f"{href}: {exc.args[0]}", include) from None
    finally:
        reader.stack.pop()
    return list(_select(root, pointer, href))


def _inside(path: Path, root: Path, href: str) -> Path:
    try:
        real = path.resolve(strict=True)
    except FileNotFoundError:
        raise Unresolved(f"{href} was not found") from None
    except (OSError, RuntimeError):
        raise Unresolved(f"{href} cannot be resolved") from None
    if not real.is_relative_to(root.resolve()):
        raise Unresolved(f"{href} is outside the project folder {root.resolve()}; files there "
                         "are never read")
    return real


def _read(target: Path, href: str, reader: Reader) -> bytes:
    try:
        data = reader.read(target, href)
    except SergeTeiError as exc:
        raise Unresolved(f"{href}: {exc.message}") from None
    reader.used += len(data)
    if reader.used > reader.budget:
        raise Unresolved(f"{href}: the included files add up to more than {reader.budget:,} "
                         "bytes (max-bytes)")
    return data


def _text(data: bytes, encoding: str, href: str) -> str:
    try:
        text = data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        raise Unresolved(f"{href} is not text in {encoding}") from None
    if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text):
        raise Unresolved(f"{href} holds characters XML does not allow")
    return text


def _select(root: etree._Element, pointer: str | None, href: str
            ) -> list[etree._Element | str]:
    """What *pointer* selects in the included document (the whole of it without one)."""
    if not pointer:
        return [root]
    pointer = pointer.strip()
    if _NCNAME.match(pointer):
        return _by_id(root, pointer, href)
    namespaces: dict[str, str] = {}
    for scheme, body in _SCHEME.findall(pointer):
        body = re.sub(r"\^(.)", r"\1", body)
        if scheme == "xmlns" and "=" in body:
            prefix, uri = body.split("=", 1)
            namespaces[prefix.strip()] = uri.strip()
        elif scheme == "element":
            found = _element_scheme(root, body, href)
            if found is not None:
                return [found]
        elif scheme == "xpointer":
            found_nodes = _xpath(root, body, namespaces, href)
            if found_nodes:
                return found_nodes
    raise Unresolved(f"{href}: xpointer={pointer!r} selects nothing (or uses a scheme "
                     "that is not supported: a bare id, element() and xpointer() are)")


def _by_id(root: etree._Element, ident: str, href: str) -> list[etree._Element | str]:
    for el in root.iter(tag=etree.Element):
        if el.get("{http://www.w3.org/XML/1998/namespace}id") == ident:
            return [el]
    raise Unresolved(f"{href} has no element with xml:id {ident!r}")


def _element_scheme(root: etree._Element, body: str, href: str) -> etree._Element | None:
    steps = body.split("/")
    node: etree._Element | None
    if steps[0]:
        found = _by_id(root, steps[0], href)
        node = found[0] if isinstance(found[0], etree._Element) else None
    else:
        node = None
    for step in steps[1:]:
        if not step.isdigit():
            return None
        children = [root] if node is None else [c for c in node if isinstance(c.tag, str)]
        index = int(step) - 1
        if not 0 <= index < len(children):
            return None
        node = children[index]
    return node


def _xpath(root: etree._Element, expression: str, namespaces: dict[str, str], href: str
           ) -> list[etree._Element | str]:
    try:
        found = etree.XPath(expression, namespaces=namespaces)(root.getroottree())
    except etree.XPathError as exc:
        raise Unresolved(f"{href}: the XPointer expression cannot be evaluated ({exc})") from None
    if not isinstance(found, list):
        return []
    return [n if isinstance(n, etree._Element) else str(n) for n in found
            if isinstance(n, (etree._Element, str))]


def _replace(include: etree._Element, nodes: list[etree._Element | str]
             ) -> list[etree._Element]:
    """Put *nodes* (elements, copied when they belong to another tree, and text) where
    *include* was; the elements put in."""
    parent = include.getparent()
    if parent is None:
        raise Fatal("the root element cannot be an include", include)
    position = parent.index(include)
    tail = include.tail or ""
    previous = parent[position - 1] if position > 0 else None
    pending = ""
    inserted: list[etree._Element] = []
    for node in nodes:
        if isinstance(node, str):
            pending += node
            continue
        element = node if node.getparent() is None else _copy(node)
        _attach_text(parent, previous, pending)
        pending = ""
        parent.insert(position + len(inserted), element)
        previous = element
        inserted.append(element)
    parent.remove(include)
    _attach_text(parent, previous, pending + tail)
    return inserted


def _copy(node: etree._Element) -> etree._Element:
    from copy import deepcopy

    copy = deepcopy(node)
    copy.tail = None
    return copy


def _attach_text(parent: etree._Element, previous: etree._Element | None, text: str) -> None:
    if not text:
        return
    if previous is None:
        parent.text = (parent.text or "") + text
    else:
        previous.tail = (previous.tail or "") + text
