"""Three questions as a first-time visitor asks them: from the home page, typing and clicking only
(no address typed but the first), each ending on a screen that shows the answer (Chromium)."""

from __future__ import annotations

import pytest

from tests.support import SHOTS, chromium_serving, compare_in_explorer, explorer_home


@pytest.fixture
def home(built):
    for url, browser in chromium_serving(built):
        tab = explorer_home(browser, url)
        yield tab
        tab.close()


def test_which_measures_does_enyangs_hr_bureau_lead_and_in_which_documents(home):
    home.fill("#q", "区人社局")
    home.click("#search-form button")
    home.click("#results li[data-kind=unit]:has(.where:text-is('恩阳区'))")
    home.wait_for_selector("#unit-measures li")
    led = [item for item in home.eval_on_selector_all("#unit-measures li", "els => els.map(e => e.textContent)")]
    assert [item for item in led if item.startswith("牵头")] == [
        "牵头1. 扩大就业容量",
        "牵头2. 提升就业质量",
        "牵头3. 稳定就业增量",
        "牵头4. 做实就业帮扶",
        "牵头5. 提升服务效能",
        "牵头6. 强化就业权益保障",
    ]
    assert home.inner_text("#unit-measures h3") == "巴中市恩阳区城乡居民幸福生活八大工程实施方案（2025—2027年）"
    home.screenshot(path=str(SHOTS / "scenario-1-unit.png"))


def test_how_do_yuechi_and_zigong_compare_on_their_indicators(home):
    compare_in_explorer(home, "岳池", "自贡")
    assert home.evaluate("() => document.querySelector('#compare h2').getBoundingClientRect().top") < 950
    cells = home.inner_text("#compare-table tr:has(td:text-is('学前教育毛入园率'))").split("\t")
    assert cells[1:] == ["", "92.13%（2025）", "%", "预期性", "91.2（2020）", "96（2025）", "%", "预期性"], cells
    home.screenshot(path=str(SHOTS / "scenario-2-compare.png"))


def test_what_do_the_other_plans_do_about_one_of_the_citys_measures(home):
    home.fill("#q", "扩容婴幼儿照护服务")
    home.click("#search-form button")
    home.click("#results li[data-kind=measure]:has(.where:text-is('自贡市“十四五”公共服务规划'))")
    home.wait_for_selector("#measure-links li")
    answers = home.eval_on_selector_all("#measure-links li", "els => els.map(e => e.textContent)")
    yuechi = [a for a in answers if "岳池县" in a]
    assert yuechi and yuechi[0].startswith("落实") and "扩容婴幼儿照护服务" in yuechi[0], answers
    home.screenshot(path=str(SHOTS / "scenario-3-measure.png"))
