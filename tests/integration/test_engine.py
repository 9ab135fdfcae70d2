"""The real trained model behind the real engine: parse output, safety net, quality on held-out data."""
import asyncio
import json
import os
import subprocess

import httpx
import pytest

from bot.runtime.model import RASA, model_path, rasa_env
from bot.settings import ROOT
from tests.evaluation.heldout import evaluate, read_heldout

pytestmark = pytest.mark.engine


def parse(stack, text):
    s = stack.settings
    response = httpx.post(f"{s.engine_url}/model/parse", params={"token": s.engine_token},
                          json={"text": text}, timeout=30)
    assert response.status_code == 200
    return response.json()


def test_engine_api_needs_the_token(live_stack):
    response = httpx.post(f"{live_stack.settings.engine_url}/model/parse", json={"text": "低保"}, timeout=10)
    assert response.status_code == 401


@pytest.mark.parametrize("text", ["我不想活了", "老伴倒地上起不来了", "今晚没地方住了", "房子着火了快来人"])
def test_safety_net_wins_inside_the_engine(live_stack, text):
    result = parse(live_stack, text)
    assert result["intent"]["name"] == "emergency"
    assert result["rule_override"].startswith("safety_net:")


def test_bare_number_is_a_menu_choice(live_stack):
    result = parse(live_stack, "第3个")
    assert result["intent"]["name"] == "choose_option" and result["rule_override"] == "menu_number"


def test_programme_typo_is_recognised(live_stack):
    result = parse(live_stack, "底保咋申请")
    assert "dibao" in {e["value"] for e in result["entities"] if e["entity"] == "programme"}


def test_mixed_script_text_has_no_blank_tokens(live_stack):
    result = parse(live_stack, "用 wechat 申请 低保")
    assert result["intent"]["name"] in {"ask_process", "ask_policy", "ask_eligibility", "nlu_fallback"}


@pytest.mark.parametrize("typed,simple", [("低保怎麼申請", "低保怎么申请"), ("特困供養能領多少錢", "特困供养能领多少钱"),
                                          ("屋裡煤氣中毒了", "屋里煤气中毒了")])
def test_traditional_characters_read_as_simplified(live_stack, kb, typed, simple):
    """A phone set to 繁體: the same intent and programme as the simplified words (the tokenizer reads them
    simplified; entity spans still point into the typed text)."""
    from bot.triage.taxonomy import programme_from_entities

    got, want = parse(live_stack, typed), parse(live_stack, simple)
    assert got["intent"]["name"] == want["intent"]["name"]
    assert programme_from_entities(got["entities"], kb) == programme_from_entities(want["entities"], kb)
    assert all(e["value"] and typed[e["start"]:e["end"]] for e in got["entities"])


def test_heldout_quality(live_stack, kb):
    """Held-out utterances the model never saw (tests/data/heldout): the bar the issue sets."""
    report = asyncio.run(evaluate(live_stack.settings, kb, read_heldout()))
    figures = report.figures
    print(json.dumps(figures, ensure_ascii=False))
    assert figures["n"] >= 300
    assert figures["emergency_recall"] == 1.0
    assert figures["intent_accuracy"] >= 0.85
    assert figures["chatter_as_need_rate"] <= 0.05
    assert figures["programme_accuracy"] >= 0.80


def test_issue8_tuning_set_holds_the_bar(live_stack, kb):
    """The tuning set of issue 8 (tuned on, so a regression guard, not a quality claim): no missed
    danger, alerts that are real, everyday chatter kept out. The blind set is scored by `make eval`."""
    from tests.evaluation.sets import SPECS, load_set

    tuning = load_set(SPECS["tuning"])
    figures = asyncio.run(evaluate(live_stack.settings, kb, tuning.rows)).figures
    print(json.dumps(figures, ensure_ascii=False))
    assert figures["n"] >= 800
    assert figures["emergency_recall"] >= 0.98
    assert figures["alert_precision"] >= 0.95
    assert figures["false_accept"] <= 0.02
    assert figures["intent_accuracy"] >= 0.93


def test_core_test_stories_pass(live_stack, tmp_path):
    """`rasa test core` on tests/stories: NLU and next action of each core dialogue."""
    result = subprocess.run(
        [str(RASA), "test", "core", "--stories", "tests/stories", "--model", str(model_path()),
         "--fail-on-prediction-errors", "--out", str(tmp_path), "--no-plot"],
        cwd=ROOT, env=rasa_env(), capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_bot_triage_cli_reuses_the_running_engine(live_stack):
    s = live_stack.settings
    env = {**os.environ, "ENGINE_URL": s.engine_url, "ENGINE_TOKEN": s.engine_token}
    lines = ['{"text": "低保一个月给多少钱"}', "not json", '{"text": "我不想活了"}', '{"text": ""}']
    result = subprocess.run([str(ROOT / ".venv" / "bin" / "bot"), "triage"], input="\n".join(lines),
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == 4
    assert (out[0]["intent"], out[0]["programme"], out[0]["aspect"]) == ("ask_policy", "dibao", "amount")
    assert "error" in out[1]
    assert out[2]["intent"] == "emergency" and out[2]["urgency"] == "high"
    for row in out:
        assert {"intent", "confidence", "programme", "aspect", "entities", "suggested_replies"} <= set(row)


def test_fast_loading_predicts_like_rasas_own_loading(tmp_path):
    texts = [row["text"] for row in read_heldout()][::5]
    path = tmp_path / "texts.json"
    path.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    result = subprocess.run([str(ROOT / ".venv-rasa" / "bin" / "python"), "-m", "tests.tools.fast_load_check",
                             str(model_path()), str(path)], cwd=ROOT, env=rasa_env(), capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["same"] and report["n"] > 100, report
