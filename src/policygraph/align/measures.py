"""Measure links: candidate retrieval over the whole corpus, then scoring of the candidates only.

Stage 1 takes, for every measure, its nearest measures in other comparable documents by TF-IDF
cosine of character n-grams (plus the best few in every document it cites or is cited by, which
come first). Stage 2 scores each candidate from that cosine and from how closely the two headings
read, and keeps a link only when it is strong in absolute terms and close to the best that either
end has in the other document — a restated measure has one clear counterpart, a merely topical
neighbour does not. Between documents compared only because they share a topic (sibling district
plans), a measure keeps its few best links: a hundred county copies of one template would otherwise
link every copy of a measure to every other. Thresholds and weights are in ``Settings``, chosen on
the tune split of the gold alignment by ``bench/align_quality.py``.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field

import numpy as np

from policygraph.align.documents import TIER, Comparisons
from policygraph.align.similarity import Index, alike, best, bigrams, dice_of
from policygraph.children import spread, workers
from policygraph.model import Document, Evidence, Measure

METHOD = "tfidf-char-2-3gram+heading-dice"
SIBLING = ("topic", "shared")  # why two documents of one tier are compared
MUTUAL = "each-others-best"
SHARED_TERMS = 6  # the longest key terms both ends use, as evidence; every link carries them into the graph


@dataclass(frozen=True)
class Settings:
    candidates: int = 20  # nearest measures kept per measure over the corpus
    per_cited_document: int = 3  # and the best ones in each document it cites or is cited by
    floor: float = 0.10  # retrieval: cosine below this is never a candidate
    heading_weight: float = 0.20  # score = (1 - w)·cosine + w·heading similarity
    related: float = 0.15  # score at or above: a link, graded related
    same: float = 0.35  # score at or above: graded same
    relative: float = 0.70  # a link must reach this share of the best score either end has in that document
    common_ngram_cap: int = 1000  # retrieval ignores n-grams found in more measures than this
    topic_links: int = 5  # links a measure keeps, best first, to a sibling (compared for its topic or shared text)
    section_match: float = 0.7  # heading Dice at or above which a section heading restates a measure heading
    section_weight: float = 0.35  # score bonus of a measure under a section restating the other's heading
    # retrieval cosine (a lower bound) of a close restatement: in the development corpus, sibling plans
    # have 3–6 measures each way at 0.4 or above, plans of one tier on other topics at most 1
    near: float = 0.40
    shared: int = 3  # restatements each way that make two documents siblings, whatever their titles


@dataclass(frozen=True)
class Item:
    doc: Document
    measure: Measure


@dataclass(frozen=True)
class Match:
    """A kept pair of measures while aligning (the documents at hand); ``run`` makes it a model link."""

    a: Item
    b: Item
    score: float
    grade: str  # same or related
    cosine: float
    heading: float
    why: str  # why the two documents were compared: cites, levels, topic or shared
    graded_because: str = ""  # see Evidence.graded_because
    section: float = 0.0  # how closely the heading of the section one stands under restates the other's heading
    restated: str = ""  # whose heading that section restates: "a" or "b" ("" when neither)


_FIRST_CLAUSE = re.compile(r"^[^。；;，,：:]{2,40}")


def heading(measure: Measure) -> str:
    """The measure's title, or its opening clause when it has none (paragraph measures)."""
    if measure.title:
        return measure.title
    match = _FIRST_CLAUSE.match(measure.text.strip())
    return match.group(0) if match else measure.text[:30]


@dataclass
class Candidates:
    """Stage 1's output: candidate pairs (row indices into ``refs``) with their cosine and heading similarity."""

    documents: list[Document]
    refs: list[Item]
    doc_of: np.ndarray
    compared: Comparisons
    pairs: dict[tuple[int, int], tuple[float, float]]
    # pairs where one measure stands under a section whose heading restates the other's heading
    # (the district's 二、（二）推进平稳有序移交 over 1.摸清底数 … under the city's （一）推进平稳有序移交):
    # (measure whose heading is restated, measure under it) → how closely the heading is restated
    sections: dict[tuple[int, int], tuple[int, float]] = field(default_factory=dict)


def retrieve(
    documents: list[Document],
    cited: set[frozenset[str]],
    settings: Settings = Settings(),
    changed: Collection[str] | None = None,
) -> Candidates:
    """Stage 1 over the documents, or, with ``changed`` (document ids), only for the measures of
    those: the candidates of the other measures are the ones an earlier alignment kept (see
    ``run.align``). Every pair with a changed end is found from that end (a pair an unchanged
    measure's own top list would add is the drift an incremental build accepts)."""
    refs = [Item(doc, m) for doc in documents for m in doc.measures]
    doc_of = np.array([d for d, doc in enumerate(documents) for _ in doc.measures], dtype=int)
    compared = Comparisons(documents, cited)
    found_pairs: dict[tuple[int, int], tuple[float, float]] = {}
    if len(refs) < 2:
        return Candidates(documents, refs, doc_of, compared, found_pairs)
    index = Index([f"{r.measure.title}。{r.measure.text}" for r in refs], settings.common_ngram_cap)
    # One pass over the neighbours finds both each measure's candidates and the near-verbatim
    # restatements that make two documents siblings; only the measures of documents that gained a
    # sibling so are searched again, now with it.
    searched = np.ones(len(documents), dtype=bool)
    if changed is not None:
        searched = np.array([doc.id in changed for doc in documents], dtype=bool)
    rows = np.flatnonzero(searched[doc_of])
    found, near = _search(index, rows, doc_of, compared, settings, searched)
    siblings = _shared_evidence(near, compared, settings)
    compared.share(siblings)
    again = np.flatnonzero(np.isin(doc_of, [x for pair in siblings for x in pair]) & searched[doc_of])
    found.update(_search(index, again, doc_of, compared, settings, searched)[0])
    grams = [bigrams(heading(r.measure)) for r in refs]

    def scored(keys: list[tuple[int, int]]) -> Iterator[tuple[tuple[int, int], float, float]]:
        """Each pair with its exact cosine and its headings' Dice."""
        left, right = np.array([k[0] for k in keys], dtype=int), np.array([k[1] for k in keys], dtype=int)
        for (i, j), cosine in zip(keys, index.cosines(left, right), strict=True):
            yield (i, j), float(cosine), dice_of(grams[i], grams[j])

    pairs = sorted({(min(i, j), max(i, j)) for i, js in found.items() for j in js})
    found_pairs |= {key: (cosine, h) for key, cosine, h in scored(pairs) if cosine >= settings.floor}
    sections = _restated_sections(refs, doc_of, compared, grams, found_pairs, settings)
    # a restated section admits its pairs whatever their cosine
    found_pairs |= {key: (cosine, h) for key, cosine, h in scored(sorted(set(sections) - set(found_pairs)))}
    return Candidates(documents, refs, doc_of, compared, found_pairs, sections)


def _restated_sections(
    refs: list[Item],
    doc_of: np.ndarray,
    compared: Comparisons,
    grams: list[set[str]],
    found: dict[tuple[int, int], tuple[float, float]],
    settings: Settings,
) -> dict[tuple[int, int], tuple[int, float]]:
    """Measures under a section whose heading restates another document's measure heading: a city
    paragraph that a district splits into the numbered items of a section of its own. Looked for
    between documents that already share candidates (so never over all pairs of documents); a
    match admits the pair whatever its wording (a schedule, 摸清底数（2025年1月—6月）, shares few
    words with the paragraph it carries out)."""
    linked = {(int(doc_of[i]), int(doc_of[j])) for i, j in found}
    by_doc: dict[int, list[int]] = defaultdict(list)
    for k in range(len(refs)):
        by_doc[int(doc_of[k])].append(k)
    parents = [frozenset(bigrams(r.measure.section_path[-1])) if r.measure.section_path else frozenset() for r in refs]
    labels = sorted(set(parents) - {frozenset()}, key=sorted)
    number = {label: n for n, label in enumerate(labels)}
    restating: dict[int, dict[int, float]] = defaultdict(dict)  # measure → sections its heading restates
    for i, section, match in alike(grams, [set(label) for label in labels], settings.section_match):
        restating[i][section] = match
    under: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))  # document's sections → measures
    for j, parent in enumerate(parents):
        if parent:
            under[int(doc_of[j])][number[parent]].append(j)
    out: dict[tuple[int, int], tuple[int, float]] = {}
    for x, y in linked | {(y, x) for x, y in linked}:
        if compared.why(x, y) not in ("cites", "levels"):
            continue
        for i in by_doc[x]:
            if i not in restating:
                continue
            for section, members in under[y].items():
                match = restating[i].get(section, 0.0)
                if match:
                    for j in members:
                        out[min(i, j), max(i, j)] = (i, match)
    return out


PARALLEL_FROM = 5_000  # measures from which the neighbour search is split over all cores


def _search(
    index: Index, rows: np.ndarray, doc_of: np.ndarray, compared: Comparisons, settings: Settings, searched: np.ndarray
) -> tuple[dict[int, list[int]], Counter[tuple[int, int]]]:
    """The candidates of ``rows`` and their near-verbatim restatements counted by pair of documents
    (see ``_restatements``): over all cores when the rows are many, each core taking a contiguous
    share of them in a forked child (the index is shared copy-on-write, only the results travel)."""
    shares = np.array_split(rows, workers(len(rows), PARALLEL_FROM))
    found: dict[int, list[int]] = {}
    near: Counter[tuple[int, int]] = Counter()
    for share_found, share_near in spread(
        "aligning (retrieval)", lambda share: _search_share(index, share, doc_of, compared, settings, searched), shares
    ):
        found.update(share_found)
        near.update(share_near)
    return found, near


def _search_share(
    index: Index, rows: np.ndarray, doc_of: np.ndarray, compared: Comparisons, settings: Settings, searched: np.ndarray
) -> tuple[dict[int, list[int]], Counter[tuple[int, int]]]:
    """``searched``: which documents' measures are searched (all but in an incremental alignment);
    the restatements of the others' measures are counted from the searched side, the score being
    symmetric."""
    found: dict[int, list[int]] = {}
    near: Counter[tuple[int, int]] = Counter()  # (x, y) → measures of x with a restatement in y
    for block_rows, columns, scores in index.neighbours(rows):
        found.update(_candidates(block_rows, columns, scores, doc_of, compared, settings))
        near.update(_restatements(block_rows, columns, scores, doc_of, settings.near))
        unsearched = ~searched[doc_of[columns]]
        if unsearched.any():
            near.update(
                _restatements(columns[unsearched], block_rows[unsearched], scores[unsearched], doc_of, settings.near)
            )
    return found, near


def _candidates(
    rows: np.ndarray,
    columns: np.ndarray,
    scores: np.ndarray,
    doc_of: np.ndarray,
    compared: Comparisons,
    settings: Settings,
) -> dict[int, list[int]]:
    """Each row's candidates among its neighbours (parallel arrays by row, as ``Index.neighbours``
    gives them): the best in documents compared with its own, and the best few in each document its
    own cites or is cited by."""
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]]) if len(rows) else np.empty(0, dtype=int)
    ends = np.r_[starts[1:], len(rows)]
    partners: dict[int, np.ndarray] = {}  # a document's partners, for its measures in this block
    found: dict[int, list[int]] = {}
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        i, d = int(rows[start]), int(doc_of[rows[start]])
        if d not in partners:
            partners[d] = compared.partners(d)
        these, points, theirs = columns[start:end], scores[start:end], doc_of[columns[start:end]]
        keep = partners[d][theirs]
        found[i] = best(these[keep], points[keep], settings.candidates)
        for e in compared.cites(d):
            mine = theirs == e
            found[i] += best(these[mine], points[mine], settings.per_cited_document)
    return found


def _restatements(
    rows: np.ndarray, columns: np.ndarray, scores: np.ndarray, doc_of: np.ndarray, near: float
) -> Counter[tuple[int, int]]:
    """For each pair of documents (x, y), how many of these rows of x have a near-verbatim
    restatement (retrieval score at or above ``near``) in y."""
    mine, theirs = doc_of[rows], doc_of[columns]
    close = (scores >= near) & (mine != theirs)
    size = int(doc_of.max()) + 1
    codes = np.unique(rows[close] * size + theirs[close])  # each measure once per document
    x, y = doc_of[codes // size] * size, codes % size
    documents, counts = np.unique(x + y, return_counts=True)
    return Counter({(d // size, d % size): n for d, n in zip(documents.tolist(), counts.tolist(), strict=True)})


def _shared_evidence(near: Counter[tuple[int, int]], compared: Comparisons, settings: Settings) -> set[tuple[int, int]]:
    """Pairs of documents not compared for their titles or tiers that restate each other: each has at
    least ``settings.shared`` measures with a near-verbatim counterpart in the other (two district
    plans carrying out one city plan, whatever their titles say)."""
    return {
        (x, y)
        for (x, y), count in near.items()
        if x < y and not compared.why(x, y) and min(count, near.get((y, x), 0)) >= settings.shared
    }


def select(
    candidates: Candidates, settings: Settings = Settings(), kept: Mapping[int, int] | None = None
) -> list[Match]:
    """Stage 2: the links among the candidates. ``kept``: links each measure (a row of ``refs``)
    already holds to siblings (an incremental alignment's earlier links), which count towards
    ``settings.topic_links``."""
    refs, doc_of = candidates.refs, candidates.doc_of
    scored = {
        key: (1 - settings.heading_weight) * cosine
        + settings.heading_weight * h
        + settings.section_weight * candidates.sections.get(key, (0, 0.0))[1]
        for key, (cosine, h) in candidates.pairs.items()
    }
    top: dict[tuple[int, int], float] = defaultdict(float)  # (measure, other document) → its best score there
    for (i, j), score in scored.items():
        top[i, doc_of[j]] = max(top[i, doc_of[j]], score)
        top[j, doc_of[i]] = max(top[j, doc_of[i]], score)
    links: list[Match] = []
    topical: dict[int, int] = defaultdict(int, kept or {})  # measure → links kept to documents of its topic only
    for (i, j), score in sorted(scored.items(), key=lambda item: (-item[1], item[0])):
        if score < settings.related:
            break
        why = candidates.compared.why(int(doc_of[i]), int(doc_of[j]))
        near_best = (score >= settings.relative * top[i, doc_of[j]], score >= settings.relative * top[j, doc_of[i]])
        # down the tiers a link needs to be near the best of either end (a district item restating
        # part of a city paragraph); between siblings, of both (neither is the other's source)
        if not (all(near_best) if why in SIBLING else any(near_best)):
            continue
        if why in SIBLING:
            if max(topical[i], topical[j]) >= settings.topic_links:
                continue
            topical[i] += 1
            topical[j] += 1
        a, b = (i, j) if _first(refs[i].doc, refs[j].doc) else (j, i)
        cosine, h = candidates.pairs[i, j]
        # same: a score that says so alone, or each end the other's best counterpart in the other plan
        # (one clear counterpart: a restatement in other words); related: one has a better one there
        mutual = score >= top[i, doc_of[j]] and score >= top[j, doc_of[i]]
        grade, because = (
            ("same", "score") if score >= settings.same else ("same", MUTUAL) if mutual else ("related", "partial")
        )
        restated, section = candidates.sections.get((i, j), (-1, 0.0))
        links.append(
            Match(
                refs[a],
                refs[b],
                round(score, 4),
                grade,
                round(cosine, 4),
                round(h, 4),
                why,
                because,
                round(section, 4),
                "a" if restated == a else "b" if restated == b else "",
            )
        )
    links.sort(key=reading_order(candidates.documents))
    return links


def reading_order(documents: list[Document]) -> Callable[[Match], tuple]:
    """The order of links: citing pairs first, then by document (as given) and position."""
    order = {doc.id: n for n, doc in enumerate(documents)}
    return lambda m: (m.why != "cites", order[m.a.doc.id], order[m.b.doc.id], m.a.measure.start, -m.score)


def align_measures(
    documents: list[Document], cited: set[frozenset[str]], settings: Settings = Settings()
) -> list[Match]:
    return select(retrieve(documents, cited, settings), settings)


def _first(x: Document, y: Document) -> bool:
    """The higher-level document is side a, so links read city → district; ties by source name."""
    return (TIER.get(x.level, 9), x.source) <= (TIER.get(y.level, 9), y.source)


def _headings(link: Match) -> tuple[str, str]:
    """The two headings a reader compares: the measures' own, or, where one stands under a section
    restating the other's heading, that section's heading in its place."""
    a, b = heading(link.a.measure), heading(link.b.measure)
    if link.section <= link.heading:
        return a, b
    return (a, link.b.measure.section_path[-1]) if link.restated == "a" else (link.a.measure.section_path[-1], b)


def evidence(link: Match, terms: Mapping[str, tuple[str, ...]]) -> Evidence:
    """What a reader checks: the headings, how they matched, and the key terms both texts use
    (``terms``: each measure text's key terms, see ``terms.key_terms_of``)."""
    terms_b = set(terms[link.b.measure.text])
    shared = [t for t in terms[link.a.measure.text] if t in terms_b]
    return Evidence(
        link.why,
        link.cosine,
        max(link.heading, link.section),
        _headings(link),
        tuple(sorted(shared, key=len, reverse=True)[:SHARED_TERMS]),
        link.graded_because,
    )
