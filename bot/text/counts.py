"""Read household size the way residents type it: 三口人, 一家四口, 就我自己, 老两口, 我跟我妈俩."""
from __future__ import annotations

import re

from bot.text.normalize import fold
from bot.text.numbers import chinese_small_int

_NUM = r"(?<![0-9零〇一二两俩三仨四五六七八九十百千万])([0-9]{1,2}|[一二两俩三仨四五六七八九十]{1,3})"
# Strongest evidence first: 口 only ever counts people, 个 alone could count children or rooms.
_COUNTED = [
    re.compile(_NUM + r"口"),
    re.compile(_NUM + r"(?:个人|位|人)"),
    re.compile(_NUM + r"个(?![月小星礼])(?=$|吧|啊|呢)"),
]
_WHOLE = re.compile(r"(?:就|一共|总共|共|家里|我家|我们家|俺家|咱家|我们|俺们|咱们|夫妻|娘儿|娘|爷儿|母女|母子|父女|父子)?"
                    + _NUM + r"(?:口人|口|个人|人|个|位)?(?:吧|啊|呢)?")
# A bare 我 is not enough: it needs 就/只 or 自己/一个人 to mean "I live alone".
_ALONE = re.compile(r"(?:就|只有|只)(?:我|俺)(?:一个人?|自己|自个儿?)?(?:住|过)?"
                    r"|(?:我|俺)?(?:一个人|自己|自个儿?|独自)(?:住|过)?|光棍(?:一个|一条)?|单身|独居")
# 我和老伴, 我跟我妈俩: the speaker plus one other person (仨 makes three).
_PAIR = re.compile(r"(?:就)?(?:我|俺)(?:和|跟|与|带着?)([^和跟与及还、]{1,4}?)(俩|仨|两个|两人)?(?:人)?(?:住|过)?")


def parse_people_count(text: str) -> int | None:
    """How many people live in the household (1–20), or None if the message does not say."""
    key = fold(text)
    if _ALONE.fullmatch(key):
        return 1
    pair = _PAIR.fullmatch(key)
    if pair and not re.search(r"[0-9一二三四五六七八九十]", pair.group(1)):
        return 3 if pair.group(2) == "仨" else 2
    whole = _WHOLE.fullmatch(key)
    found = [whole] if whole else [m for pattern in _COUNTED for m in [pattern.search(key)] if m]
    for match in found:
        value = chinese_small_int(match.group(1))
        if value is not None and 1 <= value <= 20:
            return value
    return None
