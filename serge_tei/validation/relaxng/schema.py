"""A compiled schema: the derivatives plus the step tables the document walk reads.

The walk (:mod:`.walk`) asks four questions per node, each memoised here by
(state, name) so that a warm run is dictionary look-ups: what a child element
named *tag* becomes (:meth:`Schema.child_step`), what an attribute does
(:meth:`Schema.attr_step`), what text does (:meth:`Schema.text_free`), and
whether a text-only element is complete (:meth:`Schema.leaf_end`).
"""

from __future__ import annotations

from pathlib import Path

from ...findings import Finding
from ...reading import Document
from .budget import Budget
from .derivatives import Derivatives
from .patterns import TEXT
from .walk import Walk

#: rewrite the disk cache when a run added this many memo entries
WARM_REWRITE = 300
#: the memo tables that travel with the patterns in the disk cache
WARM = ("_nullable", "_elem_cands", "_elem_deriv", "_attr_cands", "_attr_deriv", "_text_cands",
        "_text_deriv", "_close", "_close_lenient", "_end", "_elem_step", "_attr_step",
        "_text_free", "_leaf_end")

#: the verdicts on a text-only element in a state: complete with no text / with blank text /
#: with other text; None where the text's value decides (or where an error is to be reported)
Leaf = tuple[bool | None, bool | None, bool | None]
#: a child step: (the child's state, the parent's state after it or -1, the parent's state if
#: the child matches none of several contents or -1, the child's state at the end of a start
#: tag without attributes or -1 if attributes are missing, and the :data:`Leaf` verdicts in
#: that state); the first three are -1 when no pattern allows the child
Step = tuple[int, int, int, int, bool | None, bool | None, bool | None]


class Schema(Derivatives):
    """A simplified RelaxNG schema; ``validate(doc)`` lists the grammar errors of a document."""

    def __init__(self, budget: Budget) -> None:
        super().__init__(budget)
        self._elem_step: dict[tuple[int, str], Step] = {}
        self._attr_step: dict[tuple[int, str], tuple[tuple[int, ...], int]] = {}
        self._text_free: dict[int, int] = {}
        self._leaf_end: dict[int, Leaf] = {}
        #: where the disk cache of this schema is, and the size of the tables it holds
        self.cache_file: tuple[Path, int] | None = None
        #: the files the schema was compiled from besides the main one (paths relative to
        #: it, SHA-256), and the digest of the whole set: what the disk cache is keyed by
        self.sources: list[tuple[str, str]] = []
        self.set_digest = ""

    def memo_size(self) -> int:
        return len(self.pats) + sum(len(getattr(self, name)) for name in WARM)

    # -- steps of the walk
    def child_step(self, p: int, tag: str) -> Step:
        """How a child element named *tag* moves state *p* (see :data:`Step`)."""
        cands = self.elem_candidates(p, tag)
        if not cands:
            step: Step = (-1, -1, -1, -1, None, None, None)
            self._elem_step[(p, tag)] = step
            return step
        if len(cands) == 1:
            state, after, fallback = cands[0], self.elem_deriv(p, tag, frozenset(cands)), -1
        else:
            # several element patterns of this name: validate the child against all of them
            # at once; its end tag tells the parent which of them it satisfied
            alts = [self.after(c, self.elem_deriv(p, tag, frozenset((c,)))) for c in cands]
            state, after = self.choice(*alts), -1
            fallback = self.elem_deriv(p, tag, frozenset(cands))
        closed = self.close(state)
        leaf: Leaf = (None, None, None)
        if closed == self.notallowed:
            closed = -1
        elif fallback < 0:
            leaf = self.leaf_end(closed)
        step = (state, after, fallback, closed, *leaf)
        self._elem_step[(p, tag)] = step
        return step

    def attr_step(self, p: int, name: str) -> tuple[tuple[int, ...], int]:
        """Candidates for attribute *name*, and the derivative when all of them accept it."""
        cands = self.attr_candidates(p, name)
        after = self.attr_deriv(p, name, frozenset(cands)) if cands else -1
        if after == self.notallowed:
            after = -1
        self._attr_step[(p, name)] = (cands, after)
        return cands, after

    def text_free(self, p: int) -> int:
        """The derivative by a non-blank text when no candidate looks at its value, else -1."""
        cands = self.text_candidates(p)
        got = -1
        if cands and all(self.pats[c][0] == TEXT for c in cands):
            got = self.text_deriv(p, frozenset())
        if got == self.notallowed:
            got = -1
        self._text_free[p] = got
        return got

    def leaf_end(self, p: int) -> Leaf:
        """For an element with text only: is it complete with no text, blank text, other text?

        No text is the empty string, whatever the datatypes (RELAX NG's rule for an
        element without children); blank and other text are decided here only where
        no candidate looks at the text's value. A verdict that would be False is None,
        so that the caller reports the error with its cause.
        """
        empty = self.nullable(self.choice(p, self.accepts_text(p, ""))) or None
        free = self.text_free(p)
        if free < 0:
            got: Leaf = (empty, None, None)
        else:
            got = (empty, self.nullable(self.choice(p, free)) or None, self.nullable(free) or None)
        self._leaf_end[p] = got
        return got

    # -- validation
    def validate(self, doc: Document) -> list[Finding]:
        """All grammar errors of *doc*, each at its element's line and column."""
        findings = Walk(self, doc).run()
        self._persist_warm()
        return findings

    def _persist_warm(self) -> None:
        """Write the grown memo tables back to the disk cache.

        Derivatives met for the first time cost about twice the warm speed; after a
        few runs the tables stop growing and the rewrites stop. Workers of a pool
        write too (each what it learnt): every write replaces the file atomically,
        so concurrent writers can only lose each other's additions, never corrupt it.
        """
        if self.cache_file is None:
            return
        path, saved = self.cache_file
        size = self.memo_size()
        if size - saved > WARM_REWRITE:
            from .cache import write_schema

            self.cache_file = (path, size)
            write_schema(path, self)
