"""Derived figures, each defined once; the API, the views and the named queries count the same way.

**A unit's workload** in a document is two numbers: the measures it leads (牵头) and the measures it
supports (责任, 配合, 参与 …). Only measures count (not projects or indicators); a measure counts once
per role however often it names the unit in that role; a unit that both leads and supports one
measure counts in both. The named queries ``unit_workload`` and ``region_workload`` (SPARQL and
Cypher) count ``DISTINCT`` measures per role for the same reason, and a test holds all of them to
this definition.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from policygraph.model import LEAD, Document


@dataclass(frozen=True)
class Workload:
    lead: int
    support: int


def workloads(documents: Iterable[Document]) -> dict[str, dict[str, Workload]]:
    """Unit id → document id → its workload there (documents where the unit has none are absent)."""
    led: dict[tuple[str, str], set[str]] = defaultdict(set)
    supported: dict[tuple[str, str], set[str]] = defaultdict(set)
    for doc in documents:
        for measure in doc.measures:
            for role in measure.unit_roles:
                (led if role.role == LEAD else supported)[role.unit_id, doc.id].add(measure.id)
    out: dict[str, dict[str, Workload]] = defaultdict(dict)
    for unit_id, doc_id in sorted(led.keys() | supported.keys()):
        out[unit_id][doc_id] = Workload(len(led[unit_id, doc_id]), len(supported[unit_id, doc_id]))
    return dict(out)


def total(by_document: dict[str, Workload]) -> Workload:
    """A unit's workload over several documents."""
    return Workload(sum(w.lead for w in by_document.values()), sum(w.support for w in by_document.values()))
