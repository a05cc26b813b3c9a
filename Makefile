# `make demo` runs the main job on the sample corpus; `make test` runs lint and the whole test suite.
# Both set up their own virtualenv in .venv on first use.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
OUT := out
PORT ?= 8000

.PHONY: demo test lint setup clean
.DEFAULT_GOAL := test

$(BIN)/policygraph: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

setup: $(BIN)/policygraph

demo: setup
	mkdir -p $(OUT)
	$(BIN)/policygraph extract ingest --format jsonl > $(OUT)/extract.jsonl
	$(BIN)/policygraph build ingest --out $(OUT)/graph
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

clean:
	rm -rf $(VENV) $(OUT)
