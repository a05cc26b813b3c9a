"""What an incremental build may reuse: hashes of the code that makes each stage's output.

A build reuses an earlier build's documents (files unchanged since, by size and modification time),
its alignment (links between unchanged documents) and its alignment graph (changed by the
difference) only when the code and data that made them are byte for byte the code and data at
hand: a new rule in ingest, or a new threshold in the aligner, makes the next build extract or
align everything again, as ``build --full`` does.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
# what each stage's output depends on, as paths under the package
_EXTRACTOR = ("ingest", "data", "regions.py", "ids.py", "model.py", "contracts.py")
_ALIGNER = ("align", "data", "ids.py", "model.py")
_WRITER = ("graph", "ontology", "ids.py", "model.py", "shape.py")


@cache
def _digest(parts: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        path = _PACKAGE / part
        for file in sorted(path.rglob("*") if path.is_dir() else [path]):
            if file.is_file() and file.suffix != ".pyc":
                digest.update(str(file.relative_to(_PACKAGE)).encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()[:16]


def extractor() -> str:
    return _digest(_EXTRACTOR)


def aligner() -> str:
    return _digest(_ALIGNER)


def writer() -> str:
    return _digest(_WRITER)
