"""Duty passages in a text: where a passage that says what a unit is responsible for opens and ends.

Plans close with a part that divides the work among units (职责分工, 工作职责, 部门职责; in a table
单位 | 职责). Its passages open with the unit they concern, in one of a few shapes that many plans
share: ``区民防办：负责…``, ``（二）区财政局。负责…``, or several in one paragraph
(``党群工作处要加强…；社会事业处要会同…``). A passage runs from its opening to the next one. Clauses
that open with a verb (``负责编制…；配合市水务局…``) continue the passage they stand in, which is why
an opening must be a unit list followed by a colon, a full stop or the verb of its duty.

Text only: the readers that turn passages into a document's duties are in ``duties``; a table run
together into one line (``run_tables``) reads its rows' openings here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policygraph.ingest.roles import LABEL, ends_like_unit, is_catch_all, is_post, is_unit_name, split_units

ORGANISATION = re.compile(r"组织构架|组织架构|组织机构|机构设置")  # how the work is organised: no duties, no tasks
_DUTY_HEADING = re.compile(r"职责|责任分工|工作分工|部门分工|分工负责")
# a task that makes units carry out their duties (2.夯实行业部门消防管理职责。…) is no division of them
_ENFORCES = re.compile(r"(?:进一步|全面|严格)?(?:夯实|压实|压紧|落实|强化|履行)(?!.*分工$)")
# the heading word a one-line page runs into the part's first duty (三、职责分工区教育局：…)
_GLUED_HEADING = re.compile(r"(?:明确)?(?:部门|工作|成员单位)?(?:职责分工|分工职责|工作职责|部门职责|责任分工)(?=\S)")
# where a clause may open: the start of a block, or after a full stop or semicolon
_CLAUSE_END = re.compile(r"[。；;]")
_ITEM_NUMBER = re.compile(r"\s*(?:[(（][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十\d]{1,2}\s*[、.．])?\s*")
# the verbs a duty opens with, right after its unit (区财政局负责…, 各村居要…, 区委组织部牵头…)
_VERBS = (
    "要|负责|牵头|会同|按照|参与|配合|指导|承担|做好|根据|加强|统筹|依法|协助|主要|建立|是|作为|落实|制定|"
    "推进|开展|督促|履行|研究|抓好|实施"
)
# what follows a unit (or a post) that opens its duty: a colon or full stop, its verb, or who holds the
# post before its duty and where an office sits (总湾（滩）长由管委会主任担任，负责…; X办公室设在区资源
# 生态局，负责…); who holds a post with no duty after it (护路员由村级组织聘用) opens none
_AFTER_UNIT = re.compile(
    rf"\s*[：:。]|(?:{_VERBS})|由[^，,。；;]{{1,30}}?(?:担任|兼任)[，,](?=负责|承担|主要)|设在[^，,。；;]{{1,30}}?[，,]"
)
_ENDS_IN_VERB = re.compile(rf"(?:{_VERBS})$")
_DUTY_WORD = re.compile(r"(?:的)?(?:主要|工作)?职责$")  # 区教育局职责：…, 总湾（滩）长主要职责。…
_NAME_BREAK = re.compile(r"[，,。；;：:\n]")
# a clause opening with these is the unit's next task, not another unit's duty (会同区财政局做好…)
VERB_FIRST = re.compile(r"^(?:会同|配合|协助|协调|由|在|对|与|按照|根据|负责|做好|参与|指导|统筹|牵头|加强|督促|联合)")
# an organ a plan sets up, opening what it does: 指挥部下设办公室，…主要职责：负责… (the unit: 指挥部办公室);
# 指挥部下设五个工作组分别为A、B…，各工作组… (A, B …); 指挥部下设X验收小组，…负责… (X验收小组); 验收小组，
# …负责… (a named group, then its duty)
_ORGAN = r"(?:办公室|工作组|小组|专班|指挥部|委员会)"
_SET_UP = re.compile(
    rf"(?P<parent>[^\s，,。；;：:]{{2,20}}?)下设(?:[一二三四五六七八九十\d]{{1,2}}个)?(?P<own>[^\s，,。；;：:]{{0,16}}?)(?P<organ>{_ORGAN})"
    r"(?:分别为(?P<list>[^，,。；;]{2,80}))?[，,]"
)
_NAMED_ORGAN = re.compile(rf"(?P<organ>[^\s，,。；;：:]{{2,24}}?{_ORGAN})[，,]")
_ITS_DUTY = re.compile(r"[^。]{0,160}?(?:负责|职责|承担)")  # the duty an organ's opening clause leads to
_SETTING_UP = re.compile(r"成立|组建|设立|建立|下设")
_MIN_DUTY = 12  # characters of duty after the unit: less is an exhortation (各村居党组织要高度重视，共同推进)


def is_duty_heading(title: str) -> bool:
    """Does this heading name the division of responsibilities (三、职责分工, （一）明确工作职责)? A
    heading run into its first duty on a one-line page (三、职责分工区教育局：负责…) opens with it."""
    if len(title) <= 16:
        return bool(_DUTY_HEADING.search(title)) and not _ENFORCES.match(title)
    return bool(_GLUED_HEADING.match(title) or title.endswith("及职责"))  # …指挥部成员及职责


def _holds_duties(name: str) -> bool:
    """A unit (区财政局), or a post (总路长, 专管员: 长制 plans give duties to posts)."""
    return is_unit_name(name) or is_post(name)


def heading_units(rest: str) -> list[str]:
    """The units (or posts) of a heading that is nothing but those (（一）区交通委, 2.镇级路长和专管员),
    whose items below are their duties."""
    names, _ = split_units(_DUTY_WORD.sub("", rest.strip().rstrip("。:：")))
    names = [part for name in names for part in re.split(r"(?<=[长员])[和及与](?=\S)", name)]
    if names and all(_holds_duties(name) for name in names) and (ends_like_unit(names[-1]) or is_post(names[-1])):
        return names
    return []


@dataclass(frozen=True)
class Passage:
    """One duty passage: the units it opens with (as printed) and its span in the text."""

    units: list[str]
    printed: str  # the opening's unit list as printed
    start: int
    end: int


def duty_opening(text: str, at: int) -> tuple[list[str], str, int] | None:
    """The units a clause opens with, as printed, and where the clause (after its number) starts.

    Of the places where a unit list could end (before a colon, a full stop or a verb), the longest that
    reads as units and ends like a unit's name wins: 区委统筹办要… is 区委统筹办, not 区委 (统筹 is a verb
    too); failing that, the shortest that reads as units (各村居要…: a catch-all reads as units however
    long it runs, 各街镇负责开展本区域…)."""
    number = _ITEM_NUMBER.match(text, at)
    begin = number.end() if number else at
    glued = _GLUED_HEADING.match(text, begin)
    begin = glued.end() if glued else begin
    organ = _organ_opening(text, begin)
    if organ is not None:
        return organ
    window = text[begin : begin + 61]
    cut = _NAME_BREAK.search(window)
    readings: list[tuple[list[str], str]] = []
    for match in _AFTER_UNIT.finditer(window):
        if cut and match.start() > cut.start():
            break  # a unit's name holds no comma or full stop
        printed = _DUTY_WORD.sub("", window[: match.start()].strip())
        if len(printed) < 2 or VERB_FIRST.match(printed) or _ENDS_IN_VERB.search(printed) or "由" in printed:
            continue
        names, _ = split_units(printed)
        if names and all(_holds_duties(name) for name in names):
            readings.append((names, printed))
    if not readings:
        return None
    names, printed = next((r for r in reversed(readings) if ends_like_unit(r[1]) or is_post(r[1])), readings[0])
    return names, printed, begin


def _organ_opening(text: str, begin: int) -> tuple[list[str], str, int] | None:
    """An organ the plan sets up (see ``_SET_UP``) or names (验收小组，…), when its clause goes on to
    what it is responsible for; the units and the opening as printed."""
    set_up = _SET_UP.match(text, begin)
    if set_up is not None and _ITS_DUTY.match(text, set_up.end()):
        if set_up["list"]:
            names, _ = split_units(set_up["list"])
            if names and all(n.endswith(("组", "室", "班")) for n in names):
                return names, set_up.group(0)[:-1], begin
        elif set_up["own"]:  # 指挥部下设海上养殖综合整治验收小组: named by its own name
            return [set_up["own"] + set_up["organ"]], set_up.group(0)[:-1], begin
        elif is_unit_name(set_up["parent"]) or set_up["parent"].endswith(("指挥部", "小组")):
            return [set_up["parent"] + set_up["organ"]], set_up.group(0)[:-1], begin
    named = _NAMED_ORGAN.match(text, begin)
    if (
        named is not None
        and not _SETTING_UP.search(named["organ"])
        and is_unit_name(named["organ"])
        and _ITS_DUTY.match(text, named.end())
    ):
        return [named["organ"]], named["organ"], begin
    return None


def _exhorts_all(names: list[str], body: str) -> bool:
    """各有关单位要高度重视…: a closing call to every department (a catch-all of the plan's own
    departments) that gives none of them a responsibility of its own."""
    return "负责" not in body and all(is_catch_all(n) and re.search(r"(?:单位|部门)$", n) for n in names)


def duty_passages(text: str, start: int, end: int) -> list[Passage]:
    """The duty passages in ``text[start:end]`` (one block: a paragraph or an item with its body).

    A trailing unit annotation (责任单位：…) ends the last passage; it is the block's measure's, not a duty.
    """
    label = LABEL.search(text, start, end)
    stop = label.start() if label else end
    clause_starts = [start] + [m.end() for m in _CLAUSE_END.finditer(text, start, stop)]
    openings = [found for at in clause_starts if at < stop and (found := duty_opening(text, at)) is not None]
    passages: list[Passage] = []
    for k, (names, printed, begin) in enumerate(openings):
        finish = openings[k + 1][2] if k + 1 < len(openings) else stop
        body = text[begin:finish].rstrip()
        if len(body) - len(printed) < _MIN_DUTY or _exhorts_all(names, body):
            continue
        passages.append(Passage(names, printed, begin, begin + len(body)))
    return passages
