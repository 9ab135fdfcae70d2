"""Deterministic rules that run after the model and win over it.

- the emergency safety net (`bot.safety.net`, patterns in policies/emergency.yml);
- a bare menu number ("2", "第三个") is `choose_option`, which the model cannot learn reliably.

The parse result carries `rule_override` so every surface can show why the intent was chosen.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # the engine runs from the project root; be explicit anyway
    sys.path.insert(0, str(ROOT))

from bot.safety.net import SafetyNet  # noqa: E402
from bot.text.numbers import parse_choice  # noqa: E402


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class RuleOverrides(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"emergency_patterns": "policies/emergency.yml"}

    def __init__(self, config: Dict[Text, Any]) -> None:
        path = Path(config["emergency_patterns"])
        self.net = SafetyNet.from_file(path if path.is_absolute() else ROOT / path)

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "RuleOverrides":
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            category = self.net.match(text)
            if category is not None:
                self._override(message, "emergency", f"safety_net:{category.name}")
            elif parse_choice(text) is not None:
                self._override(message, "choose_option", "menu_number")
        return messages

    @staticmethod
    def _override(message: Message, intent: Text, reason: Text) -> None:
        ranking: List[Dict[Text, Any]] = [
            r for r in (message.get(INTENT_RANKING_KEY) or []) if r.get("name") != intent
        ]
        message.set(INTENT, {"name": intent, "confidence": 1.0}, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": 1.0}] + ranking, add_to_output=True)
        message.set("rule_override", reason, add_to_output=True)

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        if not config.get("emergency_patterns"):
            raise ValueError("RuleOverrides needs emergency_patterns")

