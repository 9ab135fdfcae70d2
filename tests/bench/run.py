"""Benchmarks: prints figures, asserts nothing.

    make bench                                   (or: .venv/bin/python -m tests.bench.run)
    .venv/bin/python -m tests.bench.run --train  (also times a full training from scratch)
    BENCH_PG_URL=postgresql+psycopg://postgres@127.0.0.1:5432/postgres make bench   (review paging on PostgreSQL too)

Figures: training time; engine start-up (process start → model loaded → warm); triage latency p50/p95
in the engine, through /api/triage and through the agent assist (tests/bench/assist.py); resident round-trip
through /api/chat; scripted pre-screens:
time from the last answer to the referral committed (the receipt with its case number) and turns per
completed referral; the security checks per resident turn (µs) and status look-up times for a wrong phone
and an unknown case; WeChat gateway: N residents × M messages at once (throughput, reply latency
p50/p95/p99, passive vs asynchronous share, lost and duplicated answers); peak memory (VmHWM) of engine, action server and app. Start-up is the median of
--starts runs. 会话审阅's paging (tests/bench/review.py): --review-conversations (100,000) seeded once into a
throw-away SQLite database (and a PostgreSQL one on the server BENCH_PG_URL names, if set), each filter and page
timed --review-runs times, median and p95 beside the ≤ 300 ms goal; `--review-conversations 0` skips it.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import subprocess
import tempfile
import time
import uuid
from dataclasses import replace
from pathlib import Path

import httpx

from bot.runtime.model import RASA, rasa_env
from bot.runtime.stack import Stack
from bot.settings import ROOT, get_settings
from tests.bench.assist import bench_assist
from tests.bench.review import bench_paging
from tests.conftest import free_port
from tests.evaluation.heldout import read_heldout


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return round(values[min(len(values) - 1, int(q * len(values)))] * 1000, 1)


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def timed_post(client: httpx.Client, url: str, **kwargs) -> float:
    started = time.perf_counter()
    client.post(url, **kwargs).raise_for_status()
    return time.perf_counter() - started


def bench_training() -> tuple[float, float]:
    """Seconds and peak memory (MB) of a full `rasa train` from scratch."""
    with tempfile.TemporaryDirectory() as out:
        started = time.monotonic()
        subprocess.run([str(RASA), "train", "--config", "config.yml", "--domain", "domain", "--data", "nlu_data",
                        "--out", out, "--force"], cwd=ROOT, env=rasa_env(), check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        return round(time.monotonic() - started, 1), round(peak_kb / 1024, 1)


def settings_for_bench(tmp: Path):
    return replace(get_settings(), env="bench", app_port=free_port(), engine_port=free_port(),
                   actions_port=free_port(), database_url=f"sqlite:///{tmp / 'app.db'}",
                   tracker_store_url=f"sqlite:///{tmp / 'tracker.db'}", lock_store_url="",
                   event_broker_url=f"sqlite:///{tmp / 'events.db'}",
                   engine_url_setting="", app_url_setting="",
                   rate_limit_factor=100)  # throughput is measured here; the limits have their own figures


def bench_startup(tmp: Path) -> float:
    stack = Stack(settings_for_bench(tmp), with_app=False, with_actions=False)
    started = time.monotonic()
    stack.start(log=open("/dev/null", "w"))
    elapsed = time.monotonic() - started
    stack.stop()
    return round(elapsed, 1)


# Scripted residents: an opening line, then an answer for each question they may be asked (matched on the
# question's wording), ending with consent and a phone, so every run should end in a referral.
# "您是想问…吗？": the fallback's confirm step, which an unsure reading of the opening may ask first.
COMMON = {"您是想问": "是", "给谁问": "1", "残疾证": "1", "养活": "1", "什么时候": "1", "家里有没有下面这些？": "0",
          "享受下面的待遇": "0", "对不对": "对", "要不要我把": "同意"}
RESIDENTS = [
    ("家里日子过不下去了，想申请救助", {"哪个乡镇": "双山镇秀水村", "几口人": "仨", "收入": "一个月一千来块",
                                 "下面这些人": "1 5", "急事": "0", "电话": "13912345678"}),
    ("住卧虎镇同乐村，昨晚家里着火了，三口人", {"哪个乡镇": "卧虎镇同乐村", "几口人": "三口人", "收入": "两千",
                                  "下面这些人": "0", "急事": "1", "电话": "13800000001"}),
    ("俺家这情况能不能办低保", {"哪个乡镇": "郑家屯街道东华社区", "几口人": "就我一个", "收入": "没有收入",
                         "下面这些人": "1 4", "急事": "0", "电话": "0434-1234567"}),
    ("我想申请低保", {"哪个乡镇": "兴隆镇", "几口人": "四口人", "收入": "不知道", "下面这些人": "2 3", "急事": "0",
                "电话": "13700000002"}),
    ("孩子上学交不起学费", {"哪个乡镇": "王奔镇", "几口人": "三口人", "收入": "八百", "下面这些人": "3", "急事": "0",
                   "电话": "13600000003"}),
]


def answer_for(message: str, answers: dict[str, str]) -> str | None:
    """The answer to the question a message asks (its first line; the options below may mention anything)."""
    question = message.splitlines()[0] if message else ""
    return next((reply for key, reply in answers.items() if key in question), None)


def new_sender(client: httpx.Client, app_url: str) -> str:
    """A web chat conversation's sender token, issued by the app."""
    return client.post(f"{app_url}/api/chat/session").json()["sender"]


def bench_referrals(client: httpx.Client, app_url: str, rounds: int) -> dict[str, object]:
    """Latency of the last turn (answer → referral committed → receipt), and pre-screen turns per referral."""
    commit, turns, completed = [], [], 0
    for n in range(rounds):
        opening, own = RESIDENTS[n % len(RESIDENTS)]
        answers = {**COMMON, **own}  # COMMON first: the consent question also mentions 电话
        sender = new_sender(client, app_url)
        said = [opening]
        messages = client.post(f"{app_url}/api/chat", json={"sender": sender, "text": opening}).json()["messages"]
        while len(said) < 30:
            reply = answer_for(messages[-1], answers)
            if reply is None:
                break
            started = time.perf_counter()
            messages = client.post(f"{app_url}/api/chat", json={"sender": sender, "text": reply}).json()["messages"]
            elapsed = time.perf_counter() - started
            said.append(reply)
            if any("案件号" in m for m in messages):
                commit.append(elapsed)
                completed += 1
                turns.append(len(said))
                break
    return {"prescreens": rounds, "referrals_completed": completed,
            "last_answer_to_referral_ms_p50": pct(commit, 0.5) if commit else None,
            "last_answer_to_referral_ms_p95": pct(commit, 0.95) if commit else None,
            "prescreen_turns_per_referral_median": statistics.median(turns) if turns else None}


def bench_wechat(settings, texts: list[str], residents: int, messages: int) -> dict[str, object]:
    """N residents at once, each sending M messages (waiting for each answer) through /wechat, signed as
    WeChat signs; answers come passively or through the outbox to the bundled stand-in for WeChat's API."""
    from sqlalchemy import func, select

    from bot.channels.inbox import InboundMessage
    from bot.db.session import make_engine
    from bot.channels.wechat.models import WechatInbound
    from bot.channels.wechat.protocol import WeChatKeys
    from dev.wechat.client import WeChatSimulator

    keys = WeChatKeys(settings.wechat_token, settings.wechat_app_id, settings.wechat_aes_key)
    latencies: list[float] = []
    statuses: list[int] = []

    async def resident(n: int) -> None:
        sim = WeChatSimulator(f"{settings.app_url}/wechat", keys, encrypted=n % 2 == 1)
        user = f"obench{n:03d}{uuid.uuid4().hex[:18]}"
        try:
            for m in range(messages):
                delivery = await sim.send_text(user, texts[(n * messages + m) % len(texts)])
                latencies.append(delivery.elapsed_s)
                statuses.append(delivery.status)
        finally:
            await sim.aclose()

    async def everyone() -> float:
        started = time.perf_counter()
        await asyncio.gather(*(resident(n) for n in range(residents)))
        return time.perf_counter() - started

    elapsed = asyncio.run(everyone())
    time.sleep(3)  # let late answers leave the outbox
    engine = make_engine(settings.database_url)
    with engine.connect() as db:
        by_status = dict(db.execute(select(WechatInbound.status, func.count()).group_by(WechatInbound.status)).all())
        engine_turns = db.execute(select(func.count()).select_from(InboundMessage)
                                  .where(InboundMessage.sender.like("wx-obench%"))).scalar()
    engine.dispose()
    total = residents * messages
    late = by_status.get("async", 0) + by_status.get("answered_late", 0)
    return {
        "wechat_messages": total, "wechat_seconds": round(elapsed, 1),
        "wechat_throughput_msg_per_s": round(total / elapsed, 1),
        "wechat_reply_ms_p50": pct(latencies, 0.5), "wechat_reply_ms_p95": pct(latencies, 0.95),
        "wechat_reply_ms_p99": pct(latencies, 0.99),
        "wechat_passive_share": round(by_status.get("passive", 0) / total, 3),
        "wechat_async_share": round(late / total, 3),
        "wechat_http_errors": sum(1 for code in statuses if code != 200),
        # lost: neither answered in the reply nor (yet) through the outbox; duplicated: a second engine turn
        "wechat_lost": total - by_status.get("passive", 0) - by_status.get("answered_late", 0),
        "wechat_duplicated": max(0, engine_turns - total),
    }


def bench_checks(runs: int = 5, turns: int = 2000) -> dict[str, object]:
    """The security checks one resident turn pays in the app (rate limits, signed sender, masking at write,
    the slash guard), in µs: median of `runs` runs of `turns` turns each, memory store and Redis."""
    from bot.channels.conversation import Conversation
    from bot.engine.client import as_text
    from bot.privacy.mask import mask
    from bot.security import senders
    from bot.security.limits import Limiter
    from bot.security.store import MemoryStore, RedisStore

    text = "俺家老头瘫炕上了，电话138 1234 5678，身份证220382195001011234，想问问低保咋申请，村里说要啥材料。" * 2
    token = senders.issue("bench-secret")
    figures: dict[str, object] = {}
    for name, store in (("memory", MemoryStore()), ("redis", RedisStore("redis://127.0.0.1:6379/14"))):
        turn = Conversation(None, None, None, 500, Limiter(store, factor=1e9), desk=None)  # the limits only
        per_run = []
        for run in range(runs):
            started = time.perf_counter()
            for n in range(turns):
                turn.allowed(f"web-bench-{run}-{n % 50}", "127.0.0.1")
                senders.verified("bench-secret", token)
                mask(text)
                as_text(text)
            per_run.append((time.perf_counter() - started) / turns * 1e6)
        figures[f"security_checks_us_per_turn_{name}_p50"] = round(statistics.median(per_run), 1)
    return figures


def bench_status_timing(client: httpx.Client, app_url: str, headers: dict[str, str], n: int = 200) -> dict:
    """Median response time of a status look-up with a wrong phone and with an unknown case (ms)."""
    draft = {"idempotency_key": f"bench:{uuid.uuid4().hex}", "kind": "apply", "channel": "webchat",
             "sender": "web-bench", "contact_phone": "13912345678", "summary": "bench", "consent_text": "同意"}
    case = client.post(f"{app_url}/intake/api/referrals", json=draft, headers=headers).json()["case_number"]
    timings: dict[str, list[float]] = {"wrong_phone": [], "unknown_case": []}
    for i in range(n):
        for kind, body in (("wrong_phone", {"case_number": case, "phone": f"1380000{i:04d}"}),
                           ("unknown_case", {"case_number": "SL-2099-999999", "phone": f"1380000{i:04d}"})):
            started = time.perf_counter()
            client.post(f"{app_url}/intake/api/status-lookups", json=body)
            timings[kind].append(time.perf_counter() - started)
    return {f"status_lookup_{kind}_ms_p50": pct(values, 0.5) for kind, values in timings.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--train", action="store_true", help="also time a full training")
    parser.add_argument("--starts", type=int, default=3)
    parser.add_argument("--chat-turns", type=int, default=60)
    parser.add_argument("--prescreens", type=int, default=20)
    parser.add_argument("--wechat-residents", type=int, default=50)
    parser.add_argument("--wechat-messages", type=int, default=20)
    parser.add_argument("--review-conversations", type=int, default=100_000, help="0: no review paging bench")
    parser.add_argument("--review-runs", type=int, default=10)
    args = parser.parse_args()
    figures: dict[str, object] = bench_checks()
    if args.review_conversations:   # before the stack: its seeding and timing should not share the 2 cores
        figures["review_paging"] = bench_paging(args.review_conversations, args.review_runs,
                                                os.environ.get("BENCH_PG_URL", ""))
    if args.train:
        figures["training_s"], figures["training_peak_rss_mb"] = bench_training()
    texts = [row["text"] for row in read_heldout()][:300]
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        figures["engine_ready_s_median"] = statistics.median(bench_startup(tmp) for _ in range(args.starts))
        settings = settings_for_bench(tmp)
        with Stack(settings) as stack, httpx.Client(timeout=30) as client:
            s = stack.settings
            engine = [timed_post(client, f"{s.engine_url}/model/parse", params={"token": s.engine_token},
                                 json={"text": t}) for t in texts]
            headers = {"Authorization": f"Bearer {s.service_token}"}
            app = [timed_post(client, f"{s.app_url}/api/triage", json={"text": t}, headers=headers) for t in texts]
            chat = []
            for n in range(args.chat_turns):
                if n % 3 == 0:  # a new resident every three turns
                    sender = new_sender(client, s.app_url)
                chat.append(timed_post(client, f"{s.app_url}/api/chat",
                                       json={"sender": sender, "text": texts[n % len(texts)]}))
            figures.update({
                "utterances": len(texts),
                "engine_parse_ms_p50": pct(engine, 0.5), "engine_parse_ms_p95": pct(engine, 0.95),
                "api_triage_ms_p50": pct(app, 0.5), "api_triage_ms_p95": pct(app, 0.95),
                "chat_roundtrip_ms_p50": pct(chat, 0.5), "chat_roundtrip_ms_p95": pct(chat, 0.95),
                **bench_assist(s.app_url, s.database_url, texts),  # the agent assist's keystroke pause
                **bench_referrals(client, s.app_url, args.prescreens),
                **bench_status_timing(client, s.app_url, headers),
                **bench_wechat(s, texts, args.wechat_residents, args.wechat_messages),
                "peak_rss_mb": {name: peak_rss_mb(proc.pid) for name, proc in stack.procs.items()},
            })
    print(json.dumps(figures, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
