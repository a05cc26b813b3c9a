"""Builds and readers at the same time: a second build is refused, readers only ever see whole builds."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from policygraph.api.common import LiveStores, Settings
from policygraph.generations import exclusive
from policygraph.graph.embedded import open_embedded
from tests.support import serve
from tests.test_graph_build import run_build

ROOT = Path(__file__).resolve().parent.parent
SAMPLES, DEV = ROOT / "ingest", ROOT / "tests" / "data" / "corpus-dev"
CLI = [sys.executable, "-m", "policygraph.cli"]
COUNTS = (
    "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a <https://w3id.org/policygraph/ontology#PolicyDocument> }",
    "MATCH (d:Document) RETURN count(d)",
)


def _start_build(inputs: list[Path], out: Path) -> subprocess.Popen:
    return subprocess.Popen([*CLI, "build", *map(str, inputs), "--out", str(out)], stderr=subprocess.PIPE, text=True)


def _snapshot(live: LiveStores) -> tuple[int, int, int]:
    """What one reader sees: documents in the model, in the SPARQL store, in the Cypher store."""
    stores = live.get()  # the generation the server's query workers open too
    sparql_store = ox.Store.read_only(str(stores.path / "sparql"))
    (sparql,) = list(sparql_store.query(COUNTS[0], use_default_graph_as_union=True))
    ((cypher,),) = open_embedded(stores.path / "cypher").execute(COUNTS[1]).get_all()
    return len(stores.corpus.documents), int(sparql["n"].value), cypher


def test_a_second_build_of_a_folder_in_use_is_refused_by_name(tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    with exclusive(out):  # a real flock from this process, as a running build holds it
        result = subprocess.run([*CLI, "build", str(SAMPLES), "--out", str(out)], capture_output=True, text=True)
    assert result.returncode == 1
    assert "another build" in result.stderr and "Traceback" not in result.stderr
    assert not (out / "current").exists()  # the refused build wrote nothing
    run_build([SAMPLES], out)  # and the lock is gone with its holder
    assert (out / "current").is_symlink()


@pytest.mark.slow
def test_two_builds_at_once_leave_one_whole_build(tmp_path: Path):
    out, clean = tmp_path / "out", tmp_path / "clean"
    run_build([SAMPLES, DEV], clean)
    builds = [_start_build([SAMPLES, DEV], out) for _ in range(2)]
    results = [(b.wait(timeout=600), b.stderr.read()) for b in builds]
    for code, stderr in results:
        assert code == 0 or (code == 1 and "another build" in stderr), stderr
    assert any(code == 0 for code, _ in results)
    assert (out / "graph.nq").read_bytes() == (clean / "graph.nq").read_bytes()
    assert (out / "documents.jsonl").read_bytes() == (clean / "documents.jsonl").read_bytes()


@pytest.mark.slow
def test_readers_during_a_build_see_the_old_build_or_the_new_one_never_a_mix(tmp_path: Path):
    """Open the folder again and again while a bigger build replaces a smaller one: every reader's
    model, SPARQL store and Cypher store agree and hold either the old documents or the new ones."""
    out = tmp_path / "out"
    run_build([SAMPLES], out)
    live = LiveStores(out, None, Settings())
    old = _snapshot(live)
    build = _start_build([SAMPLES, DEV], out)
    seen = set()
    while build.poll() is None:
        seen.add(_snapshot(LiveStores(out, None, Settings())))
    assert build.returncode == 0, build.stderr.read()
    new = _snapshot(live)  # the same reader moves on to the new build by itself
    assert new != old and new[0] == new[1] == new[2]
    assert seen <= {old, new}, f"a reader saw a half-built store: {seen - {old, new}}"
    assert len(seen) >= 1


def _poll_documents(url: str, done: threading.Event, totals: set[int], failures: list[str]) -> None:
    while not done.is_set():
        answer = httpx.get(url + "/documents", params={"limit": 1000}, timeout=30)
        if answer.status_code == 200:
            totals.add(answer.json()["total"])
        else:
            failures.append(answer.text)


@pytest.mark.slow
def test_a_running_server_serves_whole_builds_and_moves_to_the_next(tmp_path: Path):
    out = tmp_path / "out"
    run_build([SAMPLES], out)
    for url in serve(out):
        first = httpx.get(url + "/health").json()
        done, totals, failures = threading.Event(), set(), []
        poller = threading.Thread(target=_poll_documents, args=(url, done, totals, failures))
        poller.start()
        run_build([SAMPLES, DEV], out)
        done.set()
        poller.join()
        after = httpx.get(url + "/health").json()
        assert not failures
        assert after["generation"] != first["generation"]
        assert totals <= {first["documents"], after["documents"]}
        assert after["documents"] > first["documents"]
