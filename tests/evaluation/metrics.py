"""The figures of the evaluation as pure functions of gold rows and predictions.

Exists so each figure has one definition, with its denominator stated, that unit tests can check on
hand-made predictions (tests/unit/test_evaluation_metrics.py) — for the engine and the baseline alike.
Gold rows are dicts with "intent", "programme", "aspect"; predictions are `Prediction`s, same order.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Sequence

EMERGENCY = "emergency"
ALERT = "high"     # confirmed danger: staff alert + urgent referral
CHECK = "check"    # uncertain danger: the bot asks, gives 110/120/119, no alert
MODEL_OVERRIDE = "model"   # rule_override when the model's own emergency score confirmed the danger
OUT_OF_SCOPE = "out_of_scope"
# intents that make the assistant act on a need (answer, pre-screen, refer, hand over)
NEED_INTENTS = frozenset({"ask_policy", "seek_help", "emergency", "check_status", "report_other",
                          "complaint", "request_human"})
# the narrower list of the first evaluation, kept only for the legacy "chatter_as_need_rate"
LEGACY_NEED_INTENTS = frozenset({"ask_policy", "seek_help", "emergency", "report_other", "check_status"})
THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7)


@dataclass(frozen=True)
class Prediction:
    intent: str
    programme: str = "none"
    aspect: str = "none"
    urgency: str = "low"
    low_confidence: bool = False
    confidence: float = 1.0
    rule_override: str | None = None   # set when the safety net or a menu number decided, not the model

    @classmethod
    def of(cls, triage: Any) -> "Prediction":
        """From a bot.triage.service.Triage (or anything with the same attributes)."""
        return cls(triage.intent, triage.programme, triage.aspect, triage.urgency, bool(triage.low_confidence),
                   float(triage.confidence), triage.rule_override)


@dataclass(frozen=True)
class Share:
    """hits out of total; value is None when there is nothing to count (never a flattering 1.0)."""
    hits: int
    total: int

    @property
    def value(self) -> float | None:
        return self.hits / self.total if self.total else None

    def as_dict(self) -> dict[str, Any]:
        return {"value": None if self.value is None else round(self.value, 4), "hits": self.hits,
                "total": self.total}


def _pairs(gold: Sequence[dict], pred: Sequence[Prediction]):
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold rows but {len(pred)} predictions")
    return zip(gold, pred)


def accuracy(gold: Sequence[dict], pred: Sequence[Prediction], field: str) -> Share:
    """Share of all lines whose predicted `field` (intent, programme, aspect) equals the gold one."""
    pairs = list(_pairs(gold, pred))
    return Share(sum(getattr(p, field) == g[field] for g, p in pairs), len(pairs))


def per_intent_f1(gold: Sequence[dict], pred: Sequence[Prediction]) -> dict[str, dict[str, Any]]:
    """Precision, recall, F1 and support of every gold intent present (precision over all predictions)."""
    pairs = list(_pairs(gold, pred))
    out = {}
    for intent in sorted({g["intent"] for g, _ in pairs}):
        tp = sum(g["intent"] == intent and p.intent == intent for g, p in pairs)
        predicted = sum(p.intent == intent for _, p in pairs)
        support = sum(g["intent"] == intent for g, _ in pairs)
        precision = tp / predicted if predicted else 0.0
        recall = tp / support
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[intent] = {"precision": precision, "recall": recall, "f1": f1, "support": support,
                       "predicted": predicted}
    return out


def macro_f1(gold: Sequence[dict], pred: Sequence[Prediction]) -> float | None:
    """Unweighted mean F1 over the gold intents present (None for an empty set)."""
    scores = per_intent_f1(gold, pred)
    if not scores:
        return None
    return sum(s["f1"] for s in scores.values()) / len(scores)


def emergency_recall(gold: Sequence[dict], pred: Sequence[Prediction]) -> Share:
    """Gold emergencies triaged as emergency, whatever the tier (alert or check)."""
    hits = [p.intent == EMERGENCY for g, p in _pairs(gold, pred) if g["intent"] == EMERGENCY]
    return Share(sum(hits), len(hits))


def alert_recall(gold: Sequence[dict], pred: Sequence[Prediction]) -> Share:
    """Gold emergencies that raise a staff alert (urgency high)."""
    hits = [p.urgency == ALERT for g, p in _pairs(gold, pred) if g["intent"] == EMERGENCY]
    return Share(sum(hits), len(hits))


def alert_precision(gold: Sequence[dict], pred: Sequence[Prediction]) -> Share:
    """Among the lines that raise an alert (urgency high), those that are gold emergencies; total = n alerts."""
    hits = [g["intent"] == EMERGENCY for g, p in _pairs(gold, pred) if p.urgency == ALERT]
    return Share(sum(hits), len(hits))


def check_count(pred: Sequence[Prediction]) -> int:
    """Lines on which the bot asks whether someone is in danger (urgency check)."""
    return sum(p.urgency == CHECK for p in pred)


def false_accept(gold: Sequence[dict], pred: Sequence[Prediction], count_low_confidence: bool) -> Share:
    """Among gold out_of_scope lines, those triaged as a need; low-confidence guesses count only if asked."""
    hits = [p.intent in NEED_INTENTS and (count_low_confidence or not p.low_confidence)
            for g, p in _pairs(gold, pred) if g["intent"] == OUT_OF_SCOPE]
    return Share(sum(hits), len(hits))


def legacy_chatter_as_need(gold: Sequence[dict], pred: Sequence[Prediction]) -> Share:
    """The first evaluation's figure: gold out_of_scope triaged as one of five need intents, any confidence."""
    hits = [p.intent in LEGACY_NEED_INTENTS for g, p in _pairs(gold, pred) if g["intent"] == OUT_OF_SCOPE]
    return Share(sum(hits), len(hits))


def confusions(gold: Sequence[dict], pred: Sequence[Prediction]) -> Counter:
    """(gold intent, predicted intent) → count, wrong intents only."""
    return Counter((g["intent"], p.intent) for g, p in _pairs(gold, pred) if g["intent"] != p.intent)


def model_decision(pred: Prediction) -> bool:
    """Decided by the intent model and its fallback threshold: no rule override (safety-net or watch
    wording, menu number) except the model's own confident emergency ("model"); danger checks are
    left out, since they go to the danger question whatever the fallback threshold."""
    return pred.rule_override in (None, MODEL_OVERRIDE) and pred.urgency != CHECK


def threshold_table(gold: Sequence[dict], pred: Sequence[Prediction],
                    thresholds: Sequence[float] = THRESHOLDS) -> list[dict[str, float]]:
    """What a FallbackClassifier threshold would do to the model's own decisions: share answered
    directly, accuracy of those, share of wrong guesses caught."""
    scored = [(p.confidence, p.intent == g["intent"]) for g, p in _pairs(gold, pred) if model_decision(p)]
    wrong = sum(1 for _, ok in scored if not ok)
    rows = []
    for t in thresholds:
        answered = [ok for conf, ok in scored if conf >= t]
        caught = sum(1 for conf, ok in scored if conf < t and not ok)
        rows.append({"threshold": t,
                     "answered": round(len(answered) / len(scored), 4) if scored else None,
                     "accuracy_answered": round(sum(answered) / len(answered), 4) if answered else None,
                     "wrong_caught": round(caught / wrong, 4) if wrong else None})
    return rows


def summarize(gold: Sequence[dict], pred: Sequence[Prediction]) -> dict[str, Any]:
    """Every figure of one set (or subset): Shares, floats, per-intent dicts."""
    return {
        "n": len(gold),
        "intent_accuracy": accuracy(gold, pred, "intent"),
        "macro_f1": macro_f1(gold, pred),
        "emergency_recall": emergency_recall(gold, pred),
        "alert_recall": alert_recall(gold, pred),
        "alert_precision": alert_precision(gold, pred),
        "checks": check_count(pred),
        "false_accept": false_accept(gold, pred, count_low_confidence=False),
        "false_accept_incl_low": false_accept(gold, pred, count_low_confidence=True),
        "programme_accuracy": accuracy(gold, pred, "programme"),
        "aspect_accuracy": accuracy(gold, pred, "aspect"),
        "chatter_as_need_rate": legacy_chatter_as_need(gold, pred),
        "per_intent": per_intent_f1(gold, pred),
    }


def to_json(value: Any) -> Any:
    """Shares as {value, hits, total}, floats rounded to 4 places, recursively."""
    if isinstance(value, Share):
        return value.as_dict()
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {key: to_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(item) for item in value]
    return value


def flat(figures: dict[str, Any]) -> dict[str, Any]:
    """Shares as plain values (the shape the integration test reads), per-intent detail left out."""
    out = {}
    for key, value in figures.items():
        if key == "per_intent":
            continue
        if isinstance(value, Share):
            value = value.value
        out[key] = round(value, 4) if isinstance(value, float) else value
    return out
