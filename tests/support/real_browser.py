"""Real-browser helpers: the app under ``streamlit run`` on a free loopback port, and Debian's chromium.

``running_app`` starts the server with a temporary data folder and headless settings and
waits until it answers; ``chromium`` launches the system browser through Playwright. The
fixtures at the end wrap both for pytest (import them into a test module to use them).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Mapping, Optional

import pytest

PROJECT = Path(__file__).resolve().parents[2]
SCREENSHOTS = PROJECT / "artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
PORTRAIT = {"width": 800, "height": 1280}
LANDSCAPE = {"width": 1280, "height": 800}


@dataclass(frozen=True)
class RunningApp:
    url: str
    data_dir: Path
    log: Path
    process: subprocess.Popen

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_answering(url: str, timeout: float, process: Optional[subprocess.Popen] = None) -> None:
    """Poll ``url`` until it answers 200; RuntimeError if it does not within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


@contextmanager
def running_app(data_dir: Path, env: Mapping[str, str] = (), script: str = "streamlit_app.py",
                timeout: float = 60, base_path: str = "") -> Iterator[RunningApp]:
    """``streamlit run script`` on a free loopback port with its data in ``data_dir``, served under
    ``/base_path/`` when one is given (its ``url`` then ends with it); stopped on exit."""
    data_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = data_dir / "server.log"
    environment = {name: value for name, value in os.environ.items() if not name.startswith("SCREENER_")}
    environment.update({"SCREENER_DATA_DIR": str(data_dir), **dict(env)})
    command = [
        sys.executable, "-m", "streamlit", "run", script,
        "--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
        "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false",
        *(("--server.baseUrlPath", base_path) if base_path else ()),
    ]
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=PROJECT, env=environment, stdout=output, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}" + (f"/{base_path}" if base_path else "")
        wait_until_answering(f"{url}/_stcore/health", timeout, process)
        yield RunningApp(url=url, data_dir=data_dir, log=log, process=process)
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> None:
    """Ask a server to stop (SIGTERM), and kill it if it has not within 10 seconds."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def chromium() -> Iterator:
    """A headless Debian chromium driven by Playwright's sync API."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def small_targets(page, selector: str, minimum: float = 44) -> list[str]:
    """Every visible element matching ``selector`` smaller than ``minimum`` CSS pixels either way.

    An element inside a box clipped to nothing (the visually-hidden pattern, as the native
    ``<input type="date">`` Streamlit keeps beside its date field for forms) is not on screen, and
    no one can tap it."""
    return page.eval_on_selector_all(
        selector,
        """(elements, minimum) => elements
            .filter(element => element.offsetParent !== null)
            .filter(element => {
                for (let box = element.parentElement; box; box = box.parentElement) {
                    const style = getComputedStyle(box), size = box.getBoundingClientRect();
                    const clips = style.overflow !== "visible" || style.clipPath !== "none";
                    if (clips && (size.width < 2 || size.height < 2)) return false;
                }
                return true;
            })
            .map(element => [element, element.getBoundingClientRect()])
            .filter(([element, box]) => box.width < minimum || box.height < minimum)
            .map(([element, box]) =>
                `${element.tagName} "${(element.innerText || element.getAttribute('aria-label') || '').trim()
                  .slice(0, 40)}" ${Math.round(box.width)}x${Math.round(box.height)}`)""",
        minimum,
    )


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is not installed: scripts/test.sh installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def app_server(tmp_path_factory) -> Iterator[RunningApp]:
    with running_app(tmp_path_factory.mktemp("app-data")) as app:
        yield app
