"""Numbered menus: residents answer with a number. The `menu` slot says which one is open.

Encoding of the slot: "programme" (all), "programme:linshi,yiliao" (a subset), "aspect", "next",
"welcome" (what a new WeChat follower is shown).
"""
from __future__ import annotations

from bot.knowledge.answers import ASPECT_LABELS
from bot.knowledge.loader import KnowledgeBase

ASPECT_ORDER = ["eligibility", "materials", "process", "amount"]
NEXT_OPTIONS = ["apply", "other", "human"]
NEXT_LABELS = {"apply": "我想申请", "other": "问别的救助", "human": "找工作人员"}
WELCOME_OPTIONS = ["policy", "apply", "status", "human"]
WELCOME_LABELS = {"policy": "问救助政策（低保、特困、临时救助……）", "apply": "看看家里能申请什么救助，帮您转给乡镇",
                  "status": "查申请办到哪一步", "human": "找工作人员"}


def programme_options(menu: str, kb: KnowledgeBase) -> list[str]:
    _, _, subset = menu.partition(":")
    return [p for p in subset.split(",") if p in kb.programmes] if subset else kb.programme_order


def options(menu: str | None, kb: KnowledgeBase) -> list[str]:
    if not menu:
        return []
    if menu.startswith("programme"):
        return programme_options(menu, kb)
    return {"aspect": ASPECT_ORDER, "next": NEXT_OPTIONS, "welcome": WELCOME_OPTIONS}.get(menu, [])


def render(menu: str, kb: KnowledgeBase, programme: str | None = None) -> str:
    if menu.startswith("programme"):
        labels = [kb.programme(p).short_name for p in programme_options(menu, kb)]
        head = "您问的是哪一项？回复数字就行："
    elif menu == "aspect":
        labels = [ASPECT_LABELS[a] for a in ASPECT_ORDER]
        name = kb.programme(programme).short_name if programme in kb.programmes else "这项救助"
        head = f"您想了解{name}的哪方面？回复数字就行："
    elif menu == "welcome":
        labels = [WELCOME_LABELS[o] for o in WELCOME_OPTIONS]
        head = "您好！我是双辽市民政局的救助小助手，可以帮您："
        return head + "\n" + "\n".join(f"{n} {label}" for n, label in enumerate(labels, 1)) + \
            "\n回复数字，或者直接打字说；底部菜单也能用。"
    else:
        labels = [NEXT_LABELS[o] for o in NEXT_OPTIONS]
        head = "还需要什么？回复数字就行："
    return head + "\n" + "\n".join(f"{n} {label}" for n, label in enumerate(labels, 1))
