"""Readers: every format and encoding becomes the same text; bad files fail with one clear line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from policygraph.errors import IngestError
from policygraph.ingest.extract import extract_file
from policygraph.ingest.readers import read_source

PLAN = (
    "某某县人民政府\n关于印发《岳池县养老服务提升实施方案》的通知\n\n岳池县养老服务提升实施方案\n\n一、重点任务\n"
    "1．扩大养老床位。新增护理型床位300张。（牵头单位：县民政局；责任单位：县卫生健康局、各乡镇（街道））\n"
)


def test_gb18030_and_utf8_read_alike(tmp_path: Path):
    utf8 = tmp_path / "a.txt"
    gbk = tmp_path / "b.txt"
    bom_crlf = tmp_path / "c.txt"
    utf8.write_text(PLAN, encoding="utf-8")
    gbk.write_bytes(PLAN.encode("gb18030"))
    bom_crlf.write_bytes(b"\xef\xbb\xbf" + PLAN.replace("\n", "\r\n").encode("utf-8"))
    texts = {read_source(p).text for p in (utf8, gbk, bom_crlf)}
    assert texts == {PLAN}
    assert read_source(gbk).encoding == "gb18030"
    measure = extract_file(gbk).measures[0]
    assert measure.lead_units == ["县民政局"] and measure.responsible_units == ["县卫生健康局", "各乡镇（街道）"]


def test_docx_headings_and_task_table(tmp_path: Path):
    import docx

    document = docx.Document()
    document.add_heading("某区文明城市创建实施方案", level=1)
    document.add_heading("一、重点任务", level=2)
    table = document.add_table(rows=3, cols=5)
    rows = [
        ("序号", "工作任务", "具体内容", "牵头单位", "配合单位"),
        ("1", "提升市容环境", "开展背街小巷整治，完成改造50条。", "区城管局", "区住建局、各街道"),
        ("2", "完善公共设施", "新建公共厕所20座。", "区住建局", "区城管局"),
    ]
    for row, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    path = tmp_path / "plan.docx"
    document.save(str(path))
    text = read_source(path).text
    assert "# 某区文明城市创建实施方案" in text and "1\t提升市容环境\t" in text
    measures = extract_file(path).measures
    assert [m.title for m in measures] == ["提升市容环境", "完善公共设施"]
    assert measures[0].lead_units == ["区城管局"] and measures[0].responsible_units == ["区住建局", "各街道"]
    assert measures[0].unit_roles[0].label == "牵头单位"


def test_html_main_text_and_tables(tmp_path: Path):
    html = (
        "<html><head><meta charset='gbk'><title>x</title><script>var a=1;</script></head><body>"
        "<div class='nav'>首页</div><div id='zoom'><p>某县养老服务提升实施方案</p><p>一、重点任务</p>"
        "<p>1．扩大养老床位。新增护理型床位300张。（牵头单位：县民政局）</p>"
        "<table><tr><td>指标名称</td><td>2020年</td><td>2025年</td><td>属性</td></tr>"
        "<tr><td>养老床位数（张）</td><td>500</td><td>800</td><td>预期性</td></tr></table></div></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_bytes(html.encode("gb18030"))
    text = read_source(path).text
    assert "var a" not in text and "养老床位数（张）\t500\t800\t预期性" in text
    doc = extract_file(path)
    assert doc.measures[0].lead_units == ["县民政局"]
    assert [(i.name, i.unit, i.baseline, i.target) for i in doc.indicators] == [("养老床位数", "张", "500", "800")]


def test_pdf_text_layer(tmp_path: Path):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "plan.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.setFont("STSong-Light", 12)
    lines = ["某县养老服务提升实施方案", "一、重点任务", "1．扩大养老床位。新增护理型床位300张。", "牵头单位：县民政局"]
    for k, line in enumerate(lines):
        pdf.drawString(50, 800 - 20 * k, line)
    pdf.save()
    doc = extract_file(path)
    assert doc.measures and doc.measures[0].lead_units == ["县民政局"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty file"),
        ("binary.txt", b"\x00\x01\x02garbage" * 50, "binary"),
        ("old.doc", b"\xd0\xcf\x11\xe0", ".doc is not supported"),
        ("scan.pdf", b"%PDF-1.4 not really", "PDF"),
        ("data.xlsx", b"PK", "unsupported file type"),
        ("bad.txt", bytes(range(0x80, 0x100)) * 4, "neither UTF-8 nor GB18030"),
    ],
)
def test_bad_input_is_one_clear_error(tmp_path: Path, name: str, content: bytes, message: str):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(IngestError) as info:
        read_source(path)
    assert message in str(info.value) and name in str(info.value)


def test_cli_batch_keeps_going_and_fails_at_the_end(tmp_path: Path):
    (tmp_path / "a_empty.txt").write_bytes(b"")
    (tmp_path / "b_plan.txt").write_text(PLAN, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "policygraph.cli", "extract", str(tmp_path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert result.stdout.count("\n") == 1 and "扩大养老床位" in result.stdout
    assert "a_empty.txt: empty file" in result.stderr and "Traceback" not in result.stderr
    assert "extracted 1 document(s), 1 failed" in result.stderr


def test_same_input_gives_identical_output():
    root = Path(__file__).resolve().parent.parent / "ingest"
    run = [sys.executable, "-m", "policygraph.cli", "extract", str(root)]
    first = subprocess.run(run, capture_output=True, check=True).stdout
    second = subprocess.run(run, capture_output=True, check=True).stdout
    assert first == second and first.count(b"\n") == 5


def test_text_command_prints_the_indexed_text(tmp_path: Path):
    path = tmp_path / "form.txt"
    path.write_text("项目负责人：王小明\n联系电话：13912345678\n" + PLAN, encoding="gb18030")
    result = subprocess.run(
        [sys.executable, "-m", "policygraph.cli", "text", str(path)], capture_output=True, check=True
    )
    text = result.stdout.decode("utf-8")
    assert "王小明" not in text and "13912345678" not in text and "扩大养老床位" in text
    doc = extract_file(path)
    measure = doc.measures[0]
    assert text[measure.start : measure.end].startswith("1．扩大养老床位")


def test_national_and_provincial_levels(tmp_path: Path):
    national = tmp_path / "n.txt"
    national.write_text("国务院办公厅关于印发“十四五”公共服务规划的通知\n\n“十四五”公共服务规划\n", encoding="utf-8")
    provincial = tmp_path / "p.txt"
    provincial.write_text("四川省“十四五”公共服务规划\n\n一、重点任务\n", encoding="utf-8")
    assert (extract_file(national).level, extract_file(national).period) == ("national", "2021-2025")
    doc = extract_file(provincial)
    assert (doc.region, doc.level, doc.parent_region) == ("四川省", "provincial", "")


def test_special_zones_and_their_parts_are_regions(tmp_path: Path):
    """A zone that governs like a county (data/zones.csv) and a 片区 below it, written for the test
    after the shapes of corpus-dev 19–29: 区 in the 片区's plan is the zone, not a district."""
    zone = tmp_path / "z.txt"
    zone.write_text("平潭综合实验区管委会关于印发养老服务方案的通知\n\n平潭综合实验区养老服务方案\n", encoding="utf-8")
    doc = extract_file(zone)
    assert (doc.region, doc.level, doc.parent_region) == ("平潭综合实验区", "county", "福建省")
    part = tmp_path / "p.txt"
    part.write_text(
        "龙田片区管理局关于开展近邻服务的实施方案\n\n一、具体措施\n\n（一）建设服务站点。在各村居建成近邻服务站。"
        "责任单位：区民政局、各村居\n\n平潭综合实验区龙田片区管理局\n\n2023年5月4日\n",
        encoding="utf-8",
    )
    doc = extract_file(part)
    assert (doc.region, doc.level, doc.parent_region) == ("龙田片区", "township", "平潭综合实验区")
    bureau = next(u for u in doc.units if u.name.endswith("民政局"))
    assert bureau.region == "平潭综合实验区"


def test_a_document_number_run_into_the_title_line(tmp_path: Path):
    """A web page stored as one line runs the 文号 into the title (corpus-dev 21's shape)."""
    path = tmp_path / "n.txt"
    path.write_text("岚综管综〔2015〕278号平潭综合实验区管委会关于印发工作方案的通知\n\n工作方案\n", encoding="utf-8")
    assert extract_file(path).doc_number == "岚综管综〔2015〕278号"


def test_unseen_layouts_unit_column_bare_annotation_and_parts(tmp_path: Path):
    """A 单位 column in a tab table, an annotation after the last sentence without brackets, 第一部分."""
    text = (
        "某市“十四五”养老服务规划\n\n第一部分 发展基础\n\n基础扎实。\n\n第二部分 主要任务\n\n"
        "扩大服务供给。新增养老床位300张。牵头单位：市民政局；配合单位：市财政局、各县（市、区）政府\n\n"
        "序号\t指标名称\t单位\t2020年\t2025年\t属性\n1\t养老机构护理型床位占比\t%\t45\t≥55\t约束性\n"
    )
    path = tmp_path / "plan.txt"
    path.write_text(text, encoding="utf-8")
    doc = extract_file(path)
    assert [m.title for m in doc.measures] == ["扩大服务供给"]
    measure = doc.measures[0]
    assert measure.lead_units == ["市民政局"] and measure.responsible_units == ["市财政局", "各县（市、区）政府"]
    assert measure.section_path == ["第二部分主要任务"]
    indicator = doc.indicators[0]
    assert (indicator.unit, indicator.baseline, indicator.target, indicator.nature) == ("%", "45", "≥55", "约束性")


def test_unseen_municipal_scheme_with_notice_inline_units_and_a_task_list(tmp_path: Path):
    """A notice, a title with its years in full-width brackets, inline and own-line units, a tab task list."""
    text = (
        "某某市人民政府办公厅关于印发《成都市优化营商环境三年行动方案（2024—2026年）》的通知\n\n"
        "成都市人民政府办公厅\n2024年3月5日\n\n成都市优化营商环境三年行动方案（2024—2026年）\n\n"
        "为深入贯彻落实《优化营商环境条例》，制定本方案。\n\n一、重点任务\n（一）提升政务服务效能\n"
        "1.推进“一网通办”。网上可办率达到98%以上。（牵头单位：市政务服务管理局；配合单位：市级各部门）\n"
        "（二）优化市场环境\n1.加强知识产权保护。建立快速维权机制。\n责任单位：市知识产权局、市公安局\n\n"
        "附件\n重点任务清单\n序号\t重点任务\t责任单位\t完成时限\n1\t建设企业服务中心\t市经信局、各区（市）县政府\t2024年底\n"
    )
    path = tmp_path / "scheme.txt"
    path.write_text(text, encoding="utf-8")
    doc = extract_file(path)
    assert doc.title == "成都市优化营商环境三年行动方案（2024—2026年）"
    assert (doc.doc_type, doc.region, doc.level, doc.date, doc.period) == (
        "行动方案",
        "成都市",
        "municipal",
        "2024-03-05",
        "2024-2026",
    )
    assert doc.implements == ["优化营商环境条例"]
    assert [(m.number, m.title) for m in doc.measures] == [
        ("1.", "推进“一网通办”"),
        ("1.", "加强知识产权保护"),
        ("1", "建设企业服务中心"),
    ]
    assert doc.measures[1].responsible_units == ["市知识产权局", "市公安局"]
    assert doc.measures[2].responsible_units == ["市经信局", "各区（市）县政府"]
    names = {u.name: u.type for u in doc.units}
    assert names["成都市政务服务管理局"] == "行政审批局" and names["成都市知识产权局"] == "知识产权局"
