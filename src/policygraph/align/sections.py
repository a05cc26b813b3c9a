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
from policygraph.align.similarity import alike, bigrams, dice
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
    weight: dict[tuple[Ref, Ref], float] = defaultdict(float)  # (part, part) → summed link scores
    count: dict[tuple[Ref, Ref], int] = defaultdict(int)
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
            weight[a, b] += link.score
            count[a, b] += 1
    documents = {doc.id: doc for pair in pairs.values() for doc in pair}
    parts = {doc_id: _parts(doc, single[doc_id]) for doc_id, doc in documents.items()}
    labels = sorted({part.label for these in parts.values() for part in these})
    grams = [bigrams(label) for label in labels]
    alike_labels: dict[str, dict[str, float]] = defaultdict(dict)  # headings that link on their own
    for x, y, h in alike(grams, grams, HEADINGS_ALIKE):
        alike_labels[labels[x]][labels[y]] = h
    linked: dict[tuple[str, str], set[tuple[Ref, Ref]]] = defaultdict(set)  # document pair → part pairs
    for a, b in weight:
        linked[a.document, b.document].add((a, b))
    out = []
    for doc_a, doc_b in pairs.values():
        by_label: dict[str, list[Ref]] = defaultdict(list)
        for b in parts[doc_b.id]:
            by_label[b.label].append(b)
        # only part pairs with a measure link between them, or headings alike, can score
        order_a = {a: n for n, a in enumerate(parts[doc_a.id])}
        order_b = {b: n for n, b in enumerate(parts[doc_b.id])}
        candidates = set(linked[doc_a.id, doc_b.id])
        candidates |= {(a, b) for a in order_a for label in alike_labels[a.label] for b in by_label.get(label, ())}
        found: list[SectionLink] = []
        for a, b in sorted(candidates, key=lambda pair: (order_a[pair[0]], order_b[pair[1]])):
            size_a, size_b = parts[doc_a.id][a], parts[doc_b.id][b]
            h = alike_labels[a.label].get(b.label) or dice(a.label, b.label)
            by_links = min(1.0, weight.get((a, b), 0.0) / min(size_a, size_b))
            score = max(by_links, (by_links + h) / 2 if by_links else 0.0, h if h >= HEADINGS_ALIKE else 0.0)
            if score >= SECTION_LINK_AT:
                found.append(SectionLink(a, b, round(score, 4), count.get((a, b), 0), round(h, 4)))
        best: dict[str, float] = defaultdict(float)
        for s in found:
            best[s.a.id] = max(best[s.a.id], s.score)
            best[s.b.id] = max(best[s.b.id], s.score)
        out += [s for s in found if s.score == best[s.a.id] or s.score == best[s.b.id]]
    source = {doc_id: doc.source for doc_id, doc in documents.items()}
    return sorted(out, key=lambda s: (source[s.a.document], source[s.b.document], -s.score))


def _parts(doc: Document, one_section: bool) -> dict[Ref, int]:
    """A document's parts, each with its number of measures."""
    sizes: dict[Ref, int] = defaultdict(int)
    for m in doc.measures:
        part = part_of(doc, m, one_section)
        if part is not None:
            sizes[part] += 1
    return sizes
