"""Hand-computed figures for a small data set: every rate, the composite, voided reviews, default
ratings, timed-out 未评, ties in a ranking, scope, and the rollups kept current by the refresh."""

import datetime as dt
from dataclasses import fields

import pytest

from evaluations.models import Department, Hall, Policy, ServiceMatter, Staff, Window
from reporting.models import DailyRollup, DepartmentDaily, DepartmentMonthly, Measures
from reporting.periods import Period
from reporting.rankings import Scope, build_ranking, scale_for
from reporting.rollups.build import rollup_rebuild, rollup_refresh
from reporting.scoring import Scale, Totals, figures
from workorders.models import State, WorkOrderEvent

from ..helpers import make_uscc
from .reporting_fixtures import OCTOBER, order, rate, rebuild

pytestmark = [pytest.mark.django_db, pytest.mark.calendar, pytest.mark.usefixtures("november_2026")]
OCT = Period.parse("2026-10")


@pytest.fixture
def tianjin(regions):
    policy = Policy.from_preset("tianjin", region=regions["province"], min_sample=5)
    policy.save()
    return policy


def hand_made(side: dict) -> None:
    """10 ratings, 3 未评, 2 voided; 3 valid bad reviews with orders at different stages."""
    for _ in range(3):
        rate(side, 5)
    rate(side, 4)
    rate(side, 4)
    rate(side, 4, kind="default", channel="default")
    rate(side, 3)
    order(rate(side, 1, real_name=True), state=State.CLOSED, rectified=True, revisit="satisfied")
    order(rate(side, 1, real_name=True), state=State.HANDLING)
    order(rate(side, 2), state=State.CLOSED, rectified=True, on_time=False, revisit="dissatisfied")
    order(rate(side, 2, validity="not_adopted"), state=State.VOIDED)  # 不予采纳: out of every figure
    rate(side, 1, validity="unevaluated")  # Tianjin: an invalid bad review is recorded as 未评
    rate(side, None, kind="unevaluated")
    rate(side, None, kind="unevaluated")


def department_row(ranking, department):
    return next(row for row in ranking.rows + ranking.unranked if row.code == department.code)


def test_every_figure_by_hand(org, tianjin):
    hand_made(org["zhanggong"])
    rebuild()
    ranking = build_ranking("department", OCT, Scope(), scale_for(Scope()))
    row = department_row(ranking, org["zhanggong"]["department"])
    f = row.figures
    totals = f.totals
    assert (totals.g5, totals.g4, totals.g3, totals.g2, totals.g1) == (3, 3, 1, 1, 2)
    assert (totals.defaults, totals.unevaluated, totals.voided) == (1, 3, 2)
    assert row.sample == 10
    # quality: (3×10 + 3×10 + 8 + 5 + 2×0) / 10 ratings
    assert (f.quality.num, f.quality.den, f.quality.value) == (73, 10, 7.3)
    # active: 9 active of 13 occasions (10 ratings + 3 未评); the default 满意 is a timeout
    assert (f.active_rate.num, f.active_rate.den) == (9, 13)
    assert (f.good_rate.num, f.good_rate.den) == (6, 10)
    assert (f.bad_rate.num, f.bad_rate.den) == (3, 10)
    assert (f.unevaluated_rate.num, f.unevaluated_rate.den) == (3, 13)
    assert (f.rectification_rate.num, f.rectification_rate.den) == (2, 3)
    assert (f.on_time_rate.num, f.on_time_rate.den) == (1, 3)
    assert (f.revisit_satisfaction.num, f.revisit_satisfaction.den) == (1, 2)
    assert (f.realname_revisit_rate.num, f.realname_revisit_rate.den) == (1, 2)
    # 30 × 7.3/10 + 15 × 9/13 + 30 × 2/3 + 25 × 1/2 = 21.9 + 10.3846 + 20 + 12.5
    assert f.composite == 64.78


def test_no_bad_review_means_rectification_fully_met():
    scale = Scale(points={5: 10, 4: 10, 3: 8, 2: 5, 1: 0}, weights={
        "quality": 30, "active": 15, "rectification": 30, "revisit": 25,
    }, min_sample=1, low_rank_bottom=1, low_rank_periods=1)  # fmt: skip
    result = figures(Totals(g5=4), scale)
    assert result.rectification_rate.value is None  # shown as "—"
    assert result.composite == 100.0
    assert figures(Totals(unevaluated=2), scale).composite is None  # nothing rated: not scored


def test_default_ratings_are_ratings_but_not_active(org, tianjin):
    side = org["zhanggong"]
    for _ in range(4):
        rate(side, 4, kind="default", channel="default")
    rate(side, 5)
    rebuild()
    f = department_row(
        build_ranking("department", OCT, Scope(), scale_for(Scope())), side["department"]
    ).figures
    assert (f.good_rate.num, f.good_rate.den) == (5, 5)
    assert (f.active_rate.num, f.active_rate.den) == (1, 5)


def test_ties_share_a_rank_and_small_samples_stand_apart(regions, org, tianjin):
    hand_made(org["zhanggong"])
    hand_made(org["nankang"])
    third = Department.objects.create(
        name="南康区人社局", code=make_uscc(regions["nankang"].code, 7), region=regions["nankang"]
    )
    hall = Hall.objects.create(code="H-3", name="南康区人社大厅", region=regions["nankang"])
    window = Window.objects.create(hall=hall, code="W-3", name="社保窗口")
    side = {
        "department": third,
        "window": window,
        "staff": Staff.objects.create(name="李四", staff_no="S-3", department=third, window=window),
        "matter": ServiceMatter.objects.create(code="M-3", name="社保卡补办", department=third),
    }
    for _ in range(6):
        order(rate(side, 2, comment="慢"))
    small = {**side, "department": Department.objects.create(
        name="南康区档案馆", code=make_uscc(regions["nankang"].code, 8), region=regions["nankang"]
    )}  # fmt: skip
    rate(small, 5)
    rebuild()
    ranking = build_ranking("department", OCT, Scope(), scale_for(Scope()))
    assert [(row.name, row.rank) for row in ranking.rows] == [
        (org["zhanggong"]["department"].name, 1),
        (org["nankang"]["department"].name, 1),
        ("南康区人社局", 3),
    ]
    assert [(row.name, row.sample) for row in ranking.unranked] == [("南康区档案馆", 1)]


def test_rankings_stay_in_scope(regions, org, tianjin, outsider, colleague):
    hand_made(org["zhanggong"])
    hand_made(org["nankang"])
    rebuild()
    scale = scale_for(Scope())
    seen = build_ranking("department", OCT, Scope.for_user(outsider), scale)
    assert [row.code for row in seen.rows + seen.unranked] == [org["nankang"]["department"].code]
    seen = build_ranking("staff", OCT, Scope.for_user(colleague), scale)
    assert [row.code for row in seen.rows + seen.unranked] == [org["zhanggong"]["staff"].staff_no]
    counties = build_ranking("region", OCT, Scope.for_region(regions["city"]), scale)
    assert counties.region_level == 3
    assert sorted(row.code for row in counties.rows) == [regions["zhanggong"].code, regions["nankang"].code]


def test_refresh_folds_in_new_ratings_and_order_changes(org, tianjin):
    side = org["zhanggong"]
    rate(side, 5)
    bad = rate(side, 1)
    work = order(bad, state=State.HANDLING)
    WorkOrderEvent.objects.create(order=work, kind=WorkOrderEvent.Kind.CREATED, to_state=State.HANDLING)
    assert rollup_refresh().slices == 1
    row = DepartmentDaily.objects.get(department=side["department"])
    assert (row.g5, row.g1, row.orders, row.rectified) == (1, 1, 1, 0)

    # The office approves the rectification later: the event brings the slice back into the refresh.
    type(work).objects.filter(pk=work.pk).update(approved_at=OCTOBER + dt.timedelta(days=2))
    WorkOrderEvent.objects.create(order=work, kind=WorkOrderEvent.Kind.TRANSITION, to_state=State.REVISITING)
    rollup_refresh()
    row = DepartmentDaily.objects.get(department=side["department"])
    assert (row.orders, row.rectified) == (1, 1)
    month = DepartmentMonthly.objects.get(department=side["department"])
    assert (month.month, month.g5, month.g1, month.rectified) == (dt.date(2026, 10, 1), 1, 1, 1)
    # Running it again changes nothing and duplicates nothing.
    rollup_refresh()
    assert DepartmentDaily.objects.filter(department=side["department"]).count() == 1
    assert DailyRollup.objects.filter(department=side["department"]).count() == 1
    assert DepartmentMonthly.objects.filter(department=side["department"]).count() == 1


def test_rebuild_is_exact_and_rerunnable(org, tianjin):
    hand_made(org["zhanggong"])
    first = dt.date(2026, 10, 1)
    rollup_rebuild(first=first, last=dt.date(2026, 10, 31))
    rollup_rebuild(first=first, last=dt.date(2026, 10, 31))
    rows = DailyRollup.objects.filter(day=OCTOBER.date())
    assert sum(r.g1 + r.g2 + r.g3 + r.g4 + r.g5 for r in rows) == 10
    assert DepartmentDaily.objects.get(day=OCTOBER.date()).unevaluated == 3
    assert DepartmentMonthly.objects.get(month=dt.date(2026, 10, 1)).unevaluated == 3


def test_a_rating_counts_on_its_beijing_day(org, tianjin):
    late = dt.datetime(2026, 10, 31, 16, 30, tzinfo=dt.UTC)  # 2026-11-01 00:30 in Beijing
    rate(org["zhanggong"], 5, at=late)
    rebuild()
    assert DepartmentDaily.objects.get().day == dt.date(2026, 11, 1)


def test_totals_fields_follow_the_rollup_columns():
    # reporting.rankings.units builds Totals positionally from the rollup sums.
    assert tuple(field.name for field in fields(Totals)) == Measures.MEASURES


def test_the_rollup_command_rebuilds_a_range_and_refreshes(org, tianjin):
    from io import StringIO

    from django.core.management import call_command

    hand_made(org["zhanggong"])
    out = StringIO()
    call_command("rollup", "rebuild", "--from", "2026-10-01", "--to", "2026-10-31", stdout=out)
    assert "rebuilt 31 days 2026-10-01..2026-10-31" in out.getvalue()
    assert DepartmentMonthly.objects.get().g1 == 2
    call_command("rollup", "refresh", stdout=out)
    assert "refreshed 1 slices over 1 days" in out.getvalue()


def test_active_rate_counts_cases_not_every_staff_rating_or_follow_up(org, tianjin):
    side = org["zhanggong"]
    for _ in range(3):  # three cases rated: the matter at completion and the staff who served
        rate(side, 5)
        rate(side, 5, target="staff")
    rate(side, 4, target="staff", stage="intake")  # at intake, of a case that then timed out
    rate(side, None, kind="unevaluated")
    rate(side, 5, assess_number=2)  # a 追评 of a rated case
    rebuild()
    ranking = build_ranking("department", OCT, Scope(), scale_for(Scope()))
    f = department_row(ranking, side["department"]).figures
    assert (f.active_rate.num, f.active_rate.den) == (3, 4)  # 3 cases rated of 4 settled
    assert (f.unevaluated_rate.num, f.unevaluated_rate.den) == (1, 4)
    assert f.sample == 8  # every rating counts for quality and 好评率
    matters = build_ranking("matter", OCT, Scope(), scale_for(Scope()))
    assert [row.sample for row in matters.rows + matters.unranked] == [4]  # staff ratings left out


def test_a_tie_at_the_bottom_flags_every_unit_in_it(regions, org):
    from reporting.rankings.ranking import _bottom

    assert _bottom({"a": 1, "b": 2, "c": 3, "d": 3, "e": 3}, 2) == {"c", "d", "e"}
    assert _bottom({"a": 1, "b": 2, "c": 3, "d": 4}, 2) == {"c", "d"}
    assert _bottom({"a": 1, "b": 1}, 2) == set()  # too few ranked to call anyone low


def test_no_revisit_points_for_bad_reviews_never_rectified():
    """水南镇: 0 of 5 valid bad reviews rectified earns neither rectification nor revisit points; a unit
    with no valid bad review at all gets both in full (reporting.scoring conventions)."""
    from reporting.scoring import Totals, rectification_term, revisit_term

    nothing_done = Totals(g1=5, g5=5, orders=5, rectified=0)
    assert (rectification_term(nothing_done), revisit_term(nothing_done)) == (0.0, 0.0)
    no_bad_review = Totals(g5=5)
    assert (rectification_term(no_bad_review), revisit_term(no_bad_review)) == (1.0, 1.0)
    half = Totals(g1=2, orders=2, rectified=2, revisit_satisfied=1)
    assert revisit_term(half) == 0.5
