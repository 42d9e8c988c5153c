"""Project configuration: ``[tool.serge-tei]`` in the nearest ``pyproject.toml``.

Keys (all optional)::

    [tool.serge-tei]
    edition = "tei"            # folder of the edition's documents and authority files
    authorities = ["tei/persons.xml"]  # authority files for `lint` (default: found from inputs)
    tei-all = "path/to/tei_all.rng"
    max-bytes = 67108864       # reader limits
    max-depth = 200
    max-attributes = 100

    [tool.serge-tei.schemas]   # remote xml-model hrefs mapped to local files
    "https://dracor.org/schema.rng" = "schemas/dracor.rng"

    [tool.serge-tei.site]      # the published site of the configured edition (build)
    title = "Letters of 1937"  # default: a title all documents share, else the folder's name
    base-url = "https://example.org/letters/"  # for citations; default: none
    editors = ["Your Name"]    # default: the documents' editors
    introduction = "intro.txt" # paragraphs separated by blank lines; default: projectDesc
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import UsageError
from .reading import Limits


@dataclass(frozen=True)
class SiteConfig:
    """``[tool.serge-tei.site]``: what ``build`` says about the edition as a whole."""

    title: str = ""
    base_url: str = ""
    editors: tuple[str, ...] = ()
    introduction: Path | None = None


@dataclass(frozen=True)
class Config:
    root: Path | None = None
    edition: Path | None = None
    tei_all: Path | None = None
    schema_map: dict[str, Path] = field(default_factory=dict)
    #: authority files (listPerson/listPlace/listOrg/listBibl) that ``lint`` always loads
    authorities: tuple[Path, ...] = ()
    limits: Limits = field(default_factory=Limits)
    site: SiteConfig = field(default_factory=SiteConfig)


def find_pyproject(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_config(start: Path | None = None) -> Config:
    """Read ``[tool.serge-tei]`` from the nearest pyproject.toml above *start* (default cwd)."""
    pyproject = find_pyproject((start or Path.cwd()).resolve())
    if pyproject is None:
        return Config()
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"cannot read configuration: {exc}", path=str(pyproject)) from None
    section = data.get("tool", {}).get("serge-tei")
    if not isinstance(section, dict):
        return Config(root=pyproject.parent)
    return _parse_section(section, pyproject)


def _parse_section(section: dict[str, object], pyproject: Path) -> Config:
    root = pyproject.parent

    def path_of(key: str) -> Path | None:
        value = section.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise UsageError(f"[tool.serge-tei] {key} must be a string path", path=str(pyproject))
        return (root / value).resolve()

    def int_of(key: str, default: int) -> int:
        value = section.get(key, default)
        if not isinstance(value, int) or value <= 0:
            raise UsageError(f"[tool.serge-tei] {key} must be a positive integer",
                             path=str(pyproject))
        return value

    schemas = section.get("schemas", {})
    if not isinstance(schemas, dict):
        raise UsageError("[tool.serge-tei.schemas] must map URLs to paths", path=str(pyproject))
    authorities = section.get("authorities", [])
    if not isinstance(authorities, list) or not all(isinstance(a, str) for a in authorities):
        raise UsageError("[tool.serge-tei] authorities must be a list of paths",
                         path=str(pyproject))
    defaults = Limits()
    return Config(
        site=_parse_site(section.get("site", {}), root, pyproject),
        authorities=tuple((root / a).resolve() for a in authorities),
        root=root,
        edition=path_of("edition"),
        tei_all=path_of("tei-all"),
        schema_map={str(k): (root / str(v)).resolve() for k, v in schemas.items()},
        limits=Limits(
            max_bytes=int_of("max-bytes", defaults.max_bytes),
            max_depth=int_of("max-depth", defaults.max_depth),
            max_attributes=int_of("max-attributes", defaults.max_attributes),
        ),
    )


def _parse_site(site: object, root: Path, pyproject: Path) -> SiteConfig:
    if not isinstance(site, dict):
        raise UsageError("[tool.serge-tei.site] must be a table", path=str(pyproject))

    def text(key: str) -> str:
        value = site.get(key, "")
        if not isinstance(value, str):
            raise UsageError(f"[tool.serge-tei.site] {key} must be a string", path=str(pyproject))
        return value.strip()

    editors = site.get("editors", [])
    if not isinstance(editors, list) or not all(isinstance(e, str) for e in editors):
        raise UsageError("[tool.serge-tei.site] editors must be a list of names",
                         path=str(pyproject))
    base_url = text("base-url")
    if base_url and not re.match(r"^https?://[^\s\"'<>`]+$", base_url):
        raise UsageError(f"[tool.serge-tei.site] base-url must be an http(s) URL, not {base_url!r}",
                         path=str(pyproject))
    if base_url and not base_url.endswith("/"):
        base_url += "/"
    intro = text("introduction")
    return SiteConfig(title=text("title"), base_url=base_url,
                      editors=tuple(e.strip() for e in editors if e.strip()),
                      introduction=(root / intro).resolve() if intro else None)
