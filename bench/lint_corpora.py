"""Lint a real corpus: findings per rule, time, and a seeded sample to check by hand.

    python bench/lint_corpora.py ../shared/corpora/gerdracor-all --sample 30 --seed 15
    python bench/lint_corpora.py ../shared/corpora/gerdracor-all --omissions always

``--from-json REPORT`` counts and samples a saved ``serge-tei lint -f json``
report instead of linting (how the figures of an older version were taken).

``--omissions always`` searches every document's own lists (a play's cast) and
untagged dates even where the document tags none (the profiles' default is
"when-practised"): it shows what the drama filters (pronouns, role nouns, @who)
leave when a project asks for names to be tagged. The sample prints each
finding with its source line, for the verdicts recorded in docs/lint.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import sys
import time
from collections import Counter
from pathlib import Path

from serge_tei.config import Config, LintConfig, LintProfileConfig
from serge_tei.findings import Finding, Severity
from serge_tei.lint import lint


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--omissions", choices=["when-practised", "always"], default=None)
    parser.add_argument("--profile", choices=["prose", "drama", "letters"], default=None)
    parser.add_argument("--sample", type=int, default=0, help="findings to print, seeded")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("-j", "--jobs", type=int, default=1)
    parser.add_argument("--from-json", type=Path, default=None, metavar="REPORT")
    args = parser.parse_args(argv)
    if args.from_json:
        findings = _from_json(args.from_json)
        print(f"{args.from_json}: {len(findings)} findings")
        _describe(findings, args.sample, args.seed)
        return 0

    profiles = ({name: LintProfileConfig(omissions=args.omissions)
                 for name in ("prose", "drama", "letters")} if args.omissions else {})
    config = Config(lint=LintConfig(profile=args.profile, profiles=profiles))
    start, cpu = time.perf_counter(), time.process_time()
    report = lint([args.corpus], config=config, jobs=args.jobs)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    findings = report.findings
    print(f"{len(report.files)} files, {len(findings)} findings; wall {wall:.1f} s, "
          f"CPU {cpu:.1f} s (this process), peak RSS {peak:.0f} MB, "
          f"load {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    _describe(findings, args.sample, args.seed)
    return 0


def _from_json(path: Path) -> list[Finding]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [Finding(f["path"], f["line"], f["column"], Severity(f["severity"]), f["rule"],
                    f["message"]) for r in data["files"] for f in r["findings"]]


def _describe(findings: list[Finding], sample: int, seed: int) -> None:
    for rule, n in Counter(f.rule for f in findings).most_common():
        print(f"  {n:>7,}  {rule}")
    words = Counter(m.group(1) for f in findings if f.rule == "lint.untagged"
                    and (m := re.search("“(.*?)”", f.message)))
    if words:
        print("most frequent untagged words: " +
              ", ".join(f"{w} {n}" for w, n in words.most_common(25)))
    if sample:
        rng = random.Random(seed)
        picked = rng.sample(findings, min(sample, len(findings)))
        for k, f in enumerate(sorted(picked, key=lambda f: (f.path, f.line)), 1):
            source = Path(f.path).read_text(encoding="utf-8").splitlines()
            line = source[f.line - 1].strip() if 0 < f.line <= len(source) else ""
            print(f"\n{k}. {Path(f.path).name}:{f.line} [{f.rule}] {f.message}\n   | {line[:300]}")


if __name__ == "__main__":
    sys.exit(main())
