"""Deterministic rules that run after the model and win over it.

- danger (`bot.safety.tiers`): confirmed danger is `emergency` whatever the model said; uncertain
  danger is reported as `danger: {"tier": "check"}` while the intent stays the model's best other
  guess, because the app asks the resident first and replays the message with the answer in its
  metadata (`danger: confirmed | denied`);
- a bare menu number ("2", "第三个") is `choose_option`, which the model cannot learn reliably.

The parse result carries `rule_override` and `danger` so every surface can show why.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, METADATA, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.safety.net import SafetyNet
from bot.safety.tiers import CONFIRMED, EMERGENCY, FALLBACK, Thresholds, assess
from bot.text.numbers import parse_choice
from nlu_components import ROOT


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class RuleOverrides(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"emergency_patterns": "policies/emergency.yml", "alert_confidence": 0.9,
                "check_confidence": 0.3, "fallback_threshold": 0.55}

    def __init__(self, config: Dict[Text, Any]) -> None:
        path = Path(config["emergency_patterns"])
        self.net = SafetyNet.from_file(path if path.is_absolute() else ROOT / path)
        self.thresholds = Thresholds(alert=float(config["alert_confidence"]),
                                     check=float(config["check_confidence"]))
        self.fallback_threshold = float(config["fallback_threshold"])

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
            said = (message.get(METADATA) or {}).get("danger")
            danger = assess(self.net, text, message.get(INTENT_RANKING_KEY) or [], self.thresholds, said)
            if danger is not None:
                message.set("danger", danger.as_dict(), add_to_output=True)
            if danger is not None and danger.tier == CONFIRMED:
                self._override(message, EMERGENCY, danger.reason)
            elif parse_choice(text) is not None:
                self._override(message, "choose_option", "menu_number")
            else:
                self._demote_emergency(message)
        return messages

    def _demote_emergency(self, message: Message) -> None:
        """Not confirmed danger: the model's best other guess decides (the app has asked or will ask)."""
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != EMERGENCY]
        if (message.get(INTENT) or {}).get("name") != EMERGENCY:
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
            return
        real = [r for r in ranking if r.get("name") != FALLBACK]
        best = real[0] if real else {"name": "out_of_scope", "confidence": 0.0}
        if float(best.get("confidence") or 0.0) < self.fallback_threshold:
            best = {"name": FALLBACK, "confidence": self.fallback_threshold}
            ranking = [best] + real
        message.set(INTENT, dict(best), add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)

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
        if not 0 < float(config.get("check_confidence", 0.3)) <= float(config.get("alert_confidence", 0.9)) <= 1:
            raise ValueError("RuleOverrides needs 0 < check_confidence <= alert_confidence <= 1")

