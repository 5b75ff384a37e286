"""季度随机回访 (Qingdao art. 17): a reproducible draw, logged phone reveals, results and the report."""

import datetime as dt
import math
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluations.models import Role, User
from evaluations.policies import policy_for_region
from reporting.models import RevisitCall, RevisitReveal, RevisitSample
from reporting.periods import Period
from reporting.revisits.service import (
    RevisitAlreadyDrawn,
    RevisitError,
    revisit_draw,
    revisit_population,
    revisit_record,
    revisit_redraw_ids,
    revisit_report,
    revisit_reveal_phone,
)

from ..db_roles import as_owner
from .reporting_fixtures import NOVEMBER_2026

pytestmark = [pytest.mark.django_db, pytest.mark.calendar, pytest.mark.usefixtures("november_2026")]

TZ = dt.timezone(dt.timedelta(hours=8))


def discard(sample: RevisitSample) -> None:
    """Undo a draw to draw again. The app never deletes a sample: the deletion reaches the reveal log,
    which the app role may not delete from (config/database_roles.py), so the test does it as the owner."""
    with as_owner():
        sample.delete()


Q3 = Period.parse("2026-Q3")


def _done_at(day: dt.date) -> dict:
    completed = dt.datetime.combine(day, dt.time(10, 0), tzinfo=TZ)
    return {"accepted_at": completed - dt.timedelta(hours=2), "completed_at": completed}


@pytest.fixture
def quarter_cases(make_record, org) -> list:
    """40 completed 章贡区 cases with a phone in 2026-Q3, plus cases that must stay out of the draw."""
    cases = [
        make_record(
            f"Q3-{n:03d}", applicant_phone=f"1381234{n:04d}", **_done_at(dt.date(2026, 7, 1 + n % 28))
        )
        for n in range(40)
    ]
    make_record("Q3-NOPHONE", applicant_phone="", **_done_at(dt.date(2026, 8, 3)))
    make_record("Q4-001", **_done_at(dt.date(2026, 10, 1)))
    # Midnight of 1 October in Beijing is still 30 September in UTC: it belongs to Q4.
    make_record(
        "Q4-EDGE",
        accepted_at=dt.datetime(2026, 9, 30, 20, 0, tzinfo=TZ),
        completed_at=dt.datetime(2026, 10, 1, 0, 0, 30, tzinfo=TZ),
    )
    nankang = org["nankang"]
    make_record(
        "NK-001",
        matter_code=nankang["matter"].code,
        department_code=nankang["department"].code,
        region_code=nankang["department"].region.code,
        window_code=nankang["window"].code,
        staff_no=nankang["staff"].staff_no,
        **_done_at(dt.date(2026, 8, 10)),
    )
    return cases


@pytest.fixture
def hotline(regions) -> User:
    return User.objects.create_user(
        username="hotline",
        password="pw-for-tests-1",
        name="12345坐席",
        role=Role.HOTLINE,
        region=regions["city"],
    )


def _ids(sample: RevisitSample) -> list[int]:
    return list(sample.calls.order_by("position").values_list("record_id", flat=True))


def test_the_population_is_the_quarters_completed_cases_with_a_phone_in_the_region(regions, quarter_cases):
    serials = set(revisit_population(regions["zhanggong"], Q3).values_list("serial_no", flat=True))
    assert serials == {case.serial_no for case in quarter_cases}
    assert revisit_population(regions["city"], Q3).count() == 41  # 章贡区 and 南康区


def test_the_same_seed_draws_the_same_sample(regions, quarter_cases, owner):
    first = revisit_draw(region=regions["zhanggong"], quarter=Q3, by=owner, percent=10, seed="a-known-seed")
    drawn = _ids(first)
    assert len(drawn) == 4 and first.seed == "a-known-seed"
    assert revisit_redraw_ids(first) == drawn
    discard(first)
    again = revisit_draw(region=regions["zhanggong"], quarter=Q3, by=owner, percent=10, seed="a-known-seed")
    assert _ids(again) == drawn
    assert list(again.calls.values_list("position", flat=True)) == [1, 2, 3, 4]
    discard(again)
    other = revisit_draw(region=regions["zhanggong"], quarter=Q3, by=owner, percent=10, seed="another-seed")
    assert _ids(other) != drawn


def test_the_default_seed_is_random_stored_and_reproduces_the_list(regions, quarter_cases, owner):
    first = revisit_draw(region=regions["zhanggong"], quarter=Q3, by=owner, percent=50)
    assert len(first.seed) == 16 and int(first.seed, 16) >= 0
    assert first.seed != f"{regions['zhanggong'].code}-{Q3}"  # nothing anyone could compute in advance
    assert revisit_redraw_ids(first) == _ids(first)
    seed, drawn = first.seed, _ids(first)
    discard(first)
    second = revisit_draw(region=regions["zhanggong"], quarter=Q3, by=owner, percent=50)
    assert second.seed != seed
    discard(second)
    assert (
        _ids(revisit_draw(region=regions["zhanggong"], quarter=Q3, by=owner, percent=50, seed=seed)) == drawn
    )


def test_a_quarter_that_has_not_ended_cannot_be_drawn(regions, quarter_cases, owner):
    current = Period.quarter_of(timezone.localdate())
    with pytest.raises(RevisitError, match="只能对已经结束的季度抽样"):
        revisit_draw(region=regions["zhanggong"], quarter=current, by=owner, percent=10)
    with pytest.raises(RevisitError, match="只能对已经结束的季度抽样"):
        revisit_draw(region=regions["zhanggong"], quarter=current.next(), by=owner, percent=10)
    assert not RevisitSample.objects.exists()


def test_the_share_comes_from_the_policy_and_is_rounded_up(regions, quarter_cases, owner):
    sample = revisit_draw(region=regions["zhanggong"], quarter=Q3, by=owner)
    share = policy_for_region(regions["zhanggong"]).revisit_sample_percent
    assert sample.percent == share == Decimal(5)
    assert sample.population == 40
    assert sample.calls.count() == math.ceil(40 * 5 / 100) == 2
    city = revisit_draw(region=regions["city"], quarter=Q3, by=owner, percent=Decimal("7.5"))
    assert city.population == 41 and city.calls.count() == 4  # 3.075 rounds up to 4


def test_a_quarter_is_drawn_only_once(regions, quarter_cases, owner):
    sample = revisit_draw(region=regions["zhanggong"], quarter=Q3, by=owner, percent=10)
    with pytest.raises(RevisitAlreadyDrawn) as refused:
        revisit_draw(region=regions["zhanggong"], quarter=Q3, by=owner, percent=50)
    assert refused.value.sample == sample and "每个季度只抽样一次" in str(refused.value)
    assert RevisitSample.objects.count() == 1 and sample.calls.count() == 4


def test_the_draw_page_draws_and_a_second_draw_leads_to_the_first(client, regions, quarter_cases, owner):
    client.force_login(owner)
    data = {"region": regions["zhanggong"].pk, "quarter": "2026-q3", "percent": "10"}
    response = client.post(reverse("reporting:revisits"), data)
    sample = RevisitSample.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "reporting:revisit_sample", args=[sample.pk]
    )
    assert (sample.quarter, sample.drawn_by, sample.calls.count()) == ("2026-Q3", owner, 4)
    response = client.post(reverse("reporting:revisits"), data, follow=True)
    assert "已于" in response.content.decode() and RevisitSample.objects.count() == 1
    listing = client.get(reverse("reporting:revisits")).content.decode()
    assert "2026-Q3" in listing and "章贡区" in listing


@pytest.mark.parametrize(
    ("quarter", "percent", "message"),
    [
        ("2026-13", "5", "季度格式应为 YYYY-Qn"),
        ("2026-10", "5", "季度格式应为 YYYY-Qn"),
        ("2099-Q1", "5", "只能对已经结束的季度抽样"),
        (str(Period.quarter_of(NOVEMBER_2026.date())), "5", "只能对已经结束的季度抽样"),  # its moment
        ("2026-Q3", "0", "抽样比例应在 0.01 到 100 之间"),
        ("2026-Q3", "150", "抽样比例应在 0.01 到 100 之间"),
        ("2026-Q3", "五", "抽样比例应为数字"),
    ],
)
def test_a_bad_quarter_or_percent_gets_a_chinese_error(client, regions, owner, quarter, percent, message):
    client.force_login(owner)
    data = {"region": regions["zhanggong"].pk, "quarter": quarter, "percent": percent}
    response = client.post(reverse("reporting:revisits"), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not RevisitSample.objects.exists()


def test_an_outsider_can_neither_draw_nor_open_another_districts_sample(
    client, regions, quarter_cases, owner, outsider
):
    sample = revisit_draw(region=regions["zhanggong"], quarter=Q3, by=owner, percent=10)
    call = sample.calls.first()
    client.force_login(outsider)
    response = client.post(
        reverse("reporting:revisits"), {"region": regions["zhanggong"].pk, "quarter": "2026-Q3"}
    )
    assert response.status_code == 422 and "请选择您管辖范围内的区划" in response.content.decode()
    assert "章贡区" not in client.get(reverse("reporting:revisits")).content.decode()
    assert client.get(reverse("reporting:revisit_sample", args=[sample.pk])).status_code == 404
    assert client.post(reverse("reporting:revisit_call_reveal", args=[call.pk])).status_code == 404
    assert client.post(reverse("reporting:revisit_call_record", args=[call.pk]), {}).status_code == 404
    assert not RevisitReveal.objects.exists()


def test_someone_who_does_not_call_gets_403(client, regions, quarter_cases, owner, colleague):
    sample = revisit_draw(region=regions["zhanggong"], quarter=Q3, by=owner, percent=10)
    call = sample.calls.first()
    client.force_login(colleague)  # a department handler
    assert client.get(reverse("reporting:revisits")).status_code == 403
    assert client.get(reverse("reporting:revisit_sample", args=[sample.pk])).status_code == 403
    assert client.post(reverse("reporting:revisit_call_reveal", args=[call.pk])).status_code == 403
    with pytest.raises(ValueError, match="只有管理部门和 12345 热线"):
        revisit_reveal_phone(call=call, by=colleague)
    assert not RevisitReveal.objects.exists()


def test_the_list_masks_phones_and_every_reveal_is_logged(client, regions, quarter_cases, hotline, owner):
    sample = revisit_draw(region=regions["zhanggong"], quarter=Q3, by=owner, percent=10)
    call = sample.calls.select_related("record").first()
    phone = call.record.applicant_phone
    client.force_login(hotline)
    page = client.get(reverse("reporting:revisit_sample", args=[sample.pk])).content.decode()
    assert f"{phone[:3]}****{phone[-4:]}" in page and phone not in page
    assert call.record.matter.name in page and call.record.department.name in page
    response = client.post(reverse("reporting:revisit_call_reveal", args=[call.pk]))
    assert response.status_code == 200 and phone in response.content.decode()
    response = client.post(
        reverse("reporting:revisit_call_reveal", args=[call.pk]), headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert response.status_code == 200 and phone in body and f'id="call-{call.pk}"' in body
    reveals = RevisitReveal.objects.filter(call=call)
    assert reveals.count() == 2 and set(reveals.values_list("by", flat=True)) == {hotline.pk}
    # The page itself still shows only the masked number.
    assert phone not in client.get(reverse("reporting:revisit_sample", args=[sample.pk])).content.decode()


def test_a_result_is_recorded_with_the_caller_and_time(client, regions, quarter_cases, hotline, owner):
    sample = revisit_draw(region=regions["zhanggong"], quarter=Q3, by=owner, percent=10)
    call = sample.calls.first()
    client.force_login(hotline)
    url = reverse("reporting:revisit_call_record", args=[call.pk])
    prefix = f"c{call.pk}"
    response = client.post(url, {f"{prefix}-result": "satisfied", f"{prefix}-note": "窗口服务热情"})
    assert response.status_code == 302 and response.url.endswith(f"#call-{call.pk}")
    call.refresh_from_db()
    assert (call.result, call.note, call.caller) == ("satisfied", "窗口服务热情", hotline)
    assert call.called_at is not None
    # Without a result the row says why, in Chinese; the earlier result stays.
    response = client.post(url, {f"{prefix}-note": "再打一次"})
    assert response.status_code == 422 and "请选择回访结果" in response.content.decode()
    call.refresh_from_db()
    assert call.result == "satisfied"
    # With htmx, the row and the report block come back.
    response = client.post(url, {f"{prefix}-result": "unreachable"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200 and 'id="rv-report"' in body and "hx-swap-oob" in body
    call.refresh_from_db()
    assert call.result == "unreachable" and call.note == ""


def test_the_report_counts_results_and_satisfaction_with_its_numerator(client, regions, quarter_cases, owner):
    sample = revisit_draw(region=regions["zhanggong"], quarter=Q3, by=owner, percent=20)  # 8 calls
    calls = list(sample.calls.order_by("position"))
    for call, result in zip(calls, ["satisfied", "satisfied", "dissatisfied", "unreachable"], strict=False):
        revisit_record(call=call, result=result, note="", by=owner)
    report = revisit_report(sample)
    assert (report.total, report.satisfied, report.dissatisfied, report.unreachable, report.pending) == (
        8,
        2,
        1,
        1,
        4,
    )
    assert (report.numerator, report.denominator) == (2, 3)
    assert report.satisfaction == pytest.approx(2 / 3)
    client.force_login(owner)
    page = client.get(reverse("reporting:revisit_sample", args=[sample.pk])).content.decode()
    assert "66.7%" in page and "分子（满意）2" in page and "分母（满意 + 不满意）3" in page
    pending = client.get(
        reverse("reporting:revisit_sample", args=[sample.pk]) + "?show=pending"
    ).content.decode()
    assert pending.count('class="rv-row"') == 4


def test_a_sample_without_answers_has_no_satisfaction(regions, quarter_cases, owner):
    sample = revisit_draw(region=regions["zhanggong"], quarter=Q3, by=owner, percent=10)
    revisit_record(call=sample.calls.first(), result=RevisitCall.Result.UNREACHABLE, note="", by=owner)
    report = revisit_report(sample)
    assert report.satisfaction is None and report.denominator == 0 and report.unreachable == 1


def test_the_sample_list_counts_in_one_query_and_is_paged(
    client, regions, quarter_cases, owner, django_assert_max_num_queries
):
    sample = revisit_draw(region=regions["zhanggong"], quarter=Q3, by=owner, percent=20)  # 8 calls
    calls = list(sample.calls.order_by("position"))
    revisit_record(call=calls[0], result="satisfied", note="", by=owner)
    revisit_record(call=calls[1], result="dissatisfied", note="", by=owner)
    for year in range(2001, 2024):  # 23 more samples of past quarters, without cases
        revisit_draw(region=regions["zhanggong"], quarter=Period.parse(f"{year}-Q1"), by=owner, percent=10)
    client.force_login(owner)
    url = reverse("reporting:revisits")
    with django_assert_max_num_queries(12):
        first = client.get(url).content.decode()
    assert "第 1 / 2 页" in first and "下一页" in first and first.count("-Q1</a>") == 19
    second = client.get(url, {"page": 2}).content.decode()
    assert "第 2 / 2 页" in second and "2026-Q3</a>" not in second and "2001-Q1</a>" in second
    assert first.count("-Q1</a>") + second.count("-Q1</a>") == 23
    row = first[first.index("2026-Q3</a>") :]
    assert "50.0%" in row and "1/2" in row  # 满意 1, 不满意 1; 2 of 8 called


def test_the_admin_lists_every_reveal_read_only_without_a_query_per_row(
    client, regions, quarter_cases, owner, hotline, sysadmin, django_assert_max_num_queries
):
    sample = revisit_draw(region=regions["zhanggong"], quarter=Q3, by=owner, percent=50)  # 20 calls
    calls = list(sample.calls.order_by("position"))
    for call in calls:
        revisit_reveal_phone(call=call, by=hotline)
        revisit_record(call=call, result="satisfied", note="", by=hotline)
    client.force_login(sysadmin)
    url = "/admin/reporting/revisitreveal/"
    with django_assert_max_num_queries(12):
        page = client.get(url)
    assert page.status_code == 200 and len(page.context["cl"].result_list) == 20
    assert "12345坐席" in page.content.decode() and f"{sample} #1" in page.content.decode()
    assert client.get(f"{url}add/").status_code == 403
    reveal = RevisitReveal.objects.first()
    assert client.post(f"{url}{reveal.pk}/delete/").status_code == 403
    with django_assert_max_num_queries(20):
        inline = client.get(f"/admin/reporting/revisitsample/{sample.pk}/change/")
    assert inline.status_code == 200 and calls[-1].record.serial_no in inline.content.decode()


def test_the_reveal_admin_shows_only_reveals_in_the_users_scope(rf, regions, quarter_cases, owner, outsider):
    from django.contrib.admin.sites import site

    sample = revisit_draw(region=regions["zhanggong"], quarter=Q3, by=owner, percent=10)
    revisit_reveal_phone(call=sample.calls.first(), by=owner)
    model_admin = site._registry[RevisitReveal]
    for user, seen in ((owner, 1), (outsider, 0)):
        request = rf.get("/admin/reporting/revisitreveal/")
        request.user = user
        assert model_admin.get_queryset(request).count() == seen
