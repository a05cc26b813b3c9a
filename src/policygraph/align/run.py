"""``policygraph align``: every alignment stage over one set of documents, and its JSON form."""

from __future__ import annotations

from dataclasses import dataclass

from policygraph.align.documents import Reference, resolve_references
from policygraph.align.indicators import IndicatorGroup, group_indicators
from policygraph.align.measures import METHOD, MeasureLink, Settings, align_measures, evidence
from policygraph.align.sections import Part, SectionLink, align_sections
from policygraph.model import Document, Measure


@dataclass(frozen=True)
class Alignment:
    documents: list[Document]
    references: list[Reference]
    indicator_groups: list[IndicatorGroup]
    measure_links: list[MeasureLink]
    section_links: list[SectionLink]

    def unmatched(self) -> dict[str, list[Measure]]:
        """Per document (by source file), its measures with no link at all."""
        linked = {(ref.doc.id, ref.measure.id) for link in self.measure_links for ref in (link.a, link.b)}
        return {d.source: [m for m in d.measures if (d.id, m.id) not in linked] for d in self.documents}


def align(documents: list[Document], settings: Settings | None = None) -> Alignment:
    references = resolve_references(documents)
    cited = {frozenset((r.source, r.target)) for r in references if r.target}
    links = align_measures(documents, cited, settings or Settings())
    return Alignment(documents, references, group_indicators(documents), links, align_sections(links))


def _end(doc: Document, m: Measure, with_text: bool) -> dict:
    end = {
        "source": doc.source,
        "document": doc.id,
        "id": m.id,
        "number": m.number,
        "title": m.title,
        "section": m.section_path[-1] if m.section_path else "",
        "start": m.start,
        "end": m.end,
        "line": m.line,
    }
    return end | {"text": m.text} if with_text else end


def _part(part: Part) -> dict:
    return {"source": part.doc.source, "document": part.doc.id, "kind": part.kind, "id": part.id, "label": part.label}


def to_json(alignment: Alignment, with_text: bool = True) -> dict:
    """The contract of ``align.schema.json``, with the document references and method as extra keys.

    ``build`` leaves the measures' text out (``with_text=False``): its folder holds it once in
    documents.jsonl, where a copy per link would make the file grow with the links."""
    by_id = {d.id: d for d in alignment.documents}
    return {
        "method": METHOD,
        "documents": [
            {"source": d.source, "id": d.id, "title": d.title, "level": d.level, "region": d.region}
            for d in alignment.documents
        ],
        "document_links": [
            {
                "source": by_id[r.source].source,
                "source_id": r.source,
                "relation": r.relation,
                "cited_title": r.title,
                "target": by_id[r.target].source if r.target else None,
                "target_id": r.target or None,
            }
            for r in alignment.references
        ],
        "indicator_groups": [
            {
                "concept": g.concept,
                "names": list(g.keys),
                "documents": len({m.doc.id for m in g.members}),
                "members": [
                    {
                        "source": m.doc.source,
                        "document": m.doc.id,
                        "id": m.indicator.id,
                        "name": m.indicator.name,
                        "unit": m.indicator.unit,
                        "baseline_year": m.indicator.baseline_year,
                        "baseline": m.indicator.baseline,
                        "target_year": m.indicator.target_year,
                        "target": m.indicator.target,
                        "nature": m.indicator.nature,
                        "line": m.indicator.line,
                    }
                    for m in g.members
                ],
            }
            for g in alignment.indicator_groups
        ],
        "measure_links": [
            {
                "a": _end(k.a.doc, k.a.measure, with_text),
                "b": _end(k.b.doc, k.b.measure, with_text),
                "score": k.score,
                "grade": k.grade,
                "evidence": evidence(k),
            }
            for k in alignment.measure_links
        ],
        "section_links": [
            {
                "a": _part(s.a),
                "b": _part(s.b),
                "score": s.score,
                "measure_links": s.links,
                "heading_similarity": s.heading,
            }
            for s in alignment.section_links
        ],
        "unmatched": {
            source: [{"id": m.id, "number": m.number, "title": m.title, "line": m.line} for m in measures]
            for source, measures in alignment.unmatched().items()
        },
    }
