"""The review's source end to end: a resident's web chat through the live engine, whose events Rasa's SQL
broker writes (masked at publish), folded into review turns with the model's intent, confidence, the bot's
replies, and no phone number in the clear."""
from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.session import make_engine
from bot.staff.review.models import ReviewConversation
from bot.staff.review.source import SQLBrokerSource
from bot.staff.review.store import ReviewStore

pytestmark = pytest.mark.engine


def test_a_web_chat_lands_in_the_review_masked(chat, stack_settings):
    chat("低保怎么申请")
    chat("我的电话是13912345678")
    engine = make_engine(stack_settings.database_url)
    with Session(engine) as session:
        store = ReviewStore(session)
        store.sync(SQLBrokerSource(stack_settings.event_broker_url))
        session.commit()
        conversation = session.scalars(select(ReviewConversation)
                                       .where(ReviewConversation.sender_id == chat.sender)).one()
        turns = store.turns(conversation.id)
        assert conversation.channel == "web" and [t.text for t in turns][:1] == ["低保怎么申请"]
        first = turns[0]
        assert first.intent and first.confidence is not None and 0 < first.confidence <= 1
        assert first.replies, "the bot's answer is in the turn"
        assert first.entities == [{"entity": "programme", "value": "dibao", "start": 0, "end": 2,
                                   "extractor": "FastLoadDIETClassifier, RegexEntityExtractor"}]  # one, both named
        assert "13912345678" not in turns[1].text and "5678" in turns[1].text
        assert all("13912345678" not in str(t.slots) + str(t.entities) + " ".join(t.replies) for t in turns)
    engine.dispose()
