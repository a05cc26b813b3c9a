"""Three questions researchers ask, answered from a build folder with the library (no server).

    .venv/bin/python examples/questions.py out/graph

1. Which measures does a unit lead, and in which documents? (恩阳区's 人社局)
2. How do two plans compare on their indicators, with units of measure and 属性? (岳池县 and 自贡市)
3. What does each lower-level plan do about one of a higher-level plan's measures? (自贡市's plan)

Each is one call on ``policygraph.open_corpus`` (the answers the REST API gives, as model objects);
``policygraph.frame`` turns any of them into a pandas DataFrame. The README shows the same questions
as curl calls, SPARQL and Cypher; ``tests/test_examples.py`` runs this script on the sample corpus
and checks its answers against the API's.
"""

from __future__ import annotations

import sys
from itertools import groupby
from pathlib import Path

import policygraph as pg


def figures(indicator: pg.Indicator | None) -> str:
    if indicator is None:
        return "–"
    return f"{indicator.baseline or '–'} → {indicator.target or '–'} {indicator.unit} {indicator.nature}".strip()


def main() -> None:
    corpus = pg.open_corpus(Path(sys.argv[1] if len(sys.argv) > 1 else "out/graph"))
    plan_of = {doc.region: doc for doc in corpus.documents_in_order}
    print("1. 恩阳区人社局 leads:")
    for doc, measure in corpus.led_by("恩阳区人力资源和社会保障局"):
        print(f"   {doc.title} | {measure.number} {measure.title}")
    print("2. 岳池县 and 自贡市 on their indicators (baseline → target, unit, 属性):")
    for concept, a, b in corpus.compare(plan_of["岳池县"].id, plan_of["自贡市"].id):
        if a is not None and b is not None:
            print(f"   {concept}: 岳池县 {figures(a)} | 自贡市 {figures(b)}")
    print("3. What the other plans do about 自贡市's measures:")
    same = [row for row in corpus.carried_out(plan_of["自贡市"].id) if row[3].grade == "same"]
    for higher, rows in [(higher, list(rows)) for higher, rows in groupby(same, key=lambda row: row[0])][:5]:
        print(f"   {higher.title or higher.text[:20]}")
        for doc, lower in groupby(rows, key=lambda row: row[1]):
            print(f"     {doc.title}: {'；'.join(row[2].title or row[2].text[:20] for row in lower)}")
    table = pg.frame(corpus.led_by("区人社局"))
    print(f"4. As a DataFrame: {len(table)} measures led by a 人社局, columns {', '.join(table.columns[:4])} …")


if __name__ == "__main__":
    main()
