"""What a query worker process does: answer one query at a time on a build generation's stores.

The server never runs SPARQL or Cypher itself (see ``workers``): an engine that loops, swells or
crashes takes down only a worker, which the server kills or replaces. Inside the worker every
query is checked by ``guard`` first, and result caps are applied while the answer streams, so an
answer over the cap is refused after ``cap + 1`` rows, not after listing all of them.
"""

from __future__ import annotations

import io
import json
import signal
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import islice
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import ladybug
import pyoxigraph as ox

from policygraph.api.guard import QueryRefused, check_cypher, check_sparql
from policygraph.folder import Build
from policygraph.named_queries import load_queries, run_cypher, run_sparql

RESULT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}


@dataclass(frozen=True)
class Job:
    kind: str  # "sparql", "cypher" (checked by the guard), "named-sparql", "named-cypher" (our own files)
    generation: str  # the build generation folder whose stores answer
    text: str  # the query, or the named query's name
    cap: int  # rows (or triples) an answer may hold
    timeout: float  # seconds; the Cypher engine stops itself, the server kills the worker as well
    params: dict[str, Any] = field(default_factory=dict)
    accept: str = ""


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes = b""  # the serialised answer, or the error message in UTF-8
    media_type: str = "application/json"
    rows: list[tuple] | None = None  # named queries: rows for the REST table

    @classmethod
    def error(cls, status: int, message: str) -> Answer:
        return cls(status, message.encode("utf-8"), "text/plain")

    @property
    def message(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass(frozen=True)
class WorkerConfig:
    cypher_memory: int = 512 * 2**20  # bytes of LadybugDB buffer pool per worker


def pick(accept: str, table: dict, default: str) -> tuple[str, Any]:
    """The first media type of an Accept header that ``table`` can produce."""
    for part in accept.split(","):
        media = part.split(";")[0].strip().lower()
        if media in table:
            return media, table[media]
    return default, table[default]


class Engines:
    """The stores of one generation, opened on first use and reopened when a job names another."""

    def __init__(self, config: WorkerConfig) -> None:
        self.config = config
        self.generation = ""
        self._sparql: ox.Store | None = None
        self._cypher: ladybug.Connection | None = None
        self._queries = load_queries()

    def _use(self, generation: str) -> None:
        if generation != self.generation:
            self._sparql = self._cypher = None
            self.generation = generation

    @property
    def sparql(self) -> ox.Store:
        if self._sparql is None:
            self._sparql = ox.Store.read_only(str(Build(Path(self.generation)).sparql))
        return self._sparql

    @property
    def cypher(self) -> ladybug.Connection:
        if self._cypher is None:
            database = ladybug.Database(
                str(Build(Path(self.generation)).cypher),
                read_only=True,
                buffer_pool_size=self.config.cypher_memory,
                max_num_threads=1,  # one core per worker: the pool, not the engine, decides how many run
            )
            self._cypher = ladybug.Connection(database)
        return self._cypher

    def answer(self, job: Job) -> Answer:
        self._use(job.generation)
        try:
            if job.kind == "sparql":
                return self._sparql_answer(check_sparql(job.text), job)
            if job.kind == "cypher":
                return self._cypher_answer(check_cypher(job.text), job)
            query = self._queries[job.text]
            if job.kind == "named-sparql":
                return Answer(200, rows=run_sparql(self.sparql, query, job.params))
            self.cypher.set_query_timeout(int(job.timeout * 1000))
            return Answer(200, rows=run_cypher(self.cypher, query, job.params))
        except QueryRefused as exc:
            return Answer.error(exc.status, str(exc))
        except SyntaxError as exc:  # Oxigraph's parser
            return Answer.error(400, f"not a SPARQL query: {exc}")
        except RuntimeError as exc:  # LadybugDB
            if "Interrupted" in str(exc):
                return Answer.error(504, f"the query ran longer than {job.timeout:g} s")
            if "Buffer manager exception" in str(exc):
                megabytes = self.config.cypher_memory >> 20
                return Answer.error(422, f"the query needs more than the {megabytes} MB a worker may use; narrow it")
            return Answer.error(400, f"Cypher failed: {exc}")
        except (ValueError, OSError) as exc:
            return Answer.error(400, f"query failed: {exc}")

    def _sparql_answer(self, query: str, job: Job) -> Answer:
        results = self.sparql.query(query, use_default_graph_as_union=True)
        if isinstance(results, ox.QueryTriples):
            triples = list(islice(results, job.cap + 1))
            if len(triples) > job.cap:
                return Answer.error(422, f"more than {job.cap} triples; narrow the query")
            graph = ox.Store()
            graph.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
            media, fmt = pick(job.accept, GRAPH_TYPES, "text/turtle")
            return Answer(200, _serialised(graph.dump, format=fmt, from_graph=ox.DefaultGraph()), media)
        if isinstance(results, ox.QuerySolutions):
            if sum(1 for _ in islice(results, job.cap + 1)) > job.cap:
                return Answer.error(422, f"more than {job.cap} rows; add a LIMIT")
            # Serialised by Oxigraph from a second run, now known to be within the cap.
            results = self.sparql.query(query, use_default_graph_as_union=True)
        media, fmt = pick(job.accept, RESULT_TYPES, "application/sparql-results+json")
        return Answer(200, _serialised(results.serialize, format=fmt), media)

    def _cypher_answer(self, query: str, job: Job) -> Answer:
        self.cypher.set_query_timeout(int(job.timeout * 1000))
        result = self.cypher.execute(query, job.params)
        if isinstance(result, list):  # several statements: the guard lets one through, never more
            return Answer.error(400, "one statement at a time")
        columns = result.get_column_names()
        rows: list[list[Any]] = []
        while result.has_next() and len(rows) <= job.cap:
            rows.append([plain(value) for value in result.get_next()])
        if len(rows) > job.cap:
            return Answer.error(422, f"more than {job.cap} rows; add a LIMIT")
        body = {"engine": "embedded", "columns": columns, "rows": rows}
        return Answer(200, json.dumps(body, ensure_ascii=False, default=str).encode("utf-8"))


def plain(value: Any) -> Any:
    """A Cypher value as JSON can carry it (nodes and relationships as their property maps)."""
    if isinstance(value, dict | list | str | int | float | bool) or value is None:
        return value
    if hasattr(value, "items"):
        return dict(value.items())
    return str(value)


def serve(conn: Connection, config: WorkerConfig) -> None:
    """A worker's life: warm up, say so, then answer jobs until the server closes the pipe."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which stops its workers
    engines = Engines(config)
    check_sparql("ASK {}")  # rdflib's grammar is built on first use: do it before the first request
    conn.send("ready")
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(engines.answer(job))


def _serialised(write: Callable[..., object], **options: Any) -> bytes:
    """What one of Oxigraph's serialisers writes, as bytes (given no output, they return it, but
    their signatures say "or None")."""
    out = io.BytesIO()
    write(out, **options)
    return out.getvalue()
