"""Units as identities: printed names resolved to one unit per region and canonical name.

区人社局 and 恩阳区人力资源和社会保障局 in one document of 恩阳区 are the same unit; 区人社局 in a
document of 昭化区 is another unit of the same type. The names and types are data
(``data/unit_types.csv``), so a user can extend them without touching code.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from policygraph import ids
from policygraph.ingest.normalize import fold
from policygraph.ingest.roles import is_post
from policygraph.model import Unit
from policygraph.regions import short_name


@dataclass(frozen=True)
class UnitType:
    type: str
    kind: str
    full: str


@cache
def alias_table() -> dict[str, UnitType]:
    table: dict[str, UnitType] = {}
    with resources.files("policygraph.data").joinpath("unit_types.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            entry = UnitType(row["type"], row["kind"], row["full"])
            for alias in [row["full"], *row["aliases"].split("|")]:
                table.setdefault(alias.strip(), entry)
    return table


def type_named(name: str) -> str | None:
    """The unit type a name stands for in any region (人社局, 区人社局, 县人力资源和社会保障局 → 人社局),
    or None: what finds every region's unit of a kind, whatever each plan calls it."""
    entry = alias_table().get(re.sub(r"^[省市州区县]", "", name.strip()))
    return entry.type if entry is not None else None


_CATCH_ALL = re.compile(r"^(各|相关|有关|属地|区级各|县级各|市级各|镇级各|全市各|全区各|全县各)")
_SUFFIX_TYPES = (
    ("管委会", "管委会"),
    ("委员会", "其他委"),
    ("办公室", "其他办"),
    ("中心", "其他中心"),
    ("集团", "企业"),
    ("公司", "企业"),
    ("局", "其他局"),
    ("委", "其他委"),
    ("办", "其他办"),
    ("院", "其他院"),
    ("处", "处室"),
    ("队", "其他队"),
    ("站", "其他站"),
    ("所", "其他所"),
    ("会", "其他会"),
    ("部", "其他部"),
    ("政府", "政府"),
)
_LEVEL_CHARS = {"省": "provincial", "市": "municipal", "州": "municipal", "区": "district", "县": "county"}


@dataclass(frozen=True)
class Jurisdiction:
    """The regions a document's unit names can refer to."""

    region: str  # 恩阳区
    level: str
    parent: str  # 巴中市

    def for_prefix(self, prefix: str) -> str:
        """The region a level prefix (区, 县, 市) names: 市 in a district plan is its city; in a township's
        plan (君山片区) 区 and 县 are the county-level region above it (平潭综合实验区)."""
        if prefix == "市" and self.level in ("district", "county") and self.parent:
            return self.parent
        if self.level == "township" and self.parent:
            return self.parent
        return self.region


def catch_all_type(name: str) -> str:
    if re.search(r"镇|街|乡", name):
        return "所辖镇街"
    if re.search(r"区政府|县政府|区人民政府|^(?:各|相关)区$|各区县|各县|区县|县（市", name):
        return "下级政府"
    return "本级各部门"


class UnitResolver:
    """Resolves printed unit names of one document to Units, collecting aliases as it goes."""

    def __init__(self, jurisdiction: Jurisdiction) -> None:
        self.jurisdiction = jurisdiction
        self._units: dict[str, dict] = {}

    def resolve(self, printed: str) -> str:
        """The unit id for a printed name (registering the unit on first sight)."""
        name = re.sub(r"\s+", "", fold(printed)).replace("(", "（").replace(")", "）")
        region, canonical, utype, kind = self._identify(name)
        unit_id = ids.unit_id(region, canonical)
        entry = self._units.setdefault(
            unit_id, {"name": canonical, "region": region, "type": utype, "kind": kind, "aliases": []}
        )
        if printed not in entry["aliases"]:
            entry["aliases"].append(printed)
        return unit_id

    def units(self) -> list[Unit]:
        return [
            Unit(uid, e["name"], e["region"], e["type"], e["kind"], sorted(e["aliases"]))
            for uid, e in sorted(self._units.items(), key=lambda item: (item[1]["region"], item[1]["name"]))
        ]

    def _identify(self, name: str) -> tuple[str, str, str, str]:
        j = self.jurisdiction
        if _CATCH_ALL.match(name):
            return j.region, name, catch_all_type(name), "catch-all"
        if is_post(name):
            return j.region, name, "岗位", "post"  # a post is named as printed: 区级路长 is no 区 unit
        prefix, region, core = self._split_prefix(name)
        party = False
        if core.startswith("委") and len(core) > 1 and prefix:
            party, core = True, core[1:]
        entry = alias_table().get(core)
        if entry is not None:
            full = entry.full
            if party or entry.kind == "party":
                return region, f"{region}委{full}" if not full.startswith(region) else full, entry.type, "party"
            return region, f"{region}{full}", entry.type, entry.kind
        if party:
            return region, f"{region}委{core}", "党委部门", "party"
        utype = next((t for suffix, t in _SUFFIX_TYPES if core.endswith(suffix)), "其他")
        kind = "enterprise" if utype == "企业" else "department"
        if core.endswith(("政府", "人民政府")) and not core.startswith(("镇", "乡")):
            return region, f"{region}人民政府", "政府", "government"
        return region, f"{region}{core}" if prefix else core, utype, kind

    def _split_prefix(self, name: str) -> tuple[str, str, str]:
        """(prefix as printed, region it names, the rest)."""
        j = self.jurisdiction
        for region in (j.region, j.parent):
            if not region:
                continue
            for form in (region, short_name(region)):
                if name.startswith(form) and len(name) > len(form) + 1:
                    return form, region, name[len(form) :]
        if len(name) >= 3 and name[0] in _LEVEL_CHARS and not name.startswith(("区域", "市场", "县域", "区块")):
            rest = name[1:]
            if rest in alias_table() or rest.startswith("委") or len(rest) >= 2:
                return name[0], j.for_prefix(name[0]), rest
        return "", j.region, name
