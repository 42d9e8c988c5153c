"""The compiled-schema cache: JSON that is checked on load, never code that runs.

A compiled schema (its patterns, datatypes and the memo tables of its
derivatives, so that a new process starts warm) is stored in the user cache
folder (``$XDG_CACHE_HOME/serge-tei``, else ``~/.cache/serge-tei``) as JSON,
written atomically. The file is named after the SHA-256 of the main schema's
bytes and the engine version; inside, it lists every other file of the schema
set with its digest, and the whole set's digest, so a changed include makes
the entry stale. Reading it back checks its structure completely (every
pattern refers only to earlier patterns, every datatype is rebuilt from its
name and parameters, every table entry is in range); a corrupt, foreign or
stale file is ignored and rebuilt, never trusted further. JSON cannot execute
anything when loaded, unlike the pickle this replaces.

The Unicode category table that ``\\p{..}`` patterns need (0.13 s to compute)
is cached the same way, checked for covering every code point exactly once.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

from ...errors import SergeTeiError
from ...reading import Limits, SchemaSet, _read_bytes, schema_bytes
from . import xsdregex
from .budget import Budget
from .datatypes import make_datatype
from .patterns import (
    AFTER,
    ATTRIBUTE,
    CHOICE,
    DATA,
    ELEMENT,
    EMPTY,
    GROUP,
    INTERLEAVE,
    KINDS,
    LIST,
    NOTALLOWED,
    ONEORMORE,
    TEXT,
    VALUE,
    NameClass,
    Pattern,
)
from .refusals import InvalidSchema, Unsupported
from .schema import Schema

FORMAT = "serge-tei/relaxng-schema"
#: a cache file larger than this is not read
MAX_CACHE_BYTES = 512 * 1024 * 1024
_NC_DEPTH = 16


class Rejected(Exception):
    """A cache file that is not exactly what this engine writes: rebuild instead."""


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "serge-tei"


def cache_file(main_data: bytes, engine: int) -> Path:
    return cache_dir() / f"rng-{hashlib.sha256(main_data).hexdigest()[:40]}-v{engine}.json"


def set_digest(main: Path, files: dict[Path, bytes]) -> tuple[str, list[tuple[str, str]]]:
    """The digest of a schema set keyed by paths relative to the main file's folder.

    Returns it with the (relative path, SHA-256) of every file but the main one.
    """
    h = hashlib.sha256()
    others: list[tuple[str, str]] = []
    for path in sorted(files, key=lambda p: (p != main, str(p))):
        rel = Path(os.path.relpath(path, main.parent)).as_posix()
        data = files[path]
        h.update(f"{rel}\0{len(data)}\0".encode())
        h.update(data)
        if path != main:
            others.append((rel, hashlib.sha256(data).hexdigest()))
    return h.hexdigest(), others


# ------------------------------------------------------------ looking up and storing

def lookup(path: Path, root: Path, limits: Limits, budget: Budget, engine: int
           ) -> tuple[Schema | None, Path]:
    """The cached schema of *path* if every file of its set is unchanged; and the cache file."""
    main, data = schema_bytes(path, root=root, limits=limits)  # hostile input raises here
    where = cache_file(data, engine)
    raw = _read_json(where)
    if raw is None:
        return None, where
    try:
        schema = _check_sources(raw, main, data, root, limits, engine)
        if schema is None:
            return None, where
        decode(raw, schema)
    except (Rejected, InvalidSchema, Unsupported, ValueError, TypeError, KeyError,
            IndexError, RecursionError):
        return None, where
    schema.budget = budget
    return schema, where


def _check_sources(raw: Any, main: Path, data: bytes, root: Path, limits: Limits,
                   engine: int) -> Schema | None:
    if not isinstance(raw, dict) or raw.get("format") != FORMAT or raw.get("engine") != engine:
        raise Rejected("not this engine's cache")
    files = {main: data}
    sources = raw["files"]
    if not isinstance(sources, list):
        raise Rejected("files")
    for item in sources:
        rel, digest = item
        if not isinstance(rel, str) or not isinstance(digest, str):
            raise Rejected("files")
        try:
            real, other = schema_bytes(main.parent / rel, root=root, limits=limits)
        except SergeTeiError:
            return None  # gone, moved or now refused: compile again (and report it then)
        if hashlib.sha256(other).hexdigest() != digest:
            return None
        files[real] = other
    digest, others = set_digest(main, files)
    if digest != raw["digest"]:
        return None
    schema = Schema(Budget(0, str(main)))
    schema.sources = others
    schema.set_digest = digest
    return schema


def store(schemas: SchemaSet, schema: Schema, engine: int) -> Path | None:
    """Write *schema* to the cache; its file, or None when the cache is not writable."""
    digest, others = set_digest(schemas.main, schemas.files)
    schema.sources = others
    schema.set_digest = digest
    where = cache_file(schemas.files[schemas.main], engine)
    return where if write_schema(where, schema, engine) else None


def write_schema(where: Path, schema: Schema, engine: int | None = None) -> bool:
    """Store *schema* atomically; False when the cache folder is not writable.

    A cache that cannot be written only costs the next process the compile
    time, so the caller goes on either way; no temporary file is left behind.
    """
    from . import ENGINE_VERSION

    data = encode(schema, ENGINE_VERSION if engine is None else engine)
    ok = _write_atomically(where, json.dumps(data, separators=(",", ":")).encode())
    if ok:
        stale = [p for p in where.parent.glob(where.name.rsplit("-v", 1)[0] + "-v*.json")
                 if p != where]  # the same schema compiled by another engine version
        stale += where.parent.glob("rng-*.pickle")  # the format this one replaces
        for path in stale:
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)
    return ok


def _write_atomically(where: Path, payload: bytes) -> bool:
    tmp: str | None = None
    try:
        where.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=where.parent, prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
        os.replace(tmp, where)
    except OSError:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        return False
    return True


def _read_json(where: Path) -> Any:
    """The JSON in *where*, or None if missing, not a regular file, too large or not JSON."""
    try:
        raw = _read_bytes(where, str(where), Limits(max_bytes=MAX_CACHE_BYTES))
        return json.loads(raw)
    except (SergeTeiError, ValueError, RecursionError):
        return None


# ------------------------------------------------------------ the format

def encode(schema: Schema, engine: int) -> dict[str, Any]:
    s = schema
    return {
        "format": FORMAT,
        "engine": engine,
        "digest": s.set_digest,
        "files": [list(f) for f in s.sources],
        "patterns": [_encode_pattern(p) for p in s.pats],
        "content": s.content,
        "start": s.start,
        "datatypes": [[d.library, d.name, [list(p) for p in d.params]] for d in s.datatypes],
        "warm": {
            "nullable": [[p, int(v)] for p, v in s._nullable.items()],
            "elem_cands": [[p, t, list(c)] for (p, t), c in s._elem_cands.items()],
            "elem_deriv": [[p, t, sorted(ok), r] for (p, t, ok), r in s._elem_deriv.items()],
            "attr_cands": [[p, t, list(c)] for (p, t), c in s._attr_cands.items()],
            "attr_deriv": [[p, t, sorted(ok), r] for (p, t, ok), r in s._attr_deriv.items()],
            "text_cands": [[p, list(c)] for p, c in s._text_cands.items()],
            "text_deriv": [[p, sorted(ok), r] for (p, ok), r in s._text_deriv.items()],
            "close": [[p, r] for p, r in s._close.items()],
            "close_lenient": [[p, r] for p, r in s._close_lenient.items()],
            "end": [[p, r] for p, r in s._end.items()],
            "elem_step": [[p, t, *step] for (p, t), step in s._elem_step.items()],
            "attr_step": [[p, t, list(c), r] for (p, t), (c, r) in s._attr_step.items()],
            "text_free": [[p, r] for p, r in s._text_free.items()],
            "leaf_end": [[p, *v] for p, v in s._leaf_end.items()],
        },
    }


def _encode_pattern(pat: Pattern) -> list[Any]:
    kind = pat[0]
    if kind == CHOICE:
        return [kind, list(pat[1])]
    if kind in (ATTRIBUTE, ELEMENT):
        return [kind, _encode_nc(pat[1]), pat[2]]
    return list(pat)


def _encode_nc(nc: NameClass) -> list[Any]:
    if nc[0] == "choice":
        return ["choice", [_encode_nc(c) for c in nc[1]]]
    if nc[0] == "any":
        return ["any", None if nc[1] is None else _encode_nc(nc[1])]
    if nc[0] == "ns":
        return ["ns", nc[1], None if nc[2] is None else _encode_nc(nc[2])]
    return list(nc)


def decode(raw: dict[str, Any], schema: Schema) -> None:
    """Fill *schema* from *raw*, checking every part; raises :class:`Rejected`."""
    datatypes = [make_datatype(_str(lib), _str(name), tuple(_pair(p) for p in _list(params)))
                 for lib, name, params in _list(raw["datatypes"])]
    content_size = len(_list(raw["content"]))
    pats: list[Pattern] = []
    for i, item in enumerate(_list(raw["patterns"])):
        pats.append(_decode_pattern(_list(item), i, len(datatypes), content_size, pats))
    if pats[:3] != [(EMPTY,), (NOTALLOWED,), (TEXT,)]:
        raise Rejected("base patterns")
    n = len(pats)
    index = {p: i for i, p in enumerate(pats)}
    if len(index) != n:
        raise Rejected("a pattern twice")
    schema.pats, schema._index, schema.datatypes = pats, index, datatypes
    schema.content = [_id(p, n) for p in raw["content"]]
    schema.start = _id(raw["start"], n)
    _decode_warm(_dict(raw["warm"]), schema, n)


def _decode_pattern(item: list[Any], i: int, datatypes: int, contents: int,
                    pats: list[Pattern]) -> Pattern:
    kind = item[0]
    if type(kind) is not int or not 0 <= kind < KINDS:
        raise Rejected("kind")
    if kind in (EMPTY, NOTALLOWED, TEXT):
        if len(item) != 1:
            raise Rejected("leaf")
        return (kind,)
    if kind == CHOICE:
        alts = tuple(_id(a, i) for a in _list(item[1]))
        if len(item) != 2 or len(alts) < 2 or list(alts) != sorted(set(alts)) \
                or any(pats[a][0] in (CHOICE, NOTALLOWED) for a in alts):
            raise Rejected("choice")
        return (CHOICE, alts)
    if kind in (GROUP, INTERLEAVE, AFTER):
        if len(item) != 3:
            raise Rejected("binary")
        return (kind, _id(item[1], i), _id(item[2], i))
    if kind in (ONEORMORE, LIST):
        if len(item) != 2:
            raise Rejected("unary")
        return (kind, _id(item[1], i))
    if len(item) != 3:
        raise Rejected("arity")
    if kind == DATA:
        ex = item[2]
        return (DATA, _id(item[1], datatypes), -1 if ex == -1 else _id(ex, i))
    if kind == VALUE:
        return (VALUE, _id(item[1], datatypes), _str(item[2]))
    nc = _decode_nc(item[1], 0)
    if kind == ATTRIBUTE:
        return (ATTRIBUTE, nc, _id(item[2], i))
    return (ELEMENT, nc, _id(item[2], contents))


def _decode_nc(raw: Any, depth: int) -> NameClass:
    if depth > _NC_DEPTH:
        raise Rejected("name class depth")
    item = _list(raw)
    kind = item[0]
    if kind == "name" and len(item) == 3:
        return ("name", _str(item[1]), _str(item[2]))
    if kind == "any" and len(item) == 2:
        return ("any", None if item[1] is None else _decode_nc(item[1], depth + 1))
    if kind == "ns" and len(item) == 3:
        return ("ns", _str(item[1]), None if item[2] is None else _decode_nc(item[2], depth + 1))
    if kind == "choice" and len(item) == 2:
        return ("choice", tuple(_decode_nc(c, depth + 1) for c in _list(item[1])))
    raise Rejected("name class")


def _decode_warm(warm: dict[str, Any], s: Schema, n: int) -> None:
    def ids(raw: Any) -> tuple[int, ...]:
        return tuple(_id(x, n) for x in _list(raw))

    s._nullable = {_id(p, n): bool(_flag(v)) for p, v in warm["nullable"]}
    s._elem_cands = {(_id(p, n), _str(t)): ids(c) for p, t, c in warm["elem_cands"]}
    s._elem_deriv = {(_id(p, n), _str(t), frozenset(ids(ok))): _id(r, n)
                     for p, t, ok, r in warm["elem_deriv"]}
    s._attr_cands = {(_id(p, n), _str(t)): ids(c) for p, t, c in warm["attr_cands"]}
    s._attr_deriv = {(_id(p, n), _str(t), frozenset(ids(ok))): _id(r, n)
                     for p, t, ok, r in warm["attr_deriv"]}
    s._text_cands = {_id(p, n): ids(c) for p, c in warm["text_cands"]}
    s._text_deriv = {(_id(p, n), frozenset(ids(ok))): _id(r, n)
                     for p, ok, r in warm["text_deriv"]}
    s._close = {_id(p, n): _id(r, n) for p, r in warm["close"]}
    s._close_lenient = {_id(p, n): _id(r, n) for p, r in warm["close_lenient"]}
    s._end = {_id(p, n): _id(r, n) for p, r in warm["end"]}
    s._elem_step = {(_id(p, n), _str(t)): (_id(a, n, True), _id(b, n, True), _id(c, n, True),
                                           _id(d, n, True), _maybe(e), _maybe(f), _maybe(g))
                    for p, t, a, b, c, d, e, f, g in warm["elem_step"]}
    s._attr_step = {(_id(p, n), _str(t)): (ids(c), _id(r, n, True))
                    for p, t, c, r in warm["attr_step"]}
    s._text_free = {_id(p, n): _id(r, n, True) for p, r in warm["text_free"]}
    s._leaf_end = {_id(p, n): (_maybe(a), _maybe(b), _maybe(c)) for p, a, b, c in warm["leaf_end"]}


def _id(value: Any, limit: int, missing: bool = False) -> int:
    """An index below *limit* (or -1, where *missing* is allowed)."""
    if type(value) is not int or not (0 <= value < limit or (missing and value == -1)):
        raise Rejected("index")
    return value


def _str(value: Any) -> str:
    if type(value) is not str:
        raise Rejected("string")
    return value


def _list(value: Any) -> list[Any]:
    if type(value) is not list:
        raise Rejected("list")
    return value


def _dict(value: Any) -> dict[str, Any]:
    if type(value) is not dict:
        raise Rejected("object")
    return value


def _pair(value: Any) -> tuple[str, str]:
    item = _list(value)
    if len(item) != 2:
        raise Rejected("pair")
    return _str(item[0]), _str(item[1])


def _flag(value: Any) -> int:
    if value not in (0, 1) or type(value) is not int:
        raise Rejected("flag")
    return int(value)


def _maybe(value: Any) -> bool | None:
    if value is not None and type(value) is not bool:
        raise Rejected("verdict")
    return value


# ------------------------------------------------------------ the Unicode category table

def _categories() -> xsdregex.CategoryTable:
    """Python's Unicode general categories as code point ranges, from the cache when sound."""
    where = cache_dir() / f"unicode-categories-{unicodedata.unidata_version}.json"
    raw = _read_json(where)
    if raw is not None:
        try:
            return _check_categories(raw)
        except (Rejected, ValueError, TypeError):
            pass
    table = xsdregex.scan_categories()
    _write_atomically(where, json.dumps(table, separators=(",", ":")).encode())
    return table


def _check_categories(raw: Any) -> xsdregex.CategoryTable:
    table = {_str(cat): [(_int(a), _int(b)) for a, b in _list(rs)] for cat, rs in
             _dict(raw).items()}
    spans = sorted(r for rs in table.values() for r in rs)
    expect = 0
    for a, b in spans:
        if a != expect or b < a:
            raise Rejected("coverage")
        expect = b + 1
    if expect != 0x110000 or not all(len(c) == 2 for c in table):
        raise Rejected("coverage")
    return table


def _int(value: Any) -> int:
    if type(value) is not int:
        raise Rejected("int")
    return value


xsdregex.category_loader = _categories
