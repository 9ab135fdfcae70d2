"""The evaluation sets: taxonomy labels only, and the blind set unchanged since it was locked."""
import hashlib
import json

import pytest

from bot.settings import ROOT

DATA = ROOT / "tests" / "data"
SETS = sorted(p for d in ("heldout", "tuning", "blind") for p in (DATA / d).rglob("*.jsonl"))


@pytest.mark.parametrize("name", ["first", "second", "third", "fourth"])
def test_the_blind_sets_are_as_locked(name):
    folder = DATA / "blind" / name
    locked = dict(reversed(line.split("  ")) for line in (folder / "SHA256SUMS").read_text().splitlines())
    assert set(locked) == {p.name for p in folder.glob("*.jsonl")}
    for name, digest in locked.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, f"{name} changed after the lock"


@pytest.mark.parametrize("path", SETS, ids=lambda p: str(p.relative_to(DATA)))
def test_rows_use_taxonomy_labels(kb, path):
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        row = json.loads(line)
        assert {"text", "intent", "programme", "aspect"} <= set(row) and row["text"].strip(), f"line {n}"
        assert row["intent"] in kb.taxonomy["intents"], f"line {n}"
        assert row["programme"] in kb.taxonomy["programmes"] and row["aspect"] in kb.taxonomy["aspects"], f"line {n}"
        assert row["intent"] == "ask_policy" or row["aspect"] == "none", f"line {n}"
