"""Three questions researchers ask, answered from a build folder with the library (no server).

    .venv/bin/python examples/questions.py out/graph

1. Which measures does a unit lead, and in which documents? (恩阳区's 人社局)
2. How do two plans compare on their indicators, with units of measure and 属性? (岳池县 and 自贡市)
3. What does each lower-level plan do about one of a higher-level plan's measures? (自贡市's plan)

The README shows the same questions as curl calls, SPARQL and Cypher; ``tests/test_examples.py``
runs this script on the sample corpus and checks its answers.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

import policygraph as pg


def measures_led_by(build: pg.Build, unit_name: str) -> list[tuple[str, str, str]]:
    """(document title, number, title) of each measure the unit leads, as the documents read."""
    documents = build.documents()
    unit_ids = {u.id for d in documents for u in d.units if u.name == unit_name or unit_name in u.aliases}
    return [
        (d.title, m.number, m.title)
        for d in sorted(documents, key=lambda d: d.title)
        for m in sorted(d.measures, key=lambda m: m.start)
        if any(r.role == "lead" and r.unit_id in unit_ids for r in m.unit_roles)
    ]


def compare_indicators(build: pg.Build, region_a: str, region_b: str) -> list[tuple[str, str, str]]:
    """For each indicator concept both regions' plans hold: the concept, and each side's baseline →
    target with its unit of measure and 属性."""
    documents = {d.id: d for d in build.documents()}
    side = {region_a: "a", region_b: "b"}
    indicators = {(d.id, i.id): i for d in documents.values() for i in d.indicators}
    rows = []
    for group in build.alignment().indicator_groups:
        held: dict[str, str] = {}
        for member in group.members:
            where = side.get(documents[member.document].region)
            if where is not None and where not in held:
                i = indicators[member.document, member.id]
                held[where] = f"{i.baseline or '–'} → {i.target or '–'} {i.unit} {i.nature}".strip()
        if len(held) == 2:
            rows.append((group.concept, held["a"], held["b"]))
    return sorted(rows)


def carried_out(build: pg.Build, region: str) -> dict[str, dict[str, list[str]]]:
    """For each measure of the region's plan graded "same" with lower-level measures: the lower-level
    documents' titles, each with the measures that carry it out."""
    documents = {d.id: d for d in build.documents()}
    titles = {(d.id, m.id): m.title or m.text[:20] for d in documents.values() for m in d.measures}
    out: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for link in build.alignment().measure_links:
        higher, lower = documents[link.a.document], documents[link.b.document]
        if link.grade == "same" and higher.region == region and lower.region != region:
            out[titles[link.a.document, link.a.id]][lower.title].append(titles[link.b.document, link.b.id])
    return out


def main() -> None:
    build = pg.open_build(Path(sys.argv[1] if len(sys.argv) > 1 else "out/graph"))
    print("1. 恩阳区人社局 leads:")
    for title, number, measure in measures_led_by(build, "恩阳区人力资源和社会保障局"):
        print(f"   {title} | {number} {measure}")
    print("2. 岳池县 and 自贡市 on their indicators (baseline → target, unit, 属性):")
    for concept, a, b in compare_indicators(build, "岳池县", "自贡市"):
        print(f"   {concept}: 岳池县 {a} | 自贡市 {b}")
    print("3. What the other plans do about 自贡市's measures:")
    for measure, by_document in sorted(carried_out(build, "自贡市").items())[:5]:
        print(f"   {measure}")
        for title, measures in sorted(by_document.items()):
            print(f"     {title}: {'；'.join(measures)}")


if __name__ == "__main__":
    main()
