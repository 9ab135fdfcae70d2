"""The pre-screen: about eight questions in the order an intake worker asks them, then a summary to
confirm, the screening result, consent, and contact details for the referral."""
from __future__ import annotations

from typing import Any

from bot.forms.choices import Choices, Option
from bot.forms.engine import UNKNOWN, Form, FormTurn, Parsed, Question, State, summary
from bot.forms.places import UNCLEAR_PLACE, ask_place, parse_place, prefill_place, show_place
from bot.forms.results import screening_messages
from bot.screening.household import ASSETS, BENEFITS, EVENTS, MEMBERS, Household
from bot.screening.rules import Standard, screen
from bot.text.amounts import parse_monthly_income
from bot.text.answers import is_unknown, yes_no
from bot.text.contact import parse_mobile, parse_person_name
from bot.text.counts import parse_people_count
from bot.text.normalize import fold

WHOSE = Choices((Option("self", "我自己家", ("我家", "自己", "本人", "我")),
                 Option("relative", "帮亲戚、朋友、邻居问", ("亲戚", "朋友", "邻居", "别人", "帮", "替"))))
MEMBER_CHOICES = Choices(tuple(Option(k, v, w) for (k, v), w in zip(MEMBERS.items(), (
    ("老人", "老伴", "岁数大", "六十", "七十", "八十"), ("小孩", "孩子小", "娃"), ("上学", "学生", "念书", "读书"),
    ("残疾", "残废", "瘫", "残"), ("病", "癌", "住院"), ("失业", "没活", "没工作", "下岗"),
    ("孤儿", "没爹", "没妈", "没父母", "没人管的孩子")))), multiple=True, none_option=True)
DISABILITY = Choices((Option("severe", "一级或二级", ("一级", "二级", "1级", "2级", "重度")),
                      Option("mild", "三级或四级", ("三级", "四级", "3级", "4级")),
                      Option("none", "还没办残疾证", ("没证", "没办", "没有证"))))
SUPPORTER = Choices((Option("none", "没有", ("没有", "没人", "无")),
                     Option("poor", "有，但他们自己也困难", ("困难", "顾不上", "管不了", "养不起")),
                     Option("able", "有，能管", ("能管", "管", "能养"))))
EVENT_CHOICES = Choices(tuple(Option(k, v, w) for (k, v), w in zip(EVENTS.items(), (
    ("着火", "火灾", "失火", "烧"), ("水灾", "冰雹", "洪", "淹", "旱", "风灾", "雪灾", "灾"), ("车祸", "意外", "摔", "砸"),
    ("重病", "得病", "住院", "癌", "脑梗", "病"), ("房子塌", "危房", "漏", "倒了")))), none_option=True)
WHEN = Choices((Option("recent", "最近一个月内", ("昨", "今天", "前天", "刚", "这几天", "上周", "这个月", "最近", "半个月")),
                Option("earlier", "一个多月以前", ("去年", "前年", "几个月", "半年", "年前", "早"))))
ASSET_CHOICES = Choices(tuple(Option(k, v, w) for (k, v), w in zip(ASSETS.items(), (
    ("汽车", "轿车", "车"), ("别的房", "两套", "楼房", "门市"), ("存款", "存了", "积蓄"), ("开店", "生意", "厂", "买卖")))),
    multiple=True, none_option=True)
BENEFIT_CHOICES = Choices(tuple(Option(k, v, w) for (k, v), w in zip(BENEFITS.items(), (
    ("低保",), ("特困", "五保"), ("边缘",)))), multiple=True, none_option=True)


def _menu(intro: str, choices: Choices, hint: str) -> str:
    return f"{intro}\n{choices.render()}\n（{hint}）"


def _choice(choices: Choices, example: str, unknown_ok: bool = False):
    def parse(text: str, state: State) -> Parsed:
        if unknown_ok and is_unknown(text):
            return Parsed(value=UNKNOWN)
        return choices.parse(text, example)
    return parse


def _labels(choices: Choices, value: Any) -> str:
    if value == UNKNOWN:
        return "不清楚"
    if value in ("none", []):
        return "都没有"
    keys = value if isinstance(value, list) else [value]
    return "、".join(choices.label(k) for k in keys)


def _size(text: str, state: State) -> Parsed:
    if is_unknown(text):
        return Parsed(error="人口数要说个大概，比如“三口人”或者“就我一个”。")
    size = parse_people_count(text)
    if size is None:
        return Parsed(error="没看明白有几口人。请说个数，比如“三口人”或者“就我一个”。")
    return Parsed(value=size)


def _income(text: str, state: State) -> Parsed:
    if is_unknown(text):
        return Parsed(value=UNKNOWN)
    money = parse_monthly_income(text)
    if money is None:
        return Parsed(error="没看明白收入是多少。说个大概就行，比如“一千五左右”“一个月八百来块”“没有收入”。"
                            "不清楚就回复“不知道”。")
    return Parsed(value={"low": money.low, "high": money.high})


def _show_income(value: Any) -> str:
    if value == UNKNOWN:
        return "不清楚"
    low, high = value["low"], value["high"]
    return f"每月约{low}元" if low == high else f"每月约{low}—{high}元"


def _yes_no(example: str):
    def parse(text: str, state: State) -> Parsed:
        answer = yes_no(text)
        if answer is None:
            return Parsed(error=f"请回复“{example}”或者“不{example}”。")
        return Parsed(value="yes" if answer else "no")
    return parse


def _confirm(text: str, state: State) -> Parsed:
    answer = yes_no(text)
    if answer is True:
        return Parsed(value="yes")
    if answer is False:
        return Parsed(error="哪一项不对？回复“改”加序号，比如“改3”。")
    return Parsed(error="都对的话回复“对”；要改就回复“改”加序号，比如“改3”。")


def _name(text: str, state: State) -> Parsed:
    key = fold(text)
    if key in {"不说", "不想说", "不留", "不方便", "不告诉", "保密", "算了吧", "不用"}:
        return Parsed(value="")
    name = parse_person_name(text)
    if name is None:
        return Parsed(error="怎么称呼您？说个姓就行，比如“王大姐”“老李”。不想说就回复“不说”。")
    return Parsed(value=name)


def _phone(text: str, state: State) -> Parsed:
    phone = parse_mobile(text)
    if phone is None:
        return Parsed(error="没看明白电话号码。请发手机号（11位）或带区号的座机，比如“13912345678”。"
                            "不想留电话就回复“算了”，您也可以直接去乡镇窗口。")
    return Parsed(value=phone)


def household_of(state: State) -> Household:
    place = state.get("place") or {}
    income = state.get("monthly_income")
    members = state.get("special_members") or []
    event = state.get("sudden_event")
    assets = state.get("assets")
    return Household(
        size=state.get("household_size") if isinstance(state.get("household_size"), int) else None,
        income_low=income["low"] if isinstance(income, dict) else None,
        income_high=income["high"] if isinstance(income, dict) else None,
        urban=place.get("urban"),
        members=set(members) if isinstance(members, list) else set(),
        disability_severe={"severe": True, "mild": False}.get(state.get("disability") or ""),
        supporter=state.get("supporter") if state.get("supporter") in ("none", "poor", "able") else None,
        event=event if event in EVENTS else None,
        event_recent={"recent": True, "earlier": False}.get(state.get("event_when") or ""),
        assets=set(assets) if isinstance(assets, list) else None,
        benefits=set(state.get("current_benefits") or []) if isinstance(state.get("current_benefits"), list) else set(),
    )


def _may_support(state: State) -> bool:
    members = set(state.get("special_members") or []) if isinstance(state.get("special_members"), list) else set()
    size = state.get("household_size")
    return isinstance(size, int) and size <= 2 and bool(
        members & {"elderly", "child", "unparented"} or state.get("disability") == "severe")


def _clearly_well_off(state: State) -> bool:
    std: Standard = state["_std"]
    per_capita = household_of(state).per_capita()
    return per_capita is not None and per_capita[0] >= std.urban * 1.5 and not state.get("special_members")


def _result(value: Any, state: State) -> list[str]:
    return screening_messages(screen(household_of(state), state["_std"]), state["_kb"])


def _consent_text(state: State) -> str:
    place = state.get("place") or {}
    office = place.get("office") or "乡镇（街道）社会救助窗口"
    return (f"要不要我把您的情况转给{office}，请工作人员联系您、帮您申请？\n"
            "会转过去的：刚才您说的家里情况、您的称呼和电话。\n"
            "只给办救助的工作人员用，不做别的用。\n"
            "同意就回复“同意”，不同意回复“不同意”（不同意也可以自己去窗口办）。")


def _intro(turn: FormTurn, state: State) -> list[str]:
    return ["别着急，我问您几个简单的问题（大约8个），帮您看看能申请哪些救助，再帮您转给乡镇（街道）的工作人员。\n"
            "说错了可以回复“改一下”，不想办了回复“算了”。"]


def _prefill(turn: FormTurn, state: State) -> State:
    """What the resident already said when asking for help counts as an answer (they confirm it later)."""
    found: State = {}
    text = turn.text
    size = parse_people_count(text) if any(w in text for w in ("口", "个人", "俩", "仨")) else None
    if size:
        found["household_size"] = size
    members = [o.key for o in MEMBER_CHOICES.options if any(w in text for w in o.words)]
    if members:
        found["special_members"] = members
    events = [o.key for o in EVENT_CHOICES.options if any(w in text for w in o.words[:3])]
    if len(events) == 1:
        found["sudden_event"] = events[0]
    place = prefill_place(text, state["_townships"])
    if place:
        found["place"] = place
    return found


QUESTIONS = [
    Question("need_whose", "为谁问", lambda s: _menu("先问一下，是给谁问的？", WHOSE, "回复数字就行"),
             _choice(WHOSE, "1"), lambda v: _labels(WHOSE, v)),
    Question("place", "住在", ask_place, parse_place, show_place,
             give_up=UNCLEAR_PLACE),
    Question("household_size", "家里人口", lambda s: "家里一起过日子的有几口人？算上您自己，比如“三口人”。",
             _size, lambda v: f"{v}口人"),
    Question("monthly_income", "全家收入",
             lambda s: "全家一个月大概能有多少收入？打工、种地、养老金都算，说个大概就行，比如“一千五左右”。"
                       "不清楚就回复“不知道”。", _income, _show_income, give_up=UNKNOWN),
    Question("special_members", "家里有", lambda s: _menu("家里有没有下面这些人？", MEMBER_CHOICES,
                                                     "可以多选，比如回复“1 5”；都没有回复“0”"),
             _choice(MEMBER_CHOICES, "1 5"), lambda v: _labels(MEMBER_CHOICES, v)),
    Question("disability", "残疾等级", lambda s: _menu("残疾人办了残疾证吗？是几级？", DISABILITY, "回复数字就行"),
             _choice(DISABILITY, "1", unknown_ok=True), lambda v: _labels(DISABILITY, v),
             when=lambda s: "disabled" in (s.get("special_members") or []), give_up=UNKNOWN),
    Question("supporter", "能养他的人", lambda s: _menu("有没有子女或别的亲人能养活、照顾他们？", SUPPORTER, "回复数字就行"),
             _choice(SUPPORTER, "1", unknown_ok=True), lambda v: _labels(SUPPORTER, v),
             when=_may_support, give_up=UNKNOWN),
    Question("sudden_event", "急事", lambda s: _menu("最近家里有没有遇到急事、难事？", EVENT_CHOICES, "回复数字，没有就回复“0”"),
             _choice(EVENT_CHOICES, "1"), lambda v: _labels(EVENT_CHOICES, v)),
    Question("event_when", "什么时候", lambda s: _menu("这事是什么时候发生的？", WHEN, "回复数字就行"),
             _choice(WHEN, "1", unknown_ok=True), lambda v: _labels(WHEN, v),
             when=lambda s: s.get("sudden_event") in EVENTS, give_up=UNKNOWN),
    Question("assets", "家里财产", lambda s: _menu("家里有没有下面这些？", ASSET_CHOICES, "可以多选；都没有回复“0”"),
             _choice(ASSET_CHOICES, "0", unknown_ok=True), lambda v: _labels(ASSET_CHOICES, v),
             when=lambda s: not _clearly_well_off(s), give_up=UNKNOWN),
    Question("current_benefits", "正在享受", lambda s: _menu("家里现在有人享受下面的待遇吗？", BENEFIT_CHOICES,
                                                        "可以多选；都没有回复“0”"),
             _choice(BENEFIT_CHOICES, "0", unknown_ok=True), lambda v: _labels(BENEFIT_CHOICES, v),
             when=lambda s: not _clearly_well_off(s), give_up=UNKNOWN),
    Question("prescreen_confirmed", "确认",
             lambda s: summary(PRESCREEN, s, "我记下的是这些，您看对不对：",
                               "都对的话回复“对”；要改就回复“改”加序号，比如“改3”。"),
             _confirm, summarised=False, after=_result),
    Question("referral_consent", "同意转介", _consent_text, _yes_no("同意"), summarised=False),
    Question("contact_name", "称呼", lambda s: "怎么称呼您？比如“王大姐”“李桂兰”。不想说就回复“不说”。",
             _name, summarised=False, when=lambda s: s.get("referral_consent") == "yes"),
    Question("contact_phone", "电话", lambda s: "留个能打通的电话吧（手机或座机），工作人员会打给您。",
             _phone, summarised=False, when=lambda s: s.get("referral_consent") == "yes"),
]

PRESCREEN = Form(
    name="prescreen_form",
    questions=QUESTIONS,
    intro=_intro,
    prefill=_prefill,
    cancelled="好的，不办了。您随时可以再来问我。\n想自己去办的话，到户籍所在地乡镇（街道）社会救助窗口，一个窗口就能办。",
    reset_on_edit=("prescreen_confirmed", "referral_consent", "contact_name", "contact_phone"),
    extra_slots=("place_candidates",),
)
