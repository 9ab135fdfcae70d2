"""The form endpoints fuzzed with the forms' own slot names: what the action server sends back is what the
forms set before, so a random key (all schemathesis can try) never reaches the code that reads a slot. Here
every slot of every form, and the intake results, take values of any JSON shape, and the words any text.

Whatever arrives, the answer is a 2xx or a 4xx in the app's format, never a 5xx.
"""
from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.forms.engine import OUTCOME, PAUSED_RUN
from bot.forms.service import FORMS

RECEIPT_FORMS = ("prescreen_form", "report_form", "urgent_form")
SLOTS = sorted({slot for form in FORMS.values() for slot in form.slots} | {PAUSED_RUN, "case_number"})
WORDS = ["低保", "特困", "三口人", "一千五", "13912345678", "SL-2026-000123", "双山镇", "秀水村", "是", "不是", "算了",
         "改一下", "人工", "不知道", "我不想活了", "着火了", "1", "2 5", "接着办", "没有", "有", "😀", " ", ""]
INTENTS = [None, "affirm", "deny", "emergency", "seek_help", "ask_policy", "check_status", "report_other", "stop",
           "nlu_fallback", "greet", "chitchat"]

scalars = st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False, allow_infinity=False) \
    | st.text(max_size=30) | st.sampled_from(WORDS)
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.sampled_from(["code", "text", "office", "name", "run_id", "form",
                                                              "phone", "title", "payload"]) | st.text(max_size=5),
                                             inner, max_size=4), max_leaves=12)
outcomes = st.sampled_from(["done", "cancelled", "person", "paused", "paused:action_x", "switch:prescreen_form",
                            "switch:", "paused:"])
slot_values = st.dictionaries(st.sampled_from(SLOTS), json_values, max_size=12).flatmap(
    lambda slots: st.builds(lambda outcome: {**slots, OUTCOME: outcome} if outcome else slots,
                            st.none() | outcomes))
texts = st.lists(st.sampled_from(WORDS) | st.text(max_size=12), max_size=4).map(" ".join)
turns = st.fixed_dictionaries({
    "sender": st.sampled_from(["", "web-abc", "wx-openid123"]) | st.text(max_size=20),
    "channel": st.none() | st.sampled_from(["webchat", "wechat"]),
    "text": texts,
    "intent": st.sampled_from(INTENTS),
    "confidence": st.none() | st.floats(0, 1),
    "requested_slot": st.none() | st.sampled_from(SLOTS) | st.text(max_size=8),
    "slots": slot_values,
})
office = st.fixed_dictionaries({"name": st.text(max_size=10), "phone": st.none() | st.text(max_size=12),
                                "township_code": st.none() | st.text(max_size=6),
                                "township": st.none() | st.text(max_size=6), "verified": st.booleans()})
results = st.one_of(
    st.dictionaries(st.sampled_from(["error", "case_number", "office", "status", "created", "status_label",
                                     "next_step", "kind", "urgency"]), json_values, max_size=6),
    st.fixed_dictionaries({"error": st.sampled_from(["not_found", "rate_limited", "unavailable", "refused"])}),
    st.fixed_dictionaries({"case_number": st.just("SL-2026-000001"), "kind": st.sampled_from(["apply", "urgent"]),
                           "status": st.just("received"), "status_label": st.just("已接收"),
                           "urgency": st.just("normal"), "office": office, "created": st.booleans()}),
    st.fixed_dictionaries({"case_number": st.just("SL-2026-000001"), "status": st.just("received"),
                           "status_label": st.just("已接收"), "next_step": st.text(max_size=10), "office": office,
                           "updated_at": st.just("2026-01-01T00:00:00Z")}),
)
BUDGET = settings(max_examples=150, deadline=None, derandomize=True,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def client(fuzz_app, token_headers):
    client = TestClient(fuzz_app, raise_server_exceptions=False)  # no lifespan: fuzz_app prepared the database
    client.headers.update(token_headers)
    return client


def answered(response) -> Any:
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert {"error", "reason", "message"} <= set(response.json()), response.text
    return response


@BUDGET
@given(form=st.sampled_from(sorted(FORMS)), turn=turns)
def test_validate(client, form, turn):
    answered(client.post(f"/api/forms/{form}/validate", json=turn))


@BUDGET
@given(form=st.sampled_from(sorted(FORMS)), turn=turns)
def test_submit(client, form, turn):
    answered(client.post(f"/api/forms/{form}/submit", json=turn))


@BUDGET
@given(form=st.sampled_from(RECEIPT_FORMS), turn=turns, result=results)
def test_receipt(client, form, turn, result):
    answered(client.post(f"/api/forms/{form}/receipt", json={"context": turn, "result": result}))


@BUDGET
@given(turn=turns, result=results)
def test_status_answer(client, turn, result):
    answered(client.post("/api/forms/status_form/answer", json={"context": turn, "result": result}))
