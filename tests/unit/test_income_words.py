"""Monthly income, word by word: each bound word, period, source, filler and unit a resident uses changes
the reading the way a caseworker would read it (bot/text/amounts.py). One row per word, so a word the
parser stops knowing fails its own row."""
import pytest

from bot.text.amounts import MoneyRange, parse_monthly_income


@pytest.mark.parametrize("text,low,high", [
    # below a bound: everything under it
    ("不到一千", 0, 999), ("不够一千", 0, 999), ("没到一千", 0, 999), ("没有一千", 0, 999), ("低于一千", 0, 999),
    ("少于一千", 0, 999), ("不足一千", 0, 999), ("一千以下", 0, 999), ("一千块以下", 0, 999),
    # at most: up to and with it
    ("不超过一千", 0, 1000), ("最多一千", 0, 1000), ("顶多一千", 0, 1000), ("一千以内", 0, 1000),
    ("一千之内", 0, 1000), ("八百块以内", 0, 800), ("八百元之内", 0, 800),
    # a bit more: up to half the last place
    ("一千多", 1000, 1499), ("八百多块", 800, 849), ("八百来块", 800, 849), ("一千出头", 1000, 1499), ("一千挂零", 1000, 1499), ("八百块挂零", 800, 849),
    ("三百五十多", 350, 354), ("一千块多一点", 1000, 1499), ("两千五多", 2500, 2549),
    # and up: up to the next step of the last place
    ("一千以上", 1000, 1999), ("八百块以上", 800, 899), ("两千五以上", 2500, 2599),
    # about: the amount itself
    ("一千左右", 1000, 1000), ("八百块左右", 800, 800),
])
def test_bound_words(text, low, high):
    assert parse_monthly_income(text) == MoneyRange(low, high)


@pytest.mark.parametrize("text,low,high", [
    ("1000到2000", 1000, 2000), ("1000至2000", 1000, 2000), ("1000-2000", 1000, 2000), ("1000~2000", 1000, 2000),
    ("1000～2000", 1000, 2000), ("1000—2000", 1000, 2000), ("1000–2000", 1000, 2000),
    ("1到2万", 10_000, 20_000), ("一到两千", 1000, 2000), ("五到八百", 500, 800), ("800到1千", 800, 1000),
    ("五六百块", 500, 600), ("七八千", 7000, 8000), ("一万五六", 15_000, 16_000), ("两三千块钱", 2000, 3000),
    # the first end borrows the second's unit, also when more follows it
    ("一到两千五", 1000, 2500), ("1到2.5千", 1000, 2500), ("两到三万五", 20_000, 35_000),
    ("一千到两三千", 1000, 3000),
])
def test_ranges(text, low, high):
    assert parse_monthly_income(text) == MoneyRange(low, high)


def test_a_range_whose_far_end_is_no_number_is_asked_again_not_guessed():
    assert parse_monthly_income("一千到千五") is None


@pytest.mark.parametrize("text,monthly", [
    # a year is twelve months
    ("每年三万", 2500), ("全年三万", 2500), ("年薪三万", 2500), ("年入三万", 2500), ("1年3万", 2500),
    ("一年到头三万", 2500), ("一年三万六", 3000), ("种地一年卖粮六千", 500),
    # a day is thirty
    ("天天八十块", 2400), ("一日一百", 3000), ("每日一百", 3000), ("日薪一百五", 4500),
    # a month is itself, and says the number is money
    ("一个月八百", 800), ("每个月八百", 800), ("月入八百", 800), ("1个月800", 800), ("每月八百", 800),
    # the first period said is the income's; a later one is about something else
    ("一个月也就一千八 他爸天天在医院陪护", 1800), ("一年也就三万六 每天都去医院", 3000),
])
def test_periods(text, monthly):
    assert parse_monthly_income(text) == MoneyRange(monthly, monthly)


@pytest.mark.parametrize("text,amount", [
    # a bare number is money when the message says it is income …
    ("挣八百", 800), ("赚八百", 800), ("工资八百", 800), ("薪水八百", 800), ("养老金八百", 800), ("退休金八百", 800),
    ("补助八百", 800), ("补贴八百", 800), ("低保八百", 800), ("进账八百", 800), ("拿八百", 800),
    # … or when nothing but filler surrounds it …
    ("八百", 800), ("一百", 100), ("大概八百", 800), ("大约八百", 800), ("差不多八百", 800), ("估计八百", 800),
    ("可能八百", 800), ("也就八百", 800), ("就八百", 800), ("八百吧", 800), ("八百啊", 800), ("八百呀", 800),
    ("八百呢", 800), ("八百的样子", 800), ("合一起八百", 800),
    # … or when it has a money unit
    ("就八百钱", 800), ("八百块", 800), ("八百元", 800),
])
def test_what_makes_a_number_money(text, amount):
    assert parse_monthly_income(text) == MoneyRange(amount, amount)


@pytest.mark.parametrize("text", [
    "九十", "俺家八百亩地", "住八百号", "吃饭八百", "第八百", "排第三百", "二〇二六",
])
def test_a_bare_number_among_other_words_is_not_money(text):
    assert parse_monthly_income(text) is None


@pytest.mark.parametrize("text", [
    "没什么收入", "没啥收入", "没有任何收入", "没有进项", "没进账", "没工资", "无收入", "零收入",
    "什么收入都没有", "一分进项也没有", "一分进账都没", "啥进项也没有", "什么进账都没", "一分也不挣",
    "收入为0", "收入是零", "零块", "一点收入都没有", "一点钱也没有", "一点进项都没", "一点也不挣",
])
def test_nothing_coming_in(text):
    assert parse_monthly_income(text) == MoneyRange(0, 0)


@pytest.mark.parametrize("text,total", [
    # each source on its own, added up
    ("打工一个月五百 低保三百", 800), ("打零工五百 低保三百", 800), ("种地一年六千 低保三百", 800),
    ("卖菜一个月二百 低保三百", 500), ("干活一个月六百 低保三百", 900), ("上班一个月两千 低保三百", 2300),
    ("养老保险一百二 低保三百", 420), ("房子租出去一个月二百 低保三百", 500), ("别的进项二百 低保三百", 500),
    ("亲戚接济二百 低保三百", 500),
    # split by a comma, a full stop, a Chinese comma, or a space after a figure
    ("低保三百，养老金一百", 400), ("低保三百。养老金一百", 400), ("低保三百、养老金一百", 400),
    ("低保300,养老金100", 400), ("低保300 养老金100", 400), ("低保三百;养老金一百", 400),
    ("低保 300 养老金 100", 400), ("低保 300，养老金 100", 400),
    # a debt or an expense beside a named source is not income
    ("低保三百 欠了两万块", 300), ("看病花了三万 低保三百", 300), ("孩子上学一年花两万 低保三百", 300),
    # a stated total wins over the parts
    ("低保三百 还有点零工 总共五百", 500), ("低保三百 还有点零工 一共五百", 500), ("低保三百 还有点零工 统共五百", 500),
    ("低保三百 还有点零工 拢共五百", 500), ("低保三百 还有点零工 合计五百", 500),
    ("低保三百 还有点零工 加起来五百", 500), ("低保三百 还有点零工 总的五百", 500),
])
def test_several_sources(text, total):
    assert parse_monthly_income(text) == MoneyRange(total, total)


@pytest.mark.parametrize("text,amount", [
    # "together" is not one yuan
    ("两个人养老金合一起三百", 300), ("两个人养老金算一块三百", 300), ("两个人养老金放一块三百", 300),
    ("两个人养老金搁一块儿三百", 300), ("两个人养老金加在一块三百", 300), ("两个人养老金算到一块三百", 300),
    # 仨千 is three thousand, 俩千 two
    ("仨千", 3000), ("俩千", 2000), ("仨百块", 300),
    # 一 typed by sound at the start
    ("大约以千五", 1500), ("差不多依千五", 1500), ("也就衣千五", 1500), ("就已千", 1000),
])
def test_spoken_and_typed_by_sound(text, amount):
    assert parse_monthly_income(text) == MoneyRange(amount, amount)
