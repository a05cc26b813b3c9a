"""Mask personal data in the decoded text itself, keeping its length so every offset stays valid.

Masked: mobile and landline numbers, ID card numbers, e-mail addresses, and the names in personal
fields of cover forms (负责人, 联系人, 姓名 …, including table columns headed 姓名). Names of
officials in the body text are public and stay.
"""

from __future__ import annotations

import re

_MOBILE = re.compile(r"(?<![\d*])(?:\+?86[-\s]?)?1[3-9]\d[\d*]{8}(?![\d*])")
_LANDLINE = re.compile(r"(?<!\d)(?:[(（]0\d{2,3}[)）]|0\d{2,3}[-－—])\s?\d{7,8}(?!\d)")
_LABELLED_PHONE = re.compile(r"((?:联系)?电\s*话|手\s*机|传\s*真)\s*[:：]?\s*([\d\-－ ]{7,20})")
_ID_CARD = re.compile(r"(?<!\d)\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?!\d)")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_FIELD_LABEL = (
    r"(?:项\s*目\s*)?负\s*责\s*人|联\s*系\s*人|姓\s*名|申\s*请\s*人|填\s*表\s*人|经\s*办\s*人|主\s*持\s*人"
    r"|课题组长|执\s*笔\s*人"
)
_FIELD = re.compile(
    rf"({_FIELD_LABEL})(?:\s*[(（]签\s*字[)）])?\s*[:：\t ]\s*([\u4e00-\u9fff·]{{2,4}})(?![\u4e00-\u9fff])"
)
_VISIBLE = re.compile(r"[^ \t\n]")  # masking keeps white space, so lines and cells stay where they were
_NAME_HEADER = re.compile(r"^姓\s*名$")
_CJK_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,4}$")
_FORM_WORDS = re.compile(
    r"^(性\s*别|民\s*族|所在单位|通讯地址|出生日期|单\s*位|职\s*称|职\s*务|行政职务|专业职务|联系电话|签\s*字|签\s*章|学\s*历)$"
)


def _is_name(cell: str) -> bool:
    cell = cell.strip()
    return bool(_CJK_NAME.match(cell)) and not _FORM_WORDS.match(cell)


def mask_personal_data(text: str) -> str:
    """The text with every personal-data span starred. Spans are collected first and the text rebuilt
    from slices once: a list of its characters would cost ~80 bytes per Chinese character (1.4 GB
    for a 50 MB file)."""
    spans: list[tuple[int, int]] = []

    def mask(start: int, end: int) -> None:
        spans.append((start, end))

    for pattern in (_MOBILE, _LANDLINE, _ID_CARD, _EMAIL):
        for match in pattern.finditer(text):
            mask(match.start(), match.end())
    for match in _LABELLED_PHONE.finditer(text):
        if sum(ch.isdigit() for ch in match.group(2)) >= 7:
            mask(match.start(2), match.end(2))
    for match in _FIELD.finditer(text):
        if not _FORM_WORDS.match(match.group(2)):
            mask(match.start(2), match.end(2))
    _mask_name_columns(text, mask)
    pieces, done = [], 0
    for start, end in sorted(spans):
        start = max(start, done)
        if start >= end:
            continue
        pieces += [text[done:start], _VISIBLE.sub("*", text[start:end])]
        done = end
    pieces.append(text[done:])
    return "".join(pieces)


def _mask_name_columns(text: str, mask) -> None:
    """In tab-separated forms, a cell under (or right of) a 姓名 cell holds a person's name."""
    offset = 0
    column: int | None = None
    for line in text.split("\n"):
        cells = line.split("\t")
        if len(cells) < 2:
            if line.strip():
                column = None
            offset += len(line) + 1
            continue
        starts = []
        pos = offset
        for cell in cells:
            starts.append(pos)
            pos += len(cell) + 1
        header_at = next((k for k, cell in enumerate(cells) if _NAME_HEADER.match(cell.strip())), None)
        if header_at is not None:
            column = header_at
            for k in range(header_at + 1, len(cells)):
                if cells[k].strip():
                    if _is_name(cells[k]):
                        lead = len(cells[k]) - len(cells[k].lstrip())
                        mask(starts[k] + lead, starts[k] + lead + len(cells[k].strip()))
                    break
        elif column is not None and column < len(cells) and _is_name(cells[column]):
            lead = len(cells[column]) - len(cells[column].lstrip())
            mask(starts[column] + lead, starts[column] + lead + len(cells[column].strip()))
        offset += len(line) + 1
