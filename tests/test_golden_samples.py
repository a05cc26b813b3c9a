"""Golden facts of the sample corpus, written by reading the documents (see tests/golden/)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from policygraph.ingest.normalize import nfkc

GOLDEN = Path(__file__).parent / "golden"


def test_000_every_unit_on_every_measure(samples):
    gold = json.loads((GOLDEN / "000_measures.json").read_text(encoding="utf-8"))
    got = [
        {k: m[k] for k in ("number", "title", "lead_units", "responsible_units")} for m in samples["000"]["measures"]
    ]
    assert got == gold


def test_000_document_facts(samples):
    doc = samples["000"]
    assert doc["title"] == "巴中市恩阳区城乡居民幸福生活八大工程实施方案（2025—2027年）"
    assert (doc["doc_type"], doc["status"], doc["period"]) == ("实施方案", "征求意见稿", "2025-2027")
    assert (doc["region"], doc["parent_region"], doc["level"]) == ("恩阳区", "巴中市", "district")
    assert doc["date"] == "" and doc["doc_number"] == ""


def test_000_short_and_full_names_are_one_unit(samples):
    units = {u["name"]: u for u in samples["000"]["units"]}
    hr = units["恩阳区人力资源和社会保障局"]
    assert hr["type"] == "人社局" and "区人社局" in hr["aliases"]
    assert units["各镇（街道）"]["kind"] == "catch-all"
    assert units["恩阳区委社会工作部"]["kind"] == "party"


def test_000_targets_inside_measures(samples):
    measure = next(m for m in samples["000"]["measures"] if m["number"] == "7.")
    values = {(t["what"], t["value"], t["unit"]) for t in measure["targets"]}
    assert ("新增学位", 3270.0, "个") in values
    toilets = next(m for m in samples["000"]["measures"] if m["number"] == "24.")
    assert any(t["year"] == "2027" and t["value"] == 98.0 for t in toilets["targets"])


def test_001_document_and_indicator_table(samples):
    doc = samples["001"]
    assert doc["title"] == "广元市昭化区“十四五”公共服务和就业促进规划"
    assert (doc["issuer"], doc["date"], doc["period"]) == ("广元市昭化区人民政府", "2022-05-17", "2021-2025")
    assert len(doc["indicators"]) == 38  # rows of 表1, counted in the document
    first = doc["indicators"][0]
    assert (first["name"], first["unit"], first["domain"]) == ("每千人口3岁以下婴幼儿托位数", "个", "育幼")
    assert (first["baseline"], first["target"], first["nature"]) == ("1.5", "4.5", "预期性")
    assert (first["baseline_year"], first["target_year"]) == ("2020", "2025")
    orphans = next(i for i in doc["indicators"] if i["name"].startswith("孤儿"))
    assert orphans["target"] == "应保尽保" and orphans["target_value"] is None and orphans["nature"] == "约束性"
    unemployment = next(i for i in doc["indicators"] if i["name"] == "城镇调查失业率")
    assert unemployment["target"] == "<5.5" and unemployment["comparator"] == "<"
    assert unemployment["target_value"] == 5.5
    sports = next(i for i in doc["indicators"] if i["name"] == "人均体育场地面积")
    assert sports["target"] == "≥2.6" and sports["comparator"] == "≥" and sports["unit"] == "平方米"


def test_001_projects_in_boxes(samples):
    projects = samples["001"]["projects"]
    columns = {p["column"] for p in projects}
    assert len(columns) == 10  # 专栏1 … 专栏10
    first = projects[0]
    assert (first["name"], first["column"]) == ("妇幼健康工程", "专栏1：爱心育幼重点工程")
    assert sum(1 for p in projects if p["column"].startswith("专栏1：")) == 4


def test_001_titled_paragraph_measures(samples):
    titles = [m["title"] for m in samples["001"]["measures"]]
    assert "学前教育提质扩容" in titles
    texts = [m["text"] for m in samples["001"]["measures"]]
    assert not any(t.startswith("教育是公共服务的重要内容") for t in texts)  # a section's introduction


def test_003_lead_lines_and_indicator_lines(samples):
    doc = samples["003"]
    assert doc["implements"] == ["广安市“十四五”公共服务规划"]
    assert (doc["region"], doc["parent_region"], doc["level"]) == ("岳池县", "广安市", "county")
    assert len(doc["indicators"]) == 24
    pre = doc["indicators"][2]
    assert pre["name"] == "学前教育毛入园率" and pre["target"] == "92.13%" and pre["target_value"] == 92.13
    assert pre["lead_units"] == ["县教育科技和体育局"] and pre["nature"] == "预期性"
    orphans = doc["indicators"][1]
    assert orphans["lead_units"] == ["县民政局"] and orphans["responsible_units"] == ["县人力资源社会保障局"]
    first = doc["measures"][0]
    assert (first["number"], first["title"]) == ("（1）", "合理界定公共服务范围")
    assert first["lead_units"] == ["县政府办公室", "县发展改革局"]
    assert first["list_ends_with_deng"] is True
    assert all(m["unit_roles"] for m in doc["measures"])


def test_004_tab_table_and_cumulative(samples):
    doc = samples["004"]
    assert (doc["doc_number"], doc["date"], doc["level"]) == ("自府发〔2022〕21号", "2022-07-26", "municipal")
    assert len(doc["indicators"]) == 24
    training = next(i for i in doc["indicators"] if i["name"].startswith("参加各类补贴性职业技能培训人数"))
    assert training["target"] == "(≥7)" and training["cumulative"] is True and training["comparator"] == "≥"
    assert training["unit"] == "万人次" and training["domain"] == "劳有所得"


def test_002_recommendations_and_masking(samples):
    doc = samples["002"]
    assert doc["doc_type"] == "研究报告" and doc["region"] == "巴州区"
    assert len(doc["measures"]) == 8
    assert all("对策建议" in m["section_path"][0] for m in doc["measures"])
    dumped = json.dumps(doc, ensure_ascii=False)
    assert "刘小宇" not in dumped and "陶世群" not in dumped


def test_dev_annotations_every_unit(dev_docs):
    """01, 03, 07 (责任单位 lists) and 13 (X牵头负责，Y组织落实): every annotated measure, every unit."""
    gold = json.loads((GOLDEN / "dev_annotations.json").read_text(encoding="utf-8"))
    for key, rows in gold.items():
        got = [
            {k: m[k] for k in ("number", "lead_units", "responsible_units")}
            for m in dev_docs[key]["measures"]
            if m["unit_roles"]
        ]
        assert got == rows, key


def test_dev_indicator_tables(dev_docs):
    """09 (十五五, 序号 and 类别 columns) and 18 (十四五, values wrapped over two lines)."""
    gold = json.loads((GOLDEN / "dev_indicators.json").read_text(encoding="utf-8"))
    for key, table in gold.items():
        indicators = dev_docs[key]["indicators"]
        fields = list(table["rows"][0])
        assert [{k: i[k] for k in fields} for i in indicators] == table["rows"], key
        assert {(i["baseline_year"], i["target_year"]) for i in indicators} == {
            (table["baseline_year"], table["target_year"])
        }


def test_05_task_table_with_merged_cells(dev_docs):
    """05 annex 3: 26 task rows; merged 序号/工作任务 cells inherited; a lead cell broken over two lines."""
    rows = [m for m in dev_docs["05"]["measures"] if m["kind"] == "table_row"]
    assert len(rows) == 26
    first = rows[0]
    assert (first["number"], first["title"]) == ("（一）", "推动源头减量")
    assert first["lead_units"] == ["建设主管部门", "区规划资源局"]
    assert first["responsible_units"] == ["区水务局", "区绿化市容局", "区国动办", "区房管局", "区规划资源局"]
    assert rows[1]["lead_units"] == ["区土方工作专班"]  # printed as 区土方工作 / 专班
    wharf = [m for m in rows if m["title"] == "落实建筑垃圾转运码头规划、建设和备案"]
    assert [m["lead_units"] for m in wharf] == [["区建设管理委"], ["区绿化市容局"]]
    assert all(m["responsible_units"] == [] for m in wharf)  # printed ——
    assert {r["label"] for m in rows for r in m["unit_roles"]} == {"牵头单位", "配合单位"}


def test_02_own_line_annotations(dev_docs):
    """02: annotations on their own lines, half-width brackets; one closes three unannotated sub-items,
    which are the measures (the deepest numbered level, as tests/golden/extract/02.json reads them),
    each with its units."""
    measures = dev_docs["02"]["measures"]
    annotated = [m for m in measures if m["unit_roles"]]
    assert len(annotated) == 11
    local = [m for m in measures if m["section_path"][-1] == "2.落实属地主体责任"]
    assert [m["number"] for m in local] == ["(1)", "(2)", "(3)"]
    assert all(m["responsible_units"] == ["区交通委", "各街镇", "开发区", "头桥集团"] for m in local)
    assert local[2]["text"].startswith("(3)指导村(居)发挥农民群众积极性")
    assert {r["label"] for m in annotated for r in m["unit_roles"]} == {"责任单位", "责任部门"}


def test_every_indicator_row_of_001_003_004(samples):
    """Each row of 表1 in 001 (one cell per line) and 004 (tab-separated), each indicator line of 003."""
    gold = json.loads((GOLDEN / "sample_indicators.json").read_text(encoding="utf-8"))
    for key, rows in gold.items():
        indicators = samples[key]["indicators"]
        assert len(indicators) == len(rows), key
        for row, indicator in zip(rows, indicators, strict=True):
            assert {k: indicator[k] for k in row if k != "name_printed"} == {
                k: v for k, v in row.items() if k != "name_printed"
            }, row["name_printed"]
            printed = re.sub(r"\s+", "", row["name_printed"])
            assert nfkc(printed).startswith(nfkc(indicator["name"])), row["name_printed"]


def test_every_project_of_every_box(samples):
    """001 (（一）items in 专栏 boxes), 003 (三、专栏重点项目 by group), 004 (tables and headings in 专栏 boxes)."""
    gold = json.loads((GOLDEN / "sample_projects.json").read_text(encoding="utf-8"))
    for key, rows in gold.items():
        assert [{"column": p["column"], "name": p["name"]} for p in samples[key]["projects"]] == rows, key


def test_11_wide_task_table(dev_docs):
    """11: 35 tasks under 23 shared unit blocks; two blocks have two lead cells."""
    rows = [m for m in dev_docs["11"]["measures"] if m["kind"] == "table_row"]
    assert [m["number"] for m in rows] == [f"（{k}）" for k in range(1, 36)]
    slow = rows[2]
    assert slow["title"] == "完成慢行交通专项提升项目300项"
    assert slow["lead_units"] == ["设施运行处", "设施养护处"]
    assert slow["responsible_units"] == ["各相关部门和单位", "各行业主管部门", "各区"]
    assert rows[3]["lead_units"] == ["设施运行处", "设施养护处"]  # (4) shares the block of (3)
    ferry = rows[15]
    assert "9、提升轮渡服务水平" not in ferry["text"]
    assert any("9、提升轮渡服务水平" in part for part in rows[16]["section_path"])


def test_12_duty_table(dev_docs):
    """12 附件2: a 单位 / 职责分工 table of 16 member units, each row a duty of its unit, not a measure."""
    duties = dev_docs["12"]["duties"]
    assert len(duties) == 16
    assert [d["unit"] for d in (duties[0], duties[1], duties[-1])] == ["区规划资源局", "区纪委监委", "各街镇"]
    assert duties[0]["text"].startswith("拟定本区违法用地综合整治三年行动工作方案")
    assert not [m for m in dev_docs["12"]["measures"] if m["kind"] == "table_row"]


def test_15_project_list(dev_docs):
    """15: the 重点项目清单, one cell per line, 27 numbered projects under category rows."""
    projects = dev_docs["15"]["projects"]
    assert len(projects) == 27
    assert (projects[0]["name"], projects[1]["name"]) == ("蔡家浜泵闸建设工程", "真如泵闸建设工程")
    assert projects[-1]["name"] == "市政基础设施数字化底座系统建设和使用"
    assert {p["column"] for p in projects} == {"普陀区水务“十五五”重点项目清单"}


def test_003_every_unit_on_every_measure(samples):
    gold = json.loads((GOLDEN / "003_measures.json").read_text(encoding="utf-8"))
    got = [
        {k: m[k] for k in ("number", "title", "lead_units", "responsible_units")} for m in samples["003"]["measures"]
    ]
    assert got == gold


def test_18_short_box_closes_where_the_body_resumes(dev_docs):
    """18: 专栏1 is a heading and one paragraph (its six projects run together); the task chapter's （一）
    after it is not inside the box."""
    doc = dev_docs["18"]
    columns = [p["column"][:3] for p in doc["projects"]]
    assert columns[:6] == ["专栏1"] * 6 and set(columns[6:]) == {"专栏2"}
    seawall = next(m for m in doc["measures"] if m["text"].startswith("（1）崇明岛主海塘推进达标建设"))
    assert seawall["section_path"][-2:] == ["（一）强化防洪除涝体系建设，保障防汛安全", "1.海塘达标"]
    assert not any("专栏" in part for part in seawall["section_path"])
