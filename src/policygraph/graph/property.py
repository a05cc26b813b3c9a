"""The model as a property graph: node and relationship rows shared by every Cypher store.

Labels and relationship types follow the name table in ontology/README.md. Writers take these rows
and send them as ``UNWIND $rows … MERGE`` batches, so writing twice equals writing once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from policygraph.ids import concept_key, section_id
from policygraph.model import LEAD, Alignment, Document, Duty, Indicator, Measure, Project, Unit, UnitRole
from policygraph.shape import columns, values

# label → (property, ladybug type); the first property is the key. The model's classes declare theirs.
PART = (("doc_id", "STRING"),)  # a document's part holds its document's id
NODE_SCHEMA: dict[str, list[tuple[str, str]]] = {
    "Document": columns(Document),
    "Section": [("id", "STRING"), ("doc_id", "STRING"), ("title", "STRING"), ("depth", "INT64")],
    "Measure": columns(Measure, PART),
    "Project": columns(Project, PART),
    "Indicator": columns(Indicator, PART),
    "Duty": columns(Duty, PART),
    "Unit": columns(Unit),
    "UnitType": [("name", "STRING")],
    "Region": [("name", "STRING"), ("level", "STRING")],
    "IndicatorConcept": [("key", "STRING")],
}

ROLE_PROPS = [("label", "STRING"), ("printed_name", "STRING"), ("ord", "INT64")]
PARTS = ("Measure", "Project", "Indicator")  # parts with unit roles
OWNED = (*PARTS, "Duty", "Section")  # nodes that belong to one document (their doc_id)
LINK_PROPS = [
    ("score", "DOUBLE"),
    ("grade", "STRING"),
    ("method", "STRING"),
    ("compared_because", "STRING"),
    ("text_similarity", "DOUBLE"),
    ("heading_similarity", "DOUBLE"),
    ("shared_terms", "STRING[]"),
    ("graded_because", "STRING"),
]
# type → (from labels, to labels, properties); relationships with an "ord" property are keyed by it
REL_SCHEMA: dict[str, tuple[tuple[str, ...], tuple[str, ...], list[tuple[str, str]]]] = {
    "PART_OF": (OWNED, ("Document",), []),
    "DUTY_OF": (("Duty",), ("Unit",), []),
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


def property_rows(docs: Iterable[Document], alignment: Alignment | None = None) -> Rows:
    """Rows for the documents and, when given, for their alignment."""
    rows = Rows()
    for doc in docs:
        rows.node("Document", values(doc))
        if doc.region:
            rows.node("Region", {"name": doc.region, "level": doc.level})
            rows.rel("IN_REGION", "Document", "Region", doc.id, doc.region)
            if doc.parent_region:
                rows.node("Region", {"name": doc.parent_region})
                rows.rel("WITHIN", "Region", "Region", doc.region, doc.parent_region)
        for unit in doc.units:
            rows.node("Unit", values(unit))
            rows.node("UnitType", {"name": unit.type})
            rows.node("Region", {"name": unit.region})
            rows.rel("OF_TYPE", "Unit", "UnitType", unit.id, unit.type)
            rows.rel("IN_REGION", "Unit", "Region", unit.id, unit.region)
        for m in doc.measures:
            rows.node("Measure", values(m) | {"doc_id": doc.id})
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
            rows.node("Project", values(p) | {"doc_id": doc.id})
            rows.rel("PART_OF", "Project", "Document", p.id, doc.id)
            _roles(rows, "Project", p.id, p.unit_roles)
        for i in doc.indicators:
            rows.node("Indicator", values(i) | {"doc_id": doc.id})
            rows.node("IndicatorConcept", {"key": concept_key(i.name)})
            rows.rel("PART_OF", "Indicator", "Document", i.id, doc.id)
            rows.rel("OF_CONCEPT", "Indicator", "IndicatorConcept", i.id, concept_key(i.name))
            _roles(rows, "Indicator", i.id, i.unit_roles)
        for duty in doc.duties:
            rows.node("Duty", values(duty) | {"doc_id": doc.id})
            rows.rel("PART_OF", "Duty", "Document", duty.id, doc.id)
            rows.rel("DUTY_OF", "Duty", "Unit", duty.id, duty.unit_id)
    if alignment:
        _alignment_rows(rows, alignment)
    return rows


def _alignment_rows(rows: Rows, alignment: Alignment) -> None:
    for citation in alignment.citations:
        if citation.target:
            rtype = "IMPLEMENTS" if citation.relation == "implements" else "BASED_ON"
            rows.rel(rtype, "Document", "Document", citation.source, citation.target)
    for group in alignment.indicator_groups:
        for name in group.names:
            if name != group.concept:
                rows.rel("EXACT_MATCH", "IndicatorConcept", "IndicatorConcept", name, group.concept)
    label = {"section": "Section", "measure": "Measure"}
    for link in alignment.measure_links:
        e = link.evidence
        rows.rel(
            "ALIGNED_WITH",
            "Measure",
            "Measure",
            link.a.id,
            link.b.id,
            score=link.score,
            grade=link.grade,
            method=alignment.method,
            compared_because=e.compared_because,
            text_similarity=e.text_similarity,
            heading_similarity=e.heading_similarity,
            shared_terms=list(e.shared_terms),
            graded_because=e.graded_because,
        )
    for s in alignment.section_links:
        rows.rel(
            "ALIGNED_WITH",
            label[s.a.kind],
            label[s.b.kind],
            s.a.id,
            s.b.id,
            score=s.score,
            grade="",
            method=alignment.method,
            compared_because="",
            text_similarity=None,
            heading_similarity=s.heading_similarity,
            shared_terms=[],
            graded_because="",
        )
