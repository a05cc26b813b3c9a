"""Section links: two sections correspond when their measures do.

A section is the heading a measure sits under (the innermost entry of its section path); in a
document whose measures all sit under one heading — 002's eight recommendations — each measure is
its own section, so that the eight 工程 of 000 can meet the eight recommendations of 002. A section
pair's score is the summed score of the measure links between them per measure of the smaller
side, raised towards the similarity of the two headings; headings that read alike link on their
own, since a research report's recommendation and a plan's chapter share a heading, not wording.
A section keeps only its best counterpart in the other document (or several, tied): 保障措施
sections read alike everywhere, and a list of near-misses helps nobody.
"""

from __future__ import annotations

from collections import defaultdict

from policygraph.align.measures import Match, heading
from policygraph.align.similarity import bigrams, dice_of
from policygraph.ids import section_id
from policygraph.model import Document, Measure, Ref, SectionLink

SECTION_LINK_AT = 0.35
HEADINGS_ALIKE = 0.5  # Dice of two headings at which they link with no measure link behind them


def part_of(doc: Document, measure: Measure, one_section: bool) -> Ref | None:
    """The section a measure sits under, or the measure itself standing for one: what a section link joins."""
    if one_section:
        return Ref(doc.id, measure.id, "measure", heading(measure))
    if not measure.section_path:
        return None
    return Ref(doc.id, section_id(doc.id, measure.section_path), "section", measure.section_path[-1])


def align_sections(links: list[Match]) -> list[SectionLink]:
    """Section pairs of every two documents that share at least one measure link."""
    weight: dict[tuple[str, str], float] = defaultdict(float)  # (part id, part id) → summed link scores
    count: dict[tuple[str, str], int] = defaultdict(int)
    pairs: dict[tuple[str, str], tuple[Document, Document]] = {}
    single: dict[str, bool] = {}
    for link in links:
        pairs[link.a.doc.id, link.b.doc.id] = (link.a.doc, link.b.doc)
        for doc in (link.a.doc, link.b.doc):
            if doc.id not in single:
                single[doc.id] = len({tuple(m.section_path) for m in doc.measures}) <= 1
        a = part_of(link.a.doc, link.a.measure, single[link.a.doc.id])
        b = part_of(link.b.doc, link.b.measure, single[link.b.doc.id])
        if a is not None and b is not None:
            weight[a.id, b.id] += link.score
            count[a.id, b.id] += 1
    out = []
    alike: dict[tuple[str, str], float] = {}  # heading pairs recur across documents that copy one another
    parts: dict[str, dict[Ref, tuple[int, set[str]]]] = {}
    for doc_a, doc_b in pairs.values():
        for doc in (doc_a, doc_b):
            if doc.id not in parts:
                parts[doc.id] = {p: (size, bigrams(p.label)) for p, size in _parts(doc, single[doc.id]).items()}
        found: list[SectionLink] = []
        for a, (size_a, grams_a) in parts[doc_a.id].items():
            for b, (size_b, grams_b) in parts[doc_b.id].items():
                h = alike.get((a.label, b.label))
                if h is None:
                    h = alike[a.label, b.label] = dice_of(grams_a, grams_b)
                by_links = min(1.0, weight.get((a.id, b.id), 0.0) / min(size_a, size_b))
                score = max(by_links, (by_links + h) / 2 if by_links else 0.0, h if h >= HEADINGS_ALIKE else 0.0)
                if score >= SECTION_LINK_AT:
                    found.append(SectionLink(a, b, round(score, 4), count.get((a.id, b.id), 0), round(h, 4)))
        best: dict[str, float] = defaultdict(float)
        for s in found:
            best[s.a.id] = max(best[s.a.id], s.score)
            best[s.b.id] = max(best[s.b.id], s.score)
        out += [s for s in found if s.score == best[s.a.id] or s.score == best[s.b.id]]
    source = {doc.id: doc.source for pair in pairs.values() for doc in pair}
    return sorted(out, key=lambda s: (source[s.a.document], source[s.b.document], -s.score))


def _parts(doc: Document, one_section: bool) -> dict[Ref, int]:
    """A document's parts, each with its number of measures."""
    sizes: dict[Ref, int] = defaultdict(int)
    for m in doc.measures:
        part = part_of(doc, m, one_section)
        if part is not None:
            sizes[part] += 1
    return sizes
