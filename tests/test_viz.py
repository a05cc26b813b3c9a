"""Standalone views: offline, complete, capped with a note, and inert to markup in document text."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from policygraph.contracts import document_from_json
from policygraph.viz.views import chart_html, network_html, types_html, workload

ROOT = Path(__file__).resolve().parent.parent
EXTERNAL = re.compile(r'<(?:script|link|img|iframe)\b[^>]*(?:src|href)\s*=\s*["\'](?:https?:|//|\.\./)', re.I)


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    out = tmp_path_factory.mktemp("graph")
    subprocess.run(
        [sys.executable, "-m", "policygraph.cli", "build", str(ROOT / "ingest"), "--out", str(out)],
        capture_output=True,
        check=True,
    )
    with (out / "documents.jsonl").open(encoding="utf-8") as handle:
        return out, [document_from_json(json.loads(line)) for line in handle]


def test_cli_writes_an_offline_network_of_a_region(documents, tmp_path):
    folder, _ = documents
    target = tmp_path / "enyang.html"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "policygraph.cli",
            "viz",
            "workload",
            str(folder),
            "--region",
            "恩阳区",
            "--out",
            str(target),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    page = target.read_text(encoding="utf-8")
    assert not EXTERNAL.search(page)
    assert "new vis.Network" in page and "stabilizationIterationsDone" in page
    assert json.dumps("恩阳区人力资源和社会保障局")[1:-1] in page and "43 个单位" in page


def test_a_few_colours_with_a_legend(documents):
    """43 unit types cannot each have a colour one tells apart: the eight with most workload do, the
    rest share grey, and the legend says so."""
    from policygraph.viz.views import COLOURED_TYPES, OTHER_COLOR, type_colors

    _, docs = documents
    view = workload([d for d in docs if d.region == "恩阳区"], "恩阳区")
    colors = type_colors(view)
    distinct = {c for c in colors.values() if c != OTHER_COLOR}
    assert len(colors) > COLOURED_TYPES and len(distinct) == COLOURED_TYPES
    assert colors["人社局"] != OTHER_COLOR  # the bureau leading most measures here keeps a colour
    page = network_html(view)
    assert f"其他（{len(colors) - COLOURED_TYPES} 类）" in page and "粗线：牵头" in page


def test_node_cap_says_what_was_cut(documents):
    _, docs = documents
    view = workload([d for d in docs if d.region == "岳池县"], "岳池县")
    page = network_html(view, max_measures=10)
    assert "另有 48 项措施因节点上限 10 未显示" in page


def test_chart_sums_roles_by_unit_type(documents):
    _, docs = documents
    view = workload([d for d in docs if d.region == "恩阳区"], "恩阳区")
    page = chart_html(view)
    row = re.search(r"<th>人社局</th><td class='bar'>.*?</td><td>(\d+)</td><td>(\d+)</td>", page)
    assert row and (int(row.group(1)), int(row.group(2))) == (6, 4)
    assert not EXTERNAL.search(page) and "<script" not in page


def test_one_unit_type_across_regions_on_one_scale(documents):
    """人社局 in 恩阳区 (6 led, 4 supported, as the chart above) and in 岳池县, rows of one type together."""
    _, docs = documents
    page = types_html(docs)
    block = re.search(r"<th rowspan='(\d+)' class='type'>人社局</th>(.*?)(?=<th rowspan=|</table>)", page, re.S)
    assert block and int(block.group(1)) >= 2
    rows = dict(re.findall(r"<th>(\S+?)</th><td class='bar'>.*?</td><td>(\d+)</td>", block.group(0)))
    assert rows["恩阳区"] == "6" and "岳池县" in rows
    assert "牵头" in page and "参与" in page and "/units?format=csv" in page  # legend and the figures as CSV
    assert not EXTERNAL.search(page) and "<script" not in page


def test_markup_in_document_text_is_escaped(documents):
    _, docs = documents
    view = workload(docs[:1], "<script>alert(1)</script>")
    unit = next(iter(view.units.values()))
    unit["type"] = "<img src=x onerror=alert(2)>"
    next(iter(view.measures.values()))["text"] = "</script><script>alert(3)</script>"
    assert "<script>alert(1)</script>" not in chart_html(view)
    page = network_html(view)
    assert "<script>alert(1)</script>" not in page and "alert(3)</script>" not in page


@pytest.mark.parametrize(
    ("view", "region", "committed"),
    [("workload", "恩阳区", "workload_enyang.html"), ("chart", "岳池县", "chart_yuechi.html")],
)
def test_the_committed_sample_views_are_what_the_code_gives(documents, tmp_path, view, region, committed):
    """viz/ holds examples a reader opens without building anything; they must show today's units
    (``make viz-examples`` writes them again)."""
    out, _ = documents
    fresh = tmp_path / committed
    subprocess.run(
        [sys.executable, "-m", "policygraph.cli", "viz", view, str(out), "--region", region, "--out", str(fresh)],
        capture_output=True,
        check=True,
    )
    assert fresh.read_bytes() == (ROOT / "viz" / committed).read_bytes(), f"viz/{committed} is stale"
