"""serge-tei: a TEI P5 encoding, validation and publishing toolkit."""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import ExitCode, SergeTeiError
from .findings import FileResult, Finding, Severity


def validate(*args, **kwargs):  # type: ignore[no-untyped-def]
    """Validate files; see :func:`serge_tei.validation.run.validate`."""
    from .validation.run import validate as _validate

    return _validate(*args, **kwargs)


__all__ = ["ExitCode", "FileResult", "Finding", "SergeTeiError", "Severity", "__version__",
           "validate"]
