"""``python -m screener`` as a subprocess, from the project's root, never with a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "screener", *args], input=stdin, capture_output=True, cwd=ROOT,
                            timeout=60)
    assert b"Traceback" not in result.stderr
    return result


def write(tmp_path: Path, answers) -> Path:
    path = tmp_path / "intake.json"
    path.write_text(answers if isinstance(answers, str) else json.dumps(answers, ensure_ascii=False), encoding="utf-8")
    return path


def run_on(data: Path, *args: str) -> subprocess.CompletedProcess:
    """A command on the app's database in ``data`` (``SCREENER_DATA_DIR``), no other setting of ours, as text."""
    environment = {**{k: v for k, v in os.environ.items() if not k.startswith("SCREENER_")},
                   "SCREENER_DATA_DIR": str(data)}
    result = subprocess.run([sys.executable, "-m", "screener", *args], capture_output=True, text=True, cwd=ROOT,
                            env=environment, timeout=60)
    assert "Traceback" not in result.stderr
    return result
