"""Turn the model's reading of a message into the resident's answer (policy, menus, clarification)."""
from __future__ import annotations

import json
import re
from typing import Callable

from bot.knowledge.answers import ASPECT_LABELS, aspect_answer, faq_answer, split_for_phone, summary_answer
from bot.knowledge.faq import FaqIndex
from bot.knowledge.loader import KnowledgeBase
from bot.replies import menus
from bot.replies.context import Button, Reply, TurnContext
from bot.text.numbers import parse_choice
from bot.triage.taxonomy import beyond_status, map_intent, named_programme

# A question about the resident's own case ("俺家能不能办", "我够不够格") rather than the rules in general,
# or the wish to apply ("我想申请低保", "帮我办个低保"): only their own answers can tell, so pre-screen.
ASKS_ABOUT_OWN_CASE = re.compile(r"(我|俺|咱|家).*(能不能|能办|可以办|能申请|可以申请|能吃|能整|能评|够不够|够格|够条件|符合|有资格"
                                 r"|有没有资格)")
# Words of social assistance: an unsure reading that has them and asks for help is not asked about again.
ASSISTANCE = re.compile(r"救助|补助|救济|低保|五保|特困|帮扶|补贴|困难户")
# Applying for someone else ("能帮他申请救助吗", "想帮辖区一户困难家庭咨询一下救助"): a pre-screen for them, not a report.
FOR_SOMEONE_ELSE = re.compile(r"(?:帮|替|给)(?:他|她|他们|人家|这|那|一户|辖区|邻居|老人|(?:俺们|我们|咱们?)[村屯组]|村里|我[爸妈奶爷姥]|俺[爸妈奶爷姥娘爹]"
                              r"|我弟|我哥|我姐|我妹|俺弟|俺哥|俺姐|俺妹)[^，。？?]{0,10}"
                              r"(?:申请|问问|问一下|问的|咨询|办|(?:整|弄|报)个?(?:低保|五保|特困|救助|补助|补贴))")
WANTS_TO_APPLY = re.compile(r"(我|俺|咱|咱家|我家|俺家)(想|要|打算|准备)(申请|办|报|申报)|帮(我|俺)(申请|办|报)|"
                            + FOR_SOMEONE_ELSE.pattern)

RaiseAlert = Callable[[str], list[str]]  # alert kind → messages for the resident

INTENT_LABELS = {
    "seek_help": "家里遇到难处，想申请帮助",
    "check_status": "查申请办到哪一步了",
    "report_other": "反映别人家的困难，请人上门看看",
    "request_human": "找工作人员",
    "complaint": "投诉、反映问题",
    "greet": "打个招呼",
    "goodbye": "先聊到这儿",
    "thanks": "道谢",
    "affirm": "同意",
    "deny": "不同意",
    "bot_challenge": "问我是不是真人",
    "out_of_scope": "问和救助无关的事",
}


class Replies:
    def __init__(self, kb: KnowledgeBase, chunk_chars: int):
        self.kb = kb
        self.chunk_chars = chunk_chars
        self.faqs = FaqIndex(kb)

    def _reply(self, messages: list[str], **slots: str | None) -> Reply:
        return Reply(messages=split_for_phone(messages, self.chunk_chars), slots=slots)

    def programme(self, ctx: TurnContext) -> str | None:
        entity = [{"entity": "programme", "value": ctx.programme_entity}] if ctx.programme_entity else []
        named = named_programme(entity, ctx.text, self.kb)
        return beyond_status(named, ctx.text, self.kb) or named or (
            ctx.slots.programme if ctx.slots.programme in self.kb.programmes else None
        )

    # -- a policy question or a hardship told in own words -------------------------------------
    def answer(self, ctx: TurnContext) -> Reply:
        _, aspect = map_intent(ctx.intent, self.kb)
        programme = self.programme(ctx)
        faq = self.faqs.find(ctx.text, programme)
        if faq is not None:  # the knowledge base answers exactly this question
            return self._reply(faq_answer(self.kb, faq.programme, faq.faq, self.chunk_chars) +
                               [menus.render("next", self.kb)],
                               programme=faq.programme, aspect=None, menu="next")
        if (ctx.intent == "seek_help"
                or (aspect in ("process", "none") and WANTS_TO_APPLY.search(ctx.text))
                or (aspect == "eligibility" and ASKS_ABOUT_OWN_CASE.search(ctx.text))):
            # "俺家能不能办低保": only their own answers can tell, so start the pre-screen
            return self.prescreen(programme)
        return self.policy(programme, None if aspect == "none" else aspect)

    def prescreen(self, programme: str | None) -> Reply:
        asked = f"{self.kb.programme(programme).short_name}能不能办" if programme else "能申请哪些救助"
        return Reply(messages=[f"{asked}，要看您家的具体情况。"], followup="prescreen_form",
                     slots={"programme": programme, "aspect": None, "menu": None})

    def policy(self, programme: str | None, aspect: str | None) -> Reply:
        if programme is None:
            intro = f"您想问{ASPECT_LABELS[aspect]}，" if aspect else ""
            return self._reply([intro + menus.render("programme", self.kb)], programme=None, aspect=aspect,
                               menu="programme")
        if aspect is None:
            return self._reply(summary_answer(self.kb, programme, self.chunk_chars) +
                               [menus.render("aspect", self.kb, programme)],
                               programme=programme, aspect=None, menu="aspect")
        return self._reply(aspect_answer(self.kb, programme, aspect, self.chunk_chars) +
                           [menus.render("next", self.kb)],
                           programme=programme, aspect=aspect, menu="next")

    # -- a bare number answering the last menu --------------------------------------------------
    def choose(self, ctx: TurnContext, raise_alert: RaiseAlert) -> Reply:
        menu = ctx.slots.menu
        choices = menus.options(menu, self.kb)
        number = parse_choice(ctx.text)
        if not choices or number is None or not 1 <= number <= len(choices):
            if not choices:
                return self._reply(["请直接告诉我您想问什么，比如“低保要什么条件”。"])
            return self._reply([f"请回复 1 到 {len(choices)} 之间的数字。\n" +
                                menus.render(menu, self.kb, ctx.slots.programme)],
                               menu=menu)
        picked = choices[number - 1]
        if menu == "welcome":
            return self._welcome_choice(picked, ctx, raise_alert)
        if menu.startswith("programme"):
            return self.policy(picked, ctx.slots.aspect)
        if menu == "aspect":
            return self.policy(ctx.slots.programme, picked)
        if picked == "apply":
            return self.prescreen(ctx.slots.programme)
        if picked == "other":
            return self.policy(None, None)
        return self._reply(raise_alert("handoff"), menu=None)

    def _welcome_choice(self, picked: str, ctx: TurnContext, raise_alert: RaiseAlert) -> Reply:
        if picked == "policy":
            return self.policy(None, None)
        if picked == "apply":
            return self.prescreen(None)
        if picked == "status":
            return Reply(messages=[], followup="action_check_status", slots={"menu": None})
        return self._reply(raise_alert("handoff"), menu=None)

    # -- step one of the fallback ladder -------------------------------------------------------
    def clarify(self, ctx: TurnContext) -> Reply:
        intent, aspect = map_intent(ctx.top_intent, self.kb) if ctx.top_intent else (None, None)
        # "想给他申请低保", "媳妇得癌了 能申请救助吗", "家里失火了可以申请救助款吗": the pre-screen, not a question back
        if not ctx.text.startswith("/") and (WANTS_TO_APPLY.search(ctx.text) or ASSISTANCE.search(ctx.text) and (
                intent == "seek_help" or intent == "ask_policy" and ASKS_ABOUT_OWN_CASE.search(ctx.text))):
            return self.prescreen(self.programme(ctx))
        if not ctx.top_intent:  # nothing to confirm
            return self.rephrase()
        programme = self.programme(ctx)
        if intent == "ask_policy":
            name = self.kb.programme(programme).short_name if programme else "救助政策"
            label = f"{name}的{ASPECT_LABELS[aspect]}" if aspect != "none" else name
        else:
            label = INTENT_LABELS.get(intent, "别的事")
        # Rasa's two-stage fallback reads the guessed intent as "yes" and out_of_scope as "no"
        entities = json.dumps({"programme": programme}, ensure_ascii=False) if programme else ""
        buttons = [Button(title="是", payload=f"/{ctx.top_intent}{entities}"),
                   Button(title="不是", payload="/out_of_scope")]
        return Reply(messages=split_for_phone([f"我没太听明白。您是想问“{label}”吗？\n请回复“是”或“不是”。"],
                                              self.chunk_chars), buttons=buttons)

    def rephrase(self) -> Reply:
        return self._reply(["不好意思，我还是没太明白。您能换个说法再说一遍吗？\n"
                            "比如：“低保要什么条件”“家里着火了能申请救助吗”。"])

    def give_up(self) -> Reply:
        return self._reply(["实在抱歉，我没弄明白。您可以：\n· 回复“人工”，请工作人员联系您\n"
                            "· 打12345政务服务热线\n· 到户籍所在地乡镇（街道）社会救助窗口当面问"], menu=None)
