"""The files a test database keeps its tables in, to search their bytes for what an erasure must remove."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa


def database_files(db_url: str) -> list[Path]:
    """The files that hold this database's tables, flushed to disk."""
    url = sa.make_url(db_url)
    if url.get_backend_name() == "sqlite":
        base = Path(url.database)
        return [path for path in (base, Path(f"{base}-wal"), Path(f"{base}-shm")) if path.exists()]
    engine = sa.create_engine(db_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text("CHECKPOINT"))
        data = Path(conn.scalar(sa.text("SHOW data_directory")))
        oid = conn.scalar(sa.text("SELECT oid FROM pg_database WHERE datname = current_database()"))
    engine.dispose()
    return [path for path in (data / "base" / str(oid)).iterdir() if path.is_file()]


def holds(files: list[Path], text: str) -> bool:
    return any(text.encode("utf-8") in path.read_bytes() for path in files)
