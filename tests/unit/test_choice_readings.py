"""How far a word's negation reaches, and which words say "none", "before" and "stopped" in an answer to a
numbered question (bot/forms/choices.py): one natural answer per word, each one that only this word reads
right (test_choice_words.py has the answers that several words read alike)."""
from __future__ import annotations

import pytest

from bot.forms.prescreen import (ASSET_CHOICES, BENEFIT_CHOICES, DISABILITY, EVENT_CHOICES, MEMBER_CHOICES,
                                 SUPPORTER, WHOSE)


def value(choices, text):
    parsed = choices.parse(text, "0")
    assert parsed.ok, f"{text!r}: {parsed.error}"
    return parsed.value


# "None of these" in words no other rule reads as none: the take-back rule reads any clause that starts
# with 没有/没了/现在没…, so these start with something else, or end on a particle.
@pytest.mark.parametrize("text", [
    "那没有", "倒没有", "这阵没有", "哪个也不沾", "全都没有", "这些全没有", "俺家没有这些", "家里没有那些",
    "啥都没了", "都不是的", "都不是啊", "啥也没呀", "一样也没有哇", "啥也没有呢", "啥也没有吧", "啥也没有哈",
])
def test_none_of_these_in_words_only_the_none_rule_reads(text):
    assert value(ASSET_CHOICES, text) == []


@pytest.mark.parametrize("text", [
    "这阵啥也没摊上", "家里没什么事", "家里没啥急事", "俺家没有急事", "家里没事", "没遇上啥大事", "没摊上啥大事",
    "没赶上啥大事", "最近没出啥急事", "倒没出啥事",
])
def test_no_sudden_event_in_more_words(text):
    assert value(EVENT_CHOICES, text) == "none"


@pytest.mark.parametrize("choices", [SUPPORTER, DISABILITY], ids=["supporter", "disability"])
def test_a_zero_where_the_menu_has_none_is_its_no_option(choices):
    assert value(choices, "0") == "none"  # "没有" / "还没办残疾证" are options there, not a 0 line


# A question asked back is a no ("哪还有车" = "where would I get a car"), also where 有 would turn the answer.
@pytest.mark.parametrize("choices,text,expected", [
    (ASSET_CHOICES, "哪还有车", []), (ASSET_CHOICES, "哪能有存款", []), (ASSET_CHOICES, "俺家哪还有啥存款", []),
    (ASSET_CHOICES, "俺哪能买得起车", []), (ASSET_CHOICES, "哪能有车 就一套房", []), (BENEFIT_CHOICES, "哪还有低保", []),
])
def test_a_question_asked_back_denies(choices, text, expected):
    assert value(choices, text) == expected


# Typed without a break: the negation stops where the answer turns (with a break, test_choice_words.py).
@pytest.mark.parametrize("choices,text,expected", [
    (ASSET_CHOICES, "没车就一个小卖部", ["business"]), (ASSET_CHOICES, "没车只开个小卖部", ["business"]),
    (ASSET_CHOICES, "没车但存了点钱", ["savings"]), (ASSET_CHOICES, "车没有可开了个小卖部", ["business"]),
    (ASSET_CHOICES, "没车有点存款", ["savings"]), (BENEFIT_CHOICES, "不是低保是特困", ["tekun"]),
])
def test_a_negation_stops_where_the_answer_turns_in_one_breath(choices, text, expected):
    assert value(choices, text) == expected


# What held before and holds no more ("以前…" with what ended it, or a clause that ends it).
@pytest.mark.parametrize("choices,text", [
    (ASSET_CHOICES, "以前有个车 去年就没了"), (ASSET_CHOICES, "存款早花没了"), (ASSET_CHOICES, "以前开个小卖店 不开了"),
    (BENEFIT_CHOICES, "低保以前吃过 现在没吃了"), (BENEFIT_CHOICES, "以前吃低保 现在不吃了"),
    (BENEFIT_CHOICES, "以前吃低保 后来没吃了"), (BENEFIT_CHOICES, "以前吃低保 后来不吃了"),
    (BENEFIT_CHOICES, "以前吃过低保 不让吃了"), (BENEFIT_CHOICES, "以前吃低保 去年被停保了"),
    (BENEFIT_CHOICES, "以前吃低保 给停保了"), (BENEFIT_CHOICES, "低保申请了 没批下来"),
])
def test_what_stopped_does_not_count(choices, text):
    assert value(choices, text) == []


@pytest.mark.parametrize("text", [
    "以前是四级 今年评成二级了", "原来是四级 今年评成二级了", "过去是三级 现在是二级", "早先评的四级 去年改成二级了",
    "之前是三级 现在一级", "曾经评过四级 现在是二级", "前些年是三级 今年重新评的二级", "那些年是四级 现在二级了",
    "早些年办的四级 后来换证成二级了", "从前是三级 现在二级", "头些年是四级 现在是二级",
])
def test_what_holds_now_wins_over_what_held_before(text):
    assert value(DISABILITY, text) == "severe"


# Words inside words: a decoy hides the option word in it, a longer word the shorter one of another option,
# and one word may name two options.
@pytest.mark.parametrize("choices,text,expected", [
    (ASSET_CHOICES, "三轮车和小汽车都有", ["car"]),     # 三轮车 is none; 汽车 after it still counts
    (SUPPORTER, "儿子管不了", "poor"),                  # 管不了, not 管
    (MEMBER_CHOICES, "孙子上小学", ["child", "student"]),
])
def test_words_inside_words(choices, text, expected):
    assert value(choices, text) == expected


@pytest.mark.parametrize("choices,text,expected", [(BENEFIT_CHOICES, "低 保", ["dibao"]),
                                                   (BENEFIT_CHOICES, "吃 低 保", ["dibao"]),
                                                   (ASSET_CHOICES, "有 存 款", ["savings"])])
def test_a_space_between_every_character(choices, text, expected):
    assert value(choices, text) == expected


@pytest.mark.parametrize("text,only", [("就有辆车 别的没有", True), ("有辆车", False), ("还有存款", False),
                                       ("啥也没有", False)])
def test_an_answer_that_says_it_is_all_there_is(text, only):
    # a correction "就有辆车 别的没有" replaces the list; "还有存款" adds to it (prescreen._choice_correction)
    assert ASSET_CHOICES.read(text).only is only


def test_two_options_named_for_a_one_answer_question_ask_for_one():
    parsed = SUPPORTER.parse("儿子能管 闺女也困难", "1")
    assert not parsed.ok and parsed.error.startswith("请只选一个")


def test_none_where_the_menu_has_no_such_option_is_asked_again():
    assert not WHOSE.parse("都不是", "1").ok


def test_a_word_that_itself_says_it_stopped_is_not_denied_by_the_past():
    # "不给了" is the option (the children stopped giving), not a past option taken back
    assert value(SUPPORTER, "儿子以前就不给了") == "refuses"
