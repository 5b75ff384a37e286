from datetime import date, timedelta

import pytest
from django.core.management import call_command

from evaluations.models import WorkCalendar
from evaluations.workdays import (
    WorkdaySpan,
    add_working_days,
    is_working_day,
    known_years,
    working_days_between,
)

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


def test_it_skips_the_national_day_week_and_counts_the_adjusted_saturday():
    # 2025: 1-8 October off, Saturday 11 October worked.
    assert add_working_days(date(2025, 9, 30), 5) == date(2025, 10, 14)
    assert is_working_day(date(2025, 10, 11))
    assert not is_working_day(date(2025, 10, 8))


def test_it_counts_working_days_between_two_dates():
    assert working_days_between(date(2025, 9, 30), date(2025, 10, 14)) == 5
    assert working_days_between(date(2025, 10, 14), date(2025, 9, 30)) == -5
    assert working_days_between(date(2025, 10, 14), date(2025, 10, 14)) == 0


def test_it_skips_the_spring_festival_and_counts_its_adjusted_weekends():
    # 2026: 15-23 February off; Saturdays 14 and 28 February worked.
    assert is_working_day(date(2026, 2, 14))
    assert is_working_day(date(2026, 2, 28))
    assert not is_working_day(date(2026, 2, 16))
    assert add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert add_working_days(date(2026, 2, 14), 1) == date(2026, 2, 24)
    assert working_days_between(date(2026, 2, 13), date(2026, 2, 27)) == 5


def test_it_crosses_a_year_boundary():
    # New Year 2026: 1-3 January off, Sunday 4 January worked.
    assert add_working_days(date(2025, 12, 31), 1) == date(2026, 1, 4)
    assert add_working_days(date(2026, 1, 4), -1) == date(2025, 12, 31)
    assert working_days_between(date(2025, 12, 30), date(2026, 1, 5)) == 3


def test_zero_days_is_the_start_itself():
    assert add_working_days(date(2025, 10, 1), 0) == date(2025, 10, 1)


def test_an_unknown_year_counts_monday_to_friday():
    assert 2030 not in known_years()
    # 1 October 2030 is a Tuesday: no holiday table, so it is an ordinary working day.
    assert is_working_day(date(2030, 10, 1))
    assert add_working_days(date(2030, 9, 27), 1) == date(2030, 9, 30)  # Friday -> Monday
    assert working_days_between(date(2030, 9, 27), date(2030, 10, 4)) == 5


def test_an_entered_holiday_in_a_new_year_is_honoured():
    WorkCalendar.objects.create(date=date(2030, 10, 1), kind=WorkCalendar.Kind.HOLIDAY, name="国庆节")
    assert 2030 in known_years()
    assert not is_working_day(date(2030, 10, 1))
    assert add_working_days(date(2030, 9, 30), 1) == date(2030, 10, 2)


def test_the_seeded_table_covers_2004_to_2026():
    assert {2004, 2015, 2020, 2026} <= known_years()
    # The 2015 one-off holiday for the 70th anniversary of the victory (Thursday 3 September).
    assert not is_working_day(date(2015, 9, 3))


def test_the_command_prints_the_date_and_the_count(capsys):
    call_command("workdays", "add", "2025-09-30", "5")
    call_command("workdays", "between", "2025-09-30", "2025-10-14")
    assert capsys.readouterr().out.split() == ["2025-10-14", "5"]


def test_a_span_read_once_counts_as_the_calendar_does():
    """WorkdaySpan (a page of due dates, one query) agrees with working_days_between across Spring
    Festival 2026 (the adjusted working Saturday 14 February, the holiday 15-23 February)."""
    days = [date(2026, 2, 9) + timedelta(days=n) for n in range(0, 30, 3)]
    span = WorkdaySpan(days)
    for a in days:
        for b in days:
            assert span.between(a, b) == working_days_between(a, b), (a, b)
    assert span.is_working_day(date(2026, 2, 14)) and not span.is_working_day(date(2026, 2, 16))
