// The explorer talks to the REST API only. Text from documents is always set with textContent,
// never as HTML, so markup inside a document stays inert.
const nodes = new vis.DataSet([]);
const edges = new vis.DataSet([]);
const network = new vis.Network(document.getElementById("graph"), { nodes, edges }, {
  physics: { stabilization: { iterations: 150 } },
  nodes: { font: { size: 12 } },
  edges: { arrows: "to" },
});
network.on("stabilizationIterationsDone", () => network.setOptions({ physics: false }));

async function api(path) {
  const response = await fetch(path);
  const body = await response.json();
  if (!response.ok) throw new Error(body.error ? body.error.message : response.statusText);
  return body;
}

function el(tag, text, attrs = {}) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  Object.assign(node, attrs);
  return node;
}

function row(cells, tag = "td") {
  const tr = el("tr");
  tr.append(...cells.map((text) => el(tag, text)));
  return tr;
}

function addNode(id, label, kind) {
  if (!nodes.get(id)) {
    const style = kind === "unit" ? { shape: "dot", color: "#1f77b4", size: 16 } : { shape: "box", color: "#dddddd" };
    nodes.add({ id, label: label.slice(0, 18), title: label, kind, ...style });
  }
}

function addEdge(from, to, role) {
  const id = `${from}->${to}`;
  if (!edges.get(id)) edges.add({ id, from, to, dashes: role !== "lead", width: role === "lead" ? 3 : 1 });
}

async function showUnit(id) {
  const unit = await api(`/units/${encodeURIComponent(id)}`);
  const details = document.getElementById("details");
  details.replaceChildren(el("h2", unit.name), el("p", `${unit.region} · ${unit.type} · ${unit.kind}`),
                          el("p", `别名: ${unit.aliases.join("、")}`));
  addNode(unit.id, unit.name, "unit");
  const measures = await api(`/units/${encodeURIComponent(id)}/measures?limit=200`);
  details.append(el("p", `牵头/参与措施 ${measures.total} 项`, { id: "unit-count" }));
  for (const m of measures.items) {
    addNode(m.id, `${m.number}${m.title}` || m.id, "measure");
    addEdge(unit.id, m.id, m.role);
  }
  network.fit();
}

async function showMeasure(id) {
  const m = await api(`/measures/${encodeURIComponent(id)}`);
  const details = document.getElementById("details");
  details.replaceChildren(el("h2", `${m.number}${m.title}`), el("p", m.document_title),
                          el("p", m.section_path.join(" / ")));
  const roles = el("ul");
  for (const r of m.unit_roles) {
    roles.append(el("li", `${r.label || r.role}: ${r.name}`));
    addNode(r.unit_id, r.name, "unit");
    addEdge(r.unit_id, m.id, r.role);
  }
  details.append(roles);
  addNode(m.id, `${m.number}${m.title}` || m.id, "measure");
  const source = document.getElementById("source");
  source.replaceChildren(el("span", m.excerpt.before), el("mark", m.excerpt.passage, { id: "passage" }),
                         el("span", m.excerpt.after));
  document.getElementById("passage").scrollIntoView({ block: "center" });
}

async function showIndicator(id, label) {
  const rows = await api(`/indicators?concept=${encodeURIComponent(label)}`);
  const details = document.getElementById("details");
  const table = el("table");
  table.append(row(["文件", "基期", "目标", "属性"], "th"));
  for (const r of rows.items) {
    table.append(row([r.document_title, `${r.baseline_year} ${r.baseline}`, `${r.target_year} ${r.target}`, r.nature]));
  }
  details.replaceChildren(el("h2", label), table);
}

async function showDocument(id) {
  const doc = await api(`/documents/${encodeURIComponent(id)}`);
  const details = document.getElementById("details");
  const list = el("ul");
  for (const m of doc.measures_list.slice(0, 200)) {
    const li = el("li", `${m.number}${m.title || m.section}`);
    li.onclick = () => showMeasure(m.id);
    list.append(li);
  }
  details.replaceChildren(el("h2", doc.title), el("p", `${doc.region} · ${doc.doc_type} · ${doc.date}`), list);
}

const openers = { unit: showUnit, measure: showMeasure, document: showDocument };

network.on("click", (event) => {
  const id = event.nodes[0];
  if (!id) return;
  const node = nodes.get(id);
  (node.kind === "unit" ? showUnit : showMeasure)(id).catch(report);
});

function report(error) {
  document.getElementById("details").replaceChildren(el("p", `出错: ${error.message}`, { className: "error" }));
}

document.getElementById("search-form").onsubmit = async (event) => {
  event.preventDefault();
  const q = document.getElementById("q").value.trim();
  if (!q) return;
  const results = document.getElementById("results");
  results.replaceChildren();
  try {
    const hits = await api(`/search?q=${encodeURIComponent(q)}&limit=100`);
    for (const hit of hits.items) {
      const li = el("li");
      li.dataset.kind = hit.kind;
      li.append(el("span", hit.kind, { className: "kind" }), el("span", hit.label));
      li.onclick = () => (hit.kind === "indicator" ? showIndicator(hit.id, hit.label) : openers[hit.kind](hit.id)).catch(report);
      results.append(li);
    }
    if (!hits.items.length) results.append(el("li", "没有结果"));
  } catch (error) { report(error); }
};

document.getElementById("compare-form").onsubmit = async (event) => {
  event.preventDefault();
  const a = document.getElementById("doc-a").value, b = document.getElementById("doc-b").value;
  try {
    const answer = await api(`/compare?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`);
    const section = document.getElementById("compare");
    const table = el("table", undefined, { id: "compare-table" });
    table.append(row(["指标", `A: ${answer.a.title}`, "", `B: ${answer.b.title}`, ""], "th"));
    for (const r of answer.indicators) {
      table.append(row([r.concept, r.a_baseline || "", r.a_target || "", r.b_baseline || "", r.b_target || ""]));
    }
    const links = el("table", undefined, { id: "alignment-table" });
    links.append(row(["A 措施", "得分", "对应", "B 措施", "共同关键词"], "th"));
    for (const k of answer.alignment) {
      const [mine, theirs] = k.a_document === a ? ["a", "b"] : ["b", "a"];  // links read city → district
      const label = (side) => `${k[side + "_number"]} ${k[side + "_title"]}`.trim();
      const tr = row([label(mine), k.score.toFixed(2), k.grade, label(theirs), k.shared_terms]);
      tr.className = k.grade;
      tr.onclick = () => showMeasure(k[mine + "_id"]).catch(report);
      links.append(tr);
    }
    const view = el("a", "两份文件的对应图", { href: `/viz/alignment?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`, target: "_blank" });
    const summary = el("p", `${answer.alignment.length} 条措施对应；无对应：A ${answer.unmatched.a.length} 项，B ${answer.unmatched.b.length} 项。`, { id: "alignment-summary" });
    summary.append(" ", view);
    section.replaceChildren(el("h2", "指标对比"), table, el("h2", "措施对应"), summary, links);
  } catch (error) { report(error); }
};

api("/documents?limit=1000").then((docs) => {
  for (const select of [document.getElementById("doc-a"), document.getElementById("doc-b")]) {
    for (const d of docs.items) select.append(el("option", d.title, { value: d.id }));
  }
  document.getElementById("doc-b").selectedIndex = Math.min(1, docs.items.length - 1);
}).catch(report);
