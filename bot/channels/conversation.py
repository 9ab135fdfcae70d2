"""One resident turn, whatever the channel: record it, ask the engine, answer politely even if it fails."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.alerts.service import raise_alert
from bot.channels import handoff, inbox, quick_replies
from bot.engine.client import EngineClient, EngineUnavailable
from bot.knowledge.loader import KnowledgeBase
from bot.safety.net import SafetyNet
from bot.replies import menus
from bot.text.normalize import clean, fold, has_words

logger = logging.getLogger(__name__)

EMPTY = "您好像没有输入文字。请直接说您想问的事，比如“低保怎么申请”。"
NO_WORDS = ("我只看得懂文字。请用文字说说您想问的事，比如“低保怎么申请”。\n"
            "不方便打字的话，回复“人工”，请工作人员联系您。")
TOO_LONG = "您的话比较长，我先看了前{n}个字。要是没说到，您可以分几次发。"
ENGINE_DOWN = ("系统有点忙，您的话已经记下来了，工作人员会看到。\n"
               "请稍等一会儿再问；着急的话请打12345政务服务热线。")
HANDED_BACK = "好的，小助手回来了，您接着问吧。"


@dataclass
class Conversation:
    engine: EngineClient
    kb: KnowledgeBase
    net: SafetyNet
    max_chars: int

    engine_down_text = ENGINE_DOWN

    async def welcome(self, sender: str) -> list[str]:
        """A new follower: what the assistant can do, as a numbered menu the next number answers."""
        try:
            await self.engine.set_slot(sender, "menu", "welcome")
        except EngineUnavailable as exc:
            logger.warning("welcome menu not remembered (engine unavailable): %s", exc)
        return [menus.render("welcome", self.kb)]

    async def turn(self, session: Session, channel: str, sender: str, raw_text: str) -> list[str]:
        text = clean(raw_text)
        if not text:
            logger.info("empty message from %s sender (%d raw chars)", channel, len(raw_text))
            return [EMPTY]
        message = inbox.record(session, channel, sender, text)
        if handoff.active(session, sender) is not None:
            if fold(text) in handoff.END_WORDS:
                handoff.end(session, sender, by="resident")
                inbox.mark(session, message, "answered", "handoff ended")
                return [HANDED_BACK]
            inbox.mark(session, message, "for_staff")  # a person has this conversation: the bot keeps quiet
            return []
        if not has_words(text):
            logger.info("inbound %s has no words (%d chars)", message.id, len(text))
            inbox.mark(session, message, "answered", "no words")
            return [NO_WORDS]
        notes = []
        if len(text) > self.max_chars:
            logger.info("inbound %s is %d chars; the engine reads the first %d", message.id, len(text), self.max_chars)
            notes.append(TOO_LONG.format(n=self.max_chars))
            text = text[: self.max_chars]
        payload = quick_replies.resolve(session, sender, text)
        # Hand the connection back while the engine works: with many residents at once, connections held
        # across this await would drain the pool and block the event loop.
        session.commit()
        try:
            answers = await self.engine.send(sender, payload or text, {"channel": channel, "inbound_id": message.id})
        except EngineUnavailable as exc:
            logger.error("engine unavailable for inbound %s (%s): %s", message.id, channel, exc)
            inbox.mark(session, message, "failed", str(exc)[:200])
            return self._offline(session, channel, sender, text)
        inbox.mark(session, message, "answered")
        quick_replies.remember(session, sender, answers)
        return notes + ([a.text for a in answers] or [ENGINE_DOWN])

    def _offline(self, session: Session, channel: str, sender: str, text: str) -> list[str]:
        """Engine down: the safety net still answers an emergency, and staff are alerted."""
        if self.net.match(text) is None:
            return [ENGINE_DOWN]
        _, messages = raise_alert(session, self.kb, self.net, kind="emergency", sender=sender,
                                  channel=channel, text=text)
        session.commit()
        return messages
