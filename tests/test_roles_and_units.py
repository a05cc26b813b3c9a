"""Unit annotations and unit identity, on sentences from real documents."""

from __future__ import annotations

from policygraph.ingest.privacy import mask_personal_data
from policygraph.ingest.roles import own_line_annotation, split_units, trailing_annotation
from policygraph.ingest.units import Jurisdiction, UnitResolver
from policygraph.ingest.values import read_value


def test_inline_labelled_annotation_keeps_nested_brackets():
    text = "…全覆盖推广使用。（牵头单位：区人社局；责任单位：区行政审批和数据局、区房管局、各镇（街道））"
    _, roles = trailing_annotation(text)
    assert roles.roles == [
        ("区人社局", "lead", "牵头单位"),
        ("区行政审批和数据局", "responsible", "责任单位"),
        ("区房管局", "responsible", "责任单位"),
        ("各镇（街道）", "responsible", "责任单位"),
    ]


def test_half_width_own_line_annotation():  # 02 奉贤
    roles = own_line_annotation("(责任部门：区交通委、各街镇、开发区、头桥集团)")
    assert [r[0] for r in roles.roles] == ["区交通委", "各街镇", "开发区", "头桥集团"]
    assert {r[2] for r in roles.roles} == {"责任部门"}


def test_verb_form_annotation():  # 13 上海 燃气
    _, roles = trailing_annotation(
        "加强瓶装液化气管理。（市消防救援总队牵头负责，市住房城乡建设管理委、各区政府组织落实）"
    )
    assert roles.roles[0] == ("市消防救援总队", "lead", "牵头负责")
    assert roles.roles[1:] == [
        ("市住房城乡建设管理委", "responsible", "组织落实"),
        ("各区政府", "responsible", "组织落实"),
    ]


def test_unlabelled_list_and_deng():
    _, roles = trailing_annotation("完善机制。（区发改局、区财政局等）")
    assert roles.unlabelled and roles.ends_with_deng
    assert trailing_annotation("改（扩）建学校8所（含新建）") is None
    assert split_units("县财政局、县商务局等") == (["县财政局", "县商务局"], True)


def test_unit_identity_across_names_and_regions():
    enyang = UnitResolver(Jurisdiction("恩阳区", "district", "巴中市"))
    short = enyang.resolve("区人社局")
    assert enyang.resolve("恩阳区人力资源和社会保障局") == short
    assert enyang.resolve("市人社局") != short  # the city's bureau
    zhaohua = UnitResolver(Jurisdiction("昭化区", "district", "广元市"))
    assert zhaohua.resolve("区人社局") != short
    unit = {u.id: u for u in enyang.units()}[short]
    assert (unit.name, unit.type, unit.region) == ("恩阳区人力资源和社会保障局", "人社局", "恩阳区")
    unknown = {u.name: u for u in enyang.units()}
    enyang.resolve("区工业园管委会")
    assert {u.name: u for u in enyang.units()}["恩阳区工业园管委会"].type == "管委会"
    assert "恩阳区工业园管委会" not in unknown


def test_values():
    assert read_value("92．13％").number == 92.13
    value = read_value("(≥7)")
    assert (value.number, value.comparator, value.bracketed) == (7.0, "≥", True)
    assert read_value("应保尽保").number is None
    assert read_value("80%以上").comparator == "≥"
    assert read_value("≦4").comparator == "≤"


def test_masking_keeps_length():
    text = "联系人：王小明，手机13912345678，身份证51012319900101123X。区长张三出席。"
    masked = mask_personal_data(text)
    assert len(masked) == len(text)
    assert "王小明" not in masked and "13912345678" not in masked and "51012319900101123X" not in masked
    assert "张三" in masked  # officials in body text are public


def test_catch_alls_are_typed():
    from policygraph.ingest.units import catch_all_type

    assert catch_all_type("各区") == catch_all_type("相关区政府") == "下级政府"
    assert catch_all_type("各镇（街道）") == "所辖镇街"
    assert catch_all_type("区级各部门") == "本级各部门"


def test_an_annotated_item_is_a_measure_also_under_safeguards():
    """Issue 13: an item that carries a unit annotation is a measure wherever it stands; an item of the
    safeguards without one is not (a snippet written for this test)."""
    from policygraph.ingest.extract import extract_text

    text = "\n".join(
        [
            "某某区河湖治理工作方案",
            "一、重点任务",
            "（一）整治排污口。全面排查入河排污口。（区生态环境局牵头，区水利局参与）",
            "（二）推进截污纳管。完善城镇污水管网。（区住建局牵头）",
            "二、保障措施",
            "（一）加强组织领导。建立工作专班，定期研究推进。（区生态环境局牵头，各街镇配合）",
            "（二）强化宣传引导。营造全社会共同参与的良好氛围。",
        ]
    )
    measures = {m.title: m for m in extract_text("plan.txt", text).measures}
    assert {"整治排污口", "推进截污纳管", "加强组织领导"} <= set(measures)
    assert "强化宣传引导" not in measures
    assert measures["加强组织领导"].lead_units == ["区生态环境局"]
