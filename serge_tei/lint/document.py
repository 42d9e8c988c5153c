"""One document linted: a single walk collecting what each rule needs, then the verdicts."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree

from ..findings import Finding
from ..reading import Document
from .baseline import fingerprint
from .dates import SHORT_YEAR, YEAR, contradictions, has_value, interval, other_calendar
from .names import (
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
    surfaces,
)
from .pointers import Place, Pointer, Refused, resolve
from .profiles import Profile
from .rules import RULES

if TYPE_CHECKING:
    from .run import Context

PI_TARGET = "serge-lint"

#: Elements whose text is a name: nothing inside is an *untagged* mention.
NAME_ZONE = {T + n for n in (
    "persName", "placeName", "orgName", "rs", "title", "name", "geogName", "settlement",
    "country", "region", "bloc", "district", "addName", "forename", "surname", "roleName",
    "genName", "nameLink", "objectName", "eventName", "idno", "ptr", "ref")}
#: Elements whose text is a number or a date already (or a title, which may quote one).
DATE_ZONE = {T + n for n in ("date", "time", "num", "measure", "biblScope", "unitDate")}
#: Never scanned: the header and stand-off metadata, the authority lists, labels of
#: speakers and casts, editorial readings (their printed counterpart is scanned),
#: running heads.
SILENT_ZONE = {T + "teiHeader", T + "standOff", T + "speaker", T + "castList", T + "fw",
               T + "index", *LISTS, *EDITORIAL}
#: Dates that transcribe a bibliography or a running head: not asked for a value.
UNNORMALISED_OK = {T + "teiHeader", T + "standOff", T + "fw"}
#: Elements that begin a new sentence-like unit of text.
BLOCKS = {T + n for n in (
    "p", "head", "l", "ab", "item", "cell", "dateline", "note", "label", "closer", "signed",
    "salute", "trailer", "byline", "docTitle", "titlePart", "lg", "div", "sp", "stage",
    "list", "table", "cit", "bibl", "opener", "docAuthor", "quote", "said", "q")}
REFERRING = {T + n for n in ("persName", "placeName", "orgName", "rs", "title", "name")}
SPEECH = {T + n for n in ("said", "q", "sp")}
#: Where a letter names its correspondents (recorded in correspDesc) as a matter of form.
LETTER_FORM = {T + n for n in ("opener", "closer", "salute", "signed", "address", "dateline")}
#: where a date heads an entry or a letter rather than stands in a sentence
DATELINES = {T + n for n in ("dateline", "docDate", "opener", "closer", "head", "titlePage")}
DIVISIONS = {T + n for n in ("back", "front", "body", "div", *(f"div{i}" for i in range(1, 8)))}
#: what @who may name: a person, a group, or a role of a cast list (in plays without particDesc)
PERSONS = {"person", "personGrp", "persona", "role", "castItem", "castGroup"}
SENTENCE_START = set(".!?:;\"“‘'(«[–—-…")
ENGLISH_MONTH = re.compile(r"\b(January|February|March|April|May|June|July|August|September|"
                           r"October|November|December)\b")
#: what may be a date in running text: one search tells most text nodes have none
_DATE_HINT = re.compile(r"\d{4}|[’'‘]\d\d|\b(?:January|February|March|April|May|June|July|"
                        r"August|September|October|November|December)\b")
_WORD = re.compile(r"\w+")
_NONE: frozenset[str] = frozenset()
_ASCII_SPACE = str.maketrans("\t\n\r\x0b\x0c", "     ")
#: pronouns (German, English, French) and forms of address: a cast member called "Er",
#: "Sie" or "Herr" is not reported in the text
PRONOUNS = frozenset((
    "er", "sie", "es", "ich", "du", "wir", "ihr", "ihm", "ihn", "ihnen", "mir", "mich", "dir",
    "dich", "uns", "euch", "man", "he", "she", "it", "they", "we", "you", "i", "him", "them",
    "us", "me", "il", "elle", "on", "nous", "vous", "ils", "elles", "je", "tu", "lui", "eux",
    "moi", "toi",
    # forms of address, a closed class too: a cast member called "Herr" is matched in
    # "Herr Paul Kreindl" far more often than meant
    "herr", "herrn", "frau", "fraulein", "jungfer", "mamsell", "madame", "monsieur",
    "mademoiselle", "mister", "mr", "mrs", "miss", "sir", "signor", "signora", "don", "dona"))
#: articles and possessives (German, English, French): a word used after one is a noun
#: ("der König", "meine Mutter", "the Duke"), not a name
DETERMINERS = frozenset((
    "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "eines",
    "mein", "meine", "meinen", "meinem", "meiner", "meines", "dein", "deine", "deinen",
    "deinem", "deiner", "deines", "sein", "seine", "seinen", "seinem", "seiner", "seines",
    "ihre", "ihren", "ihrem", "ihrer", "ihres", "unser", "unsere", "unseren", "unserem",
    "unserer", "unseres", "euer", "eure", "euren", "eurem", "eurer", "eures", "kein", "keine",
    "keinen", "keinem", "keiner", "keines", "the", "a", "an", "my", "your", "our", "their",
    "its", "le", "la", "les", "l", "un", "une", "mon", "ma", "mes", "ton", "ta", "tes", "son",
    "sa", "ses", "notre", "votre", "leur", "leurs", "ce", "cet", "cette"))
#: how a cast list introduces a role rather than a person ("Der König", "Ein Diener")
ARTICLES = frozenset(("der", "die", "das", "ein", "eine", "the", "a", "an", "le", "la", "les",
                      "l", "un", "une"))


@dataclass
class _Mention:
    owner: etree._Element
    words: str
    folded: str
    initial: bool
    silenced: frozenset[str]
    #: entries whose names are no untagged mention here (@who, a letter's correspondents)
    known: frozenset[str]


@dataclass
class Found:
    """A finding, with what the baseline needs to recognise it later."""

    finding: Finding
    fingerprint: str
    what: str


@dataclass
class _Zone:
    """What the walk knows about the element it is in."""

    names_ok: bool = True
    dates_ok: bool = True
    silent: bool = False
    listed: bool = False
    unnormalised_ok: bool = False
    known: frozenset[str] = field(default_factory=frozenset)

    def enter(self, el: etree._Element, known: frozenset[str]) -> _Zone:
        tag = el.tag
        if tag not in _ZONE_TAGS and known is self.known:
            return self  # most elements change nothing: no new object
        named = tag in NAME_ZONE
        return _Zone(self.names_ok and not named,
                     self.dates_ok and not named and tag not in DATE_ZONE,
                     self.silent or tag in SILENT_ZONE, self.listed or tag in LISTS,
                     self.unnormalised_ok or tag in UNNORMALISED_OK, known)


#: elements that change the zone they open
_ZONE_TAGS = frozenset(NAME_ZONE | DATE_ZONE | SILENT_ZONE | LISTS | UNNORMALISED_OK)


class DocumentLint:
    """One walk over one document, collecting what each rule needs."""

    def __init__(self, doc: Document, real: Path, context: Context, own_lists: bool,
                 profile: Profile, root: Path, fingerprints: bool = False) -> None:
        self.doc, self.real, self.context, self.profile = doc, real, context, profile
        self.fingerprints = fingerprints
        self.where = Place.of(real, root)
        self.on = profile.rules
        # A document's own lists (a play's cast) serve that document only.
        self.local_entries = list(entries_in(doc.root, real)) if own_lists else []
        self.local_added = context.add(self.local_entries)
        self.pointers: dict[str, Pointer | Refused | None] = {}  # resolved once per token
        self.ids: dict[str, etree._Element] | None = None
        #: whether the document's own lists are searched (see profiles)
        self.own_searched = bool(self.local_entries) and (
            profile.omissions == "always" or self.tags_own_names())
        self.local = Matcher(self.local_entries) if self.own_searched else None
        self.names_on = "lint.untagged" in self.on and bool(context.matcher or self.local)
        self.dates_on = "lint.date-untagged" in self.on and (
            profile.omissions == "always" or self.tags_dates())
        self.values_on = profile.omissions == "always" or bool(_GIVES_DATE_VALUES(doc.root))
        self.found: list[Found] = []
        self.mentions: list[_Mention] = []
        self.names: list[tuple[etree._Element, list[str], tuple[str, ...]]] = []
        self.flow: list[str] = []  # folded text, to tell "Last" the name from "last"
        self.last_char = ""
        self.nouns: set[str] | None = None  # words used after an article, once needed
        self.parties: frozenset[str] | None = None

    # -- output
    def add(self, el: etree._Element, rule: str, message: str, subject: str = "",
            related: tuple[tuple[int, int], ...] = ()) -> None:
        if rule not in self.on or rule in allowed_rules(el):
            return
        line, col = self.doc.locate(el)
        finding = Finding(self.doc.path, line, col, RULES[rule], rule, message,
                          self.doc.tree.getpath(el), related)
        if not self.fingerprints:  # only a baseline needs them
            self.found.append(Found(finding, "", ""))
            return
        what = f"{subject} in <{etree.QName(el).localname}>" if subject else \
            f"<{etree.QName(el).localname}>"
        self.found.append(Found(finding, fingerprint(rule, el, subject), what))

    def run(self) -> list[Found]:
        self.check_pointers()
        if self.names_on or self.dates_on:
            self.walk(self.doc.root, _Zone())
        else:
            self.visit_marked()
        self.check_mentions()
        self.check_references()
        self.check_notes()
        return self.found

    # -- what the document shows of its conventions
    def tags_own_names(self) -> bool:
        """Whether a name element outside the lists points to one of the document's entries."""
        own = {e.key for e in self.local_entries}
        for el in self.doc.root.iter(*REFERRING):
            if el.get("ref") and not _in_lists(el) and any(
                    isinstance(p := self.pointer(t), Pointer) and p.key in own
                    for t in el.get("ref", "").split()):
                return True
        return False

    def tags_dates(self) -> bool:
        """Whether a date is tagged inside running text (not only opening an entry)."""
        text = self.doc.root.find(T + "text")
        return text is not None and any(_inside_sentence(d) for d in text.iter(T + "date"))

    # -- the walk
    def walk(self, el: etree._Element, zone: _Zone) -> None:
        zone = zone.enter(el, self.known_here(el, zone))
        if el.tag in BLOCKS:
            self.last_char = ""
        self.visit(el, zone)
        scan = self.scan
        if el.text:
            scan(el.text, el, zone, _NONE)
        pi_rules: frozenset[str] = _NONE
        for child in el:
            if isinstance(child.tag, str):
                self.walk(child, zone)
                pi_rules = _NONE
            elif isinstance(child, etree._ProcessingInstruction) and child.target == PI_TARGET:
                pi_rules = frozenset((child.get("allow") or "").split())
            if child.tail:
                scan(child.tail, el, zone, pi_rules)

    def known_here(self, el: etree._Element, zone: _Zone) -> frozenset[str]:
        """Entries whose names are no untagged mention inside *el*."""
        known = zone.known
        if not self.names_on:
            return known
        if self.profile.who_names and el.get("who"):
            known = known | {p.key for t in el.get("who", "").split()
                             if isinstance(p := self.pointer(t), Pointer)}
        if self.profile.parties and el.tag in LETTER_FORM:
            known = known | self.correspondents()
        return known

    def correspondents(self) -> frozenset[str]:
        """Entries of the sender and addressee that ``correspDesc`` records."""
        if self.parties is None:
            self.parties = frozenset(p.key for value in _CORRESPONDENTS(self.doc.root)
                                     for t in str(value).split()
                                     if isinstance(p := self.pointer(t), Pointer))
        return self.parties

    def visit(self, el: etree._Element, zone: _Zone) -> None:
        tag = el.tag
        if tag == T + "date":
            self.check_date(el, zone.unnormalised_ok)
        elif tag in SPEECH and el.get("who"):
            self.check_who(el)
        if tag in REFERRING and not zone.listed and el.get("ref"):
            self.visit_name(el)

    def visit_marked(self) -> None:
        """What the walk visits, without the walk: when no text is to be searched (a play
        that tags no name, say), only dates, speeches and names need a look, found in C."""
        root = self.doc.root
        for el in root.iter(T + "date"):
            self.check_date(el, any(a.tag in UNNORMALISED_OK for a in el.iterancestors()))
        for el in root.iter(*SPEECH):
            if el.get("who"):
                self.check_who(el)
        for el in root.iter(*REFERRING):
            if el.get("ref") and not _in_lists(el):
                self.visit_name(el)

    def visit_name(self, el: etree._Element) -> None:
        keys = tuple(p.key for t in el.get("ref", "").split()
                     if isinstance(p := self.pointer(t), Pointer)
                     and p.key in self.context.entries)
        forms = surfaces(el) if keys else []
        if forms:
            self.names.append((el, forms, keys))

    def pointer(self, token: str) -> Pointer | Refused | None:
        if token not in self.pointers:
            self.pointers[token] = resolve(token, self.where)
        return self.pointers[token]

    def scan(self, text: str, owner: etree._Element, zone: _Zone,
             pi_rules: frozenset[str]) -> None:
        if text.isspace():  # indentation: half the text nodes of a file
            return
        if not zone.silent and (self.names_on or self.dates_on):
            if text.isascii():  # already NFC, nothing to fold but white space
                original, folded = text, text.translate(_ASCII_SPACE)
            else:
                original = unicodedata.normalize("NFC", text)
                folded = fold(original)
            if self.names_on and zone.names_ok:
                self.find_names(original, folded, owner, pi_rules, zone.known)
            if self.dates_on and zone.dates_ok:
                self.find_dates(folded, owner, pi_rules)
            self.flow.append(folded)
        stripped = text.rstrip()
        if stripped:
            self.last_char = stripped[-1]

    def find_names(self, original: str, folded: str, owner: etree._Element,
                   pi_rules: frozenset[str], known: frozenset[str]) -> None:
        for matcher in (self.context.matcher, self.local):
            if not matcher:
                continue
            for m in matcher.finditer(folded):
                before = folded[:m.start].rstrip()
                prev = before[-1] if before else self.last_char
                self.mentions.append(_Mention(owner, original[m.start:m.end], m.key,
                                              prev == "" or prev in SENTENCE_START,
                                              pi_rules, known))

    def find_dates(self, folded: str, owner: etree._Element, pi_rules: frozenset[str]) -> None:
        if "lint.date-untagged" in pi_rules or not _DATE_HINT.search(folded):
            return
        hits = [m.group(0) for m in YEAR.finditer(folded) if 1000 <= int(m.group(1)) <= 2100]
        hits += [m.group(0) for m in SHORT_YEAR.finditer(folded)]
        hits += [m.group(1) for m in ENGLISH_MONTH.finditer(folded)
                 if _is_english_month(m.group(1), folded, m)]
        for hit in dict.fromkeys(hits):
            self.add(owner, "lint.date-untagged",
                     f"“{hit}” looks like a date but is not in a <date> element", hit)

    # -- names
    def check_mentions(self) -> None:
        cited = Counter(k for _, _, keys in self.names for k in keys)
        lower: set[str] | None = None
        for mention in self.mentions:
            if "lint.untagged" in mention.silenced:
                continue
            candidates = (self.context.matcher.candidates(mention.folded) or
                          (self.local.candidates(mention.folded) if self.local else []))
            if not candidates or any(e.key in mention.known for e in candidates):
                continue
            one_word = " " not in mention.folded.strip()
            if one_word and self.profile.role_words and self.is_role_word(mention.folded):
                continue  # "König", "Mutter", "Sie": a role or a pronoun, not a name
            if mention.initial and one_word:
                if lower is None:
                    lower = {w for w in _WORD.findall(" ".join(self.flow)) if w.islower()}
                if mention.folded.lower() in lower:
                    continue  # "Last" opening a sentence, while "last" is a word of this text
            ranked = sorted(candidates, key=lambda e: -cited[e.key])
            best = ranked[0]
            also = "".join(f", or {e.label}" for e in ranked[1:4])
            words = _squash(mention.words)
            self.add(mention.owner, "lint.untagged",
                     f"untagged mention “{words}”: probably {best.label} "
                     f"({_clip(best.preferred)}){also}", words)

    def is_role_word(self, word: str) -> bool:
        """A pronoun, or a word used like a noun: introduced with an article in the cast
        list ("Der König", "Ein Diener"), or following an article or a possessive in at
        least two of five of its uses in the text ("der König", "meine Mutter"). A name
        may take an article now and then ("der Lips" in Nestroy's Vienna) and stays a name.
        """
        folded = word.casefold()
        if folded in PRONOUNS:
            return True
        if self.nouns is None:
            words = _WORD.findall(" ".join(self.flow).casefold())
            uses = Counter(words)
            after = Counter(w for d, w in itertools.pairwise(words) if d in DETERMINERS)
            self.nouns = {w for w, n in after.items() if 5 * n >= 2 * uses[w]}
            cast = _WORD.findall(fold(" ".join(t for c in self.doc.root.iter(T + "castList")
                                               for t in c.itertext())).casefold())
            self.nouns |= {w for d, w in itertools.pairwise(cast) if d in ARTICLES}
        return folded in self.nouns

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
                             f"{surface} {' '.join(keys)}", (self.doc.locate(first),))

    def check_variant(self, el: etree._Element, forms: list[str], keys: tuple[str, ...]
                      ) -> None:
        targets = [self.context.entries[k] for k in keys]
        for entry in targets:
            for form in forms:
                self.context.used.add((entry.key, form))
        if not forms or any(f in e.names for f in forms for e in targets):
            return
        others = [e for e in self.context.by_name.get(forms[0], []) if e.key not in keys]
        subject = f"{forms[0]} {' '.join(keys)}"
        if others:
            self.add(el, "lint.inconsistent-ref",
                     f"“{forms[0]}” points to {self.labels(keys)}, but it is a recorded name "
                     f"of {', '.join(e.label for e in others[:3])}", subject)
            return
        self.add(el, "lint.variant-unrecorded",
                 f"“{forms[0]}” is not a recorded name of {self.labels(keys)}: add it as a "
                 f"variant, or correct the reference", subject)

    def labels(self, keys: tuple[str, ...]) -> str:
        return " ".join(self.context.entries[k].label for k in keys)

    # -- dates
    def check_date(self, el: etree._Element, unnormalised_ok: bool) -> None:
        text = clean(element_text(el, EDITORIAL))
        if not has_value(el):
            if self.values_on and not unnormalised_ok:
                self.add(el, "lint.date-unnormalised",
                         f"date “{_squash(text)}” has no normalised value: add @when, "
                         f"@from/@to or @notBefore/@notAfter", text)
            return
        span = interval(el)
        if span is None or other_calendar(el):
            return
        wrong = contradictions(text, span)
        if wrong:
            value = " ".join(f'{a}="{el.get(a)}"' for a in el.attrib
                             if a in ("when", "from", "to", "notBefore", "notAfter"))
            self.add(el, "lint.date-mismatch",
                     f"date “{_squash(text)}” says {', '.join(wrong)}, but its value is "
                     f"{value}", f"{text} {value}")

    # -- speech
    def check_who(self, el: etree._Element) -> None:
        for token in el.get("who", "").split():
            p = self.pointer(token)
            if not isinstance(p, Pointer):
                continue  # not lint's to follow, or refused (reported by check_pointers)
            entry = self.context.entries.get(p.key)
            if entry is None:
                target = self.local_target(p.key.rsplit("#", 1)[1]) \
                    if p.key.startswith(f"{self.real}#") else None
                if target is not None and etree.QName(target).localname in PERSONS:
                    continue
                if p.bare and target is None:
                    continue  # "who=K_1" with no such id: a URI lint cannot see, not a fault
                self.add(el, "lint.who-unresolved",
                         f"@who=\"{token}\" points to no person entry", token)
            elif entry.kind not in PERSONS:
                self.add(el, "lint.who-unresolved",
                         f"@who=\"{token}\" points to a {entry.kind}, not a person", token)

    def local_target(self, ident: str) -> etree._Element | None:
        if self.ids is None:
            self.ids = {value: el for el in self.doc.root.iter(tag=etree.Element)
                        if (value := el.get(XML_ID))}
        return self.ids.get(ident)

    # -- pointers lint refuses to follow
    def check_pointers(self) -> None:
        for value in _FILE_POINTERS(self.doc.root):
            el = value.getparent()
            for token in str(value).split():
                refused = self.pointer(token)
                if isinstance(refused, Refused):
                    attr = value.attrname
                    self.add(el, "lint.ref-refused",
                             f"@{attr}=\"{_clip(token)}\" {refused.why}", f"{attr} {token}")

    # -- notes
    def check_notes(self) -> None:
        text = self.doc.root.find(T + "text")
        if text is None or next(text.iter(T + "note", T + "anchor"), None) is None:
            return
        ids = {ident: el for el in self.doc.root.iter() if (ident := el.get(XML_ID))}
        pointed = _pointed(self.doc.root, ids)
        numbers: dict[tuple[Any, ...], etree._Element] = {}
        targets: dict[tuple[str, str], etree._Element] = {}
        page, anchored = 0, False
        for el in text.iter(T + "note", T + "pb"):
            if el.tag == T + "pb":
                page += 1  # numbering may start again on each page
                continue
            if _in_lists(el):
                continue
            anchored = anchored or bool(el.get("target"))
            self.check_note(el, ids, pointed, (numbers, page), targets)
        if not anchored:
            return  # anchors here mark something else than where notes attach
        for anchor in text.iter(T + "anchor"):
            ident = anchor.get(XML_ID)
            if ident and not pointed[ident]:
                self.add(anchor, "lint.note-anchor", f"anchor #{ident} has no note pointing to it",
                         ident)

    def check_note(self, note: etree._Element, ids: dict[str, etree._Element],
                   pointed: Counter[str],
                   numbering: tuple[dict[tuple[Any, ...], etree._Element], int],
                   targets: dict[tuple[str, str], etree._Element]) -> None:
        kind = note.get("type", "")
        for attr in ("target", "targetEnd"):
            for token in (note.get(attr) or "").split():
                ident = _local_id(token, ids)
                if token.startswith("#") and ident is None:
                    self.add(note, "lint.note-anchor",
                             f"note @{attr}=\"{token}\" points to no element of this document",
                             f"{attr} {token}")
                elif ident is not None and attr == "target":
                    self.duplicate(note, targets, (kind, ident),
                                   f"a second {kind or 'untyped'} note on the anchor #{ident}")
        if note.get("n"):
            # one series per type and place, starting again on each page and in each division
            numbers, page = numbering
            series = (kind, note.get("place", ""), page, _division(note))
            self.duplicate(note, numbers, (*series, note.get("n", "")),
                           f"note number {note.get('n')} is used twice")
        ident = note.get(XML_ID)
        if _detached(note) and not note.get("target") and not (ident and pointed[ident]):
            self.add(note, "lint.note-anchor",
                     "note stands apart from the text and nothing anchors it: add @target or "
                     "a <ref>/<ptr> pointing to it")

    def duplicate(self, note: etree._Element, seen: dict[Any, etree._Element],
                  key: tuple[Any, ...], message: str) -> None:
        first = seen.setdefault(key, note)
        if first is not note:
            where = self.doc.locate(first)
            self.add(note, "lint.note-anchor", f"{message} (first at line {where[0]})",
                     message, (where,))


_GIVES_DATE_VALUES = etree.XPath(
    "boolean((//t:text//t:date[@when or @from or @to or @notBefore or @notAfter or @when-iso "
    "or @from-iso or @to-iso or @notBefore-iso or @notAfter-iso])[1])", namespaces={"t": T[1:-1]})
_CORRESPONDENTS = etree.XPath("//t:correspDesc//t:correspAction/*/@ref",
                              namespaces={"t": T[1:-1]})
#: attribute values that may point into the document ("#id" anywhere)
_POINTER_VALUES = etree.XPath("//@*[contains(., '#')] | //@target | //@targetEnd | "
                              "//@corresp | //@spanTo | //@from | //@to | //@sameAs | //@synch")
#: attributes whose bare values (no "#") some projects use as ids of the same document
_BARE_POINTERS = frozenset(("target", "targetEnd", "corresp", "spanTo", "sameAs", "synch"))
_FILE_POINTERS = etree.XPath("//@ref[contains(., '.xml')] | //@who[contains(., '.xml')] | "
                             "//@corresp[contains(., '.xml')]")


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


def unused_variants(doc: Document, entries: list[Entry], used: set[tuple[str, str]]
                    ) -> Iterator[tuple[etree._Element, str, str]]:
    """``(element, rule message, variant)`` for each recorded variant no document used."""
    for entry in entries:
        for name, el in entry.names.items():
            if name == entry.preferred or (entry.key, name) in used:
                continue
            yield el, (f"variant “{name}” of {entry.label} is used in none of the linted "
                       f"documents"), name


def _pointed(root: etree._Element, ids: dict[str, etree._Element]) -> Counter[str]:
    """How often each id of the document is pointed at: by any "#id" of any attribute
    (a note's @target, a span's @spanTo, an apparatus' @from ...), or by a bare id in
    a pointing attribute."""
    counts: Counter[str] = Counter()
    for value in _POINTER_VALUES(root):
        bare = value.attrname in _BARE_POINTERS
        for token in str(value).split():
            if token.startswith("#") or bare:
                ident = _local_id(token, ids)
                if ident is not None:
                    counts[ident] += 1
    return counts


def _division(el: etree._Element) -> etree._Element | None:
    return next((a for a in el.iterancestors() if a.tag in DIVISIONS), None)


def _in_lists(el: etree._Element) -> bool:
    return any(a.tag in LISTS for a in el.iterancestors())


def _local_id(token: str, ids: dict[str, etree._Element]) -> str | None:
    """The id of this document a note pointer names: "#id", or a bare "id" it has."""
    if token.startswith("#"):
        return token[1:] if token[1:] in ids else None
    return token if token in ids else None


def _detached(note: etree._Element) -> bool:
    """A note that is a block of its own in the back matter or a note group, not inline.

    A note inside a paragraph or a heading is anchored where it stands, even in
    ``back``; a note standing between the divisions of ``back`` (or in a
    ``noteGrp`` that does) needs a pointer to say what it is about.
    """
    parent = note.getparent()
    grouped = parent is not None and parent.tag == T + "noteGrp"
    if grouped:
        parent = parent.getparent()  # type: ignore[union-attr]
    if parent is None or parent.tag not in DIVISIONS:
        return False
    return grouped or any(a.tag == T + "back" for a in note.iterancestors())


def _inside_sentence(date: etree._Element) -> bool:
    """Whether a date has text before it in its block: tagged in a sentence, not a dateline."""
    if any(a.tag in SILENT_ZONE or a.tag in DATELINES for a in date.iterancestors()):
        return False
    parent = date.getparent()
    if parent is None:
        return False
    if (parent.text or "").strip():
        return True
    for sibling in date.itersiblings(preceding=True):
        if (sibling.tail or "").strip() or "".join(sibling.itertext()).strip():
            return True
    return False


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _clip(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


def _is_english_month(word: str, folded: str, m: re.Match[str]) -> bool:
    """A month name; "May", "March" and "August" (also words) only next to a number."""
    if word not in ("May", "March", "August"):
        return True
    return bool(re.match(r"\.?,?\s+\d", folded[m.end():m.end() + 6]) or
                re.search(r"\d(?:st|nd|rd|th)?\s+$", folded[max(0, m.start() - 8):m.start()]))
