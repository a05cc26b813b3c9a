"""Cut and shuffled pieces of real documents never crash the extractor (a crash check, not a speed test)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

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


MEMORY_BOUND_MB = 1200  # measured 770 MB peak for this 52 MB file; 2,080 MB before masking stopped listing characters


@pytest.mark.slow
def test_a_50_mb_document_extracts_in_bounded_memory(tmp_path: Path):
    """The real CLI on one 52 MB file (every sample and development document, repeated); its peak
    resident memory is read from a parent process that has no other children."""
    import json
    import subprocess
    import sys

    paths = sorted((ROOT / "ingest").glob("*.txt")) + sorted((ROOT / "tests/data/corpus-dev").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in paths]
    big = tmp_path / "big.txt"
    with big.open("w", encoding="utf-8") as handle:
        size, k = 0, 0
        while size < 50 * 2**20:
            handle.write(texts[k % len(texts)] + "\n\n")
            size, k = size + len(texts[k % len(texts)].encode("utf-8")) + 2, k + 1
    out = tmp_path / "big.jsonl"
    probe = (
        "import resource, subprocess, sys\n"
        "with open(sys.argv[2], 'w') as out:\n"
        "    code = subprocess.run([sys.executable, '-m', 'policygraph.cli', 'extract', sys.argv[1]], stdout=out,"
        " stderr=subprocess.DEVNULL).returncode\n"
        "print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, str(big), str(out)], capture_output=True, text=True, timeout=900, check=True
    )
    code, peak_mb = map(int, result.stdout.split())
    assert code == 0
    (document,) = [json.loads(line) for line in out.open(encoding="utf-8")]
    # tens of thousands of measures: fewer than one per document copy, since an annex that holds no
    # measures (a 职责清单) passes that on to its parts, and here an annex runs on over the copies after it
    assert document["chars"] > 15_000_000 and len(document["measures"]) > 30_000
    assert peak_mb < MEMORY_BOUND_MB, f"peak {peak_mb} MB"


def _hungry() -> bytes:
    """A stage that asks for more memory than it may have (its address space capped, for real)."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
    return bytes(4 << 30)


def test_a_stage_that_runs_out_of_memory_says_so_in_one_line():
    from policygraph.children import Forked
    from policygraph.errors import PolicygraphError

    with (
        pytest.raises(PolicygraphError, match=r"^aligning ran out of memory: MemoryError"),
        Forked("aligning", _hungry) as child,
    ):
        child.result()
