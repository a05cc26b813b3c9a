"""Web pages stored as one line get their blocks back (``ingest/pages.py``), and nothing else changes.

The snippets are written for these tests in the shapes the scraped pages of corpus-dev 19–29 show
(headings, items and unit annotations run together; a space where some blocks met); a long filler
sentence makes each one a page of one long line."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from policygraph.ingest.extract import extract_file
from policygraph.ingest.indicators import indicators_run_together, split_run_figures
from policygraph.ingest.pages import LONG_LINE, restore_blocks
from policygraph.model import Document

FILLER = "为持续改善区域生态环境质量，推动各项工作落地见效，结合本地实际制定本方案。" * 40


def page(*parts: str) -> str:
    text = "".join(parts)
    assert "\n" not in text and len(text) >= LONG_LINE
    return text


def extracted(tmp_path: Path, text: str) -> Document:
    """What a page's text gives, read from a file as a user's page would be."""
    path = tmp_path / "page.txt"
    path.write_text(text, encoding="utf-8")
    return extract_file(path)


def test_headings_items_and_annotations_start_lines_of_their_own():
    text = page(
        "当前位置： 首页政务公开 各有关单位：现印发给你们，请认真贯彻执行。 ",
        "某某区管委会2023年5月6日某某区河湖治理工作方案",
        FILLER,
        "一、总体要求（一）工作目标到2025年，河湖水质稳定达标。",
        "二、重点任务（一）强化源头管控 1.整治排污口。全面排查入河排污口。",
        "（区生态环境局牵头，区水利局参与）2.推进截污纳管。完善城镇污水管网。责任单位：区住建局、区水利局3.加强执法监管。",
        "开展联合执法行动。（区执法局负责）严厉打击违法排污。依法查处各类违法行为。",
    )
    lines = restore_blocks(text).split("\n")
    assert (
        "某某区管委会" in lines
        and "2023年5月6日" in lines
        and "某某区河湖治理工作方案" in lines[lines.index("2023年5月6日") + 1]
    )
    for start in ("一、总体要求", "（一）工作目标", "二、重点任务", "1.整治排污口", "2.推进截污纳管", "3.加强执法监管"):
        assert any(line.startswith(start) for line in lines), start
    assert any(line.startswith("严厉打击违法排污") for line in lines)  # a paragraph after a unit annotation
    assert any(line.endswith("责任单位：区住建局、区水利局") for line in lines)  # the list ends at the next item
    assert restore_blocks(text).replace("\n", "") == text.replace(" ", "")  # only spaces became breaks


def test_numbers_inside_sentences_are_not_items():
    text = page(FILLER, "占比达16.8%，较2020年提高2.5个百分点，其中第3项指标完成率为1.5倍（2020）。")
    restored = restore_blocks(text)
    for inside in ("16.8%", "2.5个", "1.5倍"):
        assert inside in restored
        before = restored[restored.index(inside) - 1]
        assert before != "\n", inside


@pytest.mark.parametrize(
    "text",
    [
        "一、总体要求\n（一）工作目标\n1.整治排污口。" + FILLER[:200],  # a document with lines keeps them
        "短文本。一、总体要求（一）工作目标",  # too short to be a page stored as one line
    ],
)
def test_other_texts_are_left_as_they_are(text: str):
    assert restore_blocks(text) == text


def test_a_one_line_page_gives_its_measures_and_signature(tmp_path: Path):
    text = page(
        "某某区管委会2023年5月6日某某区河湖治理工作方案 ",
        FILLER,
        "二、重点任务 1.整治排污口。全面排查入河排污口。（区生态环境局牵头，区水利局参与）",
        "2.推进截污纳管。完善城镇污水管网。",
        "（区住建局牵头）3.加强执法监管。开展联合执法行动。（区执法局负责）三、保障措施（一）加强组织领导。",
    )
    doc = extracted(tmp_path, text)
    assert (doc.title, doc.issuer, doc.date) == ("某某区河湖治理工作方案", "某某区管委会", "2023-05-06")
    by_number = {m.number: m for m in doc.measures}
    assert {"1.", "2.", "3."} <= set(by_number)
    assert by_number["1."].lead_units == ["区生态环境局"] and by_number["1."].responsible_units == ["区水利局"]
    assert by_number["2."].lead_units == ["区住建局"]


def test_a_notice_page_gives_the_title_it_names_its_issuers_and_its_number(tmp_path: Path):
    """23 and 28: the notice names the plan in 《》 and the page restates the title run into the text
    around it; the number cited after the title keeps its 号 (a space, not a break, stood before it);
    bodies signing together are joined; a labelled link at the page's tail is chrome, not a unit."""
    title = "某某区关于促进民营经济发展壮大的若干措施"
    text = page(
        f"各有关单位：《{title}》（某管办〔2023〕12 号）已经研究同意，现印发给你们，请认真贯彻落实。",
        "永泰县党工委 永泰县管委会 2023年10月24日",
        f"{title}为推进民营经济高质量发展，制定如下措施。",
        FILLER,
        "一、促进公平竞争1.坚持市场主体同等待遇。落实市场准入负面清单制度。责任单位：区经济发展局",
        "2.全面落实公平竞争审查制度。推行公平竞争集中审查。责任单位：区市场监管局、区经济发展局",
        "H5解读：https://example.org/s/Ab12?x=true",
    )
    restored = restore_blocks(text).split("\n")
    assert title in restored and "（某管办〔2023〕12 号）已经研究同意" in "".join(restored)
    doc = extracted(tmp_path, text)
    assert (doc.title, doc.issuer, doc.doc_number) == (title, "永泰县党工委、永泰县管委会", "某管办〔2023〕12号")
    assert [m.responsible_units for m in doc.measures] == [["区经济发展局"], ["区市场监管局", "区经济发展局"]]


def test_a_cover_names_the_issuer_when_nothing_is_signed(tmp_path: Path):
    """23: no signature; the notice's title opens with the body that issued it."""
    text = page(
        "当前位置： 首页政务公开 永泰县管委会办公室关于印发《某某区非遗振兴行动方案》的通知 ",
        "为保护传承非遗，日前印发了《某某区非遗振兴行动方案》（某管办〔2021〕105 号）。方案具体如下：",
        "某某区非遗振兴行动方案 ",
        FILLER,
        "一、工作内容1.完善名录体系。建立四级名录。责任单位：区文体局",
    )
    doc = extracted(tmp_path, text)
    expected = ("某某区非遗振兴行动方案", "永泰县管委会办公室", "某管办〔2021〕105号")
    assert (doc.title, doc.issuer, doc.doc_number) == expected


def test_a_duty_part_whose_heading_runs_into_its_first_duty(tmp_path: Path):
    """Synthetic, the shape of a one-line page: 三、职责分工区教育局：负责… — the heading word is not part
    of the first unit's name, and the part is read as duties."""
    text = page(
        "某某区管委会2023年5月6日某某区近视防控工作方案",
        FILLER,
        "一、工作目标到2025年，儿童青少年近视率明显下降。二、重点任务（一）加强用眼卫生。开展用眼卫生宣传教育，引导学生养成良好用眼习惯。",
        "三、职责分工区教育局：负责统筹推进学校近视防控工作，指导学校落实各项措施。区卫健局：负责组织开展视力筛查，建立视力健康档案。",
        "四、保障措施（一）加强组织领导。",
    )
    doc = extracted(tmp_path, text)
    assert [d.unit for d in doc.duties] == ["区教育局", "区卫健局"]
    assert doc.duties[0].text.startswith("区教育局：负责统筹")
    assert [m.number for m in doc.measures] == ["（一）"]


def test_an_indicator_table_run_into_one_line_is_read_by_its_rows_natures(tmp_path: Path):
    """Synthetic, the shape of a one-line page's table: caption, header and rows run together with no
    separator; each row ends with its 属性. Two value columns printed as one number (25783000) are cut
    where both pieces are numbers of the nearest magnitude."""
    rows = "1十万人火灾事故死亡率≤0.3约束性2消防救援人员总量（人）达366人以上约束性3城市消防站建成率100%约束性"
    text = page(
        "某某区管委会2023年5月6日某某区消防救援事业发展规划",
        FILLER,
        "一、发展目标到2025年，消防安全形势持续稳定。表2核心指标序号指标名称2025年目标值指标属性",
        rows,
        "二、主要任务（一）加强消防站建设。新建城市消防站三座，完善消防装备配备，提升灭火救援能力。",
    )
    doc = extracted(tmp_path, text)
    assert [(i.name, i.unit, i.target_year, i.target, i.nature) for i in doc.indicators] == [
        ("十万人火灾事故死亡率", "", "2025", "≤0.3", "约束性"),
        ("消防救援人员总量", "人", "2025", "达366人以上", "约束性"),
        ("城市消防站建成率", "%", "2025", "100%", "约束性"),
    ]
    assert [m.number for m in doc.measures] == ["（一）"]
    two = "表1主要指标序号指标名称2020年完成值2025年目标值指标属性1养老服务床位总量（张）25783000预期性"
    two += "2托位数（个）1.24.5预期性"
    text = page(
        "某某区管委会2023年5月6日某某区养老服务规划", FILLER, "一、发展目标到2025年，养老服务体系更加完善。", two
    )
    assert [
        (i.name, i.baseline_year, i.baseline, i.target_year, i.target) for i in extracted(tmp_path, text).indicators
    ] == [
        ("养老服务床位总量", "2020", "2578", "2025", "3000"),
        ("托位数", "2020", "1.2", "2025", "4.5"),
    ]


def test_a_run_together_indicator_table_ending_in_a_unit_column_is_read_row_by_row(tmp_path: Path):
    """Synthetic, the shape of a one-line page's table whose last column names the responsible units:
    no 属性 ends a row, so a row ends where the next serial follows the units' text; groups restart
    the numbering after their heading; a name may begin with a figure (65岁…); a dash is a cell."""
    table = (
        "表1主要指标序号指标名称2020年现状值2025年目标值责任单位教育方面1学前教育毛入园率（%）95.598区教育局"
        "2普惠性幼儿园覆盖率（%）-90区教育局区财政局3新增学位（个）12002500各乡镇（街道）区教育局"
        "卫生方面165岁以上老人健康管理率（%）7075区卫健局"
    )
    text = page(
        "某某县人民政府2023年5月6日某某县公共服务规划", FILLER, "一、发展目标到2025年，公共服务更加均衡。", table
    )
    got = [(i.name, i.unit, i.baseline, i.target) for i in extracted(tmp_path, text).indicators]
    assert got == [
        ("学前教育毛入园率", "%", "95.5", "98"),
        ("普惠性幼儿园覆盖率", "%", "-", "90"),
        ("新增学位", "个", "1200", "2500"),
        ("65岁以上老人健康管理率", "%", "70", "75"),
    ]


def test_run_together_value_cells_are_cut_into_numbers_of_the_nearest_magnitude():
    assert split_run_figures("25783000", 2) == ["2578", "3000"]
    assert split_run_figures("070", 2) == ["0", "70"]  # no number starts with 0 but 0 itself
    assert split_run_figures("6.2525", 2) == ["6.25", "25"]  # two decimals before three
    assert split_run_figures("-100%", 2) == ["-", "100%"]
    assert split_run_figures("≥9095", 2) == ["≥90", "95"]
    assert split_run_figures("1.2", 3) is None  # fewer numbers than cells
    assert split_run_figures("-60-", 2) is None  # more cells than columns


def test_a_task_table_run_into_one_line_gives_a_measure_per_row_with_its_glued_units(tmp_path: Path):
    """Synthetic, the shape of a one-line page's annex: 序号 and the column words, then rows that each
    start with their serial, glued to the units that end the row before (…区交通局2公园…); a row's
    units are names run together (区住建局区交通局), its name the header's word (任务名称 → …任务)."""
    table = (
        "附件1重点任务清单 序号任务名称具体措施牵头单位1道路提升任务1.改造主干道路三条。2.整治背街小巷十条。"
        "区住建局区交通局2公园建设任务新建口袋公园五处，完善绿道网络。区园林局3河道整治任务"
        "疏浚河道两条。各镇（街道）区水务局备注：各项任务按年度推进。"
    )
    text = page(
        "某某区管委会2023年5月6日某某区城市更新行动方案", FILLER, "一、主要任务（一）推进城市更新。", FILLER, table
    )
    rows = [m for m in extracted(tmp_path, text).measures if m.kind == "table_row"]
    assert [(m.number, m.title, m.responsible_units + m.lead_units) for m in rows] == [
        ("1", "道路提升任务", ["区住建局", "区交通局"]),
        ("2", "公园建设任务", ["区园林局"]),
        ("3", "河道整治任务", ["各镇（街道）", "区水务局"]),
    ]
    assert rows[0].text.startswith("1.改造主干道路三条") and rows[2].text == "疏浚河道两条。"


def test_a_project_list_run_into_one_line_gives_a_project_per_row_named_up_to_its_first_field(tmp_path: Path):
    """Synthetic: a project list run together, group headings (一、交通项目) before some rows; a
    project's name ends where its 建设性质 or its years begin, its row at the units before the next
    serial or at the note after the table."""
    table = (
        "序号项目名称建设性质建设年限建设内容总投资（亿元）责任单位一、交通项目1环城东路改造工程续建2023-2025"
        "改造道路3.5公里。2.1县交通运输局2城南客运站2024-2026建设客运站一座。0.8县交通运输局县发改局"
        "二、水利项目3东溪防洪堤工程新建2024-2025新建堤防5公里。1.2县水利局备注：项目按年度滚动调整。"
    )
    text = page("某某县人民政府2023年5月6日某某县重大项目实施方案", FILLER, "附件 某某县重大项目清单", table)
    projects = extracted(tmp_path, text).projects
    assert [p.name for p in projects] == ["环城东路改造工程", "城南客运站", "东溪防洪堤工程"]
    assert all(p.end <= q.start for p, q in itertools.pairwise(projects))  # a row's span stops at the next


def test_a_duty_table_run_into_one_line_and_duties_introduced_in_an_items_own_text(tmp_path: Path):
    """Synthetic, one-line pages: a 序号 | 单位 | 职责 table run together (each duty ends its sentence
    before the next serial), and an item whose own text introduces the duties (…各成员单位职责如下：
    区X局：…；区Y局：…)."""
    duties = ["区教育局", "负责统筹全区近视防控工作，制定实施方案", "区卫健局", "负责儿童青少年视力筛查和诊疗服务工作"]
    shapes = [
        "附件成员单位职责序号单位职责1{0}{1}。2{2}{3}。",
        "四、保障措施（一）加强组织领导。成立工作领导小组，各成员单位职责如下：{0}：{1}；{2}：{3}。",
    ]
    for shape in shapes:
        task = "一、主要任务（一）加强视力筛查。每年开展两次全覆盖筛查，建立视力档案。（区卫健局牵头）"
        text = page("某某区管委会2023年5月6日某某区近视防控工作方案", FILLER, task, shape.format(*duties))
        doc = extracted(tmp_path, text)
        assert [(d.unit, d.text.removeprefix(d.unit).lstrip("：")[:8]) for d in doc.duties] == [
            ("区教育局", "负责统筹全区近视"),
            ("区卫健局", "负责儿童青少年视"),
        ], shape
        assert [m.number for m in doc.measures] == ["（一）"]


def test_a_run_together_indicator_table_with_a_unit_of_measure_column():
    """Synthetic: 序号 | 指标名称 | 单位 | 2020年 | 2025年 | 属性 run together: the 单位 cell runs into the
    name (消防站数量座) and is read off its end by the shape of units of measure; 单位 there is a unit
    of measure, not the responsible units' column."""
    text = (
        "序号指标名称单位2020年2025年指标属性1十万人口火灾死亡率人/十万人0.20.3约束性"
        "2城市消防站建成率%85100预期性3消防站数量座69约束性"
    )
    got = [(i.name, i.unit, i.baseline, i.target, i.nature) for i in indicators_run_together(text, 0, 1)]
    assert got == [
        ("十万人口火灾死亡率", "人/十万人", "0.2", "0.3", "约束性"),
        ("城市消防站建成率", "%", "85", "100", "预期性"),
        ("消防站数量", "座", "6", "9", "约束性"),
    ]


def test_a_run_together_task_table_whose_rows_close_with_a_time_cell(tmp_path: Path):
    """Synthetic: 序号 | 重点任务 | 责任单位 | 完成时限 run together: a row ends with its units and then its
    time (2024年底前, 长期坚持, 2025年6月), the next serial glued to that."""
    table = (
        "附件 重点任务分解表 序号重点任务责任单位完成时限"
        "1改造主干道路三条，整治背街小巷十条。区住建局区交通局2024年底前"
        "2新建口袋公园五处，完善绿道网络。区园林局长期坚持3疏浚河道两条。各镇（街道）区水务局2025年6月备注：按年度推进。"
    )
    text = page(
        "某某区管委会2023年5月6日某某区城市更新行动方案", FILLER, "一、主要任务（一）推进城市更新。", FILLER, table
    )
    rows = [m for m in extracted(tmp_path, text).measures if m.kind == "table_row"]
    assert [(m.number, m.text, m.responsible_units) for m in rows] == [
        ("1", "改造主干道路三条，整治背街小巷十条。", ["区住建局", "区交通局"]),
        ("2", "新建口袋公园五处，完善绿道网络。", ["区园林局"]),
        ("3", "疏浚河道两条。", ["各镇（街道）", "区水务局"]),
    ]
