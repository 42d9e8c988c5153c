"""Where a validation run's CPU goes, per document, in one process (no pool, no start-up).

Each document is read and checked phase by phase, as ``serge-tei validate`` does: the
file read, lxml's parse, the reader's hostile-input checks, the RelaxNG check, then the
rules after it (the embedded Schematron of ``--tei-all``, or the edition's own rules for
the project schema). Times are CPU (``process_time``), the best of ``--runs`` passes over
every *step*-th file, so that a busy machine inflates them less than wall times.

    python bench/phases.py --tei-all ../shared/corpora/gerdracor-all
    python bench/phases.py --project /tmp/serge-tei-bench/edition-1000-s42

Runs on an older commit too, for a before/after (``git archive REF | tar -x -C /tmp/old``,
then ``PYTHONPATH=/tmp/old python bench/phases.py ...``), as long as it has these phases.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lxml import etree

from serge_tei import reading
from serge_tei.reading import Document, Limits

PHASES = ("read", "parse", "reader checks", "RelaxNG", "rules after it")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    which = ap.add_mutually_exclusive_group(required=True)
    which.add_argument("--tei-all", type=Path, metavar="FOLDER",
                       help="its *.xml against the packaged tei_all (our engine, native "
                            "Schematron)")
    which.add_argument("--project", type=Path, metavar="PROJECT",
                       help="a generated edition (bench/generate.py): tei/*.xml against "
                            "the project schema (libxml2) and the edition's own rules")
    ap.add_argument("--step", type=int, default=1, help="every STEP-th file (default 1)")
    ap.add_argument("--runs", type=int, default=3, help="passes; the best is kept")
    args = ap.parse_args()
    folder = args.tei_all or args.project / "tei"
    files = sorted(folder.glob("*.xml"))[::args.step]
    grammar, after = _tei_all() if args.tei_all else _project(args.project)
    best: dict[str, float] = {}
    for _ in range(args.runs):
        spent = _pass(files, grammar, after)
        best = {k: min(v, best.get(k, v)) for k, v in spent.items()}
    total = sum(best.values())
    print(f"{len(files)} files of {folder}, CPU per file (best of {args.runs}):")
    for name in PHASES:
        print(f"  {name:14s} {best[name] / len(files) * 1000:6.2f} ms "
              f"({best[name] / total:4.0%})")
    print(f"  {'total':14s} {total / len(files) * 1000:6.2f} ms, "
          f"{total / best['parse']:.1f}x the parse")


Check = Callable[[Document], list[Any]]


def _pass(files: list[Path], grammar: Check, after: Check) -> dict[str, float]:
    spent = dict.fromkeys(PHASES, 0.0)
    limits = Limits()
    for path in files:
        t0 = time.process_time()
        data = path.read_bytes()
        t1 = time.process_time()
        tree = etree.ElementTree(etree.fromstring(data, reading._parser()))
        t2 = time.process_time()
        doc = reading.parse_bytes(data, str(path), limits, origin=path)  # all of the reader
        t3 = time.process_time()
        found = grammar(doc)
        t5 = time.process_time()
        if not found:
            after(doc)
        t6 = time.process_time()
        del tree
        spent["read"] += t1 - t0
        spent["parse"] += t2 - t1
        spent["reader checks"] += max(0.0, (t3 - t2) - (t2 - t1))  # the reader less its parse
        spent["RelaxNG"] += t5 - t3
        spent["rules after it"] += t6 - t5
    return spent


def _tei_all() -> tuple[Check, Check]:
    from serge_tei.validation.engines import Engines
    from serge_tei.validation.run import Options, _forced

    forced = _forced(Options(tei_all=True))
    assert forced is not None and forced.rng is not None
    engines = Engines("serge")
    rng = engines.rng(forced.rng, forced.grammar_root)
    sch = engines.schematron_for(forced)
    assert sch is not None
    return rng.validate, lambda doc: sch.validate(doc, None)


def _project(project: Path) -> tuple[Check, Check]:
    from serge_tei.validation.edition_rules import check, quick
    from serge_tei.validation.engines import Engines

    engines = Engines("auto")
    rng = engines.rng(project / "schema" / "serge-tei.rng")

    def rules(doc: Document) -> list[Any]:
        name = Path(doc.path).name
        found = quick(doc, name, True)
        return [] if found is not None else check(doc, name, True)

    return rng.validate, rules


if __name__ == "__main__":
    main()
