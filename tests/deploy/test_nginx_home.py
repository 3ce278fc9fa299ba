"""The example reverse proxy (deploy/nginx/screener-home.conf) run by Debian's nginx on the loopback, in front of
home_app.py and the app's own database.

- The page of a live invitation's link, its static files and Streamlit's websocket work through it, with TLS.
- The staff area, the tablet's page, /home/ without a token or with a malformed one, and any other path are
  refused (404) before reaching the app; a well-formed but unknown token reaches the app (which shows its
  plain page).
- The access log never holds the token.
"""

from __future__ import annotations

import base64
import os
import re
import socket
from datetime import date, datetime, timezone

import pytest
from home_proxy import Published, published_home

from screener.storage import Store

NAME, BIRTH = "Paloma Proxyton", date(1981, 5, 17)


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("home") / "data"
    Store(Store.default_url(data_dir)).dispose()
    with published_home(data_dir) as home:
        yield home


@pytest.fixture(scope="module")
def token(published) -> str:
    with Store(Store.default_url(published.app.data_dir)) as store:
        return store.invitations.make(NAME, BIRTH, by="ada", at=datetime.now(timezone.utc)).token


def websocket_status(published: Published, path: str) -> str:
    """The status line the proxy answers a websocket handshake for ``path`` with."""
    host, port = published.url.removeprefix("https://").split(":")
    key = base64.b64encode(os.urandom(16)).decode()
    with socket.create_connection((host, int(port)), timeout=10) as raw:
        with published.context().wrap_socket(raw, server_hostname=host) as tls:
            tls.sendall((f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                         f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                         f"Sec-WebSocket-Protocol: streamlit\r\nOrigin: {published.url}\r\n\r\n").encode())
            return tls.recv(4096).decode("latin-1").split("\r\n", 1)[0]


def test_a_live_links_page_its_scripts_and_the_websocket_work_through_the_proxy(published, token):
    status, page = published.get(f"/home/?t={token}")
    assert status == 200 and b"<html" in page.lower()
    scripts = re.findall(rb'src="\./(static/[^"]+\.js)"', page) or re.findall(rb'src="/home/(static/[^"]+)"', page)
    assert scripts, page[:500]
    assert published.get(f"/home/{scripts[0].decode()}")[0] == 200
    assert published.get("/home/_stcore/health") == (200, b"ok")
    assert websocket_status(published, "/home/_stcore/stream").startswith("HTTP/1.1 101")


@pytest.mark.parametrize("path", [
    "/", "/staff", "/staff/", "/home", "/home/", "/home/?t=", "/home/?t=short", "/home/staff",
    "/home/?t=" + "A" * 43 + "&x=1", "/_stcore/health", "/_stcore/stream", "/home/_stcore/upload_file",
    "/home/media/anything", "/static/js/index.js", "/home/../staff",
])
def test_the_staff_area_the_tablet_and_every_request_without_a_token_are_refused(published, path):
    assert published.get(path)[0] == 404


def test_a_websocket_anywhere_but_the_home_pages_is_refused(published):
    assert websocket_status(published, "/_stcore/stream").startswith("HTTP/1.1 404")


def test_a_well_formed_unknown_token_reaches_the_app_and_the_log_never_holds_a_token(published, token):
    unknown = "B" * 43
    assert published.get(f"/home/?t={unknown}")[0] == 200  # the app shows its plain page: tested in tests/app
    logged = published.access_log.read_text(encoding="utf-8")
    assert '"GET /home/" 200' in logged
    assert token not in logged and unknown not in logged and "?t=" not in logged
