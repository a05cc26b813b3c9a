"""Chinese administrative divisions: which region a document is from, its parent and its level.

The table is ``data/divisions.csv`` (see data/README.md for where it comes from).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Division:
    adcode: str
    name: str
    level: str  # provincial, municipal, county, district, township
    parent: str

    @property
    def short(self) -> str:
        return short_name(self.name)


_SUFFIXES = (
    "自治县",
    "自治州",
    "自治区",
    "特别行政区",
    "新区",
    "林区",
    "特区",
    "地区",
    "省",
    "市",
    "区",
    "县",
    "旗",
    "盟",
    "州",
)


def short_name(name: str) -> str:
    """恩阳区 → 恩阳, 上海市 → 上海; a two-character name keeps its suffix (城区 stays 城区)."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


@cache
def divisions() -> tuple[Division, ...]:
    """The statutory divisions, and the special zones that govern like one (data/zones.csv)."""
    data = resources.files("policygraph.data")
    with data.joinpath("divisions.csv").open(encoding="utf-8") as handle:
        statutory = [Division(r["adcode"], r["name"], r["level"], r["parent"]) for r in csv.DictReader(handle)]
    with data.joinpath("zones.csv").open(encoding="utf-8") as handle:
        zones = [Division("", r["name"], r["level"], r["parent"]) for r in csv.DictReader(handle)]
    return tuple(statutory + zones)


# a part of a county-level region that issues plans of its own: 君山片区, 城关镇, 龙田镇, 潭城街道
_TOWNSHIP = re.compile(
    r"([\u4e00-\u9fff]{2,6}?(?:片区|街道|镇|乡))(?:管理局|开发管理局|管委会|人民政府|办事处|党委|党工委)"
)


def township_in(text: str, county: Division | None) -> Division | None:
    """The township-level body a text names (its issuer, mostly), below ``county`` when one is given:
    平潭综合实验区君山片区管理局 → 君山片区 in 平潭综合实验区."""
    rest = text
    if county is not None and county.name in text:
        rest = text[text.index(county.name) + len(county.name) :]
    match = _TOWNSHIP.match(rest) if county is not None else _TOWNSHIP.search(rest)
    if match is None:
        return None
    return Division("", match.group(1), "township", county.name if county else "")


@cache
def _by_name() -> dict[str, list[Division]]:
    index: dict[str, list[Division]] = {}
    for division in divisions():
        index.setdefault(division.name, []).append(division)
    return index


def lookup(name: str) -> list[Division]:
    return _by_name().get(name, [])


@cache
def _by_opening() -> dict[str, list[str]]:
    """Division names by their first two characters, longest first (every name has at least two)."""
    index: dict[str, list[str]] = {}
    for name in sorted({d.name for d in divisions()}, key=len, reverse=True):
        index.setdefault(name[:2], []).append(name)
    return index


def _names_in(text: str) -> Iterator[tuple[int, str]]:
    """Each division name in ``text``, left to right, the longest at each position, never two
    overlapping: what a regex alternation of the names longest first finds, without trying three
    thousand alternatives at every character."""
    index = _by_opening()
    at = 0
    while at < len(text) - 1:
        name = next((n for n in index.get(text[at : at + 2], ()) if text.startswith(n, at)), None)
        if name is None:
            at += 1
            continue
        yield at, name
        at += len(name)


def find_divisions(text: str) -> list[tuple[int, Division]]:
    """Every full division name in ``text`` with its offset, resolving a name shared by several
    divisions (e.g. 普陀区 in 上海市 and 舟山市) by a parent named nearby."""
    found: list[tuple[int, Division]] = []
    for start, name in _names_in(text):
        candidates = lookup(name)
        if len(candidates) > 1:
            window = text[max(0, start - 12) : start + len(name) + 2000]
            named = [d for d in candidates if d.parent and (d.parent in window or short_name(d.parent) in window)]
            candidates = named or candidates
        found.append((start, candidates[0]))
    return found


def parent_of(division: Division) -> Division | None:
    if not division.parent:
        return None
    options = lookup(division.parent)
    return options[0] if options else None
