"""A plain baseline beside the engine: TF-IDF character 1–3-grams + logistic regression.

Exists to tell how much the engine (DIET, lookup tables, safety net, fallback) adds over the simplest
sound classifier trained on the same examples (nlu_data/nlu/*.yml). It trains in seconds in the app venv
and triages like the engine's output: model intent → taxonomy intent + aspect (map_intent), programme
from the situation words only (no entities), low confidence under the engine's fallback threshold, and
a staff alert whenever it says emergency (it has no "check" tier).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Sequence

from bot.knowledge.loader import KnowledgeBase
from bot.text.normalize import clean, has_words
from bot.triage.taxonomy import map_intent, resolve_programme
from nlu_components.char_ngrams import CharNgramModel
from tests.evaluation.metrics import ALERT, EMERGENCY, Prediction
from tests.evaluation.training_data import read_training_examples

LOW_CONFIDENCE_BELOW = 0.55   # the FallbackClassifier threshold in config.yml
PROMPT_INTENTS = {"report_other", "complaint", "seek_help"}   # urgency "normal", as in bot/triage/service.py


@dataclass
class Baseline:
    kb: KnowledgeBase
    max_chars: int = 500
    n_train: int = 0
    train_s: float = 0.0
    model: CharNgramModel = field(init=False, repr=False)

    def train(self, examples: Sequence[tuple[str, str]] | None = None) -> "Baseline":
        examples = list(examples if examples is not None else read_training_examples())
        started = time.perf_counter()
        self.model = CharNgramModel.fit([text for _, text in examples], [intent for intent, _ in examples])
        self.n_train, self.train_s = len(examples), time.perf_counter() - started
        return self

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        cleaned = [clean(text)[: self.max_chars] for text in texts]
        readable = [i for i, text in enumerate(cleaned) if has_words(text)]
        out = [Prediction("out_of_scope", "none", "none", "low", True, 0.0)] * len(cleaned)
        if not readable:
            return out
        for i, probabilities in zip(readable, self.model.probabilities_many([cleaned[i] for i in readable])):
            model_intent = max(probabilities, key=probabilities.get)
            confidence = probabilities[model_intent]
            intent, aspect = map_intent(model_intent, self.kb)
            urgency = ALERT if intent == EMERGENCY else "normal" if intent in PROMPT_INTENTS else "low"
            out[i] = Prediction(intent, resolve_programme(intent, [], cleaned[i], self.kb), aspect, urgency,
                                confidence < LOW_CONFIDENCE_BELOW, round(confidence, 4))
        return out
