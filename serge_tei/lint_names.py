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

from .reading import TEI_NS, XML_NS

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
    printed = clean(element_text(el, EDITORIAL))
    forms = [printed,
             clean(element_text(el, PRINTED | {T + "supplied"})),
             clean(element_text(el, EDITORIAL | NAME_PARTS_OPTIONAL))]
    return [f for f in dict.fromkeys(forms) if f]


@dataclass
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
    """One compiled pattern for every name of a set of entries.

    The pattern is a trie of the folded names turned into a regular
    expression, so matching costs one scan of the text however many names
    there are; at each position the longest name wins.
    """

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.by_name: dict[str, list[Entry]] = {}
        for entry in entries:
            for name in entry.names:
                if sum(ch.isalpha() for ch in name) < MIN_LETTERS:
                    continue
                bucket = self.by_name.setdefault(fold(name), [])
                if entry not in bucket:
                    bucket.append(entry)
        body = _trie_pattern(self.by_name)
        self.pattern = re.compile(rf"(?<!\w)(?:{body})(?![\w])") if body else None

    def finditer(self, folded: str) -> Iterator[re.Match[str]]:
        if self.pattern is not None:
            yield from self.pattern.finditer(folded)

    def candidates(self, matched: str) -> list[Entry]:
        return self.by_name.get(_SPACE.sub(" ", matched), [])


def _trie_pattern(words: Iterable[str]) -> str:
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _emit(trie)


def _emit(node: dict[str, Any]) -> str:
    alts = [_atom(ch) + _emit(child) for ch, child in sorted(node.items()) if ch]
    if not alts:
        return ""
    body = "(?:" + "|".join(alts) + ")" if len(alts) > 1 or "" in node else alts[0]
    return body + "?" if "" in node else body


def _atom(ch: str) -> str:
    # A space in a name matches any run of white space in the (folded) text.
    return " +" if ch == " " else re.escape(ch)
