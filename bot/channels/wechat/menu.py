"""The bottom menu: read menu.yml, check it against WeChat's limits, map CLICK keys to intents."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

MENU_FILE = Path(__file__).resolve().parent / "menu.yml"


def load(path: Path = MENU_FILE) -> dict[str, Any]:
    menu = yaml.safe_load(path.read_text(encoding="utf-8"))
    buttons = menu["button"]
    if not 1 <= len(buttons) <= 3:
        raise ValueError("a WeChat menu has 1 to 3 buttons")
    for button in buttons:
        subs = button.get("sub_button") or []
        if len(subs) > 5 or len(button["name"]) > 4:
            raise ValueError(f"menu button {button['name']}: at most 5 sub-buttons and 4 characters")
        for item in subs or [button]:
            if not item.get("key") or not item.get("intent") or len(item["name"]) > 8:
                raise ValueError(f"menu item {item['name']}: needs key and intent, at most 8 characters")
    return menu


def click_intents(menu: dict[str, Any]) -> dict[str, str]:
    """CLICK key → the intent sent to the engine."""
    items = [sub for b in menu["button"] for sub in (b.get("sub_button") or [b])]
    return {item["key"]: item["intent"] for item in items}


def for_wechat(menu: dict[str, Any]) -> dict[str, Any]:
    """The menu in WeChat's menu/create format (type click, our intents stripped)."""
    def button(item: dict[str, Any]) -> dict[str, Any]:
        if item.get("sub_button"):
            return {"name": item["name"], "sub_button": [button(s) for s in item["sub_button"]]}
        return {"type": "click", "name": item["name"], "key": item["key"]}
    return {"button": [button(b) for b in menu["button"]]}


def render_text(menu: dict[str, Any]) -> str:
    lines = []
    for b in menu["button"]:
        if b.get("sub_button"):
            lines.append(b["name"])
            lines += [f"  └ {s['name']}  (CLICK {s['key']} → {s['intent']})" for s in b["sub_button"]]
        else:
            lines.append(f"{b['name']}  (CLICK {b['key']} → {b['intent']})")
    return "\n".join(lines)
