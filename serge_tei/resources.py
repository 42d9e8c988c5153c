"""Where the shipped schema and stylesheets are, found through the package, never the cwd."""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path


@functools.cache  # where the package is does not change while it runs (asked per document)
def _data_dir(name: str) -> Path:
    # Installed wheel: force-included under serge_tei/data/<name>.
    packaged = resources.files("serge_tei") / "data" / name
    if packaged.is_dir():
        return Path(str(packaged))
    # Source checkout or editable install: the top-level folder beside the package.
    checkout = Path(__file__).resolve().parent.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"serge-tei installation is missing its {name}/ data folder")


def schema_dir() -> Path:
    return _data_dir("schema")


def xslt_dir() -> Path:
    return _data_dir("xslt")


def stylesheet(name: str) -> Path:
    return xslt_dir() / name
