"""Every issuing office drafts its own circular on the first working day (Ganzhou art. 20: the city and its
counties; Tianjin art. 25: 市 and 区), through the beat's task function, made up when a day was missed."""

import datetime as dt

import pytest
import time_machine

from reporting.models import Circular
from reporting.tasks import generate_monthly_circulars

from .reporting_fixtures import TZ, rate, rebuild

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


def at(day: dt.date) -> time_machine.travel:
    return time_machine.travel(dt.datetime.combine(day, dt.time(8, 0), tzinfo=TZ), tick=False)


def names(circular: Circular, level: str) -> set[str]:
    ranking = circular.data["rankings"][level]
    return {row["name"] for row in ranking["rows"] + ranking["unranked"]}


def test_ganzhou_art20_the_city_and_each_county_draft_their_own_on_the_first_working_day(regions, org):
    rate(org["zhanggong"], 5)
    rate(org["nankang"], 4)
    rebuild()
    with at(dt.date(2026, 11, 1)):  # a Sunday
        assert generate_monthly_circulars() == 0
    with at(dt.date(2026, 11, 2)):  # Monday: the first working day of November
        assert generate_monthly_circulars() == 4
        assert generate_monthly_circulars() == 0  # idempotent
    made = {c.region.name: c for c in Circular.objects.select_related("region")}
    assert set(made) == {"江西省", "赣州市", "章贡区", "南康区"}  # not the 街道 nor the 社区
    assert {(c.period, c.state, c.created_by) for c in made.values()} == {("2026-10", "draft", None)}
    # Each for its own scope: a county ranks only its own departments, the city its counties.
    assert names(made["南康区"], "department") == {"南康区市场监督管理局"}
    assert names(made["赣州市"], "region") == {"章贡区", "南康区"}
    assert made["赣州市"].data["summary"]["sample"] == 2 and made["章贡区"].data["summary"]["sample"] == 1


def test_a_beat_missed_over_the_national_day_is_made_up_later(regions, org):
    with at(dt.date(2026, 10, 7)):  # the holiday: not yet
        assert generate_monthly_circulars() == 0
    with at(dt.date(2026, 10, 12)):  # the 8th and 9th were missed
        assert generate_monthly_circulars() == 4
    assert set(Circular.objects.values_list("period", flat=True)) == {"2026-09"}
