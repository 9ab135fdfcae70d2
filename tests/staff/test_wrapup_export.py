"""A 12345 agent's wrap-up that corrects triage's intent reaches `bot review export` as a reviewer's correction
does: the caller's words under the agent's intent, the parts with personal data cut out, deduplicated,
conflicts with nlu_data listed; a wrap-up that confirmed triage's intent exports nothing."""
from __future__ import annotations

from dataclasses import dataclass

import pytest
import yaml

from bot.staff import wrapups
from tests.staff.review.conftest import run_bot

EXISTING = """version: "3.1"
nlu:
- intent: complaint
  examples: |
    - 我要投诉
"""


@dataclass
class Agent:
    id: int = 1
    username: str = "agent1"


def wrap_up(db, call_id: str, said: str, model: str, agent_says: str) -> None:
    wrapups.save(db, Agent(), wrapups.Wrapup(call_id=call_id, text=said, model_intent=model, model_confidence=0.6,
                                             corrected_intent=agent_says, programme=None, notes="", case_number=None))
    db.commit()


@pytest.fixture
def nlu_dir(tmp_path):
    (tmp_path / "nlu").mkdir()
    (tmp_path / "nlu" / "a.yml").write_text(EXISTING, encoding="utf-8")
    return tmp_path


def exported(nlu_dir) -> dict[str, list[str]]:
    data = yaml.safe_load((nlu_dir / "review" / "2026-12-02.yml").read_text(encoding="utf-8"))
    return {item["intent"]: item["examples"].splitlines() for item in data["nlu"]}


def test_a_corrected_wrap_up_is_exported_under_the_agents_intent_without_personal_data(db, db_url, nlu_dir,
                                                                                       monkeypatch, capsys):
    wrap_up(db, "call-1", "我叫王桂芝 电话13943421234 俺家揭不开锅了，想问问能不能吃低保", "ask_policy", "seek_help")
    wrap_up(db, "call-2", "低保一个月给多少钱", "ask_policy", "ask_policy")          # confirmed: nothing to learn
    wrap_up(db, "call-3", "孩子上学的钱凑不齐了", "greet", "seek_help")
    wrap_up(db, "call-4", "孩子上学的钱 凑不齐了", "greet", "seek_help")             # the same words again
    wrap_up(db, "call-5", "我要投诉", "ask_policy", "request_human")                  # nlu_data says complaint
    wrap_up(db, "call-6", "我电话13943421234", "greet", "request_human")              # nothing left once cut
    run_bot(monkeypatch, db_url, "review", "export", f"--nlu-dir={nlu_dir}", "--date=2026-12-02")
    out = capsys.readouterr().out
    assert exported(nlu_dir) == {"seek_help": ["- 俺家揭不开锅了，想问问能不能吃低保", "- 孩子上学的钱凑不齐了"]}
    text = (nlu_dir / "review" / "2026-12-02.yml").read_text(encoding="utf-8")
    assert "139" not in text and "*" not in text and "王桂芝" not in text and "低保一个月" not in text
    assert "CONFLICT 12345:call-5" in out and "complaint" in out
    assert "PERSONAL 12345:call-6" in out and "1 duplicates dropped" in out


def test_a_wrap_up_saved_again_as_confirmed_is_no_longer_exported(db, db_url, nlu_dir, monkeypatch, capsys):
    wrap_up(db, "call-1", "孩子上学的钱凑不齐了", "greet", "seek_help")
    wrap_up(db, "call-1", "孩子上学的钱凑不齐了", "seek_help", "seek_help")   # the agent saved the call again
    run_bot(monkeypatch, db_url, "review", "export", f"--nlu-dir={nlu_dir}", "--date=2026-12-02")
    assert "0 examples" in capsys.readouterr().out
    assert not (nlu_dir / "review" / "2026-12-02.yml").exists()


@pytest.mark.parametrize("said, kept", [
    ("我叫王桂芝 电话139****1234 俺家揭不开锅了", "俺家揭不开锅了"),
    ("低保咋办，我电话139****1234。", "低保咋办"),
    ("俺家老头叫不醒了。快来人", "俺家老头叫不醒了。快来人"),   # 叫 that names nobody stays
    ("姓王，住茂林镇，想办低保", "住茂林镇，想办低保"),
    ("身份证220382195001011234", ""),
])
def test_spoken_cuts_the_parts_with_personal_data(said, kept):
    from bot.staff.review.export import spoken

    assert spoken(said) == kept
