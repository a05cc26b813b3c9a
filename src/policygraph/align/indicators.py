"""Indicator concepts across documents: one group per indicator however each plan printed its name.

Names are first folded (NFKC, no spaces, no trailing unit bracket: the graph's concept key). Keys
that still differ are merged when they read almost alike — 每千人口拥有执业（助理）医师数 and
…医师人数, 城镇老旧小区改造 and 城镇老旧小区累计改造 — but never when they differ in what is
counted (登记 vs 调查 失业率, 水面率 vs 水面积): the last character, the measure word, must agree
once filler words are gone, and so must any number in the name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from policygraph.align.similarity import Index, best, dice
from policygraph.graph.rdf import concept_key
from policygraph.model import Document, Indicator

MERGE_AT = 0.70  # Dice of character bigrams of the filtered keys
_FILLER = re.compile(r"累计|各类|开展|参加|拥有|床位中|配套建设|人数$|数$|率$")


@dataclass(frozen=True)
class Member:
    doc: Document
    indicator: Indicator


@dataclass(frozen=True)
class IndicatorGroup:
    concept: str  # the key most members share (ties: the shortest)
    keys: tuple[str, ...]  # every folded name in the group
    members: tuple[Member, ...]


def _core(key: str) -> str:
    return _FILLER.sub("", key)


def _compatible(x: str, y: str) -> bool:
    if re.findall(r"\d+", x) != re.findall(r"\d+", y):
        return False
    return x[-1:] == y[-1:] or x.startswith(y) or y.startswith(x)


def group_indicators(documents: list[Document]) -> list[IndicatorGroup]:
    members: dict[str, list[Member]] = {}
    for doc in documents:
        for indicator in doc.indicators:
            members.setdefault(concept_key(indicator.name), []).append(Member(doc, indicator))
    keys = sorted(members)
    parent = list(range(len(keys)))

    def root(n: int) -> int:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    if len(keys) > 1:
        index = Index([_core(k) for k in keys])
        everyone = np.arange(len(keys))
        for i, row in index.rows():
            for j, _ in best(row, everyone[everyone != i], 5, 0.3):
                if dice(_core(keys[i]), _core(keys[j])) >= MERGE_AT and _compatible(keys[i], keys[j]):
                    parent[root(i)] = root(j)
    groups: dict[int, list[str]] = {}
    for n, key in enumerate(keys):
        groups.setdefault(root(n), []).append(key)
    out = []
    for group_keys in groups.values():
        concept = min(group_keys, key=lambda k: (-len(members[k]), len(k), k))
        ms = tuple(m for k in group_keys for m in members[k])
        out.append(IndicatorGroup(concept, tuple(group_keys), ms))
    return sorted(out, key=lambda g: (-len({m.doc.id for m in g.members}), g.concept))
