"""Pushing a build's named graphs to any SPARQL 1.1 store over the Graph Store Protocol.

For users who outgrow one machine: each named graph is replaced with HTTP PUT, and graphs of ours
that the build no longer has are deleted, so pushing twice equals pushing once.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from policygraph.errors import PolicygraphError
from policygraph.graph.vocab import GRAPH

TIMEOUT = 60


@dataclass
class PushReport:
    put: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)


def _request(method: str, url: str, body: bytes | None = None, content_type: str = "", accept: str = "") -> bytes:
    request = urllib.request.Request(url, data=body, method=method)
    if content_type:
        request.add_header("Content-Type", content_type)
    if accept:
        request.add_header("Accept", accept)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace")[:200]
        raise PolicygraphError(f"{method} {url}: HTTP {exc.code} {detail}") from exc
    except urllib.error.URLError as exc:
        raise PolicygraphError(f"{method} {url}: {exc.reason}") from exc


def remote_graphs(query_endpoint: str) -> set[str]:
    """Our named graphs (under the policygraph graph namespace) that the remote store holds."""
    query = f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{GRAPH}")) }}'
    url = query_endpoint + "?" + urllib.parse.urlencode({"query": query})
    answer = json.loads(_request("GET", url, accept="application/sparql-results+json"))
    return {binding["g"]["value"] for binding in answer["results"]["bindings"]}


def push(folder: Path, store_endpoint: str, query_endpoint: str) -> PushReport:
    store = ox.Store.read_only(str(folder / "sparql"))
    report = PushReport()
    local = {graph.value for graph in store.named_graphs()}
    for graph in sorted(local):
        body = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph))
        url = store_endpoint + "?" + urllib.parse.urlencode({"graph": graph})
        _request("PUT", url, body, content_type="application/n-triples")
        report.put.append(graph)
    for graph in sorted(remote_graphs(query_endpoint) - local):
        _request("DELETE", store_endpoint + "?" + urllib.parse.urlencode({"graph": graph}))
        report.deleted.append(graph)
    return report
