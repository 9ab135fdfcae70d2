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
    ("一千多", 1000, 1499), ("八百多块", 800, 849), ("八百来块", 800, 849), ("一千出头", 1000, 1499), ("一千挂零", 1000, 1499), ("三五千", 3000, 5000), ("三五百块", 300, 500), ("八百块挂零", 800, 849),
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


@pytest.mark.parametrize("text,household,low,high", [
    # a bound word after the unit counts as well as one before it
    ("两千块多", None, 2000, 2499), ("低保八百块挂零", None, 800, 849), ("一个月五百块以下", None, 0, 499),
    ("一千块以内", None, 0, 1000), ("一千块之内", None, 0, 1000), ("一千块以上", None, 1000, 1999),
    ("五百块钱以下", None, 0, 499),
    # a monthly word after a correction keeps its own period, not the year said before
    ("年收入三万 不对 月收入两千", None, 2000, 2000), ("一年三万 不对 月薪两千五", None, 2500, 2500),
    # each name (and miswriting) of an allowance or of money sent home makes a bare number money
    ("低宝三百", None, 300, 300), ("地保三百", None, 300, 300), ("底保三百", None, 300, 300),
    ("抵保三百", None, 300, 300), ("五保三百", None, 300, 300), ("五包三百", None, 300, 300),
    ("特困三百", None, 300, 300), ("救助金三百", None, 300, 300), ("护理费三百", None, 300, 300),
    ("抚恤金三百", None, 300, 300), ("赡养费三百", None, 300, 300),
    ("儿子给打三百", None, 300, 300), ("闺女打钱八百", None, 800, 800), ("儿子给钱五百", None, 500, 500),
    # each kind of money going out is not income
    ("低保三百 借了两万块", None, 300, 300), ("低保三百 外债两万块", None, 300, 300),
    ("低保三百 贷款两万块", None, 300, 300), ("低保三百 药费一个月二百", None, 300, 300),
    ("低保三百 看病一年两万", None, 300, 300), ("低保三百 治病一年两万", None, 300, 300),
    ("低保三百 一年交合作医疗四百", None, 300, 300), ("低保三百 开销一个月五百", None, 300, 300),
    ("低保三百 开支一个月五百", None, 300, 300), ("低保三百 还款一个月一千", None, 300, 300),
    ("低保三百 还钱一个月五百", None, 300, 300), ("低保三百 种地搭进去两千", None, 300, 300),
    ("低保三百 养牛赔了两万块", None, 300, 300),
    # each kind of work or letting names a second source
    ("低保三百 卖点菜二百", None, 500, 500), ("低保三百 他爸给人干活六百", None, 900, 900),
    ("低保三百 闺女上班两千", None, 2300, 2300), ("低保三百 房子租出去二百", None, 500, 500),
    # each word for the past drops what was earned then …
    ("原先开车一个月三千 现在就低保三百", None, 300, 300), ("过去打工一个月三千 现在就低保三百", None, 300, 300),
    ("之前在城里打工一个月三千 现在就低保三百", None, 300, 300), ("早先跑车一个月五千 现在就低保三百", None, 300, 300),
    ("从前打工一个月三千 现在就低保三百", None, 300, 300), ("年轻那会打工一个月三千 现在就低保三百", None, 300, 300),
    ("往年种地一年卖两万 现在就低保三百", None, 300, 300), ("往常他打工一个月三千 现在就低保三百", None, 300, 300),
    ("以往打工一个月三千 现在就低保三百", None, 300, 300), ("前些年打工一个月三千 现在就低保三百", None, 300, 300),
    ("早些年打工一个月三千 现在就低保三百", None, 300, 300), ("那些年打工一个月三千 现在就低保三百", None, 300, 300),
    ("他没出事时候开车一个月五千 现在就低保三百", None, 300, 300),
    ("出事前他开车一个月五千 现在就低保三百", None, 300, 300),
    ("他没病的时候打工一个月三千 现在就低保三百", None, 300, 300),
    # … each word for now ends the past …
    ("以前打工一个月三千 如今就低保三百", None, 300, 300), ("以前打工一个月三千 眼下就低保三百", None, 300, 300),
    ("以前打工一个月三千 这会就低保三百", None, 300, 300), ("以前打工一个月三千 目前就低保三百", None, 300, 300),
    ("以前打工一个月三千 这阵就低保三百", None, 300, 300),
    # … and nothing now is nothing
    ("以前打工一个月三千 现在什么都没有", None, 0, 0), ("以前打工一个月三千 现在啥也没有", None, 0, 0),
    ("以前打工一个月三千 现在啥都没有", None, 0, 0), ("以前打工一个月三千 现在没有了", None, 0, 0),
    ("以前打工一个月三千 现在断了", None, 0, 0),
    # a figure denied on the way to the one meant does not count
    ("一年挣不上一万 也就八千", None, 667, 667), ("一个月不够两千 也就一千五", None, 1500, 1500),
    ("一个月没到两千 也就一千五", None, 1500, 1500), ("一个月没两千 也就一千五", None, 1500, 1500),
    # per head, for the people the message counts or, for 一人/每人, the household
    ("俺俩养老金一个人一百五", None, 300, 300), ("俺俩养老金各一百五", None, 300, 300),
    ("俺俩养老金每人一百五", None, 300, 300), ("低保一个人二百", 3, 600, 600), ("低保一人二百", 3, 600, 600),
    ("低保每人二百", 3, 600, 600),
    ("俺俩养老金一人一百五", None, 300, 300), ("两个人低保一人三百", None, 600, 600),
    ("两人低保一人三百", None, 600, 600), ("老两口低保一人三百", None, 600, 600),
    ("俺们二人低保一人三百", None, 600, 600), ("俺们仨低保一人二百", None, 600, 600),
    ("三个人低保一人二百", None, 600, 600), ("三人低保一人二百", None, 600, 600),
    # who earns it, then the figure: each earner is a source
    ("大的三千 小的两千五", None, 5500, 5500), ("老大三千 老伴一千五", None, 4500, 4500),
    ("俺两千 他一千五", None, 3500, 3500), ("她两千 俺一千五", None, 3500, 3500), ("咱两千 他一千五", None, 3500, 3500),
    ("俺两千 老伴一千五", None, 3500, 3500), ("俺2000 老伴1500", None, 3500, 3500),
    # who works where, the figure in the next part
    ("低保三百 老二在饭店 一千五", None, 1800, 1800), ("低保三百 儿子上饭店帮厨 一千五", None, 1800, 1800),
    ("低保三百 儿子去饭店帮厨 一千五", None, 1800, 1800), ("低保三百 老伴给人看孩子 一千五", None, 1800, 1800),
    ("低保三百 我闺女在饭店 一千五", None, 1800, 1800), ("低保三百 俺闺女在饭店 一千五", None, 1800, 1800),
    ("低保三百 他闺女在饭店 一千五", None, 1800, 1800), ("低保三百 她儿子在饭店 一千五", None, 1800, 1800),
    ("低保三百 咱闺女在饭店 一千五", None, 1800, 1800),
    # a figure in 块 or 元 is money beside a named source
    ("低保三百 闺女给五百块", None, 800, 800), ("低保300元 闺女给500元", None, 800, 800),
    # each word for a total
    ("低保三百 还有点零工 算下来五百", None, 500, 500), ("低保三百 还有点零工 算起来五百", None, 500, 500),
    ("低保三百 还有点零工 满打满算五百", None, 500, 500), ("低保三百 还有点零工 都算上五百", None, 500, 500),
    ("低保三百 还有点零工 全算上五百", None, 500, 500),
    # after two sources, a monthly figure with 才/最多/顶多 is their sum
    ("养老金三百来块 种地一年三千 一个月才五百多", None, 500, 549),
    ("养老金三百来块 种地一年三千 一个月最多五百", None, 0, 500),
    ("养老金三百来块 种地一年三千 一个月顶多五百", None, 0, 500),
    # 十多万: about, then the unit
    ("包鱼塘一年十多万", None, 8333, 12500),
    # the days worked, in each way of saying it
    ("一天一百五 一个月上十天班", None, 1500, 1500), ("一天一百五 一个月出十天工", None, 1500, 1500),
    ("一天一百五 一个月干个十天", None, 1500, 1500), ("一天一百五 一个月也就干了十天", None, 1500, 1500),
    ("一天150 一个月干10天", None, 1500, 1500), ("一天一百 一个月干十多天", None, 1000, 1400),
    ("一天一百五 一个月出十个工", None, 1500, 1500),
    # the months worked in a year, in each way of saying it
    ("冬天打工仨月 一个月四千", None, 1000, 1000), ("冬天出去仨月 一个月四千", None, 1000, 1000),
    ("冬天上班仨月 一个月四千", None, 1000, 1000), ("冬天干个仨月 一个月四千", None, 1000, 1000),
    ("冬天干了仨月 一个月四千", None, 1000, 1000), ("仨月挣一万二", None, 1000, 1000),
    ("冬天干3个月 一个月四千", None, 1000, 1000), ("出去打工十来个月 一个月三千", None, 2500, 3000),
    # a correction keeps the day said before it; a total adds what is said after it; the same money said again
    # in another period is one source
    ("一天一百 不对 一百二", None, 3600, 3600), ("俩人养老金一共三百 地租一年两千四", None, 500, 500),
    ("一年也就两千四 一个月二百", None, 200, 200),
    # days and months worked: how many, and how wide 来/多 makes them
    ("一天一百 一个月干十五天", None, 1500, 1500), ("冬天出去干一季 一个月四千", None, 1000, 1000),
    ("冬天干俩月 一个月三千", None, 500, 500), ("冬天干仨月 一个月四千", None, 1000, 1000),
    ("一天一百 一年干十来个月", None, 2500, 3000), ("冬天干仨月 一天一百五", None, 1125, 1125),
    ("一天一百 一个月也就干一天", None, 100, 100),
    # a second monthly figure after one source is a source too; a yearly bonus beside a monthly pension adds
    ("低保三百 闺女一个月就给五百", None, 800, 800), ("退休金一个月两千 一年还有一千二的奖金", None, 2100, 2100),
    # a month said as a date or as a time ago is not months worked
    ("俩月前出去打工了 一个月三千", None, 3000, 3000), ("俩月以前出去打工了 一个月三千", None, 3000, 3000),
    ("俩月之前出去打工了 一个月三千", None, 3000, 3000), ("三月份出去打工了 一个月三千", None, 3000, 3000),
    # two periods in one run of words: the first is the income's
    ("一个月也就一千八他爸天天在医院", None, 1800, 1800),
    # nothing now, but an allowance still comes in; nothing now said in a part of its own
    ("以前他打工一个月三千 现在啥也没了 就剩低保三百", None, 300, 300),
    ("以前打工一个月三千 现在呢 啥也没有", None, 0, 0),
    # 多 after a figure exact to the yuan adds no yuan
    ("养老金一百三十五块多", None, 135, 135),
    # in a run of words, the figure with a unit is the income, not the age before it
    ("儿子三十五了一个月挣两千", None, 2000, 2000), ("儿子三十五了一个月给八百多块", None, 800, 849),
    # the pension named beside an expense still makes the figure money
    ("养老金交了医保还剩八百", None, 800, 800),
    # income said to be zero, 零 before another word
    ("收入是零啊", None, 0, 0), ("收入为零啊", None, 0, 0), ("收入零啊", None, 0, 0),
])
def test_each_word_of_the_income_reader_matters(text, household, low, high):
    assert parse_monthly_income(text, household) == MoneyRange(low, high)


@pytest.mark.parametrize("text,low,high", [
    # misread until stop 21 (found by the helper who wrote test_income_survivors.py)
    ("包鱼塘一年二十到三十万", 16_667, 25_000), ("十到二十万", 100_000, 200_000),   # 十 borrows 万 too
    ("出去打工十一个月 一个月三千", 2750, 2750),      # 十一个月 is months worked, not "a month" and ten yuan
    ("干了十二个月 挣了三万六", 3000, 3000),          # a whole year's pay, over twelve months
    ("一天一百五 一个月干个两三天", 300, 450),         # two to three days worked, not thirty
    ("俩儿子打工一个4000一个3500", 7500, 7500),       # two figures, not one eight-digit run
    ("连一块钱都没有", 0, 0),                          # not one yuan
])
def test_answers_misread_until_stop_21(text, low, high):
    assert parse_monthly_income(text) == MoneyRange(low, high)


@pytest.mark.parametrize("text,household,low,high", [
    # the tenth blind households set, read (stop 21): a pair named by kin, a last "是", rent paid out
    ("种二十五亩地 刨去化肥种子一年也就剩一万二 公公婆婆养老金一人一个月一百四", 6, 1280, 1280),
    ("我刷碗一天六十 一个月干二十五天 是一千五", 4, 1500, 1500),
    ("摆摊卖煎饼 一天挣一百 一个月出二十来天摊 房租还得四百", 3, 2000, 2400),
    ("收房租一个月五百", 2, 500, 500),                      # rent received stays income
])
def test_the_tenth_households_sets_incomes(text, household, low, high):
    assert parse_monthly_income(text, household=household) == MoneyRange(low, high)


@pytest.mark.parametrize("text,low,high", [
    # stop 22: a season's work is a quarter of the year; child support and care money are received; money
    # that only goes out states no income
    ("夏天打工能挣个一万来块 冬天没活", 833, 1250), ("夏天出去打零工 一天一百五 冬天就在家待着", 1125, 1125),
    ("冬天出去干俩月 一个月四千", 667, 667),               # the months said win over the season
    ("今年夏天老头查出癌 养老金一个月一百五", 150, 150),    # a season that is no work
    ("孩子他爸一个月给三百抚养费 我打扫卫生一千八", 2100, 2100),
    ("养老金交了医保还剩八百", 800, 800),
])
def test_answers_misread_until_stop_22(text, low, high):
    assert parse_monthly_income(text) == MoneyRange(low, high)


@pytest.mark.parametrize("text", ["看病花了两万 抚养费不给", "房租还得五百", "一年看病得花三万"])
def test_money_going_out_is_no_income(text):
    assert parse_monthly_income(text) is None
