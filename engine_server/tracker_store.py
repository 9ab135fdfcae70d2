"""The SQL tracker store, writing no personal numbers a resident typed: what residents and the bot said
is masked before it is stored, and before it is published to the event broker (staff tools and the
review screen read both).

The contact slots keep the raw phone only while a form needs it to open the referral: once a form
clears them, the conversation's stored copies are masked too.
"""
from __future__ import annotations

import json
import logging
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker

from bot.privacy.mask import mask

logger = logging.getLogger(__name__)

# slots holding a resident's own words (complaints, reports): masked like the messages
TEXT_SLOTS = {"complaint_what", "complaint_place", "complaint_said", "report_situation", "report_place",
              "report_said"}
# slots the referral needs verbatim until its form is done
CONTACT_SLOTS = {"contact_phone", "reporter_phone", "status_phone", "urgent_phone"}


def _masked(value: Any) -> Any:
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, list):
        return [_masked(v) for v in value]
    if isinstance(value, dict):
        return {k: _masked(v) for k, v in value.items()}
    return value


def scrub(data: dict[str, Any]) -> dict[str, Any]:
    """One event as it is stored: texts and free-text slots masked, everything else as Rasa wrote it."""
    kind = data.get("event")
    if kind in ("user", "bot") and isinstance(data.get("text"), str):
        data = {**data, "text": mask(data["text"])}
    if kind == "user" and isinstance(data.get("parse_data"), dict):
        parse = data["parse_data"]
        data["parse_data"] = {**parse, "text": mask(parse.get("text") or ""),
                              "entities": _masked(parse.get("entities") or [])}
    if kind == "slot" and data.get("name") in TEXT_SLOTS:
        data = {**data, "value": _masked(data.get("value"))}
    return data


class MaskingSQLTrackerStore(SQLTrackerStore):
    async def _stream_new_events(self, event_broker: Any, new_events: list, sender_id: str) -> None:
        """What the event broker gets is masked the same way (the review screen reads it)."""
        for event in new_events:
            event_broker.publish({"sender_id": sender_id, **scrub(event.as_dict())})

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        cleared = set()
        with self.session_scope() as session:
            for event in self._additional_events(session, tracker):
                data = scrub(event.as_dict())
                if data.get("event") == "slot" and data.get("name") in CONTACT_SLOTS and not data.get("value"):
                    cleared.add(data["name"])
                session.add(self.SQLEvent(
                    sender_id=tracker.sender_id, type_name=event.type_name, timestamp=data.get("timestamp"),
                    intent_name=(data.get("parse_data") or {}).get("intent", {}).get("name"),
                    action_name=data.get("name"), data=json.dumps(data)))
            if cleared:
                self._forget_contacts(session, tracker.sender_id, cleared)
            session.commit()

    def _forget_contacts(self, session: Any, sender_id: str, names: set[str]) -> None:
        """The form is done with these phones: mask every stored copy of them in this conversation."""
        rows = session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == sender_id,
                                                   self.SQLEvent.type_name == "slot")
        for row in rows:
            data = json.loads(row.data)
            if data.get("name") in names and isinstance(data.get("value"), str) and data["value"]:
                masked = mask(data["value"])
                if masked == data["value"]:  # a form the masker does not know: keep nothing of it
                    masked = "***"
                row.data = json.dumps({**data, "value": masked})
