"""The package as released: one version, tested floors, typing marker, licence."""

from __future__ import annotations

import tomllib
from importlib import metadata, resources
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

import serge_tei

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_version_is_written_once() -> None:
    assert "version" not in PYPROJECT["project"]
    assert PYPROJECT["project"]["dynamic"] == ["version"]
    assert metadata.version("serge-tei") == serge_tei.__version__


def test_installed_dependencies_meet_the_declared_floors() -> None:
    """What the suite runs on satisfies the floors (.ci/run also runs it at the floors)."""
    for line in PYPROJECT["project"]["dependencies"]:
        requirement = Requirement(line)
        installed = Version(metadata.version(requirement.name))
        assert requirement.specifier.contains(installed), (requirement, installed)


def test_the_saxonche_floor_is_the_first_release_with_a_working_doctype_guard() -> None:
    (saxon,) = [Requirement(r) for r in PYPROJECT["project"]["dependencies"]
                if r.startswith("saxonche")]
    assert str(saxon.specifier) == ">=13.0.0"


def test_the_extras_are_split_by_purpose() -> None:
    extras = PYPROJECT["project"]["optional-dependencies"]
    assert set(extras) == {"search", "jing", "browser", "fuzz", "dev", "dask", "test"}
    assert "serge-tei[search,jing,browser,fuzz,dev,dask]" in extras["test"]


def test_the_package_is_typed_and_licensed() -> None:
    assert (resources.files("serge_tei") / "py.typed").is_file()
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License") and "serge-tei contributors" in licence
    assert metadata.metadata("serge-tei")["License-Expression"] == "MIT"
