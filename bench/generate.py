"""Derive N realistic documents from the sample and development corpora, for scale runs.

Each generated document is a real document moved to another county-level region: its region and
city names (full and short) are replaced throughout, so units become that region's units; every
figure in the text is varied by up to ±20 %; the numbered items of each chapter are shuffled, so
measure order and ids differ; and the wording varies as a district's restatement of its city's plan
does: in each paragraph of prose, after its first sentence (which carries the item's heading), a
sentence is dropped with probability ``--drop`` and the rest are reordered (a sentence naming units
stays, last). Tables keep the layout they had (tab-separated, one cell per line, task tables,
indicator tables). So copies of one source are siblings that share many sentences, not
near-verbatim duplicates of each other, and alignment at scale does the work real corpora ask of it.

    python bench/generate.py N OUT_DIR [--seed 7] [--drop 0.3]
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

from policygraph.ingest.readers import read_source
from policygraph.regions import divisions, short_name

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "ingest").glob("*.txt")) + sorted((ROOT / "tests" / "data" / "corpus-dev").glob("*.txt"))
_ITEM = re.compile(r"^\s*(\d{1,2})[.．、]")
_NUMBER = re.compile(r"(?<![\d年])(\d+(?:\.\d+)?)(?=\s*(?:%|％|个|所|人|万|亿|公里|张|家|项|座|条|处|户|平方米|亩))")


def _regions(text: str) -> list[str]:
    names = {d.name for d in divisions()}
    return sorted({n for n in names if len(n) >= 3 and n in text}, key=len, reverse=True)


def _retarget(text: str, rng: random.Random) -> str:
    counties = [d for d in divisions() if d.level in ("county", "district") and d.parent]
    target = rng.choice(counties)
    replacements: dict[str, str] = {}
    for name in _regions(text):
        found = next(d for d in divisions() if d.name == name)
        new = target.parent if found.level in ("municipal", "provincial") else target.name
        replacements[name] = new
        if len(short_name(name)) >= 2:
            replacements[short_name(name)] = short_name(new)
    for old in sorted(replacements, key=len, reverse=True):
        text = text.replace(old, f"\x00{len(old)}\x00")  # placeholders, so a new name is never replaced again
        text = text.replace(f"\x00{len(old)}\x00", replacements[old])
    return text


def _vary_numbers(text: str, rng: random.Random) -> str:
    def vary(match: re.Match[str]) -> str:
        value = float(match.group(1)) * rng.uniform(0.8, 1.2)
        decimals = len(match.group(1).split(".")[1]) if "." in match.group(1) else 0
        return f"{value:.{decimals}f}"

    return _NUMBER.sub(vary, text)


def _shuffle_items(text: str, rng: random.Random) -> str:
    """Shuffle runs of consecutive single-line numbered items (their numbers stay in place)."""
    lines = text.split("\n")
    k = 0
    while k < len(lines):
        run = []
        j = k
        while j < len(lines) and (_ITEM.match(lines[j]) or (run and not lines[j].strip())):
            if lines[j].strip():
                run.append(j)
            j += 1
        if len(run) >= 3:
            bodies = [_ITEM.sub("", lines[i], count=1) for i in run]
            numbers = [_ITEM.match(lines[i]).group(0) for i in run]
            rng.shuffle(bodies)
            for i, number, body in zip(run, numbers, bodies, strict=True):
                lines[i] = number + body
        k = max(j, k + 1)
    return "\n".join(lines)


_SENTENCE = re.compile(r"[^。！？]+[。！？]?")
_NAMES_UNITS = re.compile(r"牵头|负责|单位|部门|配合|参与")


def _vary_wording(text: str, rng: random.Random, drop: float) -> str:
    """Paragraphs of prose with sentences dropped and reordered (see the module's docstring)."""
    lines = text.split("\n")
    for k, line in enumerate(lines):
        if "\t" in line or len(line) < 60 or line.count("。") < 3:
            continue
        first, *rest = _SENTENCE.findall(line)
        units = [s for s in rest if _NAMES_UNITS.search(s) or not s.endswith(("。", "！", "？"))]
        kept = [s for s in rest if s not in units and rng.random() >= drop]
        rng.shuffle(kept)
        lines[k] = first + "".join(kept) + "".join(units)
    return "\n".join(lines)


def generate(n: int, out: Path, seed: int = 7, drop: float = 0.3) -> list[Path]:
    rng = random.Random(seed)
    texts = [read_source(path).text for path in SOURCES]
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for k in range(n):
        base = texts[k % len(texts)]
        text = _vary_wording(_shuffle_items(_vary_numbers(_retarget(base, rng), rng), rng), rng, drop)
        path = out / f"gen_{k:05d}.txt"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--drop", type=float, default=0.3, help="chance that a sentence of prose is left out")
    args = parser.parse_args()
    paths = generate(args.n, args.out, args.seed, args.drop)
    print(f"wrote {len(paths)} documents to {args.out}")


if __name__ == "__main__":
    main()
