"""Lines of the decoded text, and what each one looks like on its own.

A ``Line`` knows its offsets in the text and a cleaned, folded form for the classifiers. The
heading ladder styles (第一章, 第一节, 一、, （一）, 1., （1）, ①, markdown ``#``, 专栏, 附件) are
recognised here; how they nest is the outline's business.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policygraph.ingest.normalize import clean, fold

CN_NUM = "一二三四五六七八九十百零〇两"


@dataclass
class Line:
    no: int  # 1-based line number
    start: int  # offset of the first non-blank character
    end: int  # offset after the last non-blank character
    raw: str  # the line without its newline
    clean: str  # folded, markup removed, trimmed

    @property
    def blank(self) -> bool:
        return not self.clean

    @property
    def is_tab_row(self) -> bool:
        return "\t" in self.raw.strip() and sum(1 for cell in self.raw.split("\t") if cell.strip()) >= 2


def split_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    offset = 0
    for no, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.strip()
        lead = len(raw) - len(raw.lstrip())
        start = offset + lead
        end = start + len(stripped)
        lines.append(Line(no, start, end, raw, clean(raw)))
        offset += len(raw) + 1
    return lines


@dataclass(frozen=True)
class Heading:
    """A numbered or marked heading line: ``style`` names its ladder rung."""

    style: str  # chapter, section, cn, pcn, ar, par, circ, md1..md6, box, annex, bare
    number: str  # as printed (第一章, 一、, （一）, 1．…), "" for unnumbered
    rest: str  # what follows the number on the line (clean)


_HEADING_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("annex", re.compile(r"^((?:附件|附表)\s*\d{0,2})\s*[:：]?\s*(.{0,60})$")),
    ("chapter", re.compile(rf"^(第[{CN_NUM}\d]+(?:章|编|篇|部分))\s*(.*)$")),
    ("section", re.compile(rf"^(第[{CN_NUM}\d]+节)\s*(.*)$")),
    ("box", re.compile(r"^(专栏\s*[\d一二三四五六七八九十]*)\s*[:：.、]?\s*(.*)$")),
    ("cn", re.compile(rf"^([{CN_NUM}]{{1,3}}\s*[、.])\s*(.*)$")),
    ("pcn", re.compile(rf"^([(（]\s*[{CN_NUM}]{{1,3}}\s*[)）])\s*[、.]?\s*(.*)$")),
    ("ar", re.compile(r"^(\d{1,2}\s*[.、](?!\d))\s*(.*)$")),
    ("par", re.compile(r"^([(（]\d{1,2}[)）])\s*[、.]?\s*(.*)$")),
    ("circ", re.compile(r"^([①-⑳])\s*(.*)$")),
]
_MD = re.compile(r"^\s*(#{1,6})\s*(.*)$")
# An unnumbered line that is only the name of a plan's part (14: 总体要求 / 重点整治内容 / 工作安排).
_BARE = re.compile(
    r"^[\u4e00-\u9fff]{0,4}(?:总体要求|指导思想|基本原则|工作目标|主要目标|发展目标|主要任务|重点任务|工作任务|"
    r"整治内容|工作安排|工作要求|工作措施|保障措施|组织保障|实施步骤|职责分工)$"
)


def parse_heading(line: Line) -> Heading | None:
    """The ladder rung a line starts with, if any (a numbered item with a body is a heading too)."""
    text = line.clean
    if not text or line.is_tab_row:
        return None
    for style, pattern in _HEADING_PATTERNS:
        match = pattern.match(text)
        if match:
            number, rest = match.group(1).strip(), match.group(2).strip()
            if style == "ar" and not rest:
                return None  # a lone number is a page number or a table cell
            if style in ("annex", "box") and len(text) > 80:
                return None
            return Heading(style, raw_number(line.raw, number), rest)
    md = _MD.match(fold(line.raw))
    if md:
        return Heading(f"md{len(md.group(1))}", "", line.clean)
    if _BARE.match(text):
        return Heading("bare", "", text)
    return None


def raw_number(raw: str, folded_number: str) -> str:
    """The number as printed in the raw line (before folding), e.g. '1．' rather than '1.'."""
    stripped = re.sub(r"^\s*(#{1,6}\s*)?(\*\*|<[^>]+>)*", "", raw)
    return stripped[: len(folded_number)] if fold(stripped[: len(folded_number)]) == folded_number else folded_number


_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－]\s*\d{1,4}\s*[-—–－]|\d{1,4}|第\s*\d+\s*页(?:\s*[,，]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)$"
)
_TOC_ENTRY = re.compile(r"^(.{2,60}?)(?:\s*[.…·．]{2,}\s*|\s{1,})\d{1,3}$")


def is_page_furniture(line: Line) -> bool:
    """Page numbers and running marks that conversion left between paragraphs."""
    return bool(_PAGE_NUMBER.match(line.clean.replace("\t", " ")))


def is_toc_entry(line: Line) -> bool:
    text = line.clean.replace("\t", " ")
    return bool(_TOC_ENTRY.match(text)) and not text.endswith(("年", "%"))


TERMINAL = tuple("。！？；：…”）)」』】]!?;:")
