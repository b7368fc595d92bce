"""Live preview: serves the site on 127.0.0.1, rebuilds on change, survives content errors."""

from __future__ import annotations

import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

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


def raw_get(port: int, path: str, host: str | None = None) -> tuple[int, str]:
    """One request with http.client, so the Host header and the path are exactly what a test says."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest("GET", path, skip_host=True)
        connection.putheader("Host", f"127.0.0.1:{port}" if host is None else host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


@contextmanager
def served(site: Path) -> Iterator[int]:
    """A preview server for ``site`` on a free port, in a thread, stopped afterwards; yields the port."""
    from leaflets.publish.preview_server import LiveReload, make_server

    live = LiveReload()
    server = make_server(site, free_port(), live)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1]
    finally:
        live.stop()
        server.shutdown()
        server.server_close()


def test_a_page_asked_for_before_the_first_build_reloads_when_it_is_done(tmp_path):
    site = tmp_path / "site"
    with served(site) as port:
        status, body = raw_get(port, "/naltrexone/en/index.html")
        assert status == 503 and "Building the site" in body and "/__live-reload?since=0" in body


def test_a_path_too_long_for_a_file_gets_a_status_not_a_traceback(tmp_path, capsys):
    site = tmp_path / "site"
    site.mkdir()
    (site / "404.html").write_text("<html><body>Not found</body></html>")
    with served(site) as port:
        assert raw_get(port, "/" + "a" * 300)[0] == 404  # a file name longer than the file system allows
        assert raw_get(port, "/" + "a/" * 600)[0] == 414
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1.evil.example:80", "", "192.168.1.5"])
def test_only_the_bound_host_names_are_answered(tmp_path, host):
    """A page elsewhere that points its own name at 127.0.0.1 (DNS rebinding) cannot read the preview."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<html><body>Home</body></html>")
    with served(site) as port:
        assert raw_get(port, "/index.html", host=host)[0] == 421
        for allowed in (f"127.0.0.1:{port}", f"localhost:{port}", "localhost", f"[::1]:{port}"):
            assert raw_get(port, "/index.html", host=allowed) == (200, raw_get(port, "/index.html")[1])


def test_reload_streams_are_capped(tmp_path, monkeypatch):
    from leaflets.publish import preview_server

    monkeypatch.setattr(preview_server, "MAX_STREAMS", 2)
    site = tmp_path / "site"
    site.mkdir()
    streams = []
    with served(site) as port:
        import http.client

        try:
            for _ in range(2):  # two pages hold their reload streams open
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                connection.request("GET", "/__live-reload?since=0")
                assert connection.getresponse().status == 200
                streams.append(connection)
            assert raw_get(port, "/__live-reload?since=0")[0] == 503
        finally:
            for connection in streams:
                connection.close()


def test_served_personalise_page_relaxes_its_policy_only_for_the_reload_stream(built_site, browser):
    """The personalise page forbids inline scripts and connections; served by the preview, its policy lets the
    reload script reach the preview (and nothing else), while the built file keeps the strict policy."""
    problems: list[str] = []
    with served(built_site) as port:
        _, html = raw_get(port, "/naltrexone/en/personalise.html")
        tab = browser.new_page()
        tab.on("console", lambda message: message.type == "error" and problems.append(message.text))
        with tab.expect_request(lambda request: "/__live-reload" in request.url):
            tab.goto(f"http://127.0.0.1:{port}/naltrexone/en/personalise.html")
        tab.close()
    assert "script-src 'self' 'unsafe-inline'; connect-src 'self'; form-action 'none'" in html
    assert problems == []
    built = (built_site / "naltrexone" / "en" / "personalise.html").read_text(encoding="utf-8")
    assert "connect-src &#39;none&#39;" in built and "__live-reload" not in built
