"""Loading a schema: from the disk cache when its files are unchanged, else compiled."""

from __future__ import annotations

import os
from pathlib import Path

from ...reading import Limits, read_schema_set
from . import cache
from .budget import Budget, default_seconds
from .schema import Schema
from .simplify import compile_set

#: bump when the compiled form or its semantics change: old caches are then ignored
ENGINE_VERSION = 10


def load(path: str | os.PathLike[str], *, root: str | os.PathLike[str] | None = None,
         limits: Limits | None = None, use_cache: bool = True,
         budget: float | None = None) -> Schema:
    """The compiled schema of *path*, from the disk cache when its schema set is unchanged.

    Every file is read through the hardened schema reader and must lie inside
    *root* (default: the schema's own folder): pass the project folder so that
    a schema may include files beside it. *budget* is the compile time allowed
    in seconds (default ``SERGE_TEI_SCHEMA_BUDGET``, else 60).

    Raises :class:`UnsupportedSchema` when the schema uses something this
    engine does not implement (use jing), :class:`~serge_tei.errors.SchemaError`
    when it is not usable at all.
    """
    path = Path(path)
    base = Path(root) if root is not None else path.parent
    lim = limits if limits is not None else Limits()
    meter = Budget(budget if budget is not None else default_seconds(), str(path))
    if use_cache:
        schema, where = cache.lookup(path, base, lim, meter, ENGINE_VERSION)
        if schema is not None:
            schema.cache_file = (where, schema.memo_size())
            return schema
    schemas = read_schema_set(path, root=base, limits=lim)
    schema = compile_set(schemas, meter)
    if use_cache:
        stored = cache.store(schemas, schema, ENGINE_VERSION)
        if stored is not None:
            schema.cache_file = (stored, schema.memo_size())
    return schema
