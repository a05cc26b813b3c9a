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

document.getElementById("reset-graph").onclick = () => { nodes.clear(); edges.clear(); };
document.getElementById("fit-graph").onclick = () => network.fit();

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

// the comparator a verb printed (大于2平方米 is read as > and 2平方米), shown unless the figure has one
function comparatorOf(target, comparator) {
  return comparator && !/[≥≤<>＞＜≧≦]|以上|以下|以内|不低于|不超过|大于|小于|超过/.test(target) ? comparator : "";
}

function row(cells, tag = "td") {
  const tr = el("tr");
  tr.append(...cells.map((text) => el(tag, text)));
  return tr;
}

// A measure in a list, one click from its page; ``tag`` marks it (牵头/参与, 落实/相关), ``where`` says where it stands.
function measureItem(id, number, title, tag = null, where = "") {
  const item = el("li", undefined, { className: "link measure" });
  if (tag) item.append(el("span", tag.text, { className: `tag ${tag.kind}` }));
  item.append(`${number} ${title}`.trim());
  if (where) item.append(el("span", where, { className: "where" }));
  item.onclick = () => go("measure", id);
  return item;
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

const UNIT_KINDS = { department: "部门", party: "党委机构", "catch-all": "泛指", enterprise: "企业", other: "其他" };

async function showUnit(id) {
  const unit = await api(`/units/${encodeURIComponent(id)}`);
  const details = document.getElementById("details");
  details.replaceChildren(el("h2", unit.name), el("p", `${unit.region} · ${unit.type} · ${UNIT_KINDS[unit.kind] || unit.kind}`),
                          el("p", `别名：${unit.aliases.join("、")}`));
  addNode(unit.id, unit.name, "unit");
  const measures = await api(`/units/${encodeURIComponent(id)}/measures?limit=200`);
  const lead = measures.items.filter((m) => m.role === "lead").length;
  details.append(el("p", `牵头/参与措施 ${measures.total} 项（牵头 ${lead} 项）`, { id: "unit-count" }));
  // the measures as the documents read, under each document's title: what the unit leads, what it supports
  const byDocument = el("div", undefined, { id: "unit-measures" });
  let title = null, list = null;
  for (const m of measures.items) {
    addNode(m.id, `${m.number}${m.title}` || m.id, "measure");
    addEdge(unit.id, m.id, m.role);
    if (m.document_title !== title) {
      title = m.document_title;
      list = el("ul");
      byDocument.append(el("h3", title), list);
    }
    list.append(measureItem(m.id, m.number, m.title, { text: m.role === "lead" ? "牵头" : "参与", kind: m.role }));
  }
  details.append(byDocument);
  if (unit.type && unit.kind === "department") await sameTypeElsewhere(unit, details);
  const duties = await api(`/units/${encodeURIComponent(id)}/duties?limit=50`);
  if (duties.total) {
    const ul = el("ul", undefined, { id: "unit-duties" });
    for (const d of duties.items) ul.append(el("li", `${d.document_title}：${d.text.slice(0, 80)}`));
    details.append(el("h3", `职责 ${duties.total} 项`), ul);
  }
  network.fit();
}

// The unit's workload beside the units of its type in other regions (人社局 of every county): measures
// led and supported, as bars on one scale; each row opens that unit.
async function sameTypeElsewhere(unit, details) {
  const peers = (await api(`/units?type=${encodeURIComponent(unit.type)}&limit=100`)).items;
  if (peers.length < 2) return;
  const most = Math.max(1, ...peers.map((p) => p.led + p.supported));
  const list = el("div", undefined, { id: "unit-peers", className: "bars" });
  for (const p of peers.sort((x, y) => y.led + y.supported - (x.led + x.supported))) {
    const line = el("div", undefined, { className: p.id === unit.id ? "peer this" : "peer link" });
    line.append(el("span", p.name.startsWith(p.region) ? p.name : `${p.region} ${p.name}`, { className: "bar-label" }));
    for (const [count, kind, word] of [[p.led, "lead", "牵头"], [p.supported, "support", "参与"]]) {
      if (count) line.append(el("span", `${word} ${count}`, { className: `bar ${kind}`, style: `width: ${(count / most) * 100}%` }));
    }
    if (p.id !== unit.id) line.onclick = () => go("unit", p.id);
    list.append(line);
  }
  details.append(el("h3", `同类单位（${unit.type}）的工作量`), list);
}

// A text with its units marked: ``marks`` are {start, end, role, label}, in order, none overlapping;
// each mark is coloured by role and titled with the label that gave it (牵头单位, 责任单位 …).
function marked(text, marks) {
  const out = [];
  let at = 0;
  for (const m of marks) {
    out.push(text.slice(at, m.start), el("span", text.slice(m.start, m.end), { className: `unit-name ${m.role}`, title: m.label || m.role }));
    at = m.end;
  }
  out.push(text.slice(at));
  return out;
}

// A measure's passage with its units marked where it prints their names.
function withUnits(text, roles) {
  const byName = {};
  for (const r of roles) byName[r.name] = byName[r.name] || r;
  const names = Object.keys(byName).filter(Boolean).sort((x, y) => y.length - x.length);
  if (!names.length) return [text];
  const pattern = new RegExp(names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "g");
  const marks = [...text.matchAll(pattern)].map((match) => ({
    start: match.index, end: match.index + match[0].length, role: byName[match[0]].role, label: byName[match[0]].label,
  }));
  return marked(text, marks);
}

const GRADED = { score: "得分足以判定", "each-others-best": "彼此为对方文件中的最佳对应", partial: "对方另有更佳对应" };

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
  // what other plans do about it: each aligned measure with its grade and the reasons
  const links = await api(`/alignment/links?measure=${encodeURIComponent(id)}&limit=50`);
  if (links.total) {
    const list = el("ul", undefined, { id: "measure-links" });
    for (const k of links.items) {
      const other = k.a_id === id ? "b" : "a";
      const reasons = [titleOf(k[other + "_document"]), `得分 ${k.score.toFixed(2)}`];
      if (k.matched_heading) reasons.push(`标题：${k.matched_heading}`);
      if (k.shared_terms) reasons.push(`共同关键词：${k.shared_terms}`);
      if (GRADED[k.graded_because]) reasons.push(GRADED[k.graded_because]);
      const tag = { text: k.grade === "same" ? "落实" : "相关", kind: k.grade };
      list.append(measureItem(k[other + "_id"], k[other + "_number"], k[other + "_title"], tag, reasons.join(" · ")));
    }
    details.append(el("h3", `对应措施 ${links.total} 项`), list);
  }
  const source = document.getElementById("source");
  const passage = el("mark", undefined, { id: "passage" });
  passage.append(...withUnits(m.excerpt.passage, m.unit_roles));
  source.replaceChildren(el("span", m.excerpt.before), passage, el("span", m.excerpt.after));
  document.getElementById("passage").scrollIntoView({ block: "center" });
}

// One indicator concept across documents: a table, and bars of baseline and target for the documents
// that print it in the most common unit of measure (figures in other units are not on one scale).
async function showIndicator(label) {
  const rows = await api(`/indicators?concept=${encodeURIComponent(label)}`);
  const details = document.getElementById("details");
  const table = el("table", undefined, { id: "indicator-table" });
  table.append(row(["文件", "基期", "目标", "单位", "属性"], "th"));
  const units = {};
  for (const r of rows.items) units[r.unit] = (units[r.unit] || 0) + 1;
  const unit = Object.keys(units).sort((x, y) => units[y] - units[x])[0];
  const scaled = rows.items.filter((r) => r.unit === unit && (r.baseline_value !== null || r.target_value !== null));
  const top = Math.max(...scaled.map((r) => Math.max(r.baseline_value || 0, r.target_value || 0)), 0) || 1;
  const chart = el("div", undefined, { id: "indicator-chart" });
  for (const r of rows.items) {
    const where = r.place ? `${r.document_title}（${r.place}）` : r.document_title;
    table.append(row([where, `${r.baseline_year} ${r.baseline}`, `${r.target_year} ${r.target}`, r.unit || "", r.nature]));
  }
  for (const r of scaled) {
    const bars = el("div", undefined, { className: "bars" });
    for (const [value, kind] of [[r.baseline_value, "baseline"], [r.target_value, "target"]]) {
      if (value !== null) bars.append(el("span", `${value}`, { className: `bar ${kind}`, style: `width: ${(70 * value) / top}%` }));
    }
    chart.append(el("div", r.document_title, { className: "bar-label" }), bars);
  }
  const csv = el("a", "下载 CSV", { href: `/indicators?concept=${encodeURIComponent(label)}&format=csv`, download: `${label}.csv` });
  const legend = el("p", `单位：${unit || "（无）"}；浅色：基期，深色：目标。`, { className: "hint" });
  legend.append(" ", csv);
  details.replaceChildren(el("h2", label), chart, legend, table);
}

// A document: its outline with the measures, indicators and projects in place, and the plans it is
// aligned with (each one click from the comparison).
async function showDocument(id) {
  const doc = await api(`/documents/${encodeURIComponent(id)}`);
  const details = document.getElementById("details");
  details.replaceChildren(el("h2", doc.title),
                          el("p", [doc.issuer, doc.region, doc.doc_type, doc.date, doc.doc_number].filter(Boolean).join(" · ")));
  const reading = el("button", "原文（标出各措施的单位）", { type: "button", id: "document-text" });
  reading.onclick = () => showDocumentText(doc.id).catch(report);
  details.append(reading);
  details.append(outline(doc));
  const links = await api(`/alignment/links?document=${encodeURIComponent(doc.id)}&limit=1000`);
  const partners = {};
  for (const k of links.items) {
    const other = k.a_document === doc.id ? k.b_document : k.a_document;
    partners[other] = (partners[other] || 0) + 1;
  }
  const ul = el("ul", undefined, { id: "document-partners" });
  for (const [other, count] of Object.entries(partners).sort((x, y) => y[1] - x[1])) {
    const li = el("li", `${titleOf(other)}：${count} 条措施对应`, { className: "link" });
    li.onclick = () => compare(doc.id, other);
    ul.append(li);
  }
  details.append(el("h3", "对应的文件"), ul);
}

// The document's parts in the order the text prints them: measures under their section, an
// indicator table or a project list where it stands (a run of indicators or of one 专栏's projects).
function outline(doc) {
  const items = [
    ...doc.measures_list.map((m) => ({ start: m.start, part: m.section || "（正文）", item: measureItem(m.id, m.number, m.title || "（段落）") })),
    ...doc.indicators_list.map((i) => ({ start: i.start, part: "指标", item: indicatorItem(i) })),
    ...doc.projects_list.map((p) => ({ start: p.start, part: `项目 · ${p.column || "清单"}`, item: el("li", p.name, { className: "project" }) })),
  ].sort((x, y) => x.start - y.start);
  const tree = el("div", undefined, { id: "outline" });
  let part = null, list = null;
  for (const { part: name, item } of items) {
    if (name !== part) {
      part = name;
      const block = el("details", undefined, { open: true });
      list = el("ul");
      block.append(el("summary", name), list);
      tree.append(block);
    }
    list.append(item);
  }
  const counts = `措施 ${doc.measures_list.length} 项 · 指标 ${doc.indicators_list.length} 项 · 项目 ${doc.projects_list.length} 项`;
  const box = el("div");
  box.append(el("h3", counts), tree);
  return box;
}

// An indicator in a document's outline: its figures as printed, one click from its concept across documents.
function indicatorItem(i) {
  const figures = [i.baseline, i.target].filter(Boolean).join(" → ");
  const text = `${i.name}${i.place ? `（${i.place}）` : ""}：${figures}${i.unit && !figures.endsWith(i.unit) ? ` ${i.unit}` : ""}`;
  const item = el("li", undefined, { className: "link indicator" });
  if (i.nature) item.append(el("span", i.nature, { className: "tag nature" }));
  item.append(text);
  item.onclick = () => go("indicator", i.name);
  return item;
}

// The whole text in the source pane, each measure's units marked where they are printed (by role).
async function showDocumentText(id) {
  const answer = await api(`/documents/${encodeURIComponent(id)}/text`);
  const source = document.getElementById("source");
  source.replaceChildren(...marked(answer.text, answer.annotations));
  source.scrollTop = 0;
  source.scrollIntoView({ block: "start" });
}

const openers = { unit: showUnit, measure: showMeasure, document: showDocument, indicator: showIndicator };

// Every view has its own address (#/measure/ID, #/unit/ID, #/document/ID, #/indicator/NAME): a link
// to share, and the back button returns to the view before.
function go(kind, id) {
  const target = `#/${kind}/${encodeURIComponent(id)}`;
  if (location.hash === target) show();
  else location.hash = target;
}

function show() {
  const match = /^#\/(\w+)\/(.+)$/.exec(location.hash);
  if (!match || !openers[match[1]]) return;
  if (match[1] !== "measure") document.getElementById("source").replaceChildren();  // a passage is its measure's
  openers[match[1]](decodeURIComponent(match[2])).catch(report);
}
window.addEventListener("hashchange", show);

network.on("click", (event) => {
  const id = event.nodes[0];
  if (!id) return;
  const node = nodes.get(id);
  go(node.kind, id);
});

const KINDS = { document: "文件", unit: "单位", measure: "措施", indicator: "指标", project: "项目", duty: "职责" };

function report(error) {
  document.getElementById("details").replaceChildren(el("p", `出错: ${error.message}`, { className: "error" }));
}

document.getElementById("search-form").onsubmit = (event) => {
  event.preventDefault();
  search(document.getElementById("q").value.trim());
};

// Search as one types (a pause of 250 ms), the hits grouped by kind, each naming its document or region;
// an answer that comes back after a newer query was sent is dropped.
let typing = null, asked = 0;
document.getElementById("q").addEventListener("input", (event) => {
  clearTimeout(typing);
  typing = setTimeout(() => search(event.target.value.trim()), 250);
});

async function search(q) {
  if (!q) return;
  const mine = ++asked;
  try {
    const hits = await api(`/search?q=${encodeURIComponent(q)}&limit=100`);
    if (mine !== asked) return;
    const results = document.getElementById("results");
    results.replaceChildren();
    let kind = null;
    for (const hit of hits.items) {  // the API orders them by kind: documents, units, indicators, measures
      if (hit.kind !== kind) {
        kind = hit.kind;
        results.append(el("li", KINDS[kind] || kind, { className: "group" }));
      }
      const li = el("li");
      li.dataset.kind = hit.kind;
      li.append(el("span", KINDS[hit.kind] || hit.kind, { className: "kind" }), el("span", hit.label));
      if (hit.where) li.append(el("span", hit.where, { className: "where" }));
      li.onclick = () => go(hit.kind, hit.kind === "indicator" ? hit.label : hit.id);
      results.append(li);
    }
    if (!hits.items.length) results.append(el("li", "没有结果"));
  } catch (error) { report(error); }
}

document.getElementById("compare-form").onsubmit = (event) => {
  event.preventDefault();
  compare(document.getElementById("doc-a").value, document.getElementById("doc-b").value);
};

async function compare(a, b) {
  document.getElementById("doc-a").value = a;
  document.getElementById("doc-b").value = b;
  try {
    const answer = await api(`/compare?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`);
    const section = document.getElementById("compare");
    const table = el("table", undefined, { id: "compare-table" });
    const sides = el("tr");
    sides.append(el("th", "指标", { rowSpan: 2 }), el("th", `A：${answer.a.title}`, { colSpan: 4 }), el("th", `B：${answer.b.title}`, { colSpan: 4 }));
    table.append(sides, row(["基期值", "目标值", "单位", "属性", "基期值", "目标值", "单位", "属性"], "th"));
    const year = (y) => (y ? `（${y}）` : "");
    const side = (r, s) => [
      r[`${s}_baseline`] ? r[`${s}_baseline`] + year(r[`${s}_baseline_year`]) : "",
      r[`${s}_target`] ? comparatorOf(r[`${s}_target`], r[`${s}_comparator`]) + r[`${s}_target`] + year(r[`${s}_target_year`]) : "",
      r[`${s}_unit`] || "",
      r[`${s}_nature`] || "",
    ];
    for (const r of answer.indicators) table.append(row([r.concept, ...side(r, "a"), ...side(r, "b")]));
    const links = el("table", undefined, { id: "alignment-table" });
    links.append(row(["A 措施", "得分", "对应", "B 措施", "共同关键词"], "th"));
    for (const k of answer.alignment) {
      const [mine, theirs] = k.a_document === a ? ["a", "b"] : ["b", "a"];  // links read city → district
      const label = (side) => `${k[side + "_number"]} ${k[side + "_title"]}`.trim();
      const tr = row([label(mine), k.score.toFixed(2), k.grade, label(theirs), k.shared_terms]);
      tr.className = k.grade;
      tr.onclick = () => go("measure", k[mine + "_id"]);
      links.append(tr);
    }
    const view = el("a", "两份文件的对应图", { href: `/viz/alignment?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`, target: "_blank" });
    const summary = el("p", `${answer.alignment.length} 条措施对应；无对应：A ${answer.unmatched.a.length} 项，B ${answer.unmatched.b.length} 项。`, { id: "alignment-summary" });
    summary.append(" ", view);
    section.replaceChildren(el("h2", "指标对比"), table, el("h2", "措施对应"), summary, links);
    section.scrollIntoView({ block: "start" });  // the answer sits below the graph: bring it into view
  } catch (error) { report(error); }
}

// The query console: SPARQL and Cypher side by side, the named queries as examples (a named query
// whose text is left as it is runs with its parameters through /queries/NAME; an edited text runs as
// typed, Cypher with the parameters). Answers are a table of PAGE rows a page, downloadable as CSV.
// It goes through the same endpoints, and so the same query guard, as any client.
const PAGE = 50;
const consoleState = { queries: {}, chosen: null, columns: [], rows: [], page: 0 };
const $ = (id) => document.getElementById(id);

document.getElementById("open-console").onclick = () => go("console", "-");
openers.console = async (name) => {
  const section = $("console");
  section.hidden = false;
  if (!Object.keys(consoleState.queries).length) {
    for (const q of await api("/queries")) {
      consoleState.queries[q.name] = q;
      $("named-query").append(el("option", q.name, { value: q.name }));
    }
  }
  if (name !== "-" && consoleState.queries[name]) choose(name);
  section.scrollIntoView({ block: "start" });
};

$("named-query").onchange = (event) => go("console", event.target.value || "-");

function choose(name) {
  const q = consoleState.queries[name];
  consoleState.chosen = q;
  $("named-query").value = name;
  $("named-answers").textContent = q.answers;
  $("sparql-text").value = q.sparql;
  $("cypher-text").value = q.cypher;
  $("named-params").replaceChildren(...q.params.map((p) => {
    const label = el("label", `${p} `);
    label.append(el("input", undefined, { id: `param-${p}`, name: p }));
    return label;
  }));
}

function paramValues() {
  const params = {};
  for (const input of $("named-params").querySelectorAll("input")) params[input.name] = input.value;
  return params;
}

async function answerOf(response) {
  const type = response.headers.get("content-type") || "";
  const body = type.includes("json") ? await response.json() : await response.text();
  if (!response.ok) throw new Error(body.error ? body.error.message : String(body) || response.statusText);
  return body;
}

async function runQuery(engine) {
  const text = $(`${engine}-text`).value;
  const chosen = consoleState.chosen;
  const started = performance.now();
  $("console-status").className = "";
  $("console-status").textContent = "运行中 …";
  try {
    let columns, rows;
    if (chosen && text === chosen[engine]) {
      const query = new URLSearchParams({ engine, ...paramValues() });
      const body = await answerOf(await fetch(`/queries/${encodeURIComponent(chosen.name)}?${query}`));
      columns = chosen.columns;
      rows = body.items.map((item) => columns.map((c) => item[c]));
    } else if (engine === "sparql") {
      const body = await answerOf(await fetch("/sparql", {
        method: "POST",
        headers: { "Content-Type": "application/sparql-query", Accept: "application/sparql-results+json" },
        body: text,
      }));
      if (typeof body === "string") {  // a CONSTRUCT or DESCRIBE: the triples, one a row
        columns = ["triple"];
        rows = body.split("\n").filter(Boolean).map((line) => [line]);
      } else if (typeof body.boolean === "boolean") {
        columns = ["ask"];
        rows = [[String(body.boolean)]];
      } else {
        columns = body.head.vars;
        rows = body.results.bindings.map((b) => columns.map((v) => (b[v] ? b[v].value : "")));
      }
    } else {
      const body = await answerOf(await fetch("/cypher", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ query: text, params: paramValues() }),
      }));
      columns = body.columns;
      rows = body.rows;
    }
    Object.assign(consoleState, { columns, rows, page: 0 });
    $("console-status").textContent = `${rows.length} 行，用时 ${Math.round(performance.now() - started)} ms`;
    drawPage();
  } catch (error) {
    Object.assign(consoleState, { columns: [], rows: [], page: 0 });
    drawPage();
    $("console-status").className = "error";
    $("console-status").textContent = `出错: ${error.message}`;
  }
}
$("run-sparql").onclick = () => runQuery("sparql");
$("run-cypher").onclick = () => runQuery("cypher");

function cellText(value) {
  return value === null || value === undefined ? "" : typeof value === "object" ? JSON.stringify(value) : String(value);
}

function drawPage() {
  const { columns, rows, page } = consoleState;
  const pages = Math.max(1, Math.ceil(rows.length / PAGE));
  const table = $("console-table");
  table.replaceChildren();
  if (columns.length) table.append(row(columns, "th"));
  for (const r of rows.slice(page * PAGE, (page + 1) * PAGE)) table.append(row(r.map(cellText)));
  $("page-label").textContent = `第 ${page + 1} / ${pages} 页`;
  $("page-prev").disabled = page === 0;
  $("page-next").disabled = page >= pages - 1;
}
$("page-prev").onclick = () => { consoleState.page -= 1; drawPage(); };
$("page-next").onclick = () => { consoleState.page += 1; drawPage(); };

$("console-csv").onclick = () => {
  const quote = (value) => `"${cellText(value).replaceAll('"', '""')}"`;
  const lines = [consoleState.columns, ...consoleState.rows].map((r) => r.map(quote).join(","));
  const link = el("a", undefined, {
    href: URL.createObjectURL(new Blob(["\ufeff" + lines.join("\n")], { type: "text/csv" })),  // BOM: Excel reads UTF-8
    download: "policygraph-query.csv",
  });
  link.click();
};

const documentTitles = {};
const titleOf = (id) => documentTitles[id] || id;

api("/documents?limit=1000").then((docs) => {
  for (const d of docs.items) documentTitles[d.id] = d.title;
  for (const select of [document.getElementById("doc-a"), document.getElementById("doc-b")]) {
    for (const d of docs.items) select.append(el("option", d.title, { value: d.id }));
  }
  document.getElementById("doc-b").selectedIndex = Math.min(1, docs.items.length - 1);
  show();  // an address opened from a link shows its view
}).catch(report);
