"""Printed values (≥95, (9.3), 80%以上, 应保尽保) read into number, comparator and cumulative flag."""

from __future__ import annotations

import re
from dataclasses import dataclass

from policygraph.ingest.normalize import nfkc

_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
_SYMBOLS = {"≥": "≥", "≤": "≤", ">": ">", "<": "<", "＞": ">", "＜": "<"}
_WORDS = (
    ("不低于", "≥"),
    ("不少于", "≥"),
    ("以上", "≥"),
    ("超过", ">"),
    ("大于", ">"),
    ("高于", ">"),
    ("不超过", "≤"),
    ("不高于", "≤"),
    ("以内", "≤"),
    ("以下", "≤"),
    ("小于", "<"),
    ("低于", "<"),
    ("控制在", "≤"),
)


@dataclass(frozen=True)
class Value:
    printed: str  # NFKC-normalised
    number: float | None
    comparator: str
    bracketed: bool
    unit: str


def read_value(text: str) -> Value:
    printed = nfkc(text).replace("**", "")
    compact = printed.replace(" ", "")
    bracketed = bool(re.fullmatch(r"\(.*\)", compact))
    inner = compact[1:-1] if bracketed else compact
    comparator = ""
    for symbol, comp in _SYMBOLS.items():
        if symbol in inner:
            comparator = comp
            break
    if not comparator:
        for word, comp in _WORDS:
            if word in inner:
                comparator = comp
                break
    match = _NUMBER.search(inner)
    number = float(match.group(0)) if match and not re.fullmatch(r"[—–\-/]+", inner) else None
    unit = ""
    if match:
        tail = re.match(
            r"\s*(%|‰|万人次|万人|万张|万套|万户|万元|亿元|平方公里|平方米|公里|个|人|张|所|次|岁|年|座|户|套|家|项|条|处|天|起|吨|万吨|倍)",
            inner[match.end() :],
        )
        unit = tail.group(1) if tail else ""
    return Value(printed, number, comparator, bracketed, unit)
