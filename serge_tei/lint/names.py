"""Authority entries and the name matcher behind ``serge-tei lint``.

An *authority entry* is a ``person``/``personGrp``/``place``/``org``/``bibl``
(or ``biblStruct``) with an ``xml:id`` inside a ``listPerson``/``listPlace``/
``listOrg``/``listBibl``. Its *names* are the texts of its direct name
children (``persName``, ``placeName``, ``orgName``, ``title``, ``name``...),
whatever their ``@type``. Everything here is read from the authority files, so
the same code serves any TEI project that keeps such lists.

Names are compared *folded*: Unicode NFC, diacritics removed, typographic
apostrophes made straight, every white-space character a plain space. Folding
keeps the length of the text (one character in, one out), so a match in the
folded text is also a slice of the original text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from ..reading import TEI_NS, XML_NS

T = f"{{{TEI_NS}}}"
XML_ID = f"{{{XML_NS}}}id"
LISTS = {T + n for n in ("listPerson", "listPlace", "listOrg", "listBibl")}
ENTRIES = {T + n for n in ("person", "personGrp", "place", "org", "bibl", "biblStruct")}
ENTRY_NAMES = {T + n for n in ("persName", "placeName", "orgName", "title", "name",
                               "geogName", "settlement", "country", "region")}
#: Editorial readings that are not the printed text (their counterpart is).
EDITORIAL = {T + n for n in ("reg", "corr", "expan", "ex", "supplied")}
PRINTED = {T + n for n in ("orig", "sic", "abbr")}
#: Parts of a name that a text may leave out ("General Wrangel" is also "Wrangel").
NAME_PARTS_OPTIONAL = {T + n for n in ("roleName", "addName", "genName")}
_NOT_EDITORIAL = frozenset(PRINTED | {T + "supplied"})
_NO_OPTIONAL_PARTS = frozenset(EDITORIAL | NAME_PARTS_OPTIONAL)
#: A variant needs at least this many letters to be searched in untagged text:
#: a lone initial ("G.", "E.") matches too much to mean anything.
MIN_LETTERS = 2

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})
_SPACE = re.compile(r"\s+")


class _FoldTable(dict[int, str]):
    """``str.translate`` table filled on first sight of each character."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        folded = " " if ch.isspace() else unicodedata.normalize("NFD", ch)[0]
        folded = folded.translate(_APOSTROPHES)
        self[code] = folded
        return folded


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """Length-preserving fold: no diacritics, straight apostrophes, plain spaces."""
    return text.translate(_FOLD)


def clean(text: str) -> str:
    """The comparable form of a surface: NFC, straight apostrophes, single spaces."""
    if not text.isascii():  # ASCII is NFC and has no typographic apostrophes
        text = unicodedata.normalize("NFC", text).translate(_APOSTROPHES)
    return _SPACE.sub(" ", text).strip()


def element_text(el: etree._Element, skip: frozenset[str] | set[str]) -> str:
    """Text of *el* without the subtrees named in *skip* (and without notes)."""
    out = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and child.tag not in skip and child.tag != T + "note":
            out.append(element_text(child, skip))
        out.append(child.tail or "")
    return "".join(out)


def surfaces(el: etree._Element) -> list[str]:
    """The forms under which a name element can be recorded: printed first.

    The printed reading (``orig``/``sic``), the editorial one (``reg``/``corr``)
    and the printed reading without optional parts (role names).
    """
    if len(el) == 0:  # most names are plain text: one form
        printed = clean(el.text or "")
        return [printed] if printed else []
    printed = clean(element_text(el, EDITORIAL))
    forms = [printed,
             clean(element_text(el, _NOT_EDITORIAL)),
             clean(element_text(el, _NO_OPTIONAL_PARTS))]
    return [f for f in dict.fromkeys(forms) if f]


@dataclass(eq=False)  # compared by identity: two entries are never "equal"
class Entry:
    """One authority entry: where it is, what it is, and the names it records."""

    key: str  # "<resolved path>#<xml:id>"
    label: str  # how messages name it: "persons.xml#gide"
    kind: str  # person, place, org, bibl ...
    names: dict[str, etree._Element] = field(default_factory=dict)  # clean name -> element
    preferred: str = ""


def entries_in(root: etree._Element, path: Path) -> Iterator[Entry]:
    """Every authority entry in the lists of one document."""
    for lst in root.iter(*LISTS):
        for el in lst:
            if el.tag not in ENTRIES or not el.get(XML_ID):
                continue
            ident = el.get(XML_ID)
            entry = Entry(f"{path}#{ident}", f"{path.name}#{ident}", etree.QName(el).localname)
            for name in _name_children(el):
                if name.tag in ENTRY_NAMES:
                    text = clean(element_text(name, EDITORIAL))
                    if text:
                        entry.names.setdefault(text, name)
                        # the preferred name: type="preferred", else the first one
                        if not entry.preferred or name.get("type") == "preferred":
                            entry.preferred = text
            yield entry


def _name_children(entry: etree._Element) -> list[etree._Element]:
    # A biblStruct keeps its titles one level down, in analytic and monogr.
    if entry.tag == T + "biblStruct":
        return [*entry.iterfind(f"{T}analytic/{T}title"), *entry.iterfind(f"{T}monogr/{T}title")]
    return list(entry)


def is_authority_file(root: etree._Element) -> bool:
    """A file whose text is lists of entries and nothing else (persons.xml, places.xml)."""
    text = root.find(T + "text")
    if text is None or next(text.iter(*LISTS), None) is None:
        return False
    prose = {T + n for n in ("p", "ab", "l", "sp", "quote")}
    return all(any(a.tag in LISTS for a in el.iterancestors()) for el in text.iter(*prose))


class Matcher:
    """Every searchable name of a set of entries, found in a text in one pass.

    Names are split into tokens (runs of word characters, and single other
    characters) and kept in a trie of tokens. A text is split the same way;
    at each token that begins some name the trie is walked as far as the text
    allows, and the longest name that ends on a word boundary wins. Building
    and matching are loops over bounded data, never recursion nor a pattern
    made from the data: no name, however long, and no number of entries can
    make the matcher recurse or compile something huge. A name of more than
    :data:`MAX_NAME_CHARS` characters or :data:`MAX_NAME_TOKENS` tokens is
    still recorded (a tagged form is compared with it) but not searched for.
    """

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.by_name: dict[str, list[Entry]] = {}
        self.trie: dict[str, Any] = {}
        seen: set[tuple[str, str]] = set()
        for entry in entries:
            for name in entry.names:
                key = searchable(name)
                if key is None or (key, entry.key) in seen:
                    continue
                seen.add((key, entry.key))
                if key not in self.by_name:
                    self.by_name[key] = []
                    self._insert(key)
                self.by_name[key].append(entry)
        self.first = frozenset(self.trie)
        # a name opening with a non-word character ("'t Hooft") defeats the word prefilter
        self.odd_start = any(not _WORDCHAR.match(token) for token in self.first)

    def _insert(self, key: str) -> None:
        node = self.trie
        for token in _trie_tokens(key):
            node = node.setdefault(token, {})
        node[_END] = key

    def __bool__(self) -> bool:
        return bool(self.trie)

    def finditer(self, folded: str) -> Iterator[Match]:
        """The names in *folded* text, left to right, longest first, not overlapping.

        Most texts hold no word that begins a name, which one C-level pass
        tells; for the others only the places where such a word stands are
        looked at.
        """
        if not self.trie:
            return
        if self.odd_start:
            starts = [m.start() for m in _TOKENS.finditer(folded) if m.group() in self.trie]
        else:
            hits = self.first.intersection(_WORDS.findall(folded))
            if not hits:
                return
            starts = sorted(_word_starts(folded, hits))
        end = 0
        for start in starts:
            if start < end:
                continue
            found = self._longest(folded, start)
            if found is not None:
                end, key = found
                yield Match(start, end, key)

    def _longest(self, folded: str, start: int) -> tuple[int, str] | None:
        """(end, name) of the longest name starting at *start*, on word boundaries."""
        if start and _WORDCHAR.match(folded, start - 1):  # "x't Hooft": not at a word start
            return None
        token = _TOKENS.match(folded, start)
        node = self.trie.get(token.group()) if token else None
        best, pos = None, token.end() if token else start
        while node is not None:
            # the name must end on a word boundary ("A.G." is not in "A.G.x")
            if _END in node and not _WORDCHAR.match(folded, pos):
                best = (pos, node[_END])
            gap = _SPACES.match(folded, pos)
            token = _TOKENS.match(folded, gap.end()) if gap else None
            if token is None:
                break
            node = node.get((" " if gap and gap.end() > pos else "") + token.group())
            pos = token.end()
        return best

    def candidates(self, matched: str) -> list[Entry]:
        return self.by_name.get(_SPACE.sub(" ", matched), [])


@dataclass(frozen=True)
class Match:
    """A name found in a text: where, and its key in :attr:`Matcher.by_name`."""

    start: int
    end: int
    key: str


#: A name longer than this (characters, tokens) is recorded but not searched for:
#: nobody leaves a 200-character title untagged, and it keeps matching bounded.
MAX_NAME_CHARS = 200
MAX_NAME_TOKENS = 24
_END = "\0"  # the trie key marking the end of a name (no token is a NUL)
_TOKENS = re.compile(r"\w+|[^\w\s]")
_WORDS = re.compile(r"\w+")
_WORDCHAR = re.compile(r"\w")
_SPACES = re.compile(r"\s*")


def _word_starts(folded: str, words: Iterable[str]) -> Iterator[int]:
    """Where each of *words* stands in *folded* as a whole word."""
    for word in words:
        i = folded.find(word)
        while i >= 0:
            j = i + len(word)
            if not (i and _WORDCHAR.match(folded, i - 1)) and not _WORDCHAR.match(folded, j):
                yield i
            i = folded.find(word, j)


def searchable(name: str) -> str | None:
    """The folded, single-spaced form under which *name* is searched, or None.

    Not searched: lone initials ("G.", fewer than :data:`MIN_LETTERS` letters),
    names over :data:`MAX_NAME_CHARS` characters or :data:`MAX_NAME_TOKENS` tokens.
    """
    key = _SPACE.sub(" ", fold(name)).strip()
    if len(key) > MAX_NAME_CHARS or sum(ch.isalpha() for ch in key) < MIN_LETTERS:
        return None
    if len(_TOKENS.findall(key)) > MAX_NAME_TOKENS:
        return None
    return key


def _trie_tokens(key: str) -> Iterator[str]:
    """The tokens of a name as the trie keeps them: a space before a token that follows one."""
    previous_end = 0
    for m in _TOKENS.finditer(key):
        yield (" " if m.start() > previous_end and previous_end else "") + m.group()
        previous_end = m.end()
