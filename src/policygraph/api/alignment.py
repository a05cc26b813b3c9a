"""Alignment routes: measure links, indicator concepts, unmatched measures and resolved citations.

They answer from the build's alignment (``alignment.json``), which ``build`` writes with the stores
(the same links are in the SPARQL store's alignment graph and the Cypher stores' ALIGNED_WITH
relationships)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from policygraph.api.common import Format, Limit, Offset, StoresDep, error, find_document, off_loop, table
from policygraph.contracts import evidence_json
from policygraph.corpus import Corpus
from policygraph.model import MeasureLink

router = APIRouter(prefix="/alignment", tags=["alignment"])
DocQuery = Annotated[str | None, Query(examples=["doc-34a248ab31c5"])]

LINK_COLUMNS = [
    "a_document",
    "a_id",
    "a_number",
    "a_title",
    "b_document",
    "b_id",
    "b_number",
    "b_title",
    "score",
    "grade",
    "compared_because",
    "matched_heading",
    "shared_terms",
    "graded_because",
]


def link_row(link: MeasureLink, corpus: Corpus) -> dict:
    """A measure link as a flat row (for tables and CSV); the full evidence stays under ``evidence``."""
    row: dict[str, object] = {}
    for side, end in (("a", link.a), ("b", link.b)):
        measure = corpus.measures[end.id][1]
        row |= {
            f"{side}_document": end.document,
            f"{side}_id": end.id,
            f"{side}_number": measure.number,
            f"{side}_title": measure.title or measure.text[:30],
        }
    evidence = link.evidence
    return row | {
        "score": link.score,
        "grade": link.grade,
        "compared_because": evidence.compared_because,
        "matched_heading": " ↔ ".join(evidence.matched_heading),
        "shared_terms": "、".join(evidence.shared_terms),
        "graded_because": evidence.graded_because,
        "evidence": evidence_json(corpus.alignment.method, evidence),
    }


@router.get("/links", summary="Measure links across documents, with score, grade and evidence")
async def links(
    stores: StoresDep,
    request: Request,
    document: DocQuery = None,
    other: Annotated[str | None, Query(examples=["doc-8899991cfed9"])] = None,
    grade: Literal["same", "related"] | None = None,
    min_score: Annotated[float, Query(ge=0, le=1)] = 0.0,
    measure: Annotated[
        str | None,
        Query(description="only the links of this measure (either end)", examples=["doc-8899991cfed9-m12281"]),
    ] = None,
    limit: Limit = 100,
    offset: Offset = 0,
    format: Format = None,
):
    if other and not document:
        raise error(400, "other= needs document=")
    document, other = (find_document(stores.corpus, key).id if key else None for key in (document, other))
    if measure is not None:
        if measure not in stores.corpus.measures:
            raise error(404, f"no measure {measure}")
        document = document or stores.corpus.measures[measure][0].id
    found = stores.corpus.links_between(document, other) if document else stores.corpus.alignment.measure_links
    if measure is not None:
        found = [k for k in found if measure in (k.a.id, k.b.id)]

    def answer():  # every link of the corpus becomes a row before the page is cut: in a thread
        rows = [
            link_row(k, stores.corpus) for k in found if k.score >= min_score and (grade is None or k.grade == grade)
        ]
        return table(request, format, rows, LINK_COLUMNS, limit, offset)

    return await off_loop(answer)


@router.get("/indicators", summary="Indicator concepts: the printed names grouped as one, and in how many documents")
async def indicator_groups(
    stores: StoresDep,
    request: Request,
    min_documents: Annotated[int, Query(ge=1)] = 1,
    limit: Limit = 100,
    offset: Offset = 0,
    format: Format = None,
):

    def answer():
        rows = [
            {"concept": g.concept, "documents": g.documents, "names": "；".join(g.names), "members": len(g.members)}
            for g in stores.corpus.alignment.indicator_groups
            if g.documents >= min_documents
        ]
        return table(request, format, rows, ["concept", "documents", "names", "members"], limit, offset)

    return await off_loop(answer)


@router.get("/unmatched", summary="Measures with no link to any other document")
async def unmatched(
    stores: StoresDep,
    request: Request,
    document: DocQuery = None,
    limit: Limit = 100,
    offset: Offset = 0,
    format: Format = None,
):
    if document:
        document = find_document(stores.corpus, document).id

    def answer():
        rows = []
        for doc_id, measure_ids in stores.corpus.alignment.unmatched.items():
            if document and doc_id != document:
                continue
            for measure_id in measure_ids:
                doc, m = stores.corpus.measures[measure_id]
                row = {"document": doc.id, "source": doc.source, "id": m.id, "number": m.number, "title": m.title}
                rows.append(row | {"line": m.line})
        return table(request, format, rows, ["document", "source", "id", "number", "title", "line"], limit, offset)

    return await off_loop(answer)


@router.get("/documents", summary="Citations (贯彻落实《…》, 根据《…》) resolved to documents of the corpus, or not")
async def document_links(
    stores: StoresDep,
    request: Request,
    resolved: bool | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
    format: Format = None,
):

    def answer():
        documents = stores.corpus.documents
        rows = [
            {
                "source": documents[c.source].source,
                "source_id": c.source,
                "relation": c.relation,
                "cited_title": c.title,
                "target": documents[c.target].source if c.target else "",
                "target_id": c.target,
            }
            for c in stores.corpus.alignment.citations
            if resolved is None or bool(c.target) == resolved
        ]
        columns = ["source", "source_id", "relation", "cited_title", "target", "target_id"]
        return table(request, format, rows, columns, limit, offset)

    return await off_loop(answer)
