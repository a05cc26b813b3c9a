"""Tables in every layout a converted document leaves behind.

- tab-separated rows (one line per row, cells split by tabs; .docx/.html tables are rendered so);
- one cell per line, found by a header of known column words (split header cells such as
  ``2020年`` / ``情况`` are joined back). Rows are then cut by what anchors them: the 序号 column,
  the 预期性/约束性 cell that closes an indicator row, or the run of unit cells that closes a task row.
  Cells merged over several rows are simply missing, so a row's cells are aligned to the right and the
  missing leading cells are inherited from the row above.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from enum import StrEnum

from policygraph.ingest.lines import Line, parse_heading
from policygraph.ingest.normalize import fold, squash
from policygraph.ingest.roles import is_official, parse_cell

NATURE = re.compile(r"^(预期性|约束性)$")
# what an indicator table's type column holds (属性, 性质, 指标类型): it closes each row as the nature does
INDICATOR_TYPE = re.compile(r"^(预期性|约束性|定量|定性)$")
_TASK_WORDS = ("牵头", "配合", "责任单位", "责任部门", "协同", "参与单位", "实施主体")
# a unit column's header, whatever its words (主办单位, 协办部门, 责任处室): a unit's role, or one ending
# like the name of a kind of unit; not a unit of measure (单位, 计量单位) nor an owner (权属单位)
_UNIT_COLUMN = re.compile(r"牵头|配合|协同|协办|协助|参与|责任|主体|主办|主责|.(?:单位|部门|处室|科室)$")
_NOT_UNIT_COLUMN = re.compile(r"计量|权属|产权|业主|建设单位|所属|领导|负责人|责任人")
# the officials over a task (牵头区领导, 责任领导): posts (副区长), not units, and not the task's text
LEADER_COLUMN = re.compile(r"领导|负责人|责任人")
_TASK_COLUMN = re.compile(r"任务|工作|措施|举措|内容|事项")
_HEADER_WORDS = {
    "序号",
    "类别",
    "领域",
    "分类",
    "指标名称",
    "指标",
    "指标性质",
    "性质",
    "属性",
    "指标属性",
    "单位",
    "计量单位",
    "工作任务",
    "任务",
    "主要工作内容",
    "工作内容",
    "具体内容",
    "任务分类",
    "主要方向",
    "重点任务",
    "主要任务",
    "牵头单位",
    "牵头部门",
    "牵头",
    "配合单位",
    "配合部门",
    "配合",
    "责任单位",
    "责任部门",
    "协同单位",
    "参与单位",
    "实施主体",
    "完成时限",
    "时限",
    "完成时间",
    "时间节点",
    "备注",
    "服务领域",
    "服务内容与目标",
    "服务项目",
    "服务内容",
    "进展评价",
    "项目名称",
    "建设内容",
    "建设规模",
    "总投资",
    "建设年限",
    "职责分工",
    "主要职责",
    "服务",
    "实施",
    "项目类型",
    "项目类别",
    "建设性质",
    "建设地点",
    "基准值",
    "目标值",
    "现状值",
    "基期值",
    "规划值",
    "预期值",
    "完成值",
    "工作目标",
    "工作措施",
    "具体措施",
    "任务内容",
    "目标任务",
    "项目",
    "内容",
    "指标值",
}
_SUFFIX_ONLY = {"情况", "目标", "性质", "部门", "单位", "领域", "名称", "属性", "主体", "分类", "方向", "时限", "内容"}
_PERIOD_HEADER = re.compile(
    r"^(?:\d{4}年?|[\"“]?十[一二三四五六七八九]五[\"”]?(?:期末|期间|末)?|基期|规划)?.{0,3}"
    r"(?:情况|目标|现状|现状值|目标值|基准值|基期值|预期值|规划目标|完成值|实际值|期末值|末|完成情况)?"
    r"(?:\(?\d{4}年?\)?)?$"
)
_YEAR = re.compile(r"(19|20)\d{2}")
_VALUE_WORD = re.compile(  # 现状, 基期值, 近期规划, 规划目标: a value column's header without a year
    r"(?:现状|基期|基准|近期|中期|远期|期末)(?:值|水平|规划|目标)?|(?:近期|中期|远期)?规划(?:值|目标)"
)
# what the words of header cells end with, whatever precedes (具体工作, 时间进度, 完成时限, 主责部门, 建设地点):
# a header never seen before is still a short noun phrase of one of these kinds
_HEADER_ENDING = re.compile(
    r"(?:序号|编号|任务|工作|内容|措施|举措|事项|部门|单位|主体|处室|时间|时限|进度|节点|期限|名称|指标|目标|属性|性质|"
    r"备注|类别|领域|分类|类型|地点|地址|规模|投资|年限|情况|说明|方式|对象|标准|要求|职责|分工|目标值|现状值|计量单位|"
    r"人数|数量|面积|金额|等级|级别|指标项|领导|负责人|责任人)$"
)
# what a project list says of each project, beside its name; an inventory (名称 | 数量 | 权属单位) says none
_PROJECT_FIELD = re.compile(r"地址|地点|位置|规模|投资|面积|年限|期限|建设|时间")
_TRAILING_NOTE = re.compile(r"[(（][^()（）]{1,10}[)）]$")  # 避难面积（万平方米）, 类型（等级）


@dataclass
class Cell:
    text: str  # clean text; multi-line cells are joined
    lines: list[Line]

    @property
    def line(self) -> Line:
        return self.lines[0]

    @property
    def start(self) -> int:
        return self.lines[0].start

    @property
    def end(self) -> int:
        return self.lines[-1].end


class TableKind(StrEnum):
    """What a table lists, decided by its header's columns (see ``table_kind``)."""

    INDICATOR = "indicator"  # 指标 | 基期值 | 目标值 | 属性
    TASK = "task"  # tasks with unit columns: 任务 | 牵头单位 | 配合单位
    TASK_LIST = "task_list"  # numbered tasks without units: 序号 | 举措 | 主要内容
    PROJECT = "project"  # 项目名称 | 建设地点 | 投资, or any named things with a place, size or time
    DUTIES = "duties"  # 单位 | 职责
    MATRIX = "matrix"  # places as rows, indicators as columns: 街镇 | 公园绿地面积 | 绿道长度
    GENERIC = "generic"  # anything else (read only inside a 专栏 box)


class Layout(StrEnum):
    TSV = "tsv"  # one row per line, cells split by tabs (.docx and .html tables are rendered so)
    CELLS = "cells"  # one cell per line, rows recovered by what anchors them
    COLUMNS = "columns"  # one cell per line, each row cut at its serial number and set under the header


@dataclass
class Table:
    kind: TableKind
    header: list[str]
    rows: list[list[Cell]]
    first: int  # index of the first line the table owns
    last: int  # index after the last line it owns
    title: str = ""
    notes: list[str] = field(default_factory=list)
    layout: Layout = Layout.TSV
    # a task table read cell by cell: where each row's unit cells begin (the task's cells before them)
    unit_starts: list[int] = field(default_factory=list)
    # a matrix's group cell over each column (绿化指标 over 公园绿地面积 | 绿道长度), "" where none
    column_groups: list[str] = field(default_factory=list)


def is_header_cell(text: str) -> bool:
    word = squash(text)
    if not word or len(word) > 18:
        return False
    if word in _HEADER_WORDS or word in _SUFFIX_ONLY:
        return True
    bare = _TRAILING_NOTE.sub("", word)
    if len(bare) <= 12 and _HEADER_ENDING.search(bare) and not re.search(r"[，,。；;：:、\d]", bare):
        return True
    if word[0] in "(（" and word[-1] in ")）" and len(word) <= 8 and not re.search(r"\d(?!\d*年)", word):
        return True  # （2020年） under 基准值, （万平方米） under 避难面积: the header cell's second line
    if re.fullmatch(r"(?:重点任务|主要任务|工作任务|目标任务)[(（][\d\-—–年]+[)）]", word):
        return True  # 重点任务（2024-2026）
    if re.fullmatch(r"\d{4}年(?:工作项目|计划|目标|工作计划|任务|工作目标)", word):
        return True
    return _is_value_header(word)


def _is_value_header(word: str) -> bool:
    """现状, 近期规划 (over （2025年） | （2030年）), 2020年, 十四五期末目标: a value column's header."""
    return bool(_VALUE_WORD.fullmatch(word)) or (
        bool(_YEAR.search(word) or "十" in word) and bool(_PERIOD_HEADER.match(word))
    )


def is_duty_header(header: list[str]) -> bool:
    """单位 | 职责分工: each row a unit and its duties."""
    return len(header) == 2 and bool(re.search(r"单位|部门", header[0]) and re.search(r"职责", header[1]))


def _units_before_task(header: list[str]) -> bool:
    """Does a unit column stand before a column of the task's text (序号 | 责任单位 | 工作任务)?"""
    units = [k for k, h in enumerate(header) if is_unit_column(h)]
    return bool(units) and any(_TASK_COLUMN.search(h) and k > units[0] for k, h in enumerate(header))


def is_unit_column(header: str) -> bool:
    """Does this header cell stand over the units that carry out each row's task?"""
    word = squash(header)
    return bool(_UNIT_COLUMN.search(word)) and not _NOT_UNIT_COLUMN.search(word)


def table_kind(header: list[str], sample: list[str]) -> TableKind:
    if is_duty_header(header):
        return TableKind.DUTIES
    joined = "".join(squash(h) for h in header)
    if "项目名称" in joined and "指标" not in joined:
        return TableKind.PROJECT
    if any(word in joined for word in _TASK_WORDS):
        return TableKind.TASK
    places = name_column(header) is not None and _PROJECT_FIELD.search(joined)
    if any(is_unit_column(h) for h in header) and _TASK_COLUMN.search(joined) and "指标" not in joined and not places:
        return TableKind.TASK  # 工作任务 | 主办单位 | 协办单位: the columns' shape, not their words
    if "序号" in header and re.search(r"任务|举措|措施", joined) and "指标" not in joined:
        return TableKind.TASK_LIST
    if name_column(header) is not None and _PROJECT_FIELD.search(joined):
        return TableKind.PROJECT  # named things with where, how big or when (场所名称 | 地址 | 面积)
    if "指标" in joined or any(NATURE.match(squash(c)) for c in sample):
        return TableKind.INDICATOR
    return TableKind.GENERIC


def name_column(header: list[str]) -> int | None:
    """The column naming each row's item (项目名称, 应急避难场所单位名称), not an indicator's (指标名称)."""
    return next((k for k, h in enumerate(header) if h.endswith("名称") and "指标" not in h), None)


def merge_header(cells: list[str]) -> list[str]:
    """Join header cells that conversion split over lines (2020年 / 情况, 牵头 / 部门), and read a header
    of several rows printed row by row (指标值 over 现状 | 规划, over （2025年） | （2030年））."""
    merged: list[str] = []
    for cell in _by_column(_without_group_cell([squash(c) for c in cells])):
        if merged and cell:
            joined = merged[-1] + cell
            # 2020年 / 情况 is one value column's header; 2025年 | 属性 and 指标 | 单位 are two columns
            if re.fullmatch(r"\d{4}年?[底末]?", merged[-1]) and (
                cell in ("情况", "目标", "预期", "基数") or _VALUE_WORD.fullmatch(cell)
            ):
                merged[-1] = joined  # 2020年 / 现状
                continue
            if cell in _SUFFIX_ONLY and joined in _HEADER_WORDS:
                merged[-1] = joined
                continue
            if _is_bracketed(cell):
                merged[-1] = joined  # 基准值 / （2020年）, 避难面积 / （万平方米）
                continue
            if merged[-1] in ("牵头", "配合", "实施", "任务", "服务") and joined in _HEADER_WORDS | {"实施主体"}:
                merged[-1] = joined
                continue
        merged.append(cell)
    return merged


def _by_column(cells: list[str]) -> list[str]:
    """A run of k bracketed cells right after k plain ones is the header's next row, printed below them
    (现状 | 近期规划 over （2025年） | （2030年））: each joins the cell above it."""
    out = list(cells)
    k = 0
    while k < len(out):
        run = 0
        while k + run < len(out) and _is_bracketed(out[k + run]):
            run += 1
        if run >= 2 and k >= run and not any(_is_bracketed(c) for c in out[k - run : k]):
            out[k - run : k + run] = [a + b for a, b in zip(out[k - run : k], out[k : k + run], strict=True)]
            k -= run
        k += max(run, 1)
    return out


def _without_group_cell(cells: list[str]) -> list[str]:
    """The header without a cell that spans the columns below it, printed before them: 指标值 over 现状
    | 目标, or 责任单位 over 牵头 | 配合 (each role then names a unit column: 牵头单位 | 配合单位). The
    rows have a cell under each of those, none under it."""
    for k, cell in enumerate(cells[:-2]):
        below = cells[k + 1 : k + 3]
        if re.fullmatch(r"指标值|指标数值|数值|指标值?情况", cell) and all(map(_is_value_header, below)):
            return cells[:k] + cells[k + 1 :]
        if is_unit_column(cell) and all(_ROLE_WORD.fullmatch(b) for b in below):
            roles = list(itertools.takewhile(_ROLE_WORD.fullmatch, cells[k + 1 :]))
            return cells[:k] + [_under(role, cell) for role in roles] + cells[k + 1 + len(roles) :]
    return cells


_ROLE_WORD = re.compile(r"牵头|主责|主办|配合|协同|协办|协助|参与|责任")  # a role alone, under a unit column


def _under(word: str, above: str) -> str:
    """A sub-header cell named with the kind of unit of the cell above it: 牵头 under 责任部门 → 牵头部门."""
    if not _ROLE_WORD.fullmatch(word):
        return word
    kind = re.search(r"单位|部门|处室|科室|主体", above)
    return word + (kind.group() if kind else "单位")


def _stacked_header(top: list[Cell], below: list[Cell]) -> list[str] | None:
    """A header of two tab-separated rows (责任单位 over 牵头 | 配合): each column named by its lower
    cell where it has one, else by the upper (a cell spanning several columns is printed once, at
    the first). None when the second row is not a header's."""
    words = [c.text for c in below if c.text]
    if not words or len(words) == len(below) or not all(is_header_cell(w) or _ROLE_WORD.fullmatch(w) for w in words):
        return None
    names: list[str] = []
    above = ""
    for k in range(max(len(top), len(below))):
        upper = top[k].text if k < len(top) else ""
        lower = below[k].text if k < len(below) else ""
        above = upper or above
        names.append(_under(lower, above) if lower else upper)
    return names


def _is_bracketed(cell: str) -> bool:
    return len(cell) >= 2 and cell[0] in "(（" and cell[-1] in ")）"


# --- finding tables --------------------------------------------------------------------------------


def _nonblank(lines: list[Line], i: int) -> int:
    while i < len(lines) and lines[i].blank:
        i += 1
    return i


def title_before(lines: list[Line], i: int) -> str:
    j = i - 1
    while j >= 0 and lines[j].blank:
        j -= 1
    if j >= 0 and len(lines[j].clean) <= 60 and not lines[j].clean.endswith("。"):
        return lines[j].clean
    return ""


def notes_after(lines: list[Line], i: int) -> list[str]:
    j = _nonblank(lines, i)
    notes = []
    if j < len(lines) and lines[j].clean.startswith(("注", "备注", "说明")):
        notes.append(lines[j].clean)
        k = _nonblank(lines, j + 1)
        while k < len(lines) and re.match(r"^\d+[.、]", lines[k].clean) and len(notes) < 5:
            notes.append(lines[k].clean)
            k = _nonblank(lines, k + 1)
    return notes


def tab_rows(lines: list[Line], i: int) -> tuple[list[list[Cell]], int]:
    """The tab-separated rows from line i (a blank line or two may stand between them), and the index
    after the last line they use."""
    rows: list[list[Cell]] = []
    j = i
    last = i
    while j < len(lines):
        if lines[j].is_tab_row or (rows and "\t" in lines[j].raw and lines[j].clean):
            cells = [Cell(_clean_cell(c), [lines[j]]) for c in lines[j].raw.split("\t")]
            rows.append(cells)
            last = j + 1
            j += 1
            continue
        k = _nonblank(lines, j)
        if k < len(lines) and k - j <= 2 and lines[k].is_tab_row and k > j:
            j = k
            continue
        break
    return rows, last


def tsv_table(rows: list[list[Cell]], i: int, last: int, title: str, notes: list[str]) -> Table | None:
    """The table of the tab-separated ``rows`` of lines i to last (see ``tab_rows``): its header, its kind."""
    if not rows or (len(rows) == 1 and len(rows[0]) < 3):
        return None
    header: list[str] = []
    if sum(1 for c in rows[0] if is_header_cell(c.text)) >= max(2, len([c for c in rows[0] if c.text]) // 2):
        stacked = _stacked_header(rows[0], rows[1]) if len(rows) > 2 else None
        if stacked is not None:
            header, rows = stacked, rows[2:]
        else:
            header = _right_aligned(merge_header([c.text for c in rows[0]]), rows[1:])
            rows = rows[1:]
    rows = [row for row in rows if not _repeats_header(row, header)]
    if header and header[0] == "序号":
        rows = _with_wrapped_rows_joined(rows, len(header))
    sample = [c.text for row in rows[:5] for c in row]
    kind = table_kind(header, sample)
    return Table(kind, header, rows, i, last, title, notes, Layout.TSV)


def _with_wrapped_rows_joined(rows: list[list[Cell]], width: int) -> list[list[Cell]]:
    """Rows whose cells wrapped onto a line of their own (a name 东溪防洪堤 / 工程, the line below with no
    serial and the rest of the row's cells): joined to the row above, column by column, while that
    row is short of the header's width."""
    out: list[list[Cell]] = []
    for row in rows:
        above = out[-1] if out else None
        filled = len([c for c in above if c.text]) if above else 0
        if above is not None and row and not row[0].text and filled < width and _is_serial(above[0]):
            joined = list(above) + [Cell("", above[-1].lines)] * max(0, len(row) - len(above))
            for k, cell in enumerate(row):
                if cell.text:
                    joined[k] = Cell(joined[k].text + cell.text, joined[k].lines + cell.lines)
            out[-1] = joined
        else:
            out.append(row)
    return out


def _repeats_header(row: list[Cell], header: list[str]) -> bool:
    """A row that prints the header again (a page break in the source, its cells split or spaced
    otherwise: 地 址, 避难面积 | （万平方米）): most of its cells are words of the header."""
    words = [squash(fold(c.text)) for c in row if c.text.strip()]
    printed = squash(fold("".join(header)))
    return len(words) >= 3 and sum(1 for w in words if w in printed) >= 0.8 * len(words)


def _right_aligned(header: list[str], rows: list[list[Cell]]) -> list[str]:
    """A header row with fewer cells than its rows fill (blank header cells at its end, the rows'
    last columns full): its cells belong over the rows' last columns, as the unit columns that close
    a task table do (序号 | 工作任务 | … | 牵头单位 | 配合单位 over rows with a group and a number
    before the task)."""
    words = [h for h in header if h]
    blank = len(header) - len(words)
    if not blank or not rows or header[: len(words)] != words:  # only blank cells at the end
        return header
    filled = sum(1 for row in rows if len(row) == len(header) and row[-1].text)
    return [""] * blank + words if filled >= 0.6 * len(rows) else header


def _clean_cell(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"</?[a-zA-Z][^<>]{0,80}>|\*\*", " ", text)).strip()


_FIRST_COLUMN = re.compile(r"序号|编号|类别|领域|分类|指标名称|指标|项目名称|名称")


def _caption_cells(header_cells: list[Line]) -> int:
    """How many of the header-like lines before a table's first column (序号, 指标名称 …) are its
    caption: long lines that name no column of their own."""
    for k, cell in enumerate(header_cells):
        if _FIRST_COLUMN.fullmatch(cell.clean.strip()):
            return k if all(len(c.clean.strip()) >= 6 for c in header_cells[:k]) else 0
    return 0


def cell_table(lines: list[Line], i: int) -> Table | None:
    header_cells: list[Line] = []
    j = i
    while j < len(lines):
        if lines[j].blank:
            j += 1
            continue
        if is_header_cell(lines[j].clean) and not lines[j].is_tab_row:
            header_cells.append(lines[j])
            j += 1
            continue
        break
    caption = _caption_cells(header_cells)
    if caption:  # “十四五”指标完成情况 above 指标名称 | 指标属性 | …: the table's title, not a column
        i, header_cells = header_cells[caption].no - 1, header_cells[caption:]
    header = merge_header([c.clean for c in header_cells])
    before = header.index("序号") if "序号" in header else 0
    first_body = _nonblank(lines, j)
    if before and len(header_cells) > before + 3 and first_body < len(lines) and lines[first_body].clean == "1":
        # the cells before the first 1 are the first row's group cells (发展规模), not the header's
        j = header_cells[-before].no - 1
        header_cells = header_cells[:-before]
        header = merge_header([c.clean for c in header_cells])
    if is_duty_header(header):
        cells, _ = _collect_cells(lines, j)
        rows, used = _duty_rows(cells)
        if not rows:
            return None
        last = cells[used - 1].lines[-1].no
        return Table(TableKind.DUTIES, header, rows, i, last, title_before(lines, i), [], Layout.CELLS)
    if len(header) == 2 and "指标" in header[0] and re.search(r"目标|预期|现状|规划|值$|\d{4}", header[1]):
        rows, last = _paired_rows(lines, j)
        if not rows:
            return None
        title, notes = title_before(lines, i), notes_after(lines, last)
        return Table(TableKind.INDICATOR, header, rows, i, last, title, notes, Layout.CELLS)
    if len(header_cells) < 3:
        return None
    anchors = ("指标", "牵头", "任务", "序号", "领域", "类别", "服务项目", "名称", "职责")
    if not any(a in h for h in header for a in anchors):
        return None
    body_start = j
    cells, _end = _collect_cells(lines, body_start)
    cells = _without_header_again(cells, [squash(c.clean) for c in header_cells])
    kind = table_kind(header, [c.text for c in cells[:40]])
    nature = _nature_column(header)
    unit_starts: list[int] = []
    layout = Layout.CELLS
    if kind is TableKind.TASK and "序号" in header and _units_before_task(header):
        # 序号 | 责任单位 | 工作任务: no run of units closes a row, its serial number starts it
        rows, used = _numbered_rows(cells, long_cells=True)
        rows = [[row[0], *[Cell("", row[0].lines)] * (len(header) - len(row)), *row[1:]] for row in rows]
        layout = Layout.COLUMNS
    elif kind is TableKind.TASK:
        rows, unit_starts, used = _task_rows(cells, header)
    elif "序号" in header:
        listing = kind in (TableKind.PROJECT, TableKind.TASK_LIST)
        rows, used = _numbered_rows(
            cells, long_cells=listing, lead=kind is TableKind.TASK_LIST, width=len(header), before=before
        )
    elif kind is TableKind.INDICATOR and nature is not None and nature != len(header) - 1:
        rows, used = _nature_column_rows(cells, nature, len(header))
    elif kind is TableKind.INDICATOR and (
        nature is not None or any(INDICATOR_TYPE.match(squash(c.text)) for c in cells)
    ):
        rows, used = _nature_rows(cells)  # rows closed by their 预期性/约束性 (or 定量/定性) cell
    else:  # no serial and no 属性 to close a row (指标 | 单位 | 目标值): rows as wide as the header
        rows, used = _fixed_rows(cells, len(header))
        if kind is TableKind.INDICATOR and not all(is_value_cell(row[-1].text) for row in rows):
            rows = []  # an indicator's row ends in its value: these cells are set in rows of another width
    if not rows:
        return None
    last = cells[used - 1].lines[-1].no if used else body_start
    title, notes = title_before(lines, i), notes_after(lines, last)
    return Table(kind, header, rows, i, last, title, notes, layout, unit_starts)


def _without_header_again(cells: list[Cell], header: list[str]) -> list[Cell]:
    """The body without the header printed again where a page broke the table (its cells, in order)."""
    out: list[Cell] = []
    k = 0
    while k < len(cells):
        if len(header) >= 2 and [squash(c.text) for c in cells[k : k + len(header)]] == header:
            k += len(header)
            continue
        out.append(cells[k])
        k += 1
    return out


def _paired_rows(lines: list[Line], j: int) -> tuple[list[list[Cell]], int]:
    """A table of two columns (指标名称 | 预期目标) printed as blocks of lines: a block of two or more
    lines is a row, its name then its value; a block of one line continues the value above (a value
    cell of several paragraphs, 37's 污水收集处理水平). It ends at a heading or a paragraph of prose.
    Returns the rows (a continuation is a row of its value alone) and the index after the last line."""
    rows: list[list[Cell]] = []
    last = j
    k = _nonblank(lines, j)
    while k < len(lines):
        block: list[Line] = []
        while k < len(lines) and not lines[k].blank:
            block.append(lines[k])
            k += 1
        if parse_heading(block[0]) is not None or any(line.is_tab_row for line in block):
            break
        if len(block) >= 2 and len(block[0].clean) <= 30:
            value = block[1:]
            rows.append([Cell(_clean_cell(block[0].raw), [block[0]]), Cell(" ".join(ln.clean for ln in value), value)])
        elif len(block) == 1 and rows and len(block[0].clean) <= 80:
            rows.append([Cell(_clean_cell(block[0].raw), block)])
        else:
            break
        last = block[-1].no
        k = _nonblank(lines, k)
    return rows, last


def _collect_cells(lines: list[Line], j: int) -> tuple[list[Cell], int]:
    """Candidate body cells: every non-blank line up to a structural break (附件, 第X章, markdown #)."""
    cells: list[Cell] = []
    while j < len(lines):
        line = lines[j]
        if line.blank:
            j += 1
            continue
        heading = parse_heading(line)
        if (
            heading is not None and heading.style in ("annex", "chapter", "section", "box")
        ) or line.raw.lstrip().startswith("#"):
            break
        if heading is not None and heading.style == "cn" and heading.rest and _part_follows(lines, j + 1):
            break  # 四、发展思路 over a paragraph or a heading: the plan's next part, not a group row of the table
        if line.is_tab_row:
            break
        if line.clean.startswith(("注:", "备注:")) and (not cells or _closes_row(cells[-1].text)):
            break  # a note under the table; a note inside a row's cell stays in the row
        cells.append(Cell(_clean_cell(line.raw), [line]))
        j += 1
    return cells, j


def _part_follows(lines: list[Line], j: int) -> bool:
    """Does prose or a heading come next (what follows a part's heading, not a table's group row)?"""
    k = _nonblank(lines, j)
    if k >= len(lines):
        return False
    line = lines[k]
    return (len(line.clean) > 40 and "。" in line.clean) or parse_heading(line) is not None


def _closes_row(text: str) -> bool:
    return bool(INDICATOR_TYPE.match(squash(text))) or is_unit_cell(text) or is_value_cell(text)


def is_value_cell(text: str) -> bool:
    t = fold(text).replace(" ", "")
    return bool(
        re.match(r"^[(（]?[≥≤<>≈约~+\-]?[≥≤<>]?\d", t)
        or re.fullmatch(r"[—–\-/／]+", t)
        or "应保尽保" in t
        or re.match(r"^(稳定在|保持|不低于|不超过|达到|力争|超过|大于|小于|全覆盖|基本|持续|逐步)", t)
    )


def _numbered_rows(
    cells: list[Cell], long_cells: bool = False, lead: bool = False, width: int = 0, before: int = 0
) -> tuple[list[list[Cell]], int]:
    """Rows cut at the 序号 cells 1, 2, 3 …; a row ends where the next number would be. The cells
    before the first number are a category row (一 / 水安全): dropped, or with ``lead`` kept at the
    head of the first row (a group printed in a column before 序号). When ``before`` columns stand
    before 序号 in a header ``width`` wide, cells beyond a row's width are the next row's: its group
    cell, printed on the group's first row only."""
    rows: list[list[Cell]] = []
    expected = 1
    current: list[Cell] | None = None
    first: list[Cell] = []
    used = numbered_at = 0
    for k, cell in enumerate(cells):
        if squash(cell.text) in ("合计", "总计", "小计"):
            break  # the totals row closes the table
        # a value equal to the next number (yearly columns: 1 | 2 | 2 | 3) is no serial while its row
        # is short of the header's width and a value, not a name, follows it
        short = current is not None and len(current) - numbered_at < width - before
        value_next = k + 1 < len(cells) and is_value_cell(cells[k + 1].text)
        if cell.text == str(expected) and not (short and value_next):
            carried: list[Cell] = []
            if current and before and len(current) - numbered_at > width - before:
                carried = current[numbered_at + width - before :][-before:]
                current = current[: len(current) - len(carried)]
            if current:
                rows.append(current)
                used = k - len(carried)
            current = [*first, cell] if (lead or before) and expected == 1 else [*carried, cell]
            numbered_at = len(current) - 1
            expected += 1
            continue
        if current is None:
            if k >= 4:
                return [], 0
            first.append(cell)
            continue
        if cell.text.startswith("其中") and len(current) > 2:
            rows.append(current)  # an unnumbered sub-row (其中：高校毕业生就业) of the row above
            current = [cell]
            continue
        if len(current) > 20 or (not long_cells and len(cell.text) > 60 and "。" in cell.text):
            break
        current.append(cell)
    else:
        if current:
            rows.append(current)
            used = len(cells)
        return rows, used
    if current:
        rows.append(current)
        used = cells.index(current[-1]) + 1
    return rows, used


def _nature_rows(cells: list[Cell]) -> tuple[list[list[Cell]], int]:
    """Rows closed by a 预期性/约束性 (or 定量/定性) cell; the table ends when none comes soon enough."""
    rows: list[list[Cell]] = []
    current: list[Cell] = []
    used = 0
    for k, cell in enumerate(cells):
        current.append(cell)
        if INDICATOR_TYPE.match(squash(cell.text)):
            rows.append(current)
            current = []
            used = k + 1
        elif len(current) > 8 or (_is_prose(cell.text) and not _type_cell_next(cells, k)):
            break  # prose, not a cell: a long target is a cell when the row's type cell follows it
    return rows, used


def _is_prose(text: str) -> bool:
    return len(text) > 60 and "。" in text


def _type_cell_next(cells: list[Cell], k: int) -> bool:
    return any(INDICATOR_TYPE.match(squash(c.text)) for c in cells[k + 1 : k + 2])


def _duty_rows(cells: list[Cell]) -> tuple[list[list[Cell]], int]:
    """单位 / 职责分工 tables: a unit cell, then its duties (one or more cells) up to the next unit."""
    rows: list[list[Cell]] = []
    k = 0
    while k < len(cells) and is_unit_cell(cells[k].text) and not re.fullmatch(r"[—–\-/／]+|无", cells[k].text):
        row = [cells[k]]
        k += 1
        while k < len(cells) and not (is_unit_cell(cells[k].text) and len(cells[k].text) <= 20):
            row.append(cells[k])
            k += 1
        if len(row) < 2:
            break
        rows.append(row)
    used = sum(len(r) for r in rows)
    return rows, used


def _nature_column(header: list[str]) -> int | None:
    return next((k for k, h in enumerate(header) if re.search(r"属性|性质|类型", h)), None)


def _nature_column_rows(cells: list[Cell], column: int, width: int) -> tuple[list[list[Cell]], int]:
    """Rows anchored on a 预期性/约束性 cell that is not the last column: each row starts ``column``
    cells before its nature cell and runs to where the next row starts."""
    anchors = [k for k, cell in enumerate(cells) if INDICATOR_TYPE.match(squash(cell.text)) and k >= column]
    if not anchors:
        return [], 0
    starts = [k - column for k in anchors]
    rows: list[list[Cell]] = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else min(len(cells), start + width)
        if n + 1 == len(starts):
            while end > start + column + 1 and len(cells[end - 1].text) > 40:
                end -= 1
        rows.append(cells[start:end])
    return rows, (starts[-1] + len(rows[-1])) if rows else 0


def _fixed_rows(cells: list[Cell], width: int) -> tuple[list[list[Cell]], int]:
    """Rows of the header's width; the first column is a short label, which ends the table when long."""
    rows: list[list[Cell]] = []
    k = 0
    while k + width <= len(cells) and width >= 2:
        row = cells[k : k + width]
        if len(squash(row[0].text)) > 12:
            break
        rows.append(row)
        k += width
    return rows, k


def is_unit_cell(text: str) -> bool:
    """A unit list (A、B), labelled (牵头：A 配合：B) or in verb form (A牵头，B配合), or a dash for none."""
    folded = fold(text).strip()
    return bool(re.fullmatch(r"[—–\-/／]+|无", folded)) or (len(folded) <= 80 and bool(parse_cell(text, "")))


def _task_rows(cells: list[Cell], header: list[str]) -> tuple[list[list[Cell]], list[int], int]:
    """Rows closed by their run of unit cells (牵头 / 配合 columns), and where each row's unit cells begin.

    A cell broken over two lines (区土方工作 / 专班) is joined when only the join reads as a unit.
    """
    original = cells
    header_words = set(header) | {squash(h) for h in header}
    cells = [c for c in cells if squash(c.text) not in header_words and squash(c.text) not in _SUFFIX_ONLY]
    joined: list[Cell] = []
    k = 0
    while k < len(cells):
        cell = cells[k]
        if (
            k + 1 < len(cells)
            and not is_unit_cell(cell.text)
            and not is_official(cell.text)
            and len(cell.text) <= 10
            and not re.search(r"[。；;，,]", cell.text)
            and not is_time_cell(cell.text)
            and is_unit_cell(cell.text + cells[k + 1].text)
            and not is_unit_cell(cells[k + 1].text + "x")  # the second part is not a unit on its own
        ):
            joined.append(Cell(cell.text + cells[k + 1].text, cell.lines + cells[k + 1].lines))
            k += 2
            continue
        joined.append(cell)
        k += 1
    time_col = any("时限" in h or "时间" in h for h in header)
    blocks: list[tuple[list[Cell], list[Cell]]] = []  # the task cells before a run of unit cells, and the run
    current: list[Cell] = []
    last_run: list[Cell] = []
    used_joined = 0
    k = 0
    while k < len(joined):
        cell = joined[k]
        if last_run and _GROUP_HEAD.match(fold(cell.text)) and any(_TASK_NUMBER.match(fold(c.text)) for c in current):
            # tasks after a unit block and before the next group heading share that group's block
            blocks.append((current, last_run))
            current = []
            used_joined = k
        if is_unit_cell(cell.text) and current and not _is_number_cell(cell.text):
            run = [cell]
            k += 1
            while k < len(joined) and is_unit_cell(joined[k].text):
                run.append(joined[k])
                k += 1
            if time_col and k < len(joined) and is_time_cell(joined[k].text):
                run.append(joined[k])
                k += 1
            blocks.append((current, run))
            last_run = run
            current = []
            used_joined = k
            continue
        if len(current) > 60:
            break
        current.append(cell)
        k += 1
    # Numbered rows left after the last run of units: the table prints a merged unit cell with the
    # first row of its block, so every row without units carries the units printed above it.
    trailing = _serial_rows(current) if last_run else []
    first_row_printing = len(trailing) > 1 or (len(trailing) == 1 and bool(current) and _is_serial(current[0]))
    if first_row_printing:
        blocks.append((current, []))
        used_joined = len(joined)
    rows: list[list[Cell]] = []
    unit_starts: list[int] = []
    previous: list[Cell] = []
    for cells_before, run in blocks:
        if first_row_printing:
            segments = _serial_rows(cells_before)
            owners = [previous] * (len(segments) - 1) + [run or previous]
        else:
            segments = _split_tasks(cells_before)
            owners = [run] * len(segments)
        for segment, owner in zip(segments, owners, strict=True):
            rows.append([*segment, *owner])
            unit_starts.append(len(segment))
        previous = run or previous
    used_lines = joined[used_joined - 1].lines[-1] if used_joined else None
    used = original.index(next(c for c in original if c.lines and c.lines[-1] is used_lines)) + 1 if used_lines else 0
    return rows, unit_starts, used


_TASK_NUMBER = re.compile(r"^[(（]\d{1,3}[)）]")
_GROUP_HEAD = re.compile(r"^\d{1,2}[、.]")


def _is_serial(cell: Cell) -> bool:
    return bool(re.fullmatch(r"\d{1,3}", fold(cell.text).strip()))


def _serial_rows(cells: list[Cell]) -> list[list[Cell]]:
    """Cells split where a serial number (1, 2, 3 …) starts a row; cells before the first number
    (a group's cells) stay with the first row."""
    starts = [k for k, cell in enumerate(cells) if _is_serial(cell) and k + 1 < len(cells)]
    if not starts:
        return [cells] if cells else []
    bounds = [0, *starts[1:], len(cells)]
    return [cells[a:b] for a, b in itertools.pairwise(bounds)]


def _split_tasks(cells: list[Cell]) -> list[list[Cell]]:
    """Several numbered tasks that share one merged unit block: one row each."""
    starts = [k for k, cell in enumerate(cells) if _TASK_NUMBER.match(fold(cell.text))]
    if len(starts) < 2:
        return [cells]
    heads = re.compile(r"^(?:\d{1,2}[、.]|[(（][一二三四五六七八九十]+[)）])")
    for n in range(1, len(starts)):
        while starts[n] - 1 > starts[n - 1]:
            previous = fold(cells[starts[n] - 1].text)
            titled = (
                starts[n] - 2 > starts[n - 1] and heads.match(fold(cells[starts[n] - 2].text)) and len(previous) <= 20
            )
            if not (heads.match(previous) or titled):
                break
            starts[n] -= 1  # the group headings in front of a task belong to its row
    bounds = [0, *starts[1:], len(cells)]
    return [cells[a:b] for a, b in itertools.pairwise(bounds)]


def _is_number_cell(text: str) -> bool:
    return bool(re.fullmatch(r"[(（]?[一二三四五六七八九十\d]{1,3}[)）]?[、.]?", fold(text).strip()))


_TIME = re.compile(r"\d{4}年|长期|持续|常态|全年|年内|年底|年末|月底|季度|每年|前$|完成$|推进$")


def is_time_cell(text: str) -> bool:
    """A cell of a 时限/时间进度 column: 2025年底前, 长期坚持, 全年推进, 一季度完成, 年内完成."""
    t = squash(fold(text))
    return len(t) <= 20 and bool(_TIME.search(t))
