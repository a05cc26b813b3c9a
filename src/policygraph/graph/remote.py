"""Writing the model's named graphs into any SPARQL 1.1 store over the Graph Store Protocol.

For users who outgrow one machine: the graphs are made as the build's SPARQL store has them (in an
Oxigraph store in memory), each named graph replaces the remote one with HTTP PUT, and graphs of ours
that the input no longer has are deleted, so pushing twice equals pushing once.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from policygraph.errors import PolicygraphError
from policygraph.graph.oxigraph_store import OxigraphWriter
from policygraph.ids import GRAPH
from policygraph.model import Alignment, Document

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


class GraphStoreWriter:
    """Writes through ``store_endpoint`` (Graph Store Protocol); ``query_endpoint`` (SPARQL query)
    says which of our graphs the remote store holds."""

    def __init__(self, store_endpoint: str, query_endpoint: str) -> None:
        self.store_endpoint, self.query_endpoint = store_endpoint, query_endpoint

    def write(self, documents: Sequence[Document], alignment: Alignment) -> PushReport:
        store = ox.Store()
        OxigraphWriter(store).write(documents, alignment)
        report = PushReport()
        local = {graph.value for graph in store.named_graphs() if isinstance(graph, ox.NamedNode)}
        for graph in sorted(local):
            body = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph))
            url = self.store_endpoint + "?" + urllib.parse.urlencode({"graph": graph})
            _request("PUT", url, body, content_type="application/n-triples")
            report.put.append(graph)
        for graph in sorted(remote_graphs(self.query_endpoint) - local):
            _request("DELETE", self.store_endpoint + "?" + urllib.parse.urlencode({"graph": graph}))
            report.deleted.append(graph)
        return report
