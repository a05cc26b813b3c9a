"""REST routes over the model: documents, units, measures, indicators, comparison and search."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from policygraph.api.alignment import LINK_COLUMNS, link_row
from policygraph.api.common import (
    Format,
    Limit,
    Offset,
    Stores,
    StoresDep,
    error,
    find_document,
    off_loop,
    table,
    wants_csv,
)
from policygraph.contracts import section_link_json
from policygraph.figures import total
from policygraph.model import INDICATOR_READING, METADATA, Document, Duty, Indicator, Measure, Unit, document_metadata

router = APIRouter()
DOC = "doc-d53e1a7690b6"  # the examples name documents and units of the sample corpus
UnitId = Annotated[str, Path(examples=["unit-be6eceb37759"])]  # 恩阳区人力资源和社会保障局

DOC_COLUMNS = [*METADATA, "measures", "indicators", "projects", "duties"]
UNIT_COLUMNS = ["id", "name", "region", "type", "kind", "aliases", "documents", "led", "supported"]
MEASURE_COLUMNS = ["id", "document", "document_title", "number", "title", "section", "role", "label"]
DUTY_COLUMNS = ["id", "document", "document_title", "unit", "section", "text", "line"]
INDICATOR_FIELDS = (*INDICATOR_READING, "baseline_value", "target_value", "comparator", "cumulative", "nature")
INDICATOR_COLUMNS = ["id", "concept", "document", "document_title", *INDICATOR_FIELDS]


def _doc_row(doc: Document) -> dict:
    counts = {"measures": len(doc.measures), "indicators": len(doc.indicators), "projects": len(doc.projects)}
    counts["duties"] = len(doc.duties)
    return document_metadata(doc) | counts


def _measure_row(doc: Document, measure: Measure, role: str = "", label: str = "") -> dict:
    return {
        "id": measure.id,
        "document": doc.id,
        "document_title": doc.title,
        "number": measure.number,
        "title": measure.title,
        "section": " / ".join(measure.section_path),
        "role": role,
        "label": label,
    }


@router.get("/documents", summary="List documents", tags=["documents"])
async def list_documents(
    stores: StoresDep, request: Request, limit: Limit = 100, offset: Offset = 0, format: Format = None
):
    return await off_loop(
        lambda: table(request, format, stores.corpus.documents_in_order, DOC_COLUMNS, limit, offset, _doc_row)
    )


@router.get(
    "/documents/{doc_id}", summary="One document with its measures, indicators, projects and duties", tags=["documents"]
)
async def get_document(doc_id: Annotated[str, Path(examples=[DOC])], stores: StoresDep):
    doc = find_document(stores.corpus, doc_id)
    return await off_loop(
        lambda: {
            **_doc_row(doc),
            "implements": doc.implements,
            "based_on": doc.based_on,
            # each with its offset, so that a reader can set them in the order the text prints them
            "measures_list": [{**_measure_row(doc, m), "start": m.start} for m in doc.measures],
            "indicators_list": [
                {
                    "id": i.id,
                    "name": i.name,
                    "unit": i.unit,
                    "place": i.place,
                    "baseline": i.baseline,
                    "target": i.target,
                    "nature": i.nature,
                    "start": i.start,
                }
                for i in doc.indicators
            ],
            "projects_list": [{"id": p.id, "name": p.name, "column": p.column, "start": p.start} for p in doc.projects],
            "duties_list": [{"id": d.id, "unit": d.unit, "unit_id": d.unit_id, "text": d.text} for d in doc.duties],
            "problems": [{"line": p.line, "message": p.message} for p in doc.problems],
        }
    )


@router.get(
    "/documents/{doc_id}/text",
    summary="A document's text, with where each measure's units are printed (its unit annotations)",
    tags=["documents"],
)
async def document_text(doc_id: Annotated[str, Path(examples=[DOC])], stores: StoresDep):
    """``annotations``: each place inside a measure's span where one of its units is printed, with the
    unit, its role and the label that gave it; offsets into ``text``, in order, none overlapping."""
    doc = find_document(stores.corpus, doc_id)

    def answer() -> dict:
        text = stores.corpus.build.text(doc.id)
        found = []  # (start, end, role, measure) of every printed unit name inside its measure
        for m in doc.measures:
            for r in m.unit_roles:
                at = text.find(r.name, m.start, m.end) if r.name else -1
                while at != -1:
                    found.append((at, at + len(r.name), r, m.id))
                    at = text.find(r.name, at + len(r.name), m.end)
        marks, reached = [], 0
        for at, end, r, measure in sorted(found, key=lambda f: (f[0], -f[1])):
            if at >= reached:  # the longest name printed at a place, once
                marks.append(
                    {
                        "start": at,
                        "end": end,
                        "unit_id": r.unit_id,
                        "role": r.role,
                        "label": r.label,
                        "measure": measure,
                    }
                )
                reached = end
        return {"id": doc.id, "title": doc.title, "text": text, "annotations": marks}

    return await off_loop(answer)


def _unit_row(stores: StoresDep, unit_id: str) -> dict:
    entry = stores.corpus.units[unit_id]
    unit = entry.unit
    load = total(stores.corpus.workload.get(unit_id, {}))
    return {
        "id": unit.id,
        "name": unit.name,
        "region": unit.region,
        "type": unit.type,
        "kind": unit.kind,
        "aliases": unit.aliases,
        "documents": sorted(entry.documents),
        "led": load.lead,  # its workload (figures.py): distinct measures led and supported, over all documents
        "supported": load.support,
    }


@router.get(
    "/units",
    summary="Find units by name (short or full), region and type",
    description="A name that is a kind of unit (人社局, 区人社局, 人力资源和社会保障局) finds that kind's unit in "
    "every region, whatever each plan calls it; any other name is matched as part of a unit's name or aliases.",
    tags=["units"],
)
async def list_units(
    stores: StoresDep,
    request: Request,
    name: Annotated[str | None, Query(examples=["区人社局"])] = None,
    region: Annotated[str | None, Query(examples=["恩阳区"])] = None,
    type: Annotated[str | None, Query(examples=["人社局"])] = None,
    limit: Limit = 100,
    offset: Offset = 0,
    format: Format = None,
):
    def matches(unit: Unit) -> bool:
        return (not region or unit.region == region) and (not type or unit.type == type)

    csv = wants_csv(request, format)

    def row(unit_id: str) -> dict:
        out = _unit_row(stores, unit_id)
        if csv:
            out |= {"aliases": "、".join(out["aliases"]), "documents": " ".join(out["documents"])}
        return out

    def answer():
        units = stores.corpus.units
        found = [unit_id for unit_id in stores.corpus.units_named(name) if matches(units[unit_id].unit)]
        return table(request, format, found, UNIT_COLUMNS, limit, offset, row)

    return await off_loop(answer)


@router.get("/units/{unit_id}", summary="One unit", tags=["units"])
async def get_unit(unit_id: UnitId, stores: StoresDep):
    if unit_id not in stores.corpus.units:
        raise error(404, f"no unit {unit_id}")
    return _unit_row(stores, unit_id)


@router.get("/units/{unit_id}/measures", summary="Measures a unit leads or supports", tags=["units"])
async def unit_measures(
    unit_id: UnitId,
    stores: StoresDep,
    request: Request,
    role: Annotated[Literal["lead", "responsible", "any"], Query()] = "any",
    limit: Limit = 100,
    offset: Offset = 0,
    format: Format = None,
):
    if unit_id not in stores.corpus.units:
        raise error(404, f"no unit {unit_id}")

    def answer():
        rows = []
        for measure_id, r, label in stores.corpus.unit_measures(unit_id, role):
            doc, measure = stores.corpus.measures[measure_id]
            rows.append(_measure_row(doc, measure, r, label))
        return table(request, format, rows, MEASURE_COLUMNS, limit, offset)

    return await off_loop(answer)


@router.get("/units/{unit_id}/duties", summary="What a unit is responsible for overall (职责分工)", tags=["units"])
async def unit_duties(
    unit_id: UnitId, stores: StoresDep, request: Request, limit: Limit = 100, offset: Offset = 0, format: Format = None
):
    """The unit's duties in every document, by document title and position: standing responsibilities
    from a plan's 职责分工 part or 单位 | 职责 table, not measures (they count in no workload)."""
    if unit_id not in stores.corpus.units:
        raise error(404, f"no unit {unit_id}")

    def row(pair: tuple[Document, Duty]) -> dict:
        doc, duty = pair
        return {
            "id": duty.id,
            "document": doc.id,
            "document_title": doc.title,
            "unit": duty.unit,
            "section": " / ".join(duty.section_path),
            "text": duty.text,
            "line": duty.line,
        }

    def answer():
        duties = sorted(stores.corpus.duties.get(unit_id, []), key=lambda pair: (pair[0].title, pair[1].start))
        return table(request, format, duties, DUTY_COLUMNS, limit, offset, row)

    return await off_loop(answer)


@router.get(
    "/units/{unit_id}/workload", summary="How many measures a unit leads and supports, by document", tags=["units"]
)
async def unit_workload(unit_id: UnitId, stores: StoresDep, request: Request, format: Format = None):
    if unit_id not in stores.corpus.units:
        raise error(404, f"no unit {unit_id}")

    def answer():
        rows = [
            {"document": doc_id, "title": stores.corpus.documents[doc_id].title, "lead": w.lead, "support": w.support}
            for doc_id, w in sorted(stores.corpus.workload.get(unit_id, {}).items())
        ]
        return table(request, format, rows, ["document", "title", "lead", "support"], 1000, 0)

    return await off_loop(answer)


@router.get("/measures/{measure_id}", summary="One measure with its source span and text excerpt", tags=["measures"])
async def get_measure(
    measure_id: Annotated[str, Path(examples=[DOC + "-m94"])],
    stores: StoresDep,
    context: Annotated[int, Query(ge=0, le=2000)] = 200,
):
    pair = stores.corpus.measures.get(measure_id)
    if pair is None:
        raise error(404, f"no measure {measure_id}")
    doc, m = pair

    def answer() -> dict:  # in a thread: it reads the document's whole text from disk
        text = stores.corpus.build.text(doc.id)
        before_start = max(0, m.start - context)
        return {
            "id": m.id,
            "document": doc.id,
            "document_title": doc.title,
            "source": doc.source,
            "number": m.number,
            "title": m.title,
            "section_path": m.section_path,
            "text": m.text,
            "kind": m.kind,
            "lead_units": m.lead_units,
            "responsible_units": m.responsible_units,
            "unit_roles": [
                {"name": r.name, "role": r.role, "label": r.label, "unit_id": r.unit_id} for r in m.unit_roles
            ],
            "targets": [t.__dict__ for t in m.targets],
            "span": {"start": m.start, "end": m.end, "line": m.line},
            "excerpt": {
                "before": text[before_start : m.start],
                "passage": text[m.start : m.end],
                "after": text[m.end : m.end + context],
            },
        }

    return await off_loop(answer)


def _indicator_row(stores: Stores, doc: Document, i) -> dict:
    return {
        "id": i.id,
        "concept": stores.corpus.concept(i.name),
        "document": doc.id,
        "document_title": doc.title,
        **{name: getattr(i, name) for name in INDICATOR_FIELDS},
    }


@router.get(
    "/indicators",
    summary="Indicators, optionally of one concept across documents (names grouped by the alignment)",
    tags=["indicators"],
)
async def list_indicators(
    stores: StoresDep,
    request: Request,
    concept: Annotated[str | None, Query(examples=["学前教育毛入园率"])] = None,
    limit: Limit = 100,
    offset: Offset = 0,
    format: Format = None,
):
    pairs = stores.corpus.indicators_by_concept(concept) if concept else stores.corpus.indicators_in_order

    def row(pair: tuple[Document, Indicator]) -> dict:
        return _indicator_row(stores, *pair)

    return await off_loop(lambda: table(request, format, pairs, INDICATOR_COLUMNS, limit, offset, row))


@router.get(
    "/compare",
    summary="Two documents side by side: indicators by concept, measures, and the alignment between them",
    tags=["documents", "alignment"],
)
async def compare(
    a: Annotated[str, Query(examples=["doc-8899991cfed9"])],
    b: Annotated[str, Query(examples=["doc-34a248ab31c5"])],
    stores: StoresDep,
    request: Request,
    format: Format = None,
    part: Annotated[
        Literal["indicators", "links"], Query(description="which table ?format=csv returns")
    ] = "indicators",
):
    left, right = find_document(stores.corpus, a), find_document(stores.corpus, b)
    return await off_loop(lambda: _comparison(stores, request, format, part, left, right))


def _comparison(stores: Stores, request: Request, format: str | None, part: str, left: Document, right: Document):
    """The body of /compare, run off the event loop: two large documents' measures make a large answer."""
    a, b = left.id, right.id
    indicator_rows = []
    for concept, *sides in stores.corpus.compare(a, b):
        row = {"concept": concept}
        for side, i in zip("ab", sides, strict=True):
            if i is not None:
                row.update({f"{side}_{field}": getattr(i, field) for field in INDICATOR_SIDE_FIELDS})
        indicator_rows.append(row)
    links = [link_row(k, stores.corpus) for k in stores.corpus.links_between(a, b)]
    if wants_csv(request, format):
        rows, columns = (indicator_rows, INDICATOR_SIDE_COLUMNS) if part == "indicators" else (links, LINK_COLUMNS)
        return table(request, format, rows, columns, len(rows) or 1, 0)
    linked = {k["a_id"] for k in links} | {k["b_id"] for k in links}
    source = {a: left.source, b: right.source}
    return {
        "a": _doc_row(left),
        "b": _doc_row(right),
        "indicators": indicator_rows,
        "measures": {side: [_measure_row(doc, m) for m in doc.measures] for side, doc in (("a", left), ("b", right))},
        "alignment": links,
        "sections": [section_link_json(s, source) for s in stores.corpus.sections_between(a, b)],
        "unmatched": {
            side: [m.id for m in doc.measures if m.id not in linked] for side, doc in (("a", left), ("b", right))
        },
    }


# what each side of the comparison shows of an indicator: the figures as printed, with their years, the
# unit of measure (自贡's 2.1 → 2.3 is in 万张, 岳池's 0.5万张 carries it), the comparator a verb printed
# (大于2平方米 is read as > and 2平方米) and 属性
INDICATOR_SIDE_FIELDS = ("name", "unit", "baseline_year", "baseline", "target_year", "target", "comparator", "nature")
INDICATOR_SIDE_COLUMNS = ["concept", *(f"{side}_{field}" for side in "ab" for field in INDICATOR_SIDE_FIELDS)]


@router.get(
    "/search",
    summary="Chinese full-text search (jieba terms) over documents, units, indicators, measures",
    description="Each hit has its kind, id, label and where it stands: a measure's or indicator's document "
    "title, a unit's region.",
    tags=["search"],
)
async def search(
    q: Annotated[str, Query(min_length=1, max_length=200, examples=["婴幼儿托位"])],
    stores: StoresDep,
    request: Request,
    limit: Limit = 50,
    offset: Offset = 0,
    format: Format = None,
):

    def answer():
        rows = []
        for kind, key in stores.corpus.search(q):
            where = ""  # where the hit stands: two measures of one title in two plans are told apart
            if kind == "document":
                label = stores.corpus.documents[key].title
            elif kind == "unit":
                label, where = stores.corpus.units[key].unit.name, stores.corpus.units[key].unit.region
            elif kind == "indicator":
                doc, indicator = stores.corpus.indicators[key]
                label, where = indicator.name, doc.title
            else:
                doc, measure = stores.corpus.measures[key]
                label, where = f"{measure.number} {measure.title or measure.text[:40]}".strip(), doc.title
            rows.append({"kind": kind, "id": key, "label": label, "where": where})
        return table(request, format, rows, ["kind", "id", "label", "where"], limit, offset)

    return await off_loop(answer)


@router.get(
    "/viz/{view}",
    response_class=HTMLResponse,
    tags=["views"],
    summary="A standalone view: the unit workload network (workload), bars by unit type (chart), the "
    "workloads of each unit type across regions (types), or two documents' measures joined by their alignment "
    "links (alignment)",
)
def viz(
    view: Annotated[Literal["workload", "chart", "types", "alignment"], Path(examples=["chart"])],
    stores: StoresDep,
    document: str | None = None,
    region: Annotated[str | None, Query(examples=["岳池县"])] = None,
    max_measures: Annotated[int, Query(ge=1, le=5000)] = 400,
    a: Annotated[str | None, Query(description="alignment: one document id", examples=["doc-8899991cfed9"])] = None,
    b: Annotated[str | None, Query(description="alignment: the other", examples=["doc-34a248ab31c5"])] = None,
):
    from policygraph.viz.alignment import alignment_html
    from policygraph.viz.views import chart_html, network_html, select, types_html, workload

    if view == "types":
        return HTMLResponse(types_html(list(stores.corpus.documents.values())))
    if view == "alignment":
        if not (a and b):
            raise error(400, "give a= and b= (document ids)")
        left, right = find_document(stores.corpus, a), find_document(stores.corpus, b)
        sections = stores.corpus.sections_between(left.id, right.id)
        return HTMLResponse(alignment_html(left, right, stores.corpus.links_between(left.id, right.id), sections))
    if not (document or region):
        raise error(400, "give document= or region=")
    chosen, title = select(list(stores.corpus.documents.values()), document, region)
    if not chosen:
        raise error(404, f"no document matches {document or region}")
    data = workload(chosen, title)
    return HTMLResponse(network_html(data, max_measures) if view == "workload" else chart_html(data))
