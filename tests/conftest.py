"""Shared fixtures: the sample corpus extracted once per session."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import pytest

from policygraph.ingest.extract import extract_file

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "ingest"
DEV = Path(__file__).resolve().parent / "data" / "corpus-dev"


@pytest.fixture(scope="session")
def samples() -> dict[str, dict]:
    """Extracted sample documents keyed by their three-digit prefix (000 … 004)."""
    return {path.name[:3]: asdict(extract_file(path)) for path in sorted(SAMPLES.glob("*.txt"))}


@pytest.fixture(scope="session")
def dev_docs() -> dict[str, dict]:
    return {path.name[:2]: asdict(extract_file(path)) for path in sorted(DEV.glob("*.txt"))}
