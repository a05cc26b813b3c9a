"""PDF text layers read as printed: characters with their positions, laid back into paragraphs and tables.

A PDF holds no paragraphs, only glyphs placed on pages. Read as a text stream (pypdf, before), a
printed plan came out as its visual lines: 87 % of them ended mid-sentence, so a unit annotation
wrapped onto the next line was cut from its measure; page numbers and the running head sat between
the halves of a sentence; tables came out as loose words. Here pdfplumber (MIT, on pdfminer.six)
gives every character with its box, and the layout is read from the geometry, as a reader reads a
page:

- **furniture**: a line at the top or foot of a page that is a page number in a common form
  (— 3 —, - 3 -, 第 3 页 共 9 页, 3/9, 3) or that recurs at the same height on many pages (the
  running head) is dropped;
- **paragraphs**: a line continues the one before it unless it is indented, set apart by a wider
  gap or another type size, or the line before it stopped short of the right margin; a paragraph
  runs on across a page break the same way. The margins are the body text's own (the commonest left
  edge, the right edge that full lines reach), so any page size and any margins work;
- **tables**: ruled tables (pdfplumber's table finder) become tab-separated rows, a merged cell
  written once and blank where it spans, as the other readers write them; a table continued on the
  next page is one table, its repeated header row dropped;
- **spaces**: the gaps a text layer leaves between Chinese characters and digits or Latin letters
  (``2024 年 2 月``) are not text; a space is kept only between two Latin letters or digits;
- **title**: the first page's largest type, joined over the lines it wraps onto.

Pages without characters (scanned) are named in a warning; a PDF with none at all is refused.
"""

from __future__ import annotations

import io
import itertools
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from policygraph.errors import IngestError

_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f“”‘’《》—…·]")
_PAGE_NUMBER = re.compile(
    r"^(?:[—–\-－_·•\s]*\d{1,4}[—–\-－_·•\s]*|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}|(?:page\s*)?\d{1,4}\s*of\s*\d{1,4})$",
    re.I,
)
FURNITURE_ZONE = 0.12  # share of the page height at its top and at its foot where furniture may stand


@dataclass
class _Line:
    page: int
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    text: str


@dataclass
class _Table:
    page: int
    top: float
    bottom: float
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class _Page:
    number: int
    width: float
    height: float
    lines: list[_Line]
    tables: list[_Table]


def read_pdf_text(path: Path, data: bytes) -> tuple[str, tuple[str, ...]]:
    """The text of a PDF as paragraphs and tab-separated table rows, and warnings about its pages."""
    import pdfplumber

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [_read_page(page, n) for n, page in enumerate(pdf.pages, start=1)]
    except MemoryError:
        raise  # the batch reports it as over the file's memory budget
    except Exception as exc:  # pdfminer raises errors of many kinds (and plain asserts) on broken files
        raise IngestError(path, f"not a readable PDF ({exc.__class__.__name__}: {str(exc)[:200]})") from exc
    empty = [page.number for page in pages if not page.lines and not page.tables]
    if len(empty) == len(pages):
        raise IngestError(path, "PDF has no text layer (scanned?); OCR is out of scope")
    warnings: tuple[str, ...] = ()
    if empty:
        listed = ", ".join(map(str, empty[:20])) + (" …" if len(empty) > 20 else "")
        warnings = (f"page(s) {listed} of {len(pages)} have no text layer (scanned?); their text is missing",)
    _drop_furniture(pages)
    return "\n".join(_layout(pages)) + "\n", warnings


def _read_page(page, number: int) -> _Page:
    page = page.dedupe_chars()
    tables = []
    boxes = []
    for found in page.find_tables():
        rows = [[_cell_text(page, cell) for cell in row.cells] for row in found.rows]
        if len(rows) >= 2 and max(len(r) for r in rows) >= 2:
            boxes.append(found.bbox)
            tables.append(_Table(number, found.bbox[1], found.bbox[3], rows))
    lines = [
        line
        for line in _lines(page, number)
        if not any(x0 <= (line.x0 + line.x1) / 2 <= x1 and top <= (line.top + line.bottom) / 2 <= bottom
                   for x0, top, x1, bottom in boxes)
    ]  # fmt: skip
    return _Page(number, float(page.width), float(page.height), lines, tables)


def _lines(page, number: int) -> list[_Line]:
    """The visual lines of a page (or of a part of one), each as its characters read."""
    lines = []
    for found in page.extract_text_lines(return_chars=True, strip=True):
        # a glyph printing two characters (——) comes once per character it prints: keep it once
        chars = [
            c for k, c in enumerate(found["chars"]) if c["text"].strip() and (k == 0 or c is not found["chars"][k - 1])
        ]
        if not chars:
            continue
        size = statistics.median(c["size"] for c in chars)
        text = _join_chars(chars, size)
        lines.append(_Line(number, chars[0]["x0"], chars[-1]["x1"], found["top"], found["bottom"], size, text))
    return lines


def _join_chars(chars: list[dict], size: float) -> str:
    """The line's characters; a space only where a gap parts two Latin letters or digits."""
    out = [chars[0]["text"]]
    for before, char in itertools.pairwise(chars):
        gap = char["x0"] - before["x1"]
        if gap > 0.2 * size and not _CJK.match(before["text"][-1]) and not _CJK.match(char["text"][0]):
            out.append(" ")
        out.append(char["text"])
    return "".join(out)


def _cell_text(page, box: tuple[float, float, float, float] | None) -> str:
    """The text of a table cell, its lines joined as one text the way a paragraph's are (a Chinese
    cell wraps without a space); "" for a merged cell (no box)."""
    if box is None:
        return ""
    out = ""
    for line in _lines(page.within_bbox(box), 0):
        out += _joint(out, line.text) + line.text
    return out


def _drop_furniture(pages: list[_Page]) -> None:
    """Remove page numbers and running heads and feet: lines near a page's edge that are a page
    number, or whose text (digits aside) recurs at the same height on at least two pages and on a
    third of them."""

    def key(line: _Line) -> tuple[str, int]:
        return re.sub(r"\d+", "#", line.text), round(line.top / 6)

    def at_edge(page: _Page, line: _Line) -> bool:
        return line.top < FURNITURE_ZONE * page.height or line.bottom > (1 - FURNITURE_ZONE) * page.height

    recurring = Counter(k for page in pages for k in {key(line) for line in page.lines if at_edge(page, line)})
    enough = max(2, len(pages) / 3)
    for page in pages:
        page.lines = [
            line
            for line in page.lines
            if not (at_edge(page, line) and (_PAGE_NUMBER.match(line.text) or recurring[key(line)] >= enough))
        ]


def _layout(pages: list[_Page]) -> list[str]:
    """Paragraphs and tables in reading order, by the body text's own margins and type size."""
    body = [line for page in pages for line in page.lines]
    if not body:
        return [row for page in pages for table in page.tables for row in _rows(table.rows)]
    size = statistics.median(line.size for line in body)
    # the left margin: the leftmost edge many lines share (a plan of short one-line paragraphs has more
    # lines starting at the indent than at the margin)
    edges = Counter(round(line.x0) for line in body)
    left = min((x for x, n in edges.items() if n >= 0.1 * len(body)), default=edges.most_common(1)[0][0])
    # the right margin: where most full lines end, and at least as far from the page's edge as the left
    # one (less a few characters), so that in a short text the longest line is not taken for a full one
    right = max(sorted(line.x1 for line in body)[int(0.9 * (len(body) - 1))], pages[0].width - left - 3 * size)
    title_size = max((line.size for line in pages[0].lines), default=size)
    # where paragraphs start indented, a line short of the margin by what line breaking leaves (a
    # bracket that may not end a line, a run of digits) still goes on; where they do not, only a
    # line that reaches the margin does
    indented = sum(1 for line in body if abs(line.x0 - left - 2 * size) < 0.5 * size) >= 0.1 * len(body)
    slack = (3.5 if indented else 1.5) * size
    blocks: list[str | list[list[str]]] = []  # paragraphs, and tables as their rows
    previous: _Line | _Table | None = None  # what the block being written ends with
    for page in pages:
        items: list[_Line | _Table] = sorted([*page.lines, *page.tables], key=lambda item: item.top)
        for item in items:
            if isinstance(item, _Table):
                last = blocks[-1] if blocks else ""
                if (
                    isinstance(previous, _Table)
                    and isinstance(last, list)
                    and item is items[0]
                    and _continues(previous, item)
                ):
                    last[-1:] = _continuation(last, item.rows)
                else:
                    blocks.append(list(item.rows))
            elif isinstance(previous, _Line) and _continues_paragraph(
                previous, item, left, right - slack, size, title_size
            ):
                blocks[-1] = f"{blocks[-1]}{_joint(str(blocks[-1]), item.text)}{item.text}"
            else:
                blocks.append(item.text)
            previous = item
    return [line for block in blocks for line in ([block] if isinstance(block, str) else ["", *_rows(block), ""])]


def _rows(rows: list[list[str]]) -> list[str]:
    return ["\t".join(row) for row in rows]


def _continuation(table: list[list[str]], following: list[list[str]]) -> list[list[str]]:
    """The last row of a table broken by a page, and the rows that carry it on: the header row the
    next page repeats is dropped, and a row the page break cut in two is joined again. A cut row is
    told by its serial number: where a column numbers the rows, a new row has its number and the rest
    of a cut row has none; where the rows' cells open numbered items, the rest of a cut row opens none;
    where neither, the rest of a cut row fills at most half the cells the row
    filled (a long name wraps on, the figures beside it were whole)."""
    rows = following[1:] if _repeats(following[0], table[0]) else list(following)
    last = table[-1]
    if not rows:
        return [last]
    serial = next((k for k in range(len(last)) if _numbers_rows(table, k)), None)
    first = rows[0]
    if serial is not None:
        cut = not first[serial] and bool(last[serial])
    elif _items_rows(table):  # each row opens an item ((4)建设慢行…) in some cell: the rest of a cut row opens none
        cut = _opens_item(last) and not _opens_item(first)
    else:  # no numbers: the rest of a cut row fills few of the cells the row above filled, and no other
        filled, rest = [k for k, v in enumerate(last) if v], [k for k, v in enumerate(first) if v]
        cut = 0 < len(rest) <= len(filled) / 2 and set(rest) <= set(filled)
    if cut:
        joined = [a + _joint(a, b) + b for a, b in zip(last, first, strict=True)]
        return [joined, *rows[1:]]
    return [last, *rows]


def _repeats(row: list[str], header: list[str]) -> bool:
    """The header row printed again on a new page: the same cells, or the start of each (a page that
    cuts the repeated header short)."""
    return len(row) == len(header) and any(row) and all(h.startswith(c) for c, h in zip(row, header, strict=True))


def _numbers_rows(table: list[list[str]], column: int) -> bool:
    """Most of the table's rows below the header give a serial number in this column."""
    values = [row[column] for row in table[1:]]
    numbered = sum(1 for v in values if re.fullmatch(r"\d{1,3}|[一二三四五六七八九十]{1,3}", v))
    return len(values) >= 2 and numbered >= 0.6 * len(values)


_ITEM_START = re.compile(r"[(（]\d{1,3}[)）]|\d{1,3}[、.．](?!\d)")


def _opens_item(row: list[str]) -> bool:
    """A cell of the row starts with an item's number (（4）建设…, 6、优化…)."""
    return any(_ITEM_START.match(cell) for cell in row)


def _items_rows(table: list[list[str]]) -> bool:
    """Most of the table's rows below the header open an item in one of their cells (a task table whose
    merged group cells shift the column the numbers stand in from row to row)."""
    rows = table[1:]
    return len(rows) >= 2 and sum(map(_opens_item, rows)) >= 0.6 * len(rows)


def _continues(table: _Table, following: _Table) -> bool:
    """A table at the top of a page goes on with the one that ended the page before (the last page
    of it, when it runs over several), when it has as many columns."""
    return following.page == table.page + 1 and len(following.rows[0]) == len(table.rows[0])


def _continues_paragraph(before: _Line, line: _Line, left: float, full: float, size: float, title: float) -> bool:
    """Whether ``line`` goes on with the paragraph ``before`` ends; ``full``: where a line that
    fills its width ends at the earliest."""
    if abs(line.size - before.size) > 0.15 * size:
        return False  # another type size: a title, a heading, a note
    if line.size >= 1.15 * size and before.size >= 1.15 * size and line.size >= title - 0.5:
        return line.page == before.page and line.top - before.bottom < 1.5 * line.size  # a title's lines
    if before.x1 < full:
        return False  # the line before stopped short of the margin: its paragraph ended
    if line.x0 > left + 0.9 * size:
        return False  # indented: a paragraph starts
    # a paragraph set apart by a wider gap starts there
    return line.page != before.page or line.top - before.bottom <= 1.2 * max(line.size, size)


def _joint(before: str, after: str) -> str:
    """What stands between two lines joined into one text: nothing in Chinese, nor where a line broke
    at a hyphen or a slash (GB5749 / -2006) or inside a number; a space between two Latin words."""
    if not before or not after or _CJK.match(before[-1]) or _CJK.match(after[0]):
        return ""
    if before[-1] in "-/(" or after[0] in "-/.,;:)%" or (before[-1].isdigit() and after[0].isdigit()):
        return ""  # a number or a code wrapped in a narrow cell: 202 / 4-2026
    return " "
