"""The staff side as a resident's conversation sees it (bot.channels.desk.StaffDesk): alerts and handoffs."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.staff import handoff
from bot.staff.alerts.service import Alerts
from bot.text.normalize import fold


@dataclass(frozen=True)
class Desk:
    alerts: Alerts

    def emergency(self, session: Session, *, sender: str, channel: str, text: str) -> list[str]:
        return self.alerts.raise_alert(session, kind="emergency", sender=sender, channel=channel, text=text)[1]

    def holding(self, session: Session, sender: str) -> bool:
        return handoff.active(session, sender) is not None

    def let_go(self, session: Session, sender: str, text: str) -> bool:
        return fold(text) in handoff.END_WORDS and handoff.end(session, sender, by="resident")

    def acknowledgement(self, session: Session, sender: str) -> list[str]:
        # the first message of a handoff, and again once the resident has waited handoff.ACK_AGAIN_AFTER
        return [handoff.ACKNOWLEDGEMENT] if handoff.acknowledge(session, sender) else []
