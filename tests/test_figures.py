"""A unit's workload, defined once (``policygraph.figures``), is what the API, the views and the named
queries in both languages say, for every unit of the sample corpus."""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox
import pytest

from policygraph.figures import Workload, total, workloads
from policygraph.folder import open_build
from policygraph.graph.embedded import open_embedded
from policygraph.model import LEAD, RESPONSIBLE, Document, Measure, Project, UnitRole
from policygraph.named_queries import load_queries, run_cypher, run_sparql
from policygraph.viz.views import workload as view_of

QUERIES = load_queries()


@pytest.fixture(scope="module")
def corpus(built):
    build = open_build(built)
    documents = build.documents()
    return build, documents, workloads(documents)


def test_a_measure_counts_once_per_role_and_only_measures_count():
    def roles(*pairs):
        return [UnitRole(name, role, "", unit_id) for name, role, unit_id in pairs]

    twice = roles(("区人社局", LEAD, "u1"), ("人社局", LEAD, "u1"), ("区人社局", RESPONSIBLE, "u1"))
    measures = [
        Measure("d-m1", "1", "", [], "…", [], [], twice, [], 0, 1, 1),
        Measure("d-m2", "2", "", [], "…", [], [], roles(("区财政局", RESPONSIBLE, "u2")) * 2, [], 2, 3, 2),
    ]
    project = Project("d-p1", "项目", "", "…", [], [], roles(("区人社局", LEAD, "u1")), 4, 5, 3)
    doc = Document("d", "d.txt", "", "", "", "", "", "", "", "", "", "", [], [], measures, [], [project], [], [], [])
    assert workloads([doc]) == {"u1": {"d": Workload(1, 1)}, "u2": {"d": Workload(0, 1)}}


def test_the_api_says_the_same(corpus, client):
    _, _, figures = corpus
    for unit_id, by_document in figures.items():
        rows = client.get(f"/units/{unit_id}/workload").json()["items"]
        assert {r["document"]: Workload(r["lead"], r["support"]) for r in rows} == by_document, unit_id


def test_the_views_say_the_same(corpus):
    _, documents, figures = corpus
    checked = 0
    for region in sorted({d.region for d in documents}):
        chosen = [d for d in documents if d.region == region or d.parent_region == region]
        view = view_of(chosen, region)
        in_view = workloads(chosen)
        checked += len(in_view)
        for unit_id, by_document in in_view.items():
            counts = total(by_document)
            assert (view.units[unit_id]["lead"], view.units[unit_id]["support"]) == (counts.lead, counts.support)
            assert all(figures[unit_id][d] == w for d, w in by_document.items())
    assert checked >= 20


def test_the_named_queries_say_the_same_in_both_languages(corpus):
    build, documents, figures = corpus
    title = {d.id: d.title for d in documents}
    units = {u.id: u for d in documents for u in d.units}
    labels = Counter(label for u in units.values() for label in {u.name, *u.aliases})
    store, cypher = ox.Store.read_only(str(build.sparql)), open_embedded(build.cypher)
    checked = 0
    for unit_id, by_document in figures.items():
        unit = units[unit_id]
        if labels[unit.name] > 1:
            continue  # the query takes a name: one that several units share would add them up
        want = sorted((title[d], w.lead, w.support) for d, w in by_document.items())
        query = QUERIES["unit_workload"]
        assert sorted(run_sparql(store, query, {"unit": unit.name})) == want, unit.name
        assert sorted(run_cypher(cypher, query, {"unit": unit.name})) == want, unit.name
        checked += 1
    assert checked >= 20
    for region in sorted({u.region for u in units.values() if u.region}):
        want = {
            (units[k].type, units[k].name): total(by_document)
            for k, by_document in figures.items()
            if units[k].region == region and labels[units[k].name] == 1
        }
        query = QUERIES["region_workload"]
        for rows in (run_sparql(store, query, {"region": region}), run_cypher(cypher, query, {"region": region})):
            got = {(t, name): Workload(lead, support) for t, name, lead, support in rows}
            assert {k: got[k] for k in want} == want, region
