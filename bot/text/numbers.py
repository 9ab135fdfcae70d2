"""Parse numbers the way residents write them: 3, ３, 三, 第三个, 3号, 选3."""
from __future__ import annotations

import re
import unicodedata

_DIGITS = {"零": 0, "〇": 0, "一": 1, "幺": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "仨": 3, "四": 4,
           "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CHOICE = re.compile(r"^(?:我?选|选择|要|回复)?第?([0-9]{1,2}|[零〇一幺二两俩三仨四五六七八九十]{1,3})(?:个|项|号|条)?(?:吧|呗|啊)?$")


def chinese_small_int(token: str) -> int | None:
    """0–99 in digits or Chinese numerals (十, 十二, 二十, 二十三)."""
    if token.isdecimal():  # not isdigit(): "²" is a digit int() cannot read
        return int(token) if len(token) <= 2 else None
    if "十" in token:
        tens, _, ones = token.partition("十")
        if len(tens) > 1 or len(ones) > 1:
            return None
        t = _DIGITS.get(tens, 1) if tens else 1
        o = _DIGITS.get(ones, 0) if ones else 0
        return None if (tens and tens not in _DIGITS) or (ones and ones not in _DIGITS) else t * 10 + o
    if len(token) == 1 and token in _DIGITS:
        return _DIGITS[token]
    return None


def parse_choice(text: str) -> int | None:
    """The option number if the whole message is a menu choice, else None."""
    key = re.sub(r"[\s。.！!，,]", "", unicodedata.normalize("NFKC", text or ""))
    match = _CHOICE.match(key)
    if not match:
        return None
    value = chinese_small_int(match.group(1))
    return value if value and value <= 20 else None
