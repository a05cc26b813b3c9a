"""``policygraph align``: every alignment stage over one set of documents, as the model's ``Alignment``."""

from __future__ import annotations

from collections.abc import Mapping

from policygraph.align.documents import resolve_references
from policygraph.align.indicators import group_indicators
from policygraph.align.measures import METHOD, Match, Settings, align_measures, evidence
from policygraph.align.sections import align_sections
from policygraph.align.terms import key_terms_of
from policygraph.model import Alignment, Document, MeasureLink, Ref


def _link(match: Match, terms: Mapping[str, tuple[str, ...]]) -> MeasureLink:
    a = Ref(match.a.doc.id, match.a.measure.id)
    b = Ref(match.b.doc.id, match.b.measure.id)
    return MeasureLink(a, b, match.score, match.grade, evidence(match, terms))


def align(documents: list[Document], settings: Settings | None = None) -> Alignment:
    citations = resolve_references(documents)
    cited = {frozenset((c.source, c.target)) for c in citations if c.target}
    matches = align_measures(documents, cited, settings or Settings())
    terms = key_terms_of({side.measure.text for match in matches for side in (match.a, match.b)})
    linked = {(match.a.doc.id, match.a.measure.id) for match in matches} | {
        (match.b.doc.id, match.b.measure.id) for match in matches
    }
    return Alignment(
        method=METHOD,
        citations=tuple(citations),
        indicator_groups=tuple(group_indicators(documents)),
        measure_links=tuple(_link(m, terms) for m in matches),
        section_links=tuple(align_sections(matches)),
        unmatched={d.id: tuple(m.id for m in d.measures if (d.id, m.id) not in linked) for d in documents},
    )
