from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from ..http import AuthedRequest
from ..models import Department, Hall, ServiceMatter, Staff, Window
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


def _links(user) -> list[tuple[str, str]]:
    links = []
    if user.role in ORDER_READERS or user.is_superuser:
        links.append((reverse("workorders:inbox"), _("差评工单")))
    if user.role in ENTRY_ROLES or user.is_superuser:
        links.append((reverse("desk:entry"), _("录入电话或纸质评价")))
    if user.role in FEEDBACK_READERS | ENTRY_ROLES or user.is_superuser:
        links.append((reverse("desk:feedback"), _("综合点评")))
    if user.role in FLAG_READERS or user.is_superuser:
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


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    counts = {
        "departments": visible_to(user, Department.objects.all()).count(),
        "halls": visible_to(user, Hall.objects.all()).count(),
        "windows": visible_to(user, Window.objects.all()).count(),
        "matters": visible_to(user, ServiceMatter.objects.all()).count(),
    }
    return render(request, "evaluations/home.html", {"counts": counts, "links": _links(user)})
