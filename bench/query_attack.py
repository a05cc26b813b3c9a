"""The server under an attack of slow queries: how fast /health answers meanwhile, and how soon the
machine is idle again afterwards.

    .venv/bin/python bench/query_attack.py BUILD_FOLDER [--queries 50] [--timeout 10] [--workers N]

`policygraph serve` runs in its own process; 50 clients at once send queries that would run for
hours (SPARQL cartesian counts, a CONSTRUCT of a cartesian product, variable-length Cypher paths).
Meanwhile /health is asked ten times a second and its latency kept. When every attacking request
has its answer (504 stopped, 503 pool busy, 422 over a cap), the CPU time of the server and all its
query workers is read from /proc each second until a second passes with under 5 % of one core.
"""

from __future__ import annotations

import argparse
import collections
import os
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from api_load import serving

ATTACKS = [
    ("sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"),
    ("sparql", "CONSTRUCT { ?a ?b ?f } WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a"),
    ("cypher", "MATCH p = (a)-[*1..30]-(b) RETURN count(*) AS n"),
]


def tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (the forkserver and the query workers)."""
    children: dict[int, list[int]] = collections.defaultdict(list)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                children[int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])].append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    found, pending = [pid], [pid]
    while pending:
        for child in children[pending.pop()]:
            found.append(child)
            pending.append(child)
    return found


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError):
            continue
    return total / os.sysconf("SC_CLK_TCK")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()

    options = ["--timeout", str(args.timeout), "--workers", str(args.workers)]
    with serving(args.folder, *options) as (base, server):
        idle_cpu = cpu_seconds(tree(server.pid))
        health: list[float] = []
        stop = threading.Event()

        def watch() -> None:
            with httpx.Client(base_url=base, timeout=30) as client:
                while not stop.is_set():
                    started = time.perf_counter()
                    client.get("/health").raise_for_status()
                    health.append(time.perf_counter() - started)
                    time.sleep(0.1)

        watcher = threading.Thread(target=watch)
        watcher.start()

        # One client for all attackers, made before the clock starts: fifty clients made at once
        # (each builds an SSL context) held this process's GIL and showed as /health latency.
        attackers = httpx.Client(base_url=base, timeout=600, limits=httpx.Limits(max_connections=args.queries))

        def attack(k: int) -> int:
            language, query = ATTACKS[k % len(ATTACKS)]
            if language == "sparql":
                headers = {"Content-Type": "application/sparql-query"}
                return attackers.post("/sparql", content=query, headers=headers).status_code
            return attackers.post("/cypher", json={"query": query}).status_code

        started = time.perf_counter()
        with ThreadPoolExecutor(args.queries) as pool:
            statuses = collections.Counter(pool.map(attack, range(args.queries)))
        attackers.close()
        attack_seconds = time.perf_counter() - started
        stop.set()
        watcher.join()

        after = time.perf_counter()
        last = cpu_seconds(tree(server.pid))
        busy = []
        while True:
            time.sleep(1)
            now = cpu_seconds(tree(server.pid))
            busy.append(now - last)
            last = now
            if busy[-1] < 0.05 or len(busy) >= 120:
                break
        quick = time.perf_counter()
        answer = httpx.get(base + "/sparql", params={"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"}, timeout=30)
        quick = time.perf_counter() - quick
        health_state = httpx.get(base + "/health", timeout=5).json()["query_workers"]

    ms = sorted(1000 * s for s in health)
    print(f"attack: {args.queries} slow queries at once, --timeout {args.timeout:g} s, {args.workers} workers")
    print(f"  answers: {dict(sorted(statuses.items()))} in {attack_seconds:.1f} s")
    print(
        f"  /health during the attack: {len(ms)} calls, p50 {statistics.median(ms):.1f} ms, "
        f"p95 {ms[int(0.95 * (len(ms) - 1))]:.1f} ms, max {ms[-1]:.1f} ms"
    )
    print(
        f"  CPU after the last answer: idle (<5 % of a core) after {len(busy)} s, "
        f"by second: {', '.join(f'{100 * b:.0f} %' for b in busy)}; the server used {idle_cpu:.1f} s of CPU to start"
    )
    print(f"  a quick query afterwards: HTTP {answer.status_code} in {1000 * quick:.0f} ms; workers {health_state}")
    print(f"  (measured {time.perf_counter() - after:.1f} s after the attack)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
