"""Indicators from tables of every layout and from indicator lines in running text."""

from __future__ import annotations

import dataclasses
import itertools
import math
import re
from dataclasses import dataclass

from policygraph.ingest.normalize import fold, nfkc, squash
from policygraph.ingest.tables import INDICATOR_TYPE, NATURE, Cell, Table, is_value_cell
from policygraph.ingest.values import read_value

_UNIT_BRACKET = re.compile(r"[(（]([^()（）]{1,8})[)）]\s*$")
_NOT_UNIT = re.compile(r"^(含|不含|其中|按|以|区管|市管|镇管)")


@dataclass
class RawIndicator:
    """An indicator before ids and units are attached (the extractor adds those)."""

    name: str
    unit: str
    domain: str
    baseline_year: str
    baseline: str
    target_year: str
    target: str
    nature: str
    cumulative_marks: bool
    start: int
    end: int
    line: int
    source_form: str
    comparator_hint: str = ""  # from the verb of an indicator line (超过 → >)
    place: str = ""  # a matrix row's town or street; "" for the plan's whole region


def indicators_from_matrix(table: Table) -> list[RawIndicator]:
    """One indicator per value of a matrix (``matrix``): the column's indicator, unit and group (its
    domain), the row's place; '/' or a dash is no value. The year is the title's, where it names one."""
    year = _year_of(table.title, True)
    out: list[RawIndicator] = []
    for row in table.rows:
        place = squash(row[0].text)
        for k, cell in enumerate(row[1 : len(table.header)], start=1):
            value = cell.text.strip()
            if not value or re.fullmatch(r"[—–\-/／]+", fold(value)):
                continue
            name, unit = split_name_unit(table.header[k])
            target = nfkc(value)
            group = table.column_groups[k] if k < len(table.column_groups) else ""
            start, end, line = cell.start, cell.end, cell.line.no
            unit = unit or read_value(target).unit
            out.append(
                RawIndicator(name, unit, group, "", "", year, target, "", False, start, end, line, "table", place=place)
            )
    return out


def split_name_unit(name: str) -> tuple[str, str]:
    """学前教育毛入园率（%） → (学前教育毛入园率, %); 森林覆盖率% → (森林覆盖率, %)."""
    match = _UNIT_BRACKET.search(name)
    if match and not _NOT_UNIT.match(match.group(1)) and not re.search(r"[\u4e00-\u9fff]{5,}", match.group(1)):
        return name[: match.start()].strip(), nfkc(match.group(1))
    if re.search(r"[\u4e00-\u9fff][%‰％]$", name.strip()):  # 森林覆盖率%: a percentage printed after the name
        return name.strip()[:-1], nfkc(name.strip()[-1])
    return name.strip(), ""


def _name_and_unit(name_cell: str, column_unit: str) -> tuple[str, str]:
    """An indicator's name and unit: a unit column's word wins, and then a bracket closing the name is
    its unit only when it says the same (风貌保护道路（街巷） over 条 keeps its bracket)."""
    whole = re.sub(r"\s+", "", fold(name_cell))
    name, unit = split_name_unit(whole)
    if not column_unit:
        return name, unit
    return (name, column_unit) if unit in ("", column_unit) else (whole, column_unit)


def _year_of(header: str, period_end: bool) -> str:
    years = re.findall(r"(?:19|20)\d{2}", header)
    if years:
        return years[-1] if period_end else years[0]
    if "十五五" in header:
        return "2030" if "目标" in header or "规划" in header else "2025"
    if "十四五" in header:
        return "2025" if "目标" in header or "规划" in header or "现状" in header else "2020"
    return ""


_VALUE_HEADER = re.compile(r"\d{4}|情况|目标|现状|基准|基期|规划|完成|实际|预期|值$")


def _value_columns(header: list[str]) -> tuple[int | None, int | None, str, str]:
    """Positions of the baseline and target columns among the header's value columns, and their years."""
    value_headers = [h for h in header if re.search(r"\d{4}|情况|目标|现状|基准|基期|规划|完成|实际", h)]
    baseline = target = None
    base_year = target_year = ""
    for k, h in enumerate(value_headers):
        if baseline is None and re.search(r"情况|现状|基准|基期|完成|实际", h):
            baseline, base_year = k, _year_of(h, False)
        elif target is None and re.search(r"目标|规划|预期", h):
            target, target_year = k, _year_of(h, True)
    if baseline is None and target is None and len(value_headers) >= 2:
        # yearly columns (2020年 … 2025年): the first year is the baseline, the last the target
        baseline, target = 0, len(value_headers) - 1
        base_year, target_year = _year_of(value_headers[0], False), _year_of(value_headers[-1], True)
    elif baseline is None and target is None and len(value_headers) == 1:
        # one value column named by its year alone (2025年): what the plan sets for then, its target
        target, target_year = 0, _year_of(value_headers[0], True)
    elif baseline is None and target:
        # one column named by a word this table does not share (2020年基数 before 2025年预期): the
        # value column before the target is its baseline
        baseline, base_year = 0, _year_of(value_headers[0], False)
    elif target is None and baseline is not None and baseline < len(value_headers) - 1:
        target, target_year = len(value_headers) - 1, _year_of(value_headers[-1], True)
    return baseline, target, base_year, target_year


@dataclass(frozen=True)
class _Columns:
    """What each column of an indicator table holds, by its header (positions in the header)."""

    number: int | None
    domain: int | None
    name: int | None
    unit: int | None
    nature: int | None

    @classmethod
    def of(cls, header: list[str]) -> _Columns:
        def find(pattern: str, exclude: str = "^$") -> int | None:
            return next((k for k, h in enumerate(header) if re.search(pattern, h) and not re.search(exclude, h)), None)

        return cls(
            find(r"^序号$"),
            find(r"领域|类别|分类"),
            find(r"指标|名称", r"属性|性质|类型|单位|值$|领域|类别|分类"),
            find(r"^(?:计量)?单位$"),
            find(r"属性|性质|类型"),
        )


def _aligned_row(header: list[str], columns: _Columns, cells: list[Cell]) -> list[Cell | None] | None:
    """A row's cells under the header's columns, when the row is no wider than the header: cells merged
    over several rows (a category printed on its group's first row) are missing from the left, after the
    serial number. None when the cells do not fit their columns (a wrapped name, a stray cell)."""
    if columns.name is None or len(cells) > len(header):
        return None
    numbered = columns.number == 0 and bool(cells) and re.fullmatch(r"\d{1,3}", cells[0].text) is not None
    lead: list[Cell | None] = [cells[0]] if numbered else ([None] if columns.number == 0 else [])
    rest = cells[1:] if numbered else cells
    row: list[Cell | None] = [*lead, *([None] * (len(header) - len(lead) - len(rest))), *rest]
    name = row[columns.name]
    nature = row[columns.nature] if columns.nature is not None else None
    if name is not None and (is_value_cell(name.text) or INDICATOR_TYPE.match(squash(name.text))):
        return None
    misplaced = nature is not None and squash(nature.text) and not INDICATOR_TYPE.match(squash(nature.text))
    if misplaced and any(INDICATOR_TYPE.match(squash(c.text)) for c in cells):
        return None  # the 预期性 cell is elsewhere: the cells do not line up
    return row


def indicators_from_table(table: Table) -> list[RawIndicator]:
    aligned = _indicators_by_column(table)
    return aligned if aligned is not None else _indicators_by_anchor(table)


def _indicators_by_column(table: Table) -> list[RawIndicator] | None:
    """Every row read under the header's columns; None when a row does not line up (then the rows are
    read around their anchors instead). A row without a name continues the indicator above, whose name
    cell is merged over several rows (排水管网运维水平 over three targets): its values are joined with ；."""
    header = table.header
    columns = _Columns.of(header)
    rows = [_aligned_row(header, columns, [c for c in row if c.text]) for row in table.rows]
    if not rows or any(row is None for row in rows):
        return None
    base_idx, target_idx, base_year, target_year = _value_columns(header)
    value_cols = [k for k, h in enumerate(header) if k not in _known(columns) and _VALUE_HEADER.search(h)]
    out: list[RawIndicator] = []
    domain = ""
    for cells, row in zip(table.rows, rows, strict=True):
        assert row is not None
        if columns.domain is not None and row[columns.domain] is not None:
            domain = squash(row[columns.domain].text)  # type: ignore[union-attr]
        values = [row[k] for k in value_cols]

        def value(index: int | None, values: list[Cell | None] = values) -> str:
            cell = values[index] if index is not None and index < len(values) else None
            return nfkc(cell.text) if cell is not None else ""

        name_cell = row[columns.name]  # type: ignore[index]
        if name_cell is None:
            if not out:
                return None
            previous = out[-1]
            out[-1] = dataclasses.replace(
                previous,
                baseline=_joined(previous.baseline, value(base_idx)),
                target=_joined(previous.target, value(target_idx)),
                end=[c for c in cells if c.lines][-1].end,
            )
            continue
        unit_cell = row[columns.unit] if columns.unit is not None else None
        name, unit = _name_and_unit(name_cell.text, nfkc(unit_cell.text) if unit_cell is not None else "")
        nature_cell = row[columns.nature] if columns.nature is not None else None
        nature = squash(nature_cell.text) if nature_cell is not None else ""
        present = [c for c in cells if c.lines]
        out.append(
            RawIndicator(
                name,
                unit,
                domain,
                base_year,
                value(base_idx),
                target_year,
                value(target_idx),
                nature if NATURE.match(nature) else "",
                any(v is not None and re.fullmatch(r"[(（].*[)）]", v.text.strip()) for v in values),
                present[0].start,
                present[-1].end,
                present[0].line.no,
                "table",
            )
        )
    return out


def _joined(first: str, more: str) -> str:
    """Two sub-rows' values as one: with ； between, unless the first already ends a sentence."""
    if not first or not more:
        return first or more
    return first + more if first.endswith(("。", "；", ";")) else f"{first}；{more}"


def _known(columns: _Columns) -> set[int]:
    return {k for k in (columns.number, columns.domain, columns.name, columns.unit, columns.nature) if k is not None}


def _indicators_by_anchor(table: Table) -> list[RawIndicator]:
    header = table.header
    base_idx, target_idx, base_year, target_year = _value_columns(header)
    has_domain = any(re.search(r"领域|类别|分类", h) for h in header)
    has_number = "序号" in header
    has_unit_column = any(h in ("单位", "计量单位") for h in header)
    nature_at = next((k for k, h in enumerate(header) if re.search(r"属性|性质", h)), len(header))
    first_value = next((k for k, h in enumerate(header) if re.search(r"\d{4}|情况|目标|现状|基准|基期|规划", h)), 0)
    nature_before_values = nature_at < first_value
    domain = ""
    out: list[RawIndicator] = []
    for row in table.rows:
        cells = [c for c in row if c.text]
        if has_number and cells and re.fullmatch(r"\d{1,3}", cells[0].text):
            cells = cells[1:]
        nature = next((squash(c.text) for c in cells if NATURE.match(squash(c.text))), "")
        rest = [
            c
            for c in cells
            if not NATURE.match(squash(c.text)) and not re.fullmatch(r"已完成|未完成|基本完成|超额完成", c.text)
        ]
        if not rest:
            continue
        if (
            has_domain
            and len(rest) >= 2
            and len(squash(rest[0].text)) <= 8
            and not is_value_cell(rest[0].text)
            and not is_value_cell(rest[1].text)
        ):
            domain = squash(rest[0].text)
            rest = rest[1:]
        name_cell, value_cells = rest[0], rest[1:]
        if nature_before_values and nature:
            # the nature column precedes the values: whatever stands before it is the (wrapped) name
            before = [c for c in rest if c.start < nature_cell_start(cells)]
            if before:
                name_cell = Cell("".join(c.text for c in before), [ln for c in before for ln in c.lines])
                value_cells = [c for c in rest if c.start > nature_cell_start(cells)]
        column_unit = ""
        if has_unit_column and value_cells and not is_value_cell(value_cells[0].text) and len(value_cells[0].text) <= 8:
            column_unit, value_cells = nfkc(value_cells[0].text), value_cells[1:]
        values = _merge_wrapped(value_cells)
        baseline = values[base_idx].text if base_idx is not None and base_idx < len(values) else ""
        target = values[target_idx].text if target_idx is not None and target_idx < len(values) else ""
        name, unit = _name_and_unit(name_cell.text, column_unit)
        end_cell = row[-1] if row[-1].lines else name_cell
        out.append(
            RawIndicator(
                name,
                unit,
                domain,
                base_year,
                nfkc(baseline),
                target_year,
                nfkc(target),
                nature,
                any(re.fullmatch(r"[(（].*[)）]", v.text.strip()) for v in values),
                row[0].start,
                end_cell.end,
                row[0].line.no,
                "table",
            )
        )
    return out


def nature_cell_start(cells: list[Cell]) -> int:
    return next(c.start for c in cells if NATURE.match(squash(c.text)))


def _merge_wrapped(cells: list[Cell]) -> list[Cell]:
    """A unit written under its value (120.14 / 平方公里) belongs to that value."""
    merged: list[Cell] = []
    for cell in cells:
        if merged and not is_value_cell(cell.text) and len(cell.text) <= 6 and re.search(r"\d", merged[-1].text):
            merged[-1] = Cell(merged[-1].text + cell.text, merged[-1].lines + cell.lines)
        else:
            merged.append(cell)
    return merged


_LINE = re.compile(
    r"^[—\-]{1,2}\s*(?:到)?(?P<year>\d{4})年(?:底|末)?[,，]?\s*(?P<name>.+?)"
    r"(?P<verb>提高到|提升至|提升到|提高至|达到|稳定在|保持在|超过|大于|小于|不低于|不超过|控制在|下降到|降低到|降至|增加到|增长到|实现|为)"
    r"(?P<value>.+?)[。.]?\s*[(（](?P<nature>预期性|约束性)[)）]\s*[。.]?$"
)
_VERB_COMPARATOR = {"超过": ">", "大于": ">", "小于": "<", "不低于": "≥", "不超过": "≤", "控制在": "≤"}


def indicator_from_line(text: str, start: int, end: int, line: int) -> RawIndicator | None:
    """'—2025年学前教育毛入园率提高到92．13％。（预期性）' → an indicator with its target."""
    match = _LINE.match(fold(text).strip())
    if match is None:
        return None
    name, unit = split_name_unit(match.group("name").strip())
    value = match.group("value").strip().rstrip("。.")
    comparator = _VERB_COMPARATOR.get(match.group("verb"), "")
    printed = nfkc(value)
    if not unit:
        unit = read_value(value).unit
    return RawIndicator(
        name,
        unit,
        "",
        "",
        "",
        match.group("year"),
        printed,
        match.group("nature"),
        False,
        start,
        end,
        line,
        "line",
        comparator,
    )


# A table a crawler ran into one line, cells without separators: 序号指标名称2025年目标值指标属性1十万人火灾
# 事故死亡率≤0.3约束性2…. A row ends with its 属性, or, where the last column holds units (责任单位), where
# the next row's serial starts after that column's text.
_RUN_HEADER = re.compile(
    r"序号\s*(?:[^\s\d]{0,4}(?:指标|名称)[^\s\d]{0,4})(?P<values>.{0,40}?)"
    r"(?:(?:指标)?(?P<nature>属性|性质|类型)|(?P<units>(?:责任|牵头|配合|实施|主责|主办|协办|参与)[^\s\d]{0,2}(?:单位|部门)))"
)
# the unit of measure that ends a name run into its 单位 cell: 消防站数量座, 建成率%, 死亡率人/十万人
_RUN_MEASURE = re.compile(
    r"(?:%|‰|[A-Za-z]+(?:/[A-Za-z²³23]+)?|[十百千万亿]{0,2}(?:元|人次|人|个|张|辆|座|支|套|处|家|所|条|公里|千米|米|平方米|"
    r"平方公里|立方米|吨|千瓦|小时|分钟|天|次|项|件|户|床|名|起|艘|台|部)(?:/[十百千万亿]{0,2}[\u4e00-\u9fff]{1,3})?)$"
)
_RUN_SERIAL = re.compile(r"[^\d]{0,12}?(?P<serial>\d{1,3})")
_RUN_NATURE = re.compile(r"预期性|约束性")
_RUN_VALUE_COLUMN = re.compile(  # one value column's header: 2025年目标值, 现状, 基期值 …
    r"(?:(?:19|20)\d{2}年?(?:底|末)?)?(?:目标值?|现状值?|基期值?|基准值?|完成值?|预期值?|规划值?|基数)|(?:19|20)\d{2}年?"
)
_RUN_FIGURE_START = re.compile(r"[-—－–≥≤<>＜＞≧≦]|不低于|不高于|不超过|不少于|达到|达|\d")
_RUN_NAME_AT_MOST = 60  # characters from a row's serial within which its name and first figure stand
_RUN_NEXT_SERIAL = re.compile(r"(?<=[^\d\s])\d")
_RUN_FIGURES = re.compile(r"[-—－–/≥≤<>＜＞≧≦\d.%‰]+")  # the value cells of a row, run together
_RUN_ATOM = re.compile(r"[-—－–/]|[≥≤<>＜＞≧≦]?[\d.]+[%‰]?")
_RUN_FIGURES_LONGEST = 40
_NUMBER = re.compile(r"[≥≤<>＜＞≧≦]?(?:0|[1-9]\d*)(?:\.\d+)?[%‰]?")


def split_run_figures(run: str, count: int) -> list[str] | None:
    """The value cells of a row run together ('25783000', '-60', '6.2525') split into `count` values, or
    None when they cannot be. A dash or a comparator starts a cell; a run of digits holding more than
    one number is cut where both pieces are well-formed numbers (no leading zero, at most two decimals
    unless nothing else fits) and of the nearest magnitude: a baseline and its target differ by a
    factor, not by orders of magnitude (2578 and 3000, not 257 and 83000)."""
    atoms = _RUN_ATOM.findall(run)
    if "".join(atoms) != run or not atoms or len(atoms) > count or len(run) > _RUN_FIGURES_LONGEST:
        return None  # (a longer run is no row's cells, and its cuts grow with its length to the count)
    best: tuple[float, list[str]] | None = None
    for pieces in _cuts(atoms, count):
        if all(p in "-—－–/" or _NUMBER.fullmatch(p) for p in pieces):
            cost = _implausibility(pieces)
            if best is None or cost < best[0]:
                best = (cost, pieces)
    return best[1] if best else None


def _cuts(atoms: list[str], count: int) -> list[list[str]]:
    """Every way to cut the atoms into `count` pieces (a number atom may hold several numbers)."""
    if not atoms:
        return [[]] if count == 0 else []
    first, rest = atoms[0], atoms[1:]
    out: list[list[str]] = []
    for pieces in range(1, count - len(rest) + 1):
        for head in _cut_number(first, pieces):
            out.extend(head + tail for tail in _cuts(rest, count - pieces))
    return out


def _cut_number(atom: str, pieces: int) -> list[list[str]]:
    if pieces == 1:
        return [[atom]]
    return [[atom[:i], *tail] for i in range(1, len(atom)) for tail in _cut_number(atom[i:], pieces - 1)]


def _implausibility(pieces: list[str]) -> float:
    values = [float(re.sub(r"[^\d.]", "", p)) for p in pieces if p not in "-—－–/"]
    cost = sum(2.0 * max(0, len(p.partition(".")[2].rstrip("%‰")) - 2) for p in pieces)
    for a, b in itertools.pairwise(values):
        cost += 2.0 if a == 0 or b == 0 else abs(math.log(b / a))
    return cost


def indicators_run_together(text: str, start: int, line: int) -> list[RawIndicator]:
    """The rows of an indicator table run into one line: a row is its serial, its name (to its unit in
    brackets, or to where its figure starts: a comparator, 达, a digit), its value cells and then its
    属性 or the text of a unit column up to the next row's serial (1, 2, 3 …, again from 1 in a new
    group, whose heading stands before it). One value column is the target; of several, the first is
    the baseline and the last the target, split as `split_run_figures` says."""
    header = _RUN_HEADER.search(text)
    columns = _RUN_VALUE_COLUMN.findall(header.group("values")) if header else []
    if header is None or not 1 <= len(columns) <= 3:
        return []
    first_value = _RUN_VALUE_COLUMN.search(header.group(0))
    measure_column = first_value is not None and "单位" in header.group(0)[: first_value.start()]
    target_year = _year_of(columns[-1], True)
    baseline_year = _year_of(columns[0], False) if len(columns) > 1 else ""
    out: list[RawIndicator] = []
    expected, pos = 1, header.end()
    while (serial := _RUN_SERIAL.match(text, pos)) is not None:
        digits = serial.group("serial")
        number = str(expected) if digits.startswith(str(expected)) else "1" if digits.startswith("1") else ""
        if not number:
            break  # the rows are numbered 1, 2, 3 … (again from 1 in a new group)
        expected = int(number) + 1
        at, body_start = serial.start("serial"), serial.start("serial") + len(number)
        nature = _RUN_NATURE.search(text, body_start) if header.group("nature") else None
        if header.group("nature") and nature is None:
            break
        body = text[body_start : nature.start() if nature else body_start + _RUN_NAME_AT_MOST]
        bracket = re.search(r"[（(][^（）()]{1,8}[)）]", body)
        cut = bracket.end() if bracket and bracket.start() >= 2 else None
        if cut is None:
            figure = next((m for m in _RUN_FIGURE_START.finditer(body) if m.start() >= 2), None)
            cut = figure.start() if figure else None
        if cut is None or cut >= len(body):
            break
        values = [body[cut:].strip()]
        row_end = nature.end() if nature else 0
        if len(columns) > 1 or nature is None:
            figures = _RUN_FIGURES.match(text, body_start + cut)
            cells = split_run_figures(figures.group(), len(columns)) if figures else None
            if figures is None or cells is None:
                break  # cells this reader cannot tell apart: leave the rest unread rather than guess
            values = cells
            if nature is None:  # the unit column's text runs to the next row's serial
                following = _RUN_NEXT_SERIAL.search(text, figures.end())
                row_end = following.start() if following else len(text)
        name, unit = split_name_unit(body[:cut].strip())
        printed_unit = _RUN_MEASURE.search(name) if measure_column and not unit else None
        if printed_unit is not None and printed_unit.start() >= 2:  # its 单位 cell, run into the name
            name, unit = name[: printed_unit.start()], printed_unit.group()
        target = nfkc(values[-1])
        out.append(
            RawIndicator(
                name,
                unit or read_value(target).unit,
                "",
                baseline_year,
                nfkc(values[0]) if len(values) > 1 else "",
                target_year,
                target,
                nature.group() if nature else "",
                False,
                start + at,
                start + row_end,
                line,
                "table",
            )
        )
        pos = row_end
    return out if len(out) >= 2 else []


_GOAL_ITEM = re.compile(r"^(?:[(（]\d{1,2}[)）]|\d{1,2}[.、]|[-—]+)\s*")
# the time a goal is set for, with what precedes it in its clause (实施…行动，至2025年): left out
_BY_YEAR = re.compile(r"[^，,；;。]*?(?:到|至|在)(?:19|20)\d{2}年(?:底|末|前)?[，,]?")
# what opens a goal's clause before the indicator's name: the region, and 完成/落实 (累计落实…示范项目500万平方米)
_GOAL_LEAD = re.compile(r"^(?:本市|本区|本县|全市|全区|全县|全镇)?(?:累计)?(?:完成|落实)?")
_GOAL = re.compile(
    r"^(?:[^：:。]{0,40}[：:])?(?P<name>[\u4e00-\u9fff“”（）()A-Za-z]{4,30}?)"
    r"(?P<verb>提高到|提升至|提升到|达到|稳定在|保持在|超过|不低于|不少于|不超过|控制在|下降到|降至|降低到|大于|小于|达)?"
    r"(?P<value>[≥≤<>]?\d+(?:\.\d+)?(?:%|‰|[\u4e00-\u9fff]{1,4})?(?:以上|以内|以下|左右)?)[。.]?$"
)


def indicator_from_goal(text: str, start: int, end: int, line: int) -> RawIndicator | None:
    """A goal stated on a line of its own with one figure, in a goals part: '完成市级下达的目标：单位
    增加值能耗累计下降13.5%。' → the indicator 单位增加值能耗累计下降, target 13.5%. A line that bundles
    several figures is a milestone sentence, not an indicator."""
    folded = _GOAL_ITEM.sub("", fold(text).strip())
    by_year = list(_BY_YEAR.finditer(folded))
    if len(by_year) == 1:  # （1）实施…行动，至2025年本市建筑领域碳排放量控制在4500万吨左右。
        folded = folded[by_year[0].end() :]
    if len(re.findall(r"\d+(?:\.\d+)?", folded)) != 1 or re.search(r"(?:19|20)\d{2}年", folded):
        return None
    # the clause that holds the figure (（4）完成既有建筑节能改造面积2000万平方米以上，建设一批…示范工程。)
    clause = next(c for c in re.split(r"[，,；;]", folded) if re.search(r"\d", c))
    match = _GOAL.match(_GOAL_LEAD.sub("", clause))
    if match is None:
        return None
    value = nfkc(match.group("value"))
    comparator = _VERB_COMPARATOR.get(match.group("verb") or "", "")
    name = match.group("name")
    return RawIndicator(
        name, read_value(value).unit, "", "", "", "", value, "", False, start, end, line, "line", comparator
    )
