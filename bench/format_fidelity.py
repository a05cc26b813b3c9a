"""Do the readers give from a .pdf, .docx or .html what they give from the same plan as text?

For every plan rendered in tests/data/rendered/ (scripts/render_fixtures.py), the text it was
rendered from is extracted, and so is each rendering; the facts of a rendering are matched to the
text's one to one and scored as P/R/F1 with the text's as the reference: measures (by the start of
their text), unit roles (measure, role, unit), indicators (name, baseline, target, unit, nature),
projects (name) and duties (unit, start of the text), and metadata (title, issuer, date, 文号) by
equality. A figure below 1 is what the reader lost or added for that format. ``lines``: the share of
the rendering's lines outside tables that are lines of the text (a PDF read as its visual lines
scores low; one whose paragraphs are re-joined and whose page furniture is gone scores 1). Where golden facts
exist for the plan, ``bench/extract_quality.py --format pdf`` scores the rendering against them.

    .venv/bin/python bench/format_fidelity.py            # per document and in total, by format
    .venv/bin/python bench/format_fidelity.py --diff 36.pdf  # what differs for one rendering
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from extract_quality import norm  # noqa: E402  (this folder is on the path when a bench runs)

from policygraph.ingest.extract import extract_file_with_text  # noqa: E402
from policygraph.model import Document  # noqa: E402

RENDERED = ROOT / "tests" / "data" / "rendered"
TEXTS = (ROOT / "ingest", ROOT / "tests" / "data" / "corpus-dev", ROOT / "tests" / "data" / "shapes")
FORMATS = (".pdf", ".docx", ".html")
KINDS = ("measures", "roles", "indicators", "projects", "duties", "metadata")
SPACE = re.compile(r"\s+")


def _norm(text: str, length: int = 0) -> str:
    """extract_quality's comparison form (NFKC, no white space), cut to its first ``length`` characters."""
    return norm(text)[:length] if length else norm(text)


def facts(document: Document) -> dict[str, Counter]:
    """Each kind of fact as a multiset of comparable keys."""
    return {
        "measures": Counter(_norm(m.text, 40) for m in document.measures),
        "roles": Counter(
            (_norm(m.text, 40), role.role, _norm(role.name)) for m in document.measures for role in m.unit_roles
        ),
        "indicators": Counter(
            (_norm(i.name), _norm(i.baseline), _norm(i.target), _norm(i.unit), i.nature) for i in document.indicators
        ),
        "projects": Counter(_norm(p.name) for p in document.projects),
        "duties": Counter((_norm(d.unit), _norm(d.text, 40)) for d in document.duties),
        "metadata": Counter(
            (field, _norm(str(getattr(document, field, "") or "")))
            for field in ("title", "issuer", "date", "doc_number")
        ),
    }


def paragraphs(text: str) -> list[str]:
    """The text's lines outside tables, white space and markdown heading marks aside."""
    return [SPACE.sub("", line.lstrip("#")) for line in text.splitlines() if line.strip() and "\t" not in line]


def score(reference: Counter, found: Counter) -> tuple[int, int, int]:
    tp = sum((reference & found).values())
    return tp, sum(found.values()) - tp, sum(reference.values()) - tp


def f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0


def source_of(rendered: Path) -> Path:
    return next(folder / (rendered.stem + ".txt") for folder in TEXTS if (folder / (rendered.stem + ".txt")).exists())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--diff", help="a rendering, as NN.pdf (the start of its file name and its suffix)")
    args = parser.parse_args()
    started = time.perf_counter()
    stems = sorted({p.stem for p in RENDERED.iterdir() if p.suffix in FORMATS})
    totals = {fmt: {kind: [0, 0, 0] for kind in KINDS} for fmt in FORMATS}
    seconds = Counter[str]()
    line_counts = {fmt: (0, 0) for fmt in FORMATS}  # lines that are lines of the text, lines
    if args.diff:
        prefix, suffix = args.diff.rsplit(".", 1)
        stems = [s for s in stems if s.startswith(prefix)]
    print(f"{'document':<28}{'format':<7}" + "".join(f"{kind:>11}" for kind in KINDS) + f"{'lines':>9}")
    for stem in stems:
        document, text = extract_file_with_text(source_of(RENDERED / (stem + ".txt")))
        reference, lines = facts(document), set(paragraphs(text))
        for fmt in FORMATS:
            if args.diff and fmt != "." + suffix:
                continue
            clock = time.perf_counter()
            document, text = extract_file_with_text(RENDERED / (stem + fmt))
            found = facts(document)
            own = paragraphs(text)
            kept = sum(1 for line in own if line in lines)
            line_counts[fmt] = (line_counts[fmt][0] + kept, line_counts[fmt][1] + len(own))
            seconds[fmt] += time.perf_counter() - clock
            row = []
            for kind in KINDS:
                tp, fp, fn = score(reference[kind], found[kind])
                for k, v in enumerate((tp, fp, fn)):
                    totals[fmt][kind][k] += v
                row.append(f"{f1(tp, fp, fn):>11.3f}" if tp + fp + fn else f"{'–':>11}")
                if args.diff:
                    for item in sorted(map(str, (reference[kind] - found[kind]).elements())):
                        print(f"  {kind} missed: {item}")
                    for item in sorted(map(str, (found[kind] - reference[kind]).elements())):
                        print(f"  {kind} extra:  {item}")
            print(f"{stem[:27]:<28}{fmt:<7}" + "".join(row) + f"{kept / max(1, len(own)):>9.3f}")
    print()
    for fmt in FORMATS:
        kept, lines_total = line_counts[fmt]
        print(f"{'total':<28}{fmt:<7}" + "".join(f"{f1(*totals[fmt][kind]):>11.3f}" for kind in KINDS)
              + (f"{kept / lines_total:>9.3f}" if lines_total else f"{'–':>9}")
              + f"   read+extract {seconds[fmt]:.1f} s")  # fmt: skip
    print(f"\n{len(stems)} plans in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
