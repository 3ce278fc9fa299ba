"""A throwaway PostgreSQL cluster from the Debian server binaries, for tests and benchmarks.

``running_cluster()`` initdb's a cluster in a temporary folder, starts it on 127.0.0.1
(and a unix socket in the same folder) on a free port, and removes it all afterwards.
As root, the server runs as the ``postgres`` system user, since PostgreSQL refuses root.
The session fixtures ``pg_cluster`` and ``postgres_url`` skip without the binaries,
and fail instead when the environment variable CI is set.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

import psycopg
import pytest

_FAST = ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]


def find_bin_dir() -> Optional[Path]:
    """The newest /usr/lib/postgresql/<version>/bin that has initdb, or None."""
    candidates = [Path(p) for p in glob.glob("/usr/lib/postgresql/*/bin") if Path(p, "initdb").exists()]
    return max(candidates, key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0, default=None)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PgCluster:
    """A running throwaway cluster: make, drop and address databases in it."""

    def __init__(self, port: int, socket_dir: Path):
        self.port = port
        self.socket_dir = socket_dir

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _admin(self) -> psycopg.Connection:
        return psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="postgres", autocommit=True)

    def create_database(self, name: str) -> str:
        """A new empty database; its SQLAlchemy URL."""
        with self._admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def running_cluster(*, durable: bool = False) -> Iterator[PgCluster]:
    """Start a cluster (fsync off unless ``durable``); stop and delete it on leaving."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise FileNotFoundError("No PostgreSQL server binaries in /usr/lib/postgresql/*/bin "
                                "(install Debian's postgresql package)")
    root = Path(tempfile.mkdtemp(prefix="screener-pg-"))
    data = root / "data"
    as_user: list[str] = []
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")  # KeyError: no postgres user to run the server as
        os.chown(root, owner.pw_uid, owner.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    options = ["-c", "listen_addresses=127.0.0.1", "-p", str(port), "-k", str(root), "-c", "max_connections=300",
               *([] if durable else _FAST)]

    def run(*command: str) -> None:
        subprocess.run([*as_user, *command], cwd=root, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, timeout=120)

    try:
        try:
            run(str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "--encoding=UTF8",
                "--no-locale", "--no-sync")
            run(str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"), "-w", "-t", "60",
                "-o", " ".join(options), "start")
        except subprocess.CalledProcessError as error:
            log = root / "server.log"
            detail = log.read_text(errors="replace") if log.exists() else error.stderr.decode(errors="replace")
            raise RuntimeError(f"PostgreSQL did not start: {detail[-2000:]}") from None
        yield PgCluster(port, root)
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run([*as_user, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                           cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    """A PostgreSQL cluster for the whole test session."""
    if find_bin_dir() is None:
        message = "PostgreSQL server binaries not found in /usr/lib/postgresql/*/bin (apt-get install postgresql)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with running_cluster() as cluster:
        yield cluster


@pytest.fixture(scope="session")
def postgres_url(pg_cluster: PgCluster) -> str:
    """The URL of one database in the session's cluster."""
    return pg_cluster.create_database("screener")
