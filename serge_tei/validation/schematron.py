"""ISO Schematron, transpiled to XSLT 3.0 and run on saxonche.

A schema becomes one generated stylesheet that writes SVRL; the stylesheet is
compiled once per process and run on every document, and the SVRL is turned
into :class:`~serge_tei.findings.Finding` objects located at the offending
element (its ``@location`` path is resolved against the lxml tree).

How the ISO features map to XSLT 3.0:

* rules are templates with priorities in schema order. Patterns share one pass
  over the document (one mode): every rule template ends with
  ``xsl:next-match``, and a rule whose pattern already fired on the node is
  skipped, so a node fires at most the first matching rule of each pattern
  (ISO semantics) while the document is walked once, not once per pattern. A
  pattern with pattern-level lets gets a mode and a pass of its own;
* ``assert``/``report`` become ``xsl:if`` inside ``xsl:try``: a test that raises
  a dynamic error (say ``xs:date('2020-13-45')``) is reported as an error at
  that node instead of aborting the whole document;
* ``let`` in a rule is a local variable; ``let`` in a pattern is evaluated once
  per document (context: the document node) and reaches the rules as a tunnel
  parameter; ``let`` in a phase is a global variable;
* **a schema-level ``let`` is a global ``xsl:param``** whose default is the
  let's value. A caller may override it with a typed value
  (``Schematron.validate(doc, params={"known-ids": "a b c"})``); this is how
  cross-file data, such as the ids of an edition's authority files, reach the
  rules. Parameters the schema does not declare are ignored, so one mapping
  can serve several schemas. ``let/@as`` (ISO 2020) types the parameter;
  without it the type is ``item()*``.

``include`` and ``extends href`` are resolved when the schema is loaded, only
to local files relative to the including file, and, for a schema the data named,
only inside the project folder; schema files are read like documents (regular
files only, never blocking, size-capped) and parsed with the same hardened
settings (no DOCTYPE, no entities, no network).

A schema the data chose runs in a sandbox process under a time and memory
budget (:mod:`.sandbox`); the shipped ones run here, at full speed.
"""

from __future__ import annotations

import os
import re
import weakref
from collections.abc import Iterator, Mapping
from copy import deepcopy
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from lxml import etree

from ..errors import SchemaError, ToolkitError
from ..findings import Finding, Severity
from ..reading import XML_NS, Document, Limits, parse_schema, schema_bytes
from ..reading import _parser as _hardened_parser
from ..saxon import Saxon, quiet_stderr

SCH = "http://purl.oclc.org/dsdl/schematron"
SCH_15 = "http://www.ascc.net/xml/schematron"
XSL = "http://www.w3.org/1999/XSL/Transform"
SVRL = "http://purl.oclc.org/dsdl/svrl"
SST = "urn:serge-tei:schematron"  #: our own names in the generated stylesheet
ERR = "http://www.w3.org/2005/xqt-errors"

QUERY_BINDINGS = frozenset({"xslt", "xslt2", "xslt3", "xpath2", "xpath3", "xpath31"})

#: prefixes every generated stylesheet knows; a schema's sch:ns may rebind the
#: XPath ones, never the ones the stylesheet itself is written with.
_OWN_NS = {"xsl": XSL, "svrl": SVRL, "sst": SST, "err": ERR}
_XPATH_NS = {
    "xs": "http://www.w3.org/2001/XMLSchema",
    "fn": "http://www.w3.org/2005/xpath-functions",
    "math": "http://www.w3.org/2005/xpath-functions/math",
    "map": "http://www.w3.org/2005/xpath-functions/map",
    "array": "http://www.w3.org/2005/xpath-functions/array",
}

_SEVERITY = {
    "error": Severity.ERROR, "fatal": Severity.ERROR,
    "warning": Severity.WARNING, "warn": Severity.WARNING, "nonfatal": Severity.WARNING,
    "info": Severity.INFO, "information": Severity.INFO,
}

_MAX_INCLUDE_DEPTH = 20
_MAX_SCHEMA_BYTES = 64 * 1024 * 1024


def _sch(local: str) -> str:
    return f"{{{SCH}}}{local}"


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _is_sch(el: etree._Element, *names: str) -> bool:
    return isinstance(el.tag, str) and el.tag.startswith(f"{{{SCH}}}") and \
        (not names or _local(el) in names)


def _where(el: etree._Element) -> str:
    """``line N of file.sch`` for messages about a schema element."""
    base = el.base
    name = Path(unquote(urlsplit(base).path)).name if base else "the schema"
    return f"line {el.sourceline or '?'} of {name}"


def _schema_error(el: etree._Element, attr: str | None, message: str) -> SchemaError:
    """A SchemaError about one schema element, located in its file."""
    base = _base_path(el)
    return SchemaError(f"{_describe(el, attr)}: {message}", path=str(base) if base else None,
                       line=el.sourceline)


def _describe(el: etree._Element, attr: str | None = None) -> str:
    shown = f' {attr}="{el.get(attr)}"' if attr and el.get(attr) is not None else ""
    return f"<sch:{_local(el)}{shown}> ({_where(el)})"


# --------------------------------------------------------------------------- loading


def _parse_schema_file(path: Path, root: Path | None = None) -> etree._ElementTree:
    """Read and parse a schema file with the hardened schema reader; SchemaError if unusable.

    A regular file only, opened without blocking (a FIFO never hangs), within
    the size cap, no DOCTYPE (refused at its line before lxml sees it), no
    XInclude. With a *root*, the file must lie inside it once links are resolved;
    without one (a trusted schema), anywhere.
    """
    where = root if root is not None else Path(Path(path).absolute().anchor)
    limits = Limits(max_bytes=_MAX_SCHEMA_BYTES)
    real, data = schema_bytes(path, root=where, limits=limits)
    return parse_schema(data, real, limits, shown=str(path))


def load_schematron(path: str | Path, root: Path | None = None) -> etree._ElementTree:
    """Read an ISO Schematron file and resolve its ``include``/``extends href``.

    With a *root* (a schema the data named), the file and everything it includes
    must lie inside that folder.
    """
    path = Path(path)
    tree = _parse_schema_file(path, root)
    _check_schema_root(tree.getroot(), str(path))
    _resolve_includes(tree.getroot(), path.resolve(), (path.resolve(),), root)
    return tree


def _check_schema_root(root: etree._Element, shown: str | None) -> None:
    if root.tag == _sch("schema"):
        return
    if isinstance(root.tag, str) and root.tag.startswith(f"{{{SCH_15}}}"):
        raise SchemaError(f"Schematron 1.5 ({SCH_15}) is not supported; use the ISO namespace "
                          f"{SCH}", path=shown, line=root.sourceline)
    raise SchemaError(f"not an ISO Schematron schema: root element <{_local(root)}>, "
                      f"expected <schema> in {SCH}", path=shown, line=root.sourceline)


def _base_path(el: etree._Element) -> Path | None:
    base = el.base
    if not base:
        return None
    parts = urlsplit(base)
    return Path(unquote(parts.path)) if parts.scheme in ("", "file") else None


def _resolve_includes(root: etree._Element, here: Path | None,
                      stack: tuple[Path, ...], confine: Path | None = None) -> None:
    """Replace ``include`` by the element it points at, ``extends href`` by its children.

    *confine*: the folder every included file must lie inside (None: anywhere).
    """
    for el in list(root.iter(_sch("include"), _sch("extends"))):
        if el.tag == _sch("extends") and el.get("href") is None:
            continue
        target = _referenced_element(el, _base_path(el) or here, stack, confine)
        parent = el.getparent()
        if parent is None:
            raise _schema_error(el, "href", "cannot include into the root")
        if el.tag == _sch("include"):
            _splice(parent, el, [target])
        else:
            _splice(parent, el, [c for c in target if isinstance(c.tag, str)])


def _splice(parent: etree._Element, old: etree._Element, new: list[etree._Element]) -> None:
    index = parent.index(old)
    tail = old.tail
    parent.remove(old)
    for offset, el in enumerate(new):
        base = el.base
        parent.insert(index + offset, el)
        if base:  # keep error messages pointing at the file the element came from
            el.set(f"{{{XML_NS}}}base", base)
    if new:
        new[-1].tail = tail


def _referenced_element(el: etree._Element, here: Path | None,
                        stack: tuple[Path, ...], confine: Path | None) -> etree._Element:
    href = el.get("href") or ""
    parts = urlsplit(href)
    if (parts.scheme and parts.scheme != "file") or parts.netloc:
        raise _schema_error(el, "href", "only local files are included (a path relative to "
                            "the including file); download the file and refer to it locally")
    if parts.path and here is None:
        raise _schema_error(el, "href", "the including schema has no file name to resolve "
                            "a relative href against")
    target = Path(os.path.normpath(here.parent / unquote(parts.path))) if parts.path and here \
        else here
    if target is None:
        raise _schema_error(el, "href", "included file not found")
    if len(stack) > _MAX_INCLUDE_DEPTH:
        raise _schema_error(el, "href", f"includes nest more than {_MAX_INCLUDE_DEPTH} deep "
                            f"({' -> '.join(map(str, stack))})")
    try:
        tree = _parse_schema_file(target, confine)
    except SchemaError as exc:
        if "not found" in exc.message:
            raise _schema_error(el, "href", f"included file not found: {target}") from None
        raise _schema_error(el, "href", f"cannot include {target}: {exc.message}") from None
    real = Path(tree.docinfo.URL or target)
    if parts.path and real in stack:
        raise _schema_error(el, "href", f"includes loop ({' -> '.join(map(str, (*stack, real)))})")
    root = tree.getroot()
    _resolve_includes(root, real, (*stack, real), confine)
    if not parts.fragment:
        return root
    found = _fragment(root, parts.fragment)
    if found is None:
        raise _schema_error(el, "href", f"no element with id {parts.fragment!r} in {target}")
    return found


def _fragment(root: etree._Element, ident: str) -> etree._Element | None:
    for el in root.iter(tag=etree.Element):
        if el.get("id") == ident or el.get(f"{{{XML_NS}}}id") == ident:
            return el
    return None



#: schema-level Schematron elements an embedding schema (RelaxNG) may carry
_EMBEDDED = ("ns", "let", "phase", "pattern", "diagnostics", "rules")


def extract_embedded(rng_tree: etree._ElementTree, confine: Path | None = None
                     ) -> etree._ElementTree | None:
    """A Schematron schema made of the rules embedded in a RelaxNG schema, or None.

    TEI's generated schemas (tei_all.rng, ODD-derived ones) carry ``sch:ns`` and
    ``sch:pattern`` elements between their definitions; they are XPath 2 rules,
    so the result uses ``queryBinding="xslt2"``.
    """
    root = rng_tree.getroot()
    found = [el for el in root.iter(tag=etree.Element)
             if _is_sch(el, *_EMBEDDED) and not _has_sch_ancestor(el)]
    if not any(_local(el) == "pattern" for el in found):
        return None
    schema = etree.Element(_sch("schema"), nsmap={"sch": SCH}, queryBinding="xslt2")
    url = rng_tree.docinfo.URL
    if url:
        schema.set(f"{{{XML_NS}}}base", url)
    for name in _EMBEDDED:  # ns first, then lets, then the rest (each in document order)
        for el in found:
            if _local(el) == name and not _duplicate_ns(schema, el):
                schema.append(deepcopy(el))
    here = _base_path(root)
    _resolve_includes(schema, here, (here,) if here else (), confine)
    return etree.ElementTree(schema)


def _has_sch_ancestor(el: etree._Element) -> bool:
    return any(_is_sch(a) for a in el.iterancestors())


def _duplicate_ns(schema: etree._Element, el: etree._Element) -> bool:
    if _local(el) != "ns":
        return False
    return any(ns.get("prefix") == el.get("prefix") and ns.get("uri") == el.get("uri")
               for ns in schema.iterchildren(_sch("ns")))


# --------------------------------------------------------------------------- preparing


def _check_binding(root: etree._Element) -> None:
    binding = root.get("queryBinding")
    if binding is None or binding.lower() in QUERY_BINDINGS:
        return
    raise SchemaError(
        f'queryBinding="{binding}" is not supported; use one of '
        f"{', '.join(sorted(QUERY_BINDINGS))} (all run as XPath 3.1 in XSLT 3.0)",
        line=root.sourceline)


def _prepare(schema: etree._ElementTree | etree._Element) -> etree._Element:
    """A working copy with abstract patterns instantiated and abstract rules expanded."""
    src = schema.getroot() if isinstance(schema, etree._ElementTree) else schema
    _check_schema_root(src, None)
    _check_binding(src)
    root = deepcopy(src)
    if src.base and not root.base:
        root.set(f"{{{XML_NS}}}base", src.base)
    leftover = next(root.iter(_sch("include")), None)
    if leftover is not None:
        raise _schema_error(leftover, "href", "includes must be resolved when "
                          "loading (use load_schematron or extract_embedded)")
    _instantiate_patterns(root)
    _expand_abstract_rules(root)
    return root


def _instantiate_patterns(root: etree._Element) -> None:
    abstract = {p.get("id"): p for p in root.iterchildren(_sch("pattern"))
                if p.get("abstract") == "true"}
    for pattern in list(root.iterchildren(_sch("pattern"))):
        if pattern.get("abstract") == "true":
            root.remove(pattern)
        elif pattern.get("is-a") is not None:
            root.replace(pattern, _instance(pattern, abstract))


def _instance(pattern: etree._Element, abstract: dict[str | None, etree._Element]
              ) -> etree._Element:
    base = abstract.get(pattern.get("is-a"))
    if base is None:
        raise _schema_error(pattern, "is-a", "no abstract pattern with that id")
    params = {p.get("name", ""): p.get("value", "") for p in pattern.iterchildren(_sch("param"))}
    made = deepcopy(base)
    made.attrib.pop("abstract")
    for key in ("id", "documents"):
        made.attrib.pop(key, None)
        value = pattern.get(key)
        if value is not None:
            made.set(key, value)
    if params:
        _substitute(made, params)
    made.tail = pattern.tail
    return made


def _substitute(pattern: etree._Element, params: dict[str, str]) -> None:
    """Replace ``$name`` by the parameter's text in every attribute of an instance."""
    names = sorted(params, key=len, reverse=True)
    ref = re.compile(r"\$(" + "|".join(map(re.escape, names)) + r")(?![\w.\-])")
    for el in pattern.iter(tag=etree.Element):
        for key, value in el.attrib.items():
            if "$" in value:
                el.set(key, ref.sub(lambda m: params[m.group(1)], value))


def _expand_abstract_rules(root: etree._Element) -> None:
    abstract = {r.get("id"): r for r in root.iter(_sch("rule")) if r.get("abstract") == "true"}
    for rule in list(root.iter(_sch("rule"))):
        if rule.get("abstract") != "true":
            _expand_extends(rule, abstract, ())
    for rule in abstract.values():
        parent = rule.getparent()
        if parent is not None:
            parent.remove(rule)


def _expand_extends(rule: etree._Element, abstract: dict[str | None, etree._Element],
                    seen: tuple[str, ...]) -> None:
    for ext in list(rule.iterchildren(_sch("extends"))):
        ident = ext.get("rule", "")
        base = abstract.get(ident)
        if base is None:
            raise _schema_error(ext, "rule", "no abstract rule with that id")
        if ident in seen:
            raise _schema_error(ext, "rule", f"abstract rules extend each other "
                              f"in a loop ({' -> '.join((*seen, ident))})")
        body = deepcopy(base)
        _expand_extends(body, abstract, (*seen, ident))
        _splice(rule, ext, [c for c in body if isinstance(c.tag, str)])


def _select_patterns(root: etree._Element, phase: str | None
                     ) -> tuple[str, list[etree._Element], list[etree._Element]]:
    """(phase name, active patterns, phase lets) for the requested phase."""
    patterns = list(root.iterchildren(_sch("pattern")))
    wanted = phase or "#DEFAULT"
    if wanted == "#DEFAULT":
        wanted = root.get("defaultPhase") or "#ALL"
    if wanted == "#ALL":
        return wanted, patterns, []
    chosen = next((p for p in root.iterchildren(_sch("phase")) if p.get("id") == wanted), None)
    if chosen is None:
        known = [p.get("id") for p in root.iterchildren(_sch("phase"))]
        raise SchemaError(f"no phase {wanted!r} in the schema; its phases are "
                          f"{', '.join(map(str, known)) or '(none)'} and #ALL")
    by_id = {p.get("id"): p for p in patterns}
    active = []
    for act in chosen.iterchildren(_sch("active")):
        if act.get("pattern") not in by_id:
            raise _schema_error(act, "pattern", "no pattern with that id")
        active.append(by_id[act.get("pattern")])
    return wanted, active, list(chosen.iterchildren(_sch("let")))


# --------------------------------------------------------------------------- generating


_SHARED = "sst:all"


def _has_lets(pattern: etree._Element) -> bool:
    return pattern.find(_sch("let")) is not None


def _rules(pattern: etree._Element) -> list[etree._Element]:
    return list(pattern.iterchildren(_sch("rule")))


def _avt(text: str) -> str:
    """A literal attribute value that XSLT will not read as a value template."""
    return text.replace("{", "{{").replace("}", "}}")


@dataclass
class _Transpiler:
    """Builds the XSLT 3.0 stylesheet for one schema and phase."""

    root: etree._Element
    phase: str | None = None
    param_names: list[str] = field(default_factory=list)
    track_fired: bool = False
    diagnostics: dict[str, etree._Element] = field(default_factory=dict)
    #: write a trace line as each rule and assertion begins and ends (see :func:`traced`)
    trace: bool = False
    #: what each trace number stands for: the schema element, described
    traced: list[str] = field(default_factory=list)

    def run(self) -> etree._Element:
        phase, patterns, phase_lets = _select_patterns(self.root, self.phase)
        self.diagnostics = {d.get("id", ""): d for d in self.root.iter(_sch("diagnostic"))}
        sheet = etree.Element(f"{{{XSL}}}stylesheet", nsmap=self._namespaces(),
                              attrib={"version": "3.0", "exclude-result-prefixes": "#all"})
        for let in self.root.iterchildren(_sch("let")):
            self._global_let(sheet, let, "param")
        for let in phase_lets:
            self._global_let(sheet, let, "variable")
        self._main_template(sheet, phase, patterns)
        return sheet

    def _namespaces(self) -> dict[str, str]:
        nsmap = dict(_XPATH_NS)
        declared: dict[str, str] = {}
        for ns in self.root.iterchildren(_sch("ns")):
            prefix, uri = ns.get("prefix"), ns.get("uri")
            if not prefix or uri is None:
                raise _schema_error(ns, None, "needs both @prefix and @uri")
            if declared.get(prefix, uri) != uri:
                raise _schema_error(ns, "prefix", f"prefix declared twice with "
                                  f"different namespaces ({declared[prefix]} and {uri})")
            if _OWN_NS.get(prefix, uri) != uri:
                raise _schema_error(ns, "prefix", f"the prefix {prefix!r} is "
                                  "reserved by the generated stylesheet; choose another")
            declared[prefix] = uri
        return {**nsmap, **declared, **_OWN_NS}

    def _global_let(self, sheet: etree._Element, let: etree._Element, kind: str) -> None:
        el = self._let(sheet, let, kind)
        if kind == "param":
            el.set("as", let.get("as") or "item()*")
            self.param_names.append(let.get("name", ""))

    def _let(self, parent: etree._Element, let: etree._Element, kind: str = "variable",
             ) -> etree._Element:
        name, value, typed = let.get("name"), let.get("value"), let.get("as")
        if name is None or value is None:
            raise _schema_error(let, "name", "needs @name and @value "
                              "(a let with element content is not supported)")
        el = self._xsl(parent, kind, let, "value", name=name, select=value)
        if typed and kind != "param":
            el.set("as", typed)
        return el

    def _xsl(self, parent: etree._Element, tag: str, source: etree._Element | None = None,
             attr: str | None = None, /, **attrs: str) -> etree._Element:
        """An XSLT element; ``source`` marks the schema element its XPath came from."""
        el = etree.SubElement(parent, f"{{{XSL}}}{tag}", attrs)
        if source is not None:
            el.set(f"{{{SST}}}source", _describe(source, attr))
            base = _base_path(source)
            if base is not None and source.sourceline:  # where an error is to be reported
                el.set(f"{{{SST}}}at", f"{source.sourceline}:{base}")
        return el

    def _main_template(self, sheet: etree._Element, phase: str,
                       patterns: list[etree._Element]) -> None:
        """Patterns without pattern-level lets share one pass over the document (mode
        ``sst:all``); a pattern with lets gets a pass of its own, so its lets are
        evaluated once per document and cannot clash with another pattern's."""
        tpl = self._xsl(sheet, "template", match="/")
        out = etree.SubElement(tpl, f"{{{SVRL}}}schematron-output", phase=_avt(phase))
        for pattern in patterns:
            if pattern.get("documents") is not None:
                raise _schema_error(pattern, "documents", "@documents is not "
                                  "supported (rules run on the validated document only)")
            active = etree.SubElement(out, f"{{{SVRL}}}active-pattern")
            if pattern.get("id"):
                active.set("id", _avt(pattern.get("id", "")))
        shared = [(n, p) for n, p in enumerate(patterns, 1) if not _has_lets(p)]
        if shared:
            self._xsl(out, "apply-templates", select=".", mode=_SHARED)
            self._shared_mode(sheet, shared)
        for number, pattern in enumerate(patterns, 1):
            if _has_lets(pattern):
                self._xsl(out, "call-template", name=f"sst:pattern{number}")
                self._own_mode(sheet, pattern, f"sst:p{number}", number)

    def _shared_mode(self, sheet: etree._Element, patterns: list[tuple[int, etree._Element]],
                     ) -> None:
        """One mode for many patterns: every rule template ends with ``xsl:next-match``, and
        a rule whose pattern already fired on this node (``$sst:fired``) does nothing."""
        self._xsl(sheet, "mode", name=_SHARED, **{"on-no-match": "shallow-skip"})
        rules = [(n, p, r) for n, p in patterns for r in _rules(p)]
        self.track_fired = any(len(_rules(p)) > 1 for _, p in patterns)
        for index, (number, pattern, rule) in enumerate(rules):
            tpl = self._rule_template(sheet, rule, _SHARED, len(rules) - index)
            self._shared_body(tpl, pattern, rule, number)
        # End of every chain: walk on, without the parameters of this node.
        walk = self._xsl(sheet, "template", match="document-node() | element()",
                         mode=_SHARED, priority="-1")
        self._xsl(walk, "apply-templates", select="@* | node()", mode="#current")

    def _shared_body(self, tpl: etree._Element, pattern: etree._Element, rule: etree._Element,
                     number: int) -> None:
        if not self.track_fired:
            self._rule_body(tpl, pattern, rule)
            self._xsl(tpl, "next-match")
            return
        self._xsl(tpl, "param", name="sst:fired", select="()", **{"as": "xs:integer*"})
        choose = self._xsl(tpl, "choose")
        skip = self._xsl(choose, "when", test=f"$sst:fired = {number}")
        self._next_match(skip, "$sst:fired")
        body = self._xsl(choose, "otherwise")
        self._rule_body(body, pattern, rule)
        self._next_match(body, f"($sst:fired, {number})")

    def _next_match(self, parent: etree._Element, fired: str) -> None:
        nxt = self._xsl(parent, "next-match")
        self._xsl(nxt, "with-param", name="sst:fired", select=fired, **{"as": "xs:integer*"})

    def _own_mode(self, sheet: etree._Element, pattern: etree._Element, mode: str,
                  number: int) -> None:
        lets = list(pattern.iterchildren(_sch("let")))
        self._xsl(sheet, "mode", name=mode, **{"on-no-match": "shallow-skip"})
        entry = self._xsl(sheet, "template", name=f"sst:pattern{number}")
        for let in lets:
            self._let(entry, let)
        apply = self._xsl(entry, "apply-templates", select=".", mode=mode)
        for let in lets:
            self._xsl(apply, "with-param", name=let.get("name", ""),
                      select=f"${let.get('name')}", tunnel="yes")
        rules = _rules(pattern)
        for index, rule in enumerate(rules):
            tpl = self._rule_template(sheet, rule, mode, len(rules) - index)
            for let in lets:
                self._xsl(tpl, "param", name=let.get("name", ""), tunnel="yes",
                          **{"as": "item()*"})
            self._rule_body(tpl, pattern, rule)
            self._xsl(tpl, "apply-templates", select="@* | node()", mode="#current")

    def _rule_template(self, sheet: etree._Element, rule: etree._Element, mode: str,
                       priority: int) -> etree._Element:
        if not rule.get("context"):
            raise _schema_error(rule, None, "a rule needs @context")
        return self._xsl(sheet, "template", rule, "context", match=rule.get("context", ""),
                         mode=mode, priority=str(priority))

    def _rule_body(self, parent: etree._Element, pattern: etree._Element,
                   rule: etree._Element) -> None:
        self._mark(parent, "rule", rule, "context")
        for child in rule.iterchildren(tag=etree.Element):
            self._rule_child(parent, pattern, rule, child)

    def _rule_child(self, tpl: etree._Element, pattern: etree._Element, rule: etree._Element,
                    child: etree._Element) -> None:
        local = _local(child) if _is_sch(child) else None
        if local == "let":
            self._let(tpl, child)
        elif local in ("assert", "report"):
            self._assertion(tpl, pattern, rule, child)
        elif local not in (None, "title", "p"):
            raise _schema_error(child, None, "not supported inside <sch:rule>")

    def _assertion(self, tpl: etree._Element, pattern: etree._Element, rule: etree._Element,
                   check: etree._Element) -> None:
        test = check.get("test")
        if not test:
            raise _schema_error(check, None, "needs @test")
        kind = "failed-assert" if _local(check) == "assert" else "successful-report"
        number = self._mark(tpl, "in", check, "id" if check.get("id") else "test")
        attempt = self._xsl(tpl, "try")
        cond = f"not(({test}))" if kind == "failed-assert" else test
        when = self._xsl(attempt, "if", check, "test", test=cond)
        result = self._result(when, pattern, rule, check, kind)
        self._message(self._svrl(result, "text"), check)
        self._diagnostics(result, check)
        catch = self._xsl(attempt, "catch")
        failed = self._result(catch, pattern, rule, check, "dynamic-error", own=True)
        text = self._svrl(failed, "text")
        self._xsl(text, "value-of", select=(
            f"'could not evaluate the test ' || {_xpath_string(test)} || ' here: ' "
            "|| local-name-from-QName($err:code) || ' ' || $err:description"))
        self._mark(tpl, "out", number)

    def _mark(self, parent: etree._Element, kind: str, source: etree._Element | int,
              attr: str | None = None) -> int:
        """A trace line ``sst-KIND N`` where the trace is on; N numbers *source*."""
        if not self.trace:
            return 0
        if isinstance(source, int):
            number = source
        else:
            number = len(self.traced)
            self.traced.append(_describe(source, attr))
        self._xsl(parent, "sequence", select=f"trace((), 'sst-{kind} {number}')")
        return number

    def _result(self, parent: etree._Element, pattern: etree._Element, rule: etree._Element,
                check: etree._Element, kind: str, own: bool = False) -> etree._Element:
        ns = SST if own else SVRL
        out = etree.SubElement(parent, f"{{{ns}}}{kind}", test=_avt(check.get("test", "")))
        if pattern.get("id") is not None:
            out.set(f"{{{SST}}}pattern", _avt(pattern.get("id", "")))
        for key in ("id", "flag"):
            if check.get(key) is not None:
                out.set(key, _avt(check.get(key, "")))
        role = check.get("role", rule.get("role"))
        if role is not None:
            out.set("role", _avt(role))
        subject = check.get("subject", rule.get("subject"))
        source = check if check.get("subject") is not None else rule
        where = f"path((({subject})[. instance of node()], .)[1])" if subject else "path(.)"
        self._xsl(out, "attribute", source if subject else None, "subject",
                  name="location", select=where)
        return out

    def _svrl(self, parent: etree._Element, local: str, **attrs: str) -> etree._Element:
        return etree.SubElement(parent, f"{{{SVRL}}}{local}", attrs)

    def _diagnostics(self, result: etree._Element, check: etree._Element) -> None:
        for ident in (check.get("diagnostics") or "").split():
            diag = self.diagnostics.get(ident)
            if diag is None:
                raise _schema_error(check, "diagnostics", f"no diagnostic "
                                  f"with id {ident!r}")
            ref = self._svrl(result, "diagnostic-reference", diagnostic=_avt(ident))
            self._message(self._svrl(ref, "text"), diag)

    def _message(self, out: etree._Element, el: etree._Element) -> None:
        """The text of an assertion or diagnostic: literal text, value-of, name, inline markup."""
        self._text(out, el.text)
        for child in el.iterchildren(tag=etree.Element):
            local = _local(child) if _is_sch(child) else None
            if local == "value-of":
                if not child.get("select"):
                    raise _schema_error(child, None, "needs @select")
                self._xsl(out, "value-of", child, "select", select=child.get("select", ""))
            elif local == "name":
                path = child.get("path") or "."
                self._xsl(out, "value-of", child, "path", select=f"name({path})")
            else:  # emph, dir, span and foreign markup: their text
                self._message(out, child)
            self._text(out, child.tail)

    def _text(self, out: etree._Element, text: str | None) -> None:
        if text:
            etree.SubElement(out, f"{{{XSL}}}text").text = text


def _xpath_string(text: str) -> str:
    """An XPath string literal holding *text*."""
    return "'" + text.replace("'", "''") + "'"


def transpile(schema: etree._ElementTree | etree._Element, phase: str | None = None) -> str:
    """The XSLT 3.0 stylesheet (text) that checks *schema* and writes SVRL."""
    return _generate(schema, phase)[0]


def _generate(schema: etree._ElementTree | etree._Element, phase: str | None
              ) -> tuple[str, list[str]]:
    maker = _Transpiler(_prepare(schema), phase)
    sheet = maker.run()
    text = etree.tostring(sheet, encoding="unicode", pretty_print=True)
    return text, maker.param_names


def traced(schema: etree._ElementTree | etree._Element, phase: str | None = None
           ) -> tuple[str, list[str]]:
    """The stylesheet of :func:`transpile` that also calls ``trace()`` as each rule and
    assertion begins (``sst-rule N``, ``sst-in N``) and each assertion ends (``sst-out N``),
    and the descriptions of the schema elements N stands for.

    Saxon writes trace lines to standard error as they happen, so the last one
    names what was running when a process was stopped (see :mod:`.sandbox`).
    """
    maker = _Transpiler(_prepare(schema), phase, trace=True)
    sheet = maker.run()
    return etree.tostring(sheet, encoding="unicode"), maker.traced


# --------------------------------------------------------------------------- running

_COMPILED: weakref.WeakKeyDictionary[Saxon, dict[str, Any]] = weakref.WeakKeyDictionary()

#: the first error of Saxon's report: where in the stylesheet, its code, its text
_SAXON_ERROR = re.compile(
    r"(?:on line (?P<line>\d+)[^\n]*\n\s*)?(?P<code>[A-Z]{4}\d{4})\s+(?P<text>.*?)(?=\nError\b|$)",
    re.DOTALL)


def _compile(saxon: Saxon, xslt: str, label: str) -> Any:
    """Compile once per processor and stylesheet text; SchemaError names the schema element."""
    cache = _COMPILED.setdefault(saxon, {})
    if xslt not in cache:
        try:
            with quiet_stderr():
                cache[xslt] = saxon.compile_text(xslt, label)
        except ToolkitError as exc:
            raise _compile_error(xslt, exc.message, label) from None
    return cache[xslt]


def _compile_error(xslt: str, message: str, label: str) -> SchemaError:
    """Saxon's error, pointed at the schema element (and its file and line) whose XPath it is
    about."""
    detail = message.split("did not compile:", 1)[-1].strip()
    found = _SAXON_ERROR.search(detail)
    if found is None:
        return SchemaError(f"{label}: Schematron schema does not compile: "
                           f"{' '.join(detail.split())}")
    reason = f"{found['code']} {' '.join(found['text'].split())}"
    source = _source_at(xslt, int(found["line"])) if found["line"] else None
    if source is None:
        return SchemaError(f"{label}: Schematron expression does not compile: {reason}")
    line, _, path = (source.get(f"{{{SST}}}at") or "").partition(":")
    return SchemaError(f"{label}: Schematron expression does not compile in "
                       f"{source.get(f'{{{SST}}}source')}: {reason}", path=path or None,
                       line=int(line) if line else None)


def _source_at(xslt: str, line: int) -> etree._Element | None:
    """The element of the generated stylesheet on *line* that came from a schema element."""
    root = etree.fromstring(xslt.encode("utf-8"))
    for el in root.iter(tag=etree.Element):
        if el.sourceline == line and el.get(f"{{{SST}}}source"):
            return el
    return None


def embedded_schema(rng: str | Path | etree._ElementTree, root: Path | None = None
                    ) -> etree._ElementTree | None:
    """The Schematron embedded in a RelaxNG schema (a path or a parsed tree), or None.

    With a *root*, the schema file and anything its rules include must lie inside it.
    """
    tree = _parse_schema_file(Path(rng), root) if isinstance(rng, (str, Path)) else rng
    return extract_embedded(tree, root)


class SchematronRules:
    """A Schematron schema made into a stylesheet; ``validate`` yields findings.

    ``xslt`` holds the generated stylesheet (for debugging); ``param_names`` the
    schema-level lets a caller may override in :meth:`validate`. Subclasses
    decide where the stylesheet runs (:meth:`_svrl`).
    """

    label: str
    xslt: str
    param_names: list[str]

    def _generate(self, schema_tree: etree._ElementTree | etree._Element,
                  phase: str | None) -> None:
        try:
            self.xslt, self.param_names = _generate(schema_tree, phase)
        except SchemaError as exc:
            if exc.message.startswith(self.label):
                raise
            raise SchemaError(f"{self.label}: {exc.message}", path=exc.path, line=exc.line,
                              column=exc.column) from exc

    def validate(self, doc: Document, params: Mapping[str, str | int | bool] | None = None,
                 ) -> list[Finding]:
        """Check one parsed document; findings in document order."""
        wanted = {k: v for k, v in (params or {}).items() if k in self.param_names}
        # parsed like a document: SVRL from the sandbox is trusted no more than the data
        report = etree.fromstring(self._svrl(doc, wanted).encode("utf-8"), _hardened_parser())
        findings = list(_findings(report, doc))
        findings.sort(key=lambda f: (f.line, f.column))
        return findings

    def _svrl(self, doc: Document, params: Mapping[str, str | int | bool]) -> str:
        raise NotImplementedError

    def _failed(self, doc: Document, message: str) -> SchemaError:
        return SchemaError(f"{self.label}: the Schematron rules failed on this document: "
                           f"{message}", path=doc.path)


class Schematron(SchematronRules):
    """An ISO Schematron schema compiled for Saxon in this process (trusted rules)."""

    def __init__(self, schema_tree: etree._ElementTree | etree._Element, saxon: Saxon, *,
                 phase: str | None = None, label: str = "") -> None:
        self.label = label or "schematron"
        self.saxon = saxon
        self._generate(schema_tree, phase)
        self._executable = _compile(saxon, self.xslt, self.label)

    @classmethod
    def from_file(cls, path: str | Path, saxon: Saxon, *, phase: str | None = None,
                  label: str = "") -> Schematron:
        return cls(load_schematron(path), saxon, phase=phase, label=label or str(path))

    @classmethod
    def from_rng(cls, rng: str | Path | etree._ElementTree, saxon: Saxon, *,
                 phase: str | None = None, label: str = "") -> Schematron | None:
        """The rules embedded in a RelaxNG schema (a path or a parsed tree), or None."""
        schema = embedded_schema(rng)
        if schema is None:
            return None
        shown = label or (str(rng) if isinstance(rng, (str, Path)) else "embedded Schematron")
        return cls(schema, saxon, phase=phase, label=shown)

    def _svrl(self, doc: Document, params: Mapping[str, str | int | bool]) -> str:
        try:
            return self.saxon.transform(self._executable, self.saxon.node(doc.tree),
                                        params=params, label=self.label)
        except ToolkitError as exc:
            raise self._failed(doc, exc.message) from None


def _findings(report: etree._Element, doc: Document) -> Iterator[Finding]:
    for el in report:
        kind = _svrl_kind(el)
        if kind and kind != "active-pattern":
            yield _finding(el, doc, el.get(f"{{{SST}}}pattern", ""), kind)


def _svrl_kind(el: etree._Element) -> str | None:
    if not isinstance(el.tag, str):
        return None
    name = etree.QName(el)
    if name.namespace == SVRL or (name.namespace == SST and name.localname == "dynamic-error"):
        return name.localname if name.localname != "text" else None
    return None


def _finding(el: etree._Element, doc: Document, pattern: str, kind: str) -> Finding:
    location = el.get("location", "")
    line, column = doc.locate(element_at(doc.root, location))
    role = (el.get("role") or "").strip().lower()
    severity = Severity.ERROR if kind == "dynamic-error" else _SEVERITY.get(role, Severity.ERROR)
    return Finding(path=doc.path, line=line, column=column, severity=severity,
                   rule=el.get("id") or pattern or "schematron",
                   message=_svrl_message(el), xpath=location)


def _svrl_message(el: etree._Element) -> str:
    parts = [el.findtext(f"{{{SVRL}}}text") or ""]
    parts += [ref.findtext(f"{{{SVRL}}}text") or ""
              for ref in el.iterchildren(f"{{{SVRL}}}diagnostic-reference")]
    return " ".join(" ".join(parts).split())


_ELEMENT_STEP = re.compile(r"/Q\{([^}]*)\}([^\[/]+)\[(\d+)\]")


def element_at(root: etree._Element, location: str) -> etree._Element:
    """The element an XPath 3 ``path()`` result points at (or that holds the node it names).

    Attribute, text, comment and processing-instruction steps end the walk at
    their parent element; the document node and unknown paths give the root.
    """
    element: etree._Element | None = None
    pos = 0
    while (m := _ELEMENT_STEP.match(location, pos)):
        ns, local, index = m.groups()
        tag = f"{{{ns}}}{local}" if ns else local
        siblings = [root] if element is None else element.iterchildren(tag)
        found = next(islice((e for e in siblings if e.tag == tag), int(index) - 1, None), None)
        if found is None:
            break
        element, pos = found, m.end()
    return element if element is not None else root


__all__ = [
    "QUERY_BINDINGS", "SCH", "SVRL", "Schematron", "SchematronRules", "element_at",
    "embedded_schema", "extract_embedded", "load_schematron", "traced", "transpile",
]
