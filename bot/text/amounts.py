"""Read a household's monthly income the way residents type it: 两千五, 一千多, 不到一千, 3万一年, 2.5k,
贰仟, 养老金一百二 打零工一个月五百 (several sources add up)."""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

from bot.text import kin
from bot.text.answers import after_correction

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
_PARTS = re.compile(r"\d+(?:\.\d+)?|.")
_RANK = "十百千万亿"

_NUM = r"(?:\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万亿])+"
_AMOUNT = re.compile(
    rf"(?P<pre>不到|不够|没到|没有|低于|少于|不足|不超过|最多|顶多)?"
    rf"(?P<a>{_NUM})(?:(?:到|至|-|~|—|–)(?P<b>{_NUM}))?"
    r"(?P<mod>多|来|出头|挂零|以下|以内|之内|以上|左右)?(?P<unit>块钱|块|元|钱)?(?P<post>多|挂零|以下|以内|之内|以上|左右)?"
)
# A number right after 第 or right before one of these counts something other than money (三口人, 2026年, 3个).
_NOT_MONEY_AFTER = re.compile(r"[口人个岁亩年号间次分毛角斤天月周楼层户孩娃平米里级届期点回遍张位名只头件台辆]")
_YEAR = re.compile(r"一年(?:下来|到头)?|每年|全年|年收入|年薪|年入|(?<!\d)1年")
_DAY = re.compile(r"一天|每天|天天|一日|每日|日薪")
_MONTH = re.compile(r"(?<![十0-9])一个月|每个月|每月|月收入|月入|月薪|(?<!\d)1个月")  # 十一个月 is months worked
_CONTEXT = re.compile(r"收入|挣|赚|工资|薪|养老金|退休金|补助|补贴|低保|低宝|地保|底保|抵保|五保|五包|特困|救助金|护理费|抚恤|赡养费|抚养费"
                      r"|进账|拿|给打|打钱|给钱")
_FILLER = re.compile(r"大概|大约|差不多|估计|可能|也就|就|吧|啊|呀|呢|的样子|[|\s]")
_ZERO = re.compile(r"没(?:有)?(?:什么|啥|任何)?(?:收入|进项|进账|工资)|无收入|零收入|一点(?:收入|钱|进项)?(?:都|也)(?:没|不)"
                   r"|(?:一分钱?(?:收入|进项|进账)?|(?:啥|什么|任何)(?:收入|进项|进账))(?:都|也)?(?:没|不)"
                   r"|收入(?:为|是)?(?:0|零)(?![\d.])|^(?:0|零)(?:元|块)?$")
# Where money comes from: a part of the message with one of these and an amount is one source of income.
_SOURCE = re.compile(_CONTEXT.pattern + r"|打工|零工|种地|卖|干活|上班|养老|租|进项|接济|包出去|包给|承包|流转"
                     r"|保洁|打扫|扫大街|环卫|外卖|快递|摆摊|保姆|护工|门卫|打更|看大门|看车库|看门|工地")
# A part about the past ("以前他打工一个月三千") gives way to what is true now ("现在一分没有").
_PAST = re.compile(r"以前|原来|原先|过去|之前|早先|从前|那会|往年|往常|以往|前些年|早些年|那些年|没出事|出事前|没病(?:那会|的时候)")
# 房租还得五百: paid out; 还有个房租一个月八百 is rent received; 抚养费 / 赡养费 / 护理费 come in
_SPENDING = re.compile(r"欠|花|借|债|贷|(?<!抚养)(?<!赡养)(?<!护理)(?<!生活)费|流水|营业额|看病|治病|交|开销|开支|还款|还钱|搭进|赔|(?<!出)租房"
                       r"|还得(?!加|算)|药钱|买药|吃药|学费|光.{0,8}就得|给[^\s，。,]{0,4}?寄(?!回|来)|寄给")
_NOW = re.compile(r"现在|如今|眼下|这会|目前|这阵|今年")
_NOT_EVEN = re.compile(r"连?一(?:块|分|毛)钱?(?:都|也)没(?:有)?")
_NOW_NOTHING = re.compile(r"(?:啥|什么)(?:也|都)没(?:有|了)?|一分(?:钱)?(?:也|都)?没(?:有|了)?|没(?:有)?了$|断了$")
# "一年剩不了六千 也就四千八": a figure denied on the way to the one meant (its period stays).
_DENIED_FIGURE = re.compile(rf"(?:不了|不上|不到|不够|没到|没有|没)(?={_NUM}(?:块钱|块|元|钱)?[^\d零〇一二两三四五六七八九十百千万亿]+{_NUM})"
                            rf"{_NUM}(?:块钱|块|元|钱)?")
# "俺俩养老金一人一百五": per head, for the people counted in the message (or, for 人均, in the household)
_EACH = re.compile(r"一人|每人|一个人|各|人均")
_PER_HEAD = re.compile(r"一人|每人|一个人|人均")  # of everyone in the home; 各 may be each of two children
# "一个四千一个三千五": one figure per person, each its own part
_ONE_EACH = re.compile(r"(?:另)?一个(?=\d|[一二两三四五六七八九][十百千万])")
# "我5000 我媳妇3000": who earns it, then the figure alone
_KIN = rf"{kin.CLOSE}|大的|小的|老大|老二"
_EARNER = re.compile(rf"^(?:就|光)?(?:(?:我|俺|他|她|咱)(?:家)?(?:自己|自个儿?)?(?:的|那|这)?(?:{_KIN})?|(?:{_KIN}))"
                     r"(?=\d|[一二两三四五六七八九])")
# "没个准 好的时候两千 不好的时候一千": income that varies, told by its good and its bad times, is a range
_GOOD_TIMES = re.compile(r"(?<!不)(?:好|多|忙|旺)的?时候|行情好|年景好|旺季")
_BAD_TIMES = re.compile(r"(?:不好|少|闲|淡|差|孬)的?时候|行情不好|年景不好|淡季")
# a part that names who earns and where, the figure in the next part: "媳妇在超市 一千八"
_BY_WHOM = re.compile(rf"^(?:(?:我|俺|他|她|咱)(?:家)?(?:的)?)?(?:{_KIN})(?:在|去|上|给)")
_HEADS = {"俩": 2, "两个人": 2, "两人": 2, "两口": 2, "二人": 2, "仨": 3, "三个人": 3, "三人": 3,
          # a couple named by kin: "公公婆婆养老金一人一个月一百四" is two, not everyone at home
          "公公婆婆": 2, "老公公老婆婆": 2, "公婆": 2, "爸妈": 2, "爹妈": 2, "爹娘": 2, "老爹老娘": 2, "岳父岳母": 2, "老丈人丈母娘": 2}
_HEADS_SAID = re.compile("|".join(_HEADS))
# "…一个月干二十五天 是一千五": a last "是" and a figure sums what came before it
_TOTAL = re.compile(r"一共|总共|统共|拢共|合计|加起来|总的|算下来|算起来|满打满算|都算上|全算上|平均"
                    r"|^是(?=[0-9一二两三四五六七八九十])")
# "有活一个月四五千 没活就没有 一年下来估计两万来块": the year's figure, with no source of its own, is the sum
_YEAR_ROUND = re.compile(r"一年(?:下来|到头|算下来)|全年下来")
# Run-on voice input: a figure, then the next earner ("退休金一千八儿子在超市看门一个月一千") starts a new part
# run-on voice input: a figure in yuan, then the next source ("一年三万来块开春到秋俺给人扎钢筋…")
_NEXT_SOURCE = re.compile(r"(?<=[块元])(?<!一块)(?!挂零|以上|以下|以内|之内|上下|出头|左右)"  # 加一块: "together"
                          r"(?=[^\d钱，,。\s|多吧啊呢的][^，,。\s]*?[0-9一二两三四五六七八九十百千万])")  # a figure follows
_NEXT_EARNER = re.compile(rf"(?<=[0-9一二两三四五六七八九十百千万块元天])(?=(?:{kin.CLOSE}|{kin.WIDER}|我|俺|他|她)(?![们俩]))")
# Parts of a message: spaces before a word (not before a figure: "1 500", "低保 300"), commas not grouping thousands.
_PART_BREAK = re.compile(r"\s+(?!\d)|[，。；;！!？?、]+|,(?!\d{3}(?!\d))")
_FORMAL_DIGITS = str.maketrans("壹贰貳叁參肆伍陆陸柒捌玖拾佰仟萬", "一二二三三四五六六七八九十百千万")
_SPOKEN_DIGIT = re.compile(r"[俩仨](?=[十百千万])")  # 俩千; 俩人 stays people
# "十来万", "三十多万": about, then the unit; a run of figures is tried from its start only (linear on long runs)
_ABOUT_BEFORE_UNIT = re.compile(r"(?<![0-9一二两三四五六七八九十百])([0-9一二两三四五六七八九十百]{1,8})(来|多)(万|千)")
# "万把块", "千把块": about one (万把 is said of ten thousand, not of a handful)
_ROUGHLY_ONE = re.compile(r"(?<![0-9一二两三四五六七八九十百千万])([万千])把")
# Pay for the days or months worked, not for every day of the month or the year: "一天一百五 一个月也就干十来天",
# "冬天出去打工干仨月 一个月四千" (4000 × 3 / 12).
_DAYS_WORKED = re.compile(r"(?:干|上|出)(?:个|了)?(?P<n>[0-9]{1,3}|[一二两三四五六七八九十百]{1,4})(?P<mod>来|多)?(?:天|个工)"
                          r"|(?P<half>半个月)")
_MONTHS_WORKED = re.compile(r"(?:(?:干|打工|出去|上班|那)(?:个|了)?|^)(?:(?P<n>[0-9]{1,2}|[一二两三四五六七八九十仨俩]{1,3})(?P<mod>来|多)?"
                            r"个?月(?!份|前|以前|之前|没)|(?P<half>半年)|(?P<season>一季))")
# a season's work is about three months of the year: "夏天打工能挣个一万来块 冬天没活"
_SEASON_WORKED = re.compile(r"(?:夏天|冬天|秋天|春天|夏季|冬季|农闲)(?:的时候|里|时)?(?:出去|去外面|在外)?"
                            r"(?:打工|打零工|干活|上班|干|挣)")
# 加一块 / 合一起 is "together", not one yuan (养老金俩人加一块三百).
_TOGETHER = re.compile(r"(?:加|合|算|放|搁)(?:在|到)?一(?:块儿?|起)")
# 已千五, 以千五: 一 typed by sound, at the start of the answer only ("所以千万别" stays words).
_SOUND_ONE = re.compile(r"^((?:大概|大约|差不多|也就|就)?)[已以依衣](?=[千百])")


@dataclass(frozen=True)
class MoneyRange:
    """Yuan per month, both ends inclusive; an exact amount has low == high."""
    low: int
    high: int


def parse_chinese_number(token: str) -> int | None:
    """一千二百五十, 两万三, 三千零五, 十五, 1万2, 2.5千. A digit straight after a unit is the next unit down
    (两千五 = 2500, 一万二 = 12000), as people say it; after 零 it is literal (三千零五 = 3005)."""
    token = unicodedata.normalize("NFKC", token or "").strip()
    if not token:
        return None
    total = section = 0.0
    number: float | None = None
    last_unit = 0          # the unit just written, for the 口语 rule; 0 once 零 or a digit breaks the chain
    smallest = 10 ** 9     # units in one 万-section must fall: 三千五百, never 五百三千
    previous = ""
    for part in _PARTS.findall(token):
        if part[0].isdigit() or part in _DIGITS:
            if number is not None:
                return None  # two digits in a row (二〇二六, 五六): not one number
            number = float(part) if part[0].isdigit() else _DIGITS[part]
            if part in ("零", "〇"):
                number, last_unit = None, 0
        elif part in _SMALL_UNITS:
            unit = _SMALL_UNITS[part]
            # Only 十 may stand without a digit, and only first or after 零 (十五, 一千零十).
            if unit >= smallest or (number is None and not (part == "十" and previous in ("", "零", "〇"))):
                return None
            section += (1 if number is None else number) * unit
            number, last_unit, smallest = None, unit, unit
        elif part in _BIG_UNITS:
            unit = _BIG_UNITS[part]
            if number is None and section == 0 and total == 0:
                return None
            value = section + (number or 0)
            total = (total + value) * unit if unit > 10_000 else total + value * unit
            number, section, last_unit, smallest = None, 0, unit, 10 ** 9
        else:
            return None
        previous = part
    if number is not None:
        # Only a lone digit is 口语 shorthand; "3千500" already says 500.
        section += number * last_unit / 10 if last_unit and number < 10 else number
    value = total + section
    if not math.isfinite(value):  # 一亿亿亿…, 999… past a float: no amount anyone has
        return None
    return int(round(value)) if abs(value - round(value)) < 1e-9 else None


def _span(token: str) -> tuple[int, int] | None:
    """One amount or a spoken pair of neighbouring digits: 一两千 → 1000–2000, 三千五六 → 3500–3600, 三五千."""
    value = parse_chinese_number(token)
    if value is not None:
        return value, value
    pair = re.fullmatch(r"(.*[十百千万亿])?([一二两三四五六七八])([二两三四五六七八九])([十百千万])?", token)
    if not pair:
        return None
    head, first, second, unit = (group or "" for group in pair.groups())
    if _DIGITS[second] != _DIGITS[first] + 1 and first + second != "三五":  # 三五千: the one pair said two apart
        return None
    low, high = parse_chinese_number(head + first + unit), parse_chinese_number(head + second + unit)
    return None if low is None or high is None else (low, high)


def _place(value: int) -> int:
    """Place of the last non-zero digit: 1000 → 1000, 2500 → 100; sets how wide 多 and 以上 are."""
    place = 1
    while value and value % (place * 10) == 0:
        place *= 10
    return place


def _money_range(match: re.Match[str]) -> tuple[int, int] | None:
    a, b = match["a"], match["b"]
    first = _span(a)
    if first is None:
        return None
    low, high = first
    if b:
        second = _span(b)
        if second is None:
            return None
        # "1到2千", "一到两千五": the first end borrows the second's (first) unit when that keeps the range in order.
        unit = re.search(r"[百千万]", b)
        # "二十到三十万" too: a first end in smaller units only ("五千到一万" stays 5000 by the order check)
        if unit and all(_RANK.index(c) < _RANK.index(unit.group()) for c in a if c in _RANK):
            borrowed = _span(a + unit.group())
            if borrowed and borrowed[0] <= second[1]:
                low = borrowed[0]
        low, high = sorted((low, second[1]))
    words = {match["pre"], match["mod"], match["post"]}
    if words & {"不到", "不够", "没到", "没有", "低于", "少于", "不足", "以下"}:
        return 0, max(low - 1, 0)
    if words & {"不超过", "最多", "顶多", "以内", "之内"}:
        return 0, high
    if words & {"多", "来", "出头", "挂零"}:  # 一千挂零: a little over a thousand
        return low, high + max(_place(high) // 2, 1) - 1
    if "以上" in words:
        return low, high + _place(high) - 1
    return low, high


# Land let out by the mu: "地包出去了 一亩八百 六亩", "八亩地包出去了 一亩七百" (rent is by the year)
_PER_MU = re.compile(rf"一亩(?:地)?(?:给|能给|是|租金|一年)?({_NUM})(?:块钱|块|元|钱)?")
_MU = re.compile(rf"({_NUM})亩")


def _land_rent(text: str) -> str:
    """The rent of all the land said as one yearly figure, where a price per mu and a count of mu are both said."""
    price = _PER_MU.search(text)
    counts = [m for m in _MU.finditer(text) if not price or m.start() != price.start()] if price else []
    if not price or len(counts) != 1:
        return text
    per_mu, mu = parse_chinese_number(price.group(1)), parse_chinese_number(counts[0].group(1))
    if not per_mu or not mu or mu > 1000:
        return text
    rent = f" 地租一年{per_mu * mu}元 "
    first, second = sorted((price, counts[0]), key=lambda m: m.start())
    return (text[:first.start()] + (rent if first is price else "") + text[first.end():second.start()]
            + (rent if second is price else "") + text[second.end():])


def parse_monthly_income(text: str, household: int | None = None) -> MoneyRange | None:
    """Monthly income in yuan, or None if the message states no amount of money. After a self-correction
    ("两千五 不对 也就两千") the amount after it counts, in the period said before it if it names none;
    separate sources, each with its own period, add up. `household`: its size, for an amount per head
    ("人均四百") when the message counts nobody."""
    settled = _land_rent(after_correction(text or ""))
    said_before = _period(_key((text or "")[:len(text or "") - len(settled)])) if settled != (text or "") else None
    if said_before is not None and _period(_key(settled)) is None:  # "一年下来八千 不对 九千六"
        settled = {1 / 12: "一年 ", 30.0: "一天 ", 1.0: "一个月 "}[said_before] + settled
    text = _ONE_EACH.sub("，", _DENIED_FIGURE.sub("", settled))  # "一个4000一个3500": two figures, not one run
    text = _NEXT_SOURCE.sub("，", _NEXT_EARNER.sub("，", text))
    parts = [_key(part) for part in _PART_BREAK.split(text) if part.strip()]
    now, in_past = [], False
    for part in parts:  # "俺出事以前开四轮 一年挣个三四万 现在…": the past runs on until something is said of now
        in_past = bool(_PAST.search(part)) or in_past and not _NOW.search(part)
        if not in_past:
            now.append(part)
    if len(now) < len(parts) and now:  # what was is not what is: the past parts go
        if any(_NOW_NOTHING.search(part) or _ZERO.search(part) for part in now) and not any(
                _read(part, 1.0) for part in now):
            return MoneyRange(0, 0)
        parts, text = now, " ".join(now)
    # A part that only names the period sets it for the others: "一年下来 种地一万 打工两万".
    factor = next((f for part in parts for f in [_period(part)] if f and _read(part, 1.0) is None), 1.0)
    # A part that names a source or a total is about money: its bare number is an amount (打零工五百).
    # A part with its own period or in yuan is one too, its source said before it ("还有低保 一个月三百来块").
    # Money going out (欠了两万, 一年花两万) is not income.
    # A source named on its own first ("退休金 俺两千一 他两千六") makes the figures after it amounts of it.
    named = any(_SOURCE.search(part) and _read(part, 1.0) is None for part in parts)
    said = _HEADS_SAID.search(text)
    heads = _HEADS[said.group()] if said else household if household and _PER_HEAD.search(text) else 1
    swings = [(_GOOD_TIMES.search(part), amount) for part in parts if _GOOD_TIMES.search(part) or _BAD_TIMES.search(part)
              for amount in [_read(part, factor, True)] if amount]
    if len(swings) >= 2 and any(good for good, _ in swings) and not all(good for good, _ in swings):
        return MoneyRange(min(a.low for _, a in swings), max(a.high for _, a in swings))
    scales = _worked(parts)
    counted = [(i, _each(amount, heads) if _EACH.search(part) else amount) for i, part in enumerate(parts)
               if (_SOURCE.search(part) or named or _period(part) or re.search(r"块|元", part) or _EARNER.match(part)
                   or i and _BY_WHOM.match(parts[i - 1]) and _read(parts[i - 1], 1.0) is None)
               and not _SPENDING.search(part)
               for amount in [_read(part, factor, True, scales.get(i))] if amount]
    if _sum_said_last(parts, [parts[i] for i, _ in counted]):
        return counted[-1][1]
    counted = _restated(parts, counted)
    # 加一块 (| in the key) sums what came before it, unless it sums a source of its own ("俺俩养老金加一块二百多")
    at, total = next(((i, amount) for i, part in enumerate(parts)
                      if _TOTAL.search(part) or ("|" in part or _YEAR_ROUND.search(part)) and not _SOURCE.search(part)
                      for amount in [_read(part, factor, True)] if amount), (len(parts), None))
    # a total covers what was said before it: "俩人养老金一共三百 地租一年五千" adds the rent
    sources = [amount for i, amount in counted if total is None or i > at]
    if sources:
        return MoneyRange(sum(a.low for a in sources) + (total.low if total else 0),
                          sum(a.high for a in sources) + (total.high if total else 0))
    # money going out is no income: "看病花了两万 抚养费不给" states none
    return total or _read("".join(part for part in parts if not _SPENDING.search(part) or "剩" in part), 1.0)


def _restated(parts: list[str], counted: list[tuple[int, MoneyRange]]) -> list[tuple[int, MoneyRange]]:
    """"一年也就两千多块 一个月二百来块吧": the same money said again in another period, with no source of its
    own, is not a second source; the later saying counts."""
    kept: list[tuple[int, MoneyRange]] = []
    for i, amount in counted:
        if kept and kept[-1][0] == i - 1 and not _SOURCE.search(parts[i]) and not _EARNER.match(parts[i]):
            before = kept[-1][1]
            if _period(parts[i]) not in (None, _period(parts[i - 1])) and (
                    amount.low <= before.high and before.low <= amount.high):
                kept.pop()
        kept.append((i, amount))
    return kept


def _worked(parts: list[str]) -> dict[int, tuple[float, float]]:
    """For the parts paid by the day or for months of work, what the figure is multiplied by for a month:
    "一天一百五 一个月也就干十来天" (the days worked, not 30), "冬天出去干仨月 一个月四千" (× 3 / 12),
    "仨月挣一万二" and "干仨月 挣个九千" (a season's pay over the year, / 12), "一天一人一百 一年也就干半年"
    (30 × 6 / 12)."""
    days = next((m for part in parts for m in [_DAYS_WORKED.search(part)] if m), None)
    per_day = (30.0, 30.0)
    if days:
        low, high = (15, 15) if days["half"] else _span(days["n"]) or (0, 0)  # 干个两三天: two to three days
        if 0 < low <= high <= 31:
            per_day = (low, high + (4 if days["mod"] and low >= 10 else 0))
        elif 31 < low <= high <= 366:  # "一天一百八 能干一百来天": the days of a year, a month's share of them
            per_day = (low / 12, (high + (low // 10 if days["mod"] else 0)) / 12)
    months, at = None, 0
    for i, part in enumerate(parts):
        found = _MONTHS_WORKED.search(part)
        if not found:
            continue
        count = 6 if found["half"] else 3 if found["season"] else parse_chinese_number(
            {"仨": "三", "俩": "两"}.get(found["n"], found["n"]))
        if count and 1 < count <= 12:  # "打工一个月四千" is a monthly wage; "干了十二个月 挣了三万六" a year's
            high = min(count + (2 if found["mod"] else 0), 12)
            months, at = (count / 12, high / 12), i
            break
    if months is None:  # no count of months said: a season's work is a quarter of the year
        at = next((i for i, part in enumerate(parts) if _SEASON_WORKED.search(part)), None)
        months, at = ((3 / 12, 3 / 12), at) if at is not None else (None, 0)
    scales = {i: per_day for i, part in enumerate(parts) if _period(part) == 30.0}
    if months:
        scales = {i: (low * months[0], high * months[1]) for i, (low, high) in scales.items()}
        # the pay said after the months worked, else before them ("一个月能挣三千 干四个月")
        paid = next((j for j in [*range(at, len(parts)), *range(at - 1, -1, -1)]
                     if _read(parts[j], 1.0) and _period(parts[j]) in (1.0, None)), None)
        if paid is not None and _period(parts[paid]) == 1.0:
            scales[paid] = months
        elif paid is not None:  # a sum for the months worked
            scales[paid] = (1 / 12, 1 / 12)
    return scales


def _sum_said_last(parts: list[str], with_amounts: list[str]) -> bool:
    """"养老金三百来块 种地一年三千 一个月就五百多": after two sources, a monthly figure with 就/才 and no source
    of its own is their sum; not when a source was named just before it ("还有低保 一个月三百来块")."""
    if len(with_amounts) < 3 or with_amounts[-1] != parts[-1]:
        return False
    last, before = parts[-1], parts[-2]
    return (bool(_MONTH.search(last)) and not _SOURCE.search(last) and bool(re.search(r"就|才|顶多|最多", last))
            and not (_SOURCE.search(before) and _read(before, 1.0) is None))


def _each(amount: MoneyRange, heads: int) -> MoneyRange:
    return MoneyRange(amount.low * heads, amount.high * heads)


def _key(text: str) -> str:
    key = unicodedata.normalize("NFKC", text).lower().translate(_FORMAL_DIGITS)
    key = re.sub(r"(?<=\d),(?=\d{3})", "", key)          # 2,500
    key = re.sub(r"(?<=[\d.])k", "千", key)
    key = re.sub(r"(?<=[\d.])w", "万", key)
    key = re.sub(r"[\s,，。!！?？、]+", "", key)
    key = _SPOKEN_DIGIT.sub(lambda m: "两" if m.group() == "俩" else "三", key)
    key = _ABOUT_BEFORE_UNIT.sub(r"\1\3\2", key)  # 十来万 → 十万来
    key = _ROUGHLY_ONE.sub(r"一\1", key)  # 万把块 → 一万块
    key = re.sub(r"(?<=多)点儿?", "", key)  # 四千多点: a bit over, not o'clock
    return _TOGETHER.sub("|", _SOUND_ONE.sub(r"\1一", key))


def _period(key: str) -> float | None:
    """1/12 for a year, 30 for a day, 1 for a month, None when no period is said. When several are said,
    the first one counts: "一个月也就一千八 他爸天天在医院陪护" is monthly, the 天天 is about the hospital."""
    said = [(m.start(), factor) for pattern, factor in ((_YEAR, 1 / 12), (_DAY, 30.0), (_MONTH, 1.0))
            for m in [pattern.search(key)] if m]
    return min(said)[1] if said else None


def _read(key: str, default: float, about_money: bool = False,
          scale: tuple[float, float] | None = None) -> MoneyRange | None:
    period = _period(key)
    factor = default if period is None else period
    low_factor, high_factor = scale or (factor, factor)  # days or months worked (_worked)
    # Cut the period words out so the 一 in 一年 / 一个月 is not read as an amount.
    key = _MONTH.sub("|", _DAY.sub("|", _YEAR.sub("|", key)))
    key = _NOT_EVEN.sub("没有收入", key)  # "连一块钱都没有": not one yuan
    has_context = about_money or period is not None or bool(_CONTEXT.search(key))
    candidates = []
    for match in _AMOUNT.finditer(key):
        before, after = key[:match.start()], key[match.end():]
        if (before.endswith("第") or _NOT_MONEY_AFTER.match(after) or not re.search(r"[^百千万亿]", match["a"])
                or re.fullmatch(r"\d{7,}", match["a"])  # a phone or ID number, never an income
                or match.group() in ("零", "〇") and re.match(r"[\u4e00-\u9fff]", after)):  # 零工, 零花钱
            continue
        amount = _money_range(match)
        has_unit = bool(match["unit"] or re.search(r"[千万亿]", match["a"] + (match["b"] or "")))
        # A lone small number with no unit is a word (一直, 收入一般), not an income.
        if amount is not None and (has_unit or not 0 < amount[1] < 10):
            bare = not _FILLER.sub("", before + after)
            candidates.append((has_unit, bare, amount))
    chosen = next((c for c in candidates if c[0]), None) or next(iter(candidates), None)
    if chosen is not None:
        has_unit, bare, (low, high) = chosen
        if has_unit or has_context or (bare and (high >= 100 or high == 0)):
            return MoneyRange(int(round(low * low_factor)), int(round(high * high_factor)))
    return MoneyRange(0, 0) if _ZERO.search(key) else None
