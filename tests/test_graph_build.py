"""The RDF build: SHACL-valid, queryable in the embedded SPARQL store, idempotent, incremental."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from pyshacl import validate
from rdflib import Dataset, Graph

from policygraph.graph.vocab import PG
from policygraph.ids import GRAPH
from tests.support import CLI, ROOT

DEV = ROOT / "tests" / "data" / "corpus-dev"


def union_graph(path: Path) -> Graph:
    """Every triple of every named graph of an N-Quads file, in one graph (what SHACL validates)."""
    dataset = Dataset()
    dataset.parse(path, format="nquads")
    union = Graph()
    for s, p, o, _ in dataset.quads():
        union.add((s, p, o))
    return union


def run_build(inputs: list[Path], out: Path) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "policygraph.cli", "build", *map(str, inputs), "--out", str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stderr


def test_shacl_passes(built: Path):
    union = union_graph(built / "graph.nq")
    shapes = Graph().parse(ROOT / "ontology" / "shapes.ttl")
    conforms, _, report = validate(union, shacl_graph=shapes, ont_graph=None, inference="none")
    assert conforms, report


def test_graph_nq_holds_the_stores_quads_each_once(tmp_path: Path):
    """graph.nq is written from the text the store loaded, not dumped back from it: it must hold the
    same quads, none twice. Two documents whose measures all sit under one heading (002's
    recommendations, here twice) link measure to measure both as measures and as the sections they
    stand for; the two links once shared a node, with two scores, and printed its triples twice."""
    (tmp_path / "in").mkdir()
    sample = next((ROOT / "ingest").glob("002_*.txt")).read_text(encoding="utf-8")
    (tmp_path / "in" / "a.txt").write_text(sample, encoding="utf-8")
    (tmp_path / "in" / "b.txt").write_text(sample.replace("恩阳区", "巴州区"), encoding="utf-8")
    run_build([tmp_path / "in"], tmp_path / "out")
    lines = (tmp_path / "out" / "graph.nq").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(set(lines))
    store = ox.Store.read_only(str(tmp_path / "out" / "sparql"))
    # the same terms, literals' lexical forms too (a store keeps 5000.0 as 5000): rdflib compares them
    written, held = Dataset(), Dataset()
    written.parse(tmp_path / "out" / "graph.nq", format="nquads")
    held.parse(data=store.dump(format=ox.RdfFormat.N_QUADS), format="nquads")
    assert len(lines) == len(store) and set(written.quads()) == set(held.quads())
    scores = Counter(str(q.subject) for q in store.quads_for_pattern(None, ox.NamedNode(str(PG.score)), None))
    assert len(scores) > 10 and max(scores.values()) == 1  # one score per link node


def test_sparql_store_answers(built: Path):
    store = ox.Store.read_only(str(built / "sparql"))
    query = """
        PREFIX pg: <https://w3id.org/policygraph/ontology#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE {
          GRAPH ?g { ?m a pg:Measure ; pg:leadUnit ?u }
          GRAPH <https://w3id.org/policygraph/graph/shared> { ?u skos:prefLabel "恩阳区人力资源和社会保障局"@zh }
        }"""
    (row,) = list(store.query(query))
    assert int(row["n"].value) == 6  # measures 1-6 of 000 are led by 区人社局


def test_rebuild_changes_nothing_and_removal_cleans_up(tmp_path: Path, two_documents: Path):
    inputs = two_documents
    out = tmp_path / "out"
    run_build([inputs], out)
    first = (out / "graph.nq").read_bytes()
    assert "0 graph(s) added" in run_build([inputs], out)
    assert (out / "graph.nq").read_bytes() == first
    (inputs / "003_5995a1e4663c35f6.txt").unlink()
    assert "1 removed" in run_build([inputs], out)
    text = (out / "graph.nq").read_text(encoding="utf-8")
    assert "岳池县" not in text and "恩阳区" in text  # 003's units went with its graph
    store = ox.Store.read_only(str(out / "sparql"))
    graphs = {str(g.value) for g in store.named_graphs()}
    assert graphs == {GRAPH + "doc-d53e1a7690b6", GRAPH + "shared", GRAPH + "alignment"}


def test_shacl_catches_a_unit_without_type(built: Path):
    from rdflib.namespace import ORG

    union = union_graph(built / "graph.nq")
    victim = next(union.subjects(ORG.classification, None))
    union.remove((victim, ORG.classification, None))
    shapes = Graph().parse(ROOT / "ontology" / "shapes.ttl")
    conforms, _, _ = validate(union, shacl_graph=shapes, inference="none")
    assert not conforms


def test_shacl_catches_an_alignment_score_out_of_range(built: Path):
    from rdflib import Literal
    from rdflib.namespace import RDF

    from policygraph.graph.vocab import PG

    union = union_graph(built / "graph.nq")
    link = next(union.subjects(RDF.type, PG.AlignmentLink))
    union.set((link, PG.score, Literal(1.5)))
    shapes = Graph().parse(ROOT / "ontology" / "shapes.ttl")
    conforms, _, _ = validate(union, shacl_graph=shapes, inference="none")
    assert not conforms


PREFIXES = (
    "PREFIX pg: <https://w3id.org/policygraph/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
    "PREFIX prov: <http://www.w3.org/ns/prov#> "
)


def test_alignment_graph_holds_scored_links_citations_and_concept_matches(built: Path):
    alignment = json.loads((built / "alignment.json").read_text(encoding="utf-8"))
    store = ox.Store.read_only(str(built / "sparql"))
    (row,) = store.query(
        PREFIXES
        + """SELECT (COUNT(?l) AS ?n) WHERE { GRAPH <https://w3id.org/policygraph/graph/alignment> {
            ?l a pg:AlignmentLink ; pg:linkFrom ?a ; pg:linkTo ?b ; pg:score ?s ; prov:wasGeneratedBy ?run } }"""
    )
    assert int(row["n"].value) == len(alignment["measure_links"]) + len(alignment["section_links"]) > 50
    rows = store.query(
        PREFIXES
        + """SELECT ?grade WHERE {
            GRAPH ?g { ?a pg:title "扩容婴幼儿照护服务"@zh } GRAPH ?h { ?b pg:title "扩容婴幼儿照护服务"@zh }
            GRAPH ?k { ?l pg:linkFrom ?a ; pg:linkTo ?b ; pg:grade ?grade } }"""
    )
    assert [r["grade"].value for r in rows] == ["same"]
    (match,) = store.query(PREFIXES + "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?x skos:exactMatch ?y } }")
    assert int(match["n"].value) >= 4  # e.g. …医师人数 ≡ …医师数, 城镇老旧小区累计改造 ≡ 城镇老旧小区改造


def test_ontology_and_code_declare_the_same_terms():
    from rdflib import URIRef

    from policygraph.graph.vocab import PG

    ontology = Graph().parse(ROOT / "ontology" / "policygraph.ttl")
    declared = {str(s) for s in ontology.subjects() if isinstance(s, URIRef) and str(s).startswith(str(PG._NS))}
    in_code = {str(PG._NS) + name for name in PG.__annotations__}
    assert declared == in_code


def test_trig_turtle_and_jsonld_on_request(tmp_path: Path):
    out = tmp_path / "out"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "policygraph.cli",
            "build",
            str(ROOT / "ingest" / "000_b9be483c999a08ea.txt"),
            "--out",
            str(out),
            "--trig",
            "--turtle",
            "--jsonld",
        ],
        capture_output=True,
        check=True,
    )
    nquads = Dataset()
    nquads.parse(out / "graph.nq", format="nquads")
    union = {(s, p, o) for s, p, o, _ in nquads.quads()}
    turtle = Graph().parse(out / "graph.ttl", format="turtle")
    assert set(turtle) == union
    jsonld = Dataset()
    jsonld.parse(out / "graph.jsonld", format="json-ld")
    assert {(s, p, o) for s, p, o, _ in jsonld.quads()} == union
    trig = Dataset()
    trig.parse(out / "graph.trig", format="trig")
    assert {(s, p, o, g) for s, p, o, g in trig.quads()} == set(nquads.quads()) and len(union) > 100


def test_measures_sit_in_their_sections(built: Path):
    store = ox.Store.read_only(str(built / "sparql"))
    query = """
        PREFIX pg: <https://w3id.org/policygraph/ontology#>
        PREFIX eli: <http://data.europa.eu/eli/ontology#>
        SELECT ?section ?parent_title WHERE { GRAPH ?g {
          ?m a pg:Measure ; pg:title "提升优质健康服务能力"@zh ; pg:inSection ?s .
          ?s pg:title ?section ; eli:is_part_of ?parent . ?parent pg:title ?parent_title } }"""
    rows = [(row["section"].value, row["parent_title"].value) for row in store.query(query)]
    assert rows == [("二、公共服务提质工程", "巴中市恩阳区城乡居民幸福生活八大工程实施方案（2025—2027年）")]


def test_changed_document_replaces_only_its_graph(tmp_path: Path, two_documents: Path):
    inputs = two_documents
    out = tmp_path / "out"
    run_build([inputs], out)
    store = ox.Store.read_only(str(out / "sparql"))
    before = {str(g.value) for g in store.named_graphs()}
    del store
    changed = inputs / "000_b9be483c999a08ea.txt"
    changed.write_text(changed.read_text(encoding="utf-8").replace("扩大就业容量", "扩大就业规模"), encoding="utf-8")
    assert "1 graph(s) added, 1 removed, 1 unchanged" in run_build([inputs], out)
    store = ox.Store.read_only(str(out / "sparql"))
    after = {str(g.value) for g in store.named_graphs()}
    assert before & after == {GRAPH + "doc-34a248ab31c5", GRAPH + "shared", GRAPH + "alignment"}  # 000's is replaced
    titles = {
        row["t"].value
        for row in store.query(
            "PREFIX pg: <https://w3id.org/policygraph/ontology#> "
            "SELECT ?t WHERE { GRAPH ?g { ?m a pg:Measure ; pg:title ?t } }"
        )
    }
    assert "扩大就业规模" in titles and "扩大就业容量" not in titles


def test_embedded_store_keeps_list_values_that_hold_csv_delimiters(tmp_path: Path):
    """The embedded store is bulk-loaded from CSV; a list item with a comma or bracket must survive."""
    from policygraph.graph.embedded import open_embedded

    doc = tmp_path / "in" / "plan.txt"
    doc.parent.mkdir()
    doc.write_text(
        "某县消防工作实施方案\n\n为贯彻落实《关于加强消防，应急[管理]的实施意见》，制定本方案。\n\n"
        "一、主要任务\n\n（一）加强消防站建设。新建消防站2座。（牵头单位：县消防救援大队）\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    run_build([doc.parent], out)
    (record,) = [json.loads(line) for line in (out / "documents.jsonl").open(encoding="utf-8")]
    assert any("," in title and "[" in title for title in record["implements"])
    conn = open_embedded(out / "cypher")
    (row,) = conn.execute("MATCH (d:Document) RETURN d.implements").get_all()
    assert row[0] == record["implements"]


@pytest.fixture(scope="module")
def clean_dev(tmp_path_factory) -> Path:
    """The samples and the development documents, built without interruption."""
    out = tmp_path_factory.mktemp("clean")
    run_build([ROOT / "ingest", DEV], out)
    return out


@pytest.mark.slow
@pytest.mark.parametrize(
    "point",
    [
        "aligning (in a second process)",  # extraction done, the alignment child just forked
        "[5/",  # document graphs being written while the child aligns
        "writing the alignment graph, the Cypher store",  # the Cypher child and the graph thread running
    ],
)
def test_a_build_killed_at_any_point_leaves_no_process_and_converges(point: str, clean_dev: Path, tmp_path: Path):
    """SIGKILL a build at a stage: none of its processes survives it (the alignment child used to
    block for ever on its pipe), and the next build gives, byte for byte, the graph of an
    uninterrupted build, with the embedded Cypher store holding each measure once."""
    import signal

    from policygraph.graph.embedded import open_embedded

    killed = tmp_path / "killed"
    process = subprocess.Popen(
        [*CLI, "build", str(ROOT / "ingest"), str(DEV), "--out", str(killed)], stderr=subprocess.PIPE, text=True
    )
    assert process.stderr is not None
    for line in process.stderr:
        if line.startswith(point):
            break
    else:
        pytest.fail(f"the build never said {point!r}")
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert not (killed / "current").exists()  # it really stopped before publishing
    for _ in range(50):
        survivors = [
            entry.name
            for entry in Path("/proc").iterdir()
            if entry.name.isdigit() and str(killed).encode() in _cmdline(entry)
        ]
        if not survivors:
            break
        time.sleep(0.1)
    assert not survivors, f"processes of the killed build still run: {survivors}"
    run_build([ROOT / "ingest", DEV], killed)
    assert (killed / "graph.nq").read_bytes() == (clean_dev / "graph.nq").read_bytes()
    measures = sum(len(json.loads(line)["measures"]) for line in (clean_dev / "documents.jsonl").open(encoding="utf-8"))
    ((count,),) = open_embedded(killed / "cypher").execute("MATCH (m:Measure) RETURN count(m)").get_all()
    assert count == measures


def _cmdline(entry: Path) -> bytes:
    try:
        return (entry / "cmdline").read_bytes()
    except OSError:
        return b""


def test_the_same_text_under_two_names_is_one_document(tmp_path: Path, two_documents: Path):
    copy = two_documents / "000_copy_saved_again.txt"
    copy.write_bytes((two_documents / "000_b9be483c999a08ea.txt").read_bytes())
    out = tmp_path / "out"
    stderr = run_build([two_documents], out)
    assert "note: 000_copy_saved_again.txt has the same text as 000_b9be483c999a08ea.txt" in stderr
    records = [json.loads(line) for line in (out / "documents.jsonl").open(encoding="utf-8")]
    assert sorted(r["source"] for r in records) == ["000_b9be483c999a08ea.txt", "003_5995a1e4663c35f6.txt"]
    store = ox.Store.read_only(str(out / "sparql"))
    files = "SELECT ?f WHERE { GRAPH ?g { ?d <https://w3id.org/policygraph/ontology#sourceFile> ?f } }"
    assert sorted(row["f"].value for row in store.query(files)) == sorted(r["source"] for r in records)


def test_graph_nq_of_the_samples_and_development_documents_holds_each_quad_once(clean_dev: Path):
    """graph.nq is written from the writer's text, which the store would dedupe silently: two printed
    names of one unit on a measure (区人社局, 区人力资源和社会保障局) once gave its unit twice."""
    lines = (clean_dev / "graph.nq").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(set(lines)) == len(ox.Store.read_only(str(clean_dev / "sparql")))
