"""The results cache: validating a file that has not changed is a look-up, not a check.

What a check finds depends on the file's bytes, the rules that apply to it
(the bytes of every file of its schema set), the cross-file facts those rules
read (the edition's parameters for this document), the toolkit (its version
and its own files) and the run's environment (library versions, the RelaxNG
engine asked for, whether jing is there to complete libxml2's findings, the
reader's limits). A result is stored under the SHA-256 of all of these
(:func:`result_key`), so that a changed ``persons.xml`` changes the
parameters, and so the key, of exactly the documents whose pointers into it
resolve differently.

Deciding the key must cost less than the check it saves, so three things are
remembered besides results: a file's content digest as last read, trusted
while its ``stat`` is unchanged and it was not modified within
:data:`RACY_SECONDS` of being read (the "racily clean" rule of git's index);
the ``<?xml-model?>`` instructions of a content digest (the rules, without
parsing the file); and the edition facts of a content digest under a file
name (the parameters, without parsing the edition).

Everything lives in one SQLite file in the user cache folder
(``$XDG_CACHE_HOME/serge-tei``, else ``~/.cache/serge-tei``), private to the
user. Rows are JSON text, never pickles, and are checked field by field when
read: a row that is not exactly what this module writes is a miss and is
deleted. SQLite keeps concurrent runs safe (write-ahead log, a busy timeout,
each batch of writes in one transaction); a file that is not a database is
replaced; a cache that cannot be opened or written is skipped for the run.
The cache is only ever an accelerator: no error of its own reaches the user.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sqlite3
import stat
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..findings import FileResult, Finding, Severity
from ..reading import Limits

#: the layout of the database and of its rows; a new layout starts a new file
FORMAT = 2
DB_NAME = f"results-v{FORMAT}.sqlite3"
#: a file modified this close to the moment it was hashed is hashed again next time
RACY_SECONDS = 2.0
#: rows not used for this long are deleted (checked at most once a day)
KEEP_SECONDS = 30 * 24 * 3600
PRUNE_EVERY = 24 * 3600
#: how long a run waits for another run's write to finish before skipping its own
BUSY_MS = 5000
#: the most files one schema set may name (includes and external references)
MAX_SCHEMA_FILES = 1000
#: findings whose rule says something about the run rather than the file are never stored
UNSTORED_RULES = frozenset({"schema.unusable"})

_SCHEMA = """
CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, findings TEXT NOT NULL,
                                    used REAL NOT NULL);
CREATE TABLE IF NOT EXISTS digests (path TEXT PRIMARY KEY, stamp TEXT NOT NULL,
                                    digest TEXT NOT NULL, hashed REAL NOT NULL);
CREATE TABLE IF NOT EXISTS models (digest TEXT PRIMARY KEY, models TEXT NOT NULL,
                                   used REAL NOT NULL);
CREATE TABLE IF NOT EXISTS facts (digest TEXT NOT NULL, name TEXT NOT NULL,
                                  facts TEXT NOT NULL, used REAL NOT NULL,
                                  PRIMARY KEY (digest, name));
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "serge-tei"


def default_path() -> Path:
    return cache_dir() / DB_NAME


# ------------------------------------------------------------ what a key is made of

def content_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stamp_of(st: os.stat_result) -> str:
    """What must stay the same for a remembered digest to be trusted."""
    return f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"


def toolkit_identity() -> str:
    """The toolkit's version and the state of its own files (code, schema, stylesheets).

    A working copy whose code was edited since a result was stored gets new
    keys, so that a developer never sees results of the code before the edit.
    """
    return _toolkit_identity()


_IDENTITY: list[str] = []
_IDENTITY_LOCK = threading.Lock()


def _toolkit_identity() -> str:
    with _IDENTITY_LOCK:
        if not _IDENTITY:
            from .. import __version__
            from ..resources import schema_dir, xslt_dir

            h = hashlib.sha256(__version__.encode())
            package = Path(__file__).resolve().parent.parent
            for folder, pattern in ((package, "*.py"), (schema_dir(), "*"), (xslt_dir(), "*")):
                for path in sorted(folder.rglob(pattern)):
                    with contextlib.suppress(OSError):
                        st = path.stat()
                        if stat.S_ISREG(st.st_mode):
                            h.update(f"{path.relative_to(folder)}\0{st.st_size}\0"
                                     f"{st.st_mtime_ns}\0".encode())
            _IDENTITY.append(f"{__version__}+{h.hexdigest()[:16]}")
        return _IDENTITY[0]


def environment(choice: str, explain: bool, limits: Limits) -> str:
    """Everything besides the file, its rules and its parameters that a verdict depends on.

    *choice*: the RelaxNG engine asked for; *explain*: whether jing is there to
    add every grammar error to libxml2's first ones.
    """
    from importlib.metadata import PackageNotFoundError, version

    from lxml import etree

    try:
        saxon = version("saxonche")
    except PackageNotFoundError:
        saxon = "?"
    return json.dumps([FORMAT, toolkit_identity(), etree.__version__, etree.LIBXML_VERSION,
                       saxon, choice, explain,
                       [limits.max_bytes, limits.max_depth, limits.max_attributes]])


_REFERRING = {
    "{http://relaxng.org/ns/structure/1.0}include",
    "{http://relaxng.org/ns/structure/1.0}externalRef",
    "{http://purl.oclc.org/dsdl/schematron}include",
    "{http://purl.oclc.org/dsdl/schematron}extends",
}
_SET_DIGESTS: dict[tuple[str, str], str] = {}


def schema_set_digest(path: Path) -> str:
    """SHA-256 over a schema file and every local file it includes, as they are now.

    A file that cannot be read counts as such (its findings will say why); the
    walk follows the same references the engines do (RelaxNG ``include`` and
    ``externalRef``, Schematron ``include`` and ``extends``).
    """
    try:
        st = path.stat()
        memo = (str(path), stamp_of(st))
    except OSError:
        return "missing:" + str(path)
    if memo in _SET_DIGESTS:
        return _SET_DIGESTS[memo]
    h = hashlib.sha256()
    todo, seen = [path.resolve()], set[Path]()
    while todo and len(seen) < MAX_SCHEMA_FILES:
        here = todo.pop()
        if here in seen:
            continue
        seen.add(here)
        data = regular_bytes(here)
        if data is None:
            h.update(f"{here}\0unreadable\0".encode())
            continue
        h.update(f"{here}\0{len(data)}\0".encode())
        h.update(data)
        todo.extend(_referenced(data, here))
    digest = h.hexdigest()
    if len(_SET_DIGESTS) > 256:
        _SET_DIGESTS.clear()
    _SET_DIGESTS[memo] = digest
    return digest


#: Larger than any schema worth hashing (tei_all is about 9 MB): a bigger file is unreadable.
MAX_SCHEMA_BYTES = 256 * 1024 * 1024


def regular_bytes(path: Path, limit: int = MAX_SCHEMA_BYTES) -> bytes | None:
    """The bytes of *path* if it is a regular file of at most *limit* bytes, else None.

    A data-named schema may be a FIFO or a device: opened without blocking and
    checked before reading, so that hashing it can neither wait nor read forever
    (the engines then refuse it with a located message).
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            return None
        try:
            data = fh.read(limit + 1)
        except OSError:
            return None
    return data if len(data) <= limit else None


#: a start tag that may be a referring element: its name, with or without a prefix, as
#: written (no entity is ever expanded, so an element is named literally in the bytes)
_REFERRING_TAG = re.compile(rb"<(?:[^\s<>/!?:=]+:)?(?:include|externalRef|extends)[\s/>]")


def _referenced(data: bytes, here: Path) -> list[Path]:
    """Local files a schema's bytes refer to (parsed only if a referring start tag may occur:
    tei_all says "include" in its documentation, and parsing its 1 MB cost 8 ms a run)."""
    if _REFERRING_TAG.search(data) is None:
        return []
    from lxml import etree

    from ..reading import _parser

    try:
        root = etree.fromstring(data, _parser(), base_url=str(here))
    except (etree.XMLSyntaxError, ValueError):
        return []
    found = []
    for el in root.iter(*_REFERRING):
        href = el.get("href")
        if href and "://" not in href and not href.startswith("#"):
            found.append((here.parent / href.split("#", 1)[0]).resolve())
    return found


def result_key(env: str, digest: str, rules: object, params: Mapping[str, object] | None
               ) -> str:
    """The key of one check: the environment, the file, its rules and its parameters."""
    text = json.dumps([env, digest, rules, sorted((params or {}).items())],
                      separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Hashed:
    """A file's bytes as the reader accepted them, their digest, and the file's stat before."""

    data: bytes
    digest: str
    stamp: str
    at: float  # when the stat was taken


def read_hashed(path: Path, shown: str, limits: Limits) -> Hashed:
    """Read a user file through the reader's checks, and hash it.

    The stat is taken *before* reading: a file changed after it has a new
    stat, so a digest is never remembered for bytes other than those read.
    """
    from ..reading import read_file

    at = time.time()
    try:
        st = os.stat(path)
    except OSError:
        st = None
    data = read_file(path, limits, display=shown)  # raises the reader's own errors
    return Hashed(data, content_digest(data), stamp_of(st) if st is not None else "", at)


# ------------------------------------------------------------ rows

def encode_findings(result: FileResult) -> str:
    """A result's findings as JSON, and the RelaxNG engine that checked it (how the rules
    are reported is worked out again when it is read: paths are shown from where the run
    is); a finding about its own file is stored without the path."""
    findings = [[None if f.path == result.path else f.path, f.line, f.column,
                 f.severity.value, f.rule, f.message, f.xpath, [list(r) for r in f.related]]
                for f in result.findings]
    engine = result.schema.engine if result.schema is not None else None
    return json.dumps({"engine": engine, "findings": findings}, separators=(",", ":"),
                      ensure_ascii=False)


_SEVERITIES = {s.value: s for s in Severity}


def decode_findings(text: str, shown: str) -> tuple[list[Finding], str | None] | None:
    """The findings stored by :func:`encode_findings`, for the file shown as *shown*, and
    the engine; None if *text* is not exactly what it writes."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not (isinstance(data, dict) and set(data) == {"engine", "findings"}):
        return None
    engine, rows = data["engine"], data["findings"]
    if not ((engine is None or isinstance(engine, str)) and isinstance(rows, list)):
        return None
    out = []
    for row in rows:
        finding = _finding(row, shown)
        if finding is None:
            return None
        out.append(finding)
    return out, engine


def _finding(row: Any, shown: str) -> Finding | None:
    if not (isinstance(row, list) and len(row) == 8):
        return None
    path, line, column, severity, rule, message, xpath, related = row
    if not ((path is None or isinstance(path, str)) and _count(line) and _count(column)
            and severity in _SEVERITIES and isinstance(rule, str)
            and isinstance(message, str) and isinstance(xpath, str)
            and isinstance(related, list)
            and all(isinstance(r, list) and len(r) == 2 and _count(r[0]) and _count(r[1])
                    for r in related)):
        return None
    return Finding(shown if path is None else path, line, column, _SEVERITIES[severity], rule,
                   message, xpath, tuple((r[0], r[1]) for r in related))


def _count(value: object) -> bool:
    return type(value) is int and value >= 0


def storable(result: FileResult) -> bool:
    """Whether a result may be stored: the file was read, and nothing in it depends on the run."""
    return result.readable and not any(
        f.rule in UNSTORED_RULES or f.rule.startswith("input.") for f in result.findings)


def encode_models(models: Iterable[tuple[str, int | None]]) -> str:
    return json.dumps([[text, line] for text, line in models], ensure_ascii=False)


def decode_models(text: str) -> list[tuple[str, int | None]] | None:
    try:
        rows = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(rows, list) or not all(
            isinstance(r, list) and len(r) == 2 and isinstance(r[0], str)
            and (r[1] is None or _count(r[1])) for r in rows):
        return None
    return [(r[0], r[1]) for r in rows]


def encode_strings(groups: Iterable[Iterable[str]]) -> str:
    return json.dumps([sorted(g) for g in groups], ensure_ascii=False)


def decode_strings(text: str, groups: int) -> list[frozenset[str]] | None:
    try:
        rows = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not (isinstance(rows, list) and len(rows) == groups and all(
            isinstance(g, list) and all(isinstance(s, str) for s in g) for g in rows)):
        return None
    return [frozenset(g) for g in rows]


# ------------------------------------------------------------ the database

@dataclass
class Stamp:
    """A file as ``stat`` saw it, and the content digest remembered for it, if trusted."""

    path: str
    stamp: str
    digest: str | None


class ResultsCache:
    """One connection to the results database (one per process; workers open their own).

    Every method swallows the database's errors: after the first one the cache
    is closed for the rest of the run and the run goes on without it.
    """

    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = path
        self.readonly = readonly
        self._db: sqlite3.Connection | None = None
        self._pending: list[tuple[str, tuple[Any, ...]]] = []
        self._used: list[str] = []
        self._now = time.time()

    # -- opening and closing
    @classmethod
    def open(cls, path: Path | None = None, *, readonly: bool = False) -> ResultsCache | None:
        """The cache at *path* (default: the user cache), or None if it cannot be used."""
        cache = cls(path or default_path(), readonly=readonly)
        return cache if cache._connect() else None

    def _connect(self) -> bool:
        for attempt in range(2):
            try:
                self._db = self._open_db()
                return True
            except sqlite3.DatabaseError:
                self._db = None
                if attempt or self.readonly or not self._discard():
                    return False
            except OSError:
                return False
        return False

    def _open_db(self) -> sqlite3.Connection:
        if self.readonly:
            if not self.path.is_file():
                raise OSError("no cache yet")
            db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=BUSY_MS / 1000,
                                 check_same_thread=False)
            db.execute("SELECT 1 FROM results LIMIT 1").fetchall()
            return db
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not self.path.exists():  # private from the start: created 0600, never widened
            with contextlib.suppress(FileExistsError):
                os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        db = sqlite3.connect(self.path, timeout=BUSY_MS / 1000, isolation_level=None,
                             check_same_thread=False)
        try:
            db.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
            if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            db.executescript(_SCHEMA)
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def _discard(self) -> bool:
        """Remove a file that is not a (readable) database, so that a new one can be made."""
        try:
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(f"{self.path}{suffix}")
        except OSError:
            return False
        return True

    def close(self) -> None:
        """Write what is pending, note what was used, prune now and then; then close."""
        if self._db is None:
            return
        self.flush()
        if not self.readonly:
            self._guarded(self._touch_and_prune)
        with contextlib.suppress(sqlite3.Error):
            self._db.close()
        self._db = None

    def __enter__(self) -> ResultsCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _guarded(self, action: Any, *args: Any) -> Any:
        if self._db is None:
            return None
        try:
            return action(*args)
        except sqlite3.Error:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None
            return None

    # -- reading
    def stamp(self, path: Path) -> Stamp | None:
        """The file's stat, and its content digest if one is remembered and still trusted."""
        try:
            st = os.stat(path)
        except OSError:
            return None
        if not stat.S_ISREG(st.st_mode):
            return None
        now = stamp_of(st)
        row = self._guarded(lambda: self._one(
            "SELECT stamp, digest, hashed FROM digests WHERE path = ?", (_where(path),)))
        digest = None
        if row is not None and isinstance(row[0], str) and row[0] == now and \
                isinstance(row[1], str) and isinstance(row[2], float) and \
                st.st_mtime_ns / 1e9 < row[2] - RACY_SECONDS:
            digest = row[1]
        return Stamp(str(path), now, digest)

    def findings(self, key: str, shown: str) -> tuple[list[Finding], str | None] | None:
        """The findings stored under *key*, for the file shown as *shown*, and the engine."""
        row = self._guarded(self._one, "SELECT findings FROM results WHERE key = ?", (key,))
        if row is None:
            return None
        found = decode_findings(row[0], shown) if isinstance(row[0], str) else None
        if found is None:
            self._drop("results", "key", key)
        else:
            self._used.append(key)
        return found

    def models(self, digest: str) -> list[tuple[str, int | None]] | None:
        row = self._guarded(self._one, "SELECT models FROM models WHERE digest = ?", (digest,))
        if row is None:
            return None
        found = decode_models(row[0]) if isinstance(row[0], str) else None
        if found is None:
            self._drop("models", "digest", digest)
        return found

    def facts(self, digest: str, name: str) -> list[frozenset[str]] | None:
        """The edition facts stored for content *digest* under file name *name*."""
        row = self._guarded(self._one, "SELECT facts FROM facts WHERE digest = ? AND name = ?",
                            (digest, name))
        if row is None:
            return None
        found = decode_strings(row[0], 3) if isinstance(row[0], str) else None
        if found is None:
            self._queue("DELETE FROM facts WHERE digest = ? AND name = ?", (digest, name))
        return found

    def _one(self, sql: str, args: tuple[Any, ...]) -> Any:
        assert self._db is not None
        return self._db.execute(sql, args).fetchone()

    # -- writing (batched: one transaction per flush)
    def put_result(self, key: str, result: FileResult) -> None:
        if storable(result):
            self._queue("INSERT OR REPLACE INTO results VALUES (?, ?, ?)",
                        (key, encode_findings(result), self._now))

    def put_digest(self, path: Path | str, stamp: str, digest: str, hashed: float) -> None:
        self._queue("INSERT OR REPLACE INTO digests VALUES (?, ?, ?, ?)",
                    (_where(path), stamp, digest, hashed))

    def put_models(self, digest: str, models: list[tuple[str, int | None]]) -> None:
        self._queue("INSERT OR REPLACE INTO models VALUES (?, ?, ?)",
                    (digest, encode_models(models), self._now))

    def put_facts(self, digest: str, name: str, groups: Iterable[Iterable[str]]) -> None:
        self._queue("INSERT OR REPLACE INTO facts VALUES (?, ?, ?, ?)",
                    (digest, name, encode_strings(groups), self._now))

    def _drop(self, table: str, column: str, value: str) -> None:
        self._queue(f"DELETE FROM {table} WHERE {column} = ?", (value,))

    def _queue(self, sql: str, args: tuple[Any, ...]) -> None:
        if self.readonly or self._db is None:
            return
        self._pending.append((sql, args))
        if len(self._pending) >= 500:
            self.flush()

    def flush(self) -> None:
        if not self._pending or self._db is None:
            self._pending = []
            return
        pending, self._pending = self._pending, []
        self._guarded(self._write, pending)

    def _write(self, pending: list[tuple[str, tuple[Any, ...]]]) -> None:
        assert self._db is not None
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:  # busy beyond the timeout: skip this batch
            return
        try:
            for sql, args in pending:
                self._db.execute(sql, args)
            self._db.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("ROLLBACK")
            raise

    def _touch_and_prune(self) -> None:
        """Mark results used today; delete rows unused for :data:`KEEP_SECONDS` (daily)."""
        assert self._db is not None
        day_ago = self._now - PRUNE_EVERY
        used = [(self._now, key, day_ago) for key in self._used]
        row = self._db.execute("SELECT value FROM meta WHERE name = 'pruned'").fetchone()
        prune = row is None or not _is_float(row[0]) or float(row[0]) < day_ago
        if not used and not prune:
            return
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:
            return
        try:
            self._db.executemany("UPDATE results SET used = ? WHERE key = ? AND used < ?", used)
            if prune:
                old = self._now - KEEP_SECONDS
                for table in ("results", "models", "facts"):
                    self._db.execute(f"DELETE FROM {table} WHERE used < ?", (old,))
                self._db.execute("DELETE FROM digests WHERE hashed < ?", (old,))
                self._db.execute("INSERT OR REPLACE INTO meta VALUES ('pruned', ?)",
                                 (repr(self._now),))
            self._db.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("ROLLBACK")
            raise
        self._used = []


def _where(path: Path | str) -> str:
    """A file's row in the digests table: its absolute path, however it was named."""
    return os.path.abspath(path)


def _is_float(text: object) -> bool:
    try:
        float(str(text))
    except ValueError:
        return False
    return True


@contextlib.contextmanager
def opened(enabled: bool) -> Iterator[ResultsCache | None]:
    """The user's results cache for one run (None when disabled or unusable), closed after."""
    cache = ResultsCache.open() if enabled else None
    try:
        yield cache
    finally:
        if cache is not None:
            cache.close()
