"""Named queries: every question gives the same answer from the SPARQL store and the embedded Cypher store."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from policygraph.graph.embedded import open_embedded
from policygraph.named_queries import load_queries, run_cypher, run_sparql

ROOT = Path(__file__).resolve().parent.parent
QUERIES = load_queries()
QUESTIONS = {
    "measures_led_by_unit",
    "measures_supported_by_unit",
    "unit_workload",
    "region_workload",
    "measures_of_document",
    "indicators_of_concept",
    "source_span",
    "document_implements",
}


@pytest.fixture(scope="module")
def stores(built):
    out = built
    docs = {d["source"][:3]: d for d in map(json.loads, (out / "documents.jsonl").open(encoding="utf-8"))}
    return ox.Store.read_only(str(out / "sparql")), open_embedded(out / "cypher"), docs


def parameter_sets(docs: dict) -> dict[str, list[dict]]:
    """Real parameters from the sample corpus, several per question."""
    measure = docs["003"]["measures"][5]["id"]
    return {
        "measures_led_by_unit": [{"unit": "区人社局"}, {"unit": "县教育科技和体育局"}, {"unit": "不存在的局"}],
        "measures_supported_by_unit": [{"unit": "各镇（街道）"}, {"unit": "县财政局"}],
        "unit_workload": [{"unit": "区委政法委"}, {"unit": "县卫生健康局"}],
        "region_workload": [{"region": "恩阳区"}, {"region": "岳池县"}],
        "measures_of_document": [{"document": docs["000"]["id"]}, {"document": docs["001"]["id"]}],
        "indicators_of_concept": [{"concept": "学前教育毛入园率"}, {"concept": "人均预期寿命"}],
        "source_span": [{"measure": measure}],
        "document_implements": [{}],
    }


def test_every_question_has_both_languages():
    assert set(QUERIES) == QUESTIONS
    for query in QUERIES.values():
        assert query.sparql and query.cypher.get("embedded") and query.answers and query.columns, query.name


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_sparql_and_embedded_cypher_agree(stores, name):
    store, conn, docs = stores
    query = QUERIES[name]
    answered = 0
    for params in parameter_sets(docs)[name]:
        sparql, cypher = run_sparql(store, query, params), run_cypher(conn, query, params)
        assert sparql == cypher, params
        answered += bool(sparql)
    assert answered, "no parameter set gave any row"


def test_answers_match_the_documents(stores):
    store, _, docs = stores
    led = run_sparql(store, QUERIES["measures_led_by_unit"], {"unit": "区人社局"})
    assert sorted(row[1] for row in led) == ["1.", "2.", "3.", "4.", "5.", "6."]
    measure = docs["003"]["measures"][5]
    span = run_sparql(store, QUERIES["source_span"], {"measure": measure["id"]})
    assert span == [("003_5995a1e4663c35f6.txt", measure["start"], measure["end"], measure["line"])]
    preschool = run_sparql(store, QUERIES["indicators_of_concept"], {"concept": "学前教育毛入园率"})
    assert {(row[3], row[5]) for row in preschool} >= {("92", "95"), ("91.2", "96")}
