"""``policygraph align``: every alignment stage over one set of documents, as the model's ``Alignment``.

An incremental alignment (``earlier`` and ``changed``: what ``build`` does when a few documents of a
built folder changed) searches only the changed documents' measures and keeps the earlier links
between documents that are both unchanged, as they were. What may drift from a fresh alignment, and
why it is small (``bench/incremental.py`` measures it): the corpus-wide weights (IDF, the n-grams too
common to retrieve by) are those of the current documents, so a kept link keeps the score it had
under the earlier corpus; a pair that only an unchanged measure's own top list would have offered is
not found; siblings and the links each measure may keep to them are counted with the earlier links.
``build --full`` aligns afresh.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping

from policygraph.align.documents import resolve_references
from policygraph.align.indicators import group_indicators
from policygraph.align.measures import (
    METHOD,
    SIBLING,
    Item,
    Match,
    Settings,
    align_measures,
    evidence,
    reading_order,
    retrieve,
    select,
)
from policygraph.align.sections import align_sections
from policygraph.align.terms import key_terms_of
from policygraph.model import Alignment, Document, MeasureLink, Ref


def _link(match: Match, terms: Mapping[str, tuple[str, ...]]) -> MeasureLink:
    a = Ref(match.a.doc.id, match.a.measure.id)
    b = Ref(match.b.doc.id, match.b.measure.id)
    return MeasureLink(a, b, match.score, match.grade, evidence(match, terms))


def align(
    documents: list[Document],
    settings: Settings | None = None,
    earlier: Alignment | None = None,
    changed: Collection[str] | None = None,
) -> Alignment:
    """Align ``documents``; with ``earlier`` and ``changed`` (document ids), incrementally."""
    settings = settings or Settings()
    citations = resolve_references(documents)
    cited = {frozenset((c.source, c.target)) for c in citations if c.target}
    kept: list[MeasureLink] = []
    if earlier is None or changed is None:
        matches = align_measures(documents, cited, settings)
        old: list[Match] = []
    else:
        candidates = retrieve(documents, cited, settings, changed)
        row = {(r.doc.id, r.measure.id): k for k, r in enumerate(candidates.refs)}
        kept = [
            k
            for k in earlier.measure_links
            if (k.a.document, k.a.id) in row
            and (k.b.document, k.b.id) in row
            and k.a.document not in changed
            and k.b.document not in changed
        ]
        siblings = Counter(
            row[end.document, end.id] for k in kept if k.evidence.compared_because in SIBLING for end in (k.a, k.b)
        )
        matches = select(candidates, settings, siblings)
        old = [_match(k, candidates.refs, row) for k in kept]
    terms = key_terms_of({side.measure.text for match in matches for side in (match.a, match.b)})
    links = [_link(m, terms) for m in matches]
    if old:  # in the order a fresh alignment gives (``select``'s), the earlier links among the new
        every = sorted(old + matches, key=reading_order(documents))
        position = {(m.a.measure.id, m.b.measure.id): n for n, m in enumerate(every)}
        links = sorted(kept + links, key=lambda k: position[k.a.id, k.b.id])
        matches = every
    linked = {(k.a.document, k.a.id) for k in links} | {(k.b.document, k.b.id) for k in links}
    return Alignment(
        method=METHOD,
        citations=tuple(citations),
        indicator_groups=tuple(group_indicators(documents)),
        measure_links=tuple(links),
        section_links=tuple(align_sections(matches)),
        unmatched={d.id: tuple(m.id for m in d.measures if (d.id, m.id) not in linked) for d in documents},
    )


def _match(link: MeasureLink, refs: list[Item], row: Mapping[tuple[str, str], int]) -> Match:
    """An earlier link as the aligner's own pair (what section links are derived from)."""
    e = link.evidence
    return Match(
        refs[row[link.a.document, link.a.id]],
        refs[row[link.b.document, link.b.id]],
        link.score,
        link.grade,
        e.text_similarity,
        e.heading_similarity,
        e.compared_because,
        e.graded_because,
    )
