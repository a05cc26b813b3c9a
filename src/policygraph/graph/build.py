"""``policygraph build``: keep an output folder in step with a set of input documents.

A build's outputs (published as one generation, see ``generations``) are ``documents.jsonl`` (the
extracted model), ``alignment.json`` (what ``policygraph align`` prints for the same documents, less
the measures' text), a persistent SPARQL store (``sparql/``, Oxigraph), an embedded Cypher store
(``cypher``, LadybugDB), the ``graph.nq`` dump, the decoded texts (``texts/``) and
``manifest.json``. Document ids derive from their text, so an unchanged document keeps its named
graph, a changed one gets a new graph in place of the old, and a removed one takes its graph with it;
the shared graph and the alignment graph are rebuilt from all documents every time.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.term import Node

from policygraph.align.run import align, to_json
from policygraph.graph import generations
from policygraph.graph.embedded import write_embedded
from policygraph.graph.folder import ALIGNMENT, DOCUMENTS
from policygraph.graph.rdf import alignment_triples, document_triples, shared_triples
from policygraph.graph.vocab import ALIGNMENT_GRAPH, SHARED_GRAPH, graph_iri
from policygraph.model import Document

MANIFEST = "manifest.json"
CHUNK = 200_000  # lines of TriG handed to the store at once
PREFIXES = {
    "pg": "https://w3id.org/policygraph/ontology#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "oa": "http://www.w3.org/ns/oa#",
}


@dataclass
class BuildReport:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (source left out, source kept: same text)
    quads: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)  # wall time per stage, for benchmarks


def _write_texts(folder: Path, documents: list[Document], texts: dict[str, str], earlier: Path | None) -> None:
    """The decoded texts, which the API shows with a measure's passage highlighted; a document given
    without its text keeps the text of the generation before (hard-linked, not copied)."""
    folder.mkdir()
    for doc in documents:
        target = folder / f"{doc.id}.txt"
        if doc.id in texts:
            target.write_text(texts[doc.id], encoding="utf-8")
        elif earlier is not None and (earlier / target.name).exists():
            os.link(earlier / target.name, target)


def _load(store: ox.Store, graphs: Iterable[tuple[URIRef, Iterable[tuple[Node, Node, Node]]]]) -> None:
    """Write named graphs into the store as TriG text that Oxigraph parses and bulk-loads, in chunks
    of ~200,000 triples. At 1,000 documents this is several times faster than making an Oxigraph term
    per term in Python and adding quads in transactions; the bulk loader is not transactional, which
    is safe here because a build that fails never publishes its generation. ``n3()`` is rdflib's own
    Turtle/TriG form of a term."""
    chunk: list[str] = []
    for graph, triples in graphs:
        store.add_graph(ox.NamedNode(str(graph)))  # kept even when empty: an unchanged document is known by it
        opening = f"GRAPH {graph.n3()} {{\n"
        chunk.append(opening)
        for s, p, o in triples:
            chunk.append(f"{s.n3()} {p.n3()} {o.n3()} .\n")
            if len(chunk) >= CHUNK:
                store.bulk_load("".join(chunk) + "}\n", format=ox.RdfFormat.TRIG)
                chunk = [opening]
        chunk.append("}\n")
    store.bulk_load("".join(chunk), format=ox.RdfFormat.TRIG)


def _dump(store: ox.Store, out: Path, extra_formats: Iterable[str]) -> None:
    store.dump(str(out / "graph.nq"), format=ox.RdfFormat.N_QUADS)
    if "trig" in extra_formats:
        store.dump(str(out / "graph.trig"), format=ox.RdfFormat.TRIG)
    if "jsonld" in extra_formats:
        store.dump(str(out / "graph.jsonld"), format=ox.RdfFormat.JSON_LD)
    if "turtle" in extra_formats:
        merged = ox.Store()
        merged.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in store)
        merged.dump(str(out / "graph.ttl"), format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph(), prefixes=PREFIXES)


class _Clock:
    """Records the wall time since the previous call under each stage name."""

    def __init__(self, into: dict[str, float]) -> None:
        self.into, self.last = into, time.perf_counter()

    def __call__(self, stage: str) -> None:
        now = time.perf_counter()
        self.into[stage] = round(now - self.last, 2)
        self.last = now


def build(
    documents: list[Document],
    out: Path,
    progress: Callable[[str], None] = lambda _: None,
    extra_formats: Iterable[str] = (),
    texts: dict[str, str] | None = None,
) -> BuildReport:
    """Bring ``out`` in step with ``documents``; running it twice on the same input changes nothing.

    The outputs are written as a new generation and published at the end in one step (see
    ``generations``); a second build of the same folder meanwhile is refused. ``extra_formats`` may
    ask for ``trig`` (graph.trig: what graph.nq holds, grouped by graph; off by default since it
    doubles the dump time at scale), ``turtle`` (every graph merged into graph.ttl, since Turtle has
    no named graphs) and ``jsonld`` (graph.jsonld, named graphs kept)."""
    out.mkdir(parents=True, exist_ok=True)
    with generations.exclusive(out):
        in_use, fresh = generations.start(out)
        report = _build_into(fresh, in_use, documents, progress, extra_formats, texts or {})
        generations.publish(out, fresh)
    return report


def _alignment_json(documents: list[Document]) -> dict:
    """What ``policygraph align`` prints, less the measures' text (run in the second process)."""
    return to_json(align(documents), with_text=False)


def _unique(documents: list[Document], report: BuildReport) -> list[Document]:
    """One document per text: a document id is its text's hash, so two files with the same text (the
    same plan saved twice) are one document; the first by source name is kept, the others reported."""
    kept: dict[str, Document] = {}
    for doc in sorted(documents, key=lambda d: d.source):
        if doc.id in kept:
            report.duplicates.append((doc.source, kept[doc.id].source))
        else:
            kept[doc.id] = doc
    return [doc for doc in documents if kept[doc.id] is doc]


def _build_into(
    out: Path,
    in_use: Path | None,
    documents: list[Document],
    progress: Callable[[str], None],
    extra_formats: Iterable[str],
    texts: dict[str, str],
) -> BuildReport:
    report = BuildReport()
    documents = _unique(documents, report)
    clock = _Clock(report.seconds)
    # The alignment (all Python, the longest stage) runs in a second process while this one writes
    # the document graphs. It is forked first, before any store is open, so it inherits no store state.
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        aligned = pool.submit(_alignment_json, documents)
        progress("aligning (in a second process)")
        previous = {}
        if in_use is not None and (in_use / MANIFEST).exists():
            previous = json.loads((in_use / MANIFEST).read_text(encoding="utf-8"))
            ox.Store.read_only(str(in_use / "sparql")).backup(str(out / "sparql"))
        current = {doc.id: {"source": doc.source, "title": doc.title} for doc in documents}
        store = ox.Store(str(out / "sparql"))
        for doc_id in sorted(set(previous) - set(current)):
            store.remove_graph(ox.NamedNode(str(graph_iri(doc_id))))
            report.removed.append(doc_id)
        added = []
        for doc in documents:  # the store is a checkpoint of the generation the manifest describes
            if doc.id in previous:
                report.unchanged.append(doc.id)
            else:
                added.append(doc)
                report.added.append(doc.id)

        def document_graphs():
            for n, doc in enumerate(added, start=1):
                yield graph_iri(doc.id), document_triples(doc)
                progress(f"[{n}/{len(added)}] {doc.source}")

        _load(store, document_graphs())
        clock("document graphs")
        alignment = aligned.result()
        clock("alignment (the part not hidden behind the document graphs)")
    for name in (SHARED_GRAPH, ALIGNMENT_GRAPH):  # rebuilt whole each time
        if store.contains_named_graph(ox.NamedNode(str(name))):
            store.remove_graph(ox.NamedNode(str(name)))
    _load(store, [(SHARED_GRAPH, shared_triples(documents)), (ALIGNMENT_GRAPH, alignment_triples(alignment))])
    store.flush()
    clock("shared and alignment graphs")
    with ThreadPoolExecutor(1) as pool:  # Oxigraph writes the dumps without the GIL, beside the files below
        dumps = pool.submit(_dump, store, out, extra_formats)
        _write_texts(out / "texts", documents, texts, in_use / "texts" if in_use else None)
        with (out / DOCUMENTS).open("w", encoding="utf-8") as handle:
            for doc in sorted(documents, key=lambda d: d.id):
                handle.write(json.dumps(asdict(doc), ensure_ascii=False) + "\n")
        (out / ALIGNMENT).write_text(json.dumps(alignment, ensure_ascii=False) + "\n", encoding="utf-8")
        (out / MANIFEST).write_text(json.dumps(current, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
        report.quads = len(store)
        clock("texts, documents.jsonl, alignment.json")
        write_embedded(documents, out / "cypher", alignment)
        clock("Cypher store")
        dumps.result()
        clock("dumps (the part not hidden behind the two stages before)")
    report.counts = {
        "documents": len(documents),
        "measures": sum(len(d.measures) for d in documents),
        "indicators": sum(len(d.indicators) for d in documents),
        "projects": sum(len(d.projects) for d in documents),
        "units": len({u.id for d in documents for u in d.units}),
        "measure links": len(alignment["measure_links"]),
    }
    return report
