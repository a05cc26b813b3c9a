"""Property tests: arbitrary text and bytes never crash or hang the readers and the extractor.

The deadline is a hang check, not a speed target.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from policygraph.errors import IngestError
from policygraph.ingest.extract import extract_text
from policygraph.ingest.privacy import mask_personal_data
from policygraph.ingest.readers import decode_bytes

# Characters that matter to the parser: heading marks, brackets, labels, digits, tabs, CJK.
PIECES = st.sampled_from(
    [
        "一、",
        "（一）",
        "1．",
        "（1）",
        "①",
        "第一章",
        "第一节",
        "专栏1",
        "附件2",
        "# ",
        "**",
        "<b>",
        "\t",
        "\n",
        "\n\n",
        "牵头单位：",
        "责任单位：",
        "配合部门:",
        "（",
        "）",
        "(",
        ")",
        "、",
        "；",
        "。",
        "等",
        "区人社局",
        "各镇（街道）",
        "预期性",
        "约束性",
        "≥",
        "95%",
        "—",
        "2025年",
        "序号",
        "指标名称",
        "2020年",
        "目标",
        "属性",
        "—2025年",
        "达到",
        "牵头负责",
        "组织落实",
        "13912345678",
        "姓 名",
        "专栏",
        "表1",
        "注：",
        " ",
        "学前教育",
    ]
)
DOCUMENTS = st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=120).map("".join)


@settings(max_examples=200, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENTS)
def test_any_text_extracts_with_valid_offsets(text):
    document = extract_text("x.txt", text)
    masked = mask_personal_data(text)
    assert document.chars == len(text) == len(masked)
    for fact in [*document.measures, *document.indicators, *document.projects]:
        assert 0 <= fact.start <= fact.end <= len(text)
        assert 1 <= fact.line <= text.count("\n") + 1


@settings(max_examples=200, deadline=2000)
@given(st.binary(max_size=2000))
def test_any_bytes_decode_or_fail_cleanly(data):
    try:
        text, encoding, _ = decode_bytes(Path("x.txt"), data)
    except IngestError as exc:
        assert str(exc).startswith("x.txt")
        return
    assert encoding in ("utf-8", "utf-8-sig", "gb18030") and "\r" not in text
