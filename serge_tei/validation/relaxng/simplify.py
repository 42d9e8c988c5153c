"""RELAX NG's XML syntax -> a :class:`~.schema.Schema`, simplified as section 4 of the spec says.

Defines are inlined (each grammar, nested or included, keeps its own
scope; ``parentRef`` reaches the enclosing one), ``include`` merges another
grammar with its overrides (a ``start`` or ``define`` inside the include
replaces the included grammar's), ``externalRef`` takes another file's
pattern, ``ns`` is inherited across files while ``datatypeLibrary`` is not,
``combine`` joins defines of one name, and every element pattern is numbered
so that contents can refer back to their elements.

Every file comes from a :class:`~serge_tei.reading.SchemaSet`, read and
checked by the hardened schema reader before this module sees it. The work
is an explicit stack over (node, context) and (grammar, name) tasks, so a
chain of 5,000 references is no deeper in Python than one; a reference that
loops back without an element in between is refused, as the spec requires.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from ...errors import SchemaError
from ...reading import SchemaSet, schema_href
from . import restrictions
from .budget import Budget
from .datatypes import XSD_LIB, make_datatype
from .patterns import (
    ATTRIBUTE,
    CHOICE,
    DATA,
    ELEMENT,
    NOTALLOWED,
    VALUE,
    XML_NS,
    NameClass,
    nc_choice,
)
from .refusals import InvalidSchema, Unsupported
from .schema import Schema

RNG_NS = "http://relaxng.org/ns/structure/1.0"
RNG = "{" + RNG_NS + "}"
XMLNS_NS = "http://www.w3.org/2000/xmlns"
#: includes within includes beyond which a schema is refused
MAX_INCLUDE_DEPTH = 100
_CHECK_EVERY = 512

_GROUPING = {"group", "interleave", "choice", "optional", "zeroOrMore", "oneOrMore", "list",
             "mixed"}
_LEAVES = {"empty", "notAllowed", "text", "value", "element"}


class UnsupportedSchema(SchemaError):
    """The schema uses a construct this engine does not implement; use another engine."""


@dataclass(eq=False)
class Scope:
    """One grammar: its defines (``#start`` among them) and the grammar around it."""

    parent: Scope | None
    defines: dict[str, list[tuple[etree._Element, Context]]] = field(default_factory=dict)
    combine: dict[str, str] = field(default_factory=dict)
    plain: dict[str, etree._Element] = field(default_factory=dict)


@dataclass(eq=False)
class Context:
    """Where a node is read: its file, its grammar, the ``ns`` it inherits from outside its file."""

    file: Path
    scope: Scope | None
    ns: str
    #: the files that included or referred to this one (loops are errors)
    chain: tuple[Path, ...]


Task = tuple[Any, ...]


def _rng_children(node: etree._Element) -> list[etree._Element]:
    """RNG child elements; foreign elements (annotations, Schematron) are ignored."""
    return [c for c in node if isinstance(c.tag, str) and c.tag.startswith(RNG)]


def _local(node: etree._Element) -> str:
    return str(node.tag)[len(RNG):]


class Simplifier:
    """One compilation of one schema set."""

    def __init__(self, schemas: SchemaSet, budget: Budget) -> None:
        self.schemas = schemas
        self.budget = budget
        self.s = Schema(budget)
        self.results: dict[Task, int] = {}
        self.elements: dict[tuple[etree._Element, Context], int] = {}
        self.queue: list[tuple[int, etree._Element, Context]] = []
        self.datatype_ids: dict[tuple[str, str, tuple[tuple[str, str], ...]], int] = {}
        self.nested: dict[tuple[etree._Element, Context], Scope] = {}
        self.external: dict[tuple[etree._Element, Context], Context] = {}
        self.started = budget.begin()
        self.steps = 0

    # -- the whole run
    def run(self) -> Schema:
        main = self.schemas.main
        root = self.schemas.trees[main].getroot()
        ctx = Context(main, None, "", (main,))
        s = self.s
        s.start = self.evaluate(("n", root, ctx))
        while self.queue:
            k, node, nctx = self.queue.pop()
            s.content[k] = self.evaluate(("c", node, nctx))
        self._check_start(s.start)
        try:
            restrictions.check(s)
        except InvalidSchema as exc:
            raise SchemaError(str(exc), path=str(self.schemas.main)) from None
        self._check_id_types()
        self.budget.end(self.started)
        return s

    def _tick(self) -> None:
        self.steps += 1
        if self.steps % _CHECK_EVERY == 0:
            self.budget.check(self.started)

    # -- the task stack
    def evaluate(self, root: Task) -> int:
        """The pattern of task *root*, computing what it depends on first (no recursion)."""
        results = self.results
        expanding: set[Task] = set()
        stack = [root]
        while stack:
            task = stack[-1]
            if task in results:
                stack.pop()
                continue
            self._tick()
            try:
                deps = self._deps(task)
                missing = [d for d in deps if d not in results]
                if missing:
                    for d in missing:
                        if d in expanding:
                            raise InvalidSchema(f"pattern {d[2]!r} refers to itself outside "
                                                "an element" if d[0] == "d" else "a loop")
                    expanding.add(task)
                    stack.extend(reversed(missing))
                    continue
                results[task] = self._build(task, [results[d] for d in deps])
            except (InvalidSchema, Unsupported) as exc:
                raise _located(exc, task) from None
            expanding.discard(task)
            stack.pop()
        return results[root]

    def _deps(self, task: Task) -> list[Task]:
        kind = task[0]
        if kind == "d":
            _, scope, name = task
            return [("b", node, ctx) for node, ctx in scope.defines[name]]
        node, ctx = task[1], task[2]
        if kind in ("b", "c", "x"):
            kids = _rng_children(node)
            if kind == "c" and node.get("name") is None:
                kids = kids[1:]  # the name class
            return [("n", c, ctx) for c in kids]
        local = _local(node)
        if local in _GROUPING:
            return [("n", c, ctx) for c in _rng_children(node)]
        if local == "attribute":
            kids = _rng_children(node)
            return [("n", c, ctx) for c in (kids if node.get("name") is not None else kids[1:])]
        if local in ("ref", "parentRef"):
            return [self._define(node, ctx, parent=local == "parentRef")]
        if local == "data":
            return [("x", c, ctx) for c in node if c.tag == RNG + "except"]
        if local == "externalRef":
            target = self._external(node, ctx)
            return [("n", self.schemas.trees[target.file].getroot(), target)]
        if local == "grammar":
            return [("d", self._grammar(node, ctx), "#start")]
        if local in _LEAVES:
            return []
        raise InvalidSchema(f"unexpected <{local}> where a pattern belongs")

    def _build(self, task: Task, parts: list[int]) -> int:
        s = self.s
        kind = task[0]
        if kind == "d":
            _, scope, name = task
            if scope.combine.get(name) == "interleave":
                return self._fold(s.interleave, parts)
            return s.choice(*parts)
        if kind in ("b", "c"):
            return self._fold(s.group, parts)
        if kind == "x":
            return s.choice(*parts)
        node, ctx = task[1], task[2]
        local = _local(node)
        if local in ("ref", "parentRef", "externalRef", "grammar"):
            return parts[0]
        builder = _BUILDERS.get(local)
        if builder is not None:
            return builder(self, parts)
        if local == "attribute":
            return self._attribute(node, ctx, parts)
        if local == "element":
            return self._element(node, ctx)
        if local == "data":
            return self._data(node, parts)
        if local == "value":
            return self._value(node)
        if local == "empty":
            return s.empty
        if local == "notAllowed":
            return s.notallowed
        return s.text

    def _fold(self, combine: Callable[[int, int], int], parts: list[int]) -> int:
        if not parts:
            return self.s.empty
        out = parts[0]
        for p in parts[1:]:
            out = combine(out, p)
        return out

    def _grouped(self, parts: list[int]) -> int:
        return self._fold(self.s.group, parts)

    # -- patterns
    def _element(self, node: etree._Element, ctx: Context) -> int:
        key = (node, ctx)
        k = self.elements.get(key)
        if k is None:
            k = self.elements[key] = len(self.s.content)
            self.s.content.append(self.s.notallowed)
            self.queue.append((k, node, ctx))
        return self.s.mk((ELEMENT, self._name_class(node, ctx, attribute=False), k))

    def _attribute(self, node: etree._Element, ctx: Context, parts: list[int]) -> int:
        nc = self._name_class(node, ctx, attribute=True)
        value = self._grouped(parts) if parts else self.s.text
        return self.s.attribute(nc, value)

    def _data(self, node: etree._Element, parts: list[int]) -> int:
        params = tuple((p.get("name", "").strip(), p.text or "") for p in node
                       if p.tag == RNG + "param")
        dt = self._datatype(node, node.get("type", "").strip(), params)
        ex = parts[0] if parts else -1
        return self.s.mk((DATA, dt, ex))

    def _value(self, node: etree._Element) -> int:
        if node.get("type") is None:
            dt = self._datatype(node, "token", (), library="")
        else:
            dt = self._datatype(node, node.get("type", "").strip(), ())
        text = node.text or ""
        if self.s.datatypes[dt].value(text) is None:
            raise InvalidSchema(f'"{text}" is not a valid value of the datatype')
        return self.s.mk((VALUE, dt, text))

    def _datatype(self, node: etree._Element, name: str, params: tuple[tuple[str, str], ...],
                  library: str | None = None) -> int:
        lib = _inherited(node, "datatypeLibrary") if library is None else library
        key = (lib or "", name, params)
        got = self.datatype_ids.get(key)
        if got is None:
            self.s.datatypes.append(make_datatype(*key))
            got = self.datatype_ids[key] = len(self.s.datatypes) - 1
        return got

    # -- name classes
    def _ns(self, node: etree._Element, ctx: Context) -> str:
        value = _inherited(node, "ns")
        return ctx.ns if value is None else value.strip()

    def _name_class(self, node: etree._Element, ctx: Context, attribute: bool) -> NameClass:
        name = node.get("name")
        if name is not None:
            name = name.strip()
            if attribute and ":" not in name:
                nc: NameClass = ("name", (node.get("ns") or "").strip(), name)
            else:
                nc = self._qname(node, ctx, name)
        else:
            kids = _rng_children(node)
            if not kids:
                raise InvalidSchema(f"<{_local(node)}> without a name")
            nc = self._nc(kids[0], ctx, ())
        if attribute:
            _check_not_xmlns(nc)
        return nc

    def _qname(self, node: etree._Element, ctx: Context, name: str) -> NameClass:
        if ":" in name:
            prefix, local = name.split(":", 1)
            ns = XML_NS if prefix == "xml" else node.nsmap.get(prefix)
            if ns is None:
                raise InvalidSchema(f"undeclared prefix in {name!r}")
            return ("name", ns, local)
        return ("name", self._ns(node, ctx), name)

    def _nc(self, node: etree._Element, ctx: Context, within: tuple[str, ...]) -> NameClass:
        """A name class; *within* names the anyName/nsName excepts around it (section 4.16)."""
        local = _local(node)
        if local == "name":
            return self._qname(node, ctx, (node.text or "").strip())
        if local in ("anyName", "nsName"):
            if local == "anyName" and within:
                raise InvalidSchema("anyName inside the except of an anyName or nsName",
                                    node.sourceline)
            if local == "nsName" and "nsName" in within:
                raise InvalidSchema("nsName inside the except of an nsName", node.sourceline)
            excepts = [c for c in node if c.tag == RNG + "except"]
            exc = None
            if excepts:
                exc = nc_choice([self._nc(c, ctx, (*within, local))
                                 for c in _rng_children(excepts[0])])
            if local == "anyName":
                return ("any", exc)
            return ("ns", self._ns(node, ctx), exc)
        if local == "choice":
            return nc_choice([self._nc(c, ctx, within) for c in _rng_children(node)])
        raise InvalidSchema(f"<{local}> is not a name class", node.sourceline)

    # -- grammars, references, other files
    def _define(self, node: etree._Element, ctx: Context, parent: bool) -> Task:
        name = (node.get("name") or "").strip()
        scope = ctx.scope
        if parent:
            scope = scope.parent if scope is not None else None
            if scope is None:
                raise InvalidSchema(f"parentRef {name!r} outside a nested grammar")
        if scope is None:
            raise InvalidSchema(f"reference to {name!r} outside a grammar")
        if name not in scope.defines:
            raise InvalidSchema(f"reference to undefined pattern {name!r}")
        return ("d", scope, name)

    def _grammar(self, node: etree._Element, ctx: Context) -> Scope:
        key = (node, ctx)
        scope = self.nested.get(key)
        if scope is None:
            scope = self.nested[key] = Scope(parent=ctx.scope)
            inner = Context(ctx.file, scope, ctx.ns, ctx.chain)
            for kind, name, comp, cctx in self._components(node, inner, 0):
                self._register(scope, kind, name, comp, cctx)
            if "#start" not in scope.defines:
                raise InvalidSchema("the grammar has no <start>")
            self._check_references(scope)
        return scope

    def _register(self, scope: Scope, kind: str, name: str, node: etree._Element,
                  ctx: Context) -> None:
        how = node.get("combine")
        how = how.strip() if how is not None else None
        if how is None:
            first = scope.plain.setdefault(name, node)
            if first is not node:
                what = "<start>" if name == "#start" else f"define {name!r}"
                raise _located(InvalidSchema(
                    f"{what} is given twice without a combine attribute"), ("n", node, ctx))
        elif how not in ("choice", "interleave"):
            raise _located(InvalidSchema(f"combine={how!r}: use choice or interleave"),
                           ("n", node, ctx))
        elif scope.combine.setdefault(name, how) != how:
            raise _located(InvalidSchema(f"{name!r} is combined both by choice and by "
                                         "interleave"), ("n", node, ctx))
        scope.defines.setdefault(name, []).append((node, ctx))

    def _components(self, grammar: etree._Element, ctx: Context, depth: int
                    ) -> list[tuple[str, str, etree._Element, Context]]:
        """The defines and starts of *grammar*, its divs and includes merged (section 4.7)."""
        out: list[tuple[str, str, etree._Element, Context]] = []
        todo = list(reversed(_rng_children(grammar)))
        while todo:
            node = todo.pop()
            local = _local(node)
            try:
                if local == "div":
                    todo.extend(reversed(_rng_children(node)))
                elif local == "define":
                    out.append(("define", (node.get("name") or "").strip(), node, ctx))
                elif local == "start":
                    out.append(("start", "#start", node, ctx))
                elif local == "include":
                    out.extend(self._include(node, ctx, depth))
                else:
                    raise InvalidSchema(f"unexpected <{local}> in a grammar")
            except (InvalidSchema, Unsupported) as exc:
                raise _located(exc, ("n", node, ctx)) from None
        return out

    def _include(self, node: etree._Element, ctx: Context, depth: int
                 ) -> list[tuple[str, str, etree._Element, Context]]:
        if depth >= MAX_INCLUDE_DEPTH:
            raise InvalidSchema(f"includes nested more than {MAX_INCLUDE_DEPTH} deep")
        target = self._target(node, ctx)
        root = self.schemas.trees[target].getroot()
        if root.tag != RNG + "grammar":
            raise InvalidSchema(f"the included file {target.name} is not a <grammar>")
        inner = Context(target, ctx.scope, self._ns(node, ctx), (*ctx.chain, target))
        included = self._components(root, inner, depth + 1)
        own = self._components(node, ctx, depth)
        overridden = {name for _, name, _, _ in own}
        present = {name for _, name, _, _ in included}
        for _, name, comp, cctx in own:
            if name not in present:
                what = "a <start>" if name == "#start" else f"a define {name!r}"
                raise _located(InvalidSchema(f"the include overrides {what} that "
                                             f"{target.name} does not have"), ("n", comp, cctx))
        return [c for c in included if c[1] not in overridden] + own

    def _external(self, node: etree._Element, ctx: Context) -> Context:
        key = (node, ctx)
        got = self.external.get(key)
        if got is None:
            target = self._target(node, ctx)
            got = self.external[key] = Context(target, ctx.scope, self._ns(node, ctx),
                                               (*ctx.chain, target))
        return got

    def _target(self, node: etree._Element, ctx: Context) -> Path:
        """The checked file an include or externalRef names; loops are errors."""
        target = schema_href(node, self.schemas.root)
        if target in ctx.chain:
            raise InvalidSchema(f"{target.name} includes or refers to itself (a loop)")
        if target not in self.schemas.trees:
            raise InvalidSchema(f"{target.name} was not read with the schema")
        return target

    def _check_references(self, scope: Scope) -> None:
        """Every ref names a define of its grammar, used or not (jing checks them all)."""
        for nodes in scope.defines.values():
            for define, ctx in nodes:
                for ref in _references(define):
                    try:
                        self._define(ref, ctx, parent=ref.tag == RNG + "parentRef")
                    except InvalidSchema as exc:
                        raise _located(exc, ("n", ref, ctx)) from None

    # -- section 7 restrictions the engine relies on
    def _check_start(self, start: int) -> None:
        """The start pattern is elements only (section 7.1.5)."""
        s = self.s
        stack = [start]
        while stack:
            pat = s.pats[stack.pop()]
            if pat[0] == CHOICE:
                stack.extend(pat[1])
            elif pat[0] not in (ELEMENT, NOTALLOWED):
                raise SchemaError("the start pattern must be elements (not text, attributes, "
                                  "data, empty, a group or a repetition)",
                                  path=str(self.schemas.main))

    def _check_id_types(self) -> None:
        """ID datatypes only as attribute values; xml:id only (RELAX NG DTD compatibility)."""
        s = self.s
        id_typed = {p for p, pat in enumerate(s.pats)
                    if pat[0] in (DATA, VALUE) and s.datatypes[pat[1]].id_type}
        if not id_typed:
            return
        for p, pat in enumerate(s.pats):
            kids = set(s.children(p))
            if pat[0] == DATA and pat[2] >= 0:
                kids.add(pat[2])
            hit = kids & id_typed
            if not hit:
                continue
            if pat[0] != ATTRIBUTE:
                raise SchemaError('a "data" or "value" pattern with an ID datatype must be '
                                  'the whole value of an attribute', path=str(self.schemas.main))
            kind = s.datatypes[s.pats[next(iter(hit))][1]].id_type
            if kind != "ID" or pat[1] != ("name", XML_NS, "id"):
                raise UnsupportedSchema(
                    f"the built-in RelaxNG engine does not support the {kind} datatype on "
                    f"attributes other than xml:id (identity checking)",
                    path=str(self.schemas.main))
        if set(s.content) & id_typed or s.start in id_typed:
            raise SchemaError('a "data" or "value" pattern with an ID datatype must be the '
                              "whole value of an attribute", path=str(self.schemas.main))


_BUILDERS: dict[str, Callable[[Simplifier, list[int]], int]] = {
    "group": lambda self, parts: self._grouped(parts),
    "choice": lambda self, parts: self.s.choice(*parts),
    "interleave": lambda self, parts: self._fold(self.s.interleave, parts),
    "mixed": lambda self, parts: self.s.interleave(self.s.text, self._grouped(parts)),
    "optional": lambda self, parts: self.s.optional(self._grouped(parts)),
    "zeroOrMore": lambda self, parts: self.s.optional(self.s.one_or_more(self._grouped(parts))),
    "oneOrMore": lambda self, parts: self.s.one_or_more(self._grouped(parts)),
    "list": lambda self, parts: self.s.list_(self._grouped(parts)),
}


def _references(define: etree._Element) -> list[etree._Element]:
    """ref and parentRef elements of a define's body, not inside nested grammars."""
    out: list[etree._Element] = []
    todo = _rng_children(define)
    while todo:
        node = todo.pop()
        local = _local(node)
        if local in ("ref", "parentRef"):
            out.append(node)
        elif local != "grammar":
            todo.extend(_rng_children(node))
    return out


def _inherited(node: etree._Element, attr: str) -> str | None:
    """The nearest ancestor-or-self value of *attr* within the node's own file."""
    for el in (node, *node.iterancestors()):
        value = el.get(attr)
        if value is not None:
            return value
    return None


def _check_not_xmlns(nc: NameClass) -> None:
    if nc[0] == "name" and (nc[1] == XMLNS_NS or (nc[1] == "" and nc[2] == "xmlns")):
        raise InvalidSchema("an attribute may not be named xmlns or be in the xmlns namespace")
    if nc[0] == "ns" and nc[1] == XMLNS_NS:
        raise InvalidSchema("an attribute name class may not be the xmlns namespace")
    if nc[0] == "choice":
        for c in nc[1]:
            _check_not_xmlns(c)


def _located(exc: InvalidSchema | Unsupported, task: Task) -> SchemaError:
    """The toolkit's error for *exc*, at the file and line of the node *task* is about."""
    if task[0] == "d":
        nodes = task[1].defines.get(task[2]) or []
        node, ctx = nodes[0] if nodes else (None, None)
    else:
        node, ctx = task[1], task[2]
    path = str(ctx.file) if ctx is not None else None
    line = exc.line if exc.line is not None else node.sourceline if node is not None else None
    if isinstance(exc, Unsupported):
        return UnsupportedSchema(f"the built-in RelaxNG engine does not support {exc}",
                                 path=path, line=line)
    return SchemaError(str(exc), path=path, line=line)


def compile_set(schemas: SchemaSet, budget: Budget) -> Schema:
    """Compile a checked schema set (raises ``SchemaError`` or ``UnsupportedSchema``)."""
    return Simplifier(schemas, budget).run()


__all__ = ["XSD_LIB", "Simplifier", "UnsupportedSchema", "compile_set"]
