"""The plain data model every stage shares.

Ingest produces these objects; writers (JSON, RDF, Neo4j) only read them. Every fact carries
``start``/``end`` character offsets into the decoded text (what ``policygraph text`` prints) and the
1-based ``line`` where it starts, so it can always be traced back to its document.

Field names follow the ``extract`` JSON contract (``shared/contracts/extract.schema.json``), so
``dataclasses.asdict`` is the serialisation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LEAD = "lead"
RESPONSIBLE = "responsible"


@dataclass(frozen=True)
class UnitRole:
    """One unit named on a measure, project or indicator, with the label it was printed under."""

    name: str
    role: str  # LEAD or RESPONSIBLE
    label: str  # as printed: 牵头单位, 配合部门 …; "" when the list carried no label
    unit_id: str = ""


@dataclass(frozen=True)
class Target:
    """A quantitative commitment found inside a measure's text (新增学位3270个, 覆盖率达85%以上)."""

    what: str
    value: float | None
    value_text: str
    unit: str
    comparator: str
    year: str
    start: int
    end: int


@dataclass(frozen=True)
class Measure:
    id: str
    number: str
    title: str
    section_path: list[str]
    text: str
    lead_units: list[str]
    responsible_units: list[str]
    unit_roles: list[UnitRole]
    targets: list[Target]
    start: int
    end: int
    line: int
    kind: str = "item"  # item, paragraph, table_row: how the measure was recognised
    units_unlabelled: bool = False
    list_ends_with_deng: bool = False


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    unit: str
    domain: str
    baseline_year: str
    baseline: str
    baseline_value: float | None
    target_year: str
    target: str
    target_value: float | None
    comparator: str
    cumulative: bool
    nature: str
    lead_units: list[str]
    responsible_units: list[str]
    unit_roles: list[UnitRole]
    start: int
    end: int
    line: int
    source_form: str = "table"  # table or line


@dataclass(frozen=True)
class Project:
    id: str
    name: str
    column: str  # the 专栏 box (or project list) title
    text: str
    lead_units: list[str]
    responsible_units: list[str]
    unit_roles: list[UnitRole]
    start: int
    end: int
    line: int
    units_unlabelled: bool = False
    list_ends_with_deng: bool = False


@dataclass(frozen=True)
class Unit:
    """A government unit as an identity: one region, one canonical name, many printed aliases."""

    id: str
    name: str
    region: str
    type: str
    kind: str  # department, party, catch-all, enterprise, other
    aliases: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Problem:
    """Structure the parser saw but could not place; never fatal for the document."""

    line: int
    message: str


@dataclass(frozen=True)
class Document:
    id: str
    source: str
    title: str
    doc_type: str
    status: str
    issuer: str
    region: str
    parent_region: str
    level: str
    date: str
    doc_number: str
    period: str
    implements: list[str]
    based_on: list[str]
    measures: list[Measure]
    indicators: list[Indicator]
    projects: list[Project]
    units: list[Unit]
    problems: list[Problem]
    text_sha256: str = ""
    chars: int = 0


def document_metadata(doc: Document) -> dict:
    """The document-level facts, without its measures and the rest: what lists and nodes show."""
    return {
        "id": doc.id,
        "title": doc.title,
        "doc_type": doc.doc_type,
        "status": doc.status,
        "issuer": doc.issuer,
        "region": doc.region,
        "parent_region": doc.parent_region,
        "level": doc.level,
        "date": doc.date,
        "doc_number": doc.doc_number,
        "period": doc.period,
        "source": doc.source,
    }


def document_from_dict(data: dict) -> Document:
    """Inverse of ``dataclasses.asdict`` for a Document (reads ``documents.jsonl``)."""

    def roles(items: list[dict]) -> list[UnitRole]:
        return [UnitRole(**item) for item in items]

    fields = dict(data)
    fields["measures"] = [
        Measure(**{**m, "unit_roles": roles(m["unit_roles"]), "targets": [Target(**t) for t in m["targets"]]})
        for m in data["measures"]
    ]
    fields["indicators"] = [Indicator(**{**i, "unit_roles": roles(i["unit_roles"])}) for i in data["indicators"]]
    fields["projects"] = [Project(**{**p, "unit_roles": roles(p["unit_roles"])}) for p in data["projects"]]
    fields["units"] = [Unit(**u) for u in data["units"]]
    fields["problems"] = [Problem(**p) for p in data["problems"]]
    return Document(**fields)
