"""Rate limits: a guesser, a flood or a script is stopped politely; a resident is not."""
from __future__ import annotations

import secrets

from bot.channels.conversation import SLOW_DOWN
from bot.security.limits import (MESSAGES_PER_SENDER, NEW_WEB_SENDERS_PER_CLIENT, STATUS_PER_CASE,
                                 STATUS_PER_CLIENT, URGENT_PER_SENDER, WEB_MESSAGES_PER_CLIENT)

PHONE = "13912345678"


def open_case(client, headers, phone: str = PHONE) -> str:
    draft = {"idempotency_key": f"test:{secrets.token_hex(6)}", "kind": "apply", "channel": "webchat",
             "sender": "web-x", "contact_phone": phone, "summary": "测试", "consent_text": "同意"}
    response = client.post("/intake/api/referrals", json=draft, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()["case_number"]


def look_up(client, case: str, phone: str):
    return client.post("/intake/api/status-lookups", json={"case_number": case, "phone": phone})


def test_guessing_a_phone_is_stopped_per_case_with_a_polite_answer(app, service):
    case = open_case(app, service)
    guesses = [look_up(app, case, f"1391234{n:04d}") for n in range(STATUS_PER_CASE.count)]
    assert {g.status_code for g in guesses} == {404}
    blocked = look_up(app, case, PHONE)  # even the right phone: the case is locked for the window
    assert blocked.status_code == 429
    body = blocked.json()
    assert body["error"] == "rate_limited" and "12345" in body["message"]
    assert int(blocked.headers["Retry-After"]) == STATUS_PER_CASE.window_s
    assert PHONE not in blocked.text


def test_guessing_across_cases_is_stopped_per_client(app, service):
    cases = [open_case(app, service) for _ in range(STATUS_PER_CLIENT.count // STATUS_PER_CASE.count + 1)]
    answers = [look_up(app, case, "13800000000").status_code
               for case in cases for _ in range(STATUS_PER_CASE.count)]
    assert answers[:STATUS_PER_CLIENT.count] == [404] * STATUS_PER_CLIENT.count
    assert set(answers[STATUS_PER_CLIENT.count:]) == {429}


def test_the_right_phone_answers_and_a_wrong_phone_looks_like_an_unknown_case(app, service):
    case = open_case(app, service)
    assert look_up(app, case, "139 1234 5678").json()["case_number"] == case
    wrong, unknown = look_up(app, case, "13900000000"), look_up(app, "SL-2099-999999", PHONE)
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json()


def test_a_phone_without_enough_digits_never_matches(app, service):
    case = open_case(app, service)
    for phone in ("", "无", "5678", "+86"):
        assert look_up(app, case, phone).status_code in (404, 422)


def test_the_action_server_is_counted_per_conversation_not_per_address(app, service):
    case = open_case(app, service)
    body = {"case_number": case, "phone": "13800000000", "on_behalf_of": "wx-someone"}
    assert app.post("/intake/api/status-lookups", json=body).status_code == 401  # only a service caller says whom
    answers = [app.post("/intake/api/status-lookups", json={**body, "on_behalf_of": f"wx-{n}"},
                        headers=service).status_code for n in range(STATUS_PER_CASE.count + 1)]
    assert answers[-1] == 429  # still limited per case, whoever asks


def chat(client, token, text="你好"):
    return client.post("/api/chat", json={"sender": token, "text": text})


def test_a_flooding_sender_is_told_to_slow_down_with_the_emergency_numbers(app):
    token = app.post("/api/chat/session").json()["sender"]
    answers = [chat(app, token).json()["messages"] for _ in range(MESSAGES_PER_SENDER.count + 1)]
    assert all(SLOW_DOWN not in a for a in answers[:-1])
    assert answers[-1] == [SLOW_DOWN]
    assert all(n in SLOW_DOWN for n in ("110", "120", "119"))
    other = app.post("/api/chat/session").json()["sender"]
    assert chat(app, other).json()["messages"] != [SLOW_DOWN]  # another resident is not held up


def test_one_address_cannot_speak_as_many_senders(app):
    tokens = [app.post("/api/chat/session").json()["sender"] for _ in range(8)]
    answers = [chat(app, tokens[n % len(tokens)]).json()["messages"]
               for n in range(WEB_MESSAGES_PER_CLIENT.count + 1)]
    assert SLOW_DOWN not in answers[-2] and answers[-1] == [SLOW_DOWN]


def test_new_conversations_per_address_are_limited(app):
    issued = [app.post("/api/chat/session") for _ in range(NEW_WEB_SENDERS_PER_CLIENT.count + 1)]
    assert {r.status_code for r in issued[:-1]} == {200}
    assert issued[-1].status_code == 429 and "110" in issued[-1].json()["message"]
    # a message without a valid sender would open one more: refused the same way
    assert chat(app, None).status_code == 429


def test_urgent_referrals_per_sender_are_limited_but_the_numbers_still_come(app, service):
    context = {"sender": "wx-flood", "channel": "wechat", "text": "我不想活了", "intent": "emergency"}
    replies = [app.post("/api/alerts", json=context, headers=service).json()
               for _ in range(URGENT_PER_SENDER.count + 1)]
    assert all(r["intake"] for r in replies[:-1])
    assert replies[-1]["intake"] is None
    assert "120" in "".join(replies[-1]["messages"])


def test_app_instances_share_the_limits_through_redis(make_app):
    import redis

    url = "redis://127.0.0.1:6379/15"  # a database of its own: counts from earlier runs are cleared
    redis.Redis.from_url(url).flushdb()
    first, second = make_app(redis_url=url), make_app(redis_url=url)
    headers = {"Authorization": f"Bearer {first.settings.service_token}"}
    case = open_case(first, headers)
    answers = [look_up((first, second)[n % 2], case, "13800000000").status_code
               for n in range(STATUS_PER_CASE.count + 1)]
    assert answers[:-1] == [404] * STATUS_PER_CASE.count and answers[-1] == 429
