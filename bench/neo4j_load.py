"""Neo4j over Bolt: load rows/s batched (the `load neo4j` way) against one statement per row, and the
named queries' latency there.

    NEO4J_URI=bolt://127.0.0.1:7687 .venv/bin/python bench/neo4j_load.py BUILD_FOLDER [--sample 2000]

Both ways write the same measure rows (node properties as `load` writes them) under a scratch label
with the same uniqueness constraint, into an empty label each time, so the only difference is how
many rows one statement carries. The per-row figure is measured on ``--sample`` rows; the batched one
on all the folder's measures. Then the real `load` of the whole folder, and the named queries on it.
The scratch label is removed afterwards; the folder's graph stays loaded.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import neo4j

from policygraph.folder import open_build
from policygraph.graph.neo4j_store import BATCH, Neo4jWriter
from policygraph.graph.property import property_rows
from policygraph.named_queries import load_queries, run_cypher

SCRATCH = "BenchMeasure"


def _fresh(driver: neo4j.Driver) -> None:
    driver.execute_query(f"CREATE CONSTRAINT bench_measure_id IF NOT EXISTS FOR (n:{SCRATCH}) REQUIRE n.id IS UNIQUE")
    while driver.execute_query(f"MATCH (n:{SCRATCH}) WITH n LIMIT 10000 DETACH DELETE n RETURN count(*) AS n").records[
        0
    ]["n"]:
        pass


def per_row(driver: neo4j.Driver, rows: list[dict]) -> float:
    _fresh(driver)
    started = time.perf_counter()
    for row in rows:
        driver.execute_query(f"MERGE (n:{SCRATCH} {{id: $row.id}}) SET n = $row", row=row)
    return len(rows) / (time.perf_counter() - started)


def batched(driver: neo4j.Driver, rows: list[dict]) -> float:
    _fresh(driver)
    started = time.perf_counter()
    for k in range(0, len(rows), BATCH):
        driver.execute_query(f"UNWIND $rows AS r MERGE (n:{SCRATCH} {{id: r.id}}) SET n = r", rows=rows[k : k + BATCH])
    return len(rows) / (time.perf_counter() - started)


def bench_neo4j(folder: Path, uri: str, sample: int = 2000, params: dict | None = None) -> dict:
    build = open_build(folder)
    documents, alignment = build.documents(), build.alignment()
    rows = property_rows(documents, alignment)
    measures = list(rows.nodes["Measure"].values())
    figures: dict = {}
    with neo4j.GraphDatabase.driver(uri) as driver:
        driver.verify_connectivity()
        figures["per_row_rows_s"] = per_row(driver, measures[:sample])
        figures["batched_rows_s"] = batched(driver, measures)
        _fresh(driver)
        driver.execute_query("DROP CONSTRAINT bench_measure_id IF EXISTS")
        started = time.perf_counter()
        report = Neo4jWriter(driver).write(documents, alignment)
        seconds = time.perf_counter() - started
        figures["load_s"] = seconds
        figures["load_rows"] = sum(expected for expected, _ in report.values())
        figures["queries"] = {}
        if params:
            with driver.session() as session:
                for name, query in load_queries().items():
                    times = []
                    for _ in range(30):
                        t = time.perf_counter()
                        run_cypher(session, query, params[name], engine="neo4j")
                        times.append((time.perf_counter() - t) * 1000)
                    times.sort()
                    figures["queries"][name] = (times[len(times) // 2], times[int(0.99 * (len(times) - 1))])
    figures["measures"], figures["sample"] = len(measures), min(sample, len(measures))
    return figures


def print_neo4j(f: dict) -> None:
    print(
        f"  Neo4j load: batched {f['batched_rows_s']:.0f} rows/s ({f['measures']} measure rows, {BATCH} per "
        f"statement), one statement per row {f['per_row_rows_s']:.0f} rows/s ({f['sample']} rows): "
        f"{f['batched_rows_s'] / f['per_row_rows_s']:.0f}x; whole `load neo4j` {f['load_s']:.1f} s for "
        f"{f['load_rows']} nodes and relationships ({f['load_rows'] / f['load_s']:.0f} rows/s)"
    )
    for name, (p50, p99) in f["queries"].items():
        print(f"    Neo4j {name:<26} p50 {p50:7.2f} ms  p99 {p99:7.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--sample", type=int, default=2000)
    args = parser.parse_args()
    print_neo4j(bench_neo4j(args.folder, os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687"), args.sample))


if __name__ == "__main__":
    main()
