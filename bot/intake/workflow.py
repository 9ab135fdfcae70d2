"""What a referral can be and where it can go next: kinds, statuses, departments, allowed moves."""
from __future__ import annotations

KINDS = {"apply": "申请协助", "discovery": "主动发现", "urgent": "急难"}

STATUSES = {
    "pending": "待受理",
    "accepted": "已受理",
    "needs_materials": "待补材料",
    "home_visit": "入户调查",
    "closed": "已办结",
    "rejected": "不予受理",
    "transferred": "已转办",
}

# What the resident is told about each status: the next step, in plain words.
NEXT_STEP = {
    "pending": "乡镇（街道）工作人员会尽快联系您，请留意电话。",
    "accepted": "窗口已经受理了，工作人员会联系您约时间了解情况。",
    "needs_materials": "还差一些材料，请按工作人员说的准备好，送到乡镇（街道）社会救助窗口。",
    "home_visit": "工作人员会到家里看看情况，请保持电话畅通。",
    "closed": "已经办完了。结果有疑问，可以问乡镇（街道）窗口或打12345。",
    "rejected": "这次没有受理。原因可以问乡镇（街道）窗口；不同意的可以提出复核，也可以打12345反映。",
    "transferred": "已经转给{department}办理，他们会联系您。",
}

DEPARTMENTS = {
    "yibao": "医保局",
    "canlian": "残联",
    "renshe": "人社局",
    "jiaoyu": "教育局",
    "zhujian": "住建局",
    "yingji": "应急管理局",
}

# A clerk's status moves. Transfers are their own action (with a target and a reason): any open referral
# goes to another township (pending there) or to a department (transferred).
TRANSITIONS: dict[str, set[str]] = {
    "pending": {"accepted", "rejected"},
    "accepted": {"needs_materials", "home_visit", "closed", "rejected"},
    "needs_materials": {"accepted", "home_visit", "rejected", "closed"},
    "home_visit": {"needs_materials", "closed", "rejected"},
    "closed": set(),
    "rejected": set(),
    "transferred": set(),
}

OPEN = {"pending", "accepted", "needs_materials", "home_visit"}


def can_move(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, set())
