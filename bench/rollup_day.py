"""One province-day of 500 000 ratings for ``bench_rollup_day``, in the rankings benchmark's database.

The ratings of the busiest generated working day (2026-10-08, about 5.4 % of the month) are copied,
as many times as needed, to Monday 2 November 2026, each copy a second later than the one before, so
the day has the same departments, channels, grades and mix, only more of it. The month and the
rollups that ``bench_rankings`` measures are not touched (November is a month of its own).
"""

import datetime as dt

from django.conf import settings

SOURCE_DAY = dt.date(2026, 10, 8)
DAY = dt.date(2026, 11, 2)
SHIFTED = ("rated_at", "submitted_at")


def _bounds(day: dt.date) -> tuple[str, str]:
    return f"{day} 00:00:00+08", f"{day + dt.timedelta(days=1)} 00:00:00+08"


def stored(cursor, day: dt.date = DAY) -> int:
    start, end = _bounds(day)
    cursor.execute(
        "SELECT count(*) FROM evaluations_evaluation WHERE rated_at >= %s AND rated_at < %s", [start, end]
    )
    return cursor.fetchone()[0]


def fill(cursor, total: int) -> int:
    """Write ``total`` ratings on DAY (which must be empty); returns how many were written."""
    assert settings.TIME_ZONE == "Asia/Shanghai"  # the +08 day bounds above
    if stored(cursor):
        raise ValueError(f"{DAY} already holds ratings")
    source = stored(cursor, SOURCE_DAY)
    if not source:
        raise ValueError(f"no ratings on {SOURCE_DAY}: run bench_rankings first")
    cursor.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'evaluations_evaluation' "
        "AND column_name <> 'id' ORDER BY ordinal_position"
    )
    columns = [name for (name,) in cursor.fetchall()]
    shift = (DAY - SOURCE_DAY).days
    values = [
        f"e.{name} + interval '{shift} days' + (c - 1) * interval '1 second'"
        if name in SHIFTED
        else f"e.{name}"
        for name in columns
    ]
    start, end = _bounds(SOURCE_DAY)
    cursor.execute(
        f"INSERT INTO evaluations_evaluation ({', '.join(columns)}) "
        f"SELECT {', '.join(values)} FROM evaluations_evaluation e "
        "CROSS JOIN generate_series(1, %(copies)s) AS c "
        "WHERE e.rated_at >= %(start)s AND e.rated_at < %(end)s ORDER BY c, e.id LIMIT %(total)s",
        {"copies": -(-total // source), "start": start, "end": end, "total": total},
    )
    return cursor.rowcount
