"""The edition's own Schematron rules (``schema/serge-tei.sch``), checked natively.

The shipped ``serge-tei.sch`` is ours, and checking it in Saxon costs each
document a second parse and a walk in Saxon, several times lxml's parse. Its
rules use XPath 2 (maps, ``tokenize``, regular expressions, ``castable as
xs:date``), so they do not translate mechanically (:mod:`.schematron_native`);
this module implements them again, on the lxml tree, with Saxon's findings
exactly:

* the same findings, in the same order (document order, attributes after their
  element, rules in schema order, then sorted by line as the Saxon run sorts
  them), with the same rule ids, severities and XPath 3 locations;
* messages are not retyped: they are read from the schema file, whose
  ``name`` and ``value-of`` parts are filled in here;
* it is used only for a schema file whose bytes are exactly the ones it was
  written for (:data:`IMPLEMENTS`, a SHA-256); any other file runs in Saxon,
  and ``tests/test_edition_rules.py`` fails when the shipped file changes, so
  that both change together. The same test compares the two on every fixture,
  the edition and generated documents.

The three rules that read cross-file facts (a pointer into another file of the
edition, an id used in another file, an authority entry nobody cites) are
*deferred*: :func:`check` returns them as :class:`Deferred` slots that
:func:`resolve` settles once the edition's tables are known. A document is so
parsed once in a run, for its own checks and its facts together.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..findings import Finding, Severity
from ..reading import TEI_NS, XML_NS, Document
from ..resources import schema_dir
from .edition import POINTING, EditionFacts, EditionTables, add_pointing
from .schematron import _SEVERITY, SCH, load_schematron
from .schematron_native import path_of

#: SHA-256 of the ``serge-tei.sch`` these rules implement
IMPLEMENTS = "b65960888e78a868e021be24623651d8f146902a42a470d81ff78730a45eed1f"
SCHEMATRON = "serge-tei.sch"

_XML_ID = f"{{{XML_NS}}}id"
_POINTERS = frozenset({"ref", "who", "corresp", "resp", "next", "prev", "calendar", "source"})
_DATES = frozenset({"when", "notBefore", "notAfter"})
_SPACE = re.compile(r"[ \t\r\n]+")  # XPath's tokenize(): XML white space only
#: matches($t, '^[a-z][a-z0-9+.-]*:', 'i'): a URL scheme
_SCHEME = re.compile(r"[a-z][a-z0-9+.\-]*:", re.IGNORECASE)
_DATE = re.compile(r"-?\d{4}(?:-\d{2}(?:-\d{2})?)?\Z")
_ASCII_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})\Z", re.ASCII)


def _tei(local: str) -> str:
    return f"{{{TEI_NS}}}{local}"


_NAMES = frozenset(_tei(n) for n in ("persName", "placeName", "orgName", "title"))
_ENTRIES = frozenset(_tei(n) for n in ("person", "place", "org"))
_IDNO = {  # idno/@type -> its form (the assertion's regular expression)
    "wikidata": re.compile(r"Q[1-9][0-9]*\Z"),
    "viaf": re.compile(r"[1-9][0-9]{0,21}\Z"),
    "gnd": re.compile(r"(1[0123]?[0-9]{7}[0-9X]|[47][0-9]{6}-[0-9]|[1-9][0-9]{0,7}-[0-9X]"
                      r"|3[0-9]{7}[0-9X])\Z"),
    "geonames": re.compile(r"[1-9][0-9]*\Z"),
    "lccn": re.compile(r"(n|nb|nr|no|ns|sh|sj|sn|sp|gf|dg|mp)([4-9][0-9]|00|20[0-9][0-9])"
                       r"[0-9]{6}\Z"),
}


def implements(path: Path) -> bool:
    """Whether *path* holds exactly the rules of this module."""
    from .results_cache import regular_bytes

    data = regular_bytes(path)
    return data is not None and hashlib.sha256(data).hexdigest() == IMPLEMENTS


# ------------------------------------------------------------ messages from the schema

#: a message part: literal text, or what to write (a name or value this module computes)
_Part = tuple[str, str]


@functools.cache
def _messages() -> dict[str, list[tuple[str, tuple[_Part, ...], str]]]:
    """Each assertion's (rule context, message parts, role), by its id (read once)."""
    root = load_schematron(schema_dir() / SCHEMATRON).getroot()
    out: dict[str, list[tuple[str, tuple[_Part, ...], str]]] = {}
    for rule in root.iter(f"{{{SCH}}}rule"):
        for check in rule.iter(f"{{{SCH}}}assert"):
            out.setdefault(check.get("id", ""), []).append(
                (rule.get("context", ""), tuple(_parts(check)),
                 _role(check, rule)))
    return out


def _role(check: etree._Element, rule: etree._Element) -> str:
    """The assertion's role, else its rule's (as the transpiler takes it)."""
    role = check.get("role")
    return (rule.get("role") if role is None else role) or ""


def _message(rule: str, context: str) -> tuple[tuple[_Part, ...], str]:
    """The message parts and role of assertion *rule* in the rule whose context has *context*
    in it (several rules share an id)."""
    return next((parts, role) for ctx, parts, role in _messages()[rule] if context in ctx)


def _parts(el: etree._Element) -> Iterable[_Part]:
    if el.text:
        yield "text", el.text
    for child in el.iterchildren(tag=etree.Element):
        local = etree.QName(child).localname
        if local == "name":
            yield "name", child.get("path") or "."
        elif local == "value-of":
            yield "value", child.get("select", "")
        else:
            yield from _parts(child)
        if child.tail:
            yield "text", child.tail


# ------------------------------------------------------------ one document

@dataclass(frozen=True)
class Deferred:
    """A finding that depends on the edition's tables; settled by :func:`resolve`.

    *kind* is ``pointers`` (it stands if any of *tokens* is unresolved: those
    marked bad always, the others unless the edition knows them), ``id`` (if
    *key* is used in another file) or ``entry`` (if nobody cites *key*). It is
    located only if it stands (a run rarely has any): *element* is the number
    of its element in document order, *attribute* its attribute, if any.
    """

    kind: str
    element: int
    attribute: str | None
    rule: str
    values: tuple[tuple[str, str], ...]
    key: str = ""
    tokens: tuple[tuple[str, bool], ...] = ()  # (token, unresolved whatever the edition says)


Slot = Finding | Deferred
#: where a document's element is: (line, column, XPath 3 path), by its number in document order
Locator = Callable[[int], tuple[int, int, str]]


@dataclass(frozen=True)
class Tables:
    """What the deferred rules ask of the edition (see :class:`.edition.EditionTables`)."""

    known: Callable[[str], bool]  # a "file.xml#id" that exists
    shared: Callable[[str], bool]  # an id used by more than one file
    cited: Callable[[str], bool]  # a "file.xml#id" that something cites


@dataclass(frozen=True)
class Quick:
    """The edition rules' verdict on a document with no finding of its own: what the
    edition's tables still have to confirm, and the document's edition facts."""

    tokens: frozenset[str]  # pointers into other files: each must be known
    ids: frozenset[str]  # its ids: none may be used in another file
    entries: frozenset[str]  # its authority entries ("file.xml#id"): each must be cited
    facts: EditionFacts

    def clean(self, tables: Tables | None) -> bool:
        """Whether the tables confirm that the document has no finding at all."""
        if tables is None:
            return True
        return all(tables.known(t) for t in self.tokens) and not any(
            tables.shared(i) for i in self.ids) and all(tables.cited(e) for e in self.entries)


def quick(doc: Document, name: str, in_edition: bool) -> Quick | None:
    """A document's verdict in one tight pass, when it has no finding of its own (the
    common case); None when a rule may fire, and :func:`check` must walk it again to find
    and order the findings. Its edition facts come out of the same pass.
    """
    file_name = name if in_edition else ""
    local: set[str] = set()
    # (which kind of pointer, its value): an edition repeats the same pointers often
    pointing: set[tuple[str, str]] = set()
    entries: list[str] = []
    for el in doc.root.iter(etree.Element):
        tag = el.tag
        ranged = False  # serge.date-order may apply: @notBefore or @from is there
        for key, value in el.items():
            if key == _XML_ID:
                local.add(value)
            elif key in _POINTERS or (key == "target" and tag == _CAT_REF):
                pointing.add((_KIND.get(key, "other"), value))
            if key in _DATES or key in _SPANS:
                if key in _RANGE_STARTS:
                    ranged = True
                if (key in _DATES or _dated(tag)) and not _calendar_date(value):
                    return None
        if ranged and _ordered(el) and _disordered(el):
            return None
        kind = _SPECIAL.get(tag)  # type: ignore[arg-type]
        if kind is not None and _special_fires(el, kind, entries):
            return None
    tokens: set[str] = set()
    pointers: set[str] = set()
    cited: set[str] = set()
    for kind, value in pointing:
        if kind != "other":
            add_pointing(kind, value, name, pointers, cited)
        for token in _tokens(value):
            if token.startswith("#"):
                if token[1:] not in local:
                    return None
            elif in_edition and "#" in token and not _SCHEME.match(token):
                file, _, ident = token.partition("#")
                if not (file_name and file == file_name and ident in local):
                    tokens.add(token)
    facts = EditionFacts(frozenset(local), frozenset(pointers), frozenset(cited))
    if not in_edition:
        return Quick(frozenset(tokens), frozenset(), frozenset(), facts)
    return Quick(frozenset(tokens), facts.ids,
                 frozenset(f"{file_name}#{e}" for e in entries), facts)


_CAT_REF = _tei("catRef")
#: the pointing attributes, as edition facts count them (see edition.add_pointing)
_KIND = {name: name if name in ("next", "prev") else "ref" for name in POINTING}
_SPANS = frozenset({"from", "to"})
#: the attributes without which no rule of serge.date-order applies (see _ordered)
_RANGE_STARTS = frozenset({"notBefore", "from"})


def _dated(tag: object) -> bool:
    """Whether @from and @to are dates on an element named *tag*: TEI's, but biblScope."""
    return isinstance(tag, str) and tag.startswith(f"{{{TEI_NS}}}") and \
        tag != _tei("biblScope")


#: elements some element rule looks at, and which rule
_SPECIAL = {**{t: "name" for t in _NAMES}, **{t: "entry" for t in _ENTRIES},
            _tei("bibl"): "bibl", _tei("note"): "note", _tei("idno"): "idno"}


def _ordered(el: etree._Element) -> bool:
    """Whether a rule of serge.date-order applies to *el*."""
    return (el.get("notBefore") is not None and el.get("notAfter") is not None) or (
        el.get("from") is not None and el.get("to") is not None
        and el.tag != _tei("biblScope"))


def _special_fires(el: etree._Element, kind: str, entries: list[str]) -> bool:
    """Whether an element rule fires on *el*; its authority entries go to *entries*."""
    if kind == "name":
        text = el.text
        return not (text and text.strip(" \t\r\n")) and not _normal(_STRING(el))
    if kind in ("entry", "bibl"):
        ident = el.get(_XML_ID)
        parent = el.getparent()
        if ident is not None and (kind == "entry" or (
                parent is not None and parent.tag == _tei("listBibl"))):
            entries.append(ident)
        return False
    if kind == "note":
        kind = el.get("type", "")
        return (kind == "translator" and el.get("n") is None) or (
            kind == "commentary" and _commentary_fails(el))
    form = _IDNO.get(el.get("type", ""))
    return form is not None and not form.match(_normal(_STRING(el)))


def tables_of(tables: EditionTables) -> Tables:
    """What the deferred rules ask of an edition's complete tables.

    Asked once per document: each question is answered from the tables as they are
    (a set of the shared ids, made here, cost the run time quadratic in the edition).
    """
    files_with = tables.files_with
    return Tables(tables.known.__contains__, lambda ident: files_with.get(ident, 0) > 1,
                  tables.cited.__contains__)


def check(doc: Document, name: str, in_edition: bool) -> list[Slot]:
    """The edition rules on one parsed document (that the grammar accepted).

    *name* is its file name; with *in_edition*, the parameters of the Saxon run
    (``file-name``, ``in-edition``): outside the edition, nothing is deferred.
    """
    return _Check(doc, name if in_edition else "", in_edition).run()


def resolve(path: str, slots: list[Slot], tables: Tables | None, locate: Locator
            ) -> list[Finding]:
    """The findings of *slots* for the file shown as *path*, the deferred ones settled with
    *tables* and located by *locate*; sorted by line, as the Saxon run sorts them."""
    out: list[Finding] = []
    for slot in slots:
        if isinstance(slot, Finding):
            out.append(slot)
        elif tables is not None and _stands(slot, tables):
            out.append(_deferred_finding(path, slot, tables, locate))
    out.sort(key=lambda f: (f.line, f.column))
    return out


def locator(doc: Document) -> Locator:
    """Where the elements of *doc* are (its elements numbered once, when first asked)."""
    elements: list[etree._Element] = []

    def locate(number: int) -> tuple[int, int, str]:
        if not elements:
            elements.extend(doc.root.iter(etree.Element))
        el = elements[number]
        line, column = doc.locate(el)
        return line, column, path_of(el)

    return locate


def _stands(slot: Deferred, tables: Tables) -> bool:
    if slot.kind == "id":
        return tables.shared(slot.key)
    if slot.kind == "entry":
        return not tables.cited(slot.key)
    return any(bad or not tables.known(t) for t, bad in slot.tokens)


def _deferred_finding(path: str, slot: Deferred, tables: Tables, locate: Locator) -> Finding:
    values = dict(slot.values)
    if slot.kind == "pointers":
        values[_UNRESOLVED] = ", ".join(t for t, bad in slot.tokens
                                        if bad or not tables.known(t))
    line, column, xpath = locate(slot.element)
    parts, role = _message(slot.rule, _CONTEXTS[slot.rule])
    return Finding(path, line, column, _severity(role), slot.rule, _render(parts, values),
                   xpath=xpath + (_attribute_step(slot.attribute) if slot.attribute else ""))


#: the value-of of serge.ref-resolves that lists the pointers that do not resolve
_UNRESOLVED = "string-join($unresolved, ', ')"
#: where the deferred assertions' messages are, by id (see :func:`_message`)
_CONTEXTS = {"serge.ref-resolves": "@ref", "serge.id-unique": "@xml:id",
             "serge.authority-uncited": "tei:person[@xml:id]"}


def _severity(role: str) -> Severity:
    return _SEVERITY.get(role.strip().lower(), Severity.ERROR)


def _render(parts: tuple[_Part, ...], values: dict[str, str]) -> str:
    text = "".join(v if kind == "text" else values[f"{kind}:{v}" if kind == "name" else v]
                   for kind, v in parts)
    return " ".join(text.split())


def _qname(el: etree._Element) -> str:
    """An element's ``name()``: its name as written, prefix included."""
    local = etree.QName(el).localname
    return f"{el.prefix}:{local}" if el.prefix else local


def _attribute_name(name: str) -> str:
    """An attribute's ``name()``; ``xml:`` is the one prefix of a namespaced attribute here."""
    return "xml:" + name[len(XML_NS) + 2:] if name.startswith(f"{{{XML_NS}}}") else name


def _attribute_step(name: str) -> str:
    if name.startswith("{"):
        uri, _, local = name[1:].partition("}")
        return f"/@Q{{{uri}}}{local}"
    return f"/@{name}"


class _Check:
    """One document's walk: element rules in schema order, then its attributes' rules."""

    def __init__(self, doc: Document, file_name: str, in_edition: bool) -> None:
        self.doc = doc
        self.file_name = file_name
        self.in_edition = in_edition
        self.local_ids = {str(v) for v in doc.root.xpath("//@xml:id",
                                                          namespaces={"xml": XML_NS})}
        self.slots: list[Slot] = []
        self.number = 0  # of the element being checked, in document order

    def run(self) -> list[Slot]:
        for number, el in enumerate(self.doc.root.iter(etree.Element)):
            self.number = number
            self.element(el)
            for name, value in el.items():
                self.attribute(el, str(name), str(value))
        return self.slots

    # -- element rules (3 .. 13)
    def element(self, el: etree._Element) -> None:
        tag = el.tag
        if el.get("notBefore") is not None and el.get("notAfter") is not None:
            self.order(el, "notBefore", "notAfter", "@notBefore and")
        elif el.get("from") is not None and el.get("to") is not None and \
                tag != _tei("biblScope"):
            self.order(el, "from", "to", "@from and")
        if tag in _NAMES and not _normal(_STRING(el)):
            self.add(el, None, "serge.name-empty", "tei:persName", {})
        ident = el.get(_XML_ID)
        if ident is not None and (tag in _ENTRIES or (
                tag == _tei("bibl") and el.getparent() is not None
                and el.getparent().tag == _tei("listBibl"))):  # type: ignore[union-attr]
            self.entry(el, ident)
        if tag == _tei("note"):
            self.note(el)
        elif tag == _tei("idno"):
            self.idno(el)

    def order(self, el: etree._Element, low: str, high: str, context: str) -> None:
        if _later(el.get(low, ""), el.get(high, "")):
            self.add(el, None, "serge.date-order", context,
                     {f"@{low}": el.get(low, ""), f"@{high}": el.get(high, "")})

    def entry(self, el: etree._Element, ident: str) -> None:
        if not self.in_edition:
            return
        target = f"{self.file_name}#{ident}"
        values = (("name:.", _qname(el)), ("@xml:id", ident),
                  ("concat($file-name, '#', @xml:id)", target))
        self.slots.append(Deferred("entry", self.number, None, "serge.authority-uncited",
                                   values, key=target))

    def note(self, el: etree._Element) -> None:
        kind = el.get("type")
        if kind == "translator":
            if el.get("n") is None:
                self.add(el, None, "serge.note-number", "translator", {})
        elif kind == "commentary":
            self.commentary(el)

    def commentary(self, el: etree._Element) -> None:
        values = {"@target": el.get("target", ""), "@resp": el.get("resp", "")}
        if not _commented(el):
            self.add(el, None, "serge.commentary-target", "commentary", values)
        if not _answered(el):
            self.add(el, None, "serge.commentary-resp", "commentary", values)

    def idno(self, el: etree._Element) -> None:
        form = _IDNO.get(el.get("type", ""))
        if form is None:
            return
        value = _STRING(el)
        if not form.match(_normal(value)):
            self.add(el, None, "serge.idno-form", f"'{el.get('type')}'", {".": value})

    # -- attribute rules (0 .. 2)
    def attribute(self, el: etree._Element, name: str, value: str) -> None:
        if name in _POINTERS or (name == "target" and el.tag == _tei("catRef")):
            self.pointers(el, name, value)
        if name == _XML_ID and self.in_edition:
            self.slots.append(Deferred("id", self.number, name, "serge.id-unique",
                                       ((".", value),), key=value))
        dated = name in _DATES or (name in ("from", "to") and isinstance(el.tag, str)
                                   and el.tag.startswith(f"{{{TEI_NS}}}")
                                   and el.tag != _tei("biblScope"))
        if dated and not _calendar_date(value):
            self.add(el, name, "serge.date-calendar", "@when", {".": value})

    def pointers(self, el: etree._Element, name: str, value: str) -> None:
        tokens: list[tuple[str, bool]] = []
        for token in _tokens(value):
            if token.startswith("#"):
                if token[1:] not in self.local_ids:
                    tokens.append((token, True))
            elif "#" in token and not _SCHEME.match(token):
                file, _, ident = token.partition("#")
                if not self.in_edition or (self.file_name and file == self.file_name
                                           and ident in self.local_ids):
                    continue
                tokens.append((token, False))
        if not tokens:
            return
        values = (("name:.", _attribute_name(name)), ("name:..", _qname(el)))
        deferred = Deferred("pointers", self.number, name, "serge.ref-resolves", values,
                            tokens=tuple(tokens))
        if all(bad for _, bad in tokens):  # nothing to wait for: a finding now
            self.slots.append(_deferred_finding(self.doc.path, deferred, _NO_TABLES,
                                                locator(self.doc)))
        else:
            self.slots.append(deferred)

    # -- findings
    def add(self, el: etree._Element, attr: str | None, rule: str, context: str,
            values: dict[str, str]) -> None:
        self.slots.append(self.finding(el, attr, rule, context, values))

    def finding(self, el: etree._Element, attr: str | None, rule: str, context: str,
                values: dict[str, str]) -> Finding:
        parts, role = _message(rule, context)
        names = {"name:.": _attribute_name(attr) if attr else _qname(el)}
        if attr:
            names["name:.."] = _qname(el)
        line, column = self.doc.locate(el)
        xpath = path_of(el) + (_attribute_step(attr) if attr else "")
        return Finding(self.doc.path, line, column, _severity(role), rule,
                       _render(parts, {**values, **names}), xpath=xpath)


#: the tables of a document with nothing deferred to settle
_NO_TABLES = Tables(lambda _: False, lambda _: False, lambda _: False)

_STRING = etree.XPath("string(.)", smart_strings=False)
_COMMENTED = etree.XPath(
    "boolean(ancestor::tei:text//*[@xml:id = $target]"
    "[not(ancestor-or-self::tei:div[@type = 'commentary'])])", namespaces={"tei": TEI_NS})
_RESPONSIBLE = etree.XPath(
    "boolean((/tei:TEI/tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:respStmt"
    " | /tei:TEI/tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:editor)[@xml:id = $resp])",
    namespaces={"tei": TEI_NS})


def _later(low: str, high: str) -> bool:
    """The test of serge.date-order: the earliest day *low* can mean is after the latest
    *high* can mean (compared as strings, as the rule does)."""
    lo = (low + "-01-01")[:10]
    hi = high + ("-12-31" if len(high) == 4 else "-31" if len(high) == 7 else "")
    return not lo <= hi


def _disordered(el: etree._Element) -> bool:
    """Whether serge.date-order fires on *el* (the first of its two rules that matches)."""
    if el.get("notBefore") is not None and el.get("notAfter") is not None:
        return _later(el.get("notBefore", ""), el.get("notAfter", ""))
    return _later(el.get("from", ""), el.get("to", ""))


def _after_hash(value: str | None) -> tuple[str, str]:
    """normalize-space(value), and what follows its first ``#``."""
    normal = _normal(value)
    return normal, normal.partition("#")[2] if "#" in normal else ""


def _commented(el: etree._Element) -> bool:
    """The test of serge.commentary-target."""
    normal, target = _after_hash(el.get("target"))
    return normal.startswith("#") and bool(_COMMENTED(el, target=target))


def _answered(el: etree._Element) -> bool:
    """The test of serge.commentary-resp."""
    normal, resp = _after_hash(el.get("resp"))
    return normal.startswith("#") and bool(_RESPONSIBLE(el, resp=resp))


def _commentary_fails(el: etree._Element) -> bool:
    return not (_commented(el) and _answered(el))


def _normal(value: str | None) -> str:
    """XPath's normalize-space()."""
    return " ".join(_SPACE.split((value or "").strip(" \t\r\n"))) if value else ""


def _tokens(value: str) -> list[str]:
    """XPath 3's tokenize($s): the tokens between runs of XML white space."""
    stripped = value.strip(" \t\r\n")
    return _SPACE.split(stripped) if stripped else []


def _calendar_date(value: str) -> bool:
    """The test of serge.date-calendar: an ISO year, year-month or real calendar day."""
    if not _DATE.match(value):
        return False
    if len(value) == 10:
        return _is_date(value)
    if len(value) == 7:
        return _is_date(value + "-01")
    return True


def _is_date(text: str) -> bool:
    """``text castable as xs:date`` for ``YYYY-MM-DD`` (XSD 1.1: year 0000 exists)."""
    m = _ASCII_DATE.match(text)
    if m is None:
        return False
    year, month, day = (int(g) for g in m.groups())
    if not 1 <= month <= 12 or day < 1:
        return False
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return day <= days


# ------------------------------------------------------------ as a rule set

class EditionRules:
    """The edition's rules as a compiled Schematron is used: one document and its
    parameters (those :meth:`.edition.EditionTables.params_for` gives the Saxon run)."""

    label = SCHEMATRON

    def validate(self, doc: Document, params: Mapping[str, str | int | bool] | None = None
                 ) -> list[Finding]:
        """The findings of the Saxon run of ``serge-tei.sch`` on *doc* with *params*."""
        values = params or {}
        in_edition = values.get("in-edition") is True
        name = str(values.get("file-name", "")) if in_edition else ""
        tables = _tables_from(values) if in_edition else None
        found = quick(doc, name, in_edition)
        if found is not None and found.clean(tables):
            return []
        return resolve(doc.path, check(doc, name, in_edition), tables, locator(doc))


def _tables_from(params: Mapping[str, str | int | bool]) -> Tables:
    """The parts of the edition's tables that *params* hold (see the schema's lets)."""
    known = frozenset(_tokens(str(params.get("known-targets", ""))))
    others = frozenset(_tokens(str(params.get("other-ids", ""))))
    cited = frozenset(_tokens(str(params.get("cited-targets", ""))))
    return Tables(known.__contains__, others.__contains__, cited.__contains__)
