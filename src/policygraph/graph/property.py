"""The model as a property graph: node and relationship rows shared by every Cypher store.

Labels and relationship types follow the name table in ontology/README.md. Writers take these rows
and send them as ``UNWIND $rows … MERGE`` batches, so writing twice equals writing once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from policygraph.graph.folder import scored_links
from policygraph.graph.rdf import concept_key, section_id
from policygraph.model import LEAD, Document, UnitRole, document_metadata

# label → (property, ladybug type); the first property is the key.
NODE_SCHEMA: dict[str, list[tuple[str, str]]] = {
    "Document": [
        ("id", "STRING"),
        ("title", "STRING"),
        ("doc_type", "STRING"),
        ("status", "STRING"),
        ("issuer", "STRING"),
        ("region", "STRING"),
        ("parent_region", "STRING"),
        ("level", "STRING"),
        ("date", "STRING"),
        ("doc_number", "STRING"),
        ("period", "STRING"),
        ("source", "STRING"),
        ("implements", "STRING[]"),
        ("based_on", "STRING[]"),
    ],
    "Section": [("id", "STRING"), ("doc_id", "STRING"), ("title", "STRING"), ("depth", "INT64")],
    "Measure": [
        ("id", "STRING"),
        ("doc_id", "STRING"),
        ("number", "STRING"),
        ("title", "STRING"),
        ("text", "STRING"),
        ("section_path", "STRING"),
        ("kind", "STRING"),
        ("char_start", "INT64"),
        ("char_end", "INT64"),
        ("line", "INT64"),
    ],
    "Project": [
        ("id", "STRING"),
        ("doc_id", "STRING"),
        ("name", "STRING"),
        ("column_title", "STRING"),
        ("text", "STRING"),
        ("char_start", "INT64"),
        ("char_end", "INT64"),
        ("line", "INT64"),
    ],
    "Indicator": [
        ("id", "STRING"),
        ("doc_id", "STRING"),
        ("name", "STRING"),
        ("unit", "STRING"),
        ("domain", "STRING"),
        ("baseline_year", "STRING"),
        ("baseline", "STRING"),
        ("baseline_value", "DOUBLE"),
        ("target_year", "STRING"),
        ("target", "STRING"),
        ("target_value", "DOUBLE"),
        ("comparator", "STRING"),
        ("cumulative", "BOOLEAN"),
        ("nature", "STRING"),
        ("char_start", "INT64"),
        ("char_end", "INT64"),
        ("line", "INT64"),
    ],
    "Unit": [
        ("id", "STRING"),
        ("name", "STRING"),
        ("region", "STRING"),
        ("type", "STRING"),
        ("kind", "STRING"),
        ("aliases", "STRING[]"),
    ],
    "UnitType": [("name", "STRING")],
    "Region": [("name", "STRING"), ("level", "STRING")],
    "IndicatorConcept": [("key", "STRING")],
}

ROLE_PROPS = [("label", "STRING"), ("printed_name", "STRING"), ("ord", "INT64")]
PARTS = ("Measure", "Project", "Indicator")
LINK_PROPS = [
    ("score", "DOUBLE"),
    ("grade", "STRING"),
    ("method", "STRING"),
    ("compared_because", "STRING"),
    ("text_similarity", "DOUBLE"),
    ("heading_similarity", "DOUBLE"),
    ("shared_terms", "STRING[]"),
]
# type → (from labels, to labels, properties); relationships with an "ord" property are keyed by it
REL_SCHEMA: dict[str, tuple[tuple[str, ...], tuple[str, ...], list[tuple[str, str]]]] = {
    "PART_OF": ((*PARTS, "Section"), ("Document",), []),
    "IN_SECTION": (("Measure",), ("Section",), []),
    "SUBSECTION_OF": (("Section",), ("Section",), []),
    "LEAD_BY": (PARTS, ("Unit",), ROLE_PROPS),
    "RESPONSIBLE": (PARTS, ("Unit",), ROLE_PROPS),
    "OF_TYPE": (("Unit",), ("UnitType",), []),
    "IN_REGION": (("Unit", "Document"), ("Region",), []),
    "WITHIN": (("Region",), ("Region",), []),
    "OF_CONCEPT": (("Indicator",), ("IndicatorConcept",), []),
    # from the alignment, rebuilt whole at every build and load
    "ALIGNED_WITH": (("Measure", "Section"), ("Measure", "Section"), LINK_PROPS),
    "IMPLEMENTS": (("Document",), ("Document",), []),
    "BASED_ON": (("Document",), ("Document",), []),
    "EXACT_MATCH": (("IndicatorConcept",), ("IndicatorConcept",), []),
}
# No document owns these: they join shared nodes, or come from the alignment of all documents, so a
# load replaces them whole instead of merging (a merge would keep one whose documents are gone).
DERIVED = ("ALIGNED_WITH", "IMPLEMENTS", "BASED_ON", "EXACT_MATCH", "OF_TYPE", "IN_REGION", "WITHIN", "OF_CONCEPT")


@dataclass
class Rows:
    nodes: dict[str, dict[str, dict]] = field(default_factory=dict)  # label → key → properties
    rels: dict[tuple[str, str, str], list[dict]] = field(default_factory=dict)  # (type, from, to) → rows

    def node(self, label: str, props: dict) -> None:
        key = props[NODE_SCHEMA[label][0][0]]
        if key is None or key == "":
            return  # e.g. the region of a unit whose document names none: nothing to key a node on
        known = self.nodes.setdefault(label, {}).setdefault(key, {})
        known.update({k: v for k, v in props.items() if v is not None and v != ""})

    def rel(self, rtype: str, src: str, dst: str, source_key: str, target_key: str, **props) -> None:
        if not source_key or not target_key:
            return  # an end that node() would not key (a unit without region): no relationship either
        self.rels.setdefault((rtype, src, dst), []).append({"src": source_key, "dst": target_key, **props})


def _roles(rows: Rows, label: str, key: str, roles: Iterable[UnitRole]) -> None:
    for k, role in enumerate(roles):
        rows.rel(
            "LEAD_BY" if role.role == LEAD else "RESPONSIBLE",
            label,
            "Unit",
            key,
            role.unit_id,
            label=role.label,
            printed_name=role.name,
            ord=k,
        )


def property_rows(docs: Iterable[Document], alignment: dict | None = None) -> Rows:
    """Rows for the documents and, when given, for the alignment JSON that ``build`` wrote with them."""
    rows = Rows()
    for doc in docs:
        rows.node(
            "Document",
            document_metadata(doc) | {"implements": list(doc.implements), "based_on": list(doc.based_on)},
        )
        if doc.region:
            rows.node("Region", {"name": doc.region, "level": doc.level})
            rows.rel("IN_REGION", "Document", "Region", doc.id, doc.region)
            if doc.parent_region:
                rows.node("Region", {"name": doc.parent_region})
                rows.rel("WITHIN", "Region", "Region", doc.region, doc.parent_region)
        for unit in doc.units:
            rows.node(
                "Unit",
                {
                    "id": unit.id,
                    "name": unit.name,
                    "region": unit.region,
                    "type": unit.type,
                    "kind": unit.kind,
                    "aliases": list(unit.aliases),
                },
            )
            rows.node("UnitType", {"name": unit.type})
            rows.node("Region", {"name": unit.region})
            rows.rel("OF_TYPE", "Unit", "UnitType", unit.id, unit.type)
            rows.rel("IN_REGION", "Unit", "Region", unit.id, unit.region)
        for m in doc.measures:
            rows.node(
                "Measure",
                {
                    "id": m.id,
                    "doc_id": doc.id,
                    "number": m.number,
                    "title": m.title,
                    "text": m.text,
                    "section_path": " / ".join(m.section_path),
                    "kind": m.kind,
                    "char_start": m.start,
                    "char_end": m.end,
                    "line": m.line,
                },
            )
            rows.rel("PART_OF", "Measure", "Document", m.id, doc.id)
            for depth in range(1, len(m.section_path) + 1):
                key = section_id(doc.id, m.section_path[:depth])
                if key not in rows.nodes.get("Section", {}):
                    rows.node(
                        "Section", {"id": key, "doc_id": doc.id, "title": m.section_path[depth - 1], "depth": depth}
                    )
                    rows.rel("PART_OF", "Section", "Document", key, doc.id)
                    if depth > 1:
                        rows.rel(
                            "SUBSECTION_OF", "Section", "Section", key, section_id(doc.id, m.section_path[: depth - 1])
                        )
            if m.section_path:
                rows.rel("IN_SECTION", "Measure", "Section", m.id, section_id(doc.id, m.section_path))
            _roles(rows, "Measure", m.id, m.unit_roles)
        for p in doc.projects:
            rows.node(
                "Project",
                {
                    "id": p.id,
                    "doc_id": doc.id,
                    "name": p.name,
                    "column_title": p.column,
                    "text": p.text,
                    "char_start": p.start,
                    "char_end": p.end,
                    "line": p.line,
                },
            )
            rows.rel("PART_OF", "Project", "Document", p.id, doc.id)
            _roles(rows, "Project", p.id, p.unit_roles)
        for i in doc.indicators:
            rows.node(
                "Indicator",
                {
                    "id": i.id,
                    "doc_id": doc.id,
                    "name": i.name,
                    "unit": i.unit,
                    "domain": i.domain,
                    "baseline_year": i.baseline_year,
                    "baseline": i.baseline,
                    "baseline_value": i.baseline_value,
                    "target_year": i.target_year,
                    "target": i.target,
                    "target_value": i.target_value,
                    "comparator": i.comparator,
                    "cumulative": i.cumulative,
                    "nature": i.nature,
                    "char_start": i.start,
                    "char_end": i.end,
                    "line": i.line,
                },
            )
            rows.node("IndicatorConcept", {"key": concept_key(i.name)})
            rows.rel("PART_OF", "Indicator", "Document", i.id, doc.id)
            rows.rel("OF_CONCEPT", "Indicator", "IndicatorConcept", i.id, concept_key(i.name))
            _roles(rows, "Indicator", i.id, i.unit_roles)
    if alignment:
        _alignment_rows(rows, alignment)
    return rows


def _alignment_rows(rows: Rows, alignment: dict) -> None:
    for link in alignment["document_links"]:
        if link["target_id"]:
            rtype = "IMPLEMENTS" if link["relation"] == "implements" else "BASED_ON"
            rows.rel(rtype, "Document", "Document", link["source_id"], link["target_id"])
    for group in alignment["indicator_groups"]:
        for name in group["names"]:
            if name != group["concept"]:
                rows.rel("EXACT_MATCH", "IndicatorConcept", "IndicatorConcept", name, group["concept"])
    label = {"section": "Section", "measure": "Measure"}
    for link in scored_links(alignment):
        rows.rel(
            "ALIGNED_WITH",
            label[link.a_kind],
            label[link.b_kind],
            link.a_id,
            link.b_id,
            score=link.score,
            grade=link.grade,
            method=alignment["method"],
            compared_because=link.compared_because,
            text_similarity=link.text_similarity,
            heading_similarity=link.heading_similarity,
            shared_terms=list(link.shared_terms),
        )
