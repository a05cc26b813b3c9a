"""Readers: turn a file of any supported format into one decoded text.

Every later stage works on that text and every offset indexes it, so each reader renders its format
into the same plain-text conventions: one paragraph per line, table rows as tab-separated cells,
headings that a format marks by style (docx, html) as markdown ``#`` lines. ``policygraph text``
prints exactly this text.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from policygraph.errors import IngestError, shown
from policygraph.ingest.chrome import drop_chrome
from policygraph.ingest.pages import restore_blocks

SUPPORTED = (".txt", ".md", ".docx", ".html", ".htm", ".pdf")
OUT_OF_SCOPE = {
    ".doc": "legacy Word .doc is not supported: save it as .docx",
    ".wps": "WPS .wps is not supported: save it as .docx",
    ".rtf": "RTF is not supported: save it as .docx",
}


@dataclass(frozen=True)
class SourceText:
    """The decoded text of one input file and what the reader noticed while decoding it."""

    name: str
    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


def read_source(path: Path) -> SourceText:
    """Read one file; raise IngestError with a one-line reason when it cannot be read."""
    suffix = path.suffix.lower()
    if suffix in OUT_OF_SCOPE:
        raise IngestError(path, OUT_OF_SCOPE[suffix])
    reader = _READERS.get(suffix)
    if reader is None:
        raise IngestError(path, f"unsupported file type {suffix or '(none)'}; supported: {', '.join(SUPPORTED)}")
    data = read_regular_file(path)
    if not data.strip():
        raise IngestError(path, "empty file")
    source = reader(path, data)
    if not source.text.strip():
        raise IngestError(path, "no text found in the file")
    return replace(source, text=drop_chrome(restore_blocks(source.text)))


def file_kind(mode: int) -> str:
    """What a file that is not a regular file is, in words."""
    kinds = (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((word for test, word in kinds if test(mode)), "not a regular file")


def read_regular_file(path: Path) -> bytes:
    """The bytes of a regular file; anything else is refused before it is opened for reading.

    Opening a FIFO for reading blocks until someone writes to it, and a device such as /dev/zero never
    ends, so both are refused from ``os.stat`` (which follows symlinks). The open itself does not block
    (O_NONBLOCK) and the opened file is checked again, so a FIFO swapped in between cannot hang the
    reader either. A file that grows by more than a little while being read is refused, not chased."""
    try:
        before = os.stat(path)
    except OSError as exc:
        raise IngestError(path, f"cannot read: {exc.strerror or exc}") from exc
    if not stat.S_ISREG(before.st_mode):
        via = f" (through a symlink to {shown(os.readlink(path))})" if os.path.islink(path) else ""
        raise IngestError(path, f"{file_kind(before.st_mode)}{via}, not a regular file; only regular files are read")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as exc:
        raise IngestError(path, f"cannot read: {exc.strerror or exc}") from exc
    with os.fdopen(fd, "rb") as handle:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode) or (opened.st_dev, opened.st_ino) != (before.st_dev, before.st_ino):
            raise IngestError(path, "the file was replaced while being opened; not read")
        limit = opened.st_size + _READ_SLACK
        try:
            data = handle.read(limit)
            if len(data) == limit and handle.read(1):
                raise IngestError(path, f"the file grew by more than {_READ_SLACK >> 20} MB while being read; not read")
        except OSError as exc:
            raise IngestError(path, f"cannot read: {exc.strerror or exc}") from exc
    return data


_READ_SLACK = 1 << 20  # bytes read past the size stat gave: a file still being written, or /proc's size 0


# --- plain text -----------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")


def decode_bytes(path: Path, data: bytes) -> tuple[str, str, tuple[str, ...]]:
    """Decode UTF-8 (with or without BOM) or GB18030/GBK; never guess into mojibake."""
    if data[:4] in (b"%PDF",) or data[:2] == b"PK" or b"\x00" in data[:4096]:
        raise IngestError(path, "binary content in a text file (is it a PDF, Word or zip file renamed?)")
    warnings: list[str] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        encoding = "utf-8-sig"
    else:
        encoding = "utf-8"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            text = data[: exc.start].decode("utf-8")
            warnings.append("file ends inside a UTF-8 character (truncated?); the partial character was dropped")
        elif encoding == "utf-8-sig":
            raise IngestError(path, f"invalid UTF-8 at byte {exc.start} after a UTF-8 BOM") from exc
        else:
            try:
                text = data.decode("gb18030")
                encoding = "gb18030"
            except UnicodeDecodeError as exc2:
                raise IngestError(
                    path, f"neither UTF-8 nor GB18030 (bad byte at {exc2.start}); re-save the file as UTF-8"
                ) from exc2
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    controls = len(_CONTROL.findall(text))
    if controls > max(8, len(text) // 100):
        raise IngestError(path, "binary content: too many control characters for a text document")
    return text, encoding, tuple(warnings)


def _read_text(path: Path, data: bytes) -> SourceText:
    text, encoding, warnings = decode_bytes(path, data)
    return SourceText(shown(path.name), text, encoding, warnings)


# --- docx -----------------------------------------------------------------------------------------

_HEADING_STYLE = re.compile(r"(?:heading|标题)\s*(\d)", re.I)


def _read_docx(path: Path, data: bytes) -> SourceText:
    import io
    import zipfile
    import zlib

    import docx

    from policygraph.ingest.numbering import Numbering

    try:
        _check_unpacked_sizes(path, zipfile.ZipFile(io.BytesIO(data)))
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, EOFError, NotImplementedError, RuntimeError, zlib.error) as exc:
        raise IngestError(path, f"not a readable .docx file ({exc.__class__.__name__})") from exc
    lines: list[str] = []
    _docx_lines(document.iter_inner_content(), Numbering(document), _paragraph_style_names(document), lines)
    return SourceText(shown(path.name), "\n".join(lines) + "\n", "docx")


_NESTING = 20  # text boxes and tables inside tables read this deep; Word itself nests a few levels
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _docx_lines(items, numbering, style_names: dict[str | None, str], lines: list[str], depth: int = 0) -> None:
    """The lines of body items (paragraphs, tables), each text box read in place after the paragraph
    that anchors it (专栏 boxes are often text boxes; python-docx's paragraph text leaves them out).
    A box's copy for old readers (mc:Fallback) is the same text again and is skipped. Headers, footers
    and footnotes are other parts of the package and are never read."""
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for item in items:
        if isinstance(item, Table):
            lines.extend(["", *_docx_table_rows(item, depth), ""])
            continue
        if not isinstance(item, Paragraph):
            continue
        label = numbering.label(item._p)
        text = item.text.replace("\n", " ").strip()
        if text:
            match = _HEADING_STYLE.search(style_names.get(item._p.style, style_names[None]))
            lines.append(f"{'#' * int(match.group(1))} {label}{text}" if match else label + text)
        else:
            lines.append("")
        if depth >= _NESTING:
            continue
        for box in item._p.iter(qn("w:txbxContent")):
            if next(box.iterancestors(qn("w:p")), None) is not item._p:
                continue  # a box inside a box: read with the paragraph that anchors it
            if any(ancestor.tag == _FALLBACK for ancestor in box.iterancestors()):
                continue
            inner = (Paragraph(el, item._parent) if el.tag == qn("w:p") else Table(el, item._parent) for el in box
                     if el.tag in (qn("w:p"), qn("w:tbl")))  # fmt: skip
            lines.append("")
            _docx_lines(inner, numbering, style_names, lines, depth + 1)
            lines.append("")


def _paragraph_style_names(document) -> dict[str | None, str]:
    """Style id → name for paragraph styles, and None → the default paragraph style's name.

    What ``Paragraph.style`` answers, looked up once: it scans every style of the document for the
    default on each unstyled paragraph (7 ms each: 50 s for a 700 KB .docx of 15,000 paragraphs).
    As there, the first style of an id counts, and an id naming a style of another type or no style
    at all means the default."""
    from docx.enum.style import WD_STYLE_TYPE

    default = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    names: dict[str | None, str] = {None: default.name if default is not None else ""}
    seen: set[str] = set()
    for style in document.styles:
        if style.style_id in seen:
            continue
        seen.add(style.style_id)
        if style.type == WD_STYLE_TYPE.PARAGRAPH:
            names[style.style_id] = style.name or ""
    return names


DOCX_MAX_PARTS = 10_000  # files inside the zip; Word writes a few dozen
DOCX_MAX_UNPACKED = 256 * 2**20  # bytes of all parts together once unpacked; a 500-page report has ~20 MB


def _check_unpacked_sizes(path: Path, archive) -> None:
    """Refuse a .docx whose parts unpack to more than DOCX_MAX_UNPACKED bytes, before any is parsed.

    A zip is small for what it holds: 3 MB of zip holding 1 GB of XML took 8.5 GB of memory to parse.
    The sizes the zip declares are checked first (free: they are in its directory); then every part
    is unpacked in pieces, counting what really comes out, and dropped. ``zipfile`` never returns
    more than a part declares (a part that unpacks to more fails its CRC), so python-docx, reading
    through ``zipfile`` after this, sees no more than was counted here."""
    members = archive.infolist()
    if len(members) > DOCX_MAX_PARTS:
        raise IngestError(path, f"the .docx holds {len(members):,} files (limit {DOCX_MAX_PARTS:,}); not read")
    declared = sum(member.file_size for member in members)
    if declared > DOCX_MAX_UNPACKED:
        raise IngestError(
            path,
            f"the .docx unpacks to {declared / 2**20:,.0f} MB (limit {DOCX_MAX_UNPACKED >> 20} MB; "
            f"a zip bomb?); not read",
        )
    unpacked = 0
    for member in members:
        with archive.open(member) as part:
            while chunk := part.read(1 << 20):
                unpacked += len(chunk)
                if unpacked > DOCX_MAX_UNPACKED:
                    raise IngestError(path, f"the .docx unpacks to more than {DOCX_MAX_UNPACKED >> 20} MB; not read")


def _docx_table_rows(table, depth: int = 0) -> list[str]:
    """One line per row, as every reader writes a table: a cell merged over several columns
    (gridSpan) or rows (vMerge) is written once, in its first column and row, and blank where it
    spans, as a printed table shows it. (python-docx's ``row.cells`` repeats a merged cell's text in
    every row it spans, which would make each of them a task of its own.) A table inside a cell
    follows its row."""
    from docx.table import Table, _Cell

    rows = []
    for row in table.rows:
        cells: list[str] = []
        nested: list[str] = []
        for tc in row._tr.tc_lst:
            text = "" if tc.vMerge == "continue" else " ".join(_Cell(tc, table).text.split())
            cells.extend([text, *[""] * (tc.grid_span - 1)])
            if depth < _NESTING:
                for inner in tc.tbl_lst:
                    nested.extend(["", *_docx_table_rows(Table(inner, table), depth + 1), ""])
        rows.append("\t".join(cells))
        rows.extend(nested)
    return rows


# --- html -----------------------------------------------------------------------------------------

_MAIN_HINT = re.compile(r"(TRS_Editor|zoom|article|content|main|detail|zw|text)", re.I)
_BLOCK_TAGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "table", "div", "section", "pre", "blockquote")


def _read_html(path: Path, data: bytes) -> SourceText:
    from bs4 import BeautifulSoup

    text, encoding, warnings = _decode_html(path, data)
    soup = BeautifulSoup(text, "lxml")
    for tag in soup(["script", "style", "noscript", "nav", "header", "footer", "iframe", "form"]):
        tag.decompose()
    root = _main_element(soup)
    lines: list[str] = []
    _html_lines(root, lines)
    body = "\n".join(line for line in lines)
    body = re.sub(r"\n{3,}", "\n\n", body).strip("\n") + "\n"
    return SourceText(shown(path.name), body, encoding, warnings)


def _decode_html(path: Path, data: bytes) -> tuple[str, str, tuple[str, ...]]:
    declared = re.search(rb"charset\s*=\s*[\"']?([A-Za-z0-9_-]+)", data[:4096])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        if name in ("gb2312", "gbk", "gb18030"):
            try:
                return data.decode("gb18030"), "gb18030", ()
            except UnicodeDecodeError:
                pass
    return decode_bytes(path, data)


def _main_element(soup):
    """The element holding the article: the largest hinted container, else <body>.

    The text sizes are summed bottom-up in one pass: asking each candidate for its own text walks its
    whole subtree again, quadratic in the depth of nested hinted containers (or table cells)."""
    from bs4 import NavigableString, Tag

    counted = Tag.MAIN_CONTENT_STRING_TYPES  # the strings get_text() counts: no comments, no doctype
    sizes: dict[int, int] = {}  # id(tag) → length of its text, whitespace-stripped strings only
    for node in reversed(list(soup.descendants)):  # every child is seen before its parent
        if isinstance(node, Tag):
            size = sizes.get(id(node), 0)
        elif isinstance(node, NavigableString) and type(node) in counted:
            size = len(node.strip())
        else:
            continue
        if size and node.parent is not None:
            sizes[id(node.parent)] = sizes.get(id(node.parent), 0) + size
    best, best_len = None, 0
    for tag in soup.find_all(["div", "article", "section", "td", "main"]):
        hint = " ".join([tag.get("id") or "", *(tag.get("class") or [])])
        if hint and _MAIN_HINT.search(hint):
            size = sizes.get(id(tag), 0)
            if size > best_len:
                best, best_len = tag, size
    body = soup.body or soup
    if best is not None and best_len >= 0.3 * sizes.get(id(body), 0):
        return best
    return body


def _html_lines(element, lines: list[str]) -> None:
    """Lines of an element's text: blocks and <br> end a line, tables become rows, headings ``#`` lines.

    Iterative (a stack of child iterators), so a page nested thousands of <div> deep is read rather
    than failing on Python's recursion limit."""
    from bs4 import NavigableString, Tag

    inline: list[str] = []

    def flush() -> None:
        text = " ".join("".join(inline).split())
        if text:
            lines.append(text)
        inline.clear()

    stack = [iter(element.children)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()  # the end of a block ends its line
            flush()
            continue
        if isinstance(child, NavigableString):
            if child.__class__.__name__ in ("Comment", "Doctype", "CData", "ProcessingInstruction"):
                continue
            inline.append(str(child))
        elif isinstance(child, Tag):
            name = child.name.lower()
            if name == "br":
                flush()
            elif name == "table":
                flush()
                lines.append("")
                lines.extend(_html_table_rows(child))
                lines.append("")
            elif name in ("h1", "h2", "h3", "h4", "h5", "h6"):
                flush()
                text = " ".join(child.get_text(" ", strip=True).split())
                if text:
                    lines.append(f"{'#' * int(name[1])} {text}")
            elif name in _BLOCK_TAGS:
                flush()
                stack.append(iter(child.children))
            else:
                inline.append(child.get_text())
    flush()


def _html_table_rows(table) -> list[str]:
    """One line per row of this table, cells tab-separated; a table nested in a cell follows its row.

    A cell spanning rows or columns (rowspan, colspan) is written once and blank where it spans, so
    every row keeps its columns, as the other readers write them. A table's rows and a cell's text
    are its own: ``find_all("tr")`` and ``get_text()`` reach into nested tables, so a table nested n
    deep was written out n times over (33 KB of nested tables gave megabytes of text and 85 s of
    extraction). Each element is visited once here, and without recursion, however deep the nesting."""
    from bs4 import NavigableString, Tag

    counted = Tag.MAIN_CONTENT_STRING_TYPES
    rows: list[str] = []
    # each item: an iterator over tables (expand into rows) or rows (write them), and for rows the
    # columns still covered by a rowspan from above (column → rows left)
    work: list[tuple[Iterator, dict[int, int]]] = [(iter([table]), {})]
    while work:
        items, spans = work[-1]
        item = next(items, None)
        if item is None:
            work.pop()
            continue
        if item.name.lower() == "table":
            work.append((iter(_own(item, stop=("tr", "table"), keep=("tr", "table"))), {}))
            continue
        cells: list[str] = []
        nested: list = []
        for cell in _own(item, stop=("td", "th", "table"), keep=("td", "th", "table")):
            if cell.name.lower() == "table":  # a table in a row but in no cell: after the row too
                nested.append(cell)
                continue
            words: list[str] = []
            for node in _own(cell, stop=("table",), keep=("table",), strings=True):
                if isinstance(node, Tag):
                    nested.append(node)
                elif type(node) in counted and isinstance(node, NavigableString):
                    words.append(node)
            _spanned(cells, spans)
            across, down = _span(cell, "colspan"), _span(cell, "rowspan")
            for column in range(len(cells), len(cells) + across):
                if down > 1:
                    spans[column] = down - 1
            cells.extend([" ".join(" ".join(words).split()), *[""] * (across - 1)])
        _spanned(cells, spans)
        rows.append("\t".join(cells))
        if nested:
            work.append((iter(nested), {}))
    return rows


def _spanned(cells: list[str], spans: dict[int, int]) -> None:
    """Blank cells where cells of rows above still reach into this row, from the next column on."""
    while spans.get(len(cells), 0) > 0:
        spans[len(cells)] -= 1
        cells.append("")


MAX_SPAN = 100  # rows or columns one cell may span; a plan's table has a few dozen at most


def _span(cell, name: str) -> int:
    """A cell's rowspan or colspan as a count of 1 to MAX_SPAN (junk counts as 1): a page asking for
    more (browsers allow 1,000 columns) would only make every row of its table that many blank cells."""
    value = re.match(r"\s*(\d+)", cell.get(name) or "")
    return min(max(int(value.group(1)), 1), MAX_SPAN) if value else 1


def _own(element, stop: tuple[str, ...], keep: tuple[str, ...], strings: bool = False):
    """Descendants of ``element`` in document order without entering tags named in ``stop``: those
    named in ``keep`` are yielded (not their content), and text nodes too when ``strings``."""
    from bs4 import NavigableString, Tag

    stack = [iter(element.children)]
    while stack:
        node = next(stack[-1], None)
        if node is None:
            stack.pop()
        elif isinstance(node, Tag):
            name = node.name.lower()
            if name in keep:
                yield node
            elif name not in stop:
                stack.append(iter(node.children))
        elif strings and isinstance(node, NavigableString):
            yield node


# --- pdf ------------------------------------------------------------------------------------------


def _read_pdf(path: Path, data: bytes) -> SourceText:
    from policygraph.ingest.pdf import read_pdf_text

    text, warnings = read_pdf_text(path, data)
    return SourceText(shown(path.name), text, "pdf", warnings)


_READERS: dict[str, Callable[[Path, bytes], SourceText]] = {
    ".txt": _read_text,
    ".md": _read_text,
    ".docx": _read_docx,
    ".html": _read_html,
    ".htm": _read_html,
    ".pdf": _read_pdf,
}
