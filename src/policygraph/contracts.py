"""The model's JSON forms: the ``extract`` and ``align`` contracts (``tests/contracts/``), and the files
of a build folder, which hold the same forms.

JSON lives only here, at the edge: inside the program a document is a ``Document`` and an alignment an
``Alignment``. The alignment refers to documents by id; its JSON form repeats what a reader of the
file alone needs (each end's source file, number, title, position and, for ``align``, its text),
taken from the documents when it is written and ignored when it is read back.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from policygraph.model import (
    INDICATOR_READING,
    Alignment,
    Citation,
    Document,
    Duty,
    Evidence,
    Indicator,
    IndicatorGroup,
    Measure,
    MeasureLink,
    Problem,
    Project,
    Ref,
    SectionLink,
    Target,
    Unit,
    UnitRole,
)

JSON = dict[str, Any]


def document_json(doc: Document) -> JSON:
    return asdict(doc)


def document_from_json(data: JSON) -> Document:
    """The inverse of ``document_json`` (reads ``documents.jsonl``)."""

    def roles(items: list[JSON]) -> list[UnitRole]:
        return [UnitRole(**item) for item in items]

    fields = dict(data)
    fields["measures"] = [
        Measure(**{**m, "unit_roles": roles(m["unit_roles"]), "targets": [Target(**t) for t in m["targets"]]})
        for m in data["measures"]
    ]
    fields["indicators"] = [Indicator(**{**i, "unit_roles": roles(i["unit_roles"])}) for i in data["indicators"]]
    fields["projects"] = [Project(**{**p, "unit_roles": roles(p["unit_roles"])}) for p in data["projects"]]
    fields["duties"] = [Duty(**d) for d in data["duties"]]
    fields["units"] = [Unit(**u) for u in data["units"]]
    fields["problems"] = [Problem(**p) for p in data["problems"]]
    return Document(**fields)


def evidence_json(method: str, evidence: Evidence) -> JSON:
    return {
        "method": method,
        "documents_compared_because": evidence.compared_because,
        "text_similarity": evidence.text_similarity,
        "heading_similarity": evidence.heading_similarity,
        "matched_heading": list(evidence.matched_heading),
        "headings": list(evidence.headings),
        "shared_terms": list(evidence.shared_terms),
        "graded_because": evidence.graded_because,
    }


def _where(ref: Ref, source: dict[str, str]) -> JSON:
    """Which document a part of the alignment lies in: its source file and id."""
    return {"source": source[ref.document], "document": ref.document}


def section_link_json(link: SectionLink, source: dict[str, str]) -> JSON:
    """A section link; ``source`` maps document ids to their source files."""

    def part(ref: Ref) -> JSON:
        return _where(ref, source) | {"kind": ref.kind, "id": ref.id, "label": ref.label}

    return {
        "a": part(link.a),
        "b": part(link.b),
        "score": link.score,
        "measure_links": link.measure_links,
        "heading_similarity": link.heading_similarity,
    }


def alignment_json(alignment: Alignment, documents: Iterable[Document], with_text: bool = True) -> JSON:
    """The ``align`` contract, with the method, the documents and their citations as extra keys.

    ``build`` leaves the measures' text out (``with_text=False``): its folder holds it once in
    documents.jsonl, where a copy per link would make the file grow with the links."""
    docs = list(documents)
    by_id = {d.id: d for d in docs}
    source = {d.id: d.source for d in docs}
    measures = {m.id: m for d in docs for m in d.measures}
    indicators = {i.id: i for d in docs for i in d.indicators}

    def end(ref: Ref) -> JSON:
        m = measures[ref.id]
        out = _where(ref, source) | {
            "id": m.id,
            "number": m.number,
            "title": m.title,
            "section": m.section_path[-1] if m.section_path else "",
            "start": m.start,
            "end": m.end,
            "line": m.line,
        }
        return out | {"text": m.text} if with_text else out

    def member(ref: Ref) -> JSON:
        i = indicators[ref.id]
        reading = {name: getattr(i, name) for name in INDICATOR_READING}
        return _where(ref, source) | {"id": i.id} | reading | {"nature": i.nature, "line": i.line}

    return {
        "method": alignment.method,
        "documents": [
            {"source": d.source, "id": d.id, "title": d.title, "level": d.level, "region": d.region} for d in docs
        ],
        "document_links": [
            {
                "source": source[c.source],
                "source_id": c.source,
                "relation": c.relation,
                "cited_title": c.title,
                "target": by_id[c.target].source if c.target else None,
                "target_id": c.target or None,
            }
            for c in alignment.citations
        ],
        "indicator_groups": [
            {
                "concept": g.concept,
                "names": list(g.names),
                "documents": g.documents,
                "members": [member(m) for m in g.members],
            }
            for g in alignment.indicator_groups
        ],
        "measure_links": [
            {
                "a": end(k.a),
                "b": end(k.b),
                "score": k.score,
                "grade": k.grade,
                "evidence": evidence_json(alignment.method, k.evidence),
            }
            for k in alignment.measure_links
        ],
        "section_links": [section_link_json(s, source) for s in alignment.section_links],
        "unmatched": {
            doc_id: [
                {"id": m.id, "number": m.number, "title": m.title, "line": m.line}
                for m in (measures[k] for k in measure_ids)
            ]
            for doc_id, measure_ids in alignment.unmatched.items()
        },
    }


def alignment_from_json(data: JSON) -> Alignment:
    """The inverse of ``alignment_json`` (reads a build folder's ``alignment.json``)."""

    def ref(end: JSON, kind: str = "measure") -> Ref:
        return Ref(end["document"], end["id"], end.get("kind", kind), end.get("label", ""))

    def evidence(e: JSON) -> Evidence:
        return Evidence(
            e["documents_compared_because"],
            e["text_similarity"],
            e["heading_similarity"],
            (e["headings"][0], e["headings"][1]),
            tuple(e["shared_terms"]),
            e.get("graded_because", ""),  # absent from builds made before grades had reasons
        )

    return Alignment(
        method=data["method"],
        citations=tuple(
            Citation(c["source_id"], c["cited_title"], c["relation"], c["target_id"] or "")
            for c in data["document_links"]
        ),
        indicator_groups=tuple(
            IndicatorGroup(g["concept"], tuple(g["names"]), tuple(ref(m, "indicator") for m in g["members"]))
            for g in data["indicator_groups"]
        ),
        measure_links=tuple(
            MeasureLink(ref(k["a"]), ref(k["b"]), k["score"], k["grade"], evidence(k["evidence"]))
            for k in data["measure_links"]
        ),
        section_links=tuple(
            SectionLink(ref(s["a"]), ref(s["b"]), s["score"], s["measure_links"], s["heading_similarity"])
            for s in data["section_links"]
        ),
        unmatched={doc_id: tuple(m["id"] for m in items) for doc_id, items in data["unmatched"].items()},
    )
