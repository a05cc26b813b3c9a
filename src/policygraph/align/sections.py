"""Section links: two sections correspond when their measures do, or their headings read alike.

A section is the heading a measure sits under (the last entry of its section path); in a document
whose measures all sit under one heading — 002's eight recommendations — each measure is its own
section, so that the eight 工程 of 000 can meet the eight recommendations of 002."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from policygraph.align.measures import MeasureLink, heading
from policygraph.align.similarity import dice
from policygraph.model import Document, Measure

SECTION_LINK_AT = 0.35  # weight of measure links between two sections, per the smaller section's size


@dataclass(frozen=True)
class SectionLink:
    a_doc: Document
    a_section: str
    b_doc: Document
    b_section: str
    score: float
    links: int  # measure links behind it
    heading: float


def section_of(doc: Document, measure: Measure) -> str:
    if len({tuple(m.section_path) for m in doc.measures}) <= 1:
        return heading(measure)
    return measure.section_path[-1] if measure.section_path else ""


def align_sections(links: list[MeasureLink]) -> list[SectionLink]:
    weight: dict[tuple, float] = defaultdict(float)
    count: dict[tuple, int] = defaultdict(int)
    docs: dict[str, Document] = {}
    for link in links:
        docs[link.a.doc.id], docs[link.b.doc.id] = link.a.doc, link.b.doc
        a_section, b_section = section_of(link.a.doc, link.a.measure), section_of(link.b.doc, link.b.measure)
        key = (link.a.doc.id, a_section, link.b.doc.id, b_section)
        weight[key] += link.score
        count[key] += 1
    sizes: dict[tuple[str, str], int] = defaultdict(int)
    for doc in docs.values():
        for m in doc.measures:
            sizes[doc.id, section_of(doc, m)] += 1
    out = []
    for key, total in weight.items():
        a_id, a_sec, b_id, b_sec = key
        if not a_sec or not b_sec:
            continue
        score = min(1.0, total / min(sizes[a_id, a_sec], sizes[b_id, b_sec]))
        h = dice(a_sec, b_sec)
        score = round(max(score, (score + h) / 2), 4)
        if score >= SECTION_LINK_AT:
            out.append(SectionLink(docs[a_id], a_sec, docs[b_id], b_sec, score, count[key], round(h, 4)))
    return sorted(out, key=lambda s: (s.a_doc.source, s.b_doc.source, -s.score))
