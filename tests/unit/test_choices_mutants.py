"""Numbered options answered by number or in words (bot/forms/choices.py) and the place question
(bot/forms/places.py), on the answers where one bound, guard or word decides what is taken: each case is
one a mutation there used to get wrong unnoticed (tests/tools/mutation.py)."""
from __future__ import annotations

import pytest

from bot.forms.choices import Choices
from bot.forms.places import CANDIDATES, UNCLEAR_PLACE, parse_place, prefill_place, show_place
from bot.forms.prescreen import (ASSET_CHOICES, BENEFIT_CHOICES, DISABILITY, EVENT_CHOICES, MEMBER_CHOICES,
                                 SUPPORTER, WHEN, WHOSE)
from tests.evaluation.forms_env import townships


def value(choices: Choices, text: str):
    parsed = choices.parse(text, "1")
    return parsed.value if parsed.ok else ("error", parsed.error)


# ------------------------------------------------------------------------------------ by number

@pytest.mark.parametrize("text,members", [
    ("1 5", ["elderly", "ill"]), ("四和五", ["disabled", "ill"]), ("俺就选2", ["child"]), ("第三个", ["student"]),
    ("第2项", ["child"]), ("二、三", ["child", "student"]), ("１", ["elderly"]), ("7", ["unparented"]),
    ("0", []), ("2 2", ["child"]), ("1和5 不对 就1", ["elderly"]),
])
def test_members_by_number(text, members):
    assert value(MEMBER_CHOICES, text) == members


@pytest.mark.parametrize("text", ["8", "100", "10"])
def test_a_number_off_the_menu_is_not_taken(text):
    assert value(MEMBER_CHOICES, text)[0] == "error"


@pytest.mark.parametrize("text,whose", [("1", "self"), ("2", "relative"), ("第2项", "relative"), ("2 2", "relative")])
def test_one_answer_by_number(text, whose):
    assert value(WHOSE, text) == whose


@pytest.mark.parametrize("text,start", [("0", "没看明白"), ("3", "没看明白"), ("1 2", "请只选一个")])
def test_one_answer_menu_without_a_none_line(text, start):
    got = value(WHOSE, text)
    assert got[0] == "error" and got[1].startswith(start)


def test_the_menu_and_its_chips():
    assert ASSET_CHOICES.render().splitlines()[0] == "1 有汽车（不算农用车）"
    assert ASSET_CHOICES.render().splitlines()[-1] == "0 都没有" and "0 都没有" not in WHOSE.render()
    assert ASSET_CHOICES.chips()[0] == {"title": "有汽车（不算农用车）", "payload": "1", "multi": True}
    assert ASSET_CHOICES.chips()[-1] == {"title": "都没有", "payload": "都没有"}
    assert WHOSE.chips() == [{"title": "我自己家", "payload": "1"}, {"title": "帮亲戚、朋友、邻居问", "payload": "2"}]
    assert ASSET_CHOICES.label("car") == "有汽车（不算农用车）"


# ------------------------------------------------------------------------------------ in words

@pytest.mark.parametrize("text,assets", [
    ("没有车 就一套住房", []), ("没车但有楼房", ["house"]), ("车没有可开了个小卖部", ["business"]),
    ("哪还有车", []), ("哪能有存款", []), ("车？没有", []), ("有个面包车 早卖了", []), ("存款有 不多", []),
    ("就一辆车 别的没有", ["car"]), ("啥也没有", []), ("一样都没有", []),
])
def test_assets_in_words(text, assets):
    assert value(ASSET_CHOICES, text) == assets


@pytest.mark.parametrize("text,benefits", [
    ("以前吃过低保 去年停了", []), ("去年被取消了", []), ("吃低保", ["dibao"]), ("五保户", ["tekun"]),
])
def test_benefits_in_words(text, benefits):
    assert value(BENEFIT_CHOICES, text) == benefits


@pytest.mark.parametrize("choices,text,picked", [
    (SUPPORTER, "没 儿 没 女", "none"),                       # spaces between every word
    (SUPPORTER, "没有子女 就一个兄弟 也七十多了", "poor"),      # who there is counts over 没有
    (EVENT_CHOICES, "下冰雹了 窗户玻璃全砸了", "disaster"),    # one event, told with what it did
    (DISABILITY, "以前是四级 今年评成二级了", "severe"),        # what holds now wins
    (WHEN, "去年", "earlier"),
])
def test_one_answer_in_words(choices, text, picked):
    assert value(choices, text) == picked


def test_a_question_back_is_not_an_answer():
    assert value(ASSET_CHOICES, "有车吗")[1].startswith("这个问题")


# ------------------------------------------------------------------------------------ the place question

@pytest.fixture(scope="module")
def places():
    return {"_townships": townships()}


def test_a_shared_village_name_lists_the_townships_to_pick_from(places):
    parsed = parse_place("团结", places)
    assert not parsed.ok and parsed.error.splitlines()[1:] == ["1 辽南街道团结社区", "2 王奔镇团结村"]
    assert parsed.error.startswith("“团结”好几个地方都有")
    assert parsed.also[CANDIDATES] == [{"code": "220382003", "place": "团结社区", "urban": True},
                                       {"code": "220382104", "place": "团结村", "urban": False}]


@pytest.mark.parametrize("text,code,place,urban", [
    ("2", "220382104", "团结村", False), ("第一个", "220382003", "团结社区", True), ("1", "220382003", "团结社区", True),
])
def test_the_township_picked_by_number(places, text, code, place, urban):
    pending = parse_place("团结", places).also[CANDIDATES]
    parsed = parse_place(text, {**places, CANDIDATES: pending})
    assert parsed.ok and parsed.also == {CANDIDATES: None}
    assert (parsed.value["code"], parsed.value["place"], parsed.value["urban"], parsed.value["text"]) == \
        (code, place, urban, text)


@pytest.mark.parametrize("text", ["3", "0"])
def test_a_number_off_the_township_list_is_asked_again(places, text):
    pending = parse_place("团结", places).also[CANDIDATES]
    assert parse_place(text, {**places, CANDIDATES: pending}).error.startswith("没找到这个地方")


def test_not_knowing_ends_the_choice(places):
    pending = parse_place("团结", places).also[CANDIDATES]
    parsed = parse_place("不知道", {**places, CANDIDATES: pending})
    assert parsed.value["code"] is None and parsed.value["text"] == "不知道" and parsed.also == {CANDIDATES: None}


def test_the_place_shown_in_the_summary(places):
    assert show_place(UNCLEAR_PLACE) == "没说清（转市民政局再分到乡镇）" and show_place("秀水村") == show_place(UNCLEAR_PLACE)
    assert show_place(parse_place("双山镇秀水村", places).value) == "双山镇秀水村"
    assert show_place(parse_place("辽南街道", places).value) == "辽南街道"


def test_a_long_answer_is_kept_to_sixty_characters(places):
    text = "俺家住双山镇秀水村" + "，就在村东头那个大坝底下" * 6
    assert parse_place(text, places).value["text"] == text[:60]


def test_the_opening_names_the_place(places):
    found = prefill_place("俺是卧虎镇同乐村的 家里着火了", places["_townships"])
    assert (found["code"], found["place"], found["office"]) == ("220382102", "同乐村", "卧虎镇人民政府社会救助窗口")
    assert prefill_place("团结", places["_townships"]) is None and prefill_place("俺想申请低保", places["_townships"]) is None


# ------------------------------------------------------------------------------------ "none of these" in words

@pytest.mark.parametrize("text", [
    "哪还有啥", "哪有什么", "目前啥也没有", "最近啥也没有", "这阵子啥也没有", "这段时间啥也没有", "暂时啥也没有",
    "俺家啥也没有", "我家啥也没有", "俺们啥也没有", "我们啥也没有", "咱家啥也没有", "真啥也没有", "确实啥也没有",
    "她啥也没有", "他啥也没有", "人家啥也没有", "她家啥也没有", "他家啥也没有", "哪样也没有", "哪个都没有",
    "一个也没有", "一项也没有", "一点也没有", "别的也没有", "其他都没有", "其它都没有", "全没有", "啥也木有",
    "啥也没得", "一样也不占", "哪个也不是", "啥也够不上", "没有这些", "没有那些", "啥也没有啊", "啥也没有的",
    "啥也没有了",
])
def test_no_assets_said_in_words(text):
    assert value(ASSET_CHOICES, text) == []


@pytest.mark.parametrize("text", [
    "啥也没遇到", "啥也没遇上", "啥也没赶上", "没有啥事", "没有什么事", "没啥急事", "没有急事", "没事", "最近没出啥事",
    "这阵没遇到啥事", "现在也没碰到啥事", "倒是没碰上啥大事", "没发生过啥事", "没摊上过啥事", "也没赶上啥事",
])
def test_no_sudden_event_said_in_words(text):
    assert value(EVENT_CHOICES, text) == "none"


# ------------------------------------------------------------------------------------ denied, stopped, taken back
# Each negation, "before" and "stopped" word, before the option word, after it, or in the next clause.

@pytest.mark.parametrize("text", [
    "没汽车", "无存款", "不开店", "木有车", "非开店的", "哪有存款", "哪来的存款", "哪养得起车", "哪买得起车", "哪开得起店", "哪能有存款", "哪还有车", "车卖了", "车卖掉了",
    "小卖部黄了", "存款花光了", "存款花完了", "存款花没了", "饭店倒闭了", "小卖部关了", "饭店不干了", "小卖部不开了", "养猪场不养了", "存款没几个", "存款没多少", "存款不多",
    "车也没", "车还没有", "车早没了", "车倒没有", "车早就没了", "车现在没了", "车去年卖了", "车前年卖了", "车已经卖了", "车给卖了", "车让卖了", "车后来卖了", "车早都卖了",
    "汽车木有", "车不是", "车没得", "店没开", "车没买", "车啥的也没有", "车什么的都没有", "车之类的没有", "车这些都没有", "车那些都没有", "有个车 其实没有", "有个车 那也早卖了",
    "有个面包车 早就卖了", "有个车 现在没了", "有个车 去年卖了", "有个车 前年卖了", "有个车 已经卖了", "有个车 后来卖了", "有个车 都卖了", "有个车 也卖了", "有存款 不多",
    "有存款 没多少", "有存款 没几个", "有个车 没了", "没有车 不是开店的",
])
def test_assets_denied_or_no_longer_there(text):
    assert value(ASSET_CHOICES, text) == []


@pytest.mark.parametrize("text,left", [
    ("没车就有个小卖部", ["business"]), ("没车只有存款", ["savings"]), ("没车但有楼房", ["house"]), ("没车可有存款", ["savings"]),
    ("没车有存款", ["savings"]), ("没有车 是开小卖部的", ["business"]), ("车没有 存款有点", ["savings"]),
])
def test_assets_a_denial_stops_at_the_next_thing_said(text, left):
    assert value(ASSET_CHOICES, text) == left


@pytest.mark.parametrize("text", [
    "原来吃低保 后来停了", "过去吃低保 现在没了", "早先吃过低保 给停了", "之前吃过低保 取消了", "曾经吃过低保 撤了", "前些年吃低保 停掉了", "那些年吃低保 后来不给了",
    "早些年吃过低保 被停了", "从前吃低保 去掉了", "头些年吃低保 不让吃了", "低保停了", "低保停掉了", "低保取消了", "低保撤了", "低保没了", "低保不给了", "低保不让吃了",
    "低保现在没有", "低保后来不给", "低保给停了", "低保被停了", "低保去掉了", "低保申请了还没批", "低保申请还没批", "低保没批", "低保正在申请", "低保在申请", "低保正申请呢",
    "低保申请着呢", "低保还没下来", "低保没吃过", "低保没享受过", "低保没领过", "低保没办", "低保没评上", "低保没批着", "吃低保 被停了", "吃低保 给停了", "吃低保 让取消了",
    "去年取消了",
])
def test_benefits_denied_or_no_longer_there(text):
    assert value(BENEFIT_CHOICES, text) == []
