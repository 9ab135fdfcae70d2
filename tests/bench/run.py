"""Benchmarks: prints figures, asserts nothing.

    make bench                                   (or: .venv/bin/python -m tests.bench.run)
    .venv/bin/python -m tests.bench.run --train  (also times a full training from scratch)

Figures: training time; engine start-up (process start → model loaded → warm); triage latency p50/p95
in the engine and through /api/triage; resident round-trip through /api/chat; scripted pre-screens:
time from the last answer to the referral committed (the receipt with its case number) and turns per
completed referral; peak memory (VmHWM) of engine, action server and app. Start-up is the median of
--starts runs.
"""
from __future__ import annotations

import argparse
import json
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
                   tracker_store_url=f"sqlite:///{tmp / 'tracker.db'}", lock_store_url="")


def bench_startup(tmp: Path) -> float:
    stack = Stack(settings_for_bench(tmp), with_app=False, with_actions=False)
    started = time.monotonic()
    stack.start(log=open("/dev/null", "w"))
    elapsed = time.monotonic() - started
    stack.stop()
    return round(elapsed, 1)


# Scripted pre-screens (resident messages in order), ending with consent and a phone: a referral each.
PRESCREENS = [
    ["家里日子过不下去了，想申请救助", "1", "双山镇秀水村", "仨", "一个月一千来块", "1 5", "0", "0", "0", "对", "同意",
     "老张", "13912345678"],
    ["住卧虎镇同乐村，昨晚家里着火了，三口人", "1", "两千", "0", "1", "0", "0", "对", "同意", "不说", "13800000001"],
    ["俺家这情况能不能办低保", "2", "郑家屯街道东华社区", "就我一个", "没有收入", "1 4", "1", "1", "0", "0", "0", "对",
     "同意", "王大娘", "0434-1234567"],
    ["我想申请低保", "1", "兴隆镇", "四口人", "不知道", "2 3", "0", "0", "1", "对", "同意", "小李", "13700000002"],
    ["孩子上学交不起学费", "1", "王奔镇", "三口人", "八百", "3", "0", "0", "0", "改3", "四口人", "对", "同意", "不说",
     "13600000003"],
]


def bench_referrals(client: httpx.Client, app_url: str, rounds: int) -> dict[str, object]:
    """Latency of the last turn (answer → referral committed → receipt), and pre-screen turns per referral."""
    commit, turns, completed = [], [], 0
    for n in range(rounds):
        script = PRESCREENS[n % len(PRESCREENS)]
        sender = uuid.uuid4().hex
        for text in script[:-1]:
            client.post(f"{app_url}/api/chat", json={"sender": sender, "text": text}).raise_for_status()
        started = time.perf_counter()
        last = client.post(f"{app_url}/api/chat", json={"sender": sender, "text": script[-1]})
        commit.append(time.perf_counter() - started)
        if "案件号" in "\n".join(last.json()["messages"]):
            completed += 1
            turns.append(len(script))
    return {"prescreens": rounds, "referrals_completed": completed,
            "last_answer_to_referral_ms_p50": pct(commit, 0.5), "last_answer_to_referral_ms_p95": pct(commit, 0.95),
            "prescreen_turns_per_referral_median": statistics.median(turns) if turns else None}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--train", action="store_true", help="also time a full training")
    parser.add_argument("--starts", type=int, default=3)
    parser.add_argument("--chat-turns", type=int, default=60)
    parser.add_argument("--prescreens", type=int, default=20)
    args = parser.parse_args()
    figures: dict[str, object] = {}
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
                    sender = uuid.uuid4().hex
                chat.append(timed_post(client, f"{s.app_url}/api/chat",
                                       json={"sender": sender, "text": texts[n % len(texts)]}))
            figures.update({
                "utterances": len(texts),
                "engine_parse_ms_p50": pct(engine, 0.5), "engine_parse_ms_p95": pct(engine, 0.95),
                "api_triage_ms_p50": pct(app, 0.5), "api_triage_ms_p95": pct(app, 0.95),
                "chat_roundtrip_ms_p50": pct(chat, 0.5), "chat_roundtrip_ms_p95": pct(chat, 0.95),
                **bench_referrals(client, s.app_url, args.prescreens),
                "peak_rss_mb": {name: peak_rss_mb(proc.pid) for name, proc in stack.procs.items()},
            })
    print(json.dumps(figures, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
