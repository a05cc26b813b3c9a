"""Render plans given as text into the files offices publish: .docx, .pdf (printed from the .docx by
LibreOffice) and .html (a government web page with its site chrome), into tests/data/rendered/.

The readers are measured on these (bench/format_fidelity.py, tests/test_rendered.py): each file must
give what its text gives. The .docx is laid out as offices lay out a 公文: A4, official margins, a
16 pt serif CJK body on a 28 pt line pitch with a two-character first-line indent, a centred title,
a running head and a page number in one of the forms offices print (— 3 —, - 3 -, 第 3 页 共 9 页,
3/9), tables as real ruled tables whose header row repeats on every page and whose merged cells are
real merges (vMerge, gridSpan). The development plans' headings are numbered by Word's automatic
numbering (w:numPr; 一、 （一） 1. （1）) wherever the typed numbers follow its counting, as many
offices never type their numbers; the samples keep typed numbers. Where the text's tables come from
is the ingest's own table finder: the fixtures test the readers' faithfulness to a layout, not the
finder.

Needs LibreOffice and the Noto CJK fonts (Debian: libreoffice-writer-nogui fonts-noto-cjk); the
output is committed, so neither CI nor a user needs them.

    .venv/bin/python scripts/render_fixtures.py          # every document below
    .venv/bin/python scripts/render_fixtures.py 32 001   # those whose file name starts so
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from policygraph.ingest.lines import split_lines  # noqa: E402
from policygraph.ingest.table_finder import find_tables  # noqa: E402
from policygraph.ingest.tables import Layout  # noqa: E402

OUT = Path(os.environ.get("RENDER_OUT", ROOT / "tests" / "data" / "rendered"))
SOURCES = [
    *sorted((ROOT / "ingest").glob("*.txt")),
    *(
        p
        for p in sorted([*(ROOT / "tests/data/corpus-dev").glob("*.txt"), *(ROOT / "tests/data/shapes").glob("*.txt")])
        if p.name[:2]
        in {"02", "05", "09", "11", "12", "15", "18", "32", "33", "34", "35", "36", "38", "39", "40", "41"}
    ),
]
SERIF, SANS = "Noto Serif CJK SC", "Noto Sans CJK SC"
PAGE_FORMS = ("— {PAGE} —", "- {PAGE} -", "第 {PAGE} 页 共 {NUMPAGES} 页", "{PAGE}/{NUMPAGES}")
CN = "一二三四五六七八九十"
LEVELS = (  # typed heading number → (level, its number as automatic numbering prints it)
    (re.compile(rf"^([{CN}]{{1,3}})、"), "chineseCounting", "%1、"),
    (re.compile(rf"^（([{CN}]{{1,3}})）"), "chineseCounting", "（%2）"),
    (re.compile(r"^(\d{1,2})[.．](?!\d)"), "decimal", "%3."),
    (re.compile(r"^（(\d{1,2})）"), "decimal", "（%4）"),
)


@dataclass
class Block:
    """A paragraph, or a table as rows of cells (None: merged into the cell above; a one-cell row spans)."""

    text: str = ""
    rows: list[list[str | None]] | None = None
    header_span: tuple[int, int] = (0, 0)  # (column, columns more) of a header cell spanning several


def blocks_of(text: str) -> list[Block]:
    """The text's paragraphs and, where the ingest finds a table, the table as a grid."""
    lines = split_lines(text)
    tables = {t.first: t for t in find_tables(lines)}
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        table = tables.get(i)
        if table is None:
            if not lines[i].blank:
                blocks.append(Block(lines[i].raw.strip().lstrip("#").strip()))
            i += 1
            continue
        rows = [[c.text for c in row] for row in table.rows]
        if table.header and len(table.header) >= 3:  # rows the finder read as one, chunked back
            size = len(table.header)
            rows = (
                [r[k : k + size] for r in rows for k in range(0, len(r), size)]
                if all(len(r) % size == 0 for r in rows if len(r) > size)
                else rows
            )
        width = max([len(table.header), *(len(r) for r in rows)])
        span = _header_span(table, rows, width)
        header = [*table.header[: span[0] + 1], *[""] * span[1], *table.header[span[0] + 1 :]]
        grid: list[list[str | None]] = [[*header, *[""] * (width - len(header))]] if table.header else []
        covered = {line.no - 1 for row in table.rows for cell in row for line in cell.lines}
        covered |= {j for j in range(table.first, table.last) if lines[j].clean in table.header}
        # the first column numbers the rows (序号 1, 2 … in every full row): a short row keeps its number there
        serial_first = all(re.fullmatch(r"\d{1,3}", r[0]) for r in rows if len(r) == width)
        for texts in rows:
            if len(texts) == 1 and width > 2:
                grid.append([texts[0]])
            elif table.layout == Layout.CELLS and serial_first and re.fullmatch(r"\d{1,3}", texts[0]):
                # a row keeps its serial number in the first column; the merged cells after it are missing
                grid.append([texts[0], *[None] * (width - len(texts)), *texts[1:]])
            elif table.layout == Layout.CELLS:
                grid.append([*[None] * (width - len(texts)), *texts])
            else:
                grid.append([*texts, *[""] * (width - len(texts))])
        for j, row in enumerate(grid):  # a merge continues a real cell, never a spanning row
            for k, cell in enumerate(row):
                if cell is None and (j == 0 or (j == 1 and table.header) or len(grid[j - 1]) == 1):  # nor the header
                    row[k] = ""
        blocks.append(Block(rows=grid, header_span=span if table.header else (0, 0)))
        blocks.extend(
            Block(lines[j].raw.strip())
            for j in range(table.first, table.last)
            if j not in covered and not lines[j].blank
        )
        i = table.last
    return blocks


def _header_span(table, rows: list[list[str]], width: int) -> tuple[int, int]:
    """Where a header narrower than its rows spans columns: over a column of serial numbers with no
    header of its own and the column after it (具体工作 over ``1 | 全力推进…``), as such tables print."""
    more = width - len(table.header)
    if more <= 0:
        return (0, 0)
    full = [row for row in rows if len(row) == width]
    for k in range(1, len(table.header)):
        if full and all(re.fullmatch(r"\d{1,3}", row[k]) for row in full):
            return (k, more)
    return (0, 0)


# --- docx -----------------------------------------------------------------------------------------


def _set_fonts(style_or_run, name: str, size: float, bold: bool = False) -> None:
    font = style_or_run.font
    font.name, font.size, font.bold = name, Pt(size), bold
    r_pr = style_or_run.element.get_or_add_rPr()
    r_pr.get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _field(paragraph, form: str) -> None:
    """A footer paragraph printing ``form`` with its {PAGE} and {NUMPAGES} as Word fields."""
    for piece in re.split(r"(\{PAGE\}|\{NUMPAGES\})", form):
        if not piece:
            continue
        if piece in ("{PAGE}", "{NUMPAGES}"):
            simple = OxmlElement("w:fldSimple")
            simple.set(qn("w:instr"), piece.strip("{}"))
            run = OxmlElement("w:r")
            text = OxmlElement("w:t")
            text.text = "1"
            run.append(text)
            simple.append(run)
            paragraph._p.append(simple)
        else:
            paragraph.add_run(piece)


def _numbering(document) -> int:
    """A list definition numbering headings as Chinese plans print them; returns its w:numId."""
    numbering = document.part.numbering_part.element
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), "90")
    for level, (_, fmt, text) in enumerate(LEVELS):
        lvl = OxmlElement("w:lvl")
        lvl.set(qn("w:ilvl"), str(level))
        for tag, value in (("w:start", "1"), ("w:numFmt", fmt), ("w:lvlText", text), ("w:suff", "nothing")):
            element = OxmlElement(tag)
            element.set(qn("w:val"), value)
            lvl.append(element)
        abstract.append(lvl)
    numbering.insert(0, abstract)
    num = numbering.add_num(90)
    return int(num.numId)


def _number(paragraph, num_id: int, level: int) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    num_pr = OxmlElement("w:numPr")
    for tag, value in (("w:ilvl", level), ("w:numId", num_id)):
        element = OxmlElement(tag)
        element.set(qn("w:val"), str(value))
        num_pr.append(element)
    p_pr.insert(0, num_pr)


class Counter:
    """Word's counting of one list: a level counts up, the levels below it start again."""

    def __init__(self) -> None:
        self.counts = [0] * len(LEVELS)

    def typed(self, text: str) -> tuple[int, str] | None:
        """(level, text without its number) when the typed number is the one Word would print next."""
        for level, (pattern, _, _) in enumerate(LEVELS):
            found = pattern.match(text)
            if found is None:
                continue
            value = found.group(1)
            number = int(value) if value.isdigit() else _chinese(value)
            if number != self.counts[level] + 1 or (level >= 2 and not self.counts[level - 1]):
                return None  # a level below one never counted: Word and LibreOffice count it apart
            self.counts[level] = number
            self.counts[level + 1 :] = [0] * (len(LEVELS) - level - 1)
            return level, text[found.end() :]
        return None


def _chinese(value: str) -> int:
    if value == "十":
        return 10
    if value.startswith("十"):
        return 10 + CN.index(value[1]) + 1
    if value.endswith("十"):
        return (CN.index(value[0]) + 1) * 10
    if "十" in value:
        return (CN.index(value[0]) + 1) * 10 + CN.index(value[2]) + 1
    return CN.index(value) + 1


def write_docx(blocks: list[Block], path: Path, page_form: str, numbered: bool) -> None:
    document = Document()
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = document.styles["Normal"]
    _set_fonts(normal, SERIF, 16)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = Pt(28)
    normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    title = blocks[0].text
    head = section.header.paragraphs[0]
    head.text = title if len(title) <= 30 else title[:28] + "…"
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    foot = section.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(foot, page_form)
    for paragraph in (head, foot):
        paragraph.paragraph_format.first_line_indent = Pt(0)
        paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        for run in paragraph.runs:
            _set_fonts(run, SERIF, 10.5)
    num_id = _numbering(document) if numbered else 0
    counter = Counter()
    for index, block in enumerate(blocks):
        if block.rows is not None:
            _docx_table(document, block.rows, block.header_span)
            continue
        paragraph = document.add_paragraph()
        text = block.text
        typed = counter.typed(text) if numbered and index else None
        if typed is not None:
            _number(paragraph, num_id, typed[0])
            text = typed[1]
        run = paragraph.add_run(text)
        if index == 0:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _set_fonts(run, SERIF, 22, bold=True)
            paragraph.paragraph_format.space_after = Pt(28)
        else:
            paragraph.paragraph_format.first_line_indent = Pt(32)
            if re.match(rf"^[{CN}]{{1,3}}、|^第[{CN}]+[章节]", block.text) and len(block.text) < 40:
                _set_fonts(run, SANS, 16)
    document.save(str(path))


def _docx_table(document, rows: list[list[str | None]], span: tuple[int, int]) -> None:
    width = max(len(r) for r in rows)
    table = document.add_table(rows=len(rows), cols=width)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for j, row in enumerate(rows):
        cells = table.rows[j].cells
        if len(row) == 1:
            cells[0].merge(cells[-1])
        for k, text in enumerate(row):
            if text is None:
                above = table.cell(j - 1, k)
                above.merge(cells[k])  # python-docx writes vMerge restart/continue
                continue
            table.cell(j, k).text = text
        for cell in cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.first_line_indent = Pt(0)
                paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
                for run in paragraph.runs:
                    _set_fonts(run, SERIF, 10.5, bold=j == 0)
    column, more = span
    if more:
        table.cell(0, column).merge(table.cell(0, column + more))
    header = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    header.append(repeat)
    document.add_paragraph()


def write_pdf(docx_path: Path, pdf_path: Path) -> None:
    with tempfile.TemporaryDirectory() as work:
        subprocess.run(
            ["soffice", "--headless", f"-env:UserInstallation=file://{work}/profile", "--convert-to", "pdf",
             "--outdir", work, str(docx_path)],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
        (Path(work) / (docx_path.stem + ".pdf")).replace(pdf_path)


# --- html -----------------------------------------------------------------------------------------

CHROME_BEFORE = """<div class="top"><a href="/">首页</a> | <a href="#">无障碍</a> | <a href="#">English</a></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="#">政务公开</a> &gt; <a href="#">政策文件</a></div>
<div class="article"><h1 class="title">{title}</h1>
<div class="info"><span>时间：2024-03-18 10:21</span> <span>来源：{issuer}</span>
<span>字号：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a></span> <a href="#">打印本页</a>
<span class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a></span></div>
<div class="TRS_Editor">"""
CHROME_AFTER = """</div>
<div class="attach">附件下载：<a href="#">附件1.pdf</a> <a href="#">附件2.docx</a></div>
<div class="share">【<a href="#">打印本页</a>】【<a href="#">关闭窗口</a>】</div></div>
<div class="related"><h3>相关链接</h3><ul><li><a href="#">关于印发相关工作方案的通知</a></li>
<li><a href="#">政策解读：一图读懂</a></li></ul></div>
<div class="foot">主办单位：人民政府办公室 网站标识码：3100000001 沪ICP备00000000号</div>"""


def write_html(blocks: list[Block], path: Path) -> None:
    title = blocks[0].text
    parts = [f'<p style="text-align:center"><strong>{html.escape(title)}</strong></p>']
    for block in blocks[1:]:
        if block.rows is None:
            parts.append(f'<p style="text-indent:2em">{html.escape(block.text)}</p>')
        else:
            parts.append(_html_table(block.rows, block.header_span))
    body = CHROME_BEFORE.format(title=html.escape(title), issuer="本站") + "\n".join(parts) + CHROME_AFTER
    page = (
        f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(title)}</title></head>\n'
    )
    path.write_text(page + f"<body>\n{body}\n</body></html>\n", encoding="utf-8")


def _html_table(rows: list[list[str | None]], span: tuple[int, int]) -> str:
    width = max(len(r) for r in rows)
    spans: dict[tuple[int, int], int] = {}
    for j, row in enumerate(rows):
        for k, text in enumerate(row):
            if text is None:
                top = j - 1
                while rows[top][k] is None:
                    top -= 1
                spans[top, k] = spans.get((top, k), 1) + 1
    out = ['<table border="1" cellspacing="0">']
    for j, row in enumerate(rows):
        cells = []
        for k, text in enumerate(row):
            if text is None or (j == 0 and span[1] and span[0] < k <= span[0] + span[1]):
                continue
            tag = "th" if j == 0 else "td"
            attrs = f' colspan="{width}"' if len(row) == 1 and width > 1 else ""
            attrs += f' colspan="{span[1] + 1}"' if j == 0 and span[1] and k == span[0] else ""
            attrs += f' rowspan="{spans[j, k]}"' if (j, k) in spans else ""
            cells.append(f"<{tag}{attrs}>{html.escape(text)}</{tag}>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def main(prefixes: list[str]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for n, source in enumerate(SOURCES):
        if prefixes and not source.name.startswith(tuple(prefixes)):
            continue
        blocks = blocks_of(source.read_text(encoding="utf-8"))
        numbered = source.parent.name != "ingest"
        stem = OUT / source.stem
        write_docx(blocks, stem.with_suffix(".docx"), PAGE_FORMS[n % len(PAGE_FORMS)], numbered)
        write_pdf(stem.with_suffix(".docx"), stem.with_suffix(".pdf"))
        write_html(blocks, stem.with_suffix(".html"))
        print(source.name, sum(b.rows is not None for b in blocks), "tables")


if __name__ == "__main__":
    main(sys.argv[1:])
