"""Answers as pandas DataFrames, for notebooks: ``policygraph.frame(corpus.led_by("区人社局"))``.

pandas is an optional extra (``pip install 'policygraph[notebook]'``): the library answers with model
objects without it, and only this module imports it, when it is called.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from policygraph.errors import PolicygraphError


def frame(answers: Iterable[Any]) -> Any:
    """One row per answer. An answer is a model object (its fields are the columns), a dict, or a
    tuple of those and plain values (each object's fields prefixed by its type's name:
    ``document_title``, ``measure_number``; a plain value is ``value_1``, ``value_2`` … by position)."""
    try:
        import pandas as pd
    except ImportError as exc:
        raise PolicygraphError("frame() needs pandas: pip install 'policygraph[notebook]'") from exc
    return pd.DataFrame([_row(answer) for answer in answers])


def _row(answer: Any) -> dict[str, Any]:
    if dataclasses.is_dataclass(answer) and not isinstance(answer, type):
        return {f.name: getattr(answer, f.name) for f in dataclasses.fields(answer)}
    if isinstance(answer, dict):
        return dict(answer)
    if not isinstance(answer, tuple):
        return {"value": answer}
    row: dict[str, Any] = {}
    for position, part in enumerate(answer, start=1):
        if dataclasses.is_dataclass(part) and not isinstance(part, type):
            prefix = type(part).__name__.lower()
            while any(key.startswith(f"{prefix}_") for key in row):
                prefix += "2"  # a second object of one type (the lower measure beside the higher one)
            row |= {f"{prefix}_{key}": value for key, value in _row(part).items()}
        elif part is None:
            continue
        else:
            row[f"value_{position}"] = part
    return row
