"""Monthly income: the words and rules a mutation run of bot/text/amounts.py left untested (a table entry,
a regex branch, a bound or a number could change and no test failed). Each row pins one of them down with
an answer as a resident would type it where one exists; the row's group comment says what it guards."""
import pytest

from bot.text.amounts import MoneyRange, parse_chinese_number, parse_monthly_income


@pytest.mark.parametrize("text,low,high", [
    # a bound word between the figure and 钱 still bounds it (the word before the unit, not only after it)
    ("八百挂零钱", 800, 849), ("八百以下钱", 0, 799), ("八百以内钱", 0, 800), ("八百之内钱", 0, 800),
    ("八百以上钱", 800, 899), ("八百左右钱", 800, 800),
    # 左右 after 多 is filler, so the figure is still bare money
    ("八百多左右", 800, 849),
])
def test_bound_word_next_to_the_unit(text, low, high):
    assert parse_monthly_income(text) == MoneyRange(low, high)


@pytest.mark.parametrize("text,low,high", [
    # 加一块 said first leaves only filler around the figure
    ("加一块儿 也就八百", 800, 800),
    # 收入是0 is nothing, also when a counting word follows the 0 in one run of words
    ("收入是0月月靠亲戚接济", 0, 0),
    # a figure of 0 is an amount, not a lone word to drop
    ("0收入", 0, 0), ("0吧", 0, 0),
])
def test_zero_and_filler(text, low, high):
    assert parse_monthly_income(text) == MoneyRange(low, high)


@pytest.mark.parametrize("text,low,high", [
    # each word for letting land names a source of its own beside another
    ("一年下来 地包出去两千四 养老金三千六", 500, 500), ("一年下来 地包给别人两千四 养老金三千六", 500, 500),
    ("一年下来 果园让人承包了两千四 养老金三千六", 500, 500), ("一年下来 地流转了两千四 养老金三千六", 500, 500),
])
def test_land_let_out_is_a_source(text, low, high):
    assert parse_monthly_income(text) == MoneyRange(low, high)


@pytest.mark.parametrize("text,low,high", [
    # a denied figure goes with its unit, so the unit is not left in front of the figure meant
    ("没有五百块钱 也就三百", 300, 300), ("没有五百块 也就三百", 300, 300), ("没有五百元 也就三百", 300, 300),
    ("不到一千钱 也就八百", 800, 800),
])
def test_denied_figure_with_its_unit(text, low, high):
    assert parse_monthly_income(text) == MoneyRange(low, high)


@pytest.mark.parametrize("text,low,high", [
    # 十多个月: about, for the months worked
    ("出去打工十多个月 一个月三千", 2500, 3000),
    # 俩月没…: months gone, not months worked
    ("儿子出去打工俩月没回来 一个月挣三千", 3000, 3000),
    # eleven months is still part of the year
    ("出去打工11个月 一个月三千", 2750, 2750),
    # the first months worked said are the earner's; a later 上班俩月 is someone else's start
    ("他冬天出去干仨月 一个月四千 闺女上班俩月了 一个月两千", 3000, 3000),
    # thirty-one days worked in a month
    ("一天一百 上个月干了31天", 3100, 3100),
])
def test_months_and_days_worked(text, low, high):
    assert parse_monthly_income(text) == MoneyRange(low, high)


@pytest.mark.parametrize("text,household,low,high", [
    # per head with the household unknown: one head
    ("低保一人二百", None, 200, 200),
    # "nothing else" beside a named source is not nothing
    ("别的啥也没有 就养老金 俺一百五 老伴一百五", None, 300, 300),
    # a monthly figure right after a source named on its own is that source, not the sum of all before
    ("养老金三百来块 种地一年三千 闺女一个月给二百 还有低保 一个月就三百", None, 1050, 1099),
])
def test_heads_nothing_else_and_sums(text, household, low, high):
    assert parse_monthly_income(text, household) == MoneyRange(low, high)


@pytest.mark.parametrize("text,low,high", [
    # the first end keeps its own 万 and does not borrow the second's
    ("一年一万二到三万", 1000, 2500),
    # a spoken pair as the first end borrows the unit from its low digit
    ("一两到三千", 1000, 3000),
    # a two-digit figure after a unit is literal (3千500 says 500)
    ("退休金2千10块", 2010, 2010),
    # not even one yuan is nothing
    ("一个月没有一块钱进项", 0, 0),
    # 〇 typed for 零 before a word is the word (零工), not a zero income
    ("打〇工一个月八百", 800, 800),
    # a spoken range running from a lone digit to ten is money
    ("捡破烂一天挣五到十", 150, 300),
])
def test_figures(text, low, high):
    assert parse_monthly_income(text) == MoneyRange(low, high)


@pytest.mark.parametrize("text,amount", [
    # a lone 九 (九几年) is a word, not nine yuan
    ("九几年就吃低保了 一个月三百", 300),
])
def test_a_lone_digit_word_is_not_money(text, amount):
    assert parse_monthly_income(text) == MoneyRange(amount, amount)


@pytest.mark.parametrize("text", [
    # a bare 99 is under a hundred: not taken as money
    "九十九",
    # two figures that are not neighbours are no spoken range
    "一个月四六百块",
    # a pair whose ends are no numbers (units in the wrong order)
    "一个月三百五六千",
    # a run of units past any float
    "一" + "亿" * 40,
])
def test_asked_again_not_guessed(text):
    assert parse_monthly_income(text) is None


@pytest.mark.parametrize("text,at_least,at_most", [
    # 二十多千 is thousands, never twenty-odd yuan (asked again if not read)
    ("一年挣二十多千", 1000, None),
    # 两百三百 is never added up to 五百 (asked again if not read)
    ("养老金两百三百的", None, 300),
])
def test_never_read_out_of_scale(text, at_least, at_most):
    read = parse_monthly_income(text)
    assert read is None or ((at_least is None or read.low >= at_least) and (at_most is None or read.high <= at_most))


@pytest.mark.parametrize("token,value", [
    # 万亿 multiplies the whole, not only what follows 万
    ("一万亿", 10 ** 12),
    # a fraction of a yuan, however small, is no whole amount
    ("0.000000001", None),
])
def test_number_words(token, value):
    assert parse_chinese_number(token) == value
