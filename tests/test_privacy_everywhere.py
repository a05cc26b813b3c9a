"""Personal data in a document reaches no output: build files, both embedded stores, Neo4j, the API's
answers and the views. The document puts a name, mobile, landline, ID card number and e-mail address
where they flow furthest: a cover form, a measure's text, its unit annotation, a project box; and
again in the forms a probe found unmasked (full-width, grouped, +86, brackets, extensions, a
full-width at sign, 联系人 without a colon in a unit annotation)."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from policygraph.graph.embedded import open_embedded
from tests.support import CLI, serve

SECRETS = (
    *("王小明", "13912345678", "0817-2345678", "51012319900101123X", "wangxm@example.com"),
    *("李四", "１３８ ００１３ ８０００", "+86 138-0013-8001", "（028）8612 3456", "028-8612 3456转8001"),
    *("510104 1990 0101 1234", "lisi\uff20example．com", "010 6552 8888"),  # a full-width at sign
)
DOCUMENT = """Z县学前教育提升行动实施方案

联系人：王小明    联系电话：13912345678

一、重点任务

（一）扩大普惠性学前教育资源。新建公办幼儿园3所，咨询电话0817-2345678，举报邮箱wangxm@example.com。（牵头单位：县教育局；责任单位：县财政局）

（二）加强幼儿园教师队伍建设。落实教师待遇，经办人：王小明，身份证号51012319900101123X。（牵头单位：县人社局）

（三）提升保教质量。开展教研活动，热线（028）8612 3456，手机１３８ ００１３ ８０００。\
（牵头单位：县教育局；联系人李四，邮箱lisi\uff20example．com）

（四）做好家园共育。设立家长学校，咨询电话028-8612 3456转8001，值班手机+86 138-0013-8001，\
办公室010 6552 8888。（牵头单位：县妇联）

专栏1 重点工程

1.幼儿园建设工程：新建幼儿园3所，联系人：王小明，手机13912345678。

2.保教质量工程：建设教研基地2个，联系人李四，身份证号510104 1990 0101 1234。
"""


def _squash(text: str) -> str:
    """NFKC and no spaces, hyphens or brackets: a number that leaked regrouped or normalised is found too."""
    return re.sub(r"[\s\-()+]", "", unicodedata.normalize("NFKC", text))


def _leaks(text: str) -> list[str]:
    squashed = _squash(text)
    return [secret for secret in SECRETS if secret in text or _squash(secret) in squashed]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("private")
    (folder / "in").mkdir()
    (folder / "in" / "z.txt").write_text(DOCUMENT, encoding="utf-8")
    out = folder / "out"
    subprocess.run([*CLI, "build", str(folder / "in"), "--out", str(out), "--turtle", "--jsonld"], check=True)
    return out


def test_the_document_really_carries_the_data_into_measures(built):
    """Guard: the masked spans sit inside extracted measures, so a leak would show downstream."""
    text = (built / "documents.jsonl").read_text(encoding="utf-8")
    assert "新建公办幼儿园3所，咨询电话" in text and "经办人：" in text
    (decoded,) = (built / "texts").glob("*.txt")
    assert "联系电话：***********" in decoded.read_text(encoding="utf-8")  # masked in place, length kept


def test_no_build_file_holds_it(built):
    for path in sorted(built.joinpath("current").rglob("*")):
        if path.is_file() and path.parent.name not in ("sparql",) and path.name != "cypher":
            assert not _leaks(path.read_text(encoding="utf-8", errors="replace")), path.name


def test_neither_embedded_store_holds_it(built):
    dump = ox.Store.read_only(str(built / "sparql")).dump(format=ox.RdfFormat.N_QUADS).decode("utf-8")
    assert "学前教育" in dump and not _leaks(dump)
    conn = open_embedded(built / "cypher")
    rows = conn.execute("MATCH (n) RETURN n").get_all() + conn.execute("MATCH ()-[e]->() RETURN e").get_all()
    assert rows and not _leaks(repr(rows))


def test_neo4j_does_not_hold_it(built, neo4j_uri):
    import neo4j

    subprocess.run([*CLI, "load", "neo4j", str(built), "--uri", neo4j_uri], check=True, capture_output=True)
    with neo4j.GraphDatabase.driver(neo4j_uri) as driver:
        nodes = driver.execute_query("MATCH (n) RETURN properties(n) AS p").records
        rels = driver.execute_query("MATCH ()-[e]->() RETURN properties(e) AS p").records
    everything = repr([r["p"] for r in nodes + rels])
    assert "学前教育" in everything and not _leaks(everything)


def test_no_api_answer_or_view_holds_it(built):
    for url in serve(built):
        api = httpx.Client(base_url=url, timeout=30)
        (doc,) = api.get("/documents").json()["items"]
        measures = api.get(f"/documents/{doc['id']}").json()["measures_list"]
        answers = [
            api.get(f"/documents/{doc['id']}"),
            *(api.get(f"/measures/{m['id']}") for m in measures),
            api.get("/search", params={"q": "幼儿园"}),
            api.get("/search", params={"q": "王小明"}),
            api.get("/units", params={"format": "csv"}),
            api.get("/viz/workload", params={"document": doc["id"]}),
            api.get("/viz/chart", params={"document": doc["id"]}),
            api.post("/sparql", data={"query": "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"}),
            api.post("/cypher", json={"query": "MATCH (m:Measure) RETURN m.text, m.title"}),
        ]
        assert all(a.status_code == 200 for a in answers), [a.status_code for a in answers]
        assert len(measures) >= 2 and "幼儿园" in answers[1].text
        for answer in answers:
            assert not _leaks(answer.text), answer.url
        units = api.get("/units").text  # contact fields of the annotations are no units
        assert "县教育局" in units and not re.search("联系|邮箱|电话|手机|[*]", units), units
        api.close()
