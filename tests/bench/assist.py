"""The agent assist's keystroke pause: POST /console/api/assist/triage (console session + CSRF) against the live
engine, as the page sends it when the agent stops typing. Issue 11's goal: p95 ≤ 50 ms on the server.

Two series over the held-out utterances: one utterance per pause, and the running transcript of a call (the
last three utterances, as the text box holds them mid-call). Used by tests/bench/run.py; alone:

    .venv/bin/python -m tests.bench.assist     (starts its own stack on free ports and a throw-away database)
"""
from __future__ import annotations

import json
import re
import tempfile
import time
from pathlib import Path

import httpx
from sqlalchemy.orm import Session

from bot.db.migrate import upgrade
from bot.db.session import make_engine
from bot.staff import accounts
from bot.staff.config import StaffConfig

USERNAME, PASSWORD = "bench-agent", "bench agent password 2026"
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def _agent(database_url: str) -> None:
    upgrade(database_url)
    engine = make_engine(database_url)
    with Session(engine) as session:
        if accounts.find(session, USERNAME) is None:
            accounts.create(session, StaffConfig(), USERNAME, "agent", PASSWORD)
            session.commit()
    engine.dispose()


def _login(client: httpx.Client, app_url: str) -> str:
    """Log in through the login form; the CSRF token the page's script sends."""
    form = client.get(f"{app_url}/console/login")
    token = _CSRF.search(form.text).group(1)
    done = client.post(f"{app_url}/console/login", data={"csrf": token, "username": USERNAME, "password": PASSWORD,
                                                         "next": "/console/assist"})
    assert done.status_code == 303, done.text
    return client.get(f"{app_url}/console/api/me").json()["csrf_token"]


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return round(values[min(len(values) - 1, int(q * len(values)))] * 1000, 1)


def bench_assist(app_url: str, database_url: str, texts: list[str]) -> dict[str, object]:
    _agent(database_url)
    with httpx.Client(timeout=30) as client:
        headers = {"X-CSRF-Token": _login(client, app_url)}
        url = f"{app_url}/console/api/assist/triage"
        for text in texts[:10]:  # warm up
            client.post(url, json={"text": text}, headers=headers).raise_for_status()
        series: dict[str, list[float]] = {"utterance": [], "transcript": []}
        for n, text in enumerate(texts):
            for name, said in (("utterance", text), ("transcript", "，".join(texts[max(0, n - 2): n + 1]))):
                started = time.perf_counter()
                client.post(url, json={"text": said}, headers=headers).raise_for_status()
                series[name].append(time.perf_counter() - started)
    return {f"assist_triage_{name}_ms_{q}": _pct(values, share) for name, values in series.items()
            for q, share in (("p50", 0.5), ("p95", 0.95))}


def main() -> None:
    from bot.runtime.stack import Stack
    from tests.bench.run import settings_for_bench
    from tests.evaluation.heldout import read_heldout

    texts = [row["text"] for row in read_heldout()][:300]
    with tempfile.TemporaryDirectory() as tmp, Stack(settings_for_bench(Path(tmp))) as stack:
        s = stack.settings
        figures = bench_assist(s.app_url, s.database_url, texts)
        with httpx.Client(timeout=30) as client:  # for comparison, on the same machine at the same time
            headers = {"Authorization": f"Bearer {s.service_token}"}
            timings = []
            for text in texts:
                started = time.perf_counter()
                client.post(f"{s.app_url}/api/triage", json={"text": text}, headers=headers).raise_for_status()
                timings.append(time.perf_counter() - started)
        figures.update(api_triage_ms_p50=_pct(timings, 0.5), api_triage_ms_p95=_pct(timings, 0.95))
    print(json.dumps({"utterances": len(texts), **figures}, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
