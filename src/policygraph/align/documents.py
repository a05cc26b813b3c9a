"""Which documents cite which, and which pairs are worth comparing at all.

A district plan names the city plan it carries out (贯彻落实《…》, 根据《…》), usually by the title of
the notice that issued it (…关于印发《X》的通知) rather than by X itself, so titles are compared
with that wrapper and the issuer's 关于 removed. What resolves to no document in the corpus is
kept as an external reference with its title."""

from __future__ import annotations

import re
from collections import defaultdict

import numpy as np

from policygraph.align.similarity import alike, bigrams, normalise
from policygraph.model import Citation, Document
from policygraph.regions import find_divisions

_WRAPPER = re.compile(r"^.*?关于印发[《“]?(.+?)[》”]?的通知$")
_ISSUER = re.compile(r"^.*?(?:人民政府办公厅|人民政府办公室|人民政府|委员会|局|办公室)关于")
_QUOTES = re.compile(r"[《》“”\"'〈〉]")
# the tiers of government a document can come from; 区 and 县 are one tier
TIER = {"national": 0, "provincial": 1, "municipal": 2, "district": 3, "county": 3, "township": 4}
TOPIC_FLOOR = 0.5  # Dice of two titles (regions and 十四五/十五五 left out) above which they share a topic


def title_key(title: str) -> str:
    """A title as two citations of one document have it in common."""
    text = _QUOTES.sub("", normalise(title))
    wrapped = _WRAPPER.match(text)
    if wrapped:
        text = wrapped.group(1)
    return _ISSUER.sub("", text)


def resolve_references(documents: list[Document]) -> list[Citation]:
    by_key: dict[str, str] = {}
    for doc in documents:
        by_key.setdefault(title_key(doc.title), doc.id)
    out: list[Citation] = []
    for doc in documents:
        for relation, titles in (("implements", doc.implements), ("based_on", doc.based_on)):
            for title in titles:
                target = by_key.get(title_key(title), "")
                out.append(Citation(doc.id, title, relation, target if target != doc.id else ""))
    return out


_BOILERPLATE = re.compile(
    r"[(（][^()（）]*\d{4}[^()（）]*[)）]|本市|本区|本县|关于|进一步|全面|加强|十[一二三四五六七八九]五|"
    r"(?:三年)?(?:实施方案|实施意见|工作方案|行动计划|行动方案|意见|规划|方案|研究)$"
)


def _topic(doc: Document) -> str:
    """What a title is about, without its regions, period and kind of document. Regions are the
    documents' own and the real division names a title prints (上海市, 青浦区), never any run of
    characters ending in 市 (超大城市, 城市更新 are topics)."""
    text = title_key(doc.title)
    for region in (doc.region, doc.parent_region):
        if region:
            text = text.replace(region, "")
    for at, division in reversed(find_divisions(text)):
        text = text[:at] + text[at + len(division.name) :]
    return _BOILERPLATE.sub("", text)


class Comparisons:
    """Which pairs of documents are compared, and why ("cites", "levels", "topic", "shared"), found
    without looking at every pair, so that a corpus of many small plans costs what its measures cost:

    - documents of different tiers (city and district) always are: told apart by their tiers, never
      listed pair by pair;
    - a document and one it cites, or is cited by, are;
    - documents of one tier (or of unknown tier) are when their titles share a topic (Dice of the
      topics' bigrams ≥ TOPIC_FLOOR): only documents with a bigram of the topic in common are scored,
      looked up through a sparse matrix of documents by bigrams;
    - and ``share`` adds pairs that restate each other, whatever their titles (see ``measures``)."""

    def __init__(self, documents: list[Document], cited: set[frozenset[str]]) -> None:
        position = {doc.id: n for n, doc in enumerate(documents)}
        levels = sorted({d.level for d in documents if d.level and d.level not in TIER})
        self.tier = np.array(
            [TIER.get(d.level, 10 + levels.index(d.level) if d.level in levels else -1) for d in documents], dtype=int
        )
        self.cited = {
            (min(position[a], position[b]), max(position[a], position[b]))
            for a, b in (tuple(pair) for pair in cited if len(pair) == 2)
            if a in position and b in position
        }
        self._cites: dict[int, list[int]] = defaultdict(list)
        for a, b in sorted(self.cited):
            self._cites[a].append(b)
            self._cites[b].append(a)
        self.topic = self._topic_pairs([_topic(doc) for doc in documents])
        self.shared: set[tuple[int, int]] = set()
        self.size = len(documents)
        self._listed: dict[int, list[int]] | None = None

    def _topic_pairs(self, topics: list[str]) -> set[tuple[int, int]]:
        grams = [bigrams(topic) if topic else set() for topic in topics]
        pairs = {(x, y) for x, y, _ in alike(grams, grams, TOPIC_FLOOR) if x < y}
        return {(x, y) for x, y in pairs if not self._levels_differ(x, y)}

    def _levels_differ(self, x: np.ndarray | int, y: np.ndarray | int) -> np.ndarray:
        a, b = self.tier[x], self.tier[y]
        return (a >= 0) & (b >= 0) & (a != b)

    def share(self, pairs: set[tuple[int, int]]) -> None:
        """Add pairs (x < y) that restate each other; pairs compared already keep their reason."""
        self.shared |= {pair for pair in pairs if not self.why(*pair)}
        self._listed = None

    def why(self, x: int, y: int) -> str:
        """Why documents x and y are compared, or "" when they are not."""
        pair = (min(x, y), max(x, y))
        if pair in self.cited:
            return "cites"
        if x != y and self._levels_differ(x, y):
            return "levels"
        if pair in self.topic:
            return "topic"
        return "shared" if pair in self.shared else ""

    def listed(self) -> set[tuple[int, int]]:
        """The pairs compared for a reason other than their tiers (x < y)."""
        return self.cited | self.topic | self.shared

    def partners(self, x: int) -> np.ndarray:
        """Which documents x is compared with, as a mask over all documents' positions."""
        mask = self._levels_differ(x, np.arange(self.size))
        mask[self._listed_by_document().get(x, [])] = True
        return mask

    def cites(self, x: int) -> list[int]:
        """The documents x cites or is cited by."""
        return self._cites.get(x, [])

    def _listed_by_document(self) -> dict[int, list[int]]:
        if self._listed is None:
            self._listed = defaultdict(list)
            for a, b in self.listed():
                self._listed[a].append(b)
                self._listed[b].append(a)
        return self._listed
