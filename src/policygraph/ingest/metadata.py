"""Document-level facts: title, type, status, issuer, region, date, 文号, period and references."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from policygraph.ingest.lines import Line, is_toc_entry, parse_heading
from policygraph.ingest.normalize import cn_number, fold, strip_markup
from policygraph.regions import Division, find_divisions, parent_of, township_in

DOC_TYPES = (
    "实施方案",
    "行动方案",
    "工作方案",
    "实施意见",
    "指导意见",
    "行动计划",
    "工作计划",
    "三年行动计划",
    "规划纲要",
    "规划",
    "方案",
    "意见",
    "计划",
    "纲要",
    "研究报告",
    "研究",
    "报告",
    "办法",
    "实施细则",
    "细则",
    "规定",
    "规则",
    "工作要点",
    "要点",
    "工作安排",
    "若干措施",
    "措施",
    "指引",
    "通知",
)
# a title ends with its kind of document, perhaps followed by a bracketed period or status
TYPE_END = re.compile(r"(" + "|".join(DOC_TYPES) + r")(?:[(（][^()（）]{4,20}[)）])*$")
_STATUS = re.compile(r"征求意见稿|送审稿|讨论稿|草案|试行")
_ISSUER_END = re.compile(
    r"(人民政府|人民政府办公室|人民政府办公厅|办公室|委员会|管委会|党工委|党委|[省市县区]委|管理局|局|政府|社会科学界联合会|安全生产委员会)$"
)
_DATE = re.compile(r"^((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_CN_DATE = re.compile(
    r"^([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日$"
)
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,10}[〔\[［(（]\s*(?:19|20)\d{2}\s*[〕\]］)）]\s*\d{1,4}\s*号")
_PERIODS = {"十三五": "2016-2020", "十四五": "2021-2025", "十五五": "2026-2030", "十六五": "2031-2035"}
_YEAR_RANGE = re.compile(r"((?:19|20)\d{2})\s*[-—–~～至]\s*((?:19|20)?\d{2,4})\s*年?")
_IMPLEMENTS = re.compile(r"贯彻落实|贯彻|落实|实施")
_BASED_ON = re.compile(r"(?:根据|依据|按照)")
_TITLE_QUOTE = re.compile(r"[《〈]([^《》〈〉]{4,80})[》〉]")


@dataclass
class Metadata:
    title: str = ""
    doc_type: str = ""
    status: str = ""
    issuer: str = ""
    region: str = ""
    parent_region: str = ""
    level: str = ""
    date: str = ""
    doc_number: str = ""
    period: str = ""
    implements: list[str] = field(default_factory=list)
    based_on: list[str] = field(default_factory=list)


def read_metadata(lines: list[Line], text: str) -> Metadata:
    meta = Metadata()
    head = _head_lines(lines)
    meta.title, title_lines = _title(head)
    meta.doc_type = _doc_type(meta.title)
    status = _STATUS.search(" ".join(line.clean for line in head[:40]))
    meta.status = status.group(0) if status and status.group(0) != "试行" else ""
    meta.date, date_line = _date(lines)
    meta.issuer = _issuer(lines, date_line, head)
    meta.doc_number = _doc_number(head, meta.title)
    meta.period = _period(meta.title, text)
    region = _region(meta.issuer, meta.title, title_lines)
    opening = " ".join([meta.issuer, meta.title, *(line.clean for line in head[:5])])
    if region is None and re.search(r"国务院|中共中央|国家发展改革委|^国家", opening):
        meta.region, meta.level = "全国", "national"
    if region is not None:
        meta.region = region.name
        parent = parent_of(region)
        meta.parent_region = parent.name if parent else ""
        meta.level = region.level
    preamble = _preamble(lines)
    meta.implements = _implements(meta.title, preamble)
    meta.based_on = _based_on(preamble)
    return meta


def _head_lines(lines: list[Line]) -> list[Line]:
    """The first 120 non-blank lines: cover, notice and title all sit there."""
    return [line for line in lines if not line.blank][:120]


def _title(head: list[Line]) -> tuple[str, list[str]]:
    """The document proper's title; a 关于印发《X》的通知 cover gives X when nothing better is printed."""
    candidates: list[tuple[int, str, list[str]]] = []
    k = 0
    while k < len(head):
        text = _plain(_printed(head[k]))
        if _is_cover_line(text):
            k += 1
            continue
        if len(text) > 70 or text.endswith(("。", "：", ":")) or not re.search(r"[\u4e00-\u9fff]", text):
            k += 1
            continue
        parts = [text]
        j = k
        while text == head[k].clean and not TYPE_END.search(_joined(parts)) and j + 1 < len(head) and len(parts) < 3:
            nxt = _plain(_printed(head[j + 1]))
            if len(nxt) > 40 or nxt.endswith("。"):
                break
            parts.append(nxt)
            j += 1
        title = _joined(parts)
        if TYPE_END.search(title) and not title.startswith(("各", "现将")):
            while j + 1 < len(head) and re.fullmatch(
                r"[(（]\s*\d{4}\s*[-—–]+\s*\d{4}\s*年?\s*[)）]", _plain(_printed(head[j + 1]))
            ):
                title += _plain(head[j + 1].raw.strip())
                j += 1
            subtitle = (
                [_plain(_printed(head[j + 1]))]
                if j + 1 < len(head) and head[j + 1].clean.startswith(("——", "—"))
                else []
            )
            candidates.append((k, title, parts + subtitle))
            k = j + 1
            continue
        k += 1
    for _, title, parts in candidates:
        if not re.match(r"^.{0,30}关于印发", title) and not title.endswith("通知"):
            return _strip_status(title), parts
    for _, title, parts in candidates:
        quoted = _TITLE_QUOTE.search(title.replace("〈", "《").replace("〉", "》"))
        if quoted:
            return _strip_status(quoted.group(1)), parts
    return (_strip_status(candidates[0][1]), candidates[0][2]) if candidates else ("", [])


def _printed(line: Line) -> str:
    """A line as printed (full-width brackets kept), without conversion markup."""
    return strip_markup(line.raw).strip()


def _plain(text: str) -> str:
    text = re.sub(r"^#+\s*|\*\*|</?[a-z]+>", "", text).strip()
    spaced = re.match(r"^(?:[\u4e00-\u9fff] ){2,}[\u4e00-\u9fff]\s+(\S.*)$", text)
    return spaced.group(1).strip() if spaced else text  # a cover form's 项 目 名 称 label


def _is_cover_line(text: str) -> bool:
    """Lines above a title that are not part of it: issuer, date, 附件N, 文号."""
    compact = text.replace(" ", "")
    return bool(
        _DATE.match(compact)
        or re.fullmatch(r"附件\s*\d*[:：]?", compact)
        or _DOC_NUMBER.fullmatch(compact)
        or (_ISSUER_END.search(compact) and not TYPE_END.search(compact))
        or "\t" in text
    )


def _joined(parts: list[str]) -> str:
    return "".join(p.strip() for p in parts)


def _strip_status(title: str) -> str:
    return re.sub(r"[(（](?:征求意见稿|送审稿|讨论稿|草案)[)）]$", "", title).strip()


def _doc_type(title: str) -> str:
    core = re.sub(r"(?:[(（][^()（）]*[)）])+$", "", fold(title)).strip()
    for doc_type in DOC_TYPES:
        if core.endswith(doc_type):
            if doc_type in ("研究", "研究报告", "报告"):
                return "研究报告"
            if doc_type == "三年行动计划":
                return "行动计划"
            return doc_type
    return ""


def _date(lines: list[Line]) -> tuple[str, Line | None]:
    """The issue date: a date alone on its line near the top or at the signature."""
    nonblank = [line for line in lines if not line.blank]
    for line in nonblank[:60] + nonblank[-40:]:
        text = re.sub(r"\s+", "", line.clean)
        match = _DATE.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            return f"{year:04d}-{month:02d}-{day:02d}", line
        match = _CN_DATE.match(text)
        if match:
            digits = "".join(str(cn_number(ch) or 0) for ch in match.group(1))
            cn_month, cn_day = cn_number(match.group(2)), cn_number(match.group(3))
            if cn_month and cn_day:
                return f"{digits}-{cn_month:02d}-{cn_day:02d}", line
    return "", None


def _issuer(lines: list[Line], date_line: Line | None, head: list[Line]) -> str:
    """Who signed: the body named above the date (bodies, joined by 、, when several sign together),
    else a body alone on a line at the top, else the one a notice's title opens with (X关于印发…)."""
    if date_line is not None:
        k = date_line.no - 2
        while k >= 0 and lines[k].blank:
            k -= 1
        if k >= 0:
            text = _plain(lines[k].clean).replace(" ", "")
            if _ISSUER_END.search(text) and len(text) <= 30:
                signers = [text]
                while k > 0 and len(signers) < 4 and (above := _signer(lines[k - 1].clean)):
                    signers.insert(0, above)  # a joint signature: one body per line
                    k -= 1
                return "、".join(signers)
    for line in head[:5]:
        text = _plain(line.clean).replace(" ", "")
        if _ISSUER_END.search(text) and len(text) <= 30 and find_divisions(text):
            return text
    for line in head[:5]:
        opening = re.match(r"^(.{4,30}?)关于", _plain(line.clean).replace(" ", ""))
        if opening and _ISSUER_END.search(opening.group(1)) and find_divisions(opening.group(1)):
            return opening.group(1)
    return ""


def _signer(text: str) -> str:
    """The body a signature line names: the whole line, or what follows the notice's last sentence
    where a page ran the two together (…请认真贯彻落实。平潭综合实验区党工委)."""
    tail = re.split(r"[。！？]", _plain(text).replace(" ", ""))[-1]
    return tail if tail and len(tail) <= 30 and _ISSUER_END.search(tail) and find_divisions(tail) else ""


def _doc_number(head: list[Line], title: str) -> str:
    """The 文号: alone on its line, opening the title line a web page ran it into (岚综管综〔2015〕278号
    关于…), or in brackets after the document's own title where a notice names it (印发了《X》（岚综管办
    〔2021〕105号）; not after another document's title it cites)."""
    for line in head[:30]:
        text = line.clean.strip()
        match = _DOC_NUMBER.search(text)
        if match and (
            len(text) <= len(match.group(0)) + 4
            or (match.start() == 0 and "关于" in text)
            or (bool(title) and text[: match.start()].endswith((f"《{title}》（", f"《{title}》(")))
        ):
            return match.group(0).replace(" ", "")
    return ""


def _period(title: str, text: str) -> str:
    """十四五 → 2021-2025; else a year range in the title or after 期限/期为 in the opening text."""
    sources = [fold(title)]
    opening = fold(text[:8000])
    sources += [m.group(0) for m in re.finditer(r"(?:期限|规划期|实施期|时间跨度|期为)[^。]{0,30}", opening)]
    sources.append(opening)
    for k, source in enumerate(sources):
        for name, years in _PERIODS.items():
            if name in source and (k < len(sources) - 1 or "规划" in title):
                return years
        if k == len(sources) - 1:
            break
        match = _YEAR_RANGE.search(source)
        if match:
            start, end = match.group(1), match.group(2)
            if len(end) == 2:
                end = start[:2] + end
            if 0 < int(end) - int(start) <= 15:
                return f"{start}-{end}"
    return ""


def _region(issuer: str, title: str, title_lines: list[str]) -> Division | None:
    """The most specific division named by the issuer, else by the title and its subtitle; a township
    (片区, 镇, 街道) whose body issued the document is more specific still."""
    for source in (issuer, title + "".join(title_lines)):
        found = [d for _, d in find_divisions(source)]
        order = {"district": 0, "county": 0, "municipal": 1, "provincial": 2}
        region = sorted(found, key=lambda d: order.get(d.level, 3))[0] if found else None
        township = township_in(source, region) if region is None or region.level in ("county", "district") else None
        if township is not None or region is not None:
            return township or region
    return None


def _preamble(lines: list[Line]) -> str:
    """Text before the first task heading: where a plan says what it implements and rests on."""
    out: list[str] = []
    for line in lines:
        heading = parse_heading(line)
        if is_toc_entry(line):
            continue
        if (
            heading is not None
            and heading.style in ("chapter", "cn", "pcn", "section")
            and len(out) > 2
            and not re.search(r"前言|总则", heading.rest)
        ):
            break
        out.append(line.clean)
        if len(out) > 120:
            break
    return "\n".join(out)


def _implements(title: str, preamble: str) -> list[str]:
    found: list[str] = []
    for source in (fold(title), fold(preamble)):
        for name in _quoted_after(_IMPLEMENTS, source):
            if name not in found:
                found.append(name)
    return found


def _based_on(preamble: str) -> list[str]:
    return list(dict.fromkeys(_quoted_after(_BASED_ON, fold(preamble))))


def _quoted_after(verb: re.Pattern[str], text: str) -> Iterator[str]:
    """Every 《title》 in the clause a verb opens: 贯彻落实《A》（…）和《B》 names both A and B."""
    for match in verb.finditer(text):
        clause_end, depth = len(text), 0
        for pos in range(match.end(), len(text)):
            char = text[pos]
            depth += (char in "《〈") - (char in "》〉")
            if char == "\n" or (depth <= 0 and char in "。,，;；"):
                clause_end = pos
                break
        for quoted in re.finditer(r"[《〈]([^《》〈〉]{4,80})[》〉]", text[match.end() : clause_end]):
            yield quoted.group(1)
