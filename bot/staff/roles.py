"""Roles and the console screens each may use. One table, read by the home page and by `require_role`'s
callers (each screen's route names its roles; `SCREENS` says the same for the home page's links, and a test
keeps the two in step as screens arrive).
"""
from __future__ import annotations

from dataclasses import dataclass

AGENT, CLERK, REVIEWER, ADMIN = "agent", "clerk", "reviewer", "admin"
ROLES = {
    AGENT: "12345 坐席",
    CLERK: "乡镇经办人",
    REVIEWER: "会话审阅员",
    ADMIN: "管理员",
}


@dataclass(frozen=True)
class Screen:
    path: str
    title: str
    what: str
    roles: frozenset[str]


SCREENS = [
    Screen("/console/assist", "坐席助手", "接听 12345 来电时，边听边看分诊和建议答复，直接开转介单。", frozenset({AGENT, ADMIN})),
    Screen("/console/handoffs", "转人工", "接手居民要求人工的会话，回复、交回机器人。", frozenset({AGENT, ADMIN})),
    Screen("/console/alerts", "告警", "紧急情况、投诉、要求人工、转介失败和超期：先看没处理的，处理后写一句备注。",
           frozenset({REVIEWER, ADMIN})),
    Screen("/console/queue", "转介工单", "本乡镇的转介工单：受理、补材料、入户调查、办结。", frozenset({CLERK, ADMIN})),
    Screen("/console/review", "会话审阅", "查看居民会话，改正识别错误，导出训练数据。", frozenset({REVIEWER, ADMIN})),
    Screen("/console/stats", "统计", "消息量、意图、转人工、紧急情况和工单时限。", frozenset({CLERK, REVIEWER, ADMIN})),
    Screen("/console/users", "账号管理", "新建工作人员账号，重置密码，停用或启用，调整角色和乡镇。", frozenset({ADMIN})),
    Screen("/console/audit", "审计", "谁在什么时候查看、解除遮挡、修改或导出了什么。", frozenset({ADMIN})),
]


def screens_for(role: str) -> list[Screen]:
    return [screen for screen in SCREENS if role in screen.roles]


def label(role: str) -> str:
    return ROLES.get(role, role)
