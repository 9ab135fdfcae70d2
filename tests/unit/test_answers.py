"""Answers are composed from the knowledge base, carry their source, and fit a phone screen
(the limits over every answer are measured in test_phone_sized.py)."""
from bot.knowledge.answers import (CONFIRM_WHERE, aspect_answer, faq_answer, pack, qualifier, render, render_figure,
                                   source_line, source_lines, split_for_phone, summary_answer)
from bot.knowledge.schema import ASPECTS, Figure, SourceRef


def _figure(**update) -> Figure:
    figure = Figure(label="x", value=560, unit="元/人/月", year=2024, verified=False, sources=[SourceRef(doc="d")])
    return figure.model_copy(update=update)


def test_every_answer_starts_with_its_head_and_ends_with_its_source(kb):
    for name in kb.programmes:
        short = kb.programme(name).short_name
        for bubbles in [aspect_answer(kb, name, a) for a in ASPECTS] + [summary_answer(kb, name)]:
            assert bubbles[0].startswith(f"【{short}") and bubbles[-1].split("\n")[-1].startswith("依据：")
        for faq in kb.programme(name).faq:
            assert faq_answer(kb, name, faq)[0].startswith(f"【{short}·常见问题】")


def test_no_unrendered_figure_reference_reaches_a_resident(kb):
    for name in kb.programmes:
        for aspect in ASPECTS:
            assert "{" not in "".join(aspect_answer(kb, name, aspect))


def test_a_unit_is_said_once_in_plain_words():
    assert render_figure(_figure(verified=True)) == "每人每月560元"
    assert render_figure(_figure(verified=True, value=1.3, unit="倍")) == "1.3倍"
    assert render_figure(_figure(verified=True, value=30, unit="%")) == "30%"


def test_unverified_figure_says_its_year_and_where_to_confirm():
    assert render_figure(_figure()) == f"每人每月560元（2024年参考标准，{CONFIRM_WHERE}）"


def test_the_qualifier_is_said_once_with_every_year_in_it():
    assert qualifier([_figure(), _figure(value=30)]) == f"（2024年参考标准，{CONFIRM_WHERE}）"
    assert qualifier([_figure(), _figure(year=2022)]) == f"（以上是2024、2022年参考标准，{CONFIRM_WHERE}）"
    assert qualifier([_figure(verified=True)]) == ""


def test_the_qualifier_follows_the_last_reference_figure_of_an_answer(kb):
    tekun = kb.programme("tekun")
    text = render("分别不低于{tekun_care_full}、{tekun_care_half}、{tekun_care_self}。双辽具体多少请问窗口。", tekun)
    assert text == f"分别不低于30%、20%、10%（2022年参考标准，{CONFIRM_WHERE}）。双辽具体多少请问窗口。"
    amount = "\n".join(aspect_answer(kb, "tekun", "amount"))
    assert amount.count(CONFIRM_WHERE) == 1 and "10%（2022年参考标准" in amount and "2024" not in amount


def test_split_for_phone_keeps_everything_and_respects_the_limit():
    long_line = "这是一句很长的话。" * 40
    messages = ["第一行\n" + long_line, "短的"]
    parts = split_for_phone(messages, 100)
    assert all(len(p) <= 100 for p in parts)
    assert "".join(parts).replace("\n", "") == "".join(messages).replace("\n", "")
    assert parts[-1] == "短的"


def test_pack_keeps_lines_whole_unless_that_costs_a_bubble():
    lines = ["甲" * 39 + "。", "乙" * 29 + "。" + "丙" * 29 + "。"]
    assert pack(lines, 100) == lines  # whole lines: two bubbles either way
    lines.append("丁" * 59 + "。")  # whole lines would take three bubbles: the second line is cut
    assert pack(lines, 100) == [lines[0] + "\n" + "乙" * 29 + "。", "丙" * 29 + "。\n" + lines[2]]


def test_pack_cuts_a_line_longer_than_a_bubble_after_a_sentence():
    bubbles = pack(["这是一句话。" * 30], 100)
    assert all(len(b) <= 100 and b.endswith("。") for b in bubbles) and "".join(bubbles) == "这是一句话。" * 30


def test_source_line_groups_articles_and_stays_short(kb):
    refs = [SourceRef(doc="最低生活保障审核确认办法", article=a) for a in ("第十五条", "第十六条", "第十五条", "第十七条")]
    refs.append(SourceRef(doc="社会救助暂行办法", article="第九条"))
    assert source_line(refs, kb) == "依据：《最低生活保障审核确认办法》第十五条、第十六条等；《社会救助暂行办法》第九条"
    assert source_lines(refs, kb)[-1] == "依据：《最低生活保障审核确认办法》等"


def test_a_figures_document_comes_first_and_a_number_names_it(kb):
    refs = [SourceRef(doc="最低生活保障审核确认办法", article="第二十三条"), SourceRef(doc="吉民发〔2022〕15号（第三方转载）")]
    assert source_line(refs, kb, first=["吉民发〔2022〕15号（第三方转载）"]) == \
        "依据：吉民发〔2022〕15号（参考）；《最低生活保障审核确认办法》第二十三条"
