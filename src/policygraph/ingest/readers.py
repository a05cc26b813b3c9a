"""Readers: turn a file of any supported format into one decoded text.

Every later stage works on that text and every offset indexes it, so each reader renders its format
into the same plain-text conventions: one paragraph per line, table rows as tab-separated cells,
headings that a format marks by style (docx, html) as markdown ``#`` lines. ``policygraph text``
prints exactly this text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from policygraph.errors import IngestError

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
        raise IngestError(str(path), OUT_OF_SCOPE[suffix])
    reader = _READERS.get(suffix)
    if reader is None:
        raise IngestError(str(path), f"unsupported file type {suffix or '(none)'}; supported: {', '.join(SUPPORTED)}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(str(path), f"cannot read: {exc.strerror or exc}") from exc
    if not data.strip():
        raise IngestError(str(path), "empty file")
    source = reader(path, data)
    if not source.text.strip():
        raise IngestError(str(path), "no text found in the file")
    return source


# --- plain text -----------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")


def decode_bytes(path: Path, data: bytes) -> tuple[str, str, tuple[str, ...]]:
    """Decode UTF-8 (with or without BOM) or GB18030/GBK; never guess into mojibake."""
    if data[:4] in (b"%PDF",) or data[:2] == b"PK" or b"\x00" in data[:4096]:
        raise IngestError(str(path), "binary content in a text file (is it a PDF, Word or zip file renamed?)")
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
            raise IngestError(str(path), f"invalid UTF-8 at byte {exc.start} after a UTF-8 BOM") from exc
        else:
            try:
                text = data.decode("gb18030")
                encoding = "gb18030"
            except UnicodeDecodeError as exc2:
                raise IngestError(
                    str(path), f"neither UTF-8 nor GB18030 (bad byte at {exc2.start}); re-save the file as UTF-8"
                ) from exc2
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    controls = len(_CONTROL.findall(text))
    if controls > max(8, len(text) // 100):
        raise IngestError(str(path), "binary content: too many control characters for a text document")
    return text, encoding, tuple(warnings)


def _read_text(path: Path, data: bytes) -> SourceText:
    text, encoding, warnings = decode_bytes(path, data)
    return SourceText(path.name, text, encoding, warnings)


# --- docx -----------------------------------------------------------------------------------------

_HEADING_STYLE = re.compile(r"(?:heading|标题)\s*(\d)", re.I)


def _read_docx(path: Path, data: bytes) -> SourceText:
    import io
    import zipfile

    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise IngestError(str(path), f"not a readable .docx file ({exc.__class__.__name__})") from exc
    lines: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            text = item.text.replace("\n", " ").strip()
            if not text:
                lines.append("")
                continue
            match = _HEADING_STYLE.search(item.style.name if item.style is not None else "")
            lines.append(f"{'#' * int(match.group(1))} {text}" if match else text)
        elif isinstance(item, Table):
            lines.append("")
            lines.extend(_docx_table_rows(item))
            lines.append("")
    return SourceText(path.name, "\n".join(lines) + "\n", "docx")


def _docx_table_rows(table) -> list[str]:
    """One line per row; a cell merged over several columns is written once and left blank after."""
    rows = []
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            key = id(cell._tc)
            text = "" if key in seen else " ".join(cell.text.split())
            seen.add(key)
            cells.append(text)
        rows.append("\t".join(cells))
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
    return SourceText(path.name, body, encoding, warnings)


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
    """The element holding the article: the largest hinted container, else <body>."""
    best, best_len = None, 0
    for tag in soup.find_all(["div", "article", "section", "td", "main"]):
        hint = " ".join([tag.get("id") or "", *(tag.get("class") or [])])
        if hint and _MAIN_HINT.search(hint):
            size = len(tag.get_text(strip=True))
            if size > best_len:
                best, best_len = tag, size
    body = soup.body or soup
    if best is not None and best_len >= 0.3 * len(body.get_text(strip=True)):
        return best
    return body


def _html_lines(element, lines: list[str]) -> None:
    from bs4 import NavigableString, Tag

    inline: list[str] = []

    def flush() -> None:
        text = " ".join("".join(inline).split())
        if text:
            lines.append(text)
        inline.clear()

    for child in element.children:
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
                for tr in child.find_all("tr"):
                    cells = [" ".join(td.get_text(" ", strip=True).split()) for td in tr.find_all(["td", "th"])]
                    lines.append("\t".join(cells))
                lines.append("")
            elif name in ("h1", "h2", "h3", "h4", "h5", "h6"):
                flush()
                text = " ".join(child.get_text(" ", strip=True).split())
                if text:
                    lines.append(f"{'#' * int(name[1])} {text}")
            elif name in _BLOCK_TAGS:
                flush()
                _html_lines(child, lines)
            else:
                inline.append(child.get_text())
    flush()


# --- pdf ------------------------------------------------------------------------------------------


def _read_pdf(path: Path, data: bytes) -> SourceText:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise IngestError(str(path), f"not a readable PDF ({exc.__class__.__name__}: {exc})") from exc
    if not any(page.strip() for page in pages):
        raise IngestError(str(path), "PDF has no text layer (scanned?); OCR is out of scope")
    text = "\n".join(page.strip("\n") for page in pages).replace("\r\n", "\n").replace("\r", "\n")
    return SourceText(path.name, text + "\n", "pdf")


_READERS: dict[str, Callable[[Path, bytes], SourceText]] = {
    ".txt": _read_text,
    ".md": _read_text,
    ".docx": _read_docx,
    ".html": _read_html,
    ".htm": _read_html,
    ".pdf": _read_pdf,
}
