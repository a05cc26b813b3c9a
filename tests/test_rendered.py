"""Files as offices publish them: plans of the corpus printed to .docx, .pdf and .html
(tests/data/rendered/, written by scripts/render_fixtures.py) read as their text reads.

bench/format_fidelity.py scores every rendering against its text; these tests pin the layouts each
reader must undo, on the committed renderings and on small files written here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from policygraph.ingest.extract import extract_file
from policygraph.ingest.numbering import chinese
from policygraph.ingest.readers import read_source

ROOT = Path(__file__).resolve().parent.parent
RENDERED = ROOT / "tests" / "data" / "rendered"
WORKPLAN = "36_jingan_carbon-peak-energy-saving-2025-workplan"  # automatic numbering, a task table over pages
PAGE_FURNITURE = re.compile(r"^(?:[—–\-]\s*\d+\s*[—–\-]|第\s*\d+\s*页.*|\d+\s*/\s*\d+|\d{1,3})$")


def _measure_keys(path: Path) -> list[tuple[str, list[str], list[str]]]:
    doc = extract_file(path)
    return [("".join(m.text.split()), m.lead_units, m.responsible_units) for m in doc.measures]


@pytest.mark.parametrize("sample", ["000_b9be483c999a08ea", "003_5995a1e4663c35f6"])
@pytest.mark.parametrize("suffix", [".pdf", ".docx", ".html"])
def test_a_rendered_sample_gives_the_measures_and_units_of_its_text(sample: str, suffix: str):
    assert _measure_keys(RENDERED / (sample + suffix)) == _measure_keys(ROOT / "ingest" / (sample + ".txt"))


def test_a_printed_pdf_reads_as_paragraphs_without_page_furniture():
    text = read_source(RENDERED / (WORKPLAN + ".pdf")).text
    lines = text.splitlines()
    assert not [line for line in lines if PAGE_FURNITURE.match(line.strip())]
    running_head = "关于印发《静安区2025年碳达峰碳中和及节能减排重点工作…"
    assert running_head not in text  # the header of every page (the title is in the text, unshortened)
    # a paragraph wrapped over three printed lines and a page is one line again, without the spaces
    # the text layer puts between Chinese and digits
    assert "年内新增200根公用和专用充电桩。加强公共停车场（库）充电桩的建设和管理。完成2个充电桩示范小区。" in text
    # the title, printed large over two lines, is one line
    assert lines[0] == "关于印发《静安区2025年碳达峰碳中和及节能减排重点工作安排》的通知"


def test_a_table_broken_by_pages_is_one_table_with_its_cut_rows_joined():
    text = read_source(RENDERED / (WORKPLAN + ".pdf")).text
    assert text.count("序号\t重点任务") == 1  # the header row each page repeats is dropped
    assert "\t9\t研究制定光伏建设管理机制，开展已建光伏项目安全检查\t年内完成\t" in text
    rows = text[text.index("序号\t重点任务") :].split("\n\n")[0].splitlines()
    assert all(row.count("\t") == rows[0].count("\t") for row in rows)


def test_a_row_cut_by_a_page_is_joined_where_its_cells_number_items_in_shifting_columns():
    """11's 任务清单: merged group cells shift the column its items' numbers ((4)建设慢行…) stand in from
    row to row; the rest of a row a page cut opens no item and is joined to the row above."""
    text = read_source(RENDERED / "11_sh_transport_refined_mgmt_3yr_plan.pdf").text
    assert "（4）建设慢行交通精品区域50个。" in text and "（8）结合养护工程、改扩建等对老旧设施" in text
    assert not [row for row in text.splitlines() if row.startswith("\t\t\t\t交通精品区域50个。")]
    doc = extract_file(RENDERED / "11_sh_transport_refined_mgmt_3yr_plan.pdf")
    assert len(doc.measures) == len(
        extract_file(ROOT / "tests" / "data" / "corpus-dev" / "11_sh_transport_refined_mgmt_3yr_plan.txt").measures
    )


def test_word_automatic_numbering_is_printed_as_word_prints_it():
    import docx

    path = RENDERED / (WORKPLAN + ".docx")
    typed = [p.text for p in docx.Document(str(path)).paragraphs]
    assert "推进碳达峰碳中和综合管理" in typed and "（一）推进碳达峰碳中和综合管理" not in typed
    text = read_source(path).text
    for heading in ("一、主要工作目标", "（一）推进碳达峰碳中和综合管理", "（十四）强化责任落实和监督执法"):
        assert f"\n{heading}\n" in text
    counted = [chinese(n) for n in (1, 10, 11, 20, 21, 99, 100)]
    assert counted == ["一", "十", "十一", "二十", "二十一", "九十九", "100"]


@pytest.mark.parametrize("suffix", [".docx", ".html", ".pdf"])
def test_a_merged_cell_is_written_once_and_blank_where_it_spans(suffix: str):
    text = read_source(RENDERED / (WORKPLAN + suffix)).text
    assert "\n一\t推进碳达峰碳中和综合管理\t1\t全力推进节能降碳目标进度" in text
    assert "\n\t\t2\t将节能减排降碳目标任务纳入区政府重点工作" in text  # not the group repeated


def test_html_rowspan_and_colspan_keep_every_row_in_its_columns(tmp_path: Path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><body><div class='content'><p>某区工作方案</p><table>"
        "<tr><th>序号</th><th colspan='2'>具体工作</th><th>牵头单位</th></tr>"
        "<tr><td rowspan='2'>一</td><td>1</td><td>建设充电桩</td><td rowspan='2'>区发展改革委</td></tr>"
        "<tr><td>2</td><td>改造老旧小区</td></tr>"
        "<tr><td>二</td><td>3</td><td>新建公园</td><td>区绿化市容局</td></tr>"
        "</table></div></body></html>",
        encoding="utf-8",
    )
    rows = [line for line in read_source(page).text.splitlines() if "\t" in line]
    assert rows == [
        "序号\t具体工作\t\t牵头单位",
        "一\t1\t建设充电桩\t区发展改革委",
        "\t2\t改造老旧小区\t",
        "二\t3\t新建公园\t区绿化市容局",
    ]


def _pdf(path: Path, pages: list[list[tuple[float, float, str]]], size: float = 14) -> None:
    """A PDF with these (x, y from the top, text) lines on its pages, in a CJK font."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = canvas.Canvas(str(path), pagesize=(595, 842))
    for lines in pages:
        for x, y, line in lines:
            pdf.setFont("STSong-Light", size)
            pdf.drawString(x, 842 - y, line)
        pdf.showPage()
    pdf.save()


@pytest.mark.parametrize("form", ["— {n} —", "- {n} -", "第 {n} 页 共 3 页", "{n}/3", "{n}"])
def test_page_numbers_and_running_heads_never_reach_the_text(tmp_path: Path, form: str):
    path = tmp_path / "printed.pdf"
    body = ["一、重点任务", "1．扩大养老床位。（牵头单位：县民政局）", "2．发展社区食堂。"]
    head = (250, 40, "某县养老服务实施方案")  # on every page: a running head
    _pdf(path, [[head, (80, 120, line), (280, 800, form.format(n=n))] for n, line in enumerate(body, start=1)])
    assert read_source(path).text.splitlines() == body
    assert extract_file(path).measures[0].lead_units == ["县民政局"]


def test_spaces_between_chinese_and_digits_go_latin_spaces_stay(tmp_path: Path):
    path = tmp_path / "spaced.pdf"
    _pdf(path, [[(80, 120, "2024 年 2 月 印发 Green Building 标准")]])
    assert read_source(path).text.strip() == "2024年2月印发Green Building标准"


def test_a_pdf_with_a_page_without_text_says_which(tmp_path: Path):
    path = tmp_path / "mixed.pdf"
    _pdf(path, [[(80, 120, "某县养老服务实施方案")], [], [(80, 120, "一、重点任务")]])
    source = read_source(path)
    assert "一、重点任务" in source.text
    assert source.warnings and "page(s) 2 of 3 have no text layer" in source.warnings[0]


def test_site_chrome_never_reaches_the_text_whatever_the_format(tmp_path: Path):
    text = read_source(RENDERED / "38_huangpu_drainage-reform-implementation.html").text
    for chrome in ("时间：2024-03-18", "字号", "微信", "附件下载", "打印本页", "相关链接", "网站标识码", "当前位置"):
        assert chrome not in text, chrome
    assert "一、改革目标" in text
    saved = tmp_path / "saved.txt"  # the same chrome in a page saved as one line
    saved.write_text(
        "当前位置： 首页政务公开最新文件 某县人民政府关于印发养老服务实施方案的通知 "
        + "时间：2023-03-30 15:53 微信 微博 QQ空间 "
        + "各乡镇人民政府：现将方案印发给你们。一、重点任务1．扩大养老床位。资金来源：县财政。"
        + "（县民政局牵头）2．发展社区食堂。" * 80
        + " 来源：某县民政局 附件下载 某县养老服务实施方案.pdf",
        encoding="utf-8",
    )
    lines = read_source(saved).text.splitlines()
    assert lines[0] == "某县人民政府关于印发养老服务实施方案的通知"
    assert lines[-1].endswith("2．发展社区食堂。") and "资金来源：县财政。" in lines[3]


def test_docx_text_boxes_and_nested_tables_are_read_in_place_headers_are_not(tmp_path: Path):
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "某区人民政府办公室 2024年"
    document.add_paragraph("一、重点任务")
    anchor = document.add_paragraph("1．扩大养老床位。（区民政局牵头）")
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    box = (
        f'<w:r {w} xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape><v:textbox><w:txbxContent>'
        "<w:p><w:r><w:t>专栏1 养老服务重点工程</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>1．社区嵌入式养老服务中心。新建10家。</w:t></w:r></w:p>"
        "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
    )
    anchor._p.append(parse_xml(box))
    document.add_paragraph("2．发展社区食堂。（区商务委牵头）")
    outer = document.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "附表"
    inner = outer.cell(0, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = "区民政局", "负责养老服务设施建设。"
    path = tmp_path / "boxed.docx"
    document.save(str(path))
    lines = [line for line in read_source(path).text.splitlines() if line]
    assert lines[:5] == [
        "一、重点任务",
        "1．扩大养老床位。（区民政局牵头）",
        "专栏1 养老服务重点工程",
        "1．社区嵌入式养老服务中心。新建10家。",
        "2．发展社区食堂。（区商务委牵头）",
    ]
    assert "区民政局\t负责养老服务设施建设。" in lines and "某区人民政府办公室" not in "".join(lines)


def test_an_indicator_table_across_a_page_break_keeps_its_rows_whole():
    """001's 主要指标 table runs over a page: the row the page cuts (九年义务教育巩 / 固率（%）) is one
    indicator again, with its unit, as in the text."""
    doc = extract_file(RENDERED / "001_79ca57d96ee39970.pdf")
    rows = [(i.name, i.unit, i.baseline, i.target, i.nature) for i in doc.indicators]
    assert ("九年义务教育巩固率", "%", "100", "100", "预期性") in rows
    assert not [name for name, *_ in rows if name in ("九年义务教育巩", "固率")]
    text = extract_file(ROOT / "ingest" / "001_79ca57d96ee39970.txt")
    assert len(doc.indicators) == len(text.indicators)


@pytest.mark.parametrize("keep", [2000, 0.5, 0.99])
def test_a_truncated_pdf_is_one_clear_error_naming_it(tmp_path: Path, keep: float):
    from policygraph.errors import IngestError

    data = (RENDERED / "000_b9be483c999a08ea.pdf").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: int(keep if keep > 1 else keep * len(data))])
    with pytest.raises(IngestError, match=r"cut\.pdf: not a readable PDF"):
        read_source(path)


def test_related_links_are_chrome_only_at_the_pages_tail():
    from policygraph.ingest.chrome import drop_chrome

    inside = "某区方案\n相关文件：\n一、总体要求\n坚持问题导向，推进改革。\n二、主要任务\n"
    assert "一、总体要求" in drop_chrome(inside) and "二、主要任务" in drop_chrome(inside)
    tail = "二、主要任务\n推进改革。\n相关链接\n关于印发相关工作方案的通知\n政策解读：一图读懂\n主办单位：某区政府\n"
    assert drop_chrome(tail) == "二、主要任务\n推进改革。\n"
