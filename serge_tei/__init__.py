"""serge-tei: a TEI P5 encoding, validation and publishing toolkit.

The library API (documented in the README, "Using it from Python")::

    import serge_tei

    validator = serge_tei.Validator(schema="schema/serge-tei.rng")  # compiled once
    if not validator.validate("tei/serge-diary-1936-1937.xml"):     # a path or an lxml tree
        for finding in validator.error_log: ...
    validator.assert_valid(tree)                  # raises serge_tei.DocumentInvalid

    report = serge_tei.validate(["tei/"], config=serge_tei.load_config(Path(".")))

No library function looks for a configuration by itself: pass a
:class:`Config` (:func:`load_config`, :meth:`Config.from_file`). Names that
need lxml or Saxon are imported when first used, so that ``import serge_tei``
stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .errors import (
    DocumentInvalid,
    DocumentRejected,
    ExitCode,
    InputError,
    InvalidInput,
    SchemaError,
    SergeTeiError,
    ToolkitError,
    UsageError,
)
from .findings import FileResult, Finding, Report, Severity

__version__ = "0.2.0"

if TYPE_CHECKING:
    from .config import Config, find_config, load_config
    from .validation.run import validate
    from .validation.validator import Validator

#: public name -> module that defines it, imported on first use
_LAZY = {
    "Validator": ".validation.validator",
    "validate": ".validation.run",
    "Config": ".config",
    "find_config": ".config",
    "load_config": ".config",
}
# Not here: build, lint and transform, whose names are the modules serge_tei.build, ...
# (a function and a submodule of one name replace each other on import).


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'serge_tei' has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "Config", "DocumentInvalid", "DocumentRejected", "ExitCode", "FileResult", "Finding",
    "InputError", "InvalidInput", "Report", "SchemaError", "SergeTeiError", "Severity",
    "ToolkitError", "UsageError", "Validator", "__version__", "find_config", "load_config",
    "validate",
]
