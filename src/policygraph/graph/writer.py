"""What every sink of the model is: a writer of ``(documents, alignment)``.

Each writer is handed its sink and owns nothing else: ``OxigraphWriter`` an Oxigraph store (the
SPARQL store of a build, or one in memory), ``LadybugWriter`` the path of an embedded Cypher store,
``Neo4jWriter`` a Neo4j driver, ``GraphStoreWriter`` the endpoints of any SPARQL 1.1 store. Writing
the same input twice leaves the sink as once: every writer brings its sink in step with the input,
removing what the input no longer holds. The RDF writers map the model through ``graph.rdf``, the
Cypher ones through ``graph.property``; ``pipeline`` decides which run and when.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

from policygraph.model import Alignment, Document

Report = TypeVar("Report", covariant=True)


class Writer(Protocol[Report]):
    def write(self, documents: Sequence[Document], alignment: Alignment) -> Report:
        """Bring the sink in step with ``documents`` and their ``alignment``; say what it holds now."""
        ...
