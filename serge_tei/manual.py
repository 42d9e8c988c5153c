"""The encoder's manual (``docs/encoding.md``), generated so that it cannot drift.

The element reference comes from the schema: each element's ``a:documentation``
annotation, its attributes and their values, what it may contain. Each example
is a real snippet of the edition, found by an XPath when the manual is generated
(and located by file and line). The editorial policy is the edition's own
``encodingDesc``; the rules beyond the grammar come from ``serge-tei.sch``.

Regenerate with ``serge-tei docs -o docs/encoding.md`` (a test fails when the
committed file differs from a fresh generation).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .reading import TEI_NS, Document, read_document
from .resources import schema_dir

RNG = "http://relaxng.org/ns/structure/1.0"
ANN = "http://relaxng.org/ns/compatibility/annotations/1.0"
SCH = "http://purl.oclc.org/dsdl/schematron"
NS = {"r": RNG, "a": ANN, "t": TEI_NS, "s": SCH}

#: When to use each attribute. The schema's grammar says which values are allowed;
#: this says what they mean. A test fails when the schema allows an attribute that
#: is missing here.
ATTRIBUTES: dict[str, str] = {
    "xml:id": "An identifier unique in the edition: the target of `ref`, `who`, `resp`. "
              "Prefix it with the document's id in texts (`diary-n1`); in authority files, "
              "a short lower-case form of the name (`gide`).",
    "xml:lang": "The language of the element's content, as a BCP 47 code (`fr`, `nl`). "
                "Required on `foreign`; on names and titles when they are not in the text's "
                "language.",
    "ref": "The authority entry the name or title stands for: `persons.xml#gide`, "
           "`places.xml#paris`, `orgs.xml#mia`, `works.xml#notebooks`. Required on every name "
           "in the text.",
    "calendar": "On a `date` whose words count in another calendar than the Gregorian "
                "(the Russian Revolution's Julian \"October\"): points to that calendar's "
                "`calendar` in the header's `calendarDesc`; `@when` stays Gregorian.",
    "cert": "How certain the identification is: `high`, `medium`, `low`, `unknown`. Leave "
            "it out when it is certain; a vague date takes `precision` instead. On a "
            "commentary `note`, how sure the note's statement of the record is.",
    "precision": "How precise a date's normalised value is (`high`, `medium`, `low`, "
                 "`unknown`): \"around 1930\" is `when=\"1930\"` with `precision=\"medium\"`.",
    "source": "Where the words come from: on `quote`, the work quoted "
              "(`works.xml#notebooks`); on an authority `idno`, the reference(s) in the "
              "file's `sourceDesc` in which the editors verified the identifier.",
    "corresp": "On `relatedItem`, the document of the edition that encodes or discusses the "
               "related item (`serge-diary-1936-1937.xml#serge-diary-1936-1937`).",
    "resp": "Who is responsible: on `corr`, `reg`, `supplied`, the editors' `respStmt` "
            "(`#diary-editors`); on a translator's note, the translator "
            "(`persons.xml#fenwick`); on a commentary note, the `respStmt` of the editors "
            "who wrote it (`#diary-commentators`).",
    "when": "An exact ISO 8601 date: `1937`, `1937-05`, `1937-05-18`.",
    "from": "Start of a period (ISO 8601), with `to`; on `biblScope`, the first page.",
    "to": "End of a period (ISO 8601), with `from`; on `biblScope`, the last page.",
    "notBefore": "Earliest possible date when the date is known only within a range "
                 "(\"end of November 1936\" is notBefore 1936-11-16).",
    "notAfter": "Latest possible date of such a range (notAfter 1936-11-30).",
    "n": "A number or label printed in the source, e.g. the footnote marker `1`.",
    "rend": "How the source renders it: `italic`; on `milestone`, the printed sign "
            "(`* * *`).",
    "type": "A classification whose values the schema lists for each element (e.g. a "
            "`div` is a `review`, `preface`, `entry`, ...).",
    "level": "The bibliographic level of a title: `a` article, `m` monograph, `j` journal, "
             "`s` series, `u` unpublished.",
    "unit": "The unit of a `biblScope` (volume, issue, page) or of a `milestone`.",
    "place": "Where a note is printed: `foot`, `end`, `inline`.",
    "reason": "Why the editors supplied text: e.g. `omitted` (a word the source drops).",
    "who": "The speaker of `said`/`q`, or who made a `change`: a pointer to a person or "
           "to a `respStmt`.",
    "next": "The next part of a speech interrupted by other text (a pointer to its xml:id).",
    "prev": "The previous part of an interrupted speech.",
    "target": "The URI of a licence or of an external resource; on a commentary `note`, the "
              "element of the text it is about (`#diary-d-nin`); on `catRef`, a category of "
              "the header's `taxonomy`.",
    "ident": "The BCP 47 code of a `language` in `langUsage`.",
    "status": "On `correction`, how reliable the corrections are: `high`, `medium`, `low`, "
              "`unknown`. On `availability`, whether the text is `free`, `restricted` (in "
              "copyright) or of `unknown` status.",
    "marks": "Whether quotation marks or punctuation are kept in the text: `none`, `some`, "
             "`all`.",
    "eol": "How end-of-line hyphenation was treated: `all`, `some`, `hard`, `none`.",
    "placement": "Whether punctuation is placed inside or outside the elements: `internal`, "
                 "`external`.",
}

#: Where the example of a definition is found, when the element name alone is ambiguous.
CONTEXTS: dict[str, str] = {
    "header": "//t:teiHeader//t:{el}",
    "text": "//t:text//t:{el}[not(ancestor::t:listPerson or ancestor::t:listPlace or "
            "ancestor::t:listOrg or ancestor::t:listBibl)]",
    "preferred": "//t:{el}[@type='preferred']",
    "variant": "//t:{el}[@type='variant']",
    "ident": "//t:{el}[@type='identification']",
    "authority": "//t:{el}[parent::t:person or parent::t:place or parent::t:org or "
                 "parent::t:bibl[parent::t:listBibl]]",
    "work": "//t:listBibl/t:{el}",
    "source": "//t:teiHeader//t:{el}",
}
SPECIAL = {"bibl.text": "//t:cit/t:bibl", "title.header": "//t:teiHeader//t:title[not(@ref)]"}

SHORT = 320  # an example longer than this is abridged


@dataclass
class Attribute:
    name: str
    required: bool
    values: str


@dataclass
class ElementDef:
    define: str
    element: str
    section: str
    doc: str
    attributes: list[Attribute] = field(default_factory=list)
    children: list[str] = field(default_factory=list)
    text: bool = False
    xpath: str = ""
    example: str = ""
    where: str = ""


# ----------------------------------------------------------------- reading the schema

def _name(el: etree._Element) -> str:
    """The @name of a RelaxNG element (every one the walk meets has one)."""
    return el.get("name", "")


class Schema:
    def __init__(self, path: Path) -> None:
        self.tree = etree.parse(str(path))
        self.defines = {_name(d): d for d in self.tree.iterfind(f"{{{RNG}}}define")}

    def element_defines(self) -> Iterator[tuple[str, etree._Element]]:
        section = ""
        for node in self.tree.getroot():
            if isinstance(node, etree._Comment):
                section = re.sub(r"^[\s-]+", "", node.text or "").strip() or section
            elif node.tag == f"{{{RNG}}}define" and node.find(f"{{{RNG}}}element") is not None:
                yield section, node

    def doc(self, define: etree._Element) -> str:
        text = define.findtext(f"{{{ANN}}}documentation") or ""
        return " ".join(text.split())

    def element_of(self, name: str) -> str | None:
        el = self.defines[name].find(f"{{{RNG}}}element")
        return None if el is None else el.get("name")

    def walk(self, node: etree._Element, optional: bool = False
             ) -> Iterator[tuple[str, etree._Element | str | None, bool]]:
        """Yield ('attr', element, optional), ('elem', define-name, _), ('text', None, _)
        for the content model of *node*, following refs through non-element defines."""
        for child in node:
            if not isinstance(child.tag, str):
                continue
            tag = etree.QName(child).localname
            if etree.QName(child).namespace != RNG:
                continue
            if tag == "attribute":
                yield "attr", child, optional
            elif tag == "ref":
                name = _name(child)
                if self.element_of(name) is not None:
                    yield "elem", name, optional
                else:
                    yield from self.walk(self.defines[name], optional)
            elif tag in ("text", "data", "value") and node.tag != f"{{{RNG}}}attribute":
                yield "text", None, optional
            elif tag == "element":
                yield "elem", _name(child), optional
            elif tag in ("optional", "zeroOrMore", "choice"):
                yield from self.walk(child, True)
            elif tag in ("group", "oneOrMore", "interleave", "mixed"):
                if tag == "mixed":
                    yield "text", None, optional
                yield from self.walk(child, optional)

    def values(self, attribute: etree._Element) -> str:
        vals = attribute.xpath(".//r:value/text()", namespaces=NS)
        if vals:
            return " | ".join(f"`{v}`" for v in vals)
        ref = attribute.find(f"{{{RNG}}}ref")
        if ref is not None:
            return self.doc(self.defines[_name(ref)]).rstrip(".")
        data = attribute.find(f"{{{RNG}}}data")
        pattern = attribute.findtext(f".//{{{RNG}}}param")
        if data is not None and pattern:
            return f"{data.get('type')} matching `{pattern}`"
        return data.get("type", "text") if data is not None else "text"


def element_reference(schema: Schema) -> list[ElementDef]:
    """One entry per element definition, plus elements defined inline inside another."""
    out = []
    for section, define in schema.element_defines():
        element = define.find(f"{{{RNG}}}element")
        assert element is not None, "element_defines yields defines of an element"
        item = _describe(schema, element, _name(define), section, schema.doc(define))
        out.append(item)
        for inner in element.iterdescendants(f"{{{RNG}}}element"):
            own = " ".join((inner.findtext(f"{{{ANN}}}documentation") or "").split())
            doc = own or (f"Part of `{item.element}`: {item.doc}" if item.doc else "")
            out.append(_describe(schema, inner, _name(inner), section, doc))
    return out


def _describe(schema: Schema, element: etree._Element, define: str, section: str,
              doc: str) -> ElementDef:
    item = ElementDef(define, _name(element), section, doc)
    seen_attrs: dict[str, Attribute] = {}
    for kind, what, optional in schema.walk(element):
        if kind == "attr" and isinstance(what, etree._Element):
            name = _name(what)
            if name not in seen_attrs:
                seen_attrs[name] = Attribute(name, not optional, schema.values(what))
        elif kind == "elem" and isinstance(what, str):  # by define or by name
            label = (schema.element_of(what) if what in schema.defines else what) or what
            if label not in item.children:
                item.children.append(label)
        else:
            item.text = True
    item.attributes = list(seen_attrs.values())
    return item


def attribute_names(defs: list[ElementDef]) -> list[str]:
    return sorted({a.name for d in defs for a in d.attributes})


# ----------------------------------------------------------------- examples

def _xpath_for(item: ElementDef) -> str:
    if item.define in SPECIAL:
        return SPECIAL[item.define]
    qualifier = item.define.split(".", 1)[1] if "." in item.define else ""
    pattern = CONTEXTS.get(qualifier, "//t:{el}")
    return pattern.format(el=item.element)


def snippet(el: etree._Element) -> str:
    """The element as the encoder would write it, without the TEI namespace declaration."""
    clone = copy.deepcopy(el)
    clone.tail = None
    text = etree.tostring(clone, encoding="unicode")
    return _dedent(text.replace(f' xmlns="{TEI_NS}"', "", 1))


def _dedent(text: str) -> str:
    """Lines after the first lose the indentation the element had in its file."""
    lines = text.split("\n")
    rest = [ln for ln in lines[1:] if ln.strip()]
    cut = min((len(ln) - len(ln.lstrip(" ")) for ln in rest), default=0)
    return "\n".join([lines[0], *(ln[cut:] for ln in lines[1:])]).strip()


def abridged(el: etree._Element) -> str:
    """A long element shown with its first level only: children emptied to an ellipsis."""
    clone = copy.deepcopy(el)
    clone.tail = None
    for child in list(clone):
        if not isinstance(child.tag, str):
            clone.remove(child)
            continue
        if len(child) or (child.text and child.text.strip()):
            for grandchild in list(child):
                child.remove(grandchild)
            child.text = "…"
        child.tail = "\n  "
    if len(clone):
        clone.text = "\n  "
        clone[-1].tail = "\n"
    while len(clone) > 8:
        clone.remove(clone[7])
    text = etree.tostring(clone, encoding="unicode").replace(f' xmlns="{TEI_NS}"', "", 1)
    return text.strip()


def find_example(item: ElementDef, docs: list[Document], root: Path) -> None:
    item.xpath = _xpath_for(item)
    best: tuple[int, str, str] | None = None
    for doc in docs:
        for el in doc.root.xpath(item.xpath, namespaces=NS):
            text = snippet(el)
            # The first short one wins; otherwise the shortest, abridged.
            rank = 0 if 12 <= len(text) <= SHORT else 1
            cand = (rank, text if rank == 0 else abridged(el), _where(doc, el, root))
            if best is None or (cand[0], len(cand[1])) < (best[0], len(best[1])):
                best = cand
            if rank == 0:
                break
        if best is not None and best[0] == 0:
            break
    if best is not None:
        _, item.example, item.where = best


def _where(doc: Document, el: etree._Element, root: Path) -> str:
    line, _ = doc.locate(el)
    path = Path(doc.path)
    try:
        shown = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        shown = path.name
    return f"{shown}, line {line}"


def edition_documents(edition: Path) -> list[Document]:
    """Texts first (their examples are the interesting ones), then authority files."""
    docs = [read_document(p) for p in sorted(edition.glob("*.xml"))]
    return sorted(docs, key=lambda d: (_is_authority(d), d.path))


def _is_authority(doc: Document) -> bool:
    return bool(doc.root.xpath("t:text/t:body/t:listPerson | t:text/t:body/t:listPlace | "
                               "t:text/t:body/t:listOrg | t:text/t:body/t:listBibl",
                               namespaces=NS))


# ----------------------------------------------------------------- policy and rules

def _plain(el: etree._Element | None) -> str:
    return "" if el is None else " ".join("".join(el.itertext()).split())


def editorial_policy(docs: list[Document]) -> list[str]:
    """Each document's declared principles; files declaring the same ones are shown once."""
    groups: dict[tuple[str, ...], list[Document]] = {}
    for doc in docs:
        body = tuple(_policy(doc))
        if body:
            groups.setdefault(body, []).append(doc)
    lines: list[str] = []
    for body, same in groups.items():
        title = _plain(same[0].root.find(f".//{{{TEI_NS}}}titleStmt/{{{TEI_NS}}}title"))
        if len(same) > 1:
            title = "Authority files" if all(_is_authority(d) for d in same) else "Files"
        names = ", ".join(f"`{Path(d.path).name}`" for d in same)
        lines += [f"### {title} ({names})", "", *body, ""]
    return lines


def _policy(doc: Document) -> list[str]:
    lines: list[str] = []
    decl = doc.root.find(f".//{{{TEI_NS}}}editorialDecl")
    if decl is not None:
        project = doc.root.find(f".//{{{TEI_NS}}}projectDesc")
        for area in ([project] if project is not None else []) + list(decl):
            if not isinstance(area.tag, str):
                continue
            name = etree.QName(area).localname
            paras = [_plain(p) for p in area.iterfind(f"{{{TEI_NS}}}p")] if name != "p" \
                else [_plain(area)]
            label = "" if name == "p" else f"**{name}**"
            attrs = ", ".join(f"{k}=\"{v}\"" for k, v in sorted(area.attrib.items()))
            if attrs:
                label += f" ({attrs})"
            for n, para in enumerate(paras):
                lead = f"{label}: " if label and n == 0 else ""
                lines += [f"- {lead}{para}"]
    return lines


def schematron_rules(path: Path) -> list[str]:
    tree = etree.parse(str(path))
    rows = ["| rule | severity | applies to | message |", "| --- | --- | --- | --- |"]
    for a in tree.iterfind(f".//{{{SCH}}}assert"):
        rule = a.getparent()
        context = " ".join((rule.get("context", "") if rule is not None else "").split())
        message = _schematron_message(a)
        rows.append(f"| `{a.get('id')}` | {a.get('role', 'error')} | `{_cell(context)}` | "
                    f"{_cell(message)} |")
    return rows


def _cell(text: str) -> str:
    """A Markdown table cell: a pipe, even in code, would end the cell."""
    return text.replace("|", "\\|")


def _schematron_message(a: etree._Element) -> str:
    parts = [a.text or ""]
    for child in a:
        name = etree.QName(child).localname
        parts.append("…" if name == "value-of" else "NAME")
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


# ----------------------------------------------------------------- the manual

INTRO = """\
# Encoding manual

<!-- Generated by `serge-tei docs -o docs/encoding.md` from schema/serge-tei.rng,
     schema/serge-tei.sch and the edition in tei/. Do not edit by hand: a test fails
     when this file differs from a fresh generation. -->

This manual is for encoders of the serge-tei edition and of projects started with
`serge-tei init`. It lists every element and attribute the schema
(`schema/serge-tei.rnc`) allows, says when to use each, and shows an example taken
from the edition's own files, with where it was found. The schema is a strict subset
of TEI P5: every document valid against it is valid against `tei_all`.

Check your work with `serge-tei validate` after every change; every problem is
reported as `path:line:col: severity: message [rule]`.
"""

HOWTO = """\
## How to add a person or a place

Persons, places, organisations and works are described once, in an authority file
(`tei/persons.xml`, `tei/places.xml`, `tei/orgs.xml`, `tei/works.xml`), and every
mention in a text points to its entry with `ref`.

1. **Add the entry** to the authority file, in alphabetical order of `xml:id`. The
   `xml:id` is a short lower-case form of the name, unique in the edition. Give the
   preferred (full, standard) name, one `variant` for each form the texts use, life
   dates only where certain, and a one-line neutral identification. An entry of the
   edition:

```xml
{person}
```

   A place is the same with `place`, `placeName` and no life dates:

```xml
{place}
```

2. **Tag each mention** in the text with `persName` (or `placeName`, `orgName`,
   `title`) and point `ref` to the entry, file name and id:

```xml
{mention}
```

3. **Validate**: `serge-tei validate`. An unknown id is an error
   (`serge.ref-resolves`), and an entry that no text cites is a warning
   (`serge.authority-uncited`).

4. **Build**: `serge-tei build`. The person now appears in `out/persons.html` (and
   `persons.json`, `persons.csv`) with a link to each of its mentions.

An identification that is probable but not certain gets `cert="medium"` (or `low`) on
the mention, never a guessed entry. A new authority file starts as a copy of
`persons.xml` with its own header and one list (`listPlace`, `listOrg`, `listBibl`).
"""


def render_manual(edition: Path, root: Path | None = None) -> str:
    """The manual as Markdown; examples from the TEI files of *edition*."""
    root = root or edition.parent
    schema = Schema(schema_dir() / "serge-tei.rng")
    defs = element_reference(schema)
    docs = edition_documents(edition)
    for item in defs:
        find_example(item, docs, root)
    lines = [INTRO, _howto(docs), "## Editorial policy", "",
             "The editorial principles of the edition, as its documents declare them in "
             "`encodingDesc` (regenerated from the files, so this is what they say now).",
             "", *editorial_policy(docs)]
    lines += ["## Elements", "",
              "Grouped as in the schema. *Contains* lists what may appear inside; "
              "an element defined more than once (e.g. `persName` in the text and in an "
              "authority entry) has one entry per use.", ""]
    section = None
    for item in defs:
        if item.section != section:
            section = item.section
            lines += [f"### {section[:1].upper()}{section[1:]}", ""]
        lines += _element_entry(item)
    lines += _attribute_table(defs)
    lines += ["## Rules beyond the grammar", "",
              "From `schema/serge-tei.sch`; in the messages, NAME stands for the element "
              "or attribute concerned and … for the offending value.", "",
              *schematron_rules(schema_dir() / "serge-tei.sch"), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _howto(docs: list[Document]) -> str:
    def first(xpath: str) -> str:
        for doc in docs:
            found = doc.root.xpath(xpath, namespaces=NS)
            if found:
                return snippet(found[0])
        return ""

    return HOWTO.format(
        person=first("//t:listPerson/t:person[t:birth and t:death and t:persName[@type="
                     "'variant'][2]]"),
        place=first("//t:listPlace/t:place[t:placeName[@type='variant']]"),
        mention=first("//t:text//t:p[t:persName][string-length(.) < 260]"),
    )


def _label(item: ElementDef) -> str:
    where = item.define.split(".", 1)[1] if "." in item.define else ""
    names = {"text": "in the text", "header": "in the header", "preferred": "preferred form",
             "variant": "variant form", "ident": "identification", "authority": "in an entry",
             "work": "a work", "source": "in the header", "italic": ""}
    return f" ({names.get(where, where)})" if where else ""


def _element_entry(item: ElementDef) -> list[str]:
    lines = [f"#### `{item.element}`{_label(item)}", "", item.doc or "(undocumented)", ""]
    if item.attributes:
        attrs = "; ".join(f"`{a.name}` ({'required' if a.required else 'optional'}): "
                          f"{a.values}" for a in item.attributes)
        lines += [f"Attributes: {attrs}.", ""]
    inside = [f"`{c}`" for c in item.children]
    if item.text:
        inside.insert(0, "text")
    lines += [f"Contains: {', '.join(inside) if inside else 'nothing (empty element)'}.", ""]
    if item.example:
        lines += [f"Example ({item.where}):", "", "```xml", item.example, "```", ""]
    else:
        lines += ["Not used in the edition yet.", ""]
    return lines


def _attribute_table(defs: list[ElementDef]) -> list[str]:
    rows = ["## Attributes", "",
            "| attribute | on | when to use it |", "| --- | --- | --- |"]
    for name in attribute_names(defs):
        on = sorted({d.element for d in defs if any(a.name == name for a in d.attributes)})
        rows.append(f"| `{name}` | {', '.join(f'`{e}`' for e in on)} | "
                    f"{ATTRIBUTES.get(name, '(undocumented)')} |")
    return [*rows, ""]
