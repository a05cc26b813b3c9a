"""Readers of the tables that hold measures and projects, one per table kind.

A table arrives whole (``tables.Table``: header, rows of cells, and for a task table read cell by cell
where each row's unit cells begin); a reader turns its rows into facts. Cells merged over several rows
are printed once, so they are missing from the later rows: each reader aligns what a row does print
to the columns it belongs to and inherits the rest. Indicator tables are read in ``indicators``, duty
tables in ``duties``.
"""

from __future__ import annotations

import re

from policygraph.ingest.facts import Facts
from policygraph.ingest.normalize import squash
from policygraph.ingest.outline import Para, paragraph_title
from policygraph.ingest.roles import RoleList, parse_cell
from policygraph.ingest.sections import names_a_context_part
from policygraph.ingest.tables import (
    LEADER_COLUMN,
    Cell,
    Layout,
    Table,
    is_time_cell,
    is_unit_cell,
    is_unit_column,
    name_column,
)

_TASK_NUMBER = re.compile(r"^[(（]\d{1,3}[)）]")
_SERIAL = re.compile(r"^\d{1,3}$")
_GROUP_NUMBER = re.compile(r"^[一二三四五六七八九十]{1,3}[、.]?$")
_TIME_HEADER = re.compile(r"时限|时间|进度|期限|节点")
_TASK_HEADER = re.compile(r"任务|工作|项目")


def read_task_table(facts: Facts, table: Table, path: list[str]) -> None:
    """One measure per row of a task table (任务 | 牵头单位 | 配合单位 …). A row that starts with its
    serial number is aligned on it (``_serial_row``); one whose task cell shows its number (（1）) on
    that cell; any other to the right; missing cells are inherited from the row above."""
    header = table.header
    unit_at = [k for k, h in enumerate(header) if is_unit_column(h)]
    unit_cols = [header[k] for k in unit_at]
    first_unit = unit_at[0] if unit_at else len(header)
    # tab-separated rows keep their columns wherever the units stand (责任单位 | 工作任务 too); a row
    # read cell by cell has its task's cells before its units
    by_column = table.layout is not Layout.CELLS
    columns = header if by_column else header[:first_unit]
    text_at = [
        k
        for k, h in enumerate(columns)
        if k not in unit_at and not _TIME_HEADER.search(h) and not LEADER_COLUMN.search(h)
    ]
    leader_before_units = any(LEADER_COLUMN.search(h) for h in header[:first_unit])
    text_cols = [header[k] for k in text_at]
    task_col = next(
        (k for k, h in enumerate(text_cols) if re.search(r"重点任务|工作任务|主要任务|任务名称|项目名称", h)), None
    )
    if task_col is None:
        task_col = next(
            (k for k, h in enumerate(text_cols) if re.search(r"任务|工作|项目", h) and "内容" not in h), None
        )
    if task_col is None:
        task_col = name_column(text_cols)  # 政策名称 | 重点工作举措和内容: each row's name
    number_col = next((k for k, h in enumerate(text_cols) if "序号" in h), None)
    inherited: list[str] = [""] * len(text_cols)
    printed_units: list[Cell] = []
    category = ""
    for n, row in enumerate(table.rows):
        if by_column:
            texts = [row[k] for k in text_at if k < len(row)]
            units = [row[k] for k in unit_at if k < len(row)]
            if any(c.text for c in units):
                printed_units = units
            elif any(c.text for c in texts):
                units = printed_units  # a unit cell merged over rows is printed with the first of them
        else:
            start = table.unit_starts[n]
            texts, units = row[:start], [c for c in row[start:] if not is_time_cell(c.text)]
            if len(text_cols) < first_unit and texts and is_time_cell(texts[-1].text):
                texts = texts[:-1]  # the time column's cell, just before the units, is not task text
            if leader_before_units and len(texts) > 1 and len(texts[-1].text) <= 30:
                texts = texts[:-1]  # the officials' cell (副区长), just before the units
            while len(texts) > 2 and _GROUP_NUMBER.match(texts[0].text) and not _SERIAL.match(texts[1].text):
                category, texts = texts[1].text, texts[2:]  # 一 | 推进综合管理: a group row above the rows
        if not texts:
            continue
        values = [c.text for c in texts]
        anchor = next((k for k, v in enumerate(values) if _TASK_NUMBER.match(v)), None)
        roles = _table_roles(facts, units, unit_cols, texts[0].line.no)
        end = max(c.end for c in texts + units if c.lines)
        if anchor is None and number_col == 0 and _SERIAL.match(values[0]) and len(text_cols) >= 2:
            number, title, content = _serial_row(values, text_cols, task_col)
            row_path = path + ([category] if category else [])
        else:
            split = task_col if anchor is not None and task_col is not None else len(text_cols) - 1
            at = anchor if anchor is not None and task_col is not None else max(0, len(values) - 1)
            before, after = values[:at], values[at:]
            if len(before) > split:
                category, before = " ".join(before[: len(before) - split]), before[len(before) - split :]
            aligned = inherited[: split - len(before)] + before + after[: len(text_cols) - split]
            if by_column:
                aligned = [v or inherited[k] for k, v in enumerate(aligned)]
            inherited = aligned + inherited[len(aligned) :]
            title = (
                aligned[task_col] if task_col is not None and task_col < len(aligned) and task_col < split + 1 else ""
            )
            if task_col == len(text_cols) - 1 and anchor is None and (len(title) > 40 or "。" in title.rstrip("。")):
                title = ""  # the only text column is a whole paragraph, not a task name
            number = aligned[number_col] if number_col is not None else ""
            match = _TASK_NUMBER.match(title) or re.match(r"^\d{1,2}[、.．]", title)
            if match:
                number = number or match.group(0)
                title = title[match.end() :].strip()
            content = " ".join(after) if anchor is not None else (values[-1] if values else "")
            groups = [v for v in aligned[:split] if v and v != "—"] if anchor is not None else []
            row_path = path + ([category] if category else []) + groups
        facts.measure(
            number=number,
            title=(title or paragraph_title(content)).rstrip("。."),
            path=row_path,
            text=content,
            start=texts[0].start,
            end=end,
            line=texts[0].line.no,
            roles=roles,
            kind="table_row",
        )


def _serial_row(values: list[str], text_cols: list[str], task_col: int | None) -> tuple[str, str, str]:
    """A task row that starts with its serial number (1 | … | 具体工作): the number is the first
    column's and the last cell the last column's (the work itself), whatever merged cells between
    them are missing; a task name printed in the row titles it. Returns number, title and work."""
    number, content = values[0], values[-1] if len(values) > 1 else ""
    middle, between = values[1:-1], text_cols[1:-1]
    named = dict(zip(range(len(between) - len(middle) + 1, len(between) + 1), middle, strict=True))
    title = named.get(task_col, "") if task_col is not None and 0 < task_col < len(text_cols) - 1 else ""
    if task_col == len(text_cols) - 1 and len(content) <= 40 and "。" not in content.rstrip("。"):
        title = content  # the work is a task name (重点任务 | 建设企业服务中心), not a paragraph
    return number, title, content


def _table_roles(facts: Facts, units: list[Cell], unit_cols: list[str], line: int) -> RoleList:
    """The units of a task row, each under the column it stands in (牵头 columns lead)."""
    cells: list[Cell] = []
    for cell in (c for c in units if c.text):
        wrapped = cells and cells[-1].text.rstrip().endswith(("、", "，", ","))
        if wrapped and is_unit_cell(cells[-1].text.rstrip().rstrip("、，,")) and is_unit_cell(cell.text):
            cells[-1] = Cell(cells[-1].text + cell.text, cells[-1].lines + cell.lines)  # a list wrapped over lines
        else:
            cells.append(cell)
    if not unit_cols:
        return RoleList([])
    if len(cells) < len(unit_cols) and (len(cells) != 1 or len(unit_cols) != 1):
        facts.problem(line, f"task row has {len(cells)} unit cells for {len(unit_cols)} unit columns")
    assignment: list[tuple[str, Cell]] = []
    extra = max(0, len(cells) - len(unit_cols))
    for k, cell in enumerate(cells):
        column = unit_cols[0] if k <= extra else unit_cols[min(k - extra, len(unit_cols) - 1)]
        assignment.append((column, cell))
    roles: list[tuple[str, str, str]] = []
    deng = False
    for column, cell in assignment:
        found = _paired_roles(cell.text, column) or parse_cell(cell.text, column)
        deng = deng or found.ends_with_deng
        roles.extend(found.roles)
    return RoleList(roles, ends_with_deng=deng)


_PAIRED = re.compile(r"(?P<outer>[^()（）]+)[(（](?P<inner>[^()（）]+)[)）]")


def _paired_roles(text: str, column: str) -> RoleList | None:
    """牵头单位（配合单位） over 区水务局（区建管委、各街道）: the units outside the brackets have the
    first role, those inside the second; None for any other header or cell."""
    header, cell = _PAIRED.fullmatch(squash(column)), _PAIRED.fullmatch(text.strip())
    if header is None or cell is None or not all(is_unit_column(h) for h in header.groups()):
        return None
    outer, inner = parse_cell(cell["outer"], header["outer"]), parse_cell(cell["inner"], header["inner"])
    return RoleList(outer.roles + inner.roles) if outer and inner else None


def read_task_list(facts: Facts, table: Table, path: list[str]) -> None:
    """Numbered tasks with no unit column (重点任务 | 序号 | 举措 | 主要内容): one measure a row. A group
    printed in a column before 序号 stands before its first row's number, so at the end of the row
    above; a group that names safeguards (保障措施) holds no measures."""
    group = ""
    for k, row in enumerate(table.rows):
        at = next((j for j, c in enumerate(row) if _SERIAL.match(c.text)), None)
        if at is None:
            continue
        printed = " ".join(c.text for c in row[:at] if c.text)
        if printed:  # a group cell merged over rows is printed with the first of them (blank below)
            group = printed
        cells = row[at + 1 :]
        following = ""
        if k + 1 < len(table.rows) and len(cells) > 2 and _is_group_cell(cells[-1].text):
            cells, following = cells[:-1], cells[-1].text  # the next row's group
        if cells and not names_a_context_part(group):
            content = cells[-1].text
            title = cells[0].text if len(cells) > 1 and len(cells[0].text) <= 40 else paragraph_title(content)
            facts.measure(
                number=row[at].text,
                title=title.rstrip("。."),
                path=path + ([group] if group else []),
                text="\n".join(c.text for c in cells),
                start=cells[0].start,
                end=cells[-1].end,
                line=cells[0].line.no,
                roles=None,
                kind="table_row",
            )
        group = following or group


def _is_group_cell(text: str) -> bool:
    return len(text) <= 16 and not re.search(r"[。；;，,\d]", text)


def read_project_table(facts: Facts, table: Table, column: str) -> None:
    """重点项目清单 and lists of named places: one project per numbered row, named by its 名称 column; a
    一/水安全 category row is cut off its end."""
    name_col = name_column(table.header) or 0
    width = len(table.header)
    for row in table.rows:
        cells = [c for c in row if c.text]
        for k in range(1, len(cells) - 1):
            if re.fullmatch(r"[一二三四五六七八九十]{1,3}", cells[k].text) and len(cells[k + 1].text) <= 8:
                cells = cells[:k]
                break
        if len(cells) < 2:
            continue
        aligned = [None] * (width - len(cells)) + cells if len(cells) < width else cells[:width]
        if aligned[0] is None or not re.fullmatch(r"\d{1,3}", aligned[0].text):
            aligned = [cells[0], *([None] * (width - len(cells))), *cells[1:]][:width]
        name_cell = aligned[name_col] or cells[min(1, len(cells) - 1)]
        text = " ".join(c.text for c in cells[1:])
        facts.project(name_cell.text, table.title or column, text, Para(cells[0].lines, text), None, end=row[-1].end)


def read_box_row(facts: Facts, row: list[Cell], column: str) -> None:
    """A row of a table inside a 专栏 box: one project, named by its bold text or its opening phrase."""
    cells = [c for c in row if c.text]
    if cells and re.fullmatch(r"\d{1,3}", cells[0].text):
        cells = cells[1:]
    if not cells:
        return
    bold = re.search(r"<b>(.*?)</b>|\*\*(.+?)\*\*", cells[0].line.raw)
    text = " ".join(c.text for c in cells)
    if bold:
        name = (bold.group(1) or bold.group(2)).strip()
    else:
        lead = re.match(r"^(\S{2,30})\s+\S", cells[0].text)  # 城乡公共服务一体发展 按照统一标准…
        name = lead.group(1) if lead else (paragraph_title(text) or cells[0].text[:30])
    facts.project(re.sub(r"<[^>]+>", "", name), column, text, Para([cells[0].line], text), None, end=row[-1].end)
