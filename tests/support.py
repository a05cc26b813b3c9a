"""What many test modules need and is not a fixture: the CLI, a live server, a headless Chromium."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "out" / "screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CLI = [sys.executable, "-m", "policygraph.cli"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, server: subprocess.Popen, said) -> None:
    """Wait for ``url``/health to answer (a server starts its query workers first); fail with what the
    server said (``said()``) if it never does."""
    for _ in range(300):
        try:
            if httpx.get(url + "/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    server.kill()
    pytest.fail("the API did not start: " + said())


def serve(folder: Path, *options: str, log: Path | None = None, command: list[str] = CLI, cwd: Path | None = None):
    """Start `policygraph serve` (``command``: this checkout's CLI unless told) on a free port; yields
    its base URL, stops it afterwards. With ``log``, the server's stderr goes to that file (to read
    what it logged)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "NEO4J_URI"}  # the embedded store unless told
    with log.open("w") if log else contextlib.nullcontext(subprocess.PIPE) as stderr:
        server = subprocess.Popen(
            [*command, "serve", str(folder), "--port", str(port), *options],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            env=env,
            cwd=cwd,
        )
    url = f"http://127.0.0.1:{port}"
    wait_until_up(url, server, lambda: log.read_text() if log else server.stderr.read().decode())
    try:
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def chromium_serving(folder: Path):
    """`policygraph serve` on ``folder`` and a headless Chromium; yields (base URL, browser)."""
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: .ci/run installs Debian's chromium")
        pytest.skip("chromium is not installed (apt-get install chromium fonts-noto-cjk)")
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    for url in serve(folder):
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            yield url, browser
            browser.close()


def explorer_home(browser, url: str, documents: int = 5):
    """A tab on the explorer's home page, once its lists hold the build's ``documents``."""
    tab = browser.new_page(viewport={"width": 1500, "height": 950})
    tab.goto(url + "/")
    tab.wait_for_function(f"document.querySelectorAll('#doc-a option').length === {documents}")
    return tab


def compare_in_explorer(page, a: str, b: str) -> None:
    """Pick the documents whose titles start with ``a`` and ``b`` in the comparison form, and compare."""
    options = page.eval_on_selector_all("#doc-a option", "els => els.map(e => [e.value, e.textContent])")
    page.select_option("#doc-a", next(value for value, title in options if title.startswith(a)))
    page.select_option("#doc-b", next(value for value, title in options if title.startswith(b)))
    page.click("#compare-form button")
    page.wait_for_selector("#compare-table")


def descendants(pid: int) -> list[int]:
    """Every process below ``pid``, from the parent ids in /proc/*/stat."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue  # gone meanwhile
        children.setdefault(parent, []).append(int(stat.parent.name))
    found, pending = [], [pid]
    while pending:
        kids = children.get(pending.pop(), [])
        found.extend(kids)
        pending.extend(kids)
    return found
