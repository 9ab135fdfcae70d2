"""The official account's menu file: WeChat's limits, and every click reaching a real intent."""
import pytest
import yaml

from bot.channels.wechat import menu
from bot.settings import ROOT


def test_the_menu_file_fits_wechat_and_maps_every_key_to_a_domain_intent():
    loaded = menu.load()
    intents = set()
    for path in (ROOT / "domain").glob("*.yml"):
        intents |= set(yaml.safe_load(path.read_text(encoding="utf-8")).get("intents") or [])
    assert menu.click_intents(loaded) == {"POLICY": "ask_policy", "APPLY": "seek_help", "STATUS": "check_status",
                                          "HUMAN": "request_human"}
    assert set(menu.click_intents(loaded).values()) <= intents


def test_the_wechat_format_has_click_buttons_and_no_private_fields():
    wechat = menu.for_wechat(menu.load())
    items = [s for b in wechat["button"] for s in b.get("sub_button", [b])]
    assert all(i["type"] == "click" and set(i) == {"type", "name", "key"} for i in items)


@pytest.mark.parametrize("bad", [
    {"button": []},
    {"button": [{"name": "太长的按钮名字", "key": "A", "intent": "greet"}]},
    {"button": [{"name": "办事", "sub_button": [{"name": f"项{n}", "key": f"K{n}", "intent": "greet"} for n in range(6)]}]},
    {"button": [{"name": "问问", "key": "A"}]},
])
def test_a_menu_wechat_would_refuse_is_refused_here(tmp_path, bad):
    path = tmp_path / "menu.yml"
    path.write_text(yaml.safe_dump(bad, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError):
        menu.load(path)
