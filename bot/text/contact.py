"""Read a phone number, a case number or a name out of what a resident typed."""
from __future__ import annotations

import re
import unicodedata

from bot.text.answers import after_correction, clauses

# Digits people group with spaces, dashes, dots, commas or brackets: 139 1234 5678, 0434-1234567, 135,9674,5288.
_DIGIT_RUN = re.compile(r"\+?\d[\d\s\-—–.,()]*\d")
# A number dictated in Chinese digits (一三八四三四…, 幺 for 1): seven or more in a row, spaces allowed.
_SPOKEN = re.compile(r"[零〇一二三四五六七八九幺](?:[\s\-]*[零〇一二三四五六七八九幺]){6,}")
_SPOKEN_DIGITS = str.maketrans("零〇一二三四五六七八九幺", "001234567891")
_MOBILE = re.compile(r"(?:86)?(1[3-9]\d{9})")
_LANDLINE = re.compile(r"0[1-9]\d{1,2}\d{7,8}")
_CASE = re.compile(r"(?<![A-Z])SL[\s\-_—–]*(20\d{2})[\s\-_—–]*(\d{1,6})(?!\d)")
# What comes before a name: 我叫, 俺的名字是, 叫我…就行, 就写…吧, 找老董, 俺是金宝村的…, 是… (after a correction).
# a yes typed straight before the name ("行宝音 139…", "同意王德顺") is not part of it
_NAME_PREFIX = re.compile(r"^(?:同意|可以|好的|好|行|嗯呐|嗯)?"
                          r"(?:(?:就|那就)?(?:叫|喊|写|称呼|找)(?:我|俺|他|她)?|(?:我|俺|咱)?的?(?:大名|名字|姓名|名)(?:是|叫)?"
                          r"|(?:我|俺|咱)(?:叫|是)|是)?(?:[^的]{1,8}?(?:村|屯|组|社区|街道|乡|镇)的)?"
                          # who they are before the name: 村会计老周, 邻居张姐, 他儿子小张
                          r"(?:(?:村|屯|社区)?(?:会计|书记|主任|委员|网格员|干部|妇女主任)|邻居|(?:他|她|他们)(?:的)?"
                          r"(?:儿子|闺女|女儿|侄子|侄女|孙子|外甥|姑娘|大姐|大哥))?")
_NAME_SUFFIX = re.compile(r"(?:就行了?|就中|就好|就成|就可以|行了|吧|啊|呀|哈|哦|呗)+$")
_SURNAME_ONLY = re.compile(r"^(?:免贵)?(?:我|俺)?姓(?!名)([\u4e00-\u9fff])$")
_NOT_A_NAME = re.compile(r"等会|等一下|稍等|等等|马上|不知道|不想说|不告诉|不说|算了|保密|不方便|为什么|干什么|干嘛|什么|怎么|你好|您好|谢谢|好的|是的"
                         r"|不是|可以|没有|低保|救助|申请|咨询|在吗|问一下|我要|我想|收到|明白|知道|随便|都行|没事|无所谓|匿名"
                         r"|本人|自己|老百姓|群众|村民|居民|农民|残疾|电话|手机|身份证|[镇乡村屯组]$|社区$|街道$"
                         # who the speaker is to the household ("俺是孩子大爷"), not what to call them
                         r"|孩子|儿子|闺女|女儿|孙子|孙女|侄子|侄女|外甥|亲戚|邻居|老伴|媳妇|对象|爱人|家属")
# A post said beside a surname ("我姓杜 妇女主任", "俺是支书 姓王") is how staff call them: 杜主任, 王书记
_POST = re.compile(r"(?:村里|村上|屯里|镇上|社区)?的?(?:妇女|村|副|第一|包村|驻村)?(主任|书记|支书|会计|村长|组长|队长|老师|大夫|医生)")
_POST_CALLED = {"支书": "书记", "医生": "大夫"}
# Characters that are words, not parts of a name: 嗯呐, 俺不识字, 孙子帮着打的, 叫啥都行.
_NOT_IN_NAMES = re.compile(r"[不没别甭的了吗呢吧嘛啊呀哦哈嗯呐嘞啥你我俺他她咱是就都也还着过么]")


def parse_mobile(text: str) -> str | None:
    """An 11-digit mainland mobile (1[3-9]…) or a landline with area code, as bare digits; else None.
    After a self-correction the number after it counts; a few digits there replace the end of the first
    ("13843456789 不对 尾号是6788")."""
    settled = after_correction(text or "")
    number = _phone(settled)
    if settled != text and number is None:
        first, tail = _phone(text[: len(text) - len(settled)]), re.findall(r"\d+", _digits(settled))
        if first and tail and 2 <= len(tail[-1]) < len(first):
            return first[: -len(tail[-1])] + tail[-1]
    return number or _phone(text or "") or _area_apart(text or "")


# "座机 7210345 区号0434": the area code said apart from the number (named as such)
_AREA = re.compile(r"(?<!\d)0[1-9]\d{1,2}(?!\d)")
_LOCAL = re.compile(r"(?<!\d)[2-9]\d{6,7}(?!\d)")


def _area_apart(text: str) -> str | None:
    if not re.search(r"区号|座机|固话", text):
        return None
    text = _digits(text)
    area, local = _AREA.search(text), _LOCAL.search(text)
    return area.group() + local.group() if area and local and _LANDLINE.fullmatch(area.group() + local.group()) else None


def _digits(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return _SPOKEN.sub(lambda m: m.group().translate(_SPOKEN_DIGITS), text)


def _phone(text: str) -> str | None:
    for run in _DIGIT_RUN.findall(_digits(text)):
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
    """A plausible Chinese name (2–4 characters, as typed: 张桂兰, 王大爷, 老李), a bare surname from 姓王, else None.
    In several parts the first name counts ("张凤霞 弓长张", "俺叫马秀云 大伙都叫俺马姐"), except that a
    surname alone gives way to the full name that follows it ("姓杨 叫杨树林")."""
    surname = post = None
    parts = _name_parts(after_correction(text or ""))
    for n, part in enumerate(parts):
        key = re.sub(r"[\W_]+", "", part)
        if re.search(r"\d", key) or _NOT_A_NAME.search(_NAME_SUFFIX.sub("", _NAME_PREFIX.sub("", key))):
            continue
        titled = _POST.fullmatch(re.sub(r"^(?:我|俺|咱)?(?:是|当)?", "", _NAME_SUFFIX.sub("", key)))
        if titled:
            post = post or titled.group(1)
            continue
        only = _SURNAME_ONLY.match(key)
        if only:
            surname = surname or only.group(1)
            continue
        name = _NAME_SUFFIX.sub("", _NAME_PREFIX.sub("", key))
        # up to four characters, or a longer name said alone (乌云其其格, 额尔敦毕力格: Mongolian names)
        longest = 6 if len(parts) == 1 and name == key else 4
        if re.fullmatch(rf"[\u4e00-\u9fff]{{2,{longest}}}", name) and not _NOT_IN_NAMES.search(name):
            later = next((m.group(1) for m in map(_SURNAME_ONLY.match, parts[n + 1:]) if m), None)
            if surname is None and later and len(name) == 2 and not name.startswith(later) and name[0] not in "老小":
                return later + name  # "国华 姓郑": the given name, then the surname
            if surname is None or name.startswith(surname) or name in (f"老{surname}", f"小{surname}"):  # 叫老马就行
                return name
    if surname and post:
        return surname + _POST_CALLED.get(post, post)
    return surname


def _name_parts(text: str) -> list[str]:
    """The parts of the message; single characters are spacing inside a name ("高 秀 兰", "张 桂兰")."""
    parts: list[str] = []
    for part in clauses(text):
        single = len(part) == 1 and not _NOT_IN_NAMES.match(part)
        if parts and len(parts[-1]) == 1 and part.startswith(parts[-1]) and len(part) > 1:
            parts[-1] = part  # "潘 潘立军": the surname said first, then the whole name
        elif parts and (len(parts[-1]) == 1 or single and not _NOT_IN_NAMES.search(parts[-1])):
            parts[-1] += part
        else:
            parts.append(part)
    return parts
