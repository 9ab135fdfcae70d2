"""The model and the knowledge base name programmes alike; generated NLU files are current."""
import json
import re

from bot.knowledge.nlu_export import outputs
from bot.settings import ROOT
from bot.text.normalize import fold
from tests.evaluation.training_data import read_training_examples

ANNOTATION = re.compile(r'\[([^\]]+)\]\{"entity":\s*"programme",\s*"value":\s*"([a-z]+)"\}')
NLU = sorted((ROOT / "nlu_data" / "nlu").glob("*.yml"))


def test_generated_files_are_current(kb):
    for path, content in outputs(kb).items():
        assert path.read_text(encoding="utf-8") == content, f"{path.name} is stale: run `bot nlu sync`"


def test_every_annotated_programme_name_is_an_alias_of_that_programme(kb):
    for path in NLU:
        for surface, value in ANNOTATION.findall(path.read_text(encoding="utf-8")):
            assert value in kb.programmes, f"{path.name}: unknown programme {value}"
            aliases = {fold(a) for a in kb.programme(value).aliases}
            assert fold(surface) in aliases, f"{path.name}: '{surface}' is not an alias of {value}"


def test_heldout_never_leaks_into_training(kb):
    training = {fold(text) for _, text in read_training_examples()}
    for path in (ROOT / "tests" / "data" / "heldout").glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            assert fold(row["text"]) not in training, row["text"]
            assert row["intent"] in kb.taxonomy["intents"] and row["programme"] in kb.taxonomy["programmes"]
            assert row["aspect"] in kb.taxonomy["aspects"]


def test_enough_varied_examples_per_taxonomy_intent(kb):
    from collections import Counter

    from bot.triage.taxonomy import map_intent

    counts = Counter(map_intent(intent, kb)[0] for intent, _ in read_training_examples())
    assert sum(counts.values()) >= 1500
    for intent in kb.taxonomy["intents"]:
        assert counts[intent] >= 40, intent


def test_safety_net_does_not_swallow_other_training_examples():
    """A non-emergency training example matched by the net could never be predicted as its own intent."""
    from bot.safety.net import SafetyNet

    net = SafetyNet.from_file(ROOT / "policies" / "emergency.yml")
    caught = [(intent, text) for intent, text in read_training_examples() if intent != "emergency" and net.match(text)]
    assert caught == []
