"""A numbered question answered by its numbers and chips (bot/forms/choices.py): every menu line and every
chip, sent back, picks what it shows; the edges of the numbering (the last option, one past it, 0) and the
ways residents type a number ("俺就选2", "第三个", "3号")."""
from __future__ import annotations

import importlib

import pytest

from bot.forms.choices import ONE, Choices
from bot.forms.prescreen import ASSET_CHOICES, EVENT_CHOICES, MEMBER_CHOICES, WHEN

# by module name (sys.modules), not `from bot.forms import prescreen`: the package attribute can be an older
# module object than the one holding the Choices class imported above (tests/tools/mutation re-imports)
MENUS = {f"{module.rsplit('.', 1)[-1]}.{name}": choices for module in ("bot.forms.prescreen", "bot.forms.followups")
         for name, choices in vars(importlib.import_module(module)).items() if isinstance(choices, Choices)}


def test_the_menus_are_found():
    assert {"prescreen.ASSET_CHOICES", "prescreen.WHEN"} <= set(MENUS) and len(MENUS) >= 8


def menus(**where):
    return pytest.mark.parametrize("choices", [c for c in MENUS.values()
                                               if all(getattr(c, k) == v for k, v in where.items())],
                                   ids=[n for n, c in MENUS.items() if all(getattr(c, k) == v for k, v in where.items())])


def picks(choices, key):
    """What the form records when this option alone is picked."""
    return [key] if choices.multiple else key


def none(choices):
    return [] if choices.multiple else "none"


@menus()
def test_every_menu_line_sent_back_picks_its_option(choices):
    lines = choices.render().splitlines()
    assert len(lines) == len(choices.options) + choices.none_option
    for line, option in zip(lines, choices.options):
        number, label = line.split(" ", 1)
        assert label == option.label and choices.parse(number, "1").value == picks(choices, option.key)


@menus(none_option=True)
def test_a_menu_with_a_none_line_ends_with_0(choices):
    assert choices.render().splitlines()[-1] == "0 都没有"
    assert choices.parse("0", "1").value == none(choices)


@menus(none_option=False)
def test_a_menu_without_a_none_line_has_no_0_line(choices):
    assert not choices.render().splitlines()[-1].startswith("0 ")


@menus()
def test_every_chip_tapped_picks_its_option(choices):
    chips = choices.chips()
    for chip, option in zip(chips, choices.options):
        assert chip["title"] == option.label and choices.parse(chip["payload"], "1").value == picks(choices, option.key)
        assert chip.get("multi", False) is choices.multiple  # the web chat lets several be ticked only here
    assert len(chips) == len(choices.options) + choices.none_option


@menus(none_option=True)
def test_the_none_chip_says_none(choices):
    chip = choices.chips()[-1]
    assert chip == {"title": "都没有", "payload": "都没有"} and choices.parse(chip["payload"], "1").value == none(choices)


@pytest.mark.parametrize("text,expected", [
    ("俺就选2", "disaster"), ("只选1", "fire"), ("选择3", "accident"), ("回复4", "illness"), ("我选1", "fire"),
    ("俺选1", "fire"), ("就2", "disaster"), ("只5", "house"), ("第三个", "accident"), ("第2项", "disaster"),
    ("3号", "accident"), ("第4条", "illness"), ("五", "house"),
])
def test_a_number_in_words(text, expected):
    assert EVENT_CHOICES.parse(text, "1").value == expected


@pytest.mark.parametrize("text,expected", [("选0", []), ("我选0", []), ("选第二个和第四个", ["house", "business"]),
                                           ("4", ["business"])])
def test_several_numbers_and_0_where_several_may_be_picked(text, expected):
    assert ASSET_CHOICES.parse(text, "1").value == expected


@pytest.mark.parametrize("choices,text", [(ASSET_CHOICES, "1 5"), (ASSET_CHOICES, "5"), (EVENT_CHOICES, "6"),
                                          (ASSET_CHOICES, "1和0"), (MEMBER_CHOICES, "0和3")])
def test_a_number_past_the_menu_or_0_with_an_option_is_asked_again(choices, text):
    parsed = choices.parse(text, "1")
    assert not parsed.ok and choices.render() in parsed.error


@pytest.mark.parametrize("choices,text", [(WHEN, "1 2"), (EVENT_CHOICES, "2 3"), (EVENT_CHOICES, "二和四")])
def test_two_numbers_for_a_one_answer_question_ask_for_one(choices, text):
    parsed = choices.parse(text, "1")
    assert not parsed.ok and parsed.error.startswith(ONE)


def test_the_same_number_twice_is_one_answer():
    assert WHEN.parse("1 1", "1").value == "recent"
