"""Monthly circulars: the frozen snapshot of a hand-made month, versions, the database freeze, the Excel
workbook, the beat on the month's first working day, and who may generate and read them.

Since issue 16 generation makes a draft (figures fixed, text editable) that is frozen before publishing, and
every province-, city- and county-level office issues its own (tests/reporting/test_circular_*.py)."""

import datetime as dt
from io import BytesIO

import openpyxl
import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse

from evaluations.models import Policy
from evaluations.workdays import is_working_day
from reporting.circulars.issuing import circulars_generate_due
from reporting.circulars.service import circular_freeze, circular_generate, circular_publish
from reporting.circulars.xlsx import circular_workbook
from reporting.models import Circular
from reporting.periods import Period
from workorders.models import State

from .reporting_fixtures import OCTOBER, order, rate, rebuild

pytestmark = [pytest.mark.django_db, pytest.mark.calendar, pytest.mark.usefixtures("november_2026")]
OCT = Period.parse("2026-10")


@pytest.fixture
def city_policy(regions) -> Policy:
    """Tianjin scoring for 赣州市, ranking from 2 ratings, "low" = last place in this one month."""
    policy = Policy.from_preset(
        "tianjin", region=regions["city"], min_sample=2, low_rank_bottom=1, low_rank_periods=1
    )
    policy.save()
    return policy


@pytest.fixture
def month(org, city_policy) -> None:
    """章贡区: 5, 4, 1 (rectified, revisit 满意) and one 未评; 南康区: 5 and 3."""
    zhanggong, nankang = org["zhanggong"], org["nankang"]
    rate(zhanggong, 5)
    rate(zhanggong, 4)
    order(rate(zhanggong, 1, real_name=True), state=State.CLOSED, rectified=True, revisit="satisfied")
    rate(zhanggong, None, kind="unevaluated")
    rate(nankang, 5)
    rate(nankang, 3)
    rebuild()


def rows(circular: Circular, level: str) -> dict[str, dict]:
    ranking = circular.data["rankings"][level]
    return {row["code"]: row for row in ranking["rows"] + ranking["unranked"]}


def test_it_freezes_the_summary_and_every_ranking_of_the_month(regions, org, month, sysadmin):
    circular = circular_generate(region=regions["city"], period=OCT, by=sysadmin)
    assert (circular.version, circular.period, circular.created_by) == (1, "2026-10", sysadmin)
    assert circular.policy["preset"] == "tianjin"
    assert circular.policy["weights"] == {"quality": 30, "active": 15, "rectification": 30, "revisit": 25}
    assert circular.policy["points"]["3"] == 8 and circular.policy["min_sample"] == 2

    summary = circular.data["summary"]
    assert summary["sample"] == 5
    assert summary["quality"] == {"num": 38, "den": 5, "value": 7.6}
    assert summary["active_rate"] == {"num": 5, "den": 6, "value": 0.8333}
    assert summary["unevaluated_rate"]["num"] == 1 and summary["bad_rate"]["num"] == 1
    assert summary["composite"] == 90.3  # 30 × 0.76 + 15 × 5/6 + 30 + 25
    assert "generated_at" in circular.data

    assert set(circular.data["rankings"]) == {"region", "department", "hall", "window", "staff", "matter"}
    districts = rows(circular, "region")
    assert [districts[code]["rank"] for code in ("360703000000", "360702000000")] == [1, 2]
    departments = rows(circular, "department")
    mine = departments[org["zhanggong"]["department"].code]
    assert mine["figures"]["composite"] == 86.25  # 30 × 20/3/10 + 15 × 3/4 + 30 + 25
    assert (mine["rank"], mine["previous_rank"], mine["sample"], mine["low"]) == (2, None, 3, True)
    assert mine["name"] == "章贡区市场监督管理局"
    assert mine["figures"]["rectification_rate"] == {"num": 1, "den": 1, "value": 1.0}
    assert departments[org["nankang"]["department"].code]["figures"]["composite"] == 97.0
    assert rows(circular, "staff")[org["zhanggong"]["staff"].staff_no]["sample"] == 3


def test_a_district_circular_ranks_no_region_below_a_village(regions, org, month):
    village = circular_generate(region=regions["village"], period=OCT)
    assert "region" not in village.data["rankings"]
    district = circular_generate(region=regions["zhanggong"], period=OCT)
    assert district.data["summary"]["sample"] == 3
    assert list(rows(district, "department")) == [org["zhanggong"]["department"].code]


def test_later_ratings_and_a_rebuild_leave_a_circular_unchanged_and_regenerating_makes_version_2(
    regions, org, month
):
    first = circular_generate(region=regions["city"], period=OCT)
    frozen = first.data
    for _ in range(4):
        rate(org["zhanggong"], 1, at=OCTOBER + dt.timedelta(days=3))
    rebuild()
    first.refresh_from_db()
    assert first.data == frozen

    second = circular_generate(region=regions["city"], period=OCT)
    assert second.version == 2
    assert second.data["summary"]["sample"] == 9
    first.refresh_from_db()
    assert first.data["summary"]["sample"] == 5


def test_the_database_refuses_to_change_a_circulars_figures(regions, month):
    circular = circular_generate(region=regions["city"], period=OCT)
    with pytest.raises(DatabaseError), transaction.atomic():
        Circular.objects.filter(pk=circular.pk).update(data={})
    circular.refresh_from_db()
    assert circular.data["summary"]["sample"] == 5


def test_publishing_sets_only_the_publication_and_a_published_circular_cannot_be_deleted(
    regions, month, sysadmin
):
    draft = circular_generate(region=regions["city"], period=OCT)
    circular = circular_publish(circular=circular_freeze(circular=draft, by=sysadmin), by=sysadmin)
    circular.refresh_from_db()
    assert circular.published_at is not None and circular.published_by == sysadmin
    with pytest.raises(DatabaseError), transaction.atomic():
        Circular.objects.filter(pk=circular.pk).delete()


def test_the_workbook_has_a_summary_and_a_sheet_per_level_with_numerators(regions, org, month):
    circular = circular_generate(region=regions["city"], period=OCT)
    book = openpyxl.load_workbook(BytesIO(circular_workbook(circular)))
    assert book.sheetnames == ["概况", "区划", "部门", "大厅", "窗口", "工作人员", "事项", "逾期及未办结工单"]

    summary = book["概况"]
    cells: dict = {}
    for row in summary.iter_rows(values_only=True):
        cells.setdefault(row[0], row[1:])  # the first row of a label: the figures come before the weights
    assert cells["通报区划"][0] == "赣州市"
    assert cells["综合评分"][0] == 90.3
    assert cells["主动评价率"][:3] == (0.8333, 5, 6)
    rate_row = next(r for r in summary.iter_rows() if r[0].value == "主动评价率")
    assert rate_row[1].number_format == "0.0%"

    sheet = book["部门"]
    header = [cell.value for cell in sheet[1]]
    assert header[:7] == ["排名", "上期排名", "编码", "名称", "评价数", "综合评分", "连续靠后"]
    column = header.index("差评率")
    assert header[column + 1 : column + 3] == ["分子", "分母"]
    by_name = {row[3]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    mine = by_name["章贡区市场监督管理局"]
    assert (mine[0], mine[5], mine[6]) == (2, 86.25, "是")
    assert mine[column : column + 3] == (0.3333, 1, 3)


def test_the_download_is_an_xlsx_file(client, regions, month, owner):
    circular = circular_generate(region=regions["zhanggong"], period=OCT)
    client.force_login(owner)
    response = client.get(reverse("reporting:circular_xlsx", args=[circular.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert openpyxl.load_workbook(BytesIO(response.content)).sheetnames[0] == "概况"


# --- the beat: the first working day of the month ---------------------------------------------


def test_the_first_working_day_of_october_2026_follows_national_day():
    # 1-7 October are the National Day holiday; the calendar service says work resumes on the 8th.
    assert not any(is_working_day(dt.date(2026, 10, day)) for day in range(1, 8))
    assert is_working_day(dt.date(2026, 10, 8))


ISSUERS = ("province", "city", "zhanggong", "nankang")  # every province-, city- and county-level office


def test_the_beat_waits_for_the_first_working_day_and_acts_only_once(regions, month, city_policy):
    assert circulars_generate_due(dt.date(2026, 10, 7)) == 0  # still the holiday
    assert not Circular.objects.exists()

    assert circulars_generate_due(dt.date(2026, 10, 8)) == len(ISSUERS)
    made = Circular.objects.order_by("region__path")
    assert [c.region for c in made] == [regions[key] for key in ISSUERS]
    assert {(c.period, c.version, c.created_by, c.state) for c in made} == {("2026-09", 1, None, "draft")}
    assert circulars_generate_due(dt.date(2026, 10, 8)) == 0
    assert circulars_generate_due(dt.date(2026, 10, 9)) == 0  # the next day: already made
    assert Circular.objects.count() == len(ISSUERS)


def test_the_beat_makes_up_a_run_missed_on_the_first_working_day(regions, month, city_policy):
    assert circulars_generate_due(dt.date(2026, 10, 9)) == len(ISSUERS)  # the 8th was missed
    assert set(Circular.objects.values_list("period", flat=True)) == {"2026-09"}
    assert circulars_generate_due(dt.date(2026, 10, 9)) == 0
    assert circulars_generate_due(dt.date(2026, 10, 20)) == 0
    assert Circular.objects.count() == len(ISSUERS)


def test_the_beat_leaves_a_region_alone_that_already_has_the_month(regions, month, city_policy, sysadmin):
    circular_generate(region=regions["city"], period=Period.parse("2026-09"), by=sysadmin)
    assert circulars_generate_due(dt.date(2026, 10, 12)) == len(ISSUERS) - 1
    assert Circular.objects.get(region=regions["city"]).created_by == sysadmin


def test_regions_without_departments_issue_nothing(regions):
    assert circulars_generate_due(dt.date(2026, 11, 2)) == 0  # Monday 2 November: no department anywhere
    assert not Circular.objects.exists()


# --- pages and permissions ---------------------------------------------------------------------


def test_an_office_generates_a_circular_for_a_month_in_its_scope(client, regions, month, owner):
    client.force_login(owner)
    page = client.get(reverse("reporting:circulars"))
    assert page.status_code == 200 and "生成通报" in page.content.decode()
    response = client.post(
        reverse("reporting:circular_generate"), {"month": "2026-10", "region": regions["zhanggong"].pk}
    )
    circular = Circular.objects.get()
    assert response.status_code == 302 and response.url == reverse("reporting:circular", args=[circular.pk])
    assert (circular.region, circular.created_by) == (regions["zhanggong"], owner)
    detail = client.get(response.url).content.decode()
    assert "章贡区2026年10月政务服务“好差评”情况通报" in detail
    assert "分子" in detail and "连续靠后" in detail and "30%" in detail


def test_the_generate_form_explains_its_errors_in_chinese(client, regions, month, owner):
    client.force_login(owner)
    url = reverse("reporting:circular_generate")
    response = client.post(url, {"month": "2099-01", "region": regions["zhanggong"].pk})
    assert response.status_code == 400 and "只能生成已经结束的月份的通报" in response.content.decode()
    response = client.post(url, {"month": "2026-10", "region": regions["nankang"].pk})
    assert response.status_code == 400 and "所选区划不在您的管辖范围内" in response.content.decode()
    response = client.post(url, {"month": "", "region": regions["zhanggong"].pk})
    assert "请选择统计月份" in response.content.decode()
    assert not Circular.objects.exists()


def test_a_department_user_can_neither_generate_publish_nor_read_circulars(client, regions, month, colleague):
    circular = circular_generate(region=regions["zhanggong"], period=OCT)
    client.force_login(colleague)
    response = client.post(
        reverse("reporting:circular_generate"), {"month": "2026-10", "region": regions["zhanggong"].pk}
    )
    assert response.status_code == 403
    assert client.post(reverse("reporting:circular_publish", args=[circular.pk])).status_code == 403
    # A circular ranks every unit of the region: not a department's reading.
    assert client.get(reverse("reporting:circulars")).status_code == 403
    assert client.get(reverse("reporting:circular", args=[circular.pk])).status_code == 403
    assert client.get(reverse("reporting:circular_xlsx", args=[circular.pk])).status_code == 403
    assert Circular.objects.count() == 1


def test_a_hall_manager_cannot_read_circulars(client, regions, month, people):
    circular = circular_generate(region=regions["zhanggong"], period=OCT)
    client.force_login(people["hall_manager"])
    assert client.get(reverse("reporting:circulars")).status_code == 403
    assert client.get(reverse("reporting:circular", args=[circular.pk])).status_code == 403
    assert client.get(reverse("reporting:circular_xlsx", args=[circular.pk])).status_code == 403


def test_an_auditor_reads_but_does_not_generate(client, regions, month, people):
    circular = circular_generate(region=regions["zhanggong"], period=OCT)
    client.force_login(people["auditor"])
    page = client.get(reverse("reporting:circulars"))
    assert page.status_code == 200 and "生成通报" not in page.content.decode()
    assert client.get(reverse("reporting:circular", args=[circular.pk])).status_code == 200
    assert client.get(reverse("reporting:circular_xlsx", args=[circular.pk])).status_code == 200


def test_the_list_is_paged_twenty_at_a_time(client, regions, month, owner):
    for _ in range(21):
        circular_generate(region=regions["zhanggong"], period=OCT)
    client.force_login(owner)
    first = client.get(reverse("reporting:circulars")).content.decode()
    assert first.count("第 21 版") == 1 and "第 1 版" not in first
    assert "第 1 / 2 页" in first and "下一页" in first
    second = client.get(reverse("reporting:circulars"), {"page": 2}).content.decode()
    assert "第 1 版" in second and "第 2 / 2 页" in second and "上一页" in second


def test_an_office_cannot_see_another_districts_circular(client, regions, month, outsider):
    circular = circular_generate(region=regions["zhanggong"], period=OCT)
    client.force_login(outsider)
    assert client.get(reverse("reporting:circular", args=[circular.pk])).status_code == 404
    assert client.get(reverse("reporting:circular_xlsx", args=[circular.pk])).status_code == 404
    assert client.post(reverse("reporting:circular_publish", args=[circular.pk])).status_code == 404
    listing = client.get(reverse("reporting:circulars")).content.decode()
    assert reverse("reporting:circular", args=[circular.pk]) not in listing


def test_the_office_publishes_its_circular(client, regions, month, owner):
    circular = circular_generate(region=regions["zhanggong"], period=OCT)
    client.force_login(owner)
    assert client.post(reverse("reporting:circular_freeze", args=[circular.pk])).status_code == 302
    response = client.post(reverse("reporting:circular_publish", args=[circular.pk]))
    assert response.status_code == 302
    circular.refresh_from_db()
    assert circular.published_by == owner and circular.published_at is not None
