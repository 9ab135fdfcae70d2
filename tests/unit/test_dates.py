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
    ("大棚是十月初塌的 两个来月了", 57), ("11月上旬", 26), ("十一月中旬", 16), ("十月末", 34),
])
def test_days_since_a_day_named(text, days):
    assert days_since(text, TODAY) == days


@pytest.mark.parametrize("text", ["初一", "十五号", "3月", "两月前", "一月收入", "今年", "没有", "一年多了", "今年十二月底"])
def test_no_day_named(text):
    assert days_since(text, TODAY) is None


@pytest.mark.parametrize("text, when", [("十一月底", "recent"), ("十月初", "earlier"), ("11月20号那天", "recent"),
                                        ("上个月下旬 一个来月吧", "recent"), ("今年三月份", "earlier")])
def test_when_the_event_happened_by_the_calendar(text, when):
    parsed = PRESCREEN.question("event_when").parse(text, {**form_env(), "_today": TODAY})
    assert parsed.value == when
