"""The embedded Cypher store: LadybugDB (the maintained fork of Kùzu), a file-based graph database.

It answers Cypher with no server to install, which is what the demo and the API use when no Neo4j is
configured. Kùzu's engine needs a schema, so tables are created from ``property.NODE_SCHEMA`` and
``REL_SCHEMA``; the store is derived data, rebuilt whole from the documents at every build, so it is
bulk-loaded with ``COPY … FROM`` CSV files (row-by-row ``MERGE`` took minutes at 1,000 documents).
A list value whose items hold a CSV list delimiter is set afterwards with a parameterised ``SET``
instead, so no value is ever altered to fit the file format.
"""

from __future__ import annotations

import csv
import re
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

import ladybug

from policygraph.graph.property import NODE_SCHEMA, REL_SCHEMA, property_rows
from policygraph.model import Alignment, Document

BATCH = 2000
_LIST_UNSAFE = re.compile(r'[,\[\]"\\]')


def _schema(conn: ladybug.Connection) -> None:
    for label, props in NODE_SCHEMA.items():
        columns = ", ".join(f"{name} {kind}" for name, kind in props)
        conn.execute(f"CREATE NODE TABLE {label}({columns}, PRIMARY KEY({props[0][0]}))")
    for rtype, (sources, targets, props) in REL_SCHEMA.items():
        pairs = ", ".join(f"FROM {source} TO {target}" for source in sources for target in targets)
        columns = "".join(f", {name} {kind}" for name, kind in props)
        conn.execute(f"CREATE REL TABLE {rtype}({pairs}{columns})")


def _cell(value, kind: str) -> str:
    if value is None or value == "":
        return ""
    if kind.endswith("[]"):
        return "[" + ",".join(value) + "]"
    if kind == "BOOLEAN":
        return "true" if value else "false"
    return str(value)


def _copy(
    conn: ladybug.Connection, folder: Path, name: str, header: list[str], rows: Sequence[Sequence[str]], options: str
):
    path = folder / f"{name}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    conn.execute(f'COPY {name.split(".")[0]} FROM "{path}" (HEADER=true, PARALLEL=false{options})')


class LadybugWriter:
    """Writes a fresh store at ``path`` (whatever was there goes); ``write`` returns row counts."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def write(self, documents: Sequence[Document], alignment: Alignment) -> dict[str, int]:
        return _write(documents, alignment, self.path)


def _write(documents: Sequence[Document], alignment: Alignment, path: Path) -> dict[str, int]:
    if path.exists():
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    rows = property_rows(documents, alignment)
    database = ladybug.Database(str(path))
    conn = ladybug.Connection(database)
    _schema(conn)
    counts: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="policygraph-copy-") as tmp:
        folder = Path(tmp)
        deferred: list[tuple[str, str, str, list[dict]]] = []  # (label, key, column, rows) set after COPY
        for label, nodes in rows.nodes.items():
            columns = NODE_SCHEMA[label]
            key = columns[0][0]
            unsafe = {
                name
                for name, kind in columns
                if kind.endswith("[]") and any(_LIST_UNSAFE.search(v) for n in nodes.values() for v in n.get(name, []))
            }
            body = [
                [_cell(None if name in unsafe else n.get(name), kind) for name, kind in columns] for n in nodes.values()
            ]
            _copy(conn, folder, label, [name for name, _ in columns], body, "")
            for name in unsafe:
                deferred.append((label, key, name, [{"k": n[key], "v": n.get(name, [])} for n in nodes.values()]))
            counts[label] = len(body)
        for label, key, name, values in deferred:
            for k in range(0, len(values), BATCH):
                conn.execute(
                    f"UNWIND $rows AS r MATCH (n:{label} {{{key}: r.k}}) SET n.{name} = r.v",
                    {"rows": values[k : k + BATCH]},
                )
        for n, ((rtype, source, target), rels) in enumerate(rows.rels.items()):
            props = REL_SCHEMA[rtype][2]
            have_source, have_target = rows.nodes.get(source, {}), rows.nodes.get(target, {})
            edges = {
                (r["src"], r["dst"], *(_cell(r.get(name), kind) for name, kind in props))
                for r in rels
                if r["src"] in have_source and r["dst"] in have_target
            }
            header = ["from", "to", *(name for name, _ in props)]
            _copy(conn, folder, f"{rtype}.{n}", header, sorted(edges), f', from="{source}", to="{target}"')
            counts[rtype] = counts.get(rtype, 0) + len(edges)
    conn.close()
    database.close()
    return counts


def open_embedded(path: Path, read_only: bool = True) -> ladybug.Connection:
    return ladybug.Connection(ladybug.Database(str(path), read_only=read_only))
