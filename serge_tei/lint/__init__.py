"""``serge-tei lint``: what the markup missed, checked against the authority files.

Validation says whether markup is well formed; linting says whether it is
complete and consistent with the project's own authority files
(``docs/lint.md`` lists the rules):

========================  ========  ==============================================
rule                      severity  finds
========================  ========  ==============================================
lint.untagged             warning   a recorded name in text outside any name element
lint.inconsistent-ref     warning   one surface form pointing to different entries
lint.variant-unrecorded   warning   a tagged form its entry does not record
lint.variant-unused       info      a recorded variant no linted document uses
lint.date-mismatch        error     date text contradicting its normalised value
lint.date-unnormalised    warning   a ``date`` without when/from/to/notBefore/notAfter
lint.date-untagged        warning   a year or month name outside any ``date``
lint.note-anchor          error     a note whose anchor is missing or duplicated
lint.who-unresolved       error     ``said``/``q``/``sp`` ``@who`` pointing to no person
lint.ref-refused          error     a file pointer lint will not follow (outside the project)
lint.baseline-stale       info      a baseline entry that no longer occurs
========================  ========  ==============================================

Which rules run, and how names are matched, depends on the document's
*profile* (prose, drama, letters: :mod:`.profiles`), chosen from the document
and adjustable under ``[tool.serge-tei.lint]``. A finding is silenced where it
occurs by ``<?serge-lint allow="RULE"?>`` right before the element (or the
text) it is about, or project-wide by ``ignore``, or recorded in a baseline
file (:mod:`.baseline`).

Modules: :mod:`.run` (the run, authority files), :mod:`.document` (one
document's walk and rules), :mod:`.names` (entries, the name matcher),
:mod:`.dates`, :mod:`.pointers` (what a pointer leads to, confined to the
project), :mod:`.profiles`, :mod:`.rules`, :mod:`.baseline`.
"""

from __future__ import annotations

from .rules import RULES
from .run import lint, write_baseline

__all__ = ["RULES", "lint", "write_baseline"]
