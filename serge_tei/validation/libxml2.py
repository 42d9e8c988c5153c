"""libxml2 through lxml: the hardened schema-file parser, and the RelaxNG engine for small schemas.

libxml2 compiles small schemas in milliseconds but takes 15 s for ``tei_all``
and reports only the first error inside an element, without columns: large
schemas go to our own engine (:mod:`serge_tei.validation.relaxng`) or to jing
(:mod:`.jing`); :mod:`.engines` decides.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from lxml import etree

from ..errors import SchemaError
from ..findings import Finding, Severity
from ..reading import Document, private_schema_copy, read_schema

RNG_NS = "http://relaxng.org/ns/structure/1.0"
TEI_NS = "http://www.tei-c.org/ns/1.0"


def read_schema_tree(path: Path) -> etree._ElementTree:
    """Parse a trusted schema file with the hardened schema reader (no DOCTYPE, no entities,
    no network, never blocking on a FIFO); SchemaError if unusable."""
    return read_schema(path, root=Path(path.absolute().anchor))


class LxmlRelaxNG:
    """A RelaxNG schema compiled once by libxml2.

    libxml2 reads a schema's includes itself, with its own parser. A trusted
    schema (*root* None) is compiled where it is; a schema the data chose is
    compiled from a private copy of exactly the files the hardened schema reader
    checked, inside *root* (:func:`serge_tei.reading.private_schema_copy`), so
    that libxml2 opens nothing else.
    """

    name = "lxml"

    def __init__(self, path: Path, tree: etree._ElementTree | None = None, *,
                 root: Path | None = None) -> None:
        self.path = path
        if tree is not None or root is None:
            self._schema = self._compile(tree if tree is not None else read_schema_tree(path))
            return
        with tempfile.TemporaryDirectory(prefix="serge-tei-rng-") as private:
            copy = private_schema_copy(path, root, private)
            self._schema = self._compile(read_schema(copy, root=private),
                                         (private, str(root.resolve())))

    def _compile(self, tree: etree._ElementTree, copied: tuple[str, str] | None = None
                 ) -> etree.RelaxNG:
        """Compile; *copied*: (private folder, project folder), to name files as they are."""
        try:
            return etree.RelaxNG(tree)
        except etree.RelaxNGParseError as exc:
            message = str(exc) if copied is None else str(exc).replace(*copied)
            raise SchemaError(f"not a usable RelaxNG schema: {message}",
                              path=str(self.path)) from None

    def validate(self, doc: Document) -> list[Finding]:
        if self._schema.validate(doc.tree):
            return []
        found = [(self._finding(doc, entry), entry.type_name == _SUMMARY)
                 for entry in self._schema.error_log]
        # "failed to validate attributes" only sums up a more precise finding on the element
        precise = {f.xpath for f, summary in found if not summary}
        return [f for f, summary in found if not (summary and f.xpath in precise)]

    def _finding(self, doc: Document, entry: etree._LogEntry) -> Finding:
        element = _element_for(doc, entry)
        line, col = doc.locate(element) if element is not None else (entry.line, entry.column)
        name = etree.QName(element).localname if element is not None else "element"
        return Finding(doc.path, line, col, Severity.ERROR, "rng." + libxml2_rule(entry.type_name),
                       explain_libxml2(entry.message, name),
                       xpath=doc.tree.getpath(element) if element is not None else "")


def _element_for(doc: Document, entry: etree._LogEntry) -> etree._Element | None:
    """The element an error log entry is about: libxml2 gives only a line."""
    if entry.path:
        try:
            found = doc.tree.xpath(entry.path)
        except etree.XPathError:
            found = []
        if found and isinstance(found[0], etree._Element):
            return found[0]
    names = re.findall(r"[Ee]lement (?:\{[^}]*\})?([\w.-]+)", entry.message)
    candidates = [el for el in doc.root.iter(tag=etree.Element) if el.sourceline == entry.line]
    for el in candidates:
        if names and etree.QName(el).localname == names[0]:
            return el
    return candidates[0] if candidates else None


#: libxml2's error types (``RELAXNG_ERR_…``) that are about a value or an attribute;
#: every other one is about content (see the README's table of rule ids)
_DATATYPE_ERRORS = frozenset({"TYPE", "TYPEVAL", "TYPECMP", "DUPID", "LISTEXTRA", "LISTEMPTY",
                              "DATAELEM", "VALELEM", "LISTELEM", "DATATYPE", "VALUE", "LIST",
                              "EXTRADATA", "LACKDATA"})
_ATTRIBUTE_ERRORS = frozenset({"ATTRNAME", "ATTRNONS", "ATTRWRONGNS", "ATTREXTRANS",
                               "ATTRVALID", "INVALIDATTR", "NOATTR"})
#: the error type that only sums up the element's other attribute errors
_SUMMARY = "RELAXNG_ERR_ATTRVALID"


def libxml2_rule(type_name: str) -> str:
    """``datatype``, ``attribute`` or ``content``: the kind of a libxml2 RelaxNG error.

    libxml2 cannot always tell a bad value from an attribute not allowed
    ("Invalid attribute when for element date" is both); jing, when installed,
    re-checks every file libxml2 finds invalid and its more precise verdict
    replaces these (see :mod:`.jing`).
    """
    kind = type_name.removeprefix("RELAXNG_ERR_")
    if kind in _DATATYPE_ERRORS:
        return "datatype"
    if kind in _ATTRIBUTE_ERRORS:
        return "attribute"
    return "content"


#: ``{http://www.tei-c.org/ns/1.0}`` as engines write it before a TEI element's name
TEI_BRACES = re.compile(r"\{" + re.escape(TEI_NS) + r"\}")


def explain_libxml2(message: str, element: str = "element") -> str:
    """libxml2's RelaxNG messages in words a TEI encoder reads."""
    msg = TEI_BRACES.sub("", message.strip())
    if re.match(r"^Expecting an element\s*, got nothing$", msg):
        return f"<{element}> is incomplete: a required child element is missing at its end"
    rules = [
        (r"^Element (\S+) failed to validate attributes$",
         r"<\1> has a missing, unexpected or malformed attribute"),
        (r"^Invalid attribute (\S+) for element (\S+)$", r"<\2> may not have @\1 here"),
        (r"^Element (\S+) failed to validate content$", r"the content of <\1> is not allowed"),
        (r"^Expecting element (\S+), got (\S+)$", r"expected <\1> here, found <\2>"),
        (r"^Did not expect element (\S+) there$", r"<\1> is not allowed here"),
        (r"^Element (\S+) has extra content: (\S+)$", r"<\1> has unexpected content: <\2>"),
        (r"^Expecting an element (\S+), got nothing$", r"<\1> is required here but missing"),
        (r"^Type (\S+) doesn't allow value '(.*)'$", r"'\2' is not a valid \1 value"),
        (r"^Element (\S+) is not empty$", r"<\1> must be empty"),
        (r"^Error validating datatype (\S+)$", r"a value is not a valid \1"),
    ]
    for pattern, repl in rules:
        if re.match(pattern, msg):
            return re.sub(pattern, repl, msg)
    return msg
