"""What a build folder holds, read back: the documents and their alignment.

Kept apart from ``build`` so that the CLI's readers and the API load these files without importing
the stores and the alignment machinery that write them."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from policygraph.errors import PolicygraphError
from policygraph.model import Document, document_from_dict

DOCUMENTS = "documents.jsonl"
ALIGNMENT = "alignment.json"
CURRENT = "current"  # the symlink to the generation in use (see graph/generations.py)


def generation(folder: Path) -> Path:
    """The directory of the complete build in use: read every file of one answer from here, so that a
    build publishing its next generation meanwhile cannot mix two builds' files. One ``readlink``,
    cheap enough for every API request. A folder written before generations existed is its own."""
    try:
        return folder / os.readlink(folder / CURRENT)
    except OSError:
        return folder


def read_documents(folder: Path) -> list[Document]:
    path = folder / DOCUMENTS
    if not path.exists():
        raise PolicygraphError(f"{folder}: no {DOCUMENTS} here; run 'policygraph build PATH --out {folder}' first")
    with path.open(encoding="utf-8") as handle:
        return [document_from_dict(json.loads(line)) for line in handle if line.strip()]


def read_alignment(folder: Path) -> dict | None:
    """None for a folder built before alignment existed."""
    path = folder / ALIGNMENT
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def between(links: list[dict], a: str, b: str) -> list[dict]:
    """The measure or section links (alignment JSON) joining documents ``a`` and ``b``, either way round."""
    return [k for k in links if {k["a"]["document"], k["b"]["document"]} == {a, b}]


@dataclass(frozen=True)
class ScoredLink:
    """A measure or section link of the alignment JSON, flattened for the graph writers (RDF and
    property graph); a section link has no grade, reason, text similarity or terms."""

    a_kind: str  # measure or section
    a_id: str
    b_kind: str
    b_id: str
    score: float
    heading_similarity: float
    grade: str = ""
    compared_because: str = ""
    text_similarity: float | None = None
    shared_terms: tuple[str, ...] = ()


def scored_links(alignment: dict) -> Iterator[ScoredLink]:
    for k in alignment["measure_links"]:
        evidence = k["evidence"]
        yield ScoredLink(
            "measure",
            k["a"]["id"],
            "measure",
            k["b"]["id"],
            k["score"],
            evidence["heading_similarity"],
            k["grade"],
            evidence["documents_compared_because"],
            evidence["text_similarity"],
            tuple(evidence["shared_terms"]),
        )
    for s in alignment["section_links"]:
        yield ScoredLink(
            s["a"]["kind"], s["a"]["id"], s["b"]["kind"], s["b"]["id"], s["score"], s["heading_similarity"]
        )
