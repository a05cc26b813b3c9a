"""Query endpoints: the SPARQL 1.1 Protocol, read-only Cypher, and the named queries.

Queries only: SPARQL updates do not parse as queries, SERVICE (a way to make this server call other
hosts) is refused, and Cypher that writes or administers is refused before it reaches an engine. A
query that runs past the timeout answers 504; one whose result is larger than the cap answers 422.
"""

from __future__ import annotations

import asyncio
import functools
import re
import unicodedata
import urllib.parse
from typing import Annotated, Any

import pyoxigraph as ox
from fastapi import APIRouter, Body, Path, Query, Request
from fastapi.responses import Response
from neo4j.exceptions import ServiceUnavailable, SessionExpired
from pydantic import BaseModel, Field

from policygraph.api.common import Format, StoresDep, error, table
from policygraph.graph.queries import load_queries, run_cypher, run_sparql

named_queries = functools.cache(load_queries)  # the package's queries/ files, read once per process

router = APIRouter()
# A GET request line longer than the HTTP server's limit (h11: 16 KiB, and a Chinese character
# URL-encodes to 9 bytes) is dropped before the app sees it, so GET takes short queries only.
GET_QUERY_CHARS = 1500
EXAMPLE_SPARQL = (
    "PREFIX pg: <https://w3id.org/policygraph/ontology#> "
    "SELECT ?title WHERE { ?d a pg:PolicyDocument ; pg:title ?title } LIMIT 5"
)

_RESULT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}


def _normalised(text: str) -> str:
    """NFKC and no comments, so look-alike letters and commented keywords cannot hide a clause."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"(//|#)[^\n]*", " ", text)


def _pick(accept: str, table_: dict, default: str) -> tuple[str, Any]:
    for part in accept.split(","):
        media = part.split(";")[0].strip().lower()
        if media in table_:
            return media, table_[media]
    return default, table_[default]


async def _with_timeout(seconds: float, function, *args):
    try:
        return await asyncio.wait_for(asyncio.to_thread(function, *args), timeout=seconds)
    except TimeoutError as exc:
        raise error(504, f"the query ran longer than {seconds:g} s") from exc


def _sparql(stores, query: str, accept: str) -> Response:
    if re.search(r"\bSERVICE\b", _normalised(query), re.I):
        raise error(403, "SERVICE is refused: this endpoint does not call other hosts")
    try:
        results = stores.sparql.query(query, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise error(400, f"not a SPARQL query (updates are refused): {exc}") from exc
    except (ValueError, OSError) as exc:
        raise error(400, f"query failed: {exc}") from exc
    if isinstance(results, ox.QueryTriples):
        triples = list(results)
        if len(triples) > stores.settings.result_cap:
            raise error(422, f"more than {stores.settings.result_cap} triples; narrow the query")
        graph = ox.Store()
        graph.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
        media, fmt = _pick(accept, _GRAPH_TYPES, "text/turtle")
        return Response(graph.dump(format=fmt, from_graph=ox.DefaultGraph()), media_type=media)
    if isinstance(results, ox.QuerySolutions):
        rows = sum(1 for _ in results)
        if rows > stores.settings.result_cap:
            raise error(422, f"more than {stores.settings.result_cap} rows; add a LIMIT")
        results = stores.sparql.query(query, use_default_graph_as_union=True)
    media, fmt = _pick(accept, _RESULT_TYPES, "application/sparql-results+json")
    return Response(results.serialize(format=fmt), media_type=media)


@router.get("/sparql", summary="SPARQL 1.1 Protocol query (GET)", tags=["query"])
async def sparql_get(
    stores: StoresDep,
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
    return await _with_timeout(stores.settings.query_timeout, _sparql, stores, query, request.headers.get("accept", ""))


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
async def sparql_post(stores: StoresDep, request: Request):
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
    return await _with_timeout(stores.settings.query_timeout, _sparql, stores, query, request.headers.get("accept", ""))


_WRITE = re.compile(
    r"\b(CREATE|MERGE|DELETE|DETACH|SET|REMOVE|DROP|LOAD|CALL|COPY|INSTALL|ATTACH|DETACH|ALTER|IMPORT|EXPORT|"
    r"CHECKPOINT|BEGIN|COMMIT|ROLLBACK|FOREACH|USE)\b",
    re.I,
)


class CypherRequest(BaseModel):
    query: str = Field(max_length=100_000, examples=["MATCH (u:Unit) RETURN u.name AS name LIMIT 5"])
    params: dict[str, Any] = Field(default_factory=dict, examples=[{}])


def _cypher(stores, body: CypherRequest) -> dict:
    if _WRITE.search(_normalised(body.query)):
        raise error(403, "only reading Cypher is accepted (no CREATE, MERGE, SET, DELETE, REMOVE, DROP, LOAD, CALL …)")
    cap = stores.settings.result_cap
    if stores.neo4j is not None:
        engine = "neo4j"
        try:
            with stores.neo4j.session(default_access_mode="READ") as session:
                result = session.run(body.query, body.params)
                columns = list(result.keys())
                rows = []
                for record in result:
                    rows.append([_plain(value) for value in record.values()])
                    if len(rows) > cap:
                        break
        except (ServiceUnavailable, SessionExpired, OSError) as exc:  # the server, not the query
            raise error(
                503, f"Neo4j is not reachable ({exc.__class__.__name__}); retry later, the API reconnects by itself"
            ) from exc
        except Exception as exc:  # the driver's other errors are many; all mean the query failed
            raise error(400, f"Cypher failed on Neo4j: {getattr(exc, 'message', exc)}") from exc
    else:
        engine = "embedded"
        try:
            result = stores.cypher.execute(body.query, body.params)
        except RuntimeError as exc:
            raise error(400, f"Cypher failed: {exc}") from exc
        columns = result.get_column_names()
        rows = []
        while result.has_next() and len(rows) <= cap:
            rows.append([_plain(value) for value in result.get_next()])
    if len(rows) > cap:
        raise error(422, f"more than {cap} rows; add a LIMIT")
    return {"engine": engine, "columns": columns, "rows": rows}


def _plain(value: Any) -> Any:
    if isinstance(value, dict | list | str | int | float | bool) or value is None:
        return value
    if hasattr(value, "items"):
        return dict(value.items())
    return str(value)


@router.post(
    "/cypher", summary="Read-only Cypher, on Neo4j when configured, else on the embedded store", tags=["query"]
)
async def cypher(stores: StoresDep, body: Annotated[CypherRequest, Body()]):
    return await _with_timeout(stores.settings.query_timeout, _cypher, stores, body)


@router.get("/queries", summary="The named queries and their parameters", tags=["query"])
def list_named_queries():
    return [
        {"name": q.name, "answers": q.answers, "params": q.params, "columns": q.columns}
        for q in named_queries().values()
    ]


@router.get("/queries/{name}", summary="Run a named query (parameters as query string)", tags=["query"])
async def run_named_query(
    name: Annotated[str, Path(examples=["document_implements"])],
    stores: StoresDep,
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
    if engine == "sparql":
        rows = await _with_timeout(stores.settings.query_timeout, run_sparql, stores.sparql, query, params)
    else:
        rows = await _with_timeout(stores.settings.query_timeout, run_cypher, stores.cypher, query, params)
    items = [dict(zip(query.columns, row, strict=True)) for row in rows]
    return table(request, format, items, query.columns, max(1, len(items)), 0)
