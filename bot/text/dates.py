"""Days since a day named on the calendar: "十月初", "11月20号", "上个月下旬"; a month alone is its middle
("上个月" said on the 1st is about two weeks ago). "去年腊月" is not read (lunar)."""
from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date

from bot.text.numbers import chinese_small_int

_NUMBER = r"\d{1,2}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九十]"
_DAY_OF = re.compile(rf"(去年|今年|上个?月|这个?月|本月)?(?:({_NUMBER})月(份)?)?"
                     rf"(初|上旬|中旬|中|下旬|底|末|({_NUMBER})\s*[号日])?")
_PART = {"初": 5, "上旬": 5, "中旬": 15, "中": 15, "下旬": 25, "底": 28, "末": 28}


def days_since(text: str, today: date | None = None) -> int | None:
    """Whole days from the day named to `today` (default: the date now); None if no day of a month is named.
    A month later than this one is last year's ("十一月底" said in March)."""
    today = today or date.today()
    for match in _DAY_OF.finditer(unicodedata.normalize("NFKC", text)):
        which, month_said, whole_month, part, day_said = match.groups()
        if month_said is None and (which is None or which == "今年") or not part and not whole_month and (
                which is None and month_said is not None):
            continue  # "初一", "15号" alone: no month to place it in; "两月" may be a span, "三月份" is a month
        month = chinese_small_int(month_said) if month_said else today.month - (1 if which.startswith("上") else 0)
        day = chinese_small_int(day_said) if day_said else _PART[part] if part else 15  # a month alone: its middle
        year = today.year - (1 if which == "去年" else 0)
        if month == 0:  # "上个月" said in January
            month, year = 12, year - 1
        if not month or not 1 <= month <= 12 or not day:
            continue
        when = _day(year, month, day)
        if when is None:
            continue
        if when > today and which in ("这月", "这个月", "本月"):
            return 0  # "这个月底" said on the 1st: this month, so within it
        if when > today and which != "今年":
            when = _day(year - 1, month, day)
        return (today - when).days if when is not None and when <= today else None  # "今年十二月底" on the 1st
    return None


def _day(year: int, month: int, day: int) -> date | None:
    """The date, or None for a day the month does not have (十一月三十一号); 底 (28) fits every month."""
    return date(year, month, day) if day <= calendar.monthrange(year, month)[1] else None
