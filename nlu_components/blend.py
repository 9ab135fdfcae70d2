"""A second opinion on the intent: character n-gram logistic regression, blended with DIET.

DIET on this data is over-confident on words it has never seen in context: "今晚零下多少度" came out
as an emergency at 0.99, "扎风筝需要啥材料" as a materials question. A linear model over character
1–3-grams, trained on the same examples, is better calibrated and wrong in different places.
Blending the two distributions (weight `weight` on the second opinion) keeps DIET's accuracy where
both agree and lowers the confidence where they disagree, so the FallbackClassifier and the danger
tiers (bot/safety/tiers.py) see honest numbers. Chosen by measurement: README "Evaluation".

The model itself lives in nlu_components/char_ngrams.py (stored as plain arrays, never pickled).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu_components.char_ngrams import C, CharNgramModel, blend

RANKING_LENGTH = 10


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class BlendedIntentClassifier(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"weight": 0.5, "C": C}

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 model: Optional[CharNgramModel] = None) -> None:
        self.weight = float(config["weight"])
        self.c = float(config["C"])
        self._storage, self._resource, self.model = model_storage, resource, model

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "BlendedIntentClassifier":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(TEXT)]
        self.model = CharNgramModel.fit([m.get(TEXT) for m in examples], [m.get(INTENT) for m in examples], self.c)
        with self._storage.write_to(self._resource) as folder:
            self.model.save(Path(folder))
        return self._resource

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "BlendedIntentClassifier":
        with model_storage.read_from(resource) as folder:
            return cls(config, model_storage, resource, CharNgramModel.read(Path(folder)))

    def process(self, messages: List[Message]) -> List[Message]:
        if self.model is None:
            return messages
        for message in messages:
            text = message.get(TEXT) or ""
            ranking = message.get(INTENT_RANKING_KEY) or []
            if not text or not ranking:
                continue
            mixed = blend(ranking, self.model.probabilities(text), self.weight)[:RANKING_LENGTH]
            message.set(INTENT, dict(mixed[0]), add_to_output=True)
            message.set(INTENT_RANKING_KEY, mixed, add_to_output=True)
        return messages

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        if not 0 <= float(config.get("weight", 0.5)) <= 1:
            raise ValueError("BlendedIntentClassifier weight must be within [0, 1]")
