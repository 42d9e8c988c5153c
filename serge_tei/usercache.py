"""The user's cache folder for what serge-tei derives or fetches once and keeps.

``$XDG_CACHE_HOME/serge-tei`` (else ``~/.cache/serge-tei``): ``tei_all``
releases fetched by ``serge-tei fetch-tei-all``, RelaxNG schemas converted from
the compact syntax. Files appear there whole or not at all.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "serge-tei"


def write_atomic(target: Path, data: bytes) -> None:
    """Write *data* to *target* whole (a temporary file beside it, then renamed)."""
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
