"""Recognise the short stock answers residents give: don't know, stop, let me fix that, yes / no.

Whole-message matching on purpose: "不知道怎么申请" is a question, not an unknown answer, and
"怎么取消低保" asks about a benefit, it does not cancel the chat."""
from __future__ import annotations

import re

from bot.text.normalize import fold

_TRAILING = re.compile(r"(?:啊|呀|吧|呢|哦|噢|哈|嘛|啦|诶|欸|哎|喔)+$")
_LEAD = r"(?:我|俺|这个|那个|那就|那我|那|这|嗯|呃|额|也|真|确实|实在|还是|就|要不|干脆)*"

_UNKNOWN = re.compile(_LEAD + r"(?:不知道|不清楚|不太清楚|不大清楚|说不好|说不清楚?|不好说|不晓得|不太知道|不确定"
                      r"|记不清楚?|记不得|不记得|没算过|没算|搞不清楚?|弄不清楚?|不了解|心里没数|没数|忘了|忘记了)了?")
_CANCEL = re.compile(_LEAD + r"(?:算了|(?:不想|不)(?:办|申请|弄|搞|问|聊)了|(?:别|不要)(?:再)?问了|取消|退出|不用了?谢谢(?:你|您)?)+"
                     r"(?:谢谢(?:你|您)?|谢了|再见|拜拜)?")
# "没说错" or "不用改" deny a correction, so they are checked first.
_NOT_CORRECTION = re.compile(r"(?:不|没|别|无)(?:用|要|需要|必|有)?再?(?:修改|更正|改|重新|重填|重来|[说填写打输选弄搞]错)")
_CORRECTION = re.compile(r"改一下|改下|改改|改一改|要改|想改|修改|更正|重新填|重填|重新来|重来|重新说|[说填写打输选弄搞]错")

_YES_NO_TRAILING = re.compile(r"(?:谢谢(?:你|您)?|谢了|[啊呀吧呢哦噢哈嘛啦了的])+$")
_NO = re.compile(r"(?:不是|不对|不同意|不愿意|不行|不要|不用|不需要|不必|不可以|不好|不中|不成|没有|没|否|不|no|n)+")
_YES = re.compile(r"(?:是|对|嗯|恩|好|可以|行|同意|愿意|中|没问题|确认|确定|没错|对头|要|需要|成|当然|ok|okay|yes|y)+")


def _key(text: str) -> str:
    return _TRAILING.sub("", fold(text))


def is_unknown(text: str) -> bool:
    """The resident says they don't know (不知道, 记不清, 没算过), not that the answer is no."""
    return bool(_UNKNOWN.fullmatch(_key(text)))


def is_cancel(text: str) -> bool:
    """The resident wants to stop the whole pre-screening (算了, 不办了, 退出); plain 不用 / 没有 / 不是 are answers."""
    return bool(_CANCEL.fullmatch(_key(text)))


def is_correction(text: str) -> bool:
    """The resident wants to change something already given (说错了, 改一下, 重新填)."""
    key = _key(text)
    return bool(_CORRECTION.search(key)) and not _NOT_CORRECTION.search(key)


def yes_no(text: str) -> bool | None:
    """True for 是/对/嗯/好/行/中…, False for 不/不是/不对/不用/没有…, None for anything else."""
    key = _YES_NO_TRAILING.sub("", re.sub(r"[我俺]", "", fold(text)))
    if not key:
        return None
    # Negatives first: 不对 contains 对, 没有 is not 没问题. A leading 嗯 there is hesitation, not assent.
    if _NO.fullmatch(re.sub(r"^[嗯恩呃额]+", "", key)):
        return False
    if _YES.fullmatch(key):
        return True
    return None
