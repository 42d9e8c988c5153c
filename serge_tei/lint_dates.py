"""Dates for ``serge-tei lint``: does the text of a ``date`` agree with its value?

The normalised value (``@when``, ``@from``/``@to``, ``@notBefore``/``@notAfter``
and their ``-iso`` forms) is read as an interval of days. The text is searched
for the parts of a date it states: four-digit years (and decades, "1960s"),
two-digit years after an apostrophe ("’34"), month names (English, French,
German) and a day number next to a month name. Each stated part must be
possible inside the interval. Dates in another calendar (``@calendar`` or
``@datingMethod``) are not compared.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from lxml import etree

ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T.*)?$")

_MONTHS = {
    1: "january jan janvier janv januar jänner",
    2: "february feb febr février fevrier févr fevr februar",
    3: "march mar mars märz maerz",
    4: "april apr avril avr",
    5: "may mai",
    6: "june jun juin juni",
    7: "july jul juillet juil juli",
    8: "august aug août aout",
    9: "september sep sept septembre",
    10: "october oct octobre oktober okt",
    11: "november nov novembre",
    12: "december dec décembre decembre déc dezember dez",
}
MONTHS = {word: n for n, words in _MONTHS.items() for word in words.split()}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
MONTH_WORD = re.compile(rf"(?<!\w)({_MONTH})\b\.?", re.IGNORECASE)
YEAR = re.compile(r"(?<![\d,.’'/-])(\d{4})(s?)(?![\d,]\d)")
SHORT_YEAR = re.compile(r"[’'‘](\d{2})(?!\d)")
DAY_BEFORE = re.compile(rf"(?<![\d,])(\d{{1,2}})(?:st|nd|rd|th|er|\.)?\s+(?:of\s+)?({_MONTH})\b",
                        re.IGNORECASE)
DAY_AFTER = re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?![\d.:])",
                       re.IGNORECASE)
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

    def contains_day(self, month: int, day: int) -> bool | None:
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
    out: list[str] = []
    for m in YEAR.finditer(text):
        year = int(m.group(1))
        top = year + 9 if m.group(2) else year
        if top < span.first.year or year > span.last.year:
            out.append(f"the year {m.group(0)}")
    for m in SHORT_YEAR.finditer(text):
        if all(y % 100 != int(m.group(1)) for y in span.years()) and \
                span.last.year - span.first.year < 100:
            out.append(f"the year {m.group(0)}")
    for m in MONTH_WORD.finditer(text):
        if not span.contains_month(MONTHS[m.group(1).lower()]):
            out.append(f"the month {m.group(1)}")
    days = [(int(m.group(1)), m.group(2)) for m in DAY_BEFORE.finditer(text)]
    days += [(int(m.group(2)), m.group(1)) for m in DAY_AFTER.finditer(text)]
    for day, month_word in days:
        month = MONTHS[month_word.lower()]
        if span.contains_month(month) and span.contains_day(month, day) is False:
            out.append(f"the day {month_word} {day}")
    return out


def other_calendar(el: etree._Element) -> bool:
    cal = (el.get("calendar") or el.get("datingMethod") or "").lower()
    return bool(cal) and "gregorian" not in cal
