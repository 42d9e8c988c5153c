"""The XML Schema datatypes a RelaxNG schema may name, for :mod:`serge_tei.rngengine`.

Lexical checks of the XSD 1.0 built-in types that TEI-generated schemas use,
the ``pattern``/``length`` facets, and a translator from XSD regular
expressions to Python's ``re`` (XSD regexes are implicitly anchored, have no
anchors, and know ``\\i``, ``\\c`` and ``\\p{..}``). A type or facet not handled
here raises :class:`Unsupported` when the schema is loaded, so that the caller
can fall back to another validator instead of giving a wrong verdict.
"""

from __future__ import annotations

import calendar
import re
import sys
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

XSD_LIB = "http://www.w3.org/2001/XMLSchema-datatypes"


class Unsupported(Exception):
    """A schema construct this engine does not implement."""


# ------------------------------------------------------------ character classes

_NAME_START = (
    ":A-Z_a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_NAME_CHAR = _NAME_START + r"\-.0-9\u00b7\u0300-\u036f\u203f-\u2040"
_NC_START = _NAME_START.replace(":", "")
_NC_CHAR = _NAME_CHAR.replace(":", "")


@cache
def _category_ranges() -> dict[str, list[tuple[int, int]]]:
    """Code point ranges of every Unicode general category, in one pass over Unicode."""
    ranges: dict[str, list[tuple[int, int]]] = {}
    category = unicodedata.category
    for cp in range(sys.maxunicode + 1):
        got = ranges.setdefault(category(chr(cp)), [])
        if got and got[-1][1] == cp - 1:
            got[-1] = (got[-1][0], cp)
        else:
            got.append((cp, cp))
    return ranges


@cache
def _category_class(cat: str) -> str:
    """The body of a character class for Unicode general category *cat* (``L`` or ``Lu``)."""
    found = sorted(r for name, rs in _category_ranges().items()
                   if (name.startswith(cat) if len(cat) == 1 else name == cat) for r in rs)
    if not found:
        raise Unsupported(f"unknown Unicode category \\p{{{cat}}} in a pattern facet")
    merged: list[tuple[int, int]] = []
    for a, b in found:
        if merged and merged[-1][1] == a - 1:
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return "".join(_esc(a) if a == b else f"{_esc(a)}-{_esc(b)}" for a, b in merged)


def _esc(cp: int) -> str:
    return f"\\U{cp:08x}"


_MULTI = {
    "s": r"\x20\t\n\r", "i": _NAME_START, "c": _NAME_CHAR, "d": r"0-9",
}


def _escape_class(ch: str, inside: bool) -> str:
    """An XSD multi-character escape (``\\i``, ``\\c``, ``\\d``, ``\\s``, ``\\w``) for Python."""
    lower = ch.lower()
    if lower == "w":
        body = "".join(_category_class(c) for c in "PZC")
        # \w is everything but punctuation, separators and "other" characters
        return (f"[^{body}]" if ch == "w" else f"[{body}]") if not inside else _unsupported_neg()
    body = _category_class("Nd") if lower == "d" else _MULTI[lower]
    if ch.islower():
        return body if inside else f"[{body}]"
    if inside:
        _unsupported_neg()
    return f"[^{body}]"


def _unsupported_neg() -> str:
    raise Unsupported("negated multi-character escape inside a character class")


class LazyRegex:
    """A regular expression compiled on first use (and pickled as its source).

    Expanded Unicode classes take tens of milliseconds to compile; a cold
    process should pay that only for the datatypes a document actually uses.
    An ASCII-only *ascii* variant, when given, serves ASCII values.
    """

    def __init__(self, source: str, ascii_source: str | None = None) -> None:
        self.source = source
        self.ascii_source = ascii_source
        self._compiled: re.Pattern[str] | None = None
        self._ascii: re.Pattern[str] | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {"source": self.source, "ascii_source": self.ascii_source}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["source"], state["ascii_source"])  # type: ignore[misc]

    def match(self, value: str) -> bool:
        if self.ascii_source is not None and value.isascii():
            if self._ascii is None:
                self._ascii = re.compile(self.ascii_source)
            return self._ascii.match(value) is not None
        if self._compiled is None:
            self._compiled = re.compile(self.source)
        return self._compiled.match(value) is not None

    def groups(self, value: str) -> re.Match[str] | None:
        if self._compiled is None:
            self._compiled = re.compile(self.source)
        return self._compiled.match(value)


def xsd_regex(pattern: str) -> LazyRegex:
    """Compile an XSD ``pattern`` facet as an anchored Python regular expression."""
    out: list[str] = []
    i, n, depth = 0, len(pattern), 0
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            i, piece = _translate_escape(pattern, i, depth > 0)
            out.append(piece)
            continue
        if ch == "[":
            if depth and pattern[i - 1] == "-":
                raise Unsupported("character class subtraction in a pattern facet")
            depth += 1
            out.append(ch)
            if pattern.startswith("^", i + 1):
                out.append("^")
                i += 1
        elif ch == "]" and depth:
            depth -= 1
            out.append(ch)
        elif depth:
            out.append("\\" + ch if ch in "[&~|" else ch)
        elif ch == ".":
            out.append(r"[^\n\r]")
        elif ch in "^$":
            out.append("\\" + ch)
        elif ch == "(" and pattern.startswith("(?", i):
            raise Unsupported("'(?' in a pattern facet")
        else:
            out.append(ch)
        i += 1
    source = "(?:" + "".join(out) + r")\Z"
    if "\\U" not in source:
        try:
            re.compile(source)
        except re.error as exc:
            raise Unsupported(f"pattern facet {pattern!r}: {exc}") from None
    else:  # check with the Unicode classes reduced to one range: same syntax, fast
        try:
            re.compile(re.sub(r"(\\U[0-9a-f]{8}(-\\U[0-9a-f]{8})?)+", r"\\x00-\\x01", source))
        except re.error as exc:
            raise Unsupported(f"pattern facet {pattern!r}: {exc}") from None
    return LazyRegex(source)


def _translate_escape(pattern: str, i: int, inside: bool) -> tuple[int, str]:
    nxt = pattern[i + 1:i + 2]
    if nxt in ("p", "P"):
        end = pattern.index("}", i)
        cat = pattern[i + 3:end]
        if cat.startswith("Is"):
            raise Unsupported(f"block escape \\p{{{cat}}} in a pattern facet")
        body = _category_class(cat)
        if inside:
            if nxt == "P":
                raise Unsupported("\\P{..} inside a character class")
            return end + 1, body
        return end + 1, f"[{body}]" if nxt == "p" else f"[^{body}]"
    if nxt and nxt.lower() in "sicdw":
        return i + 2, _escape_class(nxt, inside)
    if nxt in ("n", "r", "t"):
        return i + 2, "\\" + nxt
    if nxt and nxt in "\\|.-^?*+{}()[]":
        return i + 2, "\\" + nxt
    raise Unsupported(f"escape \\{nxt} in a pattern facet")


# ------------------------------------------------------------ lexical spaces

def _rx(body: str, ascii_body: str | None = None) -> LazyRegex:
    return LazyRegex(body + r"\Z", None if ascii_body is None else ascii_body + r"\Z")


_TZ = r"(Z|[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00))?"
_YEAR = r"-?(?:[1-9]\d{4,}|\d{4})"
_LEX = {
    "boolean": _rx(r"true|false|1|0"),
    "decimal": _rx(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"),
    "integer": _rx(r"[+-]?\d+"),
    "double": _rx(r"(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|INF|-INF|NaN)"),
    "duration": _rx(r"-?P(?=\d|T\d)(?:\d+Y)?(?:\d+M)?(?:\d+D)?"
                    r"(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?"),
    "date": _rx(f"(?P<y>{_YEAR})-(?P<m>\\d\\d)-(?P<d>\\d\\d){_TZ}"),
    "dateTime": _rx(f"(?P<y>{_YEAR})-(?P<m>\\d\\d)-(?P<d>\\d\\d)T(?P<t>\\d\\d:\\d\\d:\\d\\d"
                    f"(?:\\.\\d+)?){_TZ}"),
    "time": _rx(f"(?P<t>\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?){_TZ}"),
    "gYear": _rx(f"(?P<y>{_YEAR}){_TZ}"),
    "gYearMonth": _rx(f"(?P<y>{_YEAR})-(?P<m>\\d\\d){_TZ}"),
    "gMonth": _rx(f"--(?P<m>\\d\\d){_TZ}"),
    "gMonthDay": _rx(f"--(?P<m>\\d\\d)-(?P<d>\\d\\d){_TZ}"),
    "gDay": _rx(f"---(?P<d>\\d\\d){_TZ}"),
    "language": _rx(r"[a-zA-Z]{1,8}(?:-[a-zA-Z0-9]{1,8})*"),
    "Name": _rx(f"[{_NAME_START}][{_NAME_CHAR}]*", r"[:A-Za-z_][:A-Za-z0-9._\-]*"),
    "NCName": _rx(f"[{_NC_START}][{_NC_CHAR}]*", r"[A-Za-z_][A-Za-z0-9._\-]*"),
    "NMTOKEN": _rx(f"[{_NAME_CHAR}]+", r"[:A-Za-z0-9._\-]+"),
}
for _alias in ("ID", "IDREF", "ENTITY"):
    _LEX[_alias] = _LEX["NCName"]
for _alias in ("float",):
    _LEX[_alias] = _LEX["double"]
_INT_BOUNDS: dict[str, tuple[int | None, int | None]] = {
    "integer": (None, None), "nonNegativeInteger": (0, None), "positiveInteger": (1, None),
    "nonPositiveInteger": (None, 0), "negativeInteger": (None, -1),
    "long": (-2**63, 2**63 - 1), "int": (-2**31, 2**31 - 1), "short": (-2**15, 2**15 - 1),
    "byte": (-128, 127), "unsignedLong": (0, 2**64 - 1), "unsignedInt": (0, 2**32 - 1),
    "unsignedShort": (0, 65535), "unsignedByte": (0, 255),
}
_LISTS = {"NMTOKENS": "NMTOKEN", "IDREFS": "IDREF", "ENTITIES": "ENTITY"}
_STRINGISH = {"string", "normalizedString", "token", "anyURI"}
_KNOWN = set(_LEX) | set(_INT_BOUNDS) | set(_LISTS) | _STRINGISH
_FACETS = {"pattern", "length", "minLength", "maxLength"}


#: datatypes in an encoder's words, for messages
_WORDS = {
    "date": "a date (YYYY-MM-DD)", "dateTime": "a date and time (YYYY-MM-DDThh:mm:ss)",
    "time": "a time (hh:mm:ss)", "gYear": "a year (YYYY)", "gYearMonth": "a month (YYYY-MM)",
    "gMonth": "a month of the year (--MM)", "gMonthDay": "a day of the year (--MM-DD)",
    "gDay": "a day of the month (---DD)", "duration": "an ISO duration (like P1Y2M or PT3H)",
    "language": "a language code (like en or de-AT)", "anyURI": "a URI",
    "NCName": "a name without spaces or colons", "Name": "an XML name", "ID": "an identifier",
    "boolean": "true or false", "integer": "a whole number",
    "nonNegativeInteger": "a whole number (0 or more)", "positiveInteger": "a whole number above 0",
    "decimal": "a decimal number", "double": "a number", "float": "a number", "token": "a token",
    "string": "a string",
}


def _date_ok(m: re.Match[str]) -> bool:
    """Day and time fields in range (``2023-02-30`` is no date)."""
    groups = m.groupdict()
    month = int(groups["m"]) if groups.get("m") else None
    if month is not None and not 1 <= month <= 12:
        return False
    if groups.get("d"):
        day = int(groups["d"])
        if month is None:
            limit = 31
        elif groups.get("y"):
            year = int(groups["y"])
            if year == 0:
                return False
            # XSD 1.0 has no year 0: -0001 is 1 BCE, a leap year
            leap = _leap(year + 1 if year < 0 else year)
            limit = 29 if month == 2 and leap else calendar.monthrange(2001, month)[1]
        else:
            limit = 29 if month == 2 else calendar.monthrange(2001, month)[1]
        if not 1 <= day <= limit:
            return False
    elif groups.get("y") and int(groups["y"]) == 0:
        return False
    if groups.get("t"):
        hh, mm, ss = groups["t"].split(":")
        # as jing: no 24:00:00, but a leap second is fine
        if int(hh) > 23 or int(mm) > 59 or float(ss) >= 61:
            return False
    return True


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _uri_ok(value: str) -> bool:
    """anyURI, as jing checks it: sound %-escapes, one fragment, a well-formed scheme."""
    for m in re.finditer("%", value):
        if not re.match(r"%[0-9A-Fa-f]{2}", value[m.start():]):
            return False
    if value.count("#") > 1:
        return False
    head = re.match(r"[^/?#]*:", value)
    return not (head and not re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:", head.group()))


_WS = re.compile(r"[ \t\n\r]+")


class Datatype:
    """One datatype with its facets; ``allows(text)`` and ``equal(text, value)``."""

    def __init__(self, library: str, name: str, params: tuple[tuple[str, str], ...]) -> None:
        self.library, self.name, self.params = library, name, params
        self.description = _WORDS.get(name, f"a {name}")
        if library == "":
            if name not in ("string", "token") or params:
                raise Unsupported(f"built-in datatype {name!r} with parameters")
            self._patterns: list[LazyRegex] = []
            self._lengths: dict[str, int] = {}
            return
        if library != XSD_LIB:
            raise Unsupported(f"datatype library {library!r}")
        if name not in _KNOWN:
            raise Unsupported(f"XSD datatype {name!r}")
        self._patterns = []
        self._lengths = {}
        for key, value in params:
            if key not in _FACETS:
                raise Unsupported(f"facet {key!r} on {name}")
            if key == "pattern":
                self._patterns.append(xsd_regex(value))
                self.description = f"{self.description} matching {value}"
            else:
                self._lengths[key] = int(value)
        if self._lengths and name not in _STRINGISH | {"language", "Name", "NCName", "NMTOKEN",
                                                       "ID", "IDREF", "ENTITY"}:
            raise Unsupported(f"length facets on {name}")

    def normalise(self, text: str) -> str:
        if self.name == "string":
            return text
        if self.name == "normalizedString":
            return re.sub(r"[\t\n\r]", " ", text)
        return _WS.sub(" ", text).strip(" ")

    def allows(self, text: str) -> bool:
        value = self.normalise(text)
        if self.library == "":
            return True
        if not self._lexical(value):
            return False
        if self._lengths and not self._length_ok(value):
            return False
        return all(p.match(value) for p in self._patterns)

    def _lexical(self, value: str) -> bool:
        name = self.name
        if name in _STRINGISH:
            return name != "anyURI" or _uri_ok(value)
        if name in _LISTS:
            item = _LEX[_LISTS[name]]
            return bool(value) and all(item.match(v) for v in value.split(" "))
        if name in _INT_BOUNDS:
            if not _LEX["integer"].match(value):
                return False
            low, high = _INT_BOUNDS[name]
            number = int(value)
            return (low is None or number >= low) and (high is None or number <= high)
        lex = _LEX[name]
        if name not in _DATES:
            return lex.match(value)
        m = lex.groups(value)
        return m is not None and _date_ok(m)

    def _length_ok(self, value: str) -> bool:
        size = len(value)
        lengths = self._lengths
        return (size == lengths.get("length", size)
                and size >= lengths.get("minLength", 0)
                and size <= lengths.get("maxLength", size))

    def equal(self, text: str, value: str) -> bool:
        """Whether *text* denotes the same value as the schema's ``<value>`` *value*."""
        a, b = self.normalise(text), self.normalise(value)
        if self.library == "" or self.name in _STRINGISH or self.name not in _NUMERIC:
            if self.name == "boolean":
                return self.allows(text) and (a in ("true", "1")) == (b in ("true", "1"))
            return a == b
        if not self.allows(text):
            return False
        try:
            if self.name in ("double", "float"):
                return float(a.replace("INF", "inf")) == float(b.replace("INF", "inf"))
            return Decimal(a) == Decimal(b)
        except (InvalidOperation, ValueError):
            return False


_DATES = {"date", "dateTime", "time", "gYear", "gYearMonth", "gMonth", "gMonthDay", "gDay"}
_NUMERIC = {"decimal", "double", "float", *_INT_BOUNDS}
