"""The SPARQL store: the model's named graphs written into an Oxigraph store, and its dumps.

One named graph per document, the shared graph and the alignment graph (see ``graph.rdf``). A
document's graph is written only when the store does not hold it yet (its id is its text's hash, so
a held graph is that document's, unchanged); a graph of ours no input document has is removed; the
shared and alignment graphs are replaced whole.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
from rdflib import URIRef

from policygraph import ids
from policygraph.graph.rdf import Triple, alignment_triples, document_triples, shared_triples
from policygraph.graph.vocab import ALIGNMENT_GRAPH, SHARED_GRAPH, graph_iri
from policygraph.model import Alignment, Document

CHUNK = 200_000  # lines of TriG handed to the store at once
DERIVED_GRAPHS = (ids.SHARED_GRAPH, ids.ALIGNMENT_GRAPH)  # rebuilt whole each time
PREFIXES = {
    "pg": "https://w3id.org/policygraph/ontology#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "oa": "http://www.w3.org/ns/oa#",
}


@dataclass
class Changes:
    """Document graphs by what writing did to them (document ids)."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


class NQuads:
    """graph.nq as it is written: every graph's quads, contiguous, and where each graph's stand in the
    file (``ranges``, graph name → (start, end)), so that the next build can copy a graph it keeps
    from this file (``earlier``: the file and ranges of the build before, written by the same code)
    instead of making its text again. Opened with ``with``: the file written and the earlier one."""

    def __init__(self, path: Path, earlier: tuple[Path, dict[str, list[int]]] | None = None) -> None:
        self.path, self.earlier = path, earlier
        self.ranges: dict[str, tuple[int, int]] = {}
        self._pending: list[tuple[str, list[str]]] = []  # (graph, its quad lines) not yet written
        self._lines = 0
        self._stack = contextlib.ExitStack()

    def __enter__(self) -> NQuads:
        self.handle: BinaryIO = self._stack.enter_context(self.path.open("wb"))
        self._source: BinaryIO | None = None
        if self.earlier is not None:
            try:
                self._source = self._stack.enter_context(self.earlier[0].open("rb"))
            except OSError:  # gone: every graph is made again
                self._source = None
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def add(self, graph: str, line: str) -> None:
        if not self._pending or self._pending[-1][0] != graph:
            self._pending.append((graph, []))
        self._pending[-1][1].append(line)
        self._lines += 1
        if self._lines >= CHUNK:
            self.flush()

    def copy(self, graph: str) -> bool:
        """Copy ``graph``'s quads from the earlier file, if it holds them where it said (a file changed
        since is not trusted: its graph is made again)."""
        span = self.earlier[1].get(graph) if self.earlier is not None else None
        if span is None or self._source is None:
            return False
        try:
            self._source.seek(span[0])
            data = self._source.read(span[1] - span[0])
        except OSError:
            return False
        if not data.startswith(b"<") or not data.endswith(f" <{graph}> .\n".encode()):
            return False
        self.flush()
        self._put(graph, data)
        return True

    def flush(self) -> None:
        for graph, lines in self._pending:
            self._put(graph, "".join(lines).encode())
        self._pending, self._lines = [], 0

    def _put(self, graph: str, data: bytes) -> None:
        start = self.handle.tell()
        self.handle.write(data)
        self.ranges[graph] = (self.ranges.get(graph, (start, start))[0], self.handle.tell())


def document_graphs(store: ox.Store) -> set[str]:
    """The ids of the documents whose graphs the store holds."""
    names = {graph.value for graph in store.named_graphs() if isinstance(graph, ox.NamedNode)}
    return {name[len(ids.GRAPH) :] for name in names if name.startswith(ids.GRAPH) and name not in DERIVED_GRAPHS}


class OxigraphWriter:
    """Writes into ``store``; ``progress`` hears of each document graph written."""

    def __init__(self, store: ox.Store, progress=lambda _line: None) -> None:
        self.store, self.progress = store, progress

    def write_documents(self, documents: Sequence[Document], nquads: NQuads | None = None) -> Changes:
        """The document graphs only: what a build writes while its alignment is being computed. Given
        ``nquads``, every document's graph is also written to it, in the order of their ids, the
        graphs the store already holds too (copied from the build before, or made again from their
        documents: dumping them back out of the store would take longer)."""
        changes = Changes()
        held = document_graphs(self.store)
        wanted = {doc.id for doc in documents}
        for doc_id in sorted(held - wanted):
            self.store.remove_graph(ox.NamedNode(ids.graph_iri(doc_id)))
            changes.removed.append(doc_id)
        for doc in documents:
            (changes.unchanged if doc.id in held else changes.added).append(doc.id)
        added = len(changes.added)

        def graphs() -> Iterator[tuple[URIRef, Iterable[Triple], bool]]:
            n = 0
            for doc in sorted(documents, key=lambda d: d.id) if nquads is not None else documents:
                if doc.id not in held:
                    n += 1
                    yield graph_iri(doc.id), document_triples(doc), True
                    self.progress(f"[{n}/{added}] {doc.source}")
                elif nquads is not None and not nquads.copy(str(graph_iri(doc.id))):
                    yield graph_iri(doc.id), document_triples(doc), False

        self._load(graphs(), nquads)
        return changes

    def write(self, documents: Sequence[Document], alignment: Alignment) -> Changes:
        changes = self.write_documents(documents)
        self.write_shared(documents)
        self.write_alignment(alignment)
        return changes

    def write_shared(self, documents: Sequence[Document], nquads: NQuads | None = None) -> None:
        """The shared graph, rebuilt whole: a build writes it while the alignment is still computed."""
        self._replace(SHARED_GRAPH, shared_triples(documents), nquads)

    def write_alignment(
        self, alignment: Alignment, held: Alignment | None = None, nquads: NQuads | None = None
    ) -> None:
        """The alignment graph: rebuilt whole, or, given the alignment the store ``held`` (an
        incremental build's checkpoint, written by this same code), changed by the difference: removing
        a large graph from the store costs many times what writing it does, and an incremental
        alignment keeps most links. The whole graph is also written to ``nquads`` as N-Quads (the
        text made for the store: dumping it back out of the store would take several times longer)."""
        graph = ox.NamedNode(str(ALIGNMENT_GRAPH))
        if held is None or not self.store.contains_named_graph(graph):
            self._replace(ALIGNMENT_GRAPH, alignment_triples(alignment), nquads)
        else:
            before, after = set(alignment_triples(held)), list(alignment_triples(alignment))
            gone = sorted(before.difference(after))
            for start in range(0, len(gone), CHUNK):
                lines = "".join(f"{s} {p} {o} .\n" for s, p, o in gone[start : start + CHUNK])
                self.store.update(f"DELETE DATA {{ GRAPH {ALIGNMENT_GRAPH.n3()} {{\n{lines}}} }}")
            self._load([(ALIGNMENT_GRAPH, (t for t in after if t not in before), True)])
            self._load([(ALIGNMENT_GRAPH, after, False)], nquads)  # graph.nq holds the whole graph
        self.store.flush()

    def _replace(self, graph: URIRef, triples: Iterable[Triple], nquads: NQuads | None = None) -> None:
        if self.store.contains_named_graph(ox.NamedNode(str(graph))):
            self.store.remove_graph(ox.NamedNode(str(graph)))
        self._load([(graph, triples, True)], nquads)

    def _load(self, graphs: Iterable[tuple[URIRef, Iterable[Triple], bool]], nquads: NQuads | None = None) -> None:
        """Named graphs as TriG text that Oxigraph parses and bulk-loads, ~200,000 triples at a time,
        each graph only if its flag says so (and, given ``nquads``, every graph as N-Quads to it). At
        1,000 documents this is several times faster than making an Oxigraph term per term in Python
        and adding quads in transactions; the bulk loader is not transactional, which is safe for a
        build because a build that fails never publishes its generation. The triples come as
        N-Triples text already (see ``graph.rdf``)."""
        chunk: list[str] = []
        for graph, triples, load in graphs:
            name = graph.n3()
            if load:
                self.store.add_graph(ox.NamedNode(str(graph)))  # kept even when empty: a held document is known by it
                opening = f"GRAPH {name} {{\n"
                chunk.append(opening)
            for s, p, o in triples:
                if load:
                    chunk.append(f"{s} {p} {o} .\n")
                    if len(chunk) >= CHUNK:
                        self.store.bulk_load("".join(chunk) + "}\n", format=ox.RdfFormat.TRIG)
                        chunk = [opening]
                if nquads is not None:
                    nquads.add(str(graph), f"{s} {p} {o} {name} .\n")
            if load:
                chunk.append("}\n")
        if chunk:
            self.store.bulk_load("".join(chunk), format=ox.RdfFormat.TRIG)
        if nquads is not None:
            nquads.flush()


def dump(store: ox.Store, files: dict[str, Path]) -> None:
    """Dump the store to each of ``files`` (format name → path: nquads, trig, jsonld, turtle);
    Turtle has no named graphs, so its file holds every graph merged."""
    formats = {"nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD}
    for name, path in files.items():
        if name in formats:
            store.dump(str(path), format=formats[name])
        elif name == "turtle":
            merged = ox.Store()
            merged.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in store)
            merged.dump(str(path), format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph(), prefixes=PREFIXES)
