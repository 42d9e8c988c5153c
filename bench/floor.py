"""The parse-only floor: lxml parses every file and does nothing else.

Run as a command (so its time includes an interpreter start, like every other
command the benchmark compares), with all cores or ``--jobs N``::

    python bench/floor.py --jobs 2 corpus/tei/*.xml
"""

from __future__ import annotations

import argparse
import os
import sys
from multiprocessing import get_context

from lxml import etree


def parse(path: str) -> int:
    """Parse one file with the reader's safety settings; its element count (proves the work)."""
    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)
    return sum(1 for _ in etree.parse(path, parser).iter())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--jobs", type=int, default=0, help="processes (default: all cores)")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args(argv)
    workers = args.jobs or os.cpu_count() or 1
    if workers == 1:
        total = sum(parse(f) for f in args.files)
    else:
        chunk = max(1, min(32, len(args.files) // (workers * 8)))
        with get_context("fork").Pool(workers) as pool:
            total = sum(pool.imap(parse, args.files, chunksize=chunk))
    print(f"{len(args.files)} files, {total} elements", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
