"""The pre-commit hooks of .pre-commit-hooks.yaml, run by pre-commit on a throwaway repository.

pre-commit installs a ``language: python`` hook by pip-installing this repository into
a fresh virtualenv, which needs the package index (saxonche is not available offline).
The test therefore runs the very hook definitions of ``.pre-commit-hooks.yaml`` as
``repo: local`` hooks with ``language: system``, i.e. with the serge-tei installed here:
what is exercised is pre-commit's handling of the hooks (file selection, arguments,
verdict), not pip.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
import yaml

from serge_tei import __version__
from serge_tei.init import init_project

ROOT = Path(__file__).resolve().parent.parent
HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))

pytestmark = pytest.mark.skipif(
    shutil.which("pre-commit") is None or shutil.which("serge-tei") is None,
    reason="needs pre-commit (the test extra) and the serge-tei console script")

GIT_ENV = {"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.org",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def test_the_hooks_are_declared_for_xml_files() -> None:
    by_id = {h["id"]: h for h in HOOKS}
    assert set(by_id) == {"serge-tei-validate", "serge-tei-lint"}
    assert by_id["serge-tei-validate"]["entry"] == "serge-tei validate"
    assert by_id["serge-tei-lint"]["entry"] == "serge-tei lint"
    for hook in HOOKS:
        assert hook["language"] == "python" and hook["files"] == r"\.xml$"
        assert hook["require_serial"] is True
        assert re.search(hook["files"], "tei/letter.xml")
        assert not re.search(hook["files"], "schema/serge-tei.rng")


def run(cwd: Path, *args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    return subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, timeout=180,
                          env=env, check=False)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A new project whose pre-commit config runs this repository's hooks (as system hooks)."""
    root = tmp_path / "proj"
    init_project(root, title="Letter", editor="Ada Lovelace", today=date(2026, 1, 2))
    local = [{**hook, "language": "system"} for hook in HOOKS]
    (root / ".pre-commit-config.yaml").write_text(
        yaml.safe_dump({"repos": [{"repo": "local", "hooks": local}]}), encoding="utf-8")
    home = tmp_path / "pre-commit-home"
    for cmd in (["git", "init", "-q", "-b", "main"], ["git", "add", "tei", "schema",
                                                     "pyproject.toml", ".pre-commit-config.yaml"],
                ["git", "commit", "-q", "-m", "start"]):
        assert run(root, *cmd, home=home).returncode == 0
    return root


def test_hooks_pass_a_valid_project_and_refuse_an_invalid_commit(repo: Path,
                                                                 tmp_path: Path) -> None:
    home = tmp_path / "pre-commit-home"
    ok = run(repo, "pre-commit", "run", "--all-files", home=home)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert re.search(r"^validate TEI \(serge-tei\)\.+Passed$", ok.stdout, flags=re.M)
    assert re.search(r"^lint TEI \(serge-tei\)\.+Passed$", ok.stdout, flags=re.M)

    assert run(repo, "pre-commit", "install", home=home).returncode == 0
    doc = repo / "tei" / "letter.xml"
    doc.write_text(doc.read_text(encoding="utf-8").replace(
        '<date when="2026-01-02">2026-01-02</date>',
        '<date notBefore="2026-02-01" notAfter="2026-01-02">2026-01-02</date>'),
        encoding="utf-8")
    assert run(repo, "git", "add", "tei/letter.xml", home=home).returncode == 0
    commit = run(repo, "git", "commit", "-q", "-m", "backwards date", home=home)
    assert commit.returncode != 0
    said = commit.stdout + commit.stderr  # git runs the hook with its output on stderr
    assert re.search(r"^validate TEI \(serge-tei\)\.+Failed$", said, flags=re.M)
    assert re.search(r"^tei/letter\.xml:\d+:\d+: error: @notBefore=\"2026-02-01\" is later "
                     r"than @notAfter=\"2026-01-02\" on date; swap them \[serge\.date-order\]$",
                     said, flags=re.M), said
    log = run(repo, "git", "log", "--oneline", home=home).stdout
    assert log.count("\n") == 1  # the commit was refused


def test_the_documented_local_hooks_are_what_init_writes(tmp_path: Path) -> None:
    ci = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```yaml\n(# \.pre-commit-config\.yaml\n.*?)^```$", ci,
                        flags=re.M | re.S)
    documented = [yaml.safe_load(b) for b in blocks]
    local = [d for d in documented if d["repos"][0]["repo"] == "local"]
    init_project(tmp_path / "p", editor="Ada Lovelace")
    written = yaml.safe_load((tmp_path / "p" / ".pre-commit-config.yaml").read_text())
    assert local == [written]
    remote = [d for d in documented if d["repos"][0]["repo"] != "local"]
    assert [h["id"] for h in remote[0]["repos"][0]["hooks"]] == [h["id"] for h in HOOKS]


def test_the_documented_rev_is_the_tag_of_this_version() -> None:
    """A recipe pinning another project to serge-tei names the tag this version gets."""
    ci = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    assert re.findall(r"^\s+rev: (\S+)$", ci, flags=re.M) == [f"v{__version__}"]
