"""Live preview: serve output/site on 127.0.0.1 and rebuild when sources change.

Content errors are printed and the server keeps running with the last good
site (the build never replaces it with a broken one).
"""

from __future__ import annotations

import functools
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from watchfiles import watch

from .errors import LeafletError
from .pipeline import BuildSettings, build_site
from .site import STYLES_DIR, TEMPLATES_DIR


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the standard library's name
        pass


def rebuild(settings: BuildSettings) -> bool:
    """Build once; report problems instead of raising. True when the site was rebuilt."""
    try:
        report = build_site(settings)
    except LeafletError as error:
        for line in error.lines():
            print(line, file=sys.stderr)
        print("build failed; still serving the previous site", file=sys.stderr)
        return False
    for warning in report.warnings:
        print(warning, file=sys.stderr)
    print(f"rebuilt {len(report.pages)} page(s)", file=sys.stderr)
    return True


def serve(settings: BuildSettings, port: int, stop: threading.Event | None = None) -> None:
    """Serve until interrupted (or until ``stop`` is set)."""
    rebuild(settings)
    site = settings.output_dir / "site"
    site.mkdir(parents=True, exist_ok=True)
    # A path, not an open folder: each request sees the site the latest build swapped in.
    handler = functools.partial(_QuietHandler, directory=str(site.resolve()))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"serving {site} at http://127.0.0.1:{server.server_port}/ (Ctrl+C to stop)", file=sys.stderr)
    try:
        watched = [Path(settings.content_dir), TEMPLATES_DIR, STYLES_DIR]
        for _changes in watch(*watched, stop_event=stop, debounce=300):
            rebuild(settings)
    finally:
        server.shutdown()
