"""Two or three short lines a 12345 agent can read out, from the triage and the knowledge base."""
from __future__ import annotations

from bot.knowledge.answers import render
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.schema import SourceRef

TOWNSHIP = "具体能不能办，由户籍所在地乡镇（街道）审核确认，可以到那里的社会救助窗口申请。"

FIXED: dict[str, list[str]] = {
    "emergency": ["请您马上拨打110报警或120急救，我这边同时通知民政工作人员。",
                  "您现在在哪个乡镇、哪个村（社区）？身边有人能帮忙吗？"],
    "check_status": ["请告诉我您的案件号（SL开头），或者申请人姓名和所在乡镇。",
                     "我帮您查一下办到哪一步了，稍等。"],
    "report_other": ["谢谢您反映！他住在哪个乡镇、哪个村（社区）？",
                     "您看到的是什么情况？现在有没有生命危险？",
                     "我们会请乡镇（街道）的工作人员上门看看。"],
    "request_human": ["好的，我帮您转给民政部门的工作人员。", "请留个联系电话，工作人员会尽快联系您。"],
    "complaint": ["您反映的问题我记下了，会转给市民政局核实处理。",
                  "请说说是哪个乡镇（街道）、什么时间、什么事？"],
    "greet": ["您好，这里是12345政务服务热线，请问有什么可以帮您？"],
    "goodbye": ["好的，有事随时打12345。祝您身体健康！"],
    "thanks": ["不客气，这是我们应该做的。"],
    "affirm": ["好的。"],
    "deny": ["好的，还有什么需要帮忙的吗？"],
    "bot_challenge": ["我是12345热线的工作人员，请您说。"],
    "out_of_scope": ["这个问题不属于社会救助，我帮您转到相关部门。",
                     "还有社会救助方面的事要问吗？"],
}


def suggest(intent: str, programme: str, aspect: str, kb: KnowledgeBase) -> list[str]:
    return [text for text, _ in suggest_sourced(intent, programme, aspect, kb)]


def suggest_sourced(intent: str, programme: str, aspect: str,
                    kb: KnowledgeBase) -> list[tuple[str, list[SourceRef]]]:
    """The suggested lines with the knowledge-base sources each rests on ([] for the hotline's own wording)."""
    known = programme in kb.programmes
    if intent == "ask_policy" and known:
        p = kb.programme(programme)
        if aspect != "none":
            item = p.aspects[aspect][0]
            return [(render(item.text, p), list(item.sources)), (TOWNSHIP, list(p.decides.sources))]
        return [(render(p.summary.text, p), list(p.summary.sources)),
                (f"您想了解{p.short_name}的申请条件、材料、办理流程还是标准？", [])]
    if intent == "ask_policy":
        return [("您问的是低保、特困，还是临时救助、医疗救助？", []), (TOWNSHIP, [])]
    if intent == "seek_help":
        lines = [("您别着急，能说说家里几口人、每月大概收入多少、有没有老人病人吗？", [])]
        if known:
            p = kb.programme(programme)
            lines.append((f"您说的情况，可以先了解{p.name}。{TOWNSHIP}", list(p.decides.sources)))
        lines.append(("我可以帮您转给乡镇（街道）工作人员，请留个联系电话。", []))
        return lines
    if intent == "emergency" and known:
        p = kb.programme(programme)
        return [(line, []) for line in FIXED["emergency"]] + [(render(p.summary.text, p), list(p.summary.sources))]
    return [(line, []) for line in FIXED.get(intent, FIXED["out_of_scope"])]
