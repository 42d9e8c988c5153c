"""Project configuration: ``serge-tei.toml``, or ``[tool.serge-tei]`` in ``pyproject.toml``.

Keys (all optional)::

    [tool.serge-tei]                   # in serge-tei.toml: the same keys, at the top level
    edition = "tei"                    # folder of the edition's documents and authority files
    lang = "de"                        # language (BCP 47) of published documents declaring none
    authorities = ["tei/persons.xml"]  # authority files for `lint` (default: found from inputs)
    tei-all = "path/to/tei_all.rng"
    max-bytes = 67108864               # reader limits: 1 .. 1 GiB
    max-depth = 200                    # 1 .. 10,000 (libxml2 itself stops at 256)
    max-attributes = 100               # 1 .. 10,000
    rule-seconds = 60                  # CPU seconds Schematron named by the data may take
    rule-memory = 1024                 # per document, and MiB of memory it may use

    [tool.serge-tei.schemas]           # remote xml-model hrefs mapped to local files
    "https://dracor.org/schema.rng" = "schemas/dracor.rng"

    [tool.serge-tei.lint]              # serge-tei lint (docs/lint.md)
    select = ["lint"]                  # rule ids or prefixes to run (default: the profile's)
    ignore = ["lint.date-untagged"]    # rule ids or prefixes not to run
    profile = "drama"                  # force a profile (default: chosen per document)
    baseline = "lint-baseline.json"    # report only findings not recorded in this file

    [tool.serge-tei.lint.drama]        # one profile's own settings: prose, drama, letters
    ignore = ["lint.untagged"]
    omissions = "always"               # or "when-practised" (the default)

    [tool.serge-tei.site]              # the published site of the configured edition (build)
    title = "Letters of 1937"          # default: a title all documents share, else the folder's
    base-url = "https://example.org/letters/"  # for citations; default: none
    editors = ["Your Name"]            # default: the documents' editors
    introduction = "intro.txt"         # paragraphs separated by blank lines; default: projectDesc

Only the command line looks for a configuration (:func:`find_config`): from
the first path it was given (else the working folder) up to the repository
root, the first folder holding a ``serge-tei.toml``, or a ``pyproject.toml``
with a ``[tool.serge-tei]`` table, is the **project root**. Library functions
take a :class:`Config` and read nothing by themselves.

Configuration is untrusted input too (a pull request may change it): unknown
keys are an error naming the closest known key, values are typed and bounded,
paths hold no NUL.
"""

from __future__ import annotations

import difflib
import glob
import os
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import UsageError
from .reading import Limits

#: a configuration file of its own, holding the keys at its top level
CONFIG_FILE = "serge-tei.toml"
PYPROJECT = "pyproject.toml"
SECTION = "tool.serge-tei"

#: every key a configuration may hold
KNOWN_KEYS = ("authorities", "edition", "lang", "lint", "max-attributes", "max-bytes",
              "max-depth", "rule-memory", "rule-seconds", "schemas", "site", "tei-all")
#: the lint profiles, each also a key of the lint table
LINT_PROFILES = ("prose", "drama", "letters")
#: every key of the lint table, and of a profile's table in it
LINT_KEYS = ("baseline", "ignore", "profile", "select", *LINT_PROFILES)
LINT_PROFILE_KEYS = ("ignore", "omissions", "select")
#: when a profile reports what a document leaves out (names of its own lists, dates
#: untagged or without a value): only where it does it elsewhere, or always
OMISSION_MODES = ("when-practised", "always")
#: every key of its site table
SITE_KEYS = ("base-url", "editors", "introduction", "title")
#: a language tag (BCP 47) as ``lang`` takes it: language, then subtags
LANG_TAG = re.compile(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*")
#: bounds of the reader limits: (lowest, highest)
LIMIT_RANGES: dict[str, tuple[int, int]] = {
    "max-bytes": (1, 1024 ** 3),
    "max-depth": (1, 10_000),
    "max-attributes": (1, 10_000),
    "rule-seconds": (1, 3600),
    "rule-memory": (64, 65536),
}


@dataclass(frozen=True)
class RuleBudget:
    """What Schematron named by the data may spend on one document (see SECURITY.md).

    Such rules run in a sandbox process (:mod:`serge_tei.validation.sandbox`)
    that is stopped when they take more CPU time or memory than this.
    """

    seconds: int = 60  #: CPU seconds per document (its compilation included)
    memory: int = 1024  #: MiB the sandbox process may allocate


@dataclass(frozen=True)
class SiteConfig:
    """``[tool.serge-tei.site]``: what ``build`` says about the edition as a whole."""

    title: str = ""
    base_url: str = ""
    editors: tuple[str, ...] = ()
    introduction: Path | None = None


@dataclass(frozen=True)
class LintProfileConfig:
    """``[tool.serge-tei.lint.PROFILE]``: one profile's rules and matching, as the project wants."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    omissions: str | None = None


@dataclass(frozen=True)
class LintConfig:
    """``[tool.serge-tei.lint]``: which rules run, the profile, the baseline file."""

    #: None: the profile's rules; else rule ids and prefixes (ruff's selectors)
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    #: None: chosen per document
    profile: str | None = None
    baseline: Path | None = None
    profiles: dict[str, LintProfileConfig] = field(default_factory=dict)


@dataclass(frozen=True)
class Config:
    """A project's settings; ``Config()`` is no project at all (every default)."""

    #: the project root: the folder of the configuration file; None when there is none,
    #: and then each document's own folder bounds what it may point to (see root_for)
    root: Path | None = None
    edition: Path | None = None
    tei_all: Path | None = None
    schema_map: dict[str, Path] = field(default_factory=dict)
    #: authority files (listPerson/listPlace/listOrg/listBibl) that ``lint`` always loads
    authorities: tuple[Path, ...] = ()
    limits: Limits = field(default_factory=Limits)
    #: the budget of Schematron rules that the data chose (not the shipped ones)
    rule_budget: RuleBudget = field(default_factory=RuleBudget)
    site: SiteConfig = field(default_factory=SiteConfig)
    lint: LintConfig = field(default_factory=LintConfig)
    #: the language (BCP 47) of published documents that declare none
    lang: str | None = None
    #: the file these settings were read from, for messages
    source: Path | None = None

    def root_for(self, document: Path) -> Path:
        """The folder nothing outside of which is read for *document*: the project root,
        else the document's own folder (resolved)."""
        return self.root if self.root is not None else document.resolve().parent

    @classmethod
    def from_file(cls, path: Path) -> Config:
        """The settings in *path* (a ``serge-tei.toml`` or a ``pyproject.toml``)."""
        path = Path(path).resolve()
        text, data = _read_toml(path)
        if path.name == PYPROJECT:
            section = data.get("tool", {}).get("serge-tei")
            if section is None:
                return cls(root=path.parent, source=path)
            if not isinstance(section, dict):
                raise UsageError(f"[{SECTION}] must be a table", path=str(path))
            return _parse(section, path, text, f"[{SECTION}]")
        return _parse(data, path, text, CONFIG_FILE)


def find_config_file(start: Path) -> Path | None:
    """The nearest configuration file from folder *start* up to the repository root.

    In each folder a ``serge-tei.toml`` comes first, then a ``pyproject.toml``
    with a ``[tool.serge-tei]`` table (one without is passed by). The walk stops
    at the first folder holding ``.git``, never looking above the repository.
    """
    for folder in (start, *start.parents):
        own = folder / CONFIG_FILE
        if own.is_file():
            return own
        pyproject = folder / PYPROJECT
        if pyproject.is_file() and _has_section(pyproject):
            return pyproject
        if (folder / ".git").exists():
            return None
    return None


def load_config(start: Path) -> Config:
    """The configuration found from folder *start* (see :func:`find_config_file`)."""
    found = find_config_file(Path(start).resolve())
    return Config() if found is None else Config.from_file(found)


def find_config(paths: Sequence[str | os.PathLike[str]] = (), *,
                cwd: Path | None = None) -> Config:
    """The configuration for a command given *paths*: found from the first of them,
    else from the working folder *cwd* (the command line's rule)."""
    base = (cwd or Path.cwd()).resolve()
    start = _start_folder(os.fspath(paths[0]), base) if paths else base
    return load_config(start)


def _start_folder(named: str, cwd: Path) -> Path:
    """The folder to look up from for a path as named: itself, its folder, or a glob's."""
    if glob.has_magic(named):
        parts = Path(named).parts
        plain = parts[:next(i for i, p in enumerate(parts) if glob.has_magic(p))]
        named = str(Path(*plain)) if plain else "."
    path = (cwd / named).resolve() if "\0" not in named else cwd
    while not _is_dir(path) and path != path.parent:
        path = path.parent
    return path


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # a name too long for the file system: not a folder to start from
        return False


# ------------------------------------------------------------ reading and checking

def _read_toml(path: Path) -> tuple[str, dict[str, Any]]:
    try:
        text = path.read_text(encoding="utf-8")
        return text, tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"cannot read configuration: {exc}", path=str(path)) from None


def _has_section(pyproject: Path) -> bool:
    _, data = _read_toml(pyproject)
    tool = data.get("tool")
    return isinstance(tool, dict) and "serge-tei" in tool


class _Section:
    """One configuration table being read: typed values, errors located in the file."""

    def __init__(self, values: dict[str, Any], path: Path, text: str, where: str) -> None:
        self.values, self.path, self.text, self.where = values, path, text, where
        self.root = path.parent

    def error(self, key: str, message: str) -> UsageError:
        return UsageError(f"{self.where} {message}", path=str(self.path),
                          line=_line_of(self.text, key))

    def path_of(self, key: str, value: object) -> Path | None:
        """*value*, set under *key*, as a path from the project root (None if unset)."""
        if value is None:
            return None
        if not isinstance(value, str) or not value:
            raise self.error(key, f"{key} must be a path (a non-empty string)")
        if "\0" in value:
            raise self.error(key, f"{key} holds a NUL character; give a plain path")
        return (self.root / value).resolve()

    def inside(self, key: str, path: Path) -> Path:
        """*path* if it is inside the project root; nothing outside it is ever read."""
        if not path.is_relative_to(self.root.resolve()):
            raise self.error(key, f"{key} must be inside the project root {self.root}, "
                                  f"not {path}")
        return path

    def strings(self, key: str) -> tuple[str, ...] | None:
        """A list of strings set under *key*, or None when it is not set."""
        value = self.values.get(key)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(key, f"{key} must be a list of strings")
        return tuple(value)

    def choice(self, key: str, choices: tuple[str, ...]) -> str | None:
        value = self.values.get(key)
        if value is not None and value not in choices:
            raise self.error(key, f"{key} must be one of {', '.join(map(repr, choices))}, "
                                  f"not {value!r}")
        return value

    def table(self, key: str, known: tuple[str, ...]) -> _Section:
        """The sub-table *key* (empty when unset), its keys checked."""
        values = self.values.get(key, {})
        if not isinstance(values, dict):
            raise self.error(key, f"{key} must be a table")
        where = f"{self.where[:-1]}.{key}]" if self.where.endswith("]") else \
            f"{self.where} [{key}]"
        sub = _Section(values, self.path, self.text, where)
        _check_keys(sub, known)
        return sub

    def limit(self, key: str, default: int) -> int:
        value = self.values.get(key, default)
        low, high = LIMIT_RANGES[key]
        # bool is an int to Python, never to a configuration file
        if type(value) is not int or not low <= value <= high:
            raise self.error(key, f"{key} must be a whole number from {low:,} to {high:,}, "
                                  f"not {value!r}")
        return value


def _line_of(text: str, key: str) -> int | None:
    """The line where *key* is set (the first such line), for the error message."""
    pattern = re.compile(rf"""^\s*(["']?){re.escape(key)}\1\s*=""")
    for number, line in enumerate(text.splitlines(), 1):
        if pattern.match(line):
            return number
    return None


def _check_keys(section: _Section, known: tuple[str, ...]) -> None:
    for key in section.values:
        if key in known:
            continue
        close = difflib.get_close_matches(key.replace("_", "-"), known, n=1, cutoff=0.6)
        hint = f'; did you mean "{close[0]}"?' if close else f"; known keys: {', '.join(known)}"
        raise section.error(key, f"has an unknown key {key!r}{hint}")


def _schemas(section: _Section) -> dict[str, Path]:
    table = section.values.get("schemas", {})
    if not isinstance(table, dict):
        raise section.error("schemas", "schemas must be a table mapping URLs to paths")
    out: dict[str, Path] = {}
    for url, target in table.items():
        path = section.path_of(url, target)
        assert path is not None  # TOML has no null
        out[str(url)] = path
    return out


def _authorities(section: _Section) -> tuple[Path, ...]:
    values = section.values.get("authorities", [])
    if not isinstance(values, list):
        raise section.error("authorities", "authorities must be a list of paths")
    found = [section.path_of("authorities", v) for v in values]
    return tuple(section.inside("authorities", p) for p in found if p is not None)


def _lint(section: _Section) -> LintConfig:
    table = section.table("lint", LINT_KEYS)
    baseline = table.path_of("baseline", table.values.get("baseline"))
    return LintConfig(
        select=_selectors(table, "select"),
        ignore=_selectors(table, "ignore") or (),
        profile=table.choice("profile", LINT_PROFILES),
        baseline=table.inside("baseline", baseline) if baseline is not None else None,
        profiles={name: _lint_profile(table.table(name, LINT_PROFILE_KEYS))
                  for name in LINT_PROFILES if name in table.values})


def _lint_profile(table: _Section) -> LintProfileConfig:
    return LintProfileConfig(select=_selectors(table, "select"),
                             ignore=_selectors(table, "ignore") or (),
                             omissions=table.choice("omissions", OMISSION_MODES))


def _selectors(table: _Section, key: str) -> tuple[str, ...] | None:
    """Rule ids or prefixes; one that selects no rule is an error naming the closest id."""
    from .lint.rules import unknown_selector  # the rule table lives with the rules

    values = table.strings(key)
    for value in values or ():
        problem = unknown_selector(value)
        if problem:
            raise table.error(key, f"{key}: {problem}")
    return values


def _site(section: _Section) -> SiteConfig:
    site = section.table("site", SITE_KEYS)
    table = site.values

    def text(key: str) -> str:
        value = table.get(key, "")
        if not isinstance(value, str):
            raise site.error(key, f"{key} must be a string")
        return value.strip()

    editors = table.get("editors", [])
    if not isinstance(editors, list) or not all(isinstance(e, str) for e in editors):
        raise site.error("editors", "editors must be a list of names")
    base_url = text("base-url")
    if base_url and not re.match(r"^https?://[^\s\"'<>`]+$", base_url):
        raise site.error("base-url", f"base-url must be an http(s) URL, not {base_url!r}")
    if base_url and not base_url.endswith("/"):
        base_url += "/"
    intro = text("introduction")
    return SiteConfig(title=text("title"), base_url=base_url,
                      editors=tuple(e.strip() for e in editors if e.strip()),
                      introduction=site.path_of("introduction", intro) if intro else None)


def _limits(section: _Section) -> Limits:
    defaults = Limits()
    return Limits(max_bytes=section.limit("max-bytes", defaults.max_bytes),
                  max_depth=section.limit("max-depth", defaults.max_depth),
                  max_attributes=section.limit("max-attributes", defaults.max_attributes))


def _rule_budget(section: _Section) -> RuleBudget:
    defaults = RuleBudget()
    return RuleBudget(seconds=section.limit("rule-seconds", defaults.seconds),
                      memory=section.limit("rule-memory", defaults.memory))


def _lang(section: _Section) -> str | None:
    value = section.values.get("lang")
    if value is not None and not (isinstance(value, str) and LANG_TAG.fullmatch(value)):
        raise section.error("lang", f'lang must be a language tag such as "de" or "la", '
                                    f"not {value!r}")
    return value


def _parse(values: dict[str, Any], path: Path, text: str, where: str) -> Config:
    section = _Section(values, path, text, where)
    _check_keys(section, KNOWN_KEYS)
    return Config(
        root=path.parent,
        source=path,
        edition=section.path_of("edition", values.get("edition")),
        tei_all=section.path_of("tei-all", values.get("tei-all")),
        schema_map=_schemas(section),
        authorities=_authorities(section),
        limits=_limits(section),
        rule_budget=_rule_budget(section),
        site=_site(section),
        lint=_lint(section),
        lang=_lang(section),
    )
