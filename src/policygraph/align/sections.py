"""Section links: two sections correspond when their measures do.

A section is the heading a measure sits under (the innermost entry of its section path); in a
document whose measures all sit under one heading — 002's eight recommendations — each measure is
its own section, so that the eight 工程 of 000 can meet the eight recommendations of 002. A section
pair's score is the summed score of the measure links between them per measure of the smaller
side, raised towards the similarity of the two headings; headings that read alike link on their
own, since a research report's recommendation and a plan's chapter share a heading, not wording.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from policygraph.align.measures import MeasureLink, heading
from policygraph.align.similarity import dice
from policygraph.graph.rdf import section_id
from policygraph.model import Document, Measure

SECTION_LINK_AT = 0.35
HEADINGS_ALIKE = 0.5  # Dice of two headings at which they link with no measure link behind them


@dataclass(frozen=True)
class Part:
    """A section, or a measure that stands for one: what a section link joins."""

    doc: Document = field(compare=False)
    kind: str = ""  # section or measure
    id: str = ""
    label: str = ""


@dataclass(frozen=True)
class SectionLink:
    a: Part
    b: Part
    score: float
    links: int  # measure links behind it
    heading: float


def part_of(doc: Document, measure: Measure) -> Part | None:
    if len({tuple(m.section_path) for m in doc.measures}) <= 1:
        return Part(doc, "measure", measure.id, heading(measure))
    if not measure.section_path:
        return None
    return Part(doc, "section", section_id(doc.id, measure.section_path), measure.section_path[-1])


def align_sections(links: list[MeasureLink]) -> list[SectionLink]:
    """Section pairs of every two documents that share at least one measure link."""
    weight: dict[tuple[Part, Part], float] = defaultdict(float)
    count: dict[tuple[Part, Part], int] = defaultdict(int)
    pairs: dict[tuple[str, str], tuple[Document, Document]] = {}
    for link in links:
        pairs[link.a.doc.id, link.b.doc.id] = (link.a.doc, link.b.doc)
        a, b = part_of(link.a.doc, link.a.measure), part_of(link.b.doc, link.b.measure)
        if a is not None and b is not None:
            weight[a, b] += link.score
            count[a, b] += 1
    out = []
    for doc_a, doc_b in pairs.values():
        parts_a, parts_b = _parts(doc_a), _parts(doc_b)
        for a, size_a in parts_a.items():
            for b, size_b in parts_b.items():
                h = dice(a.label, b.label)
                by_links = min(1.0, weight.get((a, b), 0.0) / min(size_a, size_b))
                score = max(by_links, (by_links + h) / 2 if by_links else 0.0, h if h >= HEADINGS_ALIKE else 0.0)
                if score >= SECTION_LINK_AT:
                    out.append(SectionLink(a, b, round(score, 4), count.get((a, b), 0), round(h, 4)))
    return sorted(out, key=lambda s: (s.a.doc.source, s.b.doc.source, -s.score))


def _parts(doc: Document) -> dict[Part, int]:
    """A document's parts, each with its number of measures."""
    sizes: dict[Part, int] = defaultdict(int)
    for m in doc.measures:
        part = part_of(doc, m)
        if part is not None:
            sizes[part] += 1
    return sizes
