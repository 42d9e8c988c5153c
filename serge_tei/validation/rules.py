"""Which rules apply to a file: forced by the caller, named by the file, or the project's.

In order: an explicit schema and/or Schematron, else ``tei_all``, else the
document's ``<?xml-model?>`` processing instructions, else the edition's own
schema shipped with the toolkit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..config import Config
from ..errors import UsageError
from ..findings import Finding, Severity
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

    @property
    def edition(self) -> bool:
        return self.sch is not None and self.sch.name == EDITION_SCHEMATRON


def project_rules() -> Rules:
    """The edition's own schema and Schematron, shipped with the toolkit."""
    folder = schema_dir()
    return Rules(rng=folder / "serge-tei.rng", sch=folder / EDITION_SCHEMATRON)


def forced_rules(schema: Path | None, schematron: Path | None, tei_all: Path | None
                 ) -> Rules | None:
    """The rules the caller chose for every file, or None to decide per file.

    *tei_all* is the ``tei_all.rng`` already found (see :mod:`.teiall`).
    """
    if schema or schematron:
        for given in (schema, schematron):
            if given is not None and not given.is_file():
                raise UsageError(f"schema file not found: {given}")
        return Rules(rng=schema, sch=schematron,
                     embedded=schema is not None and schematron is None)
    if tei_all is not None:
        return Rules(rng=tei_all, embedded=True)
    return None


def rules_for(doc: Document, real: Path, config: Config, forced: Rules | None) -> Rules:
    """The rules for one parsed document."""
    return forced or xml_model_rules(doc, real, config) or project_rules()


def xml_model_rules(doc: Document, real: Path, config: Config) -> Rules | None:
    """Rules from ``<?xml-model?>`` processing instructions, or None if there are none."""
    rng = sch = None
    embedded = False
    origin: int | None = None
    for pi in _prolog_pis(doc):
        attrs = _pseudo_attributes(pi.text or "")
        href = attrs.get("href")
        if not href:
            continue
        kind = _model_kind(attrs)
        if kind is None:
            continue
        target = _resolve_href(href, real, config)
        if isinstance(target, str):
            line = pi.sourceline or 1
            return Rules(problem=Finding(doc.path, line, 1, Severity.ERROR, "schema.unresolved",
                                        target))
        if kind == "rng":
            rng, embedded = target, True
        else:
            sch = target
        origin = origin or pi.sourceline
    if rng is None and sch is None:
        return None
    return Rules(rng=rng, sch=sch, embedded=embedded and sch is None, origin=origin)


def _prolog_pis(doc: Document) -> list[etree._ProcessingInstruction]:
    pis = [n for n in doc.root.itersiblings(preceding=True)
           if isinstance(n, etree._ProcessingInstruction) and n.target == "xml-model"]
    return list(reversed(pis))


def _pseudo_attributes(text: str) -> dict[str, str]:
    return {m[1]: m[3] for m in re.finditer(r"([\w:-]+)\s*=\s*(['\"])(.*?)\2", text)}


def _model_kind(attrs: dict[str, str]) -> str | None:
    ns = attrs.get("schematypens", "")
    href = attrs.get("href", "")
    if ns == RNG_NS or (not ns and href.endswith(".rng")):
        return "rng"
    if ns in (SCH_NS, "http://www.ascc.net/xml/schematron") or (not ns and href.endswith(".sch")):
        return "sch"
    return None


def _resolve_href(href: str, real: Path, config: Config) -> Path | str:
    """The local schema file *href* names, or why there is none."""
    if href in config.schema_map:
        mapped = config.schema_map[href]
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
    target = (real.parent / href).resolve()
    if not target.is_file():
        return f"the xml-model schema {href} was not found (looked for {target})"
    return target
