"""The extractor: one decoded text in, one ``Document`` out.

read → mask personal data → lines → outline (headings, paragraphs, tables, annotations) →
measures, projects, indicators, units. Which outline parts are measures is decided here; see
``_Walker`` for the rules.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from policygraph import ids
from policygraph.ingest.duties import duty_passages, heading_units, is_duty_heading
from policygraph.ingest.indicators import (
    RawIndicator,
    indicator_from_goal,
    indicator_from_line,
    indicators_from_table,
)
from policygraph.ingest.lines import Line, split_lines
from policygraph.ingest.metadata import read_metadata
from policygraph.ingest.outline import Node, Para, TableBlock, Units, build_outline, paragraph_title
from policygraph.ingest.privacy import mask_personal_data
from policygraph.ingest.readers import read_source
from policygraph.ingest.roles import RoleList, split_units
from policygraph.ingest.tables import Cell, Table, is_time_cell, is_unit_cell, name_column
from policygraph.ingest.targets import find_targets
from policygraph.ingest.units import Jurisdiction, UnitResolver
from policygraph.ingest.values import read_value
from policygraph.model import LEAD, RESPONSIBLE, Document, Duty, Indicator, Measure, Problem, Project, UnitRole

# Sections whose content is context, not commitments.
NON_TASK = re.compile(
    r"背景|发展基础|工作基础|现实基础|基础条件|现状|发展形势|面临形势|形势分析|回顾|主要成效|工作成效|成绩|总体要求|"
    r"总体思路|指导思想|基本原则|工作原则|主要目标|发展目标|工作目标|总体目标|目标任务$|目标要求|具体目标|"
    r"主要指标|指标体系|具体指标|前\s*言|目\s*录|适用范围|编制依据|规划依据|基本情况|存在问题|主要问题|面临问题|"
    r"机遇与挑战|面临挑战|保障措施|实施保障|组织保障|组织实施|保障机制|工作要求|附\s*则|^说明$|展望|远景|"
    r"^总则$|调研"
)
_TABLE_TITLE = re.compile(r"表|清单|一览|名单|明细|目录")
_ORGANISATION = re.compile(r"组织构架|组织架构|组织机构|机构设置")
_PART_STYLES = ("chapter", "cn", "md1", "md2", "section", "bare")  # the rungs a plan's top-level parts use
_GOALS_TITLE = re.compile(r"目标|指标|总体要求|指导思想")
_TASK_TITLE = re.compile(r"任务|措施|举措|行动")
_DOC_TITLE = re.compile(r"关于|(?:通知|规划|方案|意见|计划|纲要|报告)(?:[(（].*[)）])?$")
RESEARCH_TASK = re.compile(r"建议|对策|措施|路径|举措")


def extract_file(path: Path) -> Document:
    """Extract one file; raises IngestError when it cannot be read at all."""
    return extract_file_with_text(path)[0]


def extract_file_with_text(path: Path) -> tuple[Document, str]:
    """The document and the text its offsets index (what ``policygraph text`` prints)."""
    source = read_source(path)
    document = extract_text(source.name, source.text)
    problems = [Problem(0, warning) for warning in source.warnings]
    if problems:
        document.problems[:0] = problems
    return document, mask_personal_data(source.text)


def decoded_text(path: Path) -> str:
    """The text every offset indexes: decoded, newlines normalised, personal data masked."""
    return mask_personal_data(read_source(path).text)


def extract_text(name: str, raw_text: str) -> Document:
    text = mask_personal_data(raw_text)
    lines = split_lines(text)
    meta = read_metadata(lines, text)
    root, _tables = build_outline(lines)
    doc_id = ids.document_id(text)
    resolver = UnitResolver(Jurisdiction(meta.region, meta.level, meta.parent_region))
    walker = _Walker(doc_id, text, lines, resolver, research=meta.doc_type == "研究报告")
    walker.walk(root, task=False)
    return Document(
        id=doc_id,
        source=name,
        title=meta.title,
        doc_type=meta.doc_type,
        status=meta.status,
        issuer=meta.issuer,
        region=meta.region,
        parent_region=meta.parent_region,
        level=meta.level,
        date=meta.date,
        doc_number=meta.doc_number,
        period=meta.period,
        implements=meta.implements,
        based_on=meta.based_on,
        measures=sorted(walker.measures, key=lambda m: m.start),
        indicators=sorted(walker.indicators, key=lambda i: i.start),
        projects=sorted(walker.projects, key=lambda p: p.start),
        duties=sorted(walker.duties, key=lambda d: (d.start, d.id)),
        units=resolver.units(),
        problems=sorted(walker.problems, key=lambda p: p.line),
        text_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        chars=len(text),
    )


def _dedupe(names: list[str]) -> list[str]:
    seen: list[str] = []
    for name in names:
        if name not in seen:
            seen.append(name)
    return seen


class _Walker:
    """Walks the outline and decides what is a measure, a project or an indicator.

    Measures are the leaf commitments of task sections: numbered items; any item or paragraph that
    carries a unit annotation (its sub-items then belong to it); each row of a task table; and each
    paragraph of a task section, titled by its heading phrase when it has one — except a section's
    introductory paragraph. Items inside 专栏 boxes are projects.
    """

    def __init__(self, doc_id: str, text: str, lines: list[Line], resolver: UnitResolver, research: bool) -> None:
        self.doc_id = doc_id
        self.text = text
        self.lines = lines
        self.resolver = resolver
        self.research = research
        self.measures: list[Measure] = []
        self.projects: list[Project] = []
        self.indicators: list[Indicator] = []
        self.duties: list[Duty] = []
        self.duty_starts: set[int] = set()
        self.context: set[int] = set()  # ids of the outline nodes that are not task parts
        self.problems: list[Problem] = []

    # --- annotations --------------------------------------------------------------------------

    def settle_roles(self, node: Node) -> None:
        """Attach own-line annotations to what they follow; an annotation after the last of several
        unannotated sub-items belongs to the heading above them."""
        target: Node | Para | None = None
        for k, child in enumerate(node.children):
            if isinstance(child, Units):
                if k == 0 or (isinstance(node.children[k - 1], Units) and target is node):
                    target = node
                elif isinstance(node.children[k - 1], Para | Node):
                    target = node.children[k - 1]
                if target is None:
                    self.problems.append(Problem(child.line.no, "unit annotation follows no measure"))
                    continue
                _add_roles(target, child.roles)
            elif not isinstance(child, Units):
                target = None
        if node.heading is not None and node.roles is None and node.header_para is not None:
            node.roles = node.header_para.roles
        for child in node.nodes():
            self.settle_roles(child)
        paras = [c for c in node.children if isinstance(c, Para)]
        if node.roles is None and not node.nodes() and paras and _is_item(node):
            with_roles = [p for p in paras if p.roles]
            if (len(with_roles) == 1 and with_roles[0] is paras[-1] and not paragraph_title(paras[-1].text)) or (
                len(with_roles) == 1 and with_roles[0] is paras[-1] and len(paras) == 1
            ):
                node.roles = with_roles[0].roles
        subs = node.nodes()
        if node.roles is None and len(subs) >= 2 and subs[-1].roles and not any(s.roles for s in subs[:-1]):
            last = subs[-1]
            if last.style in ("par", "circ") and not last.head.roles:
                node.roles, last.roles = last.roles, None

    # --- walking ------------------------------------------------------------------------------

    def walk(self, root: Node, task: bool) -> None:
        self.settle_roles(root)
        self._visit(root, task)

    def _is_task(self, node: Node, inherited: bool, before_goals: bool = False) -> bool:
        """Is this part of the plan's task part? A part's heading decides for it (背景, 目标, 保障措施 …
        are not; a part that stands before the goals is not either) and everything under a part that is
        not inherits that, whatever its own heading style; under a task part, a chapter-level heading
        starts afresh. An annex is a plan of its own, unless it is a table (附表1, 重点项目清单): its rows
        are read as a table, and what else it holds is notes to the table."""
        if node.heading is None:
            return inherited
        title = node.title or node.heading.rest
        if node.style == "annex":
            return not _TABLE_TITLE.search(title.strip("：: ") or _first_line(node))
        if self.research:
            return bool(RESEARCH_TASK.search(title)) or inherited
        if before_goals or _names_a_context_part(title) or is_duty_heading(title):
            self.context.add(id(node))
            return False
        if node.parent is not None and id(node.parent) in self.context:
            self.context.add(id(node))
            return False
        return True if node.style in _PART_STYLES or node.parent is None else inherited

    def _parts_before_goals(self, subs: list[Node]) -> int:
        """How many of these parts come before the task part: those up to the last one in the first half
        that states the goals, by its heading (目标, 指标, 总体要求, 指导思想) or by holding an indicator
        table (三、发展方向 over 表1 主要指标), when parts follow it. The task part lies between the goals and
        the safeguards, however the parts before it are named (发展评估, 发展趋势及要求 …)."""
        if len(subs) < 3 or not all(sub.style in _PART_STYLES for sub in subs):
            return 0
        last = -1
        for k, sub in enumerate(subs[: min(len(subs) // 2 + 1, len(subs) - 1)]):
            title = sub.title or sub.rest
            states_goals = (len(title) <= 20 and _GOALS_TITLE.search(title)) or _holds_indicator_table(sub)
            if states_goals and not _TASK_TITLE.search(title):
                last = k
        return last + 1

    def _visit(self, node: Node, task: bool) -> None:
        for child in node.children:
            if isinstance(child, TableBlock):
                self._table(child.table, node, task)
            elif isinstance(child, Para):
                self._indicator_line(child, goals=bool(_GOALS_TITLE.search(node.title)))
        if node.heading is not None and is_duty_heading(node.title):
            self._duty_section(node)
        box = node.in_box()
        if (box is not None and node is not box) or node.box:
            self._box(node)
            return
        subs = node.nodes()
        # an item that carries a unit annotation is a measure wherever it stands, also under 保障措施
        if node.heading is not None and (task or node.roles) and node.style not in ("annex",):
            if node.roles and not any(_has_roles(s) for s in subs):
                if node.head.roles and any(isinstance(c, Para) and c.roles for c in node.children):
                    # the item's own line and its paragraphs each carry an annotation: each is a measure
                    self._node_measure(node, absorb=False)
                    self._paragraph_measures(node)
                else:
                    self._node_measure(node, absorb=True)
                return
            if node.roles:
                self._node_measure(node, absorb=False)
            elif not subs and _is_item(node):
                if self._paragraph_measures_apply(node):
                    self._paragraph_measures(node)
                else:
                    self._node_measure(node, absorb=True)
                return
        if task and node.heading is not None:
            self._paragraph_measures(node)
        before_goals = self._parts_before_goals(subs)
        for k, sub in enumerate(subs):
            self._visit(sub, self._is_task(sub, task, k < before_goals))

    def _paragraph_measures_apply(self, node: Node) -> bool:
        """A title-only heading over several paragraphs is a section of paragraph measures."""
        paras = [c for c in node.children if isinstance(c, Para) and not _is_indicator_text(c.text)]
        has_body = len(node.heading.rest) > len(node.title) + 2 if node.heading else False
        return not has_body and len(paras) >= 2

    def _node_measure(self, node: Node, absorb: bool) -> None:
        head = node.head
        parts = [_without_annotation(head)]
        end = head.end
        if absorb:
            for block in _descendant_blocks(node):
                if isinstance(block, Para):
                    parts.append(_without_annotation(block))
                    end = max(end, block.end)
                elif isinstance(block, Units):
                    end = max(end, block.line.end)
                elif isinstance(block, Node) and block.header_para is not None:
                    parts.append(_without_annotation(block.header_para))
                    end = max(end, block.end)
        else:
            for child in node.children:
                if isinstance(child, Units):
                    end = max(end, child.line.end)
        text = "\n".join(p for p in parts if p)
        if absorb and not node.roles and len(text) - len(node.title) < 6:
            return  # a heading with no content of its own
        self._add_measure(
            number=node.number,
            title=node.title,
            path=node.parent.path() if node.parent else [],
            text=text,
            start=head.start,
            end=end,
            line=head.line,
            roles=node.roles,
            kind="item",
        )

    def _paragraph_measures(self, node: Node) -> None:
        if node.style.startswith("md") and _DOC_TITLE.search(node.rest):
            return  # the notice and preamble under a document's own title
        candidates = [c for c in node.children if isinstance(c, Para) and _is_commitment(c)]
        others = [c for c in node.children if isinstance(c, Node | TableBlock)]
        for para in candidates:
            text = _without_annotation(para)
            title = paragraph_title(text)
            lead_in = not title and not para.roles and para is candidates[0] and len(candidates) + len(others) > 1
            if lead_in and _sentences(text) <= 1:
                continue  # the section's introductory paragraph: one sentence that frames the rest
            end = para.end
            k = node.children.index(para)
            while k + 1 < len(node.children) and isinstance(node.children[k + 1], Units):
                k += 1
                end = node.children[k].line.end
            self._add_measure(
                number="",
                title=title,
                path=node.path(),
                text=text,
                start=para.start,
                end=end,
                line=para.line,
                roles=para.roles,
                kind="paragraph",
            )

    def _add_measure(self, *, number, title, path, text, start, end, line, roles, kind) -> None:
        unit_roles, leads, resps = self._roles(roles)
        self.measures.append(
            Measure(
                id=ids.measure_id(self.doc_id, start),
                number=number,
                title=title,
                section_path=list(path),
                text=text,
                lead_units=leads,
                responsible_units=resps,
                unit_roles=unit_roles,
                targets=find_targets(self.text[start:end], start),
                start=start,
                end=end,
                line=line,
                kind=kind,
                units_unlabelled=bool(roles and roles.unlabelled),
                list_ends_with_deng=bool(roles and roles.ends_with_deng),
            )
        )

    def _roles(self, roles: RoleList | None) -> tuple[list[UnitRole], list[str], list[str]]:
        if not roles:
            return [], [], []
        unit_roles = [UnitRole(name, role, label, self.resolver.resolve(name)) for name, role, label in roles.roles]
        leads = _dedupe([r.name for r in unit_roles if r.role == LEAD])
        resps = _dedupe([r.name for r in unit_roles if r.role == RESPONSIBLE])
        return unit_roles, leads, resps

    # --- duties -------------------------------------------------------------------------------

    def _duty_section(self, node: Node) -> None:
        """The duty passages of a 职责分工 part: its heading's body and every paragraph below it; a
        heading below it that is nothing but units (（一）区交通委) holds the duties of those units,
        unless its paragraphs open with units of their own (总路长：… under 1.区级路长及路政员). A
        passage's section is the part it stands in (an item's heading stands in its parent); an
        organisation part inside (（一）组织构架) holds none."""
        self._duty_block(node.head, node.parent.path() if node.parent else [])
        for child in node.children:
            if isinstance(child, Para):
                self._duty_block(child, node.path())
            elif isinstance(child, Node) and not _ORGANISATION.search(child.title):
                names = heading_units(child.rest)
                opens = any(isinstance(c, Para) and duty_passages(self.text, c.start, c.end) for c in child.children)
                if names and not opens:
                    text = self.text[child.head.start : child.end]
                    self._add_duties(names, text, node.path(), child.head.start, child.end, child.head.line)
                else:
                    self._duty_section(child)

    def _duty_block(self, para: Para, path: list[str]) -> None:
        for passage in duty_passages(self.text, para.start, para.end):
            text = self.text[passage.start : passage.end]
            line = next(ln.no for ln in reversed(para.lines) if ln.start <= passage.start)
            self._add_duties(passage.units, text, path, passage.start, passage.end, line)

    def _add_duties(self, names: list[str], text: str, path: list[str], start: int, end: int, line: int) -> None:
        if start in self.duty_starts:
            return  # a duty part inside another (五、组织构架和职责分工, then （二）职责分工) is read once
        self.duty_starts.add(start)
        for order, name in enumerate(names):
            duty_id = ids.duty_id(self.doc_id, start, order)
            self.duties.append(Duty(duty_id, name, self.resolver.resolve(name), text, path, start, end, line))

    # --- projects -----------------------------------------------------------------------------

    def _box(self, node: Node) -> None:
        subs = node.nodes()
        for sub in subs:
            self._visit(sub, False)
        if node.box:
            for child in node.children:
                if isinstance(child, Para) and not subs and len(child.text) > 6:
                    self._add_project(
                        paragraph_title(child.text) or child.text[:30], _column(node), child.text, child, child.roles
                    )
            return
        if subs:
            return
        head = node.head
        paras = [p for p in node.children if isinstance(p, Para)]
        if node.title == node.rest.rstrip("。") and paras and all(paragraph_title(p.text) for p in paras):
            for para in paras:  # a group heading over titled project paragraphs
                self._add_project(paragraph_title(para.text), _column(node), para.text, para, para.roles)
            return
        parts = [_without_annotation(head)] + [_without_annotation(p) for p in paras]
        name = re.sub(r"^\d{1,2}\s+", "", node.title or node.rest[:30])
        self._add_project(name, _column(node.parent), "\n".join(parts), head, node.roles, end=node.end)

    def _add_project(self, name: str, column: str, text: str, para: Para, roles, end: int = 0) -> None:
        unit_roles, leads, resps = self._roles(roles)
        self.projects.append(
            Project(
                id=ids.project_id(self.doc_id, para.start),
                name=name,
                column=column,
                text=text,
                lead_units=leads,
                responsible_units=resps,
                unit_roles=unit_roles,
                start=para.start,
                end=max(end, para.end),
                line=para.line,
                units_unlabelled=bool(roles and roles.unlabelled),
                list_ends_with_deng=bool(roles and roles.ends_with_deng),
            )
        )

    # --- tables -------------------------------------------------------------------------------

    def _table(self, table: Table, node: Node, task: bool) -> None:
        if table.kind == "indicator":
            cumulative_note = any("累计" in note for note in table.notes)
            for raw in indicators_from_table(table):
                self._add_indicator(raw, None, cumulative_note)
        elif table.kind == "task":
            self._task_table(table, node)
        elif table.kind == "project":
            self._project_table(table, node)
        elif table.kind == "task_list":
            self._task_list(table, node)
        elif table.kind == "duties":
            path = node.path() + ([table.title] if table.title else [])
            for row in table.rows:
                names, _ = split_units(row[0].text)
                text = "\n".join(c.text for c in row[1:])
                self._add_duties(names, text, path, row[0].start, row[-1].end, row[0].line.no)
        elif node.in_box() is not None:
            for row in table.rows:
                self._box_row(row, node)

    def _box_row(self, row: list[Cell], node: Node) -> None:
        cells = [c for c in row if c.text]
        if not cells:
            return
        if re.fullmatch(r"\d{1,3}", cells[0].text):
            cells = cells[1:]
        if not cells:
            return
        raw = cells[0].line.raw
        bold = re.search(r"<b>(.*?)</b>|\*\*(.+?)\*\*", raw)
        text = " ".join(c.text for c in cells)
        if bold:
            name = (bold.group(1) or bold.group(2)).strip()
        else:
            lead = re.match(r"^(\S{2,30})\s+\S", cells[0].text)  # 城乡公共服务一体发展 按照统一标准…
            name = lead.group(1) if lead else (paragraph_title(text) or cells[0].text[:30])
        para = Para([cells[0].line], text)
        column_node = node.in_box()
        self._add_project(re.sub(r"<[^>]+>", "", name), _column(column_node), text, para, None, end=row[-1].end)

    def _project_table(self, table: Table, node: Node) -> None:
        """重点项目清单: one project per numbered row; a 一/水安全 category row is cut off its end."""
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
            para = Para(name_cell.lines, text)
            self._add_project(name_cell.text, table.title or node.label(), text, para, None, end=row[-1].end)

    def _task_table(self, table: Table, node: Node) -> None:
        """One measure per row. Merged cells are missing from later rows, so cells are aligned on the
        task cell when its number (（1）) shows, else to the right, and missing ones are inherited."""
        header = table.header
        unit_cols = [h for h in header if re.search(r"牵头|配合|责任|协同|参与|主体", h)]
        first_unit = header.index(unit_cols[0]) if unit_cols else len(header)
        text_at = [k for k, h in enumerate(header[:first_unit]) if not _TIME_HEADER.search(h)]
        text_cols = [header[k] for k in text_at]
        task_col = next(
            (k for k, h in enumerate(text_cols) if re.search(r"重点任务|工作任务|主要任务|任务名称|项目名称", h)), None
        )
        if task_col is None:
            task_col = next(
                (k for k, h in enumerate(text_cols) if re.search(r"任务|工作|项目", h) and "内容" not in h), None
            )
        number_col = next((k for k, h in enumerate(text_cols) if "序号" in h), None)
        inherited: list[str] = [""] * len(text_cols)
        category = ""
        for row in table.rows:
            if table.layout == "tsv":
                texts = [row[k] for k in text_at if k < len(row)]
                units = row[first_unit : first_unit + len(unit_cols)]
            else:
                marker = next(k for k, c in enumerate(row) if c.text == "\x00units")
                texts, units = row[:marker], [c for c in row[marker + 1 :] if not is_time_cell(c.text)]
                if len(text_cols) < first_unit and texts and is_time_cell(texts[-1].text):
                    texts = texts[:-1]  # the time column's cell, just before the units, is not task text
                while len(texts) > 2 and _GROUP_NUMBER.match(texts[0].text) and not _SERIAL.match(texts[1].text):
                    category, texts = texts[1].text, texts[2:]  # 一 | 推进综合管理: a group row above the rows
            if not texts:
                continue
            values = [c.text for c in texts]
            anchor = next((k for k, v in enumerate(values) if _TASK_NUMBER.match(v)), None)
            if anchor is None and number_col == 0 and _SERIAL.match(values[0]) and len(text_cols) >= 2:
                path = node.path() + ([category] if category else [])
                self._serial_row(texts, units, unit_cols, text_cols, task_col, path)
                continue
            split = task_col if anchor is not None and task_col is not None else len(text_cols) - 1
            at = anchor if anchor is not None and task_col is not None else max(0, len(values) - 1)
            before, after = values[:at], values[at:]
            if len(before) > split:
                category, before = " ".join(before[: len(before) - split]), before[len(before) - split :]
            aligned = inherited[: split - len(before)] + before + after[: len(text_cols) - split]
            if table.layout == "tsv":
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
            title = title.rstrip("。.")
            content = " ".join(after) if anchor is not None else (values[-1] if values else "")
            roles = self._table_roles(units, unit_cols, texts[0].line.no)
            end = max(c.end for c in texts + units if c.lines)
            groups = [v for v in aligned[:split] if v and v != "—"] if anchor is not None else []
            path = node.path() + ([category] if category else []) + groups
            self._add_measure(
                number=number,
                title=title or paragraph_title(content),
                path=path,
                text=content,
                start=texts[0].start,
                end=end,
                line=texts[0].line.no,
                roles=roles,
                kind="table_row",
            )

    def _task_list(self, table: Table, node: Node) -> None:
        """Numbered tasks with no unit column (重点任务 | 序号 | 举措 | 主要内容): one measure a row. A group
        printed in a column before 序号 stands before its first row's number, so at the end of the row
        above; a group that names safeguards (保障措施) holds no measures."""
        group = ""
        for k, row in enumerate(table.rows):
            at = next((j for j, c in enumerate(row) if _SERIAL.match(c.text)), None)
            if at is None:
                continue
            if at:
                group = " ".join(c.text for c in row[:at])
            cells = row[at + 1 :]
            following = ""
            if k + 1 < len(table.rows) and len(cells) > 2 and _is_group_cell(cells[-1].text):
                cells, following = cells[:-1], cells[-1].text  # the next row's group
            if cells and not _names_a_context_part(group):
                content = cells[-1].text
                title = cells[0].text if len(cells) > 1 and len(cells[0].text) <= 40 else paragraph_title(content)
                self._add_measure(
                    number=row[at].text,
                    title=title.rstrip("。."),
                    path=node.path() + ([group] if group else []),
                    text="\n".join(c.text for c in cells),
                    start=cells[0].start,
                    end=cells[-1].end,
                    line=cells[0].line.no,
                    roles=None,
                    kind="table_row",
                )
            group = following or group

    def _serial_row(
        self,
        texts: list[Cell],
        units: list[Cell],
        unit_cols: list[str],
        text_cols: list[str],
        task_col: int | None,
        path: list[str],
    ) -> None:
        """A task row that starts with its serial number (1 | … | 具体工作): the number is the first
        column's and the last cell the last column's (the work itself), whatever merged cells between
        them are missing; a task name printed in the row titles it, else the work's opening phrase."""
        number, content = texts[0].text, texts[-1].text if len(texts) > 1 else ""
        middle = [c.text for c in texts[1:-1]]
        between = text_cols[1:-1]
        named = dict(zip(range(len(between) - len(middle) + 1, len(between) + 1), middle, strict=True))
        title = named.get(task_col, "") if task_col is not None and 0 < task_col < len(text_cols) - 1 else ""
        if task_col == len(text_cols) - 1 and len(content) <= 40 and "。" not in content.rstrip("。"):
            title = content  # the work is a task name (重点任务 | 建设企业服务中心), not a paragraph
        end = max(c.end for c in texts + units if c.lines)
        self._add_measure(
            number=number,
            title=(title or paragraph_title(content)).rstrip("。."),
            path=path,
            text=content,
            start=texts[0].start,
            end=end,
            line=texts[0].line.no,
            roles=self._table_roles(units, unit_cols, texts[0].line.no),
            kind="table_row",
        )

    def _table_roles(self, units: list[Cell], unit_cols: list[str], line: int) -> RoleList:
        cells = [c for c in units if c.text]
        if not unit_cols:
            return RoleList([])
        if len(cells) < len(unit_cols) and (len(cells) != 1 or len(unit_cols) != 1):
            self.problems.append(
                Problem(line, f"task row has {len(cells)} unit cells for {len(unit_cols)} unit columns")
            )
        assignment: list[tuple[str, Cell]] = []
        extra = max(0, len(cells) - len(unit_cols))
        for k, cell in enumerate(cells):
            column = unit_cols[0] if k <= extra else unit_cols[min(k - extra, len(unit_cols) - 1)]
            assignment.append((column, cell))
        roles: list[tuple[str, str, str]] = []
        deng = False
        for column, cell in assignment:
            if not is_unit_cell(cell.text) or re.fullmatch(r"[—–\-/／]+|无", cell.text):
                continue
            names, d = split_units(cell.text)
            deng = deng or d
            role = LEAD if column.startswith(("牵头", "主责")) else RESPONSIBLE
            roles.extend((name, role, column) for name in names)
        return RoleList(roles, ends_with_deng=deng)

    # --- indicators ---------------------------------------------------------------------------

    def _indicator_line(self, para: Para, goals: bool) -> None:
        """An indicator printed as a line: —2025年…（预期性）anywhere, or one figure on a line of a goals part."""
        raw = indicator_from_line(para.text, para.start, para.end, para.line)
        if raw is None and goals:
            raw = indicator_from_goal(para.text, para.start, para.end, para.line)
        if raw is not None:
            self._add_indicator(raw, para.roles, False)

    def _add_indicator(self, raw: RawIndicator, roles: RoleList | None, cumulative_note: bool) -> None:
        unit_roles, leads, resps = self._roles(roles)
        base, target = read_value(raw.baseline), read_value(raw.target)
        comparator = target.comparator or raw.comparator_hint
        cumulative = (raw.cumulative_marks and cumulative_note) or "累计" in raw.name
        self.indicators.append(
            Indicator(
                id=ids.indicator_id(self.doc_id, raw.start),
                name=raw.name,
                unit=raw.unit or target.unit or base.unit,
                domain=raw.domain,
                baseline_year=raw.baseline_year,
                baseline=raw.baseline,
                baseline_value=base.number,
                target_year=raw.target_year,
                target=raw.target,
                target_value=target.number,
                comparator=comparator,
                cumulative=cumulative,
                nature=raw.nature,
                lead_units=leads,
                responsible_units=resps,
                unit_roles=unit_roles,
                start=raw.start,
                end=raw.end,
                line=raw.line,
                source_form=raw.source_form,
            )
        )


_TASK_NUMBER = re.compile(r"^[(（]\d{1,3}[)）]")
_SERIAL = re.compile(r"^\d{1,3}$")
_GROUP_NUMBER = re.compile(r"^[一二三四五六七八九十]{1,3}[、.]?$")
_TIME_HEADER = re.compile(r"时限|时间|进度|期限|节点")
_CLOSING = re.compile(r"^本(?:意见|方案|实施方案|规划|办法|通知|计划)自.{0,30}(?:施行|实施)|由.{1,20}负责解释")


def _column(node: Node | None) -> str:
    """A project's column: the 专栏 heading as printed, or the title of the group inside a box."""
    if node is None or node.heading is None:
        return ""
    return node.head.text.rstrip("。") if node.box else node.title


def _add_roles(target, roles: RoleList) -> None:
    current = target.roles
    if current:
        target.roles = RoleList(
            current.roles + roles.roles,
            current.unlabelled and roles.unlabelled,
            current.ends_with_deng or roles.ends_with_deng,
        )
    else:
        target.roles = roles


def _is_group_cell(text: str) -> bool:
    return len(text) <= 16 and not re.search(r"[。；;，,\d]", text)


def _first_line(node: Node) -> str:
    """The line under a bare heading (附表1： over the table's title)."""
    first = next((c for c in node.children if isinstance(c, Para)), None)
    return first.lines[0].clean if first is not None else ""


def _names_a_context_part(title: str) -> bool:
    """总体要求, 发展基础, 保障措施 …: a heading of a part that holds no measures. A long title is a
    heading run into its first paragraph (web pages stored as one line: 一、总体要求深入贯彻…): its
    opening words decide."""
    return bool(NON_TASK.search(title) if len(title) <= 20 else NON_TASK.search(title[:8]))


def _holds_indicator_table(node: Node) -> bool:
    return any(isinstance(block, TableBlock) and block.table.kind == "indicator" for block in _descendant_blocks(node))


def _has_roles(node: Node) -> bool:
    return bool(node.roles) or any(_has_roles(s) for s in node.nodes())


def _is_item(node: Node) -> bool:
    return node.style in ("cn", "pcn", "ar", "par", "circ") or (node.style.startswith("md") and bool(node.number))


def _descendant_blocks(node: Node) -> list:
    out: list = []
    for child in node.children:
        out.append(child)
        if isinstance(child, Node):
            out.extend(_descendant_blocks(child))
    return out


def _without_annotation(para: Para | None) -> str:
    if para is None:
        return ""
    text = para.text
    if para.roles and para.roles_label_start >= 0:
        text = text[: para.roles_label_start]
    return text.strip()


def _is_commitment(para: Para) -> bool:
    """Could this paragraph be a measure at all (not a note, a table title, a lead-in or a closing)?"""
    text = _without_annotation(para)
    if _is_indicator_text(para.text) or len(text) < 15 or text.endswith((":", "：")):
        return False
    return not (re.match(r"^(注|备注|说明)[:：]|^表\s*\d|^图\s*\d", text) or _CLOSING.search(text))


def _sentences(text: str) -> int:
    return len([s for s in re.split(r"[。！？!?]", text) if len(s.strip()) > 4])


def _is_indicator_text(text: str) -> bool:
    return bool(re.search(r"[(（](预期性|约束性)[)）]\s*[。.]?$", text))
