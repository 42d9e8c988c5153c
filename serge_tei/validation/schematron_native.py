"""Schematron rules run on the tree the reader already parsed, where that gives Saxon's answer.

A Schematron schema runs in Saxon as one generated stylesheet (:mod:`.schematron`),
which means handing Saxon each document to parse a second time: for a play of
GerDraCor that costs more than parsing and checking its grammar together. Most
rules, though, are simple paths and tests that XPath 1 answers exactly as
XPath 2 does (:mod:`.xpath1` decides which). Those are compiled into a second,
small XSLT 1.0 stylesheet that libxslt runs on the lxml tree itself:

* a pattern is native when every one of its rules translates: its context
  (elements only), its lets (strings, numbers, booleans), its assertions'
  tests and the ``value-of``/``name`` of their messages and diagnostics, with
  no ``subject`` and no pattern-level lets;
* the stylesheet does no walk of its own: it takes the elements of each name
  from a key (one index per document), the elements carrying an attribute
  from the attribute, and tests each rule on its candidates at once
  (``$rule[not(test)]``), or one by one where ``current()`` or lets need it;
  a rule of a pattern skips the elements an earlier rule of the pattern
  matched, as a node fires only the first matching rule of each pattern;
* it writes only what fired: which check, on which element (its number in
  document order). Messages, rule ids, severities and locations (XPath 3
  ``path()`` strings) are then made here, as the Saxon run makes them, and
  findings come in document order, then schema order, sorted by line;
* for every rule left to Saxon, a *probe* in the same stylesheet says whether
  it can match anything in the document (the element name its context ends
  in, and the context itself where it translates).

:class:`Accelerated` puts the two together: a document on which no Saxon rule
can fire is checked natively, any other by the whole stylesheet in Saxon, so
that a finding never depends on how the two would interleave. The Saxon
stylesheet is compiled on first need only. ``tests/test_schematron_native.py``
shows both give identical findings.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from ..errors import SchemaError
from ..findings import Finding, Severity
from ..reading import Document
from ..saxon import SAXON_TEXT_CHUNK
from . import xpath1
from .schematron import (
    _SEVERITY,
    XSL,
    Schematron,
    _is_sch,
    _local,
    _parse_schema_file,
    _prepare,
    _rules,
    _sch,
    _select_patterns,
    extract_embedded,
    load_schematron,
)
from .xpath1 import Alternative, Context, Typed, Untranslatable

_STRING = etree.XPath("string(.)")
#: a text node Saxon would get lengthened (see :func:`serge_tei.saxon.guard_long_text`)
_LONG_TEXT = etree.XPath(f"boolean(descendant::text()[string-length() >= {SAXON_TEXT_CHUNK}])")
#: the stylesheet's own names: every element; the element names present (a parameter)
_ALL, _PRESENT = "sst_all", "sst_present"
#: parameters: the attribute names present of those rules ask about (" * ": not known), and
#: whether every element is gathered (only rules that ask about attributes need them all)
_ATTRIBUTES, _WALK = "sst_attributes", "sst_walk"
_UNKNOWN = " * "
#: an element's number in document order (elements only, from 0)
_NUMBER = "count(preceding::*) + count(ancestor::*)"


@dataclass(frozen=True)
class _Part:
    """A piece of a message: literal text, or an expression whose value is written."""

    text: str = ""
    value: etree.XPath | None = None
    kind: str = "string"


@dataclass(frozen=True)
class _Check:
    """An ``assert`` (fires when its test is false) or a ``report`` (when true)."""

    message: tuple[_Part, ...]
    diagnostics: tuple[tuple[_Part, ...], ...]
    rule_id: str
    severity: Severity
    lets: tuple[tuple[str, etree.XPath], ...]  # its rule's, for the message's values


@dataclass
class NativeRules:
    """The native part of a Schematron schema as one XSLT 1.0 stylesheet, and its checks."""

    transform: etree.XSLT
    checks: dict[tuple[int, int], _Check]  # by (rule in schema order, check in rule)
    complete: bool  # no rule is left to Saxon
    tags: frozenset[str]  # the element names (Clark notation) the stylesheet asks about
    saxon_tags: frozenset[str]  # names whose mere presence leaves a document to Saxon
    stylesheet: str = ""  # the stylesheet's text (what the disk cache keeps)
    namespaces: Mapping[str, str] = field(default_factory=dict)  # of the checks' XPaths
    #: the attribute names (no namespace) whose absence skips the rules that ask about them
    attributes: frozenset[str] = frozenset()
    #: a rule needs every element whatever the attributes present (else only where one of
    #: :attr:`attributes` is)
    all_elements: bool = True

    def present(self, root: etree._Element) -> set[str]:
        """Which of :attr:`tags` occur under *root*.

        lxml's iterator matches names in C; it is restarted after each name found,
        without the names found, so the tree is walked at most once per name present
        rather than once per name asked about (as ``descendant::x`` would).
        """
        found: set[str] = set()
        remaining = set(self.tags)
        while remaining:
            el = next(root.iter(*remaining), None)
            if el is None:
                break
            found.add(str(el.tag))
            remaining.discard(str(el.tag))
        return found

    def run(self, doc: Document) -> list[Finding] | None:
        """The native findings on *doc*, or None if a rule left to Saxon may fire on it."""
        names = doc.element_names
        present = self.present(doc.root) if names is None else self.tags & names
        if present & self.saxon_tags:
            return None
        listed = " ".join(["", *sorted(present), ""])
        params: dict[str, Any] = {_PRESENT: etree.XSLT.strparam(listed)}
        attributes = doc.attribute_names
        if attributes is not None:  # (else every rule runs, all elements gathered)
            asked = attributes & self.attributes
            params[_ATTRIBUTES] = etree.XSLT.strparam(" ".join(["", *sorted(asked), ""]))
            params[_WALK] = "true()" if asked or self.all_elements else "false()"
        out = self.transform(doc.tree, **params).getroot()
        if out is None or out.get("saxon") is not None:
            return None
        fired = sorted((int(f.get("n", "")), int(f.get("r", "")), int(f.get("c", "")))
                       for f in out)
        if not fired:
            return []
        elements = list(doc.root.iter(etree.Element))
        findings = [_finding(doc, elements[n], self.checks[(r, c)]) for n, r, c in fired]
        findings.sort(key=lambda f: (f.line, f.column))
        return findings


def _finding(doc: Document, node: etree._Element, check: _Check) -> Finding:
    variables: dict[str, Any] = {xpath1.CURRENT: node}
    for name, expr in check.lets:
        variables[name] = expr(node, **variables)
    parts = [_message(check.message, node, variables)]
    parts += [_message(d, node, variables) for d in check.diagnostics]
    line, column = doc.locate(node)
    return Finding(doc.path, line, column, check.severity, check.rule_id,
                   " ".join(" ".join(parts).split()), xpath=path_of(node))


def _message(parts: tuple[_Part, ...], node: etree._Element, variables: dict[str, Any]) -> str:
    return "".join(part.text if part.value is None
                   else _written(part.value(node, **variables), part.kind) for part in parts)


def _written(value: Any, kind: str) -> str:
    """What ``xsl:value-of`` writes for an XPath value: a sequence joined by spaces."""
    if kind == "nodes":
        return " ".join(_string_value(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if math.isfinite(value) else str(value)
    return str(value)


def _string_value(node: Any) -> str:
    if isinstance(node, etree._Element) and isinstance(node.tag, str):
        return str(_STRING(node))
    if isinstance(node, etree._Element):  # a comment or processing instruction
        return node.text or ""
    return str(node)


def path_of(el: etree._Element) -> str:
    """XPath 3's ``path()`` of an element: ``/Q{ns}local[n]`` for it and each ancestor."""
    steps = []
    node: etree._Element | None = el
    while node is not None:
        qname = etree.QName(node)
        position = 1 + len(list(node.itersiblings(str(node.tag), preceding=True)))
        steps.append(f"/Q{{{qname.namespace or ''}}}{qname.localname}[{position}]")
        node = node.getparent()
    return "".join(reversed(steps))


# ------------------------------------------------------------ building

@dataclass
class _Built:
    """A native rule: the expression of its candidates, and the stylesheet's checks of it."""

    order: int
    candidates: str  # XPath 1, from the document node
    names: frozenset[str] | None  # the element names it may match (None: any)
    #: the attributes one of which each element it may match carries, when its candidates
    #: are found through them (see _Maker._candidates); None when not
    attributes: frozenset[str] | None
    matches: str  # a test true of exactly the elements it matches (for later rules)
    excludes: str  # a test true of the elements an earlier rule of its pattern took ("")
    body: list[etree._Element]  # the stylesheet's instructions for its checks


#: a rule left to Saxon, as the stylesheet looks for it: (the test of its context, or None;
#: the element names it may match, or None; the attributes it is found through, or None)
_Probe = tuple[str | None, frozenset[str] | None, frozenset[str] | None]

#: a check as the stylesheet runs it: (number, test, report, one node at a time, a weaker
#: test that picks the nodes it may fire on)
_Test = tuple[int, str, bool, bool, str | None]


class _Maker:
    """Builds the stylesheet for one schema and phase."""

    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self.namespaces = {ns.get("prefix", ""): ns.get("uri", "")
                           for ns in root.iterchildren(_sch("ns"))}
        self.diagnostics = {d.get("id", ""): d for d in root.iter(_sch("diagnostic"))}
        self.checks: dict[tuple[int, int], _Check] = {}
        self.probes: list[_Probe] = []

    def build(self, phase: str | None) -> NativeRules | None:
        _, patterns, phase_lets = _select_patterns(self.root, phase)
        native: list[list[_Built]] = []
        order = 0
        for pattern in patterns:
            rules = _rules(pattern)
            built = None if phase_lets else self._pattern(pattern, rules, order)
            if built is not None:
                native.append(built)
            else:
                for rule in rules:
                    probe = self._probe(rule.get("context", ""))
                    if probe is None:
                        return None  # a rule that might always fire: Saxon for everything
                    self.probes.append(probe)
            order += len(rules)
        if not native:
            return None
        tags = {n for rules in native for r in rules for n in r.names or ()}
        tags |= {n for _, names, _ in self.probes for n in names or ()}
        saxon = {n for select, names, _ in self.probes if select is None for n in names or ()}
        sheet = self._stylesheet(native)
        guarded = [r.attributes for rules in native for r in rules] + \
            [a for select, _, a in self.probes if select]
        attributes = frozenset(a for group in guarded for a in group or ())
        # a rule that walks every element without an attribute guard: every document
        unguarded = any(f"${_ALL}" in r.candidates and r.attributes is None
                        for rules in native for r in rules) or \
            any(select and f"${_ALL}" in select and a is None for select, _, a in self.probes)
        return NativeRules(_compiled(sheet), self.checks, not self.probes,
                           frozenset(tags), frozenset(saxon),
                           etree.tostring(sheet, encoding="unicode"), dict(self.namespaces),
                           attributes, unguarded)

    # -- patterns and rules
    def _pattern(self, pattern: etree._Element, rules: list[etree._Element], order: int
                 ) -> list[_Built] | None:
        if pattern.find(_sch("let")) is not None or pattern.get("documents") is not None:
            return None
        built: list[_Built] = []
        try:
            for offset, rule in enumerate(rules):
                excludes = " or ".join(b.matches for b in built)
                built.append(self._rule(pattern, rule, order + offset, excludes,
                                        several=len(rules) > 1))
        except Untranslatable:
            for key in [k for k in self.checks if order <= k[0] < order + len(rules)]:
                del self.checks[key]
            return None
        return built

    def _rule(self, pattern: etree._Element, rule: etree._Element, order: int,
              excludes: str, *, several: bool) -> _Built:
        if rule.get("subject") is not None:
            raise Untranslatable("subject")
        alternatives = xpath1.pattern_alternatives(rule.get("context", ""),
                                                   Context(self.namespaces))
        if _overlap(alternatives):
            raise Untranslatable("alternatives that may match the same element")
        if several and any(a.predicates is None for a in alternatives):
            # Which elements an earlier rule of the pattern took is told by a self-test,
            # which is exact for one step without positions.
            raise Untranslatable("a rule of several whose context is more than one step")
        variables: dict[str, Typed] = {}
        lets: list[tuple[str, str]] = []
        tests: list[_Test] = []
        for child in rule.iterchildren(tag=etree.Element):
            local = _local(child) if _is_sch(child) else None
            if local == "let":
                lets.append(self._let(child, variables))
            elif local in ("assert", "report"):
                tests.append(self._check(pattern, rule, child, (order, len(tests)), variables,
                                         lets))
            elif local not in ("title", "p"):
                raise Untranslatable(f"<{local}> in a rule")
        candidates = [self._candidates(a) for a in alternatives]
        names = [n for _, n in candidates]
        built = _Built(order, " | ".join(c for c, _ in candidates),
                       None if None in names else frozenset(n for n in names if n),
                       _through_attributes(alternatives),
                       " or ".join(_self_test(a) for a in alternatives), excludes, [])
        built.body = self._checks(built, lets, tests)
        return built

    def _candidates(self, alt: Alternative) -> tuple[str, str | None]:
        """The elements *alt* matches, and the element name they have (Clark), if one.

        One step with an element name is found by the descendant axis from the root
        (``//`` would visit every node twice); a wildcard step that requires an
        attribute through the attribute, not by testing every element.
        """
        name = _clark(alt.tag, self.namespaces)
        if alt.tag is not None and name is None:
            raise Untranslatable("an undeclared prefix")
        if alt.tag is not None and alt.predicates is not None:
            return f"descendant::{alt.tag}{alt.predicates}", name
        if alt.attribute is not None and alt.predicates is not None:
            return f"${_ALL}/@{alt.attribute}/parent::{alt.test}{alt.predicates}", None
        return alt.select, name

    def _let(self, let: etree._Element, variables: dict[str, Typed]) -> tuple[str, str]:
        name, value = let.get("name"), let.get("value")
        if not name or value is None or let.get("as") is not None:
            raise Untranslatable("a let without a value, or typed")
        typed = xpath1.translate(value, Context(self.namespaces, variables))
        if typed.kind not in ("string", "number", "boolean") or not typed.single:
            raise Untranslatable("a let that holds nodes or a sequence")
        var = f"sst_v{len(variables)}"
        variables[name] = Typed(f"${var}", typed.kind, single=True, integral=typed.integral)
        return var, typed.text

    def _check(self, pattern: etree._Element, rule: etree._Element, check: etree._Element,
               key: tuple[int, int], variables: dict[str, Typed],
               lets: list[tuple[str, str]]) -> _Test:
        if check.get("subject") is not None:
            raise Untranslatable("subject")
        report = _local(check) == "report"
        ctx = Context(self.namespaces, variables)
        test = xpath1.test_expression(check.get("test", ""), ctx)
        per_node = ctx.uses_current or bool(ctx.used_variables)
        weaker = None
        if per_node and report and not ctx.used_variables:
            # A report whose test is a path fires only where the path without its
            # predicates selects something (dropping predicates elsewhere could
            # strengthen a test rather than weaken it).
            typed = xpath1.translate(check.get("test", ""), Context(self.namespaces))
            stripped = xpath1.without_predicates(typed.text)
            weaker = stripped if typed.kind == "nodes" and "$" not in stripped else None
        refs = []
        for ident in (check.get("diagnostics") or "").split():
            if ident not in self.diagnostics:
                raise Untranslatable("an unknown diagnostic")
            refs.append(self._message(self.diagnostics[ident], variables))
        role = (check.get("role", rule.get("role")) or "").strip().lower()
        self.checks[key] = _Check(
            self._message(check, variables), tuple(refs),
            check.get("id") or pattern.get("id") or "schematron",
            _SEVERITY.get(role, Severity.ERROR),
            tuple((var, self._xpath(value)) for var, value in lets))
        return key[1], test, report, per_node, weaker

    def _message(self, el: etree._Element, variables: dict[str, Typed]) -> tuple[_Part, ...]:
        """The parts of an assertion's or diagnostic's text, as the transpiler writes them."""
        parts: list[_Part] = []
        if el.text:
            parts.append(_Part(el.text))
        for child in el.iterchildren(tag=etree.Element):
            local = _local(child) if _is_sch(child) else None
            if local == "value-of":
                typed = xpath1.translate(child.get("select", ""),
                                         Context(self.namespaces, variables))
                if typed.kind == "strings" or (typed.kind == "number" and not typed.integral):
                    raise Untranslatable("a value-of that XPath 1 would write differently")
                parts.append(_Part(value=self._xpath(typed.text), kind=typed.kind))
            elif local == "name":
                typed = xpath1.translate(f"name({child.get('path') or '.'})",
                                         Context(self.namespaces, variables))
                parts.append(_Part(value=self._xpath(typed.text)))
            else:
                parts.extend(self._message(child, variables))
            if child.tail:
                parts.append(_Part(child.tail))
        return tuple(parts)

    def _xpath(self, text: str) -> etree.XPath:
        try:
            return etree.XPath(text, namespaces={k: v for k, v in self.namespaces.items() if k})
        except etree.XPathSyntaxError as exc:
            raise Untranslatable(f"lxml cannot compile {text!r}: {exc}") from None

    # -- probes
    def _probe(self, context: str) -> _Probe | None:
        """When a rule left to Saxon may match something: (a test of the context, or None
        when only the element name it ends in is known; the names it may match, None for
        any; the attributes one of which it requires, when found through them). None if
        nothing can tell."""
        try:
            alternatives = xpath1.pattern_alternatives(context, Context(self.namespaces),
                                                       attributes=True)
            candidates = [self._candidates(a) for a in alternatives]
        except Untranslatable:
            tag = _clark(_last_name(context), self.namespaces)
            return None if tag is None else (None, frozenset({tag}), None)
        names = [n for _, n in candidates]
        return (" | ".join(c for c, _ in candidates),
                None if None in names else frozenset(n for n in names if n),
                _through_attributes(alternatives))

    # -- the stylesheet
    def _checks(self, rule: _Built, lets: list[tuple[str, str]], tests: list[_Test]
                ) -> list[etree._Element]:
        nodes = f"$sst_r{rule.order}"
        out: list[etree._Element] = []
        for number, test, report, per_node, weaker in tests:
            record = _record(rule.order, number)
            fires = test if report else f"not({test})"
            if not per_node:
                each = _xsl("for-each", select=f"{nodes}[{fires}]")
                each.append(record)
            else:
                each = _xsl("for-each", select=f"{nodes}[{weaker}]" if weaker else nodes)
                each.append(_xsl("variable", name=xpath1.CURRENT, select="."))
                for var, value in lets:
                    each.append(_xsl("variable", name=var, select=value))
                cond = _xsl("if", test=fires)
                cond.append(record)
                each.append(cond)
            out.append(each)
        return out

    def _stylesheet(self, patterns: list[list[_Built]]) -> etree._Element:
        nsmap = {k: v for k, v in self.namespaces.items() if k and k != "xsl"}
        sheet = etree.Element(f"{{{XSL}}}stylesheet", nsmap={"xsl": XSL, **nsmap},
                              version="1.0")
        sheet.append(_xsl("param", name=_PRESENT, select="' '"))
        sheet.append(_xsl("param", name=_ATTRIBUTES, select=f"'{_UNKNOWN}'"))
        sheet.append(_xsl("param", name=_WALK, select="true()"))
        top = _xsl("template", match="/")
        sheet.append(top)
        out = etree.SubElement(top, "r")
        # every element, unless no rule that asks for them can match (a walk of the tree)
        out.append(_xsl("variable", name=_ALL, select=f"/self::node()[${_WALK}]//*"))
        native = out
        tests = [_guarded(select, names, attributes)
                 for select, names, attributes in self.probes if select]
        if tests:  # a rule left to Saxon may fire: say so, and do nothing else
            choose = etree.SubElement(out, f"{{{XSL}}}choose")
            saxon = _xsl("when", test=" or ".join(tests))
            saxon.append(_xsl("attribute", name="saxon"))
            choose.append(saxon)
            native = etree.SubElement(choose, f"{{{XSL}}}otherwise")
        for rules in patterns:
            for rule in rules:
                select = f"({rule.candidates})"
                if rule.excludes:
                    select += f"[not({rule.excludes})]"
                block = native
                if rule.names is not None:  # skipped where none of its names occur
                    block = _xsl("if", test=_any_present(rule.names))
                    native.append(block)
                elif rule.attributes is not None:  # or none of its attributes
                    block = _xsl("if", test=_any_attribute(rule.attributes))
                    native.append(block)
                block.append(_xsl("variable", name=f"sst_r{rule.order}", select=select))
                block.extend(rule.body)
        return sheet


def _compiled(sheet: etree._Element) -> etree.XSLT:
    """The stylesheet, compiled by libxslt with every access to files and network denied."""
    try:
        return etree.XSLT(sheet, access_control=etree.XSLTAccessControl.DENY_ALL)
    except etree.XSLTParseError as exc:
        raise Untranslatable(f"libxslt refused the stylesheet: {exc}") from None


def _any_present(names: frozenset[str]) -> str:
    return " or ".join(f"contains(${_PRESENT}, ' {n} ')" for n in sorted(names))


def _any_attribute(names: frozenset[str]) -> str:
    return " or ".join([f"${_ATTRIBUTES} = '{_UNKNOWN}'",
                        *(f"contains(${_ATTRIBUTES}, ' {n} ')" for n in sorted(names))])


def _guarded(select: str, names: frozenset[str] | None, attributes: frozenset[str] | None
             ) -> str:
    """*select* as a test, evaluated only when one of *names* occurs (or, for a selection
    through attributes, one of *attributes*)."""
    if names is not None:
        return f"(({_any_present(names)}) and boolean({select}))"
    if attributes is not None:
        return f"(({_any_attribute(attributes)}) and boolean({select}))"
    return f"boolean({select})"


def _through_attributes(alternatives: list[Alternative]) -> frozenset[str] | None:
    """The attributes through which all of *alternatives* find their candidates (the
    ``$sst_all/@name`` of :meth:`_Maker._candidates`: a wildcard step requiring an
    attribute, without positions), or None if one of them is found otherwise."""
    found = [a.attribute for a in alternatives
             if a.tag is None and a.attribute is not None and a.predicates is not None]
    if not found or len(found) != len(alternatives):
        return None
    return frozenset(str(a) for a in found)


def _clark(name: str | None, namespaces: Mapping[str, str]) -> str | None:
    """``prefix:local`` as ``{uri}local`` (no prefix: no namespace); None if undeclared."""
    if name is None:
        return None
    prefix, _, local = name.rpartition(":")
    if not prefix:
        return local
    uri = namespaces.get(prefix)
    return None if uri is None else f"{{{uri}}}{local}"


def _self_test(alt: Alternative) -> str:
    """True of exactly the elements a one-step alternative matches."""
    return f"self::{alt.test}{alt.predicates or ''}"


def _record(rule: int, check: int) -> etree._Element:
    """What the stylesheet writes when a check fires on the current element."""
    el = etree.Element("f", r=str(rule), c=str(check))
    el.append(_xsl("attribute", name="n"))
    el[0].append(_xsl("value-of", select=_NUMBER))
    return el


def _xsl(local: str, **attrs: str) -> etree._Element:
    return etree.Element(f"{{{XSL}}}{local}", attrs)


def _overlap(alternatives: list[Alternative]) -> bool:
    tags = [a.tag for a in alternatives]
    return len(tags) > 1 and (None in tags or len(set(tags)) < len(tags))


def _last_name(pattern: str) -> str | None:
    """The element name a pattern (one path, predicates aside) ends in, read from its text."""
    if "|" in pattern:
        return None
    depth, plain = 0, []
    for ch in pattern:
        depth += ch == "["
        if depth == 0:
            plain.append(ch)
        depth -= ch == "]"
    m = re.search(r"(?:^|/)([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)\s*$", "".join(plain))
    return (m[1] or "") + m[2] if m else None


def build(schema: etree._ElementTree | etree._Element, phase: str | None = None
          ) -> NativeRules | None:
    """The native part of *schema* (a loaded Schematron tree), or None if no pattern is
    native or a rule left to Saxon could never be ruled out cheaply."""
    return _Maker(_prepare(schema)).build(phase)


# ------------------------------------------------------------ the two together

class Accelerated:
    """A Schematron schema checked natively on the documents where that is exact.

    *compile* makes the Saxon :class:`~.schematron.Schematron` of the same
    schema; it is called the first time a document needs it.
    """

    def __init__(self, native: NativeRules, compile: Callable[[], Schematron],
                 label: str) -> None:
        self.native = native
        self._compile = compile
        self._saxon: Schematron | None = None
        self.label = label

    @property
    def saxon(self) -> Schematron:
        if self._saxon is None:
            self._saxon = self._compile()
        return self._saxon

    def validate(self, doc: Document, params: Mapping[str, str | int | bool] | None = None
                 ) -> list[Finding]:
        """Check one parsed document; the same findings as the Saxon run, in the same order."""
        if not _long_text(doc):
            try:
                found = self.native.run(doc)
            except etree.XSLTApplyError:  # never seen: Saxon's answer is the reference
                found = None
            if found is not None:
                return found
        return self.saxon.validate(doc, params)


def _long_text(doc: Document) -> bool:
    """Whether Saxon would get a changed copy of *doc*: then only Saxon gives its answer.

    A text node that long needs as long a run of source text without ``<`` (references
    only shorten text), unless CDATA sections were merged into it; both are looked for
    in the source before the tree is.
    """
    text = doc.text
    if len(text) < SAXON_TEXT_CHUNK or not (_long_run(text) or "<![CDATA[" in text):
        return False
    return bool(_LONG_TEXT(doc.root))


def _long_run(text: str) -> bool:
    """Whether *text* has :data:`SAXON_TEXT_CHUNK` characters in a row without ``<``: each
    window is searched backwards from its end, so markup-dense text is crossed in a few
    steps."""
    pos = 0
    while pos + SAXON_TEXT_CHUNK <= len(text):
        last = text.rfind("<", pos, pos + SAXON_TEXT_CHUNK)
        if last < 0:
            return True
        pos = last + 1
    return False


def accelerated(path: Path, embedded: bool, compile: Callable[[], Schematron | None]
                ) -> Accelerated | None:
    """The schema of *path* (or the rules embedded in it) with its native part; None when
    there is none, or when the schema has a problem (Saxon's compilation then reports it)."""
    native = _load(path, embedded)
    if native is None:
        try:
            tree = extract_embedded(_parse_schema_file(path)) if embedded \
                else load_schematron(path)
            native = build(tree) if tree is not None else None
        except (SchemaError, Untranslatable):
            return None
        if native is None:
            return None
        _save(path, embedded, native)

    def saxon() -> Schematron:
        made = compile()
        assert made is not None  # the same schema has rules: Saxon's has them too
        return made

    return Accelerated(native, saxon, str(path))


__all__ = ["Accelerated", "NativeRules", "accelerated", "build", "path_of"]


# ------------------------------------------------------------ the disk cache

#: the layout of a cache file (a new one is written when it changes)
CACHE_FORMAT = "serge-tei/native-schematron-2"


def _cache_file(path: Path, embedded: bool) -> Path:
    """Where the native part of *path* (as it is now, with this toolkit) is kept."""
    import hashlib

    from .results_cache import cache_dir, schema_set_digest, toolkit_identity

    key = hashlib.sha256(json.dumps([CACHE_FORMAT, toolkit_identity(), schema_set_digest(path),
                                     embedded]).encode()).hexdigest()
    return cache_dir() / f"native-schematron-{key[:40]}.json"


def _save(path: Path, embedded: bool, native: NativeRules) -> None:
    """Keep *native* for the next process (JSON, written atomically; best effort)."""
    data = {"format": CACHE_FORMAT, "stylesheet": native.stylesheet,
            "namespaces": dict(native.namespaces), "complete": native.complete,
            "tags": sorted(native.tags), "saxon_tags": sorted(native.saxon_tags),
            "attributes": sorted(native.attributes), "all_elements": native.all_elements,
            "checks": [[r, c, check.rule_id, check.severity.value,
                        [[v, x.path] for v, x in check.lets], _parts_data(check.message),
                        [_parts_data(d) for d in check.diagnostics]]
                       for (r, c), check in native.checks.items()]}
    with contextlib.suppress(OSError):
        target = _cache_file(path, embedded)
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh)
        os.replace(tmp, target)


def _parts_data(parts: tuple[_Part, ...]) -> list[list[str | None]]:
    return [[p.text, p.value.path if p.value is not None else None, p.kind] for p in parts]


def _load(path: Path, embedded: bool) -> NativeRules | None:
    """The native part kept by an earlier process, or None (absent, stale or malformed: it
    is then built again; nothing in the file is ever run but as XPath and XSLT 1.0)."""
    try:
        raw = json.loads(_cache_file(path, embedded).read_text(encoding="utf-8"))
        return _decoded(raw)
    except (OSError, ValueError, TypeError, KeyError, etree.Error, Untranslatable):
        return None


def _decoded(raw: dict[str, object]) -> NativeRules:
    if raw["format"] != CACHE_FORMAT:
        raise ValueError("another format")
    namespaces = raw["namespaces"]
    if not (isinstance(namespaces, dict) and all(
            isinstance(k, str) and isinstance(v, str) for k, v in namespaces.items())):
        raise TypeError("namespaces")
    stylesheet = raw["stylesheet"]
    if not isinstance(stylesheet, str):
        raise TypeError("stylesheet")
    ns = {k: v for k, v in namespaces.items() if k}
    checks: dict[tuple[int, int], _Check] = {}
    for item in raw["checks"]:  # type: ignore[attr-defined]
        rule, number, rule_id, severity, lets, message, diagnostics = item
        if not (type(rule) is int and type(number) is int and isinstance(rule_id, str)):
            raise TypeError("check")
        checks[(rule, number)] = _Check(
            _parts_of(message, ns), tuple(_parts_of(d, ns) for d in diagnostics), rule_id,
            Severity(severity), tuple((str(v), etree.XPath(str(x), namespaces=ns))
                                      for v, x in lets))
    tags, saxon_tags, attributes = raw["tags"], raw["saxon_tags"], raw["attributes"]
    if not (isinstance(tags, list) and isinstance(saxon_tags, list)
            and isinstance(attributes, list) and isinstance(raw["complete"], bool)
            and isinstance(raw["all_elements"], bool)):
        raise TypeError("tags")
    sheet = etree.fromstring(stylesheet.encode("utf-8"))
    return NativeRules(_compiled(sheet), checks, raw["complete"],
                       frozenset(map(str, tags)), frozenset(map(str, saxon_tags)), stylesheet,
                       namespaces, frozenset(map(str, attributes)), raw["all_elements"])


def _parts_of(data: list[list[str | None]], ns: dict[str, str]) -> tuple[_Part, ...]:
    parts = []
    for text, value, kind in data:
        if not (isinstance(text, str) and (value is None or isinstance(value, str))
                and kind in ("string", "number", "boolean", "nodes")):
            raise TypeError("message")
        parts.append(_Part(text, etree.XPath(value, namespaces=ns) if value else None,
                           str(kind)))
    return tuple(parts)
