"""Which rules apply to a file: forced by the caller, named by the file, or the project's.

In order: an explicit schema and/or Schematron, else ``tei_all``, else the
document's ``<?xml-model?>`` processing instructions, else, for a file of the
configured edition, the edition's own schema shipped with the toolkit, else
``tei_all`` when one is available, else none (the file is only checked to be
well-formed, and a warning says so). A file outside the edition is never
silently held to the edition's own rules.

Rules the data chose (an ``xml-model`` href, a schema mapped or ``tei-all`` set in
the configuration, which a pull request can change too) are untrusted: their
files must lie inside the project folder (:meth:`Config.root_for`), and their
Schematron runs in the sandbox within the configured budget. The command line's
schemas, the toolkit's own and a packaged or fetched ``tei_all`` are trusted.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from lxml import etree

from ..config import Config, RuleBudget
from ..errors import SergeTeiError, UsageError
from ..findings import Finding, SchemaUsed, Severity
from ..inputs import shown
from ..reading import Document
from ..resources import schema_dir

RNG_NS = "http://relaxng.org/ns/structure/1.0"
SCH_NS = "http://purl.oclc.org/dsdl/schematron"
EDITION_SCHEMATRON = "serge-tei.sch"


@dataclass(frozen=True)
class Rules:
    """What one document is checked against."""

    rng: Path | None = None
    sch: Path | None = None
    embedded: bool = False  # run the Schematron embedded in the RelaxNG schema
    problem: Finding | None = None  # an association that could not be honoured
    origin: int | None = None  # line of the xml-model PI that chose these rules
    #: what chose them: option, tei-all, xml-model, edition, none (see SchemaUsed)
    chosen_by: str = "option"
    #: how the RelaxNG schema is reported, when not by its path (a tei_all release, an .rnc)
    label: str = ""
    #: for rules the data chose: the folder their files must lie in (None: trusted rules)
    root: Path | None = None
    #: and what their Schematron may spend (run in the sandbox); None: trusted, in process
    budget: RuleBudget | None = None
    #: the folder the RelaxNG schema must lie in when it is not *root*: a compact schema's
    #: conversion, made from checked bytes into the user cache
    converted: Path | None = None

    @property
    def grammar_root(self) -> Path | None:
        """The folder the RelaxNG schema (and what it includes) must lie in."""
        return self.converted if self.converted is not None else self.root

    @property
    def edition(self) -> bool:
        return self.sch is not None and self.sch.name == EDITION_SCHEMATRON

    def used(self, engine: str) -> SchemaUsed:
        """These rules as reported for a file checked by *engine*."""
        relaxng = self.label or (shown(self.rng) if self.rng is not None else "")
        schematron = shown(self.sch) if self.sch is not None else (
            "embedded" if self.embedded else "")
        return SchemaUsed(relaxng, schematron, engine if self.rng is not None else "",
                          self.chosen_by)


def project_rules() -> Rules:
    """The edition's own schema and Schematron, shipped with the toolkit."""
    folder = schema_dir()
    return Rules(rng=folder / "serge-tei.rng", sch=folder / EDITION_SCHEMATRON,
                 chosen_by="edition")


#: the rules of a file no schema applies to: well-formedness only
NO_RULES = Rules(chosen_by="none")


def fallback_rules(config: Config) -> Rules:
    """The rules of a file outside the edition that names none: ``tei_all``, if there is one.

    A configured ``tei_all`` that cannot be used is a problem reported on the
    file, never a silent fall to no schema.
    """
    from .teiall import default_tei_all  # importlib.metadata: only when needed

    try:
        found = default_tei_all(config)
    except SergeTeiError as exc:
        return Rules(problem=Finding("", 1, 1, Severity.ERROR, "schema.unresolved", exc.message),
                     chosen_by="tei-all")
    if found is None:
        return NO_RULES
    rules = Rules(rng=found.path, embedded=True, chosen_by="tei-all", label=found.label)
    return configured_tei_all(rules, found.source, config)


def configured_tei_all(rules: Rules, source: str, config: Config) -> Rules:
    """*rules* of a ``tei_all`` found from *source*: untrusted when the configuration named the
    file (a pull request may), trusted from the command line, the environment, a package or
    a release fetched against its pinned digest."""
    if not source.startswith("[tool.serge-tei]") or config.root is None:
        return rules
    return untrusted(rules, config.root, config.rule_budget)


def in_edition(real: Path, config: Config) -> bool:
    """Whether *real* is a file of the configured edition (its folder, or below)."""
    if config.edition is None:
        return False
    try:
        return real.resolve().is_relative_to(config.edition.resolve())
    except OSError:
        return False


def forced_rules(schema: Path | None, schematron: Path | None, tei_all: Path | None,
                 label: str = "") -> Rules | None:
    """The rules the caller chose for every file, or None to decide per file.

    *tei_all* is the ``tei_all.rng`` already found (see :mod:`.teiall`), *label*
    how it is reported.
    """
    if schema or schematron:
        for given in (schema, schematron):
            if given is not None and not given.is_file():
                raise UsageError(f"schema file not found: {given}")
        return Rules(rng=schema, sch=schematron,
                     embedded=schema is not None and schematron is None)
    if tei_all is not None:
        return Rules(rng=tei_all, embedded=True, chosen_by="tei-all", label=label)
    return None


def rules_for(doc: Document, real: Path, config: Config, forced: Rules | None,
              fallback: Callable[[], Rules] | None = None) -> Rules:
    """The rules for one parsed document (*fallback*: those of a file outside the edition
    that names none; default :func:`fallback_rules`)."""
    if forced is not None:
        return forced
    return rules_named(model_declarations(doc), real, config, doc.path, fallback)


def rules_named(models: list[Model], real: Path, config: Config, display: str,
                fallback: Callable[[], Rules] | None = None) -> Rules:
    """:func:`rules_for` a file whose ``<?xml-model?>`` instructions are *models* (the
    results cache decides the rules without parsing the file again)."""
    named = rules_from_models(models, real, config, display)
    if named is not None:
        return named
    if in_edition(real, config):
        return project_rules()
    return fallback() if fallback is not None else fallback_rules(config)


#: an ``<?xml-model?>`` processing instruction of the prolog: its text and line
Model = tuple[str, int | None]


def model_declarations(doc: Document) -> list[Model]:
    """The document's ``<?xml-model?>`` instructions, in order (all :func:`rules_named`
    needs)."""
    return [(pi.text or "", pi.sourceline) for pi in _prolog_pis(doc)]


def xml_model_rules(doc: Document, real: Path, config: Config) -> Rules | None:
    """Rules from ``<?xml-model?>`` processing instructions, or None if there are none."""
    return rules_from_models(model_declarations(doc), real, config, doc.path)


def rules_from_models(models: list[Model], real: Path, config: Config, display: str
                      ) -> Rules | None:
    """The rules that the instructions *models* of file *real* (shown as *display*) name."""
    rng = sch = converted = None
    embedded = False
    origin: int | None = None
    label = ""
    for text, sourceline in models:
        attrs = _pseudo_attributes(text)
        href = attrs.get("href")
        if not href:
            continue
        kind = _model_kind(attrs)
        if kind is None:
            continue
        line = sourceline or 1
        target = _resolve_href(href, real, config, config.root_for(real))
        if isinstance(target, str):
            return Rules(problem=Finding(display, line, 1, Severity.ERROR, "schema.unresolved",
                                        target), origin=line, chosen_by="xml-model")
        if kind == "rnc":
            label = shown(target)
            try:
                target = converted = _compact(target, real, config)
            except SergeTeiError as exc:
                return Rules(problem=Finding(display, line, 1, Severity.ERROR, "schema.unusable",
                                            f"{exc.location() or exc.path}: {exc.message}"),
                             origin=line, chosen_by="xml-model")
        if kind in ("rng", "rnc"):
            rng, embedded = target, True
        else:
            sch = target
        origin = origin or sourceline
    if rng is None and sch is None:
        return None
    rules = Rules(rng=rng, sch=sch, embedded=embedded and sch is None, origin=origin,
                  chosen_by="xml-model", label=label,
                  converted=converted.parent if converted is not None else None)
    if all(toolkits_own(p) for p in (rng, sch) if p is not None):
        return rules  # the toolkit's own schema, named from a checkout (../schema/...)
    return untrusted(rules, config.root_for(real), config.rule_budget)


def untrusted(rules: Rules, root: Path, budget: RuleBudget) -> Rules:
    """*rules* as rules the data chose: confined to *root*, Schematron in the sandbox."""
    return replace(rules, root=root, budget=budget)


def toolkits_own(path: Path) -> bool:
    """Whether *path* is one of the toolkit's own schema files, where the toolkit keeps them
    (trusted wherever a document names them from)."""
    try:
        return path.resolve().is_relative_to(_own_schemas())
    except (OSError, RuntimeError):
        return False


@functools.cache
def _own_schemas() -> Path:
    """The toolkit's schema folder, links resolved (asked for every document naming a
    schema: once per process)."""
    return schema_dir().resolve()


def _compact(rnc: Path, real: Path, config: Config) -> Path:
    from .compact import converted  # trang: only for a compact schema

    return converted(rnc, config.root_for(real))


def _prolog_pis(doc: Document) -> list[etree._ProcessingInstruction]:
    pis = [n for n in doc.root.itersiblings(preceding=True)
           if isinstance(n, etree._ProcessingInstruction) and n.target == "xml-model"]
    return list(reversed(pis))


def _pseudo_attributes(text: str) -> dict[str, str]:
    return {m[1]: m[3] for m in re.finditer(r"([\w:-]+)\s*=\s*(['\"])(.*?)\2", text)}


def _model_kind(attrs: dict[str, str]) -> str | None:
    ns = attrs.get("schematypens", "")
    href = attrs.get("href", "")
    compact = href.endswith(".rnc") or attrs.get("type") == "application/relax-ng-compact-syntax"
    if (ns == RNG_NS or not ns) and compact:
        return "rnc"
    if ns == RNG_NS or (not ns and href.endswith(".rng")):
        return "rng"
    if ns in (SCH_NS, "http://www.ascc.net/xml/schematron") or (not ns and href.endswith(".sch")):
        return "sch"
    return None


def _resolve_href(href: str, real: Path, config: Config, root: Path) -> Path | str:
    """The local schema file *href* names, inside *root*, or why there is none."""
    if href in config.schema_map:
        mapped = config.schema_map[href]
        if not _within(mapped, root):
            return (f"schema {href} is mapped to {mapped}, outside the project folder {root}; "
                    "schemas are read only from inside it (copy the file in)")
        if mapped.is_file():
            return mapped
        return f"schema {href} is mapped to {mapped}, which does not exist"
    if "://" in href:
        if href.startswith("file://"):
            href = href.removeprefix("file://")
        else:
            return (f"the xml-model schema {href} is remote and is never fetched; download it "
                    f"and map it under [tool.serge-tei.schemas] in pyproject.toml, e.g. "
                    f'"{href}" = "schemas/{Path(href).name}", or pass --schema FILE')
    if "\0" in href:
        return "the xml-model href holds a NUL character"
    target = Path(os.path.normpath(real.parent.absolute() / href))
    if not _within(target, root) and not toolkits_own(target):
        return (f"the xml-model schema {href} is outside the project folder {root}; schemas "
                "named by documents are read only from inside it (copy the schema in, or "
                "pass --schema FILE)")
    try:
        found = target.is_file()
    except OSError as exc:  # a name too long for the file system, say
        return f"the xml-model schema {href} cannot be looked up: {exc.strerror}"
    if not found:
        return f"the xml-model schema {href} was not found (looked for {target})"
    return target


def _within(path: Path, root: Path) -> bool:
    """Whether *path* lies inside *root*, as written and once links are resolved."""
    base = root.resolve()
    lexical = Path(os.path.normpath(path.absolute()))
    if not lexical.is_relative_to(base) and not lexical.is_relative_to(root.absolute()):
        return False
    try:
        return path.resolve().is_relative_to(base)
    except (OSError, RuntimeError):
        return False
