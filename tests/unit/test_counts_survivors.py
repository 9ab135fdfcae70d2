"""Household size: the words and rules of the reader that a mutation run left untested.

Each case reads right now and reads wrong (another count, or none) if the one word or rule named in its
group's comment is taken out of bot/text/counts.py.
"""
import pytest

from bot.text.counts import parse_people_count


@pytest.mark.parametrize("text,count", [
    # after 老两口, 跟 / 还有 / 养 / 再 start a list, so 两口 is not the count and the total said later is
    ("老两口跟儿子一块过 一共三口人", 3), ("老两口还有个孙子 一共三口人", 3),
    ("老两口养着个傻儿子 家里三口人", 3), ("老两口再带个孙子 一共三口人", 3),
])
def test_a_list_after_the_old_couple(text, count):
    assert parse_people_count(text) == count


@pytest.mark.parametrize("text,count", [
    # 三个 ends its part at a space (、 in the marked text): it is the count, not the pair named after it
    ("俺家三个 俺和老伴 还有个孙子", 3),
])
def test_a_bare_count_ends_its_part(text, count):
    assert parse_people_count(text) == count


@pytest.mark.parametrize("text,count", [
    # someone alone whose name ends in a numeral (老三): 一个人 after the name, not a count of its own
    ("老三一个人过", 1),
])
def test_someone_else_alone(text, count):
    assert parse_people_count(text) == count


@pytest.mark.parametrize("text,count", [
    # a pair said after whose home it is: 咱家
    ("咱家就俺和老伴", 2),
])
def test_a_pair_after_whose_home(text, count):
    assert parse_people_count(text) == count


@pytest.mark.parametrize("text,count", [
    # 只剩 is read from 只: "剩俺俩自己过" alone would read as one person
    ("只剩俺俩自己过了", 2),
])
def test_what_is_left_now(text, count):
    assert parse_people_count(text) == count


@pytest.mark.parametrize("text,count", [
    # the count said first (一共, 共, a digit, 三个, 三个人, 仨人), then 老两口 among those named: the first is the count
    ("一共仨 老两口 一个孙子", 3), ("共仨 老两口 一个孙子", 3), ("3 老两口 一个孙子", 3),
    ("三个 老两口 一个孙子", 3), ("三个人 老两口 一个孙子", 3), ("仨人 老两口 一个孙子", 3),
    # 两口人 first, then how they live: the count, not "someone 自己过"
    ("两口人 自己过日子", 2),
    # the count first read as a whole word (一共三个), and 1 and 20 at the ends of the range
    ("一共三个 老两口 一个孙子", 3), ("一个 原来老两口 老伴前年走了", 1),
    ("二十个 俺老两口 四个儿子 四个儿媳妇 十个孙子孙女", 20),
    # a count first and a count of people after it: the later one is what the resident settled on
    ("三个 不是 四个人", 4),
])
def test_the_count_said_first(text, count):
    assert parse_people_count(text) == count


@pytest.mark.parametrize("text,count", [
    # each named in a part of its own, then who lives elsewhere: every way of saying apart
    ("俺 老伴 孙子 儿子不在家住", 3), ("俺 老伴 孙子 闺女跟俺们不在一块", 3),
    ("俺 老伴 孙子 儿子不跟俺们住", 3), ("俺 老伴 孙子 儿子不跟俺们过", 3),
    ("俺 老伴 孙子 儿子在外头打工", 3), ("俺 老伴 孙子 儿子在外面上班", 3), ("俺 老伴 孙子 儿子在外边打工", 3),
    ("俺 老伴 孙子 儿子去外地打工了", 3), ("俺 老伴 孙子 大儿子另过", 3), ("俺 老伴 孙子 大儿子分出去了", 3),
    ("俺 老伴 孙子 大儿子单过", 3), ("俺 老伴 孙女 闺女嫁出去了", 3), ("俺 老伴 孙女 闺女出嫁了", 3),
    # with 、 between the names: the parts are not read one by one ("他和媳妇另过" is not the household)
    ("俺、老伴、孙子 儿子结婚分出去了 他和媳妇另过", 3),
])
def test_who_lives_elsewhere(text, count):
    assert parse_people_count(text) == count


@pytest.mark.parametrize("text,count", [
    # a relative's own family, in a part of its own, is not the household: 女儿 姑娘 老大 老二 哥 姐 弟 妹, 他们 她们
    ("就俺自己 女儿一家三口在城里", 1), ("就俺和老伴 姑娘一家四口在大连", 2), ("就俺自己 老大一家四口在城里", 1),
    ("就俺自己 老二一家三口在外地", 1), ("就俺自己 俺哥一家四口在沈阳", 1), ("就俺自己 俺姐一家三口在城里", 1),
    ("就俺自己 俺弟一家三口在长春", 1), ("就俺自己 俺妹一家三口在城里", 1),
    ("就俺和老伴 儿子他们一家三口在城里", 2), ("就俺和老伴 闺女她们一家三口在沈阳", 2),
])
def test_a_relatives_own_family(text, count):
    assert parse_people_count(text) == count


@pytest.mark.parametrize("text,count", [
    # each named in a part of its own, then ages: 我 他 她 老伴 老头 老太太 也 来 出头
    ("我 老伴 还有个孙子 我七十多了", 3), ("俺 老头 还有个孙女 他七十多了", 3), ("俺 老伴 还有个孙子 她六十八了", 3),
    ("俺 老伴 还有个孙子 老伴七十了", 3), ("俺 老头 还有个孙子 老头七十五了", 3),
    ("俺 俺家老太太 还有个孙子 老太太七十六了", 3), ("俺 老伴 还有个孙子 俺七十 老伴也七十", 3),
    ("俺 老伴 还有个孙子 俩人都七十来岁了", 3), ("俺 老伴 还有个孙子 俩人都六十出头", 3),
])
def test_ages_after_the_names(text, count):
    assert parse_people_count(text) == count


@pytest.mark.parametrize("text,count", [
    # 那个 / 这个 said between 俺 and how many grandchildren: the number still counts them
    ("俺和老伴带着俺那个俩孙子", 4), ("俺老两口 还有俺这个两个孙子", 4),
])
def test_a_filler_before_the_number_named(text, count):
    assert parse_people_count(text) == count


@pytest.mark.parametrize("text,count", [
    # alone now, why after it, said after 现在就剩: not the count of before
    ("以前三口人 现在就剩俺自己 闺女嫁出去了", 1),
])
def test_alone_then_why(text, count):
    assert parse_people_count(text) == count


@pytest.mark.parametrize("text,count", [
    # everyone named, at the top of the range (20), and one over it (21: no count)
    ("俺 老伴 五个儿子 五个儿媳妇 五个孙子 三个孙女", 20),
    ("俺 老伴 五个儿子 五个儿媳妇 五个孙子 四个孙女", None),
])
def test_everyone_named_at_the_ends_of_the_range(text, count):
    assert parse_people_count(text) == count
