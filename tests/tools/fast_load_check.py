"""FastLoadDIETClassifier must predict what Rasa's own loading of the same model predicts.

Runs in .venv-rasa:  .venv-rasa/bin/python -m tests.tools.fast_load_check MODEL TEXTS.json
Prints one JSON line: {"same": bool, "fast_load_s": …, "standard_load_s": …}.
"""
from __future__ import annotations

import asyncio
import json
import sys
import time

from rasa.core.agent import Agent
from rasa.nlu.classifiers.diet_classifier import DIET

from nlu_components.diet import FastLoadDIETClassifier


def parse_all(model: str, texts: list[str]) -> tuple[float, list]:
    started = time.monotonic()
    agent = Agent.load(model)
    elapsed = time.monotonic() - started

    async def run() -> list:
        out = []
        for text in texts:
            result = await agent.parse_message(text)
            out.append((result["intent"]["name"], round(result["intent"]["confidence"], 4),
                        sorted(e["value"] for e in result["entities"])))
        return out

    return elapsed, asyncio.run(run())


def main(model: str, texts_path: str) -> int:
    texts = json.loads(open(texts_path, encoding="utf-8").read())
    fast_s, fast = parse_all(model, texts)
    FastLoadDIETClassifier.model_class = staticmethod(lambda: DIET)  # Rasa's own loading
    standard_s, standard = parse_all(model, texts)
    # intents and entities must match exactly; confidences may differ in the last float digits
    differ = [(t, f, s) for t, f, s in zip(texts, fast, standard) if (f[0], f[2]) != (s[0], s[2])]
    delta = max(abs(f[1] - s[1]) for f, s in zip(fast, standard))
    print(json.dumps({"same": not differ and delta <= 0.005, "max_confidence_delta": delta, "fast_load_s": round(fast_s, 1), "standard_load_s": round(standard_s, 1),
                      "n": len(texts), "differ": differ[:10]}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
