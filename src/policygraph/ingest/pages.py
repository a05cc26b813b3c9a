"""Web pages stored as one line: their blocks restored before anything else reads them.

A scraper that keeps a page's text but not its markup leaves headings, paragraphs and list items run
together on one line (``…制定本方案。一、总体要求（一）指导思想…``), with a space where some blocks
met. Every later stage reads lines, so such a page gave no measure at all. This step breaks the line
where a block evidently begins, and changes nothing else (no character is removed; a space between
two blocks becomes the line break), so what a reader sees is the page's own text:

- at a space beside a Chinese character or punctuation mark (a space never stands inside Chinese
  prose; between digits or Latin letters, as in ``2015-12-30 11:39``, it stays);
- around the date of a signature: before it, after the issuer's name, and after it when a title
  follows at once (``…管委会2023年11月14日平潭…方案``);
- before a numbered heading or item (一、 （一） 1． （1） 第一章 附件1) that follows a space, the end of
  a sentence or of a unit annotation (。；！？：and closing brackets), a list of units after its label
  (``责任单位：区民政局、区财政局2.加快…``), or a heading line which has not yet ended a sentence
  (``一、总体要求（一）指导思想``);
- after a unit annotation that closes an item, where a paragraph follows it at once
  (``…（区交通与建设局牵头，区经济发展局参与）全面加强配套管网建设。…``);
- before a labelled link (``…经济发展局H5解读：https://…``), which the chrome step then drops;
- before a table's header (``…重大项目清单序号项目名称…``) and the note after a table (``备注：``),
  wherever they stand;
- before a table's caption after a sentence (``…持续稳定。表2核心指标序号…``), and before a heading
  after an indicator row's 属性 (``…约束性二、主要任务``): the rows between are one line, which
  ``indicators.indicators_run_together`` reads.

Only a text that is mostly one long line is touched: documents with lines of their own keep them.
"""

from __future__ import annotations

import re

from policygraph.ingest.metadata import TYPE_END

LONG_LINE = 1000  # characters of one line from which a text counts as a page stored as one line
_CJK = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’《》]"
_GAP = r"[ \t\u3000]+"
# a space beside CJK, but not one inside a figure (〔2021〕105 号, 2024 年): the scraper's, not a block's
_SPACE = re.compile(rf"(?<=[^\d \t\u3000]){_GAP}(?={_CJK})|(?<={_CJK}){_GAP}|(?<=\d){_GAP}(?=(?![年月日号]){_CJK})")
_SIGNATURE = re.compile(r"(?m)^([^。，；：\n]{2,40}?)(?=\d{4}年\d{1,2}月\d{1,2}日$)")  # the issuer, then the date
_SIGNED = re.compile(r"(?<=\d年)\d{1,2}月\d{1,2}日(?=[\u4e00-\u9fff])")  # a signature's date, the title after it
_MARKER = re.compile(
    r"(?:[一二三四五六七八九十]{1,3}、"
    r"|[（(][一二三四五六七八九十]{1,3}[）)]"
    r"|\d{1,2}[.．、](?![\d.．])"
    r"|[（(]\d{1,2}[）)]"
    r"|第[一二三四五六七八九十]{1,3}[章节部分]"
    r"|附件\d{0,2}[:：])"
)
_ENDS = set("。；！？：;!?:）)】」』”")
# a unit annotation closing an item, (区X局牵头，区Y局参与), and a paragraph starting straight after it
_ANNOTATION_END = re.compile(
    r"[（(][^（）()]{2,300}?(?:牵头|负责|参与|配合|落实)[^（）()]{0,100}[）)](?=[\u4e00-\u9fff])"
)
_CAPTION = re.compile(r"(?:附)?表\d{1,2}(?=[\u4e00-\u9fff“])")  # 表2核心指标: a table's caption starts a block
# a table's header (序号项目名称…) and the note after it (备注：) start a block wherever they stand
_TABLE_EDGE = re.compile(r"序号(?=[\u4e00-\u9fff]{0,40}?(?:名称|单位|部门|内容|指标|职责))|备注[:：]")
_NATURE_END = ("预期性", "约束性")  # the last cell of an indicator row: what follows is another block
_UNIT_LABEL = re.compile(r"(?:单位|部门)[:：]")  # 责任单位：, 牵头部门： … a unit list runs to the next item
_LINK = re.compile(r"(?:(?:政策|图文|文字|视频|H5|h5)?解读|链接|网址)[:：]\s*https?://")  # chrome (see chrome.py)
_NAMED = re.compile(r"《([^《》\n]{6,60})》")  # a title the notice names
_HEADING_MAX = 40  # a heading line longer than this without a sentence end is prose, not a heading


def is_one_line_page(text: str) -> bool:
    """Most of the text on one line of LONG_LINE characters or more (counted cheaply: a long document
    with lines of its own is told apart by its line breaks before any line is measured)."""
    if len(text) < LONG_LINE or text.count("\n") > len(text) // LONG_LINE:
        return False
    longest = max(len(line) for line in text.split("\n"))
    return longest >= LONG_LINE and longest >= 0.8 * len(text.strip())


def restore_blocks(text: str) -> str:
    """The text with its blocks on lines of their own, when it is a page stored as one line."""
    if not is_one_line_page(text):
        return text
    text = _SPACE.sub("\n", text)
    breaks: list[int] = []
    after_annotation = {m.end() for m in _ANNOTATION_END.finditer(text)}
    after_annotation |= {m.end() for m in _SIGNED.finditer(text)}
    links = {m.start() for m in _LINK.finditer(text)}
    captions = {m.start() for m in _CAPTION.finditer(text)}
    edges = {m.start() for m in _TABLE_EDGE.finditer(text)}
    starts = sorted({m.start() for m in _MARKER.finditer(text)} | after_annotation | links | captions | edges)
    for at in starts:
        if at == 0 or text[at - 1] == "\n":
            continue
        if (at in after_annotation or at in links or at in edges) and _MARKER.match(text, at) is None:
            breaks.append(at)
            continue
        line = text[max(text.rfind("\n", 0, at) + 1, breaks[-1] if breaks else 0) : at]
        after_sentence = text[at - 1] in _ENDS or text[at - 1] in " \t\u3000" or text[at - 3 : at] in _NATURE_END
        if at in captions and not after_sentence:
            continue  # 见表2所示: a caption only where a sentence ended
        after_units = _UNIT_LABEL.search(line[max(line.rfind("。"), line.rfind("；")) + 1 :]) is not None
        after_heading = (
            _MARKER.match(line) is not None and len(line) <= _HEADING_MAX and not any(c in "。；" for c in line)
        )
        if after_sentence or after_units or after_heading:
            breaks.append(at)
    blocks = "\n".join(text[a:b] for a, b in zip([0, *breaks], [*breaks, len(text)], strict=True))
    return _restated_titles(_SIGNATURE.sub(lambda m: m.group(1) + "\n", blocks))


def _restated_titles(text: str) -> str:
    """The plan's title on a line of its own where the page restates it after the notice that names it
    in 《》 (``…方案具体如下：X方案为深入贯彻…`` → ``…如下：`` / ``X方案`` / ``为深入贯彻…``). Only where a
    block could begin: at a line's start or after a sentence's end, never inside a sentence."""
    for title in {m.group(1) for m in _NAMED.finditer(text) if TYPE_END.search(m.group(1))}:
        at = 0
        while (found := text.find(title, at)) >= 0:
            end = found + len(title)
            at = end
            if (found and text[found - 1] not in "\n。：:；") or text[end : end + 1] in ("》", "〉"):
                continue
            tail = "" if text[end : end + 1] in ("", "\n") else "\n"
            head = "" if found == 0 or text[found - 1] == "\n" else "\n"
            text = f"{text[:found]}{head}{title}{tail}{text[end:]}"
            at = end + len(head) + len(tail)
    return text
