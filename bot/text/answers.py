"""Recognise the short stock answers residents give: don't know, stop, let me fix that, yes / no.

Whole-message matching on purpose: "不知道怎么申请" is a question, not an unknown answer, and
"怎么取消低保" asks about a benefit, it does not cancel the chat. Two readings look at the parts of a
message, for the answer parsers: yes_no (an answer, then thanks or a reason) and says_unknown (don't
know, then why); after_correction gives the part after "X 不对 Y" to any parser."""
from __future__ import annotations

import re
import unicodedata

from bot.text.normalize import fold

_TRAILING = re.compile(r"(?:啊|呀|吧|呢|哦|噢|哈|嘛|啦|诶|欸|哎|喔)+$")
_LEAD = r"(?:我|俺|这个|那个|那就|那我|那|这|嗯|呃|额|也|真|确实|实在|还是|就|要不|干脆)*"

_UNKNOWN = re.compile(_LEAD + r"(?:不知道|不清楚|不太清楚|不大清楚|说不好|说不清楚?|不好说|不晓得|不太知道|不确定"
                      r"|记不清楚?|记不太清楚?|记不大清楚?|记不得|不记得|没算过|没算|搞不清楚?|弄不清楚?|不了解|心里没数|没数|忘了|忘记了"
                      r"|没准(?:儿)?|说不准|拿不准|不一定)了?")
# "不知道他家是哪个村的": a helper who does not know someone else's facts; "不知道去哪申请" stays a question.
_UNKNOWN_ABOUT = re.compile(r"不(?:知道|清楚|晓得)(?:他|她|他们|她们|人家)(?:家|们)?(?:是|在|住|有)?(?:哪|几|多少)")
_QUESTION = re.compile(r"[吗么?？]|怎么|咋|能不能|可不可以|行不行")
_NUMERAL = re.compile(r"[0-9零〇一二两俩三四五六七八九十百千万]")
_CANCEL = re.compile(_LEAD + r"(?:算了|(?:不想|不)(?:办|申请|弄|搞|问|聊)了|(?:别|不要)(?:再)?问了|取消|退出|不用了?谢谢(?:你|您)?)+"
                     r"(?:谢谢(?:你|您)?|谢了|再见|拜拜)?")
# "没说错" or "不用改" deny a correction, so they are checked first.
_NOT_CORRECTION = re.compile(r"(?:不|没|别|无)(?:用|要|需要|必|有)?再?(?:修改|更正|改|重新|重填|重来|[说填写打输选弄搞]错)")
_CORRECTION = re.compile(r"改一下|改下|改改|改一改|要改|想改|修改|更正|重新填|重填|重新来|重来|重新说|[说填写打输选弄搞]错"
                         r"|少说了|说少了|漏说了|说漏了|忘说了|忘了说|没说全")  # "刚才少说了俺婆婆"
# "两口 不对 三口", "一千 哦不对 一千二": what follows the last of these replaces what came before.
_SELF_CORRECTION = re.compile(r"(?:哦|噢|啊|呃|额)?(?:不对(?!劲|外|付|症|称)|[说打写记弄搞]错了?)(?:了)?"
                              r"|(?:啊|哦|噢|呃|额)不(?=[\s,，])")  # "三口 啊不 四口"
_EMPTY_TAIL = re.compile(r"(?:是|应该是|啊|呀|吧|呢|哦|嘛|的)*")

_CLAUSE_BREAK = re.compile(r"[\s,，。.!！?？、;；:：~～…]+")
_THUMBS = str.maketrans({"👌": "好", "👍": "好", "✅": "好", "🆗": "好", "👎": "不", "❌": "不", "🙅": "不"})
_YES_NO_TRAILING = re.compile(r"(?:谢谢(?:你|您|你们)?|谢了|(?<![别不甭])(?:麻烦|辛苦)(?:你|您|你们)?了"
                              r"|[啊呀吧呢哦噢哈嘛啦了的])+$")
# A clause that neither answers nor changes the answer: thanks, or a hesitation sound before the real answer.
_NEUTRAL = re.compile(r"(?:太|真|非常)?(?:谢谢|感谢|多谢|谢了|麻烦|辛苦|费心)(?:你|您|你们|政府|党和政府|领导|同志|小同志)?"
                      r"(?:了|啊|啦)*|[嗯恩呃额哦噢]")
# Refusals: 不/没 alone or with a verb (不同意, 不想转, 不中), 别/甭 + verb (先别转, 别麻烦了), 算了, 拉倒.
# 同一, 同易, 同义: 同意 typed by sound.
_NO = re.compile(r"(?:那|那就|那还是|还是|就|先|暂时|这回|这次|现在)*(?:"
                 r"不(?:想|愿意|要|用|需要|必)?(?:同[意一易义]|转|麻烦(?:你|您|你们)?|办|弄|整)?"
                 r"|不(?:可以|行|中|成|好|对|是)|(?:别|甭)(?:再)?(?:转|麻烦(?:你|您|你们|人家)?|弄|办|整)?"
                 r"|没有?|否|算了?|拉倒|免了|no|n)+")
# "对 就是收入再少点": a yes with a reservation may be a correction; only "同意是同意 就是…" announces one.
_RESERVATION = re.compile(r"(?:就是|但是|不过|可是|只是)")
_CONCESSION = re.compile(r"(.+)是\1")
_BARE_NO = re.compile(r"(?:不|没|没有|不是|不对|否|no|n)+")
# Assent, Northeastern ones too (嗯呐, 中, 整, 妥, 没毛病, 敢情好), and "转吧 / 帮俺转一下" at the consent step.
_YES = re.compile(r"(?:那|那就|那敢情|就|还是|那还是|都|全)?(?:(?:"
                  r"是|对着?|对头|嗯呐|嗯哪|嗯那|嗯|恩|昂|好滴|好嘞|得嘞|(?:贼|挺|老)?好|可以|能?行|同[意一易义]|愿意|中|妥"
                  r"|没问题|没毛病|赶紧|抓紧"
                  r"|确认|确定|没错|要|需要|成|当然|必须的?|敢情好|整|欧了|ok|okay|yes|y"
                  r"|(?:(?:麻烦|劳驾|请)?(?:你|您)?就?)?(?:给|帮)?转(?:一下|过去|给他们|办)?(?:看看)?)(?:吧|啊|呀|的)?)+")


# Someone typing for the resident: "来电人说最近没啥事", "老人说没有" — the words after it are the answer
_REPORTED = re.compile(r"^(?:(?:来电人|来电群众|来电者)(?:说|讲|称|表示|反映)?"
                       r"|(?:来电的|老人家?|大爷|大娘|老太太|老爷子|他|她|人家|我妈|我爸|俺妈|俺爹|俺爸)(?:说|讲|称|表示|反映))"
                       r"[:：,，\s]*(?=\S)")


def unreported(text: str) -> str:
    """The answer without "来电人说" in front, when someone types what the resident says."""
    return _REPORTED.sub("", text or "", count=1)


def _key(text: str) -> str:
    return _TRAILING.sub("", fold(text))


def after_correction(text: str) -> str:
    """What the resident settled on: "两口 不对 三口" → "三口"; the text itself when it corrects nothing."""
    for match in reversed(list(_SELF_CORRECTION.finditer(text or ""))):
        tail = text[match.end():]
        if fold(text[:match.start()]) and not _EMPTY_TAIL.fullmatch(_SELF_CORRECTION.sub("", fold(tail))):
            return tail
    return text or ""


def clauses(text: str) -> list[str]:
    """The parts a resident separated with spaces or punctuation, emoji and symbols dropped."""
    text = unicodedata.normalize("NFKC", text or "").translate(_THUMBS)
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] not in "SC")
    return [part for part in _CLAUSE_BREAK.split(text) if fold(part)]


def is_unknown(text: str) -> bool:
    """The resident says they don't know (不知道, 记不清, 没算过), not that the answer is no."""
    return bool(_UNKNOWN.fullmatch(_key(text)))


def says_unknown(text: str) -> bool:
    """Don't know, with a reason after it ("不清楚 钱都是俺儿子管", "不知道他家是哪个村的"). Only for questions
    about a fact; it is not is_unknown, because elsewhere "不清楚 老人好几天没出门" reports something."""
    parts = clauses(text)
    if not parts or _QUESTION.search(text):
        return False
    if is_unknown(parts[0]) and not _NUMERAL.search("".join(parts[1:])):
        return True
    return any(_UNKNOWN_ABOUT.search(fold(part)) for part in parts)


def is_cancel(text: str) -> bool:
    """The resident wants to stop the whole pre-screening (算了, 不办了, 退出); plain 不用 / 没有 / 不是 are answers."""
    return bool(_CANCEL.fullmatch(_key(text)))


def is_correction(text: str) -> bool:
    """The resident wants to change something already given (说错了, 改一下, 重新填)."""
    key = _key(text)
    return bool(_CORRECTION.search(key)) and not _NOT_CORRECTION.search(key)


def _clause_yes_no(clause: str) -> bool | None:
    key = _YES_NO_TRAILING.sub("", re.sub(r"[我俺]", "", fold(clause)))
    concession = _CONCESSION.fullmatch(key)  # 同意是同意 (…就是…): a yes with a condition
    key = concession.group(1) if concession else key
    if not key:
        return None
    # Negatives first: 不对 contains 对, 没有 is not 没问题. A leading 嗯 there is hesitation, not assent.
    if _NO.fullmatch(re.sub(r"^[嗯恩呃额]+", "", key)):
        return False
    if _YES.fullmatch(key):
        return True
    return None


def yes_no(text: str, reservations_count: bool = True) -> bool | None:
    """True for 是/对/嗯呐/行/中/同意 转吧…, False for 不/不对/不用了/先别转…, None for anything else.

    In several parts the first part that answers decides ("不同意 俺怕村里人知道") and none may say the
    opposite. A bare 不 or 没有 followed by other words is not taken as no: "没有 就是不想活了".
    `reservations_count=False` where a 就是 after a yes is a wish, not a condition (consent: "同意 就是俺耳朵背
    打电话大点声"); at the summary it may be a correction ("对 就是收入再少点")."""
    parts = clauses(after_correction(text))
    said = [part for part in parts if not _NEUTRAL.fullmatch(fold(part))]
    if len(parts) <= 1 or not said:
        return _clause_yes_no("".join(parts))
    answers = [_clause_yes_no(part) for part in said]
    first, rest = answers[0], [part for part, answer in zip(said, answers) if answer is None]
    if first is None or (not first) in answers or (rest and (reservations_count or not first)
                                                    and _hedged(first, said[0], rest)):
        return None
    return first


def _hedged(answer: bool, opening: str, rest: list[str]) -> bool:
    """Words after the answer that may turn it: after a bare 不 or 没有 anything; after a yes, 就是/但是…
    (unless the yes announced it: 同意是同意)."""
    if answer:
        return any(_RESERVATION.match(fold(part)) for part in rest) and not _CONCESSION.fullmatch(fold(opening))
    return bool(_BARE_NO.fullmatch(re.sub(r"^[嗯恩呃额]+", "", fold(opening))))
