"""Screening rules at their edges: each guard, threshold and member rule decides one household's outcome.

The standard is fixed here (城市560元, 农村410元 per person per month, the figures of policies/dibao.yml
that tests/data/screening_cases.yml is written against), so every boundary below is arithmetic a
caseworker can redo: 低保边缘 ends at 1.5 × the standard (840元 urban, 615元 rural).
"""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from bot.screening.household import Household
from bot.screening.rules import Standard, income_level, screen

STD = Standard(urban=560, rural=410, urban_label="2024年城市参考标准560元", rural_label="2022年农村参考标准410元",
               verified=False)


def household(**fields) -> Household:
    for name in ("members", "benefits"):
        fields[name] = set(fields.get(name, ()))
    if "assets" in fields:
        fields["assets"] = set(fields["assets"])
    return Household(**fields)


def by_programme(h: Household) -> dict:
    return {f.programme: f for f in screen(h, STD)}


# ------------------------------------------------------------------------- where the income sits

@pytest.mark.parametrize("story,fields,level", [
    ("城里三口人，一个月一共1677（人均559）", dict(size=3, income_low=1677, income_high=1677, urban=True), "below"),
    ("城里三口人，一个月一共1680（人均正好560）", dict(size=3, income_low=1680, income_high=1680, urban=True), "at"),
    ("城里一个人，说五六百（500到600）", dict(size=1, income_low=500, income_high=600, urban=True), "at"),
    ("城里一个人，说五百到五百六", dict(size=1, income_low=500, income_high=560, urban=True), "at"),
    ("城里一个人，说五百六到六百", dict(size=1, income_low=560, income_high=600, urban=True), "at"),
    ("城里一个人，说六七百", dict(size=1, income_low=600, income_high=700, urban=True), "edge"),
    ("城里两口人，一共1678（人均839）", dict(size=2, income_low=1678, income_high=1678, urban=True), "edge"),
    ("城里两口人，一共1680（人均正好840）", dict(size=2, income_low=1680, income_high=1680, urban=True), "above"),
    ("城里一个人，一个月三千", dict(size=1, income_low=3000, income_high=3000, urban=True), "above"),
    ("农村两口人，一共818（人均409）", dict(size=2, income_low=818, income_high=818, urban=False), "below"),
    ("农村两口人，一共820（人均410）", dict(size=2, income_low=820, income_high=820, urban=False), "at"),
    ("农村一个人，六百一十四", dict(size=1, income_low=614, income_high=614, urban=False), "edge"),
    ("农村一个人，六百一十五（正好1.5倍）", dict(size=1, income_low=615, income_high=615, urban=False), "above"),
    ("没说城里农村，一个人四百", dict(size=1, income_low=400, income_high=400), "below"),
    ("没说城里农村，一个人四百五", dict(size=1, income_low=450, income_high=450), "at"),
    ("没说城里农村，一个人五百六", dict(size=1, income_low=560, income_high=560), "at"),
    ("没说城里农村，一个人六百", dict(size=1, income_low=600, income_high=600), "edge"),
    ("没说城里农村，一个人八百三十九", dict(size=1, income_low=839, income_high=839), "edge"),
    ("没说城里农村，一个人八百四", dict(size=1, income_low=840, income_high=840), "above"),
    ("没有收入的一家三口", dict(size=3, income_low=0, income_high=0, urban=True), "below"),
    ("说了收入没说几口人", dict(income_low=1000, income_high=1000, urban=True), "unknown"),
    ("说了几口人没说收入", dict(size=3, urban=True), "unknown"),
    ("收入只说了个下限", dict(size=3, income_low=1000, urban=True), "unknown"),
    ("家里零口人（答错了）", dict(size=0, income_low=1000, income_high=1000, urban=True), "unknown"),
    ("收入不清楚，但已经是低保边缘户", dict(size=3, benefits={"edge"}), "edge"),
])
def test_income_level(story, fields, level):
    assert income_level(household(**fields), STD).level == level, story


@pytest.mark.parametrize("fields,words,absent", [
    (dict(size=3, income_low=1680, income_high=1680, urban=True), ["每人每月大约560元", "城市", "560"], ["农村"]),
    (dict(size=2, income_low=1000, income_high=1200, urban=False), ["500—600元", "农村", "410"], ["城市"]),
    (dict(size=1, income_low=450, income_high=450), ["450元", "城市", "农村"], []),
    (dict(size=2, income_low=2000, income_high=2000, urban=True), ["1000元", "1.5倍"], []),
    (dict(size=3), ["还不清楚"], []),
])
def test_the_comparison_in_words_names_the_per_person_amount_and_the_standard_used(fields, words, absent):
    text = income_level(household(**fields), STD).text
    assert all(w in text for w in words) and not any(w in text for w in absent), text


def test_the_standard_comes_from_the_newest_figures_and_is_verified_only_if_both_are():
    def figure(value, year, verified=True):
        return SimpleNamespace(value=value, year=year, verified=verified)

    def kb(figures):
        programmes = {"dibao": SimpleNamespace(figures=figures)}
        return SimpleNamespace(programme=lambda name: programmes[name])

    std = Standard.from_kb(kb({
        "dibao_urban_2022": figure(550, 2022), "dibao_urban_2024": figure(560, 2024),
        "dibao_urban_2019": figure(500, 2019), "dibao_rural_2024": figure(430, 2024, verified=False),
        "dibao_rural_2022": figure(410, 2022), "linshi_cap_2024": figure(9999, 2025),
    }))
    assert (std.urban, std.rural, std.verified) == (560, 430, False)
    assert "2024" in std.urban_label and "560" in std.urban_label and "城市" in std.urban_label
    assert "2024" in std.rural_label and "430" in std.rural_label and "农村" in std.rural_label
    both = Standard.from_kb(kb({"dibao_urban_2024": figure(560, 2024), "dibao_rural_2022": figure(410, 2022)}))
    assert both.verified is True
    one = Standard.from_kb(kb({"dibao_urban_2024": figure(560, 2024, False), "dibao_rural_2022": figure(410, 2022)}))
    assert one.verified is False


# ------------------------------------------------------------------------- each programme's rule

BELOW = dict(size=1, income_low=300, income_high=300, urban=True)   # 300 < 560
AT = dict(size=1, income_low=560, income_high=560, urban=True)
EDGE = dict(size=1, income_low=700, income_high=700, urban=True)    # 560 < 700 < 840
ABOVE = dict(size=1, income_low=900, income_high=900, urban=True)   # ≥ 840
UNKNOWN = dict(size=1, urban=True)

CASES = [
    # 低保
    ("dibao", "已经吃低保，收入现在高了", dict(ABOVE, benefits={"dibao"}), "likely", ["已经在享受低保"]),
    ("dibao", "收入不清楚", UNKNOWN, "unknown", ["还不清楚"]),
    ("dibao", "人均三百", BELOW, "likely", ["低于"]),
    ("dibao", "人均三百，问过了，没车没房没存款", dict(BELOW, assets=()), "likely", []),
    ("dibao", "人均三百，但家里有辆小轿车", dict(BELOW, assets={"car"}), "possible", ["有汽车", "财产"]),
    ("dibao", "正好在标准上", AT, "possible", ["差不多"]),
    ("dibao", "正好在标准上，还有一套空房子", dict(AT, assets={"house"}), "possible", ["别的房子"]),
    ("dibao", "边缘户，家里有重病人", dict(EDGE, members={"ill"}), "possible", ["单人保"]),
    ("dibao", "边缘户，本人一级残疾", dict(EDGE, members={"disabled"}, disability_severe=True), "possible",
     ["单人保"]),
    ("dibao", "边缘户，有残疾人但不是重度", dict(EDGE, members={"disabled"}, disability_severe=False), "possible",
     ["扣掉"]),
    ("dibao", "边缘户，重病人，还做点小买卖", dict(EDGE, members={"ill"}, assets={"business"}), "possible",
     ["单人保", "做生意"]),
    ("dibao", "边缘户，家里都是能干活的", dict(EDGE, members={"jobless"}), "unlikely", ["边缘"]),
    ("dibao", "边缘户，没有病人残疾人", EDGE, "unlikely", []),
    ("dibao", "收入超过1.5倍，家里有重病人", dict(ABOVE, members={"ill"}), "unlikely", ["1.5倍"]),
    ("dibao", "收入超过1.5倍，还有车", dict(ABOVE, assets={"car"}), "unlikely", []),
    # 特困
    ("tekun", "已经是五保户", dict(ABOVE, benefits={"tekun"}), "likely", ["已经是特困"]),
    ("tekun", "一个人，能干活，没活干", dict(BELOW, members={"jobless"}, supporter="none"), "unlikely",
     ["没有劳动能力"]),
    ("tekun", "孤老一个人，没儿没女，没收入", dict(BELOW, members={"elderly"}, supporter="none"), "likely",
     ["没有能养他的人"]),
    ("tekun", "一个人，一级残疾，没人管", dict(BELOW, disability_severe=True, supporter="none"), "likely", []),
    ("tekun", "一个人，三级残疾，没人管", dict(BELOW, members={"disabled"}, disability_severe=False,
                                            supporter="none"), "unlikely", []),
    ("tekun", "孤儿一个，没人管", dict(BELOW, members={"unparented"}, supporter="none"), "likely", []),
    ("tekun", "十五岁的孩子自己过，没人管", dict(BELOW, members={"child"}, supporter="none"), "likely", []),
    ("tekun", "十岁的孩子跟着奶奶过，没人管", dict(size=2, income_low=200, income_high=200, urban=False,
                                             members={"child", "elderly"}, supporter="none"), "possible", []),
    ("tekun", "老两口，没儿女", dict(size=2, income_low=400, income_high=400, urban=True, members={"elderly"},
                                   supporter="none"), "possible", []),
    ("tekun", "老人跟儿子儿媳一家三口过", dict(size=3, income_low=600, income_high=600, urban=True,
                                             members={"elderly"}, supporter="none"), "unlikely", []),
    ("tekun", "老人一个人，几口人没说", dict(members={"elderly"}), "possible", []),
    ("tekun", "孤老，人均七百（边缘）", dict(EDGE, members={"elderly"}, supporter="none"), "unlikely", ["边缘"]),
    ("tekun", "孤老，人均九百", dict(ABOVE, members={"elderly"}, supporter="none"), "unlikely", ["1.5倍"]),
    ("tekun", "孤老，收入正好在标准上", dict(AT, members={"elderly"}, supporter="none"), "possible", ["还要看"]),
    ("tekun", "孤老，收入说不清", dict(UNKNOWN, members={"elderly"}, supporter="none"), "possible", ["还要看"]),
    ("tekun", "老人有儿子，儿子挣得不少", dict(BELOW, members={"elderly"}, supporter="able"), "unlikely",
     ["能养他的人"]),
    ("tekun", "老人有儿子，儿子有钱不管", dict(BELOW, members={"elderly"}, supporter="refuses"), "unlikely",
     ["赡养义务"]),
    ("tekun", "老人，有没有人养没问到", dict(BELOW, members={"elderly"}), "possible", ["还要看"]),
    ("tekun", "老人有个闺女，闺女自己也困难", dict(BELOW, members={"elderly"}, supporter="poor"), "possible",
     ["自己也困难"]),
    # 临时救助
    ("linshi", "上礼拜房子着火了", dict(EDGE, event="fire", event_recent=True), "likely", ["着火", "先行救助"]),
    ("linshi", "出了车祸，不知道啥时候", dict(EDGE, event="accident"), "likely", ["车祸"]),
    ("linshi", "家里人突然得了重病，是去年的事", dict(EDGE, event="illness", event_recent=False), "possible",
     ["重病", "过去有一阵"]),
    ("linshi", "发大水把庄稼冲了", dict(ABOVE, event="disaster", event_recent=True), "likely", ["自然灾害"]),
    ("linshi", "房子成了危房（住房救助的事）", dict(ABOVE, event="house"), "unlikely", []),
    ("linshi", "孩子上大学，人均三百", dict(BELOW, members={"student"}), "possible", ["支出型"]),
    ("linshi", "有大病病人，收入正好在标准上", dict(AT, members={"ill"}), "possible", ["支出型"]),
    ("linshi", "有大病病人，边缘户", dict(EDGE, members={"ill"}), "possible", ["支出型"]),
    ("linshi", "有大病病人，收入不清楚", dict(UNKNOWN, members={"ill"}), "possible", ["支出型"]),
    ("linshi", "有大病病人，但收入高", dict(ABOVE, members={"ill"}), "unlikely", []),
    ("linshi", "人均三百，没病没学生没出事", BELOW, "unlikely", ["没有遇到"]),
    # 医疗 / 教育 / 就业 (the same shape: the member, then how poor)
    ("yiliao", "家里没病人", BELOW, "unlikely", ["没有重病"]),
    ("yiliao", "病人，人均三百", dict(BELOW, members={"ill"}), "likely", ["医疗救助"]),
    ("yiliao", "病人，吃低保，收入说不清", dict(UNKNOWN, members={"ill"}, benefits={"dibao"}), "likely", []),
    ("yiliao", "病人，特困户，收入高了", dict(ABOVE, members={"ill"}, benefits={"tekun"}), "likely", []),
    ("yiliao", "病人，认定过边缘户，收入高了", dict(ABOVE, members={"ill"}, benefits={"edge"}), "possible", []),
    ("yiliao", "病人，收入正好在标准上", dict(AT, members={"ill"}), "possible", ["边缘"]),
    ("yiliao", "病人，边缘", dict(EDGE, members={"ill"}), "possible", []),
    ("yiliao", "病人，收入说不清", dict(UNKNOWN, members={"ill"}), "possible", []),
    ("yiliao", "病人，收入高", dict(ABOVE, members={"ill"}), "unlikely", ["1.5倍"]),
    ("jiaoyu", "孤儿在上学", dict(ABOVE, members={"unparented", "student"}), "possible", ["孤儿"]),
    ("jiaoyu", "事实无人抚养的小孩", dict(ABOVE, members={"unparented", "child"}), "possible", ["孤儿"]),
    ("jiaoyu", "没父母照顾，但没孩子上学（说错了）", dict(ABOVE, members={"unparented"}), "unlikely",
     ["没有上学"]),
    ("jiaoyu", "孩子上学，人均三百", dict(BELOW, members={"student"}), "likely", ["教育救助"]),
    ("jiaoyu", "孩子上学，边缘", dict(EDGE, members={"student"}), "possible", []),
    ("jiaoyu", "孩子上学，收入高", dict(ABOVE, members={"student"}), "unlikely", []),
    ("jiuye", "能干活没活干，人均三百", dict(BELOW, members={"jobless"}), "likely", ["就业救助"]),
    ("jiuye", "能干活没活干，边缘", dict(EDGE, members={"jobless"}), "possible", ["就业帮扶"]),
    ("jiuye", "家里没有没活干的", BELOW, "unlikely", []),
    # 住房
    ("zhufang", "房子塌了，人均三百", dict(BELOW, event="house"), "possible", ["住房困难"]),
    ("zhufang", "房子着火烧了，收入正好在标准上", dict(AT, event="fire"), "possible", ["住房困难"]),
    ("zhufang", "水灾冲了房子，边缘", dict(EDGE, event="disaster"), "possible", ["住房困难"]),
    ("zhufang", "房子塌了，收入说不清", dict(UNKNOWN, event="house"), "possible", []),
    ("zhufang", "房子塌了，收入高", dict(ABOVE, event="house"), "unlikely", ["1.5倍"]),
    ("zhufang", "车祸，房子没事", dict(BELOW, event="accident"), "unlikely", ["没有说到住房"]),
    ("zhufang", "什么事也没出", BELOW, "unlikely", []),
    # 残疾人补贴
    ("canji", "家里没有残疾人", BELOW, "unlikely", ["没有残疾人"]),
    ("canji", "一级残疾，收入高", dict(ABOVE, members={"disabled"}, disability_severe=True), "likely", ["护理补贴"]),
    ("canji", "三级残疾，人均三百", dict(BELOW, members={"disabled"}, disability_severe=False), "likely",
     ["生活补贴"]),
    ("canji", "二级残疾，人均三百", dict(BELOW, members={"disabled"}, disability_severe=True), "likely",
     ["护理补贴", "生活补贴"]),
    ("canji", "残疾，吃低保，收入高了", dict(ABOVE, members={"disabled"}, benefits={"dibao"}), "likely",
     ["生活补贴"]),
    ("canji", "三级残疾，边缘", dict(EDGE, members={"disabled"}, disability_severe=False), "possible",
     ["残疾人证"]),
    ("canji", "残疾，等级没说，收入说不清", dict(UNKNOWN, members={"disabled"}), "possible", ["残疾人证"]),
    ("canji", "三级残疾，收入高", dict(ABOVE, members={"disabled"}, disability_severe=False), "unlikely",
     ["护理补贴给一级、二级", "1.5倍"]),
    # 儿童
    ("ertong", "没有父母照顾的孩子", dict(ABOVE, members={"unparented"}), "likely", ["民政部门认定"]),
    ("ertong", "残疾孩子，人均三百", dict(BELOW, members={"child", "disabled"}), "possible", ["康复"]),
    ("ertong", "残疾孩子，吃低保，收入高", dict(ABOVE, members={"child", "disabled"}, benefits={"dibao"}),
     "possible", []),
    ("ertong", "残疾孩子，收入正好在标准上", dict(AT, members={"child", "disabled"}), "unlikely", []),
    ("ertong", "孩子没残疾，人均三百", dict(BELOW, members={"child"}), "unlikely", []),
    ("ertong", "大人残疾，没孩子，人均三百", dict(BELOW, members={"disabled"}), "unlikely", []),
    # 老人
    ("laoren", "没有老人", BELOW, "unlikely", ["没有60岁以上"]),
    ("laoren", "老人，人均三百", dict(BELOW, members={"elderly"}), "possible", ["上门探访"]),
    ("laoren", "老人，边缘", dict(EDGE, members={"elderly"}), "possible", []),
    ("laoren", "老人，收入说不清", dict(UNKNOWN, members={"elderly"}), "possible", []),
    ("laoren", "老人，特困供养，收入高了", dict(ABOVE, members={"elderly"}, benefits={"tekun"}), "possible", []),
    ("laoren", "老人，收入高", dict(ABOVE, members={"elderly"}), "unlikely", ["1.5倍"]),
    # 受灾
    ("shouzai", "冰雹把庄稼打了", dict(ABOVE, event="disaster"), "likely", ["自然灾害"]),
    ("shouzai", "着火不是自然灾害", dict(BELOW, event="fire"), "unlikely", ["没有遇到自然灾害"]),
]


@pytest.mark.parametrize("programme,story,fields,outcome,words", CASES,
                         ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_programme_rule(programme, story, fields, outcome, words):
    finding = by_programme(household(**fields))[programme]
    text = " ".join(finding.reasons)
    assert (finding.outcome, [w for w in words if w not in text]) == (outcome, []), f"{story}: {finding}"


def test_assets_are_not_mentioned_when_income_already_rules_dibao_out():
    reasons = " ".join(by_programme(household(**ABOVE, assets={"car"}))["dibao"].reasons)
    assert "汽车" not in reasons and "财产" not in reasons


def test_a_car_is_named_as_a_car_not_by_its_footnote():
    reasons = " ".join(by_programme(household(**BELOW, assets={"car", "savings"}))["dibao"].reasons)
    assert "有汽车" in reasons and "存款" in reasons and "农用车" not in reasons and "够全家" not in reasons


# ------------------------------------------------------------------------- all programmes, best first

def test_best_first_and_the_taxonomy_order_within_a_tie():
    # 城里一口人，收入正好在标准上，上礼拜着火了：临时救助 likely; 低保、住房 possible; the rest unlikely.
    findings = screen(household(**AT, event="fire", event_recent=True), STD)
    assert [(f.programme, f.outcome) for f in findings] == [
        ("linshi", "likely"), ("dibao", "possible"), ("zhufang", "possible"), ("tekun", "unlikely"),
        ("yiliao", "unlikely"), ("jiaoyu", "unlikely"), ("jiuye", "unlikely"), ("canji", "unlikely"),
        ("ertong", "unlikely"), ("laoren", "unlikely"), ("shouzai", "unlikely")]


def test_an_unknown_income_ranks_between_possible_and_unlikely():
    # 老人一个人，收入说不清：特困、老人 possible, 低保 unknown, the rest unlikely.
    findings = screen(household(**UNKNOWN, members={"elderly"}), STD)
    assert [f.programme for f in findings][:4] == ["tekun", "laoren", "dibao", "linshi"]
    assert [f.outcome for f in findings][:4] == ["possible", "possible", "unknown", "unlikely"]


def test_per_capita_divides_the_household_income():
    assert household(size=4, income_low=1000, income_high=2000).per_capita() == (250, 500)
