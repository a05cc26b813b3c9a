"""Duties: what each unit is responsible for overall, read from a plan's division of responsibilities.

The passages themselves are found in ``duty_passages``; here they become a document's duties, from a
职责分工 part, from a paragraph that introduces them (成员单位分工职责：…) and from 单位 | 职责 tables.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from policygraph.ingest.duty_passages import ORGANISATION, VERB_FIRST, Passage, duty_passages, heading_units
from policygraph.ingest.outline import Node, Para
from policygraph.ingest.roles import split_units
from policygraph.ingest.tables import Table

if TYPE_CHECKING:
    from policygraph.ingest.facts import Facts


def read_duty_section(facts: Facts, node: Node) -> set[int]:
    """The duties of a 职责分工 part: the passages of its heading's body and of every paragraph below it;
    a heading below it that is nothing but units (（一）区交通委) holds the duties of those units, unless
    its paragraphs open with units of their own (总路长：… under 1.区级路长及路政员). A passage's
    section is the part it stands in (an item's heading stands in its parent); an organisation part
    inside (（一）组织构架) holds none.

    Returns the ids of the items below that hold duties or hold items that do: the others (27's
    6.路长制 under 管理机构与职责) are the plan's ordinary items, which the walker reads as measures
    when the part is a task part."""
    above = node.parent.path() if node.parent else []
    blocks = [(node.head, above)] + [(c, node.path()) for c in node.children if isinstance(c, Para)]
    claimed = {id(node)} if _read_blocks(facts, blocks) else set()
    for child in node.nodes():
        if ORGANISATION.search(child.title):
            continue
        names = heading_units(child.rest)
        opens = any(isinstance(c, Para) and duty_passages(facts.text, c.start, c.end) for c in child.children)
        if names and not opens:
            text = facts.text[child.head.start : child.end]
            facts.duties_of(names, text, node.path(), child.head.start, child.end, child.head.line)
            claimed.add(id(child))
        elif inner := read_duty_section(facts, child):
            claimed |= inner | {id(child)}
    return claimed


def _read_blocks(facts: Facts, blocks: list[tuple[Para, list[str]]]) -> bool:
    """The passages of consecutive blocks (an item's heading, its paragraphs). A block that opens no
    passage of its own but opens with a duty's verb (负责审批…；负责监督…) continues the passage before it."""
    found: list[tuple[Passage, int, list[str]]] = []
    for block, path in blocks:
        passages = duty_passages(facts.text, block.start, block.end)
        if passages:
            found += [(passage, _line_of(block, passage.start), path) for passage in passages]
        elif found and VERB_FIRST.match(facts.text[block.start : block.end].lstrip()):
            last, line, path = found[-1]
            found[-1] = (Passage(last.units, last.printed, last.start, block.end), line, path)
    for passage, line, path in found:
        text = facts.text[passage.start : passage.end]
        facts.duties_of(passage.units, text, path, passage.start, passage.end, line)
    return bool(found)


_INLINE_LABEL = re.compile(r"(?:分工职责|职责分工|部门职责|单位职责)(?:如下)?[:：]")


def read_inline_duties(facts: Facts, para: Para, path: list[str]) -> None:
    """成员单位分工职责：党政办公室：负责…。党群工作处：配合…: duties introduced inside a paragraph
    (a roster's closing lines, a one-line page) rather than by a heading of their own."""
    label = _INLINE_LABEL.search(facts.text, para.start, para.end)
    if label is None:
        return
    for passage in duty_passages(facts.text, label.end(), para.end):
        text = facts.text[passage.start : passage.end]
        facts.duties_of(passage.units, text, path, passage.start, passage.end, _line_of(para, passage.start))


def _line_of(para: Para, at: int) -> int:
    """The number of the line of ``para`` that offset ``at`` stands on."""
    return next(ln.no for ln in reversed(para.lines) if ln.start <= at)


def read_duty_table(facts: Facts, table: Table, path: list[str]) -> None:
    """单位 | 职责 tables: each row a duty of the units in its first cell; a row whose unit cell is
    blank (merged with the one above) is another duty of those units."""
    names: list[str] = []
    for row in table.rows:
        text = "\n".join(c.text for c in row[1:] if c.text)
        if row[0].text:
            names, _ = split_units(row[0].text)
        if names and text:
            facts.duties_of(names, text, path, row[0].start, row[-1].end, row[0].line.no)
