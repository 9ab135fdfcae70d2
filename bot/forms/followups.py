"""The two short forms: a status look-up (case number + phone) and a report about someone else (主动发现)."""
from __future__ import annotations

from bot.forms.choices import Choices, Option
from bot.forms.engine import Form, FormTurn, Parsed, Question, State
from bot.forms.places import UNCLEAR_PLACE, ask_place, parse_place, show_place
from bot.text.answers import is_unknown
from bot.text.contact import parse_case_number, parse_mobile
from bot.text.normalize import fold

BY_SENDER = "this-conversation"  # the case was opened in this conversation: no phone needed

# -- status look-up ---------------------------------------------------------------------------------


def _case(text: str, state: State) -> Parsed:
    case = parse_case_number(text)
    if case is None:
        return Parsed(error="没找到案件号。案件号像这样：SL-2026-000123，在转办成功时发给您的消息里。"
                            "找不到的话，可以问乡镇（街道）窗口或打12345。")
    return Parsed(value=case)


def _lookup_phone(text: str, state: State) -> Parsed:
    phone = parse_mobile(text)
    if phone is None:
        return Parsed(error="请发登记时留的电话号码，比如“13912345678”。")
    return Parsed(value=phone)


def status_prefill(turn: FormTurn, state: State) -> State:
    case, phone = parse_case_number(turn.text), parse_mobile(turn.text)
    if case is None and state.get("case_number"):  # a case opened earlier in this conversation
        return {"status_case": state["case_number"], "status_phone": BY_SENDER}
    found: State = {}
    if case:
        found["status_case"] = case
    if phone:
        found["status_phone"] = phone
    return found


STATUS = Form(
    name="status_form",
    questions=[
        Question("status_case", "案件号", lambda s: "请发一下案件号，像这样：SL-2026-000123。", _case),
        Question("status_phone", "电话", lambda s: "再发一下登记时留的电话号码，核对一下是您本人。", _lookup_phone),
    ],
    intro=lambda turn, state: [],
    prefill=status_prefill,
    cancelled="好的，不查了。有需要随时回复“查进度”。",
    extra_slots=("case_number",),
)

# -- report someone in difficulty -------------------------------------------------------------------

URGENCY = Choices((Option("urgent", "很急，今天就要有人去看看", ("很急", "马上", "今天", "赶紧", "急")),
                   Option("soon", "这几天去看看就行", ("这几天", "过几天", "尽快")),
                   Option("normal", "不太急", ("不急", "不太急", "有空"))))


def _situation(text: str, state: State) -> Parsed:
    if len(fold(text)) < 4 or is_unknown(text):
        return Parsed(error="请简单说说看到了什么，比如“老人一个人住，好几天没见生火做饭”。")
    return Parsed(value=text[:300])


def _reporter_phone(text: str, state: State) -> Parsed:
    if fold(text) in {"不留", "不用", "不了", "不方便", "不想留", "不", "没有", "算了吧"}:
        return Parsed(value="")
    phone = parse_mobile(text)
    if phone is None:
        return Parsed(error="请发电话号码，比如“13912345678”；不想留就回复“不留”。")
    return Parsed(value=phone)


def _report_intro(turn: FormTurn, state: State) -> list[str]:
    return ["谢谢您关心身边的人！问您几句，我转给乡镇（街道）工作人员上门看看。\n"
            "要是有生命危险，请马上打110或120。"]


REPORT = Form(
    name="report_form",
    questions=[
        Question("report_place", "在哪里", lambda s: ask_place(s, "他家"),
                 parse_place, show_place,
                 give_up=UNCLEAR_PLACE),
        Question("report_situation", "看到的情况", lambda s: "您看到了什么情况？简单说说就行。", _situation),
        Question("report_urgency", "急不急", lambda s: "急不急？\n" + URGENCY.render() + "\n（回复数字就行）",
                 lambda text, s: URGENCY.parse(text, "1"), lambda v: URGENCY.label(v)),
        Question("reporter_phone", "您的电话",
                 lambda s: "方便的话留个电话，工作人员核实情况时可能问问您（只给乡镇工作人员用）。不想留就回复“不留”。",
                 _reporter_phone, summarised=False),
    ],
    intro=_report_intro,
    cancelled="好的，先不报了。以后发现有人生活困难，随时告诉我，或者打12345。",
    extra_slots=("place_candidates",),
)

# -- after an emergency: where, and a phone, for the urgent referral already opened -----------------


def _urgent_phone(text: str, state: State) -> Parsed:
    parsed = _reporter_phone(text, state)
    return parsed if parsed.ok else Parsed(error="请发电话号码，比如“13912345678”；不方便就回复“不留”。")


URGENT = Form(
    name="urgent_form",
    questions=[
        Question("urgent_place", "在哪里", lambda s: "您现在在哪个乡镇、哪个村（社区）？工作人员好去找您。不知道就回复“不知道”。",
                 parse_place, show_place,
                 give_up=UNCLEAR_PLACE),
        Question("urgent_phone", "电话", lambda s: "留个能打通的电话吧，工作人员会打给您。不方便就回复“不留”。",
                 _urgent_phone),
    ],
    intro=lambda turn, state: [],
    cancelled="好的。有危险请马上打110，要救护车打120。",
    extra_slots=("place_candidates", "case_number"),
)
