"""Documents that carry HTML render it as text, in a real Chromium: the explorer, the workload view
and the alignment view, tooltips included.

Ingest strips short tags (conversion leftovers), so the payloads are tags longer than that: they reach
measure titles, texts and unit names intact, which is what a hostile or badly converted file does."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.support import CLI, SHOTS, chromium_serving

PAD = "x" * 90  # longer than the tags ingest removes
IMG = f'<img src=x onerror="window.pwned=1" title="{PAD}">'
SVG = f'<svg onload="window.pwned=2" id="{PAD}">'
CITY = f"""X市“十四五”公共服务规划

一、主要任务

（一）推进学前教育普惠发展。每个镇至少办好一所公办幼儿园，扩大普惠性学前教育资源供给，提高公办园在园幼儿占比{IMG}。（牵头单位：市教育局{SVG}；责任单位：市财政局）

（二）扩容婴幼儿照护服务。建设托育综合服务中心，每千人口拥有3岁以下婴幼儿托位数达到4.5个。（牵头单位：市卫生健康委；责任单位：市发展改革委）
"""
COUNTY = f"""Y县贯彻落实《X市“十四五”公共服务规划》实施方案

一、重点任务

（一）推进学前教育普惠发展{SVG}。每个镇至少办好一所公办幼儿园，扩大普惠性学前教育资源供给。（牵头单位：县教育局{IMG}；责任单位：县财政局）

（二）扩容婴幼儿照护服务。建设县托育综合服务中心，每千人口拥有3岁以下婴幼儿托位数达到4.5个。（牵头单位：县卫生健康局；责任单位：县发展改革局）
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "in").mkdir()
    (folder / "in" / "city.txt").write_text(CITY, encoding="utf-8")
    (folder / "in" / "county.txt").write_text(COUNTY, encoding="utf-8")
    subprocess.run([*CLI, "build", str(folder / "in"), "--out", str(folder / "out")], capture_output=True, check=True)
    return folder / "out"


@pytest.fixture(scope="module")
def browser(hostile):
    yield from chromium_serving(hostile)


def open_page(browser, path: str):
    url, chromium = browser
    tab = chromium.new_page(viewport={"width": 1400, "height": 900})
    dialogs: list[str] = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    tab.goto(url + path)
    return tab, dialogs


def assert_inert(tab, dialogs: list[str]) -> None:
    tab.wait_for_timeout(300)  # let onerror/onload handlers fire, if any element was created
    assert tab.evaluate("window.pwned") is None
    assert not dialogs
    assert tab.evaluate("document.querySelectorAll('img[onerror], svg[onload]').length") == 0


def hover_every_node(tab) -> list[str]:
    """Move the mouse over each node of the vis-network graph; returns the tooltips it showed."""
    shown = []
    box = tab.evaluate("(() => { const r = network.body.container.getBoundingClientRect(); return [r.x, r.y]; })()")
    for x, y in tab.evaluate(
        "Object.values(network.getPositions()).map(p => { const d = network.canvasToDOM(p); return [d.x, d.y]; })"
    ):
        tab.mouse.move(box[0] + x, box[1] + y)
        tab.wait_for_timeout(400)
        tip = tab.query_selector("div.vis-tooltip")
        if tip and tip.is_visible():
            shown.append(tip.inner_text())
    return shown


def document_ids(tab) -> dict[str, str]:
    docs = tab.evaluate("fetch('/documents?limit=10').then(r => r.json())")["items"]
    return {d["title"][0]: d["id"] for d in docs}


def test_the_markup_reaches_the_stored_model(hostile):
    """Guard for the other tests: the payload survived ingest, so the pages really get it."""
    text = (hostile / "documents.jsonl").read_text(encoding="utf-8")
    assert 'onerror=\\"window.pwned=1\\"' in text and 'onload=\\"window.pwned=2\\"' in text


def test_explorer_shows_markup_as_text(browser):
    tab, dialogs = open_page(browser, "/")
    tab.wait_for_function("document.querySelectorAll('#doc-a option').length === 2")
    tab.fill("#q", "学前教育普惠发展")
    tab.click("#search-form button")
    tab.wait_for_selector("#results li[data-kind=measure]")
    assert "<svg onload" in tab.inner_text("#results")
    passages = []
    for item in range(len(tab.query_selector_all("#results li[data-kind=measure]"))):
        tab.click(f"#results li[data-kind=measure] >> nth={item}")
        tab.wait_for_selector("#passage")
        assert_inert(tab, dialogs)
        passages.append(tab.inner_text("#passage"))
    assert any("<img src=x" in passage for passage in passages)
    assert "<svg" in tab.inner_text("#details")  # a unit name, cut at its spaces by the role parser
    ids = document_ids(tab)
    tab.select_option("#doc-a", ids["X"])
    tab.select_option("#doc-b", ids["Y"])
    tab.click("#compare-form button")
    tab.wait_for_selector("#alignment-table")
    assert "<svg onload" in tab.inner_text("#alignment-table")
    hover_every_node(tab)
    assert_inert(tab, dialogs)
    tab.screenshot(path=str(SHOTS / "inert-explorer.png"), full_page=True)


@pytest.mark.parametrize("view", ["workload", "alignment"])
def test_views_show_markup_as_text_in_their_tooltips(browser, view):
    tab, _ = open_page(browser, "/")
    ids = document_ids(tab)
    tab.close()
    path = f"/viz/alignment?a={ids['X']}&b={ids['Y']}" if view == "alignment" else f"/viz/workload?document={ids['Y']}"
    tab, dialogs = open_page(browser, path)
    tab.wait_for_function("typeof network !== 'undefined'")
    tips = hover_every_node(tab)
    assert_inert(tab, dialogs)
    assert any("<img src=x" in tip or "<svg onload" in tip for tip in tips), tips
    tab.screenshot(path=str(SHOTS / f"inert-{view}.png"), full_page=True)
