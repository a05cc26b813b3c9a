"""Precision and recall of ``policygraph align`` against the gold alignment written by reading.

    .venv/bin/python bench/align_quality.py            # figures per split and per document pair
    .venv/bin/python bench/align_quality.py --tune     # grid search of the settings on the tune split
    .venv/bin/python bench/align_quality.py --errors   # also list every missed and every wrong link

The gold (tests/golden/alignment.json) names measures by quotes; a quote resolves to the extracted
measure whose span holds it. Alignment runs over the whole sample and development corpus at once,
as a user would run it, and is then scored on each gold document pair: a tool link between the two
documents counts as right when the gold has it (either grade), and grades are scored separately.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from policygraph.align.documents import resolve_references  # noqa: E402
from policygraph.align.indicators import group_indicators  # noqa: E402
from policygraph.align.measures import Settings, retrieve, select  # noqa: E402
from policygraph.cli import extract_paths  # noqa: E402

GOLD = ROOT / "tests" / "golden" / "alignment.json"
CORPUS = [str(ROOT / "ingest"), str(ROOT / "tests" / "data" / "corpus-dev"), str(ROOT / "tests" / "data" / "shapes")]


def load(gold_path: Path = GOLD):
    extracted, _ = extract_paths(CORPUS)
    documents = [doc for doc, _ in extracted]
    texts = {doc.source: text for doc, text in extracted}
    by_source = {doc.source: doc for doc in documents}
    return documents, texts, by_source, json.loads(gold_path.read_text(encoding="utf-8"))


def resolve(doc, text: str, quote: str) -> str | None:
    """The id of the measure whose span holds the quote, which must occur once in the text."""
    first = text.find(quote)
    if first == -1 or text.find(quote, first + 1) != -1:
        raise SystemExit(f"gold quote must occur exactly once in {doc.source}: {quote!r}")
    for m in doc.measures:
        if m.start <= first < m.end:
            return m.id
    return None


def gold_links(pair, by_source, texts) -> tuple[dict[tuple[str, str], str], list[dict]]:
    a, b = by_source[pair["a"]], by_source[pair["b"]]
    found: dict[tuple[str, str], str] = {}
    unresolved = []
    for link in pair["links"]:
        ia, ib = resolve(a, texts[a.source], link["a"]), resolve(b, texts[b.source], link["b"])
        if ia is None or ib is None:
            unresolved.append(link)
        else:
            found[ia, ib] = link["grade"]
    return found, unresolved


def score(links, pairs, by_source, texts, show_errors: bool = False) -> dict[str, dict[str, float]]:
    totals: dict[str, list[int]] = {}
    titles = {(d.source, m.id): (m.title or m.text[:24]) for d in by_source.values() for m in d.measures}
    for pair in pairs:
        a, b = by_source[pair["a"]], by_source[pair["b"]]
        gold, unresolved = gold_links(pair, by_source, texts)
        tool: dict[tuple[str, str], str] = {}
        for k in links:
            ends = {k.a.doc.source: k.a.measure.id, k.b.doc.source: k.b.measure.id}
            if set(ends) == {a.source, b.source}:
                tool[ends[a.source], ends[b.source]] = k.grade
        hit = set(tool) & set(gold)
        same_gold = {p for p, g in gold.items() if g == "same"}
        same_tool = {p for p, g in tool.items() if g == "same"}
        related_gold = {p for p, g in gold.items() if g == "related"}
        row = [
            len(hit),
            len(tool),
            len(gold) + len(unresolved),
            len(same_gold & same_tool),
            len(same_tool),
            len(same_gold) + sum(1 for link in unresolved if link["grade"] == "same"),
            len(related_gold & set(tool)),  # related links found, whatever grade they were given
            len(related_gold) + sum(1 for link in unresolved if link["grade"] == "related"),
            sum(1 for p in hit if tool[p] == gold[p]),  # found links graded as the gold grades them
        ]
        for name in (pair["split"], f"{pair['a'][:3]}↔{pair['b'][:3]}"):
            totals[name] = [x + y for x, y in zip(totals.get(name, [0] * 9), row, strict=True)]
        if show_errors:
            print(f"--- {pair['a']} ↔ {pair['b']}")
            for link in unresolved:
                print(f"  not extracted as a measure: {link['a']} | {link['b']}")
            for p in sorted(set(gold) - hit):
                print(f"  missed  ({gold[p]}): {titles[a.source, p[0]]} | {titles[b.source, p[1]]}")
            for p in sorted(set(tool) - hit):
                print(f"  wrong   ({tool[p]}): {titles[a.source, p[0]]} | {titles[b.source, p[1]]}")
            for p in sorted(q for q in hit if tool[q] != gold[q]):
                print(f"  graded {tool[p]}, gold {gold[p]}: {titles[a.source, p[0]]} | {titles[b.source, p[1]]}")
    out = {}
    for name, (hit, tool, gold, same_hit, same_tool, same_gold, rel_hit, rel_gold, graded) in totals.items():
        p, r = hit / tool if tool else 0.0, hit / gold if gold else 0.0
        sp, sr = same_hit / same_tool if same_tool else 0.0, same_hit / same_gold if same_gold else 0.0
        out[name] = {
            "precision": p,
            "recall": r,
            "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "same_precision": sp,
            "same_recall": sr,
            "same_f1": 2 * sp * sr / (sp + sr) if sp + sr else 0.0,
            "related_recall": rel_hit / rel_gold if rel_gold else 0.0,
            "grade_accuracy": graded / hit if hit else 0.0,
            "links": tool,
            "gold": gold,
        }
    return out


def unrelated_links(links, gold, split: str) -> int:
    """Links between documents the gold says have nothing to align: each one is wrong."""
    pairs = {frozenset((p["a"], p["b"])) for p in gold["unrelated"]["pairs"] if p["split"] == split}
    return sum(1 for k in links if frozenset((k.a.doc.source, k.b.doc.source)) in pairs)


def indicator_quality(documents, texts, gold) -> dict[str, float]:
    """Pairwise: two indicators in one gold group should share a tool group, and only those."""
    by_source = {d.source: d for d in documents}
    line_of = {}
    for group_no, group in enumerate(gold["indicator_groups"]["groups"]):
        for member in group["members"]:
            doc = by_source[member["file"]]
            lines = texts[doc.source].split("\n")
            offset = sum(len(line) + 1 for line in lines[: member["line"] - 1]) + 1  # inside the line
            ids = [i.id for i in doc.indicators if i.line == member["line"] or i.start <= offset < i.end]
            line_of[doc.source, member["line"]] = (ids[0] if ids else None, group_no)
    sources = {m["file"] for g in gold["indicator_groups"]["groups"] for m in g["members"]}
    tool_group = {}
    for n, group in enumerate(group_indicators([by_source[s] for s in sorted(sources)])):
        for m in group.members:
            tool_group[m.id] = n
    gold_members = [(ind, g) for ind, g in line_of.values()]
    missing = sum(1 for ind, _ in gold_members if ind is None)
    pairs_gold = {
        frozenset((x[0], y[0])) for x, y in itertools.combinations(gold_members, 2) if x[1] == y[1] and x[0] and y[0]
    }
    known = [ind for ind, _ in gold_members if ind]
    pairs_tool = {
        frozenset((x, y)) for x, y in itertools.combinations(known, 2) if tool_group.get(x, -1) == tool_group.get(y, -2)
    }
    hit = len(pairs_gold & pairs_tool)
    return {
        "members_not_extracted": missing,
        "pair_precision": hit / len(pairs_tool) if pairs_tool else 0.0,
        "pair_recall": hit / len(pairs_gold) if pairs_gold else 0.0,
    }


def tune(candidates, gold, by_source, texts) -> Settings:
    """Best F1 on the tune pairs, where each link between tune-split unrelated documents counts as wrong."""
    pairs = [p for p in gold["pairs"] if p["split"] == "tune"]
    grid = itertools.product(
        (0.2, 0.35, 0.5, 0.65), (0.1, 0.15, 0.2, 0.25, 0.3), (0.3, 0.35, 0.4, 0.45, 0.5), (0.5, 0.6, 0.7, 0.8, 0.9)
    )
    ranked = []
    for weight, related, same, relative in grid:
        if same <= related:
            continue
        s = replace(Settings(), heading_weight=weight, related=related, same=same, relative=relative)
        links = select(candidates, s)
        f = score(links, pairs, by_source, texts)["tune"]
        hit = f["precision"] * f["links"]
        p = hit / (f["links"] + unrelated_links(links, gold, "tune")) if f["links"] else 0.0
        f1 = 2 * p * f["recall"] / (p + f["recall"]) if p + f["recall"] else 0.0
        ranked.append((round(f1, 4), f["same_precision"] + f["same_recall"], s))
    ranked.sort(key=lambda r: (r[0], r[1]), reverse=True)
    for f1, same, s in ranked[:5]:
        print(f"tune F1 {f1:.3f} same P+R {same:.3f}: {s}")
    return ranked[0][2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tune", action="store_true", help="search the settings on the tune split")
    parser.add_argument("--errors", action="store_true", help="list missed and wrong links per pair")
    args = parser.parse_args()
    documents, texts, by_source, gold = load()
    references = resolve_references(documents)
    cited = {frozenset((r.source, r.target)) for r in references if r.target}
    settings = Settings()
    candidates = retrieve(documents, cited, settings)
    if args.tune:
        settings = tune(candidates, gold, by_source, texts)
    links = select(candidates, settings)
    print(f"settings: {settings}")
    print(
        f"{'split / pair':<14} {'P':>6} {'R':>6} {'F1':>6} {'same P':>7} {'same R':>7} {'sameF1':>7} "
        f"{'rel R':>6} {'grade':>6} {'links':>6} {'gold':>5}"
    )
    for name, f in score(links, gold["pairs"], by_source, texts, args.errors).items():
        print(
            f"{name:<14} {f['precision']:6.3f} {f['recall']:6.3f} {f['f1']:6.3f} {f['same_precision']:7.3f} "
            f"{f['same_recall']:7.3f} {f['same_f1']:7.3f} {f['related_recall']:6.3f} {f['grade_accuracy']:6.3f} "
            f"{f['links']:6d} {f['gold']:5d}"
        )
    for split in ("tune", "held_out"):
        print(f"links between unrelated documents ({split}): {unrelated_links(links, gold, split)}")
    iq = indicator_quality(documents, texts, gold)
    print(
        f"indicator groups (001/003/004, pairwise): P {iq['pair_precision']:.3f} R {iq['pair_recall']:.3f}; "
        f"gold members not extracted: {iq['members_not_extracted']}"
    )


if __name__ == "__main__":
    main()
