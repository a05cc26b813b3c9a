"""Loading the property graph into a Neo4j server over Bolt.

Constraints first, then batched ``UNWIND $rows … MERGE`` writes, so loading twice equals loading once.
The same replace/remove rules as ``build``: a document no longer in the input takes its nodes with
it, and shared nodes (units, unit types, regions, indicator concepts) that no document mentions any
more are deleted; deletes go 10,000 at a time. The driver is handed in, never created here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from neo4j import Driver

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

    def write(self, documents: Sequence[Document], alignment: Alignment) -> dict[str, tuple[int, int]]:
        """Bring the server in step; returns label/type → (rows in the model, count in Neo4j). Every
        node the model does not hold goes (with its relationships), and the relationships no single
        document owns are replaced whole, so the server ends as the model is whatever it held before:
        an earlier corpus, or a load killed half-way."""
        return _load(documents, alignment, self.driver, self.database)


def _load(
    documents: Sequence[Document], alignment: Alignment, driver: Driver, database: str | None
) -> dict[str, tuple[int, int]]:
    ensure_constraints(driver, database)
    rows: Rows = property_rows(documents, alignment)
    _delete(driver, f"MATCH ()-[n:{'|'.join(DERIVED)}]->()", database)
    for label in NODE_SCHEMA:
        keep = list(rows.nodes.get(label, {}))
        _delete(driver, f"MATCH (n:{label}) WHERE NOT n.{_key(label)} IN $keep", database, keep=keep)
    for label, nodes in rows.nodes.items():
        key = _key(label)
        # SET n = r, not +=: the node ends with the model's properties only, none left from an earlier load
        statement = f"UNWIND $rows AS r MERGE (n:{label} {{{key}: r.{key}}}) SET n = r"
        for batch in _batches(list(nodes.values())):
            driver.execute_query(statement, rows=batch, database_=database)
    for (rtype, source, target), rels in rows.rels.items():
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
    return counts(driver, rows, database)


def counts(driver: Driver, rows: Rows, database: str | None = None) -> dict[str, tuple[int, int]]:
    """Rows the model has against what the server holds, per label and relationship type."""
    report: dict[str, tuple[int, int]] = {}
    for label in NODE_SCHEMA:
        (record,) = driver.execute_query(f"MATCH (n:{label}) RETURN count(n) AS n", database_=database).records
        report[label] = (len(rows.nodes.get(label, {})), record["n"])
    for rtype in REL_SCHEMA:
        expected = len(
            {(r["src"], r["dst"], r.get("ord")) for (t, _, _), rels in rows.rels.items() if t == rtype for r in rels}
        )
        (record,) = driver.execute_query(f"MATCH ()-[e:{rtype}]->() RETURN count(e) AS n", database_=database).records
        report[rtype] = (expected, record["n"])
    return report
