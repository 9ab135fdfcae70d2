"""Every Chinese numeral residents type, one by one: menu choices (bot/text/numbers.py) and amounts
(bot/text/amounts.py) read each digit and unit as its own value, not its neighbour's."""
import pytest

from bot.text.amounts import parse_chinese_number
from bot.text.numbers import chinese_small_int, parse_choice

# The value of each numeral, as a person knows it (not read from the module's tables).
DIGITS = [("零", 0), ("〇", 0), ("一", 1), ("幺", 1), ("二", 2), ("两", 2), ("俩", 2), ("三", 3), ("仨", 3),
          ("四", 4), ("五", 5), ("六", 6), ("七", 7), ("八", 8), ("九", 9)]


@pytest.mark.parametrize("numeral,value", DIGITS)
def test_each_numeral_alone(numeral, value):
    assert chinese_small_int(numeral) == value


PLAIN = [(n, v) for n, v in DIGITS if n in "一二三四五六七八九"]  # the ones that stand inside a longer numeral


@pytest.mark.parametrize("numeral,value", PLAIN)
def test_each_numeral_as_the_ones_after_ten(numeral, value):
    assert chinese_small_int("十" + numeral) == 10 + value


@pytest.mark.parametrize("numeral,value", [(n, v) for n, v in PLAIN if v >= 2])
def test_each_numeral_as_the_tens(numeral, value):
    assert chinese_small_int(numeral + "十") == value * 10
    assert chinese_small_int(numeral + "十五") == value * 10 + 5


@pytest.mark.parametrize("token,value", [
    ("十", 10), ("一十", 10), ("十一", 11), ("四十七", 47), ("七十四", 74), ("九十九", 99), ("0", 0), ("20", 20),
])
def test_tens_and_digits(token, value):
    assert chinese_small_int(token) == value


@pytest.mark.parametrize("token", ["五六", "十五六", "二三十", "十十", "百", "一百", "三个", "", "十个"])
def test_not_a_small_number(token):
    assert chinese_small_int(token) is None


@pytest.mark.parametrize("text,value", [
    # each way of saying "I pick" before the number
    ("选3", 3), ("我选3", 3), ("选择3", 3), ("要3", 3), ("回复3", 3),
    # each counter after it, and each particle at the end
    ("3个", 3), ("3项", 3), ("3号", 3), ("3条", 3), ("3吧", 3), ("3呗", 3), ("3啊", 3), ("第3个吧", 3),
    # Chinese numerals, one per digit
    ("第一个", 1), ("幺", 1), ("选二", 2), ("俩", 2), ("仨", 3), ("四", 4), ("要五", 5), ("六号", 6), ("七", 7),
    ("八吧", 8), ("九", 9), ("十", 10), ("十九", 19), ("二十", 20), ("20", 20), ("第十五项", 15),
    # what the keyboard and the voice input add
    ("３", 3), ("3 。", 3), ("3！", 3), ("3,", 3), ("４号", 4),
])
def test_every_way_to_pick_an_option(text, value):
    assert parse_choice(text) == value


@pytest.mark.parametrize("text", [
    "零", "〇", "21", "二十一", "九十九", "100", "选", "三口人", "我选低保", "选3和4", "第三个孩子", "要3个月",
    "3块", None,
])
def test_not_a_menu_choice(text):
    assert parse_choice(text) is None


# ------------------------------------------------------------------------- amounts: the same numerals, bigger

@pytest.mark.parametrize("numeral,value", PLAIN + [("两", 2)])
def test_each_numeral_in_hundreds_thousands_and_tens_of_thousands(numeral, value):
    assert parse_chinese_number(numeral + "百") == value * 100
    assert parse_chinese_number(numeral + "千") == value * 1000
    assert parse_chinese_number(numeral + "万") == value * 10_000


@pytest.mark.parametrize("numeral,value", PLAIN)
def test_each_numeral_after_a_unit(numeral, value):
    assert parse_chinese_number("一千" + numeral) == 1000 + value * 100  # 一千四 = 1400, said short
    assert parse_chinese_number("一千零" + numeral) == 1000 + value      # 一千零四 = 1004


@pytest.mark.parametrize("token,value", [
    ("一千〇五", 1005), ("三百〇八", 308), ("一千〇十", 1010), ("一千零十", 1010), ("十", 10), ("一百", 100), ("一千", 1000), ("一万", 10_000),
    ("一亿", 100_000_000), ("两亿三千万", 230_000_000), ("三千万", 30_000_000), ("一百万", 1_000_000),
    ("十二万", 120_000), ("三十", 30), ("四百二", 420), ("七千零七十", 7070), ("一万零八", 10_008),
    ("0.5万", 5000), ("1.2千", 1200), ("五十", 50), ("六万七千八百九十", 67_890),
])
def test_units_and_their_order(token, value):
    assert parse_chinese_number(token) == value


@pytest.mark.parametrize("token", [
    "百五", "千三", "三百五千", "万三", "亿", "一千二三", "十百", "一.五千", "1.25", "两个", "五六十",
])
def test_not_one_amount(token):
    assert parse_chinese_number(token) is None
