"""A deterministic generator of realistic TEI corpora for the benchmark.

Two kinds of corpus, both seeded (the same seed and size give byte-identical
files, and the first *n* documents of a larger corpus are the *n* documents of
a smaller one, so the growth series shares its files):

* ``edition``: a serge-tei project (``pyproject.toml`` naming ``tei/`` as the
  edition) with four authority files (persons, places, orgs, works) and diary
  documents of 20-120 KB shaped like the edition's diary: dated entries with
  datelines, names pointing into the authority files, translator's notes,
  dates, foreign words, direct speech. Valid against the project schema
  (including its cross-file Schematron rules) and therefore against
  ``tei_all``.
* ``drama``: plays of about 300 KB shaped like DraCor's (castList, acts,
  scenes, ``sp``/``speaker``/``l``/``p``/``stage``), valid against ``tei_all``.

``--mutants`` also writes single-error copies of a few documents to
``mutants/`` (an element renamed, a required attribute dropped, an impossible
date, an element out of place), for the correctness twin (``crosscheck.py``).

Example::

    python bench/generate.py --kind edition -n 1000 --out /tmp/corpus --mutants
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

TEI_NS = "http://www.tei-c.org/ns/1.0"

#: Authority file sizes; every document cites entries drawn from these.
N_PERSONS, N_PLACES, N_ORGS, N_WORKS = 400, 200, 80, 120


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_WORDS = _split(
    "the of and to in a that was he it his with as for on had at by not be which from "
    "this but they all were or an one their we been have there who would what so when "
    "said letter evening morning night train station meeting comrade party committee "
    "friend manuscript book prison exile trial arrest speech journal article review "
    "winter spring summer autumn city street room table window door river bridge square "
    "long short old young tired anxious calm bitter quiet sudden strange grave cold warm "
    "spoke wrote told asked answered waited walked returned left arrived read listened "
    "believed understood feared hoped remembered forgot promised refused accepted heard "
    "revolution power state police press courage truth freedom silence memory history "
    "workers writers students soldiers officials delegates editors readers neighbours "
    "again already almost always never often perhaps still together afterwards meanwhile "
    "about after against before between during under without towards across beyond"
)
_FIRST = _split(
    "Anna Boris Clara Daniel Elena Felix Greta Henri Irena Jakob Klara Lev Marta Nikolai "
    "Olga Pavel Rosa Sergei Tamara Victor Vera Yuri Zofia Emil Ida Leon Nadia Otto Paula "
    "Simon"
)
_LAST = _split(
    "Arnaud Belov Chernov Dubois Ernst Fischer Galkin Hartmann Ivanova Jansen Kovac "
    "Lambert Markov Novak Orlov Petrov Quillet Richter Sokolov Tessier Ulmann Volkov "
    "Weber Yakovlev Zeller Mercier Roussel Blanc Kraus Lindqvist"
)
_PLACES = _split(
    "Avel Brenn Corva Dalm Estra Fenwald Gorsk Halden Istra Jarow Kessel Lorn Marrow "
    "Norden Ostry Pellan Quarry Rivne Solm Tarvo Ulm Vessel Wyre Yarrow Zenna"
)
_LANGS = (("fr", "en effet"), ("de", "nach wie vor"), ("ru", "nichevo"), ("es", "hasta luego"),
          ("it", "pazienza"), ("nl", "natuurlijk"))
_MONTHS = _split(
    "January February March April May June July August September October November "
    "December"
)


@dataclass(frozen=True)
class Authority:
    persons: list[tuple[str, str, str]]  # id, forename, surname
    places: list[tuple[str, str]]  # id, name
    orgs: list[tuple[str, str]]
    works: list[tuple[str, str]]


def authority(seed: int) -> Authority:
    rng = random.Random(f"authority-{seed}")
    persons = [(f"p{i:04d}", rng.choice(_FIRST), rng.choice(_LAST)) for i in range(N_PERSONS)]
    places = [(f"pl{i:04d}", f"{rng.choice(_PLACES)}{rng.choice(['', 'ov', 'burg', 'a', 'en'])}")
              for i in range(N_PLACES)]
    orgs = [(f"o{i:03d}", f"{rng.choice(['Committee', 'Union', 'League', 'Circle'])} of "
             f"{rng.choice(_PLACES)}") for i in range(N_ORGS)]
    works = [(f"w{i:03d}", " ".join(rng.choice(_WORDS).capitalize() for _ in range(3)))
             for i in range(N_WORKS)]
    return Authority(persons, places, orgs, works)


# ------------------------------------------------------------------ headers

def _header(ident: str, title: str, resp: str, *, change: str, langs: str = "",
            source: str = "Generated for the serge-tei benchmark.") -> str:
    return f"""  <teiHeader>
    <fileDesc>
      <titleStmt>
        <title type="main">{title}</title>
        <respStmt xml:id="{ident}-editors"><resp>{resp}</resp>
          <name>serge-tei benchmark</name></respStmt>
      </titleStmt>
      <publicationStmt>
        <publisher>serge-tei project</publisher>
        <date when="2026-11-21">2026</date>
      </publicationStmt>
      <sourceDesc>
        <bibl>{source}</bibl>
      </sourceDesc>
    </fileDesc>
    <encodingDesc>
      <editorialDecl><p>Synthetic text, marked up as densely as the edition's diary.</p>
      </editorialDecl>
    </encodingDesc>
    <profileDesc>
      <langUsage><language ident="en">English</language>{langs}</langUsage>
    </profileDesc>
    <revisionDesc>
      <change when="2026-11-21" who="#{ident}-editors">{change}</change>
    </revisionDesc>
  </teiHeader>
"""


_PROLOG = ('<?xml version="1.0" encoding="UTF-8"?>\n'
           '<?xml-model href="../schema/serge-tei.rng" type="application/xml" '
           'schematypens="http://relaxng.org/ns/structure/1.0"?>\n'
           '<?xml-model href="../schema/serge-tei.sch" type="application/xml" '
           'schematypens="http://purl.oclc.org/dsdl/schematron"?>\n')


def authority_files(auth: Authority) -> dict[str, str]:
    """The four authority files of a generated edition."""
    def wrap(ident: str, title: str, body: str) -> str:
        return (f'<?xml version="1.0" encoding="UTF-8"?>\n<TEI xmlns="{TEI_NS}" xml:id="{ident}" '
                f'xml:lang="en">\n' + _header(ident, title, "Compilation of the entries",
                                              change="Generated.")
                + f"  <text>\n    <body>\n{body}    </body>\n  </text>\n</TEI>\n")

    persons = "".join(
        f'        <person xml:id="{i}">\n          <persName type="preferred"><forename>{f}'
        f'</forename> <surname>{s}</surname></persName>\n          <persName type="variant">'
        f'{s}</persName>\n          <note type="identification">A correspondent of the diarist.'
        f"</note>\n        </person>\n" for i, f, s in auth.persons)
    places = "".join(
        f'        <place xml:id="{i}">\n          <placeName type="preferred">{n}</placeName>\n'
        f'          <note type="identification">A town.</note>\n        </place>\n'
        for i, n in auth.places)
    orgs = "".join(
        f'        <org xml:id="{i}">\n          <orgName type="preferred">{n}</orgName>\n'
        f'          <note type="identification">An organisation.</note>\n        </org>\n'
        for i, n in auth.orgs)
    works = "".join(
        f'        <bibl xml:id="{i}">\n          <title type="preferred" level="m">{n}</title>\n'
        f'          <note type="identification">A book.</note>\n        </bibl>\n'
        for i, n in auth.works)
    return {
        "persons.xml": wrap("persons-authority", "Persons",
                            f"      <listPerson>\n{persons}      </listPerson>\n"),
        "places.xml": wrap("places-authority", "Places",
                           f"      <listPlace>\n{places}      </listPlace>\n"),
        "orgs.xml": wrap("orgs-authority", "Organisations",
                         f"      <listOrg>\n{orgs}      </listOrg>\n"),
        "works.xml": wrap("works-authority", "Works",
                          f"      <listBibl>\n{works}      </listBibl>\n"),
    }


# ------------------------------------------------------------------ diary documents

class _Diary:
    """One diary document, grown entry by entry to a target size."""

    def __init__(self, index: int, seed: int, auth: Authority) -> None:
        self.rng = random.Random(f"diary-{seed}-{index}")
        self.auth = auth
        self.ident = f"d{index:05d}"
        self.notes = 0
        self.year = 1920 + self.rng.randrange(20)

    def words(self, lo: int, hi: int) -> str:
        return " ".join(self.rng.choice(_WORDS) for _ in range(self.rng.randint(lo, hi)))

    def name(self) -> str:
        roll = self.rng.random()
        a = self.auth
        if roll < 0.5:
            i, f, s = self.rng.choice(a.persons)
            shown = s if self.rng.random() < 0.6 else f"{f} {s}"
            return f'<persName ref="persons.xml#{i}">{shown}</persName>'
        if roll < 0.8:
            i, n = self.rng.choice(a.places)
            return f'<placeName ref="places.xml#{i}">{n}</placeName>'
        if roll < 0.9:
            i, n = self.rng.choice(a.orgs)
            return f'<orgName ref="orgs.xml#{i}">{n}</orgName>'
        i, n = self.rng.choice(a.works)
        return f'<title level="m" ref="works.xml#{i}">{n}</title>'

    def date(self) -> str:
        m, d = self.rng.randint(1, 12), self.rng.randint(1, 28)
        if self.rng.random() < 0.8:
            return (f'<date when="{self.year}-{m:02d}-{d:02d}">{_MONTHS[m - 1]} {d}, '
                    f"{self.year}</date>")
        return (f'<date notBefore="{self.year}-{m:02d}-01" notAfter="{self.year}-{m:02d}-28">'
                f"in {_MONTHS[m - 1]}</date>")

    def phrase(self, speech: bool = True) -> str:
        """A sentence with the edition's density of names, dates and other phrase markup.

        *speech*: whether direct speech (``said``) may occur; headings allow none.
        """
        parts = [self.words(3, 9).capitalize()]
        for _ in range(self.rng.randint(1, 4)):
            roll = self.rng.random()
            if roll < 0.6:
                parts.append(self.name())
            elif roll < 0.75:
                parts.append(self.date())
            elif roll < 0.85 or not speech:
                lang, text = self.rng.choice(_LANGS)
                parts.append(f'<foreign xml:lang="{lang}">{text}</foreign>')
            else:
                i = self.rng.choice(self.auth.persons)[0]
                parts.append(f'“<said who="persons.xml#{i}">{self.words(4, 12)}</said>”')
            parts.append(self.words(2, 8))
        return " ".join(parts) + "."

    def paragraph(self) -> str:
        text = " ".join(self.phrase() for _ in range(self.rng.randint(2, 6)))
        if self.rng.random() < 0.12:
            self.notes += 1
            n = self.notes
            note = (f'<note n="{n}" place="foot" type="translator" resp="#{self.ident}-editors" '
                    f'xml:id="{self.ident}-n{n}">{self.phrase()}</note>')
            text = f"{text} {note}"
        return f"        <p>{text}</p>\n"

    def entry(self, k: int) -> str:
        head = ""
        if self.rng.random() < 0.5:
            head = f"        <head>{self.phrase(speech=False)[:-1]}</head>\n"
        i, n = self.rng.choice(self.auth.places)
        dateline = (f'        <dateline><placeName ref="places.xml#{i}">{n}</placeName>, '
                    f"{self.date()}.</dateline>\n")
        paras = "".join(self.paragraph() for _ in range(self.rng.randint(3, 12)))
        return (f'      <div type="entry" xml:id="{self.ident}-e{k}">\n{head}{dateline}{paras}'
                "      </div>\n")

    def document(self) -> str:
        target = self.rng.randint(20_000, 120_000)
        langs = "".join(f'<language ident="{code}">{code}</language>' for code, _ in _LANGS)
        head = (_PROLOG + f'<TEI xmlns="{TEI_NS}" xml:id="{self.ident}" xml:lang="en">\n'
                + _header(self.ident, f"Diary, notebook {self.ident}", "TEI encoding",
                          change="Generated.", langs=langs)
                + "  <text>\n    <body>\n")
        tail = "    </body>\n  </text>\n</TEI>\n"
        entries: list[str] = []
        size = len(head) + len(tail)
        while size < target:
            entries.append(self.entry(len(entries) + 1))
            size += len(entries[-1].encode("utf-8"))
        return head + "".join(entries) + tail


# ------------------------------------------------------------------ plays

class _Play:
    """A play shaped like a DraCor document (about 300 KB), valid against tei_all."""

    def __init__(self, index: int, seed: int) -> None:
        self.rng = random.Random(f"play-{seed}-{index}")
        self.ident = f"play{index:05d}"
        self.cast = [(f"{self.ident}-r{k}", f"{self.rng.choice(_FIRST)} {self.rng.choice(_LAST)}")
                     for k in range(self.rng.randint(6, 16))]

    def line(self) -> str:
        return " ".join(self.rng.choice(_WORDS) for _ in range(self.rng.randint(5, 11)))

    def speech(self) -> str:
        who, name = self.rng.choice(self.cast)
        out = [f'<sp who="#{who}">\n<speaker>{name.split()[0]}.</speaker>\n']
        if self.rng.random() < 0.25:
            out.append(f"<stage>{self.line().capitalize()}.</stage>\n")
        if self.rng.random() < 0.5:
            lines = self.rng.randint(1, 8)
            out.extend(f"<l>{self.line().capitalize()}</l>\n" for _ in range(lines))
        else:
            out.append(f"<p>{self.line().capitalize()}. {self.line()}.</p>\n")
        out.append("</sp>\n")
        return "".join(out)

    def document(self) -> str:
        target = self.rng.randint(240_000, 320_000)
        cast = "".join(f'<castItem><role xml:id="{i}">{n}</role></castItem>\n'
                       for i, n in self.cast)
        head = (f'<?xml version="1.0" encoding="UTF-8"?>\n<TEI xmlns="{TEI_NS}" '
                f'xml:id="{self.ident}" xml:lang="en">\n<teiHeader>\n<fileDesc>\n<titleStmt>\n'
                '<title type="main">'
                f"Play {self.ident}</title>\n<author>{self.rng.choice(_LAST)}</author>\n"
                "</titleStmt>\n<publicationStmt>\n<publisher>serge-tei benchmark</publisher>\n"
                "</publicationStmt>\n<sourceDesc>\n<p>Generated.</p>\n</sourceDesc>\n"
                "</fileDesc>\n<profileDesc>\n<langUsage><language ident=\"en\">English</language>"
                "</langUsage>\n</profileDesc>\n</teiHeader>\n<text>\n<front>\n<docTitle>"
                '<titlePart type="main">'
                f"Play {self.ident}</titlePart></docTitle>\n<castList>\n<head>Persons</head>\n"
                f"{cast}</castList>\n</front>\n<body>\n")
        tail = "</body>\n</text>\n</TEI>\n"
        acts: list[str] = []
        size = len(head) + len(tail)
        while size < target:
            scenes = []
            for s in range(self.rng.randint(3, 7)):
                speeches = "".join(self.speech() for _ in range(self.rng.randint(20, 50)))
                year, month, day = 1800 + self.rng.randrange(100), self.rng.randint(1, 12), 1
                scenes.append(f'<div type="scene">\n<head>Scene {s + 1}</head>\n'
                              f"<stage>{self.line().capitalize()}, <date when=\"{year}-"
                              f'{month:02d}-{day:02d}">{_MONTHS[month - 1]} {year}</date>.'
                              f"</stage>\n{speeches}</div>\n")
            act = f'<div type="act">\n<head>Act {len(acts) + 1}</head>\n{"".join(scenes)}</div>\n'
            acts.append(act)
            size += len(act)
        return head + "".join(acts) + tail


# ------------------------------------------------------------------ mutants

#: (name, what the mutation does); each leaves exactly one grammar error.
MUTATIONS = ("renamed-element", "dropped-attribute", "bad-date", "misplaced-element")


def mutate(text: str, kind: str) -> str:
    """A copy of a valid document with one error of *kind*."""
    if kind == "renamed-element":  # the first <p> of the body becomes <para>
        body = text.index("<body>")
        start = text.index("<p>", body)
        end = text.index("</p>", start)
        return text[:start] + "<para>" + text[start + 3:end] + "</para>" + text[end + 4:]
    if kind == "dropped-attribute":  # <language> loses its required @ident
        m = re.search(r'(<language) ident="[^"]*"', text)
        if m is None:
            raise ValueError("no <language> to mutate")
        return text[:m.start()] + m[1] + text[m.end():]
    if kind == "bad-date":  # the first full date of the text becomes the 45th of a 13th month
        m = re.compile(r'when="(\d{4})-\d\d-\d\d"').search(text, text.index("<text>"))
        if m is None:
            raise ValueError("no date to mutate")
        return text[:m.start()] + f'when="{m[1]}-13-45"' + text[m.end():]
    if kind == "misplaced-element":  # a <p> moved into the teiHeader's titleStmt
        at = text.index("</titleStmt>")
        return text[:at] + "<p>Out of place.</p>\n      " + text[at:]
    raise ValueError(f"unknown mutation {kind}")


# ------------------------------------------------------------------ writing

def documents(kind: str, n: int, seed: int) -> Iterator[tuple[str, str]]:
    """``(file name, text)`` of the *n* documents of a corpus, in order."""
    auth = authority(seed)
    for i in range(1, n + 1):
        if kind == "edition":
            yield f"d{i:05d}.xml", _Diary(i, seed, auth).document()
        else:
            yield f"play{i:05d}.xml", _Play(i, seed).document()


def _write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def generate(out: Path, n: int, *, kind: str = "edition", seed: int = 1,
             mutants: int = 0) -> Path:
    """Write a corpus to *out* (replaced if it was written by us); the folder of documents."""
    if kind not in ("edition", "drama"):
        raise ValueError(f"unknown kind {kind!r}")
    out = Path(out)
    stamp = out / ".serge-tei-bench"
    if out.exists():
        if not stamp.is_file():
            raise SystemExit(f"{out} exists and was not written by bench/generate.py")
        shutil.rmtree(out)
    docs = out / "tei"
    docs.mkdir(parents=True)
    stamp.write_text(f"kind={kind} n={n} seed={seed}\n", encoding="utf-8")
    schema = Path(__file__).resolve().parent.parent / "schema"
    if kind == "edition":
        (out / "pyproject.toml").write_text(
            '[tool.serge-tei]\nedition = "tei"\n', encoding="utf-8")
        shutil.copytree(schema, out / "schema")  # the xml-model PIs point here
        for name, text in authority_files(authority(seed)).items():
            _write(docs / name, text)
    picked: list[tuple[str, str]] = []
    for name, text in documents(kind, n, seed):
        _write(docs / name, text)
        if len(picked) < mutants:
            picked.append((name, text))
    if picked:
        folder = out / "mutants"
        folder.mkdir()
        for name, text in picked:
            for mutation in MUTATIONS:
                try:
                    changed = mutate(text, mutation)
                except ValueError:
                    continue
                _write(folder / f"{Path(name).stem}-{mutation}.xml", changed)
    return docs


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kind", choices=("edition", "drama"), default="edition")
    ap.add_argument("-n", type=int, default=100, help="number of documents")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--mutants", type=int, default=0, metavar="K",
                    help="write single-error mutants of the first K documents to mutants/")
    args = ap.parse_args(argv)
    docs = generate(args.out, args.n, kind=args.kind, seed=args.seed, mutants=args.mutants)
    total = sum(p.stat().st_size for p in docs.glob("*.xml"))
    print(f"{docs}: {len(list(docs.glob('*.xml')))} files, {total / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
