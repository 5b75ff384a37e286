"""Who may take each transition (permissions) and what must hold first (conditions).

Permissions are ``(order, user) -> bool``: a role plus the user's data scope. Conditions are
``(order) -> bool`` with a Chinese ``message`` saying why the transition is blocked.
"""

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Protocol, cast

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evaluations.models import Evaluation, Role
from evaluations.policies import policy_for_region
from evaluations.roles import FLAG_REVIEWERS
from evaluations.scope import visible_to
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


def can_withdraw(order, user) -> bool:
    """Whoever may rule the order's rating on a flag review (FLAG_REVIEWERS who see the rating, as the
    review queue checks): the ruling withdraws the order (services.withdrawal); no page offers it."""
    if order.evaluation_id is None or not (user.is_superuser or user.role in FLAG_REVIEWERS):
        return False
    return visible_to(user, Evaluation.objects.filter(pk=order.evaluation_id)).exists()


def can_handle(order, user) -> bool:
    """A handler of the responsible department (谁办理、谁负责)."""
    if user.is_superuser or user.role == Role.SYSADMIN:
        return True
    return user.role == Role.DEPARTMENT and user.department_id == order.department_id


def can_revisit(order, user) -> bool:
    """The office, or a 12345 agent of the region (Tianjin art. 22: 12345 revisits). A supervision order
    has no citizen to call: its last step is the office's own re-inspection (复查), the office's alone."""
    if can_supervise(order, user):
        return True
    return user.role == Role.HOTLINE and _in_region(order, user) and not order.is_supervision


class Condition(Protocol):
    """A transition condition marked by ``condition``: a check that carries why it fails.

    django-fsm types a condition as taking any model instance; it is called with the WorkOrder.
    """

    message: "StrOrPromise"

    def __call__(self, instance: "Model", /) -> bool: ...

    def why(self, instance: "Model", /) -> str:
        """The Chinese reason, with the order's own figures filled in (days, dates)."""
        ...


def condition(
    message: "StrOrPromise", details: Callable[["Model"], dict[str, object]] | None = None
) -> Callable[[Callable[["Model"], bool]], Condition]:
    """Mark a check with its refusal; ``details(order)`` fills the message's %(name)s placeholders."""

    def mark(check: Callable[["Model"], bool]) -> Condition:
        marked = cast(Condition, check)  # a function takes attributes; the ones it lacks are set next
        marked.message = message
        marked.why = lambda order: str(message) % details(order) if details else str(message)  # type: ignore[method-assign]  # set once, here
        return marked

    return mark


def _what_to_submit(order) -> dict[str, object]:
    if order.is_supervision:
        return {"missing": _("请填写整改情况后再提交。")}
    return {"missing": _("请填写整改情况和给评价人的答复后再提交。")}


@condition("%(missing)s", _what_to_submit)
def has_rectification_and_reply(order) -> bool:
    """A supervision finding has nobody to reply to: the rectification report is all it needs."""
    return bool(order.rectification.strip() and (order.is_supervision or order.reply.strip()))


# The appeal clauses are about ratings: a department disputes a 差评 as mistaken or malicious and, if
# upheld, the rating is not adopted (Ganzhou art. 19; Tianjin art. 21: recorded as 未评; Qingdao art. 14:
# 不属实). A supervision finding is the office's own inspection with no rating to set aside; a department
# that is not responsible sends it back (退回), and one that disagrees says so in its rectification report
# (Qingdao art. 13: 对缺乏法定依据的，做好解释说明) for the office to weigh when it reviews.
@condition(_("监督查评工单没有差评可申诉：不属于本部门的请退回，对查评结果有异议请在整改情况中说明。"))
def has_rating(order) -> bool:
    return not order.is_supervision


def appeal_window(order) -> tuple[int, date | None]:
    """(working days the region allows, the last day to appeal); no last day before dispatch."""
    days = policy_for_region(order.department.region).appeal_days
    if order.dispatched_at is None:
        return days, None
    return days, add_working_days(timezone.localtime(order.dispatched_at).date(), days)


def _appeal_window_details(order) -> dict[str, object]:
    days, last_day = appeal_window(order)
    return {"days": days, "last_day": last_day or "—"}


@condition(_("申诉期限已过（派发后 %(days)d 个工作日内，截至 %(last_day)s）。"), _appeal_window_details)
def within_appeal_window(order) -> bool:
    _days, last_day = appeal_window(order)
    return last_day is not None and timezone.localdate() <= last_day


@condition(_("该工单已申诉过一次，复核维持差评后不能再次申诉。"))
def not_appealed_before(order) -> bool:
    return not order.appeals.exists()


@condition(_("实名差评须回访评价人后才能办结。"))
def revisit_is_recorded(order) -> bool:
    if not order.revisit_result:
        return False
    real_name = order.evaluation is not None and order.evaluation.real_name
    return order.revisit_result != "unreachable" or not real_name


def _revisit_expected(order) -> dict[str, object]:
    if order.is_supervision:
        return {"expected": _("监督查评工单以复查结果办结：请选择“复查整改到位”或“复查未整改到位”。")}
    return {"expected": _("差评工单以回访评价人的结果办结，不能选择复查结果。")}


@condition("%(expected)s", _revisit_expected)
def revisit_fits_source(order) -> bool:
    """A rating's order closes on what the citizen said; a supervision order on the office's 复查."""
    from .models import CITIZEN_RESULTS, REINSPECTION_RESULTS, RevisitChannel  # models imports rules

    if order.is_supervision:
        return (
            order.revisit_result in REINSPECTION_RESULTS
            and order.revisit_channel == RevisitChannel.REINSPECTION
        )
    return order.revisit_result in CITIZEN_RESULTS and order.revisit_channel != RevisitChannel.REINSPECTION
