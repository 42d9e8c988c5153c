"""The lint rules, and which of them run: a profile's choice, then ``select``/``ignore``.

Selectors work like ruff's: a selector is a rule id or a prefix of rule ids
(``lint.date`` is every ``lint.date-*`` rule, ``lint`` is all of them).
``select`` replaces the default set, ``ignore`` removes from it, and when a
rule matches both, the longer (more specific) selector wins; on a tie, ignore.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Sequence

from ..findings import Severity

RULES: dict[str, Severity] = {
    "lint.untagged": Severity.WARNING,
    "lint.inconsistent-ref": Severity.WARNING,
    "lint.variant-unrecorded": Severity.WARNING,
    "lint.variant-unused": Severity.INFO,
    "lint.date-mismatch": Severity.ERROR,
    "lint.date-unnormalised": Severity.WARNING,
    "lint.date-untagged": Severity.WARNING,
    "lint.note-anchor": Severity.ERROR,
    "lint.who-unresolved": Severity.ERROR,
    "lint.ref-refused": Severity.ERROR,
    "lint.baseline-stale": Severity.INFO,
}


def unknown_selector(selector: str) -> str | None:
    """Why *selector* selects no rule (with the closest rule id), or None when it does."""
    if any(rule.startswith(selector) for rule in RULES):
        return None
    close = difflib.get_close_matches(selector, RULES, n=1, cutoff=0.6)
    hint = f'; did you mean "{close[0]}"?' if close else f"; rules: {', '.join(RULES)}"
    return f"{selector!r} is no lint rule id nor a prefix of one{hint}"


def selected(defaults: Collection[str], select: Sequence[str] | None,
             ignore: Sequence[str]) -> frozenset[str]:
    """The rules that run: *select* (else *defaults*) less *ignore*; the more specific wins."""
    out = set()
    for rule in RULES:
        # a default is the least specific choice: any ignore that matches beats it
        chosen = _longest(rule, select) if select is not None else (
            0 if rule in defaults else -1)
        if chosen >= 0 and chosen > _longest(rule, ignore):
            out.add(rule)
    return frozenset(out)


def _longest(rule: str, selectors: Sequence[str] | None) -> int:
    """Length of the longest selector matching *rule*; -1 when none does."""
    return max((len(s) for s in selectors or () if rule.startswith(s)), default=-1)
