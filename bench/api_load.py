"""API under concurrent load over real HTTP on loopback: `policygraph serve` in its own process,
50 asyncio clients (aiohttp) in this one, on a mix of the routes researchers and programs call.

    .venv/bin/python bench/api_load.py BUILD_FOLDER [--clients 50] [--seconds 20] [--rate 4]

The clients use aiohttp, whose client costs a fraction of httpx's per request: with httpx the load
generator, not the server, saturated first. Two runs: *paced*, each client sends ``--rate`` requests
a second (50 researchers or programs working at once), and *saturated*, each client sends its next
request as soon as the last one is answered (the throughput ceiling; latency there is clients /
throughput). The load generator shares the two cores with the server, so both figures are lower
bounds for a server with its own machine.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request_mix(folder: Path) -> list[tuple[str, str, dict]]:
    """(method, path, params or JSON body) drawn from the folder's own documents, units and measures."""
    documents = [json.loads(line) for line in (folder / "documents.jsonl").open(encoding="utf-8")]
    rng = random.Random(3)
    sample = rng.sample(documents, min(20, len(documents)))
    units = [u for d in sample for u in d["units"]][:40]
    measures = [m["id"] for d in sample for m in d["measures"]][:200]
    mix: list[tuple[str, str, dict]] = []
    for unit in units:
        mix += [
            ("GET", "/units", {"name": unit["name"]}),
            ("GET", f"/units/{unit['id']}/measures", {"role": "lead"}),
            ("GET", f"/units/{unit['id']}/workload", {}),
            ("GET", "/queries/measures_led_by_unit", {"unit": unit["name"]}),
        ]
    mix += [("GET", f"/measures/{m}", {}) for m in measures[:40]]
    mix += [("GET", f"/documents/{d['id']}", {}) for d in sample]
    mix += [("GET", "/documents", {"limit": 50}), ("GET", "/search", {"q": "学前教育"})]
    mix += [("GET", "/indicators", {"concept": "学前教育毛入园率"})]
    mix += [("POST", "/cypher", {"query": "MATCH (m:Measure)-[:LEAD_BY]->(u:Unit) RETURN u.name, count(*) LIMIT 10"})]
    return mix


async def _client(session, url, mix, rng, deadline, pace, latencies, failures) -> None:
    while time.perf_counter() < deadline:
        method, path, args = rng.choice(mix)
        options = {"params": args} if method == "GET" else {"json": args}
        started = time.perf_counter()
        try:
            async with session.request(method, url + path, **options) as answer:
                await answer.read()
                if answer.status != 200:
                    failures.append(f"{answer.status} {path}")
        except aiohttp.ClientError as exc:
            failures.append(f"{type(exc).__name__} {path}")
        took = time.perf_counter() - started
        latencies.append(took * 1000)
        if pace:
            await asyncio.sleep(max(0.0, pace - took) * rng.uniform(0.5, 1.5))


async def run_load(url: str, mix: list, clients: int, seconds: float, rate: float | None) -> dict:
    latencies: list[float] = []
    failures: list[str] = []
    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=30)) as session:
        for method, path, args in mix:  # every request once before timing: steady state is measured
            options = {"params": args} if method == "GET" else {"json": args}
            async with session.request(method, url + path, **options) as answer:
                await answer.read()
        started = time.perf_counter()
        deadline = started + seconds
        pace = 1 / rate if rate else None
        await asyncio.gather(
            *(_client(session, url, mix, random.Random(k), deadline, pace, latencies, failures) for k in range(clients))
        )
        wall = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "rps": len(latencies) / wall,
        "p50": statistics.median(latencies),
        "p99": latencies[int(0.99 * (len(latencies) - 1))],
        "errors": len(failures),
        "first_errors": failures[:3],
    }


@contextlib.contextmanager
def serving(folder: Path, *options: str) -> Iterator[tuple[str, subprocess.Popen]]:
    """`policygraph serve` on a free port, once /health answers: its base URL and its process."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "policygraph.cli", "serve", str(folder), "--port", str(port), *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(url + "/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        yield url, server
    finally:
        server.terminate()
        server.wait(timeout=30)


def bench_api(folder: Path, clients: int = 50, seconds: float = 20, rate: float = 4) -> dict[str, dict]:
    with serving(folder) as (url, _):
        mix = request_mix(folder)
        return {
            f"paced ({rate:g}/s per client)": asyncio.run(run_load(url, mix, clients, seconds, rate)),
            "saturated": asyncio.run(run_load(url, mix, clients, seconds, None)),
        }


def print_api(figures: dict[str, dict], clients: int) -> None:
    for mode, row in figures.items():
        print(
            f"  API {clients} clients, {mode}: {row['requests']} requests, {row['rps']:.0f} req/s, "
            f"p50 {row['p50']:.1f} ms, p99 {row['p99']:.1f} ms, {row['errors']} errors {row['first_errors'] or ''}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rate", type=float, default=4)
    args = parser.parse_args()
    print_api(bench_api(args.folder, args.clients, args.seconds, args.rate), args.clients)


if __name__ == "__main__":
    main()
