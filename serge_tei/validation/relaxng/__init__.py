"""The toolkit's own RelaxNG validator, fast enough to beat a JVM start on ``tei_all``.

libxml2 needs 15 s to compile ``tei_all`` (and never finishes DraCor's);
jing loads it in half a second but costs a JVM. This engine reads a schema
(XML syntax, with its includes) through the hardened schema reader, simplifies
it as section 4 of the RELAX NG specification says, keeps the result in a
checked JSON cache, and validates parsed documents by derivatives.

    schema = load(Path("schema/tei_all.rng"), root=project)
    findings = schema.validate(read_document("play.xml"))

The modules, by concern: :mod:`.patterns` (hash-consed patterns),
:mod:`.derivatives`, :mod:`.schema` (the step tables of the walk),
:mod:`.walk` (a document and its findings), :mod:`.simplify` (reading and
simplification), :mod:`.loader` and :mod:`.cache`, :mod:`.datatypes` and
:mod:`.xsdregex` (XML Schema datatypes and patterns), :mod:`.budget`.

What is not implemented raises :class:`UnsupportedSchema` at load time, so
that the caller falls back to jing rather than risk a wrong verdict.
"""

from __future__ import annotations

from . import cache as _cache  # noqa: F401  (installs the Unicode table cache)
from .budget import DEFAULT_SECONDS
from .loader import ENGINE_VERSION, load
from .schema import Schema
from .simplify import UnsupportedSchema

__all__ = ["DEFAULT_SECONDS", "ENGINE_VERSION", "Schema", "UnsupportedSchema", "load"]
