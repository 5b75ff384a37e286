"""The official holiday table as published by the State Council, read from chinese-calendar.

Pure data access (no models): used by the seeding migration and by ``workdays sync``.
"""

from datetime import date

import chinese_calendar

FIRST_YEAR = 2004
_CHINESE = {holiday.value: holiday.chinese for holiday in chinese_calendar.Holiday}

HOLIDAY = "holiday"
WORKDAY = "workday"


def last_known_year() -> int:
    return max(chinese_calendar.constants.holidays).year


def official_deviations(first_year: int, last_year: int) -> list[tuple[date, str, str]]:
    """(date, kind, holiday name) for each date in the years that deviates from Monday-Friday."""
    rows: list[tuple[date, str, str]] = []
    for day, holiday in chinese_calendar.constants.holidays.items():
        if first_year <= day.year <= last_year and day.weekday() < 5:
            rows.append((day, HOLIDAY, _CHINESE.get(holiday, holiday)))
    for day, holiday in chinese_calendar.constants.workdays.items():
        if first_year <= day.year <= last_year and day.weekday() >= 5:
            rows.append((day, WORKDAY, f"{_CHINESE.get(holiday, holiday)}调休"))
    return sorted(rows)
