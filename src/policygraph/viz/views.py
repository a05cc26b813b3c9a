"""Standalone HTML views: the unit workload network (pyvis) and the workload chart by unit type.

Every page works offline: pyvis inlines vis-network, and the references its template keeps to a
CDN or to node_modules are removed. Text from documents reaches the page only as node labels and
tooltips, which vis-network renders as text, never as HTML.
"""

from __future__ import annotations

import html
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from pyvis.network import Network

from policygraph.figures import total, workloads
from policygraph.model import LEAD, Document

PALETTE = [
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
    "#393b79",
    "#637939",
    "#8c6d31",
    "#843c39",
    "#7b4173",
    "#3182bd",
    "#e6550d",
    "#31a354",
]
MEASURE_COLOR = "#c7c7c7"
_EXTERNAL = re.compile(
    r'<(?:script|link)\b[^>]*?(?:src|href)\s*=\s*"(?:https?:|\.\./node_modules)[^"]*"[^>]*>(?:\s*</script>)?', re.S
)
_AFTER_NETWORK = "network = new vis.Network(container, data, options);"


COLOURED_TYPES = 8  # more colours than this cannot be told apart at a glance
OTHER_COLOR = "#b0b0b0"


def type_colors(view: Workload) -> dict[str, str]:
    """The unit types that carry most of this view's workload, each a colour of its own, in order;
    every other type shares grey ("其他" in the legend)."""
    load: Counter[str] = Counter()
    for unit in view.units.values():
        load[unit["type"]] += unit["lead"] + unit["support"]
    ranked = sorted(load, key=lambda t: (-load[t], t))
    colours = [c for c in PALETTE if c != "#7f7f7f"][:COLOURED_TYPES]  # not the grey, which is 其他's
    return {t: colours[k] if k < len(colours) else OTHER_COLOR for k, t in enumerate(ranked)}


@dataclass
class Workload:
    """Units with their measures and roles, for one document or all documents of a region."""

    title: str
    units: dict[str, dict]  # unit id → {"name", "type", "lead", "support"}
    measures: dict[str, dict]  # measure id → {"label", "text", "document"}
    links: list[tuple[str, str, str, str]]  # (unit id, measure id, role, printed label)


def select(
    documents: list[Document], document: str | None = None, region: str | None = None
) -> tuple[list[Document], str]:
    """The documents of one id or of one region, with a title for the view (empty list if none)."""
    if document:
        chosen = [d for d in documents if d.id == document]
        return chosen, chosen[0].title if chosen else document
    chosen = [d for d in documents if d.region == region or d.parent_region == region]
    return chosen, f"{region}（{len(chosen)} 份文件）"


def workload(documents: list[Document], title: str) -> Workload:
    units: dict[str, dict] = {}
    measures: dict[str, dict] = {}
    links: list[tuple[str, str, str, str]] = []
    for doc in documents:
        known = {u.id: u for u in doc.units}
        for m in doc.measures:
            if not m.unit_roles:
                continue
            label = f"{m.number}{m.title}" if m.title else (m.number or m.text[:16])
            measures[m.id] = {"label": label, "text": m.text[:300], "document": doc.title}
            for role in m.unit_roles:
                unit = known.get(role.unit_id)
                units.setdefault(
                    role.unit_id, {"name": unit.name if unit else role.name, "type": unit.type if unit else ""}
                )
                links.append((role.unit_id, m.id, role.role, role.label))
    for unit_id, by_document in workloads(documents).items():
        counts = total(by_document)
        units[unit_id] |= {"lead": counts.lead, "support": counts.support}
    return Workload(title, units, measures, links)


def standalone(page: str) -> str:
    """Drop every reference to a CDN or node_modules: the inlined vis-network is all the page needs."""
    return _EXTERNAL.sub("", page)


def page_of(net: Network) -> str:
    """pyvis's page with document text made safe inside its script blocks and no external reference."""
    page = net.generate_html(notebook=False)
    # document text sits in script blocks as JSON: "</" must not close them
    page = re.sub(
        r"(new vis\.DataSet\()(.*?)(\);)",
        lambda m: m.group(1) + m.group(2).replace("</", "<\\/") + m.group(3),
        page,
        flags=re.S,
    )
    return standalone(page)


def with_header(page: str, header: str) -> str:
    return page.replace("<body>", "<body>\n" + header, 1)


def network_html(view: Workload, max_measures: int = 400) -> str:
    """The unit workload network; past ``max_measures`` the least connected measures are cut, and
    the page says how many."""
    degree = Counter(measure for _, measure, _, _ in view.links)
    kept = {m for m, _ in sorted(degree.items(), key=lambda item: (-item[1], item[0]))[:max_measures]}
    cut = len(view.measures) - len(kept)
    net = Network(height="760px", width="100%", directed=True, cdn_resources="in_line", bgcolor="#ffffff")
    colors = type_colors(view)
    for unit_id, unit in sorted(view.units.items()):
        total = unit["lead"] + unit["support"]
        net.add_node(
            unit_id,
            label=unit["name"],
            shape="dot",
            size=10 + 6 * math.sqrt(total),
            color=colors[unit["type"]],
            # units' labels grow with their workload and stay readable zoomed out; measures' stay small
            font={"size": 14 + 2 * round(math.sqrt(total)), "strokeWidth": 3, "strokeColor": "#ffffff"},
            title=f"{unit['name']}\n类型: {unit['type']}\n牵头 {unit['lead']} · 参与 {unit['support']}",
        )
    for measure_id in sorted(kept):
        measure = view.measures[measure_id]
        net.add_node(
            measure_id,
            label=measure["label"][:14],
            shape="box",
            color=MEASURE_COLOR,
            title=f"{measure['label']}\n{measure['document']}\n{measure['text']}",
            font={"size": 10},
        )
    for unit_id, measure_id, role, label in view.links:
        if measure_id in kept:
            net.add_edge(
                unit_id,
                measure_id,
                title=label or role,
                width=3 if role == LEAD else 1,
                dashes=role != LEAD,
                color="#444444" if role == LEAD else "#9a9a9a",
            )
    net.set_options("""{"physics": {"solver": "forceAtlas2Based", "stabilization": {"iterations": 250}},
                        "interaction": {"hover": true, "navigationButtons": true}}""")
    page = page_of(net)
    page = page.replace(
        _AFTER_NETWORK,
        _AFTER_NETWORK + "\n network.once('stabilizationIterationsDone', function () {"
        " network.setOptions({physics: false}); });",
    )
    note = f"{html.escape(view.title)} — {len(view.units)} 个单位, {len(kept)} 项措施"
    if cut:
        note += f"（另有 {cut} 项措施因节点上限 {max_measures} 未显示）"
    shown = [t for t, color in colors.items() if color != OTHER_COLOR]
    legend = " ".join(f'<span style="color:{colors[t]}">●</span> {html.escape(t)}' for t in shown)
    if len(shown) < len(colors):
        legend += f' <span style="color:{OTHER_COLOR}">●</span> 其他（{len(colors) - len(shown)} 类）'
    legend += " · 粗线：牵头，虚线：参与；方框：措施（悬停看全文）"
    header = (
        f'<h3 style="font-family:sans-serif">{note}</h3><p style="font-family:sans-serif;font-size:12px">{legend}</p>'
    )
    return with_header(page, header)


def _bars(lead: int, support: int, widest: int) -> str:
    """A row's bar cell (lead, then support, on the scale of ``widest``) and its two figures."""
    return (
        f"<td class='bar'><span class='lead' style='width:{100 * lead / widest:.1f}%'></span>"
        f"<span class='support' style='width:{100 * support / widest:.1f}%'></span></td>"
        f"<td>{lead}</td><td>{support}</td>"
    )


def types_html(documents: list[Document], top: int = 12) -> str:
    """Workloads by unit type across regions: for each of the ``top`` types with most measures, a row
    per region of bars (led, supported) on one scale, so that one type's units in several regions
    compare at a glance; the figures (``/units?format=csv`` gives them per unit) beside each bar."""
    totals: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    types = {u.id: (u.type, u.region) for d in documents for u in d.units if u.kind == "department" and u.type}
    for unit_id, by_document in workloads(documents).items():
        if unit_id in types:
            kind, region = types[unit_id]
            counts = total(by_document)
            totals[kind][region][0] += counts.lead
            totals[kind][region][1] += counts.support
    ranked = sorted(totals, key=lambda t: (-sum(sum(v) for v in totals[t].values()), t))[:top]
    widest = max((sum(v) for t in ranked for v in totals[t].values()), default=1) or 1
    rows = []
    for kind in ranked:
        regions = sorted(totals[kind], key=lambda r: (-sum(totals[kind][r]), r))
        for n, region in enumerate(regions):
            lead, support = totals[kind][region]
            head = f"<th rowspan='{len(regions)}' class='type'>{html.escape(kind)}</th>" if n == 0 else ""
            rows.append(f"<tr>{head}<th>{html.escape(region)}</th>{_bars(lead, support, widest)}</tr>")
    return (
        "<!DOCTYPE html><html lang='zh'><head><meta charset='utf-8'><title>各地同类单位的工作量</title>"
        "<style>body{font-family:'Noto Sans CJK SC',sans-serif;margin:2em}table{border-collapse:collapse;width:100%}"
        "th{text-align:right;padding:2px 8px;white-space:nowrap;font-weight:normal}th.type{font-weight:bold;"
        "vertical-align:top;border-top:1px solid #ccc}td{padding:2px 6px}td.bar{width:65%}"
        "td.bar span{display:inline-block;height:14px}.lead{background:#1f77b4}.support{background:#aec7e8}"
        "</style></head><body><h3>各地同类单位的工作量 — 牵头与参与措施数，按单位类型与地区</h3>"
        "<p><span class='lead' style='display:inline-block;width:12px;height:12px'></span> 牵头 "
        "<span class='support' style='display:inline-block;width:12px;height:12px'></span> 参与 · "
        "<a href='/units?format=csv'>下载 CSV（每个单位）</a></p>"
        "<table><tr><th>单位类型</th><th>地区</th><th></th><th>牵头</th><th>参与</th></tr>"
        + "".join(rows)
        + "</table></body></html>"
    )


def chart_html(view: Workload) -> str:
    """Lead and support counts summed by unit type, as horizontal bars (plain HTML and CSS, no script)."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for unit in view.units.values():
        totals[unit["type"]][0] += unit["lead"]
        totals[unit["type"]][1] += unit["support"]
    types = sorted(totals, key=lambda t: (-sum(totals[t]), t))
    widest = max((sum(v) for v in totals.values()), default=1) or 1
    rows = []
    for t in types:
        lead, support = totals[t]
        rows.append(f"<tr><th>{html.escape(t)}</th>{_bars(lead, support, widest)}</tr>")
    return (
        "<!DOCTYPE html><html lang='zh'><head><meta charset='utf-8'><title>" + html.escape(view.title) + "</title>"
        "<style>body{font-family:'Noto Sans CJK SC',sans-serif;margin:2em}table{border-collapse:collapse;width:100%}"
        "th{text-align:right;padding:2px 8px;white-space:nowrap;font-weight:normal}td{padding:2px 6px}"
        "td.bar{width:70%}td.bar span{display:inline-block;height:14px}.lead{background:#444}"
        ".support{background:#aaa}</style></head><body>"
        f"<h3>{html.escape(view.title)} — 按单位类型的牵头与参与措施数</h3>"
        "<p><span class='lead' style='display:inline-block;width:12px;height:12px'></span> 牵头 lead "
        "<span class='support' style='display:inline-block;width:12px;height:12px'></span> 参与 support</p>"
        "<table><tr><th>单位类型</th><th></th><th>牵头</th><th>参与</th></tr>"
        + "".join(rows)
        + "</table></body></html>"
    )
