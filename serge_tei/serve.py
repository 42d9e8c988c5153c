"""``serge-tei serve``: serve a built site on this machine only, for its search.

Browsers do not let a page opened from disk (``file://``) load the search index,
so the site is served over http on 127.0.0.1 (never on another interface), on a
free port unless one is asked for. Only files inside the site are served; there
are no folder listings and nothing is logged by the library.
"""

from __future__ import annotations

import functools
import http.server
from pathlib import Path

from .build import MARKER
from .errors import InputError, UsageError

HOST = "127.0.0.1"


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Files of the site only: no listings, no log lines, the types Pagefind needs."""

    # a class-wide table, as in the base class (which types it as an instance attribute)
    extensions_map = {  # noqa: RUF012
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript", ".wasm": "application/wasm", ".json": "application/json",
        ".csv": "text/csv; charset=utf-8", ".txt": "text/plain; charset=utf-8",
        ".xml": "application/xml",
    }

    def list_directory(self, path: str) -> None:  # type: ignore[override]
        self.send_error(404, "No folder listings")
        return None

    def log_message(self, format: str, *args: object) -> None:
        return  # the library never prints; the command says where the site is


class SiteServer(http.server.ThreadingHTTPServer):
    """A running server for one site; :attr:`url` is where to open it."""

    daemon_threads = True

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        name = host.decode() if isinstance(host, bytes) else host
        return f"http://{name}:{port}/"


def make_server(site: Path, port: int = 0) -> SiteServer:
    """A server for the built *site* on 127.0.0.1:*port* (0: a free port); not yet serving.

    Raises :class:`InputError` when *site* is not a site that ``build`` wrote,
    :class:`UsageError` when the port cannot be had.
    """
    site = Path(site)
    if not (site / "index.html").is_file() or not (site / MARKER).is_file():
        raise InputError("not a site written by serge-tei build (no index.html and "
                         f"{MARKER}); build it first, or name the site's folder", path=str(site))
    if not 0 <= port <= 65535:
        raise UsageError(f"port {port} is not between 0 and 65535")
    handler = functools.partial(_Handler, directory=str(site.resolve()))
    try:
        return SiteServer((HOST, port), handler)
    except OSError as exc:
        raise UsageError(f"cannot serve on {HOST}:{port}: {exc.strerror or exc}; "
                         "choose another --port, or 0 for a free one") from None


def serve(site: Path, port: int = 0, *, ready: object = None) -> None:
    """Serve *site* until interrupted (Ctrl-C): the server is closed cleanly then.

    *ready*, when callable, is called with the server's URL once it listens.
    """
    server = make_server(site, port)
    try:
        if callable(ready):
            ready(server.url)
        server.serve_forever()
    finally:
        server.server_close()
