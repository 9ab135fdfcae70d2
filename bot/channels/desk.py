"""What a resident's conversation asks of the staff side: an emergency alerted, and whether a person holds the
conversation (human handoff). The staff wing (bot/staff/) sits above the channels and imports them, so the
channels state what they need here and bot/staff/desk.py answers it; bot.channels never imports bot.staff
(tests/unit/test_layers.py)."""
from __future__ import annotations

from typing import Protocol

from sqlalchemy.orm import Session


class StaffDesk(Protocol):
    def emergency(self, session: Session, *, sender: str, channel: str, text: str) -> list[str]:
        """Staff alerted to danger (committed at once); what the resident is told now."""
        ...

    def holding(self, session: Session, sender: str) -> bool:
        """A person has this conversation: the bot stays quiet."""
        ...

    def let_go(self, session: Session, sender: str, text: str) -> bool:
        """The resident's words end the handoff ("结束人工"): ended, the bot answers again."""
        ...

    def acknowledgement(self, session: Session, sender: str) -> list[str]:
        """What the bot says to a message for staff: that it was passed on, when due; else nothing."""
        ...
