"""The intake HTTP API (/intake/api) on the real app: startup migrates and seeds, then creation,
validation, auth, the resident's status look-up, the clerk's workflow and lists. Every test runs on
SQLite and on PostgreSQL (see conftest.py)."""
from __future__ import annotations

import re
import shutil
import threading
from datetime import datetime

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from bot.intake.case_numbers import CHINA
from bot.intake.models import Referral, ReferralEvent, Township
from bot.intake.seed import seed_townships
from bot.settings import ROOT, get_settings

API = "/intake/api"
DIVISIONS = ROOT / "policies" / "shuangliao-divisions.yml"
SHUANGSHAN = "220382101"   # 双山镇
WOHU = "220382102"         # 卧虎镇
ZHENGJIATUN = "220382001"  # 郑家屯街道
CASE = re.compile(r"^SL-(\d{4})-(\d{6})$")


def create(client: TestClient, payload: dict, expect: int = 201) -> dict:
    response = client.post(f"{API}/referrals", json=payload, headers=client.service_headers)
    assert response.status_code == expect, response.text
    return response.json()


def event(client: TestClient, case: str, expect: int = 200, **body) -> dict:
    response = client.post(f"{API}/referrals/{case}/events", json=body, headers=client.service_headers)
    assert response.status_code == expect, response.text
    return response.json()


def lookup(client: TestClient, headers: dict | None = None, **body):
    return client.post(f"{API}/status-lookups", json=body, headers=headers or {})


def detail(client: TestClient, case: str) -> dict:
    response = client.get(f"{API}/referrals/{case}", headers=client.service_headers)
    assert response.status_code == 200, response.text
    return response.json()


def count(engine: Engine, model) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(model))


# --- startup, townships ------------------------------------------------------------------------


def test_startup_migrates_and_seeds_the_townships(client: TestClient):
    response = client.get(f"{API}/townships")  # public: residents may see whom to call
    assert response.status_code == 200
    townships = {t["name"]: t for t in response.json()}
    assert len(townships) == 18
    assert all(t["verified"] is False for t in townships.values())
    assert townships["双山镇"]["office_name"] == "双山镇人民政府社会救助窗口"
    assert townships["郑家屯街道"]["office_name"] == "郑家屯街道办事处社会救助窗口"
    assert townships["双山镇"]["code"] == SHUANGSHAN


def test_admin_edit_survives_seeding_and_restart(client: TestClient, engine: Engine, make_draft):
    patch = {"office_phone": "0434-7123456", "office_address": "双山镇政府一楼", "verified": True}
    response = client.patch(f"{API}/townships/{SHUANGSHAN}", json=patch, headers=client.service_headers)
    assert response.status_code == 200, response.text
    assert {k: response.json()[k] for k in patch} == patch
    assert response.json()["office_name"] == "双山镇人民政府社会救助窗口"  # untouched fields kept

    with Session(engine) as session:
        assert seed_townships(session, DIVISIONS) == 0
    from bot.app import create_app

    with TestClient(create_app()) as restarted:  # startup seeds again
        townships = {t["code"]: t for t in restarted.get(f"{API}/townships").json()}
    assert len(townships) == 18
    assert {k: townships[SHUANGSHAN][k] for k in patch} == patch
    assert townships[WOHU]["office_phone"] is None and townships[WOHU]["verified"] is False

    office = create(client, make_draft())["office"]
    assert office == {"township_code": SHUANGSHAN, "township": "双山镇", "name": "双山镇人民政府社会救助窗口",
                      "phone": "0434-7123456", "verified": True}


@pytest.mark.parametrize("patch", [
    pytest.param({"office_name": None}, id="office_name-null"),
    pytest.param({"verified": None}, id="verified-null"),
])
def test_patch_cannot_blank_a_required_field(client: TestClient, patch):
    """office_name and verified are NOT NULL: an explicit null is a bad request (422), not a 500."""
    response = client.patch(f"{API}/townships/{SHUANGSHAN}", json=patch, headers=client.service_headers)
    assert response.status_code == 422, response.text
    township = {t["code"]: t for t in client.get(f"{API}/townships").json()}[SHUANGSHAN]
    assert township["office_name"] == "双山镇人民政府社会救助窗口" and township["verified"] is False


def test_patch_unknown_township_is_404(client: TestClient):
    response = client.patch(f"{API}/townships/999999999", json={"office_phone": "1"},
                            headers=client.service_headers)
    assert response.status_code == 404 and response.json()["error"] == "not_found"


# --- creation, case numbers, idempotency -------------------------------------------------------


def test_create_returns_a_receipt_with_a_case_number(client: TestClient, make_draft):
    receipt = create(client, make_draft())
    year = datetime.now(CHINA).year
    assert receipt["case_number"] == f"SL-{year}-000001"
    assert receipt["created"] is True and receipt["kind"] == "apply"
    assert receipt["status"] == "pending" and receipt["status_label"] == "待受理"
    assert receipt["office"]["name"] == "双山镇人民政府社会救助窗口" and receipt["office"]["verified"] is False
    second = create(client, make_draft(township_code=ZHENGJIATUN))
    assert second["case_number"] == f"SL-{year}-000002"
    assert second["office"]["name"] == "郑家屯街道办事处社会救助窗口"


def test_same_key_twice_is_201_then_200_with_the_same_case(client: TestClient, engine: Engine, make_draft):
    payload = make_draft()
    first = create(client, payload, expect=201)
    second = create(client, payload, expect=200)
    assert first["created"] is True and second["created"] is False
    assert second["case_number"] == first["case_number"]
    assert count(engine, Referral) == 1 and count(engine, ReferralEvent) == 1


def test_concurrent_same_key_http_creates_make_one_referral(client: TestClient, engine: Engine, make_draft):
    payload = make_draft()
    barrier = threading.Barrier(6)
    answers: list[tuple[int, dict]] = []
    lock = threading.Lock()

    def post() -> None:
        barrier.wait(timeout=30)
        response = client.post(f"{API}/referrals", json=payload, headers=client.service_headers)
        with lock:
            answers.append((response.status_code, response.json()))

    threads = [threading.Thread(target=post) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(answers) == 6, answers
    assert sorted(status for status, _ in answers) == [200] * 5 + [201], answers
    assert len({body["case_number"] for _, body in answers}) == 1
    assert count(engine, Referral) == 1


def test_discovery_and_urgent_need_no_phone(client: TestClient, make_draft):
    discovery = create(client, make_draft(kind="discovery", contact_phone=None, contact_name=None))
    assert discovery["kind"] == "discovery" and discovery["urgency"] == "normal"
    urgent = create(client, make_draft(kind="urgent", contact_phone=None, township_code=None))
    assert urgent["urgency"] == "urgent"
    assert urgent["office"]["township_code"] is None and "民政局" in urgent["office"]["name"]


# --- validation --------------------------------------------------------------------------------


@pytest.mark.parametrize("overrides, words", [
    pytest.param({"consent_text": None}, "consent", id="no-consent"),
    pytest.param({"consent_text": ""}, "consent", id="empty-consent"),
    pytest.param({"contact_phone": None}, "contact phone", id="apply-without-phone"),
    pytest.param({"kind": "loan"}, "apply", id="bad-kind"),
    pytest.param({"idempotency_key": "short"}, "at least 8", id="short-key"),
])
def test_invalid_drafts_are_422_with_a_reason(client: TestClient, engine: Engine, make_draft, overrides, words):
    payload = make_draft(**overrides)
    if overrides.get("consent_text") is None and "consent_text" in overrides:
        del payload["consent_text"]
    response = client.post(f"{API}/referrals", json=payload, headers=client.service_headers)
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["error"] == "invalid_request"
    assert isinstance(body["reason"], str) and words in body["reason"], body
    assert "13912345678" not in response.text  # the reason never echoes personal data
    assert count(engine, Referral) == 0


def test_bad_kind_names_the_field(client: TestClient, make_draft):
    response = client.post(f"{API}/referrals", json=make_draft(kind="loan"), headers=client.service_headers)
    assert response.status_code == 422 and "kind" in response.json()["fields"]


def test_unknown_township_is_422_unknown_township(client: TestClient, engine: Engine, make_draft):
    response = client.post(f"{API}/referrals", json=make_draft(township_code="220382999"),
                           headers=client.service_headers)
    assert response.status_code == 422, response.text
    assert response.json()["error"] == "unknown_township" and response.json()["reason"]
    assert count(engine, Referral) == 0
    # the failed create used no case number
    assert create(client, make_draft())["case_number"].endswith("-000001")


BAD_AUTH = [
    pytest.param({}, id="missing"),
    pytest.param({"Authorization": "Bearer wrong-token"}, id="wrong"),
    pytest.param({"Authorization": ""}, id="empty"),
]


@pytest.mark.parametrize("headers", BAD_AUTH)
def test_service_endpoints_refuse_a_missing_or_wrong_token(client: TestClient, engine: Engine, make_draft,
                                                           headers):
    case = create(client, make_draft())["case_number"]
    calls = [
        ("post", f"{API}/referrals", make_draft()),
        ("get", f"{API}/referrals", None),
        ("get", f"{API}/referrals/{case}", None),
        ("post", f"{API}/referrals/{case}/events", {"actor": "clerk:li", "action": "status",
                                                     "to_status": "accepted"}),
        ("patch", f"{API}/townships/{SHUANGSHAN}", {"office_phone": "0434-0000000"}),
        ("get", f"{API}/referrals/by-sender/web-x/latest", None),
    ]
    for method, url, body in calls:
        response = client.request(method, url, json=body, headers=headers)
        assert response.status_code == 401, (method, url, response.status_code, response.text)
    # the right token without its "Bearer " scheme is refused as well
    raw = {"Authorization": client.service_headers["Authorization"].removeprefix("Bearer ")}
    assert client.get(f"{API}/referrals", headers=raw).status_code == 401
    # nothing was written
    assert count(engine, Referral) == 1 and count(engine, ReferralEvent) == 1
    with Session(engine) as session:
        assert session.get(Township, SHUANGSHAN).office_phone is None


# --- the resident's status look-up -------------------------------------------------------------


@pytest.mark.parametrize("phone", ["13912345678", "139 1234 5678", " 139-1234-5678 "])
def test_status_lookup_by_case_and_phone(client: TestClient, make_draft, phone):
    case = create(client, make_draft())["case_number"]
    response = lookup(client, case_number=case, phone=phone)  # public: no token
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["case_number"] == case and answer["status"] == "pending"
    assert answer["status_label"] == "待受理"
    assert "联系您" in answer["next_step"]
    assert answer["office"]["name"] == "双山镇人民政府社会救助窗口"
    assert answer["updated_at"]
    assert set(answer) == {"case_number", "status", "status_label", "next_step", "office", "updated_at"}


def test_status_lookup_words_the_next_step_from_the_apps_knowledge_base(app_env, service_headers, make_draft,
                                                                        monkeypatch, tmp_path):
    """The app's policies folder, not the bundled one read at import: a bureau that rewords a sentence in its
    referral-notices.yml has residents told the new words."""
    policies = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", policies)
    notices = yaml.safe_load((policies / "referral-notices.yml").read_text(encoding="utf-8"))
    notices["next_step"]["pending"]["text"] = "乡镇窗口三个工作日内会给您打电话，请留意。"
    (policies / "referral-notices.yml").write_text(yaml.safe_dump(notices, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("POLICIES_DIR", str(policies))
    get_settings.cache_clear()
    from bot.app import create_app

    with TestClient(create_app()) as client:
        client.service_headers = service_headers
        case = create(client, make_draft())["case_number"]
        answer = lookup(client, case_number=case, phone="13912345678").json()
    assert answer["next_step"] == "乡镇窗口三个工作日内会给您打电话，请留意。"


def test_startup_runs_the_overdue_ladder_on_the_knowledge_bases_limits(app_env, monkeypatch):
    """The escalation worker gets the app's checked limits and holiday calendar, not the bundled defaults."""
    import bot.app

    given = []

    async def worker(db, limits, interval_s: float = 0) -> None:
        given.append(limits)

    monkeypatch.setattr(bot.app, "escalation_worker", worker)
    app = bot.app.create_app()
    with TestClient(app):
        pass
    assert given == [app.state.services.kb.referrals.time_limits] and given[0] is not None


def test_status_lookup_reveals_nothing_on_a_wrong_phone_or_unknown_case(client: TestClient, make_draft):
    case = create(client, make_draft())["case_number"]
    year = CASE.match(case).group(1)
    wrong_phone = lookup(client, case_number=case, phone="13900000000")
    unknown_case = lookup(client, case_number=f"SL-{year}-000999", phone="13912345678")
    no_phone = lookup(client, case_number=case)
    assert wrong_phone.status_code == unknown_case.status_code == no_phone.status_code == 404
    assert wrong_phone.json() == unknown_case.json() == no_phone.json()
    assert case not in wrong_phone.text


def test_status_lookup_with_full_width_digits(client: TestClient, make_draft):
    """Chinese input methods often type full-width digits; the project folds them (NFKC) elsewhere."""
    case = create(client, make_draft())["case_number"]
    response = lookup(client, case_number=case, phone="１３９１２３４５６７８")
    assert response.status_code == 200, response.text


def test_status_lookup_by_sender_needs_the_service_token(client: TestClient, make_draft):
    payload = make_draft(sender="wechat-oABC123")
    case = create(client, payload)["case_number"]
    without_token = lookup(client, case_number=case, sender="wechat-oABC123")
    assert without_token.status_code == 401
    wrong_token = lookup(client, {"Authorization": "Bearer nope"}, case_number=case, sender="wechat-oABC123")
    assert wrong_token.status_code == 401
    mine = lookup(client, client.service_headers, case_number=case, sender="wechat-oABC123")
    assert mine.status_code == 200 and mine.json()["status_label"] == "待受理"
    other = lookup(client, client.service_headers, case_number=case, sender="wechat-someone-else")
    assert other.status_code == 404
    assert other.json() == lookup(client, case_number=case, phone="13900000000").json()
    latest = client.get(f"{API}/referrals/by-sender/wechat-oABC123/latest", headers=client.service_headers)
    assert latest.status_code == 200 and latest.json() == {"case_number": case}


# --- the clerk's workflow ----------------------------------------------------------------------


def test_full_workflow_records_every_event(client: TestClient, make_draft):
    case = create(client, make_draft())["case_number"]
    path = ["accepted", "needs_materials", "home_visit", "closed"]
    labels = {"accepted": "已受理", "needs_materials": "待补材料", "home_visit": "入户调查", "closed": "已办结"}
    for step, status in enumerate(path):
        result = event(client, case, actor=f"clerk:{step}", action="status", to_status=status)
        assert result["status"] == status and result["status_label"] == labels[status]
        answer = lookup(client, case_number=case, phone="13912345678").json()
        assert answer["status_label"] == labels[status] and answer["next_step"]
    events = detail(client, case)["events"]
    assert [(e["kind"], e["actor"], e["from_status"], e["to_status"]) for e in events] == [
        ("created", "channel:web", None, "pending"),
        ("status", "clerk:0", "pending", "accepted"),
        ("status", "clerk:1", "accepted", "needs_materials"),
        ("status", "clerk:2", "needs_materials", "home_visit"),
        ("status", "clerk:3", "home_visit", "closed"),
    ]
    assert all(e["at"] for e in events)
    assert "办完" in lookup(client, case_number=case, phone="13912345678").json()["next_step"]


def test_invalid_move_is_409_and_records_nothing(client: TestClient, engine: Engine, make_draft):
    case = create(client, make_draft())["case_number"]
    response = client.post(f"{API}/referrals/{case}/events", headers=client.service_headers,
                           json={"actor": "clerk:li", "action": "status", "to_status": "closed"})
    assert response.status_code == 409, response.text
    assert response.json()["error"] == "invalid_transition"
    assert detail(client, case)["status"] == "pending"
    assert count(engine, ReferralEvent) == 1
    # an unknown status is a 422, not a move
    bad = client.post(f"{API}/referrals/{case}/events", headers=client.service_headers,
                      json={"actor": "clerk:li", "action": "status", "to_status": "done"})
    assert bad.status_code == 422 and count(engine, ReferralEvent) == 1


def test_transfer_to_another_township_starts_over_there(client: TestClient, make_draft):
    case = create(client, make_draft())["case_number"]
    event(client, case, actor="clerk:li", action="status", to_status="accepted")
    result = event(client, case, actor="clerk:li", action="transfer", township_code=WOHU,
                   note="住址在卧虎镇同乐村，不归双山镇")
    assert result["status"] == "pending" and result["township_code"] == WOHU
    last = result["events"][-1]
    assert (last["kind"], last["actor"], last["from_status"], last["to_status"]) == (
        "transfer", "clerk:li", "accepted", "pending")
    assert last["township_code"] == WOHU and last["note"] == "住址在卧虎镇同乐村，不归双山镇"
    answer = lookup(client, case_number=case, phone="13912345678").json()
    assert answer["status_label"] == "待受理" and answer["office"]["name"] == "卧虎镇人民政府社会救助窗口"
    listed = client.get(f"{API}/referrals", params={"township": WOHU, "status": "open"},
                        headers=client.service_headers).json()
    assert [r["case_number"] for r in listed] == [case]
    # the same township again is refused
    again = client.post(f"{API}/referrals/{case}/events", headers=client.service_headers,
                        json={"actor": "clerk:wang", "action": "transfer", "township_code": WOHU, "note": "再转"})
    assert again.status_code == 409 and again.json()["error"] == "same_township"
    unknown = client.post(f"{API}/referrals/{case}/events", headers=client.service_headers,
                          json={"actor": "clerk:wang", "action": "transfer", "township_code": "1", "note": "转"})
    assert unknown.status_code == 422 and unknown.json()["error"] == "unknown_township"


def test_transfer_to_a_department(client: TestClient, make_draft):
    case = create(client, make_draft())["case_number"]
    result = event(client, case, actor="clerk:li", action="transfer", department="canlian",
                   note="重度残疾，属残联的两项补贴")
    assert result["status"] == "transferred" and result["status_label"] == "已转办"
    assert result["department"] == "canlian"
    last = result["events"][-1]
    assert (last["kind"], last["from_status"], last["to_status"], last["department"]) == (
        "transfer", "pending", "transferred", "canlian")
    answer = lookup(client, case_number=case, phone="13912345678").json()
    assert answer["status"] == "transferred" and "残联" in answer["next_step"]
    # a transferred referral is no longer open, and cannot move on
    listed = client.get(f"{API}/referrals", params={"township": SHUANGSHAN, "status": "open"},
                        headers=client.service_headers).json()
    assert listed == []
    stuck = client.post(f"{API}/referrals/{case}/events", headers=client.service_headers,
                        json={"actor": "clerk:li", "action": "status", "to_status": "accepted"})
    assert stuck.status_code == 409


@pytest.mark.parametrize("body", [
    pytest.param({"department": "waijiaobu", "note": "x"}, id="unknown-department"),
    pytest.param({"department": "canlian"}, id="no-reason"),
    pytest.param({"department": "canlian", "township_code": WOHU, "note": "x"}, id="both-targets"),
    pytest.param({"note": "x"}, id="no-target"),
])
def test_malformed_transfer_is_422(client: TestClient, engine: Engine, make_draft, body):
    case = create(client, make_draft())["case_number"]
    response = client.post(f"{API}/referrals/{case}/events", headers=client.service_headers,
                           json={"actor": "clerk:li", "action": "transfer", **body})
    assert response.status_code == 422, response.text
    assert count(engine, ReferralEvent) == 1


def test_closed_referral_cannot_be_transferred(client: TestClient, engine: Engine, make_draft):
    case = create(client, make_draft())["case_number"]
    event(client, case, actor="clerk:li", action="status", to_status="accepted")
    event(client, case, actor="clerk:li", action="status", to_status="closed")
    for target in ({"department": "yibao"}, {"township_code": WOHU}):
        response = client.post(f"{API}/referrals/{case}/events", headers=client.service_headers,
                               json={"actor": "clerk:li", "action": "transfer", "note": "转", **target})
        assert response.status_code == 409, response.text
        assert response.json()["error"] == "closed"
    result = detail(client, case)
    assert result["status"] == "closed" and result["township_code"] == SHUANGSHAN
    assert result["department"] is None and len(result["events"]) == 3


def test_a_note_is_recorded_without_changing_status(client: TestClient, make_draft):
    case = create(client, make_draft())["case_number"]
    event(client, case, actor="clerk:li", action="status", to_status="accepted")
    result = event(client, case, actor="clerk:wang", action="note", note="已电话联系，约周三入户")
    assert result["status"] == "accepted"
    last = result["events"][-1]
    assert (last["kind"], last["actor"], last["note"]) == ("note", "clerk:wang", "已电话联系，约周三入户")
    assert last["to_status"] is None
    empty = client.post(f"{API}/referrals/{case}/events", headers=client.service_headers,
                        json={"actor": "clerk:wang", "action": "note"})
    assert empty.status_code == 422
    assert len(detail(client, case)["events"]) == 3


def test_events_on_an_unknown_case_are_404(client: TestClient):
    response = client.post(f"{API}/referrals/SL-2000-000001/events", headers=client.service_headers,
                           json={"actor": "clerk:li", "action": "note", "note": "x"})
    assert response.status_code == 404 and response.json()["error"] == "not_found"
    assert client.get(f"{API}/referrals/SL-2000-000001", headers=client.service_headers).status_code == 404


# --- lists and detail --------------------------------------------------------------------------


def test_list_shows_one_townships_open_referrals_urgent_first_phone_masked(client: TestClient, make_draft):
    normal_old = create(client, make_draft(contact_phone="13912345678"))["case_number"]
    urgent = create(client, make_draft(kind="urgent", contact_phone="13800001111"))["case_number"]
    normal_new = create(client, make_draft(contact_phone="13712340000"))["case_number"]
    closed = create(client, make_draft())["case_number"]
    event(client, closed, actor="clerk:li", action="status", to_status="rejected")
    elsewhere = create(client, make_draft(township_code=WOHU))["case_number"]
    accepted = create(client, make_draft(urgency="urgent"))["case_number"]
    event(client, accepted, actor="clerk:li", action="status", to_status="accepted")

    response = client.get(f"{API}/referrals", params={"township": SHUANGSHAN, "status": "open"},
                          headers=client.service_headers)
    assert response.status_code == 200, response.text
    rows = response.json()
    cases = [r["case_number"] for r in rows]
    assert set(cases) == {normal_old, urgent, normal_new, accepted}
    assert closed not in cases and elsewhere not in cases
    urgency = [r["urgency"] for r in rows]
    assert urgency == sorted(urgency, key=lambda u: u != "urgent"), urgency  # urgent first
    assert set(cases[:2]) == {urgent, accepted}
    assert cases[2:] == [normal_new, normal_old]  # then newest first
    phones = {r["case_number"]: r["contact_phone"] for r in rows}
    assert phones[normal_old] == "139****5678" and phones[urgent] == "138****1111"
    assert "13912345678" not in response.text and "13800001111" not in response.text
    assert all(r["township_code"] == SHUANGSHAN for r in rows)
    assert {r["status"] for r in rows} == {"pending", "accepted"}
    assert all("screening" not in r and "events" not in r for r in rows)

    everything = client.get(f"{API}/referrals", headers=client.service_headers).json()
    assert len(everything) == 6
    rejected = client.get(f"{API}/referrals", params={"status": "rejected"}, headers=client.service_headers).json()
    assert [r["case_number"] for r in rejected] == [closed]
    urgent_only = client.get(f"{API}/referrals", params={"kind": "urgent"}, headers=client.service_headers).json()
    assert [r["case_number"] for r in urgent_only] == [urgent]
    page = client.get(f"{API}/referrals", params={"limit": 2, "offset": 1}, headers=client.service_headers).json()
    assert [r["case_number"] for r in page] == [r["case_number"] for r in everything[1:3]]


@pytest.mark.parametrize("phone", ["7123456", "71234567"])
def test_list_masks_a_local_phone_without_area_code(client: TestClient, make_draft, phone):
    """The draft accepts 7–12 digits; a local number given without its area code must be masked too."""
    case = create(client, make_draft(contact_phone=phone))["case_number"]
    response = client.get(f"{API}/referrals", headers=client.service_headers)
    [row] = response.json()
    assert row["case_number"] == case
    assert row["contact_phone"] and phone not in response.text, row["contact_phone"]
    assert detail(client, case)["contact_phone"] == phone


def test_detail_shows_the_full_phone_and_the_events(client: TestClient, make_draft):
    payload = make_draft()
    case = create(client, payload)["case_number"]
    event(client, case, actor="clerk:li", action="note", note="已电话联系")
    result = detail(client, case)
    assert result["contact_phone"] == "13912345678"
    assert result["contact_name"] == "张桂兰" and result["place_text"] == "双山镇秀水村"
    assert result["screening"] == payload["screening"]
    assert result["suggestions"] == payload["suggestions"]
    assert result["consent_text"] == payload["consent_text"] and result["consent_at"]
    assert [e["kind"] for e in result["events"]] == ["created", "note"]
    assert result["kind_label"] == "申请协助"


def test_stored_summary_is_masked(client: TestClient, engine: Engine, make_draft):
    summary = "张桂兰，身份证220382195801014321，儿子电话13612349876，座机0434-7654321"
    case = create(client, make_draft(summary=summary))["case_number"]
    with Session(engine) as session:
        stored = session.scalars(select(Referral.summary).where(Referral.case_number == case)).one()
    assert "220382195801014321" not in stored and "220382********4321" in stored
    assert "13612349876" not in stored and "136****9876" in stored
    assert "7654321" not in stored
    assert detail(client, case)["summary"] == stored
    rows = client.get(f"{API}/referrals", headers=client.service_headers).json()
    assert rows[0]["summary"] == stored
