"""The datatypes a RelaxNG schema may name: RELAX NG's own and XML Schema 1.0's built-ins.

Every XSD 1.0 built-in type is implemented with every facet RELAX NG allows
as a ``<param>`` (``length``, ``minLength``, ``maxLength``, ``pattern``,
``totalDigits``, ``fractionDigits``, ``minInclusive``, ``maxInclusive``,
``minExclusive``, ``maxExclusive``), value-checked in the type's value space
as XSD 1.0 says: numbers compare as numbers (``float`` rounded to single
precision), dates and times by XSD's partial order (a value without a time
zone is comparable to one with only beyond fourteen hours), durations by
adding them to XSD's four reference dates. Parameters are checked the way
jing checks them: in order, each bound must be allowed by the type restricted
by the parameters before it, and ``enumeration``/``whiteSpace`` are refused.

Where jing's verdicts depart from the letter of XSD 1.0, this module follows
XSD; ``tests/data/datatypes/cases.txt`` lists each case with both verdicts.
``QName`` and ``NOTATION`` depend on the instance's namespace declarations and
are not implemented: a schema using them raises :class:`Unsupported`, so that
the caller falls back to jing.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
import struct
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, ClassVar

from . import xmlchars
from .refusals import InvalidSchema, Unsupported
from .xsdregex import Regex, compile_pattern

XSD_LIB = "http://www.w3.org/2001/XMLSchema-datatypes"
_WS_RUN = re.compile(r"[ \t\n\r]+")
_WS_ONE = re.compile(r"[\t\n\r]")

Value = Any  # a point of a type's value space (str, Decimal, float, tuple, bytes, bool)


# ------------------------------------------------------------ lexical helpers

def _class(ranges: tuple[tuple[int, int], ...]) -> str:
    return "".join(f"\\U{a:08x}" if a == b else f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges)


def _rx(body: str) -> re.Pattern[str]:
    return re.compile(body)


class _Lazy:
    """A regular expression compiled on first use: the name classes take milliseconds to
    compile, which every process would otherwise pay at import."""

    def __init__(self, body: str) -> None:
        self.body = body
        self._rx: re.Pattern[str] | None = None

    def fullmatch(self, text: str) -> re.Match[str] | None:
        if self._rx is None:
            self._rx = re.compile(self.body)
        return self._rx.fullmatch(text)


_NC_NAME = _Lazy(f"[{_class(xmlchars.NC_START)}][{_class(xmlchars.NC_CHAR)}]*")
_NAME = _Lazy(f"[{_class(xmlchars.NAME_START)}][{_class(xmlchars.NAME_CHAR)}]*")
_NMTOKEN = _Lazy(f"[{_class(xmlchars.NAME_CHAR)}]+")
_LANGUAGE = _rx(r"[a-zA-Z]{1,8}(?:-[a-zA-Z0-9]{1,8})*")
_DECIMAL = _rx(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_INTEGER = _rx(r"[+-]?\d+")
_DOUBLE = _rx(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|-?INF|NaN")
_HEX = _rx(r"(?:[0-9a-fA-F]{2})*")
_BASE64 = _rx(r"(?:[A-Za-z0-9+/]{4})*"
              r"(?:[A-Za-z0-9+/]{2}[AEIMQUYcgkosw048]=|[A-Za-z0-9+/][AQgw]==)?")
_DURATION = _rx(r"(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?"
                r"(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d*)?|\.\d+)S)?)?")
_YEAR = r"(?P<y>-?(?:[1-9]\d{4,}|\d{4}))"
_TIME = r"(?P<h>\d\d):(?P<mi>\d\d):(?P<s>\d\d(?:\.\d*)?)"
_TZ = r"(?P<tz>Z|[+-]\d\d:\d\d)?"
_MONTH, _DAY = r"(?P<m>\d\d)", r"(?P<d>\d\d)"
_DATES: dict[str, re.Pattern[str]] = {
    "dateTime": _rx(f"{_YEAR}-{_MONTH}-{_DAY}T{_TIME}{_TZ}"),
    "time": _rx(f"{_TIME}{_TZ}"),
    "date": _rx(f"{_YEAR}-{_MONTH}-{_DAY}{_TZ}"),
    "gYearMonth": _rx(f"{_YEAR}-{_MONTH}{_TZ}"),
    "gYear": _rx(f"{_YEAR}{_TZ}"),
    "gMonthDay": _rx(f"--{_MONTH}-{_DAY}{_TZ}"),
    "gDay": _rx(f"---{_DAY}{_TZ}"),
    "gMonth": _rx(f"--{_MONTH}{_TZ}"),
}


def _int(text: str) -> int:
    """An integer of any length (``int(str)`` refuses more than 4,300 digits)."""
    return int(Decimal(text))


def _uri_ok(value: str) -> bool:
    """anyURI: a URI reference (RFC 2396) once XLink's escaping has been applied, as jing checks.

    Spaces and non-ASCII characters are escaped by that algorithm, so they are
    fine; what remains to check is ``%`` escapes, one fragment at most, and a
    scheme, when there is one, that is well formed and followed by something.
    """
    for m in re.finditer("%", value):
        if not re.match(r"%[0-9A-Fa-f]{2}", value[m.start():]):
            return False
    if value.count("#") > 1:
        return False
    head = re.match(r"[^/?#:]*:", value)
    if head is None:
        return True
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.\-]*:", head.group()):
        return False
    return value[head.end():head.end() + 1] not in ("", "#")


# ------------------------------------------------------------ value spaces

class Family:
    """What a group of built-in types shares: value space, order, and applicable facets."""

    whitespace = "collapse"
    #: facets beyond ``pattern`` that apply
    facets: ClassVar[frozenset[str]] = frozenset()
    ordered: ClassVar[bool] = False

    def parse(self, text: str) -> Value | None:
        """The value of normalised *text*, or None when it is not in the lexical space."""
        raise NotImplementedError

    def length(self, value: Value) -> int:
        raise NotImplementedError

    def compare(self, a: Value, b: Value) -> int | None:
        """-1, 0 or 1, or None where the order is partial and a, b are incomparable."""
        return 0 if self.same(a, b) else None

    def same(self, a: Value, b: Value) -> bool:
        return bool(a == b)


_LENGTHS = frozenset({"length", "minLength", "maxLength"})
_RANGES = frozenset({"minInclusive", "maxInclusive", "minExclusive", "maxExclusive"})


class Strings(Family):
    facets = _LENGTHS

    def __init__(self, check: Callable[[str], bool] | None = None, whitespace: str = "collapse"
                 ) -> None:
        self.check = check
        self.whitespace = whitespace

    def parse(self, text: str) -> Value | None:
        return text if self.check is None or self.check(text) else None

    def length(self, value: Value) -> int:
        return len(value)


class Lists(Family):
    """NMTOKENS and IDREFS: a space-separated list; length counts items."""

    facets = _LENGTHS

    def __init__(self, item: _Lazy) -> None:
        self.item = item

    def parse(self, text: str) -> Value | None:
        items = tuple(text.split(" ")) if text else ()
        if not items or not all(self.item.fullmatch(i) for i in items):
            return None
        return items

    def length(self, value: Value) -> int:
        return len(value)


class Never(Family):
    """ENTITY and ENTITIES: names of unparsed entities, which only a DTD declares.

    The toolkit refuses every DOCTYPE, so no value can be one (jing agrees).
    """

    facets = _LENGTHS

    def parse(self, text: str) -> Value | None:
        return None

    def length(self, value: Value) -> int:
        return 0


class Booleans(Family):
    _VALUES: ClassVar[dict[str, bool]] = {"true": True, "1": True, "false": False, "0": False}

    def parse(self, text: str) -> Value | None:
        return self._VALUES.get(text)


class Binary(Family):
    facets = _LENGTHS

    def __init__(self, hex_: bool) -> None:
        self.hex = hex_

    def parse(self, text: str) -> Value | None:
        if self.hex:
            return bytes.fromhex(text) if _HEX.fullmatch(text) else None
        packed = text.replace(" ", "")
        if not _BASE64.fullmatch(packed):
            return None
        try:
            return base64.b64decode(packed, validate=True)
        except (binascii.Error, ValueError):
            return None

    def length(self, value: Value) -> int:
        return len(value)


class Decimals(Family):
    """decimal and the integer types; values are exact ``Decimal``s."""

    facets = _RANGES | {"totalDigits", "fractionDigits"}
    ordered = True

    def __init__(self, integer: bool = False, low: int | None = None, high: int | None = None
                 ) -> None:
        self.integer, self.low, self.high = integer, low, high

    def parse(self, text: str) -> Value | None:
        if not (_INTEGER if self.integer else _DECIMAL).fullmatch(text):
            return None
        value = Decimal(text)
        if (self.low is not None and value < self.low) or (self.high is not None
                                                            and value > self.high):
            return None
        return value

    def compare(self, a: Value, b: Value) -> int | None:
        return int(a > b) - int(a < b)

    @staticmethod
    def digits(value: Decimal) -> tuple[int, int]:
        """(total digits, fraction digits) of *value* as XSD 1.0 counts them.

        XSD 1.0: *value* is i × 10^-n with |i| < 10^totalDigits and
        n <= totalDigits, so 1.20 has 2 digits (1.2) and 0.0012 has 4.
        """
        _, digits, exponent = value.as_tuple()
        assert isinstance(exponent, int)
        body = list(digits)
        while exponent < 0 and body and body[-1] == 0:  # trailing zeros of the fraction
            body.pop()
            exponent += 1
        while len(body) > 1 and body[0] == 0:
            body.pop(0)
        fraction = -exponent if exponent < 0 else 0
        integer_digits = len(body) + (exponent if exponent > 0 else 0)
        if body == [0] or not body:
            integer_digits = 0
        return max(integer_digits, fraction), fraction


class Floats(Family):
    facets = _RANGES
    ordered = True

    def __init__(self, single: bool) -> None:
        self.single = single

    def parse(self, text: str) -> Value | None:
        if not _DOUBLE.fullmatch(text):
            return None
        if text in ("INF", "-INF", "NaN"):
            return float(text.replace("INF", "inf").replace("NaN", "nan"))
        return _float32(text) if self.single else float(text)

    def compare(self, a: Value, b: Value) -> int | None:
        if a != a or b != b:  # NaN equals only NaN and is incomparable with numbers
            return 0 if a != a and b != b else None
        return int(a > b) - int(a < b)

    def same(self, a: Value, b: Value) -> bool:
        return self.compare(a, b) == 0


_FLT_MAX_MID = float(2**128 - 2**103)  # halfway between the largest float and infinity


def _float32(text: str) -> float:
    """*text* rounded to the nearest single-precision value, exactly (no double rounding)."""
    d = float(text)
    if d == 0 or math.isinf(d):
        return d
    try:
        f: float = struct.unpack("<f", struct.pack("<f", d))[0]
    except OverflowError:  # rounded to infinity through the double
        if d == math.copysign(_FLT_MAX_MID, d) and abs(Fraction(text)) < _FLT_MAX_MID:
            return math.copysign(3.4028234663852886e38, d)
        return math.copysign(math.inf, d)
    if f == d:
        return f
    other = _next_float32(f, d)
    if math.isinf(other) or (f + other) / 2 != d:
        return f
    exact = Fraction(text)  # d is halfway: the exact value decides
    if exact == d:
        return f
    return other if (exact > d) == (other > d) else f


def _next_float32(f: float, towards: float) -> float:
    if f == 0:
        return math.copysign(2.0**-149, towards)
    bits: int = struct.unpack("<I", struct.pack("<f", f))[0]
    bits += 1 if abs(towards) > abs(f) else -1
    result: float = struct.unpack("<f", struct.pack("<I", bits))[0]
    return result


class Durations(Family):
    """XSD 1.0 durations: six components; the order is partial (P1M against P30D).

    Seconds are exact fractions, so that carries are floor divisions at any size.
    """

    facets = _RANGES
    ordered = True
    #: XSD 1.0's reference dates (year, month, day) for comparing durations
    _REFERENCES = ((1696, 9, 1), (1697, 2, 1), (1903, 3, 1), (1903, 7, 1))

    def parse(self, text: str) -> Value | None:
        m = _DURATION.fullmatch(text)
        if m is None or not any(m.groups()[1:]) or text.endswith("T"):
            return None
        years, months, days, hours, minutes = (_int(g) if g else 0 for g in m.groups()[1:6])
        seconds = Fraction(m.group(7)) if m.group(7) else Fraction(0)
        parts = (years, months, days, hours, minutes, seconds)
        if not any(parts):
            return (False, *parts)  # -PT0S is PT0S
        return (m.group(1) == "-", *parts)

    def same(self, a: Value, b: Value) -> bool:
        return bool(a == b)

    def compare(self, a: Value, b: Value) -> int | None:
        if a == b:
            return 0
        results = set()
        for start in self._REFERENCES:
            x, y = _add_duration(start, a), _add_duration(start, b)
            results.add((x > y) - (x < y))
        return results.pop() if len(results) == 1 and 0 not in results else None


def _add_duration(start: tuple[int, int, int], duration: Value) -> tuple[Any, ...]:
    """XSD 1.0 appendix E: *duration* added to midnight UTC of *start*, as a comparable key."""
    year, month, day = start
    sign = -1 if duration[0] else 1
    years, months, days, hours, minutes, seconds = (sign * p for p in duration[1:])
    carry, month = divmod(month - 1 + months, 12)
    year, month = year + years + carry, month + 1
    carry, second = divmod(seconds, 60)
    carry, minute = divmod(minutes + int(carry), 60)
    carry, hour = divmod(hours + carry, 24)
    ordinal = _days(year, month, day) + days + carry
    return (ordinal, hour, minute, second)


def _days(year: int, month: int, day: int) -> int:
    """Days from a fixed epoch to the (proleptic Gregorian, astronomical *year*) date."""
    year -= month <= 2
    era, yoe = divmod(year, 400)
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    return era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


class DateTimes(Family):
    """dateTime, time, date and the Gregorian fragments; a value is (minutes, seconds, zoned).

    Fields absent from a type are taken from 1972-12-31 (a leap year, and a
    month of 31 days); XSD 1.0 has no year 0, so -0001 is 1 BCE, a leap year.
    """

    facets = _RANGES
    ordered = True
    _FOURTEEN_HOURS = 14 * 60

    def __init__(self, name: str) -> None:
        self.lexical = _DATES[name]

    def parse(self, text: str) -> Value | None:
        m = self.lexical.fullmatch(text)
        if m is None:
            return None
        g = m.groupdict()
        year = _int(g["y"]) if g.get("y") else 1972
        if year == 0:
            return None
        astronomical = year + 1 if year < 0 else year
        month = int(g["m"]) if g.get("m") else (12 if g.get("d") and not g.get("y") else 1)
        day = int(g["d"]) if g.get("d") else 1
        if not g.get("y") and not g.get("m") and not g.get("d"):  # time
            month, day = 12, 31
        if not 1 <= month <= 12:
            return None
        limit = 29 if month == 2 and _leap(astronomical) else _MONTH_DAYS[month - 1]
        if not 1 <= day <= limit:
            return None
        hour = minute = 0
        second = Decimal(0)
        if g.get("h"):
            hour, minute, second = int(g["h"]), int(g["mi"]), Decimal(g["s"])
            if hour > 23 or minute > 59 or second >= 61:  # as jing: no 24:00:00; leap seconds
                return None
        offset = _offset(g.get("tz"))
        if offset is False:
            return None
        minutes = (_days(astronomical, month, day) * 24 + hour) * 60 + minute - (offset or 0)
        return (minutes, second, offset is not None)

    def same(self, a: Value, b: Value) -> bool:
        return bool(a == b)

    def compare(self, a: Value, b: Value) -> int | None:
        if a[2] == b[2]:
            x, y = a[:2], b[:2]
            return int(x > y) - int(x < y)
        if not a[2]:
            flipped = self.compare(b, a)
            return None if flipped is None else -flipped
        # a has a time zone, b has none: b lies somewhere between b-14h and b+14h in UTC
        early = (b[0] - self._FOURTEEN_HOURS, b[1])
        late = (b[0] + self._FOURTEEN_HOURS, b[1])
        if a[:2] < early:
            return -1
        if a[:2] > late:
            return 1
        return None


def _offset(tz: str | None) -> int | bool | None:
    """Minutes east of UTC; None without a zone; False when out of range."""
    if tz is None:
        return None
    if tz == "Z":
        return 0
    hours, minutes = int(tz[1:3]), int(tz[4:6])
    if minutes > 59 or hours > 14 or (hours == 14 and minutes):
        return False
    return (hours * 60 + minutes) * (-1 if tz[0] == "-" else 1)


def _int_type(low: int | None, high: int | None) -> Decimals:
    return Decimals(integer=True, low=low, high=high)


def _matches(rx: re.Pattern[str] | _Lazy) -> Callable[[str], bool]:
    return lambda text: rx.fullmatch(text) is not None


_NCNAME_CHECK = _matches(_NC_NAME)
#: every XSD 1.0 built-in type this module implements, by name
BUILTINS: dict[str, Family] = {
    "string": Strings(whitespace="preserve"),
    "normalizedString": Strings(whitespace="replace"),
    "token": Strings(),
    "language": Strings(_matches(_LANGUAGE)),
    "Name": Strings(_matches(_NAME)),
    "NCName": Strings(_NCNAME_CHECK),
    "NMTOKEN": Strings(_matches(_NMTOKEN)),
    "ID": Strings(_NCNAME_CHECK),
    "IDREF": Strings(_NCNAME_CHECK),
    "anyURI": Strings(_uri_ok),
    "NMTOKENS": Lists(_NMTOKEN),
    "IDREFS": Lists(_NC_NAME),
    "ENTITY": Never(),
    "ENTITIES": Never(),
    "boolean": Booleans(),
    "hexBinary": Binary(hex_=True),
    "base64Binary": Binary(hex_=False),
    "decimal": Decimals(),
    "integer": _int_type(None, None),
    "nonNegativeInteger": _int_type(0, None),
    "positiveInteger": _int_type(1, None),
    "nonPositiveInteger": _int_type(None, 0),
    "negativeInteger": _int_type(None, -1),
    "long": _int_type(-2**63, 2**63 - 1),
    "int": _int_type(-2**31, 2**31 - 1),
    "short": _int_type(-2**15, 2**15 - 1),
    "byte": _int_type(-128, 127),
    "unsignedLong": _int_type(0, 2**64 - 1),
    "unsignedInt": _int_type(0, 2**32 - 1),
    "unsignedShort": _int_type(0, 65535),
    "unsignedByte": _int_type(0, 255),
    "float": Floats(single=True),
    "double": Floats(single=False),
    "duration": Durations(),
    **{name: DateTimes(name) for name in _DATES},
}
#: types whose values need the instance's namespace context
CONTEXTUAL = frozenset({"QName", "NOTATION"})
#: types that carry ID semantics (RELAX NG DTD compatibility)
ID_TYPES = frozenset({"ID", "IDREF", "IDREFS"})


# ------------------------------------------------------------ a datatype with its facets

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
    "string": "a string", "NMTOKEN": "a name token", "NMTOKENS": "a list of name tokens",
    "ENTITY": "an unparsed entity (none can be declared: DOCTYPEs are refused)",
}
_BOUND_WORDS = {"minInclusive": "at least", "maxInclusive": "at most",
                "minExclusive": "above", "maxExclusive": "below"}


class Datatype:
    """One datatype with its parameters: ``allows(text)`` and ``equal(text, value)``."""

    def __init__(self, library: str, name: str, params: tuple[tuple[str, str], ...]) -> None:
        self.library, self.name, self.params = library, name, params
        self.description = _WORDS.get(name, f"a {name}")
        self.family = _family(library, name, params)
        self.whitespace = self.family.whitespace
        self._patterns: list[Regex] = []
        self._lengths: list[tuple[str, int]] = []
        self._digits: list[tuple[str, int]] = []
        self._bounds: list[tuple[str, Value]] = []
        notes: list[str] = []
        for key, raw in params:
            notes.append(self._facet(key, raw))
        if notes:
            self.description += " (" + ", ".join(notes) + ")"

    @property
    def id_type(self) -> str:
        """ID, IDREF or IDREFS where the type has ID semantics, else ''."""
        return self.name if self.library == XSD_LIB and self.name in ID_TYPES else ""

    def _facet(self, key: str, raw: str) -> str:
        family = self.family
        if key in ("enumeration", "whiteSpace"):
            raise InvalidSchema(f"the {key!r} facet is not allowed as a parameter"
                                + (": use <choice> and <value> instead"
                                   if key == "enumeration" else ""))
        if key == "pattern":
            self._patterns.append(compile_pattern(raw))
            return f"matching {raw}"
        if key not in family.facets:
            known = _LENGTHS | _RANGES | {"totalDigits", "fractionDigits"}
            what = "an unknown parameter" if key not in known else "not applicable to this type"
            raise InvalidSchema(f"parameter {key!r} on {self.name}: {what}")
        if key in _RANGES:
            value = self._bound(key, raw)
            self._bounds.append((key, value))
            return f"{_BOUND_WORDS[key]} {raw.strip()}"
        number = _facet_number(key, raw)
        if key in _LENGTHS:
            self._lengths.append((key, number))
            return f"{key} {number}"
        self._digits.append((key, number))
        return f"{key} {number}"

    def _bound(self, key: str, raw: str) -> Value:
        text = self.normalise(raw)
        value = self.family.parse(text)
        if value is None or not self._facets_allow(text, value):
            raise InvalidSchema(f"{key} {raw!r} is not allowed by the type it restricts "
                                f"({self.description})")
        return value

    def normalise(self, text: str) -> str:
        if self.whitespace == "preserve":
            return text
        if self.whitespace == "replace":
            return _WS_ONE.sub(" ", text)
        return _WS_RUN.sub(" ", text).strip(" ")

    def value(self, text: str) -> Value | None:
        """The value of *text* if the type (with its facets) allows it, else None."""
        if self.library == "":
            return self.normalise(text)
        norm = self.normalise(text)
        value = self.family.parse(norm)
        if value is None or not self._facets_allow(norm, value):
            return None
        return value

    def allows(self, text: str) -> bool:
        return self.value(text) is not None

    def _facets_allow(self, text: str, value: Value) -> bool:
        if not all(p.match(text) for p in self._patterns):
            return False
        if self._lengths:
            size = self.family.length(value)
            for key, n in self._lengths:
                if (size != n if key == "length" else size < n if key == "minLength"
                        else size > n):
                    return False
        if self._digits:
            total, fraction = Decimals.digits(value)
            for key, n in self._digits:
                if (total if key == "totalDigits" else fraction) > n:
                    return False
        return all(self._within(key, value, bound) for key, bound in self._bounds)

    def _within(self, key: str, value: Value, bound: Value) -> bool:
        order = self.family.compare(value, bound)
        if order is None:
            return False
        if key == "minInclusive":
            return order >= 0
        if key == "maxInclusive":
            return order <= 0
        if key == "minExclusive":
            return order > 0
        return order < 0

    def equal(self, text: str, other: str) -> bool:
        """Whether *text* denotes the same value as the schema's ``<value>`` *other*."""
        a, b = self.value(text), self.value(other)
        if a is None or b is None:
            return False
        if self.library == "":
            return bool(a == b)
        return self.family.same(a, b)


def _family(library: str, name: str, params: tuple[tuple[str, str], ...]) -> Family:
    if library == "":
        if name not in ("string", "token"):
            raise InvalidSchema(f'datatype {name!r} from the built-in library ("") not '
                                'recognized; only string and token exist there')
        if params:
            raise InvalidSchema("the built-in datatypes string and token take no parameters")
        return BUILTINS[name]
    if library != XSD_LIB:
        raise Unsupported(f"the datatype library {library!r}")
    if name in CONTEXTUAL:
        raise Unsupported(f"the XSD datatype {name} (its values depend on namespace "
                          "declarations)")
    family = BUILTINS.get(name)
    if family is None:
        raise InvalidSchema(f"datatype {name!r} from library {library!r} not recognized")
    return family


def _facet_number(key: str, raw: str) -> int:
    text = _WS_RUN.sub(" ", raw).strip(" ")
    if not re.fullmatch(r"\+?\d+", text):
        raise InvalidSchema(f"{key} {raw!r} is not a non-negative whole number")
    number = int(text)
    if key == "totalDigits" and number == 0:
        raise InvalidSchema("totalDigits must be at least 1")
    return number


def make_datatype(library: str, name: str, params: tuple[tuple[str, str], ...]) -> Datatype:
    """Datatype *name* of *library* restricted by *params*; ``InvalidSchema``, ``Unsupported``."""
    try:
        return Datatype(library, name, params)
    except InvalidOperation as exc:  # a number too odd for Decimal: refuse, do not guess
        raise InvalidSchema(f"parameter value of {name} not understood: {exc}") from None
