"""Task, project and duty tables that a scraper ran into one line, cells without any separator.

A web page stored as one line keeps a table's text but not its cells: ``序号政策名称重点工作举措和内容
责任单位1土地、规划政策1.设置社会福利用地……区资源生态局区社会事业局2审批政策……``. The page step
(``pages``) may have broken it into a few lines where a sentence or a numbered item ended, but no
cell boundary survives. What still shows the shape:

- the header, ``序号`` then the column words, ends with a unit column (责任单位, 组织实施单位) — the
  one kind of column whose cells can be found again, because unit names have a shape of their own —
  or with a time column after it (完成时限), whose cells (2024年底前, 长期坚持) have one too;
- every row starts with its serial number, 1, 2, 3 … (a group heading 一、养老项目 may stand before
  one), glued to the end of the row before, which is a unit's name (…局2审批政策) or a time;
- so each row's units are the run of unit names at its end (区资源生态局区社会事业局: names that
  begin with 区/县/市/各 … and end like a unit), and its text is what lies between its serial and
  them;
- a duty table (序号 | 单位 | 职责) is the other way round: each row opens with its unit, and its duty
  ends a sentence before the next serial.

The rows become a `Table` of the one table type, with cells whose positions are the characters they
were read from, so the task, project and duty readers read them like any other table. Indicator tables run
together are `indicators.indicators_run_together`'s (their rows end in a 属性 or a figure).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policygraph.ingest.duty_passages import duty_opening
from policygraph.ingest.lines import Line
from policygraph.ingest.tables import Cell, Layout, Table, TableKind, table_kind

_HEADER = re.compile(
    r"^序号(?P<name>[\u4e00-\u9fff]{0,4}名称)?(?P<body>[^\d]{0,60}?)"
    r"(?P<units>(?:组织实施|牵头|责任|配合|实施|主责|主办|协办|参与|承办)?(?:单位|部门|主体))"
    r"(?P<time>完成时限|完成时间|完成期限|时间节点|时限要求|时间安排|进度安排|时限)?"
    r"(?=(?:[一二三四五六七八九十]{1,3}、[^\d]{1,20}?)?1[\u4e00-\u9fff“《（])"
)
# a time column's cell, which then closes each row after its units: 2024年底前, 2025年6月, 长期坚持
_TIME_CELL = (
    r"(?:(?:20\d{2}年?[-—–~～至])?20\d{2}年(?:\d{1,2}月)?(?:底|末|上旬|中旬|下旬)?(?:前|以前|内)?(?:完成)?"
    r"|长期(?:坚持|推进)?|持续(?:推进|实施)?|常态化(?:推进)?|每年|逐年推进)"
)
# 序号单位职责, 序号部门名称主要职责: a duty table's header
_DUTY_HEADER = re.compile(
    r"^序号(?P<unit>(?:责任|成员)?(?:单位|部门)(?:名称)?)(?P<duty>(?:主要|工作)?职责(?:分工)?)(?=1)"
)
_GROUP = r"(?:[一二三四五六七八九十]{1,3}、[^\d、]{1,20}?)?"  # a group heading before a row: 一、养老项目
_UNIT_END = (  # how a unit's name ends, a bracketed part too: 各镇（街道）
    r"(?:局|委|办|院|中心|处|室|部|队|所|站|公司|集团|政府|管委会|指挥部|办事处|街道|镇|乡|[（(][^（）()]{1,12}[)）])"
)
_UNIT_LAST = r"[局委办院心处室部队所站司团府会道镇乡）)]"  # the last character of _UNIT_END's words
_NAME_CHAR = r"(?:[^\d\s。，；：:,;、（）()]|[（(][^（）()]{1,12}[)）])"
_UNIT = re.compile(rf"(?:区|县|市|省|镇|乡|街道|各|相关|有关|属地){_NAME_CHAR}{{0,14}}?{_UNIT_END}")
_UNIT_LONGEST = 24  # characters of one unit's name, at most (the pattern's bound)
_TAIL_LONGEST = 240  # characters of a row's units, at most
_AFTER_TABLE = re.compile(r"备注[:：]|注[:：]|附件\d")
# where a project's name ends: its 建设性质, a year (建设期限) or a figure
_PROJECT_FIELD = re.compile(r"新建|续建|改扩建|改建|扩建|迁建|在建|新开工|(?:19|20)\d{2}|\d")
_SUB_ITEM = re.compile(r"\d{1,2}[.．、](?=[\u4e00-\u9fff])")
_LONGEST = 40  # lines a table run together may span after its header line


@dataclass
class _Stream:
    """The text of consecutive lines joined as printed, each character's line kept."""

    text: str
    lines: list[Line]
    at: list[tuple[int, int]]  # per character: (index into lines, offset in the document)

    @classmethod
    def of(cls, lines: list[Line]) -> _Stream:
        text, at = [], []
        for k, line in enumerate(lines):
            body = line.raw.strip()
            offset = line.start
            for ch in body:
                text.append(ch)
                at.append((k, offset))
                offset += 1
        return cls("".join(text), lines, at)

    def cell(self, start: int, end: int, text: str | None = None) -> Cell:
        """The characters start..end as a cell, one synthetic line per printed line it crosses."""
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        parts: list[Line] = []
        k = start
        while k < end:
            line_index = self.at[k][0]
            stop = k
            while stop < end and self.at[stop][0] == line_index:
                stop += 1
            source = self.lines[line_index]
            piece = self.text[k:stop]
            parts.append(Line(source.no, self.at[k][1], self.at[stop - 1][1] + 1, piece, piece))
            k = stop
        return Cell(self.text[start:end] if text is None else text, parts)


def run_together_table(lines: list[Line], i: int) -> Table | None:
    """A task, project or duty table whose header and first row start line i, run together (see above)."""
    owned = [lines[i]]
    for line in lines[i + 1 : i + 1 + _LONGEST]:
        if line.blank or line.is_tab_row:
            break
        owned.append(line)
    stream = _Stream.of(owned)
    duties = _DUTY_HEADER.match(stream.text)
    if duties is not None:
        rows = _duty_rows(stream, duties.end())
        columns = [duties.group("unit"), duties.group("duty")]
        kind = TableKind.DUTIES
    else:
        header = _HEADER.match(stream.text)
        if header is None or "指标" in header.group(0):
            return None
        texts = [c for c in (header.group("name"), header.group("body")) if c]  # the task's or project's columns
        time = [header.group("time")] if header.group("time") else []
        columns = ["序号", *texts, header.group("units"), *time]
        kind = table_kind(columns, [])
        if kind not in (TableKind.TASK, TableKind.PROJECT):
            return None
        rows = _unit_closed_rows(stream, header.end(), kind, texts, timed=bool(time))
    if len(rows) < 2:
        return None
    last = next(k for k, line in enumerate(owned) if line.no == rows[-1][-1].lines[-1].no)
    return Table(kind, columns, rows, i, i + last + 1, layout=Layout.TSV)


def _unit_closed_rows(stream: _Stream, pos: int, kind: TableKind, texts: list[str], timed: bool) -> list[list[Cell]]:
    """Rows that each end in their units (and then, ``timed``, in a time cell: 2024年底前), the next
    row's serial glued to that end."""
    text = stream.text
    rows: list[list[Cell]] = []
    expected = 1
    closing = rf"(?P<time>{_TIME_CELL})" if timed else rf"(?<={_UNIT_LAST})"
    while (row := re.compile(rf"{_GROUP}(?P<serial>{expected})(?=[\u4e00-\u9fff“《（])").match(text, pos)) is not None:
        start = row.start("serial")
        after = re.compile(rf"{closing}(?P<next>{_GROUP}{expected + 1})(?=[\u4e00-\u9fff“《（])").search(
            text, start + 1
        )
        end = min(after.start("next") if after else len(text), _table_end(text, start))
        time = re.compile(rf"{_TIME_CELL}$").search(text, start, end) if timed else None
        if timed and time is None:
            break
        units_end = time.start() if time else end
        units = _units_at_end(text, row.end() + 2, units_end)
        if not units:
            break  # a row that does not end in units: the table ended before it
        units_start = units_end - sum(len(u) for u in units)
        body_start = row.end()
        cells = [stream.cell(start, body_start), *_text_cells(stream, body_start, units_start, kind, texts)]
        cells.append(stream.cell(units_start, units_end, "、".join(units)))
        if time is not None:
            cells.append(stream.cell(time.start(), time.end()))
        rows.append(cells)
        pos, expected = end, expected + 1
    return rows


def _duty_rows(stream: _Stream, pos: int) -> list[list[Cell]]:
    """Rows of 单位 | 职责: each its serial, the unit's name and its duty, which ends a sentence
    before the next serial (…制定实施方案。2区卫健局负责…)."""
    text = stream.text
    rows: list[list[Cell]] = []
    expected = 1
    while (row := re.compile(rf"{expected}(?=[\u4e00-\u9fff（])").match(text, pos)) is not None:
        opening = duty_opening(text, row.end())
        if opening is None:
            break
        _, printed, begin = opening
        after = re.compile(rf"(?<=[。；;]){expected + 1}(?=[\u4e00-\u9fff（])").search(text, begin)
        end = min(after.start() if after else len(text), _table_end(text, begin))
        rows.append([stream.cell(begin, begin + len(printed)), stream.cell(begin + len(printed), end)])
        pos, expected = end, expected + 1
    return rows


def _text_cells(stream: _Stream, start: int, end: int, kind: TableKind, texts: list[str]) -> list[Cell]:
    """A row's text cut into its name and the rest, where the table has a name column (``texts``: the
    headers between 序号 and the units): a project's name runs to its first field (建设性质, a year, a
    figure); a task's name (政策名称) to the header's own word (…政策) or to its first sub-item (1.)."""
    text = stream.text[start:end]
    if len(texts) < 2:
        return [stream.cell(start, end)]
    cut: int | None = None
    if kind is TableKind.PROJECT:
        field = next((m for m in _PROJECT_FIELD.finditer(text) if m.start() >= 4), None)
        cut = field.start() if field else None
    else:
        word = texts[0].removesuffix("名称")
        own = text.find(word, 1, 24) if word else -1
        sub = _SUB_ITEM.search(text, 2, 30)
        cut = own + len(word) if own > 0 else sub.start() if sub else None
    if cut is None:
        return [stream.cell(start, start), stream.cell(start, end)]
    return [stream.cell(start, start + cut), stream.cell(start + cut, end)]


def _table_end(text: str, start: int) -> int:
    """Where the last row ends: at a note or annex marker after it, else at the end of what was read."""
    after = _AFTER_TABLE.search(text, start)
    return after.start() if after else len(text)


def _units_at_end(text: str, start: int, end: int) -> list[str]:
    """The unit names run together at the end of text[start:end] (区资源生态局区社会事业局), the longest
    such run, each name as short as lets the rest be names too; [] when it does not end in one.

    Found by dynamic programming from the end, not by a regex: a repeated group of lazily bounded names
    backtracks exponentially on a long run of unit-like characters that ends in something else."""
    start = max(start, end - _TAIL_LONGEST)
    first: dict[int, int] = {end: 0}  # position → length of the shortest name there that the rest follows
    for at in range(end - 2, start - 1, -1):
        length = next(
            (
                n
                for n in range(2, min(_UNIT_LONGEST, end - at) + 1)
                if at + n in first and _UNIT.fullmatch(text, at, at + n)
            ),
            None,
        )
        if length is not None:
            first[at] = length
    begin = min(first)
    names: list[str] = []
    while begin < end:
        names.append(text[begin : begin + first[begin]])
        begin += first[begin]
    return names
