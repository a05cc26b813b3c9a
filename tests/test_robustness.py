"""Cut and shuffled pieces of real documents never crash the extractor (a crash check, not a speed test)."""

from __future__ import annotations

import random
from pathlib import Path

from policygraph.ingest.extract import extract_text

ROOT = Path(__file__).resolve().parent.parent


def test_fragments_of_real_documents_never_crash():
    paths = sorted((ROOT / "ingest").glob("*.txt")) + sorted((ROOT / "tests/data/corpus-dev").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8").split("\n") for p in paths]
    rng = random.Random(7)
    for _ in range(150):
        lines = rng.choice(texts)
        start = rng.randrange(len(lines))
        piece = lines[start : start + rng.randrange(1, 150)]
        if rng.random() < 0.5:
            rng.shuffle(piece)
        text = "\n".join(piece)
        text = text[: rng.randrange(len(text) + 1)]
        document = extract_text("fragment.txt", text)
        assert document.chars == len(text)
        for measure in document.measures:
            assert 0 <= measure.start <= measure.end <= len(text)
