"""Read the Rasa NLU training files (nlu_data/nlu/*.yml) as plain (model intent, text) examples.

Exists so the baseline can train on exactly the examples the engine trains on, without importing Rasa
(the app venv has no Rasa): entity annotations are stripped to the text a resident would type.
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot.settings import ROOT

NLU_DIR = ROOT / "nlu_data" / "nlu"

# [低保]{"entity": "programme", "value": "dibao"}  /  [低保](programme)  /  [低保](programme:dibao)
_ENTITY = re.compile(r"\[([^\]\n]+)\](?:\{[^}\n]*\}|\([^)\n]*\))")


def strip_entities(text: str) -> str:
    """The example as typed: each `[span]{...}` or `[span](...)` annotation becomes `span`."""
    return _ENTITY.sub(r"\1", text)


def _example_lines(examples) -> list[str]:
    """Rasa allows a `|` block of `- text` lines, or a list of {text: ..., metadata: ...}."""
    if isinstance(examples, str):
        out = []
        for line in examples.splitlines():
            line = line.strip()
            if line.startswith("- "):
                out.append(line[2:].strip())
        return out
    if isinstance(examples, list):
        return [str(item.get("text", "")).strip() if isinstance(item, dict) else str(item).strip()
                for item in examples]
    return []


def parse_nlu_yaml(source: str) -> list[tuple[str, str]]:
    """(model intent, plain text) for every intent example of one NLU file; other blocks are skipped."""
    data = yaml.safe_load(source) or {}
    pairs = []
    for block in data.get("nlu") or []:
        if not isinstance(block, dict) or "intent" not in block:
            continue  # synonym, regex, lookup blocks are not examples
        for line in _example_lines(block.get("examples")):
            text = strip_entities(line).strip()
            if text:
                pairs.append((str(block["intent"]), text))
    return pairs


def read_training_examples(nlu_dir: Path = NLU_DIR) -> list[tuple[str, str]]:
    pairs = []
    for path in sorted(nlu_dir.glob("*.yml")):
        pairs += parse_nlu_yaml(path.read_text(encoding="utf-8"))
    return pairs
