"""Live preview: serve output/site on 127.0.0.1, rebuild when sources change, reload open pages.

The port is bound before the first build, so a port in use fails at once.
Content errors are printed and the server keeps running with the last good
site (the build never replaces it with a broken one); open pages reload only
after a successful rebuild.
"""

from __future__ import annotations

import errno
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from watchfiles import watch

from ..errors import LeafletError, Problem
from ..paths import STYLES_DIR, TEMPLATES_DIR
from ..settings import BuildSettings
from .preview_server import LiveReload, make_server

PORT_ERRORS = {
    errno.EADDRINUSE: "port {port} is already in use (is another preview or server running?); "
    "stop it or choose another port with --port",
    errno.EACCES: "not allowed to use port {port} (ports below 1024 need administrator rights); "
    "choose another port with --port, such as 8000",
}


def rebuild(settings: BuildSettings, build: Callable) -> bool:
    """Build once with ``build`` (the pipeline's site build); report problems instead of raising.

    True when the site was rebuilt.
    """
    try:
        report = build(settings)
    except LeafletError as error:
        for line in error.lines():
            print(line, file=sys.stderr)
        print("build failed; still serving the previous site", file=sys.stderr)
        return False
    for warning in report.warnings:
        print(warning, file=sys.stderr)
    print(f"rebuilt {len(report.pages)} page(s)", file=sys.stderr)
    return True


def serve(settings: BuildSettings, port: int, stop: threading.Event | None = None, *, build: Callable) -> None:
    """Serve until interrupted (or until ``stop`` is set), rebuilding with ``build`` on every change."""
    site = settings.output_dir / "site"
    live = LiveReload()
    try:
        server = make_server(site, port, live)
    except OSError as error:
        reason = PORT_ERRORS.get(error.errno, f"cannot listen on port {port}: {error.strerror or error}")
        raise LeafletError([Problem(f"127.0.0.1:{port}", reason.format(port=port))]) from None
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        rebuild(settings, build)
        print(f"serving {site} at http://127.0.0.1:{server.server_port}/ (Ctrl+C to stop)", file=sys.stderr)
        watched = [Path(settings.content_dir), TEMPLATES_DIR, STYLES_DIR]
        for _changes in watch(*watched, stop_event=stop, debounce=300):
            if rebuild(settings, build):
                live.site_rebuilt()
    finally:
        live.stop()
        server.shutdown()
        server.server_close()
