"""Key terms a reader checks when judging a link: jieba words with a policy-term dictionary.

The dictionary (``data/policy_terms.txt`` and every unit name of ``data/unit_types.csv``) keeps
terms such as 路长制 or 微型消防站 whole, so the evidence shows them rather than their pieces."""

from __future__ import annotations

import csv
import re
from collections.abc import Collection
from functools import cache, lru_cache
from importlib import resources

import jieba

from policygraph.align.similarity import normalise
from policygraph.children import spread, workers

jieba.setLogLevel(60)

# Words every plan uses: they say nothing about what two measures share.
_GENERIC = frozenset(
    [
        "加强",
        "推进",
        "推动",
        "完善",
        "建立",
        "健全",
        "建立健全",
        "提升",
        "提高",
        "强化",
        "落实",
        "开展",
        "实施",
        "深化",
        "加快",
        "积极",
        "进一步",
        "持续",
        "全面",
        "工作",
        "机制",
        "制度",
        "体系",
        "建设",
        "管理",
        "服务",
        "相关",
        "有关",
        "要求",
        "按照",
        "规定",
        "部门",
        "单位",
        "组织",
        "各类",
        "重点",
        "能力",
        "水平",
        "发展",
        "支持",
        "鼓励",
        "政策",
        "做好",
        "确保",
        "充分",
        "发挥",
        "作用",
        "不断",
        "切实",
        "深入",
        "有效",
        "依法",
        "主要",
        "负责",
        "责任",
    ]
)
_WORD = re.compile(r"[\u4e00-\u9fff]{2,}")


@cache
def _load_dictionary() -> None:
    data = resources.files("policygraph.data")
    words = [w.strip() for w in data.joinpath("policy_terms.txt").read_text("utf-8").splitlines()]
    with data.joinpath("unit_types.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            words += [row["full"], *row["aliases"].split("|")]
    for word in words:
        if word and not word.startswith("#"):
            jieba.add_word(word)


@lru_cache(maxsize=65536)
def key_terms(text: str) -> tuple[str, ...]:
    """The content words of a text, in order of first appearance, without the generic ones (cached:
    a measure with many links is cut once)."""
    _load_dictionary()
    seen: dict[str, None] = {}
    for block in jieba.re_han_default.findall(normalise(text)):
        seen.update(dict.fromkeys(_block_terms(block)))
    return tuple(seen)


@lru_cache(maxsize=262_144)
def _block_terms(block: str) -> tuple[str, ...]:
    """The content words of one run of characters between punctuation, as jieba cuts it: jieba cuts a
    text run by run (what lies between runs gives no word of two Chinese characters), and plans
    repeat their clauses (a district plan copies the city's), so each run is cut once."""
    return tuple(word for word in jieba.cut(block) if _WORD.fullmatch(word) and word not in _GENERIC)


PARALLEL_FROM = 2_000  # texts from which they are cut over all cores


def key_terms_of(texts: Collection[str]) -> dict[str, tuple[str, ...]]:
    """``key_terms`` of many texts (the measures of every link), over all cores when they are many:
    each core cuts a share in a forked child that inherits the loaded dictionary."""
    ordered = sorted(texts)
    _load_dictionary()
    jieba.initialize()
    count = workers(len(ordered), PARALLEL_FROM)
    shares = [ordered[k::count] for k in range(count)]
    cut = spread("aligning (key terms)", _cut, shares)
    return {
        text: words for share, each in zip(shares, cut, strict=True) for text, words in zip(share, each, strict=True)
    }


def _cut(texts: list[str]) -> list[tuple[str, ...]]:
    return [key_terms(text) for text in texts]
