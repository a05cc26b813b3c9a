"""Duties (职责分工): read by shape, kept apart from measures, and present in every store and the API.

The passage shapes are tested on short snippets written for the test (the forms come from corpus-dev
02, 25, 30, 31, 34, 37 and 38); the stores on a real build of 38 and 34 (tune documents).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest

from policygraph.graph.embedded import open_embedded
from policygraph.ingest.duty_passages import duty_passages, heading_units, is_duty_heading
from policygraph.ingest.extract import extract_text
from tests.support import CLI, ROOT

SHAPES = ROOT / "tests" / "data" / "shapes"


def passages(text: str) -> list[tuple[str, str]]:
    return [(p.printed, text[p.start : p.end]) for p in duty_passages(text, 0, len(text))]


def test_a_unit_then_colon_or_full_stop_opens_a_duty():
    assert passages("区民防办：负责制定区级应急避难场所专业规划和年度建设计划。") == [
        ("区民防办", "区民防办：负责制定区级应急避难场所专业规划和年度建设计划。")
    ]
    text = "（一）区建管委（区水务局）。负责制定区实施方案；协调对接各方移交接管工作；会同区财政局做好绩效分析工作。"
    ((printed, body),) = passages(text)
    assert printed == "区建管委（区水务局）" and body.endswith("会同区财政局做好绩效分析工作。")


def test_several_units_in_one_paragraph_each_open_their_own_duty():
    text = "党群工作处要加强统筹协调、指导推动；社会事业处要会同各相关处室，深入村居实地指导，定期会商、分析研判。"
    assert [p for p, _ in passages(text)] == ["党群工作处", "社会事业处"]


def test_the_longest_reading_that_ends_like_a_unit_is_the_unit():
    assert [p for p, _ in passages("区委统筹办要加强干部队伍建设工作，做好各项保障工作。")] == ["区委统筹办"]
    assert [p for p, _ in passages("各街镇负责开展本区域停车共享实施工作，委托有资质的单位收费。")] == ["各街镇"]
    assert [p for p, _ in passages("区运管部门加强道路停车管理的指导，夜间停车实行收费管理。")] == ["区运管部门"]


def test_exhortations_verbs_and_annotations_are_not_duties():
    assert passages("各村居党组织要高度重视，共同推进。") == []  # too short to say what the unit does
    assert passages("按照条块结合、属地负责的原则，在区政府的统一领导下推进工作，形成合力。") == []
    assert passages("村级路长由村民委员会主要负责同志担任，护路员由村级组织聘用。") == []
    text = "各村居要把近邻服务纳入年度工作计划，制定符合当地实际的政策措施。责任单位：各行政村（社区）"
    ((_, body),) = passages(text)
    assert "责任单位" not in body


def test_a_unit_named_with_the_word_duties():
    """区教育局职责：…, （一）片区总湾（滩）长主要职责。…: the word 职责 is not part of the name."""
    assert [p for p, _ in passages("区教育局职责：负责推进学校近视防控工作，指导学校落实各项措施。")] == ["区教育局"]
    text = "（一）片区总湾（滩）长主要职责。负责片区内湾滩保护管理工作的总体部署、统筹协调。"
    assert [p for p, _ in passages(text)] == ["片区总湾（滩）长"]
    assert heading_units("区卫生健康局职责") == ["区卫生健康局"]


def test_posts_of_a_chief_system_hold_duties():
    """路长制, 河长制 …: the duty part names posts, under a heading of posts (corpus-dev 02's shape)."""
    text = (
        "某区路长制实施方案\n\n五、组织构架和职责分工\n\n(一)组织构架\n\n1.区级路长：设立区农村公路总路长，由区政府分管领导担任。\n\n"
        "(二)职责分工\n\n1.区级路长及路政员\n\n总路长：为全区农村公路建设养护管理的总负责人，负责推动路长制落实。\n\n"
        "路政员：负责宣传贯彻执行公路管理法律、法规，负责辖区内路政执法。\n\n"
        "2.镇级路长和专管员\n\n镇总路长：为辖区内乡村道建设养护管理的第一责任人，承担落实区级路长的部署。\n"
    )
    doc = extract_text("t.txt", text)
    assert [d.unit for d in doc.duties] == ["总路长", "路政员", "镇总路长"]  # none from the 组织构架
    units = {u.id: u for u in doc.units}
    assert {(units[d.unit_id].name, units[d.unit_id].kind) for d in doc.duties} == {
        ("总路长", "post"),
        ("路政员", "post"),
        ("镇总路长", "post"),
    }
    assert heading_units("镇级路长和专管员") == ["镇级路长", "专管员"]


def test_duty_headings_and_unit_headings():
    assert is_duty_heading("职责分工") and is_duty_heading("明确工作职责") and is_duty_heading("组织构架和职责分工")
    assert not is_duty_heading("加强组织领导") and not is_duty_heading("主要任务")
    # a task that makes units carry out their duties (09: 2.夯实行业部门消防管理职责。…) divides none
    assert not is_duty_heading("夯实行业部门消防管理职责") and not is_duty_heading("落实镇政府管养职责")
    assert is_duty_heading("落实工作职责分工")
    assert heading_units("区交通委") == ["区交通委"] and heading_units("区住房保障和房屋管理局") == [
        "区住房保障和房屋管理局"
    ]
    assert heading_units("加强停车资源共享") == []


def test_a_duty_part_gives_duties_not_measures():
    text = (
        "某区实施方案\n\n一、主要任务\n\n（一）推进停车共享。全面梳理停车资源，建立共享机制，提高泊位利用率。\n\n"
        "二、职责分工\n\n（一）区交通委。负责统筹协调停车资源共享利用工作，建立定期会商机制。\n\n"
        "（二）区财政局、区国资委。按照职责保障所需经费，指导国有企业开放内部停车资源。\n\n"
        "（三）区教育局\n\n1．全面梳理学校停车需求状况。\n\n2．推动学校停车场错时开放。\n"
    )
    doc = extract_text("t.txt", text)
    assert [m.number for m in doc.measures] == ["（一）"]
    assert [(d.unit, d.section_path) for d in doc.duties] == [
        ("区交通委", ["二、职责分工"]),
        ("区财政局", ["二、职责分工"]),
        ("区国资委", ["二、职责分工"]),
        ("区教育局", ["二、职责分工"]),
    ]
    shared = [d for d in doc.duties if d.unit in ("区财政局", "区国资委")]
    assert shared[0].text == shared[1].text and shared[0].id != shared[1].id
    assert doc.duties[-1].text.endswith("推动学校停车场错时开放。")
    units = {u.id: u.name for u in doc.units}
    assert all(units[d.unit_id] for d in doc.duties)
    for duty in doc.duties:
        assert text[duty.start : duty.end] == duty.text  # provenance: the span is the text


def test_a_duty_part_inside_the_tasks_keeps_its_other_items_as_measures():
    """27's （二）管理机构与职责 under 四、主要任务: 2.区建设管理委是…主管部门 followed by a paragraph of
    负责… clauses is one duty; 6.路长制, which names no unit's duty, is one of the plan's measures."""
    text = (
        "某区实施细则\n\n一、主要任务\n\n（一）管理机构与职责\n\n"
        "1.区建设管理委是本区农村公路的行政主管部门，负责对本区道路管理养护工作指导和监管。\n\n"
        "负责审批全区农村公路管理养护计划；负责监督检查养护计划执行情况。\n\n"
        "2.路长制\n\n根据有关指导意见，于2021年全面实施路长制并形成长效管理，设立区、镇、村三级路长。\n\n"
        "（二）日常养护管理\n\n农村公路日常养护应通过市场化方式落实养护队伍，按规定办理政府采购。\n"
    )
    doc = extract_text("t.txt", text)
    ((duty,),) = [doc.duties]
    assert duty.unit == "区建设管理委" and duty.text.endswith("负责监督检查养护计划执行情况。")
    assert [(m.number, m.title or m.text[:6]) for m in doc.measures] == [("2.", "路长制"), ("（二）", "日常养护管理")]


@pytest.fixture(scope="module")
def duty_build(tmp_path_factory) -> Path:
    """38 and 34 built by the real CLI: each has a 职责分工 part."""
    folder = tmp_path_factory.mktemp("duty-in")
    for prefix in ("34", "38"):
        (path,) = SHAPES.glob(f"{prefix}_*.txt")
        shutil.copy(path, folder / path.name)
    out = tmp_path_factory.mktemp("duty-built")
    subprocess.run([*CLI, "build", str(folder), "--out", str(out)], capture_output=True, check=True)
    return out


def _documents(build: Path) -> list[dict]:
    return [json.loads(line) for line in (build / "documents.jsonl").open(encoding="utf-8")]


def test_the_build_holds_the_duties_of_both_documents(duty_build):
    docs = {d["source"][:2]: d for d in _documents(duty_build)}
    units = [d["unit"] for d in docs["38"]["duties"]]
    assert units == [
        "区建管委（区水务局）",
        "区财政局",
        "永业集团",
        "区商务委",
        "区城管执法局",
        "外滩投资集团",
        "上海城投集团",
    ]
    assert len(docs["34"]["duties"]) == 15  # 13 passages, the last shared by three units
    for measure in docs["38"]["measures"] + docs["34"]["measures"]:
        assert not any("职责分工" in part for part in measure["section_path"]), measure["text"][:30]


def test_duties_are_in_sparql_and_both_cypher_stores(duty_build, neo4j_uri):
    count = sum(len(d["duties"]) for d in _documents(duty_build))
    store = ox.Store.read_only(str(duty_build / "sparql"))
    sparql = """PREFIX pg: <https://w3id.org/policygraph/ontology#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?text WHERE { GRAPH ?g { ?d a pg:Duty ; pg:dutyOf ?u ; pg:text ?text }
                             GRAPH ?s { ?u skos:prefLabel|skos:altLabel "永业集团"@zh } }"""
    (row,) = list(store.query(sparql))
    assert row["text"].value.startswith("永业集团。按照现有养护合同")
    (total,) = list(
        store.query(
            "PREFIX pg: <https://w3id.org/policygraph/ontology#> "
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?d a pg:Duty } }"
        )
    )
    assert int(total["n"].value) == count
    cypher = "MATCH (d:Duty)-[:DUTY_OF]->(u:Unit) RETURN count(d) AS n"
    conn = open_embedded(duty_build / "cypher")
    assert conn.execute(cypher).get_next()[0] == count
    load = subprocess.run([*CLI, "load", "neo4j", str(duty_build), "--uri", neo4j_uri], capture_output=True, text=True)
    assert load.returncode == 0, load.stderr
    import neo4j

    with neo4j.GraphDatabase.driver(neo4j_uri) as driver:
        (record,) = driver.execute_query(cypher).records
        assert record["n"] == count
        (record,) = driver.execute_query(
            "MATCH (d:Duty)-[:PART_OF]->(:Document) WHERE d.printed_name = '区财政局' RETURN count(d) AS n"
        ).records
        assert record["n"] == 2  # one in each document


def test_the_api_lists_a_units_duties(duty_build):
    from fastapi.testclient import TestClient

    from policygraph.api.app import create_app

    docs = _documents(duty_build)
    duty = next(d for doc in docs for d in doc["duties"] if d["unit"] == "上海城投集团")
    with TestClient(create_app(duty_build)) as client:
        rows = client.get(f"/units/{duty['unit_id']}/duties").json()["items"]
        assert [(r["unit"], r["text"]) for r in rows] == [("上海城投集团", duty["text"])]
        assert rows[0]["document_title"] == "黄浦区排水管理体制改革实施方案"
        csv = client.get(f"/units/{duty['unit_id']}/duties", params={"format": "csv"}).text
        assert csv.splitlines()[0].startswith("id,document,document_title,unit")
        assert client.get("/units/unit-000000000000/duties").status_code == 404
        counts = {d["source"][:2]: d for d in client.get("/documents").json()["items"]}
        assert counts["38"]["duties"] == 7


def test_the_duties_graph_conforms_to_the_shapes(duty_build):
    from pyshacl import validate
    from rdflib import Graph

    from policygraph.graph.vocab import PG
    from tests.test_graph_build import union_graph

    union = union_graph(duty_build / "graph.nq")
    shapes = Graph().parse(ROOT / "ontology" / "shapes.ttl")
    conforms, _, report = validate(union, shacl_graph=shapes, inference="none")
    assert conforms, report
    duty, unit = next(iter(union.subject_objects(PG.dutyOf)))
    union.remove((duty, PG.dutyOf, unit))  # a duty of no unit
    assert not validate(union, shacl_graph=shapes, inference="none")[0]


def test_a_closing_call_to_every_department_is_no_duty():
    """37: after （一）…（三） the part closes with 各有关单位要高度重视…: no department is given anything."""
    assert passages("各有关单位要高度重视排水管理体制改革工作，健全工作机制，加强统筹谋划、协调推进。") == []
    assert [p for p, _ in passages("各相关部门负责做好本行业领域的排水设施移交和日常监管工作。")] == ["各相关部门"]


def test_a_post_opens_its_duty_after_who_holds_it_and_an_office_after_where_it_sits():
    """Synthetic, 长制 plans' shape: 区级总湾（滩）长由管委会主任担任，负责…; X办公室设在Y，负责…."""
    text = "区级总湾（滩）长由管委会主任担任，负责全区湾滩管理保护工作的总督导、总调度。"
    assert [p for p, _ in passages(text)] == ["区级总湾（滩）长"]
    text = "湾（滩）长办公室设在区资源生态局，负责湾（滩）长制组织实施的具体工作，承担日常事务。"
    assert [p for p, _ in passages(text)] == ["湾（滩）长办公室"]


def test_organs_a_plan_sets_up_open_their_duties():
    """Synthetic, the shape of 29's 指挥部成员及职责 annex: an office set up under a body (its unit: the
    body's office), groups listed after 分别为, a group named as it is set up; each when the clause goes
    on to what it is responsible for. Setting one up (成立…领导小组，组长由…) opens no duty of its own."""
    text = "领导小组下设办公室，办公室设在区民政局，主要职责：负责统筹协调日常工作，督促各项任务落实到位。"
    assert [p.units for p in duty_passages(text, 0, len(text))] == [["领导小组办公室"]]
    text = "指挥部下设三个工作组分别为东片工作组、西片工作组、南片工作组，各工作组负责所辖区域的整治和验收工作。"
    assert [p.units for p in duty_passages(text, 0, len(text))] == [["东片工作组", "西片工作组", "南片工作组"]]
    text = "指挥部下设整治验收小组，组长由农业农村处处长兼任，负责设施升级改造的验收工作并报送验收结果。"
    assert [p.units for p in duty_passages(text, 0, len(text))] == [["整治验收小组"]]
    text = "区政府成立工作领导小组，组长由区长担任，成员由各相关部门主要负责同志组成。"
    assert duty_passages(text, 0, len(text)) == []
