import pytest

from bot.text.numbers import chinese_small_int, parse_choice


@pytest.mark.parametrize("text,value", [
    ("1", 1), ("２", 2), (" 3 ", 3), ("三", 3), ("第三个", 3), ("选2", 2), ("我选4", 4), ("5号", 5),
    ("第十个", 10), ("十一", 11), ("11", 11), ("回复1", 1), ("两", 2), ("仨", 3), ("2。", 2),
])
def test_choices(text, value):
    assert parse_choice(text) == value


@pytest.mark.parametrize("text", ["", "0", "21", "低保", "我家3口人", "1500", "三口人", "第", "十十"])
def test_not_choices(text):
    assert parse_choice(text) is None


@pytest.mark.parametrize("token,value", [("十二", 12), ("二十", 20), ("二十三", 23), ("7", 7), ("九", 9)])
def test_small_ints(token, value):
    assert chinese_small_int(token) == value
