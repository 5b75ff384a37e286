"""Local (Beijing) days as instants, for filtering timestamps by calendar day in any app."""

import datetime as dt

from django.utils import timezone


def local_day_bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The instants [start, end) of the local (Beijing) days first..last, for filtering timestamps."""
    tz = timezone.get_default_timezone()
    start = timezone.make_aware(dt.datetime.combine(first, dt.time.min), tz)
    end = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min), tz)
    return start, end


def local_day(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The instants [start, end) of the one local (Beijing) day ``day``."""
    return local_day_bounds(day, day)
