"""A diary of many entries for the site tests and the search benchmark.

Made from the two entries of Arthur Schnitzler's diary in ``tests/data/corpora`` (ACDH-CH,
CC BY-SA 4.0): copying 150 real entries would add weight without adding cases; what the
tests need of a large diary is many dated entries over many years, each pointing to its
neighbours, and one word found in one entry only.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from lxml import etree

CORPORA = Path(__file__).resolve().parent.parent / "corpora"

WEEKDAYS = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]
MONTHS = ["Jänner", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
          "Oktober", "November", "Dezember"]
KNOWN_WORD = "Zauberflötenprobe"


def make_diary(folder: Path, count: int = 150) -> list[str]:
    """*count* diary entries made from the two Schnitzler entries in tests/data/corpora, one
    every 97 days from 1879-06-13, each with its own id, title, date and @prev/@next (as
    the real edition has them); entry 77 alone holds :data:`KNOWN_WORD`. Their dates."""
    tei = "{http://www.tei-c.org/ns/1.0}"
    xml_id = "{http://www.w3.org/XML/1998/namespace}id"
    base = "https://id.acdh.oeaw.ac.at/schnitzler/schnitzler-tagebuch/editions/"
    templates = [etree.parse(str(CORPORA / f"entry__{d}.xml"))
                 for d in ("1879-06-13", "1918-03-01")]
    days = [datetime.date(1879, 6, 13) + datetime.timedelta(days=97 * i) for i in range(count)]
    for i, day in enumerate(days):
        tree = etree.ElementTree(etree.fromstring(etree.tostring(templates[i % 2])))
        root = tree.getroot()
        root.set(xml_id, f"entry__{day}.xml")
        root.set("prev", f"{base}entry__{days[i - 1]}.xml" if i else f"{base}entry__1879-01-01.xml")
        root.set("next", f"{base}entry__{days[(i + 1) % count]}.xml")
        title = root.find(f"{tei}teiHeader/{tei}fileDesc/{tei}titleStmt/{tei}title")
        title.text = f"{WEEKDAYS[day.weekday()]}, {day.day}. {MONTHS[day.month - 1]} {day.year}"
        root.find(f".//{tei}title[@type='iso-date']").text = str(day)
        div = root.find(f".//{tei}body/{tei}div")
        div.set(xml_id, f"entry__{day}")
        first = div.find(f".//{tei}date")
        first.set("when", str(day))
        first.text = f"{day.day}/{day.month}"
        if i == 77:
            etree.SubElement(div, f"{tei}p").text = f"Abends {KNOWN_WORD} in der Oper."
        tree.write(str(folder / f"entry__{day}.xml"), xml_declaration=True, encoding="UTF-8")
    return [str(d) for d in days]
