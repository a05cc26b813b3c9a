"""Alignment time over many small documents: how it grows with the number of documents.

A corpus of many short plans (a county's one-page 工作方案 of five to eight measures) is where an
aligner that compares every pair of documents shows it: the pairs grow with the square of the
documents while the measures grow linearly. Each small document here is a real plan's topic moved to
a random county, district or city (one in five is a city's), holding five to eight of that plan's
measures, so documents of one topic are siblings that share measures and city and county documents
of one topic restate one another.

    .venv/bin/python bench/align_scale.py [--sizes 500 1000 2000 5000] [--seed 7]

Prints, per N: measures, wall time of ``align`` (one process), links, and the compared document pairs.
"""

from __future__ import annotations

import argparse
import random
import time

from generate import SOURCES

from policygraph.align.run import align
from policygraph.ingest.extract import extract_text
from policygraph.ingest.readers import read_source
from policygraph.model import Document
from policygraph.regions import divisions


def _pool() -> list[Document]:
    documents = [extract_text(path.name, read_source(path).text) for path in SOURCES]
    return [doc for doc in documents if len(doc.measures) >= 5 and doc.region]


def small_documents(n: int, seed: int = 7) -> list[Document]:
    """``n`` short plans (see the module's docstring), extracted from their text."""
    rng = random.Random(seed)
    pool = _pool()
    places = [d for d in divisions() if d.level in ("county", "district") and d.parent]
    out: list[Document] = []
    for k in range(n):
        source = rng.choice(pool)
        place = rng.choice(places)
        region = place.parent if rng.random() < 0.2 else place.name
        title = source.title.replace(source.region, region) if source.region in source.title else region + source.title
        measures = rng.sample(source.measures, min(len(source.measures), rng.randint(5, 8)))
        items = "\n\n".join(
            f"（{'一二三四五六七八'[i]}）{m.text.replace(source.region, region)}" for i, m in enumerate(measures)
        )
        text = f"{title}\n\n{region}人民政府办公室\n\n2025年3月{k % 28 + 1}日\n\n一、主要任务\n\n{items}\n"
        out.append(extract_text(f"small_{k:05d}.txt", text))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 1000, 2000, 5000])
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print("| N | measures | align | links | compared document pairs |")
    print("|---|---|---|---|---|")
    for n in args.sizes:
        documents = small_documents(n, args.seed)
        started = time.perf_counter()
        alignment = align(documents)
        seconds = time.perf_counter() - started
        measures = sum(len(d.measures) for d in documents)
        pairs = len({frozenset((link.a.document, link.b.document)) for link in alignment.measure_links})
        print(f"| {n:,} | {measures:,} | {seconds:.1f} s | {len(alignment.measure_links):,} | {pairs:,} linked |")


if __name__ == "__main__":
    main()
