"""Which parts of a plan hold its measures: the section classifier.

A plan's top-level parts run background → situation → guiding ideas and goals → tasks → safeguards →
annexes. The task part lies between the goals and the safeguards: a part whose heading names
context (背景, 总体要求, 保障措施 …) holds no measures, nor does any part before the one that states
the goals, whatever it is called (发展评估, 发展趋势及要求); everything under a part inherits its
status, whatever its own heading style. An annex is a plan of its own unless it is a table.
"""

from __future__ import annotations

import itertools
import re

from policygraph.ingest.duty_passages import ORGANISATION, is_duty_heading
from policygraph.ingest.outline import Node, Para, TableBlock, descendant_blocks
from policygraph.ingest.tables import TableKind

# Headings of parts whose content is context, not commitments.
NON_TASK = re.compile(
    r"背景|发展基础|工作基础|现实基础|基础条件|现状|发展形势|面临形势|形势分析|回顾|主要成效|工作成效|成绩|总体要求|"
    r"总体思路|指导思想|基本原则|工作原则|主要目标|发展目标|工作目标|总体目标|目标任务$|目标要求|具体目标|"
    r"主要指标|指标体系|具体指标|前\s*言|目\s*录|适用范围|范围及定义|定义$|名词解释|术语|释义|编制依据|规划依据|基本情况|存在问题|主要问题|面临问题|"
    r"机遇与挑战|面临挑战|保障措施|实施保障|组织保障|工作保障|政策保障|支撑保障|组织实施|保障机制|工作要求|附\s*则|"
    r"^说明$|展望|远景|^总则$|调研|^.{0,4}目标$"
)
GOALS_TITLE = re.compile(r"目标|指标|总体要求|指导思想")
PART_STYLES = ("chapter", "cn", "md1", "md2", "section", "bare")  # the rungs a plan's top-level parts use
_TASK_TITLE = re.compile(r"任务|措施|举措|行动")
# a part's heading that only says "the tasks" (主要任务, 行动任务, 重点举措, 主要任务和措施)
_TASK_PART = re.compile(r"(?:主要|重点|行动|工作|具体|核心)?(?:任务|举措|措施)(?:[和与及](?:举措|措施|行动))?")
_TABLE_TITLE = re.compile(r"表|清单|一览|名单|明细|目录")
_ROSTER = re.compile(r"成员(?:名单|及职责|组成)|组成人员|人员名单|通讯录")  # who sits where: no measures
RESEARCH_TASK = re.compile(r"建议|对策|措施|路径|举措")  # a study's measures are its recommendations


class Sections:
    """Decides, part by part, whether a part of one document's outline is a task part."""

    def __init__(self, research: bool, parent_region: str = "") -> None:
        self.research = research
        self.parent_region = parent_region  # the region above the document's own (its city, its county)
        self._context: set[int] = set()  # ids of the outline nodes that are not task parts

    def is_task(self, node: Node, inherited: bool, before_goals: bool = False) -> bool:
        """Is this part a task part? Its heading decides (a part that stands before the goals is not
        one); a part under one that is not inherits that; under a task part, a chapter-level heading
        starts afresh. An annex that is a table (附表1, 重点项目清单) is not: its rows are read as a
        table, and what else it holds is notes to the table."""
        if node.heading is None:
            return inherited
        title = node.title or node.heading.rest
        if node.style == "annex":
            name = part_name(node)
            if _TABLE_TITLE.search(name) or _ROSTER.search(name) or self._above(name) or _lists_files(node):
                self._context.add(id(node))  # its parts (一、…) inherit that
                return False
            return True
        if self.research:
            return bool(RESEARCH_TASK.search(title)) or inherited
        if before_goals or names_a_context_part(title) or is_duty_heading(title):
            self._context.add(id(node))
            return False
        if node.parent is not None and id(node.parent) in self._context:
            self._context.add(id(node))
            return False
        return True if node.style in PART_STYLES or node.parent is None else inherited

    def _above(self, name: str) -> bool:
        """An annex that reproduces the plan of the region above (a 片区's plan annexing its county's
        scheme, 29's 附件3 平潭综合实验区…实施方案) holds that region's measures, not this plan's."""
        return bool(self.parent_region) and self.parent_region in name[: len(self.parent_region) + 4]

    def parts_before_goals(self, subs: list[Node]) -> int:
        """How many of these parts come before the task part: those up to the last one in the first half
        that states the goals, by its heading (目标, 指标, 总体要求, 指导思想) or by holding an indicator
        table (三、发展方向 over 表1 主要指标), when parts follow it. Annexes after the body are not its
        parts."""
        subs = list(itertools.takewhile(lambda sub: sub.style != "annex", subs))
        if len(subs) < 3 or not all(sub.style in PART_STYLES for sub in subs):
            return 0
        last = -1
        for k, sub in enumerate(subs[: min(len(subs) // 2 + 1, len(subs) - 1)]):
            title = sub.title or sub.rest
            states_goals = (len(title) <= 20 and GOALS_TITLE.search(title)) or _holds_indicator_table(sub)
            if states_goals and not _TASK_TITLE.search(title):
                last = k
        if last < 0:
            return 0
        # a part the plan names its tasks (三、行动任务) after parts that do not (二、空间格局): those
        # state the plan's framework, not its commitments
        named = next(
            (k for k, sub in enumerate(subs) if k > last and _TASK_PART.fullmatch(sub.title or sub.rest)), None
        )
        if named is not None and not any(_TASK_TITLE.search(sub.title or sub.rest) for sub in subs[last + 1 : named]):
            return named
        return last + 1


def names_a_context_part(title: str) -> bool:
    """总体要求, 发展基础, 保障措施 …: a heading of a part that holds no measures. A long title is a
    heading run into its first paragraph (web pages stored as one line: 一、总体要求深入贯彻…): its
    opening words decide. A part on how the work is organised (四、组织架构) holds none either."""
    words = title if len(title) <= 20 else re.split(r"[\d，,。；;：:]", title, maxsplit=1)[0][:8]
    return bool(NON_TASK.search(words) or ORGANISATION.search(words))


def part_name(node: Node) -> str:
    """A part's name: its heading's title, or for a bare 附件2 the title printed on the line below it."""
    title = (node.title or (node.heading.rest if node.heading else "")).strip("：: ")
    return title or (_first_line(node) if node.style == "annex" else "")


def _lists_files(node: Node) -> bool:
    """附件：1.… 2.… — the list of attached files: items that are titles, with nothing under them."""
    subs = node.nodes()
    return bool(subs) and all(not sub.children and len(sub.rest) <= 60 and not sub.rest.endswith("。") for sub in subs)


def _first_line(node: Node) -> str:
    """The line under a bare heading (附表1： over the table's title)."""
    first = next((c for c in node.children if isinstance(c, Para)), None)
    return first.lines[0].clean if first is not None else ""


def _holds_indicator_table(node: Node) -> bool:
    return any(
        isinstance(block, TableBlock) and block.table.kind is TableKind.INDICATOR for block in descendant_blocks(node)
    )
