"""A limit on request bodies, as a pure ASGI middleware.

The only bodies this API takes are SPARQL and Cypher queries, a few kilobytes each; without a limit
a client could make the server read and parse a body of any size (50 MB POSTs were parsed whole).
The limit is checked twice: against ``Content-Length`` before anything is read (the client's body
stays unread and the connection is closed after the answer), and by counting the chunks as the app
reads them, for a chunked body that declares no length. Either way the answer is 413 in the API's
one error shape. A pure ASGI middleware rather than Starlette's ``BaseHTTPMiddleware``, so the body
is never buffered and the app's own streaming is untouched.
"""

from __future__ import annotations

import json
import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

DEFAULT_MAX_BODY = 1 << 20  # bytes: 1 MiB, hundreds of times the longest named query
_SIZE = re.compile(r"(\d+)\s*([kmg]?)(?:i?b)?", re.IGNORECASE)
_UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}


def byte_size(text: str) -> int:
    """Bytes from ``65536``, ``64K``, ``1M`` or ``1MiB`` (binary units): the type of ``serve --max-body``
    (argparse names it in its message when the text is not a size)."""
    match = _SIZE.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"not a size: {text!r} (say 65536, 64K or 1M)")
    return int(match.group(1)) * _UNITS[match.group(2).lower()]


def _error(status: int, message: str) -> tuple[Message, Message]:
    """The start and body messages of ``{"error": {"status": …, "message": …}}``. ``Connection:
    close`` makes the server drop the connection after the answer instead of reading (and
    discarding) the rest of a body that is too large."""
    error = {"error": {"status": status, "message": message}}
    body = json.dumps(error, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    return (
        {"type": "http.response.start", "status": status, "headers": headers},
        {"type": "http.response.body", "body": body, "more_body": False},
    )


class _BodyTooLarge(Exception):
    """Raised into the app when a chunked body passes the limit, and caught again by ``BodyLimit``:
    the app stops reading, and neither answers a second time nor has a fault logged."""


class BodyLimit:
    """Answer 413 to a request whose body is longer than ``max_body`` bytes."""

    def __init__(self, app: ASGIApp, max_body: int = DEFAULT_MAX_BODY) -> None:
        self.app, self.max_body = app, max_body

    def _too_large(self) -> str:
        return f"request body larger than {self.max_body} bytes (the server's --max-body)"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = [value for name, value in scope["headers"] if name == b"content-length"]
        if declared:
            if not declared[0].strip().isdigit():  # the HTTP parser normally refuses these first
                await self._answer(send, *_error(400, "Content-Length is not a number"))
                return
            if int(declared[0]) > self.max_body:
                await self._answer(send, *_error(413, self._too_large()))
                return

        received = 0
        response_started = answered = refused = False

        async def counting_receive() -> Message:
            """The app's reads, counted; past the limit the 413 goes out at once and the read raises.
            Whatever the app makes of that (FastAPI's body parsing turns it into a 400, a route
            that reads the body itself lets it rise) never reaches the client."""
            nonlocal received, refused, answered
            if refused:
                raise _BodyTooLarge
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    refused = True
                    if not response_started:  # (an app that answers before reading is cut off, no more)
                        answered = True
                        await self._answer(send, *_error(413, self._too_large()))
                    raise _BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal response_started
            if answered:
                return  # the 413 has been sent; the app's own answer is dropped
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except _BodyTooLarge:
            if not answered:
                raise

    @staticmethod
    async def _answer(send: Send, start: Message, body: Message) -> None:
        await send(start)
        await send(body)


class SameOriginPosts:
    """Refuse a POST (a query) that a browser sends from a page of another origin, unless that origin
    was allowed with ``--cors-origin``.

    CORS alone does not stop this: an HTML form may POST a query to the server from any web page
    without a preflight, and the server would run it (the answer is hidden from the page, the
    work and any side effect are not). Browsers name the page's origin in ``Origin`` on every
    cross-origin POST, and in ``Sec-Fetch-Site``; programs (curl, SPARQLWrapper, notebooks) send
    neither and are not affected."""

    def __init__(self, app: ASGIApp, allowed: tuple[str, ...] = ()) -> None:
        self.app = app
        self.allowed = {origin.rstrip("/").lower() for origin in allowed}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in ("GET", "HEAD", "OPTIONS"):
            headers = {name: value.decode("latin-1") for name, value in scope["headers"]}
            origin = headers.get(b"origin", "").strip().lower()
            site = headers.get(b"sec-fetch-site", "").strip().lower()
            own = f"{scope.get('scheme', 'http')}://{headers.get(b'host', '')}".lower()
            if (origin and origin != own and origin not in self.allowed) or (
                not origin and site in ("cross-site", "same-site")
            ):
                message = (
                    f"a cross-origin request from {origin or 'another site'} is refused; "
                    "start the server with --cors-origin ORIGIN to allow a web app"
                )
                start, body = _error(403, message)
                await send(start)
                await send(body)
                return
        await self.app(scope, receive, send)
