"""The API: its routes through FastAPI's TestClient, and over real HTTP (`policygraph serve` on a loopback
port, called with SPARQLWrapper and raw requests) what only a real server shows."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import httpx
import pytest
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

from tests.support import CLI, ROOT, serve

PG = "https://w3id.org/policygraph/ontology#"


@pytest.fixture(scope="module")
def api(client):
    """The REST routes in-process (TestClient); what only a real server shows goes through ``base``."""
    return client


def enyang_hr(api) -> dict:
    (unit,) = api.get("/units", params={"name": "区人社局", "region": "恩阳区"}).json()["items"]
    return unit


def test_health_says_which_stores_are_live(api, built):
    assert api.get("/health").json() == {
        "status": "ok",
        "documents": 5,
        "generation": (built / "current").resolve().name,
        "stores": {"sparql": True, "cypher_embedded": True, "neo4j": None},
        "query_workers": {"size": os.cpu_count(), "idle": os.cpu_count(), "replaced": 0},
    }


def test_documents_paginate_with_a_total(api):
    page = api.get("/documents", params={"limit": 2, "offset": 1}).json()
    assert (page["total"], page["limit"], page["offset"], len(page["items"])) == (5, 2, 1, 2)
    doc = api.get(f"/documents/{page['items'][0]['id']}").json()
    assert doc["measures"] == len(doc["measures_list"]) and doc["title"]


def test_units_by_short_or_full_name_type_and_region(api):
    unit = enyang_hr(api)
    assert unit["name"] == "恩阳区人力资源和社会保障局" and "区人社局" in unit["aliases"]
    by_full = api.get("/units", params={"name": "恩阳区人力资源和社会保障局"}).json()["items"]
    assert [u["id"] for u in by_full] == [unit["id"]]
    typed = api.get("/units", params={"type": "人社局"}).json()
    assert {u["region"] for u in typed["items"]} >= {"恩阳区", "岳池县"}
    assert api.get(f"/units/{unit['id']}").json() == unit
    # a kind of unit, as any plan prints it, finds that kind in every region (not only where an alias holds it)
    for kind in ("人社局", "区人社局", "人力资源和社会保障局"):
        named = api.get("/units", params={"name": kind}).json()["items"]
        assert [u["id"] for u in named] == [u["id"] for u in typed["items"]], kind
    assert [u["id"] for u in api.get("/units", params={"name": "恩阳区人力资源"}).json()["items"]] == [unit["id"]]


def test_unit_measures_by_role_and_workload(api):
    unit = enyang_hr(api)
    lead = api.get(f"/units/{unit['id']}/measures", params={"role": "lead"}).json()
    support = api.get(f"/units/{unit['id']}/measures", params={"role": "responsible"}).json()
    both = api.get(f"/units/{unit['id']}/measures").json()
    assert (lead["total"], support["total"], both["total"]) == (6, 4, 10)
    assert {m["label"] for m in lead["items"]} == {"牵头单位"}
    # as the documents read: by document title, then by position (the numbers of one document ascend)
    starts = [(m["document_title"], api.get(f"/measures/{m['id']}").json()["span"]["start"]) for m in both["items"]]
    assert starts == sorted(starts) and all(m["document_title"] for m in both["items"])
    (row,) = api.get(f"/units/{unit['id']}/workload").json()["items"]
    assert (row["lead"], row["support"]) == (6, 4)


def test_measure_has_its_span_and_excerpt(api):
    unit = enyang_hr(api)
    first = api.get(f"/units/{unit['id']}/measures", params={"role": "lead"}).json()["items"][0]
    measure = api.get(f"/measures/{first['id']}", params={"context": 20}).json()
    assert measure["excerpt"]["passage"].startswith(measure["number"] + measure["title"])
    assert len(measure["excerpt"]["before"]) == 20
    assert measure["span"]["end"] - measure["span"]["start"] == len(measure["excerpt"]["passage"])


def test_indicators_of_a_concept_and_csv(api):
    rows = api.get("/indicators", params={"concept": "学前教育毛入园率"}).json()["items"]
    assert sorted(r["target"] for r in rows) == ["92.13%", "95", "96"]
    text = api.get("/indicators", params={"concept": "学前教育毛入园率"}, headers={"Accept": "text/csv"}).text
    table = list(csv.DictReader(io.StringIO(text)))
    assert len(table) == 3 and table[0]["name"] == "学前教育毛入园率"
    assert api.get("/indicators", params={"format": "csv", "limit": 1}).text.count("\n") == 2


def test_compare_two_documents(api):
    docs = {d["source"][:3]: d["id"] for d in api.get("/documents").json()["items"]}
    answer = api.get("/compare", params={"a": docs["003"], "b": docs["004"]}).json()
    life = next(row for row in answer["indicators"] if row["concept"] == "人均预期寿命")
    assert (life["a_target"], life["b_baseline"], life["b_target"]) == ("78.2岁", "77.79", "78.6")
    assert (life["a_unit"], life["b_unit"], life["b_baseline_year"], life["a_nature"]) == ("岁", "岁", "2020", "预期性")
    assert len(answer["measures"]["a"]) == 58
    # the CSV has what the table shows: units of measure, years, comparators
    text = api.get("/compare", params={"a": docs["003"], "b": docs["004"], "format": "csv"}).text
    rows = {r["concept"]: r for r in csv.DictReader(io.StringIO(text))}
    assert rows["养老服务床位总量"]["b_unit"] == "万张" and rows["人均体育场地面积"]["a_comparator"] == ">"


def test_the_links_of_one_measure(api):
    docs = {d["source"][:3]: d["id"] for d in api.get("/documents").json()["items"]}
    every = api.get("/alignment/links", params={"document": docs["003"], "limit": 1000}).json()["items"]
    measure = every[0]["b_id"]
    mine = api.get("/alignment/links", params={"measure": measure}).json()["items"]
    assert mine == [k for k in every if measure in (k["a_id"], k["b_id"])] and mine
    assert api.get("/alignment/links", params={"measure": "doc-x-m1"}).status_code == 404


def test_compare_carries_the_alignment_and_its_csv(api):
    docs = {d["source"][:3]: d["id"] for d in api.get("/documents").json()["items"]}
    answer = api.get("/compare", params={"a": docs["003"], "b": docs["004"]}).json()
    link = next(k for k in answer["alignment"] if k["b_title"] == "扩容婴幼儿照护服务")
    assert link["a_document"] == docs["004"] and link["grade"] == "same" and 0 < link["score"] <= 1
    assert "婴幼儿照护" in link["evidence"]["shared_terms"] or "托育" in link["shared_terms"]
    linked = {k["a_id"] for k in answer["alignment"]} | {k["b_id"] for k in answer["alignment"]}
    assert not linked & set(answer["unmatched"]["a"]) and len(answer["unmatched"]["a"]) < 10
    rows = list(
        csv.DictReader(
            io.StringIO(
                api.get("/compare", params={"a": docs["003"], "b": docs["004"], "format": "csv", "part": "links"}).text
            )
        )
    )
    assert len(rows) == len(answer["alignment"]) and rows[0]["score"]


def test_alignment_routes(api):
    docs = {d["source"][:3]: d["id"] for d in api.get("/documents").json()["items"]}
    same = api.get("/alignment/links", params={"document": docs["003"], "grade": "same"}).json()
    assert same["total"] > 20 and {k["grade"] for k in same["items"]} == {"same"}
    strong = api.get("/alignment/links", params={"min_score": 0.6}).json()["items"]
    assert all(k["score"] >= 0.6 for k in strong)
    assert api.get("/alignment/links", params={"other": docs["003"]}).status_code == 400
    assert api.get("/alignment/links", params={"document": "doc-nope"}).status_code == 404
    groups = api.get("/alignment/indicators", params={"min_documents": 3}).json()["items"]
    doctors = next(g for g in groups if "执业" in g["concept"])
    assert "医师人数" in doctors["names"] and "医师数" in doctors["names"] and doctors["documents"] == 3
    unmatched = api.get("/alignment/unmatched", params={"document": docs["000"]}).json()
    assert unmatched["total"] >= 1 and {m["document"] for m in unmatched["items"]} == {docs["000"]}
    cited = api.get("/alignment/documents", params={"resolved": False, "format": "csv"}).text
    assert "广安市“十四五”公共服务规划" in cited  # 003 implements a plan not in the corpus
    rows = api.get("/indicators", params={"concept": "每千人口拥有执业（助理）医师人数"}).json()["items"]
    assert {r["document"] for r in rows} == {docs["001"], docs["003"], docs["004"]}
    view = api.get("/viz/alignment", params={"a": docs["004"], "b": docs["003"]})
    assert view.status_code == 200 and "new vis.Network" in view.text and "https://cdn" not in view.text
    assert api.get("/viz/alignment", params={"a": docs["004"]}).status_code == 400


def test_search_chinese_text(api):
    hits = api.get("/search", params={"q": "婴幼儿托位"}).json()["items"]
    assert [h["kind"] for h in hits] == ["indicator"] * 3  # the 托位数 indicator of 001, 003 and 004
    measures = [h for h in api.get("/search", params={"q": "普惠托育"}).json()["items"] if h["kind"] == "measure"]
    titles = {d["title"] for d in api.get("/documents").json()["items"]}
    assert measures and all(h["where"] in titles for h in measures)  # each hit names its document
    assert "unit" in {h["kind"] for h in api.get("/search", params={"q": "人社局"}).json()["items"]}
    assert api.get("/search", params={"q": "无此内容的查询词组合"}).json()["total"] == 0


def test_named_queries_over_http(api):
    names = {q["name"] for q in api.get("/queries").json()}
    assert "region_workload" in names
    sparql = api.get("/queries/unit_workload", params={"unit": "区人社局"}).json()["items"]
    cypher = api.get("/queries/unit_workload", params={"unit": "区人社局", "engine": "cypher"}).json()["items"]
    assert sparql == cypher and sparql[0]["lead"] == 6
    assert api.get("/queries/unit_workload").json()["error"]["status"] == 400


def test_sparql_protocol_with_sparqlwrapper(base):
    client = SPARQLWrapper(base + "/sparql")
    client.setQuery(f"SELECT ?t WHERE {{ ?d a <{PG}PolicyDocument> ; <{PG}title> ?t }}")
    for method in ("GET", "POST"):
        client.setMethod(method)
        client.setReturnFormat(JSON)
        assert len(client.query().convert()["results"]["bindings"]) == 5
    client.setReturnFormat(CSV)
    assert client.query().convert().decode("utf-8").count("\n") == 6
    client.setReturnFormat(XML)
    assert len(client.query().convert().getElementsByTagName("result")) == 5
    client.setQuery(f"CONSTRUCT {{ ?d <{PG}title> ?t }} WHERE {{ ?d a <{PG}PolicyDocument> ; <{PG}title> ?t }}")
    client.setReturnFormat(TURTLE)
    assert client.query().convert().decode("utf-8").count(f"<{PG}title>") >= 1


def test_sparql_refuses_updates_service_and_huge_results(api):
    update = api.post("/sparql", data={"update": "DROP ALL"})
    assert update.status_code == 403 and update.json()["error"]["status"] == 403
    assert (
        api.post("/sparql", content="DROP ALL", headers={"Content-Type": "application/sparql-query"}).status_code == 403
    )
    service = api.get("/sparql", params={"query": "SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }"})
    assert service.status_code == 403
    padded = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1 #" + "注" * 2000
    assert api.get("/sparql", params={"query": padded}).status_code == 422  # GET is for short queries
    assert api.post("/sparql", data={"query": padded}).status_code == 200  # POST takes them
    big = api.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert big.status_code == 422 and "500" in big.json()["error"]["message"]


def test_cypher_reads_on_the_embedded_store_and_refuses_writes(api, built):
    measures = sum(len(json.loads(line)["measures"]) for line in (built / "documents.jsonl").open(encoding="utf-8"))
    answer = api.post("/cypher", json={"query": "MATCH (m:Measure) RETURN count(m) AS n"}).json()
    assert answer == {"engine": "embedded", "columns": ["n"], "rows": [[measures]]} and measures > 200
    params = api.post(
        "/cypher", json={"query": "MATCH (u:Unit {name: $n}) RETURN u.type", "params": {"n": "恩阳区民政局"}}
    )
    assert params.json()["rows"] == [["民政局"]]
    for attempt in (
        "MATCH (n) DETACH DELETE n",
        "match (n) set n.x = 1",
        "MATCH (n) /* x */ \uff24\uff25\uff2c\uff25\uff34\uff25 n",  # full-width DELETE
        "CALL db.labels()",
        "LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l",
    ):
        refused = api.post("/cypher", json={"query": attempt})
        assert refused.status_code == 403, attempt
    assert api.post("/cypher", json={"query": "MATCH (m:Measure) RETURN m"}).status_code in (200, 422)


def test_errors_share_one_shape(api):
    for response in (
        api.get("/measures/nope"),
        api.get("/units/nope"),
        api.get("/no/such/route"),
        api.get("/units", params={"limit": 0}),
        api.get("/search"),
    ):
        body = response.json()
        assert set(body) == {"error"} and body["error"]["status"] == response.status_code >= 400


def test_saved_openapi_document_is_current():
    result = subprocess.run([sys.executable, "-m", "policygraph.cli", "openapi"], capture_output=True, check=True)
    saved = json.loads((ROOT / "api" / "openapi.json").read_text(encoding="utf-8"))
    assert json.loads(result.stdout) == saved
    assert set(saved["paths"]) >= {"/sparql", "/cypher", "/documents", "/units/{unit_id}/measures", "/compare"}


def test_cypher_goes_to_neo4j_when_configured(built, neo4j_uri):
    uri = neo4j_uri
    assert subprocess.run([*CLI, "load", "neo4j", str(built), "--uri", uri], capture_output=True).returncode == 0
    for url in serve(built, "--neo4j", uri):
        assert httpx.get(url + "/health").json()["stores"]["neo4j"] is True
        answer = httpx.post(url + "/cypher", json={"query": "MATCH (m:Measure) RETURN count(m) AS n"}).json()
        measures = sum(len(json.loads(line)["measures"]) for line in (built / "documents.jsonl").open(encoding="utf-8"))
        assert answer == {"engine": "neo4j", "columns": ["n"], "rows": [[measures]]}
        as_csv = httpx.post(
            url + "/cypher", json={"query": "MATCH (m:Measure) RETURN count(m) AS n"}, headers={"Accept": "text/csv"}
        )
        assert as_csv.headers["content-type"].startswith("text/csv"), as_csv.text[:300]
        assert as_csv.text == f"n\n{measures}\n"
        refused = httpx.post(url + "/cypher", json={"query": "MATCH (n) DETACH DELETE n"})
        assert refused.status_code == 403


def test_views_and_explorer_are_served(api):
    page = api.get("/viz/workload", params={"region": "恩阳区"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "new vis.Network" in page.text and "https://cdn" not in page.text
    chart = api.get("/viz/chart", params={"region": "岳池县"})
    assert "<th>教育局</th>" in chart.text
    assert api.get("/viz/chart").json()["error"]["status"] == 400
    assert api.get("/viz/chart", params={"region": "火星"}).status_code == 404
    explorer = api.get("/")
    assert explorer.status_code == 200 and "/static/explorer.js" in explorer.text
    assert api.get("/static/vis-network.min.js").status_code == 200
    assert api.get("/static/../app.py").status_code == 404


TRAVERSALS = [
    "/static/../app.py",
    "/static/..%2fapp.py",
    "/static/%2e%2e/app.py",
    "/static/%2e%2e%2fapp.py",
    "/static/..%5capp.py",
    "/static/%252e%252e%252fapp.py",
    "/static//etc/passwd",
    "/static/%2fetc%2fpasswd",
    "/static/....//....//app.py",
    "/documents/..%2f..%2f..%2fetc%2fpasswd",
    "/documents/../../../../etc/passwd",
    "/queries/..%2f..%2fpyproject",
    "/queries/%2e%2e%2fREADME",
    "/measures/..%2fmanifest.json",
    "/viz/..%2f..%2fcurrent%2fmanifest.json",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_no_file_outside_what_is_served_is_reachable(base, path):
    """The path goes on the wire exactly as written (http.client does not normalise dots or
    percent-escapes, which httpx would)."""
    import http.client
    import urllib.parse

    host = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
    connection.request("GET", path)
    answer = connection.getresponse()
    body = answer.read().decode("utf-8", "replace")
    connection.close()
    assert answer.status in (400, 404, 422), (answer.status, body[:200])
    for secret in ("root:x:0:0", "create_app", "[project]", '"source"', "# policygraph"):
        assert secret not in body


def test_openapi_examples_are_real(api):
    """Every example in the OpenAPI document answers with data when tried against the sample corpus."""
    schema = api.get("/openapi.json").json()
    tried = 0
    for path, methods in schema["paths"].items():
        operation = methods.get("get")
        if not operation:
            continue
        url, query = path, {}
        for parameter in operation.get("parameters", []):
            examples = parameter.get("examples") or parameter.get("schema", {}).get("examples")
            if not examples:
                continue
            value = examples[0] if isinstance(examples, list) else next(iter(examples.values()))["value"]
            if parameter["in"] == "path":
                url = url.replace("{" + parameter["name"] + "}", str(value))
            else:
                query[parameter["name"]] = value
        if "{" in url:
            continue
        response = api.get(url, params=query)
        assert response.status_code == 200, (url, query, response.text[:200])
        tried += 1
    assert tried >= 10


def test_cors_is_closed_by_default_and_opens_only_to_named_origins(api, built):
    preflight = {"Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST"}
    closed = api.options("/sparql", headers=preflight)
    assert "access-control-allow-origin" not in closed.headers
    assert "access-control-allow-origin" not in api.get("/health", headers={"Origin": "https://yasgui.example"}).headers
    for url in serve(built, "--cors-origin", "https://yasgui.example"):
        opened = httpx.options(url + "/sparql", headers=preflight)
        assert opened.headers["access-control-allow-origin"] == "https://yasgui.example"
        other = httpx.get(url + "/health", headers={"Origin": "https://elsewhere.example"})
        assert "access-control-allow-origin" not in other.headers


def test_unit_lookup_finds_a_unit_by_any_part_of_its_name(built):
    """/units?name= narrows through the search index before it checks names; the narrowing must never
    drop a unit whose name or alias contains the query (every substring of up to 5 characters)."""
    from policygraph.corpus import Corpus
    from policygraph.folder import in_use

    corpus = Corpus.load(in_use(built))
    checked = 0
    for unit_id, entry in corpus.units.items():
        for name in (entry.unit.name, *entry.unit.aliases):
            parts = {name[i:j] for i in range(len(name)) for j in range(i + 1, min(len(name), i + 5) + 1)}
            for part in parts:
                assert unit_id in corpus.units_named(part), part
                checked += 1
    assert checked > 1000


def test_a_document_is_named_by_the_start_of_its_file_name_as_in_the_cli(api):
    """Short names (004, 06_sh_public…) work wherever the API takes a document, as they do in the CLI."""
    by_id = {d["source"]: d["id"] for d in api.get("/documents").json()["items"]}
    full = by_id["004_cbedc61ed7f70bd3.txt"]
    assert api.get("/documents/004").json()["id"] == full
    compared = api.get("/compare", params={"a": "004", "b": "003"})
    assert compared.status_code == 200
    assert api.get("/alignment/links", params={"document": "004", "other": "003"}).json()["total"] > 0
    ambiguous = api.get("/documents/00")
    assert ambiguous.status_code == 404 and "documents match 00" in ambiguous.json()["error"]["message"]
    assert api.get("/documents/999").status_code == 404


def test_cypher_answers_csv_when_asked(api):
    query = {"query": "MATCH (d:Document) RETURN d.title AS title, d.region AS region ORDER BY title"}
    rows = api.post("/cypher", json=query).json()["rows"]
    answer = api.post("/cypher", json=query, headers={"Accept": "text/csv"})
    assert answer.headers["content-type"].startswith("text/csv")
    lines = answer.text.splitlines()
    assert lines[0] == "title,region" and len(lines) == len(rows) + 1 and rows[0][0] in lines[1]


def test_the_favicon_is_served(api):
    icon = api.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"] == "image/svg+xml" and b"<svg" in icon.content


def test_the_types_view_answers_over_every_document(api):
    page = api.get("/viz/types")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "class='type'>人社局</th>" in page.text and "恩阳区" in page.text and "岳池县" in page.text
