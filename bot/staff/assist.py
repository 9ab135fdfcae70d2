"""The 12345 agent assist (坐席助手): what the agent sees while the caller talks, from what they typed.

`view(text, ...)` is one keystroke pause: the triage of the caller's words (bot/triage, through the engine),
the urgency banner with the emergency script first when there is danger, two or three lines to read out,
each with its source, the facts card of the programme (conditions, materials, where, how long; every fact
with its source document) and the screening checklist as far as the words fill it (bot/staff/checklist.py).
With the engine down the safety net (bot/safety) still gives its verdict and the view says triage is out.

`open_referral(...)` opens the referral of a call through the intake service the forms use (channel 12345,
one per call: the call id is its idempotency key) and records it in the audit log.
"""
from __future__ import annotations

import logging
import re
from typing import Any

from sqlalchemy.orm import Session

from bot.engine.client import EngineClient, EngineUnavailable
from bot.forms.results import OUTCOME_LABELS, _timing_item
from bot.intake import schemas
from bot.intake import service as intake
from bot.gazetteer.divisions import Division
from bot.knowledge.answers import render_texts, source_line
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.schema import Item, SourceRef
from bot.safety.net import SafetyNet
from bot.screening.rules import Standard
from bot.staff import audit, checklist
from bot.text.contact import parse_mobile
from bot.triage.service import Triage, triage
from bot.triage.suggestions import suggest_sourced

logger = logging.getLogger(__name__)

CHANNEL = "12345"
CALL_ID = re.compile(r"^[A-Za-z0-9-]{8,40}$")
INTENT_LABELS = {
    "ask_policy": "问政策", "seek_help": "说困难、求帮助", "check_status": "查进度", "report_other": "反映别人困难",
    "request_human": "要找工作人员", "emergency": "紧急危险", "complaint": "投诉", "greet": "问候", "goodbye": "告别",
    "thanks": "感谢", "affirm": "肯定", "deny": "否定", "bot_challenge": "问是不是机器人", "out_of_scope": "与救助无关",
}
ASPECT_LABELS = {"eligibility": "申请条件", "materials": "材料", "process": "流程", "amount": "标准", "none": ""}
OWN_WORDING = "12345 热线通用话术"
EMERGENCY_SOURCE = "应急话术（policies/emergency.yml）"
WHERE_NOW = "您现在在哪个乡镇、哪个村（社区）？身边有人能帮忙吗？请留个能打通的电话。"
ASK_DANGER = "先问一句：“您或身边的人现在有危险吗？”有危险请马上打110、120或119。"
TRIAGE_DOWN = "智能分诊暂时不可用，下面只有安全网（关键词）的判断；请按常规流程接听。"


class AssistError(ValueError):
    """Something the agent must fix before the referral opens (shown as it is)."""


def _source(refs: list[SourceRef], kb: KnowledgeBase) -> str:
    return source_line(refs, kb) if refs else OWN_WORDING


def _fact(item: Item, text: str, kb: KnowledgeBase) -> dict[str, str]:
    return {"text": text, "source": source_line(list(item.sources), kb)}


_CARDS: dict[tuple[int, str], dict[str, Any]] = {}  # (id of the knowledge base, programme) → its facts card


def _facts(kb: KnowledgeBase, name: str) -> dict[str, Any]:
    programme = kb.programme(name)

    def facts(items: list[Item]) -> list[dict[str, str]]:
        return [_fact(item, text, kb) for item, text in zip(items, render_texts([i.text for i in items], programme))]

    process = programme.aspects["process"]
    timing = _timing_item(process)
    return {"programme": name, "name": programme.name, "sections": [
        {"title": "申请条件", "facts": facts(programme.aspects["eligibility"])},
        {"title": "要带的材料", "facts": facts(programme.aspects["materials"])},
        {"title": "去哪办", "facts": facts(process[:1])},
        {"title": "要多久", "facts": facts([timing]) if timing else [
            {"text": "要多久，请问乡镇（街道）窗口。", "source": OWN_WORDING}]},
        {"title": "谁来审核", "facts": facts([programme.decides])},
    ]}


def facts_card(kb: KnowledgeBase, programme: str) -> dict[str, Any] | None:
    """The programme's card, built once per knowledge base (it never changes while the app runs)."""
    if programme not in kb.programmes:
        return None
    key = (id(kb), programme)
    if key not in _CARDS:
        _CARDS[key] = _facts(kb, programme)
    return _CARDS[key]


def emergency_script(kb: KnowledgeBase, category: str | None) -> list[str]:
    """What the agent says first when there is danger: the numbers, the category's advice, where the caller is."""
    advice = kb.emergency["advice"]
    # not advice["flagged"] ("我已经把您的情况转给…"): the assist raises no alert, the agent acts on the call
    return [advice["common"]] + ([advice[category]] if category in advice else []) + [WHERE_NOW]


def _banner(kb: KnowledgeBase, net: SafetyNet, text: str, urgency: str) -> dict[str, Any] | None:
    category = net.match(text) or net.watch(text)
    label = category.label if category else ""
    if urgency == "high":
        return {"level": "danger", "title": f"紧急：{label or '可能有生命危险'}，先读应急话术",
                "script": emergency_script(kb, category.name if category else None), "source": EMERGENCY_SOURCE}
    if urgency == "check":
        return {"level": "check", "title": f"可能有危险{f'（{label}）' if label else ''}：先问清楚",
                "script": [ASK_DANGER], "source": EMERGENCY_SOURCE}
    return None


def _net_only(kb: KnowledgeBase, net: SafetyNet, text: str) -> dict[str, Any]:
    """Engine down: the safety net's verdict alone."""
    urgency = _net_urgency(net, text) or "unknown"
    return {"available": False, "notice": TRIAGE_DOWN, "intent": None, "intent_label": "", "confidence": None,
            "programme": None, "programme_label": "", "aspect": "", "urgency": urgency, "low_confidence": True,
            "banner": _banner(kb, net, text, urgency), "suggestions": []}


def _net_urgency(net: SafetyNet, text: str) -> str | None:
    return "high" if net.match(text) else "check" if net.watch(text) else None


def _urgency(model: str, net: str | None) -> str:
    """The graver of the two: the model read the latest words, the net reads the whole call."""
    if net == "high" or model == "high":
        return "high"
    return "check" if net == "check" or model == "check" else model


def latest(text: str, max_chars: int) -> str:
    """What the model reads of a long call: its last `max_chars` characters (what the caller says now)."""
    text = text.strip()
    return text if len(text) <= max_chars else text[-max_chars:]


def _triaged(kb: KnowledgeBase, net: SafetyNet, text: str, result: Triage) -> dict[str, Any]:
    known = result.programme in kb.programmes
    urgency = _urgency(result.urgency, _net_urgency(net, text))
    lines = suggest_sourced(result.intent, result.programme, result.aspect, kb)[:3]
    return {"available": True, "notice": "", "intent": result.intent,
            "intent_label": INTENT_LABELS.get(result.intent, result.intent), "confidence": result.confidence,
            "programme": result.programme if known else None,
            "programme_label": kb.programme(result.programme).short_name if known else "",
            "aspect": ASPECT_LABELS.get(result.aspect, ""), "urgency": urgency,
            "low_confidence": result.low_confidence, "banner": _banner(kb, net, text, urgency),
            "suggestions": [{"text": line, "source": _source(refs, kb)} for line, refs in lines]}


async def view(text: str, engine: EngineClient, kb: KnowledgeBase, net: SafetyNet, max_chars: int,
               townships: list[Division]) -> dict[str, Any]:
    """Everything the page shows for the caller's words so far: the model reads the latest words, the safety
    net and the checklist the whole call."""
    text = text[:checklist.MAX_CHARS * 10]
    try:
        shown = _triaged(kb, net, text, await triage(latest(text, max_chars), engine, kb, max_chars))
    except EngineUnavailable as exc:
        logger.warning("assist: engine unavailable (%s); the safety net's verdict only", exc)
        shown = _net_only(kb, net, text)
    shown["facts"] = facts_card(kb, shown["programme"]) if shown["programme"] else None
    shown["checklist"] = checklist.extract(text, townships)
    return shown


# ---- the referral ---------------------------------------------------------------------------------------------

def screening(fields: dict[str, Any], townships: list[Division], standard: Standard,
              kb: KnowledgeBase) -> list[dict[str, str]]:
    """The pre-screen's result for the checklist as it stands (what may apply, with the first reason)."""
    found = checklist.findings(checklist.slots_of(fields, townships), standard)
    return [{"programme": kb.programme(f.programme).short_name, "outcome": OUTCOME_LABELS[f.outcome],
             "reason": f.reasons[0] if f.reasons else ""} for f in found if f.outcome in ("likely", "possible")][:4]


def open_referral(session: Session, staff: audit.Actor, call_id: str, fields: dict[str, Any], consent: bool,
                  standard: Standard, kb: KnowledgeBase, townships: list[Division],
                  address: str | None = None) -> dict[str, Any]:
    """Open the call's referral (once: the same call always gets the same case) and audit it."""
    if not consent:
        raise AssistError("请先把同意书读给来电人听，来电人同意后勾选“来电人已同意”。")
    phone = parse_mobile(str(fields.get("contact_phone") or ""))
    if phone is None:
        raise AssistError("请填来电人的电话（11位手机号或带区号的座机），乡镇工作人员要回电话。")
    slots = checklist.slots_of(fields, townships)
    found = checklist.findings(slots, standard)
    place = slots.get("place") or {}
    draft = schemas.ReferralDraft(
        idempotency_key=f"assist:{call_id}", kind="apply", channel=CHANNEL, sender=f"12345:{call_id}",
        township_code=place.get("code"), place_text=place.get("text"),
        contact_name=str(fields.get("contact_name") or "").strip()[:40] or None, contact_phone=phone,
        summary=checklist.summary(slots), screening=slots, suggestions=checklist.suggestions(found),
        urgency="urgent" if slots.get("event_when") == "recent" else "normal",
        consent_text=checklist.consent_text(slots))
    receipt = intake.create_referral(session, draft)
    if receipt.created:
        audit.record(session, staff, audit.REFERRAL_CREATED, f"referral:{receipt.case_number}",
                     f"12345 来电 {call_id}，坐席开转介单，转{receipt.office.name}", address=address)
        session.commit()
    return {"case_number": receipt.case_number, "created": receipt.created, "status_label": receipt.status_label,
            "office": receipt.office.name, "office_phone": receipt.office.phone, "urgency": receipt.urgency,
            "suggestions": [{"programme": kb.programme(f.programme).short_name, "outcome": OUTCOME_LABELS[f.outcome]}
                            for f in found if f.outcome in ("likely", "possible")][:4]}
