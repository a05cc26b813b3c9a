"""Named queries: one file per question in ``queries/``, in SPARQL (.rq) and Cypher (.cypher).

The folder is shipped inside the package (``policygraph/queries`` links to the top-level folder, and
the wheel holds a copy), so an installed policygraph finds its queries wherever it runs.

Each file starts with a header of ``name:``, ``answers:``, ``params:`` and ``columns:`` lines (in
``#`` or ``//`` comments); a SPARQL file may add ``order:``, the columns its rows are sorted by once
the store has answered (Oxigraph's ORDER BY looks each string up again at each comparison: 30 ms
for 478 titles, where sorting them here takes well under one). Where Neo4j's Cypher differs from the
embedded engine's, a ``NAME.neo4j.cypher`` file stands beside ``NAME.cypher``. Parameters are bound
by the engines, never pasted into the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

from policygraph.ids import ID

QUERY_DIR = Path(__file__).parent / "queries"
_HEADER = re.compile(r"^\s*(?:#|//)\s*(name|answers|params|columns|terms|order):\s*(.*)$")


@dataclass
class NamedQuery:
    name: str
    answers: str
    params: list[str]
    columns: list[str]
    sparql: str = ""
    cypher: dict[str, str] = field(default_factory=dict)  # engine ("embedded", "neo4j") → text
    terms: dict[str, str] = field(default_factory=dict)  # SPARQL: param → "<kind>" (an id's IRI) or "@lang"
    order: list[str] = field(default_factory=list)  # SPARQL: the columns its rows are sorted by, here


def _header(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in text.splitlines():
        match = _HEADER.match(line)
        if match:
            found[match.group(1)] = match.group(2).strip()
    return found


def load_queries(directory: Path = QUERY_DIR) -> dict[str, NamedQuery]:
    queries: dict[str, NamedQuery] = {}
    for path in sorted(directory.iterdir()):
        if path.suffix not in (".rq", ".cypher"):
            continue
        text = path.read_text(encoding="utf-8")
        header = _header(text)
        name = header["name"]
        query = queries.setdefault(
            name,
            NamedQuery(
                name,
                header.get("answers", ""),
                [p.strip() for p in re.sub(r"\([^()]*\)", "", header.get("params", "")).split(",") if p.strip()],
                [c.strip() for c in header.get("columns", "").split(",") if c.strip()],
            ),
        )
        if path.suffix == ".rq":
            query.sparql = text
            query.order = [c.strip() for c in header.get("order", "").split(",") if c.strip()]
            for item in filter(None, (i.strip() for i in header.get("terms", "").split(","))):
                param, _, form = item.partition("=")
                query.terms[param.strip()] = form.strip()
        elif path.name.endswith(".neo4j.cypher"):
            query.cypher["neo4j"] = text
        else:
            query.cypher["embedded"] = text
    return queries


def _plain(term) -> object:
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if datatype.endswith(("#integer", "#long", "#int")):
            return int(term.value)
        if datatype.endswith(("#decimal", "#double", "#float")):
            return float(term.value)
        return term.value
    return term.value


def _term(value: str, form: str) -> ox.NamedNode | ox.Literal:
    """A parameter as the RDF term the query compares it with: an id's IRI, a tagged or a plain literal."""
    if form.startswith("<") and form.endswith(">"):
        return ox.NamedNode(ID + form[1:-1] + "/" + quote(value, safe=""))
    if form.startswith("@"):
        return ox.Literal(value, language=form[1:])
    return ox.Literal(value)


def bind_sparql(text: str, params: dict[str, str], terms: dict[str, str] | None = None) -> str:
    """Bind parameters with a VALUES block at the top of the WHERE clause. The terms are written by
    Oxigraph's own serialiser, so no value can break out of its quotes; ids bound as IRIs and labels
    as tagged literals let the engine start from them."""
    forms = terms or {}
    values = "".join(
        f" VALUES ?{name} {{ {_term(str(value), forms.get(name, ''))} }}" for name, value in params.items()
    )
    head, brace, tail = text.partition("WHERE {")
    if not brace:
        raise ValueError("a named SPARQL query needs a 'WHERE {' clause")
    return head + brace + values + tail


def run_sparql(store: ox.Store, query: NamedQuery, params: dict[str, str]) -> list[tuple]:
    results = store.query(bind_sparql(query.sparql, params, query.terms))
    if not isinstance(results, ox.QuerySolutions):
        raise ValueError(f"{query.name}: a named SPARQL query is a SELECT")
    rows = [tuple(_plain(row[c]) for c in query.columns) for row in results]
    if query.order:  # unbound values first, as SPARQL orders them
        at = [query.columns.index(c) for c in query.order]
        rows.sort(key=lambda r: tuple((r[k] is not None, r[k]) for k in at))
    return rows


def run_cypher(conn, query: NamedQuery, params: dict[str, str], engine: str = "embedded") -> list[tuple]:
    text = query.cypher.get(engine) or query.cypher["embedded"]
    if engine == "neo4j":
        records = conn.run(text, params)
        return [tuple(record[c] for c in query.columns) for record in records]
    result = conn.execute(text, params)
    rows = []
    while result.has_next():
        rows.append(tuple(result.get_next()))
    return rows
