"""The actions of the detail page: which form each takes, which service it calls, and who may take it
now. Transitions ask the model's FSM (permission = role + scope, declared on the transition); the two
extension actions ask the same rules the extension services apply."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from evaluations.models import Role, User
from workorders import fsm, rules
from workorders.forms import (
    ActionForm,
    AppealForm,
    DispatchForm,
    ExtensionDecisionForm,
    ExtensionForm,
    NoteForm,
    ReasonForm,
    RevisitForm,
    SubmitForm,
)
from workorders.models import ExtensionRequest, State, WorkOrder
from workorders.services import appeals, extensions, lifecycle

Run = Callable[[WorkOrder, User, dict[str, Any], ExtensionRequest | None], Any]


@dataclass(frozen=True)
class Action:
    name: str
    label: Any
    form_class: type[ActionForm]
    run: Run
    tone: str = ""  # "" (main way forward) or "secondary"
    # The form fills what the transition's conditions read (rectification, revisit result), so the
    # conditions are left to the service; other conditions (the appeal window) decide whether to offer it.
    form_fills_conditions: bool = False


def _note(service: Callable) -> Run:
    return lambda order, user, data, _pending: service(order, by=user, note=data.get("note", ""))


def _decide_extension(
    order: WorkOrder, user: User, data: dict[str, Any], pending: ExtensionRequest | None
) -> ExtensionRequest:
    assert pending is not None  # fits_state lets extension_decide run only with a pending request
    return extensions.extension_decide(
        pending, by=user, approve=data["decision"] == "approve", note=data.get("note", "")
    )


ACTIONS: dict[str, Action] = {
    action.name: action
    for action in [
        Action(
            "dispatch", _("派发"), DispatchForm,
            lambda o, u, d, _p: lifecycle.workorder_dispatch(
                o, by=u, category=d["category"], department=d.get("department"), note=d.get("note", "")
            ),
        ),
        Action("accept", _("签收"), NoteForm, _note(lifecycle.workorder_accept)),
        Action(
            "submit", _("提交整改"), SubmitForm,
            lambda o, u, d, _p: lifecycle.workorder_submit(
                o, by=u, rectification=d["rectification"], reply=d["reply"]
            ),
            form_fills_conditions=True,
        ),
        Action("approve", _("审核通过"), NoteForm, _note(lifecycle.workorder_approve)),
        Action(
            "record_revisit", _("回访办结"), RevisitForm,
            lambda o, u, d, _p: lifecycle.workorder_record_revisit(
                o, by=u, result=d["result"], channel=d["channel"], note=d.get("note", "")
            ),
            form_fills_conditions=True,
        ),
        Action("extension_decide", _("审核延期申请"), ExtensionDecisionForm, _decide_extension),
        Action("uphold", _("维持差评"), ReasonForm, _note(appeals.workorder_uphold)),
        Action("void", _("申诉成立"), ReasonForm, _note(appeals.workorder_void), tone="secondary"),
        Action("reject", _("退回整改"), ReasonForm, _note(lifecycle.workorder_reject), tone="secondary"),
        Action("send_back", _("退回（非本部门事项）"), ReasonForm, _note(lifecycle.workorder_send_back),
               tone="secondary"),
        Action(
            "extension", _("申请延期"), ExtensionForm,
            lambda o, u, d, _p: extensions.extension_request(
                o, by=u, reason=d["reason"], new_due=d["new_due"]
            ),
            tone="secondary",
        ),
        Action(
            "appeal", _("申诉"), AppealForm,
            lambda o, u, d, _p: appeals.workorder_appeal(o, by=u, reason=d["reason"], evidence=d["evidence"]),
            tone="secondary",
        ),
    ]
}  # fmt: skip


def may(order: WorkOrder, user: User, name: str) -> bool:
    """Role and data scope only, whatever the order's state (403 when False)."""
    if user.role == Role.AUDITOR and not user.is_superuser:
        return False  # read-only, whatever a rule might grant
    if name == "extension":
        return rules.can_handle(order, user)
    if name == "extension_decide":
        return rules.can_supervise(order, user)
    # The permission declared on the transition; django_fsm.has_transition_perm would also evaluate
    # the conditions, which read the very fields the form is about to fill (rectification, revisit).
    return fsm.has_permission(order, name, user)


def fits_state(order: WorkOrder, name: str, pending: ExtensionRequest | None, *, offer: bool = False) -> bool:
    """Whether the order's state allows the action (409 when False). With ``offer``, also whether its
    conditions hold, unless its form is what fills them: the page offers only what can succeed."""
    if name == "extension":
        return order.state in (State.DISPATCHED, State.HANDLING) and pending is None
    if name == "extension_decide":
        return pending is not None
    conditions = offer and not ACTIONS[name].form_fills_conditions
    return fsm.from_state(order, name, check_conditions=conditions)


def available(order: WorkOrder, user: User, pending: ExtensionRequest | None) -> list[Action]:
    """The actions this user may take on this order now, main ones first."""
    return [
        action
        for action in ACTIONS.values()
        if fits_state(order, action.name, pending, offer=True) and may(order, user, action.name)
    ]


def may_see_phone(order: WorkOrder, user: User) -> bool:
    """Only someone who must call the citizen back: the handler, the office, the 12345 revisit agent."""
    if not order.is_open or user.role == Role.AUDITOR:
        return False
    return rules.can_handle(order, user) or rules.can_revisit(order, user)
