import pytest
"""Policy answers, numbered menus and the clarification step, as the action server receives them."""
from bot.replies.context import Slots, TurnContext
from bot.replies.service import Replies


def replies(kb):
    return Replies(kb, chunk_chars=160)


def ctx(intent=None, text="", entity=None, **slots):
    return TurnContext(sender="s1", text=text, intent=intent, programme_entity=entity, slots=Slots(**slots))


def test_question_with_programme_and_aspect_gets_answer_source_and_way_on(kb):
    reply = replies(kb).answer(ctx("ask_materials", "低保要啥材料", entity="dibao"))
    text = "\n".join(reply.messages)
    assert "【低保·要带的材料】" in text and "依据：《" in text
    assert reply.slots == {"programme": "dibao", "aspect": "materials", "menu": "next"}
    assert "1 我想申请" in reply.messages[-1]


def test_missing_programme_gets_numbered_menu_and_the_number_works(kb):
    r = replies(kb)
    menu = r.answer(ctx("ask_amount", "一个月给多少钱"))
    assert menu.slots["menu"] == "programme" and "1 低保" in menu.messages[-1]
    picked = r.choose(ctx("choose_option", "1", **menu.slots), lambda kind: [])
    assert "【低保·能领多少】" in picked.messages[0]


def test_programme_without_aspect_gets_summary_and_aspect_menu(kb):
    r = replies(kb)
    reply = r.answer(ctx("ask_policy", "特困", entity="tekun"))
    assert reply.slots["menu"] == "aspect"
    chosen = r.choose(ctx("choose_option", "第二个", **reply.slots), lambda kind: [])
    assert "【特困" in chosen.messages[0] and "要带的材料" in chosen.messages[0]


def test_earlier_programme_carries_over_to_the_next_question(kb):
    reply = replies(kb).answer(ctx("ask_process", "那去哪办", programme="linshi"))
    assert reply.slots["programme"] == "linshi" and "【临时" in reply.messages[0]


def test_out_of_range_number_repeats_the_menu(kb):
    reply = replies(kb).choose(ctx("choose_option", "15", menu="aspect", programme="dibao"), lambda kind: [])
    assert "1 到 4" in reply.messages[0] and reply.slots["menu"] == "aspect"


def test_number_without_menu_asks_for_the_question(kb):
    reply = replies(kb).choose(ctx("choose_option", "3"), lambda kind: [])
    assert "想问什么" in reply.messages[0]


def test_next_menu_human_raises_a_handoff(kb):
    raised = []
    reply = replies(kb).choose(ctx("choose_option", "3", menu="next", programme="dibao"),
                               lambda kind: raised.append(kind) or ["已转人工"])
    assert raised == ["handoff"] and reply.messages == ["已转人工"]


@pytest.mark.parametrize("text", ["俺家能不能办低保", "我这情况够不够格", "我家符合低保条件吗"])
def test_asking_about_own_case_starts_the_prescreen(kb, text):
    reply = replies(kb).answer(ctx("ask_eligibility", text, entity="dibao"))
    assert reply.followup == "prescreen_form" and reply.slots["programme"] == "dibao"


def test_asking_about_the_rules_gets_the_rules(kb):
    reply = replies(kb).answer(ctx("ask_eligibility", "低保要什么条件", entity="dibao"))
    assert reply.followup is None and "【低保·申请条件】" in reply.messages[0]


def test_apply_from_the_next_step_menu_starts_the_prescreen(kb):
    reply = replies(kb).choose(ctx("choose_option", "1", menu="next", programme="linshi"), lambda kind: [])
    assert reply.followup == "prescreen_form"


def test_clarify_names_the_guess_in_plain_words(kb):
    c = ctx("nlu_fallback", "低保那个咋整", entity="dibao")
    c.top_intent = "ask_process"
    reply = replies(kb).clarify(c)
    assert "低保的怎么办" in reply.messages[0]
    # Rasa's two-stage fallback: "yes" replays the guess with its entity, "no" is out_of_scope
    assert [(b.title, b.payload) for b in reply.buttons] == [
        ("是", '/ask_process{"programme": "dibao"}'), ("不是", "/out_of_scope")]


def test_every_message_fits_the_phone_limit(kb):
    r = replies(kb)
    for name in kb.programmes:
        for intent in ("ask_eligibility", "ask_materials", "ask_process", "ask_amount", "ask_policy"):
            assert all(len(m) <= 160 for m in r.answer(ctx(intent, entity=name)).messages)


@pytest.mark.parametrize("text", ["我想申请低保", "俺要办个临时救助", "帮我申请医疗救助"])
def test_wanting_to_apply_starts_the_prescreen(kb, text):
    assert replies(kb).answer(ctx("ask_process", text)).followup == "prescreen_form"


def test_a_materials_question_is_answered_even_when_they_want_to_apply(kb):
    reply = replies(kb).answer(ctx("ask_materials", "我想申请低保，要带什么材料", entity="dibao"))
    assert reply.followup is None and "【低保·要带的材料】" in reply.messages[0]


def test_the_prescreen_opening_reads_well_without_a_programme(kb):
    assert replies(kb).prescreen(None).messages == ["能申请哪些救助，要看您家的具体情况。"]
    assert replies(kb).prescreen("dibao").messages == ["低保能不能办，要看您家的具体情况。"]


@pytest.mark.parametrize("intent,text,entity,programme,words", [
    ("complaint", "俺低保咋停了也没人跟俺唠", "dibao", "dibao", "减发、停发都应当告诉您"),
    ("ask_eligibility", "有车有楼能吃低保不", "dibao", "dibao", "房子、车、存款都算家庭财产"),
    ("seek_help", "俺老头瘫炕上了 有啥补助没", None, "canji", "常见问题"),
    ("ask_process", "申请被拒了咋整", "dibao", "dibao", "书面告诉您理由"),
])
def test_a_question_the_knowledge_base_answers_gets_that_faq(kb, intent, text, entity, programme, words):
    reply = replies(kb).answer(ctx(intent, text, entity=entity))
    assert reply.followup is None and reply.slots["programme"] == programme
    assert words in "".join(reply.messages) and reply.messages[-2].split("\n")[-1].startswith("依据：")
    assert "1 我想申请" in reply.messages[-1]


@pytest.mark.parametrize("text", ["低保要啥材料", "低保怎么申请", "低保每月给多少", "俺家三口人 想申请低保"])
def test_general_questions_do_not_match_an_faq(kb, text):
    from bot.knowledge.faq import FaqIndex

    assert FaqIndex(kb).find(text, "dibao") is None


def test_a_short_faq_needs_its_programme_named(kb):
    from bot.knowledge.faq import FaqIndex

    assert FaqIndex(kb).find("每月给多少", None) is None
    assert FaqIndex(kb).find("残疾人补贴每月给多少", "canji").programme == "canji"


def test_every_faq_finds_itself(kb):
    from bot.knowledge.faq import FaqIndex

    index = FaqIndex(kb)
    for name, programme in kb.programmes.items():
        for faq in programme.faq:
            found = index.find(faq.q, name)
            assert found is not None and found.faq == faq, faq.q


def test_the_programme_asked_about_wins_over_the_households_status(kb):
    reply = replies(kb).answer(ctx("ask_amount", "低保户住院自己得掏多少钱", entity="dibao"))
    assert reply.slots["programme"] == "yiliao" and "【医疗救助·" in reply.messages[0]


@pytest.mark.parametrize("text,guess", [
    ("我弟弟精神残疾 一个人过 想给他申请低保", "ask_eligibility"),     # applying for someone else
    ("媳妇得癌了 治病钱都是借的 能申请救助吗", "seek_help"),           # own hardship, assistance named
    ("家里失火了可以申请救助款吗", "ask_eligibility"),                # own case, assistance named
    ("我在街上碰着个老头 没地方住 能帮他申请救助吗", "report_other"),
    ("帮我爸问的 他八十了 自己住在村里", "report_other"),
    ("俺们屯有个老太太 瘫炕上了 没人管 能给她整个五保不", "report_other"),
])
def test_an_unsure_reading_of_a_wish_for_help_starts_the_prescreen(kb, text, guess):
    c = ctx("nlu_fallback", text)
    c.top_intent = guess
    reply = replies(kb).clarify(c)
    assert reply.followup == "prescreen_form" and not reply.buttons


@pytest.mark.parametrize("text,guess", [("我家狗丢了能给点钱吗", "seek_help"), ("信用卡咋申请", "ask_process"),
                                        ("给他整点吃的", "seek_help"),
                                        ("补助", "out_of_scope"), ("低保那个咋整", "ask_process")])
def test_an_unsure_reading_without_a_wish_for_help_is_still_asked_about(kb, text, guess):
    c = ctx("nlu_fallback", text)
    c.top_intent = guess
    assert replies(kb).clarify(c).followup is None
