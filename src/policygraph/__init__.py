"""policygraph: Chinese government policy plans as a knowledge graph.

The library's public surface, for notebooks and programs::

    import policygraph as pg

    doc = pg.extract_file("plan.docx")                 # one document: the model's Document
    docs = [doc for doc, _text in pg.extract_paths(["plans/"])[0]]   # a folder, on all cores
    alignment = pg.align(docs)                         # measure links, indicator concepts, citations
    report = pg.build_paths(["plans/"], Path("out"))   # extract, align, write every store, publish
    build = pg.open_build(Path("out"))                 # read a build back: documents, alignment, texts
    corpus = pg.open_corpus(Path("out"))               # ask it the API's questions: model objects
    pg.frame(corpus.led_by("区人社局"))                # or a pandas DataFrame (the notebook extra)

The names are loaded on first use, so ``import policygraph`` (and every CLI command) stays quick.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

_PUBLIC = {
    "extract_file": "policygraph.ingest.extract",
    "extract_text": "policygraph.ingest.extract",
    "extract_paths": "policygraph.ingest.batch",
    "build": "policygraph.pipeline",
    "build_paths": "policygraph.pipeline",
    "BuildReport": "policygraph.pipeline",
    "align": "policygraph.align.run",
    "open_build": "policygraph.folder",
    "open_corpus": "policygraph.corpus",
    "Corpus": "policygraph.corpus",
    "frame": "policygraph.frames",
    "Build": "policygraph.folder",
    "PolicygraphError": "policygraph.errors",
    **dict.fromkeys(
        (
            "Document",
            "Measure",
            "Indicator",
            "Project",
            "Duty",
            "Unit",
            "UnitRole",
            "Target",
            "Problem",
            "Alignment",
            "Citation",
            "MeasureLink",
            "SectionLink",
            "IndicatorGroup",
            "Evidence",
            "Ref",
        ),
        "policygraph.model",
    ),
}
__all__ = ["__version__", *_PUBLIC]

if TYPE_CHECKING:  # what __getattr__ gives, for type checkers and editors
    from policygraph.align.run import align as align
    from policygraph.corpus import Corpus as Corpus, open_corpus as open_corpus
    from policygraph.errors import PolicygraphError as PolicygraphError
    from policygraph.folder import Build as Build, open_build as open_build
    from policygraph.frames import frame as frame
    from policygraph.ingest.batch import extract_paths as extract_paths
    from policygraph.ingest.extract import extract_file as extract_file, extract_text as extract_text
    from policygraph.model import (
        Alignment as Alignment,
        Citation as Citation,
        Document as Document,
        Evidence as Evidence,
        Indicator as Indicator,
        IndicatorGroup as IndicatorGroup,
        Measure as Measure,
        MeasureLink as MeasureLink,
        Problem as Problem,
        Project as Project,
        Ref as Ref,
        SectionLink as SectionLink,
        Target as Target,
        Unit as Unit,
        UnitRole as UnitRole,
    )
    from policygraph.pipeline import BuildReport as BuildReport, build as build, build_paths as build_paths


def __getattr__(name: str) -> Any:
    if name not in _PUBLIC:
        raise AttributeError(f"module 'policygraph' has no attribute {name!r}")
    value = getattr(importlib.import_module(_PUBLIC[name]), name)
    globals()[name] = value
    return value
