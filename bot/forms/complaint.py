"""A complaint (投诉、反映问题) as a short form: what happened, and in which township (neither asked when
the resident already said it), then one record for the bureau's staff, a reference number the resident
can quote, and the resident's rights from the knowledge base (policies/contacts.yml `rights`).

Before this form the complaint asked for the township as a loose question: the answer was read as a
second complaint and stored twice. A form run records one complaint, keyed by the run
(bot/staff/alerts/service.py `record_complaint`), however often the submission is retried.
"""
from __future__ import annotations

import re
from typing import Any

from bot.forms.engine import RUN_ID, Form, FormTurn, Parsed, Question, State
from bot.forms.followups import (MAX_SAID_CHARS, REFERS_BACK, has_details, keeping, place_once, said_before,
                                 said_so_far)
from bot.forms.places import CANDIDATES, UNCLEAR_PLACE, parse_place, prefill_place
from bot.knowledge.answers import source_line
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.schema import SourceRef
from bot.text.answers import is_unknown
from bot.text.normalize import fold

COMPLAINT_SAID = "complaint_said"  # every message of the complaint, in the resident's words
# What an opening says that is no complaint yet ("我要投诉", "投诉电话多少", "我要去上访").
_NO_DETAIL_WORDS = (
    "我们 俺们 你们 我 俺 咱 您 要 想 得 给 投诉 举报 反映 告状 告 上访 曝光 记者 一下 个 问题 事情 事儿 事 情况 "
    "电话 号码 多少 怎么 咋 哪里 哪儿 在哪 找谁 去 找 打 可以 能 吗 呢 吧 啊 呀 的 了 这 那").split()
_NO_DETAIL = re.compile("|".join(sorted(map(re.escape, _NO_DETAIL_WORDS), key=len, reverse=True))
                        + r"|[0-9，。,.！!？?、\s]")


def _what(text: str, state: State) -> Parsed:
    if len(fold(text)) < 4 or is_unknown(text):
        return Parsed(error="请简单说说是什么事，比如“去乡里申请低保，工作人员不给受理”。")
    return Parsed(value=text[:MAX_SAID_CHARS])


def _place(text: str, state: State) -> Parsed:
    """A township of 双辽, or the resident's own words for where (市里, 民政局, 县医院旁边): a complaint
    goes to the bureau either way, so any words that are not only "刚才说了" will do."""
    parsed = parse_place(text, state)
    if parsed.ok or parsed.also.get(CANDIDATES) or REFERS_BACK.search(fold(text)) or len(fold(text)) < 2:
        return parsed
    return Parsed(value={**UNCLEAR_PLACE, "text": text[:60]}, also={CANDIDATES: None})


def show_place(value: dict[str, Any]) -> str:
    if not isinstance(value, dict):
        return "没说清"
    if value.get("code"):
        return f"{value.get('name') or ''}{value.get('place') or ''}"
    return "没说清" if value.get("text") in (None, "不知道") else str(value["text"])  # UNCLEAR_PLACE says 没说清 itself


def _prefill(turn: FormTurn, state: State) -> State:
    text = turn.text if not turn.text.startswith("/") else ""
    found: State = {COMPLAINT_SAID: said_so_far({}, COMPLAINT_SAID, text)}
    place = prefill_place(text, state["_townships"])
    if place is not None:
        found["complaint_place"] = place
    if text and has_details(text, _NO_DETAIL, place):
        found["complaint_what"] = text[:MAX_SAID_CHARS]
    return found


COMPLAINT = Form(
    name="complaint_form",
    questions=[
        Question("complaint_what", "什么事",
                 lambda s: "您要反映什么事？简单说说经过，比如“去乡里申请低保，工作人员不给受理”。",
                 keeping(_what, COMPLAINT_SAID, "complaint_place"), give_up="（没说清，见原话）"),
        Question("complaint_place", "哪个乡镇",
                 lambda s: "是哪个乡镇（街道）的事？比如“双山镇”。不清楚就回复“不知道”。",
                 keeping(place_once(_place, COMPLAINT_SAID), COMPLAINT_SAID, "complaint_place"), show_place,
                 give_up=UNCLEAR_PLACE),
    ],
    intro=lambda turn, state: ["您反映的问题，我记下来转给双辽市民政局的工作人员核实处理。"],
    prefill=_prefill,
    cancelled="好的，先不反映了。有事随时找我，也可以打12345政务服务热线。",
    extra_slots=(CANDIDATES, COMPLAINT_SAID),
)


def record_text(slots: dict[str, Any]) -> str:
    """What staff read (masked when stored): where, and every word the resident said."""
    said = said_before(slots, COMPLAINT_SAID)  # the answer to "什么事" is among them
    return f"投诉（{show_place(slots.get('complaint_place') or {})}）；原话：" + " / ".join(f"“{t}”" for t in said)


def idempotency_key(slots: dict[str, Any]) -> str:
    return f"complaint:{slots[RUN_ID]}"


def rights(kb: KnowledgeBase) -> str:
    """The rights from policies/contacts.yml, with one short source line."""
    items = kb.contacts.get("rights") or []
    refs = [SourceRef(**ref) for item in items for ref in item["sources"]]
    lines = [f"· {item['text']}" for item in items]
    return "\n".join(["您的权利："] + lines + [source_line(refs, kb)])


def receipt_messages(reference: str, kb: KnowledgeBase) -> list[str]:
    """The reference number last, alone, so it stays on the screen."""
    return ["记下了，已经转给双辽市民政局的工作人员核实处理。", rights(kb),
            f"投诉编号：{reference}\n以后问进展（打12345或到市民政局），报这个编号就行。"]
