"""Matrix tables: places as rows, indicators as columns, each cell one place's value.

A plan that shares its targets out among its towns and streets prints them as a matrix (各街镇指标
分解表): a header naming the indicators (often under group cells, 绿化指标 over 公园绿地面积 | 绿道长度,
and over a row of units, （公顷） | （公里）), then one row per place, '/' where a place has none, and
total (合计) or target rows. No header word says "matrix"; the shape does: the rows open with places
(华漕镇, 仙霞街道, 合计) and every other cell is a value. Each value becomes an indicator of that place.

Both layouts are read here: tab-separated rows (.docx, .html) and one cell per line (PDF text, pages
copied as text), where a row's width is the distance from one place to the next and the header must
be one row of names (and perhaps one of units): a header of several rows printed one cell per line
(corpus-dev 12's 任务量分解表) does not say which name stands over which column, and is not read.
"""

from __future__ import annotations

import itertools
import re

from policygraph.ingest.lines import Line
from policygraph.ingest.normalize import fold, squash
from policygraph.ingest.tables import Cell, Layout, Table, TableKind, is_value_cell

# a place (a town, a street, a village …) or a row that sums or targets them
_PLACE = re.compile(
    r"^(?:\d{1,3}[.、]?)?[\u4e00-\u9fff（）()]{1,12}(?:镇|乡|街道|村|社区|片区|园区|新城|开发区|工业区|度假区)$"
    r"|^(?:合计|总计|小计|全区|全县|全市|全镇|全街道|目标|\d{4}年?目标)$"
)
# the first header cell: what the rows are (街镇, 镇（街道）, 区域 …)
_PLACE_COLUMN = re.compile(
    r"^(?:序号)?(?:街镇|乡镇|镇街|街道|镇|乡|片区|区域|地区|村居|村|社区|镇（街道）|街道（镇）|镇\(街道\)|单位)(?:名称)?$"
)
_UNIT_ROW = re.compile(r"^[(（][^()（）]{1,10}[)）]$")  # （公顷）: a column's unit, printed under its name
_MIN_ROWS = 2


def is_place(text: str) -> bool:
    return bool(_PLACE.match(squash(fold(text))))


def _is_data_row(cells: list[Cell]) -> bool:
    values = [c for c in cells[1:] if c.text]
    return bool(values) and is_place(cells[0].text) and all(is_value_cell(c.text) for c in values)


def matrix_of_rows(rows: list[list[Cell]], first: int, last: int, title: str, notes: list[str]) -> Table | None:
    """A matrix read from tab-separated rows: the rows above its first place row are its header, the
    lowest cell of a column names it (a group cell above it is its domain), a row of units joins the
    names; it ends at the first row that is no place's."""
    start = next((k for k, row in enumerate(rows) if len(row) >= 2 and _is_data_row(row)), None)
    if start is None or start == 0:
        return None
    data = list(itertools.takewhile(_is_data_row, rows[start:]))
    header_rows = rows[:start]
    if len(data) < _MIN_ROWS or not any(row and _PLACE_COLUMN.match(squash(row[0].text)) for row in header_rows):
        return None
    width = max(len(row) for row in data)
    names, groups = _column_names([[c.text for c in row] for row in header_rows], width)
    return Table(TableKind.MATRIX, names, data, first, last, title, notes, Layout.TSV, column_groups=groups)


def matrix_of_cells(lines: list[Line], i: int) -> Table | None:
    """A matrix printed one cell per line, from a place-column header cell at line i: the header is
    what precedes the first place, a row is as wide as the distance from that place to the next."""
    if not _PLACE_COLUMN.match(squash(lines[i].clean)):
        return None
    cells: list[Cell] = []
    j = i
    while j < len(lines) and len(cells) < 400:
        line = lines[j]
        j += 1
        if line.blank:
            continue
        if line.is_tab_row or len(line.clean) > 30:
            break
        cells.append(Cell(line.clean, [line]))
    places = [k for k, c in enumerate(cells) if k > 0 and is_place(c.text)]
    if len(places) < _MIN_ROWS:
        return None
    width = places[1] - places[0]
    header = [c.text for c in cells[: places[0]]]
    if width < 2 or len(header) < width:
        return None
    rows: list[list[Cell]] = []
    k = places[0]
    while k + width <= len(cells) and _is_data_row(cells[k : k + width]):
        rows.append(cells[k : k + width])
        k += width
    if len(rows) < _MIN_ROWS:
        return None
    header_rows = _header_rows(header, width)
    if header_rows is None:
        return None
    names, groups = _column_names(header_rows, width)
    last_line = rows[-1][-1].lines[-1].no  # line numbers are 1-based: the index after it
    return Table(TableKind.MATRIX, names, rows, i, last_line, "", [], Layout.CELLS, column_groups=groups)


def _header_rows(cells: list[str], width: int) -> list[list[str]] | None:
    """Header cells printed one per line, set in rows: the place column's word, one name per column and
    perhaps a row of units (（公顷） …). A header of more rows (group cells over the names, names over
    sub-columns) cannot be set in columns from cells one per line: None, rather than misname them."""
    units = [c for c in cells if _UNIT_ROW.match(squash(c))]
    words = [c for c in cells if not _UNIT_ROW.match(squash(c))]
    if len(words) != width or (units and len(units) != width - 1):
        return None
    return [words, ["", *units]] if units else [words]


def _column_names(rows: list[list[str]], width: int) -> tuple[list[str], list[str]]:
    """Each column's name (its lowest named header cell, with a unit row's cell joined to it) and its
    group (a cell above it, spanning it from its left)."""
    names, groups = [], []
    for k in range(width):
        named = [row[k] if k < len(row) else "" for row in rows]
        unit = next((w for w in reversed(named) if w and _UNIT_ROW.match(squash(w))), "")
        words = [w for w in named if w and not _UNIT_ROW.match(squash(w))]
        names.append((words[-1] if words else "") + unit)
        group = ""
        for row in rows[:-1]:
            above = next((row[m] for m in range(min(k, len(row) - 1), -1, -1) if row[m]), "") if row else ""
            if above and above not in words[-1:]:
                group = above
        groups.append(group)
    return names, groups
