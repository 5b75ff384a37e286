"""Who may take each transition (permissions) and what must hold first (conditions).

Permissions are ``(order, user) -> bool``: a role plus the user's data scope. Conditions are
``(order) -> bool`` with a Chinese ``message`` saying why the transition is blocked.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, cast

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evaluations.models import Role
from evaluations.policies import policy_for_region
from evaluations.workdays import add_working_days

if TYPE_CHECKING:
    from django.db.models import Model
    from django_stubs_ext import StrOrPromise


def _in_region(order, user) -> bool:
    return bool(user.region_id) and order.office_region.path.startswith(user.region.path)


def can_supervise(order, user) -> bool:
    """The management office over the order's region (dispatch, review, appeals, extensions)."""
    if user.is_superuser or user.role == Role.SYSADMIN:
        return True
    return user.role == Role.OFFICE and _in_region(order, user)


can_dispatch = can_supervise


def can_handle(order, user) -> bool:
    """A handler of the responsible department (谁办理、谁负责)."""
    if user.is_superuser or user.role == Role.SYSADMIN:
        return True
    return user.role == Role.DEPARTMENT and user.department_id == order.department_id


def can_revisit(order, user) -> bool:
    """The office, or a 12345 agent of the region (Tianjin art. 22: 12345 revisits)."""
    if can_supervise(order, user):
        return True
    return user.role == Role.HOTLINE and _in_region(order, user)


class Condition(Protocol):
    """A transition condition marked by ``condition``: a check that carries its message.

    django-fsm types a condition as taking any model instance; it is called with the WorkOrder.
    """

    message: "StrOrPromise"

    def __call__(self, instance: "Model", /) -> bool: ...


def condition(message: "StrOrPromise") -> Callable[[Callable[["Model"], bool]], Condition]:
    def mark(check: Callable[["Model"], bool]) -> Condition:
        marked = cast(Condition, check)  # a function takes attributes; the one it lacks is set next
        marked.message = message
        return marked

    return mark


@condition(_("请填写整改情况和给评价人的答复后再提交。"))
def has_rectification_and_reply(order) -> bool:
    return bool(order.rectification.strip() and order.reply.strip())


@condition(_("已超过申诉期限：派发后须在规定的工作日内提出申诉。"))
def within_appeal_window(order) -> bool:
    if order.dispatched_at is None:
        return False
    days = policy_for_region(order.department.region).appeal_days
    last_day = add_working_days(timezone.localtime(order.dispatched_at).date(), days)
    return timezone.localdate() <= last_day


@condition(_("该工单已申诉过一次，复核维持差评后不能再次申诉。"))
def not_appealed_before(order) -> bool:
    return not order.appeals.exists()


@condition(_("实名差评须回访评价人后才能办结。"))
def revisit_is_recorded(order) -> bool:
    if not order.revisit_result:
        return False
    return order.revisit_result != "unreachable" or not order.evaluation.real_name
