"""Unit annotations: who leads and who supports a measure, in every printed form.

Forms handled (see shared/notes/documents.md):
- labelled, inline at the end of a measure in either bracket style:
  ``（牵头单位：区人社局；责任单位：区农业农村局、各镇（街道））``;
- labelled, on their own lines: ``牵头单位：县卫生健康局`` / ``(责任单位：…)``;
- verb forms: ``（市住房城乡建设管理委牵头负责，市交通委、各区政府组织落实）``;
- an unlabelled bracketed list of units at the end of a measure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policygraph.ingest.normalize import fold
from policygraph.model import LEAD, RESPONSIBLE

# a label is a role word and a kind of unit, in any pairing (责任处室, 配合科室, 主办部门, 实施主体), or in
# a table's unit cell the role alone (牵头：A 配合：B)
_LABEL_WORDS = (
    "(?:(?:牵头|主责|主办|责任|配合|协同|参与|推进|协办|实施)(?:单位|部门|处室|科室|主体)"
    "|牵头|主责|主办|配合|协同|协办)"
)
LABEL = re.compile(rf"({_LABEL_WORDS})\s*[:：]")
LEAD_LABELS = ("牵头", "主责", "主办")
OWN_LINE = re.compile(rf"^[(（]?\s*({_LABEL_WORDS})\s*[:：]")

_SUFFIX = (
    "局|委|办|院|中心|处|室|部|会|队|所|站|公司|集团|政府|街道|镇|乡|街镇|单位|部门|专班|小组|组|"
    "办公室|分局|支队|大队|总队|银行|社|联|团|厅|署|馆|园区|开发区|管委会|指挥部|办事处|"
    "学校|党校|学院|医院|企业|机构|协会|海关|支行|分行|党组织"
)
_UNIT_END = re.compile(rf"(?:{_SUFFIX})$")
_CATCH_ALL_START = re.compile(r"^(各|相关|有关|属地|区级各|县级各|市级各|镇级各|全市各|全区各|全县各)")
_BRACKET = re.compile(r"[(（][^()（）]*[)）]")
# Where a contact field begins (联系人李四, 邮箱ws@…, 电话：***): its label, a masked span (*) or an
# e-mail's @. An annotation or a cover-form line may carry one after its units; it is personal data or
# its label, never a unit. Matched on folded text, so a full-width at sign is @ too.
_CONTACT_FIELD = re.compile(
    r"联系人|联系电话|联系方式|联系邮箱|联系地址|通讯地址|电话|手机|座机|传真|电子邮箱|电子信箱|邮箱|电邮|邮编|邮政编码"
    r"|微信|身份证|证件号|姓名|经办人|填表人|(?<![A-Za-z])(?:e-?mail|tel|fax|qq)(?![A-Za-z])|[@*]",
    re.IGNORECASE,
)


def is_catch_all(name: str) -> bool:
    """各有关单位, 相关部门, 属地街镇: not one unit but every unit of a kind."""
    return bool(_CATCH_ALL_START.match(fold(name).strip()))


def is_unit_name(name: str) -> bool:
    """Does this look like the name of a government unit (or a catch-all of units)?"""
    text = fold(name).strip()
    core = _BRACKET.sub("", text).strip()
    if not core or len(text) > 30:
        return False
    if re.search(r"[。，,；;：:“”\"]", text) or re.search(r"[的将要对在]", core):
        return False
    if re.match(r"^(?:加强|推进|建立|完善|开展|实施|落实|推动|做好|确保|按照|根据|完成|新增|提升|持续|实现)", core):
        return False
    if re.search(r"\d", core):
        return False
    if _CATCH_ALL_START.match(core):
        return True
    if is_official(core):
        return False
    if core.endswith("区") and len(core) <= 6:
        return True  # 开发区-like bodies and 各区
    return bool(_UNIT_END.search(core))


# a post held by a person (路长, 湾（滩）长, 河长, 专管员, 路政员, 责任人): 长制 plans give duties to posts
_POST = re.compile(r"^(?!每)[\u4e00-\u9fff（）()]{1,10}(?:长|员|责任人)$")


def is_post(name: str) -> bool:
    """Is this the name of a post (总路长, 镇级河长, 专管员), not of a unit?"""
    return bool(_POST.match(fold(name).strip())) and not _CATCH_ALL_START.match(fold(name).strip())


# an official over a task (区委常委, 副区长, 区委副书记, 分管副主任): a post, though 区委常委 ends like a unit
_OFFICIAL = re.compile(r"(?:常委|书记|主任|委员|[区县市镇乡]长|副.{0,6}长)$")


def is_official(name: str) -> bool:
    """Is this the post of an official (副区长, 区委常委), which a 牵头领导 column names, not a unit?"""
    return bool(_OFFICIAL.search(fold(name).strip()))


def ends_like_unit(name: str) -> bool:
    """Does the name end the way a unit's name does (局, 委, 办公室 …, or a bracketed alias)?"""
    text = fold(name).strip()
    return text.endswith(")") or bool(_UNIT_END.search(text))


def without_contact_field(name: str) -> str:
    """The unit part of a candidate name: '' for a contact field (联系人李四, 邮箱ws@example.com,
    联系人：**), the unit before one glued to it (县教育局联系人：** → 县教育局) when that reads as a unit.

    Masking stars the data, but labels and the leftovers of masking (stars, and nothing at all when
    markup stripping took ``**`` for bold) would otherwise become units in /units, both stores and
    the workload view."""
    hit = _CONTACT_FIELD.search(fold(name))
    if hit is None:
        return name
    head = name[: hit.start()].rstrip(" :：,，;；")
    return head if head and is_unit_name(head) else ""


def split_units(text: str) -> tuple[list[str], bool]:
    """Split a printed list of units; returns the names and whether the list ended with 等.

    Separators are 、，,;；and white space between names, but never inside brackets, so
    各镇（街道） and 各县（市、区） stay one unit. Contact fields in the list are no units and are left out.
    """
    items: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in text:
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            depth = max(0, depth - 1)
        if depth == 0 and ch in "、，,;；/ \t\u3000":
            items.append("".join(current))
            current = []
        else:
            current.append(ch)
    items.append("".join(current))
    names: list[str] = []
    deng = False
    for item in items:
        name = _REMARK.sub("", item.strip().strip("。."))
        stripped = re.sub(r"等(?:相关|有关)?(?:部门|单位|部门和单位|机构)?$", "", name)
        if stripped != name:
            deng = True
            name = stripped.strip()
        name = without_contact_field(name)
        if name:
            names.extend(_joined_units(name))
    return names, deng


# a remark in brackets after a list's last unit (区财政局（按职责分工负责）), not an alias (区发改委（区统计局）)
_REMARK = re.compile(
    r"[(（](?:按|根据|依|各自|分别)?[^()（）]{0,8}(?:负责|分工|职责|配合|参与|落实)[^()（）]{0,4}[)）]$"
)
_JOINER = re.compile(r"会同|以及|及|和|与|联合")


_BARE_KIND = re.compile(rf"(?:{_SUFFIX})")


def _names_one_unit(name: str) -> bool:
    """A unit's name, not a kind alone (各相关部门和单位 is one list entry)."""
    return is_unit_name(name) and not _BARE_KIND.fullmatch(name)


def _joined_units(name: str) -> list[str]:
    """区卫生健康委和区民政局 → both; 区人力资源和社会保障局 stays one (区人力资源 is no unit's name).

    The parts are cut at joiners, each as short as lets the rest be units too, found by dynamic
    programming from the end (trying every way to cut recursively is exponential in the joiners)."""
    joiners = {m.start(): m.end() for m in _JOINER.finditer(name)}  # a joiner's start → the next part's
    if not joiners or len(name) > 400:
        return [name]
    ends = [*joiners, len(name)]  # where a part may end
    follows: dict[int, int] = {}  # a part's start → its end, where the rest (if any) is units too
    for begin in reversed([0, *joiners.values()]):
        for end in ends:
            rest = end == len(name) or (joiners[end] < len(name) and joiners[end] in follows)
            if end > begin and rest and _names_one_unit(name[begin:end]):
                follows[begin] = end
                break
    if follows.get(0, len(name)) == len(name):
        return [name]
    parts, begin = [], 0
    while begin < len(name):
        parts.append(name[begin : follows[begin]])
        begin = joiners.get(follows[begin], len(name))
    return parts


@dataclass(frozen=True)
class RoleList:
    """Units parsed from one annotation, in printed order."""

    roles: list[tuple[str, str, str]]  # (name, role, label)
    unlabelled: bool = False
    ends_with_deng: bool = False

    def __post_init__(self) -> None:
        """Every way to a unit passes here (annotations, task tables, the unit column of a duties
        table), so no contact field becomes one, whichever parser read it."""
        kept = [(unit, role, label) for name, role, label in self.roles if (unit := without_contact_field(name))]
        object.__setattr__(self, "roles", kept)

    def __bool__(self) -> bool:
        return bool(self.roles)


def role_for(label: str) -> str:
    """The role a label or a unit column's header gives (牵头, 主责, 主办: lead)."""
    return LEAD if label.startswith(LEAD_LABELS) else RESPONSIBLE


# 排在第一位的为牵头单位, 列首位者为牵头部门, 第一个单位为牵头单位: a plan that says once that each
# list's first unit leads, instead of labelling it in every annotation
_FIRST_LEADS = re.compile(
    r"(?:(?:排|列|名)[在于]?(?:第一|首)(?:位|个|家)?|第一(?:个|家)|首个|第一责任)"
    r"(?:的|者)?(?:责任)?(?:单位|部门)?(?:为|是)(?:牵头|主责)"
)
_SUPPORT_LABEL = re.compile(r"配合|协同|协办|协助|参与")


def first_listed_leads(text: str) -> bool:
    """Does the plan say that the first unit of each list leads (排在第一位的为牵头单位)?"""
    return _FIRST_LEADS.search(fold(text)) is not None


def with_first_leading(roles: RoleList) -> RoleList:
    """Under that convention, the first unit of a list that names no lead leads; units printed under
    a supporting label (配合单位) stay supporting."""
    if any(role == LEAD for _, role, _ in roles.roles):
        return roles
    first = next((k for k, (_, _, label) in enumerate(roles.roles) if not _SUPPORT_LABEL.search(label)), None)
    if first is None:
        return roles
    promoted = [(n, LEAD if k == first else role, label) for k, (n, role, label) in enumerate(roles.roles)]
    return RoleList(promoted, roles.unlabelled, roles.ends_with_deng)


def _drop_unbalanced_close(text: str) -> str:
    folded = fold(text)
    while folded.endswith(")") and folded.count(")") > folded.count("("):
        text, folded = text[:-1].rstrip(), folded[:-1].rstrip()
    return text


def parse_labelled(text: str) -> RoleList:
    """``牵头单位：A；责任单位：B、C`` → roles. Text outside any label is ignored, and so is a time
    field in the annotation (``责任单位：A；完成时限：2025年底``). A unit marked 牵头 inside a list
    (``责任单位：A（牵头）、B``) leads."""
    folded = fold(text)
    time_field = _TIME_FIELD.search(folded)
    if time_field is not None:
        text, folded = text[: time_field.start()], folded[: time_field.start()]
    matches = list(LABEL.finditer(folded))
    roles: list[tuple[str, str, str]] = []
    deng = False
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(folded)
        label = text[match.start(1) : match.end(1)]
        listed = _drop_unbalanced_close(text[match.end() : end].strip().rstrip("；;，,"))
        verb = parse_verb_form(listed)  # 责任单位：A牵头，B、C配合
        if verb:
            roles.extend(
                (name, role, label if role == role_for(label) else verb_label) for name, role, verb_label in verb.roles
            )
            deng = deng or verb.ends_with_deng
            continue
        names, d = split_units(listed)
        deng = deng or d
        for name in names:
            marked = _LEAD_MARK.search(fold(name))
            if marked:
                roles.append((name[: marked.start()].strip(), LEAD, label))
            else:
                roles.append((name, role_for(label), label))
    return RoleList(roles, ends_with_deng=deng)


_TIME_FIELD = re.compile(
    r"[;；,，\s]*(?:完成时限|完成时间|完成期限|截止时间|时间节点|时限要求|时限|期限|时间|进度安排)\s*[:：]"
)
_LEAD_MARK = re.compile(r"\s*[(\[〔【]牵头[)\]〕】]$")  # 区建管委（牵头）: the list's lead


_VERB_LABEL = re.compile(
    r"((?:按职责(?:分工)?)?(?:牵头负责|牵头|负责配合落实|负责落实|配合落实|组织落实|组织实施|组织配合|负责配合|落实|配合|参与|负责))"
    r"(?=$|[,，;；、])"
)


def parse_verb_form(text: str) -> RoleList:
    """``X牵头负责，Y、Z组织落实`` / ``X、Y等按职责分工负责`` / ``X牵头；Y负责配合落实``: each verb closes
    the list of units before it; 牵头 verbs mark leads, the others supporting units. A remark after
    the last list (``以下均需各片区配合落实，不再列出``) ends the annotation, it does not void it."""
    body = fold(text).strip().split("。")[0]  # what follows the first sentence is a remark on it
    body = body.removeprefix("由")  # 由X牵头，Y配合
    roles: list[tuple[str, str, str]] = []
    deng = False
    position = 0
    for match in _VERB_LABEL.finditer(body):
        names, d = split_units(body[position : match.start()].strip(",，;；、 "))
        if not names or not all(is_unit_name(n) or n.startswith("各部门") for n in names):
            return RoleList(roles, ends_with_deng=deng)  # a remark after the lists, or no lists at all
        label = match.group(1)
        role = LEAD if "牵头" in label else RESPONSIBLE
        roles.extend((name, role, label) for name in names)
        deng = deng or d
        position = match.end()
    if not roles or body[position:].strip(",，;；、 "):
        return RoleList([])
    return RoleList(roles, ends_with_deng=deng)


# 由区交通委牵头协调…, or a clause that opens with its leads: 。村居党组织、村（居）委会牵头，…; not a
# mechanism the measure sets up (构建由属地街道牵头、多部门联合执法的机制: its lead is the mechanism's)
_LED_BY = re.compile(
    r"(?<!建立|构建|健全|完善|形成|建成|推行|实行|探索)由([^，,。；;：:由]{2,30}?)牵头(?!的)"
    r"|(?:^|(?<=[。；;：:]))([^，,。；;：:由]{2,40}?)牵头[，,]"
)


def led_in_text(text: str) -> RoleList:
    """The leads a measure's own text names (由区交通委牵头协调…, 。X、Y牵头，…)."""
    roles: list[tuple[str, str, str]] = []
    folded = fold(text)
    for match in _LED_BY.finditer(folded):
        start, end = match.span(1) if match.group(1) else match.span(2)
        names, _ = split_units(text[start:end])
        if names and all(is_unit_name(n) for n in names):
            roles.extend((name, LEAD, "牵头") for name in names if (name, LEAD, "牵头") not in roles)
    return RoleList(roles)


def parse_cell(text: str, column: str) -> RoleList:
    """The units of one cell under a unit column (its header ``column``): labelled inside the cell
    (牵头：A；配合：B), in verb form (A牵头，B配合), or a list that takes the column's role, where a unit
    marked 牵头 (A（牵头）、B) leads. Empty when the cell is no unit list."""
    roles = parse_annotation(text)
    if not roles.unlabelled:
        return roles
    return RoleList(
        [(name, LEAD if role == LEAD else role_for(column), column) for name, role, _ in roles.roles],
        ends_with_deng=roles.ends_with_deng,
    )


def parse_unlabelled(text: str) -> RoleList:
    """A list of units with no label (（区建管委（牵头）、区水务局）): a unit marked 牵头 leads. Empty
    when any entry is no unit's name."""
    names, deng = split_units(text.strip())
    roles: list[tuple[str, str, str]] = []
    for name in names:
        marked = _LEAD_MARK.search(fold(name))
        unit = name[: marked.start()].strip() if marked else name
        roles.append((unit, LEAD if marked else RESPONSIBLE, ""))
    if not names or not all(is_unit_name(unit) for unit, _, _ in roles):
        return RoleList([])
    return RoleList(roles, unlabelled=True, ends_with_deng=deng)


def parse_annotation(content: str, allow_unlabelled: bool = True) -> RoleList:
    """The roles in the content of one annotation (without its outer brackets)."""
    if LABEL.search(fold(content)):
        return parse_labelled(content)
    verb = parse_verb_form(content)
    if verb:
        return verb
    return parse_unlabelled(content) if allow_unlabelled else RoleList([])


def trailing_annotation(text: str) -> tuple[int, RoleList] | None:
    """An annotation at the end of ``text``, in brackets or after the last sentence:
    (offset where it starts, roles)."""
    bracketed = _bracketed_tail(text)
    if bracketed is not None and not bracketed[1].unlabelled:
        return bracketed
    folded = fold(text)
    labels = list(LABEL.finditer(folded))
    if labels:
        first = len(labels) - 1
        while first > 0 and "。" not in folded[labels[first - 1].end() : labels[first].start()]:
            first -= 1  # 牵头单位：…；责任单位：… is one annotation
        start = labels[first].start()
        boundary = folded.rfind("。", 0, start)
        if boundary > 0 and not folded[boundary + 1 : start].strip():
            roles = parse_labelled(text[start:])
            if roles:
                return start, roles
    if bracketed is not None and folded[: bracketed[0]].rstrip().endswith(("。", ";", "；", ",", "，")):
        return bracketed  # an unlabelled list must stand after the sentence, not inside a name
    return None


def _bracketed_tail(text: str) -> tuple[int, RoleList] | None:
    folded = fold(text).rstrip()
    while folded.endswith(("。", ".", ";", "；")):
        folded = folded[:-1].rstrip()
    if folded.endswith(("】", "]")):  # 【责任单位：…】, [牵头单位：…]: square brackets do not nest
        opening = max(folded.rfind("【"), folded.rfind("["))
        roles = parse_annotation(text[opening + 1 : len(folded) - 1]) if opening >= 0 else None
        return (opening, roles) if roles else None
    if not folded.endswith(")"):
        return None
    depth = 0
    for i in range(len(folded) - 1, -1, -1):
        ch = folded[i]
        if ch == ")":
            depth += 1
        elif ch == "(":
            depth -= 1
            if depth == 0:
                content = text[i + 1 : len(folded) - 1]
                roles = parse_annotation(content)
                return (i, roles) if roles else None
    return None


def own_line_annotation(line: str) -> RoleList | None:
    """A line that is only an annotation: ``牵头单位：…`` or ``(责任单位：…)``."""
    folded = fold(line).strip()
    if not OWN_LINE.match(folded):
        return None
    roles = parse_labelled(line.strip().lstrip("(（"))
    return roles or None
