"""Word's automatic numbering, rendered as printed: 一、 （一） 1. （1） ① before a paragraph's text.

Many offices never type their heading numbers: Word counts them (a paragraph's ``w:numPr``, or its
style's, names a list and a level; ``numbering.xml`` says how each level counts and prints). The
text of such a paragraph holds no number, so without this a plan written so had no numbered items
and no measures. python-docx does not render numbering; docx2python does for Western formats, but
not the Chinese counting formats (chineseCounting, ideographTraditional) that plans use, so the
counting is done here: a level counts up from its start, the levels below it start again, and the
level's text (``%1、``, ``（%2）``) is filled with each level's count in that level's format.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from docx.oxml.ns import qn

_DIGITS = "零一二三四五六七八九"
_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_STEMS = "甲乙丙丁戊己庚辛壬癸"


def chinese(n: int, digits: str = _DIGITS, ten: str = "十") -> str:
    """1 → 一, 10 → 十, 11 → 十一, 21 → 二十一 (numbers past 99 are written in Arabic digits)."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else (ten if tens == 1 else digits[tens] + ten)
    return head + (digits[ones] if ones else "")


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                           (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):  # fmt: skip
        count, n = divmod(n, value)
        out += letters * count
    return out


def _letter(n: int) -> str:
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _enclosed(first: int, last: int, n: int) -> str:
    return chr(first + n - 1) if 1 <= n <= last - first + 1 else str(n)


FORMATS: dict[str, Callable[[int], str]] = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": lambda n: "".join(chr(0xFF10 + int(d)) for d in str(n)),
    "decimalHalfWidth": str,
    "chineseCounting": chinese,
    "chineseCountingThousand": chinese,
    "taiwaneseCounting": chinese,
    "taiwaneseCountingThousand": chinese,
    "japaneseCounting": chinese,
    "ideographDigital": lambda n: "".join("〇一二三四五六七八九"[int(d)] for d in str(n)),
    "chineseLegalSimplified": lambda n: chinese(n, _LEGAL, "拾"),
    "ideographLegalTraditional": lambda n: chinese(n, _LEGAL, "拾"),
    "ideographTraditional": lambda n: _STEMS[(n - 1) % 10],
    "decimalEnclosedCircle": lambda n: _enclosed(0x2460, 0x2473, n),
    "decimalEnclosedCircleChinese": lambda n: _enclosed(0x2460, 0x2473, n),
    "ideographEnclosedCircle": lambda n: _enclosed(0x3280, 0x3289, n),
    "decimalEnclosedParen": lambda n: _enclosed(0x2474, 0x2487, n),
    "decimalEnclosedFullstop": lambda n: _enclosed(0x2488, 0x249B, n),
    "lowerLetter": _letter,
    "upperLetter": lambda n: _letter(n).upper(),
    "lowerRoman": _roman,
    "upperRoman": lambda n: _roman(n).upper(),
}


@dataclass
class _Level:
    start: int = 1
    format: str = "decimal"
    text: str = ""
    suffix: str = "tab"


@dataclass
class _List:
    levels: dict[int, _Level]
    counts: dict[int, int] = field(default_factory=dict)


def _val(element, tag: str, default: str = "") -> str:
    child = element.find(qn(tag)) if element is not None else None
    return child.get(qn("w:val"), default) if child is not None else default


class Numbering:
    """The numbers Word prints before the paragraphs of one document, in reading order."""

    def __init__(self, document) -> None:
        self._lists: dict[str, _List] = {}  # by w:numId
        self._style_numbering: dict[str, tuple[str, int]] = {}  # style id → (numId, level)
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstracts = {a.get(qn("w:abstractNumId")): self._levels(a) for a in root.findall(qn("w:abstractNum"))}
        shared: dict[str, _List] = {}  # lists of one definition count on together unless restarted
        for num in root.findall(qn("w:num")):
            definition = _val(num, "w:abstractNumId")
            levels = dict(abstracts.get(definition, {}))
            overrides = num.findall(qn("w:lvlOverride"))
            for override in overrides:
                level = int(override.get(qn("w:ilvl"), "0"))
                start = _val(override, "w:startOverride")
                if start.isdigit() and level in levels:
                    levels[level] = replace(levels[level], start=int(start))
            if overrides:
                self._lists[num.get(qn("w:numId"), "")] = _List(levels)
            else:
                self._lists[num.get(qn("w:numId"), "")] = shared.setdefault(definition, _List(levels))
        for style in document.styles.element.findall(qn("w:style")):
            num_pr = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
            if num_pr is not None:
                ilvl = _val(num_pr, "w:ilvl", "0")
                self._style_numbering[style.get(qn("w:styleId"), "")] = (_val(num_pr, "w:numId"), int(ilvl or 0))

    @staticmethod
    def _levels(abstract) -> dict[int, _Level]:
        levels = {}
        for lvl in abstract.findall(qn("w:lvl")):
            start = _val(lvl, "w:start", "1")
            levels[int(lvl.get(qn("w:ilvl"), "0"))] = _Level(
                int(start) if start.isdigit() else 1,
                _val(lvl, "w:numFmt", "decimal"),
                _val(lvl, "w:lvlText"),
                _val(lvl, "w:suff", "tab"),
            )
        return levels

    def label(self, paragraph) -> str:
        """What Word prints before this paragraph (a ``w:p``): "" when it is not numbered. Call it
        for every paragraph in order: each numbered one counts."""
        if not self._lists:
            return ""
        p_pr = paragraph.pPr
        num_pr = p_pr.numPr if p_pr is not None else None
        style = p_pr.pStyle.val if p_pr is not None and p_pr.pStyle is not None else None
        num_id, level = self._style_numbering.get(style or "", ("", 0))
        if num_pr is not None:
            num_id = num_pr.numId.val if num_pr.numId is not None else num_id
            level = num_pr.ilvl.val if num_pr.ilvl is not None else level
        listed = self._lists.get(str(num_id))
        if listed is None or level not in listed.levels:
            return ""
        spec = listed.levels[level]
        listed.counts[level] = listed.counts.get(level, spec.start - 1) + 1
        for deeper in [k for k in listed.counts if k > level]:
            del listed.counts[deeper]
        if spec.format in ("bullet", "none") or not spec.text:
            return ""
        text = spec.text
        for k, upper in listed.levels.items():
            if f"%{k + 1}" in text:
                count = listed.counts.get(k, upper.start)
                text = text.replace(f"%{k + 1}", FORMATS.get(upper.format, str)(count))
        return text + (" " if spec.suffix == "space" else "")
