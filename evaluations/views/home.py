from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from ..home_needs import needs_of
from ..http import AuthedRequest
from ..models import Department, Hall, Role, ServiceMatter, Staff, Window
from ..roles import (
    CIRCULAR_READERS,
    DEVICE_MANAGERS,
    ENTRY_ROLES,
    FEEDBACK_READERS,
    FLAG_READERS,
    ORDER_READERS,
    REPORT_READERS,
    REVISIT_CALLERS,
    SUPERVISION_READERS,
)
from ..scope import visible_to

# Who keeps master data (evaluations.roles): they see its counts, below what needs them.
_MASTER_KEEPERS = frozenset({Role.OFFICE, Role.HALL_MANAGER, Role.SYSADMIN, Role.AUDITOR})


def _links(user, counted: set[str]) -> list[tuple[str, str]]:
    """The pages the role uses; a page whose count is shown above (the flags queue) is linked there."""
    links = []
    if user.role in ORDER_READERS or user.is_superuser:
        links.append((reverse("workorders:inbox"), _("差评工单")))
    if user.role in ENTRY_ROLES or user.is_superuser:
        links.append((reverse("desk:entry"), _("录入电话或纸质评价")))
    if user.role in FEEDBACK_READERS | ENTRY_ROLES or user.is_superuser:
        links.append((reverse("desk:feedback"), _("综合点评")))
    if (user.role in FLAG_READERS or user.is_superuser) and "flags" not in counted:
        links.append((reverse("reviews:flags"), _("待核查评价")))
    if user.role in DEVICE_MANAGERS or user.is_superuser:
        links.append((reverse("devices:dashboard"), _("评价设备与二维码")))
    if user.role in REPORT_READERS or user.is_superuser:
        links.append((reverse("reporting:dashboard"), _("统计分析与排名")))
    if user.role in CIRCULAR_READERS or user.is_superuser:
        links.append((reverse("reporting:circulars"), _("月度通报")))
    if user.role in REVISIT_CALLERS or user.is_superuser:
        links.append((reverse("reporting:revisits"), _("季度随机回访")))
    if user.role in SUPERVISION_READERS or user.is_superuser:
        links.append((reverse("supervision:index"), _("监督查评")))
    window = _posted_window(user)
    if window is not None:
        links.append((reverse("devices:window", args=[window.code]), _("本窗口请评价")))
    if user.is_staff:
        links.append((reverse("admin:index"), _("进入管理后台")))
    return links


def _posted_window(user) -> Window | None:
    """The window a clerk with a login of their own is posted at, for the "请评价" page."""
    staff = (
        Staff.objects.filter(user=user, active=True, window__isnull=False).select_related("window").first()
    )
    return staff.window if staff else None


def _master_counts(user) -> dict[str, int] | None:
    if user.role not in _MASTER_KEEPERS and not user.is_superuser:
        return None
    return {
        "departments": visible_to(user, Department.objects.all()).count(),
        "halls": visible_to(user, Hall.objects.all()).count(),
        "windows": visible_to(user, Window.objects.all()).count(),
        "matters": visible_to(user, ServiceMatter.objects.all()).count(),
    }


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    """What needs the user first (counts linking to the lists behind them), then the pages of the role,
    then the master data in scope for those who keep it."""
    user = request.user
    needs = needs_of(user)
    context = {
        "needs": needs,
        "read_only": any(need.read_only for need in needs),
        "links": _links(user, {need.key for need in needs}),
        "counts": _master_counts(user),
    }
    return render(request, "evaluations/home.html", context)
