"""Which safety answer one message gets: an alert now, a question first, or none.

- confirmed: the net's confirming wording, a high model score for `emergency`, or the resident's
  "yes" to the danger question. Staff are alerted and an urgent referral opens.
- check: the net's watch wording or a middling model score. The resident is asked one short
  question, with 110/120/119 in the same message, before any form or policy text; a "no" resumes
  what they were doing. No alert: a lost dog or a hot-pot craving must not page staff.

Pure and stdlib-only: the engine's RuleOverrides and the app both import it. The thresholds live
in config.yml (RuleOverrides); they were chosen on the tuning set (README "Retraining and evaluation").
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Iterable

from bot.safety.net import SafetyNet

CONFIRMED = "confirmed"
CHECK = "check"
MODEL_ONLY = "model"  # the reason when the model's probability alone decided the tier, no net wording
# Net categories a pre-screen answer names in passing ("着火了 全烧了" answering 有没有遇到急事, "没吃的"): mid-form
# they are asked about first, with the numbers in the same message; the others alert at once, always.
ASK_FIRST_IN_FORM = frozenset({"fire", "flood", "medical", "no_shelter", "no_food", "cold"})
EMERGENCY = "emergency"
FALLBACK = "nlu_fallback"

# What the app tells the engine about the resident's answer to the danger question (message metadata).
SAID_YES = "confirmed"
SAID_NO = "denied"


@dataclass(frozen=True)
class Thresholds:
    alert: float = 0.9   # the model's top intent is emergency with at least this confidence: confirmed
    check: float = 0.3   # emergency has at least this probability, top or not: ask first


@dataclass(frozen=True)
class Danger:
    tier: str                # confirmed | check
    reason: str              # safety_net:<category> | watch:<category> | model | resident
    category: str | None = None
    score: float = 0.0       # the model's probability for emergency

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def emergency_score(ranking: Iterable[dict[str, Any]]) -> tuple[float, bool]:
    """The model's probability for emergency, and whether it is the best real intent."""
    real = [r for r in ranking if r.get("name") != FALLBACK]
    score = next((float(r.get("confidence") or 0.0) for r in real if r.get("name") == EMERGENCY), 0.0)
    return score, bool(real) and real[0].get("name") == EMERGENCY


def assess(net: SafetyNet, text: str, ranking: list[dict[str, Any]], thresholds: Thresholds,
           said: str | None = None) -> Danger | None:
    """The tier of one message. `said` is the resident's answer to a danger question about it."""
    score, top = emergency_score(ranking)
    category = net.match(text)
    if said == SAID_NO and (category is None or category.name in ASK_FIRST_IN_FORM):
        return None  # asked ("着火了" or "前天夜里烟囱起的火" answering 急事), the resident said no one is in danger now
    if category is not None:
        return Danger(CONFIRMED, f"safety_net:{category.name}", category.name, score)
    watched = net.watch(text)
    name = watched.name if watched else None
    if said == SAID_YES:
        return Danger(CONFIRMED, "resident", name, score)
    if top and score >= thresholds.alert and not net.asks_first(text):  # "忙得像着火了一样 哈哈": ask, no alert
        return Danger(CONFIRMED, MODEL_ONLY, name, score)
    if watched is not None:
        return Danger(CHECK, f"watch:{name}", name, score)
    if score >= thresholds.check:
        return Danger(CHECK, MODEL_ONLY, None, score)
    return None
