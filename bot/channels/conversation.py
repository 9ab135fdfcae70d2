"""One resident turn, whatever the channel: record it, ask the engine, answer politely even if it fails."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from bot.channels import danger_check, inbox, notices, quick_replies
from bot.channels.desk import StaffDesk
from bot.engine.client import BotMessage, EngineClient, EngineUnavailable
from bot.knowledge.loader import KnowledgeBase
from bot.safety.net import SafetyNet
from bot.security.limits import (MESSAGES_PER_SENDER, MESSAGES_PER_SENDER_DAY, WEB_MESSAGES_PER_CLIENT, Limiter,
                                 Rule)
from bot.safety.tiers import ASK_FIRST_IN_FORM, CHECK, CONFIRMED, MODEL_ONLY, SAID_NO, SAID_YES
from bot.replies import menus
from bot.text.normalize import clean, has_words

logger = logging.getLogger(__name__)

EMPTY = "您好像没有输入文字。请直接说您想问的事，比如“低保怎么申请”。"
NO_WORDS = ("我只看得懂文字。请用文字说说您想问的事，比如“低保怎么申请”。\n"
            "不方便打字的话，回复“人工”，请工作人员联系您。")
TOO_LONG = "您的话比较长，我先看了前{n}个字。要是没说到，您可以分几次发。"
ENGINE_DOWN = ("系统有点忙，您的话已经记下来了，工作人员会看到。\n"
               "请稍等一会儿再问；着急的话请打12345政务服务热线。")
HANDED_BACK = "好的，小助手回来了，您接着问吧。"
SLOW_DOWN = ("您发得太快了，请歇一会儿再发。\n"
             "有危险请马上打电话：报警110，急救120，火警119；别的事可以打12345。")
DANGER_CHIPS = (("有", "有"), ("没有", "没有"))  # the danger question's two answers, as chips (title, text sent)
URGENT_FORM = "urgent_form"  # the emergency's own form (domain/forms): danger said in it is not asked about again


@dataclass(frozen=True)
class Chip:
    """A tap-to-answer button under the last message (web chat; WeChat has none and reads the words)."""

    title: str
    send: str            # the text a tap sends, read as if typed
    multi: bool = False  # one of several options: taps toggle, a 确定 chip sends the chosen ones together


@dataclass(frozen=True)
class Reply:
    """What one turn says: the messages, in order, and the chips under the last of them."""

    messages: list[str]
    chips: list[Chip] = field(default_factory=list)

    def after(self, first: list[str]) -> Reply:
        """The same reply with messages said before it (notes); the chips stay under the last message."""
        return Reply(first + self.messages, self.chips) if first else self


def chips_of(answers: list[BotMessage]) -> list[Chip]:
    """The last answer's buttons as chips. A form's payload is plain words the form reads as if typed
    ("1", "同意", "改3"). A payload that names an intent ("/affirm", the fallback ladder's 是 / 不是) is never
    sent by the page: the chip sends the title, which quick_replies turns back into that payload."""
    buttons = answers[-1].buttons if answers else []
    return [Chip(str(b["title"]), str(b["title"]) if str(b.get("payload", "")).startswith("/")
                 else str(b.get("payload") or b["title"]), bool(b.get("multi"))) for b in buttons if b.get("title")]


@dataclass
class Conversation:
    engine: EngineClient
    kb: KnowledgeBase
    net: SafetyNet
    max_chars: int
    limiter: Limiter | None = None  # None: no limits (unit tests of the turn itself)
    desk: StaffDesk = field(kw_only=True)  # alerts and handoffs: the staff wing above (bot/staff/desk.py)

    engine_down_text = ENGINE_DOWN

    async def welcome(self, sender: str) -> list[str]:
        """A new follower: what the assistant can do, as a numbered menu the next number answers."""
        try:
            await self.engine.set_slot(sender, "menu", "welcome")
        except EngineUnavailable as exc:
            logger.warning("welcome menu not remembered (engine unavailable): %s", exc)
        return [menus.render("welcome", self.kb)]

    def allowed(self, sender: str, client: str | None) -> bool:
        """Within the rate limits: per conversation, and per address for the web chat (WeChat's messages
        all come from WeChat's servers: its senders are counted, not its addresses)."""
        if self.limiter is None:
            return True
        checks: list[tuple[Rule, str]] = [(MESSAGES_PER_SENDER, sender), (MESSAGES_PER_SENDER_DAY, sender)]
        if client is not None:
            checks.append((WEB_MESSAGES_PER_CLIENT, client))
        return self.limiter.allow_all(*checks)

    def news(self, session: Session, sender: str) -> list[str]:
        """What staff left for the resident while they were away (bot.channels.notices), marked shown: the web
        chat's page asks when it opens, so the news does not wait for her next message; said once."""
        return notices.take(session, sender)

    async def turn(self, session: Session, channel: str, sender: str, raw_text: str,
                   command: str | None = None, client: str | None = None) -> Reply:
        """One message. `command` is an intent the app itself chose for it (a WeChat menu button, "/apply");
        a resident's own text never becomes one, whatever it begins with. `client`: the caller's address,
        where it says who is calling (the web chat). News staff left for the resident (their referral moved:
        bot.channels.notices) is said first."""
        reply = await self._turn(session, channel, sender, raw_text, command, client)
        return reply.after(self.news(session, sender))

    async def _turn(self, session: Session, channel: str, sender: str, raw_text: str,
                    command: str | None, client: str | None) -> Reply:
        if not self.allowed(sender, client):
            logger.warning("%s message from a sender over its rate limit: not processed", channel)
            return Reply([SLOW_DOWN])
        text = clean(raw_text)
        if not text:
            logger.info("empty message from %s sender (%d raw chars)", channel, len(raw_text))
            return Reply([EMPTY])
        message = inbox.record(session, channel, sender, text)
        if self.desk.holding(session, sender):
            if self.desk.let_go(session, sender, text):
                inbox.mark(session, message, "answered", "handoff ended")
                return Reply([HANDED_BACK])
            if self.net is not None and self.net.match(text) is not None:
                # safety first, even while a person has the conversation: the numbers at once, staff alerted
                inbox.mark(session, message, "for_staff", "danger words during a handoff")
                return Reply(self.desk.emergency(session, sender=sender, channel=channel, text=text))
            # A person has this conversation: the bot only says it was passed on, the first time and again
            # when the resident has waited long (bot.staff.handoff.ACK_AGAIN_AFTER), and otherwise keeps quiet.
            inbox.mark(session, message, "for_staff")
            return Reply(self.desk.acknowledgement(session, sender))
        if not has_words(text):
            logger.info("inbound %s has no words (%d chars)", message.id, len(text))
            inbox.mark(session, message, "answered", "no words")
            return Reply([NO_WORDS])
        notes = []
        if len(text) > self.max_chars:
            logger.info("inbound %s is %d chars; the engine reads the first %d", message.id, len(text), self.max_chars)
            notes.append(TOO_LONG.format(n=self.max_chars))
            text = text[: self.max_chars]
        held = danger_check.take(session, sender)
        said = danger_check.read_answer(text) if held is not None else None
        metadata = {"channel": channel, "inbound_id": message.id}
        try:
            if held is not None:  # the answer to the danger question (or not): the held message goes on first
                resumed = await self._resume(session, message, sender, held, said, metadata)
                if said is not None:
                    return resumed.after(notes)
                notes += resumed.messages  # more follows: its chips would not be under the last message
            payload = command or quick_replies.resolve(session, sender, text)
            # Hand the connection back while the engine works: with many residents at once, connections held
            # across these awaits would drain the pool and block the event loop.
            session.commit()
            if payload is None and await self._needs_danger_check(sender, text):
                danger_check.ask(session, sender, message.id)
                inbox.mark(session, message, "answered", "danger question asked")
                return Reply(notes + [danger_check.question(self.kb.emergency["advice"]["common"])],
                             [Chip(title, send) for title, send in DANGER_CHIPS])
            answers = await (self.engine.command(sender, payload, metadata) if payload
                             else self.engine.send(sender, text, metadata))
        except EngineUnavailable as exc:
            logger.error("engine unavailable for inbound %s (%s): %s", message.id, channel, exc)
            inbox.mark(session, message, "failed", str(exc)[:200])
            return Reply(self._offline(session, channel, sender, held.text if said else text, confirmed=bool(said)))
        return self._answered(session, message, sender, answers).after(notes)

    def _answered(self, session: Session, message: inbox.InboundMessage, sender: str,
                  answers: list[BotMessage], note: str | None = None) -> Reply:
        inbox.mark(session, message, "answered", note)
        quick_replies.remember(session, sender, answers)
        return Reply([a.text for a in answers], chips_of(answers)) if answers else Reply([ENGINE_DOWN])

    async def _needs_danger_check(self, sender: str, text: str) -> bool:
        """Danger the words may hide: ask first. Mid-form, an answer ("婆婆的病一直花钱") is asked about
        only when the safety net's own wording is there, not on the model's faint guess alone; and an answer
        the model alone is sure of ("前天夜里烟囱起的火" answering 急事) is asked about, not alerted."""
        danger = (await self.engine.parse(text)).get("danger") or {}
        if danger.get("tier") == CHECK:
            return danger.get("reason") != MODEL_ONLY or await self.engine.active_loop(sender) is None
        # confirmed by the model alone, or by the net's words that a form's answer uses: mid-form, ask first;
        # but not in the emergency's own form ("有人倒在地上了" after "救命啊"): that danger joins its case
        reason = str(danger.get("reason"))
        in_form_words = danger.get("category") in ASK_FIRST_IN_FORM and reason.startswith("safety_net:")
        if danger.get("tier") != CONFIRMED or not (reason == MODEL_ONLY or in_form_words):
            return False
        return await self.engine.active_loop(sender) not in (None, URGENT_FORM)

    async def _resume(self, session: Session, message: inbox.InboundMessage, sender: str,
                      held: inbox.InboundMessage, said: bool | None, metadata: dict) -> Reply:
        """Yes: the held message goes on as confirmed danger. No, or no answer to the question: as an
        ordinary message, so whatever the resident was doing (a form, a question) carries on."""
        text, held_id = held.text[: self.max_chars], held.id
        session.commit()
        logger.info("danger question for inbound %s answered: %s", held_id,
                    {True: "yes", False: "no"}.get(said, "something else"))
        answers = await self.engine.send(sender, text, metadata | {"danger": SAID_YES if said else SAID_NO,
                                                                   "inbound_id": held_id})
        reply = self._answered(session, message, sender, answers, f"danger question: {said}")
        return reply.after([danger_check.RESUMED]) if said is False else reply

    def _offline(self, session: Session, channel: str, sender: str, text: str,
                 confirmed: bool = False) -> list[str]:
        """Engine down: the safety net still answers an emergency (or danger the resident confirmed), and
        staff are alerted; wording that may mean danger gets the emergency numbers."""
        if not confirmed and self.net.match(text) is None:
            return [ENGINE_DOWN] if self.net.watch(text) is None else [self.kb.emergency["advice"]["common"],
                                                                       ENGINE_DOWN]
        messages = self.desk.emergency(session, sender=sender, channel=channel, text=text)
        session.commit()
        return messages
