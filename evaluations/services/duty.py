"""Who is on duty at a window: staff sign in and out (the window clerk's page, the evaluator by staff
number), kept as shifts, so that a rating without a case names the person who served at its
``rated_at`` (Tianjin art. 10(1): the evaluator shows the clerk's name) and nobody else.

Rules:
- one open shift per staff member (a database constraint); signing in at another window ends the
  previous shift, signing in again at the same window the same day keeps it;
- a shift never outlasts the day it began: an open shift counts until midnight and is ended there
  when it is closed later, so a forgotten sign-out does not put tomorrow's ratings on anyone;
- a staff member signs in only at a window of their own department (or their home window).

The reads below are used by the intake service, the devices app and the citizen pages alike; they
live beside the writes because they define what "on duty" means.
"""

from collections.abc import Iterable
from datetime import date, datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from ..days import local_day
from ..models import Department, ServiceMatter, Shift, Staff, User, Window
from ..refusals import Refusal


def _end_of_shift_day(shift: Shift) -> datetime:
    return local_day(timezone.localdate(shift.started_at))[1]


# ---- writes ---------------------------------------------------------------------------------


def shift_start(
    *,
    staff: Staff,
    window: Window,
    by: User | None = None,
    device_serial: str = "",
    now: datetime | None = None,
) -> Shift:
    """Sign ``staff`` in at ``window`` (ending a shift elsewhere) or raise Refusal; returns the open shift."""
    now = now or timezone.now()
    with transaction.atomic():
        # The staff row is the lock: two sign-ins of one person (page and device) queue here.
        locked = Staff.objects.select_for_update().get(pk=staff.pk)
        if not locked.active:
            raise Refusal("staff_inactive", field="staff_no")
        if not window.active:
            raise Refusal("window_inactive", field="window")
        if locked.window_id != window.pk and not window.departments.filter(pk=locked.department_id).exists():
            raise Refusal("staff_not_at_window", field="staff_no")
        current = Shift.objects.filter(staff=locked, ended_at__isnull=True).first()
        if current is not None:
            if current.window_id == window.pk and now < _end_of_shift_day(current):
                return current
            _close(current, now=now, by=by, device_serial=device_serial)
        # The constraint shift_one_open_per_staff backs the lock up: a second open shift cannot exist.
        return Shift.objects.create(
            staff=locked, window=window, started_at=now, started_by=by, started_device=device_serial
        )


def shift_end(
    *,
    staff: Staff,
    window: Window | None = None,
    by: User | None = None,
    device_serial: str = "",
    now: datetime | None = None,
) -> Shift:
    """Sign ``staff`` out (of ``window`` when given) or raise Refusal("not_on_duty")."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Staff.objects.select_for_update().get(pk=staff.pk)
        current = Shift.objects.filter(staff=locked, ended_at__isnull=True).first()
        if current is None or (window is not None and current.window_id != window.pk):
            raise Refusal("not_on_duty", field="staff_no")
        if now >= _end_of_shift_day(current):
            # A shift of an earlier day was already over at its midnight: nothing is on duty now.
            _close(current, now=now, by=by, device_serial=device_serial)
            raise Refusal("not_on_duty", field="staff_no")
        _close(current, now=now, by=by, device_serial=device_serial)
        return current


def _close(shift: Shift, *, now: datetime, by: User | None, device_serial: str) -> None:
    shift.ended_at = max(shift.started_at, min(now, _end_of_shift_day(shift)))
    shift.ended_by = by
    shift.ended_device = device_serial
    shift.save(update_fields=["ended_at", "ended_by", "ended_device"])


# ---- reads ----------------------------------------------------------------------------------


def _shifts_covering(at: datetime) -> QuerySet[Shift]:
    """Shifts under way at ``at``: begun that same day (shifts end by midnight), not yet ended."""
    day_start, _next = local_day(timezone.localdate(at))
    return Shift.objects.filter(started_at__gte=day_start, started_at__lte=at).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gt=at)
    )


def on_duty_at(window: Window, at: datetime | None = None) -> list[Staff]:
    """The staff signed in at ``window`` at ``at`` (default now), by name."""
    at = at or timezone.now()
    covering = _shifts_covering(at).filter(window=window, staff=OuterRef("pk"))
    return list(
        Staff.objects.filter(Exists(covering)).select_related("department").order_by("name", "staff_no")
    )


def open_shifts_at(window: Window, now: datetime | None = None) -> list[Shift]:
    """The open shifts at ``window`` now, with their staff (the window page and the evaluator)."""
    now = now or timezone.now()
    return list(
        _shifts_covering(now)
        .filter(window=window)
        .select_related("staff__department")
        .order_by("started_at", "pk")
    )


def sole_on_duty(window: Window, at: datetime) -> Staff | None:
    """The one person on duty at ``window`` at ``at``; None when nobody or several are (never a guess)."""
    staff = on_duty_at(window, at)
    return staff[0] if len(staff) == 1 else None


def windows_staffed(staff: Staff, days: Iterable[date]) -> set[int]:
    """Ids of the windows ``staff`` works at on any of ``days``: their home window and every window
    they had a shift at that day."""
    windows = {staff.window_id} if staff.window_id is not None else set()
    spans = Q()
    for day in set(days):
        start, end = local_day(day)
        spans |= Q(started_at__gte=start, started_at__lt=end)
    if spans:
        windows |= set(Shift.objects.filter(spans, staff=staff).values_list("window_id", flat=True))
    return windows


def serves_window_on(staff: Staff, window: Window, day: date) -> bool:
    return window.pk in windows_staffed(staff, [day])


def department_of_window_rating(
    window: Window, staff: Staff | None, matter: ServiceMatter | None
) -> Department:
    """The department a rating without a case counts for, most specific first: the staff member's,
    the matter's (when the rater named one), the window's only department, the window's lead
    department, and, when a window of several departments has no lead set, the first of them by id
    (a fixed, documented order: the rating is of the window, no person is named)."""
    if staff is not None:
        return staff.department
    if matter is not None:
        return matter.department
    departments = list(window.departments.order_by("pk")[:2])
    if len(departments) == 1:
        return departments[0]
    if window.lead_department_id is not None:
        lead = window.lead_department
        assert lead is not None
        return lead
    if departments:
        return departments[0]
    raise Refusal("window_unattributed", field="window")
