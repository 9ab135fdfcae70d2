"""Who a conversation is with: one value for the sender-id scheme every store and the engine share
("wx-<openid>" on WeChat, "web-<id>" on the web chat), parsed and built in one place."""
from __future__ import annotations

from dataclasses import dataclass

WECHAT, WEBCHAT, OTHER = "wechat", "webchat", "other"
_PREFIXES = {WECHAT: "wx-", WEBCHAT: "web-"}


@dataclass(frozen=True)
class Sender:
    channel: str  # wechat | webchat | other (a test, a tool)
    id: str       # the channel's own id: a WeChat openid, the app-issued web id

    @classmethod
    def wechat(cls, openid: str) -> Sender:
        return cls(WECHAT, openid)

    @classmethod
    def web(cls, sender_id: str) -> Sender:
        return cls(WEBCHAT, sender_id)

    @classmethod
    def parse(cls, conversation_id: str) -> Sender:
        for channel, prefix in _PREFIXES.items():
            if conversation_id.startswith(prefix):
                return cls(channel, conversation_id.removeprefix(prefix))
        return cls(OTHER, conversation_id)

    @property
    def conversation_id(self) -> str:
        """The id the engine, the inbox and every store know the conversation by."""
        return _PREFIXES.get(self.channel, "") + self.id

    @property
    def openid(self) -> str | None:
        return self.id if self.channel == WECHAT else None

    @property
    def staff_can_reply(self) -> bool:
        """WeChat (customer-service messages) and the web chat (the page fetches staff replies)."""
        return self.channel in _PREFIXES

    def __str__(self) -> str:
        return self.conversation_id
