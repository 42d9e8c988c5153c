"""Per-document HTML: serge-tei's html.xsl against the TEI Stylesheets' html/html.xsl.

    python bench/peers_html.py                 # the real corpora of ../shared, 3 runs
    python bench/peers_html.py --runs 5 --limit 20

Both stylesheets are compiled once, in this one process (SaxonC), and applied to the
same documents, parsed once; the figure is the median over runs of the total time of
the transforms, and documents per second. The TEI Stylesheets are read from
``../shared/peers/tei-stylesheets`` (never a test dependency, never copied); the section
written to ``bench/RESULTS.md`` (replaced on each run) says when, on what, and the load.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from serge_tei.reading import read_document  # noqa: E402
from serge_tei.transform import docid, publisher  # noqa: E402

SHARED = ROOT.parent / "shared"  # ../shared from the project root
PEER = SHARED / "peers" / "tei-stylesheets" / "html" / "html.xsl"
CORPORA = {
    "GerDraCor sample (plays)": SHARED / "corpora" / "gerdracor",
    "Schnitzler diary (entries)": SHARED / "corpora" / "schnitzler-tagebuch",
}
MARK = "## Per-document HTML against the TEI Stylesheets"


def measure(paths: list[Path], runs: int) -> dict[str, float]:
    pub = publisher(("html",))
    saxon = pub.saxon
    # The TEI Stylesheets read their own modules from disk: a processor of their own,
    # without serge-tei's hardening (it refuses to open files), for trusted input only.
    from saxonche import PySaxonProcessor

    plain = PySaxonProcessor(license=False)
    peer = plain.new_xslt30_processor().compile_stylesheet(stylesheet_file=str(PEER))
    docs = [(read_document(p), p) for p in paths]
    nodes = [(saxon.node(d.tree), docid(d, p)) for d, p in docs]
    peer_nodes = [plain.parse_xml(xml_text=d.text) for d, _ in docs]
    times: dict[str, list[float]] = {"serge-tei": [], "TEI Stylesheets": []}
    for _ in range(runs):
        started = time.perf_counter()
        for node, ident in nodes:
            saxon.transform("html", node, {"docid": ident})
        times["serge-tei"].append(time.perf_counter() - started)
        started = time.perf_counter()
        for node in peer_nodes:
            peer.transform_to_string(xdm_node=node)
        times["TEI Stylesheets"].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--limit", type=int, default=40, help="documents per corpus")
    args = parser.parse_args()
    load = os.getloadavg()
    lines = [MARK, "",
             f"{dt.date.today().isoformat()}, {platform.machine()}, {os.cpu_count()} cores, "
             f"load average {load[0]:.2f} at the start; `python bench/peers_html.py --runs "
             f"{args.runs} --limit {args.limit}` (one process, both stylesheets compiled once, "
             "documents parsed once, median of the runs).", "",
             "| corpus | documents | MB | serge-tei | TEI Stylesheets | ratio |",
             "| --- | --- | --- | --- | --- | --- |"]
    for label, folder in CORPORA.items():
        paths = sorted(folder.glob("*.xml"))[:args.limit]
        size = sum(p.stat().st_size for p in paths) / 1e6
        result = measure(paths, args.runs)
        ours, peer = result["serge-tei"], result["TEI Stylesheets"]
        lines.append(f"| {label} | {len(paths)} | {size:.1f} | {ours:.2f} s "
                     f"({len(paths) / ours:.1f} doc/s) | {peer:.2f} s "
                     f"({len(paths) / peer:.1f} doc/s) | {peer / ours:.1f}× |")
        print(lines[-1], flush=True)
    lines.append(f"\nLoad average at the end: {os.getloadavg()[0]:.2f}.")
    results = ROOT / "bench" / "RESULTS.md"
    text = results.read_text(encoding="utf-8")
    section = "\n".join(lines) + "\n"
    pattern = re.compile(re.escape(MARK) + r".*?(?=\n## |\Z)", re.S)
    text = pattern.sub(lambda _: section.rstrip("\n"), text) if MARK in text else (
        text.rstrip("\n") + "\n\n" + section)
    results.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
