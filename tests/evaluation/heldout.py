"""Triage quality on the held-out utterances (tests/data/heldout/*.jsonl), through the real engine.

    make eval      (or: .venv/bin/python -m tests.evaluation.heldout)

Prints intent / programme / aspect accuracy, emergency recall, how often everyday chatter is
triaged as a need, and the worst confusions.
"""
from __future__ import annotations

import asyncio
import json
import sys
from collections import Counter
from dataclasses import dataclass, field

from bot.engine.client import EngineClient
from bot.knowledge.loader import KnowledgeBase
from bot.settings import ROOT, Settings
from bot.triage.service import triage

HELDOUT = ROOT / "tests" / "data" / "heldout"
NEED_INTENTS = {"ask_policy", "seek_help", "emergency", "report_other", "check_status"}


def read_heldout(pattern: str = "*.jsonl") -> list[dict]:
    rows = []
    for path in sorted(HELDOUT.glob(pattern)):
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows


@dataclass
class Report:
    n: int = 0
    intent_ok: int = 0
    programme_ok: int = 0
    aspect_ok: int = 0
    emergency: int = 0
    emergency_found: int = 0
    chatter: int = 0
    chatter_as_need: int = 0
    confusions: Counter = field(default_factory=Counter)
    misses: list = field(default_factory=list)
    scored: list = field(default_factory=list)  # (confidence of the best real intent, correct?)

    def ratio(self, a: int, b: int) -> float:
        return a / b if b else 1.0

    @property
    def figures(self) -> dict[str, float]:
        return {
            "n": self.n,
            "intent_accuracy": round(self.ratio(self.intent_ok, self.n), 4),
            "programme_accuracy": round(self.ratio(self.programme_ok, self.n), 4),
            "aspect_accuracy": round(self.ratio(self.aspect_ok, self.n), 4),
            "emergency_recall": round(self.ratio(self.emergency_found, self.emergency), 4),
            "chatter_as_need_rate": round(self.ratio(self.chatter_as_need, self.chatter), 4),
        }


async def evaluate(settings: Settings, kb: KnowledgeBase, rows: list[dict]) -> Report:
    engine = EngineClient(settings.engine_url, settings.engine_token, 30)
    report = Report()
    try:
        for row in rows:
            got = await triage(row["text"], engine, kb, settings.max_message_chars)
            report.n += 1
            report.intent_ok += got.intent == row["intent"]
            if got.rule_override is None:
                report.scored.append((got.confidence, got.intent == row["intent"]))
            report.programme_ok += got.programme == row["programme"]
            report.aspect_ok += got.aspect == row["aspect"]
            if row["intent"] == "emergency":
                report.emergency += 1
                report.emergency_found += got.intent == "emergency"
            if row["intent"] == "out_of_scope":
                report.chatter += 1
                report.chatter_as_need += got.intent in NEED_INTENTS
            if got.intent != row["intent"]:
                report.confusions[(row["intent"], got.intent)] += 1
                report.misses.append((row["text"], row["intent"], got.intent, got.confidence))
    finally:
        await engine.close()
    return report


def threshold_table(report: Report, thresholds=(0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7)) -> list[str]:
    """What a FallbackClassifier threshold would do: share answered directly, accuracy of those, and
    the share of wrong guesses it sends to the confirm/rephrase ladder instead."""
    wrong = sum(1 for _, ok in report.scored if not ok) or 1
    lines = ["threshold  answered  accuracy_answered  wrong_caught"]
    for t in thresholds:
        answered = [ok for conf, ok in report.scored if conf >= t]
        caught = sum(1 for conf, ok in report.scored if conf < t and not ok)
        lines.append(f"{t:9.2f}  {len(answered) / len(report.scored):8.3f}  "
                     f"{sum(answered) / max(1, len(answered)):17.3f}  {caught / wrong:12.3f}")
    return lines


def main() -> int:
    from bot.knowledge.loader import load
    from bot.runtime.stack import engine_running
    from bot.settings import get_settings

    settings = get_settings()
    kb = load(settings.policies_dir)
    with engine_running(settings, with_app=False):
        report = asyncio.run(evaluate(settings, kb, read_heldout()))
        blind = asyncio.run(evaluate(settings, kb, read_heldout("blind.jsonl")))
    print(json.dumps({"all held-out": report.figures, "blind set only": blind.figures}, ensure_ascii=False, indent=2))
    print("\nfallback threshold (model decisions only, safety net and menu numbers left out):")
    print("\n".join(threshold_table(report)))
    print("\nconfusions (expected → got):")
    for (want, got), count in report.confusions.most_common(15):
        print(f"  {count:3d}  {want} → {got}")
    print("\nmisses:")
    for text, want, got, conf in report.misses[:60]:
        print(f"  {want:>13} → {got:<13} {conf:.2f}  {text[:60]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
