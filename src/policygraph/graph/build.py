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

import ctypes
import errno
import json
import multiprocessing
import os
import re
import shutil
import signal
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.term import Node

from policygraph.align.run import align, to_json
from policygraph.errors import PolicygraphError
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


@contextmanager
def _writing(path: Path) -> Iterator[None]:
    """Name the file in a write error: Python's OSError from ``write`` carries no file name (only
    ``open``'s does), and a full disk is reported with the file it stopped at."""
    try:
        yield
    except OSError as exc:
        if exc.filename is None:
            exc.filename = str(path)
        raise


def _write_texts(folder: Path, documents: list[Document], texts: dict[str, str], earlier: Path | None) -> None:
    """The decoded texts, which the API shows with a measure's passage highlighted; a document given
    without its text keeps the text of the generation before (hard-linked, not copied)."""
    folder.mkdir()
    for doc in documents:
        target = folder / f"{doc.id}.txt"
        if doc.id in texts:
            with _writing(target):
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
    try:
        out.mkdir(parents=True, exist_ok=True)
        with generations.exclusive(out):
            in_use, fresh = generations.start(out)
            try:
                report = _build_into(fresh, in_use, documents, progress, extra_formats, texts or {})
                generations.publish(out, fresh)
            except BaseException as exc:
                reason = _write_failure(exc, out)  # before the partial generation goes: it may be what filled the disk
                # The traceback holds the stores open (RocksDB's threads may still be writing into
                # the directory); let go of them before removing it.
                traceback.clear_frames(exc.__traceback__)
                generations.discard(out, fresh)
                if reason is None:
                    raise
                kept = f"{in_use.name} is still in use" if in_use is not None else "no build was published"
                raise PolicygraphError(f"{out}: {reason}; this build was abandoned, {kept}") from None
    except OSError as exc:  # before a generation was started: the lock file, the folder itself
        reason = _write_failure(exc, out)
        if reason is None:
            raise
        raise PolicygraphError(f"{out}: {reason}") from None
    return report


SPACE_ERRORS = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)  # a full disk, a full quota, a file-size limit
SPACE_FREE_BYTES = 1 << 20  # below this the device counts as full when an engine's I/O error names no cause


def _write_failure(exc: BaseException, out: Path) -> str | None:
    """What went wrong as a phrase for one line (``no space left on device while writing
    gen-000002/sparql/000043.sst``), or None for a failure that is not about writing (a bug, which
    should show its traceback).

    Python's writes raise OSError with an errno; the stores' engines raise their own errors (RocksDB
    through pyoxigraph an OSError without errno, LadybugDB a RuntimeError), whose messages carry the
    C library's text (``No space left on device``) and usually the file. Some LadybugDB paths name no
    cause (a failed read after a short write) or a wrong one (errno overwritten before it is read):
    an engine's I/O error is put down to space when the device holding the folder is (nearly) full,
    and is otherwise reported as it is, on one line. ENOSPC, EDQUOT and EFBIG mean the same to a
    person building: this build does not fit."""
    chain, seen = [], exc
    while seen is not None and seen not in chain:
        chain.append(seen)
        seen = seen.__cause__ or seen.__context__
    text = " ".join(str(e) for e in chain)
    code = next((e.errno for e in chain if isinstance(e, OSError) and e.errno in SPACE_ERRORS), None)
    code = code or next((c for c in SPACE_ERRORS if os.strerror(c).lower() in text.lower()), None)
    engine_io = re.search(r"\bI/?O (error|exception)\b", text, re.IGNORECASE) is not None
    if code is None and engine_io and (_fell_short(text) or shutil.disk_usage(out).free < SPACE_FREE_BYTES):
        code = errno.ENOSPC
    errored = next((e for e in chain if isinstance(e, OSError) and e.errno is not None), None)
    if code is None and errored is None and not engine_io:
        return None
    where = _written_file(chain, out)
    if code is not None:
        return f"{os.strerror(code).lower()} while writing {where} (free some space, or build into another --out)"
    if errored is not None:
        return f"{(errored.strerror or str(errored)).lower()} ({where})"
    said = " ".join(str(exc).split())
    return f"cannot write {where}: {said[:200]}{'…' if len(said) > 200 else ''}"


def _fell_short(text: str) -> bool:
    """LadybugDB's account of a write that fell short (fewer bytes written than asked, which on a
    regular file means the device is full or the file at its size limit), or of reading back a page
    of the store it is writing that is not there (a write before it fell short). Its message then
    often names the wrong cause: errno is read after other calls have overwritten it."""
    for asked, written in re.findall(r"numBytesToWrite: (\d+) numBytesWritten: (-?\d+)", text):
        if 0 <= int(written) < int(asked):
            return True
    return re.search(r"numBytesRead: 0 numBytesToRead: \d+", text) is not None


def _written_file(chain: list[BaseException], out: Path) -> str:
    """The file being written, relative to the folder, from the error itself (Python's ``filename``,
    or a path in an engine's message); else the folder."""
    for e in chain:
        named = getattr(e, "filename", None)
        if named:
            return _relative(Path(os.fsdecode(named)), out)
    for e in chain:
        found = re.search(re.escape(str(out)) + r"/[^\s:,;'\"]+", str(e))
        if found:
            return _relative(Path(found.group(0)), out)
    return str(out)


def _relative(path: Path, out: Path) -> str:
    try:
        return str(path.relative_to(out))
    except ValueError:
        return str(path)


def die_with_parent() -> None:
    """Have the kernel kill this (child) process when the build that forked it dies (Linux; elsewhere
    nothing). A build killed with SIGKILL otherwise left its alignment child blocked for ever on
    the result pipe, whose reading end the child itself had inherited."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class _CypherWriter:
    """The embedded Cypher store, written by a forked child process while this one writes the rest.

    A process because LadybugDB throws a C++ exception from its destructor when it cannot write its
    write-ahead log (a full disk), which aborts the whole process ("terminate called after throwing
    …", SIGABRT) past any handler: a build that ran out of space in the Cypher store could die with
    no message and exit code 134. In a child the abort is the child's, and this process says what
    happened in one line. Forked, so the documents are neither copied nor pickled, and before the dump
    thread starts, so no other Python thread is running (the open SPARQL store's own threads are idle
    after its flush, and the child never calls into it). The child's stderr goes to a file, which becomes part of the
    error rather than lines of its own; a child still running when the build fails is killed."""

    def __init__(self, documents: list[Document], path: Path, alignment: dict) -> None:
        context = multiprocessing.get_context("fork")
        self._said = tempfile.TemporaryFile()  # noqa: SIM115 (closed in __exit__, after the child)
        self._answer, answer = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_write_cypher, args=(documents, path, alignment, answer, self._said.fileno()), daemon=True
        )
        self._process.start()
        answer.close()

    def __enter__(self) -> _CypherWriter:
        return self

    def __exit__(self, *failed: object) -> None:
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._answer.close()
        self._said.close()

    def result(self) -> dict[str, int]:
        """The store's row counts, once the child has written and closed it; RuntimeError if it failed."""
        try:
            outcome = self._answer.recv()
        except EOFError:  # it died without a word (the abort above)
            outcome = ("failed", "")
        self._process.join()
        if outcome[0] == "written" and self._process.exitcode == 0:
            return outcome[1]
        self._said.seek(0)
        said = " ".join(self._said.read().decode("utf-8", "replace").split())
        details = "; ".join(part for part in (outcome[1], said) if part) or f"exit code {self._process.exitcode}"
        raise RuntimeError(f"writing the Cypher store failed: {details}")


def _write_cypher(documents: list[Document], path: Path, alignment: dict, answer: Connection, said: int) -> None:
    """The child of ``_CypherWriter``. On failure it leaves with ``os._exit`` at once: the engine's
    objects, still referenced by the traceback, are then never destroyed (their destructor is what
    may abort)."""
    os.dup2(said, 2)
    die_with_parent()
    try:
        counts = write_embedded(documents, path, alignment)
    except BaseException as exc:
        answer.send(("failed", f"{exc.__class__.__name__}: {exc}"))
        os._exit(1)
    answer.send(("written", counts))


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
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"), initializer=die_with_parent) as pool:
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
    # The Cypher store (a second process, forked before the dump thread starts) and the dumps (a
    # thread: Oxigraph writes them without the GIL) are written beside the files below.
    with ThreadPoolExecutor(1) as pool, _CypherWriter(documents, out / "cypher", alignment) as cypher:
        dumps = pool.submit(_dump, store, out, extra_formats)
        _write_texts(out / "texts", documents, texts, in_use / "texts" if in_use else None)
        with _writing(out / DOCUMENTS), (out / DOCUMENTS).open("w", encoding="utf-8") as handle:
            for doc in sorted(documents, key=lambda d: d.id):
                handle.write(json.dumps(asdict(doc), ensure_ascii=False) + "\n")
        with _writing(out / ALIGNMENT):
            (out / ALIGNMENT).write_text(json.dumps(alignment, ensure_ascii=False) + "\n", encoding="utf-8")
        with _writing(out / MANIFEST):
            manifest = json.dumps(current, ensure_ascii=False, indent=1, sort_keys=True)
            (out / MANIFEST).write_text(manifest, encoding="utf-8")
        report.quads = len(store)
        clock("texts, documents.jsonl, alignment.json")
        cypher.result()
        clock("Cypher store (the part not hidden behind the files)")
        dumps.result()
        clock("dumps (the part not hidden behind the stages before)")
    report.counts = {
        "documents": len(documents),
        "measures": sum(len(d.measures) for d in documents),
        "indicators": sum(len(d.indicators) for d in documents),
        "projects": sum(len(d.projects) for d in documents),
        "units": len({u.id for d in documents for u in d.units}),
        "measure links": len(alignment["measure_links"]),
    }
    return report
