"""Indicator concepts across documents: one group per indicator however each plan printed its name.

Names are folded (NFKC, no spaces, no trailing unit bracket: the graph's concept key), then words
that plans add or drop without changing what is counted are set aside — 累计, 各类, 开展, 参加,
拥有, 配套建设 and a closing 数/人数/率 — so 城镇老旧小区改造 meets 城镇老旧小区累计改造 and
每千人口拥有执业（助理）医师数 meets …医师人数. Anything else that differs keeps two indicators
apart: 登记 and 调查 失业率, 镇管 and 村管 河道, 单位火灾 and 火灾 死亡率 count different things, and
a wrong merge misleads a comparison more than a missed one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policygraph.ids import concept_key
from policygraph.model import Document, Indicator, IndicatorGroup, Ref

_FILLER = re.compile(r"累计|各类|开展|参加|拥有|配套建设|人数$|数$|率$")


@dataclass(frozen=True)
class Member:
    doc: Document
    indicator: Indicator


def core(name: str) -> str:
    """What two printings of one indicator's name have in common."""
    key = concept_key(name)
    return _FILLER.sub("", key) or key


def group_indicators(documents: list[Document]) -> list[IndicatorGroup]:
    by_core: dict[str, dict[str, list[Member]]] = {}
    for doc in documents:
        for indicator in doc.indicators:
            keys = by_core.setdefault(core(indicator.name), {})
            keys.setdefault(concept_key(indicator.name), []).append(Member(doc, indicator))
    out = []
    for keys in by_core.values():
        concept = min(keys, key=lambda k: (-len(keys[k]), len(k), k))
        members = tuple(m for k in sorted(keys) for m in keys[k])
        refs = tuple(Ref(m.doc.id, m.indicator.id, "indicator") for m in members)
        out.append(
            IndicatorGroup(concept, tuple(sorted(keys)), refs)
        )  # concept: the most common name, then the shortest
    return sorted(out, key=lambda g: (-g.documents, g.concept))
