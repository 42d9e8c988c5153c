"""Profiles: what linting means for a kind of text, chosen from the document.

- **drama**, for a document with ``sp`` or ``castList`` in its text, or a
  ``particDesc`` (and no letter): no ``lint.date-untagged`` (plays do not tag the
  dates their characters speak) and no ``lint.variant-unused`` (a cast's variants are
  the spellings of its speaker labels, "Alle", "Mehrere Rufe links", which no text
  tags); names and ``@who`` as below.
- **letters**, for a document with a ``correspDesc``, an ``opener`` or a
  ``div[@type="letter"]`` (a ``closer`` alone is an essay's or a preface's
  signature too): correspondents as below.
- **prose**, for anything else (diaries, essays, editions of prose): every rule.

In every profile, what a document leaves out is reported only where the
document shows that it does it elsewhere (``omissions = "when-practised"``):
names of its *own* lists (a play's cast, a letter's ``standOff``) are searched
only if it tags some name pointing to them; untagged dates only if it tags a
date inside a sentence; dates without a value only if one of its dates has a
value. A play that tags no name in its text follows a convention; it does not
make 160,000 omissions. Names of the project's authority files are always
searched: keeping them is the project's convention.

- **drama**: a name inside an element whose ``@who`` names that person
  (``<stage who="#faust">Faust tritt auf</stage>``, a speaker naming
  themselves) is not an untagged mention; a one-word cast name that is a
  pronoun ("Er", "Sie") or that the play uses after an article or possessive
  ("der König", "meine Mutter") is a role, not a name, and is not reported.
- **letters**: the names of the sender and addressee recorded in
  ``correspDesc`` are not untagged mentions in ``opener``, ``closer``,
  ``salute``, ``signed``, ``address`` and ``dateline``.

A project forces a profile, and changes any profile's rules and its
``omissions`` mode, under ``[tool.serge-tei.lint]`` (see :mod:`serge_tei.config`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from lxml import etree

from ..config import LINT_PROFILES, LintConfig
from ..reading import TEI_NS
from .rules import RULES, selected

#: every profile, by name; the names are also keys of the configuration's lint table
PROSE, DRAMA, LETTERS = LINT_PROFILES
_ALL = frozenset(RULES)


@dataclass(frozen=True)
class Profile:
    """What linting means for one kind of text."""

    name: str
    #: the rules that run
    rules: frozenset[str]
    #: "when-practised": names of a document's own lists, untagged dates and dates
    #: without a value are reported only where the document tags (or gives) some;
    #: "always": everywhere
    omissions: str = "when-practised"
    #: a name of a person that the nearest @who points to is no untagged mention
    who_names: bool = False
    #: one-word cast names that are pronouns or used with an article are not searched
    role_words: bool = False
    #: correspondents' names in a letter's opener and closer are no untagged mention
    parties: bool = False


DEFAULTS = {
    PROSE: Profile(PROSE, _ALL),
    DRAMA: Profile(DRAMA, _ALL - {"lint.date-untagged", "lint.variant-unused"}, who_names=True,
                   role_words=True),
    LETTERS: Profile(LETTERS, _ALL, parties=True),
}

_NS = {"t": TEI_NS}
_IS_DRAMA = etree.XPath("boolean((//t:sp | //t:castList)[1])", namespaces=_NS)
#: a closer alone (an essay's or a preface's signature) does not make a letter
_IS_LETTER = etree.XPath(
    "boolean((//t:correspDesc | //t:opener | //t:div[@type = 'letter'])[1])", namespaces=_NS)
_HAS_PARTICIPANTS = etree.XPath("boolean(//t:particDesc[1])", namespaces=_NS)


def kind_of(root: etree._Element) -> str:
    """The profile a document calls for: drama, letters, else prose."""
    if _IS_DRAMA(root):
        return DRAMA
    if _IS_LETTER(root):
        return LETTERS
    return DRAMA if _HAS_PARTICIPANTS(root) else PROSE


def profile_for(root: etree._Element, config: LintConfig) -> Profile:
    """The profile of a document, with the project's settings applied."""
    name = config.profile or kind_of(root)
    own = config.profiles.get(name)
    base = DEFAULTS[name]
    select = own.select if own is not None and own.select is not None else config.select
    ignore = (*config.ignore, *(own.ignore if own is not None else ()))
    omissions = own.omissions if own is not None and own.omissions else base.omissions
    return replace(base, rules=selected(base.rules, select, ignore), omissions=omissions)
