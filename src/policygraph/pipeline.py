"""The whole job: extract → align → write → publish a generation (``policygraph build``).

``build`` keeps an output folder in step with a set of documents. Each build writes a new
generation (see ``generations``) holding the files ``folder`` names: the model
(``documents.jsonl``), its alignment (``alignment.json``, what ``policygraph align`` prints less the
measures' text), the SPARQL store, the embedded Cypher store, the dumps, the decoded texts, the
manifest and what the next build may reuse (``sources.json``). Document ids derive from their text,
so an unchanged document keeps its named graph, a changed one gets a new graph in place of the old,
and a removed one takes its graph with it; the shared graph, the alignment graph and the Cypher
store are rebuilt from all documents every time.

A build is incremental unless asked for ``full``: a file whose size and modification time are those
the build in use read is not extracted again (its document is taken from that build), and only the
measures of documents that build did not hold are aligned, its links between the others kept (see
``align.run``); both only while the code that made them is unchanged (``fingerprints``).

Three processes share the work: this one writes the SPARQL store and the files, a forked child
aligns meanwhile, and another writes the Cypher store while the alignment graph is loaded and
``alignment.json`` written (see ``children``). ``graph.nq`` is written from the text the SPARQL store
loads, as it loads it; the document graphs a rebuild keeps are copied from the build in use's
``graph.nq``, at the places its ``sources.json`` recorded (``graphs``).
"""

from __future__ import annotations

import json
import os
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from policygraph import fingerprints, folder, generations
from policygraph.align.run import align
from policygraph.children import Forked
from policygraph.contracts import alignment_json, document_json
from policygraph.errors import PolicygraphError, shown
from policygraph.graph.embedded import LadybugWriter
from policygraph.graph.oxigraph_store import NQuads, OxigraphWriter, dump
from policygraph.graph.vocab import SHARED_GRAPH
from policygraph.ingest.batch import DEFAULT_MEMORY, DEFAULT_TIME, Budget, extract_each, find_inputs
from policygraph.model import Alignment, Document
from policygraph.write_errors import naming, write_failure

Progress = Callable[[str], None]


@dataclass
class BuildReport:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (source left out, source kept: same text)
    quads: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)  # wall time per stage, for benchmarks
    failed: int = 0  # input files that could not be extracted (each said through ``progress``)
    reused: int = 0  # input files not extracted again: the build in use read them as they are
    aligned: int = 0  # documents whose measures were aligned (the others' links were kept)


def build_paths(
    paths: Sequence[str | Path],
    out: Path,
    progress: Progress = lambda _: None,
    extra_formats: Iterable[str] = (),
    time_budget: Budget | None = DEFAULT_TIME,
    memory_budget: Budget | None = DEFAULT_MEMORY,
    full: bool = False,
) -> BuildReport:
    """Extract ``paths`` (the files the build in use read, unchanged since, are taken from it unless
    ``full``) and build ``out`` from what they hold."""
    inputs = find_inputs([str(p) for p in paths], progress)
    reused = {} if full else _reusable(out, inputs)
    todo = [path for path in inputs if path not in reused]
    extracted = dict(zip(todo, extract_each(todo, time_budget, memory_budget, progress), strict=True))
    documents, sources = [], {}
    for path in inputs:  # in input order, as a fresh build has them
        doc = reused[path] if path in reused else (extracted[path] or (None, ""))[0]
        if doc is not None:
            documents.append(doc)
            stat = path.stat()
            sources[_key(path)] = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "id": doc.id}
    texts = {doc.id: text for doc, text in filter(None, extracted.values())}
    report = build(documents, out, progress, extra_formats, texts, full, sources)
    report.failed = sum(1 for found in extracted.values() if found is None)
    report.reused = len(reused)
    return report


def _key(path: Path) -> str:
    """A file's key in ``sources.json``: its absolute path, as valid UTF-8 (a name that is not is
    escaped, as in messages)."""
    return shown(path.resolve())


def _reusable(out: Path, inputs: list[Path]) -> dict[Path, Document]:
    """The inputs the build in use read as they are now (same size and modification time), by the
    same extractor, with their documents as that build holds them."""
    try:
        earlier = folder.Build(folder.in_use(out))
        sources = earlier.sources()
    except (OSError, ValueError):
        return {}
    if sources.get("extractor") != fingerprints.extractor() or not sources.get("files"):
        return {}
    wanted: dict[Path, str] = {}
    for path in inputs:
        seen = sources["files"].get(_key(path))
        try:
            stat = path.stat()
        except OSError:
            continue  # its reader says what is wrong with it
        if seen and seen["size"] == stat.st_size and seen["mtime_ns"] == stat.st_mtime_ns:
            wanted[path] = seen["id"]
    if not wanted:
        return {}
    held = {doc.id: doc for doc in earlier.documents() if (earlier.texts / f"{doc.id}.txt").exists()}
    return {path: held[doc_id] for path, doc_id in wanted.items() if doc_id in held}


def build(
    documents: list[Document],
    out: Path,
    progress: Progress = lambda _: None,
    extra_formats: Iterable[str] = (),
    texts: dict[str, str] | None = None,
    full: bool = False,
    sources: dict[str, dict] | None = None,
) -> BuildReport:
    """Bring ``out`` in step with ``documents``; running it twice on the same input changes nothing.

    The outputs are written as a new generation and published at the end in one step; a second build
    of the same folder meanwhile is refused. ``extra_formats`` may ask for ``trig`` (graph.trig:
    what graph.nq holds, grouped by graph; off by default since it doubles the dump time at scale),
    ``turtle`` (every graph merged into graph.ttl, since Turtle has no named graphs) and ``jsonld``
    (graph.jsonld, named graphs kept). ``texts`` are the documents' decoded texts, by id; ``full``
    aligns every document afresh (else only those the build in use does not hold); ``sources``: the
    input files the documents were read from (path → size, mtime_ns, id), for the next build."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        with generations.exclusive(out):
            in_use, fresh = generations.start(out)
            try:
                report = _build_into(
                    fresh, in_use, documents, progress, extra_formats, texts or {}, full, sources or {}
                )
                generations.publish(out, fresh)
            except BaseException as exc:
                reason = write_failure(exc, out)  # before the partial generation goes: it may be what filled the disk
                # The traceback holds the stores open (RocksDB's threads may still be writing into
                # the directory); let go of them before removing it.
                traceback.clear_frames(exc.__traceback__)
                generations.discard(out, fresh)
                if reason is None:
                    raise
                kept = f"{in_use.name} is still in use" if in_use is not None else "no build was published"
                raise PolicygraphError(f"{out}: {reason}; this build was abandoned, {kept}") from None
    except OSError as exc:  # before a generation was started: the lock file, the folder itself
        reason = write_failure(exc, out)
        if reason is None:
            raise
        raise PolicygraphError(f"{out}: {reason}") from None
    return report


class _Clock:
    """Records the wall time since the previous call under each stage name."""

    def __init__(self, into: dict[str, float]) -> None:
        self.into, self.last = into, time.perf_counter()

    def __call__(self, stage: str) -> None:
        now = time.perf_counter()
        self.into[stage] = round(now - self.last, 2)
        self.last = now


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


def _alignment_to_keep(
    earlier: folder.Build, made_by: dict, documents: list[Document]
) -> tuple[Alignment | None, set[str] | None]:
    """The alignment of the build in use and the documents it did not align (an alignment lists every
    document it aligned under ``unmatched``), when the same code made it (``made_by``: that build's
    ``sources.json``); else None, None: align afresh."""
    if made_by.get("aligner") != fingerprints.aligner() or made_by.get("extractor") != fingerprints.extractor():
        return None, None
    before = earlier.alignment()
    return before, {doc.id for doc in documents if doc.id not in before.unmatched}


def _write_texts(into: Path, documents: list[Document], texts: dict[str, str], earlier: Path | None) -> None:
    """The decoded texts, which the API shows with a measure's passage highlighted; a document given
    without its text keeps the text of the generation before (hard-linked, not copied)."""
    into.mkdir()
    for doc in documents:
        target = into / f"{doc.id}.txt"
        if doc.id in texts:
            with naming(target):
                target.write_text(texts[doc.id], encoding="utf-8")
        elif earlier is not None and (earlier / target.name).exists():
            os.link(earlier / target.name, target)


def _write_file(path: Path, text: str) -> None:
    with naming(path):
        path.write_text(text, encoding="utf-8")


def _build_into(
    out: Path,
    in_use: Path | None,
    documents: list[Document],
    progress: Progress,
    extra_formats: Iterable[str],
    texts: dict[str, str],
    full: bool,
    sources: dict[str, dict],
) -> BuildReport:
    report = BuildReport()
    documents = _unique(documents, report)
    clock = _Clock(report.seconds)
    fresh, earlier = folder.Build(out), folder.Build(in_use) if in_use is not None else None
    made_by = earlier.sources() if earlier is not None else {}  # what the next steps may reuse of it
    before, changed = (None, None) if full or earlier is None else _alignment_to_keep(earlier, made_by, documents)
    report.aligned = len(documents) if changed is None else len(changed)
    # what this build may take of the build in use's graphs: only what the same code wrote
    same_writer = earlier is not None and made_by.get("writer") == fingerprints.writer()
    nquads_path = out / folder.DUMPS["nquads"]
    copyable = None  # graph.nq of the build in use, whose document graphs this one may copy
    if earlier is not None and same_writer and made_by.get("graphs"):
        copyable = (earlier.path / folder.DUMPS["nquads"], made_by["graphs"])
    with NQuads(nquads_path, copyable) as nquads:
        # Forked first, before any store is open, so that the child inherits no store state.
        with Forked("aligning", align, documents, None, before, changed) as aligning:
            progress("aligning (in a second process)")
            if earlier is not None and same_writer and earlier.sparql.exists():
                # the new store starts as a checkpoint of the one in use: unchanged documents' graphs are kept
                ox.Store.read_only(str(earlier.sparql)).backup(str(fresh.sparql))
            store = ox.Store(str(fresh.sparql))
            sparql = OxigraphWriter(store, progress)
            with naming(nquads_path):  # graph.nq: the document graphs, the shared graph, then the alignment graph
                changes = sparql.write_documents(documents, nquads)
            report.added, report.removed, report.unchanged = changes.added, changes.removed, changes.unchanged
            clock("document graphs")
            # what needs no alignment is written while it is computed
            with naming(nquads_path):
                sparql.write_shared(documents, nquads)
            _write_texts(fresh.texts, documents, texts, earlier.texts if earlier else None)
            with naming(out / folder.DOCUMENTS), (out / folder.DOCUMENTS).open("w", encoding="utf-8") as handle:
                for doc in sorted(documents, key=lambda d: d.id):
                    handle.write(json.dumps(document_json(doc), ensure_ascii=False) + "\n")
            manifest = {doc.id: {"source": doc.source, "title": doc.title} for doc in documents}
            _write_file(out / folder.MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True))
            reusable = {
                "extractor": fingerprints.extractor(),
                "aligner": fingerprints.aligner(),
                "writer": fingerprints.writer(),
                "files": sources,
                "graphs": {graph: span for graph, span in nquads.ranges.items() if graph != str(SHARED_GRAPH)},
            }
            _write_file(out / folder.SOURCES, json.dumps(reusable, ensure_ascii=False, indent=1, sort_keys=True))
            clock("shared graph, texts, documents.jsonl")
            alignment = aligning.result()
            clock("alignment (the part not hidden behind the stages before)")
        progress("writing the alignment graph, the Cypher store and the files")
        # the store started as the build in use's checkpoint: its alignment graph is changed by the difference
        held = None
        if earlier is not None and same_writer:
            held = before if before is not None else earlier.alignment()

        def write_graphs() -> None:
            with naming(nquads_path):
                sparql.write_alignment(alignment, held, nquads)
            dump(store, {f: out / folder.DUMPS[f] for f in extra_formats})  # the dumps asked for besides graph.nq

        # The Cypher store (a child forked before the thread starts) and the alignment graph (a thread:
        # Oxigraph loads and dumps without the GIL) are written beside alignment.json.
        with (
            ThreadPoolExecutor(1) as pool,
            Forked("writing the Cypher store", LadybugWriter(fresh.cypher).write, documents, alignment) as cypher,
        ):
            graphs = pool.submit(write_graphs)
            aligned = alignment_json(alignment, documents, with_text=False)
            _write_file(out / folder.ALIGNMENT, json.dumps(aligned, ensure_ascii=False) + "\n")
            clock("alignment.json")
            graphs.result()
            report.quads = len(store)
            clock("alignment graph and dumps (the part not hidden behind alignment.json)")
            cypher.result()
            clock("Cypher store (the part not hidden behind the stages before)")
    report.counts = {
        "documents": len(documents),
        "measures": sum(len(d.measures) for d in documents),
        "indicators": sum(len(d.indicators) for d in documents),
        "projects": sum(len(d.projects) for d in documents),
        "units": len({u.id for d in documents for u in d.units}),
        "measure links": len(alignment.measure_links),
    }
    return report
