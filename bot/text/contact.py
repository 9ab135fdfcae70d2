"""Read a phone number, a case number or a name out of what a resident typed."""
from __future__ import annotations

import re
import unicodedata

# Digits people group with spaces, dashes, dots or brackets: 139 1234 5678, 0434-1234567, (+86)139….
_DIGIT_RUN = re.compile(r"\+?\d[\d\s\-—–.()]*\d")
_MOBILE = re.compile(r"(?:86)?(1[3-9]\d{9})")
_LANDLINE = re.compile(r"0[1-9]\d{1,2}\d{7,8}")
_CASE = re.compile(r"(?<![A-Z])SL[\s\-_—–]*(20\d{2})[\s\-_—–]*(\d{1,6})(?!\d)")
_NAME_PREFIX = re.compile(r"^(?:我的名字(?:是|叫)|我名字(?:是|叫)|名字(?:是|叫)?|姓名(?:是)?|我叫|我是|叫)")
_SURNAME_ONLY = re.compile(r"^(?:我)?姓([\u4e00-\u9fff])$")
_NOT_A_NAME = re.compile(r"不知道|不想说|不告诉|不说|算了|保密|不方便|为什么|干什么|干嘛|什么|怎么|你好|您好|谢谢|好的|是的"
                         r"|不是|可以|没有|低保|救助|申请|咨询|在吗|问一下|我要|我想|吗|呢|了")


def parse_mobile(text: str) -> str | None:
    """An 11-digit mainland mobile (1[3-9]…) or a landline with area code, as bare digits; else None."""
    key = unicodedata.normalize("NFKC", text or "")
    for run in _DIGIT_RUN.findall(key):
        # Try the whole run first (139 1234 5678), then each group alone (我家3 13912345678).
        for candidate in [run, *re.findall(r"\d+", run)]:
            digits = re.sub(r"\D", "", candidate)
            mobile = _MOBILE.fullmatch(digits)
            if mobile:
                return mobile.group(1)
            if _LANDLINE.fullmatch(digits):
                return digits
    return None


def parse_case_number(text: str) -> str | None:
    """The canonical case number SL-YYYY-NNNNNN from sl-2026-000123, SL2026000123, SL 2026 123 …; else None."""
    match = _CASE.search(unicodedata.normalize("NFKC", text or "").upper())
    if not match or int(match.group(2)) == 0:
        return None
    return f"SL-{match.group(1)}-{int(match.group(2)):06d}"


def parse_person_name(text: str) -> str | None:
    """A plausible Chinese name (2–4 characters, as typed: 张桂兰, 王大爷, 老李), a bare surname from 姓王, else None."""
    key = re.sub(r"[\s\W_]+", "", unicodedata.normalize("NFKC", text or ""))
    if re.search(r"\d", key) or _NOT_A_NAME.search(key):
        return None
    surname = _SURNAME_ONLY.match(key)
    if surname:
        return surname.group(1)
    name = re.sub(r"(?:啊|呀|哈|哦|吧)+$", "", _NAME_PREFIX.sub("", key))
    return name if re.fullmatch(r"[\u4e00-\u9fff]{2,4}", name) else None
