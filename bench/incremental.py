"""Incremental builds against fresh ones, back to back in one run (the machine is shared and noisy).

    .venv/bin/python bench/incremental.py [--n 300] [--changed 3]

N generated documents (bench/generate.py) are built fresh; a sentence is then added to one measure
of ``--changed`` of them and the same folder is built again (incremental), then with ``--full``;
a fresh build of the changed corpus into another folder is the reference. Prints each build's wall
time and stages, what the incremental build reused, and how its links agree with the fresh build's
(F1 of (a, b, grade)); ``--full`` must reproduce the fresh files byte for byte.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate

from policygraph import folder
from policygraph.pipeline import build_paths


def _edit(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    at = text.find("。", len(text) // 2) + 1
    path.write_text(text[:at] + "加强督促检查，确保各项任务落到实处。" + text[at:], encoding="utf-8")


def _timed(label: str, corpus: Path, out: Path, full: bool = False):
    started = time.perf_counter()
    report = build_paths([corpus], out, full=full)
    seconds = time.perf_counter() - started
    stages = ", ".join(f"{k} {v:.1f}" for k, v in report.seconds.items())
    print(f"  {label:<22} {seconds:6.1f} s  reused {report.reused:4d} files, aligned {report.aligned:4d} documents")
    print(f"    {stages}")
    return report


def _links(out: Path) -> set[tuple[str, str, str]]:
    return {(k.a.id, k.b.id, k.grade) for k in folder.Build(folder.in_use(out)).alignment().measure_links}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--changed", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus, out, fresh = Path(tmp) / "corpus", Path(tmp) / "out", Path(tmp) / "fresh"
        paths = generate(args.n, corpus)
        print(f"N={args.n}, {args.changed} changed")
        _timed("fresh build", corpus, out)
        for path in paths[:: max(1, len(paths) // args.changed)][: args.changed]:
            _edit(path)
        _timed("incremental rebuild", corpus, out)
        incremental = _links(out)
        _timed("fresh build (changed)", corpus, fresh)
        expected = _links(fresh)
        both = len(incremental & expected)
        f1 = 2 * both / (len(incremental) + len(expected)) if incremental or expected else 1.0
        print(f"  links: incremental {len(incremental)}, fresh {len(expected)}, F1 {f1:.4f}")
        _timed("rebuild --full", corpus, out, full=True)
        names = (folder.DOCUMENTS, folder.ALIGNMENT, folder.DUMPS["nquads"])
        same = all(
            (folder.in_use(out) / name).read_bytes() == (folder.in_use(fresh) / name).read_bytes() for name in names
        )
        print(f"  --full reproduces the fresh build byte for byte: {same}")


if __name__ == "__main__":
    main()
