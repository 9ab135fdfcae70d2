"""The short forms beside the pre-screen: a status look-up (case number + phone), a report about someone
else (主动发现) and the details of an urgent case.

Nothing a reporter says is lost: every message of a report is kept in the reporter's words (the opening
one too) for the township, the place is taken from wherever it was first said, urgency is read in words
("挺急的 怕人出事了", "不太急"), and a reporter who wants to stay unnamed is told plainly that his name and
phone are not passed on. A status look-up never traps a resident who has no case number: words without
one end the look-up with where to ask, and what they asked for instead goes on (bot/forms/service.py).
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

from bot.forms.choices import Choices, Option
from bot.forms.engine import RUN_ID, Form, FormTurn, Parsed, Question, State
from bot.forms.places import CANDIDATES, UNCLEAR_PLACE, parse_place, prefill_place, show_place
from bot.replies.service import FOR_SOMEONE_ELSE, WANTS_TO_APPLY
from bot.text.answers import is_unknown, yes_no
from bot.text.contact import parse_case_number, parse_mobile
from bot.text.normalize import fold
from bot.text.numbers import parse_choice

BY_SENDER = "this-conversation"  # the case was opened in this conversation: no phone needed
NO_CASE = "none"                 # the resident has no case number (or phone) to give: where to ask instead

# -- what a resident said, kept in their words --------------------------------------------------------

MAX_SAID = 12         # messages kept per form run (a report is four or five)
MAX_SAID_CHARS = 300  # per message
# "刚才不是说了吗", "上面说过了": the answer is in an earlier message
REFERS_BACK = re.compile(r"刚才|刚刚|方才|前面|上面|之前|说过|说了|讲过|讲了|告诉过|告诉你了")


def said_before(state: State, slot: str) -> list[str]:
    """The run's messages kept so far (a slot of another shape keeps none)."""
    said = state.get(slot)
    return [text for text in said if isinstance(text, str)] if isinstance(said, list) else []


def said_so_far(state: State, slot: str, text: str) -> list[str]:
    """The run's messages so far plus this one, once each; bare menu numbers and one-character
    answers carry nothing a worker needs."""
    said = said_before(state, slot)
    words = text.strip()[:MAX_SAID_CHARS]
    if len(fold(words)) < 2 or parse_choice(words) is not None or words.startswith("/") or words in said:
        return said
    return (said + [words])[-MAX_SAID:]


def keeping(parse: Callable[[str, State], Parsed], said_slot: str, place_slot: str
            ) -> Callable[[str, State], Parsed]:
    """Each answer is kept in the resident's words, and names the place when it says one before the
    place is asked (so it is not asked)."""
    def read(text: str, state: State) -> Parsed:
        parsed = parse(text, state)
        extra: State = {said_slot: said_so_far(state, said_slot, text)}
        if state.get(place_slot) is None and state.get(CANDIDATES) is None:
            place = prefill_place(text, state["_townships"])
            if place is not None:
                extra[place_slot] = place
        parsed.also = {**extra, **parsed.also}
        return parsed
    return read


def place_once(parse: Callable[[str, State], Parsed], said_slot: str) -> Callable[[str, State], Parsed]:
    """The place question: "刚才不是说了吗" looks for the place in what was said earlier."""
    def read(text: str, state: State) -> Parsed:
        parsed = parse(text, state)
        if parsed.ok or state.get(CANDIDATES) or not REFERS_BACK.search(fold(text)):
            return parsed
        back = parse("，".join(state.get(said_slot) or []), {**state, CANDIDATES: None})
        return parsed if back.ok and not back.value.get("code") else back  # "不知道" back then is no place
    return read


# -- status look-up ---------------------------------------------------------------------------------

_DIGITS = re.compile(r"[0-9]|SL", re.IGNORECASE)


def _no_number(text: str) -> bool:
    """Words without a digit: no case number (or phone) is coming, "俺不知道啥案件号", "你好", "人工".
    Digits are a mistyped number, worth asking for again."""
    return not _DIGITS.search(unicodedata.normalize("NFKC", text or ""))


def _case(text: str, state: State) -> Parsed:
    case = parse_case_number(text)
    if case is not None:
        return Parsed(value=case)
    if _no_number(text):  # the look-up ends; bot/forms/service.py says where to ask and takes the new request
        return Parsed(value=NO_CASE, also={"status_phone": NO_CASE})
    phone = parse_mobile(text)
    return Parsed(error="没找到案件号。案件号像这样：SL-2026-000123，在转办成功时发给您的消息里。"
                        "找不到的话，可以问乡镇（街道）窗口或打12345。",
                  also={"status_phone": phone} if phone else {})


def _lookup_phone(text: str, state: State) -> Parsed:
    phone = parse_mobile(text)
    if phone is not None:
        return Parsed(value=phone)
    if _no_number(text):
        return Parsed(value=NO_CASE)
    return Parsed(error="请发登记时留的电话号码，比如“13912345678”。")


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


# What the rules (nlu_data/rules/) run for a message when no form is active. A look-up that ended without a
# case number hands the same message on to it: the new request wins (tests/unit/test_followups.py checks
# that this agrees with the rules).
AS_NEW = {"greet": "utter_greet", "goodbye": "utter_goodbye", "thanks": "utter_thanks",
          "bot_challenge": "utter_bot_challenge", "out_of_scope": "utter_out_of_scope",
          "ask_policy": "action_answer_policy", "ask_eligibility": "action_answer_policy",
          "ask_materials": "action_answer_policy", "ask_process": "action_answer_policy",
          "ask_amount": "action_answer_policy", "seek_help": "prescreen_form", "report_other": "report_form",
          "complaint": "complaint_form", "request_human": "action_alert"}
NEW_REQUEST_CONFIDENCE = 0.5  # below this the words only end the look-up


def new_request(turn: FormTurn) -> str | None:
    """What runs after a look-up that ended without a number: the rules' action for the intent when the
    model is half sure, the pre-screen for "俺想申请低保" however unsure it is, else nothing."""
    if (turn.confidence or 0.0) >= NEW_REQUEST_CONFIDENCE and turn.intent in AS_NEW:
        return AS_NEW[turn.intent]
    return AS_NEW["seek_help"] if WANTS_TO_APPLY.search(turn.text) else None


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

REPORT_SAID = "report_said"             # every message of the report, in the reporter's words
ANONYMOUS = "reporter_anonymous"        # True: the reporter's name and phone are not passed on
URGENCY = Choices((Option("urgent", "很急，今天就要有人去看看"),
                   Option("soon", "这几天去看看就行"),
                   Option("normal", "不太急")))

_NOT_URGENT = re.compile(r"不[^，。\s急]{0,3}急|不[要打]紧|没(?:那么|啥|多|太)?急|有空|慢慢|不慌")
_SOON = re.compile(r"[这过]几天|这两天|两三天|明后?天|尽快|抽空|早点")
_FEAR = r"怕[^，。\s]{0,3}?(?:出啥?事|没了)"  # "怕人出事了", "怕老人出啥事", "怕人没了"
_URGENT = re.compile(r"急|马上|赶[紧快]|立[刻即]|[越快][点去来快]|今天|现在就|出事|人命|危险|等不了|要命|" + _FEAR)
# Only plain words count when urgency is said in passing: "今天我路过他家" says nothing about it.
_URGENT_SURE = re.compile(r"急|赶紧|马上|" + _FEAR)
_ANONYMOUS_WORDS = re.compile(
    r"(?:别|不要|不用|甭|莫)[^，。]{0,6}?(?:说|讲|告诉|提|透露)[^，。]{0,6}?我|(?:别|不要)透露|不想让[^，。]{0,8}知道"
    r"|匿名|保密|不[想愿意方便用]{0,3}留|别留|不想(?:露面|暴露|说名字|说是谁)")
_NO_PHONE = {"不方便", "免了", "没电话", "没有电话"}  # besides a plain no (yes_no) and a wish to stay unnamed
# What a reporter says first that is no detail yet ("我想反映个情况", "我要举报", "帮帮我们村一个老人").
_NO_DETAIL_WORDS = (
    "我们 俺们 咱们 你们 他们 我 俺 咱 您 你 他 她 想 要 给 跟 替 帮帮 帮忙 帮助 帮 反映 举报 报告 上报 说说 说个 报个 "
    "一下 一个 一户 个 户 情况 事情 事儿 事 有 人 家庭 家 困难 生活 挺 很 好像 需要 能不能 可不可以 可以 能 派 去 看看 看 "
    "上门 管管 管不管 管 请 麻烦 谢谢 村 屯 社区 小区 楼 里 的 了 吗 呢 吧 啊 呀 一 下 这 那 边 问问 问 是 网格员 楼长 "
    "单元长 邻居 别人 亲戚 朋友 老乡").split()
_NO_DETAIL = re.compile("|".join(sorted(map(re.escape, _NO_DETAIL_WORDS), key=len, reverse=True))
                        + r"|[0-9，。,.！!？?、\s]")

ANON_NOTE = "好的，不留也行。您的名字和电话不会转给任何人，乡镇工作人员只知道有人反映了这个情况。"
CONFIDENTIAL_NOTE = "好的，电话只给乡镇工作人员核实情况用，不会告诉他家是谁反映的。"
UNNAMED_NOTE = "好的，不会说是您反映的，您的名字和电话不会转给他家和别人。"


def read_urgency(text: str) -> str | None:
    """urgent | soon | normal from words ("挺急的", "这几天去就行", "不太急"), or None."""
    key = fold(text)
    if _NOT_URGENT.search(key):
        return "soon" if _SOON.search(key) else "normal"
    if _URGENT.search(key):
        return "urgent"
    return "soon" if _SOON.search(key) else None


def sure_urgent(text: str) -> bool:
    """Said in passing (the opening, another answer): only plain words of urgency count."""
    return read_urgency(text) == "urgent" and bool(_URGENT_SURE.search(fold(text)))


def has_details(text: str, noise: re.Pattern[str] | None = None, place: dict[str, Any] | None = None) -> bool:
    """The opening already tells something a worker can use (who, how long, what was seen); the place
    alone is no detail. `noise`: the words that tell nothing (a report's by default)."""
    key = fold(text)
    for name in ((place or {}).get("name"), (place or {}).get("place")):
        for word in filter(None, (name, name and re.sub(r"(?:镇|乡|街道|村|社区)$", "", name))):
            key = key.replace(fold(word), "")
    return len((noise or _NO_DETAIL).sub("", key)) >= 3


def wants_anonymity(text: str) -> bool:
    return bool(_ANONYMOUS_WORDS.search(fold(text)))


def refuses_phone(text: str) -> bool:
    return wants_anonymity(text) or yes_no(text) is False or fold(text) in _NO_PHONE


def _situation(text: str, state: State) -> Parsed:
    if len(fold(text)) < 4 or is_unknown(text):
        return Parsed(error="请简单说说看到了什么，比如“老人一个人住，好几天没见生火做饭”。")
    return Parsed(value=text[:MAX_SAID_CHARS])


def _urgency(text: str, state: State) -> Parsed:
    number = parse_choice(text)  # 1, 2, 3 (never 0)
    if number is not None and number <= len(URGENCY.options):
        return Parsed(value=URGENCY.options[number - 1].key)
    urgency = read_urgency(text)
    if urgency is not None:
        return Parsed(value=urgency)
    if is_unknown(text):
        return Parsed(value="soon")
    # a detail instead of an answer: it is kept (report_said); the question comes again
    head = "记下了。" if len(fold(text)) >= 4 else "没看明白。"
    return Parsed(error=f"{head}急不急？回复数字就行：\n{URGENCY.render()}")


def _reporter_phone(text: str, state: State) -> Parsed:
    phone = parse_mobile(text)
    if phone is not None:
        if wants_anonymity(text):
            return Parsed(value=phone, note=CONFIDENTIAL_NOTE, also={ANONYMOUS: True})
        return Parsed(value=phone)
    if refuses_phone(text):
        return Parsed(value="", note=ANON_NOTE, also={ANONYMOUS: True})
    return Parsed(error="请发电话号码，比如“13912345678”；不想留就回复“不留”，您的名字和电话不会转给任何人。")


def _keeping(parse: Callable[[str, State], Parsed]) -> Callable[[str, State], Parsed]:
    """Besides what every answer keeps (`keeping`): urgency said before it is asked, and a wish to stay
    unnamed wherever it is said."""
    kept = keeping(parse, REPORT_SAID, "report_place")

    def read(text: str, state: State) -> Parsed:
        parsed = kept(text, state)
        extra: State = {}
        if state.get("report_urgency") is None and sure_urgent(text):
            extra["report_urgency"] = "urgent"
        if wants_anonymity(text) and not state.get(ANONYMOUS) and parse is not _reporter_phone:
            extra[ANONYMOUS] = True
            if parsed.ok:
                parsed.note = "\n".join(n for n in (parsed.note, UNNAMED_NOTE) if n)
        parsed.also = {**extra, **parsed.also}
        return parsed
    return read


def report_prefill(turn: FormTurn, state: State) -> State:
    """What the opening already told: kept word for word, and the answers it gives are not asked again."""
    text = turn.text if not turn.text.startswith("/") else ""  # "/report_other": a button, no words
    found: State = {REPORT_SAID: said_so_far({}, REPORT_SAID, text)}
    place = prefill_place(text, state["_townships"])
    if place is not None:
        found["report_place"] = place
    if text and has_details(text, place=place):
        found["report_situation"] = text[:MAX_SAID_CHARS]
    if sure_urgent(text):
        found["report_urgency"] = "urgent"
    if wants_anonymity(text):
        found[ANONYMOUS] = True
    return found


def _report_intro(turn: FormTurn, state: State) -> list[str]:
    unnamed = f"\n{UNNAMED_NOTE}" if wants_anonymity(turn.text) else ""
    return ["谢谢您关心身边的人！问您几句，我转给乡镇（街道）工作人员上门看看。\n"
            "要是有生命危险，请马上打110或120。" + unnamed]


def _ask_phone(state: State) -> str:
    if state.get(ANONYMOUS):
        return "方便的话留个电话，只给乡镇工作人员核实情况用，不会告诉任何人是您反映的。不想留就回复“不留”。"
    return ("方便的话留个电话，工作人员核实情况时可能问问您（只给乡镇工作人员用）。"
            "不想留就回复“不留”，您的名字和电话不会转给任何人。")


def show_urgency(value: Any) -> str:
    return URGENCY.label(value) if isinstance(value, str) and value in {o.key for o in URGENCY.options} else "没说"


REPORT = Form(
    name="report_form",
    questions=[
        Question("report_situation", "看到的情况", lambda s: "您看到了什么情况？简单说说就行，比如“老人一个人住，好几天没见出门”。",
                 _keeping(_situation), give_up="（没说清，见反映人原话）"),
        Question("report_place", "在哪里", lambda s: "他家住在哪个乡镇、哪个村（社区）？比如“双山镇秀水村三组”。不知道就回复“不知道”。",
                 _keeping(place_once(parse_place, REPORT_SAID)), show_place, give_up=UNCLEAR_PLACE),
        Question("report_urgency", "急不急", lambda s: "急不急？\n" + URGENCY.render() + "\n（回复数字就行）",
                 _keeping(_urgency), show_urgency, give_up="soon"),
        Question("reporter_phone", "您的电话", _ask_phone, _keeping(_reporter_phone), summarised=False, give_up=""),
    ],
    intro=_report_intro,
    prefill=report_prefill,
    redirect=lambda turn: "prescreen_form" if FOR_SOMEONE_ELSE.search(turn.text) else None,
    cancelled="好的，先不报了。以后发现有人生活困难，随时告诉我，或者打12345。",
    extra_slots=(CANDIDATES, REPORT_SAID, ANONYMOUS),
)

REPORT_CONSENT = ("反映人主动提供他人困难情况{phone}，仅用于乡镇（街道）上门核实、主动发现和帮扶"
                  "（《关于改革完善社会救助制度的意见》主动发现机制）。")


_DANGER = "_danger"  # in the draft's input only: confirmed danger stopped the report


def report_summary(slots: dict[str, Any]) -> str:
    """What the township reads (masked by the intake system): the answers, then every word the reporter
    said, then whether the reporter may be named."""
    said = said_before(slots, REPORT_SAID)  # the answer to "您看到了什么情况" is among them
    parts = ["反映人说有危险：已按紧急情况处理（同一会话另有紧急登记），以下是报到一半的情况"] if slots.get(_DANGER) else []
    parts += [f"急不急：{show_urgency(slots.get('report_urgency'))}",
             f"在哪里：{show_place(slots.get('report_place') or UNCLEAR_PLACE)}"]
    if said:
        parts.append("反映人原话：" + " ".join(f"“{text}”" for text in said))
    if slots.get(ANONYMOUS) and slots.get("reporter_phone"):
        parts.append("反映人留了电话，但要求保密：请不要告诉被反映人家是谁反映的")
    elif slots.get(ANONYMOUS) or not slots.get("reporter_phone"):
        parts.append("反映人匿名：没有留姓名和电话，请不要打听是谁反映的")
    return "；".join(parts)


def report_draft(slots: dict[str, Any]) -> dict[str, Any]:
    """The discovery referral (without its key, channel and sender, which the caller adds)."""
    place = slots.get("report_place") or {}
    phone = slots.get("reporter_phone") or None
    anonymous = bool(slots.get(ANONYMOUS)) or phone is None
    urgency = slots.get("report_urgency")
    consent = "和自己的电话（要求对被反映人保密）" if phone and anonymous else "和自己的电话" if phone else "（匿名，未留姓名和电话）"
    return {
        "kind": "discovery",
        "township_code": place.get("code"),
        "place_text": place.get("text"),
        "contact_phone": phone,
        "summary": report_summary(slots),
        "screening": {"report_urgency": urgency, "reporter_anonymous": anonymous},
        "urgency": "urgent" if urgency == "urgent" else "normal",
        "consent_text": REPORT_CONSENT.format(phone=consent),
    }


def interrupted(turn: FormTurn) -> bool:
    """Confirmed danger stopped the report (nlu_data/rules/help.yml): it is filed first, then the emergency."""
    return turn.intent == "emergency"


def interrupted_report(turn: FormTurn) -> dict[str, Any] | None:
    """The report as far as it went, the danger message with it; None when it told nothing yet (the urgent
    case the emergency opens has the words then)."""
    slots = turn.slots
    if not (slots.get("report_situation") or slots.get("report_place")) or not slots.get(RUN_ID):
        return None
    return {**slots, REPORT_SAID: said_so_far(slots, REPORT_SAID, turn.text), "report_urgency": "urgent",
            _DANGER: True}


# -- after an emergency: where, and a phone, for the urgent referral already opened -----------------


def _urgent_phone(text: str, state: State) -> Parsed:
    phone = parse_mobile(text)
    if phone is not None:
        return Parsed(value=phone)
    if refuses_phone(text):
        return Parsed(value="")
    return Parsed(error="请发电话号码，比如“13912345678”；不方便就回复“不留”。")


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
