"""Site chrome: what a government web page prints around a plan, kept out of its text.

A page saved from a site carries, around the document, a breadcrumb (当前位置：首页 > 政务公开 > …), a
line of date, source, font-size and share links (时间：2024-03-18 10:21 来源：本站 字号：大 中 小 打印本页
分享到：微信 微博 QQ空间), attachment lists (附件下载：…pdf), print and close links, and a footer
(主办单位 … 网站标识码 … ICP备). None of it is the plan's: a date there is not the plan's date, a
source is not its issuer, and none of it is a measure. Every reader's text passes through here once,
so the same chrome goes whether the page came as HTML, as a saved text or as a page stored as one
line (whose blocks are restored first, so each piece of chrome is on a line of its own).

A line is chrome when every piece of it (split at spaces) is a piece of chrome and one of them names
what it is (时间：, 来源：, 字号, 微信, 打印本页, 当前位置, 附件下载, ICP备 …): a date alone, or a
line that merely mentions a source in a sentence, stays.
"""

from __future__ import annotations

import re

_ANCHOR = (
    r"当前位置[:：]\S*|您的位置[:：]\S*|(?:发布|发文|成文)?(?:时间|日期)[:：](?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{4}年\d{1,2}月\d{1,2}日)|(?:信息|文章)?来源[:：]\S{0,30}"
    r"|作者[:：]\S{0,12}|(?:浏览|访问|点击|阅读)(?:次数|量|数)?[:：]\S{0,10}|字号[:：]?[大中小]?|【?字体[:：]?[大中小]?】?"
    r"|分享到?[:：]?\S{0,12}|微信|微博|QQ空间|qq空间|新浪微博|腾讯微博|豆瓣|扫一扫\S{0,12}|【?打印(?:本页|此页)?】?"
    r"|【?关闭(?:窗口|本页)?】?|【?返回顶部】?|【?收藏(?:本页)?】?|附件下载[:：]?\S*|相关(?:链接|文件|阅读|新闻)[:：]?"
    r"|(?:上|下)一篇[:：]?\S{0,40}|主办单位[:：]\S*|承办单位[:：]\S*|网站标识码[:：]?\S*|\S*ICP备\S*|\S*公网安备\S*"
    r"|版权所有\S*|无障碍|English|首页(?:[>\u203a»/]\S*)?"
    r"|(?:(?:政策|图文|文字|视频|H5)?解读|链接|网址)[:：]https?://\S+"
)
_FILLER = (  # what stands beside chrome: a time, the sizes, a separator, an attachment's file name
    r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}:\d{2}(?::\d{2})?|[大中小]|[>\u203a»|/]"
    r"|\S+\.(?:pdf|docx?|xlsx?|wps|ofd|zip|rar)"
)
_ANCHOR_PIECE = re.compile(rf"(?:{_ANCHOR})", re.I)
_PIECE = re.compile(rf"(?:{_ANCHOR}|{_FILLER})+", re.I)  # 【打印本页】【关闭窗口】 is one piece
_BREADCRUMB = re.compile(r"^(?:当前位置|您的位置)[:：]")
_ATTACHMENTS = re.compile(r"^附件下载")
_FILE_NAME = re.compile(r"^\S.{0,80}\.(?:pdf|docx?|xlsx?|wps|ofd|zip|rar)$", re.I)
_TRAIL = re.compile(r"^首页\S{0,40}$")  # 首页政务公开最新文件区管委会文件: the path after 当前位置
_RELATED = re.compile(r"^相关(?:链接|文件|阅读|新闻)")
_LINK = re.compile(r"^[^。；;]{1,40}$")  # a related link's title: short, no sentence


_FOLLOWERS = ((_BREADCRUMB, _TRAIL), (_ATTACHMENTS, _FILE_NAME), (_RELATED, _LINK))  # chrome, what may follow it


def is_chrome(line: str) -> bool:
    pieces = line.split()
    return (
        bool(pieces)
        and all(_PIECE.fullmatch(piece) for piece in pieces)
        and any(_ANCHOR_PIECE.search(piece) for piece in pieces)
    )


def drop_chrome(text: str) -> str:
    """The text without its lines of site chrome: those ``is_chrome`` finds, the path after a
    breadcrumb, the file names listed after 附件下载 and the links listed after 相关链接."""
    lines = text.split("\n")
    kept: list[str] = []
    after: re.Pattern[str] | None = None  # what the chrome line before lets follow as chrome
    for k, line in enumerate(lines):
        stripped = line.strip().lstrip("#").strip()
        if stripped and after is not None and after.match(stripped):
            continue
        if stripped:
            after = None
        if stripped and is_chrome(stripped):
            after = next((then for first, then in _FOLLOWERS if first.match(stripped)), None)
            if after is _LINK and not _only_links_after(lines, k):
                after = None  # 相关文件 inside the plan, with the plan going on below: keep what follows
            continue
        kept.append(line)
    return "\n".join(kept)


def _only_links_after(lines: list[str], k: int) -> bool:
    """Every line after line ``k`` reads as a link's title or chrome: the page's tail, not the plan."""
    rest = (line.strip().lstrip("#").strip() for line in lines[k + 1 :])
    return all(_LINK.match(line) or is_chrome(line) for line in rest if line)
