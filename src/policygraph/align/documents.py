"""Which documents cite which, and which pairs are worth comparing at all.

A district plan names the city plan it carries out (贯彻落实《…》, 根据《…》), usually by the title of
the notice that issued it (…关于印发《X》的通知) rather than by X itself, so titles are compared
with that wrapper and the issuer's 关于 removed. What resolves to no document in the corpus is
kept as an external reference with its title."""

from __future__ import annotations

import re

from policygraph.align.similarity import dice, normalise
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


def comparable(a: Document, b: Document, cited: set[frozenset[str]]) -> str:
    """Why two documents are compared ("cites", "levels", "topic"), or "" when they are not."""
    if frozenset((a.id, b.id)) in cited:
        return "cites"
    if a.level and b.level and TIER.get(a.level, a.level) != TIER.get(b.level, b.level):
        return "levels"
    if dice(_topic(a), _topic(b)) >= TOPIC_FLOOR:
        return "topic"
    return ""
