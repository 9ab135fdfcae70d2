"""Rasa mark-up of entities (bot/staff/review/entities.py) and the story text of a turn (stories.user_text)."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from bot.staff.review.entities import EntityError, add, annotate, effective, remove
from bot.staff.review.stories import user_text


def test_annotate_writes_synonyms_as_json_and_plain_values_in_brackets():
    found = [{"entity": "programme", "value": "dibao", "start": 0, "end": 2},
             {"entity": "programme", "value": "五保", "start": 3, "end": 5}]
    assert annotate("低保和五保咋办", found) == '[低保]{"entity": "programme", "value": "dibao"}和[五保](programme)咋办'


@pytest.mark.parametrize("bad", [{"start": 1, "end": 3}, {"start": 5, "end": 9}, {"start": 2, "end": 2},
                                 {"start": "0", "end": 2}])
def test_entities_that_do_not_fit_the_text_are_left_out(bad):
    first = {"entity": "programme", "value": "dibao", "start": 0, "end": 2}
    assert annotate("低保咋办", [first, {"entity": "programme", "value": "x", **bad}]) == \
        '[低保]{"entity": "programme", "value": "dibao"}咋办'


def test_add_takes_the_next_free_occurrence_and_refuses_overlaps_and_masks():
    text = "低保 还是低保 电话139****5678"
    one = add(text, [], "programme", "低保", "dibao")
    two = add(text, one, "programme", "低保", "dibao")
    assert [(e["start"], e["end"]) for e in two] == [(0, 2), (5, 7)]
    with pytest.raises(EntityError) as taken:
        add(text, two, "programme", "低保", "dibao")
    assert taken.value.code == "taken"
    for span, code in (("139****5678", "masked"), ("保 还", "taken"), ("[低保]", "markup"), ("x" * 41, "long")):
        with pytest.raises(EntityError) as problem:
            add(text, two, "programme", span, "dibao")
        assert problem.value.code == code
    assert remove(two, 0) == [two[1]] and effective([{"entity": "programme", "value": "dibao", "start": 0, "end": 2,
                                                      "extractor": "RegexEntityExtractor"}] * 2, None) == [one[0]]
    assert effective(one, []) == []        # corrected to none: not the model's


def turn(text: str, corrected=None, model=()):
    return SimpleNamespace(text=text, entities=list(model), corrected_entities=corrected)


def test_story_text_is_masked_one_line_and_free_of_stray_markup():
    low = [{"entity": "programme", "value": "dibao", "start": 0, "end": 2}]
    assert user_text(turn("低保\n怎么办", low)) == '[低保]{"entity": "programme", "value": "dibao"} 怎么办'
    assert user_text(turn("低保 电话13912345678", low)) == "低保 电话139****5678"   # masked now: no offsets kept
    assert user_text(turn("[低保](programme)", [])) == "（低保）（programme）"
