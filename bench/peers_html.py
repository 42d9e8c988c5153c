"""Per-document HTML: serge-tei's html.xsl against the TEI Stylesheets' html/html.xsl.

    python bench/peers_html.py                 # the real corpora of ../shared, 3 runs
    python bench/peers_html.py --runs 5 --limit 20
    python bench/peers_html.py --limit 20 --baseline /tmp/mainref --rounds 40

Both stylesheets are compiled once, in this one process (SaxonC), and applied to the
same documents, parsed once; the figure is the median over runs of the total time of
the transforms, and documents per second. The TEI Stylesheets are read from
``../shared/peers/tei-stylesheets`` (never a test dependency, never copied); the section
written to ``bench/RESULTS.md`` (replaced on each run) says when, on what, and the load.

``--baseline DIR`` also sets this checkout's ``xslt/html.xsl`` against another
checkout's (``git worktree add /tmp/mainref main``): both compiled in one
processor, applied to the same parsed documents in alternating rounds (the order
turned each round), each round timed in CPU time of the thread, so that the load of
a shared machine and the order weigh on both alike; the figures are the median and
the best of the rounds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from serge_tei.reading import read_document  # noqa: E402
from serge_tei.transform import authority_corpus, docid, is_authority, publisher  # noqa: E402

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


def against(paths: list[Path], baseline: Path, rounds: int) -> dict[str, list[float]]:
    """CPU seconds of each round of this checkout's html.xsl and *baseline*'s on *paths*
    (the authority files among them, if any, as the registers of the others: tips too)."""
    from saxonche import PySaxonProcessor

    proc = PySaxonProcessor(license=False)
    sheets = {"this": ROOT, "baseline": baseline}
    exes = {name: proc.new_xslt30_processor().compile_stylesheet(
        stylesheet_file=str(root / "xslt" / "html.xsl")) for name, root in sheets.items()}
    read = [read_document(p) for p in paths]
    registers = [d for d in read if is_authority(d)]
    if registers:
        corpus = proc.parse_xml(xml_text=etree.tostring(authority_corpus(registers),
                                                        encoding="unicode"))
        tips = proc.new_xslt30_processor().compile_stylesheet(
            stylesheet_file=str(ROOT / "xslt" / "tips.xsl")).transform_to_string(xdm_node=corpus)
        for exe in exes.values():
            exe.set_parameter("authority", corpus)
            exe.set_parameter("tips", proc.parse_xml(xml_text=tips))
    docs = [(proc.parse_xml(xml_text=d.text), docid(d, Path(d.path))) for d in read
            if not is_authority(d)]
    times: dict[str, list[float]] = {name: [] for name in exes}
    for number in range(rounds):
        for name in list(exes)[number % 2:] + list(exes)[:number % 2]:
            exe = exes[name]
            started = time.thread_time()
            for node, ident in docs:
                exe.set_parameter("docid", proc.make_string_value(ident))
                exe.transform_to_string(xdm_node=node)
            times[name].append(time.thread_time() - started)
    return times


def _described(folder: Path) -> str:
    """The commit checked out in *folder*: its short hash and the start of its subject."""
    run = subprocess.run(["git", "-C", str(folder), "log", "-1", "--format=%h %s"],
                         capture_output=True, text=True, check=False)
    line = run.stdout.strip() or str(folder)
    return line if len(line) <= 60 else line[:60].rsplit(" ", 1)[0] + "…"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--limit", type=int, default=40, help="documents per corpus")
    parser.add_argument("--baseline", type=Path, action="append", default=[],
                        help="another checkout to compare with (may be given again)")
    parser.add_argument("--rounds", type=int, default=40, help="rounds against --baseline")
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
    for baseline in args.baseline:
        lines += ["", f"This checkout (`{_described(ROOT)}`) against `{_described(baseline)}`"
                  f" (`--baseline {baseline} --rounds {args.rounds}`: CPU time of the "
                  f"thread, rounds alternated, median and best of {args.rounds}):", "",
                  "| corpus | this checkout | baseline | this / baseline |",
                  "| --- | --- | --- | --- |"]
        for label, folder in [*CORPORA.items(), ("the edition (tei/, with its registers)",
                                                  ROOT / "tei")]:
            paths = sorted(folder.glob("*.xml"))[:args.limit]
            times = against(paths, baseline, args.rounds)
            ours, base = (statistics.median(times[k]) for k in ("this", "baseline"))
            lines.append(f"| {label} | {ours:.3f} s (best {min(times['this']):.3f}) | "
                         f"{base:.3f} s (best {min(times['baseline']):.3f}) | "
                         f"{ours / base:.2f} |")
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
