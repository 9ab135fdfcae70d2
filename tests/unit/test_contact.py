"""Phone numbers, case numbers and names pulled out of what residents type."""
import pytest

from bot.text.contact import parse_case_number, parse_mobile, parse_person_name


@pytest.mark.parametrize("text,number", [
    ("13912345678", "13912345678"), ("139 1234 5678", "13912345678"), ("139-1234-5678", "13912345678"),
    ("１３９１２３４５６７８", "13912345678"), ("+86 139 1234 5678", "13912345678"), ("86 13912345678", "13912345678"),
    ("+8613912345678", "13912345678"), ("(+86)139-1234-5678", "13912345678"),
    ("我电话是139 1234 5678", "13912345678"), ("电话13912345678，谢谢", "13912345678"),
    ("我家3 13912345678", "13912345678"), ("15843412345", "15843412345"),
    ("0434-1234567", "04341234567"), ("0434 12345678", "043412345678"), ("010-12345678", "01012345678"),
])
def test_phone_numbers(text, number):
    assert parse_mobile(text) == number


@pytest.mark.parametrize("text", [
    "", "12912345678", "1391234567", "139123456789", "110101199003077777", "SL-2026-000123", "2500",
    "1234567", "没有电话", "2026-01-05",
])
def test_not_phone_numbers(text):
    assert parse_mobile(text) is None


@pytest.mark.parametrize("text", [
    "SL-2026-000123", "sl-2026-000123", "SL2026000123", "SL 2026 000123", "ＳＬ－２０２６－０００１２３",
    "我的案件号是SL-2026-000123，麻烦查一下", "SL-2026-123", "sl_2026_123",
])
def test_case_numbers(text):
    assert parse_case_number(text) == "SL-2026-000123"


@pytest.mark.parametrize("text", [
    "", "SL-2026-0001234", "SL-26-000123", "XSL-2026-000123", "AB-2026-000123", "SL-2026-000000",
    "2026-000123", "SL-2026", "13912345678",
])
def test_not_case_numbers(text):
    assert parse_case_number(text) is None


@pytest.mark.parametrize("text,name", [
    ("我叫张桂兰", "张桂兰"), ("张桂兰", "张桂兰"), ("王大爷", "王大爷"), ("老李", "老李"), ("我是王大爷", "王大爷"),
    ("姓名：张桂兰", "张桂兰"), ("名字是张桂兰", "张桂兰"), ("我的名字叫张桂兰", "张桂兰"), ("叫张桂兰", "张桂兰"),
    ("欧阳娜娜", "欧阳娜娜"), ("张 桂兰", "张桂兰"), ("我叫张桂兰。", "张桂兰"), ("张三吧", "张三"),
    ("姓王", "王"), ("我姓王", "王"),
])
def test_names(text, name):
    assert parse_person_name(text) == name


@pytest.mark.parametrize("text", [
    "", "不知道", "不想说", "算了", "你好", "谢谢", "嗯", "是", "低保", "我想申请低保", "我家有三口人吃饭",
    "张三3", "我叫张桂兰今年68岁", "不告诉你", "13912345678",
])
def test_not_names(text):
    assert parse_person_name(text) is None
