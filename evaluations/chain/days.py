"""Local (Beijing) days as instants, for the daily digests (evaluations imports no other app)."""

import datetime as dt

from django.utils import timezone


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The instants [start, end) of the local day ``day``."""
    tz = timezone.get_default_timezone()
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min), tz)
    end = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min), tz)
    return start, end
