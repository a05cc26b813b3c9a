"""Graph Store Protocol push against a real Oxigraph server on loopback."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    port = free_port()
    process = subprocess.Popen(
        [str(BIN / "oxigraph"), "serve", "--location", str(tmp_path / "remote"), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    yield base
    process.terminate()
    process.wait(timeout=10)


def count_measures(base: str) -> int:
    query = (
        "PREFIX pg: <https://w3id.org/policygraph/ontology#> "
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?m a pg:Measure } }"
    )
    request = urllib.request.Request(
        base + "/query?" + urllib.parse.urlencode({"query": query}),
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return int(json.load(response)["results"]["bindings"][0]["n"]["value"])


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "policygraph.cli", *args], capture_output=True, text=True, check=False)


def test_push_replaces_and_removes_graphs(server, tmp_path, two_documents):
    inputs = two_documents
    out = tmp_path / "out"
    assert cli("build", str(inputs), "--out", str(out)).returncode == 0
    first = cli("load", "sparql", str(out), "--endpoint", server + "/store")
    assert first.returncode == 0, first.stderr
    assert count_measures(server) == 30 + 58
    assert cli("load", "sparql", str(out), "--endpoint", server + "/store").returncode == 0
    assert count_measures(server) == 30 + 58  # pushing twice equals pushing once
    (inputs / "003_5995a1e4663c35f6.txt").unlink()
    assert cli("build", str(inputs), "--out", str(out)).returncode == 0
    last = cli("load", "sparql", str(out), "--endpoint", server + "/store")
    assert "deleted 1" in last.stderr and count_measures(server) == 30


def test_unreachable_endpoint_is_one_clear_line(tmp_path):
    out = tmp_path / "out"
    assert cli("build", str(ROOT / "ingest" / "000_b9be483c999a08ea.txt"), "--out", str(out)).returncode == 0
    result = cli("load", "sparql", str(out), "--endpoint", f"http://127.0.0.1:{free_port()}/store")
    assert result.returncode == 1 and "error:" in result.stderr and "Traceback" not in result.stderr
