"""The evaluation's figures on small hand-made predictions (each denominator pinned), and the reader of
the Rasa training files. Pure: no engine, no model."""
import json

import pytest

from tests.evaluation import metrics as m
from tests.evaluation.metrics import Prediction as P
from tests.evaluation.training_data import parse_nlu_yaml, strip_entities


def gold(intent, programme="none", aspect="none"):
    return {"text": "…", "intent": intent, "programme": programme, "aspect": aspect}


# Ten lines: 3 emergencies, 3 everyday chatter, 2 policy questions, 1 greeting, 1 neighbour report.
GOLD = [
    gold("emergency", "linshi"),          # 0 alert, right
    gold("emergency", "linshi"),          # 1 danger check only
    gold("emergency"),                    # 2 missed: seek_help
    gold("out_of_scope"),                 # 3 sure need: false accept
    gold("out_of_scope"),                 # 4 unsure need: counted only with low-confidence guesses
    gold("out_of_scope"),                 # 5 right
    gold("ask_policy", "dibao", "amount"),     # 6 right, aspect wrong
    gold("ask_policy", "dibao", "materials"),  # 7 intent wrong, raises a false alert
    gold("greet"),                        # 8 right
    gold("report_other", "laoren"),       # 9 programme wrong
]
PRED = [
    P("emergency", "linshi", urgency="high"),
    P("emergency", "linshi", urgency="check", low_confidence=True),
    P("seek_help", "linshi", urgency="normal"),
    P("request_human", urgency="low"),
    P("complaint", urgency="normal", low_confidence=True),
    P("out_of_scope"),
    P("ask_policy", "dibao", "process"),
    P("emergency", "dibao", urgency="high"),
    P("greet"),
    P("report_other", "none", urgency="normal"),
]


def test_share_of_nothing_is_undefined_not_perfect():
    assert m.Share(0, 0).value is None
    assert m.Share(1, 4).value == 0.25
    assert m.Share(1, 3).as_dict() == {"value": 0.3333, "hits": 1, "total": 3}


def test_accuracies_count_every_line():
    assert m.accuracy(GOLD, PRED, "intent") == m.Share(6, 10)   # lines 2, 3, 4, 7 wrong
    assert m.accuracy(GOLD, PRED, "programme") == m.Share(8, 10)   # lines 2 (linshi vs none) and 9
    assert m.accuracy(GOLD, PRED, "aspect") == m.Share(8, 10)      # lines 6 and 7


def test_lengths_must_agree():
    with pytest.raises(ValueError):
        m.accuracy(GOLD, PRED[:-1], "intent")


def test_per_intent_f1_precision_is_over_all_predictions():
    scores = m.per_intent_f1(GOLD, PRED)
    assert set(scores) == {"emergency", "out_of_scope", "ask_policy", "greet", "report_other"}
    e = scores["emergency"]   # 2 right of 3 predicted (line 7 is a false one), 2 found of 3
    assert (e["precision"], e["recall"], e["support"], e["predicted"]) == (2 / 3, 2 / 3, 3, 3)
    assert e["f1"] == pytest.approx(2 / 3)
    assert scores["out_of_scope"]["precision"] == 1.0 and scores["out_of_scope"]["recall"] == pytest.approx(1 / 3)
    assert scores["out_of_scope"]["f1"] == pytest.approx(0.5)
    assert scores["ask_policy"]["f1"] == pytest.approx(2 / 3)     # p 1/1, r 1/2
    assert scores["greet"]["f1"] == 1.0 and scores["report_other"]["f1"] == 1.0


def test_macro_f1_averages_gold_intents_only():
    # seek_help, request_human, complaint are predicted but not gold: not averaged in
    expected = (2 / 3 + 0.5 + 2 / 3 + 1.0 + 1.0) / 5
    assert m.macro_f1(GOLD, PRED) == pytest.approx(expected)
    assert m.macro_f1([], []) is None


def test_macro_f1_of_an_intent_never_predicted_is_zero():
    assert m.macro_f1([gold("greet"), gold("thanks")], [P("greet"), P("greet")]) == pytest.approx((2 / 3 + 0) / 2)


def test_emergency_recall_counts_both_tiers_alert_recall_only_alerts():
    assert m.emergency_recall(GOLD, PRED) == m.Share(2, 3)
    assert m.alert_recall(GOLD, PRED) == m.Share(1, 3)


def test_alert_precision_is_over_alerts_raised():
    assert m.alert_precision(GOLD, PRED) == m.Share(1, 2)   # lines 0 and 7 alert, only 0 is an emergency
    assert m.alert_precision([gold("greet")], [P("greet")]) == m.Share(0, 0)
    assert m.check_count(PRED) == 1


def test_false_accept_with_and_without_low_confidence_guesses():
    assert m.false_accept(GOLD, PRED, count_low_confidence=False) == m.Share(1, 3)
    assert m.false_accept(GOLD, PRED, count_low_confidence=True) == m.Share(2, 3)


def test_every_need_intent_is_a_false_accept_and_chatter_intents_are_not():
    for intent in m.NEED_INTENTS:
        assert m.false_accept([gold("out_of_scope")], [P(intent)], False) == m.Share(1, 1)
    for intent in ("greet", "thanks", "goodbye", "affirm", "deny", "bot_challenge", "out_of_scope"):
        assert m.false_accept([gold("out_of_scope")], [P(intent)], True) == m.Share(0, 1)


def test_legacy_chatter_figure_keeps_its_narrower_need_list():
    assert m.legacy_chatter_as_need(GOLD, PRED) == m.Share(0, 3)   # request_human, complaint not in it


def test_confusions_list_wrong_intents_only():
    assert m.confusions(GOLD, PRED) == {("emergency", "seek_help"): 1, ("out_of_scope", "request_human"): 1,
                                        ("out_of_scope", "complaint"): 1, ("ask_policy", "emergency"): 1}


def test_threshold_table_leaves_rule_decisions_and_danger_checks_out():
    g = [gold("greet"), gold("thanks"), gold("deny"), gold("emergency"), gold("emergency"), gold("greet")]
    p = [P("greet", confidence=0.9), P("greet", confidence=0.4), P("deny", confidence=0.5),
         P("seek_help", confidence=0.2, rule_override="safety_net:suicide"),
         P("emergency", confidence=0.1, urgency="check", low_confidence=True),
         P("choose_option", confidence=1.0, rule_override="menu_number")]
    rows = {row["threshold"]: row for row in m.threshold_table(g, p, thresholds=(0.3, 0.45, 0.6))}
    assert rows[0.3] == {"threshold": 0.3, "answered": 1.0, "accuracy_answered": 0.6667, "wrong_caught": 0.0}
    assert rows[0.45] == {"threshold": 0.45, "answered": 0.6667, "accuracy_answered": 1.0, "wrong_caught": 1.0}
    assert rows[0.6]["answered"] == 0.3333 and rows[0.6]["wrong_caught"] == 1.0
    model_alert = [P("emergency", confidence=1.0, urgency="high", rule_override="model")]
    assert m.threshold_table([gold("greet")], model_alert, thresholds=(0.5,))[0]["accuracy_answered"] == 0.0


def test_summary_flat_and_json_shapes():
    figures = m.summarize(GOLD, PRED)
    flat = m.flat(figures)
    assert flat["n"] == 10 and flat["intent_accuracy"] == 0.6 and flat["emergency_recall"] == 0.6667
    assert flat["false_accept"] == 0.3333 and flat["false_accept_incl_low"] == 0.6667 and flat["checks"] == 1
    assert "per_intent" not in flat
    as_json = m.to_json(figures)
    json.dumps(as_json)
    assert as_json["alert_precision"] == {"value": 0.5, "hits": 1, "total": 2}
    assert as_json["per_intent"]["emergency"]["f1"] == 0.6667


def test_prediction_from_a_triage_like_object():
    class T:
        intent, programme, aspect, urgency, low_confidence, confidence, rule_override = \
            "emergency", "linshi", "none", "check", True, 0.42, None
    assert m.Prediction.of(T()) == P("emergency", "linshi", "none", "check", True, 0.42, None)


def test_entity_annotations_become_plain_text():
    assert strip_entities('我申请的[低保]{"entity": "programme", "value": "dibao"}到哪一步了') == "我申请的低保到哪一步了"
    assert strip_entities("[五保](programme)和[低保](programme:dibao)") == "五保和低保"
    assert strip_entities("[不是标注] 第[3]个") == "[不是标注] 第[3]个"


def test_nlu_yaml_gives_intent_examples_only():
    source = """version: "3.1"
nlu:
- intent: check_status
  examples: |
    - 我那个[低保]{"entity": "programme", "value": "dibao"}批没批
    - [临时救助](programme)的钱啥时候能到
    - 批下来没
- synonym: dibao
  examples: |
    - 低保户
- intent: greet
  examples:
  - text: 你好
    metadata: {sentiment: neutral}
"""
    assert parse_nlu_yaml(source) == [("check_status", "我那个低保批没批"), ("check_status", "临时救助的钱啥时候能到"),
                                      ("check_status", "批下来没"), ("greet", "你好")]
