"""The home pages as a clinic publishes them: ``home_app.py`` under ``/home/`` on the loopback, behind Debian's
nginx running ``deploy/nginx/screener-home.conf`` with TLS (a certificate made for 127.0.0.1 here).

Only what must differ on a test machine is changed in the example: the listen address, the certificate, the
log path and the app's port; each change must find its line exactly once, so the example cannot drift away
from what is tested.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import ssl
import subprocess
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Mapping

import pytest
from real_browser import PROJECT, RunningApp, free_port, running_app, stop, wait_until_answering

NGINX = "/usr/sbin/nginx"
EXAMPLE = PROJECT / "deploy" / "nginx" / "screener-home.conf"
APP_PORT_IN_EXAMPLE = "http://127.0.0.1:8502"


@dataclass(frozen=True)
class Published:
    url: str  # https://127.0.0.1:<port>, as SCREENER_PUBLIC_URL
    app: RunningApp
    access_log: Path
    certificate: Path

    def context(self) -> ssl.SSLContext:
        """A TLS client context that trusts this proxy's certificate (and nothing else)."""
        return ssl.create_default_context(cafile=str(self.certificate))

    def get(self, path: str) -> tuple[int, bytes]:
        """The status and body of ``GET path`` through the proxy."""
        try:
            with urllib.request.urlopen(self.url + path, timeout=10, context=self.context()) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as refused:
            return refused.code, refused.read()


def _certificate(folder: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(hours=1))
                   .not_valid_after(now + datetime.timedelta(days=1))
                   .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                                  critical=False)
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                   .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "proxy.crt", folder / "proxy.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def _replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{EXAMPLE.name} no longer has exactly one {old!r}"
    return text.replace(old, new)


def _configuration(folder: Path, listen_port: int, app_port: int, access_log: Path) -> Path:
    cert_path, key_path = _certificate(folder)
    site = EXAMPLE.read_text(encoding="utf-8")
    site = _replace_once(site, "listen 443 ssl;", f"listen 127.0.0.1:{listen_port} ssl;")
    site = _replace_once(site, "/etc/letsencrypt/live/forms.clinic.example/fullchain.pem", str(cert_path))
    site = _replace_once(site, "/etc/letsencrypt/live/forms.clinic.example/privkey.pem", str(key_path))
    site = _replace_once(site, "/var/log/nginx/screener-home.log", str(access_log))
    assert site.count(APP_PORT_IN_EXAMPLE) >= 1
    site = site.replace(APP_PORT_IN_EXAMPLE, f"http://127.0.0.1:{app_port}")
    temp = {name: folder / name for name in ("client", "proxy", "fastcgi", "uwsgi", "scgi")}
    for path in temp.values():
        path.mkdir()
    main = folder / "nginx.conf"
    main.write_text(f"""daemon off;
pid {folder / 'nginx.pid'};
error_log {folder / 'error.log'} info;
events {{ worker_connections 64; }}
http {{
    client_body_temp_path {temp['client']};
    proxy_temp_path {temp['proxy']};
    fastcgi_temp_path {temp['fastcgi']};
    uwsgi_temp_path {temp['uwsgi']};
    scgi_temp_path {temp['scgi']};
    include /etc/nginx/mime.types;
{site}
}}
""", encoding="utf-8")
    return main


@contextmanager
def published_home(data_dir: Path, env: Mapping[str, str] = ()) -> Iterator[Published]:
    """home_app.py on the loopback, behind nginx with the example configuration; both stopped on exit."""
    if not os.path.exists(NGINX):
        if os.environ.get("CI"):
            pytest.fail(f"{NGINX} is not installed: scripts/test.sh installs Debian's nginx")
        pytest.skip(f"{NGINX} is not installed (apt-get install nginx)")
    folder = data_dir.parent / "proxy"
    folder.mkdir(parents=True)
    port = free_port()
    url = f"https://127.0.0.1:{port}"
    with running_app(data_dir, {"SCREENER_PUBLIC_URL": url, **dict(env)}, script="home_app.py",
                     base_path="home") as app:
        access_log = folder / "access.log"
        app_port = int(app.url.rsplit(":", 1)[1].split("/")[0])
        main = _configuration(folder, port, app_port, access_log)
        with (folder / "nginx.out").open("wb") as output:
            process = subprocess.Popen([NGINX, "-c", str(main), "-p", str(folder)], stdout=output,
                                       stderr=subprocess.STDOUT)
        try:
            published = Published(url, app, access_log, folder / "proxy.crt")
            _wait(published, process)
            yield published
        finally:
            stop(process)


def _wait(published: Published, process: subprocess.Popen) -> None:
    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=published.context()))
    urllib.request.install_opener(opener)
    try:
        wait_until_answering(f"{published.url}/home/_stcore/health", 20, process)
    finally:
        urllib.request.install_opener(None)
