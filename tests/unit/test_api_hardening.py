"""What every route gets (bot/api/hardening.py, issue 10): body caps, strict JSON, errors in the app's format,
security headers and page policies, /docs from the app's own files; and the token routes the security test
broke (a huge offset, the handoff messages of anyone)."""
from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import re
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from bot.api.hardening import API_MAX_BODY_BYTES, INTAKE_MAX_BODY_BYTES
from bot.app import create_app
from bot.staff import handoff
from bot.channels.inbox import InboundMessage
from bot.db import session as db
from bot.settings import get_settings
from tests.conftest import free_port

CACHED = (get_settings, db.get_engine, db.get_sessionmaker)
JSON = {"content-type": "application/json"}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    var = tmp_path_factory.mktemp("hardening")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("DATABASE_URL", f"sqlite:///{var / 'app.db'}")
        env.setenv("ENGINE_URL", f"http://127.0.0.1:{free_port()}")  # nothing listens there
        for cached in CACHED:
            cached.cache_clear()
        settings = replace(get_settings(), engine_timeout_s=1.0)
        with TestClient(create_app(settings), raise_server_exceptions=False) as c:
            c.settings = settings
            c.token = {"Authorization": f"Bearer {settings.service_token}"}
            yield c
    for cached in CACHED:
        cached.cache_clear()


def refused(response, status: int, error: str | None = None) -> dict:
    """A refusal in the app's format: status, a stable code, a reason, a short Chinese message."""
    assert response.status_code == status, response.text
    body = response.json()
    assert {"error", "reason", "message"} <= set(body), body
    assert re.search(r"[\u4e00-\u9fff]", body["message"]), body
    if error:
        assert body["error"] == error, body
    return body


def post_raw(client, path: str, body: bytes, headers: dict | None = None, token: bool = False):
    return client.post(path, content=body, headers={**JSON, **(client.token if token else {}), **(headers or {})})


# ---- body caps ----------------------------------------------------------------------------------------------

def test_forty_megabytes_of_json_are_refused_before_they_are_read(client):
    body = b'{"text": "' + b"a" * 40_000_000 + b'"}'
    refused(post_raw(client, "/api/chat", body), 413, "body_too_large")
    refused(post_raw(client, "/api/triage", body, token=True), 413)
    refused(post_raw(client, "/intake/api/status-lookups", body), 413)


def run_asgi(app, path: str, chunks, headers: list[tuple[bytes, bytes]]) -> tuple[int, bytes, int]:
    """Send a body in chunks (no Content-Length: chunked); the status, body and how many chunks were read."""
    taken = 0
    sent: list[dict] = []

    async def receive():
        nonlocal taken
        taken += 1
        chunk = next(chunks, None)
        return {"type": "http.request", "body": chunk or b"", "more_body": chunk is not None}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": [(b"host", b"testserver"), *headers], "client": ("127.0.0.1", 5000),
             "server": ("testserver", 80)}
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    return start["status"], b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body"), taken


def test_a_chunked_body_is_read_only_up_to_the_cap(client):
    chunks = iter([b"x" * 16_384] * 200)  # 3.2 MB, no Content-Length
    status, body, taken = run_asgi(client.app, "/api/chat", chunks, [(b"content-type", b"application/json")])
    assert status == 413 and json.loads(body)["error"] == "body_too_large"
    assert taken == API_MAX_BODY_BYTES // 16_384 + 1  # the first chunk over the cap, not one more


def test_a_small_chunked_body_reaches_the_route(client):
    parts = iter([b'{"sender": "resident0001", ', b'"text": "\xe4\xbd\xa0\xe5\xa5\xbd"}'])
    status, body, _ = run_asgi(client.app, "/api/chat", parts, [(b"content-type", b"application/json")])
    assert status == 200, body


def test_caps_follow_the_route_class(client):
    screening = {"notes": "救" * 30_000}  # ~90 KB: over the JSON API's cap, within the intake API's
    body = json.dumps({"case_number": "SL-2026-000001", "screening": screening}, ensure_ascii=False).encode()
    assert API_MAX_BODY_BYTES < len(body) < INTAKE_MAX_BODY_BYTES
    assert post_raw(client, "/intake/api/status-lookups", body).status_code == 404  # read: no such case
    refused(post_raw(client, "/api/answers", body, token=True), 413)
    wechat = b"<xml>" + b"a" * client.settings.wechat_max_body_bytes + b"</xml>"
    assert client.post("/wechat", content=wechat, headers={"content-type": "text/xml"}).status_code == 413


# ---- malformed input ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("body, status, reason", [
    (b'{"sender": "resident0001", "text": "\xff\xfe\xfd"}', 400, "UTF-8"),
    (b"[" * 5000 + b"]" * 5000, 400, "nested"),
    (b'{"text": ' + b"[" * 33 + b"]" * 33 + b"}", 400, "nested"),
    (b'{"sender": "resident0001", "text": "x", "n": 1e400}', 422, "finite"),
    (b'{"sender": "resident0001", "text": "x", "n": NaN}', 422, "NaN"),
    (b'{"sender": "resident0001", "text": "x", "n": -Infinity}', 422, "Infinity"),
    (b'{"sender": "resident0001", "text": "x", "n": ' + b"9" * 5000 + b"}", 422, "digits"),
    (b"<xml/>", 422, "JSON"),
])
def test_malformed_json_gets_a_clear_refusal(client, body, status, reason):
    assert reason in refused(post_raw(client, "/api/chat", body), status)["reason"]


def test_nesting_within_the_limit_reaches_the_route(client):
    slots = {"a": json.loads("[" * 30 + "]" * 30)}
    response = client.post("/api/forms/prescreen_form/validate", json={"slots": slots}, headers=client.token)
    assert response.status_code == 200


@pytest.mark.parametrize("headers", [{"content-type": "text/plain"}, {"content-type": "multipart/form-data"},
                                     {"content-type": "application/x-www-form-urlencoded"}, {"content-type": ""}])
def test_a_json_route_refuses_other_content_types(client, headers):
    body = json.dumps({"sender": "resident0001", "text": "你好"}).encode()
    refused(client.post("/api/chat", content=body, headers=headers), 415, "unsupported_media_type")


@pytest.mark.parametrize("query", ["limit=abc", "limit=0", "limit=99999", "offset=-1", "kind=other",
                                   "offset=99999999999999999999", "offset=9223372036854775808"])
def test_bad_query_parameters_are_422_never_500(client, query):
    refused(client.get(f"/intake/api/referrals?{query}", headers=client.token), 422, "invalid_request")


def test_errors_are_in_the_apps_format(client):
    refused(client.get("/no/such/page"), 404, "not_found")
    refused(client.post("/api/triage", json={"text": "低保"}), 401, "unauthorized")
    refused(client.get("/api/handoffs/web-x/messages", headers=client.token), 404)
    body = refused(client.post("/intake/api/status-lookups", json={"case_number": "SL-2026-999999", "phone": "1"}),
                   404)
    assert body["error"] == "not_found"  # the intake system's own code


def test_method_not_allowed_names_every_method_of_the_path(client):
    response = client.put("/intake/api/referrals", json={}, headers=client.token)
    refused(response, 405, "method_not_allowed")
    assert {m.strip() for m in response.headers["allow"].split(",")} >= {"GET", "POST"}
    assert {m.strip() for m in client.delete("/wechat").headers["allow"].split(",")} >= {"GET", "POST"}


# ---- token routes ------------------------------------------------------------------------------------------

def test_handoff_messages_only_while_the_conversation_is_with_a_person(client):
    sender = "wx-handoff-reader"
    with db.get_sessionmaker()() as session:
        session.add(InboundMessage(channel="wechat", sender=sender, text="我的电话13912345678", status="answered"))
        session.commit()
    path = f"/api/handoffs/{sender}/messages"
    refused(client.get(path, headers=client.token), 404)  # never handed over: not staff's to read
    with db.get_sessionmaker()() as session:
        handoff.start(session, sender, "request_human")
    [said] = client.get(path, headers=client.token).json()
    assert "13912345678" not in said["text"]
    assert client.post(f"/api/handoffs/{sender}/end", json={"staff": "王"}, headers=client.token).status_code == 200
    refused(client.get(path, headers=client.token), 404)  # back with the bot: closed again


# ---- headers and pages -------------------------------------------------------------------------------------

def csp(response) -> dict[str, str]:
    return {part.split()[0]: part.partition(" ")[2] for part in response.headers["content-security-policy"].split("; ")}


def hashes_of(html: str, tag: str) -> set[str]:
    blocks = re.findall(rf"<{tag}>(.*?)</{tag}>", html, re.S)
    return {f"'sha256-{base64.b64encode(hashlib.sha256(b.encode()).digest()).decode()}'" for b in blocks}


@pytest.mark.parametrize("path", ["/healthz", "/openapi.json", "/no/such/page", "/chat", "/docs"])
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert csp(response)["frame-ancestors"] == "'none'"


def test_api_json_is_never_stored_and_may_load_nothing(client):
    for response in (client.get("/healthz"), client.post("/api/triage", json={"text": "x"})):
        assert response.headers["cache-control"] == "no-store"
        assert csp(response)["default-src"] == "'none'"


@pytest.mark.parametrize("path", ["/chat", "/wechat/simulator"])
def test_a_page_runs_its_own_inline_script_and_style_and_nothing_else(client, path):
    on_this_machine = TestClient(client.app, client=("127.0.0.1", 50000))  # the simulator answers only there
    response = on_this_machine.get(path)
    assert response.status_code == 200
    policy = csp(response)
    scripts, styles = set(policy["script-src"].split()), set(policy["style-src"].split())
    assert scripts == hashes_of(response.text, "script") and scripts  # the served page's script, by hash
    assert styles == hashes_of(response.text, "style") and styles
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    assert policy["default-src"] == "'none'" and policy["connect-src"] == "'self'"


def test_docs_load_nothing_from_outside(client):
    page = client.get("/docs")
    assert page.status_code == 200
    urls = re.findall(r"""(?:src|href|url)\s*[=:(]\s*["']?([^"')\s>]+)""", page.text)
    assert urls and not [u for u in urls if re.match(r"(?i)(https?:)?//", u)], urls
    assert not re.search(r"(?i)https?://", page.text)
    for url in urls:  # the assets are the app's own
        asset = client.get(url)
        assert asset.status_code == 200 and len(asset.content) > 100, url
    policy = csp(page)
    assert policy["script-src"].split()[0] == "'self'" and "'unsafe-inline'" not in policy["script-src"]
    assert hashes_of(page.text, "script") <= set(policy["script-src"].split())
    assert client.get("/redoc").status_code == 404
    refused(client.get("/docs/assets/index.html"), 404)  # only the three files the page uses


def test_openapi_documents_the_error_format(client):
    schema = client.get("/openapi.json").json()
    assert set(schema["components"]["schemas"]["Error"]["required"]) == {"error", "reason", "message"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert "4XX" in operation["responses"], (method, path)
    assert "HTTPValidationError" not in schema["components"]["schemas"]


def test_a_page_without_a_policy_of_its_own_runs_only_the_apps_files(client):
    from fastapi.responses import HTMLResponse

    app = create_app(client.settings)
    app.add_api_route("/another-page", lambda: HTMLResponse("<p>hi</p>"), include_in_schema=False)
    policy = csp(TestClient(app).get("/another-page"))
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
