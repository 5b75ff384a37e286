"""Building the rollups: whole days (the ``rollup rebuild`` command) or the slices that changed.

A slice is one local day × one department. It is rebuilt by deleting its rows and inserting them
again from the ratings, inside one transaction that holds an advisory lock, so a rebuild is exact,
re-runnable, and two workers never interleave. ``rollup_refresh`` finds the changed slices from
ratings submitted, work-order events and flag reviews written since the last run (minus a margin for
transactions that committed late), and from the holds of burst-flagged ratings that ended since then
(evaluations/flags.py: a held rating starts counting after N working days without anyone acting, so
its slice is rebuilt by the next refresh), so intake pays nothing for the rollups.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from evaluations.flags import held_ids, released_slices
from reporting.models import DailyRollup, DepartmentDaily, DepartmentMonthly, RollupState

from ..periods import local_day_bounds
from .sql import DAILY_INSERT, DEPARTMENT_INSERT, MONTHLY_INSERT

LOCK_KEY = 0x68637072  # "hcpr": one lock for every rollup write
LATE_COMMIT_MARGIN = dt.timedelta(minutes=10)


@dataclass
class RefreshResult:
    slices: int
    days: int


def _lock(cursor) -> None:
    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def _build(
    cursor, first: dt.date, last: dt.date, departments: list[int] | None, now: dt.datetime | None = None
) -> None:
    start, end = local_day_bounds(first, last)
    daily = DailyRollup.objects.filter(day__gte=first, day__lte=last)
    coarse = DepartmentDaily.objects.filter(day__gte=first, day__lte=last)
    params = {"tz": settings.TIME_ZONE, "start": start, "end": end, "first": first, "last": last}
    params["held"] = held_ids(start=start, end=end, departments=departments, now=now)
    if departments is None:
        condition = ""
    else:
        daily, coarse = daily.filter(department__in=departments), coarse.filter(department__in=departments)
        condition, params["departments"] = "AND department_id = ANY(%(departments)s)", departments
    daily._raw_delete(daily.db)
    coarse._raw_delete(coarse.db)
    cursor.execute(
        DAILY_INSERT.format(departments=condition.replace("department_id", "e.department_id")), params
    )
    cursor.execute(DEPARTMENT_INSERT.format(departments=condition), params)
    _build_months(cursor, first, last, departments)


def _month_after(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def _build_months(cursor, first: dt.date, last: dt.date, departments: list[int] | None) -> None:
    """Re-sum the months that hold first..last from DepartmentDaily (for ``departments`` or all)."""
    month_first, month_end = first.replace(day=1), _month_after(last)
    monthly = DepartmentMonthly.objects.filter(month__gte=month_first, month__lt=month_end)
    params: dict[str, dt.date | list[int]] = {"month_first": month_first, "month_end": month_end}
    condition = ""
    if departments is not None:
        monthly = monthly.filter(department__in=departments)
        condition, params["departments"] = "AND department_id = ANY(%(departments)s)", departments
    monthly._raw_delete(monthly.db)
    cursor.execute(MONTHLY_INSERT.format(departments=condition), params)


def rollup_rebuild_months(first: dt.date, last: dt.date) -> None:
    """Only re-sum DepartmentMonthly from DepartmentDaily (e.g. after DepartmentDaily was loaded directly)."""
    with transaction.atomic(), connection.cursor() as cursor:
        _lock(cursor)
        _build_months(cursor, first, last, None)


def rollup_rebuild(*, first: dt.date, last: dt.date, progress=None) -> int:
    """Rebuild every slice of the local days first..last (one transaction per day); returns the days."""
    day, count = first, 0
    while day <= last:
        with transaction.atomic(), connection.cursor() as cursor:
            _lock(cursor)
            _build(cursor, day, day, None)
        count += 1
        if progress:
            progress(day)
        day += dt.timedelta(days=1)
    return count


def _changed_slices(cursor, since: dt.datetime, now: dt.datetime) -> dict[dt.date, set[int]]:
    cursor.execute(
        """
        SELECT DISTINCT (e.rated_at AT TIME ZONE %(tz)s)::date, e.department_id
        FROM evaluations_evaluation e WHERE e.submitted_at >= %(since)s
        UNION
        SELECT DISTINCT (e.rated_at AT TIME ZONE %(tz)s)::date, e.department_id
        FROM workorders_workorderevent ev
        JOIN workorders_workorder o ON o.id = ev.order_id
        JOIN evaluations_evaluation e ON e.id = o.evaluation_id
        WHERE ev.at >= %(since)s
        UNION
        SELECT DISTINCT (e.rated_at AT TIME ZONE %(tz)s)::date, e.department_id
        FROM evaluations_flagreview r
        JOIN evaluations_evaluation e ON e.id = r.evaluation_id
        WHERE r.decided_at >= %(since)s
        """,
        {"tz": settings.TIME_ZONE, "since": since},
    )
    slices: dict[dt.date, set[int]] = defaultdict(set)
    for day, department in [*cursor.fetchall(), *released_slices(since=since, now=now)]:
        slices[day].add(department)
    return slices


def rollup_refresh(*, now: dt.datetime | None = None) -> RefreshResult:
    """Fold what changed since the last run into the rollups; safe to run concurrently and twice."""
    now = now or timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        _lock(cursor)
        state, _ = RollupState.objects.select_for_update().get_or_create(pk=1)
        since = (
            state.watermark - LATE_COMMIT_MARGIN
            if state.watermark
            else dt.datetime.min.replace(tzinfo=dt.UTC)
        )
        slices = _changed_slices(cursor, since, now)
        for day, departments in sorted(slices.items()):
            _build(cursor, day, day, sorted(departments), now)
        state.watermark = now
        state.refreshed_at = timezone.now()
        state.save(update_fields=["watermark", "refreshed_at"])
    return RefreshResult(slices=sum(len(d) for d in slices.values()), days=len(slices))
