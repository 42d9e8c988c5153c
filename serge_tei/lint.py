"""``serge-tei lint``: what the markup missed, checked against the authority files.

Validation says whether markup is well formed; linting says whether it is
complete and consistent with the edition's own authority files:

========================  ========  ==============================================
rule                      severity  finds
========================  ========  ==============================================
lint.untagged             warning   a recorded name in text outside any name element
lint.inconsistent-ref     warning   one surface form pointing to different entries
lint.variant-unrecorded   warning   a tagged form its entry does not record
lint.variant-unused       info      a recorded variant no linted document uses
lint.date-mismatch        error     date text contradicting its normalised value
lint.date-unnormalised    warning   a ``date`` without when/from/to/notBefore/notAfter
lint.date-untagged        warning   a year or month name outside any ``date``
lint.note-anchor          error     a note whose anchor is missing or duplicated
lint.who-unresolved       error     ``said``/``q``/``sp`` ``@who`` pointing to no person
========================  ========  ==============================================

Any finding can be silenced where it occurs, never globally, by a processing
instruction right before the element (or the text) it is about::

    <?serge-lint allow="lint.inconsistent-ref"?><persName ref="#b">Kibalchich</persName>

Authority entries come from the authority files among the inputs, the files
that ``@ref``/``@who`` pointers name, and ``authorities`` under
``[tool.serge-tei]``; lists inside an ordinary document (a play's
``particDesc``) serve that document. Each document is parsed once and walked
once; the name matcher is compiled once per run.
"""

from __future__ import annotations

import os
import re
import time
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from lxml import etree

from . import pool
from .config import Config
from .errors import SergeTeiError
from .findings import FileResult, Finding, Report, Severity
from .inputs import default_targets, expand_paths, read_or_result
from .lint_dates import (
    SHORT_YEAR,
    YEAR,
    contradictions,
    has_value,
    interval,
    other_calendar,
)
from .lint_names import (
    EDITORIAL,
    LISTS,
    XML_ID,
    Entry,
    Matcher,
    T,
    clean,
    element_text,
    entries_in,
    fold,
    is_authority_file,
    surfaces,
)
from .reading import Document, Limits, read_document

RULES: dict[str, Severity] = {
    "lint.untagged": Severity.WARNING,
    "lint.inconsistent-ref": Severity.WARNING,
    "lint.variant-unrecorded": Severity.WARNING,
    "lint.variant-unused": Severity.INFO,
    "lint.date-mismatch": Severity.ERROR,
    "lint.date-unnormalised": Severity.WARNING,
    "lint.date-untagged": Severity.WARNING,
    "lint.note-anchor": Severity.ERROR,
    "lint.who-unresolved": Severity.ERROR,
}
PI_TARGET = "serge-lint"

#: Elements whose text is a name: nothing inside is an *untagged* mention.
NAME_ZONE = {T + n for n in (
    "persName", "placeName", "orgName", "rs", "title", "name", "geogName", "settlement",
    "country", "region", "bloc", "district", "addName", "forename", "surname", "roleName",
    "genName", "nameLink", "objectName", "eventName", "idno", "ptr", "ref")}
#: Elements whose text is a number or a date already (or a title, which may quote one).
DATE_ZONE = {T + n for n in ("date", "time", "num", "measure", "biblScope", "unitDate")}
#: Never scanned: the header, the authority lists, labels of speakers and casts,
#: editorial readings (their printed counterpart is scanned), running heads.
SILENT_ZONE = {T + "teiHeader", T + "speaker", T + "castList", T + "fw", T + "index",
               *LISTS, *EDITORIAL}
#: Elements that begin a new sentence-like unit of text.
BLOCKS = {T + n for n in (
    "p", "head", "l", "ab", "item", "cell", "dateline", "note", "label", "closer", "signed",
    "salute", "trailer", "byline", "docTitle", "titlePart", "lg", "div", "sp", "stage",
    "list", "table", "cit", "bibl", "opener", "docAuthor", "quote", "said", "q")}
REFERRING = {T + n for n in ("persName", "placeName", "orgName", "rs", "title", "name")}
PERSONS = {"person", "personGrp"}
SENTENCE_START = set(".!?:;\"“‘'(«[–—-…")
ENGLISH_MONTH = re.compile(r"\b(January|February|March|April|May|June|July|August|September|"
                           r"October|November|December)\b")
_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"\w+")


@dataclass
class Context:
    """What the whole run shares: entries by key and by name, the matcher, names used."""

    entries: dict[str, Entry] = field(default_factory=dict)
    by_name: dict[str, list[Entry]] = field(default_factory=dict)
    matcher: Matcher = field(default_factory=lambda: Matcher(()))
    used: set[tuple[str, str]] = field(default_factory=set)
    #: how to build this context again in another process (see :meth:`__reduce__`)
    recipe: tuple[list[Path], list[tuple[Path, str]], Config] | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        """Entries hold parsed trees, which do not pickle: a spawned worker reads them again."""
        if self.recipe is None:
            raise TypeError("this lint context cannot be rebuilt in another process")
        return _rebuild, self.recipe

    def add(self, entries: list[Entry]) -> list[Entry]:
        """Add entries not known yet; return those added."""
        added = []
        for entry in entries:
            if entry.key in self.entries:
                continue
            self.entries[entry.key] = entry
            added.append(entry)
            for name in entry.names:
                self.by_name.setdefault(name, []).append(entry)
        return added

    def drop(self, entries: list[Entry]) -> None:
        """Forget a document's own entries once it is linted (they hold its tree)."""
        for entry in entries:
            self.entries.pop(entry.key, None)
            for name in entry.names:
                bucket = self.by_name.get(name, [])
                if entry in bucket:
                    bucket.remove(entry)


def lint(paths: Sequence[str | os.PathLike[str]] = (), *, config: Config | None = None,
         jobs: int = 1) -> Report:
    """Lint files, folders or globs (default: the edition of *config*); one Report.

    Authority files are found and read first; then each document is read,
    walked once and let go, so memory stays that of one document (per process:
    with *jobs* other than 1 and at least 16 documents, documents are linted
    in worker processes; 0 means one per core). *config* is the project's
    configuration; without one, no project settings apply.
    """
    start = time.perf_counter()
    config = config or Config()
    targets = expand_paths(list(paths) or default_targets(config))
    candidates = _candidates(targets, config)
    context, authorities = _load(candidates, targets, config)
    documents = [(i, path, shown) for i, (path, shown) in enumerate(targets)
                 if path.resolve() not in authorities]
    results: list[FileResult | None] = [None] * len(targets)
    for i, result, used in pool.map_ordered(_lint_one, documents, jobs=jobs, setup=_state,
                                            setup_args=(context, config.limits)):
        context.used |= used
        results[i] = result
    # Authority files last: only now is it known which of their variants are used.
    for i, (path, shown) in enumerate(targets):
        if results[i] is None:
            results[i] = _lint_authority(authorities[path.resolve()], path.resolve(), shown,
                                         context, judged=bool(documents))
    final = [r for r in results if r is not None]
    for result in final:
        result.findings.sort(key=lambda f: (f.line, f.column, f.rule))
    return Report(final, time.perf_counter() - start)


def _state(context: Context, limits: Limits) -> tuple[Context, Limits]:
    return context, limits


def _rebuild(candidates: list[Path], targets: list[tuple[Path, str]], config: Config
             ) -> Context:
    return _load(candidates, targets, config)[0]


def _lint_one(state: tuple[Context, Limits], item: tuple[int, Path, str]
              ) -> tuple[int, FileResult, set[tuple[str, str]]]:
    """Lint one document; its result, and the (entry, name) pairs it used."""
    context, limits = state
    i, path, shown = item
    doc = read_or_result(path, shown, limits)
    if isinstance(doc, FileResult):
        return i, doc, set()
    t0 = time.perf_counter()
    before = set(context.used)
    real = path.resolve()
    linter = DocumentLint(doc, real, context, own_lists=True)
    findings = linter.run()
    findings.extend(_unused_variants(doc, linter.local_entries, context))
    context.drop(linter.local_added)
    return i, FileResult(shown, findings, seconds=time.perf_counter() - t0), \
        context.used - before


def _lint_authority(doc: Document, real: Path, shown: str, context: Context, judged: bool
                    ) -> FileResult:
    t0 = time.perf_counter()
    findings = DocumentLint(doc, real, context, own_lists=False).run()
    # An authority file's variants are judged only when documents citing it were linted.
    if judged:
        entries = [context.entries[e.key] for e in entries_in(doc.root, real)
                   if e.key in context.entries]
        findings.extend(_unused_variants(doc, entries, context))
    return FileResult(shown, findings, seconds=time.perf_counter() - t0)


# ------------------------------------------------------------ authorities

_LIST_TAG = re.compile(rb"<(?:[\w.-]+:)?list(?:Person|Place|Org|Bibl)[\s>/]")
_POINTERS = re.compile(rb"\s(?:ref|who|corresp)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")


def _prescan(path: Path, limit: int) -> tuple[bool, set[str]]:
    """Whether a file has entry lists, and the files its pointers name.

    A byte scan, so that documents need not be parsed twice nor all held in
    memory: a wrong guess only costs one parse (or misses an authority file
    that configuration can still name).
    """
    try:
        if not path.is_file() or path.stat().st_size > limit:
            return False, set()
        data = path.read_bytes()
    except OSError:
        return False, set()
    names = set()
    for m in _POINTERS.finditer(data):
        for token in (m.group(1) or m.group(2) or b"").split():
            name = token.split(b"#", 1)[0].decode("utf-8", "replace")
            if name.endswith(".xml") and ":" not in name and b"#" in token:
                names.add(name)
    return _LIST_TAG.search(data) is not None, names


def _candidates(targets: list[tuple[Path, str]], config: Config) -> list[Path]:
    """Files that may hold authority entries: inputs with lists, pointed and configured files."""
    candidates: dict[Path, None] = {}
    pointed: dict[Path, None] = {}
    for path, _ in targets:
        has_lists, names = _prescan(path, config.limits.max_bytes)
        if has_lists:
            candidates[path.resolve()] = None
        pointed.update(dict.fromkeys((path.parent / n).resolve() for n in names))
    candidates.update(dict.fromkeys(p.resolve() for p in (*config.authorities, *pointed)))
    return list(candidates)


def _load(candidates: list[Path], targets: list[tuple[Path, str]], config: Config
          ) -> tuple[Context, dict[Path, Document]]:
    """Read the candidates; the authority files among the inputs are kept for linting."""
    inputs = {path.resolve(): shown for path, shown in targets}
    context, kept, global_entries = Context(), {}, []
    for real in candidates:
        try:
            doc = read_document(real, config.limits, display=inputs.get(real, str(real)))
        except SergeTeiError:
            continue  # an unreadable or missing target is the validator's finding
        if not is_authority_file(doc.root):
            if real not in inputs:  # a document others point into: its entries resolve
                context.add(list(entries_in(doc.root, real)))
            continue
        entries = list(entries_in(doc.root, real))
        context.add(entries)
        global_entries.extend(entries)
        if real in inputs:
            kept[real] = doc
    context.matcher = Matcher(global_entries)
    context.recipe = (candidates, targets, config)
    return context, kept


def resolve(token: str, real: Path) -> str | None:
    """The entry key a pointer names, or None for what lint cannot follow (URLs, prefixes)."""
    if "#" not in token:
        return None
    name, ident = token.split("#", 1)
    if not name:
        return f"{real}#{ident}"
    if ":" in name or not name.endswith(".xml"):
        return None
    return f"{_resolve_file(real.parent, name)}#{ident}"


@lru_cache(maxsize=1024)
def _resolve_file(folder: Path, name: str) -> Path:
    return (folder / name).resolve()


def _unused_variants(doc: Document, entries: list[Entry], context: Context) -> list[Finding]:
    out = []
    for entry in entries:
        for name, el in entry.names.items():
            if name == entry.preferred or (entry.key, name) in context.used:
                continue
            if "lint.variant-unused" in allowed_rules(el):
                continue
            line, col = doc.locate(el)
            out.append(Finding(doc.path, line, col, RULES["lint.variant-unused"],
                               "lint.variant-unused",
                               f"variant “{name}” of {entry.label} is used in none of the "
                               f"linted documents"))
    return out


def allowed_rules(el: etree._Element) -> set[str]:
    """Rules silenced for *el* by ``<?serge-lint allow="..."?>`` before it or an ancestor."""
    rules: set[str] = set()
    node: etree._Element | None = el
    while node is not None:
        prev = node.getprevious()
        while prev is not None and not isinstance(prev.tag, str):
            if isinstance(prev, etree._ProcessingInstruction) and prev.target == PI_TARGET:
                rules.update((prev.get("allow") or "").split())
            prev = prev.getprevious()
        node = node.getparent()
    return rules


# ------------------------------------------------------------ one document

@dataclass
class _Mention:
    owner: etree._Element
    words: str
    folded: str
    initial: bool
    silenced: set[str]


class DocumentLint:
    """One walk over one document, collecting what each rule needs."""

    def __init__(self, doc: Document, real: Path, context: Context, own_lists: bool) -> None:
        self.doc, self.real, self.context = doc, real, context
        # A document's own lists (a play's cast) serve that document only.
        self.local_entries = list(entries_in(doc.root, real)) if own_lists else []
        self.local_added = context.add(self.local_entries)
        self.local = Matcher(self.local_entries) if self.local_entries else None
        self.findings: list[Finding] = []
        self.mentions: list[_Mention] = []
        self.names: list[tuple[etree._Element, list[str], tuple[str, ...]]] = []
        self.flow: list[str] = []  # folded text, to tell "Last" the name from "last"
        self.ids: dict[str, etree._Element] | None = None
        self.keys: dict[str, str | None] = {}  # pointer -> entry key, resolved once
        self.last_char = ""

    # -- output
    def add(self, el: etree._Element, rule: str, message: str,
            related: tuple[tuple[int, int], ...] = ()) -> None:
        if rule in allowed_rules(el):
            return
        line, col = self.doc.locate(el)
        self.findings.append(Finding(self.doc.path, line, col, RULES[rule], rule, message,
                                     self.doc.tree.getpath(el), related))

    def run(self) -> list[Finding]:
        self.walk(self.doc.root, names_ok=True, dates_ok=True, silent=False, listed=False)
        self.check_mentions()
        self.check_references()
        self.check_notes()
        return self.findings

    # -- the walk
    def walk(self, el: etree._Element, names_ok: bool, dates_ok: bool, silent: bool,
             listed: bool) -> None:
        tag = el.tag
        silent = silent or tag in SILENT_ZONE
        listed = listed or tag in LISTS
        names_ok = names_ok and tag not in NAME_ZONE
        dates_ok = dates_ok and tag not in DATE_ZONE and tag not in NAME_ZONE
        if tag in BLOCKS:
            self.last_char = ""
        self.visit(el, listed)
        self.scan(el.text, el, names_ok, dates_ok, silent, set())
        pi_rules: set[str] = set()
        for child in el:
            if isinstance(child.tag, str):
                self.walk(child, names_ok, dates_ok, silent, listed)
                pi_rules = set()
            elif isinstance(child, etree._ProcessingInstruction) and child.target == PI_TARGET:
                pi_rules = set((child.get("allow") or "").split())
            self.scan(child.tail, el, names_ok, dates_ok, silent, pi_rules)

    def visit(self, el: etree._Element, listed: bool) -> None:
        tag = el.tag
        if tag == T + "date":
            self.check_date(el)
        elif tag in (T + "said", T + "q", T + "sp") and el.get("who"):
            self.check_who(el)
        if tag in REFERRING and not listed and el.get("ref"):
            keys = tuple(k for t in el.get("ref", "").split()
                         if (k := self.key(t)) in self.context.entries)
            forms = surfaces(el) if keys else []
            if forms:
                self.names.append((el, forms, keys))

    def key(self, token: str) -> str | None:
        if token not in self.keys:
            self.keys[token] = resolve(token, self.real)
        return self.keys[token]

    def in_list(self, el: etree._Element) -> bool:
        return any(a.tag in LISTS for a in el.iterancestors())

    def scan(self, text: str | None, owner: etree._Element, names_ok: bool, dates_ok: bool,
             silent: bool, pi_rules: set[str]) -> None:
        if not text:
            return
        if not silent:
            original = unicodedata.normalize("NFC", text)
            folded = fold(original)
            if names_ok:
                self.find_names(original, folded, owner, pi_rules)
            if dates_ok:
                self.find_dates(folded, owner, pi_rules)
            self.flow.append(folded)
        stripped = text.rstrip()
        if stripped:
            self.last_char = stripped[-1]

    def find_names(self, original: str, folded: str, owner: etree._Element,
                   pi_rules: set[str]) -> None:
        for matcher in (self.context.matcher, self.local):
            if matcher is None:
                continue
            for m in matcher.finditer(folded):
                before = folded[:m.start()].rstrip()
                prev = before[-1] if before else self.last_char
                self.mentions.append(_Mention(owner, original[m.start():m.end()], m.group(),
                                              prev == "" or prev in SENTENCE_START,
                                              pi_rules))

    def find_dates(self, folded: str, owner: etree._Element, pi_rules: set[str]) -> None:
        if "lint.date-untagged" in pi_rules:
            return
        hits = []
        if _DIGIT.search(folded):
            hits += [m.group(0) for m in YEAR.finditer(folded)
                     if 1000 <= int(m.group(1)) <= 2100]
            hits += [m.group(0) for m in SHORT_YEAR.finditer(folded)]
        hits += [m.group(1) for m in ENGLISH_MONTH.finditer(folded)
                 if _is_english_month(m.group(1), folded, m)]
        for hit in dict.fromkeys(hits):
            self.add(owner, "lint.date-untagged",
                     f"“{hit}” looks like a date but is not in a <date> element")

    # -- names
    def check_mentions(self) -> None:
        cited = Counter(k for _, _, keys in self.names for k in keys)
        lower: set[str] | None = None
        for mention in self.mentions:
            if "lint.untagged" in mention.silenced:
                continue
            candidates = (self.context.matcher.candidates(mention.folded) or
                          (self.local.candidates(mention.folded) if self.local else []))
            if not candidates:
                continue
            if mention.initial and " " not in mention.folded.strip():
                if lower is None:
                    lower = {w for w in _WORD.findall(" ".join(self.flow)) if w.islower()}
                if mention.folded.lower() in lower:
                    continue  # "Last" opening a sentence, while "last" is a word of this text
            ranked = sorted(candidates, key=lambda e: -cited[e.key])
            best = ranked[0]
            also = "".join(f", or {e.label}" for e in ranked[1:4])
            self.add(mention.owner, "lint.untagged",
                     f"untagged mention “{_squash(mention.words)}”: probably {best.label} "
                     f"({best.preferred}){also}")

    def check_references(self) -> None:
        groups: dict[tuple[str, str], list[tuple[etree._Element, tuple[str, ...]]]] = {}
        for el, forms, keys in self.names:
            self.check_variant(el, forms, keys)
            groups.setdefault((str(el.tag), forms[0]), []).append((el, keys))
        for (_, surface), uses in groups.items():
            counts = Counter(keys for _, keys in uses)
            if len(counts) < 2:
                continue
            usual = counts.most_common(1)[0][0]
            first = next(el for el, keys in uses if keys == usual)
            for el, keys in uses:
                if keys != usual:
                    self.add(el, "lint.inconsistent-ref",
                             f"“{surface}” points to {self.labels(keys)} here but to "
                             f"{self.labels(usual)} at line {self.doc.locate(first)[0]}",
                             (self.doc.locate(first),))

    def check_variant(self, el: etree._Element, forms: list[str], keys: tuple[str, ...]
                      ) -> None:
        targets = [self.context.entries[k] for k in keys]
        for entry in targets:
            for form in forms:
                self.context.used.add((entry.key, form))
        if not forms or any(f in e.names for f in forms for e in targets):
            return
        others = [e for e in self.context.by_name.get(forms[0], []) if e.key not in keys]
        if others:
            self.add(el, "lint.inconsistent-ref",
                     f"“{forms[0]}” points to {self.labels(keys)}, but it is a recorded name "
                     f"of {', '.join(e.label for e in others[:3])}")
            return
        self.add(el, "lint.variant-unrecorded",
                 f"“{forms[0]}” is not a recorded name of {self.labels(keys)}: add it as a "
                 f"variant, or correct the reference")

    def labels(self, keys: tuple[str, ...]) -> str:
        return " ".join(self.context.entries[k].label for k in keys)

    # -- dates
    def check_date(self, el: etree._Element) -> None:
        if not has_value(el):
            self.add(el, "lint.date-unnormalised",
                     f"date “{_squash(clean(element_text(el, EDITORIAL)))}” has no normalised "
                     f"value: add @when, @from/@to or @notBefore/@notAfter")
            return
        span = interval(el)
        if span is None or other_calendar(el):
            return
        text = clean(element_text(el, EDITORIAL))
        wrong = contradictions(text, span)
        if wrong:
            value = " ".join(f'{a}="{el.get(a)}"' for a in el.attrib
                             if a in ("when", "from", "to", "notBefore", "notAfter"))
            self.add(el, "lint.date-mismatch",
                     f"date “{_squash(text)}” says {', '.join(wrong)}, but its value is "
                     f"{value}")

    # -- speech
    def check_who(self, el: etree._Element) -> None:
        for token in el.get("who", "").split():
            key = self.key(token)
            if key is None:
                continue
            entry = self.context.entries.get(key)
            if entry is None:
                target = self.local_target(token)
                if target is not None and etree.QName(target).localname in PERSONS:
                    continue
                self.add(el, "lint.who-unresolved",
                         f"@who=\"{token}\" points to no person entry")
            elif entry.kind not in PERSONS:
                self.add(el, "lint.who-unresolved",
                         f"@who=\"{token}\" points to a {entry.kind}, not a person")

    def local_target(self, token: str) -> etree._Element | None:
        if not token.startswith("#"):
            return None
        if self.ids is None:
            self.ids = {ident: el for el in self.doc.root.iter(tag=etree.Element)
                        if (ident := el.get(XML_ID))}
        return self.ids.get(token[1:])

    # -- notes
    def check_notes(self) -> None:
        text = self.doc.root.find(T + "text")
        if text is None:
            return
        ids = {ident: el for el in self.doc.root.iter() if (ident := el.get(XML_ID))}
        pointed = Counter(t[1:] for el in self.doc.root.iter(tag=etree.Element)
                          for a in ("target", "targetEnd", "corresp")
                          for t in (el.get(a) or "").split() if t.startswith("#"))
        numbers: dict[tuple[str, str, str], etree._Element] = {}
        targets: dict[tuple[str, str], etree._Element] = {}
        for note in text.iter(T + "note"):
            if self.in_list(note):
                continue
            self.check_note(note, ids, pointed, numbers, targets)
        for anchor in text.iter(T + "anchor"):
            ident = anchor.get(XML_ID)
            if ident and not pointed[ident]:
                self.add(anchor, "lint.note-anchor", f"anchor #{ident} has no note pointing to it")

    def check_note(self, note: etree._Element, ids: dict[str, etree._Element],
                   pointed: Counter[str], numbers: dict[tuple[str, str, str], etree._Element],
                   targets: dict[tuple[str, str], etree._Element]) -> None:
        kind = note.get("type", "")
        for attr in ("target", "targetEnd"):
            for token in (note.get(attr) or "").split():
                if token.startswith("#") and token[1:] not in ids:
                    self.add(note, "lint.note-anchor",
                             f"note @{attr}=\"{token}\" points to no element of this document")
                elif token.startswith("#") and attr == "target":
                    self.duplicate(note, targets, (kind, token),
                                   f"a second {kind or 'untyped'} note on the anchor {token}")
        if note.get("n"):
            self.duplicate(note, numbers, (kind, note.get("place", ""), note.get("n", "")),
                           f"note number {note.get('n')} is used twice")
        detached = any(a.tag in (T + "back", T + "noteGrp") for a in note.iterancestors())
        ident = note.get(XML_ID)
        if detached and not note.get("target") and not (ident and pointed[ident]):
            self.add(note, "lint.note-anchor",
                     "note stands apart from the text and nothing anchors it: add @target or "
                     "a <ref>/<ptr> pointing to it")

    def duplicate(self, note: etree._Element, seen: dict[Any, etree._Element], key: tuple[str, ...],
                  message: str) -> None:
        first = seen.setdefault(key, note)
        if first is not note:
            where = self.doc.locate(first)
            self.add(note, "lint.note-anchor", f"{message} (first at line {where[0]})", (where,))


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _is_english_month(word: str, folded: str, m: re.Match[str]) -> bool:
    """A month name; "May", "March" and "August" (also words) only next to a number."""
    if word not in ("May", "March", "August"):
        return True
    return bool(re.match(r"\.?,?\s+\d", folded[m.end():m.end() + 6]) or
                re.search(r"\d(?:st|nd|rd|th)?\s+$", folded[max(0, m.start() - 8):m.start()]))
