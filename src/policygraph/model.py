"""The plain data model every stage shares: documents and what they hold, and their alignment.

Ingest produces the documents, the aligner the alignment; writers (JSON, RDF, property graphs) and
the API only read them. Every fact carries
``start``/``end`` character offsets into the decoded text (what ``policygraph text`` prints) and the
1-based ``line`` where it starts, so it can always be traced back to its document.

Field names follow the ``extract`` JSON contract (``shared/contracts/extract.schema.json``), so
``dataclasses.asdict`` is a document's serialisation; the alignment refers to documents and their
parts by id only, and ``contracts`` gives it its JSON form. A field declared with ``fact`` also says
how the RDF graph and the property graph hold it (see ``shape``): this file is the one declaration
of the model's shape that every form derives from.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from policygraph.shape import fact

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

    what: str = field(metadata=fact(rdf="pg:counts", lang="zh"))
    value: float | None = field(metadata=fact(rdf="sdmx-measure:obsValue", optional=True))
    value_text: str = field(metadata=fact(rdf="pg:printedValue"))
    unit: str = field(metadata=fact(rdf="pg:unitOfMeasure", optional=True))
    comparator: str = field(metadata=fact(rdf="pg:comparator", optional=True))
    year: str = field(metadata=fact(rdf="pg:year", optional=True))
    start: int
    end: int


@dataclass(frozen=True)
class Measure:
    id: str = field(metadata=fact())
    number: str = field(metadata=fact(rdf="eli:number", optional=True))
    title: str = field(metadata=fact(rdf="pg:title", lang="zh", optional=True))
    section_path: list[str] = field(metadata=fact(rdf="pg:sectionPath", join=" / "))
    text: str = field(metadata=fact(rdf="pg:text", lang="zh"))
    lead_units: list[str]
    responsible_units: list[str]
    unit_roles: list[UnitRole]
    targets: list[Target]
    start: int = field(metadata=fact(graph="char_start"))
    end: int = field(metadata=fact(graph="char_end"))
    line: int = field(metadata=fact())
    # item, paragraph, table_row: how the measure was recognised
    kind: str = field(default="item", metadata=fact(rdf="pg:kind"))
    units_unlabelled: bool = False
    list_ends_with_deng: bool = False


@dataclass(frozen=True)
class Indicator:
    id: str = field(metadata=fact())
    name: str = field(metadata=fact(rdf="pg:title", lang="zh"))
    unit: str = field(metadata=fact(rdf="pg:unitOfMeasure", optional=True))
    domain: str = field(metadata=fact(rdf="pg:domain", optional=True))
    # the baseline and the target are value nodes in RDF (graph.rdf), properties in the property graph
    baseline_year: str = field(metadata=fact())
    baseline: str = field(metadata=fact())
    baseline_value: float | None = field(metadata=fact())
    target_year: str = field(metadata=fact())
    target: str = field(metadata=fact())
    target_value: float | None = field(metadata=fact())
    comparator: str = field(metadata=fact())
    cumulative: bool = field(metadata=fact(rdf="pg:cumulative"))
    nature: str = field(metadata=fact(rdf="pg:nature", optional=True))
    lead_units: list[str]
    responsible_units: list[str]
    unit_roles: list[UnitRole]
    start: int = field(metadata=fact(graph="char_start"))
    end: int = field(metadata=fact(graph="char_end"))
    line: int = field(metadata=fact())
    source_form: str = "table"  # table or line
    # the town or street a matrix row gives the value for (各街镇指标分解表); "" for the plan's region
    place: str = field(default="", metadata=fact(rdf="pg:place", optional=True))


@dataclass(frozen=True)
class Project:
    id: str = field(metadata=fact())
    name: str = field(metadata=fact(rdf="pg:title", lang="zh"))
    # the 专栏 box (or project list) title
    column: str = field(metadata=fact(rdf="pg:column", lang="zh", graph="column_title"))
    text: str = field(metadata=fact(rdf="pg:text", lang="zh"))
    lead_units: list[str]
    responsible_units: list[str]
    unit_roles: list[UnitRole]
    start: int = field(metadata=fact(graph="char_start"))
    end: int = field(metadata=fact(graph="char_end"))
    line: int = field(metadata=fact())
    units_unlabelled: bool = False
    list_ends_with_deng: bool = False


@dataclass(frozen=True)
class Duty:
    """What one unit is responsible for overall (职责分工: "区财政局。负责…"), as opposed to a measure it
    leads or supports: a standing duty, so no workload counts it. A passage shared by several units
    (区商务委、区城管执法局、外滩投资集团。按照…) is one duty of each, the passage printed once per unit."""

    id: str = field(metadata=fact())
    unit: str = field(metadata=fact(rdf="pg:printedName", graph="printed_name"))  # this unit as printed
    unit_id: str  # the unit (pg:dutyOf in RDF, DUTY_OF in the property graph)
    text: str = field(metadata=fact(rdf="pg:text", lang="zh"))
    section_path: list[str] = field(metadata=fact(rdf="pg:sectionPath", join=" / "))
    start: int = field(metadata=fact(graph="char_start"))
    end: int = field(metadata=fact(graph="char_end"))
    line: int = field(metadata=fact())


@dataclass(frozen=True)
class Unit:
    """A government unit as an identity: one region, one canonical name, many printed aliases."""

    id: str = field(metadata=fact())
    name: str = field(metadata=fact(rdf="skos:prefLabel", lang="zh"))
    region: str = field(metadata=fact(rdf="pg:region", iri="region"))
    type: str = field(metadata=fact(rdf="org:classification", iri="unit-type"))
    kind: str = field(metadata=fact(rdf="pg:kindOfUnit"))  # department, party, catch-all, enterprise, other
    # every printed name; in RDF skos:altLabel, all but the name itself (graph.rdf writes them)
    aliases: list[str] = field(default_factory=list, metadata=fact())


@dataclass(frozen=True)
class Problem:
    """Structure the parser saw but could not place; never fatal for the document."""

    line: int
    message: str


@dataclass(frozen=True)
class Document:
    id: str = field(metadata=fact())
    source: str = field(metadata=fact(rdf="pg:sourceFile"))
    title: str = field(metadata=fact(rdf="pg:title", lang="zh"))
    doc_type: str = field(metadata=fact(rdf="pg:docType", optional=True))
    status: str = field(metadata=fact(rdf="pg:status", optional=True))
    issuer: str = field(metadata=fact(rdf="eli:passed_by", optional=True))
    region: str = field(metadata=fact(rdf="eli:jurisdiction", iri="region", optional=True))
    parent_region: str = field(metadata=fact())  # in RDF, the region's (the shared graph)
    level: str = field(metadata=fact())  # in RDF, the region's
    date: str = field(metadata=fact(rdf="dcterms:issued", datatype="xsd:date", optional=True))
    doc_number: str = field(metadata=fact(rdf="eli:number", optional=True))
    period: str = field(metadata=fact(rdf="pg:period", optional=True))
    implements: list[str] = field(metadata=fact(rdf="pg:implementsTitle", lang="zh"))
    based_on: list[str] = field(metadata=fact(rdf="pg:basedOnTitle", lang="zh"))
    measures: list[Measure]
    indicators: list[Indicator]
    projects: list[Project]
    duties: list[Duty]
    units: list[Unit]
    problems: list[Problem]
    text_sha256: str = field(default="", metadata=fact(rdf="pg:textSha256", graph=None))
    chars: int = 0


METADATA = (  # a document's own facts, without its measures and the rest: what lists show
    "id",
    "title",
    "doc_type",
    "status",
    "issuer",
    "region",
    "parent_region",
    "level",
    "date",
    "doc_number",
    "period",
    "source",
)


def document_metadata(doc: Document) -> dict:
    return {name: getattr(doc, name) for name in METADATA}


# an indicator as a table of them prints it: what every listing of indicators shows
INDICATOR_READING = ("name", "place", "unit", "baseline_year", "baseline", "target_year", "target")

SAME, RELATED = "same", "related"  # a measure link's grade
MATCHED_HEADING = 0.5  # heading similarity at which a link's evidence says its headings match


@dataclass(frozen=True)
class Citation:
    """One document citing another (贯彻落实《…》, 根据《…》), resolved to a corpus document or kept by title."""

    source: str  # the citing document's id
    title: str  # as cited
    relation: str  # implements or based_on
    target: str = ""  # the cited document's id; "" when it is not in the corpus


@dataclass(frozen=True)
class Ref:
    """One end of a link, or a member of a group: a part of a document, by id."""

    document: str
    id: str
    kind: str = "measure"  # measure, section or indicator
    label: str = ""  # a section's heading (what a section link shows)


@dataclass(frozen=True)
class Evidence:
    """Why two measures are linked: what a reader checks before trusting the link."""

    compared_because: str  # why the two documents were compared at all: cites, levels, topic or shared
    text_similarity: float
    heading_similarity: float
    headings: tuple[str, str]  # each measure's title, or its opening clause
    shared_terms: tuple[str, ...]  # the longest key terms both texts use
    # why the grade: "score" (same: the score alone), "each-others-best" (same: each is the other's
    # best counterpart in the other plan), "partial" (related: one has a better counterpart there)
    graded_because: str = ""

    @property
    def matched_heading(self) -> tuple[str, ...]:
        return self.headings if self.heading_similarity >= MATCHED_HEADING else ()


@dataclass(frozen=True)
class MeasureLink:
    """Two measures of two documents that state one commitment; ``a`` is the higher-level document's."""

    a: Ref
    b: Ref
    score: float
    grade: str  # SAME or RELATED
    evidence: Evidence


@dataclass(frozen=True)
class SectionLink:
    """Two sections (or measures standing for one) that correspond, by their measures or headings."""

    a: Ref
    b: Ref
    score: float
    measure_links: int  # measure links behind it
    heading_similarity: float


@dataclass(frozen=True)
class IndicatorGroup:
    """One indicator concept however each plan printed its name."""

    concept: str  # the folded name most members share
    names: tuple[str, ...]  # every folded name in the group
    members: tuple[Ref, ...]  # the indicators

    @property
    def documents(self) -> int:
        return len({m.document for m in self.members})


@dataclass(frozen=True)
class Alignment:
    """What ``policygraph align`` finds across a set of documents."""

    method: str
    citations: tuple[Citation, ...] = ()
    indicator_groups: tuple[IndicatorGroup, ...] = ()
    measure_links: tuple[MeasureLink, ...] = ()
    section_links: tuple[SectionLink, ...] = ()
    unmatched: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # document id → unlinked measure ids


Link = TypeVar("Link", MeasureLink, SectionLink)


def between(links: Iterable[Link], a: str, b: str) -> list[Link]:
    """The links joining documents ``a`` and ``b``, either way round."""
    return [k for k in links if {k.a.document, k.b.document} == {a, b}]


def documents_matching(documents: Iterable[Document], key: str) -> list[Document]:
    """The documents a reader's key names: the one with that id, else those whose source file name
    starts with it (004, 06_sh_public…), the short names the CLI and the API both take."""
    documents = list(documents)
    return [d for d in documents if d.id == key] or [d for d in documents if key and d.source.startswith(key)]
