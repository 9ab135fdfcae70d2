"""Numbered menus: residents answer with a number. The `menu` slot says which one is open.

Encoding of the slot: "programme" (all), "programme:linshi,yiliao" (a subset), "aspect", "next".
"""
from __future__ import annotations

from bot.knowledge.answers import ASPECT_LABELS
from bot.knowledge.loader import KnowledgeBase

ASPECT_ORDER = ["eligibility", "materials", "process", "amount"]
NEXT_OPTIONS = ["apply", "other", "human"]
NEXT_LABELS = {"apply": "我想申请", "other": "问别的救助", "human": "找工作人员"}


def programme_options(menu: str, kb: KnowledgeBase) -> list[str]:
    _, _, subset = menu.partition(":")
    return [p for p in subset.split(",") if p in kb.programmes] if subset else kb.programme_order


def options(menu: str | None, kb: KnowledgeBase) -> list[str]:
    if not menu:
        return []
    if menu.startswith("programme"):
        return programme_options(menu, kb)
    return {"aspect": ASPECT_ORDER, "next": NEXT_OPTIONS}.get(menu, [])


def render(menu: str, kb: KnowledgeBase, programme: str | None = None) -> str:
    if menu.startswith("programme"):
        labels = [kb.programme(p).short_name for p in programme_options(menu, kb)]
        head = "您问的是哪一项？回复数字就行："
    elif menu == "aspect":
        labels = [ASPECT_LABELS[a] for a in ASPECT_ORDER]
        name = kb.programme(programme).short_name if programme in kb.programmes else "这项救助"
        head = f"您想了解{name}的哪方面？回复数字就行："
    else:
        labels = [NEXT_LABELS[o] for o in NEXT_OPTIONS]
        head = "还需要什么？回复数字就行："
    return head + "\n" + "\n".join(f"{n} {label}" for n, label in enumerate(labels, 1))
