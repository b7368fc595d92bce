"""Live preview: serves the site on 127.0.0.1, rebuilds on change, survives content errors."""

from __future__ import annotations

import socket
import threading
import time
import urllib.request

from leaflets.pipeline import BuildSettings, build_site
from leaflets.publish.preview import serve


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(predicate, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError("timed out")


def page(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own server on 127.0.0.1
            return response.read().decode("utf-8")
    except OSError:
        return ""


def test_preview_serves_rebuilds_and_reports_errors_without_stopping(minimal_content, tmp_path, capsys):
    port, stop = free_port(), threading.Event()
    settings = BuildSettings(minimal_content, tmp_path / "out")
    thread = threading.Thread(target=serve, args=(settings, port, stop), kwargs={"build": build_site}, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}/sample/en/index.html"
    try:
        assert "This is a sample leaflet." in wait_for(lambda: page(url))
        text = minimal_content / "leaflets" / "sample" / "en.md"
        text.write_text(text.read_text().replace("This is a sample leaflet.", "Edited while previewing."))
        wait_for(lambda: "Edited while previewing." in page(url))
        text.write_text("## Broken heading without an id\n")
        wait_for(lambda: "build failed; still serving the previous site" in capsys.readouterr().err)
        assert "Edited while previewing." in page(url)
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()
