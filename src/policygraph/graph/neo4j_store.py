"""Loading the property graph into a Neo4j server over Bolt.

Constraints first, then batched ``UNWIND $rows … MERGE`` writes, so loading twice equals loading once.
The same replace/remove rules as ``build``: a document no longer in the input takes its nodes with
it, and shared nodes (units, unit types, regions, indicator concepts) that no document mentions any
more are deleted; deletes go 10,000 at a time. The driver is handed in, never created here.

Fingerprints make a re-load cheap: each Document node keeps a hash of the rows its document owns
(its nodes and their relationships), set only once they are all written, and one
``PolicygraphLoad`` node keeps the hash of the whole load, removed when a load starts and set when
it ends. A load whose whole hash the server holds writes nothing; otherwise the documents whose
hash the server holds are not written again (what no document owns is replaced whole, as before).
``full=True`` ignores every fingerprint: whatever the server held, it ends as the model.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

from neo4j import Driver

from policygraph.graph import property as property_module
from policygraph.graph.property import DERIVED, NODE_SCHEMA, OWNED, REL_SCHEMA, Rows, property_rows
from policygraph.model import Alignment, Document

BATCH = 1000


def _key(label: str) -> str:
    return NODE_SCHEMA[label][0][0]


def ensure_constraints(driver: Driver, database: str | None = None) -> None:
    for label in NODE_SCHEMA:
        key = _key(label)
        driver.execute_query(
            f"CREATE CONSTRAINT {label.lower()}_{key} IF NOT EXISTS FOR (n:{label}) REQUIRE n.{key} IS UNIQUE",
            database_=database,
        )
    for label in OWNED:
        driver.execute_query(
            f"CREATE INDEX {label.lower()}_doc IF NOT EXISTS FOR (n:{label}) ON (n.doc_id)", database_=database
        )


def _delete(driver: Driver, match: str, database: str | None, **params) -> None:
    """``DETACH DELETE`` what ``match`` binds to ``n``, 10,000 at a time: one transaction removing a
    whole corpus (or its 100,000 alignment links) outgrows the server's transaction memory limit."""
    while driver.execute_query(
        f"{match} WITH n LIMIT 10000 DETACH DELETE n RETURN count(*) AS n", database_=database, **params
    ).records[0]["n"]:
        pass


def _batches(rows: list[dict]) -> Iterable[list[dict]]:
    for k in range(0, len(rows), BATCH):
        yield rows[k : k + BATCH]


class Neo4jWriter:
    """Writes into the server behind ``driver`` (the default database, or ``database``)."""

    def __init__(self, driver: Driver, database: str | None = None) -> None:
        self.driver, self.database = driver, database

    def write(
        self, documents: Sequence[Document], alignment: Alignment, full: bool = False, source: str = ""
    ) -> dict[str, tuple[int, int]]:
        """Bring the server in step; returns label/type → (rows in the model, count in Neo4j). Every
        node the model does not hold goes (with its relationships), and the relationships no single
        document owns are replaced whole, so the server ends as the model is whatever it held before:
        an earlier corpus, or a load killed half-way (see the module's docstring on fingerprints).
        ``source``: a fingerprint of where the model comes from (``Build.fingerprint``), kept as the
        load's, so that ``held`` can answer the next load of the same build without reading it."""
        return _load(documents, alignment, self.driver, self.database, full, source)

    def held(self, source: str) -> dict[str, tuple[int, int]] | None:
        """When the server holds the load of ``source`` (and it has the mapping of this code): the
        report of ``write`` (the model's counts kept with that load, the server's counted now)."""
        return _held(self.driver, self.database, _load_key(source))


def _load_key(source: str) -> str:
    """A load's fingerprint: its source's, and this code's mapping of the model to rows."""
    mapping = Path(property_module.__file__).read_bytes()
    return hashlib.sha256(source.encode() + b"\0" + mapping).hexdigest()


def _load(
    documents: Sequence[Document],
    alignment: Alignment,
    driver: Driver,
    database: str | None,
    full: bool = False,
    source: str = "",
) -> dict[str, tuple[int, int]]:
    ensure_constraints(driver, database)
    rows: Rows = property_rows(documents, alignment)
    owner = _owners(rows)
    prints = _fingerprints(rows, owner)
    whole = _load_key(source or "".join(sorted(prints.values())))
    if not full and (held_report := _held(driver, database, whole)) is not None:
        return held_report
    driver.execute_query("MATCH (n:PolicygraphLoad) DELETE n", database_=database)
    held = {} if full else _held_documents(driver, database)
    same = {doc for doc, fingerprint in prints.items() if doc and held.get(doc) == fingerprint}
    _delete(driver, f"MATCH ()-[n:{'|'.join(DERIVED)}]->()", database)
    for label in NODE_SCHEMA:
        keep = list(rows.nodes.get(label, {}))
        _delete(driver, f"MATCH (n:{label}) WHERE NOT n.{_key(label)} IN $keep", database, keep=keep)
    for label, nodes in rows.nodes.items():
        key = _key(label)
        # SET n = r, not +=: the node ends with the model's properties only, none left from an earlier load
        statement = f"UNWIND $rows AS r MERGE (n:{label} {{{key}: r.{key}}}) SET n = r"
        wanted = [node for k, node in nodes.items() if owner.get((label, k), "") not in same]
        for batch in _batches(wanted):
            driver.execute_query(statement, rows=batch, database_=database)
    for (rtype, source, target), rels in rows.rels.items():
        rels = [r for r in rels if rtype in DERIVED or owner.get((source, r["src"]), "") not in same]
        match = f"MATCH (a:{source} {{{_key(source)}: r.src}}), (b:{target} {{{_key(target)}: r.dst}})"
        props = [name for name, _ in REL_SCHEMA[rtype][2]]
        if "ord" in props:
            merge = f"MERGE (a)-[e:{rtype} {{ord: r.ord}}]->(b) SET e.label = r.label, e.printed_name = r.printed_name"
        elif props:
            merge = f"MERGE (a)-[e:{rtype}]->(b) SET " + ", ".join(f"e.{p} = r.{p}" for p in props)
        else:
            merge = f"MERGE (a)-[:{rtype}]->(b)"
        for batch in _batches(rels):
            driver.execute_query(f"UNWIND $rows AS r {match} {merge}", rows=batch, database_=database)
    # every row is in: the documents' fingerprints, then the load's
    written = [
        {"id": doc, "fingerprint": fingerprint} for doc, fingerprint in prints.items() if doc and doc not in same
    ]
    for batch in _batches(written):
        driver.execute_query(
            "UNWIND $rows AS r MATCH (d:Document {id: r.id}) SET d.fingerprint = r.fingerprint",
            rows=batch,
            database_=database,
        )
    report = counts(driver, rows, database)
    model = json.dumps({name: expected for name, (expected, _) in report.items()})
    driver.execute_query(
        "CREATE (:PolicygraphLoad {fingerprint: $whole, counts: $model})", whole=whole, model=model, database_=database
    )
    return report


def _owners(rows: Rows) -> dict[tuple[str, str], str]:
    """(label, key) → the id of the document that owns the node: a document itself and its parts
    (measures, sections …); shared nodes (units, regions …) are owned by none ("")."""
    owner = {("Document", key): key for key in rows.nodes.get("Document", {})}
    for label in OWNED:
        owner |= {(label, key): node["doc_id"] for key, node in rows.nodes.get(label, {}).items()}
    return owner


def _fingerprints(rows: Rows, owner: dict[tuple[str, str], str]) -> dict[str, str]:
    """A hash of the rows each document owns (its nodes, the relationships from them), and under ""
    one of all the rest (shared nodes, the relationships no document owns)."""
    parts: dict[str, list[str]] = defaultdict(list)
    for label, nodes in rows.nodes.items():
        for key, node in nodes.items():
            parts[owner.get((label, key), "")].append(json.dumps([label, node], sort_keys=True, ensure_ascii=False))
    for (rtype, source, target), rels in rows.rels.items():
        for r in rels:
            who = "" if rtype in DERIVED else owner.get((source, r["src"]), "")
            parts[who].append(json.dumps([rtype, source, target, r], sort_keys=True, ensure_ascii=False))
    return {who: hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest() for who, lines in parts.items()}


def _held(driver: Driver, database: str | None, key: str) -> dict[str, tuple[int, int]] | None:
    """The report of the load ``key`` when the server holds it: the model's counts kept with that
    load against the server's, counted now; None when the server holds another load or none."""
    records = driver.execute_query(
        "MATCH (n:PolicygraphLoad {fingerprint: $key}) RETURN n.counts AS counts", key=key, database_=database
    ).records
    if len(records) != 1:
        return None
    expected: dict[str, int] = json.loads(records[0]["counts"])
    found = _server_counts(driver, database)
    return {name: (expected.get(name, 0), found[name]) for name in found}


def _held_documents(driver: Driver, database: str | None) -> dict[str, str]:
    records = driver.execute_query(
        "MATCH (d:Document) WHERE d.fingerprint IS NOT NULL RETURN d.id AS id, d.fingerprint AS f", database_=database
    ).records
    return {record["id"]: record["f"] for record in records}


def counts(driver: Driver, rows: Rows, database: str | None = None) -> dict[str, tuple[int, int]]:
    """Rows the model has against what the server holds, per label and relationship type."""
    found = _server_counts(driver, database)
    report = {label: (len(rows.nodes.get(label, {})), found[label]) for label in NODE_SCHEMA}
    for rtype in REL_SCHEMA:
        expected = len(
            {(r["src"], r["dst"], r.get("ord")) for (t, _, _), rels in rows.rels.items() if t == rtype for r in rels}
        )
        report[rtype] = (expected, found[rtype])
    return report


def _server_counts(driver: Driver, database: str | None) -> dict[str, int]:
    out = {}
    for label in NODE_SCHEMA:
        (record,) = driver.execute_query(f"MATCH (n:{label}) RETURN count(n) AS n", database_=database).records
        out[label] = record["n"]
    for rtype in REL_SCHEMA:
        (record,) = driver.execute_query(f"MATCH ()-[e:{rtype}]->() RETURN count(e) AS n", database_=database).records
        out[rtype] = record["n"]
    return out
