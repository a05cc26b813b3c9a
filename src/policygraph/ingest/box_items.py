"""The projects of a 专栏 paragraph that holds several of them run together.

A box copied out of a text box or a PDF often loses its line breaks: 水系归并调整。在保障…。打通断头河。按照…
(each project a short title sentence and its description), or 三堤：建设三岛79公里大堤、13座水闸。三网：整治疏浚
190公里骨干河网。… (short sentences, each a project, some under a category label). Both are told by the
shape of their sentences; a paragraph of ordinary prose is neither and stays one project.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SENTENCE = re.compile(r"[^。；;]+[。；;]?")
_CATEGORY = re.compile(r"^[\u4e00-\u9fff]{1,4}[：:]")  # 三网：…
_TITLE_MAX = 12  # characters of a title sentence (打通断头河)
_SHORT_MAX = 32  # characters of a project stated in one sentence


@dataclass(frozen=True)
class BoxItem:
    name: str
    start: int  # offset in the paragraph's text
    end: int


def box_items(text: str) -> list[BoxItem]:
    """The projects a box paragraph runs together, or [] when it is one."""
    sentences = [(m.start(), m.end(), m.group()) for m in _SENTENCE.finditer(text) if m.group().strip()]
    return _titled(sentences) or _short(sentences)


def _is_title(sentence: str) -> bool:
    body = sentence.strip().rstrip("。；;")
    return 2 <= len(body) <= _TITLE_MAX and not re.search(r"[，,、：:“”（）()\d]", body)


def _titled(sentences: list[tuple[int, int, str]]) -> list[BoxItem]:
    """Title sentences, each followed by a longer description: one project per title."""
    titles = [
        k
        for k, (_, _, s) in enumerate(sentences)
        if _is_title(s) and k + 1 < len(sentences) and not _is_title(sentences[k + 1][2])
    ]
    if len(titles) < 2 or titles[0] != 0:
        return []
    ends = [sentences[k - 1][1] for k in titles[1:]] + [sentences[-1][1]]
    return [
        BoxItem(sentences[k][2].strip().rstrip("。；;"), sentences[k][0], end)
        for k, end in zip(titles, ends, strict=True)
    ]


def _short(sentences: list[tuple[int, int, str]]) -> list[BoxItem]:
    """Three or more short sentences, each a project, some under a category label (三网：…): one project
    per sentence, the label left out of its name."""
    if len(sentences) < 3 or not any(_CATEGORY.match(s.strip()) for _, _, s in sentences):
        return []
    names = [_CATEGORY.sub("", s.strip()).rstrip("。；;") for _, _, s in sentences]
    if any(len(name) > _SHORT_MAX or len(name) < 4 for name in names):
        return []
    return [BoxItem(name, start + s.find(name), end) for (start, end, s), name in zip(sentences, names, strict=True)]
