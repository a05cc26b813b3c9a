"""The import graph keeps its layers: the model at the bottom, ingest, align and the graph mappings
and writers beside one another (none imports another), the pipeline above them, the API and the views
on top. Read from the source with ``ast``, so a violation fails here before it tangles the code."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "policygraph"
BASE = {
    "policygraph.model",
    "policygraph.shape",
    "policygraph.ids",
    "policygraph.contracts",
    "policygraph.errors",
    "policygraph.figures",
    "policygraph.regions",
    "policygraph.children",  # forked work: the build's stages, the alignment's neighbour search
}
# what each part may import of policygraph, besides itself
ALLOWED = {
    "policygraph.ids": set(),
    "policygraph.errors": set(),
    "policygraph.shape": set(),
    "policygraph.model": {"policygraph.shape"},
    "policygraph.contracts": {"policygraph.model"},
    "policygraph.figures": {"policygraph.model"},
    "policygraph.regions": set(),
    "policygraph.folder": BASE,
    "policygraph.generations": BASE | {"policygraph.folder"},
    "policygraph.ingest": BASE,
    "policygraph.align": BASE,
    "policygraph.graph": BASE,
    "policygraph.named_queries": BASE,
    "policygraph.children": {"policygraph.errors"},
    "policygraph.fingerprints": set(),
    "policygraph.write_errors": set(),
    "policygraph.pipeline": BASE
    | {
        "policygraph.align",
        "policygraph.graph",
        "policygraph.ingest",
        "policygraph.folder",
        "policygraph.generations",
        "policygraph.write_errors",
        "policygraph.fingerprints",
    },
}


def _part(module: str) -> str:
    """The layer a module belongs to: its package under policygraph, or itself at the top level."""
    parts = module.split(".")
    return ".".join(parts[:2])


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("policygraph"):
            found |= {
                f"{node.module}.{alias.name}" if node.module == "policygraph" else node.module for alias in node.names
            }
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("policygraph")}
    return found


def _modules() -> dict[str, Path]:
    return {
        "policygraph." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts): path
        for path in PACKAGE.rglob("*.py")
        if path.name != "__init__.py"
    }


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_each_layer_imports_only_what_lies_below_it(layer: str):
    modules = {name: path for name, path in _modules().items() if _part(name) == layer}
    assert modules, f"no module in {layer}"
    for name, path in modules.items():
        for imported in _imports(path):
            other = _part(imported)
            assert other == layer or other in ALLOWED[layer], f"{name} imports {imported}"


def test_graph_and_align_do_not_know_each_other():
    for name, path in _modules().items():
        for imported in _imports(path):
            pair = {_part(name), _part(imported)}
            assert pair != {"policygraph.graph", "policygraph.align"}, f"{name} imports {imported}"
