"""Neo4j: a real server over Bolt (scripts/neo4j-local.sh; `make test` and CI start it)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from policygraph.named_queries import load_queries, run_cypher, run_sparql
from tests.test_named_queries import parameter_sets

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def driver(neo4j_uri):
    import neo4j

    with neo4j.GraphDatabase.driver(neo4j_uri) as drv:
        drv.verify_connectivity()
        empty(drv)
        yield drv


def empty(driver) -> None:
    """Everything out, 10,000 at a time (relationships first): a server holding a benchmark's
    million relationships cannot delete them in one transaction."""
    for statement in ("MATCH ()-[r]->() WITH r LIMIT 10000 DELETE r", "MATCH (n) WITH n LIMIT 10000 DELETE n"):
        while driver.execute_query(statement + " RETURN count(*) AS n").records[0]["n"]:
            pass


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "policygraph.cli", *args], capture_output=True, text=True, check=False)


def totals(driver) -> tuple[int, int]:
    query = "MATCH (n) OPTIONAL MATCH (n)-[r]->() RETURN count(DISTINCT n) AS n, count(r) AS r"
    (record,) = driver.execute_query(query).records
    return record["n"], record["r"]


def test_load_is_idempotent_and_counts_match(driver, built):
    first = cli("load", "neo4j", str(built), "--uri", os.environ["NEO4J_URI"])
    assert first.returncode == 0, first.stderr
    measures = sum(len(json.loads(line)["measures"]) for line in (built / "documents.jsonl").open(encoding="utf-8"))
    assert f"{measures} Measure" in first.stderr and "error" not in first.stderr
    after_first = totals(driver)
    second = cli("load", "neo4j", str(built), "--uri", os.environ["NEO4J_URI"])
    assert second.returncode == 0 and totals(driver) == after_first
    (record,) = driver.execute_query(
        "MATCH (m:Measure)-[:LEAD_BY]->(u:Unit {name: '恩阳区人力资源和社会保障局'}) RETURN count(m) AS n"
    ).records
    assert record["n"] == 6


@pytest.mark.parametrize("name", sorted(load_queries()))
def test_neo4j_agrees_with_sparql(driver, built, name):
    assert cli("load", "neo4j", str(built), "--uri", os.environ["NEO4J_URI"]).returncode == 0
    docs = {d["source"][:3]: d for d in map(json.loads, (built / "documents.jsonl").open(encoding="utf-8"))}
    store = ox.Store.read_only(str(built / "sparql"))
    query = load_queries()[name]
    with driver.session() as session:
        for params in parameter_sets(docs)[name]:
            assert run_cypher(session, query, params, engine="neo4j") == run_sparql(store, query, params), params


def test_alignment_links_load_with_their_scores_and_are_replaced_not_added(driver, built):
    alignment = json.loads((built / "alignment.json").read_text(encoding="utf-8"))
    expected = len(alignment["measure_links"]) + len(alignment["section_links"])
    for _ in range(2):
        assert cli("load", "neo4j", str(built), "--uri", os.environ["NEO4J_URI"]).returncode == 0
        (record,) = driver.execute_query("MATCH ()-[e:ALIGNED_WITH]->() RETURN count(e) AS n").records
        assert record["n"] == expected > 0
    link = max(alignment["measure_links"], key=lambda k: k["score"])
    (record,) = driver.execute_query(
        "MATCH (a:Measure {id: $a})-[e:ALIGNED_WITH]->(b:Measure {id: $b}) RETURN e.score AS s, e.grade AS g",
        a=link["a"]["id"],
        b=link["b"]["id"],
    ).records
    assert (record["s"], record["g"]) == (link["score"], link["grade"])


def test_fingerprints_skip_what_the_server_holds_and_full_writes_everything(driver, tmp_path, two_documents):
    """A re-load writes only the documents whose rows changed: a node of an unchanged document that
    someone edited on the server stays edited (the proof that it was not written again), the changed
    document's new measure is in, and --full brings the server back to the model whatever it held."""
    inputs, out = two_documents, tmp_path / "out"
    assert cli("build", str(inputs), "--out", str(out)).returncode == 0
    assert cli("load", "neo4j", str(out), "--uri", os.environ["NEO4J_URI"]).returncode == 0
    edit = "MATCH (m:Measure) WHERE m.title = '扩大就业容量' SET m.title = 'edited' RETURN count(m) AS n"
    assert driver.execute_query(edit).records[0]["n"] == 1
    unchanged = cli("load", "neo4j", str(out), "--uri", os.environ["NEO4J_URI"])
    assert unchanged.returncode == 0 and "mismatch" not in unchanged.stderr
    edited = "MATCH (m:Measure {title: 'edited'}) RETURN count(m) AS n"
    assert driver.execute_query(edited).records[0]["n"] == 1  # nothing was written
    other = next(p for p in inputs.iterdir() if p.name.startswith("003"))
    added_item = "\n\n五、新增任务\n\n（一）建设新的就业服务驿站，覆盖全部乡镇。\n"
    other.write_text(other.read_text(encoding="utf-8") + added_item, "utf-8")
    assert cli("build", str(inputs), "--out", str(out)).returncode == 0
    assert cli("load", "neo4j", str(out), "--uri", os.environ["NEO4J_URI"]).returncode == 0
    assert driver.execute_query(edited).records[0]["n"] == 1  # 000 unchanged: still not written
    added = "MATCH (m:Measure) WHERE m.text CONTAINS '建设新的就业服务驿站' RETURN count(m) AS n"
    assert driver.execute_query(added).records[0]["n"] == 1  # 003 changed: written
    assert cli("load", "neo4j", str(out), "--uri", os.environ["NEO4J_URI"], "--full").returncode == 0
    assert driver.execute_query(edited).records[0]["n"] == 0


def test_removed_document_takes_its_nodes(driver, tmp_path, two_documents):
    inputs = two_documents
    out = tmp_path / "out"
    assert cli("build", str(inputs), "--out", str(out)).returncode == 0
    assert cli("load", "neo4j", str(out), "--uri", os.environ["NEO4J_URI"]).returncode == 0
    (inputs / "003_5995a1e4663c35f6.txt").unlink()
    assert cli("build", str(inputs), "--out", str(out)).returncode == 0
    assert cli("load", "neo4j", str(out), "--uri", os.environ["NEO4J_URI"]).returncode == 0
    records = driver.execute_query("MATCH (u:Unit) RETURN DISTINCT u.region AS region").records
    assert {r["region"] for r in records} == {"恩阳区"}
    (record,) = driver.execute_query("MATCH (d:Document) RETURN count(d) AS n").records
    assert record["n"] == 1


def test_load_reports_a_missing_build_folder(tmp_path):
    result = cli("load", "neo4j", str(tmp_path), "--uri", "bolt://127.0.0.1:7687")
    assert result.returncode == 1 and "no documents.jsonl" in result.stderr and "Traceback" not in result.stderr


def fingerprint(driver) -> list[str]:
    """Every node (labels, properties) and relationship (its ends' properties, type, properties), sorted."""
    nodes = driver.execute_query("MATCH (n) RETURN labels(n) AS l, properties(n) AS p").records
    rels = driver.execute_query(
        "MATCH (a)-[e]->(b) RETURN properties(a) AS a, type(e) AS t, properties(b) AS b, properties(e) AS p"
    ).records
    return sorted(
        [json.dumps([r["l"], r["p"]], ensure_ascii=False, sort_keys=True) for r in nodes]
        + [json.dumps([r["a"], r["t"], r["b"], r["p"]], ensure_ascii=False, sort_keys=True) for r in rels]
    )


@pytest.mark.slow
def test_a_load_killed_half_way_converges_on_the_next_run(driver, tmp_path):
    """SIGKILL `load neo4j` once some measures are in, load again: the server holds exactly what an
    uninterrupted load leaves, every node and relationship with the same properties, none twice."""
    import signal
    import time

    out = tmp_path / "out"
    assert (
        cli("build", str(ROOT / "ingest"), str(ROOT / "tests" / "data" / "corpus-dev"), "--out", str(out)).returncode
        == 0
    )
    load = [sys.executable, "-m", "policygraph.cli", "load", "neo4j", str(out), "--uri", os.environ["NEO4J_URI"]]
    assert subprocess.run(load, capture_output=True).returncode == 0
    clean = fingerprint(driver)
    empty(driver)
    process = subprocess.Popen(load, stderr=subprocess.DEVNULL)
    measures = 0
    while process.poll() is None and measures < 50:
        measures = driver.execute_query("MATCH (m:Measure) RETURN count(m) AS n").records[0]["n"]
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert len(fingerprint(driver)) < len(clean)  # it really stopped half-way
    assert subprocess.run(load, capture_output=True).returncode == 0
    assert fingerprint(driver) == clean


BAZHONG = """巴中市“十四五”养老服务体系建设规划

一、主要任务

（一）完善居家社区养老服务网络。每个街道建成1个综合养老服务中心。（牵头单位：市民政局；责任单位：市财政局）
"""


@pytest.mark.slow
def test_a_load_over_another_corpus_ends_as_a_load_into_an_empty_server(driver, tmp_path, two_documents):
    """Load a corpus with a 巴中市 plan (so 巴中市 lies WITHIN 四川省), then one without it, in which
    巴中市 and 四川省 are still regions (of 恩阳区 and of 自贡市) but nothing says the one lies in
    the other: the server must hold exactly what loading the second into an empty server gives."""
    shutil.copy(ROOT / "ingest" / "004_cbedc61ed7f70bd3.txt", two_documents)
    big, small = tmp_path / "big", tmp_path / "small"
    assert cli("build", str(two_documents), "--out", str(small)).returncode == 0
    (two_documents / "bazhong.txt").write_text(BAZHONG, encoding="utf-8")
    assert cli("build", str(two_documents), "--out", str(big)).returncode == 0
    empty(driver)
    assert cli("load", "neo4j", str(small), "--uri", os.environ["NEO4J_URI"]).returncode == 0
    clean = fingerprint(driver)
    assert cli("load", "neo4j", str(big), "--uri", os.environ["NEO4J_URI"]).returncode == 0
    within = "MATCH (:Region {name: '巴中市'})-[w:WITHIN]->(:Region {name: '四川省'}) RETURN count(w) AS n"
    assert driver.execute_query(within).records[0]["n"] == 1
    result = cli("load", "neo4j", str(small), "--uri", os.environ["NEO4J_URI"])
    assert result.returncode == 0, result.stderr
    assert fingerprint(driver) == clean


@pytest.mark.slow
def test_api_says_neo4j_is_down_and_recovers_when_it_returns(built):
    """Stops and restarts the real server (scripts/neo4j-local.sh); kept last in this file, since the
    other Neo4j tests need it up."""
    import httpx

    from tests.support import serve

    script = ROOT / "scripts" / "neo4j-local.sh"
    if subprocess.run([str(script), "status"], capture_output=True).returncode != 0:
        if os.environ.get("CI"):
            pytest.fail("CI must run the Neo4j of scripts/neo4j-local.sh")
        pytest.skip("the Neo4j in use is not the one scripts/neo4j-local.sh controls")
    query = {"query": "MATCH (d:Document) RETURN count(d) AS n"}
    assert cli("load", "neo4j", str(built), "--uri", os.environ["NEO4J_URI"]).returncode == 0
    for url in serve(built, "--neo4j", os.environ["NEO4J_URI"]):
        assert httpx.post(url + "/cypher", json=query, timeout=60).json()["engine"] == "neo4j"
        subprocess.run([str(script), "stop"], check=True, capture_output=True)
        try:
            down = httpx.post(url + "/cypher", json=query, timeout=120)
            assert down.status_code == 503 and "Neo4j is not reachable" in down.json()["error"]["message"]
            assert httpx.get(url + "/health", timeout=60).json()["stores"]["neo4j"] is False
        finally:
            subprocess.run([str(script), "start"], check=True, capture_output=True)
        back = httpx.post(url + "/cypher", json=query, timeout=120)
        assert back.status_code == 200 and back.json()["rows"] == [[5]]
