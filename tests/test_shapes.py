"""Ingest by shape: each test is a small snippet written for the test in a shape found in corpus-dev
19–41 (named in its docstring), with header words, headings and units the rules do not list."""

from __future__ import annotations

import itertools

from policygraph.graph.property import PART
from policygraph.graph.rdf import document_triples
from policygraph.ingest.extract import extract_text
from policygraph.ingest.roles import first_listed_leads, parse_annotation, parse_verb_form, split_units
from policygraph.ingest.values import read_value
from policygraph.model import Indicator
from policygraph.shape import columns


def cells(*rows: tuple[str, ...]) -> str:
    """A table as a converted PDF or web page leaves it: one cell per line, blank lines between."""
    return "\n\n".join(cell for row in rows for cell in row) + "\n\n"


def test_a_task_table_with_unseen_headers_group_rows_and_a_time_column():
    """36's 工作分工 table: 序号 | 重点任务 | 具体工作 | 时间进度 | 责任部门, numbered group rows."""
    text = "某区2025年重点工作安排\n\n一、重点工作\n\n附表\n\n" + cells(
        ("序号", "重点任务", "具体工作", "时间进度", "责任部门"),
        ("一", "推进综合管理"),
        ("1", "全力推进节能降碳目标进度，明确年度重点工作任务", "全年推进", "发展改革委、生态环境局"),
        ("2", "编制温室气体排放清单和大气污染物排放清单", "年内完成", "生态环境局"),
        ("二", "加快能源转型"),
        ("3", "分解年度光伏建设目标任务，制定考核细则", "一季度完成", "发展改革委"),
    )
    doc = extract_text("t.txt", text)
    rows = [m for m in doc.measures if m.kind == "table_row"]
    assert [m.responsible_units for m in rows] == [["发展改革委", "生态环境局"], ["生态环境局"], ["发展改革委"]]
    assert [(m.number, m.text[:8], m.section_path[-1]) for m in rows] == [
        ("1", "全力推进节能降碳", "推进综合管理"),
        ("2", "编制温室气体排放", "推进综合管理"),
        ("3", "分解年度光伏建设", "加快能源转型"),
    ]


def test_a_numbered_task_list_without_units_in_an_annex():
    """32's 附件 重点任务一览表 (重点任务 | 序号 | 举措 | 主要内容): a group printed once before its first
    row's number; the rows of a group that names safeguards are not measures; the annex's notes neither."""
    text = (
        "某区规划\n\n三、主要任务\n\n（一）构建产业生态\n\n1.集聚企业。支持企业集聚发展。\n\n附件：\n\n重点任务一览表\n\n"
        + cells(
            ("重点任务", "序号", "举措", "主要内容"),
            ("构建产业生态", "1", "吸引企业机构聚集", "支持生物材料和时尚产业企业在区内集聚。"),
            ("健全管理体系", "2", "探索碳排放预算管理", "定期开展预算执行情况评估，实行动态调整。"),
            ("3", "加强重点单位管理", "引导督促重点单位加强节能管理。"),
            ("保障措施", "4", "加强组织领导", "健全工作机制，压实各方责任。"),
        )
        + "注：本表由区发展改革委负责解释，各部门按职责分工推进。\n"
    )
    rows = [m for m in extract_text("t.txt", text).measures if m.kind == "table_row"]
    assert [(m.number, m.title, m.section_path[-1]) for m in rows] == [
        ("1", "吸引企业机构聚集", "构建产业生态"),
        ("2", "探索碳排放预算管理", "健全管理体系"),
        ("3", "加强重点单位管理", "健全管理体系"),
    ]


def test_a_list_of_named_places_is_a_project_list_and_an_inventory_is_not():
    """34's 附表4 (名称 | 地址 | 面积, a totals row) against 38's 移交清单 (名称 | 数量 | 权属单位)."""
    places = cells(
        ("序号", "权属部门", "场所单位名称", "地　址", "避难面积", "（万平方米）"),
        ("1", "区教育局", "实验小学(东校)", "南桥镇秀南路161号", "0.98"),
        ("2", "实验小学(西校)", "南桥镇解放西路666号", "0.76"),
        ("合计", "1.74"),
    )
    doc = extract_text("t.txt", "某区应急避难场所建设方案\n\n附表\n\n" + places)
    assert [p.name for p in doc.projects] == ["实验小学(东校)", "实验小学(西校)"]
    inventory = cells(
        ("序号", "设施名称", "数量", "权属单位"),
        ("1", "排水泵站", "2座", "区市政所"),
        ("2", "调蓄池", "1座", "区市政所"),
    )
    assert extract_text("t.txt", "某区移交方案\n\n附件\n\n" + inventory).projects == []


def test_an_indicator_table_read_under_its_columns():
    """32's table: 类别 printed on its group's first row, 单位 and 属性 before the target."""
    text = "某区“十五五”规划\n\n一、发展目标\n\n" + cells(
        ("序号", "类别", "指标名称", "单位", "属性", "目标值"),
        ("1", "总量和强度", "单位生产总值能耗下降率", "%", "约束性", "完成市下达指标"),
        ("2", "新增光伏装机容量", "兆瓦", "预期性", "≥50"),
    )
    doc = extract_text("t.txt", text)
    got = [(i.domain, i.name, i.unit, i.nature, i.target) for i in doc.indicators]
    assert got == [
        ("总量和强度", "单位生产总值能耗下降率", "%", "约束性", "完成市下达指标"),
        ("总量和强度", "新增光伏装机容量", "兆瓦", "预期性", "≥50"),
    ]


def test_a_goal_table_typed_quantitative_with_a_name_merged_over_sub_rows():
    """38's 指标名称 | 预期目标 | 指标类型 (定量): one indicator per name, its sub-rows' targets joined."""
    text = "某区改革方案\n\n一、改革目标\n\n" + cells(
        ("指标名称", "预期目标", "指标类型"),
        ("管道养护抽查合格率", "95%（含）以上", "定量"),
        ("排水管网运维水平", "泵站放江符合管控要求", "定量"),
        ("管网低水位运行", "定量"),
    )
    doc = extract_text("t.txt", text)
    assert [(i.name, i.unit, i.target, i.nature) for i in doc.indicators] == [
        ("管道养护抽查合格率", "%", "95%(含)以上", ""),
        ("排水管网运维水平", "", "泵站放江符合管控要求；管网低水位运行", ""),
    ]


def test_parts_before_the_goals_hold_no_measures_whatever_they_are_called():
    """40: 一、发展评估 and 二、发展趋势 stand before the part holding the indicator table; the task part
    follows it; the sub-headings of a context part inherit it."""
    text = (
        "某区交通规划\n\n一、“十四五”发展评估\n\n（一）发展情况\n\n1.对外服务能力显著增强\n\n枢纽地位逐步确立，客运量持续增长，服务能级提升。\n\n"
        "二、发展趋势及要求\n\n区域一体化进入关键期，要求提升对外辐射能力和服务水平。\n\n"
        "三、发展方向\n\n"
        + cells(("序号", "指标项", "现状值", "规划目标", "类型"), ("1", "轨道交通站点覆盖率", "18%", "20%", "预期性"))
        + "四、发展思路\n\n（一）增强枢纽能级\n\n推动枢纽站城融合发展。强化站城一体理念，完善配套路网建设。\n"
    )
    doc = extract_text("t.txt", text)
    assert [m.text[:9] for m in doc.measures] == ["（一）增强枢纽能级"]  # an item over one paragraph
    assert [i.name for i in doc.indicators] == ["轨道交通站点覆盖率"]


def test_verb_annotations_with_a_duty_phrase_and_a_remark():
    """22: 平潭海关等按职责分工负责; 21: a remark after the lists."""
    roles = parse_verb_form("区资源生态局牵头，区经发局、平潭海关等按职责分工负责")
    assert roles.roles == [
        ("区资源生态局", "lead", "牵头"),
        ("区经发局", "responsible", "按职责分工负责"),
        ("平潭海关", "responsible", "按职责分工负责"),
    ]
    remark = parse_verb_form("区环境局牵头，相关乡镇配合。以下均需相关乡镇配合，不再列出")
    assert remark.roles == [("区环境局", "lead", "牵头"), ("相关乡镇", "responsible", "配合")]


def test_a_goal_line_with_one_figure_is_an_indicator_and_a_milestone_sentence_is_not():
    """36: 一、主要工作目标 over one line; 34: a milestone sentence bundling several figures."""
    one = extract_text(
        "t.txt", "某区工作安排\n\n一、主要工作目标\n\n完成市级下达的节能目标：单位增加值能耗累计下降13.5%。\n"
    )
    assert [(i.name, i.target, i.unit) for i in one.indicators] == [("单位增加值能耗累计下降", "13.5%", "%")]
    many = "某区方案\n\n一、工作目标\n\n到2025年，建成避难场所20个，人均避难面积达到1.5平方米。\n"
    assert extract_text("t.txt", many).indicators == []


def test_a_goal_item_with_its_year_and_an_action_around_its_figure_is_an_indicator():
    """17: the goals part's items (（1）…) state one figure each, after the year (至2025年) and an action
    (实施…行动，), or before another clause (…以上，建设一批…); 10: 达 as the verb."""
    text = (
        "某市规划\n\n三、发展目标\n\n1.建筑能效水平持续提升\n\n"
        "（1）实施城乡建设碳达峰行动，至2025年本市建筑领域碳排放量控制在4500万吨左右。\n\n"
        "（2）形成超低能耗建筑技术与标准体系，累计落实超低能耗建筑示范项目500万平方米以上。\n\n"
        "（3）完成既有建筑节能改造面积2000万平方米以上，建设一批既有建筑绿色化改造示范工程。\n\n"
        "（4）消防安全常识知晓率综合得分达90分以上。\n\n"
        "（5）至2025年创建绿色生态城区项目25项以上，其中更新城区5项以上。\n\n"
        "四、重点任务\n\n（一）推进节能改造。到2025年完成改造面积300万平方米。\n"
    )
    doc = extract_text("t.txt", text)
    assert [(i.name, i.target, i.unit) for i in doc.indicators] == [
        ("建筑领域碳排放量", "4500万吨左右", "万吨"),
        ("超低能耗建筑示范项目", "500万平方米以上", "万平方米"),
        ("既有建筑节能改造面积", "2000万平方米以上", "万平方米"),
        ("消防安全常识知晓率综合得分", "90分以上", "分"),
    ]


def test_a_tables_caption_printed_as_a_cell_is_its_title_and_headers_name_their_columns():
    """15: “十四五”指标完成情况 stands one blank line above 指标名称 | 指标属性 | 目标值 | 现状值 | 进展评价,
    like a header cell; it is the table's title, and the target column comes before the baseline."""
    text = (
        "某区规划\n\n一、发展现状\n\n“十四五”指标完成情况\n\n指标名称\n指标属性\n\n目标值（2025年）\n\n"
        "现状值(2025年）\n\n进展评价\n\n河湖水面率\n\n约束性\n\n3.76%\n\n3.86%\n\n已完成\n\n"
        "城市易积水点消除比例\n\n预期性\n\n100%\n\n100%\n\n已完成\n\n二、主要任务\n\n（一）推进河道整治。完成整治。\n"
    )
    doc = extract_text("t.txt", text)
    assert [(i.name, i.baseline, i.target, i.nature) for i in doc.indicators] == [
        ("河湖水面率", "3.86%", "3.76%", "约束性"),
        ("城市易积水点消除比例", "100%", "100%", "预期性"),
    ]


def test_the_unit_after_a_figure_by_its_shape():
    assert [read_value(v).unit for v in ("6.3m3", "30万m³")] == ["m3", "万m3"]  # 15: a Latin unit with its power
    assert [read_value(v).unit for v in ("4.65km/km²", "38万乘次", "≤30分钟", "95%（含）以上", "4.1左右")] == [
        "km/km2",
        "万乘次",
        "分钟",
        "%",
        "",
    ]
    assert read_value("30分钟内处置完成").unit == ""


def test_the_section_classifier_by_heading_position_and_inheritance():
    """The classifier alone, over an outline: context parts by heading and by position, inheritance."""
    from policygraph.ingest.lines import split_lines
    from policygraph.ingest.outline import build_outline
    from policygraph.ingest.sections import Sections

    parts = (
        "一、工作回顾",
        "（一）成效",
        "二、发展目标",
        "三、重点任务",
        "（一）加快建设",
        "四、保障措施",
        "（一）加强领导",
    )
    text = "\n\n".join(parts) + "\n"
    root, _ = build_outline(split_lines(text))
    sections = Sections(research=False)
    parts = root.nodes()
    before = sections.parts_before_goals(parts)
    status = {part.title: sections.is_task(part, False, k < before) for k, part in enumerate(parts)}
    assert (before, status) == (2, {"工作回顾": False, "发展目标": False, "重点任务": True, "保障措施": False})
    review, tasks, safeguards = parts[0], parts[2], parts[3]
    assert not sections.is_task(review.nodes()[0], False)  # （一）成效 inherits 工作回顾
    assert sections.is_task(tasks.nodes()[0], True)
    assert not sections.is_task(safeguards.nodes()[0], False)


def test_yearly_columns_and_an_unnumbered_sub_row():
    """Indicator tables with a column per year (the first is the baseline, the last the target), and a
    其中 row under a numbered one; written for the test (no development document prints them so)."""
    yearly = "某县规划\n\n一、发展目标\n\n" + cells(
        ("序号", "指标名称", "单位", "2020年", "2021年", "2022年", "2023年", "2024年", "2025年", "属性"),
        ("1", "城镇新增就业", "万人", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "预期性"),
    )
    (indicator,) = extract_text("t.txt", yearly).indicators
    assert (indicator.baseline_year, indicator.baseline, indicator.target_year, indicator.target) == (
        "2020",
        "2.1",
        "2025",
        "2.6",
    )
    sub = "某县规划\n\n一、发展目标\n\n" + cells(
        ("序号", "指标名称", "2020年", "2025年", "属性"),
        ("1", "城镇新增就业（万人）", "2.5", "3", "预期性"),
        ("其中：高校毕业生就业（万人）", "1", "1.2", "预期性"),
        ("2", "城镇调查失业率（%）", "5", "≤5.5", "约束性"),
    )
    got = [(i.name, i.unit, i.baseline, i.target) for i in extract_text("t.txt", sub).indicators]
    assert got == [
        ("城镇新增就业", "万人", "2.5", "3"),
        ("其中:高校毕业生就业", "万人", "1", "1.2"),
        ("城镇调查失业率", "%", "5", "≤5.5"),
    ]


def test_a_lead_marked_inside_a_list_and_a_time_field_in_an_annotation():
    """Forms seen in plans elsewhere, not in the development documents; written for the test."""
    from policygraph.ingest.roles import parse_labelled

    assert parse_labelled("责任单位：区建管委（牵头）、区财政局").roles == [
        ("区建管委", "lead", "责任单位"),
        ("区财政局", "responsible", "责任单位"),
    ]
    assert parse_labelled("牵头单位：区建管委；配合单位：区财政局；完成时限：2025年底").roles == [
        ("区建管委", "lead", "牵头单位"),
        ("区财政局", "responsible", "配合单位"),
    ]


def test_a_goals_part_holds_no_measures_when_annexes_follow_the_body():
    """38 as printed by Word (no markdown title, the annex lists after the body): 一、改革目标 states
    the goals, so it holds no measures, as it does not when the title is a '#' line."""
    text = (
        "某区排水管理体制改革实施方案\n一、改革目标\n2025年底前将公共排水设施交由统一运维，实现降本增效。\n"
        "二、改革任务\n（一）区级方案编制\n由区水务局编制区级实施方案，报区政府审定。\n"
        "（二）推进平稳移交\n完成设施移交和人员安置。\n三、保障措施\n加强组织领导。\n"
        "附件1：移交清单\n附件2：联系人名单\n"
    )
    doc = extract_text("t.txt", text)
    assert [m.text[:7] for m in doc.measures] == ["（一）区级方案", "（二）推进平稳"]


def test_a_duty_table_of_tab_separated_rows():
    """12's 附件2 as a .docx or web page gives it: 单位 | 职责分工 rows; a blank unit cell (merged
    with the one above) is another duty of that unit."""
    text = (
        "某区违法用地整治方案\n\n附件2\n\n成员单位职责分工\n\n单位\t职责分工\n"
        "区规划资源局\t拟定本区违法用地综合整治工作方案。\n\t负责整治工作的日常协调。\n"
        "区税务局\t负责调整或取消相关税收优惠政策。\n"
    )
    doc = extract_text("t.txt", text)
    assert [(d.unit, d.text) for d in doc.duties] == [
        ("区规划资源局", "拟定本区违法用地综合整治工作方案。"),
        ("区规划资源局", "负责整治工作的日常协调。"),
        ("区税务局", "负责调整或取消相关税收优惠政策。"),
    ]


def test_a_task_table_whose_header_is_narrower_than_its_rows():
    """05's task table as a web page prints it: the header's five cells stand over the last five of
    seven columns (a group and a number come before each task), blank header cells after them."""
    text = "某区建筑垃圾管理方案\n\n二、主要任务\n\n" + "\n".join(
        [
            "序号\t工作任务\t主要工作内容\t牵头单位\t配合单位\t\t",
            "一\t构建处置体系\t（一）\t推动源头减量\t在项目设计文件中增加土方消纳平衡内容。\t区建设管理委\t区规划资源局",
            "\t\t（二）\t提升消纳能力\t开展建筑垃圾消纳场所备案工作。\t区绿化市容局\t区生态环境局",
        ]
    )
    doc = extract_text("t.txt", text + "\n")
    assert [(m.lead_units, m.responsible_units) for m in doc.measures] == [
        (["区建设管理委"], ["区规划资源局"]),
        (["区绿化市容局"], ["区生态环境局"]),
    ]


def test_an_indicator_table_with_a_header_of_three_rows_and_a_group_column_before_the_number():
    """41's 核心指标表: 指标值 spans 现状 | 近期规划, printed row by row over （2025年） | （2030年）; the
    category column before 序号 is printed on each group's first row only; a bracket that is not the
    unit column's word stays in the name."""
    text = "某区国土空间近期规划\n\n一、总体要求\n\n专栏1 核心指标表\n\n" + cells(
        ("指标类别", "序号", "指标项", "单位", "类型", "指标值", "现状", "近期规划", "（2025年）", "（2030年）"),
        ("发展规模", "1", "建设用地总规模", "平方千米", "约束性", "53.75", "53.74"),
        ("历史文化", "2", "风貌保护街坊面积", "平方千米", "约束性", "1.31", "1.31"),
        ("3", "风貌保护道路（街巷）", "条", "约束性", "1", "2"),
        ("4", "人均公园绿地面积（平方米）", "平方米", "预期性", "8.2", "9"),
    )
    doc = extract_text("t.txt", text)
    assert [(i.name, i.unit, i.domain, i.baseline, i.target, i.nature) for i in doc.indicators] == [
        ("建设用地总规模", "平方千米", "发展规模", "53.75", "53.74", "约束性"),
        ("风貌保护街坊面积", "平方千米", "历史文化", "1.31", "1.31", "约束性"),
        ("风貌保护道路(街巷)", "条", "历史文化", "1", "2", "约束性"),
        ("人均公园绿地面积", "平方米", "历史文化", "8.2", "9", "预期性"),
    ]


def test_an_items_goal_and_a_safeguards_part_hold_no_measures():
    """41: each action (（一）…行动) has 1.行动目标 and 2.行动任务, only the second commits; 23: 五、工作保障
    is the safeguards part under another name."""
    text = (
        "某区行动方案\n\n一、总体要求\n\n到2030年，全面建成现代化城区。\n\n二、行动任务\n\n（一）全力服务中心建设行动\n\n"
        "1.行动目标\n\n加强在国家战略中的作用，到2030年基本建成功能区。\n\n2.行动任务\n\n一是完善功能布局，推进重点地区开发建设。\n\n"
        "（二）推进城市更新行动\n\n1.行动目标\n\n到2030年完成更新项目二十个，城区面貌明显改善。\n\n"
        "2.行动任务\n\n一是推进旧区改造，实施成片更新工程。\n\n"
        "三、工作保障\n\n（一）强化领导。进一步加强对各项工作的组织领导，成立工作专班。\n\n"
    )
    doc = extract_text("t.txt", text)
    assert [(m.number, m.title) for m in doc.measures] == [("2.", "行动任务"), ("2.", "行动任务")]


def test_a_numbered_sub_item_over_untitled_paragraphs_is_one_measure():
    """27 (（四）养护质量管理 → 1.区管公路 → two paragraphs) and 05 (1、源头工地监管 → paragraphs): an item
    at the 1. or （1） level is one measure with its paragraphs, also when they open with their own title
    phrase (15: 1.城市防洪除涝建设 → 强化防汛设施提标改造。…, as its golden file reads it)."""
    text = (
        "某区实施细则\n\n一、主要任务\n\n（一）养护质量管理\n\n1.区管公路\n\n"
        "区管公路养护按照有关技术规范和管理办法执行。\n\n根据行业要求实行检查考核制，由区道运中心负责。\n\n"
        "2.乡村道路\n\n由区道运中心按照考核办法对乡村道路养护管理进行考核。\n\n考核成绩作为分配养护费的重要依据。\n\n"
        "（二）防洪除涝\n\n1.城市防洪建设\n\n强化防汛设施提标改造。持续做好骨干河道防汛墙巡查养护和抢险维修。\n\n"
        "提高区域河网蓄排能力。开展骨干河道局部拓宽等工程研究，并有序推进实施。\n\n"
    )
    doc = extract_text("t.txt", text)
    assert [(m.number, m.title or m.text[:6]) for m in doc.measures] == [
        ("1.", "区管公路"),
        ("2.", "乡村道路"),
        ("1.", "城市防洪建设"),
    ]
    assert "检查考核制" in doc.measures[0].text and "分配养护费" in doc.measures[1].text


TASK_TABLE = "某区排水管理改革实施方案\n\n三、主要任务\n\n附件\n\n重点任务分工表\n\n"


def test_unit_columns_by_their_shape_whatever_their_words():
    """Synthetic (no development document has these words): 主办单位 | 协办单位 after the task and
    before a time column, as a web page's cells and as tab-separated rows; 主办 leads."""
    rows = [
        ("序号", "工作任务", "具体内容", "主办单位", "协办单位", "完成时限"),
        ("1", "完善排水设施", "加快推进雨污分流改造，消除混接点", "区建设管理委", "区水务局、区财政局", "2025年底"),
        ("2", "加强运维管理", "建立排水设施运维考核机制", "区水务局", "各街道", "2025年6月"),
    ]
    for text in (cells(*rows), "\n".join("\t".join(row) for row in rows) + "\n"):
        doc = extract_text("t.txt", TASK_TABLE + text)
        assert [(m.number, m.title, m.lead_units, m.responsible_units) for m in doc.measures] == [
            ("1", "完善排水设施", ["区建设管理委"], ["区水务局", "区财政局"]),
            ("2", "加强运维管理", ["区水务局"], ["各街道"]),
        ]


def test_a_unit_cell_merged_over_rows_printed_with_the_first_of_them():
    """Synthetic, the shape the ingest issue names: the merged 牵头/配合 cells stand on the first row of
    their block, the later rows print none (blank cells in tab-separated rows, nothing at all when
    cells are one per line); a block that prints its own units starts again."""
    head = ("序号", "任务", "措施", "牵头单位", "配合单位")
    rows = [
        ("1", "完善排水设施", "加快推进雨污分流改造，消除混接点", "区建设管理委", "区水务局"),
        ("2", "完善排水设施", "推进泵站提标改造，提高排水能力", "", ""),
        ("3", "加强运维管理", "建立排水设施运维考核机制", "区水务局", "各街道"),
        ("4", "加强运维管理", "开展排水许可专项检查", "", ""),
    ]
    by_cells = cells(head, *[tuple(c for c in row if c) for row in rows])
    by_tabs = "\n".join("\t".join(row) for row in [head, *rows]) + "\n"
    for text in (by_cells, by_tabs):
        doc = extract_text("t.txt", TASK_TABLE + text)
        assert [(m.number, m.lead_units, m.responsible_units) for m in doc.measures] == [
            ("1", ["区建设管理委"], ["区水务局"]),
            ("2", ["区建设管理委"], ["区水务局"]),
            ("3", ["区水务局"], ["各街道"]),
            ("4", ["区水务局"], ["各街道"]),
        ]


def test_indicator_headers_split_over_lines_or_named_by_words_no_rule_lists():
    """Synthetic: 指标 | 单位 | 2020年 / 现状 (a header cell broken over two lines) | 2025年 / 目标 | 属性
    as cells, and 2020年基数 | 2025年预期 (an unseen baseline word beside a target word)."""
    text = "某区规划\n\n二、主要目标\n\n表1 主要指标\n\n" + cells(
        ("序号", "指标", "单位", "2020年", "现状", "2025年", "目标", "属性"),
        ("1", "空气质量优良天数比例", "%", "90", "92", "约束性"),
        ("2", "细颗粒物浓度", "微克/立方米", "35", "30", "约束性"),
    )
    found = [(i.name, i.unit, i.baseline, i.target, i.nature) for i in extract_text("t.txt", text).indicators]
    assert found == [
        ("空气质量优良天数比例", "%", "90", "92", "约束性"),
        ("细颗粒物浓度", "微克/立方米", "35", "30", "约束性"),
    ]
    rows = [
        ("类别", "指标名称", "计量单位", "2020年基数", "2025年预期", "指标类型"),
        ("环境质量", "空气质量优良天数比例", "%", "90.1", "92", "约束性"),
        ("", "细颗粒物年均浓度", "微克/立方米", "35", "≤30", "约束性"),
    ]
    text = "某区规划\n\n二、主要目标\n\n表1 主要指标\n\n" + "\n".join("\t".join(row) for row in rows) + "\n"
    found = [
        (i.name, i.baseline_year, i.baseline, i.target_year, i.target) for i in extract_text("t.txt", text).indicators
    ]
    assert found == [
        ("空气质量优良天数比例", "2020", "90.1", "2025", "92"),
        ("细颗粒物年均浓度", "2020", "35", "2025", "≤30"),
    ]


def test_a_label_pairs_any_role_word_with_any_kind_of_unit_and_a_sentence_may_name_its_lead():
    """29: （责任处室：…） closes each item; 31: …的，由街镇牵头协调公安、交通… names the lead in the
    sentence itself (a measure with no annotation)."""
    text = (
        "某片区行动方案\n\n二、主要任务\n\n（一）优化养殖空间布局。全面优化养殖空间布局，调减近岸网箱养殖规模。"
        "（责任处室：农业农村处、资源生态处、各渔业村）\n\n"
        "（二）推进夜间停车。周边道路具备夜间停车条件的，由街镇牵头协调公安、交通、居委会施划临时泊位。\n"
    )
    doc = extract_text("t.txt", text)
    assert [(m.lead_units, m.responsible_units) for m in doc.measures] == [
        ([], ["农业农村处", "资源生态处", "各渔业村"]),
        (["街镇"], []),
    ]


def test_a_lead_the_sentence_gives_a_mechanism_is_not_the_measures():
    """10: 构建由属地街道牵头，多部门联合执法…机制 sets up a mechanism led by the 街道; the measure names no
    lead of its own (nor does 建立由区政府牵头的联席会议制度)."""
    text = (
        "某区规划\n\n五、主要任务\n\n15.改善消防车通道。开展专题调研，构建由属地街道牵头，多部门联合执法和协作管理机制。\n\n"
        "16.完善联动机制。建立由区政府牵头的联席会议制度，定期会商。\n\n"
        "17.推进夜间停车。具备条件的，由街镇牵头协调公安、交通施划临时泊位。\n"
    )
    doc = extract_text("t.txt", text)
    assert [m.lead_units for m in doc.measures] == [[], [], ["街镇"]]


def test_a_two_column_indicator_table_printed_as_blocks_of_lines():
    """37's 主要指标预期目标 (指标名称 | 预期目标): a row is a block of lines, its name then its target; a
    one-line block continues the target above (a target cell of several paragraphs)."""
    text = (
        "某市改革方案\n\n一、改革目标\n\n到2027年，基本形成一体化运维管理格局。\n\n主要指标预期目标\n\n指标名称\n预期目标\n\n"
        "管道养护抽查合格率\n95%（含）以上\n\n污水收集处理水平\n污水厂进厂浓度大于100mg/L\n\n污水厂无溢流\n\n管网低水位运行\n\n"
        "二、工作任务\n\n（一）推进平稳有序移交。相关区政府将辖区内公共排水设施交由集团统一运维管理。\n"
    )
    doc = extract_text("t.txt", text)
    assert [(i.name, i.target) for i in doc.indicators] == [
        ("管道养护抽查合格率", "95%(含)以上"),  # values NFKC-folded, as the contract says
        ("污水收集处理水平", "污水厂进厂浓度大于100mg/L；污水厂无溢流；管网低水位运行"),
    ]
    assert [m.number for m in doc.measures] == ["（一）"]


def test_annexes_that_hold_no_measures_of_this_plan():
    """29: the list of attached files (附件：1.… 2.…), a roster (…指挥部成员及职责) whose duties are
    introduced inline (成员单位分工职责：X：…), and the county's own scheme reproduced in full under a
    片区's plan; 05: an annexed 职责清单 by unit is duties. A heading run into its text on a one-line
    page (一、整治目标2021年-…) is still a goals part."""
    text = (
        "平潭综合实验区苏平片区管理局关于印发苏平片区养殖设施升级改造行动方案的通知\n\n苏平片区养殖设施升级改造行动方案\n\n"
        "一、整治目标2021年-2022年，集中开展海上养殖设施升级改造，全面完成改造任务。\n\n二、主要任务\n\n"
        "（一）优化养殖空间布局。全面优化养殖空间布局，调减近岸网箱养殖规模。（责任处室：农业农村处）\n\n"
        "附件：\n\n1.苏平片区海上养殖综合整治指挥部成员及职责\n\n2.平潭综合实验区海上养殖设施升级改造实施方案\n\n"
        "附件1\n\n苏平片区海上养殖综合整治指挥部成员及职责\n\n总指挥：某某\n\n"
        "成员单位分工职责：党政办公室：负责辖区海上设施升级改造配套资金保障。农业农村处：制定辖区海上养殖设施升级改造行动方案。\n\n"
        "附件2\n\n平潭综合实验区海上养殖设施升级改造实施方案\n\n一、总体目标\n\n全面完成升级改造。\n\n"
        "二、工作流程\n\n（一）组织申报。申请对象需提供项目申报表，由村委审核把关后报片区。\n\n"
        "附件3\n\n土方管理平台职责清单\n\n一、区数据局\n\n做好土方管理平台的技术支撑，对接市级平台，收集汇总市级信息数据。\n"
    )
    doc = extract_text("t.txt", text)
    assert doc.region == "苏平片区"
    assert [m.number for m in doc.measures] == ["（一）"]
    assert [d.unit for d in doc.duties] == ["党政办公室", "农业农村处", "区数据局"]


def test_the_first_paragraph_under_a_heading_is_a_measure_when_it_commits():
    """27's （十）应急处置: 区道运中心应当设立应急仓库… opens the part and commits (a unit and what it
    shall do); a one-sentence frame (围绕…，统筹推进以下工作) before the paragraphs still does not."""
    text = (
        "某区实施细则\n\n一、主要任务\n\n（一）应急处置\n\n区道运中心应当设立应急仓库并制定区管公路突发事件应急预案。\n\n"
        "各街镇应当设立应急仓库并制定本辖区乡村道路突发事件应急预案。\n\n"
        "（二）日常养护\n\n围绕农村公路高质量发展目标，统筹推进以下日常养护工作。\n\n"
        "农村公路日常养护应通过市场化方式落实养护队伍，按规定办理政府采购。\n\n"
        "区道运中心每季度组织对各镇的农村公路养护情况进行检查指导，并通报相关情况。\n"
    )
    assert [m.text[:6] for m in extract_text("t.txt", text).measures] == [
        "区道运中心应",
        "各街镇应当设",
        "农村公路日常",
        "区道运中心每",
    ]


def test_a_unit_list_wrapped_over_cells():
    """Synthetic, the shape the ingest issue names: a 配合单位 list broken over lines after 、 arrives
    as several cells; they are one list, in the column of its first part."""
    rows = [
        ("序号", "任务", "措施", "牵头单位", "配合单位"),
        (
            "1",
            "完善排水设施",
            "加快推进雨污分流改造，消除混接点",
            "区建设管理委",
            "区水务局、",
            "区财政局、",
            "区生态环境局",
        ),
        ("2", "加强运维管理", "建立排水设施运维考核机制", "区水务局", "各街道"),
    ]
    doc = extract_text("t.txt", TASK_TABLE + cells(*rows))
    assert [(m.lead_units, m.responsible_units) for m in doc.measures] == [
        (["区建设管理委"], ["区水务局", "区财政局", "区生态环境局"]),
        (["区水务局"], ["各街道"]),
    ]


def test_a_unit_column_before_the_task_and_annotations_in_square_brackets():
    """Synthetic, no development document prints these: 序号 | 责任单位 | 工作任务 | 完成时限 as cells and
    as tab-separated rows; 【责任单位：…】 and [牵头单位：…] closing an item."""
    rows = [
        ("序号", "责任单位", "工作任务", "完成时限"),
        ("1", "区建设管理委", "加快推进雨污分流改造，消除混接点", "2025年底"),
        ("2", "区水务局、各街道", "建立排水设施运维考核机制", "2025年6月"),
    ]
    for text in (cells(*rows), "\n".join("\t".join(row) for row in rows) + "\n"):
        doc = extract_text("t.txt", TASK_TABLE + text)
        assert [(m.number, m.text[:6], m.responsible_units) for m in doc.measures] == [
            ("1", "加快推进雨污", ["区建设管理委"]),
            ("2", "建立排水设施", ["区水务局", "各街道"]),
        ]
    text = (
        "某区实施方案\n\n二、工作任务\n\n（一）区级方案编制。编制区级实施方案并报区政府。【责任单位：区建管委、区财政局】\n\n"
        "（二）设施移交。按计划分批完成设施移交。[牵头单位：区水务局]\n"
    )
    doc = extract_text("t.txt", text)
    assert [(m.lead_units, m.responsible_units) for m in doc.measures] == [
        ([], ["区建管委", "区财政局"]),
        (["区水务局"], []),
    ]
    assert "【" not in doc.measures[0].text


def test_a_plan_that_says_each_lists_first_unit_leads():
    """Synthetic (no development document shows it; many real plans do): a note that the first unit
    of each list leads (排在第一位的为牵头单位) makes the first of an unlabelled list or of a 责任单位
    cell the lead; a list printed under a supporting label stays supporting; without the note
    nothing is promoted."""
    note = "（注：各项任务中排在第一位的为牵头单位，其他为配合单位）\n\n"
    body = (
        "某区实施方案\n\n二、主要任务\n\n{note}（一）加强基层治理。完善网格化管理体系。（区民政局、区司法局、各街镇）\n\n附表\n\n"
        + cells(
            ("序号", "工作任务", "责任单位", "配合单位"),
            ("1", "推进社区服务中心标准化建设", "区民政局、区财政局", "各街镇"),
            ("2", "开展法律服务进社区活动", "区司法局", "区民政局"),
        )
    )
    doc = extract_text("t.txt", body.format(note=note))
    assert [(m.lead_units, m.responsible_units) for m in doc.measures] == [
        (["区民政局"], ["区司法局", "各街镇"]),
        (["区民政局"], ["区财政局", "各街镇"]),
        (["区司法局"], ["区民政局"]),
    ]
    plain = extract_text("t.txt", body.format(note=""))
    assert all(not m.lead_units for m in plain.measures) and len(plain.measures) == 3
    for said in ("列首位者为牵头部门", "第一个单位为牵头单位", "排名第一的单位为牵头单位"):
        assert first_listed_leads(said)
    assert not first_listed_leads("把人民生命安全放在第一位，由区应急局牵头")


def test_a_unit_cell_says_its_roles_itself_labelled_in_verb_form_or_marked():
    """Synthetic (no development document shows them; real task tables do): a cell under one unit
    column that labels its units (牵头：A；配合：B), says them in verb form (由A牵头，B配合) or marks
    its lead (A（牵头）、B); a plain list takes the column's role."""
    shapes = [
        ("牵头单位：区水务局；配合单位：区建管委、各街道", ["区水务局"], ["区建管委", "各街道"]),
        ("牵头：区水务局\n配合：区建管委", ["区水务局"], ["区建管委"]),
        ("由区水务局牵头，区建管委、各街道配合", ["区水务局"], ["区建管委", "各街道"]),
        ("区水务局（牵头）、区建管委", ["区水务局"], ["区建管委"]),
        ("区水务局、区建管委", [], ["区水务局", "区建管委"]),
    ]
    for cell, lead, support in shapes:
        text = "某区实施方案\n\n二、主要任务\n\n附表\n\n" + cells(
            ("序号", "工作任务", "责任单位"),
            ("1", "推进雨污混接改造，完成排水管网排查", cell),
            ("2", "开展河道整治和绿地建设", "区绿化市容局"),
        )
        rows = [m for m in extract_text("t.txt", text).measures if m.kind == "table_row"]
        assert [(m.lead_units, m.responsible_units) for m in rows] == [(lead, support), ([], ["区绿化市容局"])], cell


def test_a_unit_column_over_its_roles_in_a_header_of_two_rows():
    """Synthetic (no development document shows it; real task tables do): 责任单位 printed over 牵头 |
    配合, as two tab-separated header rows or as header cells one per line; the roles below name the
    unit columns, so the first unit cell of a row leads."""
    tsv = (
        "某区实施方案\n\n二、主要任务\n\n附表 任务分工表\n\n序号\t重点任务\t责任部门\t\n\t\t牵头\t配合\n"
        "1\t推进雨污混接改造，完成排水管网排查\t区水务局\t区建管委、各街道\n2\t开展河道整治和绿地建设\t区绿化市容局\t区城管执法局\n"
    )
    one_per_line = "某区实施方案\n\n二、主要任务\n\n附表\n\n" + cells(
        ("序号", "重点任务", "责任部门", "牵头", "配合"),
        ("1", "推进雨污混接改造，完成排水管网排查", "区水务局", "区建管委、各街道"),
        ("2", "开展河道整治和绿地建设", "区绿化市容局", "区城管执法局"),
    )
    for text in (tsv, one_per_line):
        rows = [m for m in extract_text("t.txt", text).measures]
        assert [(m.number, m.lead_units, m.responsible_units) for m in rows] == [
            ("1", ["区水务局"], ["区建管委", "各街道"]),
            ("2", ["区绿化市容局"], ["区城管执法局"]),
        ]
        assert {r.label for m in rows for r in m.unit_roles} == {"牵头部门", "配合部门"}


def test_a_column_of_officials_over_the_task_is_neither_a_unit_nor_the_task():
    """Synthetic (no development document shows it; district task tables often do): 牵头区领导 names
    the officials over a task (区委常委、副区长), posts that end like a unit (…委) but are none, and
    that are not the task's text either; tab-separated or one cell per line."""
    rows = [
        ("1", "推进雨污混接改造，完成排水管网排查", "区委常委、副区长", "区水务局", "区建管委、各街道"),
        ("2", "开展河道整治和绿地建设", "区委常委", "区绿化市容局", "区城管执法局"),
    ]
    header = ("序号", "工作任务", "牵头区领导", "牵头单位", "配合单位")
    head = "某区实施方案\n\n二、主要任务\n\n附表\n\n"
    tsv = head + "\n".join("\t".join(row) for row in [header, *rows]) + "\n"
    for text in (tsv, head + cells(header, *rows)):
        measures = extract_text("t.txt", text).measures
        assert [(m.text, m.lead_units, m.responsible_units) for m in measures] == [
            ("推进雨污混接改造，完成排水管网排查", ["区水务局"], ["区建管委", "各街道"]),
            ("开展河道整治和绿地建设", ["区绿化市容局"], ["区城管执法局"]),
        ]


def test_units_joined_by_a_word_and_verb_forms_under_a_label():
    """Synthetic: units joined by 及/和/会同 are each a unit, where each part names one (区人力资源和
    社会保障局 and 各相关部门和单位 stay whole); a label over a verb form (责任单位：A牵头，B配合) gives
    the roles the verbs say."""
    assert split_units("区水务局会同区建管委")[0] == ["区水务局", "区建管委"]
    assert split_units("区城管执法局和属地街镇及区绿化市容局")[0] == ["区城管执法局", "属地街镇", "区绿化市容局"]
    assert split_units("区人力资源和社会保障局、各相关部门和单位")[0] == ["区人力资源和社会保障局", "各相关部门和单位"]
    roles = parse_annotation("责任单位：区水务局牵头，区建管委、区绿化市容局配合")
    assert [(name, role) for name, role, _ in roles.roles] == [
        ("区水务局", "lead"),
        ("区建管委", "responsible"),
        ("区绿化市容局", "responsible"),
    ]


def test_a_closing_numbered_as_a_part_and_a_part_of_definitions_hold_no_measures():
    """Synthetic, the shape of 27 and 02 (实施细则): 五、本办法自…起实施 closes the rules, 范围及定义
    defines the roads it covers; neither commits to anything."""
    text = (
        "某区农村公路管理实施细则\n\n一、主要任务\n\n（一）范围及定义\n\n1.县道\n\n县道是指连接区与镇的公路，全长120公里。\n\n"
        "（二）管理养护\n\n1.完善养护制度。落实农村公路养护资金，推进养护市场化。\n\n"
        "二、本办法自发布之日起实施，由区交通委负责解释。\n"
    )
    assert [m.title for m in extract_text("t.txt", text).measures] == ["完善养护制度"]


def test_parts_between_the_goals_and_a_part_named_the_tasks_hold_no_measures():
    """Synthetic, the shape of 41: 一、总体要求, 二、空间格局 (the plan's framework, its strategies as
    numbered items), 三、行动任务, 四、保障措施: where a part is named the tasks, the parts before it that
    name no tasks are not task parts; a plan that names none keeps every part between its goals and
    its safeguards."""
    framework = "二、空间格局\n\n1.协同发展战略\n\n顺应区域协同发展新态势，推动跨区联动发展。\n\n"
    tasks = "三、{}\n\n1.推进城市更新。完成旧区改造十万平方米。\n\n四、保障措施\n\n加强组织领导，落实工作责任。\n"
    head = "某区规划\n\n一、总体要求\n\n到2030年，城区功能全面提升。\n\n"
    named = extract_text("t.txt", head + framework + tasks.format("行动任务"))
    assert [m.title for m in named.measures] == ["推进城市更新"]
    unnamed = extract_text("t.txt", head + framework + tasks.format("提升城区品质"))
    assert [m.title for m in unnamed.measures] == ["协同发展战略", "推进城市更新"]


def test_the_leads_a_measures_text_names_join_its_annotation():
    """Synthetic, the shape of 23 and 25: a clause that opens with its leads (。X、Y牵头，…) or 由X牵头
    names the leads; a trailing 责任单位 list that names no lead keeps its units beside them."""
    text = (
        "某镇近邻服务实施方案\n\n二、主要任务\n\n（一）助老服务。村居党组织、村（居）委会牵头，整合养老资源，"
        "加强居家养老服务设施建设。责任单位：社会事业处，各行政村（社区）\n\n"
        "（二）完善名录。开展推荐申报工作。由区文体局牵头，规范名录体系建设。（区文体局、各片区）\n"
    )
    measures = extract_text("t.txt", text).measures
    assert [(m.lead_units, m.responsible_units) for m in measures] == [
        (["村居党组织", "村（居）委会"], ["社会事业处", "各行政村（社区）"]),
        (["区文体局"], ["区文体局", "各片区"]),
    ]


def test_a_matrix_of_places_by_indicators_gives_each_places_values():
    """Synthetic (the issue's matrix shape; corpus-dev 12 has one whose header of four rows cannot be
    set in columns one cell per line, and is left unread): towns as rows, indicators as columns, a
    row of units, '/' for none, a total row; tab-separated with a group row over the names, or one
    cell per line. Each value is an indicator of its place, its column's group its domain."""
    tail = "\n二、主要任务\n\n（一）建设公园。新建公园五座，完善绿道网络。\n"
    tsv = (
        "某区绿化规划\n\n一、发展目标\n\n表2 2025年各街镇绿化指标分解表\n\n街镇\t绿化指标\t\t环境指标\n"
        "\t公园绿地面积\t绿道长度\tPM2.5浓度\n\t（公顷）\t（公里）\t（微克/立方米）\n"
        "华漕镇\t12\t5.5\t30\n新泾镇\t/\t2.0\t32\n合计\t12\t7.5\t31\n" + tail
    )
    doc = extract_text("t.txt", tsv)
    got = [(i.place, i.name, i.unit, i.target_year, i.target, i.domain) for i in doc.indicators]
    assert got[:4] == [
        ("华漕镇", "公园绿地面积", "公顷", "2025", "12", "绿化指标"),
        ("华漕镇", "绿道长度", "公里", "2025", "5.5", "绿化指标"),
        ("华漕镇", "PM2.5浓度", "微克/立方米", "2025", "30", "环境指标"),
        ("新泾镇", "绿道长度", "公里", "2025", "2.0", "绿化指标"),  # '/': 新泾镇 has no 公园绿地面积
    ]
    assert len(got) == 8 and got[-1][0] == "合计"
    assert [m.title for m in doc.measures] == ["建设公园"]
    places = {o for _, p, o in document_triples(doc) if p.endswith("#place>")}  # in RDF, once per place's value
    assert places == {'"华漕镇"', '"新泾镇"', '"合计"'}
    assert "place" in dict(columns(Indicator, PART))  # and a property of both Cypher stores' Indicator nodes
    one_per_line = "某区绿化规划\n\n一、发展目标\n\n" + cells(
        ("街镇", "公园绿地面积", "绿道长度"),
        ("（公顷）", "（公里）"),
        ("华漕镇", "12", "5.5"),
        ("仙霞街道", "3.2", "/"),
    )
    got = [(i.place, i.name, i.unit, i.target) for i in extract_text("t.txt", one_per_line + tail).indicators]
    assert got == [
        ("华漕镇", "公园绿地面积", "公顷", "12"),
        ("华漕镇", "绿道长度", "公里", "5.5"),
        ("仙霞街道", "公园绿地面积", "公顷", "3.2"),
    ]
    groups_one_per_line = one_per_line.replace("街镇\n\n", "街镇\n\n绿化指标\n\n", 1)
    assert extract_text("t.txt", groups_one_per_line + tail).indicators == []  # which name over which column?


def test_the_first_of_a_list_of_bullets_is_a_measure_not_a_lead_in():
    """Synthetic: paragraphs marked ● under a heading are a list; the first introduces nothing."""
    text = (
        "某区方案\n\n二、主要任务\n\n（一）优化空间布局\n\n●构建一核两带格局，推进重点区域开发建设。\n\n"
        "●完善城市功能，加快公共服务设施建设。\n"
    )
    assert [m.text[:5] for m in extract_text("t.txt", text).measures] == ["●构建一核", "●完善城市"]


def test_remarks_time_fields_and_lead_marks_in_annotations():
    """Synthetic: a remark in brackets after the last unit (按职责分工负责) is no part of its name, an
    alias in brackets is; 时间： ends the units; an unlabelled list marks its lead (X（牵头）)."""

    def read(text: str) -> list[tuple[str, str]]:
        return [(name, role) for name, role, _ in parse_annotation(text).roles]

    assert read("责任单位：区发改委、区财政局（按职责分工负责）") == [
        ("区发改委", "responsible"),
        ("区财政局", "responsible"),
    ]
    assert read("牵头单位：区发改委（区统计局）") == [("区发改委（区统计局）", "lead")]
    assert read("责任单位：区发改委、区经委；时间：2024年底前") == [
        ("区发改委", "responsible"),
        ("区经委", "responsible"),
    ]
    assert read("区建管委（牵头）、区水务局") == [("区建管委", "lead"), ("区水务局", "responsible")]


def test_a_group_merged_over_tab_separated_rows_and_a_header_printed_again():
    """Synthetic, as .docx and .html render 32's and 34's tables: a group cell merged over rows is
    printed with the first of them and blank below (保障措施 holds no measures, in all its rows); a
    row that prints the header again, its cells spaced or split otherwise, is no row."""
    text = (
        "某区规划\n\n附件：重点任务一览表\n\n重点任务\t序号\t举措\t主要内容\n"
        "推进节能\t1\t加强用能管理\t引导重点单位加强节能管理。\n\t2\t严控项目准入\t坚决遏制高耗能项目。\n"
        "保障措施\t3\t强化组织保障\t建立区级节能降碳管理机制。\n\t4\t完善政策支持\t完善区级支持体系。\n"
    )
    assert [m.number for m in extract_text("t.txt", text).measures] == ["1", "2"]
    text = (
        "某区方案\n\n附件：应急避难场所清单\n\n序号\t权属部门\t场所名称\t地址\t避难面积(万平方米)\n"
        "1\t南桥镇\t古华公园\t南桥镇解放路\t0.8\n权属部门\t场所名称\t地 址\t避难面积\t（万平方米）\n"
        "2\t庄行镇\t庄行公园\t庄行镇南亭公路\t2.55\n"
    )
    assert [p.name for p in extract_text("t.txt", text).projects] == ["古华公园", "庄行公园"]


def test_long_runs_of_unit_names_are_read_in_linear_time():
    """Lists that once sent a recursive split or a repeated regex group into exponential backtracking:
    many units joined by 和 (ending in something else, or not), and a run-together row whose unit-like
    characters end in no unit. Each answers; a regression would not return at all."""
    joined = "区教育局和" * 60
    assert split_units(joined + "区财政局")[0] == ["区教育局"] * 60 + ["区财政局"]
    assert split_units(joined + "说明文字")[0] == [joined + "说明文字"]
    page = "某区方案\n\n附件\n\n序号重点任务责任单位1改造道路三条。" + "区局" * 3000 + "某2整治小巷。区住建局\n"
    assert [m.kind for m in extract_text("t.txt", page).measures] == []


def test_listed_shapes_a_long_title_a_lone_year_column_paired_unit_columns_and_labelled_paragraphs():
    """Synthetic, shapes the ingest issue lists: a title of 20+ characters with no end punctuation is a
    heading, not a sentence a page break cut (its paragraph opens a sentence of its own); a value
    column named by its year alone is the target, its comparator kept as printed (≦35); a cell X（Y）
    under 牵头单位（配合单位） is two units; one annotation after several 社区养老：… paragraphs is
    the heading's measure's."""
    long_title = "（一）加快推进城乡一体化公共服务设施建设和运营管理体制机制改革创新"
    text = f"某区方案\n\n二、主要任务\n\n{long_title}\n\n完善设施布局，提升运营水平。\n\n（二）加强队伍\n\n培养人才。\n"
    assert [m.title for m in extract_text("t.txt", text).measures] == [long_title[3:], "加强队伍"]
    text = (
        "某区规划\n\n一、发展目标\n\n表1\n\n序号\t指标\t单位\t2025年\t属性\n"
        "1\tPM2.5平均浓度\t微克/立方米\t≦35\t约束性\n2\t森林覆盖率\t%\t25\t预期性\n"
    )
    got = [(i.target_year, i.target, i.comparator) for i in extract_text("t.txt", text).indicators]
    assert got == [("2025", "≦35", "≤"), ("2025", "25", "")]
    text = (
        "某区方案\n\n二、主要任务\n\n附表\n\n序号\t工作任务\t牵头单位（配合单位）\n"
        "1\t推进雨污分流改造工程建设\t区水务局（区建管委、各街道）\n2\t开展河道综合整治\t区绿化市容局\n"
    )
    got = [(m.lead_units, m.responsible_units) for m in extract_text("t.txt", text).measures]
    assert got == [(["区水务局"], ["区建管委", "各街道"]), (["区绿化市容局"], [])]
    text = (
        "某区方案\n\n二、主要任务\n\n（一）加强设施建设\n\n社区养老：新建社区养老服务中心5家。\n\n"
        "居家养老：完善居家养老服务网络。\n\n（责任单位：区民政局、各街镇）\n\n（二）加强队伍建设。培养专业人才。（区人社局负责）\n"
    )
    got = [(m.number, m.responsible_units) for m in extract_text("t.txt", text).measures]
    assert got == [("（一）", ["区民政局", "各街镇"]), ("（二）", ["区人社局"])]


def test_indicator_tables_of_yearly_columns_of_no_serial_and_with_a_percent_after_the_name():
    """Synthetic, shapes the ingest issue lists: yearly columns whose values equal the next serial
    (1 | 2 | 2 | 3) do not cut a row; a table of 指标 | 单位 | 目标值 with neither serial nor 属性 is read
    row by row at its header's width; a % printed after a name (森林覆盖率%) is its unit."""
    tail = "二、主要任务\n\n（一）发展产业。加快产业发展，培育新兴产业集群。\n"
    head = "某区规划\n\n一、发展目标\n\n表1 主要指标\n\n"
    yearly = cells(
        ("序号", "指标", "2021年", "2022年", "2023年", "2024年", "2025年"),
        ("1", "新增绿地（公顷）", "10", "12", "14", "16", "18"),
        ("2", "新建学校（所）", "1", "2", "2", "3", "3"),
        ("3", "新增床位（张）", "100", "120", "140", "160", "180"),
    )
    got = [(i.name, i.baseline, i.target) for i in extract_text("t.txt", head + yearly + tail).indicators]
    assert got == [("新增绿地", "10", "18"), ("新建学校", "1", "3"), ("新增床位", "100", "180")]
    plain = cells(("指标", "单位", "目标值"), ("森林覆盖率", "%", "25"), ("城镇新增就业", "万人", "1.2"))
    got = [(i.name, i.unit, i.target) for i in extract_text("t.txt", head + plain + tail).indicators]
    assert got == [("森林覆盖率", "%", "25"), ("城镇新增就业", "万人", "1.2")]
    percent = cells(("序号", "指标名称", "属性", "2025年目标值"), ("1", "森林覆盖率%", "约束性", "25"))
    got = [(i.name, i.unit, i.nature) for i in extract_text("t.txt", head + percent + tail).indicators]
    assert got == [("森林覆盖率", "%", "约束性")]


def test_a_header_printed_again_inside_a_table_of_one_cell_per_line():
    """Synthetic (34's project list shows it too): a page break prints the header again among the
    rows; it is no row's cells (it was glued to the target of the row before it)."""
    header = ("序号", "指标", "单位", "2020年", "2025年", "属性")
    body = cells(
        header,
        ("1", "森林覆盖率", "%", "20", "25", "约束性"),
        ("2", "新增就业", "万人", "1.0", "1.2", "预期性"),
        header,
        ("3", "人均寿命", "岁", "80", "81", "预期性"),
    )
    text = (
        "某区规划\n\n一、发展目标\n\n表1 主要指标\n\n"
        + body
        + "二、主要任务\n\n（一）发展产业。加快培育新兴产业集群。\n"
    )
    got = [(i.name, i.target) for i in extract_text("t.txt", text).indicators]
    assert got == [("森林覆盖率", "25"), ("新增就业", "1.2"), ("人均寿命", "81")]


def test_a_project_name_wrapped_onto_a_line_of_its_own_in_a_tab_separated_list():
    """Synthetic: 东溪防洪堤 / 工程 — the line below holds no serial and the rest of the row's cells; it
    is joined to its row column by column (the name was 水利, the domain, and the place a project)."""
    text = (
        "某区规划\n\n附件\n\n重大项目清单\n\n序号\t领域\t项目名称\t建设地点\t总投资（亿元）\t建设年限\n"
        "1\t交通\t环城东路改造工程\t华漕镇\t2.1\t2023-2025\n2\t\t城南客运站\t新泾镇\t0.8\t2024-2026\n"
        "3\t水利\t东溪防洪堤\n\t\t工程\t仙霞街道\t1.2\t2024-2025\n"
    )
    assert [p.name for p in extract_text("t.txt", text).projects] == [
        "环城东路改造工程",
        "城南客运站",
        "东溪防洪堤工程",
    ]


def test_units_printed_after_an_items_sub_items_go_to_each_of_them():
    """02: 2.落实属地主体责任 over an opening paragraph, (1) (2) (3) and one (责任单位：…) after them: the
    sub-items are the measures, each with those units."""
    text = (
        "某区实施方案\n\n五、主要任务\n\n2.落实属地主体责任\n\n各街镇要负责落实乡道、村道的管理养护具体工作。\n\n"
        "(1)主要负责乡村道养护资金落实、计划执行等具体工作。\n\n(2)充分发挥镇级农村公路管理站作用，强化人员配置。\n\n"
        "(3)指导村(居)发挥农民群众积极性，将爱路护路要求纳入村规民约。\n\n(责任单位：区交通委、各街镇)\n"
    )
    doc = extract_text("t.txt", text)
    assert [(m.number, m.responsible_units) for m in doc.measures] == [
        ("(1)", ["区交通委", "各街镇"]),
        ("(2)", ["区交通委", "各街镇"]),
        ("(3)", ["区交通委", "各街镇"]),
    ]


def test_a_box_paragraph_running_several_projects_together_gives_each():
    """18's 专栏 boxes, copied out of text boxes without their line breaks: title sentences each over a
    description (水系归并调整。在保障…。打通断头河。…), and short sentences under category labels (三堤：…。
    三网：…。); a box title of 20+ characters is no sentence cut by a page (it took the first paragraph)."""
    text = (
        "某区水务规划\n\n四、主要任务\n\n（一）加强河道治理。推进河道整治。\n"
        "专栏1　“三堤三网两生态”\n"
        "三堤：建设三岛79公里大堤、13座水闸。三网：整治疏浚190公里骨干河网。建设4厂77公里污水管网。\n\n"
        "专栏2　生态清洁小流域涉及水务主要实施内容\n"
        "水系归并调整。在保障防汛除涝安全的基础上，做到能并则并、该填则填。打通断头河。按照应通尽通的原则，持续打通村级断头河。"
        "生态轮疏治理。统筹提升镇村级河道养护标准，开展疏浚、整坡。\n"
    )
    doc = extract_text("t.txt", text)
    assert [p.name for p in doc.projects] == [
        "建设三岛79公里大堤、13座水闸",
        "整治疏浚190公里骨干河网",
        "建设4厂77公里污水管网",
        "水系归并调整",
        "打通断头河",
        "生态轮疏治理",
    ]
    assert all(text[p.start : p.end].startswith(p.name) for p in doc.projects)  # each at its own place
    assert all(a.end <= b.start for a, b in itertools.pairwise(doc.projects))  # and only there
    prose = "某区方案\n\n专栏1　重点工程\n\n实施老旧小区改造。到2025年完成改造面积100万平方米，惠及居民2万户。\n"
    assert [p.name for p in extract_text("t.txt", prose).projects] == ["实施老旧小区改造"]
