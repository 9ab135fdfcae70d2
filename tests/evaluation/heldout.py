"""Triage quality on the evaluation sets, through the real engine, beside a TF-IDF baseline.

    make eval      (or: .venv/bin/python -m tests.evaluation.heldout [--sets heldout,tuning,fourth]
                        [--show-misses N] [--json PATH] [--model FILE])

Sets (tests/evaluation/sets.py): earlier held-out, tuning (issue 8), blind (issue 8); by default every
set that has files. Each set and each of its files gets one table, engine and baseline side by side.
The misses of a blind set are printed only with --show-misses. The command-line driver lives here;
the figures are in metrics.py, the baseline in baseline.py, the layout in report.py.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from nlu_components.char_ngrams import C
from tests.evaluation.engine import evaluate  # noqa: F401  (tests/integration imports it from here)
from tests.evaluation.sets import DATA_ROOT, SPECS, available, load_set, read_heldout  # noqa: F401  (and the bench)

DEFAULT_MISSES = 30


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.evaluation.heldout", description=__doc__.split("\n")[0])
    parser.add_argument("--sets", help=f"comma-separated, of {', '.join(SPECS)} (default: all that have files)")
    parser.add_argument("--show-misses", type=int, default=None, metavar="N",
                        help=f"print N misses per set, blind sets included (default {DEFAULT_MISSES}, none for blind)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write every figure as JSON")
    parser.add_argument("--model", type=Path, metavar="FILE",
                        help="score this model file (an engine of its own on free ports) instead of the cached one "
                             "of nlu_data, e.g. one trained by `bot model --data COPY --out FILE`")
    parser.add_argument("--data-root", type=Path, default=DATA_ROOT,
                        help="folder holding heldout/, tuning/issue8/, blind/<set>/ (default tests/data)")
    return parser.parse_args(argv)


def chosen_sets(args: argparse.Namespace) -> list[str]:
    if not args.sets:
        return available(args.data_root)
    keys = [key.strip() for key in args.sets.split(",") if key.strip()]
    unknown = [key for key in keys if key not in SPECS]
    if unknown:
        raise SystemExit(f"unknown set(s): {', '.join(unknown)}; known: {', '.join(SPECS)}")
    return keys


def miss_limit(args: argparse.Namespace, blind: bool) -> int:
    if args.show_misses is not None:
        return max(0, args.show_misses)
    return 0 if blind else DEFAULT_MISSES


def main(argv: list[str] | None = None) -> int:
    from bot.knowledge.loader import load
    from bot.runtime.stack import engine_running
    from bot.settings import get_settings
    from tests.evaluation.baseline import Baseline
    from bot.text.normalize import fold
    from tests.evaluation.engine import run_engine, serving
    from tests.evaluation.training_data import read_training_examples
    from tests.evaluation.report import SetResult, json_report, set_figures, text_report

    args = parse_args(argv)
    training = frozenset(fold(text) for _, text in read_training_examples())
    sets = [load_set(SPECS[key], args.data_root, training) for key in chosen_sets(args)]
    for eval_set in sets:
        print(f"{eval_set.spec.title}: {len(eval_set.rows)} lines scored, {eval_set.left_out} left out "
              f"(identical to a training example)")
    for empty in [s for s in sets if not s.rows]:
        print(f"{empty.spec.title}: no lines under {args.data_root / empty.spec.pattern}, skipped", file=sys.stderr)
    sets = [s for s in sets if s.rows]
    if not sets:
        print("nothing to evaluate", file=sys.stderr)
        return 2
    settings = get_settings()
    kb = load(settings.policies_dir)
    baseline = Baseline(kb, settings.max_message_chars).train()
    print(f"baseline: TF-IDF char 1-3 + logistic regression (C {C:g}), {baseline.n_train} training "
          f"examples, trained in {baseline.train_s:.1f} s\n")
    if args.model:
        with serving(settings, args.model) as own:
            engine = [run_engine(own, kb, s.rows) for s in sets]
    else:
        with engine_running(settings, with_app=False):
            engine = [run_engine(settings, kb, s.rows) for s in sets]
    report: dict = {"baseline": {"c": C, "n_train": baseline.n_train, "train_s": round(baseline.train_s, 2)},
                    "sets": {}}
    for eval_set, predictions in zip(sets, engine):
        result = SetResult(eval_set, predictions, baseline.predict([row["text"] for row in eval_set.rows]))
        figures, limit = set_figures(result), miss_limit(args, eval_set.spec.blind)
        print("\n".join(text_report(result, figures, limit)))
        report["sets"][eval_set.spec.key] = json_report(result, figures, limit) | {"left_out": eval_set.left_out}
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
        print(f"figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
