"""Downloading one file over HTTPS for ``fetch-tei-all``: redirects kept on the vault's
site, a size cap, a deadline, and sockets let go of when a server falls silent.

Kept apart from :mod:`.teiall` so that validating (which never downloads) does not import
``http.client``, ``ssl`` and ``urllib.request``: about 15 ms of every start.
"""

from __future__ import annotations

import http.client
import ipaddress
import ssl
import time
import urllib.error
import urllib.request
from typing import IO, Any
from urllib.parse import urlsplit

from ..errors import FetchError

MAX_REDIRECTS = 5


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _allowed(url: str, base: str) -> bool:
    """HTTPS (or a loopback test server's HTTP) on the base's host or a host of its domain."""
    parts, home = urlsplit(url), urlsplit(base)
    host, home_host = parts.hostname or "", home.hostname or ""
    if parts.scheme != "https" and not (parts.scheme == "http" and _loopback(host)
                                        and home.scheme == "http"):
        return False
    if host == home_host:
        return True
    try:
        ipaddress.ip_address(home_host)
        return False  # an address has no domain to share
    except ValueError:
        domain = ".".join(home_host.split(".")[-2:])
        return host == domain or host.endswith("." + domain)


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only within the vault's site, over HTTPS, a few times."""

    max_redirections = MAX_REDIRECTS

    def __init__(self, base: str) -> None:
        self.base = base

    def redirect_request(self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str,
                         headers: Any, newurl: str) -> urllib.request.Request | None:
        if not _allowed(newurl, self.base):
            fp.close()
            raise FetchError(f"{req.full_url} redirects to {newurl}, off the TEI Consortium's "
                             "site or off HTTPS; not followed")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class _Response(http.client.HTTPResponse):
    """A response that lets go of its socket when no answer comes (a silent server)."""

    def begin(self) -> None:
        try:
            super().begin()
        except BaseException:
            self.close()
            raise


class _ClosingHTTP(http.client.HTTPConnection):
    """A connection that closes its socket when the answer fails (a silent server)."""

    response_class = _Response

    def getresponse(self) -> http.client.HTTPResponse:
        try:
            return super().getresponse()
        except BaseException:
            self.close()
            raise


class _ClosingHTTPS(_ClosingHTTP, http.client.HTTPSConnection):
    """The same over TLS."""


class _HTTP(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_ClosingHTTP, req)


class _HTTPS(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_ClosingHTTPS, req, context=ssl.create_default_context())


def download(url: str, timeout: float, max_bytes: int) -> bytes:
    """The bytes at *url* (HTTPS, or HTTP on the loopback for the tests), at most
    *max_bytes* of them within *timeout* seconds. Raises :class:`FetchError`."""
    if not _allowed(url, url):
        raise FetchError(f"{url}: releases are fetched over HTTPS only")
    opener = urllib.request.build_opener(_HTTP(), _HTTPS(), _Redirects(url))
    opener.addheaders = [("User-Agent", "serge-tei (fetch-tei-all)")]
    deadline = time.monotonic() + timeout
    try:
        with opener.open(url, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            if length is not None and length.isdigit() and int(length) > max_bytes:
                raise FetchError(f"{url}: the server announces {int(length):,} bytes, over the "
                                 f"limit of {max_bytes:,} bytes for a tei_all.rng; nothing was "
                                 "read")
            return _read_capped(response, url, deadline, max_bytes, timeout)
    except urllib.error.HTTPError as exc:
        exc.close()
        raise FetchError(f"{url}: the server answered {exc.code} {exc.reason}; is "
                         "the release number right?") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise FetchError(f"{url}: could not fetch it ({reason}); check the network, or "
                         "download the file yourself and pass --tei-all-schema FILE") from None


def _read_capped(response: IO[bytes], url: str, deadline: float, max_bytes: int,
                 timeout: float) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() > deadline:
            raise FetchError(f"{url}: the download took longer than {timeout:g} s; abandoned")
        chunk = response.read(65536)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"{url}: the response is over the limit of {max_bytes:,} bytes "
                             "for a tei_all.rng; abandoned, nothing was stored")
        chunks.append(chunk)
