"""The web explorer in a real headless Chromium (Debian's package, driven by Playwright; no browser download).

Screenshots are kept in out/screenshots/ as test artifacts.
"""

from __future__ import annotations

import pytest

from tests.support import SHOTS, chromium_serving, compare_in_explorer, explorer_home


@pytest.fixture(scope="module")
def page(built):
    for url, browser in chromium_serving(built):
        yield explorer_home(browser, url)


def search(page, text: str) -> None:
    page.fill("#q", text)
    page.click("#search-form button")
    page.wait_for_selector("#results li")


def test_search_a_unit_and_expand_its_measures(page):
    search(page, "人社局")
    kinds = page.eval_on_selector_all("#results li .kind", "els => els.map(e => e.textContent)")
    assert kinds and set(kinds) <= {"文件", "单位", "措施", "指标"}, kinds  # the page's language
    regions = page.eval_on_selector_all("#results li[data-kind=unit] .where", "els => els.map(e => e.textContent)")
    assert {"恩阳区", "岳池县"} <= set(regions), regions  # two units of one kind, told apart by their region
    page.click("#results li[data-kind=unit]:has(.where:text-is('恩阳区'))")
    page.wait_for_selector("#unit-count")
    assert page.inner_text("#details h2") == "恩阳区人力资源和社会保障局"
    assert "10 项" in page.inner_text("#unit-count") and "牵头 6 项" in page.inner_text("#unit-count")
    # the measures themselves, under their document's title, each marked 牵头 or 参与, and clickable
    assert page.inner_text("#unit-measures h3").startswith("巴中市恩阳区城乡居民幸福生活八大工程实施方案")
    items = page.eval_on_selector_all("#unit-measures li", "els => els.map(e => e.textContent)")
    assert len(items) == 10 and sum(item.startswith("牵头") for item in items) == 6, items
    assert "部门" in page.inner_text("#details p")  # the kind of unit in the page's language
    # beside the units of its type in other regions, on one scale, itself marked
    page.wait_for_selector("#unit-peers .peer.this")
    this = page.inner_text("#unit-peers .peer.this")
    assert this.startswith("恩阳区") and "牵头 6" in this, this
    assert any(
        p.startswith("岳池县")
        for p in page.eval_on_selector_all("#unit-peers .peer.link", "els => els.map(e => e.textContent)")
    )
    count = page.evaluate("() => network.body.data.nodes.length")
    assert count == 11  # the unit and its ten measures
    page.wait_for_timeout(800)
    page.screenshot(path=str(SHOTS / "explorer-unit.png"))
    page.click("#reset-graph")
    assert page.evaluate("() => network.body.data.nodes.length") == 0


def test_open_a_measure_and_see_its_passage_highlighted(page):
    search(page, "学前教育提质扩容")
    page.click("#results li[data-kind=measure]")
    page.wait_for_selector("#passage")
    passage = page.inner_text("#passage")
    assert passage.startswith("学前教育提质扩容。每个中心镇至少办好一所公办幼儿园")
    assert page.eval_on_selector("#passage", "el => el.tagName") == "MARK"
    # its counterparts in other plans, with grade, document and reasons; one click opens one
    page.wait_for_selector("#measure-links li")
    first = page.inner_text("#measure-links li")
    assert first.startswith(("落实", "相关")) and "得分" in first and "共同关键词" in first, first
    page.click("#measure-links li")
    page.wait_for_function("() => !document.querySelector('#details h2').textContent.includes('学前教育提质扩容')")
    page.screenshot(path=str(SHOTS / "explorer-measure.png"))


def test_compare_two_documents_side_by_side(page):
    compare_in_explorer(page, "岳池县贯", "自贡市“")
    row = page.inner_text("#compare-table tr:has(td:text-is('人均预期寿命'))")
    assert "78.2岁" in row and "77.79" in row and "78.6" in row
    headers = page.eval_on_selector_all("#compare-table th", "els => els.map(e => e.textContent)")
    assert all(headers) and headers.count("单位") == headers.count("属性") == 2, headers
    beds = page.inner_text("#compare-table tr:has(td:text-is('养老服务床位总量'))").split("\t")
    assert beds[1:] == ["", "0.5万张（2025）", "万张", "预期性", "2.1（2020）", "2.3（2025）", "万张", "预期性"], beds
    sports = page.inner_text("#compare-table tr:has(td:text-is('人均体育场地面积'))").split("\t")
    assert sports[2].startswith(">2平方米"), sports  # 大于2平方米: the comparator is shown
    training = page.inner_text("#compare-table tr:has(td:text-is('参加各类补贴性职业技能培训人数'))").split("\t")
    assert training[6].startswith("(≥7)"), training  # a figure that prints its comparator is shown as printed
    # the answer is brought into view: the comparison's heading is inside the window
    assert page.evaluate("() => document.querySelector('#compare h2').getBoundingClientRect().top") < 950
    link = page.inner_text("#alignment-table tr:has(td:text-is('（3） 扩容婴幼儿照护服务'))").split("\t")
    assert link[0] == "（3） 扩容婴幼儿照护服务" and link[3] == "扩容婴幼儿照护服务" and link[2] == "same"
    assert "无对应" in page.inner_text("#alignment-summary")
    page.screenshot(path=str(SHOTS / "explorer-compare.png"), full_page=True)


def test_the_alignment_view_opens_from_the_comparison(page):
    with page.context.expect_page() as opened:
        page.click("#alignment-summary a")
    view = opened.value
    view.wait_for_load_state()
    view.wait_for_function("typeof network !== 'undefined'")
    assert "自贡市“十四五”公共服务规划" in view.inner_text("h3") and "岳池县" in view.inner_text("h3")
    assert view.evaluate("network.body.data.edges.length") > 40
    docs = view.evaluate("fetch('/documents?limit=1000').then(r => r.json())")["items"]
    measures = sum(d["measures"] for d in docs if d["title"].startswith(("岳池县", "自贡市")))
    assert view.evaluate("network.body.data.nodes.length") == measures > 100
    view.screenshot(path=str(SHOTS / "alignment-004-003.png"), full_page=True)
    view.close()


def test_a_search_with_no_hits_says_so(page):
    page.fill("#q", "完全不存在的查询内容")
    page.click("#search-form button")
    page.wait_for_selector("#results li")
    assert page.inner_text("#results") == "没有结果"


def test_every_view_has_an_address_and_the_back_button_returns(page):
    """A document's page (its outline with the measures in place, its partners) has a URL one can
    share; opening a measure from it and going back shows the document again."""
    search(page, "自贡市")
    page.click("#results li[data-kind=document]")
    page.wait_for_selector("#outline summary")
    assert page.evaluate("() => location.hash").startswith("#/document/doc-")
    assert "第四章" in page.inner_text("#outline") and page.inner_text("#document-partners")
    # the indicator table and the project lists stand where the text prints them, among the sections
    parts = page.eval_on_selector_all("#outline summary", "nodes => nodes.map(n => n.textContent)")
    assert "指标" in parts and any(p.startswith("项目 · ") for p in parts)
    first_tasks = next(k for k, p in enumerate(parts) if p.startswith("第四章"))
    assert parts.index("指标") < first_tasks  # the goals' table comes before the tasks
    assert page.inner_text("#outline li.indicator >> nth=0").count("→") == 1  # baseline → target as printed
    address = page.url
    page.click("#outline li.measure")
    page.wait_for_selector("#passage")
    assert page.evaluate("() => location.hash").startswith("#/measure/")
    page.go_back()
    page.wait_for_selector("#outline summary")
    assert page.url == address
    page.screenshot(path=str(SHOTS / "explorer-document.png"))
    # the address alone opens the view: a fresh tab on a measure's URL shows that measure
    fresh = page.context.browser.new_page(viewport={"width": 1500, "height": 950})
    page.click("#outline li.measure")
    page.wait_for_selector("#passage")
    fresh.goto(page.url)
    fresh.wait_for_selector("#passage")
    assert fresh.inner_text("#details h2") == page.inner_text("#details h2")
    fresh.close()


def test_search_as_one_types_grouped_by_kind(page):
    """No button: typing is enough; the hits come under one heading per kind."""
    page.fill("#q", "")
    page.type("#q", "托育", delay=30)
    page.wait_for_function("() => [...document.querySelectorAll('#results li.group')].length >= 2")
    groups = page.eval_on_selector_all("#results li.group", "els => els.map(e => e.textContent)")
    assert len(groups) == len(set(groups)) and set(groups) <= {"文件", "单位", "指标", "措施"}, groups
    assert page.eval_on_selector_all("#results li[data-kind=measure] .where", "els => els.length") > 0


def test_one_indicator_across_documents_as_bars_and_csv(page):
    """学前教育毛入园率 in three plans, all in %: a bar for each figure, baseline and target, scaled
    to the largest; the table and a CSV link beside them."""
    page.fill("#q", "学前教育毛入园率")
    page.click("#search-form button")
    page.click("#results li[data-kind=indicator]")
    page.wait_for_selector("#indicator-chart .bar")
    bars = page.eval_on_selector_all("#indicator-chart .bar", "els => els.map(e => [e.className, e.textContent])")
    assert ["bar target", "96"] in bars and ["bar baseline", "91.2"] in bars, bars
    widths = page.eval_on_selector_all("#indicator-chart .bar", "els => els.map(e => e.getBoundingClientRect().width)")
    assert max(widths) > 2 * min(widths) or len(set(widths)) > 1
    href = page.get_attribute("#details a[download]", "href")
    assert "format=csv" in href
    page.screenshot(path=str(SHOTS / "explorer-indicator.png"))


def test_the_query_console_runs_sparql_and_cypher_with_the_named_queries_as_examples(page):
    """Opened from the header: a named query fills both editors; run with its parameter it answers
    as a table, paged; an edited query runs as typed; a refused one says why; the table downloads."""
    page.click("#open-console")
    page.wait_for_function("document.querySelectorAll('#named-query option').length > 3")
    assert page.evaluate("location.hash") == "#/console/-"
    page.select_option("#named-query", "measures_led_by_unit")
    page.wait_for_function("document.querySelector('#sparql-text').value.includes('pg:leadUnit')")
    assert "LEAD_BY" in page.input_value("#cypher-text")
    page.fill("#param-unit", "恩阳区人力资源和社会保障局")
    for engine in ("sparql", "cypher"):
        page.click(f"#run-{engine}")
        page.wait_for_function("document.querySelector('#console-status').textContent.endsWith('ms')")
        assert page.inner_text("#console-status").startswith("6 行"), engine  # what the unit page says
        headers = page.eval_on_selector_all("#console-table th", "els => els.map(e => e.textContent)")
        assert headers == ["measure", "number", "title", "document"]
        page.evaluate("document.querySelector('#console-status').textContent = ''")
    # an edited query runs as typed, and more rows than a page are paged
    page.fill("#sparql-text", "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 120")
    page.click("#run-sparql")
    page.wait_for_function("document.querySelector('#console-status').textContent.startsWith('120 行')")
    assert page.inner_text("#page-label") == "第 1 / 3 页"
    assert len(page.query_selector_all("#console-table tr")) == 51  # the header and 50 rows
    page.click("#page-next")
    assert page.inner_text("#page-label") == "第 2 / 3 页"
    with page.expect_download() as download:
        page.click("#console-csv")
    lines = download.value.path().read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == '"s","p","o"' and len(lines) == 121
    page.screenshot(path=str(SHOTS / "explorer-console.png"), full_page=True)
    # the guard's refusal reaches the reader
    page.fill("#cypher-text", "MATCH (n) DETACH DELETE n")
    page.click("#run-cypher")
    page.wait_for_selector("#console-status.error")
    assert page.inner_text("#console-status").startswith("出错:")


def test_a_measures_units_are_marked_where_the_passage_prints_them(page):
    search(page, "人社局")
    page.click("#results li[data-kind=unit]:has(.where:text-is('恩阳区'))")
    page.wait_for_selector("#unit-measures li")
    page.click("#unit-measures li:has(.tag.lead)")
    page.wait_for_selector("#passage .unit-name.lead")
    leads = page.eval_on_selector_all("#passage .unit-name.lead", "els => els.map(e => [e.textContent, e.title])")
    assert leads and all(name.endswith("人社局") and "牵头" in title for name, title in leads), leads
    assert page.inner_text("#passage").count(leads[0][0]) >= 1  # the text itself is unchanged


def test_a_documents_text_shows_its_unit_annotations(page):
    search(page, "恩阳区城乡居民幸福生活")
    page.click("#results li[data-kind=document]")
    page.wait_for_selector("#document-text")
    page.click("#document-text")
    page.wait_for_selector("#source .unit-name.lead")
    marks = page.eval_on_selector_all(
        "#source .unit-name", "els => els.map(e => [e.textContent, e.className, e.title])"
    )
    assert (
        len(marks) > 20
        and any("lead" in cls for _, cls, _ in marks)
        and any("responsible" in cls for _, cls, _ in marks)
    )
    assert page.inner_text("#source").startswith("巴中市恩阳区") or "恩阳区" in page.inner_text("#source")[:200]
    page.screenshot(path=str(SHOTS / "explorer-document-text.png"))


def test_the_header_links_to_unit_types_across_regions(page):
    """各地同类单位工作量: one unit type's bars for each region, on one scale, with a legend."""
    href = page.get_attribute("#types-view", "href")
    home = page.url
    page.goto(home.split("#")[0].rstrip("/") + href)
    rows = page.eval_on_selector_all("th.type", "els => els.map(e => e.textContent)")
    assert "人社局" in rows
    widths = page.eval_on_selector_all("td.bar span.lead", "els => els.map(e => e.getBoundingClientRect().width)")
    assert max(widths) > 0 and len(set(round(w) for w in widths)) > 2  # drawn, and not all alike
    page.screenshot(path=str(SHOTS / "view-types.png"), full_page=True)
    page.goto(home)
