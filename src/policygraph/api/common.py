"""What every router shares: the stores, the error shape, pagination and CSV answers."""

from __future__ import annotations

import csv
import gc
import io
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import ladybug
import pyoxigraph as ox
from fastapi import Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response

from policygraph.api.corpus import Corpus
from policygraph.graph.folder import generation


@dataclass
class Settings:
    result_cap: int = 10_000  # rows any query may return
    query_timeout: float = 10.0  # seconds a SPARQL or Cypher query may run
    cors_origins: tuple[str, ...] = ()  # web origins allowed to call the API from a browser (none by default)


@dataclass
class Stores:
    corpus: Corpus
    sparql: ox.Store
    cypher: Any  # ladybug.Connection (embedded Cypher)
    neo4j: Any | None  # neo4j.Driver when configured
    settings: Settings
    generation: str  # the build generation these were opened from


class LiveStores:
    """The stores of the build generation in use, reopened when a build publishes the next one.

    Each request takes the stores once, so one answer never mixes two builds; requests already
    running on the old generation finish on it (its files stay open until they are let go)."""

    def __init__(self, folder: Path, neo4j: Any | None, settings: Settings) -> None:
        self.folder, self.neo4j, self.settings = folder, neo4j, settings
        self._lock = threading.Lock()
        self._stores: Stores | None = None

    def get(self) -> Stores:
        in_use = generation(self.folder)
        if self._stores is None or self._stores.generation != in_use.name:
            with self._lock:
                if self._stores is None or self._stores.generation != in_use.name:
                    self._stores = self._open(in_use)
        return self._stores

    def _open(self, in_use: Path) -> Stores:
        database = ladybug.Database(str(in_use / "cypher"), read_only=True)
        stores = Stores(
            corpus=Corpus.load(in_use),
            sparql=ox.Store.read_only(str(in_use / "sparql")),
            cypher=ladybug.Connection(database),
            neo4j=self.neo4j,
            settings=self.settings,
            generation=in_use.name,
        )
        # The corpus is millions of long-lived objects at 1,000 documents; frozen, the cyclic
        # collector stops walking them on every full collection (pauses that showed as p99 latency).
        gc.collect()
        gc.freeze()
        return stores


async def get_stores(request: Request) -> Stores:
    return request.app.state.live.get()


StoresDep = Annotated[Stores, Depends(get_stores)]
Limit = Annotated[int, Query(ge=1, le=1000, description="rows per page")]
Offset = Annotated[int, Query(ge=0, description="rows to skip")]
Format = Annotated[str | None, Query(pattern="^(json|csv)$", description="json (default) or csv")]


def error(status: int, message: str) -> HTTPException:
    """Every error leaves as {"error": {"status": …, "message": …}}."""
    return HTTPException(status_code=status, detail=message)


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
