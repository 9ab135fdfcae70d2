"""Lay out the figures of each set: engine and baseline side by side, threshold table, confusions, misses.

Exists so the command line (heldout.py) stays a thin driver and the text and JSON reports share one
computation of the figures (`set_figures`).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from tests.evaluation.metrics import ALERT, EMERGENCY, Prediction, Share, confusions, summarize, \
    threshold_table, to_json
from tests.evaluation.sets import NON_EMERGENCY_FILES, EvalSet

# (label, key) of the table rows; "alerts" is the denominator of alert precision
ROWS = [
    ("n", "n"),
    ("intent accuracy", "intent_accuracy"),
    ("macro F1 (gold intents)", "macro_f1"),
    ("emergency recall (any tier)", "emergency_recall"),
    ("alert recall (urgency high)", "alert_recall"),
    ("alert precision", "alert_precision"),
    ("  n alerts", "alerts"),
    ("  n danger checks", "checks"),
    ("everyday false-accept", "false_accept"),
    ("  counting low-confidence", "false_accept_incl_low"),
    ("programme accuracy", "programme_accuracy"),
    ("aspect accuracy", "aspect_accuracy"),
]
UNION_ROWS = [("alert precision", "alert_precision"), ("  n alerts", "alerts")]
UNION_NAME = "+".join(NON_EMERGENCY_FILES)


@dataclass
class SetResult:
    eval_set: EvalSet
    engine: list[Prediction]
    baseline: list[Prediction]

    def pick(self, indices: list[int]) -> tuple[list[dict], list[Prediction], list[Prediction]]:
        rows = self.eval_set.rows
        return [rows[i] for i in indices], [self.engine[i] for i in indices], [self.baseline[i] for i in indices]


def _side_by_side(gold, engine, baseline) -> dict[str, dict[str, Any]]:
    return {"engine": summarize(gold, engine), "baseline": summarize(gold, baseline)}


def set_figures(result: SetResult) -> dict[str, Any]:
    """All figures of one set: whole set, each file (if several), and (issue 8) the files that should raise
    no alert."""
    everything = list(range(len(result.eval_set.rows)))
    out: dict[str, Any] = {"all": _side_by_side(*result.pick(everything)), "subsets": {}}
    for source in result.eval_set.sources if len(result.eval_set.sources) > 1 else []:
        out["subsets"][source] = _side_by_side(*result.pick(result.eval_set.subset(source)))
    if result.eval_set.spec.issue8:
        out["non_emergency_files"] = _side_by_side(*result.pick(result.eval_set.subset(NON_EMERGENCY_FILES)))
    return out


def _cell(figures: dict[str, Any], key: str) -> str:
    value = figures["alert_precision"].total if key == "alerts" else figures[key]
    if isinstance(value, Share):
        return "—" if value.value is None else f"{value.value:.3f} ({value.hits}/{value.total})"
    if isinstance(value, float):
        return f"{value:.3f}"
    return "—" if value is None else str(value)


def _defined(figures: dict[str, Any], key: str) -> bool:
    value = figures.get(key)
    return not (value is None or isinstance(value, Share) and value.total == 0)


def table(title: str, pair: dict[str, dict[str, Any]], rows=ROWS, skip_undefined: bool = False) -> list[str]:
    """`metric  engine  baseline`; in subsets, rows undefined on both sides (e.g. no emergencies) are left out."""
    lines = [title, f"  {'metric':<30}{'engine':>20}{'baseline':>20}"]
    for label, key in rows:
        if skip_undefined and key not in ("n", "alerts", "checks") and \
                not (_defined(pair["engine"], key) or _defined(pair["baseline"], key)):
            continue
        lines.append(f"  {label:<30}{_cell(pair['engine'], key):>20}{_cell(pair['baseline'], key):>20}")
    return lines


def threshold_lines(rows: list[dict[str, Any]]) -> list[str]:
    def fmt(value, width):
        return f"{'—':>{width}}" if value is None else f"{value:{width}.3f}"
    lines = ["  threshold  answered  accuracy_answered  wrong_caught"]
    for row in rows:
        lines.append(f"  {row['threshold']:9.2f}  {fmt(row['answered'], 8)}  {fmt(row['accuracy_answered'], 17)}  "
                     f"{fmt(row['wrong_caught'], 12)}")
    return lines


def is_miss(gold: dict, pred: Prediction) -> bool:
    """A wrong intent, or a gold emergency without a staff alert (a danger check alone)."""
    return pred.intent != gold["intent"] or (gold["intent"] == EMERGENCY and pred.urgency != ALERT)


def misses(result: SetResult, limit: int) -> list[dict[str, Any]]:
    """The engine's misses, safety ones first (missed alerts, false alerts), then in file order."""
    found = [(row, eng, base) for row, eng, base in zip(result.eval_set.rows, result.engine, result.baseline)
             if is_miss(row, eng)]
    found.sort(key=lambda item: not (item[0]["intent"] == EMERGENCY or item[1].urgency == ALERT))
    return [{"source": row["source"], "text": row["text"], "gold": row["intent"], "engine": eng.intent,
             "engine_urgency": eng.urgency, "engine_confidence": eng.confidence, "engine_low": eng.low_confidence,
             "baseline": base.intent, "baseline_confidence": base.confidence} for row, eng, base in found[:limit]]


def miss_lines(items: list[dict[str, Any]]) -> list[str]:
    return [f"  {m['source'][:12]:>12} {m['gold']:>13} → {m['engine']:<13} {m['engine_urgency']:<6} "
            f"{m['engine_confidence']:.2f}{'?' if m['engine_low'] else ' '} base {m['baseline']:<13} "
            f"{m['text'][:60]}" for m in items]


def confusion_lines(counter: Counter, k: int = 15) -> list[str]:
    return [f"  {count:3d}  {want} → {got}" for (want, got), count in counter.most_common(k)]


def text_report(result: SetResult, figures: dict[str, Any], miss_limit: int) -> list[str]:
    spec = result.eval_set.spec
    lines = [f"== {spec.title}: {len(result.eval_set.rows)} lines in {len(result.eval_set.files)} file(s) ==", ""]
    lines += table(f"{spec.title} — all", figures["all"])
    for source, pair in figures["subsets"].items():
        lines += ["", *table(f"{spec.title} / {source}", pair, skip_undefined=True)]
    if "non_emergency_files" in figures:
        lines += ["", *table(f"{spec.title} / {UNION_NAME} (should raise no alert)", figures["non_emergency_files"],
                             rows=UNION_ROWS)]
    lines += ["", "fallback threshold, engine (model decisions only: safety-net and watch wording, menu numbers and "
              "danger checks left out):"]
    lines += threshold_lines(threshold_table(result.eval_set.rows, result.engine))
    lines += ["", "engine confusions (expected → got):"]
    lines += confusion_lines(confusions(result.eval_set.rows, result.engine)) or ["  (none)"]
    if miss_limit > 0:
        lines += ["", "engine misses (file, expected → got, urgency, confidence, ? = low confidence, baseline):"]
        lines += miss_lines(misses(result, miss_limit)) or ["  (none)"]
    return lines + [""]


def json_report(result: SetResult, figures: dict[str, Any], miss_limit: int) -> dict[str, Any]:
    spec = result.eval_set.spec
    out = {"title": spec.title, "blind": spec.blind, "files": [str(p.name) for p in result.eval_set.files],
           "figures": to_json(figures),
           "threshold_table": threshold_table(result.eval_set.rows, result.engine),
           "confusions": [{"expected": want, "got": got, "count": count}
                          for (want, got), count in confusions(result.eval_set.rows, result.engine).most_common()]}
    if miss_limit > 0:
        out["misses"] = misses(result, miss_limit)
    return out
