"""Check a golden extraction file (see README.md): its shape, and that every quote occurs exactly once
in the decoded text, in document order. Usage: python3 tests/golden/extract/check.py NN [NN …]"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "src"))

from policygraph.ingest.extract import decoded_text  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from extract_quality import quote_pattern, source  # noqa: E402

FIELDS = {
    "measures": {"quote", "number", "title", "lead_units", "responsible_units"},
    "indicators": {"quote", "name", "unit", "baseline", "target", "nature"},
    "projects": {"quote", "name"},
    "duties": {"quote", "unit"},
}
METADATA = {"title", "issuer", "region", "level", "date", "doc_number"}
LEVELS = {"national", "provincial", "municipal", "county", "district", "township"}


def problems(prefix: str) -> list[str]:
    path = Path(__file__).parent / f"{prefix}.json"
    golden = json.loads(path.read_text(encoding="utf-8"))
    text = decoded_text(source(golden["source"]))
    found = []
    if set(golden["metadata"]) != METADATA:
        found.append(f"metadata keys {sorted(golden['metadata'])}")
    if golden["metadata"].get("level") not in LEVELS:
        found.append(f"level {golden['metadata'].get('level')!r}")
    for kind, fields in FIELDS.items():
        last = -1
        for n, item in enumerate(golden[kind]):
            if set(item) - {"note"} != fields:
                found.append(f"{kind}[{n}]: keys {sorted(item)}")
                continue
            pattern = quote_pattern(item["quote"])
            count = len(re.findall(pattern, text))
            if count != 1:
                found.append(f"{kind}[{n}]: quote {item['quote']!r} occurs {count} times")
                continue
            at = re.search(pattern, text).start()
            if at < last:
                found.append(f"{kind}[{n}]: {item['quote']!r} comes before the item listed above it")
            last = at
    return found


if __name__ == "__main__":
    failed = False
    for prefix in sys.argv[1:]:
        said = problems(prefix)
        failed |= bool(said)
        print(f"{prefix}: " + ("ok" if not said else f"{len(said)} problem(s)"))
        for line in said:
            print("  " + line)
    sys.exit(1 if failed else 0)
