"""Shared test fixtures and options."""

from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", default=False,
        help="rewrite golden files from the current outputs (review the diff!)",
    )


@pytest.fixture(scope="session")
def user_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's stand-in for ~/.cache: the cached tei_all is compiled once, not per test."""
    return tmp_path_factory.mktemp("user-cache")


@pytest.fixture(autouse=True)
def _own_user_cache(user_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing a test does is written to the real ~/.cache; processes it starts inherit this."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(user_cache))


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def data_dir() -> Path:
    return TESTS / "data"


def copy_fixture(source: Path, target: Path, project: Path) -> Path:
    """Copy a fixture of tests/data/validate to *target*, inside the folder *project*.

    The fixtures name the edition's schema with ``<?xml-model?>`` relative to
    this repository; the copy names a copy of it in ``project/schema/``, so
    that it is checked against the same rules wherever it is.
    """
    schema = project / "schema"
    schema.mkdir(parents=True, exist_ok=True)
    for name in ("serge-tei.rng", "serge-tei.sch"):
        if not (schema / name).exists():
            (schema / name).write_bytes((ROOT / "schema" / name).read_bytes())
    target.parent.mkdir(parents=True, exist_ok=True)
    up = "../" * len(target.parent.resolve().relative_to(project.resolve()).parts)
    text = source.read_text(encoding="utf-8").replace('href="../../../schema/',
                                                      f'href="{up}schema/')
    target.write_text(text, encoding="utf-8")
    return target


def bare_fixture(source: Path) -> str:
    """The text of a fixture of tests/data/validate without its ``<?xml-model?>`` lines'
    schema association (same lines): for a test that states the rules itself."""
    import re

    return re.sub(r'<\?xml-model href="\.\./\.\./\.\./schema/[^?]*\?>', "",
                  source.read_text(encoding="utf-8"))
