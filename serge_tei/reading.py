"""The one hardened entry point for reading a user's XML file.

Every command reads documents through :func:`read_document`. It refuses what is
not a regular file without blocking, and a symbolic link leading out of its
folder; caps the size before parsing; parses bytes with lxml with DTDs, entities,
network access and libxml2's XInclude off (and a resolver that denies
everything); and rejects DOCTYPEs (found in the prolog before parsing, so that
an entity bomb is reported as one), excessive nesting, attribute counts or text
node sizes, and non-TEI roots, each with a located message. XIncludes of local
files inside the project root are resolved by :mod:`serge_tei.xinclude`, each
included file read by these same rules; others fall back or are refused. The
threat model is in ``SECURITY.md``; ``tests/data/hostile/`` holds the cases.

Schemas go through the same checks in :func:`read_schema_set` (the schema and
every file it includes), confined to the project folder, and
:func:`private_schema_copy` hands another validator exactly the bytes checked.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin

from lxml import etree

from . import xinclude
from .errors import DocumentRejected, InputError, SchemaError

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XINCLUDE_NSS = ("http://www.w3.org/2001/XInclude", "http://www.w3.org/2003/XInclude")
TEI_ROOTS = (f"{{{TEI_NS}}}TEI", f"{{{TEI_NS}}}teiCorpus")


@dataclass(frozen=True)
class Limits:
    """Resource limits for one document (configurable under ``[tool.serge-tei]``)."""

    max_bytes: int = 64 * 1024 * 1024
    max_depth: int = 200
    max_attributes: int = 100


class _DenyResolver(etree.Resolver):
    """Resolve nothing: any attempt to load an external resource fails."""

    def resolve(self, system_url, public_id, context):  # type: ignore[no-untyped-def]
        raise etree.XMLSyntaxError(f"external resource refused: {system_url}", 0, 0, 0)


def _parser(recover: bool = False) -> etree.XMLParser:
    parser = etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=False,
        recover=recover,
        remove_comments=False,
    )
    parser.resolvers.add(_DenyResolver())
    return parser


_TOKEN = re.compile(
    r"<!--.*?-->|<\?.*?\?>|<!\[CDATA\[.*?\]\]>|<!DOCTYPE(?:[^\[>]|\[.*?\])*>|</|<|\n",
    re.DOTALL,
)


@dataclass
class Document:
    """A parsed, accepted document and the means to locate its elements."""

    path: str
    tree: etree._ElementTree
    text: str
    #: findings the reader made while accepting the document (duplicate ids)
    duplicate_ids: list[tuple[str, etree._Element, etree._Element]] = field(default_factory=list)
    _positions: dict[etree._Element, tuple[int, int]] | None = field(default=None, repr=False)
    _keep: list[etree._Element] = field(default_factory=list, repr=False)
    #: True when XIncludes were resolved: the tree holds more than the text
    xincluded: bool = False
    #: the names (Clark notation) of all its elements, once a walk over the whole tree has
    #: gathered them (the RelaxNG engine's does), for checks that would walk it again
    element_names: frozenset[str] | None = field(default=None, repr=False)
    #: the names (Clark notation) of all its attributes, gathered by the same walk
    attribute_names: frozenset[str] | None = field(default=None, repr=False)

    @property
    def root(self) -> etree._Element:
        return self.tree.getroot()

    def locate(self, element: etree._Element) -> tuple[int, int]:
        """Line and column (1-based) of the ``<`` that opens *element*.

        libxml2 records the line where a start tag *ends* and no column; here
        the k-th start tag of the source text is matched to the k-th element.
        """
        if self._positions is None:
            self._positions = self._index_start_tags()
        return self._positions.get(element, (element.sourceline or 0, 0))

    def _index_start_tags(self) -> dict[etree._Element, tuple[int, int]]:
        starts = _start_tags(self.text)
        # Keep the proxies alive so that identity (and so the dict) stays valid.
        self._keep = list(self.root.iter(tag=etree.Element))
        if len(starts) != len(self._keep):  # should not happen; fall back to lines
            return {el: (el.sourceline or 0, 0) for el in self._keep}
        return dict(zip(self._keep, starts, strict=True))


def _start_tags(text: str) -> list[tuple[int, int]]:
    """(line, column) of every start tag, in document order."""
    out: list[tuple[int, int]] = []
    line, line_start = 1, 0
    for m in _TOKEN.finditer(text):
        tok = m.group()
        if tok == "\n":
            line, line_start = line + 1, m.end()
            continue
        if tok == "<":
            out.append((line, m.start() - line_start + 1))
        elif "\n" in tok:  # a multi-line comment, PI or CDATA section
            line += tok.count("\n")
            line_start = m.start() + tok.rindex("\n") + 1
    return out


def read_document(path: str | os.PathLike[str], limits: Limits = Limits(),
                  display: str | None = None, *, root: Path | None = None) -> Document:
    """Read and parse one user file; raise :class:`InputError` or :class:`DocumentRejected`.

    *root* bounds the files its XIncludes may name (default: its own folder).
    """
    shown = display if display is not None else str(path)
    data = _read_bytes(Path(path), shown, limits)
    return parse_bytes(data, shown, limits, origin=Path(path), root=root)


def read_file(path: str | os.PathLike[str], limits: Limits = Limits(),
              display: str | None = None) -> bytes:
    """The bytes of one user file, after the file checks of :func:`read_document`
    (for a caller that needs them too, say to hash them, before :func:`parse_bytes`)."""
    return _read_bytes(Path(path), display if display is not None else str(path), limits)


def _read_bytes(path: Path, shown: str, limits: Limits) -> bytes:
    path = _confined(path, shown)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise InputError("file not found; check the path", path=shown) from None
    except OSError as exc:
        raise InputError(f"cannot access file: {exc.strerror}", path=shown) from None
    if not stat.S_ISREG(st.st_mode):
        kind = "a directory" if stat.S_ISDIR(st.st_mode) else "not a regular file"
        raise InputError(f"{kind}; give an XML file", path=shown)
    if st.st_size > limits.max_bytes:
        raise InputError(
            f"file is {st.st_size:,} bytes, over the limit of {limits.max_bytes:,}; "
            "raise max-bytes under [tool.serge-tei] if the file is trusted", path=shown)
    try:
        # O_NONBLOCK: a FIFO swapped in after the stat cannot make us wait.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
                     | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        raise InputError(f"cannot open file: {exc.strerror}", path=shown) from None
    with os.fdopen(fd, "rb") as fh:
        opened = os.fstat(fh.fileno())
        if not stat.S_ISREG(opened.st_mode):
            raise InputError("not a regular file; give an XML file", path=shown)
        # Asking for max-bytes at once would allocate that much for every file: ask for
        # its size (and one byte more), and read on only if it grew since.
        expected = min(opened.st_size, limits.max_bytes)
        try:
            data = fh.read(expected + 1)
            if len(data) > expected:
                data += fh.read(limits.max_bytes + 1 - len(data))
        except OSError as exc:  # /proc/self/mem and other files that refuse a plain read
            raise InputError(f"cannot read file: {exc.strerror}", path=shown) from None
    if len(data) > limits.max_bytes:
        raise InputError(f"file is over the limit of {limits.max_bytes:,} bytes", path=shown)
    return data


def _confined(path: Path, shown: str) -> Path:
    """The real path of *path*; a symbolic link may not lead out of its own folder.

    A contributed edition could otherwise carry ``tei/x.xml -> ~/.ssh/id_rsa``
    (or a private TEI file) and have it read, and published by ``build``.
    The real path is opened with ``O_NOFOLLOW``, so a link swapped in after
    this check is not followed either.
    """
    try:
        if not path.is_symlink():
            return path
    except OSError as exc:  # a name too long for the file system, say
        raise InputError(f"cannot access file: {exc.strerror}", path=shown) from None
    try:
        real = path.resolve(strict=True)
    except FileNotFoundError:
        raise InputError("a symbolic link to a missing file; check the path",
                         path=shown) from None
    except (OSError, RuntimeError):  # a loop of links
        raise InputError("a symbolic link that cannot be resolved (a loop?)", path=shown) from None
    if not real.is_relative_to(path.parent.resolve()):
        raise DocumentRejected("a symbolic link leading out of its folder is not followed; "
                               "copy the file in, or give its real path", path=shown)
    return real


def _decode(data: bytes, tree: etree._ElementTree) -> tuple[str, bool]:
    """The document's text, and whether it is exactly the bytes decoded as UTF-8 (the
    document says UTF-8 or ASCII, and they decode as such)."""
    encoding = tree.docinfo.encoding or "utf-8"
    try:
        text = data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        return data.decode("utf-8", errors="replace"), False
    return text, encoding.lower().replace("_", "-") in _UTF8_NAMES


_UTF8_NAMES = frozenset({"utf-8", "utf8", "us-ascii", "ascii"})


def parse_bytes(data: bytes, shown: str, limits: Limits = Limits(), *,
                origin: Path | None = None, root: Path | None = None) -> Document:
    """Parse bytes already read; the checks of :func:`read_document` after the file ones.

    *origin* is the file the bytes came from, *root* the folder its XIncludes
    must stay in (default: *origin*'s); without *origin*, includes fall back.
    """
    if data[:2] == b"\x1f\x8b":
        raise InputError("gzip-compressed data, not XML; decompress it first", path=shown, line=1)
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xfe\xff"):
        raise InputError("empty file; a TEI document needs a <TEI> root element", path=shown)
    doctype = _doctype_line(data)
    if doctype is not None:
        raise _doctype_refused(shown, doctype)
    tree, duplicates = _parse(data, shown, limits)
    text, utf8 = _decode(data, tree)
    doc = Document(path=shown, tree=tree, text=text)
    _check_doctype(doc)
    _check_root(doc)
    if _first_xinclude(doc.root) is not None:
        _resolve_xincludes(doc, origin, root, limits, len(data))
    _check_shape(doc, limits, data if utf8 and not doc.xincluded else None)
    doc.duplicate_ids = _duplicate_ids(doc) if duplicates else []
    return doc


_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
#: the prolog: declaration, comments, PIs and white space, then maybe a DOCTYPE
_PROLOG = re.compile(r"(?:\s+|<\?.*?\?>|<!--.*?-->)*(<!DOCTYPE\b)?", re.DOTALL)


def _doctype_line(data: bytes) -> int | None:
    """The line of a DOCTYPE declaration in the prolog, found without parsing.

    libxml2 gives up on an entity bomb before the DOCTYPE can be seen in the
    parsed tree; the user should still hear that DOCTYPEs are refused, at its line.
    """
    head, encoding = data[:65536], "utf-8"
    for bom, name in _BOMS:
        if head.startswith(bom):
            head, encoding = head[len(bom):], name
            break
    text = head.decode(encoding, errors="replace")
    m = _PROLOG.match(text)
    if m is None or m.group(1) is None:
        return None
    return text.count("\n", 0, m.start(1)) + 1


def _doctype_refused(shown: str, line: int) -> DocumentRejected:
    return DocumentRejected(
        "DOCTYPE declarations are not accepted (DTDs and entities are never read); "
        "remove the DOCTYPE and associate schemas with <?xml-model?>",
        path=shown, line=line, column=1)


def _parse(data: bytes, shown: str, limits: Limits) -> tuple[etree._ElementTree, bool]:
    """Parse strictly; a duplicate xml:id alone does not stop us (it becomes a finding)."""
    parser = _parser()
    try:
        return etree.ElementTree(etree.fromstring(data, parser)), False
    except etree.XMLSyntaxError as exc:
        # The parser's own log: exc.error_log may hold entries of earlier parses.
        errors: list[object] = [e for e in parser.error_log
                                if e.level_name in ("ERROR", "FATAL")] or [exc]
        if all(getattr(e, "type_name", "") == "DTD_ID_REDEFINED" for e in errors):
            return etree.ElementTree(etree.fromstring(data, _parser(recover=True))), True
        first = errors[0]
        line = getattr(first, "line", None) or getattr(exc, "lineno", 0) or 0
        col = getattr(first, "column", None) or 0
        refused = _limit_message(first, limits)
        if refused:
            raise DocumentRejected(refused, path=shown, line=line, column=col) from None
        raise InputError(_syntax_message(first), path=shown, line=line, column=col) from None
    except ValueError as exc:  # e.g. unicode strings with an encoding declaration
        raise InputError(f"not XML: {exc}", path=shown) from None


#: libxml2's own limits without XML_PARSE_HUGE (which would lift them all).
LIBXML2_MAX_DEPTH = 256
LIBXML2_MAX_TEXT = 10_000_000


def _limit_message(error: object, limits: Limits) -> str | None:
    """A clear refusal for libxml2's resource limits, or None for a syntax error."""
    msg = str(getattr(error, "message", error))
    if "Excessive depth" in msg:
        depth = min(limits.max_depth, LIBXML2_MAX_DEPTH)
        return f"elements nested more than {depth} deep; the document is refused"
    if "Text node too long" in msg:
        return (f"a text node longer than {LIBXML2_MAX_TEXT:,} bytes; the document is "
                "refused (split the text into paragraphs)")
    if "amplification" in msg or "entity reference loop" in msg.lower():
        return "entity expansion refused (an entity bomb?)"
    return None


def _syntax_message(error: object) -> str:
    msg = str(getattr(error, "message", error)).strip()
    msg = re.sub(r",? line \d+, column \d+.*$", "", msg)
    return f"not well-formed XML: {msg}"


def _check_doctype(doc: Document) -> None:
    info = doc.tree.docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        m = re.search(r"<!DOCTYPE", doc.text)
        line = doc.text.count("\n", 0, m.start()) + 1 if m else 1
        raise _doctype_refused(doc.path, line)


def _check_root(doc: Document) -> None:
    root = doc.root
    if root.tag in TEI_ROOTS:
        return
    found = etree.QName(root).localname if isinstance(root.tag, str) else "?"
    ns = etree.QName(root).namespace if isinstance(root.tag, str) else None
    where = f"in namespace {ns}" if ns else "in no namespace"
    raise InputError(
        f"not a TEI document: root element <{found}> {where}; expected <TEI> or "
        f"<teiCorpus> in {TEI_NS}", path=doc.path, line=root.sourceline or 1, column=1)


def _check_shape(doc: Document, limits: Limits, data: bytes | None = None) -> None:
    """Nesting, attribute counts and names within what the engines after the reader take.

    *data*: the document's bytes when its text is exactly them decoded as UTF-8 and it
    resolved no XInclude (the names are then checked from them).
    """
    # Compiled XPath runs in C: a Python walk over every element cost more than the parse.
    too_deep = _deeper_than(limits.max_depth)(doc.root)
    if too_deep:
        raise DocumentRejected(
            f"elements nested more than {limits.max_depth} deep; the document is refused",
            path=doc.path, line=too_deep[0].sourceline or 0)
    # Yes or no first, asking for an attribute by its position rather than counting them
    # (a third of the time); the element is looked for only in a document that has one.
    if _has_more_attributes_than(limits.max_attributes)(doc.root):
        el = _more_attributes_than(limits.max_attributes)(doc.root)[0]
        raise DocumentRejected(
            f"<{etree.QName(el).localname}> has {len(el.attrib)} attributes, over the "
            f"limit of {limits.max_attributes}", path=doc.path, line=el.sourceline or 0)
    _check_names(doc, data)


def _resolve_xincludes(doc: Document, origin: Path | None, root: Path | None, limits: Limits,
                       size: int) -> None:
    """Resolve the document's XIncludes (see :mod:`serge_tei.xinclude`), or refuse it at the
    include that cannot be; included elements are located at their include."""
    positions = doc._index_start_tags()
    base = root if root is not None else (origin.resolve().parent if origin is not None
                                          else Path.cwd())
    reader = xinclude.Reader(read=lambda path, shown: _read_bytes(path, shown, limits),
                             parse=lambda data, shown: _parse_included(data, shown, limits),
                             root=base, budget=max(limits.max_bytes - size, 0))
    try:
        placed = xinclude.resolve(doc.root, origin, reader)
    except (xinclude.Unresolved, xinclude.Fatal) as exc:
        message, include = exc.args
        line, column = positions.get(include, (include.sourceline or 0, 0))
        raise DocumentRejected(f"XInclude: {message}", path=doc.path, line=line,
                               column=column) from None
    for include, element in placed:
        where = positions.get(include)
        if where is not None:
            for inner in element.iter(tag=etree.Element):
                positions.setdefault(inner, where)
    doc._keep = list(doc.root.iter(tag=etree.Element))
    doc._positions = {el: positions.get(el, (el.sourceline or 0, 0)) for el in doc._keep}
    doc.xincluded = True


def _parse_included(data: bytes, shown: str, limits: Limits) -> etree._Element:
    """An included XML file, parsed like a document (no DOCTYPE, no entities, no network)."""
    doctype = _doctype_line(data)
    if doctype is not None:
        raise _doctype_refused(shown, doctype)
    tree, _ = _parse(data, shown, limits)
    return tree.getroot()


#: characters of names that every XML 1.0 edition allows (the rest are looked at one by one)
_ASCII_NAME = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._:"
_OTHER = f"translate(name(), '{_ASCII_NAME}', '') != ''"
#: elements, attributes and processing instructions whose names are not plain ASCII
_NON_ASCII_NAMES = etree.XPath(f"//*[{_OTHER}] | //@*[{_OTHER}] | //processing-instruction()"
                               f"[{_OTHER}]")
_PREFIXES = re.compile(r"xmlns:([^\s=/>]+)")
_ASCII_BYTES = bytes(range(128))


def _check_names(doc: Document, data: bytes | None = None) -> None:
    """Refuse names that libxml2 takes but Saxon and jing do not: XML 1.0 before its fifth
    edition allowed far fewer characters in names (``<p \ufeffn="1">`` is one of them).

    The reader must not accept what the engines after it refuse: Saxon would
    fail on the document with a less helpful message (exit 3). Most documents'
    names are ASCII, and a document that is all ASCII is not looked at.
    """
    # The text's non-ASCII characters alone (dropping ASCII bytes from UTF-8 leaves whole
    # characters); umlauts, accents, „quotes“ and dashes are not new: most texts stop here.
    if data is not None:  # the text encoded already (see _check_shape)
        if data.isascii():
            return
        rest = data.translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass")
        text = doc.text
    else:
        # With XIncludes resolved, the names of the included files are in the tree, not
        # the text.
        text = etree.tostring(doc.tree, encoding="unicode") if doc.xincluded else doc.text
        if text.isascii():
            return
        rest = text.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES).decode(
            "utf-8", "surrogatepass")
    if not _newer_name_chars().search(rest):
        return
    from .validation.relaxng.xmlchars import NAME_CHAR, NAME_START

    for node in _NON_ASCII_NAMES(doc.tree):  # local names; prefixes are checked below
        if isinstance(node, etree._ElementUnicodeResult):  # an attribute: its parent says where
            name, element = etree.QName(node.attrname or "").localname, node.getparent()
        elif isinstance(node, etree._ProcessingInstruction):
            name, element = str(node.target), node
        else:
            name, element = etree.QName(node).localname, node
        bad = _bad_name_char(name, NAME_START, NAME_CHAR)
        if bad is not None:
            raise _name_refused(doc, element, name, bad)
    for prefix in set(_PREFIXES.findall(text)):
        bad = _bad_name_char(prefix, NAME_START, NAME_CHAR)
        if bad is not None:
            raise _name_refused(doc, None, f"xmlns:{prefix}", bad)


#: XML 1.0 fifth edition's NameChar (production 4a) as code point ranges
_FIFTH_EDITION_NAME_CHAR = (
    (0x2D, 0x2E), (0x30, 0x3A), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A), (0xB7, 0xB7),
    (0xC0, 0xD6), (0xD8, 0xF6), (0xF8, 0x37D), (0x37F, 0x1FFF), (0x200C, 0x200D),
    (0x203F, 0x2040), (0x2070, 0x218F), (0x2C00, 0x2FEF), (0x3001, 0xD7FF), (0xF900, 0xFDCF),
    (0xFDF0, 0xFFFD), (0x10000, 0xEFFFF))


@functools.cache
def _newer_name_chars() -> re.Pattern[str]:
    """The characters names may hold since XML 1.0's fifth edition but not before."""
    from .validation.relaxng.xmlchars import NAME_CHAR

    newer: list[tuple[int, int]] = []
    for low, high in _FIFTH_EDITION_NAME_CHAR:
        for old_low, old_high in NAME_CHAR:  # sorted: cut each older range out, in turn
            if old_high < low or old_low > high:
                continue
            if old_low > low:
                newer.append((low, old_low - 1))
            low = max(low, old_high + 1)
            if low > high:
                break
        if low <= high:
            newer.append((low, high))
    return re.compile("[" + "".join(f"{chr(a)}-{chr(b)}" for a, b in newer) + "]")


def _bad_name_char(name: str, start: tuple[tuple[int, int], ...],
                   rest: tuple[tuple[int, int], ...]) -> str | None:
    """The first character of *name* that XML 1.0 (second edition) names do not allow."""
    for i, char in enumerate(name):
        if not _in_ranges(ord(char), start if i == 0 else rest):
            return char
    return None


def _in_ranges(code: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(low <= code <= high for low, high in ranges)


def _name_refused(doc: Document, element: etree._Element | None, name: str, char: str
                  ) -> DocumentRejected:
    if element is None:  # a namespace prefix: the line of its declaration
        line, col = doc.text.count("\n", 0, doc.text.find(name)) + 1, 0
    elif isinstance(element.tag, str):
        line, col = doc.locate(element)
    else:
        line, col = element.sourceline or 0, 0
    shown = name.replace(char, f"\\u{ord(char):04X}")
    return DocumentRejected(
        f"the name {shown} holds U+{ord(char):04X}, a character that XML 1.0 allows in names "
        "only since its fifth edition; Saxon and jing refuse it, so rename it",
        path=doc.path, line=line, column=col)


@functools.lru_cache(maxsize=8)
def _deeper_than(depth: int) -> etree.XPath:
    # The root is at depth 1, so an element at depth + 1 sits below `depth` steps of *;
    # each step visits one level once, which keeps this linear in the document.
    return etree.XPath("(self::*" + "/*" * depth + ")[1]")


@functools.lru_cache(maxsize=8)
def _has_more_attributes_than(count: int) -> etree.XPath:
    return etree.XPath(f"boolean(descendant-or-self::*/@*[{int(count) + 1}])")


@functools.lru_cache(maxsize=8)
def _more_attributes_than(count: int) -> etree.XPath:
    return etree.XPath(f"(descendant-or-self::*[count(@*) > {int(count)}])[1]")


def _first_xinclude(root: etree._Element) -> etree._Element | None:
    """The first XInclude element, by lxml's iterator: it matches the namespace in C (an
    XPath testing namespace-uri() on every element cost as much as the parse)."""
    return next(root.iter(*(f"{{{ns}}}*" for ns in XINCLUDE_NSS)), None)


def _duplicate_ids(doc: Document) -> list[tuple[str, etree._Element, etree._Element]]:
    seen: dict[str, etree._Element] = {}
    dups = []
    for el in doc.root.iter(tag=etree.Element):
        value = el.get(f"{{{XML_NS}}}id")
        if value is None:
            continue
        if value in seen:
            dups.append((value, seen[value], el))
        else:
            seen[value] = el
    return dups


# ------------------------------------------------------------ schemas

RNG_NS = "http://relaxng.org/ns/structure/1.0"
#: files one schema may read: itself, its includes and external references
MAX_SCHEMA_FILES = 1000
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_REFERRERS = (f"{{{RNG_NS}}}include", f"{{{RNG_NS}}}externalRef")


@dataclass
class SchemaSet:
    """A RelaxNG schema and every file it reads, each checked by the hardened schema reader.

    ``files`` holds the bytes that were checked (the main schema first), so
    that what is compiled, hashed or handed to another validator is exactly
    what was checked, whatever happens to the files on disk afterwards.
    """

    main: Path
    root: Path
    files: dict[Path, bytes] = field(default_factory=dict)
    trees: dict[Path, etree._ElementTree] = field(default_factory=dict)

    def relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def digest(self) -> str:
        """SHA-256 of the whole set: every file's place under the root and its bytes."""
        h = hashlib.sha256(self.relative(self.main).encode() + b"\0")
        for path in sorted(self.files, key=self.relative):
            data = self.files[path]
            h.update(f"{self.relative(path)}\0{len(data)}\0".encode())
            h.update(data)
        return h.hexdigest()


def schema_bytes(path: str | os.PathLike[str], *, root: str | os.PathLike[str],
                 limits: Limits = Limits()) -> tuple[Path, bytes]:
    """The real path and bytes of one schema file inside *root*, read like a document.

    A regular file only, opened without blocking (a FIFO never hangs), within
    the size limit, and inside *root* once symbolic links are resolved.
    Raises :class:`SchemaError`.
    """
    shown = str(path)
    real = _inside(Path(path), Path(root), shown)
    try:
        data = _read_bytes(real, shown, limits)
    except (InputError, DocumentRejected) as exc:
        raise SchemaError(exc.message, path=shown, line=exc.line) from None
    return real, data


def _inside(path: Path, root: Path, shown: str) -> Path:
    """The real path of *path*, which must lie inside *root* before and after resolving links.

    The lexical check comes first, so that nothing is even looked up outside
    the root (a refusal says nothing about what exists there).
    """
    try:
        base = root.resolve(strict=True)
    except (OSError, RuntimeError):
        raise SchemaError(f"the project folder {root} cannot be read", path=shown) from None
    outside = SchemaError(f"the schema file is outside the project folder {base}; schemas are "
                          "only read from inside it (copy the file in)", path=shown)
    lexical = Path(os.path.normpath(os.path.abspath(path)))
    if not (lexical.is_relative_to(os.path.normpath(os.path.abspath(root)))
            or lexical.is_relative_to(base)):
        raise outside
    try:
        real = path.resolve(strict=True)
    except FileNotFoundError:
        raise SchemaError("schema file not found; check the path", path=shown) from None
    except (OSError, RuntimeError):
        raise SchemaError("the schema path cannot be resolved (a loop of symbolic links?)",
                          path=shown) from None
    if not real.is_relative_to(base):
        raise outside
    return real


def parse_schema(data: bytes, real: Path, limits: Limits = Limits(),
                 shown: str | None = None) -> etree._ElementTree:
    """Parse schema bytes: no DOCTYPE (refused at its line before lxml sees it), no entities,
    no network, no XInclude, nesting within the limit. Raises :class:`SchemaError`."""
    where = shown if shown is not None else str(real)
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xfe\xff"):
        raise SchemaError("empty file; a RelaxNG schema in XML syntax is expected", path=where)
    doctype = _doctype_line(data)
    if doctype is not None:
        raise _schema_doctype(where, doctype)
    parser = _parser()
    try:
        tree = etree.ElementTree(etree.fromstring(data, parser, base_url=str(real)))
    except etree.XMLSyntaxError as exc:
        errors: list[object] = [e for e in parser.error_log
                                if e.level_name in ("ERROR", "FATAL")] or [exc]
        first = errors[0]
        line = getattr(first, "line", None) or getattr(exc, "lineno", 0) or 0
        col = getattr(first, "column", None) or 0
        message = _limit_message(first, limits) or _syntax_message(first)
        raise SchemaError(f"schema refused: {message}", path=where, line=line,
                          column=col) from None
    except ValueError as exc:
        raise SchemaError(f"schema is not XML: {exc}", path=where) from None
    info = tree.docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        raise _schema_doctype(where, 1)
    root = tree.getroot()
    too_deep = _deeper_than(min(limits.max_depth, LIBXML2_MAX_DEPTH))(root)
    if too_deep:
        raise SchemaError(f"schema elements nested more than {limits.max_depth} deep; "
                          "the schema is refused", path=where, line=too_deep[0].sourceline)
    included = _first_xinclude(root)
    if included is not None:
        raise SchemaError("XInclude is not processed in schemas; use RELAX NG's <include>",
                          path=where, line=included.sourceline)
    return tree


def _schema_doctype(shown: str, line: int) -> SchemaError:
    return SchemaError("DOCTYPE declarations are not accepted in schemas (DTDs and entities "
                       "are never read); remove the DOCTYPE", path=shown, line=line, column=1)


def read_schema(path: str | os.PathLike[str], *, root: str | os.PathLike[str],
                limits: Limits = Limits()) -> etree._ElementTree:
    """One schema file through every check of :func:`schema_bytes` and :func:`parse_schema`."""
    real, data = schema_bytes(path, root=root, limits=limits)
    return parse_schema(data, real, limits, shown=str(path))


def schema_href(node: etree._Element, root: str | os.PathLike[str]) -> Path:
    """The file an ``include`` or ``externalRef`` names, resolved against the node's base.

    URLs are refused (a schema is never fetched), so are absolute paths,
    absolute ``xml:base``, fragments, and any file outside *root*: a private
    copy of the schema set then resolves every reference exactly as here.
    Raises :class:`SchemaError` at the node's line.
    """
    base = node.base or ""
    where = node.getroottree().docinfo.URL or base
    href = (node.get("href") or "").strip()
    tag = f"<{etree.QName(node).localname} href={href!r}>"

    def refused(message: str, line: int | None = node.sourceline) -> SchemaError:
        return SchemaError(message, path=where, line=line)

    if not href:
        raise refused(f"<{etree.QName(node).localname}> without an href")
    if _URL.match(href):
        raise refused(f"{tag}: a URL; schemas are never fetched, so download the file into "
                      "the project and give its relative path")
    if href.startswith(("/", "\\")):
        raise refused(f"{tag}: an absolute path; give a path relative to the schema")
    if "#" in href:
        raise refused(f"{tag}: RELAX NG does not allow a fragment identifier here")
    for el in (node, *node.iterancestors()):
        value = el.get(f"{{{XML_NS}}}base")
        if value is not None and (_URL.match(value) or value.startswith(("/", "\\"))):
            raise refused(f"xml:base={value!r} is a URL or an absolute path; schemas refer to "
                          "files by relative paths only", el.sourceline)
    target = Path(unquote(urljoin(base, href)))
    try:
        return _inside(target, Path(root), href)
    except SchemaError as exc:
        raise refused(f"{tag}: {exc.message}") from None


def read_schema_set(path: str | os.PathLike[str], *, root: str | os.PathLike[str],
                    limits: Limits = Limits()) -> SchemaSet:
    """*path* and every file it includes or refers to, each through :func:`read_schema`'s checks.

    Hrefs of RELAX NG ``include`` and ``externalRef`` elements are followed
    (not those inside foreign annotations); at most :data:`MAX_SCHEMA_FILES`
    files and ``limits.max_bytes`` bytes in all.
    """
    main, data = schema_bytes(path, root=root, limits=limits)
    schemas = SchemaSet(main=main, root=Path(root).resolve())
    todo = [(main, data, str(path))]
    total = 0
    while todo:
        real, data, shown = todo.pop()
        total += len(data)
        if total > limits.max_bytes:
            raise SchemaError(f"the schema and its includes are over {limits.max_bytes:,} bytes "
                              "in all; raise max-bytes if the schema is trusted", path=shown)
        schemas.files[real] = data
        tree = schemas.trees[real] = parse_schema(data, real, limits, shown=shown)
        for node in tree.getroot().iter(*_REFERRERS):
            if not all(str(a.tag).startswith(f"{{{RNG_NS}}}") for a in node.iterancestors()):
                continue  # inside an annotation: not a reference
            target = schema_href(node, schemas.root)
            if target in schemas.files or any(t == target for t, _, _ in todo):
                continue
            if len(schemas.files) + len(todo) >= MAX_SCHEMA_FILES:
                raise SchemaError(f"the schema reads more than {MAX_SCHEMA_FILES} files",
                                  path=shown, line=node.sourceline)
            real_target, target_data = schema_bytes(target, root=schemas.root, limits=limits)
            todo.append((real_target, target_data, str(target)))
    return schemas


def schema_files(path: str | os.PathLike[str], *, root: str | os.PathLike[str],
                 limits: Limits = Limits()) -> list[Path]:
    """The files the schema at *path* reads (itself first), each checked."""
    return list(read_schema_set(path, root=root, limits=limits).files)


def private_schema_copy(path: str | os.PathLike[str], root: str | os.PathLike[str],
                        dest: str | os.PathLike[str], limits: Limits = Limits()) -> Path:
    """Copy exactly the checked schema set into the folder *dest*; the copy of the main file.

    Every file goes to the same place under *dest* as under *root*, with the
    bytes that were checked, so another validator (jing) given the copy reads
    the same schema and nothing else. *dest* should be a new private folder;
    an existing file there is an error, never overwritten.
    """
    schemas = read_schema_set(path, root=root, limits=limits)
    folder = Path(dest)
    for real, data in schemas.files.items():
        target = folder / schemas.relative(real)
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with open(target, "xb") as fh:
            fh.write(data)
        os.chmod(target, 0o600)
    return folder / schemas.relative(schemas.main)
