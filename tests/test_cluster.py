"""validate, lint and build on a Dask cluster: the same findings and exit codes."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from serge_tei.cli import main
from serge_tei.config import load_config
from serge_tei.errors import UsageError
from serge_tei.lint import lint
from serge_tei.validation.run import validate

distributed = pytest.importorskip("distributed", reason="needs the dask extra "
                                  "(pip install 'serge-tei[dask]'; the test command installs it)")

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """A cluster in this process (threads): quick to start, and the same code paths."""
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                       dashboard_address=None)
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


def _dicts(report):  # type: ignore[no-untyped-def]
    return [[f.as_dict() for f in r.findings] for r in report.files]


def test_validate_on_the_cluster_finds_what_local_processes_find(scheduler: str,
                                                                 tmp_path: Path) -> None:
    files = sorted((DATA / "validate").glob("*.xml"))
    local = validate(files, jobs=2, cache=False)
    remote = validate(files, cache=False, scheduler=scheduler)
    assert _dicts(remote) == _dicts(local)
    assert remote.exit_code == local.exit_code == 1


def test_an_edition_on_the_cluster_gets_its_cross_file_checks(scheduler: str,
                                                              tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "tei", project / "tei")
    shutil.copytree(ROOT / "schema", project / "schema")
    (project / "pyproject.toml").write_text('[tool.serge-tei]\nedition = "tei"\n')
    diary = project / "tei" / "serge-diary-1936-1937.xml"
    text = diary.read_text(encoding="utf-8")
    diary.write_text(text.replace('ref="persons.xml#gide"', 'ref="persons.xml#nobody"', 1),
                     encoding="utf-8")
    config = load_config(project)
    local = validate([project / "tei"], config=config, cache=False)
    remote = validate([project / "tei"], config=config, cache=False, scheduler=scheduler)
    assert _dicts(remote) == _dicts(local)
    assert "serge.ref-resolves" in {f.rule for f in remote.findings}


def test_lint_on_the_cluster_finds_what_local_processes_find(scheduler: str) -> None:
    files = sorted((DATA / "lint").rglob("*.xml"))
    local = lint(files, jobs=2)
    remote = lint(files, scheduler=scheduler)
    assert _dicts(remote) == _dicts(local) and remote.findings
    assert remote.exit_code_for(True) == local.exit_code_for(True)


def test_the_cli_takes_the_scheduler_from_the_option_or_the_environment(
        scheduler: str, monkeypatch: pytest.MonkeyPatch) -> None:
    files = [str(p) for p in sorted((DATA / "validate").glob("*.xml"))]
    runner = CliRunner()
    local = runner.invoke(main, ["validate", "--no-cache", *files])
    option = runner.invoke(main, ["validate", "--no-cache", "--scheduler", scheduler, *files])
    monkeypatch.setenv("SERGE_TEI_SCHEDULER", scheduler)
    env = runner.invoke(main, ["validate", "--no-cache", *files])
    lines = [r.output.splitlines()[:-1] for r in (local, option, env)]  # not the timing
    assert lines[0] == lines[1] == lines[2]
    assert local.exit_code == option.exit_code == env.exit_code == 1


def test_an_unreachable_scheduler_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from serge_tei import cluster

    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 1)
    result = CliRunner().invoke(main, ["validate", "--no-cache", "--scheduler",
                                       "tcp://127.0.0.1:9", str(DATA / "validate")])
    assert result.exit_code == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.stderr


def test_without_the_extra_a_scheduler_is_a_usage_error(monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    from serge_tei import cluster

    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(UsageError, match=r"pip install 'serge-tei\[dask\]'"):
        cluster.check_installed()
