"""Raise an alert for staff and compose what the resident is told right away.

`Alerts` holds the knowledge base and the safety net an alert needs; `Alerts.about(...)` binds one resident
turn, and its methods are what the replies and the forms are handed (a kind, a handoff, a failed referral).
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.staff import handoff
from bot.staff.alerts.models import Alert
from bot.db.base import utcnow
from bot.gazetteer.divisions import Division
from bot.gazetteer.matching import match_places
from bot.intake.case_numbers import CHINA
from bot.knowledge.loader import KnowledgeBase
from bot.privacy.mask import mask
from bot.safety.net import SafetyNet
from bot.channels.sender import Sender

logger = logging.getLogger(__name__)

KIND_BY_INTENT = {"emergency": "emergency", "request_human": "handoff", "complaint": "complaint"}

HANDOFF = ("好的，我已经请工作人员跟您联系（工作时间内）。\n"
           "着急的话，可以直接打12345政务服务热线，或者到户籍所在地乡镇（街道）社会救助窗口。")
# a channel staff can write back on (WeChat, the web chat): the resident waits here, the bot stays quiet
HANDOFF_TO_STAFF = (HANDOFF + "\n工作人员会在这里回复您；这期间小助手先不说话。想回到小助手，回复“结束人工”。")
# A complaint is taken by complaint_form (bot/forms/complaint.py); this is only for a complaint alert raised
# any other way, so it asks nothing the next message could not answer.
COMPLAINT = "您反映的情况我已经记下来了，会转给市民政局的工作人员处理。也可以打12345政务服务热线反映。"


def emergency_messages(kb: KnowledgeBase, category: str | None) -> list[str]:
    advice = kb.emergency["advice"]
    first = advice["common"] + ("\n" + advice[category] if category in advice else "")
    return [first, advice["flagged"]]


def raise_alert(
    session: Session,
    kb: KnowledgeBase,
    net: SafetyNet,
    *,
    kind: str,
    sender: str,
    channel: str | None,
    text: str,
) -> tuple[Alert, list[str]]:
    category = net.match(text)
    if category is not None:
        kind = "emergency"
    elif kind == "emergency":  # confirmed by the model or by the resident: name what the words suggest
        category = net.watch(text)
    alert = Alert(kind=kind, category=category.name if category else None, channel=channel,
                  sender=sender, text_masked=mask(text))
    session.add(alert)
    session.commit()  # at once: staff must see it even if what follows fails, and no lock is held
    logger.warning("alert %s kind=%s category=%s channel=%s", alert.id, kind, alert.category, channel)
    if kind == "handoff" and Sender.parse(sender).staff_can_reply:
        handoff.start(session, sender, reason="requested")
    if kind == "emergency":
        return alert, emergency_messages(kb, alert.category)
    if kind == "complaint":
        return alert, [COMPLAINT]
    return alert, [HANDOFF_TO_STAFF if Sender.parse(sender).staff_can_reply else HANDOFF]


@dataclass(frozen=True)
class Alerts:
    """Alerts with the app's knowledge base and safety net (built once, bot/services.py)."""

    kb: KnowledgeBase
    net: SafetyNet

    def raise_alert(self, session: Session, *, kind: str, sender: str, channel: str | None,
                    text: str) -> tuple[Alert, list[str]]:
        return raise_alert(session, self.kb, self.net, kind=kind, sender=sender, channel=channel, text=text)

    def about(self, session: Session, sender: str, channel: str | None, text: str) -> TurnAlerts:
        return TurnAlerts(self, session, sender, channel, text)


@dataclass(frozen=True)
class TurnAlerts:
    """Alerts about one resident turn: what the replies and the forms are handed instead of closures."""

    alerts: Alerts
    session: Session
    sender: str
    channel: str | None
    text: str

    def alert(self, kind: str) -> list[str]:
        """An alert of `kind` about this turn; what the resident is told now (bot.replies RaiseAlert)."""
        return self.alerts.raise_alert(self.session, kind=kind, sender=self.sender, channel=self.channel,
                                       text=self.text)[1]

    def ask_person(self) -> list[str]:
        return self.alert("handoff")

    def referral_failed(self, what: str) -> None:
        """The intake system refused or did not answer: staff take it from here (`what` replaces the text)."""
        self.alerts.raise_alert(self.session, kind="referral_failed", sender=self.sender, channel=self.channel,
                                text=what)

    def complain(self, key: str, text: str) -> str:
        """One complaint per form run (`key`); the reference the resident quotes."""
        return record_complaint(self.session, key=key, sender=self.sender, channel=self.channel,
                                text=text).reference


def complaint_reference(alert: Alert) -> str:
    """The number a resident quotes (TS = 投诉): China-time year and the alert's id, unique by the id."""
    return f"TS-{alert.created_at.astimezone(CHINA).year}-{alert.id:06d}"


def record_complaint(session: Session, *, key: str, sender: str, channel: str | None, text: str) -> Alert:
    """One complaint alert per key (one per form run): a retried submission gets the first one back."""
    existing = session.scalars(select(Alert).where(Alert.idempotency_key == key)).first()
    if existing is not None:
        logger.info("complaint %s: repeated submission (same key), not recorded again", existing.reference)
        return existing
    alert = Alert(kind="complaint", channel=channel, sender=sender, text_masked=mask(text), idempotency_key=key,
                  created_at=utcnow())
    session.add(alert)
    try:
        session.flush()  # the id makes the reference
        alert.reference = complaint_reference(alert)
        session.commit()
    except IntegrityError:  # a concurrent submission with the same key won the race
        session.rollback()
        return session.scalars(select(Alert).where(Alert.idempotency_key == key)).one()
    logger.warning("alert %s kind=complaint reference=%s channel=%s", alert.id, alert.reference, channel)
    return alert


URGENT_CONSENT = ("紧急情况：为保护生命健康和财产安全，未经本人同意转给工作人员"
                  "（《个人信息保护法》第十三条第一款第四项）。")


def urgent_draft(alert: Alert, text: str, townships: Iterable[Division]) -> dict[str, Any]:
    """The 急难 referral an emergency opens. One per resident per hour (China time): a frightened
    resident sending five messages makes one case, not five."""
    hour = utcnow().astimezone(CHINA).strftime("%Y%m%d%H")
    matches = {m.township.code for m in match_places(text, townships)}
    return {
        "idempotency_key": f"urgent:{alert.sender}:{hour}",
        "kind": "urgent",
        "channel": alert.channel or "unknown",
        "sender": alert.sender,
        "township_code": matches.pop() if len(matches) == 1 else None,
        "summary": f"紧急（{alert.category or '未分类'}）：{alert.text_masked}",
        "screening": {"alert_id": alert.id, "category": alert.category},
        "urgency": "urgent",
        "consent_text": URGENT_CONSENT,
    }
