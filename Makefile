# `make demo` runs the main job on the sample corpus; `make test` runs lint and the whole test suite.
# Both set up their own virtualenv in .venv on first use.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
OUT := out
PORT ?= 8000

.PHONY: demo test lint setup clean viz-examples
.DEFAULT_GOAL := test

$(BIN)/policygraph: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

setup: $(BIN)/policygraph

# The samples, and one city plan with three district plans carrying it out (上海市's rural-road
# maintenance reform, 奉贤区, 崇明区, 青浦区): what each district does about the city's measures.
FAMILY := tests/data/corpus-dev/01_sh_rural_road_maintenance_reform.txt \
	tests/data/corpus-dev/02_fengxian_rural_road_maintenance_reform.txt \
	tests/data/corpus-dev/03_chongming_rural_road_maintenance_reform.txt \
	tests/data/shapes/27_shanghai-qingpu_rural-road-rules_district.txt

demo: setup
	mkdir -p $(OUT)
	$(BIN)/policygraph extract ingest $(FAMILY) --format jsonl > $(OUT)/extract.jsonl
	$(BIN)/policygraph build ingest $(FAMILY) --out $(OUT)/graph
	@echo "wrote $(OUT)/extract.jsonl and the graph in $(OUT)/graph; serving it (Ctrl-C stops)"
	$(BIN)/policygraph serve $(OUT)/graph --port $(PORT)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy

# The suite talks to a real Neo4j (started here, fetched from Maven Central the first time, stopped
# after) and drives Debian's Chromium and docker-compose (installed here if missing).
test: lint
	scripts/install-tools.sh
	scripts/neo4j-local.sh start
	NEO4J_URI=bolt://127.0.0.1:7687 $(BIN)/pytest; status=$$?; scripts/neo4j-local.sh stop; exit $$status

# The example views committed in viz/, from the current code (a test checks the sample ones are current).
viz-examples: setup
	$(BIN)/policygraph build ingest --out $(OUT)/examples/samples
	$(BIN)/policygraph build tests/data/corpus-dev --out $(OUT)/examples/dev
	$(BIN)/policygraph viz workload $(OUT)/examples/samples --region 恩阳区 --out viz/workload_enyang.html
	$(BIN)/policygraph viz chart $(OUT)/examples/samples --region 岳池县 --out viz/chart_yuechi.html
	$(BIN)/policygraph viz alignment $(OUT)/examples/dev --a 01 --b 03 --out viz/alignment_01_03.html
	$(BIN)/policygraph viz alignment $(OUT)/examples/dev --a 06 --b 08 --out viz/alignment_06_08.html

clean:
	rm -rf $(VENV) $(OUT)
