"""Query endpoints: the SPARQL 1.1 Protocol, read-only Cypher, and the named queries.

What a query may do is decided by ``guard`` (tokenised and parsed, never matched by patterns);
where it runs is the pool of ``workers``: a query past the timeout is killed (504), one whose
answer passes the cap is refused as it streams (422), and when every worker stays busy a new query
gets 503. Cypher on a configured Neo4j runs in a READ session with the timeout set on the server.
"""

from __future__ import annotations

import asyncio
import functools
import json
import urllib.parse
from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query, Request
from fastapi.responses import Response
from neo4j import Driver
from neo4j.exceptions import ServiceUnavailable, SessionExpired
from pydantic import BaseModel, Field

from policygraph.api.common import (
    Format,
    QueriesDep,
    Settings,
    Stores,
    StoresDep,
    csv_response,
    error,
    off_loop,
    table,
    wants_csv,
)
from policygraph.api.engines import Answer, Job, plain
from policygraph.api.guard import MAX_QUERY_CHARS, QueryRefused, check_cypher
from policygraph.api.workers import PoolBusy, QueryPool
from policygraph.errors import PolicygraphError
from policygraph.named_queries import load_queries

named_queries = functools.cache(load_queries)  # the package's queries/ files, read once per process

router = APIRouter()
# A GET request line longer than the HTTP server's limit (h11: 16 KiB, and a Chinese character
# URL-encodes to 9 bytes) is dropped before the app sees it, so GET takes short queries only.
GET_QUERY_CHARS = 1500
EXAMPLE_SPARQL = (
    "PREFIX pg: <https://w3id.org/policygraph/ontology#> "
    "SELECT ?title WHERE { ?d a pg:PolicyDocument ; pg:title ?title } LIMIT 5"
)


async def _run(
    stores: Stores, pool: QueryPool, kind: str, text: str, params: dict | None = None, accept: str = ""
) -> Answer:
    """A job on the query workers; an error answer is raised as the HTTP error it names."""
    job = Job(
        kind,
        str(stores.path),
        text,
        cap=stores.settings.result_cap,
        timeout=stores.settings.query_timeout,
        params=params or {},
        accept=accept,
    )
    try:
        answer = await pool.run(job)
    except PoolBusy as exc:
        raise error(503, str(exc)) from exc
    if answer.status >= 400:
        raise error(answer.status, answer.message)
    return answer


async def check_stores(stores: Stores, pool: QueryPool) -> None:
    """Both embedded stores open in a worker (called at start, so a broken folder fails there)."""
    for kind, probe in (("sparql", "ASK { }"), ("cypher", "RETURN 1 AS one")):
        try:
            await _run(stores, pool, kind, probe)
        except Exception as exc:
            raise PolicygraphError(f"{stores.path}: the {kind} store does not open: {exc}") from exc


@router.get("/sparql", summary="SPARQL 1.1 Protocol query (GET)", tags=["query"])
async def sparql_get(
    stores: StoresDep,
    queries: QueriesDep,
    request: Request,
    query: Annotated[
        str,
        Query(
            max_length=GET_QUERY_CHARS,
            examples=[EXAMPLE_SPARQL],
            description=f"up to {GET_QUERY_CHARS} characters; send longer queries with POST",
        ),
    ],
):
    return _response(await _run(stores, queries, "sparql", query, accept=request.headers.get("accept", "")))


def _response(answer: Answer) -> Response:
    return Response(answer.body, media_type=answer.media_type)


@router.post(
    "/sparql",
    summary="SPARQL 1.1 Protocol query (POST form or application/sparql-query)",
    tags=["query"],
    openapi_extra={
        "requestBody": {
            "content": {
                "application/x-www-form-urlencoded": {
                    "schema": {"type": "object", "properties": {"query": {"type": "string"}}}
                },
                "application/sparql-query": {"schema": {"type": "string"}},
            }
        }
    },
)
async def sparql_post(stores: StoresDep, queries: QueriesDep, request: Request):
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/sparql-query"):
        query = (await request.body()).decode("utf-8", "replace")
    elif content_type.startswith("application/x-www-form-urlencoded"):
        form = urllib.parse.parse_qs((await request.body()).decode("utf-8", "replace"))
        if form.get("update"):
            raise error(403, "SPARQL updates are refused")
        query = (form.get("query") or [""])[0]
    else:
        raise error(415, "send application/sparql-query or a form with a 'query' field")
    if not query.strip():
        raise error(400, "no query")
    return _response(await _run(stores, queries, "sparql", query, accept=request.headers.get("accept", "")))


class CypherRequest(BaseModel):
    query: str = Field(max_length=MAX_QUERY_CHARS, examples=["MATCH (u:Unit) RETURN u.name AS name LIMIT 5"])
    params: dict[str, Any] = Field(default_factory=dict, examples=[{}])


def _neo4j_cypher(driver: Driver, settings: Settings, body: CypherRequest) -> dict:
    """On Neo4j: a READ session, the timeout enforced by the server, rows counted as they stream."""
    import neo4j

    cap = settings.result_cap
    try:
        with driver.session(default_access_mode="READ") as session:
            result = session.run(neo4j.Query(body.query, timeout=settings.query_timeout), body.params)
            columns = list(result.keys())
            rows = []
            for record in result:
                rows.append([plain(value) for value in record.values()])
                if len(rows) > cap:
                    raise error(422, f"more than {cap} rows; add a LIMIT")
    except (ServiceUnavailable, SessionExpired, OSError) as exc:  # the server, not the query
        raise error(
            503, f"Neo4j is not reachable ({exc.__class__.__name__}); retry later, the API reconnects by itself"
        ) from exc
    except neo4j.exceptions.Neo4jError as exc:
        if "TransactionTimedOut" in (exc.code or "") or "terminated" in (exc.message or "").lower():
            raise error(504, f"the query ran longer than {settings.query_timeout:g} s") from exc
        raise error(400, f"Cypher failed on Neo4j: {exc.message}") from exc
    return {"engine": "neo4j", "columns": columns, "rows": rows}


@router.post(
    "/cypher", summary="Read-only Cypher, on Neo4j when configured, else on the embedded store", tags=["query"]
)
async def cypher(stores: StoresDep, queries: QueriesDep, body: Annotated[CypherRequest, Body()], request: Request):
    """JSON ({engine, columns, rows}), or CSV with a header row when the request accepts text/csv."""
    driver = stores.neo4j
    if driver is None:
        answer = await _run(stores, queries, "cypher", body.query, body.params)
        if not wants_csv(request, None):
            return _response(answer)
    else:
        try:
            await asyncio.to_thread(check_cypher, body.query)
        except QueryRefused as exc:
            raise error(exc.status, str(exc)) from exc
        # up to the cap's rows, made and rendered off the loop
        return await off_loop(lambda: _as_csv(request, _neo4j_cypher(driver, stores.settings, body)))
    return _as_csv(request, json.loads(answer.body))


def _as_csv(request: Request, result: dict) -> dict | Response:
    """A Cypher answer as CSV with a header row when the request accepts text/csv, else as it is."""
    if not wants_csv(request, None):
        return result
    columns = result["columns"]
    return csv_response(columns, [dict(zip(columns, row, strict=False)) for row in result["rows"]])


@router.get("/queries", summary="The named queries: what each answers, its parameters and its texts", tags=["query"])
def list_named_queries():
    """Each with its SPARQL and (embedded-store) Cypher text, as the explorer's console shows them."""
    return [
        {
            "name": q.name,
            "answers": q.answers,
            "params": q.params,
            "columns": q.columns,
            "sparql": q.sparql,
            "cypher": q.cypher.get("embedded", ""),
        }
        for q in named_queries().values()
    ]


@router.get("/queries/{name}", summary="Run a named query (parameters as query string)", tags=["query"])
async def run_named_query(
    name: Annotated[str, Path(examples=["document_implements"])],
    stores: StoresDep,
    queries: QueriesDep,
    request: Request,
    format: Format = None,
    engine: Annotated[str, Query(pattern="^(sparql|cypher)$")] = "sparql",
):
    query = named_queries().get(name)
    if query is None:
        raise error(404, f"no named query {name}")
    params = {p: request.query_params.get(p) for p in query.params}
    missing = [p for p, v in params.items() if v is None]
    if missing:
        raise error(400, f"missing parameter(s): {', '.join(missing)}")
    rows = (await _run(stores, queries, f"named-{engine}", name, params)).rows or []
    items = [dict(zip(query.columns, row, strict=True)) for row in rows]
    return table(request, format, items, query.columns, max(1, len(items)), 0)
