"""Mask personal data in the decoded text itself, keeping its length so every offset stays valid.

Masked: mobile and landline numbers (full-width or half-width digits, grouped with spaces, hyphens or
brackets, with +86 and extensions), ID card numbers (also grouped, with X or x), e-mail addresses
(also with a full-width at sign or full-width dots), and the names in personal fields of cover forms
(负责人, 联系人, 姓名 …, including table columns headed 姓名). Names of officials in the body text are
public and stay; so do organisations' service numbers (400/800, 12345), which name no person.

How: the text is folded one character to one character (full-width ASCII to ASCII, U+3000 and the
other spaces to a space, the other NFKC folds that give one ASCII character), the patterns run on that
copy, and the spans they find are starred in the original. Every pattern is linear in the length of
the text: bounded quantifiers only, so a 10 MB run of letters, digits or '@' costs a bounded amount of
work per character (the old e-mail pattern was quadratic and never ended on one).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import cache

# Full-width punctuation the patterns read in both widths (（）：，；！？). Chinese prose holds one
# every few characters, and folding them would cost more than all the matching.
_READ_IN_BOTH_WIDTHS = frozenset("（）：，；！？")
# Compatibility forms that carry a meaning of their own (①, ², ㎡): a list marker or an exponent is
# no digit of a phone number, and folding it could join two figures into one.
_MEANINGFUL_FORMS = ("<circle>", "<super>", "<sub>", "<square>", "<fraction>")
# The blocks where a character's NFKC form can be a single ASCII character or a space.
_FOLD_BLOCKS = ((0x80, 0x100), (0x2000, 0x2200), (0x3000, 0x3400), (0xFB00, 0x10000), (0x1D400, 0x1D800))


@cache
def _fold_table() -> tuple[dict[int, str], dict[str, str], re.Pattern[str]]:
    """The one-to-one folds (by code and by character), and a pattern finding runs of characters to
    fold. Built on first use (≈ 20 ms), not at import: the CLI's other commands never mask."""
    table: dict[int, str] = {}
    for low, high in _FOLD_BLOCKS:
        for code in range(low, high):
            char = chr(code)
            folded = unicodedata.normalize("NFKC", char)
            if len(folded) != 1 or folded == char or char in _READ_IN_BOTH_WIDTHS:
                continue
            if not (folded.isascii() or folded.isspace()) or unicodedata.decomposition(char).startswith(
                _MEANINGFUL_FORMS
            ):
                continue
            table[code] = " " if folded.isspace() else folded
    # The class is written as ranges of the Basic Multilingual Plane plus the one block of mathematical
    # letters and digits beyond it (translate leaves that block's other characters alone): a class
    # holding single characters beyond U+FFFF is tested range by range, and made the fold cost 2 µs a
    # character instead of 30 ns.
    ranges: list[list[int]] = []
    for code in sorted(code for code in table if code <= 0xFFFF):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    members = "".join(re.escape(chr(low)) + ("-" + re.escape(chr(high)) if high > low else "") for low, high in ranges)
    members += "\U0001d400-\U0001d7ff"
    single = {chr(code): folded for code, folded in table.items()}  # a lone character: no translate call
    return table, single, re.compile(f"[{members}]+")


def fold_for_matching(text: str) -> str:
    """The copy the patterns run on: same length, every offset the same character position.

    Runs of foldable characters are translated one run at a time: ``str.translate`` over a whole
    Chinese text costs ~350 ns a character (3.5 s for 10 MB), a regex finding the rare runs ~25 ns."""
    table, single, runs = _fold_table()
    return runs.sub(lambda run: single.get(run[0]) or run[0].translate(table), text)


# --- the patterns, on the folded copy ------------------------------------------------------------------
# Speed: each pattern begins with a literal or one character class, so the regex engine skips ahead to
# the few places where it can match; a pattern that begins with an optional group or a look-behind is
# tried at every character, 5 to 10 times slower. So the check that a number does not begin inside a
# longer one is a look-behind placed after its first character (_free). [0-9], not \d, which is a
# Unicode category and slower too.
# Linear time: every quantifier is bounded and no two quantifiers compete for the same characters.


def _free(first: str) -> str:
    """After a number's first character ``first``: the character before it is no digit, no star (a
    span masked in print) and no decimal point after a digit (0.13912345678 is a figure)."""
    return rf"(?<![0-9*]{first})(?<![0-9]\.{first})"


_DASH = "\\-\u2010-\u2015\u2212"  # -, the hyphens and dashes U+2010–2015, the minus sign
# Between groups of digits: spaces or a hyphen (" - " too). One bounded class, not an alternation:
# tried after every group of digits, it is the most frequent step of the number patterns.
_SEP = rf"[ {_DASH}]{{1,3}}"
_OPT = rf"[ {_DASH}]{{0,3}}"  # the same, or nothing
_OPEN, _CLOSE, _PLUS = "[(（]", "[)）]", r"\+"

# 1[3-9]x xxxx xxxx, grouped 11, 3-4-4, 3-8 or 7-4; +86 / 0086 / (+86) / 86 before it is looked for in
# the characters before a match (so 86 directly before the 1 is allowed here). Digits already starred
# in print (138****8000) count as digits, so the rest is starred too. Not when a measure word
# follows: 13500000000元 is a figure.
_MOBILE = re.compile(
    rf"1(?:{_free('1')}|(?<=861))[3-9][0-9]"
    rf"(?:[0-9*]{{8}}|{_SEP}[0-9*]{{4}}{_SEP}[0-9*]{{4}}|{_SEP}[0-9*]{{8}}|[0-9*]{{4}}{_SEP}[0-9*]{{4}})"
    r"(?![0-9*])(?! ?(?:元|万|亿|千|百|人|户|个|辆|吨|米|平方|公里|%|‰))"
)
_DECIMAL_POINTS = frozenset(f"{digit}." for digit in "0123456789")
_MOBILE_PREFIX = re.compile(rf"(?:(?:\+ ?|00)86|{_OPEN}\+? ?86{_CLOSE}|86){_OPT}\Z")
# Area codes: 010 and 02x have three digits, 03xx–09xx four. Local numbers have 7 or 8 digits and never
# begin with 0 or 1. Extensions: 转, 分机, ext, x or a hyphen, then up to 6 digits.
_AREA = r"(?:10|2[0-9]|[3-9][0-9]{2})"
_LOCAL = rf"[2-9](?:[0-9]{{6,7}}|[0-9]{{2,3}}{_SEP}[0-9]{{4}})"
_EXTENSION = rf"(?: ?(?:转|分机|[Ee][Xx][Tt]\.?|[Xx]|[{_DASH}]) ?[0-9]{{1,6}})?(?![0-9])"
_LANDLINES = (
    re.compile(rf"0{_free('0')}{_AREA}{_OPT}{_LOCAL}{_EXTENSION}"),  # 028-8612 3456, 010 6552 8888, 01065528888
    re.compile(rf"{_OPEN}{_free(_OPEN)}0{_AREA}{_CLOSE} ?(?:[{_DASH}] ?)?{_LOCAL}{_EXTENSION}"),  # (028)8612 3456
    re.compile(  # +86 28 8612 3456, +86 (0)28 …, 0086-28-…
        rf"(?:\+{_free(_PLUS)} ?|0{_free('0')}0)86{_OPT}"
        rf"(?:{_OPEN}0?{_AREA}{_CLOSE}|{_OPEN}0{_CLOSE} ?{_AREA}|0?{_AREA}){_OPT}{_LOCAL}{_EXTENSION}"
    ),
)
# 6 digits of region, a date 19xx/20xx, 3 digits and a check digit or X; a separator allowed between
# the parts (510104 1990 0101 1234, 510104-19900101-123X).
_ID_CARD = re.compile(
    rf"[0-9]{_free('[0-9]')}[0-9]{{5}}{_OPT}(?:19|20)[0-9]{{2}}{_OPT}(?:0[1-9]|1[0-2]){_OPT}"
    rf"(?:0[1-9]|[12][0-9]|3[01]){_OPT}[0-9]{{3}}[0-9Xx*](?![0-9])"
)
# After a label a phone number may be a local one without area code (电话：8612 3456). The label's
# first words (联系电话, 咨询电话) need not be matched: only the number (group 1) is starred.
_NUMBER_AFTER_LABEL = (
    rf"[ \t]{{0,3}}(?:号码)?[ \t:：.]{{0,6}}"
    rf"((?:\+ ?86)?[0-9(（][0-9 ()（）{_DASH}]{{5,24}}(?:(?:转|分机|[Ee][Xx][Tt]\.?) ?[0-9]{{1,6}})?)"
)
_LABELLED_PHONES = (
    re.compile(rf"(?:电\s?话|手\s?机|座\s?机|传\s?真){_NUMBER_AFTER_LABEL}"),
    re.compile(rf"(?:Tel|tel|TEL|Phone|phone|PHONE|Fax|fax|FAX|Mobile|mobile|MOBILE){_NUMBER_AFTER_LABEL}"),
)
_NUMBER_TAIL = " (（-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"  # left unstarred after a labelled number
_NON_DIGITS = re.compile(r"[^0-9]+")
_SERVICE_NUMBER = re.compile(r"[48]00[0-9]{7}")  # 400/800: an organisation's number, never a person's
# An e-mail address: a local part of at most 64 characters that begins where a run of its characters
# begins (the look-behind after the first character: tried inside a run of letters it fails at once,
# so a 10 MB run of letters costs one attempt of 64 steps, not 64 steps at each letter, which the old
# unbounded pattern made quadratic); a domain of at most 8 labels of at most 63 characters between
# dots (also 。 and ｡, which NFKC leaves alone) ending in a top-level domain of letters. The label class
# holds no dot, so a label ends at one place and a failed attempt costs a few hundred steps at most.
_LOCAL_CHAR = r"[A-Za-z0-9._%+\-]"
_EMAIL = re.compile(
    rf"{_LOCAL_CHAR}(?<!{_LOCAL_CHAR}.){_LOCAL_CHAR}{{0,63}}"
    r"@(?:[A-Za-z0-9\-]{1,63}[.。｡]){1,8}[A-Za-z]{2,63}(?![A-Za-z0-9\-])"
)

_FORM_WORD = (  # a form's other labels, which a name field's value is not
    r"(?:性\s{0,4}别|民\s{0,4}族|所在单位|通讯地址|出生日期|单\s{0,4}位|职\s{0,4}称|职\s{0,4}务|行政职务|专业职务"
    r"|联系电话|签\s{0,4}字|签\s{0,4}章|学\s{0,4}历)(?![\u4e00-\u9fff])"
)
_FIELD_LABEL = (  # 项目负责人 ends in 负责人
    r"负\s{0,4}责\s{0,4}人|联\s{0,4}系\s{0,4}人|姓\s{0,4}名|申\s{0,4}请\s{0,4}人|填\s{0,4}表\s{0,4}人"
    r"|经\s{0,4}办\s{0,4}人|主\s{0,4}持\s{0,4}人|课题组长|执\s{0,4}笔\s{0,4}人"
)
_FIELD = re.compile(
    rf"(?:{_FIELD_LABEL})(?:\s{{0,4}}{_OPEN}签\s{{0,2}}字{_CLOSE})?\s{{0,16}}[:：\t ]\s{{0,16}}"
    rf"(?!{_FORM_WORD})([\u4e00-\u9fff·]{{2,4}})(?![\u4e00-\u9fff])"
)
# 联系人李四 without a colon: only a name that begins with a common surname and ends at punctuation or
# at the next contact field, so 联系人民群众 and 联系人才 stay.
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵钱严覃武戴莫孔向汤"
)
_BARE_CONTACT = re.compile(
    rf"联系人([{_SURNAMES}][\u4e00-\u9fff·]{{1,3}}?)"
    r"(?=[，,；;。、)）\s]|$|联系|电话|手机|邮箱|电子|传真|[Ee]-?mail|[Tt]el)"
)

_VISIBLE = re.compile(r"\S")  # masking keeps white space, so lines and cells stay where they were
_NAME_HEADER = re.compile(r"^姓\s*名$")
_CJK_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,4}$")
_FORM_WORDS = re.compile(
    r"^(性\s*别|民\s*族|所在单位|通讯地址|出生日期|单\s*位|职\s*称|职\s*务|行政职务|专业职务|联系电话|签\s*字|签\s*章|学\s*历)$"
)


def _is_name(cell: str) -> bool:
    cell = cell.strip()
    return bool(_CJK_NAME.match(cell)) and not _FORM_WORDS.match(cell)


def _mobiles(folded: str) -> list[tuple[int, int]]:
    """Mobile numbers, widened to the +86 before them; 86 glued to a number after other digits is no
    prefix (2186138…), and then the number is none either."""
    spans = []
    for match in _MOBILE.finditer(folded):
        start = match.start()
        prefix = _MOBILE_PREFIX.search(folded, max(0, start - 12), start)
        if prefix is not None and _left_is_free(folded, prefix.start()):
            spans.append((prefix.start(), match.end()))
        elif start == 0 or not folded[start - 1].isdigit():
            spans.append(match.span())
    return spans


def _left_is_free(folded: str, start: int) -> bool:
    """What ``_free`` says in a pattern, for a prefix found after the match."""
    before = folded[max(0, start - 2) : start]
    return not before or not (before[-1].isdigit() or before[-1] == "*" or before in _DECIMAL_POINTS)


def _labelled_phones(folded: str) -> list[tuple[int, int]]:
    """Numbers of at least 7 digits after a phone label, also without an area code; not 400/800."""
    spans = []
    for pattern in _LABELLED_PHONES:
        for match in pattern.finditer(folded):
            number = match[1].rstrip(_NUMBER_TAIL)
            digits = _NON_DIGITS.sub("", number)
            if len(digits) >= 7 and not _SERVICE_NUMBER.fullmatch(digits):
                spans.append((match.start(1), match.start(1) + len(number)))
    return spans


def personal_data_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every personal-data span of ``text``, sorted; spans may overlap."""
    folded = fold_for_matching(text)
    spans = _mobiles(folded)
    for pattern in (*_LANDLINES, _ID_CARD, _EMAIL):
        spans += [match.span() for match in pattern.finditer(folded)]
    spans += _labelled_phones(folded)
    spans += [match.span(1) for match in _FIELD.finditer(folded)]
    spans += [match.span(1) for match in _BARE_CONTACT.finditer(folded)]
    _mask_name_columns(folded, lambda start, end: spans.append((start, end)))
    return sorted(spans)


def mask_personal_data(text: str) -> str:
    """The text with every personal-data span starred. Spans are collected first and the text rebuilt
    from slices once: a list of its characters would cost ~80 bytes per Chinese character (1.4 GB
    for a 50 MB file)."""
    pieces, done = [], 0
    for start, end in personal_data_spans(text):
        if end <= done:
            continue
        start = max(start, done)
        segment = text[start:end]
        words = segment.split()  # most spans hold no white space: one multiplication, no regex
        starred = "*" * len(segment) if len(words) == 1 and len(words[0]) == len(segment) else None
        pieces += [text[done:start], starred or _VISIBLE.sub("*", segment)]
        done = end
    pieces.append(text[done:])
    return "".join(pieces)


def _mask_name_columns(text: str, mask: Callable[[int, int], None]) -> None:
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
