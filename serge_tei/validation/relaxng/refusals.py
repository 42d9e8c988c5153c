"""The two ways the engine turns a schema down while reading it.

Both are internal: the loader adds the schema's file and line and raises the
toolkit's own :class:`~serge_tei.errors.SchemaError` (or its subclass
``UnsupportedSchema``), so that the caller sees one exception family.
"""

from __future__ import annotations


class Refusal(Exception):
    """A refusal, with the line of the schema element it is about when that is known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


class Unsupported(Refusal):
    """A construct this engine does not implement: the caller should use jing."""


class InvalidSchema(Refusal):
    """The schema breaks a rule of RELAX NG or of its datatype library (jing refuses it too)."""
