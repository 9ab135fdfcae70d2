"""Tell a question from an answer: "有车就不能吃低保吗" asks, "没有车" answers. A form reads a question as
no answer, so the question can be answered (bot/forms/detours.py) and the form's question asked again."""
from __future__ import annotations

import re

from bot.text.normalize import fold

# Question words and endings residents use; "啥也没有" and "什么都没有" are answers, so 啥/什么 count only
# as "what" (啥区别, 是啥, 干啥), not as "any". A question mark counts only at the end ("车？没有" answers):
# fold() drops punctuation, so asks() looks at the raw text for it.
_ASKS = re.compile(r"(?<!什)[吗嘛么]$|(?<![没不])(?<!不出)(?<!不了)(?<!没有)(?<!不下)(?<!不上)(?<!没[赔挣给剩攒存卖花])多少(?!钱都没)(?!(?:也|还)?(?:给|有|能|帮|管|挣|补|拿))"
                   r"(?![^，,。\s]{0,3}(?:不知道|不清楚|说不准|说不好|没数))"  # 拿不出多少, 挣多少俺不知道, 多少给点: answers
                   r"|咋(?:办|申请|整|弄|算|回事|样|还|一直|老|总|没|不)|怎么|怎样|啥区别|什么区别|为啥|为什么"
                   r"|能不能|可不可以|行不行|是不是|有没有用|是啥|是什么|干啥|干什么|哪儿|哪里|在哪|找谁|(?:能|可以|会|要)[^，,。\s]{0,8}不$")


# "…不" closing one clause of several ("孩子上学有补助不 念高中那个"): fold() joins the clauses, so the end of
# the whole text would miss it; 有 counts only before what one asks to have (有时候不 answers).
_CLAUSE_ASKS = re.compile(r"(?:(?:能|可以|会|要)\S{0,8}|有\S{0,3}(?:补助|补贴|救助|钱|政策|待遇|说法|办法|用)\S{0,2})不$")


# "没有 这不想申请嘛": 这不…嘛 asserts ("that is why"), it does not ask
_SO_THAT = re.compile(r"这不[^，,。\s]{1,12}嘛$")


def asks(text: str) -> bool:
    """The message is a question (to be answered), not an answer to the form's question."""
    raw = _SO_THAT.sub("", (text or "").strip())
    return bool(_ASKS.search(fold(raw)) or raw.endswith(("?", "？"))
                or any(_CLAUSE_ASKS.search(c) for c in re.split(r"[\s，,。！!；;]+", raw)))
