"""A build folder: its layout, named once, and its typed reader.

``policygraph build`` writes each build as a generation (``gen-000007/``, see ``generations``) and
points ``current`` at it. A generation holds the extracted model (``documents.jsonl``), its
alignment (``alignment.json``), the stores (``sparql/``: Oxigraph; ``cypher``: LadybugDB), the dump
(``graph.nq``, and others on request), the decoded texts (``texts/``), ``manifest.json`` and
``sources.json`` (what the next build may reuse). The CLI,
the API, the views and ``load neo4j`` all read a build through ``Build``, so that every file of one
answer comes from one generation.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from policygraph.contracts import alignment_from_json, document_from_json
from policygraph.errors import PolicygraphError
from policygraph.model import Alignment, Document, documents_matching

DOCUMENTS = "documents.jsonl"
ALIGNMENT = "alignment.json"
MANIFEST = "manifest.json"
SOURCES = "sources.json"  # the input files a build read, and the code fingerprints (see ``fingerprints``)
SPARQL = "sparql"
CYPHER = "cypher"
TEXTS = "texts"
DUMPS = {"nquads": "graph.nq", "trig": "graph.trig", "turtle": "graph.ttl", "jsonld": "graph.jsonld"}
CURRENT = "current"  # the symlink to the generation in use
LOCK = ".lock"  # held by the build writing the folder


def one_document(documents: Iterable[Document], key: str) -> Document:
    """The document a reader's key names (its id, or the start of its source file name: 004,
    06_sh_public…, as the CLI, the API and the library take them); an error when none or several do."""
    found = documents_matching(documents, key)
    if len(found) != 1:
        raise PolicygraphError(
            f"no document {key}" if not found else f"{len(found)} documents match {key}; give more of it"
        )
    return found[0]


def in_use(folder: Path) -> Path:
    """The directory of the complete build in use: one ``readlink``, cheap enough for every API
    request, so that a build publishing its next generation meanwhile cannot mix two builds' files.
    A folder written before generations existed is its own."""
    try:
        return folder / os.readlink(folder / CURRENT)
    except OSError:
        return folder


@dataclass(frozen=True)
class Build:
    """One complete build (a generation), read through its named paths."""

    path: Path

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def sparql(self) -> Path:
        return self.path / SPARQL

    @property
    def cypher(self) -> Path:
        return self.path / CYPHER

    @property
    def texts(self) -> Path:
        return self.path / TEXTS

    def documents(self) -> list[Document]:
        path = self.path / DOCUMENTS
        if not path.exists():
            raise PolicygraphError(
                f"{self.path}: no {DOCUMENTS} here; run 'policygraph build PATH --out {self.path}' first"
            )
        with path.open(encoding="utf-8") as handle:
            return [document_from_json(json.loads(line)) for line in handle if line.strip()]

    def alignment(self) -> Alignment:
        """The alignment; an empty one for a folder built before alignment existed."""
        path = self.path / ALIGNMENT
        if not path.exists():
            return Alignment(method="")
        return alignment_from_json(json.loads(path.read_text(encoding="utf-8")))

    def fingerprint(self) -> str:
        """A hash of what the build holds (documents.jsonl, alignment.json): equal for two builds of
        the same documents, whatever generation; loads compare it without parsing either file."""
        digest = hashlib.sha256()
        for name in (DOCUMENTS, ALIGNMENT):
            path = self.path / name
            if path.exists():
                with path.open("rb") as handle:
                    while chunk := handle.read(1 << 20):
                        digest.update(chunk)
            digest.update(b"\0")
        return digest.hexdigest()

    def sources(self) -> dict:
        """The input files this build read and the fingerprints of the code that read and aligned
        them ({} for a build made before builds were incremental)."""
        path = self.path / SOURCES
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}

    def text(self, doc_id: str) -> str:
        """A document's decoded text (what every offset indexes); "" when the build does not hold it."""
        path = self.texts / f"{doc_id}.txt"
        return path.read_text(encoding="utf-8") if path.exists() else ""


def open_build(folder: Path) -> Build:
    """The build in use in ``folder``."""
    return Build(in_use(folder))
