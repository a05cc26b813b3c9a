"""Incremental builds (issue 17): a build reuses what the build in use holds of unchanged files and
documents, agrees with a fresh build, and ``full`` reproduces the fresh one exactly."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from policygraph import fingerprints, folder
from policygraph.pipeline import build_paths
from tests.support import ROOT

FILES = ["ingest/003_5995a1e4663c35f6.txt", "ingest/004_cbedc61ed7f70bd3.txt"] + [
    f"tests/data/corpus-dev/{name}"
    for name in ("01_sh_rural_road_maintenance_reform.txt", "02_fengxian_rural_road_maintenance_reform.txt")
]
OUTPUTS = (folder.DOCUMENTS, folder.ALIGNMENT, folder.MANIFEST, folder.DUMPS["nquads"])


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    into = tmp_path / "in"
    into.mkdir()
    for name in FILES:
        shutil.copy(ROOT / name, into)
    return into


def _edit(path: Path) -> None:
    """A sentence added to one of its measures, as a revised plan would."""
    text = path.read_text(encoding="utf-8")
    at = text.find("。", len(text) // 2) + 1
    path.write_text(text[:at] + "加强督促检查，确保各项任务落到实处。" + text[at:], encoding="utf-8")


def _current(out: Path) -> Path:
    return folder.in_use(out)


def _same(a: Path, b: Path) -> list[str]:
    return [name for name in OUTPUTS if (_current(a) / name).read_bytes() != (_current(b) / name).read_bytes()]


def test_an_unchanged_folder_is_neither_extracted_nor_aligned_again(inputs, tmp_path):
    out = tmp_path / "out"
    first = build_paths([inputs], out)
    assert (first.reused, first.aligned) == (0, 4)
    kept = {name: (_current(out) / name).read_bytes() for name in OUTPUTS}
    again = build_paths([inputs], out)
    assert (again.reused, again.aligned) == (4, 0)
    assert {name: (_current(out) / name).read_bytes() for name in OUTPUTS} == kept


def test_a_changed_file_is_extracted_and_aligned_alone_and_agrees_with_a_fresh_build(inputs, tmp_path):
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    build_paths([inputs], out)
    _edit(inputs / "02_fengxian_rural_road_maintenance_reform.txt")
    report = build_paths([inputs], out)
    assert (report.reused, report.aligned) == (3, 1)
    assert (len(report.added), len(report.removed), len(report.unchanged)) == (1, 1, 3)
    # graph.nq's kept document graphs were copied from the build before, by the ranges it recorded:
    # each range holds that graph's quads and nothing else
    built = folder.Build(_current(out))
    data, ranges = (built.path / folder.DUMPS["nquads"]).read_bytes(), built.sources()["graphs"]
    assert len(ranges) == 4
    for graph, (start, end) in ranges.items():
        lines = data[start:end].decode().splitlines()
        assert lines and all(line.endswith(f" <{graph}> .") for line in lines)
    build_paths([inputs], fresh)
    incremental, whole = folder.Build(_current(out)).alignment(), folder.Build(_current(fresh)).alignment()
    found, expected = (
        {(k.a.id, k.b.id, k.grade) for k in incremental.measure_links},
        {(k.a.id, k.b.id, k.grade) for k in whole.measure_links},
    )
    both = len(found & expected)
    assert 2 * both / (len(found) + len(expected)) >= 0.99
    assert _same(out, fresh) in ([], [folder.ALIGNMENT])  # the documents and graphs are the fresh ones
    # --full reproduces the fresh build byte for byte
    full = build_paths([inputs], out, full=True)
    assert (full.reused, full.aligned) == (0, 4)
    assert _same(out, fresh) == []


def test_a_previous_graph_nq_changed_since_is_not_copied_from(inputs, tmp_path):
    """A rebuild copies the graphs it keeps from the graph.nq before only where that file still holds
    them; a file overwritten since (here with zeros) is not trusted and the graphs are made again."""
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    build_paths([inputs], out)
    nquads = _current(out) / folder.DUMPS["nquads"]
    nquads.write_bytes(b"\0" * nquads.stat().st_size)
    _edit(inputs / "02_fengxian_rural_road_maintenance_reform.txt")
    build_paths([inputs], out)
    build_paths([inputs], fresh)
    assert b"\0" not in (_current(out) / folder.DUMPS["nquads"]).read_bytes()
    assert _same(out, fresh) in ([], [folder.ALIGNMENT])


def test_new_extraction_code_extracts_everything_again(inputs, tmp_path, monkeypatch):
    out = tmp_path / "out"
    build_paths([inputs], out)
    monkeypatch.setattr(fingerprints, "extractor", lambda: "another extractor")
    report = build_paths([inputs], out)
    assert (report.reused, report.aligned) == (0, 4)


def test_new_graph_writing_code_writes_every_graph_again(inputs, tmp_path, monkeypatch):
    """The store of a rebuild starts as a checkpoint of the one in use only when the same code wrote
    its graphs: a triple the old code wrote (here one added by hand) does not outlive new code."""
    import pyoxigraph as ox

    out = tmp_path / "out"
    build_paths([inputs], out)
    store = ox.Store(str(_current(out) / "sparql"))
    graph = next(g for g in store.named_graphs() if "/graph/doc-" in g.value)
    stale = ox.Quad(
        ox.NamedNode("https://example.org/stale"), ox.NamedNode("https://example.org/p"), ox.Literal("x"), graph
    )
    store.add(stale)
    store.flush()
    del store
    build_paths([inputs], out)
    assert stale in ox.Store.read_only(str(_current(out) / "sparql"))  # same code: the graph is kept
    monkeypatch.setattr(fingerprints, "writer", lambda: "another writer")
    report = build_paths([inputs], out)
    assert len(report.added) == 4 and stale not in ox.Store.read_only(str(_current(out) / "sparql"))
