"""Days since a day named on the calendar, as the time of a sudden event is told ("十月初", "11月20号")."""
from __future__ import annotations

from datetime import date

import pytest

from bot.forms.prescreen import PRESCREEN
from bot.text.dates import days_since
from tests.evaluation.forms_env import form_env

TODAY = date(2026, 12, 1)


@pytest.mark.parametrize("text, days", [
    ("十月初", 57), ("十一月底", 3), ("11月20号", 11), ("十一月二十号", 11), ("上个月下旬", 6), ("上个月15号", 16),
    ("这个月初", 0), ("去年十月", 412), ("今年三月份", 261), ("十二月十号", 356),  # a day still to come is last year's
    ("上个月", 16), ("这个月", 0),  # a month alone is its middle: "上个月" said on the 1st is two weeks ago
    ("十一月中", 16), ("本月初", 0), ("十二月一号", 0), ("今年十二月一号", 0), ("十一月三十号", 1),
    ("十一月三十一号", None), ("13月5号", None), ("十一月零号", None),  # no such day
    ("这月底", 0), ("13月5号 11月20号", 11), ("十一月三十一号 是十一月二十号", 11),  # the first real day counts
    ("大棚是十月初塌的 两个来月了", 57), ("11月上旬", 26), ("十一月中旬", 16), ("十月末", 34),
])
def test_days_since_a_day_named(text, days):
    assert days_since(text, TODAY) == days


def test_last_month_said_in_january_is_last_years_december():
    assert days_since("上个月", date(2027, 1, 10)) == 26 and days_since("上个月底", date(2027, 1, 10)) == 13
    assert days_since("二月底", date(2028, 3, 1)) == 2  # 28 Feb in a leap year
    assert days_since("一月十号", date(2027, 2, 1)) == 22


@pytest.mark.parametrize("text", ["初一", "十五号", "3月", "两月前", "一月收入", "今年", "没有", "一年多了", "今年十二月底"])
def test_no_day_named(text):
    assert days_since(text, TODAY) is None


@pytest.mark.parametrize("text, when", [("十一月底", "recent"), ("十月初", "earlier"), ("11月20号那天", "recent"),
                                        ("上个月下旬 一个来月吧", "recent"), ("今年三月份", "earlier")])
def test_when_the_event_happened_by_the_calendar(text, when):
    parsed = PRESCREEN.question("event_when").parse(text, {**form_env(), "_today": TODAY})
    assert parsed.value == when


@pytest.mark.parametrize("text, when", [("上个月初 一个多月了", "earlier"),  # the span, reckoned from now, wins
                                        ("十一月底", "recent"), ("11月20号那天", "recent")])  # 十一月 is no span
def test_a_span_said_wins_over_the_calendar(text, when):
    parsed = PRESCREEN.question("event_when").parse(text, {**form_env(), "_today": TODAY})
    assert parsed.value == when
