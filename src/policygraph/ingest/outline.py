"""The outline: lines grouped into paragraphs, tables and annotations under a tree of headings.

Heading ladders nest by the order in which their styles first appear (a document that starts at
（一） has no 一、 above it), except that 附件, 第X章, 第X节 and unnumbered part names (工作安排)
always sit at fixed depths. Lines broken
by page breaks are joined back into their paragraph; page numbers and table-of-contents entries are
dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from policygraph.ingest.lines import TERMINAL, Heading, Line, is_page_furniture, is_toc_entry, parse_heading
from policygraph.ingest.normalize import strip_markup
from policygraph.ingest.roles import RoleList, own_line_annotation, trailing_annotation
from policygraph.ingest.table_finder import find_tables
from policygraph.ingest.tables import Layout, Table

_FIXED_RANK = {"annex": 0, "chapter": 1, "bare": 1, "section": 2}
_BOX_TITLE = re.compile(r"专栏|^(?:重点|重大)(?:项目|工程)(?:清单|表|安排)?$")


@dataclass
class Para:
    lines: list[Line]
    text: str  # cleaned lines joined
    roles: RoleList | None = None
    roles_label_start: int = -1  # offset in ``text`` where an inline annotation begins

    @property
    def start(self) -> int:
        return self.lines[0].start

    @property
    def end(self) -> int:
        return self.lines[-1].end

    @property
    def line(self) -> int:
        return self.lines[0].no


@dataclass
class Units:
    line: Line
    roles: RoleList


@dataclass
class TableBlock:
    table: Table


@dataclass
class Node:
    heading: Heading | None
    line: Line | None
    parent: Node | None = None
    children: list = field(default_factory=list)
    header_para: Para | None = None  # the heading line itself (with the body of an item)
    roles: RoleList | None = None
    box: bool = False

    @property
    def head(self) -> Para:
        """The heading's paragraph, of a node known to have a heading (every node but the root)."""
        if self.header_para is None:
            raise ValueError("the root of an outline has no heading")
        return self.header_para

    @property
    def style(self) -> str:
        return self.heading.style if self.heading else "root"

    @property
    def number(self) -> str:
        return self.heading.number if self.heading else ""

    @property
    def rest(self) -> str:
        """The heading line after its number, as printed (not folded)."""
        if self.heading is None:
            return ""
        printed = self.header_para.text.strip() if self.header_para else ""
        number = self.heading.number
        return printed[len(number) :].lstrip(" 、.．") if number and printed.startswith(number) else self.heading.rest

    @property
    def title(self) -> str:
        return heading_title(self.rest) if self.heading else ""

    def nodes(self) -> list[Node]:
        return [c for c in self.children if isinstance(c, Node)]

    def path(self) -> list[str]:
        out: list[str] = []
        node: Node | None = self
        while node is not None and node.heading is not None:
            out.append(node.label())
            node = node.parent
        return out[::-1]

    def label(self) -> str:
        number = self.number
        title = self.title or self.rest
        return f"{number}{title}" if number else title

    def in_box(self) -> Node | None:
        node: Node | None = self
        while node is not None:
            if node.box:
                return node
            node = node.parent
        return None

    @property
    def end(self) -> int:
        last = self
        while last.children:
            tail = last.children[-1]
            if isinstance(tail, Node):
                last = tail
                continue
            return block_end(tail)
        return last.header_para.end if last.header_para else (last.line.end if last.line else 0)


def descendant_blocks(node: Node) -> list[Node | Para | Units | TableBlock]:
    """Everything under a node, in document order."""
    out: list[Node | Para | Units | TableBlock] = []
    for child in node.children:
        out.append(child)
        if isinstance(child, Node):
            out.extend(descendant_blocks(child))
    return out


def block_end(block) -> int:
    if isinstance(block, Para):
        return block.end
    if isinstance(block, Units):
        return block.line.end
    if isinstance(block, TableBlock):
        return block.table.rows[-1][-1].end if block.table.rows and block.table.rows[-1][-1].lines else 0
    return block.end


def heading_title(rest: str) -> str:
    """The heading phrase of an item: text before the first 。 when short, else the short line itself."""
    rest = rest.strip()
    match = re.match(r"^(.{2,40}?)(?:[。:：]|[.．](?![\d０-９]))", rest)
    if match and not re.search(r"[,，;；]", match.group(1)):
        return match.group(1).strip()
    if len(rest) <= 40 and "。" not in rest:
        return rest.rstrip("。.．")
    return ""


def paragraph_title(text: str) -> str:
    """'学前教育提质扩容。每个中心镇…' → 学前教育提质扩容; '' for a paragraph with no heading phrase."""
    match = re.match(r"^(.{2,30}?)[。:：]", text.strip())
    if match and not re.search(r"[,，;；、“”]|^\d", match.group(1)) and len(text) > len(match.group(0)) + 4:
        return match.group(1).strip()
    return ""


def build_outline(lines: list[Line]) -> tuple[Node, list[Table]]:
    tables = find_tables(lines)
    owned: dict[int, Table] = {}
    for table in tables:
        for k in range(table.first, table.last):
            owned[k] = table
    root = Node(None, None)
    stack: list[Node] = [root]
    pending: list[Line] = []  # lines of the paragraph being read
    outside_styles: set[str] = set()  # heading styles the body uses outside 专栏 boxes
    in_toc = False

    def flush() -> None:
        if pending:
            para = _paragraph(list(pending))
            stack[-1].children.append(para)
            pending.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        held = owned.get(i)
        if held is not None:
            flush()
            if held.first == i:
                stack[-1].children.append(TableBlock(held))
            i = held.last
            if stack[-1].box and held.layout is Layout.TSV:
                stack.pop()  # a box that is a table ends with it
            continue
        i += 1
        if line.blank:
            continue
        if re.fullmatch(r"目\s*录", line.clean.lstrip("#").strip()):
            flush()
            in_toc = True
            continue
        if is_page_furniture(line):
            continue
        if is_toc_entry(line) and (in_toc or parse_heading(line) is not None):
            continue
        heading = parse_heading(line)
        if heading is not None and in_toc and heading.style.startswith("md"):
            continue
        in_toc = False
        annotation = own_line_annotation(line.raw)
        if annotation is not None:
            flush()
            stack[-1].children.append(Units(line, annotation))
            continue
        if heading is not None and heading.style == "annex" and not root.nodes():
            continue  # 附件1 printed above the title of an attached plan labels the whole file
        if heading is not None and not _is_sentence_not_heading(heading):
            flush()
            node = Node(heading, line)
            node.header_para = _paragraph([line])
            node.box = heading.style == "box" or bool(_BOX_TITLE.search(heading.rest) and len(heading.rest) <= 20)
            _close_box_before(stack, node, outside_styles)
            _push(stack, node)
            if node.in_box() is None:
                outside_styles.add(node.style)
            continue
        if pending and _continues(pending[-1], line):
            pending.append(line)
            continue
        flush()
        pending.append(line)
    flush()
    _join_broken_items(root)
    return root, tables


def _is_sentence_not_heading(heading: Heading) -> bool:
    """'2025年…' never matches; a markdown '#' line whose text is a whole paragraph is a paragraph."""
    return heading.style.startswith("md") and len(heading.rest) > 60


def _close_box_before(stack: list[Node], node: Node, outside_styles: set[str]) -> None:
    """A 专栏 box printed as a heading and a few lines ends where the body's own ladder resumes."""
    boxes = [k for k, n in enumerate(stack) if n.style == "box" and n.children]
    if boxes and node.style in outside_styles and node.style != "box":
        del stack[boxes[0] :]


def _push(stack: list[Node], node: Node) -> None:
    style = node.style
    rank = _FIXED_RANK.get(style)
    if rank is not None:
        while len(stack) > 1 and _FIXED_RANK.get(stack[-1].style, 99) >= rank:
            stack.pop()
    else:
        styles = [n.style for n in stack]
        if style in styles:
            while stack[-1].style != style:
                stack.pop()
            stack.pop()
    node.parent = stack[-1]
    stack[-1].children.append(node)
    stack.append(node)


def _continues(previous: Line, line: Line) -> bool:
    """Is ``line`` the rest of a sentence that a page break cut after ``previous``?"""
    prev = previous.clean
    if not prev or prev.endswith(TERMINAL) or len(prev) < 20:
        return False
    if re.match(r"^(表|图)\s*\d", prev):
        return False
    return not re.match(r"^[—\-]{1,2}|^注[:：]", line.clean)


def _join_broken_items(node: Node) -> None:
    """An item line cut by a page break continues in the paragraph right after it, unless the line is a
    title and the paragraph opens with a heading phrase of its own ((二)不断深化“四网融合”的公共交通系统 over
    加快构建多层次的轨道交通网络。…): a long title, not a sentence cut short."""
    for child in node.nodes():
        _join_broken_items(child)
    if node.header_para is not None and node.children:
        first = node.children[0]
        head = node.header_para
        titled = isinstance(first, Para) and len(paragraph_title(first.text)) >= 4
        title_only = not re.search(r"[，,。；;：:]", head.text)
        if title_only and isinstance(first, Para) and (titled or not _mid_phrase(first.text)):
            return
        if isinstance(first, Para) and head.lines and _continues(head.lines[-1], first.lines[0]):
            node.header_para = _paragraph(head.lines + first.lines)
            node.children.pop(0)


def _mid_phrase(text: str) -> bool:
    """Does a paragraph open as the rest of a phrase (的…, 和…, a closing bracket or quote) rather than
    as a sentence of its own?"""
    return bool(re.match(r"^[的和及与等了着过地得之并或]|^[)）》”’]", text.strip()))


def _paragraph(lines: list[Line]) -> Para:
    text = "".join(strip_markup(line.raw).strip() for line in lines)
    para = Para(lines, text)
    found = trailing_annotation(text)
    if found is not None:
        para.roles_label_start, para.roles = found
    return para
