"""The embedded Cypher store: LadybugDB (the maintained fork of Kùzu), a file-based graph database.

It answers Cypher with no server to install, which is what the demo and the API use when no Neo4j is
configured. Kùzu's engine needs a schema, so tables are created from ``property.NODE_SCHEMA`` and
``REL_SCHEMA``; the store is derived data, rebuilt whole from the documents at every build.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

import ladybug

from policygraph.graph.property import NODE_SCHEMA, REL_SCHEMA, property_rows
from policygraph.model import Document

BATCH = 2000


def _schema(conn: ladybug.Connection) -> None:
    for label, props in NODE_SCHEMA.items():
        columns = ", ".join(f"{name} {kind}" for name, kind in props)
        conn.execute(f"CREATE NODE TABLE {label}({columns}, PRIMARY KEY({props[0][0]}))")
    for rtype, (sources, targets, props) in REL_SCHEMA.items():
        pairs = ", ".join(f"FROM {source} TO {target}" for source in sources for target in targets)
        columns = "".join(f", {name} {kind}" for name, kind in props)
        conn.execute(f"CREATE REL TABLE {rtype}({pairs}{columns})")


def write_embedded(documents: Iterable[Document], path: Path, alignment: dict | None = None) -> dict[str, int]:
    """Write the property graph of ``documents`` (and their alignment) to a fresh store at ``path``;
    returns row counts."""
    if path.exists():
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    rows = property_rows(documents, alignment)
    database = ladybug.Database(str(path))
    conn = ladybug.Connection(database)
    _schema(conn)
    counts: dict[str, int] = {}
    for label, nodes in rows.nodes.items():
        key = NODE_SCHEMA[label][0][0]
        columns = NODE_SCHEMA[label][1:]
        # typed columns are cast: a batch whose values are all null or empty would bind as STRING
        assignments = ", ".join(
            f"n.{name} = r.{name}" if kind == "STRING" else f"n.{name} = CAST(r.{name} AS {kind})"
            for name, kind in columns
        )
        statement = f"UNWIND $rows AS r MERGE (n:{label} {{{key}: r.{key}}})"
        statement += f" SET {assignments}" if columns else ""
        values = [
            {name: props.get(name, [] if kind.endswith("[]") else None) for name, kind in NODE_SCHEMA[label]}
            for props in nodes.values()
        ]
        for k in range(0, len(values), BATCH):
            conn.execute(statement, {"rows": values[k : k + BATCH]})
        counts[label] = len(values)
    for (rtype, source, target), rels in rows.rels.items():
        skey, tkey = NODE_SCHEMA[source][0][0], NODE_SCHEMA[target][0][0]
        props = REL_SCHEMA[rtype][2]
        match = f"MATCH (a:{source} {{{skey}: r.src}}), (b:{target} {{{tkey}: r.dst}})"
        if props:
            assignments = ", ".join(
                f"e.{p} = r.{p}" if kind == "STRING" else f"e.{p} = CAST(r.{p} AS {kind})"
                for p, kind in props
                if p != "ord"
            )
            keyed = " {ord: r.ord}" if any(p == "ord" for p, _ in props) else ""
            merge = f"MERGE (a)-[e:{rtype}{keyed}]->(b) SET {assignments}"
        else:
            merge = f"MERGE (a)-[:{rtype}]->(b)"
        for k in range(0, len(rels), BATCH):
            conn.execute(f"UNWIND $rows AS r {match} {merge}", {"rows": rels[k : k + BATCH]})
        counts[rtype] = counts.get(rtype, 0) + len(rels)
    conn.close()
    database.close()
    return counts


def open_embedded(path: Path, read_only: bool = True) -> ladybug.Connection:
    return ladybug.Connection(ladybug.Database(str(path), read_only=read_only))
