"""Length-preserving normalisation, so that regexes run on a folded copy and offsets stay valid.

Regexes are written against folded text (full-width ASCII → half-width, ideographic space → space);
raw text is kept for provenance and display. ``fold`` never changes the length of a string, so a
match position in the folded copy is a position in the original.
"""

from __future__ import annotations

import re
import unicodedata

_FOLDED = {chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}
_FOLDED.update({"\u3000": " ", "≦": "≤", "≧": "≥", "﹪": "%", "\u00a0": " "})
_FOLDABLE = re.compile("[\uff01-\uff5e\u3000≦≧﹪\u00a0]")


def fold(text: str) -> str:
    """Full-width ASCII to half-width and ≦/≧ to ≤/≥; one character in, one character out. (A regex
    over the few characters that fold is two to three times faster than ``str.translate`` on Chinese text, where most
    characters have nothing to fold; ingest folds every line and paragraph.)"""
    return _FOLDABLE.sub(_fold_one, text)


def _fold_one(match: re.Match[str]) -> str:
    return _FOLDED[match.group()]


def nfkc(text: str) -> str:
    """NFKC, for values reported 'as printed, NFKC-normalised': a printed ≦ stays ≦ (the comparator
    read from it is ≤)."""
    return unicodedata.normalize("NFKC", text).strip()


_MARKUP = re.compile(r"</?[a-zA-Z][^<>]{0,80}>|\*\*|__|^#{1,6}\s*")


def strip_markup(line: str) -> str:
    """Drop conversion leftovers (HTML tags, ``**bold**``, markdown heading marks)."""
    return _MARKUP.sub("", line)


def clean(line: str) -> str:
    """The form every classifier looks at: folded, markup removed, outer white space trimmed."""
    return strip_markup(fold(line)).strip()


def squash(text: str) -> str:
    """Clean text with all white space removed, for comparing names printed with stray spaces."""
    return re.sub(r"\s+", "", clean(text))


CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_number(text: str) -> int | None:
    """Value of a Chinese numeral up to 99 (一, 十二, 二十三), or None."""
    if not text or any(ch not in CN_DIGITS and ch != "十" for ch in text):
        return None
    if "十" not in text:
        return CN_DIGITS[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    return (CN_DIGITS.get(tens, 0) if tens else 1) * 10 + (CN_DIGITS.get(ones, 0) if ones else 0)
