"""Held and ruled flagged ratings in the rollups, rankings (page and API) and dashboard (issue 12.3).

"自愿真实" (Tianjin art. 4, Qingdao art. 4): a burst-flagged rating nobody reviewed is held out of the
figures for at most the policy's N working days and then counts without anyone acting — the periodic
rollup refresh rebuilds its slice when the hold ends. 51号 五(二) "排除误评和恶意差评": a rating the
office ruled 刷评 or 恶意评价 leaves every figure. Scores and rankings say how many were held.
"""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from evaluations.models import Evaluation, Policy, Preset, Role, User
from evaluations.services.apikeys import apikey_create
from evaluations.services.flags import flag_review_decide
from reporting.models import DepartmentDaily, DepartmentMonthly
from reporting.rollups.build import rollup_refresh
from workorders.models import State

from ..db_roles import as_owner
from .reporting_fixtures import TZ, order
from .reporting_fixtures import rate as rate_at

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]

MONDAY = dt.datetime(2026, 11, 2, 10, 0, tzinfo=TZ)  # Monday 2 November 2026
BURST = "同一窗口 2 分钟内评价超过 5 次"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def office(regions, org) -> User:
    Policy.from_preset(Preset.GANZHOU, region=regions["city"], min_sample=2).save()
    return User.objects.create_user(
        username="city", password="pw-for-tests-1", name="市管理办", role=Role.OFFICE, region=regions["city"]
    )


def rate(side: dict, grade: int, *, at: dt.datetime = MONDAY) -> Evaluation:
    return rate_at(side, grade, at=at)


def flagged(side: dict, grade: int, *, at: dt.datetime = MONDAY) -> Evaluation:
    evaluation = rate(side, grade, at=at)
    with as_owner():  # intake sets the flag at INSERT; the app role may not change it afterwards
        Evaluation.objects.filter(pk=evaluation.pk).update(
            flagged=True, flag_reason=BURST, ip_address="10.1.2.3"
        )
    evaluation.refresh_from_db()
    return evaluation


def november(department) -> DepartmentMonthly:
    return DepartmentMonthly.objects.get(month=dt.date(2026, 11, 1), department=department)


@pytest.fixture
def key(db) -> str:
    return apikey_create(by=None, name="大屏", reads_rankings=True)[1]


def api_row(client, key: str, name: str = "章贡区市场监督管理局") -> dict:
    response = client.get(
        "/api/v1/rankings", {"period": "2026-11"}, headers={"Authorization": f"Bearer {key}"}
    )
    assert response.status_code == 200
    return next(row for row in response.json()["rows"] if row["name"] == name)


def test_tianjin_art4_a_held_rating_counts_after_three_working_days_without_anyone_acting(clock, org, office):
    side = org["zhanggong"]
    rate(side, 5)
    rate(side, 5)
    held = flagged(side, 1)
    rollup_refresh()
    row = november(side["department"])
    assert (row.g1, row.g5, row.held) == (0, 2, 1)

    clock.move_to(dt.datetime(2026, 11, 4, 23, 50, tzinfo=TZ))  # Wednesday night: still held
    rollup_refresh()
    assert november(side["department"]).held == 1

    clock.move_to(dt.datetime(2026, 11, 5, 0, 1, tzinfo=TZ))  # Thursday: nobody acted, nothing new rated
    result = rollup_refresh()
    assert result.slices == 1
    row = november(side["department"])
    assert (row.g1, row.g5, row.held) == (1, 2, 0)
    assert Evaluation.objects.get(pk=held.pk).validity == "valid"


def test_tianjin_art4_a_refresh_missed_for_days_still_releases_the_hold(clock, org, office):
    side = org["zhanggong"]
    flagged(side, 5)
    rollup_refresh()
    assert november(side["department"]).held == 1
    clock.move_to(dt.datetime(2026, 11, 9, 9, 0, tzinfo=TZ))  # beat was down from Monday to next Monday
    rollup_refresh()
    assert (november(side["department"]).g5, november(side["department"]).held) == (1, 0)


def test_a_confirmed_flag_counts_at_the_next_refresh(org, office):
    side = org["zhanggong"]
    evaluation = flagged(side, 4)
    rollup_refresh()
    flag_review_decide(evaluation=evaluation, decision="confirmed", reason="", by=office)
    rollup_refresh()
    row = november(side["department"])
    assert (row.g4, row.held, row.ruled) == (1, 0, 0)


def test_51hao_5_2_a_ruled_rating_leaves_every_figure_and_the_rankings(clock, client, key, org, office):
    """A flagged rating whose hold ended counts; ruled 刷评 afterwards, it leaves the sample and the score."""
    side = org["zhanggong"]
    rate(side, 3)
    rate(side, 3)
    rate(side, 3)
    brushed = flagged(side, 5)
    rollup_refresh()
    assert (api_row(client, key)["sample"], api_row(client, key)["held"]) == (3, 1)

    clock.move_to(dt.datetime(2026, 11, 6, 10, 0, tzinfo=TZ))  # Friday: the hold ended on Thursday
    rollup_refresh()
    before = api_row(client, key)
    assert (before["sample"], before["held"], before["ruled"], before["quality"]) == (4, 0, 0, 8.5)

    flag_review_decide(evaluation=brushed, decision="ruled", reason="同一地址连续刷好评", by=office)
    rollup_refresh()
    after = api_row(client, key)
    assert (after["sample"], after["held"], after["ruled"], after["quality"]) == (3, 0, 1, 8.0)
    assert after["composite"] < before["composite"]
    daily = DepartmentDaily.objects.get(day=dt.date(2026, 11, 2), department=side["department"])
    assert (daily.g5, daily.voided, daily.ruled) == (0, 0, 1)  # ruled, not an appeal's 申诉成立


def test_a_held_bad_review_is_out_of_the_grades_but_its_work_order_counts_as_on_the_board(org, office):
    side = org["zhanggong"]
    order(flagged(side, 1), state=State.HANDLING)
    rollup_refresh()
    row = november(side["department"])
    assert (row.g1, row.held, row.orders) == (0, 1, 1)


def test_rankings_api_gives_the_held_count_beside_the_contracted_fields(client, key, org, office):
    side = org["zhanggong"]
    rate(side, 5)
    rate(side, 4)
    flagged(side, 5)
    flagged(side, 5)
    rollup_refresh()
    row = api_row(client, key)
    assert (row["sample"], row["held"], row["ruled"]) == (2, 2, 0)
    schema = client.get("/api/openapi.json").json()["components"]["schemas"]["RankingRowOut"]["properties"]
    assert "暂缓计入" in schema["held"]["description"] and "刷评或恶意评价" in schema["ruled"]["description"]


def test_the_rankings_page_shows_how_many_were_held_and_ruled(client, org, office):
    side = org["zhanggong"]
    rate(side, 5)
    rate(side, 4)
    flagged(side, 5)
    flag_review_decide(evaluation=flagged(side, 5), decision="ruled", reason="刷评", by=office)
    rollup_refresh()
    client.force_login(office)
    html = client.get(reverse("reporting:rankings"), {"period": "2026-11"}).content.decode()
    assert "1 条待核查评价暂缓计入，1 条认定为刷评或恶意评价，不计入" in html
    assert ">暂缓计入<" in html.replace(" ▼", "").replace(" ▲", "")
    assert '<td class="num rk-held"><span title="待核查，暂不计入样本和各项指标">1</span></td>' in html


def test_the_dashboard_shows_how_many_were_held(client, org, office):
    side = org["zhanggong"]
    rate(side, 5)
    flagged(side, 5)
    flagged(side, 1)
    rollup_refresh()
    client.force_login(office)
    html = client.get(reverse("reporting:dashboard"), {"period": "2026-11"}).content.decode()
    assert "另有 2 件待核查，暂缓计入" in html
    assert "待核查暂缓计入 <strong>2</strong> 件" in html
