"""What the fuzz tests share at import time: the app's OpenAPI document (schemathesis parametrizes from it
while pytest collects) and the ASGI app it calls, a stand-in the session fixture plugs the real app into
(schemathesis' own fixture loader does not run on pytest 9)."""
from __future__ import annotations

import glob
import hashlib
from typing import Any

import schemathesis
import yaml

from bot.engine.client import BotMessage
from bot.safety.net import SafetyNet
from bot.safety.tiers import Thresholds, assess
from bot.settings import ROOT


class AppUnderTest:
    """Forwards HTTP calls to `app`, set by the `fuzz_app` fixture. Lifespan events are answered here:
    schemathesis ends an app's lifespan after every test, the app's lifespan runs once per process (its
    engine client does not reopen), and the fixture prepares the database itself."""

    def __init__(self) -> None:
        self.app: Any = None

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            while (message := await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        if self.app is None:
            raise RuntimeError("use the fuzz_app fixture: no app to call yet")
        await self.app(scope, receive, send)


APP = AppUnderTest()


def domain_intents() -> list[str]:
    names = []
    for path in sorted(glob.glob(str(ROOT / "domain" / "*.yml"))):
        for intent in (yaml.safe_load(open(path, encoding="utf-8")) or {}).get("intents") or []:
            names.append(intent if isinstance(intent, str) else next(iter(intent)))
    return names + ["nlu_fallback"]


class EngineStandIn:
    """Answers as the engine would, without a model, so the fuzzers reach the paths past the engine: an
    intent ranking drawn from the text's hash over the domain's intents, the danger tier the real safety
    net gives it, a form running or not, an answer with buttons. Same constructor as EngineClient."""

    INTENTS = domain_intents()

    def __init__(self, base_url: str, token: str, timeout_s: float):
        self.net = SafetyNet.from_file(ROOT / "policies" / "emergency.yml")

    def _draw(self, text: str) -> bytes:
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()

    async def parse(self, text: str) -> dict[str, Any]:
        draw = self._draw(text)
        names = [self.INTENTS[b % len(self.INTENTS)] for b in draw[:4]]
        ranking = [{"name": name, "confidence": round(draw[8 + i] / 255 / (i + 1), 3)}
                   for i, name in enumerate(dict.fromkeys(names))]
        danger = assess(self.net, text, ranking, Thresholds())
        return {"text": text, "intent": ranking[0], "intent_ranking": ranking, "entities": [],
                "danger": danger.as_dict() if danger else None}

    async def send(self, sender: str, text: str, metadata: dict[str, Any] | None = None) -> list[BotMessage]:
        draw = self._draw(sender + text)
        buttons = [{"title": f"选项{i}", "payload": str(i)} for i in range(draw[0] % 4)]
        return [BotMessage("好的，" + text[:20], buttons)] if draw[1] % 5 else []

    async def command(self, sender: str, payload: str, metadata: dict[str, Any] | None = None) -> list[BotMessage]:
        return await self.send(sender, payload, metadata)

    async def active_loop(self, sender: str) -> str | None:
        return "prescreen_form" if self._draw(sender)[0] % 2 else None

    async def set_slot(self, sender: str, name: str, value: Any) -> None:
        return None

    async def ready(self) -> bool:
        return True

    async def close(self) -> None:
        return None


def load_schema(config: schemathesis.Config | None = None) -> schemathesis.BaseSchema:
    """The OpenAPI of an app built only to describe itself (no database, no lifespan), bound to APP."""
    from bot.app import create_app

    schema = schemathesis.openapi.from_dict(create_app().openapi(), config=config)
    schema.app = APP
    return schema
