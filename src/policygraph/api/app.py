"""The FastAPI application: serves what ``policygraph build`` wrote to a folder.

``create_app`` is the factory; its lifespan opens the stores (read-only) and closes them. Routers
hold one resource each; errors of every kind leave in one JSON shape.
"""

from __future__ import annotations

import os
from contextlib import asynccontextmanager
from importlib.util import find_spec
from pathlib import Path
from typing import Literal

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException as StarletteHTTPException

from policygraph import __version__
from policygraph.api import alignment, endpoints, rest
from policygraph.api.common import LiveStores, QueriesDep, Settings, StoresDep, error_response
from policygraph.api.middleware import BodyLimit, SameOriginPosts
from policygraph.api.workers import QueryPool
from policygraph.errors import PolicygraphError
from policygraph.folder import DOCUMENTS

STATIC = Path(__file__).parent / "static"
DOCS, REDOC = "/docs", "/redoc"  # the API documentation pages (Swagger UI, ReDoc), served from the package
ONTOLOGY = Path(__file__).parent.parent / "ontology"  # the top-level ontology/, shipped in the package
ONTOLOGY_FILES = {
    "policygraph.ttl": "text/turtle",
    "shapes.ttl": "text/turtle",
    "context.jsonld": "application/ld+json",
}


def _installed(package: str) -> Path:
    """A package's folder, found without importing it (importing pyvis takes half a second)."""
    spec = find_spec(package)
    if spec is None or spec.origin is None:
        raise ImportError(f"{package} is not installed")
    return Path(spec.origin).parent


# the explorer's graph library, the same vis-network build pyvis inlines in the views (served locally, no CDN)
VIS_NETWORK = _installed("pyvis") / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js"


def _neo4j(uri: str | None):
    if not uri:
        return None
    import neo4j

    auth = (
        (os.environ.get("NEO4J_USER", "neo4j"), os.environ["NEO4J_PASSWORD"])
        if os.environ.get("NEO4J_PASSWORD")
        else None
    )
    return neo4j.GraphDatabase.driver(uri, auth=auth)


def create_app(
    folder: Path, neo4j_uri: str | None = None, settings: Settings | None = None, check_folder: bool = True
) -> FastAPI:
    folder = Path(folder)
    settings = settings or Settings()
    if check_folder and not (folder / DOCUMENTS).exists():
        raise PolicygraphError(f"{folder}: not a build folder; run 'policygraph build PATH --out {folder}' first")

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        driver = _neo4j(neo4j_uri)
        pool = QueryPool(settings.workers, settings.queue_wait)
        try:
            pool.start()
            app.state.queries = pool
            app.state.live = LiveStores(folder, driver, settings)
            # Open the stores now, in the server and in a worker: a broken folder fails at start.
            await endpoints.check_stores(app.state.live.get(), pool)
            yield
        finally:
            pool.close()
            if driver is not None:
                driver.close()

    app = FastAPIOffline(
        docs_url=DOCS,
        redoc_url=REDOC,
        title="policygraph",
        version=__version__,
        summary="Chinese government policy plans as a knowledge graph: measures, units, indicators, projects.",
        lifespan=lifespan,
    )

    # Added first, so it runs inside CORS (a refused cross-origin body still gets CORS headers) and
    # inside Starlette's outermost error middleware (a fault in it still answers the JSON 500).
    app.add_middleware(BodyLimit, max_body=settings.max_body)
    app.add_middleware(SameOriginPosts, allowed=settings.cors_origins)

    # CORS: closed unless origins are named (--cors-origin), then read-only methods for those only.
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Accept", "Content-Type"],
            allow_credentials=False,
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: HTTPException):
        return error_response(exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        details = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        return error_response(422, details)

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception):
        """Any other exception, raised in a route, a dependency or a middleware: the JSON 500 names
        its class only (a message or traceback could show paths and data to the client). Starlette
        re-raises the exception after this answer is sent, and the server logs it to stderr with its
        traceback (uvicorn: "Exception in ASGI application"), so it is not logged here a second time."""
        return error_response(500, f"internal error: {exc.__class__.__name__}")

    @app.get("/health", summary="Which stores are live", tags=["service"])
    def health(stores: StoresDep, queries: QueriesDep):
        neo4j_live = None
        if stores.neo4j is not None:
            try:
                stores.neo4j.verify_connectivity()
                neo4j_live = True
            except Exception:  # any failure means "not live" here
                neo4j_live = False
        return {
            "status": "ok",
            "documents": len(stores.corpus.documents),
            "generation": stores.generation,
            "stores": {"sparql": True, "cypher_embedded": True, "neo4j": neo4j_live},
            "query_workers": {
                "size": queries.size,
                "idle": queries.idle,
                "replaced": queries.replaced,
            },
        }

    app.include_router(rest.router)
    app.include_router(alignment.router)
    app.include_router(endpoints.router)

    @app.get(
        "/ontology/{name}",
        summary="The ontology (policygraph.ttl), its SHACL shapes (shapes.ttl) and JSON-LD context",
        tags=["service"],
    )
    def ontology(name: Literal["policygraph.ttl", "shapes.ttl", "context.jsonld"]):
        return FileResponse(ONTOLOGY / name, media_type=f"{ONTOLOGY_FILES[name]}; charset=utf-8")

    @app.get("/", include_in_schema=False)
    def explorer():
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon():
        """Browsers ask for /favicon.ico whatever the page declares: the explorer's icon, not a 404."""
        return FileResponse(STATIC / "favicon.svg", media_type="image/svg+xml")

    @app.get("/static/vis-network.min.js", include_in_schema=False)
    def vis_network():
        return FileResponse(VIS_NETWORK, media_type="text/javascript")

    @app.middleware("http")
    async def docs_images_from_here(request: Request, call_next):
        """The API docs' pages take images from this server only: ReDoc's bundle draws its maker's
        logo from a CDN, and no page of ours may reach outside (everything a user sees works offline)."""
        response = await call_next(request)
        if request.url.path in (DOCS, REDOC):
            response.headers["Content-Security-Policy"] = "img-src 'self' data:"
        return response

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
