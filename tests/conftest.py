"""Shared fixtures: the sample corpus extracted once and built once per session, its API, Neo4j."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

import pytest

from policygraph.ingest.extract import extract_file

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "ingest"
DEV = Path(__file__).resolve().parent / "data" / "corpus-dev"
CLI = [sys.executable, "-m", "policygraph.cli"]


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The sample corpus built once by the real CLI, for the tests that only read a build folder
    (a test that changes a build makes its own)."""
    out = tmp_path_factory.mktemp("built")
    subprocess.run([*CLI, "build", str(SAMPLES), "--out", str(out)], capture_output=True, check=True)
    return out


@pytest.fixture(scope="session")
def base(built):
    """``policygraph serve`` on the session's build, on a loopback port: its base URL."""
    from tests.support import serve

    yield from serve(built, "--result-cap", "500")  # as ``client`` has it


@pytest.fixture(scope="session")
def client(built):
    """The API over the session's build, called in-process through FastAPI's TestClient (the app's
    lifespan runs: its query workers are real processes); the tests of what only a real server shows
    (HTTP parsing, limits, concurrency, the browser) start ``policygraph serve`` instead."""
    from fastapi.testclient import TestClient

    from policygraph.api.app import create_app
    from policygraph.api.common import Settings

    with TestClient(create_app(built, settings=Settings(result_cap=500))) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def samples() -> dict[str, dict]:
    """Extracted sample documents keyed by their three-digit prefix (000 … 004)."""
    return {path.name[:3]: asdict(extract_file(path)) for path in sorted(SAMPLES.glob("*.txt"))}


@pytest.fixture(scope="session")
def dev_docs() -> dict[str, dict]:
    return {path.name[:2]: asdict(extract_file(path)) for path in sorted(DEV.glob("*.txt"))}


@pytest.fixture
def two_documents(tmp_path) -> Path:
    """A fresh input folder with 000 and 003, for tests that change or remove an input."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("000_b9be483c999a08ea.txt", "003_5995a1e4663c35f6.txt"):
        shutil.copy(SAMPLES / name, folder / name)
    return folder


@pytest.fixture(scope="session")
def neo4j_uri() -> str:
    """The Bolt address of the Neo4j the tests use; in CI a missing one fails, it is never skipped."""
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        if os.environ.get("CI"):
            pytest.fail("NEO4J_URI is not set: CI must start Neo4j (scripts/neo4j-local.sh start)")
        pytest.skip("NEO4J_URI is not set; `make test` starts a local Neo4j")
    return uri
