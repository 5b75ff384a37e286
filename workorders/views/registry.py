"""The actions of the detail page: which form each takes, which service it calls, who may take it now,
and why not when a rule blocks it. Transitions ask the model's FSM (permission = role + scope, declared
on the transition; conditions with their reasons); the extension and contact actions ask the same rules
their services apply."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from evaluations.models import Role, User
from workorders import fsm, rules
from workorders.forms import (
    ActionForm,
    AppealForm,
    ContactForm,
    DispatchForm,
    ExtensionDecisionForm,
    ExtensionForm,
    NoteForm,
    PublicReplyForm,
    ReasonForm,
    RevisitForm,
    SubmitForm,
)
from workorders.models import CLOCK_STATES, ExtensionRequest, State, WorkOrder
from workorders.services import appeals, contact, extensions, lifecycle, public_reply
from workorders.services.notices import citizen_phone

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
    done: Any = None  # what the success message says was done ("已…"), when not the label itself
    # The name of the step on a supervision order (监督查评), where it differs: 回访 is the office's 复查.
    supervision_label: Any = None

    def label_for(self, order: WorkOrder) -> Any:
        return self.supervision_label if order.is_supervision and self.supervision_label else self.label


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
                o, by=u, rectification=d["rectification"], reply=d.get("reply", "")
            ),
            form_fills_conditions=True,
        ),
        Action(
            "contact", _("已联系评价人"), ContactForm,
            lambda o, u, d, _p: contact.workorder_record_contact(
                o, by=u, at=d["contacted_at"], way=d["way"], note=d.get("note", "")
            ),
            done=_("登记联系评价人"),
        ),
        Action("approve", _("审核通过"), NoteForm, _note(lifecycle.workorder_approve)),
        Action(
            "record_revisit", _("回访办结"), RevisitForm,
            lambda o, u, d, _p: lifecycle.workorder_record_revisit(
                o, by=u, result=d["result"], channel=d["channel"], note=d.get("note", "")
            ),
            form_fills_conditions=True,
            supervision_label=_("复查办结"),
        ),
        Action(
            "publish_reply", _("审定公开答复"), PublicReplyForm,
            lambda o, u, d, _p: public_reply.workorder_publish_reply(
                o, by=u, text=d["public_reply"], names_confirmed=d["names_confirmed"]
            ),
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


# Actions that are not FSM transitions, and the rules their services apply.
_OWN_RULES = {
    "extension": rules.can_handle,
    "extension_decide": rules.can_supervise,
    "contact": rules.can_handle,
    "publish_reply": rules.can_supervise,
}


def may(order: WorkOrder, user: User, name: str) -> bool:
    """Role and data scope only, whatever the order's state (403 when False)."""
    if user.role == Role.AUDITOR and not user.is_superuser:
        return False  # read-only, whatever a rule might grant
    if name in _OWN_RULES:
        return _OWN_RULES[name](order, user)
    # The permission declared on the transition; django_fsm.has_transition_perm would also evaluate
    # the conditions, which read the very fields the form is about to fill (rectification, revisit).
    return fsm.has_permission(order, name, user)


def fits_state(order: WorkOrder, name: str, pending: ExtensionRequest | None) -> bool:
    """Whether the order's state allows the action at all (409 when False)."""
    if name == "extension":
        return order.state in (State.DISPATCHED, State.HANDLING)
    if name == "extension_decide":
        return pending is not None
    if name == "contact":  # once, while the department holds the order, and only with someone to call
        return order.state in CLOCK_STATES and order.contacted_at is None and bool(citizen_phone(order))
    if name == "publish_reply":
        return order.state in public_reply.PUBLIC_REPLY_STATES and bool(order.reply)
    return fsm.from_state(order, name)


def blocked_by(order: WorkOrder, name: str, pending: ExtensionRequest | None) -> str:
    """Why an action the state allows cannot succeed now ("" when it can): the page shows it disabled
    with this reason rather than offering it to be refused, or hiding it without a word."""
    if name == "extension":
        return extensions.extension_blocked(order, pending)
    if name in _OWN_RULES or ACTIONS[name].form_fills_conditions:
        return ""  # the form fills what its conditions read; the service checks them on submit
    for check in fsm.conditions(order, name):
        if not check(order):
            return check.why(order)
    return ""


@dataclass(frozen=True)
class Offer:
    action: Action
    reason: str = ""  # set: shown disabled, with why


def offers(order: WorkOrder, user: User, pending: ExtensionRequest | None) -> list[Offer]:
    """The actions this user's role may take in the order's present state, main ones first; those a
    rule blocks now come with the reason."""
    return [
        Offer(action, blocked_by(order, action.name, pending))
        for action in ACTIONS.values()
        if fits_state(order, action.name, pending) and may(order, user, action.name)
    ]


def may_see_phone(order: WorkOrder, user: User) -> bool:
    """Only someone who must call the citizen back: the handler, the office, the 12345 revisit agent."""
    if not order.is_open or user.role == Role.AUDITOR:
        return False
    return rules.can_handle(order, user) or rules.can_revisit(order, user)
