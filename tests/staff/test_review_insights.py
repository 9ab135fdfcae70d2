"""The review insights: each confused pair (model → corrected) and each intent below the fallback threshold links
to the list of exactly those turns, each turn linking to its place in its conversation; the 12345 agents' corrected
wrap-ups count in the confusion table as from the hotline and are listed with the pair's turns."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from html import unescape

from sqlalchemy import select

from bot.db.base import utcnow
from bot.staff import wrapups
from bot.staff.review.models import ReviewConversation, ReviewTurn
from tests.staff.conftest import form_token, logged_in
from tests.staff.review.conftest import events_db, review_app  # noqa: F401  (fixtures)


@dataclass
class Agent:
    id: int = 1
    username: str = "agent1"


def cid(db, sender: str) -> int:
    return db.scalar(select(ReviewConversation.id).where(ReviewConversation.sender_id == sender))


def section(html: str, name: str) -> str:
    return html.split(f'id="{name}"')[1].split("</section>")[0]


def row_of(html: str, first: str, second: str) -> str:
    """The table row of the confusion table whose first two cells are `first` and `second`."""
    rows = re.findall(r"<tr>(.*?)</tr>", section(html, "confused"), re.S)
    return next(r for r in rows if re.findall(r">([^<>]+)</a>", r)[:2] == [first, second])


def hrefs(html: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="([^"]+)"', html)]


def this_week(client, db) -> None:
    """The seeded turns are from 2026-11-29: read them in and make them this week's."""
    client.get("/console/review")
    for turn in db.scalars(select(ReviewTurn)):
        turn.at = utcnow() - timedelta(hours=1)
    db.commit()


def correct(client, conversation: int, seq: int, intent: str) -> None:
    page = client.get(f"/console/review/{conversation}")
    done = client.post(f"/console/review/{conversation}/turns/{seq}/intent",
                       data={"csrf": form_token(page.text), "intent": intent}, follow_redirects=False)
    assert done.status_code == 303


def test_a_confused_pair_links_to_its_turns_and_each_turn_to_its_place(review_app, users, db):
    with logged_in(review_app, users["reviewer"]) as client:
        this_week(client, db)
        a, e = cid(db, "web-a"), cid(db, "web-e")
        correct(client, a, 2, "request_human")     # 我电话139****5678: inform → request_human
        correct(client, e, 2, "affirm")            # 三口人: inform → affirm
        insights = client.get("/console/review/insights").text
        link = [h for h in hrefs(row_of(insights, "inform", "affirm")) if "/turns?" in h][0]
        assert "intent=inform" in link and "corrected=affirm" in link
        turns = client.get(link)
        assert turns.status_code == 200
        listed = re.findall(r'data-turn="(\d+#\d+)"', turns.text)
        assert listed == [f"{e}#2"] and "三口人" in turns.text and "139****5678" not in turns.text
        assert f"/console/review/{e}?page=1#turn-2" in hrefs(turns.text)
        other = client.get([h for h in hrefs(row_of(insights, "inform", "request_human")) if "/turns?" in h][0])
        assert re.findall(r'data-turn="(\d+#\d+)"', other.text) == [f"{a}#2"]
        place = client.get(f"/console/review/{e}?page=1")
        assert 'id="turn-2"' in place.text and "三口人" in place.text
    with logged_in(review_app, users["agent"]) as agent:
        assert agent.get(link).status_code == 403


def test_a_turn_on_a_later_page_links_to_that_page(review_app, users, db, events_db):
    from tests.staff.review.conftest import T0, bot, user, write_events

    many = []
    for n in range(25):
        many += [user(f"第{n}句", "greet", 0.9 if n != 22 else 0.1, T0 + 500 + 2 * n), bot("好", T0 + 501 + 2 * n)]
    write_events(events_db, {"web-long": many})
    with logged_in(review_app, users["reviewer"]) as client:
        this_week(client, db)
        low = section(client.get("/console/review/insights").text, "low")
        link = [h for h in hrefs(low) if "intent=greet" in h][0]
        turns = client.get(link).text
        long_id = cid(db, "web-long")
        assert re.findall(r'data-turn="(\d+#\d+)"', turns) == [f"{long_id}#23"]
        assert f"/console/review/{long_id}?page=2#turn-23" in hrefs(turns)


def test_below_threshold_links_to_the_low_turns_of_that_intent_only(review_app, users, db):
    with logged_in(review_app, users["reviewer"]) as client:
        this_week(client, db)
        low = section(client.get("/console/review/insights").text, "low")
        link = [h for h in hrefs(low) if "intent=inform" in h][0]
        assert "below=0.55" in link
        turns = client.get(link).text
        a = cid(db, "web-a")
        # inform below 0.55: 我电话139****5678 (0.41), not 三口人 (inform at 0.8), nor 嗯嗯那个 (nlu_fallback, 0.2)
        assert re.findall(r'data-turn="(\d+#\d+)"', turns) == [f"{a}#2"]
        assert f"/console/review/{a}?page=1#turn-2" in hrefs(turns)


def test_agents_corrections_count_in_the_confusion_table_as_from_the_hotline(review_app, users, db):
    for n, said in enumerate(["嗯那个我也说不好", "就是想问问"]):
        wrapups.save(db, Agent(), wrapups.Wrapup(call_id=f"call-{n}", text=said, model_intent="nlu_fallback",
                                                 model_confidence=0.2, corrected_intent="ask_policy", programme=None,
                                                 notes="", case_number=None))
    wrapups.save(db, Agent(), wrapups.Wrapup(call_id="call-ok", text="低保咋办", model_intent="ask_policy",
                                             model_confidence=0.9, corrected_intent="ask_policy", programme=None,
                                             notes="", case_number=None))
    db.commit()
    with logged_in(review_app, users["reviewer"]) as client:
        this_week(client, db)
        correct(client, cid(db, "web-c"), 1, "ask_policy")          # 嗯嗯那个: nlu_fallback → ask_policy
        insights = client.get("/console/review/insights").text
        row = row_of(insights, "nlu_fallback", "ask_policy")
        assert re.findall(r'<td class="num[^"]*">(\d+)</td>', row) == ["1", "2"]   # 会话审阅 1, 12345 热线 2
        assert "12345 热线" in section(insights, "confused")
        assert "ask_policy</a></td><td><a" not in section(insights, "confused").split("nlu_fallback")[0]
        turns = client.get([h for h in hrefs(row) if "/turns?" in h][0]).text
        calls = section(turns, "calls")
        assert re.findall(r'data-call="([^"]+)"', calls) == ["call-1", "call-0"]   # newest first, not call-ok
        assert "就是想问问" in calls and "agent1" in calls
