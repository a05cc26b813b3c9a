"""Every extracted document validates against the published JSON Schema of `extract`."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

SCHEMA = json.loads((Path(__file__).parent / "contracts" / "extract.schema.json").read_text(encoding="utf-8"))


def test_samples_validate(samples):
    assert len(samples) == 5
    for doc in samples.values():
        jsonschema.validate(doc, SCHEMA)


def test_dev_corpus_validates(dev_docs):
    assert len(dev_docs) == 18
    for doc in dev_docs.values():
        jsonschema.validate(doc, SCHEMA)


@pytest.mark.parametrize("key", ["000", "003"])
def test_offsets_point_at_the_text(samples, key):
    from policygraph.ingest.extract import decoded_text

    path = next((Path(__file__).parent.parent / "ingest").glob(f"{key}_*.txt"))
    text = decoded_text(path)
    for measure in samples[key]["measures"]:
        span = text[measure["start"] : measure["end"]]
        assert measure["title"][:4] in span
        assert text.count("\n", 0, measure["start"]) + 1 == measure["line"]
