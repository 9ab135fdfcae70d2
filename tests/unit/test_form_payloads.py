"""Slots and intake results of a shape the forms never set (found by tests/fuzz/test_forms_fuzz.py): the action
server only relays what the forms set, but a caller holding the service token may send anything. A value of
another shape counts as no answer; an intake result that is not the intake system's answer counts as a
failure (staff are told). Never a 500."""
from __future__ import annotations

from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from bot.app import create_app
from bot.db import session as db
from bot.forms import complaint, places
from bot.forms.engine import OUTCOME, RETRIES, RUN_ID, FormTurn, Interview
from bot.forms.followups import REPORT_SAID, said_so_far, show_urgency
from bot.forms.prescreen import PRESCREEN, household_of
from bot.forms.service import Forms
from bot.replies.service import Replies
from bot.screening.rules import Standard
from bot.settings import ROOT, get_settings
from tests.conftest import free_port
from bot.gazetteer.divisions import DIVISIONS_FILE, load

GAZETTEER = load(ROOT / "policies" / DIVISIONS_FILE)

ODD = [[], [{}], [["x"]], {"a": 1}, {"low": "many"}, 5, 2.5, True, "x"]  # no slot below takes these shapes
PLACE = {"code": "220182100", "name": "双山镇", "text": "双山镇", "urban": False}


@pytest.fixture(scope="module")
def env(kb):
    return {"_kb": kb, "_std": Standard.from_kb(kb), "_townships": list(GAZETTEER.divisions)}


@pytest.mark.parametrize("odd", ODD)
def test_a_household_of_odd_slots_reads_them_as_unanswered(odd):
    slots = ("place", "monthly_income", "special_members", "disability", "sudden_event", "event_when", "assets",
             "current_benefits", "household_size")
    household = household_of({slot: odd for slot in slots})
    assert household.members == set() and household.assets in (None, set()) and household.urban is None
    assert household.size in (None, 5)
    assert household.income_low is None and household.event is None and household.event_recent is None


@pytest.mark.parametrize("odd", ODD)
def test_questions_ask_and_show_odd_slots_without_failing(env, odd):
    state = {**env, "special_members": odd, "sudden_event": odd, "household_size": 1, "disability": odd}
    for question in PRESCREEN.questions:
        question.when(state)  # e.g. "disabled" in a number, a list in the events
        question.show(odd)    # the summary of an answer the form did not give
    assert places.show_place(odd) and complaint.show_place(odd) and show_urgency(odd)
    assert said_so_far({REPORT_SAID: odd}, REPORT_SAID, "老人好几天没出门") == ["老人好几天没出门"]


def test_words_said_so_far_are_never_split_into_characters():
    assert said_so_far({REPORT_SAID: "老人摔了"}, REPORT_SAID, "在秀水村") == ["在秀水村"]


@pytest.mark.parametrize("odd", [{"a": 1}, [1], "two", float("inf")])
def test_an_unclear_answer_counts_retries_of_any_shape(env, odd):
    turn = FormTurn(text="嗯嗯嗯", requested_slot="household_size",
                    slots={RUN_ID: "r1", "need_whose": "self", "place": PLACE, RETRIES: odd})
    reply = Interview(PRESCREEN).step(turn, env)
    assert reply.requested_slot == "household_size" and reply.slots[RETRIES] == 1


@pytest.mark.parametrize("paused", [["prescreen_form", "r0"], "prescreen_form", 3])
def test_a_paused_run_of_another_shape_is_not_resumed(env, paused):
    reply = Interview(PRESCREEN).step(FormTurn(text="我想申请低保", slots={"form_paused": paused}), env)
    assert reply.requested_slot is not None and reply.slots[RUN_ID]


@pytest.mark.parametrize("form", ["prescreen_form", "report_form", "complaint_form", "urgent_form"])
def test_a_run_done_without_its_id_is_not_submitted(kb, form):
    forms = Forms(kb, Replies(kb, 160), GAZETTEER)
    reply = forms.submit(form, FormTurn(slots={OUTCOME: "done", "urgent_place": "x"}), lambda: [],
                         lambda key, text: "T-1")
    assert reply.intake is None and reply.slots[OUTCOME] is None


# ---- through the routes -------------------------------------------------------------------------------------

CACHED = (get_settings, db.get_engine, db.get_sessionmaker)


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    var = tmp_path_factory.mktemp("form-payloads")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATABASE_URL", f"sqlite:///{var / 'app.db'}")
        patch.setenv("ENGINE_URL", f"http://127.0.0.1:{free_port()}")
        for cached in CACHED:
            cached.cache_clear()
        settings = replace(get_settings(), engine_timeout_s=1.0)
        with TestClient(create_app(settings), raise_server_exceptions=False) as c:
            c.headers.update({"Authorization": f"Bearer {settings.service_token}"})
            yield c
    for cached in CACHED:
        cached.cache_clear()


@pytest.mark.parametrize("result", [
    {"case_number": "SL-2026-000001"},                                  # no office
    {"case_number": "SL-2026-000001", "office": "双山镇窗口"},            # an office that is not one
    {"case_number": ["SL"], "office": {"name": "双山镇窗口"}},
    {"error": {"code": 500}},
])
@pytest.mark.parametrize("form", ["prescreen_form", "report_form", "urgent_form"])
def test_a_receipt_that_is_not_the_intake_systems_answer_is_a_failure_staff_hear_of(client, form, result):
    response = client.post(f"/api/forms/{form}/receipt", json={"context": {"sender": "web-r"}, "result": result})
    assert response.status_code in (200, 422), response.text
    if response.status_code == 200:
        assert "转办系统暂时连不上" in response.json()["messages"][0]


@pytest.mark.parametrize("result", [{"status": "received"}, {"status": "received", "office": []},
                                    {"case_number": "SL-2026-000001", "status": "received", "office": {}}])
def test_a_status_that_is_not_the_intake_systems_answer_says_the_look_up_failed(client, result):
    response = client.post("/api/forms/status_form/answer", json={"context": {}, "result": result})
    assert response.status_code == 200, response.text
    assert "查询系统暂时连不上" in response.json()["messages"][0]


def test_a_confidence_is_a_number(client):
    for confidence in ("0.9", True):
        response = client.post("/api/forms/status_form/validate", json={"confidence": confidence})
        assert response.status_code == 422 and response.json()["fields"] == ["confidence"]
    assert client.post("/api/forms/status_form/validate", json={"confidence": 1}).status_code == 200
