"""policygraph as a user installs it: the wheel built from this checkout, in a fresh environment, run
from a folder outside the checkout, answers every route (``/queries`` and ``/ontology`` included, whose
files the wheel must carry) and renders its API docs with no network; docker-compose.yml is valid.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import httpx
import pytest
import yaml

from tests.support import CHROMIUM, ROOT, serve

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A virtualenv holding the wheel; the dependencies come from the test environment's site-packages
    (a path, not a site directory, so its editable install of policygraph is not seen)."""
    where = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(where / "dist"), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = (where / "dist").glob("policygraph-*.whl")
    venv = where / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = next((venv / "lib").glob("python3*/site-packages"))
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(venv / "bin" / "python"),
            "install",
            "-q",
            "--no-deps",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    return venv / "bin"


def test_the_wheel_carries_queries_ontology_and_data(installed: Path, tmp_path: Path):
    shown = subprocess.run(
        [installed / "python", "-c", "import policygraph, pathlib; print(pathlib.Path(policygraph.__file__).parent)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    package = Path(shown.stdout.strip())
    assert package.is_relative_to(installed.parent), package  # the wheel's copy, not the checkout
    for folder in ("queries", "ontology"):
        shipped = {p.name for p in (package / folder).iterdir()}
        assert shipped == {p.name for p in (ROOT / folder).iterdir()}, folder
        assert not (package / folder).is_symlink()
    assert (package / "data" / "unit_types.csv").exists() and (package / "api" / "static" / "index.html").exists()


@pytest.fixture(scope="module")
def served(installed: Path, tmp_path_factory):
    """``policygraph build`` and ``serve`` of the installed wheel, run from a folder outside the checkout."""
    work = tmp_path_factory.mktemp("elsewhere")
    shutil.copytree(ROOT / "ingest", work / "in", ignore=shutil.ignore_patterns("*.md"))
    subprocess.run(
        [installed / "policygraph", "build", "in", "--out", "graph"], cwd=work, check=True, capture_output=True
    )
    yield from serve(work / "graph", command=[str(installed / "policygraph")], cwd=work)


def _urls(api: httpx.Client) -> dict[str, str]:
    """One request per GET route of the OpenAPI document, with the examples it gives."""
    documents = api.get("/documents").json()["items"]
    doc, other = documents[0]["id"], documents[1]["id"]
    unit = api.get("/units", params={"limit": 1}).json()["items"][0]["id"]
    measure = api.get(f"/documents/{doc}").json()["measures_list"][0]["id"]
    return {
        "/health": "/health",
        "/documents": "/documents",
        "/documents/{doc_id}": f"/documents/{doc}",
        "/documents/{doc_id}/text": f"/documents/{doc}/text",
        "/units": "/units?name=人社局",
        "/units/{unit_id}": f"/units/{unit}",
        "/units/{unit_id}/measures": f"/units/{unit}/measures",
        "/units/{unit_id}/duties": f"/units/{unit}/duties",
        "/units/{unit_id}/workload": f"/units/{unit}/workload",
        "/measures/{measure_id}": f"/measures/{measure}",
        "/indicators": "/indicators",
        "/compare": f"/compare?a={doc}&b={other}",
        "/search": "/search?q=托位",
        "/viz/{view}": f"/viz/chart?document={doc}",
        "/alignment/links": "/alignment/links",
        "/alignment/indicators": "/alignment/indicators",
        "/alignment/unmatched": "/alignment/unmatched",
        "/alignment/documents": "/alignment/documents",
        "/sparql": "/sparql?query=" + httpx.QueryParams({"q": "ASK { ?s ?p ?o }"})["q"],
        "/queries": "/queries",
        "/queries/{name}": "/queries/measures_of_document?document=" + doc,
        "/ontology/{name}": "/ontology/policygraph.ttl",
    }


def test_every_route_answers_from_the_installed_wheel(served: str):
    with httpx.Client(base_url=served, timeout=30) as api:
        schema = api.get("/openapi.json").json()
        routes = {path for path, ops in schema["paths"].items() if "get" in ops}
        urls = _urls(api)
        assert routes == set(urls), "a GET route this test does not call, or one that is gone"
        for route, url in urls.items():
            response = api.get(url)
            assert response.status_code == 200, (route, response.text[:300])
        names = {q["name"] for q in api.get("/queries").json()}
        assert names == {p.name.split(".")[0] for p in (ROOT / "queries").iterdir()}
        assert "pg:Measure" in api.get("/ontology/policygraph.ttl").text
        assert api.post("/cypher", json={"query": "MATCH (d:Document) RETURN count(d) AS n"}).json()["rows"] == [[5]]


def test_api_docs_render_with_no_network(served: str):
    if CHROMIUM is None:
        pytest.fail("chromium is not installed: scripts/install-tools.sh installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    outside: list[str] = []

    def only_this_server(route):
        if route.request.url.startswith(served):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        page.route("**/*", only_this_server)
        page.goto(served + "/docs")
        page.wait_for_selector(".swagger-ui .info .title", timeout=20_000)
        assert "policygraph" in page.inner_text(".swagger-ui .info .title")
        assert page.locator(".opblock").count() >= 20  # the operations, read from /openapi.json
        page.goto(served + "/redoc")
        page.wait_for_selector("redoc h1, .api-info h1", timeout=20_000)
        browser.close()
    assert outside == []


def test_docker_compose_file_is_valid(tmp_path: Path):
    """``docker-compose config`` (Debian's docker-compose, no engine needed) parses and checks the file
    against the Compose schema; the image it builds serves the API and the explorer."""
    compose = shutil.which("docker-compose")
    if compose is None:
        pytest.fail("docker-compose is not installed: scripts/install-tools.sh installs Debian's docker-compose")
    result = subprocess.run(
        [compose, "-f", str(ROOT / "docker-compose.yml"), "config"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    services = yaml.safe_load(result.stdout)["services"]
    assert set(services) == {"neo4j", "policygraph"}
    app = services["policygraph"]
    assert app["build"]["context"] == str(ROOT) and (ROOT / "Dockerfile").exists()
    assert app["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert any(str(port).endswith(":8000:8000/tcp") for port in app["ports"])
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "pip wheel" in dockerfile and "policygraph serve" in dockerfile and "load neo4j" in dockerfile
