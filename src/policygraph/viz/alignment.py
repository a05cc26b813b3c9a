"""The alignment view: a municipal plan's measures on the left, a district or county plan's on the
right, joined by their links.

Positions are fixed (two columns in document order, no physics), so a reader can scan down both
plans at once: a link's width grows with its score, green for same and orange for related; measures
with no counterpart are grey and named in the header, since what a district left out is as
telling as what it kept. Node colours on each side follow the sections the measures sit under.
"""

from __future__ import annotations

import html

from pyvis.network import Network

from policygraph.model import SAME, Document, Measure, MeasureLink, SectionLink
from policygraph.viz.views import PALETTE, page_of, with_header

GRADE_COLOR = {"same": "#2ca02c", "related": "#ff7f0e"}
UNMATCHED = "#d9d9d9"
ROW = 46  # vertical pixels per measure
COLUMN = 520  # horizontal distance of each column from the middle


def _label(m: Measure) -> str:
    text = m.title or m.text
    return f"{m.number} {text[:18]}".strip()


def alignment_html(a: Document, b: Document, links: list[MeasureLink], sections: list[SectionLink]) -> str:
    """``links`` are the measure links between ``a`` and ``b`` (either way round)."""
    linked = {end.id for k in links for end in (k.a, k.b)}
    height = max(700, ROW * max(len(a.measures), len(b.measures)) + 120)
    net = Network(height=f"{height}px", width="100%", directed=False, cdn_resources="in_line", bgcolor="#ffffff")
    for x, doc in ((-COLUMN, a), (COLUMN, b)):
        section_colour: dict[str, str] = {}
        for row, m in enumerate(doc.measures):
            section = m.section_path[-1] if m.section_path else ""
            colour = section_colour.setdefault(section, PALETTE[len(section_colour) % len(PALETTE)])
            net.add_node(
                m.id,
                label=_label(m),
                x=x,
                y=row * ROW,
                physics=False,
                shape="box",
                color=colour if m.id in linked else UNMATCHED,
                font={"size": 13, "color": "#ffffff" if m.id in linked else "#555555"},
                title=f"{doc.title}\n{section}\n{m.number} {m.title}\n{m.text[:300]}",
            )
    for k in links:
        evidence = k.evidence
        net.add_edge(
            k.a.id,
            k.b.id,
            width=1 + 8 * k.score,
            color=GRADE_COLOR[k.grade],
            title=(
                f"{k.grade} · score {k.score:.2f}\n"
                f"heading {evidence.heading_similarity:.2f} · text {evidence.text_similarity:.2f}\n"
                f"shared terms: {'、'.join(evidence.shared_terms)}"
            ),
        )
    net.set_options('{"physics": {"enabled": false}, "interaction": {"hover": true, "navigationButtons": true}}')
    same = sum(1 for k in links if k.grade == SAME)
    lonely = {side: [m for m in doc.measures if m.id not in linked] for side, doc in (("a", a), ("b", b))}
    header = (
        "<div style=\"font-family:'Noto Sans CJK SC',sans-serif;margin:8px 12px\">"
        f"<h3>{html.escape(a.title)} ↔ {html.escape(b.title)}</h3>"
        f"<p>{len(links)} 条对应 ({same} same, {len(links) - same} related) · "
        f"{len(sections)} 对章节 · 左侧 {len(lonely['a'])} 项、右侧 {len(lonely['b'])} 项措施无对应 · "
        f"<span style='color:{GRADE_COLOR['same']}'>━</span> same "
        f"<span style='color:{GRADE_COLOR['related']}'>━</span> related "
        f"<span style='background:{UNMATCHED}'>&nbsp;&nbsp;&nbsp;</span> 无对应</p>"
        + "".join(
            f"<p style='font-size:12px'>{html.escape(doc.title)} 无对应: "
            + html.escape("；".join(_label(m) for m in lonely[side]) or "—")
            + "</p>"
            for side, doc in (("a", a), ("b", b))
        )
        + "</div>"
    )
    return with_header(page_of(net), header)
