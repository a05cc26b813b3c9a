"""Printed values (≥95, (9.3), 80%以上, 应保尽保) read into number, comparator and cumulative flag."""

from __future__ import annotations

import re
from dataclasses import dataclass

from policygraph.ingest.normalize import nfkc

_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
_SYMBOLS = {"≥": "≥", "≤": "≤", "≧": "≥", "≦": "≤", ">": ">", "<": "<", "＞": ">", "＜": "<"}
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
    return Value(printed, number, comparator, bracketed, _unit_after(inner[match.end() :]) if match else "")


_CLAUSE_END = re.compile(r"[、，,;；()（）\s]")
_APPROXIMATELY = re.compile(r"(?:及以上|以上|以下|以内|左右|上下)$")
_UNIT = re.compile(
    r"[%‰]|[万亿千百]?[A-Za-z]+[²³23]?(?:/[A-Za-z]+[²³23]?)?"  # 6.3m3, 30万m3, 4.65km/km2
    r"|[\u4e00-\u9fff]{1,4}(?:/[\u4e00-\u9fff]{1,3})?"
)
_NOT_UNIT = re.compile(r"[的内是为达到完成实现左右前后底]")


def _unit_after(tail: str) -> str:
    """The unit printed right after a figure: 18.17% → %, 4.65km/km² → km/km2, 38万乘次 → 万乘次,
    ≥95%（含）以上 → %; none for 4.1左右 or 30分钟内处置完成 (a clause, not a unit)."""
    clause = _APPROXIMATELY.sub("", _CLAUSE_END.split(tail, 1)[0])
    unit = _UNIT.fullmatch(clause)
    if unit is None or _NOT_UNIT.search(clause):
        return ""
    return clause
