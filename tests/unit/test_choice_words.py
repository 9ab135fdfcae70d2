"""The words behind negation, "none", the past and a change of mind, one natural answer each
(bot/forms/choices.py), so that no word drops out of a list unnoticed."""
from __future__ import annotations

import pytest

from bot.forms.prescreen import ASSET_CHOICES, BENEFIT_CHOICES, EVENT_CHOICES

NONE_OF_THESE = [
    "啥也没有", "什么都没有", "哪样也没有", "一样都没有", "一个也没有", "一项也不沾", "一点也没有", "全没有", "都没有",
    "这些都没有", "别的没有", "其他也没有", "其它也没有", "那倒没有", "现在没有", "目前没有", "最近没有", "这阵子没有",
    "这段时间没有", "暂时没有", "家里没有", "俺家没有", "我家没有", "俺们没有", "我们没有", "咱家没有", "真没有",
    "确实没有", "她没有", "他没有", "人家没有", "她家没有", "他家没有", "没", "无", "木有", "没得", "不占", "都不是",
    "够不上", "没遇到", "没遇上", "没赶上", "没摊上", "没有啊", "没有呀", "没有的", "没有了", "没有呢", "没有吧",
    "没有哈", "0", "哪还有啥", "哪有什么",
]


@pytest.mark.parametrize("text", NONE_OF_THESE)
def test_none_of_these_in_many_words(text):
    assert ASSET_CHOICES.parse(text, "0").value == []


@pytest.mark.parametrize("text", ["最近没出啥事", "这阵没遇到啥大事", "现在倒是没碰上什么事", "也没发生过啥事",
                                  "没摊上啥急事", "没赶上事", "没碰到啥事", "没遇上事", "最近没啥急事"])
def test_no_sudden_event_in_words(text):
    assert EVENT_CHOICES.parse(text, "0").value == "none"


@pytest.mark.parametrize("text", [
    "以前吃过低保 去年停了", "原来有低保 后来取消了", "过去吃低保 现在没了", "早先有低保 给停了", "之前吃低保 被停了",
    "曾经吃过低保 撤了", "前些年吃低保 去掉了", "那些年吃过低保 不给了", "早些年有低保 现在不给了",
    "从前有低保 后来不让吃了", "头些年吃过低保 停掉了",
])
def test_a_benefit_that_stopped_is_not_current(text):
    assert BENEFIT_CHOICES.parse(text, "0").value == []


@pytest.mark.parametrize("text,expected", [
    ("以前有车 卖了", []), ("原来开过饭店 黄了", []), ("以前存了钱 花光了", []), ("以前存的钱 花完了", []),
    ("以前有存款 看病花没了", []), ("原来开个小卖部 倒闭了", []), ("以前开店 关了", []), ("以前开过饭店 不干了", []),
    ("以前有套楼 拆了", []), ("以前开店 现在不开了", []), ("以前有养猪场 不养了", []), ("原来有车 卖掉了", []),
])
def test_assets_that_are_gone_are_not_counted(text, expected):
    assert ASSET_CHOICES.parse(text, "0").value == expected


@pytest.mark.parametrize("text", ["低保申请了还没批", "低保申请还没批下来", "低保没批", "低保正在申请", "低保在申请",
                                  "低保正申请呢", "低保申请着呢", "低保还没下来"])
def test_a_benefit_applied_for_is_not_yet_current(text):
    assert BENEFIT_CHOICES.parse(text, "0").value == []


@pytest.mark.parametrize("text", ["车没有", "车也没有", "车都没有", "车还没有", "存款早就没有", "车现在没有", "车去年卖了",
                                  "车前年卖了", "车已经卖了", "车给卖了", "车被卖了", "车让卖了", "车后来卖了", "车早都卖了",
                                  "存款没几个", "存款没多少", "存款不多", "车无", "车木有", "车没得", "车啥的没有",
                                  "车什么的没有", "车之类的没有", "车这些没有", "车那些没有", "车倒没有"])
def test_a_negation_after_the_word(text):
    assert ASSET_CHOICES.parse(text, "0").value == []


@pytest.mark.parametrize("text,expected", [
    ("没车 就有套楼", ["house"]), ("没车 只有个小卖部", ["business"]), ("没车 但有存款", ["savings"]),
    ("没车 可是有个小卖部", ["business"]), ("没车 可有存款", ["savings"]), ("没车 都是存款", ["savings"]),
    ("没车 还有个饭店", ["business"]), ("没车 倒是有存款", ["savings"]), ("没车 有存款", ["savings"]),
    ("没车 是有个小卖部", ["business"]),
])
def test_a_negation_stops_where_the_answer_turns(text, expected):
    assert ASSET_CHOICES.parse(text, "0").value == expected


@pytest.mark.parametrize("text", ["有个小面包 早卖了", "有车 没了", "有存款 不多", "有存款 没多少", "有存款 没几个",
                                  "有车 那也卖了", "有车 也卖了", "有车 都卖了", "有车 早就卖了", "有车 现在没了",
                                  "有车 去年卖了", "有车 前年卖了", "有车 已经卖了", "有车 后来卖了", "有车 被卖了",
                                  "有车 给卖了", "有车 让卖了", "有车 其实没有", "有车 不对 没有"])
def test_a_clause_that_takes_back_the_one_before(text):
    assert ASSET_CHOICES.parse(text, "0").value == []


@pytest.mark.parametrize("text,expected", [("没有汽车", []), ("无存款", []), ("不是做生意的", []),
                                           ("木有车", []), ("非开店的", []), ("哪有车", []), ("哪来的存款", []),
                                           ("哪养得起车", []), ("哪买得起楼房", []), ("哪开得起店", [])])
def test_a_negation_before_the_word(text, expected):
    assert ASSET_CHOICES.parse(text, "0").value == expected
