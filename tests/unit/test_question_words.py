"""A question said mid-form, one natural question per question word (bot/text/questions.py), and the answers
that only look like questions, so that no word drops out of the list unnoticed."""
from __future__ import annotations

import pytest

from bot.text.questions import asks

# Each uses exactly one of the question words; none ends in 吗 or "?" (those would say it anyway).
QUESTIONS = [
    "这可咋办",                # 咋办
    "低保咋申请",              # 咋申请
    "这事咋整",                # 咋整
    "这个表咋弄",              # 咋弄
    "收入咋算",                # 咋算
    "俺家这是咋回事",          # 咋回事
    "俺这情况咋样",            # 咋样
    "咋还没批下来",            # 咋还
    "报的那个临时救助咋一直没信儿呢",  # 咋一直
    "俺家咋老轮不上",          # 咋老
    "咋总让俺跑",              # 咋总
    "咋没人来看看",            # 咋没
    "咋不给俺家办",            # 咋不
    "低保怎么申请",            # 怎么
    "怎样才能吃上低保",        # 怎样
    "低保和特困啥区别",        # 啥区别
    "低保跟特困有什么区别",    # 什么区别
    "为啥俺家不给",            # 为啥
    "为什么不给俺家批",        # 为什么
    "能不能快点批",            # 能不能
    "可不可以先办",            # 可不可以
    "俺这样行不行",            # 行不行
    "是不是得本人去",          # 是不是
    "申请有没有用",            # 有没有用
    "临时救助是啥",            # 是啥
    "特困供养是什么",          # 是什么
    "这个登记干啥用",          # 干啥
    "填这些干什么",            # 干什么
    "上哪儿办",                # 哪儿
    "去哪里交材料",            # 哪里
    "社区在哪",                # 在哪
    "不给办找谁",              # 找谁
    "一个月给多少",            # 多少
    "能给点钱不",              # 能…不
    "可以网上办不",            # 可以…不
    "会给俺打电话不",          # 会…不
    "要交钱不",                # 要…不
    "孩子上学有补助不 念高中那个",  # 有…不, closing one clause of two
    "能给报点不 俺家穷",       # 能…不, closing one clause of two
    "有车就不能吃低保吗",      # …吗
    "俺能办低保嘛",            # …嘛
    "这也算收入么",            # …么
    "有车也能吃低保?",         # a question mark at the end
    "有车也能吃低保？",
]


@pytest.mark.parametrize("text", QUESTIONS)
def test_a_question_is_not_an_answer(text):
    assert asks(text)


# Answers the form must take: none of them asks anything.
ANSWERS = [
    "啥也没有", "什么都没有", "没什么", "没多少", "不多少", "多少钱都没攒下", "车？没有", "车? 没有 就一套房",
    "一个月一千多", "俺家三口人", "俺也不知道咋说 反正没有", "要是算上儿子 四口",
    "儿子有时候管 有时候不", "有病 不能干活", "能干的活不多",
]


@pytest.mark.parametrize("text", ANSWERS)
def test_an_answer_is_not_a_question(text):
    assert not asks(text)
