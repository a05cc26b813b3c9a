"""Scale benchmark: prints how each stage's cost grows with the number of documents.

    .venv/bin/python bench/run.py [--sizes 10 100 1000] [--rdflib-max 100]

Per size N (documents from bench/generate.py): extract throughput in one process and on all cores;
`policygraph build` wall time and peak memory (a child process, so its own peak; it includes the
alignment); `policygraph align` time, links and output size; quads and
property-graph rows; named-query latency p50/p99 on the Oxigraph store and on the embedded Cypher
store, and on rdflib's in-memory engine for N ≤ --rdflib-max, with the ratio measured in the same run;
the API under --clients concurrent clients (bench/api_load.py); with NEO4J_URI set, Neo4j load rows/s
batched against per row and the named queries there (bench/neo4j_load.py).
Figures go to stdout; BENCHMARKS.md keeps a dated copy with a reading of them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from api_load import bench_api, print_api
from generate import generate
from neo4j_load import bench_neo4j, print_neo4j

from policygraph.align.run import align
from policygraph.contracts import alignment_json
from policygraph.graph.embedded import open_embedded
from policygraph.ingest.extract import extract_text
from policygraph.ingest.readers import read_source
from policygraph.named_queries import bind_sparql, load_queries, run_cypher, run_sparql

PARAMS = {
    "measures_led_by_unit": {"unit": "区人社局"},
    "measures_supported_by_unit": {"unit": "区财政局"},
    "unit_workload": {"unit": "区人社局"},
    "region_workload": {"region": ""},
    "measures_of_document": {"document": ""},
    "indicators_of_concept": {"concept": "学前教育毛入园率"},
    "source_span": {"measure": ""},
    "document_implements": {},
}


def _extract_one(path: Path) -> int:
    source = read_source(path)
    extract_text(source.name, source.text)
    return len(source.text.encode("utf-8"))


def bench_extract(paths: list[Path]) -> dict[str, float]:
    size = sum(p.stat().st_size for p in paths)
    started = time.perf_counter()
    for path in paths:
        _extract_one(path)
    one = time.perf_counter() - started
    cores = os.cpu_count() or 1
    started = time.perf_counter()
    with ProcessPoolExecutor(cores) as pool:
        list(pool.map(_extract_one, paths, chunksize=8))
    many = time.perf_counter() - started
    return {
        "MB": size / 1e6,
        "docs_s_1": len(paths) / one,
        "MB_s_1": size / 1e6 / one,
        "docs_s_all": len(paths) / many,
        "MB_s_all": size / 1e6 / many,
        "cores": cores,
    }


def bench_build(corpus: Path, out: Path) -> dict[str, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "policygraph.cli", "build", str(corpus), "--out", str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = time.perf_counter() - started
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    lines = result.stderr.strip().splitlines()
    summary = next(line for line in lines if line.startswith("built "))
    quads = int(summary.split(" quads")[0].rsplit(" ", 1)[-1])
    stages = next(line for line in lines if line.startswith("stages: "))
    return {"seconds": seconds, "peak_MB": peak / 1024, "quads": quads, "stages": stages}


def _all_rows(dataset, text: str) -> list:
    return list(dataset.query(text))


def _latencies(run, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(0.99 * len(times)))]


def query_params(out: Path) -> dict[str, dict]:
    """PARAMS with a document and measure of the folder filled in, and the region where most units
    are (the first document's own region may name no unit, and an empty answer measures nothing)."""
    from collections import Counter

    with (out / "documents.jsonl").open(encoding="utf-8") as handle:
        documents = [json.loads(line) for line in handle]
    first = documents[0]
    regions = Counter(u["region"] for d in documents for u in d["units"] if u["region"])
    params = dict(PARAMS)
    params["region_workload"] = {"region": regions.most_common(1)[0][0] if regions else first["region"]}
    params["measures_of_document"] = {"document": first["id"]}
    params["source_span"] = {"measure": first["measures"][0]["id"] if first["measures"] else ""}
    return params


def bench_queries(out: Path, rdflib_too: bool, repeat: int = 30) -> dict[str, dict[str, float]]:
    import pyoxigraph as ox

    params = query_params(out)
    store = ox.Store.read_only(str(out / "sparql"))
    cypher = open_embedded(out / "cypher")
    dataset = None
    if rdflib_too:
        from rdflib import Dataset

        dataset = Dataset()
        dataset.parse(out / "graph.nq", format="nquads")
    figures = {}
    for name, query in load_queries().items():
        bound = params[name]
        row = {}
        row["sparql_p50"], row["sparql_p99"] = _latencies(partial(run_sparql, store, query, bound), repeat)
        row["cypher_p50"], row["cypher_p99"] = _latencies(partial(run_cypher, cypher, query, bound), repeat)
        if dataset is not None:
            text = bind_sparql(query.sparql, bound, query.terms)
            row["rdflib_p50"], _ = _latencies(partial(_all_rows, dataset, text), max(3, repeat // 10))
        figures[name] = row
    return figures


def bench_align(paths: list[Path]) -> dict[str, float]:
    """`policygraph align` in one process on already extracted documents: retrieval, scoring,
    sections and the JSON (with the measures' text, as the command prints it)."""
    documents = [extract_text(source.name, source.text) for source in map(read_source, paths)]
    started = time.perf_counter()
    result = alignment_json(align(documents), documents)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "measures": sum(len(d.measures) for d in documents),
        "links": len(result["measure_links"]),
        "JSON_MB": len(json.dumps(result, ensure_ascii=False).encode("utf-8")) / 1e6,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--rdflib-max", type=int, default=100)
    parser.add_argument("--clients", type=int, default=50, help="concurrent API clients")
    args = parser.parse_args()
    machine = f"{platform.machine()} · {os.cpu_count()} cores · Python {platform.python_version()}"
    print(f"# {time.strftime('%Y-%m-%d')} · {machine}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            corpus = generate(n, Path(tmp) / f"corpus{n}")
            ex = bench_extract(corpus)
            print(f"\nN={n}: {ex['MB']:.1f} MB")
            print(
                f"  extract 1 process: {ex['docs_s_1']:.1f} docs/s, {ex['MB_s_1']:.2f} MB/s; "
                f"{ex['cores']} processes: {ex['docs_s_all']:.1f} docs/s, {ex['MB_s_all']:.2f} MB/s"
            )
            build = bench_build(Path(tmp) / f"corpus{n}", Path(tmp) / f"out{n}")
            print(
                f"  build (both stores, N-Quads): {build['seconds']:.1f} s, peak {build['peak_MB']:.0f} MB, "
                f"{build['quads']} quads"
            )
            print(f"    {build['stages']}")
            al = bench_align(corpus)
            print(
                f"  align: {al['seconds']:.1f} s for {al['measures']} measures, {al['links']} links, "
                f"JSON {al['JSON_MB']:.0f} MB"
            )
            figures = bench_queries(Path(tmp) / f"out{n}", rdflib_too=n <= args.rdflib_max)
            print("  named query            SPARQL p50/p99 ms   Cypher p50/p99 ms   rdflib p50 ms   rdflib/SPARQL")
            for name, row in figures.items():
                ratio = f"{row['rdflib_p50'] / row['sparql_p50']:.0f}x" if "rdflib_p50" in row else "-"
                rdf = f"{row['rdflib_p50']:.1f}" if "rdflib_p50" in row else "-"
                print(
                    f"  {name:<24} {row['sparql_p50']:7.2f} /{row['sparql_p99']:7.2f}  "
                    f"{row['cypher_p50']:7.2f} /{row['cypher_p99']:7.2f}  {rdf:>12}   {ratio:>8}"
                )
            print_api(bench_api(Path(tmp) / f"out{n}", args.clients), args.clients)
            if os.environ.get("NEO4J_URI"):
                out = Path(tmp) / f"out{n}"
                print_neo4j(bench_neo4j(out, os.environ["NEO4J_URI"], params=query_params(out)))
            else:
                print("  Neo4j: NEO4J_URI not set (scripts/neo4j-local.sh start), not measured")


if __name__ == "__main__":
    main()
