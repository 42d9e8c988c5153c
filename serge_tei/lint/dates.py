"""Dates for ``serge-tei lint``: does the text of a ``date`` agree with its value?

The normalised value (``@when``, ``@from``/``@to``, ``@notBefore``/``@notAfter``
and their ``-iso`` forms) is read as an interval of days. The text is searched
for the parts of a date it states: four-digit years (and decades, "1960s",
"1960er"), two-digit years after an apostrophe ("’34"), month names (English,
French, German, Italian, Spanish, Dutch; written out or abbreviated, with or
without diacritics) and a number next to a month name. A part is a mismatch
only when *no* reading of it agrees with the interval: the number in
"28. Juli 01" after the month is a day or a two-digit year, and 01 is the year
of 1901-07-28. Dates in another calendar (``@calendar`` or ``@datingMethod``)
are not compared.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from lxml import etree

from .names import fold

ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T.*)?$")

#: month names and their usual abbreviations, without diacritics (texts are folded)
_MONTHS = {
    1: "january jan janvier janv januar janner jaenner gennaio enero januari",
    2: "february feb febr fevrier fevr fev februar feber hornung febbraio febrero februari",
    3: "march mar mars marz maerz mrz marzo maart",
    4: "april apr avril avr aprile abril",
    5: "may mai maggio mayo mei",
    6: "june jun juin juni giugno junio",
    7: "july jul juillet juil juli luglio julio",
    8: "august aug aout agosto augustus",
    9: "september sep sept septembre settembre septiembre setiembre",
    10: "october oct octobre oktober okt ottobre octubre",
    11: "november nov novembre noviembre",
    12: "december dec decembre dezember dez dicembre diciembre",
}
MONTHS = {word: n for n, words in _MONTHS.items() for word in words.split()}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
MONTH_WORD = re.compile(rf"(?<!\w)({_MONTH})\b\.?", re.IGNORECASE)
YEAR = re.compile(r"(?<![\d,.’'/-])(\d{4})(s|er)?(?![\d,]\d)")
SHORT_YEAR = re.compile(r"[’'‘](\d{2})(?!\d)")
#: a day before a month name: "28. Juli", "1er mai", "28th of July", "1º de mayo"
DAY_BEFORE = re.compile(r"(?<![\d,.])(\d{1,2})(st|nd|rd|th|er|\.|º|°)?\s*(?:of\s+|de\s+)?$",
                        re.IGNORECASE)
#: a number after a month name: a day ("July 28") or a two-digit year ("Juli 01")
AFTER = re.compile(r"\.?,?\s*(\d{1,2})(st|nd|rd|th)?(?![\d:]|\.\d)", re.IGNORECASE)
VALUE_ATTRS = ("when", "from", "to", "notBefore", "notAfter")


@dataclass(frozen=True)
class Interval:
    first: dt.date
    last: dt.date

    def years(self) -> range:
        return range(self.first.year, self.last.year + 1)

    def contains_month(self, month: int) -> bool:
        if (self.last.year - self.first.year) * 12 + self.last.month - self.first.month >= 11:
            return True
        return any(dt.date(y, month, 1) <= self.last and _month_end(y, month) >= self.first
                   for y in self.years())

    def has_short_year(self, short: int) -> bool:
        """Whether a year written with two digits ("’34", "Juli 01") can be in the interval."""
        if self.last.year - self.first.year >= 99:
            return True
        return any(y % 100 == short for y in self.years())

    def contains_day(self, month: int, day: int) -> bool | None:
        if not 1 <= day <= 31:
            return None  # no such day: not ours to judge here
        if (self.last - self.first).days >= 366:
            return True
        possible = [d for y in self.years() if (d := _day(y, month, day)) is not None]
        if not possible:
            return None  # no such day (e.g. 31 April): not ours to judge here
        return any(self.first <= d <= self.last for d in possible)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def has_value(el: etree._Element) -> bool:
    return any(el.get(a) or el.get(f"{a}-iso") or el.get(f"{a}-custom") for a in VALUE_ATTRS)


def _bound(value: str | None, last: bool) -> dt.date | None:
    m = ISO.match(value or "")
    if not m or int(m.group(1)) < 1:
        return None
    year = int(m.group(1))
    month = int(m.group(2) or (12 if last else 1))
    if not 1 <= month <= 12:
        return None
    if m.group(3):
        return _day(year, month, int(m.group(3)))
    return _month_end(year, month) if last else dt.date(year, month, 1)


def interval(el: etree._Element) -> Interval | None:
    """The days the normalised value allows, or None if it cannot be read."""
    def attr(name: str) -> str | None:
        return el.get(name) or el.get(f"{name}-iso")

    when = attr("when")
    if when:
        first, last = _bound(when, False), _bound(when, True)
    else:
        first = _bound(attr("from") or attr("notBefore"), False)
        last = _bound(attr("to") or attr("notAfter"), True)
        first = first or (dt.date(1, 1, 1) if last else None)
        last = last or (dt.date(9999, 12, 31) if first else None)
    if first is None or last is None or last < first:
        return None
    return Interval(first, last)


def contradictions(text: str, span: Interval) -> list[str]:
    """What the text says that the interval does not allow, as short phrases."""
    folded = fold(text)
    out: list[str] = []
    for m in YEAR.finditer(folded):
        year = int(m.group(1))
        top = year + 9 if m.group(2) else year
        if top < span.first.year or year > span.last.year:
            out.append(f"the year {text[m.start():m.end()]}")
    for m in SHORT_YEAR.finditer(folded):
        if not span.has_short_year(int(m.group(1))):
            out.append(f"the year {text[m.start():m.end()]}")
    for m in MONTH_WORD.finditer(folded):
        word = text[m.start(1):m.end(1)]
        month = MONTHS[m.group(1).lower()]
        if not span.contains_month(month):
            out.append(f"the month {word}")
            continue
        out.extend(_numbers_around(folded, m, word, month, span))
    return out


def _numbers_around(folded: str, m: re.Match[str], word: str, month: int, span: Interval
                    ) -> list[str]:
    """The numbers next to a month name that no reading can make agree with *span*."""
    out = []
    before = DAY_BEFORE.search(folded, max(0, m.start() - 12), m.start())
    if before and span.contains_day(month, int(before.group(1))) is False:
        out.append(f"the day {word} {int(before.group(1))}")
    after = AFTER.match(folded, m.end())
    if after is None:
        return out
    number, digits, ordinal = int(after.group(1)), after.group(1), after.group(2)
    # After "28. Juli" a number is a year; written "01", it may be a day or a year.
    as_day = None if before else span.contains_day(month, number)
    as_year = span.has_short_year(number) if len(digits) == 2 and not ordinal else None
    if as_day is True or as_year is True or (as_day, as_year) == (None, None):
        return out
    if as_year is None:
        out.append(f"the day {word} {digits}")
    elif as_day is None:
        out.append(f"the year {digits}")
    else:
        out.append(f"the day (or two-digit year) {word} {digits}")
    return out


def other_calendar(el: etree._Element) -> bool:
    cal = (el.get("calendar") or el.get("datingMethod") or "").lower()
    return bool(cal) and "gregorian" not in cal
