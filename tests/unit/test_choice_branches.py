"""One answer for each word of choices.py's patterns that no other test reached (make mutation left them
alive in stop 20): "none of these" said every way, a benefit or an asset that stopped, a lone negator."""
from __future__ import annotations

import pytest

from bot.forms.prescreen import ASSET_CHOICES, BENEFIT_CHOICES, EVENT_CHOICES, MEMBER_CHOICES


@pytest.mark.parametrize("text", [
    "她哪有啥", "他哪有啥", "俺哪有啥", "我哪还有什么", "人家哪有啥",                       # 哪有啥: a question meaning none
    "这些倒没有", "那个倒没有", "那倒没有", "倒没有", "倒是没有", "这阵子倒没啥",          # who or what, then 倒
    "家里这些都没有", "没有这些", "没有那些", "全都没有", "什么都没有", "啥也没有", "啥全没有", "别的都没有",
    "他说啥也没有", "她说什么都没有", "人家说没有", "老人说没有",                           # what the one asked for said
    "好像啥也没有", "估计都没有", "应该没有",                                               # a hedged none is a none
    "没啥事", "没什么事", "没啥急事", "最近没出啥大事", "这阵没遇到啥事",
])
def test_none_of_these_said_every_way(text):
    assert EVENT_CHOICES.read(text).none and not EVENT_CHOICES.read(text).picked


@pytest.mark.parametrize("text", [
    "低保说停就停了 现在啥也没有", "低保咋说停就停了", "报了低保 还没下来", "低保还没批", "以前吃低保 去年取消了",
])
def test_a_benefit_that_stopped_or_never_came_is_not_current(text):
    assert "dibao" not in BENEFIT_CHOICES.read(text).picked


@pytest.mark.parametrize("text", [
    "有个车 撞毁了", "有个车 烧毁了", "有辆车 早报废了", "有个车 被水冲没了", "有个车 让人撞没了",
    "有个车 被火烧没了", "有个车 被大水冲没了", "有个车 被洪水冲没了",
])
def test_an_asset_that_is_gone_is_not_there(text):
    assert "car" not in ASSET_CHOICES.read(text).picked


@pytest.mark.parametrize("text", ["无 车 无 存款", "木有 车 木有 房", "没得 车 没得 存款", "不 开店", "没 车 没 存款"])
def test_a_negator_standing_alone_belongs_to_what_follows(text):
    reading = ASSET_CHOICES.read(text)
    assert not reading.picked and reading.denied


def test_the_longer_word_wins_where_two_start_together():
    assert BENEFIT_CHOICES.read("俺家是低保边缘户").picked == ("edge",)    # 低保边缘, not 低保 inside it
    assert ASSET_CHOICES.read("有个三轮车").picked == ()                   # a decoy hides 车 inside it
    assert set(MEMBER_CHOICES.read("孙子念小学").picked) == {"child", "student"}  # one word, two options


def test_a_clause_taking_back_a_person_takes_them_back():
    assert "disabled" not in MEMBER_CHOICES.read("老伴瘫了 前年没了").picked


@pytest.mark.parametrize("text,event", [("下冰雹了 窗户玻璃全砸了", "disaster"), ("着火了 房子也塌了", "fire"),
                                        ("让车撞了 腿骨折了 住院呢", "accident")])
def test_the_first_event_named_is_the_event(text, event):
    assert EVENT_CHOICES.parse(text, "1").value == event
