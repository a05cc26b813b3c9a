"""What every router shares: the stores, the error shape, pagination, CSV answers and the rendering of
answers that may be large off the event loop."""

from __future__ import annotations

import csv
import gc
import io
import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from policygraph.api.middleware import DEFAULT_MAX_BODY
from policygraph.api.workers import QueryPool
from policygraph.corpus import Corpus
from policygraph.errors import PolicygraphError
from policygraph.folder import in_use
from policygraph.model import Document


@dataclass
class Settings:
    result_cap: int = 10_000  # rows any query may return
    query_timeout: float = 10.0  # seconds a SPARQL or Cypher query may run
    cors_origins: tuple[str, ...] = ()  # web origins allowed to call the API from a browser (none by default)
    max_body: int = DEFAULT_MAX_BODY  # bytes a request body may hold (queries are the only bodies)
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)  # query worker processes
    queue_wait: float = 5.0  # seconds a query waits for a free worker before 503


@dataclass
class Stores:
    corpus: Corpus
    path: Path  # the build generation folder; its SPARQL and Cypher stores are opened by the query workers
    neo4j: Any | None  # neo4j.Driver when configured
    settings: Settings

    @property
    def generation(self) -> str:
        """The build generation's name (gen-NNNNNN)."""
        return self.path.name


class LiveStores:
    """The stores of the build generation in use, reopened when a build publishes the next one.

    Each request takes the stores once, so one answer never mixes two builds; requests already
    running on the old generation finish on it (its files stay open until they are let go)."""

    def __init__(self, folder: Path, neo4j: Any | None, settings: Settings) -> None:
        self.folder, self.neo4j, self.settings = folder, neo4j, settings
        self._lock = threading.Lock()
        self._stores: Stores | None = None

    def get(self) -> Stores:
        now = in_use(self.folder)
        if self._stores is None or self._stores.generation != now.name:
            with self._lock:
                if self._stores is None or self._stores.generation != now.name:
                    self._stores = self._open(now)
        return self._stores

    def _open(self, generation: Path) -> Stores:
        stores = Stores(
            corpus=Corpus.load(generation),
            path=generation.resolve(),
            neo4j=self.neo4j,
            settings=self.settings,
        )
        threading.Thread(target=stores.corpus.terms, name="policygraph-search-index", daemon=True).start()
        # The corpus is millions of long-lived objects at 1,000 documents; frozen, the cyclic
        # collector stops walking them on every full collection (pauses that showed as p99 latency).
        gc.collect()
        gc.freeze()
        return stores


async def get_stores(request: Request) -> Stores:
    return request.app.state.live.get()


async def get_queries(request: Request) -> QueryPool:
    return request.app.state.queries


StoresDep = Annotated[Stores, Depends(get_stores)]
QueriesDep = Annotated[QueryPool, Depends(get_queries)]  # the worker processes SPARQL and Cypher run in
Limit = Annotated[int, Query(ge=1, le=1000, description="rows per page")]
Offset = Annotated[int, Query(ge=0, description="rows to skip")]
Format = Annotated[str | None, Query(pattern="^(json|csv)$", description="json (default) or csv")]


def error(status: int, message: str) -> HTTPException:
    """Every error leaves as {"error": {"status": …, "message": …}}."""
    return HTTPException(status_code=status, detail=message)


def find_document(corpus: Corpus, key: str) -> Document:
    """The document a key names (``Corpus.document``); 404 when none or several do."""
    try:
        return corpus.document(key)
    except PolicygraphError as exc:
        raise error(404, str(exc)) from exc


def error_response(status: int, message: str) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": {"status": status, "message": message}})


def wants_csv(request: Request, fmt: str | None) -> bool:
    return fmt == "csv" or (fmt is None and "text/csv" in request.headers.get("accept", ""))


def csv_response(columns: list[str], rows: list[dict]) -> Response:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if row.get(k) is None else row.get(k)) for k in columns})
    return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8")


def table(
    request: Request,
    fmt: str | None,
    items: list,
    columns: list[str],
    limit: int,
    offset: int,
    row: Callable[[Any], dict] | None = None,
) -> Any:
    """A page of a table-shaped answer, as JSON {total, limit, offset, items} or as CSV. With ``row``,
    ``items`` are the matches and only the page's are made into rows (at 1,000 documents a listing
    would otherwise build thousands of rows to send a hundred)."""
    page = items[offset : offset + limit]
    if row is not None:
        page = [row(item) for item in page]
    if wants_csv(request, fmt):
        return csv_response(columns, page)
    return {"total": len(items), "limit": limit, "offset": offset, "items": page}


_PIECE = 256  # list items encoded per call of the C encoder


def _encode(value: Any, out: list[str]) -> None:
    """Append ``value``'s compact JSON to ``out``, large containers piece by piece. The C encoder holds
    the GIL for as long as one call runs (0.17 s for a 16 MB document's answer in one call), and the
    event loop needs the GIL too; between pieces of a few milliseconds it gets it."""
    if isinstance(value, dict) and len(value) > 1 and all(isinstance(key, str) for key in value):
        out.append("{")
        for n, (key, item) in enumerate(value.items()):
            out.append(("," if n else "") + _dumps(key) + ":")
            _encode(item, out)
        out.append("}")
    elif isinstance(value, list | tuple) and len(value) > _PIECE:
        out.append("[")
        for start in range(0, len(value), _PIECE):
            out.append(("," if start else "") + _dumps(value[start : start + _PIECE])[1:-1])
        out.append("]")
    else:
        out.append(_dumps(value))


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"), default=jsonable_encoder)


def json_bytes(content: Any) -> Response:
    """``content`` as the bytes FastAPI's JSONResponse writes (compact UTF-8, no NaN), made by the C
    encoder in pieces. The answers are made of JSON types already; ``jsonable_encoder``, which FastAPI
    runs over every answer first, is kept only as the fallback for other values: on its own it took
    1.8 s over a 16 MB document's answer, where the C encoder takes 0.17 s."""
    out: list[str] = []
    _encode(content, out)
    return Response("".join(out).encode("utf-8"), media_type="application/json")


async def off_loop(make: Callable[[], Any]) -> Response:
    """Make an answer that may be large, and render it, in a worker thread.

    Whatever a route returns, FastAPI serialises on the event loop, so a 16 MB document's answer
    (6 MB of JSON) held every other request, ``/health`` included, for seconds. Routes whose answer
    grows with the data hand their work here as ``make`` (a dict or list to send as JSON, or a
    ready Response such as ``table``'s CSV); small lookups stay on the loop, where they cost less
    than a trip to a thread. An HTTPException raised in ``make`` leaves as usual."""

    def made() -> Response:
        content = make()
        return content if isinstance(content, Response) else json_bytes(content)

    return await run_in_threadpool(made)
