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
