"""The extractor: one decoded text in, one ``Document`` out.

read → mask personal data → lines → outline (headings, paragraphs, tables, annotations) → facts:
measures, projects, indicators, duties, units. The walk over the outline is here (``_Walker``);
which parts are task parts is ``sections``, tables are read by ``table_readers``, ``indicators``
and ``duties``, and every fact is added through ``facts``.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from pathlib import Path

from policygraph import ids
from policygraph.ingest.box_items import box_items
from policygraph.ingest.duties import read_duty_section, read_duty_table, read_inline_duties
from policygraph.ingest.duty_passages import duty_passages, is_duty_heading
from policygraph.ingest.facts import Facts
from policygraph.ingest.indicators import (
    indicator_from_goal,
    indicator_from_line,
    indicators_from_matrix,
    indicators_from_table,
    indicators_run_together,
)
from policygraph.ingest.lines import split_lines
from policygraph.ingest.metadata import read_metadata
from policygraph.ingest.outline import (
    Node,
    Para,
    TableBlock,
    Units,
    build_outline,
    descendant_blocks,
    paragraph_title,
)
from policygraph.ingest.privacy import mask_personal_data
from policygraph.ingest.readers import read_source
from policygraph.ingest.roles import RoleList
from policygraph.ingest.sections import GOALS_TITLE, Sections, names_a_context_part, part_name
from policygraph.ingest.table_readers import read_box_row, read_project_table, read_task_list, read_task_table
from policygraph.ingest.tables import Table, TableKind
from policygraph.ingest.units import Jurisdiction, UnitResolver
from policygraph.model import Document, Problem

_FILE = re.compile(r"\.(?:pdf|docx?|xlsx?|wps|ofd|zip|rar)$", re.IGNORECASE)  # an attachment's file name
_DOC_TITLE = re.compile(r"关于|(?:通知|规划|方案|意见|计划|纲要|报告)(?:[(（].*[)）])?$")


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
    facts = Facts(doc_id, text, resolver)
    _Walker(facts, Sections(meta.doc_type == "研究报告", meta.parent_region)).walk(root)
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
        measures=sorted(facts.measures, key=lambda m: m.start),
        indicators=sorted(facts.indicators, key=lambda i: i.start),
        projects=sorted(facts.projects, key=lambda p: p.start),
        duties=sorted(facts.duties, key=lambda d: (d.start, d.id)),
        units=resolver.units(),
        problems=sorted(facts.problems, key=lambda p: p.line),
        text_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        chars=len(text),
    )


class _Walker:
    """Walks the outline and decides what is a measure or a project.

    Measures are the leaf commitments of task parts (``sections``): numbered items; any item or
    paragraph that carries a unit annotation, wherever it stands (its sub-items then belong to it);
    each row of a task table; and each paragraph of a task part, titled by its heading phrase when it
    has one, except a part's introductory paragraph. Items inside 专栏 boxes are projects.
    """

    def __init__(self, facts: Facts, sections: Sections) -> None:
        self.facts = facts
        self.sections = sections

    def walk(self, root: Node) -> None:
        self.settle_roles(root)
        self._visit(root, task=False)

    # --- annotations --------------------------------------------------------------------------

    def settle_roles(self, node: Node) -> None:
        """Attach own-line annotations to what they follow; an annotation after the last of several
        unannotated sub-items belongs to the heading above them."""
        target: Node | Para | None = None
        for k, child in enumerate(node.children):
            if isinstance(child, Units):
                if k == 0 or (isinstance(node.children[k - 1], Units) and target is node):
                    target = node
                elif node.heading is not None and _labelled_paragraphs(node.children[:k]):
                    target = node  # 社区养老：… 居家养老：… then one annotation: the heading's measure
                elif isinstance(node.children[k - 1], Para | Node):
                    target = node.children[k - 1]
                if target is None:
                    self.facts.problem(child.line.no, "unit annotation follows no measure")
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

    def _visit(self, node: Node, task: bool, in_task_part: bool = False) -> None:
        """Read one part; ``task``: it is a task part; ``in_task_part``: the part holding it is."""
        if node.header_para is not None:  # （一）加强组织领导。…各成员单位职责如下：区X局：…
            read_inline_duties(self.facts, node.header_para, node.path())
        goals = not task and _in_goals(node)
        if goals and node.style in ("pcn", "ar", "par", "circ") and not node.children:  # （1）…至2025年…
            self._indicator_line(node.head, goals=True)
        for child in node.children:
            if isinstance(child, TableBlock):
                self._table(child.table, node)
            elif isinstance(child, Para):
                self._indicator_line(child, goals=goals)
                read_inline_duties(self.facts, child, node.path())
        # a duty part inside a task part: its items that hold no duty are the plan's items
        plain: set[int] = set()
        if node.heading is not None and is_duty_heading(part_name(node)):
            claimed = read_duty_section(self.facts, node)
            plain = {id(sub) for sub in node.nodes() if id(sub) not in claimed} if in_task_part else set()
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
                elif len(subs) >= 2 and all(_is_item(sub) for sub in subs):
                    # 2.落实属地主体责任 → (1)… (2)… (3)… (责任单位：…): the items are the measures, each
                    # with the units printed for them all
                    for sub in subs:
                        self._node_measure(sub, absorb=True, roles=node.roles)
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
        before_goals = self.sections.parts_before_goals(subs)
        for k, sub in enumerate(subs):
            if id(sub) in plain:  # not an organisation part (（一）组织构架), nor a duty part of its own
                sub_task = not (names_a_context_part(sub.title) or is_duty_heading(sub.title))
            else:
                sub_task = self.sections.is_task(sub, task, k < before_goals)
            self._visit(sub, sub_task, task)

    def _paragraph_measures_apply(self, node: Node) -> bool:
        """A title-only heading over several paragraphs is a section of paragraph measures."""
        paras = [c for c in node.children if isinstance(c, Para) and not _is_indicator_text(c.text)]
        has_body = len(node.heading.rest) > len(node.title) + 2 if node.heading else False
        if has_body or len(paras) < 2:
            return False
        # under a numbered sub-item (1. （1） ①) paragraphs are the item's body, not measures
        return node.style not in ("ar", "par", "circ") or any(p.roles for p in paras)

    def _node_measure(self, node: Node, absorb: bool, roles: RoleList | None = None) -> None:
        """The item ``node`` as one measure (with what it holds, if ``absorb``), with its own units or
        ``roles``, those printed for it and the items beside it."""
        roles = node.roles if roles is None else roles
        if _CLOSING.search(node.rest):
            return  # 五、本办法自…起实施，由…负责解释: the closing, numbered like a part
        head = node.head
        parts = [_without_annotation(head)]
        end = head.end
        if absorb:
            for block in descendant_blocks(node):
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
        if absorb and not roles and len(text) - len(node.title) < 6:
            return  # a heading with no content of its own
        self.facts.measure(
            number=node.number,
            title=node.title,
            path=node.parent.path() if node.parent else [],
            text=text,
            start=head.start,
            end=end,
            line=head.line,
            roles=roles,
            kind="item",
        )

    def _paragraph_measures(self, node: Node) -> None:
        if node.style.startswith("md") and _DOC_TITLE.search(node.rest):
            return  # the notice and preamble under a document's own title
        candidates = [c for c in node.children if isinstance(c, Para) and _is_commitment(c)]
        others = [c for c in node.children if isinstance(c, Node | TableBlock)]
        first_item = next((k for k, c in enumerate(node.children) if isinstance(c, Node) and _is_item(c)), None)
        for para in candidates:
            text = _without_annotation(para)
            title = paragraph_title(text)
            lead_in = (
                not title
                and not para.roles
                and para is candidates[0]
                and len(candidates) + len(others) > 1
                and not _BULLET.match(text)  # ●构建…: the first of a list of bullets introduces nothing
            )
            commits = _MODAL.search(text) or duty_passages(self.facts.text, para.start, para.end)
            if lead_in and _sentences(text) <= 1 and not commits:
                continue  # the introductory paragraph: one sentence that frames the rest and commits to nothing
            if first_item is not None and node.children.index(para) < first_item and not para.roles and not title:
                continue  # it introduces the numbered items below it, which are the measures
            end = para.end
            k = node.children.index(para)
            while k + 1 < len(node.children) and isinstance(node.children[k + 1], Units):
                k += 1
                end = node.children[k].line.end
            self.facts.measure(
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

    def _box(self, node: Node) -> None:
        subs = node.nodes()
        for sub in subs:
            self._visit(sub, False)
        if node.box:
            for child in node.children:
                if isinstance(child, Para) and not subs and len(child.text) > 6:
                    self._box_paragraph(child, _column(node))
            return
        if subs:
            return
        head = node.head
        paras = [p for p in node.children if isinstance(p, Para)]
        if node.title == node.rest.rstrip("。") and paras and all(paragraph_title(p.text) for p in paras):
            for para in paras:  # a group heading over titled project paragraphs
                self.facts.project(paragraph_title(para.text), _column(node), para.text, para, para.roles)
            return
        parts = [_without_annotation(head)] + [_without_annotation(p) for p in paras]
        name = re.sub(r"^\d{1,2}\s+", "", node.title or node.rest[:30])
        self.facts.project(name, _column(node.parent), "\n".join(parts), head, node.roles, end=node.end)

    def _box_paragraph(self, para: Para, column: str) -> None:
        """A box's paragraph: one project, or several run together (see ``box_items``)."""
        printed = self.facts.text[para.start : para.end]
        items = box_items(printed) if len(para.lines) == 1 else []
        if not items:
            self.facts.project(paragraph_title(para.text) or para.text[:30], column, para.text, para, para.roles)
        for item in items:
            text, at = printed[item.start : item.end], para.start + item.start
            self.facts.project(item.name, column, text, para, para.roles, part=(at, at + len(text)))

    # --- tables -------------------------------------------------------------------------------

    def _table(self, table: Table, node: Node) -> None:
        path = node.path()
        if table.kind is TableKind.INDICATOR:
            cumulative_note = any("累计" in note for note in table.notes)
            for raw in indicators_from_table(table):
                self.facts.indicator(raw, None, cumulative_note)
        elif table.kind is TableKind.MATRIX:
            for raw in indicators_from_matrix(table):
                self.facts.indicator(raw, None, False)
        elif table.kind is TableKind.TASK:
            read_task_table(self.facts, table, path)
        elif table.kind is TableKind.TASK_LIST:
            read_task_list(self.facts, table, path)
        elif table.kind is TableKind.PROJECT:
            read_project_table(self.facts, table, node.label())
        elif table.kind is TableKind.DUTIES:
            read_duty_table(self.facts, table, path + ([table.title] if table.title else []))
        elif node.in_box() is not None:
            for row in table.rows:
                read_box_row(self.facts, row, _column(node.in_box()))

    # --- indicators ---------------------------------------------------------------------------

    def _indicator_line(self, para: Para, goals: bool) -> None:
        """An indicator printed as a line: —2025年…（预期性）anywhere, or one figure on a line of a goals part;
        or a table's rows run into one line (a one-line page)."""
        run = indicators_run_together(self.facts.text[para.start : para.end], para.start, para.line)
        for row in run:
            self.facts.indicator(row, None, False)
        if run:
            return
        raw = indicator_from_line(para.text, para.start, para.end, para.line)
        if raw is None and goals:
            raw = indicator_from_goal(para.text, para.start, para.end, para.line)
        if raw is not None:
            self.facts.indicator(raw, para.roles, False)


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


_LABELLED = re.compile(r"^[^，,。；;：:\s]{2,12}[：:]")  # 社区养老：…, a paragraph opening with its subject


def _labelled_paragraphs(children: list) -> bool:
    """Do the blocks before an annotation end in two or more paragraphs that each open with their
    subject and a colon, none annotated? Such an annotation is the heading's, not the last one's."""
    run = list(itertools.takewhile(lambda c: isinstance(c, Para), reversed(children)))
    return len(run) >= 2 and all(_LABELLED.match(p.text) and not p.roles for p in run)


def _has_roles(node: Node) -> bool:
    return bool(node.roles) or any(_has_roles(s) for s in node.nodes())


def _in_goals(node: Node | None) -> bool:
    """Is this part a goals part (发展目标, 主要指标) or inside one?"""
    while node is not None:
        if GOALS_TITLE.search(node.title):
            return True
        node = node.parent
    return False


def _is_item(node: Node) -> bool:
    return node.style in ("cn", "pcn", "ar", "par", "circ") or (node.style.startswith("md") and bool(node.number))


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
    note = re.match(r"^[（(]?(注|备注|说明)[:：]|^表\s*\d|^图\s*\d", text)
    return not (note or _CLOSING.search(text) or _FILE.search(text))


_BULLET = re.compile(r"^[●•▪■◆◇○□·]")
_MODAL = re.compile(r"应当|必须|负责")  # what a paragraph that commits says (区道运中心应当设立…)


def _sentences(text: str) -> int:
    return len([s for s in re.split(r"[。！？!?]", text) if len(s.strip()) > 4])


def _is_indicator_text(text: str) -> bool:
    return bool(re.search(r"[(（](预期性|约束性)[)）]\s*[。.]?$", text))
