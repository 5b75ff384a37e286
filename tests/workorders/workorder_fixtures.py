"""What the work-order tests share: a bad rating, a policy preset, an order moved to any state.

The fixtures built on these (``people``, ``new_order``, ``township``) are appended to conftest.py.
"""

import re

from evaluations.models import Policy, Region, Role, User
from evaluations.services.intake import IntakeResult, Rating, evaluation_record
from workorders.models import RevisitChannel, RevisitResult, State, WorkOrder
from workorders.services import appeals, lifecycle

RECTIFICATION = "窗口补充一次性告知清单，高峰时段增开两个窗口。"
REPLY = "您反映的材料清单问题已整改，欢迎再次监督。"
CHINESE = re.compile(r"[\u4e00-\u9fff]")

# The arguments each verb needs to succeed when the caller may take it.
ACTIONS = {
    "dispatch": lambda order, by: lifecycle.workorder_dispatch(order, by=by, note="请尽快联系评价人"),
    "send_back": lambda order, by: lifecycle.workorder_send_back(order, by=by, note="不属于本部门办理"),
    "accept": lambda order, by: lifecycle.workorder_accept(order, by=by),
    "submit": lambda order, by: lifecycle.workorder_submit(
        order, by=by, rectification=RECTIFICATION, reply=REPLY
    ),
    "approve": lambda order, by: lifecycle.workorder_approve(order, by=by),
    "reject": lambda order, by: lifecycle.workorder_reject(order, by=by, note="答复未说明整改措施"),
    "appeal": lambda order, by: appeals.workorder_appeal(order, by=by, reason="评价人误操作，已电话确认"),
    "uphold": lambda order, by: appeals.workorder_uphold(order, by=by, note="差评属实，继续整改"),
    "void": lambda order, by: appeals.workorder_void(order, by=by, note="调取录像核实，属误评"),
    "record_revisit": lambda order, by: lifecycle.workorder_record_revisit(
        order, by=by, result=RevisitResult.SATISFIED, channel=RevisitChannel.HOTLINE
    ),
}

# DESIGN §6: the one source and target of each verb, and the verbs that lead to each state.
SOURCE = {
    "dispatch": State.CREATED,
    "send_back": State.DISPATCHED,
    "accept": State.DISPATCHED,
    "submit": State.HANDLING,
    "approve": State.REVIEWING,
    "reject": State.REVIEWING,
    "appeal": State.HANDLING,
    "uphold": State.APPEALING,
    "void": State.APPEALING,
    "record_revisit": State.REVISITING,
}
TARGET = {
    "dispatch": State.DISPATCHED,
    "send_back": State.CREATED,
    "accept": State.HANDLING,
    "submit": State.REVIEWING,
    "approve": State.REVISITING,
    "reject": State.HANDLING,
    "appeal": State.APPEALING,
    "uphold": State.HANDLING,
    "void": State.VOIDED,
    "record_revisit": State.CLOSED,
}
PATH = {
    State.CREATED: [],
    State.DISPATCHED: ["dispatch"],
    State.HANDLING: ["dispatch", "accept"],
    State.REVIEWING: ["dispatch", "accept", "submit"],
    State.REVISITING: ["dispatch", "accept", "submit", "approve"],
    State.CLOSED: ["dispatch", "accept", "submit", "approve", "record_revisit"],
    State.APPEALING: ["dispatch", "accept", "appeal"],
    State.VOIDED: ["dispatch", "accept", "appeal", "void"],
}
OFFICE_VERBS = {"dispatch", "approve", "reject", "uphold", "void", "record_revisit"}


def rate(record=None, **fields) -> IntakeResult:
    """A rating through the one intake service; bad (grade 1 with a tag) unless told otherwise."""
    values = {"target": "matter", "stage": "completion", "grade": 1, "tags": ["M1-01"], "channel": "pc"}
    values.update(fields)
    extra = {key: values.pop(key) for key in ("window", "staff", "matter", "now") if key in values}
    return evaluation_record(rating=Rating(**values), record=record, **extra)


def bad_order(record=None, **fields) -> WorkOrder:
    return WorkOrder.objects.get(number=rate(record, **fields).work_order)


def anonymous_order(window) -> WorkOrder:
    """A window-QR rating without a case and without a phone: nobody to call back."""
    return bad_order(target="staff", tags=["S1-01"], channel="qr", window=window)


def act(order: WorkOrder, action: str, by: User) -> WorkOrder:
    ACTIONS[action](order, by)
    return WorkOrder.objects.get(pk=order.pk)


def move(order: WorkOrder, state: str, *, office: User, handler: User) -> WorkOrder:
    """Take ``order`` on along the lifecycle to ``state``, each step by the person whose job it is."""
    taken, path = PATH[order.state], PATH[state]
    assert path[: len(taken)] == taken, f"{state} is not ahead of {order.state}"
    for action in path[len(taken) :]:
        order = act(order, action, office if action in OFFICE_VERBS else handler)
    assert order.state == state
    return order


def use_preset(region: Region, preset: str, **fields) -> Policy:
    policy = Policy.from_preset(preset, region=region, **fields)
    policy.save()
    return policy


def make_user(username: str, role: str, **scope) -> User:
    return User.objects.create_user(
        username=username, password="pw-for-tests-1", name=username, role=role, **scope
    )


def people_of_every_role(regions, org, owner, colleague, outsider, sysadmin) -> dict[str, User]:
    zhanggong = regions["zhanggong"]
    return {
        "sysadmin": sysadmin,
        "office": owner,
        "outside_office": outsider,
        "handler": colleague,
        "other_handler": make_user("nk-handler", Role.DEPARTMENT, department=org["nankang"]["department"]),
        "hall_manager": make_user("hall", Role.HALL_MANAGER, region=zhanggong),
        "window_staff": make_user(
            "window", Role.WINDOW_STAFF, region=zhanggong, department=org["zhanggong"]["department"]
        ),
        "hotline": make_user("hotline", Role.HOTLINE, region=zhanggong),
        "outside_hotline": make_user("nk-hotline", Role.HOTLINE, region=regions["nankang"]),
        "auditor": make_user("auditor", Role.AUDITOR, region=zhanggong),
    }
