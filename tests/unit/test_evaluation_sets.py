"""The evaluation sets: taxonomy labels and the forms' keys only, and each blind set unchanged since it was locked."""
import hashlib
import json

import pytest
import yaml

from bot.screening.household import ASSETS, BENEFITS, EVENTS, MEMBERS
from bot.settings import ROOT

DATA = ROOT / "tests" / "data"
SETS = sorted(p for d in ("heldout", "tuning", "blind") for p in (DATA / d).rglob("*.jsonl"))


LOCKED = sorted(p.parent for p in (DATA / "blind").glob("*/SHA256SUMS"))


@pytest.mark.parametrize("folder", LOCKED, ids=lambda p: p.name)
def test_the_blind_sets_are_as_locked(folder):
    locked = dict(reversed(line.split("  ")) for line in (folder / "SHA256SUMS").read_text().splitlines())
    data = {p.name for p in folder.iterdir() if p.name not in ("SHA256SUMS", "README.md")}
    assert data <= set(locked), f"{sorted(data - set(locked))} added after the lock"
    for name, digest in locked.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, f"{name} changed after the lock"


HOUSEHOLDS = sorted([*(DATA / "households" / "tuning").glob("*.yml"), *(DATA / "blind").glob("households*/*.yml")])
CHOSEN = {"need_whose": {"self", "relative"}, "special_members": {*MEMBERS, "unknown"}, "assets": {*ASSETS, "unknown"},
          "current_benefits": {*BENEFITS, "unknown"}, "disability": {"severe", "mild", "none", "unknown"},
          "supporter": {"none", "poor", "able", "refuses", "unknown"}, "sudden_event": {*EVENTS, "none", "unknown"},
          "event_when": {"recent", "earlier", "unknown"}}


@pytest.mark.parametrize("path", HOUSEHOLDS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_household_truths_use_the_forms_keys(path):
    """A truth the harness cannot score (a typo'd key, a label instead of a key) would count as a miss forever."""
    household = yaml.safe_load(path.read_text(encoding="utf-8"))
    truth = household["truth"]
    assert household["id"] == path.stem and household["opening"].strip()
    for name, value in truth.items():
        if name in CHOSEN:
            values = value if isinstance(value, list) else [value]
            assert set(values) <= CHOSEN[name], f"{name}: {value}"
    assert isinstance(truth["household_size"], int) or truth["household_size"] == "unknown"
    assert truth["monthly_income"] == "unknown" or isinstance(truth["monthly_income"]["around"], int)
    # a township alone where the resident knows no more (新立乡 and 永加乡 list no villages)
    assert truth["place"] == "unknown" or {"township"} <= set(truth["place"]) <= {"township", "place"}
    assert truth["consent"] in (True, False, None)  # None: "俺得跟老伴商量商量", not now
    assert truth.get("phone", "") == "" or (len(str(truth["phone"])) == 11 and str(truth["phone"]).isdigit())


@pytest.mark.parametrize("path", SETS, ids=lambda p: str(p.relative_to(DATA)))
def test_rows_use_taxonomy_labels(kb, path):
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        row = json.loads(line)
        assert {"text", "intent", "programme", "aspect"} <= set(row) and row["text"].strip(), f"line {n}"
        assert row["intent"] in kb.taxonomy["intents"], f"line {n}"
        assert row["programme"] in kb.taxonomy["programmes"] and row["aspect"] in kb.taxonomy["aspects"], f"line {n}"
        assert row["intent"] == "ask_policy" or row["aspect"] == "none", f"line {n}"
