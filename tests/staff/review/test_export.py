"""`bot review export`: corrected turns → Rasa 3 NLU YAML in a temporary nlu_data, deduplicated against each
other and the existing examples, conflicts and personal data left out; the file read by Rasa's own reader."""
from __future__ import annotations

import os
import subprocess
from datetime import date
from pathlib import Path

import pytest
import yaml

from sqlalchemy import select as query

from bot.settings import ROOT
from bot.staff.review.export import Correction, existing_examples, held_out_texts, key, personal, select, write
from bot.staff.review.models import ReviewTurn
from bot.staff.review.source import SQLBrokerSource
from bot.staff.review.store import ReviewStore
from tests.staff.review.conftest import run_bot

RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"
EXISTING = """version: "3.1"
nlu:
- intent: seek_help
  examples: |
    - 我想申请低保
    - 家里困难想申请[低保](programme)
- intent: complaint
  examples: |
    - 我要投诉
"""


@pytest.fixture
def nlu_dir(tmp_path) -> Path:
    (tmp_path / "nlu").mkdir()
    (tmp_path / "nlu" / "a.yml").write_text(EXISTING, encoding="utf-8")
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "r.yml").write_text('version: "3.1"\nrules: []\n', encoding="utf-8")
    return tmp_path


def test_select_dedupes_flags_conflicts_and_drops_personal_data(nlu_dir):
    corrections = [Correction("低保一个月多少钱", "ask_amount", "c1"),
                   Correction("低保一个月 多少钱", "ask_amount", "c2"),        # the same, spaced: a duplicate
                   Correction("我想申请低保", "seek_help", "c3"),               # already an example: a duplicate
                   Correction("家里困难想申请低保", "ask_policy", "c4"),         # under seek_help already: conflict
                   Correction("我要投诉", "request_human", "c5"),                # conflict with complaint
                   Correction("找谁办", "ask_process", "c6"), Correction("找谁办", "request_human", "c7"),  # conflict
                   Correction("我电话139****5678", "request_human", "c8"),       # masked at publish
                   Correction("打我13912345678", "request_human", "c9"),        # mask would change it
                   Correction("[低保](programme)咋办", "ask_process", "c10"),   # mark-up
                   Correction("  ", "greet", "c11")]
    result = select(corrections, existing_examples(nlu_dir))
    assert result.examples == {"ask_amount": ["低保一个月多少钱"]}
    assert [c.where for c in result.duplicates] == ["c2", "c3"]
    assert [(c.where, other) for c, other in result.conflicts] == [("c4", "seek_help"), ("c5", "complaint"),
                                                                  ("c6", "request_human"), ("c7", "ask_process")]
    assert [c.where for c in result.personal] == ["c8", "c9", "c10"]
    assert personal("139****5678") and not personal("低保一个月多少钱")


def test_written_file_is_rasa_nlu_data(nlu_dir):
    result = select([Correction("低保一个月多少钱", "ask_amount"), Correction("残疾补贴怎么领", "ask_process"),
                     Correction("- 开头有横线: 冒号", "ask_process")], existing_examples(nlu_dir))
    path = write(result, nlu_dir / "review", date(2026, 11, 30))
    assert path == nlu_dir / "review" / "2026-11-30.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["version"] == "3.1" and [item["intent"] for item in data["nlu"]] == ["ask_amount", "ask_process"]
    assert data["nlu"][1]["examples"] == "- 残疾补贴怎么领\n- - 开头有横线: 冒号\n"
    assert existing_examples(nlu_dir)[key("残疾补贴怎么领")] == {"ask_process"}   # the next export sees it
    assert write(select([], {}), nlu_dir / "review", date(2026, 12, 1)) is None
    if not RASA_PYTHON.exists():
        pytest.skip("no .venv-rasa")
    code = ("import sys; from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader\n"
            "td = RasaYAMLReader().read(sys.argv[1])\n"
            "print(sorted((e.get('intent'), e.get('text')) for e in td.training_examples))")
    out = subprocess.run([str(RASA_PYTHON), "-c", code, str(path)], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "RASA_TELEMETRY_ENABLED": "false", "SQLALCHEMY_SILENCE_UBER_WARNING": "1"})
    assert out.returncode == 0, out.stderr[-2000:]
    assert "('ask_process', '- 开头有横线: 冒号')" in out.stdout and "('ask_amount', '低保一个月多少钱')" in out.stdout


def test_command_exports_corrections_from_the_database(db, db_url, events_db, nlu_dir, monkeypatch, capsys):
    store = ReviewStore(db)
    store.sync(SQLBrokerSource(f"sqlite:///{events_db}"))
    turns = {t.text: t for t in db.scalars(query(ReviewTurn))}
    store.correct(turns["嗯嗯那个"], "ask_policy", "reviewer1")
    store.correct(turns["我电话139****5678"], "request_human", "reviewer1")
    store.correct(turns["我想申请"], "seek_help", "reviewer1")            # what the model said: no correction
    db.commit()
    run_bot(monkeypatch, db_url, "review", "export", f"--nlu-dir={nlu_dir}", "--date=2026-11-30")
    out = capsys.readouterr().out
    assert "PERSONAL review:" in out and "1 examples in 1 intents" in out
    assert "嗯嗯那个" in (nlu_dir / "review" / "2026-11-30.yml").read_text(encoding="utf-8")
    assert "139" not in (nlu_dir / "review" / "2026-11-30.yml").read_text(encoding="utf-8")


def test_sync_command_reads_the_whole_backlog(db, db_url, events_db, monkeypatch, capsys):
    run_bot(monkeypatch, db_url, "review", "sync", EVENT_BROKER_URL=f"sqlite:///{events_db}")
    assert "27 broker events" in capsys.readouterr().out
    assert len(db.scalars(query(ReviewTurn)).all()) == 9


def test_held_out_evaluation_utterances_are_never_exported(tmp_path, nlu_dir):
    (tmp_path / "heldout").mkdir()
    (tmp_path / "heldout" / "a.jsonl").write_text('{"text": "低报咋申请啊", "intent": "ask_policy"}\n\n',
                                                 encoding="utf-8")
    held = held_out_texts(tmp_path / "heldout")
    result = select([Correction("低报 咋申请啊", "ask_policy", "c1"), Correction("五保户咋申请", "ask_policy", "c2")],
                    existing_examples(nlu_dir), held)
    assert [c.where for c in result.held_out] == ["c1"] and result.examples == {"ask_policy": ["五保户咋申请"]}
    assert key("低报咋申请啊") in held_out_texts(ROOT / "tests" / "data" / "heldout")   # the real sets are read
