"""Masking of personal numbers (bot.privacy.mask): every phone, landline, ID number and bank card a resident
types or the pre-screen accepts keeps at most its last four digits (plus a mobile's first three, an area
code, an ID's region, a card's bank); amounts, dates, years, counts and case numbers come through unchanged.

The phones come from the forms' own tables too (tests/unit/test_contact.py, tests/data/answers/phone.yml),
so a form that learns a new way to write a phone fails here until mask() learns it as well."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from bot.privacy.mask import mask, mask_phone
from bot.text.contact import parse_mobile
from tests.unit import test_contact as contact_tests

DATA = Path(__file__).resolve().parents[1] / "data"

MASKED = [
    # --- mobiles: first three and last four stay
    ("13912345678", "139****5678"),
    ("电话13912345678，谢谢", "电话139****5678，谢谢"),
    ("139 1234 5678", "139 **** 5678"),
    ("139-1234-5678", "139-****-5678"),
    ("139.1234.5678", "139.****.5678"),
    ("135,9674,5288", "135,****,5288"),
    ("135，9674，5288", "135，****，5288"),
    ("139  1234 - 5678", "139  **** - 5678"),
    ("139 12345678", "139 ****5678"),
    ("1391234 5678", "139**** 5678"),
    ("139 123 45678", "139 *** *5678"),
    ("1 3 9 1 2 3 4 5 6 7 8", "1 3 9 * * * * 5 6 7 8"),
    ("１３９１２３４５６７８", "１３９****５６７８"),
    ("１５９ ４３４３ ２１０１", "１５９ **** ２１０１"),
    ("13０4347７８９１", "13０****７８９１"),
    ("+86 139 1234 5678", "+86 139 **** 5678"),
    ("+8613912345678", "+86139****5678"),
    ("(+86)139-1234-5678", "(+86)139-****-5678"),
    ("（＋86）139 1234 5678", "（＋86）139 **** 5678"),
    ("0086 139 1234 5678", "0086 139 **** 5678"),
    ("008613912345678", "0086139****5678"),
    ("86 13912345678", "86 139****5678"),
    ("8613912345678", "86139****5678"),
    ("我家3 13912345678", "我家3 139****5678"),
    ("13943482910📞", "139****2910📞"),
    ("tel13604340022", "tel136****0022"),
    # dictated in Chinese digits (幺 for 1), alone or mixed with digits
    ("一三八四三四五六七八九", "一三八****六七八九"),
    ("幺五九四三四零二二八六", "幺五九****二二八六"),
    ("一三九〇四三四二二五八", "一三九****二二五八"),
    ("一三九○四三四二二五八", "一三九****二二五八"),
    ("幺三九两两三四五六七八", "幺三九****五六七八"),
    ("一八七 四三四 一二三 四五", "一八七 *** *二三 四五"),
    ("俺手机号是一五八四三四二六七零九", "俺手机号是一五八****六七零九"),
    ("一三九1234五六七八", "一三九****五六七八"),
    ("一三九一 234 5678", "一三九* *** 5678"),
    ("幺三九 1234 5678", "幺三九 **** 5678"),
    ("幺13912345678", "幺139****5678"),
    # two numbers, a self-correction, a mobile next to a case number
    ("13912345678 13812345678", "139****5678 138****5678"),
    ("139 1234 5678 138 1234 5678", "139 **** 5678 138 **** 5678"),
    ("是15143430918 不对 15143430981", "是151****0918 不对 151****0981"),
    ("SL-2026-000123 13912345678", "SL-2026-000123 139****5678"),
    # a mobile typed one digit short or long (the form asks again, the text still shows it)
    ("1391234567", "139***4567"),
    ("139123456789", "139*****6789"),
    # --- landlines: the area code and the last four stay
    ("0434-7221234", "0434-***1234"),
    ("0434 12345678", "0434 ****5678"),
    ("04347123987", "0434***3987"),
    ("0434-722-1234", "0434-***-1234"),
    ("(0434)7223118", "(0434)***3118"),
    ("（0434）7223118", "（0434）***3118"),
    ("0434—7281934", "0434—***1934"),
    ("0434–7281934", "0434–***1934"),
    ("0434－7316602", "0434－***6602"),
    ("０４３４－７２２１２３４", "０４３４－***１２３４"),
    ("〇四三四 七二二一二三四", "〇四三四 ***一二三四"),
    ("010-12345678", "010-****5678"),
    ("021-1234567", "021-***4567"),
    ("+86 434 7221234", "+86 434 ***1234"),
    ("+86 0434 7221234", "+86 0434 ***1234"),
    ("+86 434 722 1234", "+86 434 *** 1234"),
    ("0086 10 12345678", "0086 10 ****5678"),
    ("86-21-12345678", "86-21-****5678"),
    ("0434-7221234转801", "0434-***1234转801"),
    # a local number without its area code, right after what it is
    ("座机7221234", "座机***1234"),
    ("电话：722-1234", "电话：***-1234"),
    ("电话号码是 72212345", "电话号码是 ****2345"),
    ("手机 7221234", "手机 ***1234"),
    ("号码7221234", "号码***1234"),
    ("联系方式：7221234", "联系方式：***1234"),
    ("TEL:7221234 13912345678", "TEL:***1234 139****5678"),
    ("tel 7221234", "tel ***1234"),
    # --- ID numbers: the region (first six) and the last four stay, the birth date goes
    ("220382195501011234", "220382********1234"),
    ("身份证号：220382195501011234。", "身份证号：220382********1234。"),
    ("号22038219550101123X号", "号220382********123X号"),
    ("22038219550101123x", "220382********123x"),
    ("22038219550101123Ｘ", "220382********123Ｘ"),
    ("22038219550101123ｘ", "220382********123ｘ"),
    ("220382 19550101 1234", "220382 ******** 1234"),
    ("220382-1955-0101-123X", "220382-****-****-123X"),
    ("２２０３８２１９５５０１０１１２３４", "２２０３８２********１２３４"),
    ("二二〇三八二一九五五〇一〇一一二三四", "二二〇三八二********一二三四"),
    ("110101200012311234", "110101********1234"),
    ("110101199003077777", "110101********7777"),
    ("820382195510201234", "820382********1234"),
    ("12345678901234567X", "123456********567X"),
    # an old 15-digit ID: its last four would show a digit of the birth date, so only three stay
    ("220382550101123", "220382******123"),
    ("身份证220382551231123", "身份证220382******123"),
    # --- bank cards: the first four (the bank) and the last four stay
    ("6222021234567890123", "6222***********0123"),
    ("6222021234567890", "6222********7890"),
    ("62220212345678901234", "6222************1234"),
    ("1234567890123456", "1234********3456"),
    ("卡号6222 0212 3456 7890 123", "卡号6222 **** **** ***0 123"),
    ("6222-0212-3456-7890", "6222-****-****-7890"),
    ("6222 0212 3456 789012", "6222 **** **** **9012"),
    ("622202 1234567890123", "6222** *********0123"),
    ("６２２２ ０２１２ ３４５６ ７８９０", "６２２２ **** **** ７８９０"),
    ("4111 1111 1111 1111", "4111 **** **** 1111"),
    ("4111.1111.1111.1111", "4111.****.****.1111"),
    ("6222 0212.3456 7890", "6222 ****.**** 7890"),
    ("3530 1113 3330 0000", "3530 **** **** 0000"),
    ("9558 8012 3456 7897", "9558 **** **** 7897"),
    ("5555-5555-5555-4444", "5555-****-****-4444"),
    ("4992 7398 7165 4328", "4992 **** **** 4328"),
    ("4556 7375 8999 9140", "4556 **** **** 9140"),
    ("5212 3456 7890 1234", "5212 **** **** 1234"),
    ("6222 0212 3456 7890 1500", "6222 **** **** 7890 1500"),
    # --- all of them in one message
    ("我身份证号220382195501011234，电话13912345678，卡号6222021234567890123，座机0434-7221234",
     "我身份证号220382********1234，电话139****5678，卡号6222***********0123，座机0434-***1234"),
]

UNCHANGED = [
    "", "你好", "家里3口人，每月收入1500元，2026年申请", "家里4口人 老伴 儿子 孙子", "一共三口人 一千块",
    # amounts and incomes
    "1500", "两千五", "一千五百块", "一千〇十", "低保三百 欠了两万块", "1,500.00元", "12,000", "存款1200000元",
    "收入7221234", "1500.00 2000.00", "1500 200 3000", "1500-2000", "3000 4000 5000 6000", "150 200 300 400 500",
    # dates, years, times
    "2026-01-05", "2026.01.05", "2026/01/05", "2026年1月5日", "20260105", "1955年生的", "2019年到2026年",
    "2019 2020 2021 2022", "2017 2018 2019 2020", "2023 2024 2025 2026年都领过", "2026-01-05 2026-02-05", "08:30-17:00", "2026-01-05 08:30",
    # case numbers
    "SL-2026-000123", "TS-2026-000001", "SL2026000123", "sl_2026_123", "SL 2026 000123", "ＳＬ－２０２６－０００１２３",
    "SL-2026-000123 TS-2026-000001", "我的案件号是SL-2026-000123，麻烦查一下",
    # short numbers, hotlines, numbers in Chinese that are no phone
    "12345", "0434-12345", "110 120 119", "三四五六", "一二三四五六", "一二三四五六七八九十", "第一二三四五六七条",
    "1 2 3 4 5 6 7 8 9", "12912345678", "86 12912345678",
    # almost a card: a group of three, not 62 and failing the Luhn check, 15 digits (no card, no ID)
    "620 1500 2000 3000 4000", "收入 6200 300 2000 1500 800", "4111 1111 1111 1112", "8000 7000 6000 5000",
    "6222 0212 3456 789", "622202123456789",
    # a 7-digit number after words that are not about a phone
    "电话费 7221234", "收入 7221234", "电话没有 存款7221234",
    # what is already masked
    "139****5678", "220382********1234", "0434-***1234",
]


def _parametrize_rows(test) -> list:
    """The rows of a test's @pytest.mark.parametrize, so the forms' tables are read, not copied."""
    [mark] = [m for m in test.pytestmark if m.name == "parametrize"]
    return list(mark.args[1])


def _answers(kind: str) -> list[dict]:
    return yaml.safe_load((DATA / "answers" / f"{kind}.yml").read_text(encoding="utf-8"))["cases"]


FORM_PHONES = _parametrize_rows(contact_tests.test_phone_numbers) + [
    (case["text"], case["expect"]) for case in _answers("phone") if case["expect"]]
FORM_NOT_PHONES = _parametrize_rows(contact_tests.test_not_phone_numbers) + [
    case["text"] for case in _answers("phone") if not case["expect"]]

_TO_ASCII = str.maketrans("０１２３４５６７８９〇○零一二两三四五六七八九幺", "0123456789" + "00012234567891")


def _digits(text: str) -> str:
    """The digits and stars of a text in ASCII, separators dropped: "１３９ **** 5678" → "139****5678"."""
    return "".join(ch for ch in text.translate(_TO_ASCII) if ch in "0123456789*")


def _shown(number: str) -> str:
    """How a phone the forms read looks once masked: 139****5678, 0434***1234, 010****5678."""
    keep = 3 if number[0] == "1" or number[1] in "12" else 4
    return number[:keep] + "*" * (len(number) - keep - 4) + number[-4:]


@pytest.mark.parametrize("text,expected", MASKED)
def test_masks(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize("text,expected", MASKED)
def test_masking_twice_changes_nothing(text, expected):
    assert mask(expected) == expected


@pytest.mark.parametrize("text", UNCHANGED)
def test_leaves_ordinary_numbers(text):
    assert mask(text) == text


@pytest.mark.parametrize("text,number", FORM_PHONES)
def test_every_phone_the_forms_accept_is_masked(text, number):
    masked = mask(text)
    assert parse_mobile(masked) is None, masked  # the forms' own parser finds no phone any more
    assert len(masked) == len(text) and all(a == b or b == "*" for a, b in zip(text, masked)), masked
    assert masked.count("*") >= len(number) - 8, masked
    if number in _digits(text):  # written out whole (not pieced together by a self-correction)
        assert _shown(number) in _digits(masked), masked


@pytest.mark.parametrize("text", FORM_NOT_PHONES)
def test_what_the_forms_do_not_take_for_a_phone_is_left_unless_it_is_another_personal_number(text):
    assert mask(text) == dict(MASKED).get(text, text)


@pytest.mark.parametrize("path", sorted((DATA / "answers").glob("*.yml")) + sorted((DATA / "heldout").glob("*.jsonl")),
                         ids=lambda p: p.name)
def test_resident_answers_change_only_where_they_hold_a_phone(path):
    """Every answer of the forms' evaluations and every held-out message: the phones the forms read are
    masked, everything else (incomes, dates, counts, places…) comes through unchanged."""
    if path.suffix == ".jsonl":
        texts = [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    else:
        texts = [case["text"] for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]]
    wrong = [(t, mask(t)) for t in texts if (parse_mobile(t) is not None) == (mask(t) == t)
             or parse_mobile(mask(t)) is not None]
    assert texts and not wrong


@pytest.mark.parametrize("phone,shown", [
    ("13912345678", "139****5678"), ("139 1234 5678", "139****5678"), ("+86 139 1234 5678", "139****5678"),
    ("008613912345678", "139****5678"), ("１３９１２３４５６７８", "139****5678"), ("幺三九一二三四五六七八", "139****5678"),
    ("04347221234", "*******1234"), ("0434-7221234", "*******1234"), ("7123456", "***3456"),
    ("71234567", "****4567"), ("123", "***123"), ("", "***"),
])
def test_mask_phone_shows_the_last_four(phone, shown):
    assert mask_phone(phone) == shown
