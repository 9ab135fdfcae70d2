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
