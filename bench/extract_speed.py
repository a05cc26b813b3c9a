"""Prints extract throughput (documents/s and MB/s) over the sample and development corpora.

.venv/bin/python bench/extract_speed.py [--repeat N]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from policygraph.ingest.extract import extract_text
from policygraph.ingest.readers import read_source

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    paths = sorted((ROOT / "ingest").glob("*.txt")) + sorted((ROOT / "tests/data/corpus-dev").glob("*.txt"))
    sources = [read_source(p) for p in paths]
    size = sum(len(s.text.encode("utf-8")) for s in sources)
    extract_text(sources[0].name, sources[0].text)  # warm the division and alias tables
    started = time.perf_counter()
    for _ in range(args.repeat):
        for source in sources:
            extract_text(source.name, source.text)
    elapsed = time.perf_counter() - started
    docs = len(sources) * args.repeat
    print(f"documents: {len(sources)} x {args.repeat}, {size / 1e6:.2f} MB each pass, one process")
    print(f"extract: {docs / elapsed:.1f} documents/s, {size * args.repeat / 1e6 / elapsed:.2f} MB/s")


if __name__ == "__main__":
    main()
