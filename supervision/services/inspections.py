"""Planning an inspection, filing a visit against it and recording what it found."""

from datetime import date, datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations.models import Department, Hall, Region, Role, ServiceMatter, User, Window

from ..models import Finding, Inspection, Visit
from . import SupervisionError, planners_only


def _inside(path: str, region: Region) -> bool:
    return path.startswith(region.path)


def inspection_plan(
    *,
    by: User,
    subject: str,
    kind: str,
    region: Region,
    starts_on: date,
    ends_on: date,
    inspectors: list[User],
    halls: list[Hall] = (),
    windows: list[Window] = (),
    note: str = "",
) -> Inspection:
    """A plan inside the office's own region; every place inside the plan's region; every 社会监督员
    assigned must have the plan's region in their own scope (or they could never see it)."""
    planners_only(by)
    if not by.has_global_scope and (by.region is None or not _inside(region.path, by.region)):
        raise SupervisionError(_("只能在本辖区内制定督查计划。"), "region")
    if ends_on < starts_on:
        raise SupervisionError(_("结束日期不能早于开始日期。"), "ends_on")
    if not inspectors:
        raise SupervisionError(_("请至少指定一名督查人员。"), "inspectors")
    for person in inspectors:
        if person.role not in (Role.OFFICE, Role.MONITOR):
            raise SupervisionError(
                _("%(name)s 不是管理部门工作人员或社会监督员。") % {"name": person}, "inspectors"
            )
        if person.role == Role.MONITOR and (person.region is None or not _inside(region.path, person.region)):
            raise SupervisionError(
                _("社会监督员 %(name)s 的监督范围不包含%(region)s。")
                % {"name": person, "region": region.name},
                "inspectors",
            )
    if any(not _inside(hall.region.path, region) for hall in halls):
        raise SupervisionError(_("所选大厅不在督查区划内。"), "halls")
    if any(not _inside(window.hall.region.path, region) for window in windows):
        raise SupervisionError(_("所选窗口不在督查区划内。"), "windows")
    with transaction.atomic():
        plan = Inspection.objects.create(
            subject=subject.strip(),
            kind=kind,
            region=region,
            starts_on=starts_on,
            ends_on=ends_on,
            note=note.strip(),
            created_by=by,
        )
        plan.inspectors.set(inspectors)
        plan.halls.set(halls)
        plan.windows.set(windows)
    return plan


def visit_file(
    *,
    inspection: Inspection,
    by: User,
    visited_at: datetime,
    mode: str,
    summary: str,
    hall: Hall | None = None,
    window: Window | None = None,
) -> Visit:
    """Only an inspector assigned to the plan files a visit, dated within the plan and not in the future."""
    if not inspection.inspectors.filter(pk=by.pk).exists():
        raise SupervisionError(_("您不是本督查计划的督查人员，不能填报走访记录。"))
    day = timezone.localtime(visited_at).date()
    if not inspection.starts_on <= day <= inspection.ends_on:
        raise SupervisionError(
            _("走访日期须在督查计划的时间内（%(start)s 至 %(end)s）。")
            % {"start": inspection.starts_on, "end": inspection.ends_on},
            "visited_at",
        )
    if visited_at > timezone.now():
        raise SupervisionError(_("走访时间不能晚于现在。"), "visited_at")
    if window is not None and hall is not None and window.hall_id != hall.pk:
        raise SupervisionError(_("所选窗口不属于所选大厅。"), "window")
    place = window.hall if window is not None else hall
    if place is not None and not _inside(place.region.path, inspection.region):
        raise SupervisionError(_("所选大厅不在督查区划内。"), "hall")
    return Visit.objects.create(
        inspection=inspection,
        by=by,
        visited_at=visited_at,
        mode=mode,
        summary=summary.strip(),
        hall=hall if hall is not None else (window.hall if window is not None else None),
        window=window,
    )


def finding_add(
    *,
    visit: Visit,
    by: User,
    department: Department,
    category: str,
    severity: str,
    description: str,
    window: Window | None = None,
    matter: ServiceMatter | None = None,
    photo: UploadedFile | None = None,
) -> Finding:
    """A finding on the filer's own visit. ``photo`` has been checked (supervision.photos); it is written
    with the row and removed again if the row is not."""
    if visit.by_id != by.pk:
        raise SupervisionError(_("只能在本人填报的走访记录中登记问题。"))
    region = visit.inspection.region
    if not _inside(department.region.path, region):
        raise SupervisionError(_("责任部门不在督查区划内。"), "department")
    if matter is not None and matter.department_id != department.pk:
        raise SupervisionError(_("所选事项不属于责任部门。"), "matter")
    if window is not None and not _inside(window.hall.region.path, region):
        raise SupervisionError(_("所选窗口不在督查区划内。"), "window")
    finding = Finding(
        visit=visit,
        department=department,
        category=category,
        severity=severity,
        description=description.strip(),
        window=window or visit.window,
        matter=matter,
    )
    if photo is not None:
        finding.photo.save(photo.name, photo, save=False)
    try:
        finding.save()
    except BaseException:
        if finding.photo:
            finding.photo.delete(save=False)
        raise
    return finding
