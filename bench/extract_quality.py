"""Extraction quality against the golden facts written by reading corpus-dev documents (tests/golden/extract/).

For every golden document: precision, recall and F1 of measures, unit roles, indicators, projects and
duties, the accuracy of the indicators' fields and of the metadata, per document and in total for
each split of tests/golden/SPLIT.json (held_out: never looked at while tuning; report those).

Matching: a golden item names its start by a quote that occurs once in the decoded text; it matches
an extracted item of its kind whose span holds that position (or begins within a few characters of
it), one to one, nearest first. Unit roles are scored end to end: the units of a missed measure are
missed, those of an extracted measure that matches nothing are wrong. Names are compared after NFKC
and without white space.

    .venv/bin/python bench/extract_quality.py            # the table
    .venv/bin/python bench/extract_quality.py --json F   # and the figures as JSON
    .venv/bin/python bench/extract_quality.py --errors 19  # what was missed and what was wrong in 19
    .venv/bin/python bench/extract_quality.py --format pdf  # the rendered documents, as text and as PDF
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from policygraph.ingest.extract import extract_file_with_text  # noqa: E402
from policygraph.model import Document  # noqa: E402

GOLDEN = ROOT / "tests" / "golden" / "extract"
SPLIT = ROOT / "tests" / "golden" / "SPLIT.json"
FOLDERS = (ROOT / "tests" / "data" / "shapes", ROOT / "tests" / "data" / "corpus-dev")  # 19–41, 01–18
RENDERED = ROOT / "tests" / "data" / "rendered"  # the documents as .pdf, .docx, .html (scripts/render_fixtures.py)
SLACK = 10  # characters between a golden quote's start and an extracted item's start that still match
KINDS = ("measures", "indicators", "projects", "duties")
SINGULAR = {"measures": "measure", "indicators": "indicator", "projects": "project", "duties": "duty"}
INDICATOR_FIELDS = ("name", "unit", "baseline", "target", "nature")
METADATA = ("title", "issuer", "region", "level", "date", "doc_number")


def quote_pattern(quote: str) -> str:
    """A quote as a pattern: its white space stands for any white space, and a line break may stand
    between any two of its other characters."""
    return r"\s+".join(r"\s*".join(map(re.escape, piece)) for piece in re.split(r"\s+", quote.strip()))


def source(name: str) -> Path:
    """A golden file's document: corpus-dev 19–41 are copied into tests/data/shapes, 01–18 into
    tests/data/corpus-dev."""
    return next((folder / name for folder in FOLDERS if (folder / name).exists()), FOLDERS[0] / name)


NOWHERE = -(10**9)  # the position of a quote a rendering lost: it matches nothing


def locate(text: str, quote: str, rendered: bool = False) -> int:
    """Where a golden quote starts in the decoded text, white space aside: the quotes were copied from
    the text as it stood, and a reader may since have broken a line between two of their characters.
    In a rendering (a PDF's table cell joins lines the text kept apart), white space may also be gone;
    a quote that is not there at all was lost by the reader, and its item counts as missed."""
    found = re.search(quote_pattern(quote), text)
    if found is None and rendered:
        found = re.search(r"\s*".join(map(re.escape, re.sub(r"\s+", "", quote))), text)
        return NOWHERE if found is None else found.start()
    if found is None:
        raise SystemExit(f"golden quote not in the text: {quote!r}")
    return found.start()


def norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


@dataclass
class Count:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Count) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    @property
    def p(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def r(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0


@dataclass
class Share:
    right: int = 0
    total: int = 0

    def add(self, other: Share) -> None:
        self.right, self.total = self.right + other.right, self.total + other.total

    @property
    def value(self) -> float:
        return self.right / self.total if self.total else 1.0


@dataclass
class Score:
    counts: dict[str, Count] = field(default_factory=lambda: {k: Count() for k in (*KINDS, "unit roles")})
    fields: Share = field(default_factory=Share)  # indicator fields of matched indicators
    metadata: Share = field(default_factory=Share)
    errors: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name, count in other.counts.items():
            self.counts[name].add(count)
        self.fields.add(other.fields)
        self.metadata.add(other.metadata)


def match(positions: Sequence[int], spans: Sequence[tuple[int, int]]) -> dict[int, int]:
    """Golden index → extracted index, one to one, nearest first."""
    pairs = []
    for g, at in enumerate(positions):
        for e, (start, end) in enumerate(spans):
            distance = 0 if start <= at < end else min(abs(at - start), abs(at - end))
            if distance <= SLACK:
                pairs.append((distance, g, e))
    found: dict[int, int] = {}
    taken: set[int] = set()
    for _, g, e in sorted(pairs):
        if g not in found and e not in taken:
            found[g] = e
            taken.add(e)
    return found


def _roles(lead: Iterable[str], responsible: Iterable[str]) -> set[tuple[str, str]]:
    return {("lead", norm(u)) for u in lead} | {("responsible", norm(u)) for u in responsible}


def score(golden: dict[str, Any], doc: Document, text: str, rendered: bool = False) -> Score:
    out = Score()
    extracted: dict[str, list[Any]] = {
        "measures": doc.measures,
        "indicators": doc.indicators,
        "projects": doc.projects,
        # a passage shared by several units is one duty of each (the contract): count the passage once
        "duties": list({d.start: d for d in reversed(doc.duties)}.values())[::-1],
    }
    for kind in KINDS:
        items, found = golden[kind], extracted[kind]
        positions = [locate(text, item["quote"], rendered) for item in items]
        pairs = match(positions, [(x.start, x.end) for x in found])
        count = out.counts[kind]
        count.tp, count.fn, count.fp = len(pairs), len(items) - len(pairs), len(found) - len(pairs)
        out.errors += [f"missed {SINGULAR[kind]}: {item['quote']}" for g, item in enumerate(items) if g not in pairs]
        matched = set(pairs.values())
        out.errors += [
            f"extra {SINGULAR[kind]} (line {x.line}): {text[x.start : x.start + 30]!r}"
            for e, x in enumerate(found)
            if e not in matched
        ]
        if kind == "measures":
            roles = out.counts["unit roles"]
            for g, item in enumerate(items):
                want = _roles(item["lead_units"], item["responsible_units"])
                got = _roles(found[pairs[g]].lead_units, found[pairs[g]].responsible_units) if g in pairs else set()
                roles.tp, roles.fn, roles.fp = (
                    roles.tp + len(want & got),
                    roles.fn + len(want - got),
                    roles.fp + len(got - want),
                )
                if g in pairs and want != got:
                    out.errors.append(
                        f"units of {item['quote']}: missed {sorted(want - got)}, wrong {sorted(got - want)}"
                    )
            for e, x in enumerate(found):
                if e not in matched:
                    roles.fp += len(_roles(x.lead_units, x.responsible_units))
        if kind == "indicators":
            for g, e in pairs.items():
                for name in INDICATOR_FIELDS:
                    right = norm(golden[kind][g][name]) == norm(getattr(found[e], name))
                    out.fields.right += right
                    out.fields.total += 1
                    if not right:
                        out.errors.append(f"indicator {golden[kind][g]['quote']}: {name} {getattr(found[e], name)!r}")
    for name in METADATA:
        right = norm(golden["metadata"][name]) == norm(getattr(doc, name))
        out.metadata.right += right
        out.metadata.total += 1
        if not right:
            out.errors.append(f"metadata {name}: {getattr(doc, name)!r}, golden {golden['metadata'][name]!r}")
    return out


def _row(label: str, s: Score) -> str:
    figures = " ".join(f"{s.counts[k].f1:6.3f}" for k in ("measures", "unit roles", "indicators", "projects", "duties"))
    return f"{label:<10} {figures} {s.fields.value:7.3f} {s.metadata.value:6.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--errors", nargs="*", default=None, help="list the errors of these documents (NN)")
    parser.add_argument(
        "--format",
        choices=("pdf", "docx", "html"),
        help="score the documents rendered in this format (tests/data/rendered/) beside their text",
    )
    args = parser.parse_args()
    split = json.loads(SPLIT.read_text(encoding="utf-8"))
    started = time.perf_counter()
    header = (
        f"{'document':<10} {'measur':>6} {'roles':>6} {'indic':>6} {'proj':>6} {'duties':>6} {'fields':>7} {'meta':>6}"
    )
    report: dict[str, Any] = {}
    for name in ("tune", "held_out"):
        total, rendered_total = Score(), Score()
        print(f"\n{name} — F1 per kind, indicator-field and metadata accuracy\n{header}")
        for prefix in split[name]:
            golden = json.loads((GOLDEN / f"{prefix}.json").read_text(encoding="utf-8"))
            path = source(golden["source"])
            rendering = RENDERED / f"{path.stem}.{args.format}"
            if args.format and not rendering.exists():
                continue
            doc, text = extract_file_with_text(path)
            s = score(golden, doc, text)
            total.add(s)
            print(_row(prefix, s))
            if args.errors is not None and prefix in args.errors:
                print("\n".join("    " + line for line in s.errors))
            report[prefix] = _figures(s)
            if args.format:
                r = score(golden, *extract_file_with_text(rendering), rendered=True)
                rendered_total.add(r)
                print(_row(f"  .{args.format}", r))
                if args.errors is not None and prefix in args.errors:
                    print("\n".join("    " + line for line in r.errors))
                report[f"{prefix}.{args.format}"] = _figures(r)
        print(_row("total", total))
        report[name] = _figures(total)
        if args.format:
            print(_row(f"  .{args.format}", rendered_total))
            report[f"{name}.{args.format}"] = _figures(rendered_total)
    print(f"\n({time.perf_counter() - started:.1f} s)")
    if args.json:
        Path(args.json).write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _figures(s: Score) -> dict[str, Any]:
    out: dict[str, Any] = {
        k: {"p": round(c.p, 3), "r": round(c.r, 3), "f1": round(c.f1, 3)} for k, c in s.counts.items()
    }
    return out | {"indicator_fields": round(s.fields.value, 3), "metadata": round(s.metadata.value, 3)}


if __name__ == "__main__":
    main()
