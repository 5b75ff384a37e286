"""Working days (工作日): Monday-Friday, minus statutory holidays, plus adjusted weekend workdays.

Every deadline in the system is counted through this module. Deviations from Monday-Friday come
from the WorkCalendar table; a year without rows is counted Monday-Friday (see ``known_years``).
"""

from collections.abc import Iterable, Iterator
from datetime import date, timedelta

from .models import WorkCalendar

_CHUNK = timedelta(days=120)


def _deviations(start: date, end: date) -> dict[date, bool]:
    """{date: is_working_day} for every deviating date in [start, end]."""
    rows = WorkCalendar.objects.filter(date__range=(min(start, end), max(start, end)))
    return {d: kind == WorkCalendar.Kind.WORKDAY for d, kind in rows.values_list("date", "kind")}


def _walk(start: date, step: int) -> Iterator[tuple[date, bool]]:
    """Yield (day, is_working_day) for the days after ``start`` in direction ``step`` (+1 or -1)."""
    day = start
    while True:
        chunk_end = day + _CHUNK * step
        deviations = _deviations(day + timedelta(days=step), chunk_end)
        while day != chunk_end:
            day += timedelta(days=step)
            yield day, deviations.get(day, day.weekday() < 5)


class WorkdaySpan:
    """The calendar of the days from ``min(days)`` to 21 days after ``max(days)``, read in one query, for
    counting working days between many pairs of dates (a page of due dates)."""

    def __init__(self, days: Iterable[date]) -> None:
        days = list(days)
        self._deviations = _deviations(min(days), max(days) + timedelta(days=21)) if days else {}

    def is_working_day(self, day: date) -> bool:
        return self._deviations.get(day, day.weekday() < 5)

    def between(self, a: date, b: date) -> int:
        """Working days in (a, b]; negative when b is before a (as ``working_days_between``)."""
        if b < a:
            return -self.between(b, a)
        return sum(self.is_working_day(a + timedelta(days=n)) for n in range(1, (b - a).days + 1))


def is_working_day(day: date) -> bool:
    return _deviations(day, day).get(day, day.weekday() < 5)


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after ``start`` (before it when n is negative); ``start`` itself for 0."""
    if n == 0:
        return start
    step = 1 if n > 0 else -1
    remaining = abs(n)
    for day, working in _walk(start, step):
        if working:
            remaining -= 1
            if remaining == 0:
                return day
    raise AssertionError("unreachable")  # pragma: no cover


def working_days_between(a: date, b: date) -> int:
    """Working days in (a, b]; negative when b is before a."""
    if a == b:
        return 0
    if b < a:
        return -working_days_between(b, a)
    deviations = _deviations(a + timedelta(days=1), b)
    count = 0
    day = a
    while day < b:
        day += timedelta(days=1)
        count += deviations.get(day, day.weekday() < 5)
    return count


def known_years() -> set[int]:
    """Years that have a holiday table; other years are counted Monday-Friday."""
    return {d.year for d in WorkCalendar.objects.dates("date", "year")}
