"""Read household size the way residents type it: 三口人, 一家四口, 就我自己, 老两口, 我跟我妈俩, 俺们爷仨,
俺 老伴 还有个孙子."""
from __future__ import annotations

import re

from bot.text import kin
from bot.text.answers import after_correction, clauses
from bot.text.normalize import fold
from bot.text.numbers import chinese_small_int

_NUM = r"(?<![0-9零〇一二两俩三仨四五六七八九十百千万])([0-9]{1,2}|[一二两俩三仨四五六七八九十]{1,3})"
_KIN_GROUP = r"[爷娘姐哥兄弟妹母女子父孙祖婆媳夫妻]{1,2}儿?"   # 爷仨, 娘儿俩, 祖孙三个
# Strongest evidence first: 口 only ever counts people (两口子 is a couple, not the household), 个 alone
# could count children or rooms, so it needs to end its part of the message; "俺俩", "俺们爷仨" count us.
_COUNTED = [
    re.compile(_NUM + r"口(?!子)(?!(?<=两口)、?(?:带|和|跟|加|还有|领|养|供|再))"),  # 老两口带个孙子 is three
    # 我一个人挣钱养仨人: an earner; 就俺妈一个人照应: a carer
    re.compile(_NUM + r"(?:个人|位|人)(?!挣|养|干|供|扛|撑|拉扯|顶|上班|打工|种|照应|照顾|照看|伺候|管|陪)"),
    re.compile(_NUM + r"个(?![月小星礼])(?=$|、|吧|啊|呢)"),
    re.compile(rf"(?:俺|我|咱|他|她)们?(?:{_KIN_GROUP})?(俩|仨)(?!个|孩子|娃|孙)"),  # 他俩自己过: a couple asked for
    re.compile(r"(两)口子(?!、?(?:加|和|跟|带|还有|再))"),  # 俺们两口子想申请低保; 两口子加俩孩子 is a list
]
_WHOLE = re.compile(rf"(?:就|一共|总共|共|家里|我家|我们家|俺家|咱家|我们|俺们|咱们|{_KIN_GROUP})?"
                    + _NUM + r"(?:口人|口|个人|人|个|位)?(?:吧|啊|呢)?")
# A bare 我 is not enough: it needs 就/只 or 自己/一个人 to mean "I live alone"; 就剩俺一个 too.
_LIVES = r"(?:住|过|过日子|过活|生活)?"
_ALONE = re.compile(r"(?:就剩下?|只剩下?|剩下?|就|只有|只)(?:我|俺)(?:一个人?|自己|自个儿?)?(?:老太太|老头子?|老婆子|孤老头?)?"
                    + _LIVES + r"|(?:我|俺)一个(?:老太太|老头子?|老婆子|孤老头?)(?:自己|自个儿?)?" + _LIVES
                    + r"|(?:我|俺)?(?:一个人|自己|自个儿?|独自)" + _LIVES + r"|光棍(?:一个|一条)?|单身|独居"
                    # someone else alone: "就他自己", "老太太自己过日子" (not 俺们自己, 老两口自己过, 俺俩自己过:
                    # a plural or a pair is no one alone)
                    r"|(?:就|只有|只)?(?:他|她|(?:(?![们俩仨两口])[\u4e00-\u9fff]){1,3}(?<![家]))"
                    r"(?:一个人|自己|自个儿?|独自)" + _LIVES)
# 我和老伴, 我跟我妈俩, 她和儿子俩: the speaker (or the one spoken of) plus one other person (仨 makes three).
_PAIR = re.compile(r"(?:俺们|我们|咱们|俺家|我家|咱家)?(?:就)?(?:我|俺|他|她)(?:和|跟|与|带着?)([^和跟与及还、]{1,4}?)(俩|仨|两个|两人)?(?:人)?(?:住|过)?")
# "以前五口 现在…剩四口", "户口本上四个 实际…就俺俩": what is true now comes after these.
# "家里五口 大儿子常年在外…算四口吧": a reckoning said last settles it too (算上俺 counts someone in)
_NOW = re.compile(r"现在|如今|目前|眼下|实际上?|其实|(?:就|只)?剩下?|算(?!上)")
_MORE = re.compile(r"还有|和|跟|带|加|俩|仨|一起|一块")  # "就俺自己 还有个孙子" is not alone
# a count said first, alone in its part: "仨 俺两口子和俺妈", "他俩 都七十多了"
_LEAD = re.compile(rf"(?:就|一共|共)?(?:(?:他|她)们?)?(?:{_KIN_GROUP})?([0-9]{{1,2}}|[一二两三四五六七八九十]{{1,3}}|俩|仨)"
                   r"(?:口人|口|个人|个|人)?")  # 爷俩 老高头和他儿子, 娘仨 她带俩孩子
_TAIL_COUNT = re.compile(r"(?:就|一共|共|总共)?([0-9]{1,2}|[一二两三四五六七八九十]{1,3}|俩|仨)(?:口人|口子?|个人|人)(?:吧|啊|呢)?")
# someone living elsewhere (not counted; not one of the household's members either)
APART = re.compile(r"不在家|不在一块|不跟.{0,4}(?:住|过)|在外(?:头|地|面|边)|外地|另过|分出去|单过|嫁出去|出嫁了")
_OLD_PAIR = re.compile(r"(?:就|只有|只)?(?:俺|我|咱)?们?(?:俩老的|俩老人|两个老的|两个老人)(?:了|啊|呗)?")
_TYPO = re.compile(r"(?<=[0-9一二两三四五六七八九十])[扣叩]")  # 三扣人: 口 typed by sound
# a relative's own family, in a part of its own: "就俺自己 儿子一家三口在城里" is one
_KIN_FAMILY = re.compile(r"(?:儿子|闺女|女儿|姑娘|老大|老二|哥哥?|姐姐?|弟弟?|妹妹?)(?:他们|她们)?(?:一家|家)(?:子)?"
                         r"[一二两三四五六七八九十0-9]{1,2}口")
# a part that only gives the ages of those already counted: "俺跟老伴俩 俺六十三她六十一", "俺和老伴俩 都六十多"
_AGES_ONLY = re.compile(r"(?:(?:俺|我|他|她|老伴|老头|老太太|都|也|俩|俩人)*"
                        r"[一二三四五六七八九]?十[一二三四五六七八九]?(?:多|来|出头)?岁?了?)+")

# Naming everyone instead of counting: "俺 老伴 还有个孙子", "俺们两口子加俩孩子". The speaker (or a couple
# that includes them) must be among them, or it is a list of others and the count is not known.
_KIN = rf"{kin.CLOSE}|{kin.WIDER}"
_MEMBER = re.compile(
    r"(?P<couple>(?:俺们|我们|咱们|俺|我|咱)?老?两口子?)"
    rf"|(?:(?:俺|我|咱)们?(?:家|的|那个|这个|那|这)?)?(?:(?P<n>[一两俩仨三四五2-5])个?|个)?(?:傻|小|大|病|老)?(?P<kin>{_KIN})"
    r"|(?P<me>(?:俺|我|咱)(?:自己|自个儿?)?|本人)"
    r"|还有|再加上|加上|以及|带着|领着|养着|供着|[、和跟与及加带领养供]|俺们|我们|咱们|就|一共|总共|家里|俺家|我家|还|再|都"
    r"|在一块|在一起|一起|住|吃|过|的|了|一块"
    r"|在这儿?|日子")


def parse_people_count(text: str) -> int | None:
    """How many people live in the household (1–20), or None if the message does not say."""
    settled = after_correction(text)
    parts = clauses(settled)
    kept = parts[:1] + [part for part in parts[1:] if not _aside(part)]
    if len(kept) < len(parts):
        settled, parts = " ".join(kept), kept
    # who lives elsewhere is not counted: "俺和老伴带着孙子 儿子两口子在外地打工" is three, not the couple away
    home = [part for part in parts if not APART.search(part)]
    if home and len(home) < len(parts):
        found = _settle(" ".join(home), home)
        if found is not None:
            return found
    return _settle(settled, parts)


def _settle(settled: str, parts: list[str]) -> int | None:
    for now in reversed(list(_NOW.finditer(settled))):
        found = _count(settled[now.start():])
        if found is not None:
            return found
    found = _count(settled)
    if found is None and "、" not in settled:
        # "我弟去年结婚分出去了 就他俩": why, then the count in a part of its own
        # "就俺和儿子 老伴前年走了": the count in the first part, why after it
        for part in [*reversed(parts[1:]), *parts[:1]]:
            found = _count(part)
            if found is not None:
                break
    return found


def _aside(part: str) -> bool:
    """A later part that only gives ages, or a relative's own family: not the household's count."""
    key = fold(part)
    return bool(_AGES_ONLY.fullmatch(key) or _KIN_FAMILY.search(key))


def _count(text: str) -> int | None:
    marked = "、".join(fold(part) for part in clauses(_TYPO.sub("口", text).replace("俩口", "两口")))
    key = marked.replace("、", "")
    first, _, rest = marked.partition("、")
    lead = _LEAD.fullmatch(first)
    # the couple among those named after the count is no count of its own ("仨 老两口 孙子")
    if lead and not any(p.search(re.sub(r"老两口|两口子", "", rest)) for p in _COUNTED[:2]):
        # "仨 俺两口子和俺妈", "俩 就俺和老伴儿", "他俩": the count first, then who ("改12 四口人": the rest counts)
        if (value := _headcount(lead.group(1))) is not None:
            return value
    head, _, last = marked.rpartition("、")
    tail = _TAIL_COUNT.fullmatch(last) if head else None
    if tail and not _TAIL_COUNT.fullmatch(head.split("、")[0]):  # "俺和孙女 两口": who, then how many
        if (value := _headcount(tail.group(1))) is not None:
            return value
    if _ALONE.fullmatch(re.sub(r"了$", "", key)):
        return 1
    if _OLD_PAIR.fullmatch(key):  # "就俩老的"
        return 2
    if rest and _ALONE.fullmatch(first) and not _MORE.search(rest) and not any(p.search(rest) for p in _COUNTED):
        return 1  # "就俺自己 老头前年没了": alone, then why
    pair = _PAIR.fullmatch(key)
    # the other one named within one part: "俺和老伴 孙子" names three, not 俺 and "老伴孙子"
    if pair and pair.group(1) in marked and not re.search(r"[0-9一二两俩三仨四五六七八九十]", pair.group(1)):
        return 3 if pair.group(2) == "仨" else 2
    named = _named(marked)  # "俺老两口 儿媳妇 俩孙子": everyone named, the couple among them, is five, not two
    if named is not None:
        return named
    whole = _WHOLE.fullmatch(key)  # may run two numerals together ("娘俩两口人"): then the counted words decide
    found = [whole] if whole else []
    found += [m for pattern in _COUNTED for m in [pattern.search(marked)] if m]
    return next((n for match in found for n in [_headcount(match.group(1))] if n is not None), None)


def _headcount(said: str) -> int | None:
    """A household's size in figures or numerals (俩, 仨 too), 1–20; None otherwise."""
    value = chinese_small_int(said)
    return value if value is not None and 1 <= value <= 20 else None


def _named(marked: str) -> int | None:
    """Count the people named one by one; None unless the whole message is such a list with the speaker in it."""
    total, pos, speaker = 0, 0, False
    while pos < len(marked):
        match = _MEMBER.match(marked, pos)
        if not match or match.end() == pos:
            return None
        if match["couple"]:
            total, speaker = total + 2, True
        elif match["me"]:
            total, speaker = total + 1, True
        elif match["kin"]:
            total += chinese_small_int(match["n"]) if match["n"] else 1
        pos = match.end()
    return total if speaker and 2 <= total <= 20 else None
