"""Mask personal numbers wherever staff or logs see resident text: mobiles, landlines, ID numbers, bank cards.

Numbers are read the way the pre-screen reads a phone (`bot.text.contact`): ASCII or full-width digits, or
dictated in Chinese digits (一三八…, 幺 for 1, also 〇 ○ 零 两), grouped by spaces, dashes, dots, commas or
brackets, after +86 / 0086 / 86. Each run of at least seven digits is cut into groups (at each separator, and
where the script changes: 一三九1234五六七八), and the longest consecutive groups that read as one personal
number are masked digit by digit with `*`: the text keeps its length, spacing and script, and staff still see
the last four digits.

| number | shown | e.g. |
|---|---|---|
| mobile, 11 digits 1[3-9] (and 10 or 12 such digits in one block: a mistyped mobile) | first 3, last 4 | 139 **** 5678 |
| landline: 010 / 02x / 0xxx + 7–8 digits; after 86 or 0086 with or without the 0 | area code, last 4 | 0434-***1234 |
| a local landline (7–8 digits) right after 电话 / 座机 / 手机 / 号码 / 联系方式 / tel | last 4 | 座机***1234 |
| ID number: 18 characters (the last may be X) or an old 15-digit one, with a birth date | first 6, last 4 | 220382********123X |
| … old 15-digit ID | first 6, last 3 (its last 4 would show a digit of the birth date) | 220382******123 |
| bank card: 16 digits or more in one block, or 16–19 in groups of 4 or more that begin with 3, 4, 5, 6 or 9 and with 62 or pass the Luhn check | first 4 (the bank), last 4 | 6222 **** **** ***0 123 |

Precision is as deliberate as recall: amounts (1500, 两千五, 1,500.00), dates (2026-01-05, 20260105), years,
counts and case numbers (SL-2026-000123) never have one of these shapes; an ASCII mobile in several groups
must be split as people split a mobile (3-4-4, 3-8, 7-4, 3-3-5, digit by digit), so "1500.00 2000.00" and
"1500 200 3000" stay; a grouped card needs a card's first digit and 62 or the Luhn check, so "2019 2020 2021
2022" and "6200 300 2000 1500 800" stay.
Stdlib only: the engine imports bot/.
"""
from __future__ import annotations

import re

_SPOKEN = "〇○零一二两三四五六七八九幺"  # ○ (a circle) is how many type 〇
_DIGITS = str.maketrans("０１２３４５６７８９" + _SPOKEN + "xＸｘ", "0123456789" + "00012234567891" + "XXX")
_D = "[0-9０-９" + _SPOKEN + "]"
_SEP = r"[\s\-‐‑‒–—―－.．,，()（）]"
# Seven digits or more with at most three separators between two of them (an ID's X last), and what a local
# number without its area code needs right before it: 电话, 座机, tel… (the look-ahead, first characters of
# both, only lets the regex engine skip ahead quickly).
_RUN = re.compile(f"(?=[电座手号联Tt0-9０-９{_SPOKEN}])"
                  r"(?P<cue>(?:电话|座机|手机|号码|联系方式|(?i:tel))[号码是为:：\s]{0,4})?"
                  f"(?P<run>{_D}(?:{_SEP}{{0,3}}{_D}){{6,}}(?:[XxＸｘ](?![A-Za-z]))?)")
# A group of a run: digits or dictated digits, one script a group (一三九1234五六七八 is three groups).
_GROUP = re.compile(f"(?:[0-9０-９]+|(?P<spoken>[{_SPOKEN}]+))[XxＸｘ]?")

_MOBILE = re.compile(r"(0086|86)?1[3-9]\d{9}")  # after a country code
# Where people split a mobile (after the country code): 13912345678, 139 1234 5678, 139 12345678, 1391234 5678,
# 139 123 45678; one digit at a time is also fine.
_MOBILE_CUTS = {(), (3, 7), (3,), (7,), (3, 6)}
# A country code, the trunk 0, the area code (010, 02x, 0xxx), the local number.
_LANDLINE = re.compile(r"(0086|86)?(0?)([12]\d|[3-9]\d\d)\d{7,8}")
_DATE = r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
_ID = re.compile(rf"[1-8]\d{{5}}(?:19|20)\d\d{_DATE}\d{{3}}[\dX]|\d{{17}}X|[1-8]\d{{7}}{_DATE}\d{{3}}")
_NEAR_MOBILE = re.compile(r"1[3-9]\d{8}|1[3-9]\d{10}")
_LOCAL = re.compile(r"[2-9]\d{6,7}")
_LONGEST = 19  # digits read across groups at most (a card); a single group is read whatever its length


def mask(text: str) -> str:
    """The text with every phone, landline, ID number and bank card masked (see the table above)."""
    hidden: list[int] = []
    for run in _RUN.finditer(text):
        hidden += _mask_run(run.start("run"), run["run"], run["cue"] is not None)
    if not hidden:
        return text
    chars = list(text)
    for i in hidden:
        chars[i] = "*"
    return "".join(chars)


def _mask_run(start: int, run: str, cued: bool) -> list[int]:
    """Where in the text the digits to hide are: leftmost first, the longest span of groups that reads as a number."""
    groups = [(g.group().translate(_DIGITS), g.start(), g["spoken"] is not None) for g in _GROUP.finditer(run)]
    hidden: list[int] = []
    free = 0  # the first group not yet in a number
    for i in range(len(groups)):
        if i < free:
            continue
        digits, found = "", None
        for j in range(i, len(groups)):
            digits += groups[j][0]
            if len(digits) > _LONGEST and j > i:
                break
            keep = len(digits) >= 7 and _kind(digits, groups[i:j + 1], cued and i == 0)  # 7: a local number
            if keep:
                found, free = keep, j + 1
        if found:
            offsets = [start + g[1] + k for g in groups[i:free] for k in range(len(g[0]))]
            hidden += offsets[found[0]:len(offsets) - found[1]]
    return hidden


def _kind(digits: str, span: list, cued: bool) -> tuple[int, int] | None:
    """(digits shown at the start, at the end) if these groups read as a personal number, else None."""
    if _ID.fullmatch(digits):
        return 6, 4 if len(digits) == 18 else 3
    mobile = _MOBILE.fullmatch(digits)
    if mobile:
        prefix = len(mobile[1] or "")
        cuts = _cuts(span, prefix)
        if _spoken(span) or tuple(sorted(cuts)) in _MOBILE_CUTS or len(cuts) == 10:
            return prefix + 3, 4
    landline = _LANDLINE.fullmatch(digits)
    if landline and (landline[1] or landline[2]):
        prefix = len(landline[1] or "")
        # split after the area code, and before the last four: 0434-722-1234, +86 10 1234 5678
        if _spoken(span) or _cuts(span, prefix) <= {landline.end(3) - prefix, len(digits) - prefix - 4}:
            return landline.end(3), 4
    if len(span) == 1 and len(digits) >= 16:
        return 4, 4
    if 16 <= len(digits) <= _LONGEST and digits.isdigit() and _card_grouping(digits, span):
        return 4, 4
    if len(span) == 1 and _NEAR_MOBILE.fullmatch(digits):
        return 3, 4
    if cued and _LOCAL.fullmatch(digits):
        return 0, 4
    return None


def _spoken(span: list) -> bool:
    """Dictated in Chinese digits (a part will do): split wherever the resident paused, 一八七 四三四 一二三 四五."""
    return any(g[2] for g in span)


def _cuts(span: list, prefix: int) -> set[int]:
    """Where the groups split the number, counted from after its country code: 139 1234 5678 → {3, 7}."""
    cuts, at = set(), -prefix
    for group in span[:-1]:
        at += len(group[0])
        cuts.add(at)
    cuts.discard(0)
    return cuts


def _card_grouping(digits: str, span: list) -> bool:
    """Split as cards are printed (4 digits or more a group: 6222 0212 3456 7890 123, 622202 1234567890123),
    a card's first digit, and 62 (UnionPay) or the Luhn check: "6200 300 2000 1500 800" is a list of amounts."""
    return (digits[0] in "34569" and all(len(g[0]) >= 4 for g in span[:-1])
            and (digits[:2] == "62" or _luhn(digits)))


def _luhn(digits: str) -> bool:
    doubled = sum(sum(divmod(2 * int(ch), 10)) for ch in digits[-2::-2])
    return (sum(int(ch) for ch in digits[-1::-2]) + doubled) % 10 == 0


def mask_phone(phone: str) -> str:
    """A phone field shown in a list: only the last four digits (139****5678, ***4567)."""
    digits = re.sub("[^0-9]", "", phone.translate(_DIGITS))
    if _MOBILE.fullmatch(digits):
        return f"{digits[-11:-8]}****{digits[-4:]}"
    return "*" * max(len(digits) - 4, 3) + digits[-4:]


# Two-character surnames, so 欧阳娜娜 shows 欧阳**, not 欧***.
_COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
                      "夏侯", "轩辕", "令狐", "端木", "独孤", "南宫", "西门", "申屠", "呼延", "百里", "万俟")


def mask_name(name: str | None) -> str:
    """A resident's name shown in a list: the surname, the rest starred one character each (孙玉芬 → 孙**,
    欧阳娜娜 → 欧阳**, 王大姐 → 王**, 李明 → 李*); a surname alone is no one's name and stays. Latin letters
    keep the first and star the rest (Zhang San → Z**** ***)."""
    name = (name or "").strip()
    keep = 2 if name.startswith(_COMPOUND_SURNAMES) and len(name) > 2 else 1
    return name[:keep] + "".join(ch if ch.isspace() else "*" for ch in name[keep:])
