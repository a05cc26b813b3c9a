"""Quantitative targets inside measure text: 新增学位3270个, 覆盖率达85%以上, 到2027年底…达到98%."""

from __future__ import annotations

import re

from policygraph.ingest.normalize import fold
from policygraph.ingest.values import read_value
from policygraph.model import Target

_UNITS = (
    r"%|‰|万人次|万人|万张|万套|万户|万元|亿元|万平方米|平方米|平方公里|公里|万亩|亩|个|人次|人|名|张|所|次|岁|座|户|套|"
    r"家|项|条|处|天|起|吨|万吨|辆|台|场|支|批|千米|米|小时|分钟|倍"
)
_TARGET = re.compile(
    rf"(?P<what>[\u4e00-\u9fff“”A-Za-z0-9]{{2,24}}?)"
    rf"(?P<verb>提高到|提升至|提升到|达到|达|稳定在|保持在|超过|不低于|不少于|不超过|控制在|降至|下降到|新增|新建|建成|培育|培养|开发|完成|实现|建设|改造|创建|打造|开展|服务|招引|带动|回引)?"
    rf"(?P<value>[≥≤<>]?\d+(?:\.\d+)?)\s*(?P<unit>{_UNITS})(?P<tail>以上|以内|以下|左右)?"
)
_YEAR = re.compile(r"(?:到|至|力争到|于)?(\d{4})年(?:底|末|前)?")


def find_targets(text: str, offset: int) -> list[Target]:
    """Targets in ``text``, which starts at ``offset`` in the document; ``what`` is what is counted."""
    folded = fold(text)
    targets: list[Target] = []
    for match in _TARGET.finditer(folded):
        value_text = match.group("value") + match.group("unit") + (match.group("tail") or "")
        if match.group("unit") in ("年",) or re.fullmatch(r"(19|20)\d{2}", match.group("value")):
            continue
        what = re.sub(r"^(?:全区|全县|全市|每年|年均|累计|确保|力争|并|和|及|等|,)", "", match.group("what"))
        sentence_start = max(folded.rfind("。", 0, match.start()), folded.rfind(";", 0, match.start()))
        year_match = None
        for candidate in _YEAR.finditer(folded, max(0, sentence_start), match.start()):
            year_match = candidate
        value = read_value(value_text)
        targets.append(
            Target(
                what=what,
                value=value.number,
                value_text=text[match.start("value") : match.end()],
                unit=match.group("unit"),
                comparator=value.comparator,
                year=year_match.group(1) if year_match else "",
                start=offset + match.start("what"),
                end=offset + match.end(),
            )
        )
    return targets
