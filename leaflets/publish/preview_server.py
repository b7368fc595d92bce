"""The preview's web server: the site as a static host serves it, plus live reload.

- A missing page, a folder without ``index.html`` or a malformed path gets the
  site's own 404 page (status 404); folders are never listed.
- HTML responses carry a small script that listens on ``/__live-reload``
  (server-sent events) and reloads the page after each successful rebuild.
  It is added to the response only; the built files never contain it.
- Only requests for the bound host names are answered (``127.0.0.1``,
  ``localhost``, ``[::1]``): another Host header is a web page elsewhere
  trying to reach the preview through DNS rebinding, and gets 421.
- A path too long for any file gets 414; before the first build has
  finished, a page is a small "building" page that reloads when it is done.
- Reload streams are capped in number and close after an idle hour.
"""

from __future__ import annotations

import functools
import re
import threading
import time
import urllib.parse
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

LIVE_RELOAD_PATH = "/__live-reload"
CSP_META_RE = re.compile(rb'<meta http-equiv="Content-Security-Policy" content="[^"]*">')
PREVIEW_CSP_META = (b'<meta http-equiv="Content-Security-Policy" content="default-src \'self\'; '
                    b"script-src 'self' 'unsafe-inline'; connect-src 'self'; form-action 'none'\">")  # fmt: skip
KEEPALIVE_SECONDS = 10
STREAM_SECONDS = 3600  # a reload stream left open this long is closed; the page reconnects if still open
MAX_STREAMS = 32  # open reload streams at once: one thread each
MAX_PATH = 1024  # characters in a request's path
ALLOWED_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]"})
BUILDING_PAGE = (
    b'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Building the site</title></head>'
    b"<body><p>Building the site. This page reloads when the build is done.</p></body></html>"
)
RELOAD_SCRIPT = (
    '<script>new EventSource("{path}?since={generation}").onmessage = function () {{ location.reload(); }};</script>'
)


class LiveReload:
    """Counts successful builds; open pages wait for the count to change."""

    def __init__(self):
        self.generation = 0
        self.stopping = False
        self._changed = threading.Condition()
        self.streams = threading.BoundedSemaphore(MAX_STREAMS)

    def site_rebuilt(self) -> None:
        with self._changed:
            self.generation += 1
            self._changed.notify_all()

    def stop(self) -> None:
        with self._changed:
            self.stopping = True
            self._changed.notify_all()

    def wait(self, since: int, timeout: float) -> bool:
        """True when the site changed after build ``since``; False on timeout or when stopping."""
        with self._changed:
            self._changed.wait_for(lambda: self.generation != since or self.stopping, timeout)
            return self.generation != since and not self.stopping


class PreviewHandler(SimpleHTTPRequestHandler):
    live: LiveReload  # set on a subclass by make_server

    def log_message(self, format, *args):  # noqa: A002 - the standard library's name
        pass

    def do_GET(self):  # noqa: N802 - the standard library's name
        if not self.request_allowed():
            return
        if urllib.parse.urlsplit(self.path).path == LIVE_RELOAD_PATH:
            self.send_events()
            return
        self.send_file(head_only=False)

    def do_HEAD(self):  # noqa: N802 - the standard library's name
        if self.request_allowed():
            self.send_file(head_only=True)

    def request_allowed(self) -> bool:
        """Only the bound host names, and paths short enough to name a file; else an error status."""
        host = (self.headers.get("Host") or "").strip().lower()
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        if name not in ALLOWED_HOSTS:
            self.send_error(HTTPStatus.MISDIRECTED_REQUEST, "the preview answers 127.0.0.1 and localhost only")
            return False
        if len(self.path) > MAX_PATH:
            self.send_error(HTTPStatus.REQUEST_URI_TOO_LONG)
            return False
        return True

    def send_file(self, head_only: bool) -> None:
        path = self.site_file()
        status = HTTPStatus.OK
        if path is None:
            status, path = HTTPStatus.NOT_FOUND, Path(self.directory) / "404.html"
            if not path.is_file():  # no site yet: the first build is still running
                self.send_building_page(head_only)
                return
        body = path.read_bytes()
        content_type = self.guess_type(str(path))
        if path.suffix == ".html":
            body = with_reload_script(body, self.live.generation)
            content_type = "text/html; charset=utf-8"
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head_only:
            self.wfile.write(body)

    def send_building_page(self, head_only: bool) -> None:
        body = with_reload_script(BUILDING_PAGE, self.live.generation)
        self.send_response(HTTPStatus.SERVICE_UNAVAILABLE)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Retry-After", "2")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head_only:
            self.wfile.write(body)

    def site_file(self) -> Path | None:
        """The file a request names inside the site, or None: missing, a bare folder or a malformed path."""
        try:
            return self._site_file()
        except OSError:  # a name too long for the file system, say
            return None

    def _site_file(self) -> Path | None:
        raw = urllib.parse.urlsplit(self.path).path
        try:
            decoded = urllib.parse.unquote(raw, errors="strict")
        except UnicodeDecodeError:
            return None
        if any(ord(ch) < 32 or ch == "\\" for ch in decoded):
            return None
        path = Path(self.translate_path(raw))
        if path.is_dir():
            path = path / "index.html"
        site = Path(self.directory).resolve()
        try:
            resolved = path.resolve(strict=True)
        except (OSError, RuntimeError):
            return None
        return resolved if resolved.is_file() and resolved.is_relative_to(site) else None

    def send_events(self) -> None:
        """Server-sent events: "reload" once the site has changed since the page's build (at most MAX_STREAMS
        at once, each for at most STREAM_SECONDS)."""
        if not self.live.streams.acquire(blocking=False):
            self.send_error(HTTPStatus.SERVICE_UNAVAILABLE, "too many open pages")
            return
        try:
            self._stream_events()
        finally:
            self.live.streams.release()

    def _stream_events(self) -> None:
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        try:
            since = int(query.get("since", ["0"])[0])
        except ValueError:
            since = 0
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        deadline = time.monotonic() + STREAM_SECONDS
        try:
            while not self.live.stopping and time.monotonic() < deadline:
                if self.live.wait(since, KEEPALIVE_SECONDS):
                    self.wfile.write(b"data: reload\n\n")
                    self.wfile.flush()
                    return
                self.wfile.write(b": still here\n\n")  # finds closed connections
                self.wfile.flush()
        except OSError:  # the page went away
            return


def with_reload_script(body: bytes, generation: int) -> bytes:
    """The page with the reload script; a page's own Content-Security-Policy (the personalise page's forbids
    inline scripts and connections) lets this one script reach the preview, in served pages only."""
    script = RELOAD_SCRIPT.format(path=LIVE_RELOAD_PATH, generation=generation).encode()
    body = CSP_META_RE.sub(PREVIEW_CSP_META, body, count=1)
    index = body.rfind(b"</body>")
    return body[:index] + script + body[index:] if index >= 0 else body + script


def make_server(site: Path, port: int, live: LiveReload) -> ThreadingHTTPServer:
    """Bind 127.0.0.1:port now, so a port in use fails before any build. The site is served by
    path, not as an open folder: each request sees the site the latest build swapped in."""
    handler = type("Handler", (PreviewHandler,), {"live": live})
    return ThreadingHTTPServer(("127.0.0.1", port), functools.partial(handler, directory=str(site.absolute())))
