"""Household size as residents type it; money and unknown answers are not counts."""
import pytest

from bot.text.counts import parse_people_count


@pytest.mark.parametrize("text,count", [
    ("三口人", 3), ("3个人", 3), ("仨", 3), ("3", 3), ("３", 3), ("我们家五口", 5), ("一家四口", 4),
    ("就我一个", 1), ("就我自己", 1), ("一个人", 1), ("我一个人住", 1), ("就俺自己", 1), ("我自己", 1),
    ("俩人", 2), ("两个人吧", 2), ("老两口", 2), ("两口子", 2), ("我和老伴", 2), ("我跟我妈俩", 2),
    ("我们俩", 2), ("夫妻俩", 2), ("我们仨", 3), ("六口人", 6), ("家里5口人", 5), ("十二口人", 12),
    ("３口人", 3), ("一共4个人", 4), ("我家三口人，一个月两千", 3), ("20", 20),
])
def test_people_counts(text, count):
    assert parse_people_count(text) == count


@pytest.mark.parametrize("text", [
    "", "不知道", "2500", "三千", "两千五", "我", "0", "25口人", "21", "一个月两千", "3个孩子",
    "我和老伴还有儿子", "第3", "低保", "没有",
])
def test_not_people_counts(text):
    assert parse_people_count(text) is None
