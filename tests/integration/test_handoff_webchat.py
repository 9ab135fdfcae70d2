"""A web chat resident handed to a person through the real engine, action server and app: the model reads
the request, the action server raises the handoff, the bot keeps quiet (nothing reaches the engine's
tracker), a staff reply reaches the page's fetch, the hand-back is told, and the bot answers again."""
from __future__ import annotations

import httpx
import pytest

from bot.staff import handoff

pytestmark = pytest.mark.engine


def test_web_chat_handoff_through_the_real_stack(live_app_url, service_headers):
    token = httpx.post(f"{live_app_url}/api/chat/session", timeout=10).json()["sender"]
    sender = f"web-{token.split('.')[0]}"

    def chat(text: str) -> list[str]:
        response = httpx.post(f"{live_app_url}/api/chat", json={"sender": token, "text": text}, timeout=60)
        assert response.status_code == 200, response.text
        return response.json()["messages"]

    assert "工作人员会在这里回复您" in "\n".join(chat("我想找个真人问问"))
    assert chat("俺家低保停了 电话13812345678") == [handoff.ACKNOWLEDGEMENT]
    assert chat("有人吗") == []
    waiting = httpx.get(f"{live_app_url}/api/handoffs", headers=service_headers, timeout=10).json()
    assert any(h["sender"] == sender for h in waiting)
    said = httpx.get(f"{live_app_url}/api/handoffs/{sender}/messages", headers=service_headers, timeout=10).json()
    assert "138****5678" in said[-2]["text"]
    reply = httpx.post(f"{live_app_url}/api/handoffs/{sender}/reply", headers=service_headers, timeout=10,
                       json={"staff": "agent1", "text": "您好，我是民政局的小王。"})
    assert reply.status_code == 202
    fetched = httpx.get(f"{live_app_url}/api/chat/staff", params={"sender": token}, timeout=10).json()
    assert [m["text"] for m in fetched["messages"]] == ["您好，我是民政局的小王。"] and fetched["open"]
    assert httpx.post(f"{live_app_url}/api/handoffs/{sender}/end", headers=service_headers, timeout=10,
                      json={"staff": "agent1"}).status_code == 200
    last = httpx.get(f"{live_app_url}/api/chat/staff", params={"sender": token, "after": fetched["after"]},
                     timeout=10).json()
    assert [m["text"] for m in last["messages"]] == [handoff.BACK_TO_BOT] and not last["open"]
    assert "【低保" in "\n".join(chat("低保要啥材料"))  # the bot is back
